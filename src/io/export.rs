//! A picture straight to a PNG file, made and written band by band, so its size is not
//! bounded by memory.

use super::FileError;
use super::deflate::Channels;
use super::png::save_banded;
use crate::cppn::genome::Genome;
use crate::grid::Grid;
use crate::image::{ColourPlanes, Image};
use crate::network::RenderSteps;
use crate::steps::Step;
use crate::steps::{PixelProgress, evaluate_rows};
use std::path::Path;

/// Pixels made at a time: a colour picture's band is 8 MB of planes and pixels. Small
/// bands reuse the memory the last one freed, so the kernel spends less time faulting
/// in pages for new ones (docs/benchmarks.md, "Writing a big picture").
pub const BAND_PIXELS: usize = 1 << 19;

/// What to draw: a network's steps, the planes to keep (its outputs) and how they
/// become colour. Genomes and dense nets both come to this form.
pub struct Drawing<'a> {
    pub steps: &'a [Step],
    pub keep: &'a [usize],
    pub colours: ColourPlanes,
    /// The genome drawn, if it is one: the PNG carries it.
    pub genome: Option<&'a Genome>,
}

impl<'a> Drawing<'a> {
    /// A network's drawing ([`RenderSteps`]), carrying `genome` if it is one.
    pub fn of(r: &'a RenderSteps, genome: Option<&'a Genome>) -> Drawing<'a> {
        Drawing {
            steps: &r.steps,
            keep: &r.keep,
            colours: r.colours,
            genome,
        }
    }
}

/// Renders `drawing` over `grid` into a PNG at `path` (atomically), counting pixels in
/// `progress`; `None` if it was cancelled there, in which case nothing is written.
pub fn export_png(
    drawing: &Drawing<'_>,
    grid: &Grid,
    path: &Path,
    progress: &PixelProgress,
) -> Option<Result<(), FileError>> {
    let rows_per_band = (BAND_PIXELS / grid.width.max(1)).max(1);
    let bands = (0..grid.height).step_by(rows_per_band).map_while(|r0| {
        let rows = r0..(r0 + rows_per_band).min(grid.height);
        evaluate_rows(drawing.steps, grid, rows, drawing.keep, progress)
            .map(|planes| Image::from_planes(&planes, drawing.colours))
    });
    // A grey drawing is written as a grey PNG; colour ones are opaque RGB.
    let channels = match drawing.colours {
        ColourPlanes::Grey(_) => Channels::Grey,
        ColourPlanes::Hsv(..) => Channels::Rgb,
    };
    let size = (grid.width, grid.height);
    let result = save_banded(path, size, channels, drawing.genome, bands);
    (!progress.is_cancelled()).then_some(result)
}
