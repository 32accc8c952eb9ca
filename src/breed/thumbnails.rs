//! Pictures of a generation: every genome rendered at thumbnail size, in parallel.

use crate::cppn::genome::{Genome, GenomeError};
use crate::cppn::program::Program;
use crate::grid::Grid;
use crate::image::Image;
use rayon::prelude::*;

/// One genome's picture on a `size` x `size` grid over the paper's window.
pub fn render_thumbnail(genome: &Genome, size: usize) -> Result<Image, GenomeError> {
    Ok(Program::compile(genome)?.render(&Grid::square(size)))
}

/// Every genome's picture, in order. Genomes render side by side and each one's pixels
/// in parallel too, so a whole generation keeps both cores busy.
pub fn render_thumbnails(genomes: &[Genome], size: usize) -> Vec<Result<Image, GenomeError>> {
    genomes
        .par_iter()
        .map(|g| render_thumbnail(g, size))
        .collect()
}
