//! `picbreeder render`: a genome's or network's image as PNG.

use super::guard::OutputKind;
use super::progress::with_bar;
use picbreeder::cppn::{Genome, Program};
use picbreeder::grid::{Grid, Window};
use picbreeder::io::export::{Drawing, export_png};
use picbreeder::io::{Loaded, load_any};
use picbreeder::network::RenderSteps;
use std::path::PathBuf;

/// Render a genome (native JSON, Picbreeder XML or zip) or a trained network to PNG.
#[derive(clap::Args)]
pub struct Args {
    /// Genome or network file; its kind is read from its content.
    input: PathBuf,
    /// Image size: N for NxN, or WxH.
    #[arg(short, long, value_parser = super::args::size, default_value = "256")]
    size: (usize, usize),
    /// Part of the plane to show: X0,X1,Y0,Y1 (Y0 is the top row).
    #[arg(long, value_parser = super::args::window, default_value = "-1,1,-1,1", allow_hyphen_values = true)]
    window: Window,
    /// Output PNG.
    #[arg(short, long)]
    output: PathBuf,
}

pub fn run(args: Args) -> Result<(), String> {
    super::guard::output(&args.output, &[&args.input], OutputKind::Png)?;
    let grid = Grid::new(args.size.0, args.size.1).with_window(args.window);
    let (steps, genome) = load_steps(&args.input)?;
    let drawing = Drawing::of(&steps, genome.as_ref());
    with_bar("rendering", grid.pixels(), |p| {
        export_png(&drawing, &grid, &args.output, p)
    })
    .ok_or("rendering was cancelled")?
    .map_err(|e| e.to_string())?;
    outln!(
        "wrote {} ({}x{})",
        args.output.display(),
        grid.width,
        grid.height
    );
    Ok(())
}

/// What rendering any genome or net file takes, and the genome (which the PNG carries).
fn load_steps(path: &std::path::Path) -> Result<(RenderSteps, Option<Genome>), String> {
    Ok(match load_any(path).map_err(|e| e.to_string())? {
        Loaded::Genome(g) => {
            let program = Program::compile(&g).map_err(|e| format!("{}: {e}", path.display()))?;
            for w in &program.warnings {
                errln!("warning: {}: {w}", path.display());
            }
            (RenderSteps::of_program(&program), Some(g))
        }
        Loaded::Net(net) => (RenderSteps::of_net(&net), None),
    })
}
