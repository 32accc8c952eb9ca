//! `picbreeder search`: evolution without a person choosing (target-driven NEAT,
//! novelty search, MAP-Elites), seeds as independent jobs whose results go into a
//! folder, every run into the library as a session, and its figures.

use super::guard::{self, OutputKind};
use indicatif::{ProgressBar, ProgressStyle};
use picbreeder::cppn::{ColourMode, Genome};
use picbreeder::search::descriptor::Axis;
use picbreeder::search::figures::{contact_sheet, curve, map_figure};
use picbreeder::search::jobs::{self, Mode, PreparedSearch, SearchResult, SearchSetup, SearchTodo};
use picbreeder::search::run::{Outcome, pictures};
use picbreeder::search::target::Target;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

/// Evolution without a person: toward a target picture, for novelty, or filling a
/// MAP-Elites map; NEAT with speciation over the program's own operators
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    what: SearchKind,
}

#[derive(clap::Subcommand)]
enum SearchKind {
    /// Fitness is the PSNR of a genome's picture against a target (a picture, or a
    /// genome drawn at --size); the best PSNR of each generation is reported.
    Target(TargetArgs),
    /// Fitness is novelty: the mean distance of a picture's 8x8 colour sketch to its k
    /// nearest among the population and an archive of novel pictures.
    Novelty(NoveltyArgs),
    /// A map over two or three picture descriptors, each cell keeping its best by
    /// novelty (or by PSNR against --target).
    MapElites(MapArgs),
}

#[derive(clap::Args)]
struct SearchCommon {
    /// The run's folder: one result file per seed (MODE-seedN.json) and its figures.
    #[arg(short, long, value_name = "DIR")]
    out: PathBuf,
    /// Genomes a generation (MAP-Elites: children a generation), 2..=10000.
    #[arg(long, default_value_t = 150, value_parser = population)]
    population: usize,
    /// Generations, the first included, 1..=100000.
    #[arg(long, default_value_t = 100, value_parser = generations)]
    generations: usize,
    /// Pictures are drawn SIZE x SIZE (8..=1024).
    #[arg(short, long, default_value_t = 64, value_parser = size)]
    size: usize,
    /// Seeds, one run each: `A..B` (both included) or a list `0,3,7`.
    #[arg(long, default_value = "0", value_parser = super::experiment::seeds)]
    seeds: std::vec::Vec<u64>,
    /// Random starting genomes in colour (grey by default).
    #[arg(long)]
    colour: bool,
    /// Start from this genome and its one-mutation children instead of random genomes.
    #[arg(long, value_name = "GENOME")]
    from: Option<PathBuf>,
    /// Run only shard I of N (0-based): every N-th seed from the I-th.
    #[arg(long, value_parser = super::experiment::shard)]
    shard: Option<(usize, usize)>,
    /// Skip seeds whose result file is already there (same setup).
    #[arg(long)]
    resume: bool,
    /// The library each run is stored in as a session (default: the saves folder's).
    #[arg(long, value_name = "FILE")]
    library: Option<PathBuf>,
    /// Store nothing in the library.
    #[arg(long, conflicts_with = "library")]
    no_library: bool,
}

#[derive(clap::Args)]
struct TargetArgs {
    /// The target: a PNG picture, or a genome (a PNG carrying a genome is the genome).
    target: PathBuf,
    #[command(flatten)]
    common: SearchCommon,
}

#[derive(clap::Args)]
struct NoveltyArgs {
    /// Nearest neighbours novelty averages over, 1..=1000.
    #[arg(short, default_value_t = 15, value_parser = neighbours)]
    k: usize,
    #[command(flatten)]
    common: SearchCommon,
}

#[derive(clap::Args)]
struct MapArgs {
    /// Two or three of symmetry, complexity, colourfulness, coverage.
    #[arg(long, default_value = "symmetry,complexity", value_parser = axes)]
    axes: std::vec::Vec<Axis>,
    /// Cells along each axis, 2..=100.
    #[arg(long, default_value_t = 10, value_parser = bins)]
    bins: usize,
    /// Keep each cell's best by PSNR against this picture or genome (default: by
    /// novelty among the elites).
    #[arg(long, value_name = "IMAGE|GENOME")]
    target: Option<PathBuf>,
    /// Nearest elites novelty averages over, 1..=1000.
    #[arg(short, default_value_t = 15, value_parser = neighbours)]
    k: usize,
    #[command(flatten)]
    common: SearchCommon,
}

fn within(s: &str, lo: usize, hi: usize, what: &str) -> Result<usize, String> {
    match s.trim().parse::<usize>() {
        Ok(v) if (lo..=hi).contains(&v) => Ok(v),
        _ => Err(format!("'{s}': {what} is a whole number from {lo} to {hi}")),
    }
}

fn population(s: &str) -> Result<usize, String> {
    within(s, 2, 10_000, "the population")
}

fn generations(s: &str) -> Result<usize, String> {
    within(s, 1, 100_000, "the number of generations")
}

fn size(s: &str) -> Result<usize, String> {
    within(s, 8, 1024, "the picture size")
}

fn neighbours(s: &str) -> Result<usize, String> {
    within(s, 1, 1000, "k")
}

fn bins(s: &str) -> Result<usize, String> {
    within(s, 2, 100, "the number of bins")
}

fn axes(s: &str) -> Result<Vec<Axis>, String> {
    let names = || {
        Axis::ALL
            .iter()
            .map(|a| a.name())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let list: Vec<Axis> = s
        .split(',')
        .map(|t| {
            Axis::from_name(t.trim())
                .ok_or_else(|| format!("'{}' is not an axis: use {}", t.trim(), names()))
        })
        .collect::<Result<_, _>>()?;
    if !(2..=3).contains(&list.len()) {
        return Err(format!("'{s}': a map has two or three axes"));
    }
    if list.iter().enumerate().any(|(i, a)| list[..i].contains(a)) {
        return Err(format!("'{s}': an axis appears twice"));
    }
    Ok(list)
}

/// A target picture at `size`: a PNG's pixels (its genome drawn, if it carries one),
/// or a genome drawn.
fn load_target(path: &Path, size: usize) -> Result<Target, String> {
    let at = |e: String| format!("{}: {e}", path.display());
    let bytes = picbreeder::io::read_bytes(path).map_err(|e| e.to_string())?;
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        if let Some(g) =
            picbreeder::io::png::carried_genome(&bytes).map_err(|e| at(e.to_string()))?
        {
            return Target::of_genome(&g, size).map_err(|e| at(e.to_string()));
        }
        let img = picbreeder::io::png::decode(&bytes).map_err(|e| at(e.to_string()))?;
        return Ok(Target::of_image(&img, size));
    }
    let g = picbreeder::io::detect::load_genome(path).map_err(|e| e.to_string())?;
    Target::of_genome(&g, size).map_err(|e| at(e.to_string()))
}

pub fn run(args: Args) -> Result<(), String> {
    let (mode, common, target, k, axes, bins) = match args.what {
        SearchKind::Target(a) => (Mode::Target, a.common, Some(a.target), 15, vec![], 10),
        SearchKind::Novelty(a) => (Mode::Novelty, a.common, None, a.k, vec![], 10),
        SearchKind::MapElites(a) => (Mode::MapElites, a.common, a.target, a.k, a.axes, a.bins),
    };
    // Every generation's pictures are held at once.
    picbreeder::budget::check(
        &format!(
            "a search of {} genomes at {}x{}",
            common.population, common.size, common.size
        ),
        picbreeder::budget::times(
            picbreeder::budget::rgba(common.size, common.size),
            common.population as u64 * 2,
        ),
        picbreeder::budget::MEMORY_BUDGET,
        "use a smaller --size or --population",
    )
    .map_err(|e| e.to_string())?;
    let target_pic = target
        .as_deref()
        .map(|t| load_target(t, common.size))
        .transpose()?;
    let start: Option<Genome> = common
        .from
        .as_deref()
        .map(|p| picbreeder::io::detect::load_genome(p).map_err(|e| e.to_string()))
        .transpose()?;
    let setup = SearchSetup {
        mode,
        population: common.population,
        generations: common.generations,
        size: common.size,
        colour: if common.colour {
            ColourMode::Colour
        } else {
            ColourMode::Grey
        },
        target: target.as_ref().map(|t| t.display().to_string()),
        target_hash: None,
        start: common.from.as_ref().map(|t| t.display().to_string()),
        start_hash: None,
        k,
        axes,
        bins,
    };
    let prepared = PreparedSearch::new(setup, target_pic, start);
    let seeds = match common.shard {
        Some((i, n)) => jobs::shard(&common.seeds, i, n),
        None => common.seeds.clone(),
    };
    std::fs::create_dir_all(&common.out).map_err(|e| format!("{}: {e}", common.out.display()))?;
    let todo = jobs::todo(&common.out, &prepared.setup, &seeds, common.resume)
        .map_err(|e| e.to_string())?;
    // Every figure this run writes, checked before the first seed runs.
    let inputs: Vec<&Path> = target
        .iter()
        .chain(&common.from)
        .map(PathBuf::as_path)
        .collect();
    let mut planned: Vec<PathBuf> = vec![];
    for t in &todo {
        if let SearchTodo::Run(seed, _) = t {
            planned.extend(figure_paths(&common.out, &prepared.setup, *seed));
        }
    }
    let checked: Vec<(&Path, OutputKind)> = planned
        .iter()
        .map(|p| (p.as_path(), OutputKind::picture(p)))
        .collect();
    guard::outputs(&checked, &inputs)?;
    let mut store = if common.no_library {
        None
    } else {
        let path = match &common.library {
            Some(p) => p.clone(),
            None => picbreeder::store::saves_folder()?.join(picbreeder::store::LIBRARY_FILE),
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        Some(picbreeder::store::Store::open(&path).map_err(|e| e.to_string())?)
    };
    errln!(
        "{} seeds here ({} done already): {} of {} genomes, {} generations at {}x{}",
        todo.len(),
        todo.iter()
            .filter(|t| matches!(t, SearchTodo::Done(..)))
            .count(),
        mode.name(),
        prepared.setup.population,
        prepared.setup.generations,
        prepared.setup.size,
        prepared.setup.size
    );
    let never = AtomicBool::new(false);
    for t in todo {
        let SearchTodo::Run(seed, path) = t else {
            continue;
        };
        let bar = progress_bar(prepared.setup.generations as u64, seed);
        let (result, outcome) = prepared
            .run(seed, &never, &mut |s| {
                bar.set_position(s.generation as u64 + 1);
                bar.set_message(format!(
                    "seed {seed}: best {:.3}, {} species, archive {}",
                    s.best, s.species, s.archive
                ));
            })
            .map_err(|e| e.to_string())?;
        bar.finish_and_clear();
        jobs::write_result(&path, &result).map_err(|e| e.to_string())?;
        write_figures(&common.out, &result, &outcome)?;
        let stored = match store.as_mut() {
            Some(store) => {
                let session = picbreeder::search::session::of_outcome(&outcome, seed)
                    .map_err(|e| e.to_string())?;
                let name = format!("search {} seed {seed}", mode.name());
                let id = store
                    .create_session(&name, &session)
                    .map_err(|e| e.to_string())?;
                store.release(id).map_err(|e| e.to_string())?;
                format!("; library session {id}")
            }
            None => String::new(),
        };
        let last = result.stats.last().expect("at least one generation");
        outln!(
            "{} seed {seed}: best {:.3} (generation {}: {:.3}), {} in the archive{stored} ({:.1} s); wrote {}",
            mode.name(),
            result.best_fitness,
            last.generation,
            last.best,
            result.archive.len(),
            result.seconds,
            path.display()
        );
    }
    Ok(())
}

/// The figures of seed `seed`: its curve (PNG, SVG), its sheet, and its map (PNG, SVG).
fn figure_paths(dir: &Path, setup: &SearchSetup, seed: u64) -> Vec<PathBuf> {
    let stem = format!("{}-seed{seed}", setup.mode.name());
    let mut names = vec![
        format!("{stem}-curve.png"),
        format!("{stem}-curve.svg"),
        format!("{stem}-sheet.png"),
    ];
    if setup.mode == Mode::MapElites {
        names.push(format!("{stem}-map.png"));
        names.push(format!("{stem}-map.svg"));
    }
    names.into_iter().map(|n| dir.join(n)).collect()
}

/// Pictures in a sheet or a map cell.
const THUMB: usize = 48;
/// Most pictures on a sheet.
const SHEET: usize = 60;

fn write_figures(dir: &Path, r: &SearchResult, outcome: &Outcome) -> Result<(), String> {
    let paths = figure_paths(dir, &r.setup, r.seed);
    let what = match r.setup.mode {
        Mode::Target => "best PSNR (dB)",
        Mode::Novelty => "best novelty",
        Mode::MapElites => "best elite's quality",
    };
    let c = curve(
        &format!(
            "{} seed {}: {what} per generation",
            r.setup.mode.name(),
            r.seed
        ),
        &[(
            format!("seed {}", r.seed),
            r.stats.iter().map(|s| s.best).collect(),
        )],
    );
    let save = |f: &picbreeder::figure::Figure, p: &Path, g: Option<&Genome>| {
        f.save_with_genome(p, g).map_err(|e| e.to_string())?;
        guard::wrote(p);
        errln!("wrote {}", p.display());
        Ok::<(), String>(())
    };
    save(&c, &paths[0], None)?;
    save(&c, &paths[1], None)?;
    // The sheet: the archive (or elites) best first; for target search the best of
    // every k-th generation.
    let (genomes, captions): (Vec<Genome>, Vec<String>) = if r.archive.is_empty() {
        let every = r.best_per_generation.len().div_ceil(SHEET).max(1);
        r.best_per_generation
            .iter()
            .zip(&r.stats)
            .step_by(every)
            .map(|(g, s)| (g.clone(), format!("{}:{:.1}", s.generation, s.best)))
            .unzip()
    } else {
        let mut members: Vec<&jobs::Member> = r.archive.iter().collect();
        members.sort_by(|a, b| b.score.total_cmp(&a.score));
        members
            .iter()
            .take(SHEET)
            .map(|m| (m.genome.clone(), format!("{:.3}", m.score)))
            .unzip()
    };
    let images = pictures(&genomes, THUMB);
    let sheet: Vec<_> = images.into_iter().zip(captions).collect();
    let title = match r.setup.mode {
        Mode::Target => format!(
            "best every {} generations",
            r.best_per_generation.len().div_ceil(SHEET).max(1)
        ),
        Mode::Novelty => format!(
            "archive, most novel first ({} of {})",
            sheet.len(),
            r.archive.len()
        ),
        Mode::MapElites => format!(
            "elites, best first ({} of {})",
            sheet.len(),
            r.archive.len()
        ),
    };
    save(&contact_sheet(&title, &sheet, 10), &paths[2], Some(&r.best))?;
    if let Some(map) = &outcome.map {
        let genomes: Vec<Genome> = map.cells.values().map(|e| e.genome.clone()).collect();
        let pics = pictures(&genomes, 24);
        let by_cell = map.cells.keys().copied().zip(pics).collect();
        let f = map_figure(map, &by_cell);
        save(&f, &paths[3], None)?;
        save(&f, &paths[4], None)?;
    }
    Ok(())
}

fn progress_bar(generations: u64, seed: u64) -> ProgressBar {
    let bar = ProgressBar::new(generations.max(1));
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} {elapsed}<{eta}")
            .expect("static template")
            .progress_chars("=> "),
    );
    bar.set_message(format!("seed {seed}"));
    bar
}
