//! `picbreeder sweep`: weight sweeps as a PNG strip, or a sheet of every weight's sweep.

use picbreeder::budget::{MEMORY_BUDGET, check};
use picbreeder::compare::Twin;
use picbreeder::cppn::Marking;
use picbreeder::grid::Grid;
use picbreeder::image::Image;
use picbreeder::io::load_any;
use picbreeder::network::{Network, Param};
use picbreeder::render::sweep::{
    Direction, deltas, ranked_sweeps, sheet, sheet_bytes, strip, sweep,
};
use std::path::{Path, PathBuf};

/// Sweep one weight (or a random direction over one neuron's incoming weights) of a
/// genome or network: images for w + delta, delta evenly over [-range, range], original in
/// the middle. With --all, one row per weight, the rows that change the picture most first.
#[derive(clap::Args)]
pub struct Args {
    /// Genome or network file.
    input: PathBuf,
    /// The weight: a genome link's marking BRANCH:ID, or a parameter index (genome
    /// links in file order; a net's weights layer by layer, the paper's numbering).
    #[arg(long, conflicts_with_all = ["random", "all"])]
    link: Option<String>,
    /// Sweep a seeded random unit direction over one neuron's incoming weights.
    #[arg(long, conflicts_with = "all")]
    random: Option<u64>,
    /// The neuron for --random, as numbered in the gallery (inputs 0-3, then nodes or
    /// neurons in order); default: the brightness (v or ink) output.
    #[arg(long, requires = "random")]
    neuron: Option<usize>,
    /// With a genome and --link: a trained net of the genome's layerized shape (the
    /// paper's architecture, e.g. `train --arch paper`); a second row sweeps its weight at
    /// the same place, as the window's Sweep view does.
    #[arg(long, requires = "link")]
    twin: Option<PathBuf>,
    /// Sweep every weight; print them ranked by how much they change the image.
    #[arg(long)]
    all: bool,
    /// With --all, how many of the top rows go into the sheet.
    #[arg(long, default_value_t = 20)]
    top: usize,
    /// Images per strip.
    #[arg(long, default_value_t = 5)]
    steps: usize,
    /// Largest |delta|.
    #[arg(long, default_value_t = 1.0)]
    range: f64,
    /// Size of each image: N or WxH.
    #[arg(short, long, value_parser = super::args::size, default_value = "128")]
    size: (usize, usize),
    /// Output PNG (or SVG when the name ends in .svg, the rows titled by weight).
    #[arg(short, long)]
    output: PathBuf,
}

pub fn run(args: Args) -> Result<(), String> {
    let mut inputs = vec![args.input.as_path()];
    inputs.extend(args.twin.as_deref());
    super::guard::output(
        &args.output,
        &inputs,
        super::guard::OutputKind::picture(&args.output),
    )?;
    let at = |e: String| format!("{}: {e}", args.input.display());
    let net = load_any(&args.input)
        .map_err(|e| e.to_string())?
        .into_network()
        .map_err(|e| at(e.to_string()))?;
    if args.steps == 0 || args.steps > 101 {
        return Err(format!("--steps {} is out of range 1..=101", args.steps));
    }
    picbreeder::limits::check_range(args.range)?;
    let grid = Grid::new(args.size.0, args.size.1);
    let ds = deltas(args.steps, args.range);
    let rows = if args.all {
        args.top.min(net.params().len())
    } else {
        1 + usize::from(args.twin.is_some())
    };
    check(
        &format!("a sheet of {rows} sweeps of {} images", args.steps),
        sheet_bytes(
            rows,
            args.steps,
            grid.width,
            grid.height,
            net.neuron_count(),
        ),
        MEMORY_BUDGET,
        "use a smaller -s, --steps or --top",
    )
    .map_err(|e| e.to_string())?;
    let mut titles = vec![];
    let rows = if args.all {
        let rows = ranked_sweeps(&net, &ds, &grid, args.top);
        for (rank, r) in rows.iter().enumerate() {
            outln!(
                "{:4}  {:<28} change {:6.2}",
                rank + 1,
                r.param.to_string(),
                r.change
            );
        }
        let top: Vec<_> = rows
            .iter()
            .take(args.top)
            .map(|r| r.images.clone())
            .collect();
        titles = rows
            .iter()
            .take(args.top)
            .map(|r| r.param.to_string())
            .collect();
        top
    } else {
        let dir = match (&args.link, args.random) {
            (Some(link), _) => Direction::single(param(&net, link).map_err(at)?),
            (None, Some(seed)) => {
                let neuron = args.neuron.unwrap_or_else(|| brightness_plane(&net));
                let incoming = net.incoming(neuron);
                if incoming.is_empty() {
                    return Err(at(format!("neuron {neuron} has no incoming weights")));
                }
                Direction::random(&incoming, seed)
            }
            (None, None) => {
                return Err("say which weight: --link ID, --random SEED, or --all".into());
            }
        };
        let mut rows =
            vec![sweep(&net, &dir, &ds, &grid).ok_or_else(|| at("no such weight".into()))?];
        if let Some(path) = &args.twin {
            rows.push(twin_row(&net, &dir, path, &ds, &grid)?);
        }
        rows
    };
    if args
        .output
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("svg"))
    {
        let fig = picbreeder::figure::rows_figure(&rows, &titles);
        fig.save(&args.output).map_err(|e| e.to_string())?;
        outln!(
            "wrote {} ({}x{})",
            args.output.display(),
            fig.width,
            fig.height
        );
        return Ok(());
    }
    let img = if args.all || rows.len() > 1 {
        sheet(&rows)
    } else {
        strip(&rows[0])
    };
    let genome = match &net {
        Network::Genome { genome, .. } => Some(genome),
        _ => None,
    };
    super::write_png_of(&img, genome, &args.output)
}

/// The sweep of the weight of the net at `path` at the same place as the genome link in
/// `dir` (the genome's layerized form says where).
fn twin_row(
    net: &Network,
    dir: &Direction,
    path: &Path,
    ds: &[f64],
    grid: &Grid,
) -> Result<Vec<Image>, String> {
    let at = |e: String| format!("{}: {e}", path.display());
    let Network::Genome { genome, .. } = net else {
        return Err("--twin needs a genome as the input".into());
    };
    let Network::Net(sgd) = load_any(path)
        .map_err(|e| e.to_string())?
        .into_network()
        .map_err(|e| at(e.to_string()))?
    else {
        return Err(at("is a genome; --twin takes a trained network".into()));
    };
    let twin = Twin::new(genome.clone()).map_err(|e| e.to_string())?;
    let [(link, _)] = dir.0[..] else {
        return Err("--twin sweeps one link".into());
    };
    let there = twin.counterpart(link, &sgd).ok_or_else(|| {
        at(format!(
            "does not have the genome's layerized shape {} (train it with --arch paper)",
            twin.arch
        ))
    })?;
    sweep(&Network::Net(sgd), &Direction::single(there), ds, grid)
        .ok_or_else(|| at("no such weight".into()))
}

/// `BRANCH:ID` (a genome link) or an index into [`Network::params`].
pub(super) fn param(net: &Network, text: &str) -> Result<Param, String> {
    let params = net.params();
    let found = if text.contains(':') {
        let m: Marking = text.parse()?;
        params.into_iter().find(|p| *p == Param::Link(m))
    } else {
        let k: usize = text
            .parse()
            .map_err(|_| format!("'{text}' is neither BRANCH:ID nor a parameter index"))?;
        params.get(k).copied()
    };
    found.ok_or_else(|| format!("there is no weight '{text}'"))
}

/// The plane of the brightness output (ink or v).
pub(super) fn brightness_plane(net: &Network) -> usize {
    match net {
        Network::Genome { program, .. } => *program
            .outputs
            .planes()
            .last()
            .expect("a program has outputs"),
        Network::Net(n) => *n.output_planes().last().expect("a net has outputs"),
    }
}
