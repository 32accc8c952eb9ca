//! `picbreeder gallery`: every neuron's plane in one picture, as in the paper's figures.

use picbreeder::budget::MEMORY_BUDGET;
use picbreeder::cppn::Program;
use picbreeder::figure::{GalleryOf, gallery};
use picbreeder::grid::Grid;
use picbreeder::io::{Loaded, load_any};
use std::path::PathBuf;

/// Draw a genome's or network's neuron gallery as the paper's figures do: layers as rows
/// (inputs at the bottom, numbered down the side, input and output names), red (-1) -
/// white (0) - blue (+1), a layerized genome's own nodes framed apart from cache copies,
/// the final image enlarged beside it. PNG, or SVG when OUTPUT ends in .svg.
#[derive(clap::Args)]
pub struct Args {
    /// Genome or network file.
    input: PathBuf,
    /// Size of each neuron's thumbnail: N or WxH.
    #[arg(short, long, value_parser = super::args::size, default_value = "64")]
    size: (usize, usize),
    /// Show a genome in the paper's layerized form (dense layers with cache neurons).
    #[arg(long)]
    layerized: bool,
    /// Output PNG (or SVG, by the extension).
    #[arg(short, long)]
    output: PathBuf,
}

pub fn run(args: Args) -> Result<(), String> {
    super::guard::output(
        &args.output,
        &[&args.input],
        super::guard::OutputKind::picture(&args.output),
    )?;
    let grid = Grid::new(args.size.0, args.size.1);
    let fail = |e: picbreeder::budget::OverBudget| format!("{}: {e}", args.input.display());
    let mut genome = None;
    let fig = match load_any(&args.input).map_err(|e| e.to_string())? {
        Loaded::Genome(g) => {
            let program =
                Program::compile(&g).map_err(|e| format!("{}: {e}", args.input.display()))?;
            let of = if args.layerized {
                GalleryOf::Layerized(&program)
            } else {
                GalleryOf::Genome(&program)
            };
            let fig = gallery(of, &grid, MEMORY_BUDGET).map_err(fail)?;
            genome = Some(g);
            fig
        }
        Loaded::Net(net) => gallery(GalleryOf::Net(&net), &grid, MEMORY_BUDGET).map_err(fail)?,
    };
    fig.save_with_genome(&args.output, genome.as_ref())
        .map_err(|e| e.to_string())?;
    outln!(
        "wrote {} ({}x{})",
        args.output.display(),
        fig.width,
        fig.height
    );
    Ok(())
}
