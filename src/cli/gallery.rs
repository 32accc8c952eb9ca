//! `picbreeder gallery`: every neuron's plane in one picture, as in the paper's figures.

use picbreeder::cppn::Program;
use picbreeder::cppn::eval::evaluate;
use picbreeder::dense::net::DenseNet;
use picbreeder::figure::{Figure, gallery_figure, own_node};
use picbreeder::grid::Grid;
use picbreeder::io::{Loaded, load_any};
use picbreeder::layerize::layerize;
use picbreeder::render::gallery::GalleryLayout;
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
    let grid = Grid::new(args.size.0, args.size.1);
    let fig = match load_any(&args.input).map_err(|e| e.to_string())? {
        Loaded::Genome(g) => {
            let program =
                Program::compile(&g).map_err(|e| format!("{}: {e}", args.input.display()))?;
            if args.layerized {
                net_gallery(&layerize(&program).net, &grid, true)
            } else {
                let layout = GalleryLayout::of_program(&program);
                let side = final_side(&layout, &grid);
                gallery_figure(
                    &evaluate(&program, &grid),
                    &layout,
                    &program.render(&Grid::square(side)),
                    &|_| false,
                )
            }
        }
        Loaded::Net(net) => net_gallery(&net, &grid, false),
    };
    fig.save(&args.output).map_err(|e| e.to_string())?;
    println!(
        "wrote {} ({}x{})",
        args.output.display(),
        fig.width,
        fig.height
    );
    Ok(())
}

/// A dense net's gallery; `layerized`: frame the genome's own nodes.
fn net_gallery(net: &DenseNet, grid: &Grid, layerized: bool) -> Figure {
    let layout = GalleryLayout::of_net(net);
    let side = final_side(&layout, grid);
    gallery_figure(
        &net.evaluate(grid),
        &layout,
        &net.render(&Grid::square(side)),
        &|c| layerized && own_node(c),
    )
}

/// The enlarged final image is as tall as the rows of neurons (at least 4 thumbnails).
fn final_side(layout: &GalleryLayout, grid: &Grid) -> usize {
    (layout.rows.len() * (grid.height + 4))
        .saturating_sub(2)
        .max(4 * grid.height)
}
