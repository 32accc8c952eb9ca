//! `picbreeder gallery`: every neuron's plane in one picture, as in the paper's figures.

use picbreeder::cppn::Program;
use picbreeder::cppn::eval::evaluate;
use picbreeder::dense::net::DenseNet;
use picbreeder::grid::Grid;
use picbreeder::image::Image;
use picbreeder::io::{Loaded, load_any};
use picbreeder::layerize::layerize;
use picbreeder::render::gallery::{Layout, gallery_image};
use std::path::PathBuf;

/// Draw a genome's or network's neuron gallery: layers as rows (inputs at the bottom,
/// outputs on top), red (-1) - white (0) - blue (+1), the final image enlarged beside it.
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
    /// Output PNG.
    #[arg(short, long)]
    output: PathBuf,
}

pub fn run(args: Args) -> Result<(), String> {
    let grid = Grid::new(args.size.0, args.size.1);
    let img = match load_any(&args.input).map_err(|e| e.to_string())? {
        Loaded::Genome(g) => {
            let program =
                Program::compile(&g).map_err(|e| format!("{}: {e}", args.input.display()))?;
            if args.layerized {
                net_gallery(&layerize(&program).net, &grid)
            } else {
                let layout = Layout::of_program(&program);
                let side = final_side(&layout, &grid);
                gallery_image(
                    &evaluate(&program, &grid),
                    &layout,
                    &program.render(&Grid::square(side)),
                )
            }
        }
        Loaded::Net(net) => net_gallery(&net, &grid),
    };
    super::write_png(&img, &args.output)
}

fn net_gallery(net: &DenseNet, grid: &Grid) -> Image {
    let layout = Layout::of_net(net);
    let side = final_side(&layout, grid);
    gallery_image(
        &net.evaluate(grid),
        &layout,
        &net.render(&Grid::square(side)),
    )
}

/// The enlarged final image is as tall as the rows of neurons (at least 4 thumbnails).
fn final_side(layout: &Layout, grid: &Grid) -> usize {
    (layout.rows.len() * (grid.height + 2))
        .saturating_sub(2)
        .max(4 * grid.height)
}
