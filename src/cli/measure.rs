//! `picbreeder measure`: the FER scorecard of a genome (graph and layerized) and of a
//! net beside it, as a table, JSON and CSV.

use picbreeder::budget::MEMORY_BUDGET;
use picbreeder::io::{Loaded, load_any, write_atomic};
use picbreeder::layerize::layerize_within;
use picbreeder::measure::format::{Report, csv, text};
use picbreeder::measure::{Form, Options, Scorecard, scorecard};
use picbreeder::network::Network;
use std::path::{Path, PathBuf};

/// Measure fractured entangled representation: hidden neurons' symmetry, distinct
/// functions and effective dimension, and how weight sweeps change the image. A genome is
/// measured as its graph and as the paper's layerized net; a second file (an SGD net) is
/// measured beside it.
#[derive(clap::Args)]
pub struct Args {
    /// Genome or network file.
    input: PathBuf,
    /// A second genome or network, measured beside the first (e.g. its SGD twin).
    other: Option<PathBuf>,
    /// Pixels per side of the grid.
    #[arg(short, long, default_value_t = 64)]
    size: usize,
    /// How far each weight is moved, both ways.
    #[arg(long, default_value_t = 0.5)]
    delta: f64,
    /// Sweep a seeded random sample of this many weights when a network has more.
    #[arg(long, default_value_t = 256)]
    sample: usize,
    /// Seed of the sample.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Write the whole scorecard, every distribution, as JSON (picbreeder-scorecard v1).
    #[arg(long)]
    json: Option<PathBuf>,
    /// Write the table as CSV.
    #[arg(long)]
    csv: Option<PathBuf>,
    /// Draw the sweep measures' histograms: PNG, or SVG when the name ends in .svg.
    #[arg(long)]
    plots: Option<PathBuf>,
}

pub fn run(args: Args) -> Result<(), String> {
    use super::guard::{OutputKind, outputs, wrote};
    let mut inputs = vec![args.input.as_path()];
    inputs.extend(args.other.as_deref());
    let planned: Vec<(&Path, OutputKind)> = [
        (&args.json, OutputKind::Scorecard),
        (&args.csv, OutputKind::Text),
    ]
    .into_iter()
    .filter_map(|(out, kind)| out.as_deref().map(|o| (o, kind)))
    .chain(args.plots.as_deref().map(|p| (p, OutputKind::picture(p))))
    .collect();
    outputs(&planned, &inputs)?;
    let opts = Options {
        grid: args.size,
        delta: args.delta,
        sample: args.sample,
        seed: args.seed,
    };
    opts.check()?;
    let mut nets = networks(&args.input)?;
    if let Some(other) = &args.other {
        nets.extend(networks(other)?);
    }
    // Each is measured alone: each must fit, before any is measured.
    for (name, _, net) in &nets {
        picbreeder::measure::scorecard_within(net, &opts, MEMORY_BUDGET)
            .map_err(|e| format!("{name}: {e}"))?;
    }
    let cards: Vec<Scorecard> = nets
        .iter()
        .map(|(name, form, net)| {
            errln!("measuring {name}");
            scorecard(net, name, *form, &opts, &|| false).expect("never cancelled")
        })
        .collect();
    out!("{}", text(&cards));
    if let Some(path) = &args.json {
        let json = Report::new(&opts, cards.clone()).to_json();
        write_atomic(path, json.as_bytes()).map_err(|e| e.to_string())?;
        wrote(path);
        outln!("wrote {}", path.display());
    }
    if let Some(path) = &args.plots {
        let fig = picbreeder::measure::plots::sweep_histograms(&cards);
        fig.save(path).map_err(|e| e.to_string())?;
        wrote(path);
        outln!("wrote {} ({}x{})", path.display(), fig.width, fig.height);
    }
    if let Some(path) = &args.csv {
        write_atomic(path, csv(&cards).as_bytes()).map_err(|e| e.to_string())?;
        wrote(path);
        outln!("wrote {}", path.display());
    }
    Ok(())
}

/// A genome as its graph and its layerized form; a net as itself. Named by file stem.
fn networks(path: &Path) -> Result<Vec<(String, Form, Network)>, String> {
    let stem = path
        .file_stem()
        .map_or("network".into(), |s| s.to_string_lossy().into_owned());
    let at = |e: String| format!("{}: {e}", path.display());
    Ok(match load_any(path).map_err(|e| e.to_string())? {
        Loaded::Genome(g) => {
            let net = Network::from_genome(g).map_err(|e| at(e.to_string()))?;
            let Network::Genome { program, .. } = &net else {
                unreachable!("from_genome makes a genome network")
            };
            // Too big to layerize: the genome's graph is measured alone, and that is said.
            let layered = match layerize_within(program, MEMORY_BUDGET) {
                Ok(l) => Some(Network::Net(l.net)),
                Err(e) => {
                    errln!("{}: {e}; measuring its graph only", path.display());
                    None
                }
            };
            let mut nets = vec![(format!("{stem} (genome)"), Form::Genome, net)];
            if let Some(layered) = layered {
                nets.push((format!("{stem} (layerized)"), Form::Layerized, layered));
            }
            nets
        }
        Loaded::Net(n) => {
            n.check().map_err(|e| at(e.to_string()))?;
            vec![(stem, Form::Dense, Network::Net(n))]
        }
    })
}
