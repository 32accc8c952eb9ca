//! `picbreeder experiment`: the paper's open questions as studies of independent
//! jobs, one JSON file each (stepping stones vs direct training; adaptability to
//! one-mutation children), and the report that merges them.

use indicatif::{ProgressBar, ProgressStyle};
use picbreeder::breed::Session;
use picbreeder::experiment::jobs::{self, Setup, Todo};
use picbreeder::experiment::stones::Shares;
use picbreeder::experiment::{adapt, report};
use picbreeder::io::write_atomic;
use picbreeder::network::Network;
use picbreeder::sgd::arch::Arch;
use picbreeder::sgd::method::Method;
use picbreeder::sgd::trainer::PAPER_LR_ARG;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

/// The paper's open questions as studies: stepping stones vs direct training,
/// adaptability to one-mutation children, the path figure, and the report that merges a
/// study's result files
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    what: What,
}

#[derive(clap::Subcommand)]
enum What {
    /// Train along the lineage's stepping stones vs directly on the final image: the
    /// same net, initial weights and total steps, per seed.
    SteppingStones(StudyArgs),
    /// As stepping-stones, then fine-tune each trained net to K one-mutation children of
    /// the final genome (and record the mutation itself for the evolved genome).
    Adapt(AdaptArgs),
    /// Train the same genome's picture by several methods, several seeds each: one job
    /// per (method, seed), plus the evolved genome's scorecard once; `report` draws the
    /// Pareto figure (PSNR against the representation).
    Methods(MethodsArgs),
    /// The paper's path figure: the lineage (root first) above an SGD run's snapshots
    /// (steps 0, 100, 200, 400, 1,000, every tenth, the last), written as PNG or SVG.
    Path(PathArgs),
    /// Merge a study folder's result files into a table (mean, standard deviation, each
    /// seed; collapsed runs counted apart).
    Report(ReportArgs),
}

/// What every experiment command trains on: a bred lineage, and how.
#[derive(clap::Args)]
struct LineageArgs {
    /// A session file (bred in the window or with `picbreeder breed`).
    session: PathBuf,
    /// Generation the lineage ends in (`#N` or `N`); default: the current one.
    #[arg(short, long, value_parser = generation)]
    generation: Option<usize>,
    /// Child (1-based) of that generation the lineage ends on.
    #[arg(long, default_value_t = 1)]
    child: usize,
    /// Training steps (of each condition, in a study).
    #[arg(long, default_value_t = 2000)]
    steps: u64,
    /// Training image size (N for NxN).
    #[arg(short, long, default_value_t = 128)]
    size: usize,
    /// `paper` (the final genome's layerized shape) or `mlp:DEPTHxWIDTH:ACT[:bias]`.
    #[arg(long, default_value = "paper")]
    arch: Arch,
    /// Training method, NAME or NAME:PARAM (default adam, the paper's; `train --help`
    /// lists them).
    #[arg(long, default_value = "adam")]
    method: Method,
    /// Learning rate.
    #[arg(long, default_value = PAPER_LR_ARG, value_parser = super::args::learning_rate)]
    lr: f32,
    /// Every k-th ancestor is a stepping stone, and shown (1: every one; the final
    /// child always).
    #[arg(long, default_value_t = 1)]
    every: usize,
}

impl LineageArgs {
    /// The session, and a setup of these arguments (what a study adds set to none).
    fn setup(&self) -> Result<(Session, Setup), String> {
        if self.child == 0 {
            return Err("--child counts from 1".into());
        }
        let session = Session::load(&self.session).map_err(|e| e.to_string())?;
        let setup = Setup {
            generation: self.generation.unwrap_or(session.current_id().0),
            child: self.child - 1,
            arch: self.arch.to_string(),
            method: self.method.to_string(),
            genome: None,
            size: self.size,
            steps: self.steps,
            lr: self.lr,
            straight_through: false,
            every: self.every,
            shares: Shares::Equal,
            final_share: None,
            curve_every: 1,
            children: 0,
            children_seed: 0,
            budget: 0,
            target_db: 30.0,
        };
        Ok((session, setup))
    }
}

#[derive(clap::Args)]
struct StudyArgs {
    #[command(flatten)]
    lineage: LineageArgs,
    /// Seeds: `A..B` (both included) or a list `0,3,7`.
    #[arg(long, value_parser = seeds, default_value = "0..4")]
    seeds: std::vec::Vec<u64>,
    /// How the steps are shared: `equal` or `generations` (in proportion to the
    /// generations from each stone to the next).
    #[arg(long, default_value = "equal")]
    shares: Shares,
    /// Spend the last fraction F (0 < F <= 1) of the steps on the final image; the
    /// earlier stones share the rest by --shares.
    #[arg(long, value_name = "F", value_parser = final_share)]
    final_share: Option<f64>,
    /// The straight-through colour rule (NOT the paper's).
    #[arg(long)]
    straight_through: bool,
    /// Keep every k-th step of the loss curves.
    #[arg(long, default_value_t = 10)]
    curve_every: u64,
    /// The study's folder: one result file per job.
    #[arg(long = "json", value_name = "DIR")]
    dir: PathBuf,
    /// Run only shard I of N (0-based): every N-th job from the I-th.
    #[arg(long, value_parser = shard)]
    shard: Option<(usize, usize)>,
    /// Skip jobs whose result file is already there (same setup).
    #[arg(long)]
    resume: bool,
}

#[derive(clap::Args)]
struct AdaptArgs {
    #[command(flatten)]
    study: StudyArgs,
    /// One-mutation children of the final genome to adapt to.
    #[arg(long, default_value_t = 5)]
    children: usize,
    /// Seed of the children's mutations (the same children for every job).
    #[arg(long, default_value_t = 0)]
    children_seed: u64,
    /// Fine-tuning steps per child.
    #[arg(long, default_value_t = 500)]
    budget: u64,
    /// The PSNR (dB) a fine-tune counts as reaching the child.
    #[arg(long, default_value_t = 30.0)]
    target_db: f64,
    /// Also write each move's neuron galleries, before and after side by side, as
    /// DIR/CONDITION-seedS-childK.png.
    #[arg(long, value_name = "DIR")]
    galleries: Option<PathBuf>,
}

#[derive(clap::Args)]
struct MethodsArgs {
    /// A genome (native JSON, Picbreeder XML or zip) or a session file (then -g and
    /// --child pick the genome).
    input: PathBuf,
    /// A session's generation (`#N` or `N`); default: the current one.
    #[arg(short, long, value_parser = generation)]
    generation: Option<usize>,
    /// A session's child (1-based).
    #[arg(long, default_value_t = 1)]
    child: usize,
    /// The methods, comma-separated, each NAME or NAME:PARAM (`train --help` lists them).
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "adam,sgd,relu,graph,mirror:0.1"
    )]
    methods: Vec<Method>,
    /// Seeds: `A..B` (both included) or a list `0,3,7`.
    #[arg(long, value_parser = seeds, default_value = "0..4")]
    seeds: std::vec::Vec<u64>,
    /// Training steps of each run.
    #[arg(long, default_value_t = 2000)]
    steps: u64,
    /// Training image size (N for NxN).
    #[arg(short, long, default_value_t = 64)]
    size: usize,
    /// `paper` (the genome's layerized shape) or `mlp:DEPTHxWIDTH:ACT[:bias]` (the
    /// graph methods need `paper`).
    #[arg(long, default_value = "paper")]
    arch: Arch,
    /// Learning rate.
    #[arg(long, default_value = "3e-3", value_parser = super::args::learning_rate)]
    lr: f32,
    /// Keep every k-th step of the loss curves.
    #[arg(long, default_value_t = 10)]
    curve_every: u64,
    /// The study's folder: one result file per job.
    #[arg(long = "json", value_name = "DIR")]
    dir: PathBuf,
    /// Run only shard I of N (0-based): every N-th job from the I-th.
    #[arg(long, value_parser = shard)]
    shard: Option<(usize, usize)>,
    /// Skip jobs whose result file is already there (same setup); new methods or seeds
    /// can be added to a study this way.
    #[arg(long)]
    resume: bool,
}

#[derive(clap::Args)]
struct PathArgs {
    #[command(flatten)]
    lineage: LineageArgs,
    /// The run's seed (its initial weights).
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Each picture's size in the figure.
    #[arg(long, default_value_t = 96)]
    picture: usize,
    /// The figure: .png or .svg.
    #[arg(short, long)]
    output: PathBuf,
}

#[derive(clap::Args)]
struct ReportArgs {
    /// A study's folder.
    dir: PathBuf,
    /// Also write each condition's mean loss curve here (CSV), to overlay.
    #[arg(long)]
    curves: Option<PathBuf>,
    /// Also write the table here (Markdown).
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// A methods study's Pareto figure: this PNG and an SVG beside it (same name,
    /// .svg); default DIR/pareto.png and DIR/pareto.svg.
    #[arg(long, value_name = "PNG")]
    figure: Option<PathBuf>,
}

/// A bar for `steps` steps, titled `what`.
fn progress_bar(steps: u64, what: String) -> ProgressBar {
    let bar = ProgressBar::new(steps.max(1));
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} {elapsed}<{eta}")
            .expect("static template")
            .progress_chars("=> "),
    );
    bar.set_message(what);
    bar
}

fn generation(s: &str) -> Result<usize, String> {
    s.trim_start_matches('#')
        .parse()
        .map_err(|_| format!("'{s}' is not a generation id: use #N or N"))
}

/// Most seeds in one study (a range of more is a typo, not a study).
const MAX_SEEDS: u64 = 10_000;

pub(super) fn seeds(s: &str) -> Result<Vec<u64>, String> {
    let bad = || {
        format!(
            "'{s}': seeds are A..B (both included, A <= B, at most {MAX_SEEDS} seeds) or a list like 0,3,7"
        )
    };
    if let Some((a, b)) = s.split_once("..") {
        let a: u64 = a.parse().map_err(|_| bad())?;
        let b: u64 = b.trim_start_matches('=').parse().map_err(|_| bad())?;
        if a > b {
            return Err(bad());
        }
        if b - a >= MAX_SEEDS {
            return Err(format!(
                "'{s}' is {} seeds: at most {MAX_SEEDS} in one study",
                (b - a).saturating_add(1)
            ));
        }
        return Ok((a..=b).collect());
    }
    let list: Vec<u64> = s
        .split(',')
        .map(|x| x.trim().parse().map_err(|_| bad()))
        .collect::<Result<_, _>>()?;
    let mut sorted = list.clone();
    sorted.sort_unstable();
    sorted.dedup();
    if sorted.len() != list.len() {
        return Err(format!("'{s}': a seed appears twice"));
    }
    Ok(list)
}

pub(super) fn shard(s: &str) -> Result<(usize, usize), String> {
    let bad = || format!("'{s}': a shard is I/N with 0 <= I < N, e.g. 0/4");
    let (i, n) = s.split_once('/').ok_or_else(bad)?;
    let (i, n): (usize, usize) = (i.parse().map_err(|_| bad())?, n.parse().map_err(|_| bad())?);
    if n == 0 || i >= n {
        return Err(bad());
    }
    Ok((i, n))
}

fn final_share(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(f) if f > 0.0 && f <= 1.0 => Ok(f),
        _ => Err(format!(
            "'{s}': the final share is a fraction F with 0 < F <= 1"
        )),
    }
}

pub fn run(args: Args) -> Result<(), String> {
    match args.what {
        What::SteppingStones(a) => study(a, (0, 0, 0, 30.0), None),
        What::Adapt(a) => study(
            a.study,
            (a.children, a.children_seed, a.budget, a.target_db),
            a.galleries,
        ),
        What::Methods(a) => methods(a),
        What::Path(a) => path(a),
        What::Report(a) => {
            let results = report::read_dir(&a.dir).map_err(|e| e.to_string())?;
            let figure = report::is_methods_study(&results).then(|| {
                let png = a.figure.clone().unwrap_or_else(|| a.dir.join("pareto.png"));
                let svg = png.with_extension("svg");
                (png, svg)
            });
            let mut planned: Vec<_> = [&a.output, &a.curves]
                .into_iter()
                .flatten()
                .map(|o| (o.as_path(), super::guard::OutputKind::Text))
                .collect();
            if let Some((png, svg)) = &figure {
                planned.push((png.as_path(), super::guard::OutputKind::Png));
                planned.push((svg.as_path(), super::guard::OutputKind::Text));
            }
            super::guard::outputs(&planned, &[])?;
            let table = report::table(&results);
            out!("{table}");
            if let Some((png, svg)) = &figure {
                let fig = picbreeder::experiment::pareto::pareto(&results);
                for path in [png, svg] {
                    fig.save(path).map_err(|e| e.to_string())?;
                    super::guard::wrote(path);
                    errln!("wrote {}", path.display());
                }
            }
            if let Some(out) = &a.output {
                write_atomic(out, table.as_bytes()).map_err(|e| e.to_string())?;
                super::guard::wrote(out);
                errln!("wrote {}", out.display());
            }
            if let Some(out) = &a.curves {
                write_atomic(out, report::mean_curves(&results).as_bytes())
                    .map_err(|e| e.to_string())?;
                super::guard::wrote(out);
                errln!("wrote {}", out.display());
            }
            Ok(())
        }
    }
}

/// The genome a methods study trains on: a genome file's, or a session's child; and
/// where in the session it is (generation id, 0-based child; 0, 0 for a genome file).
fn study_genome(a: &MethodsArgs) -> Result<(picbreeder::cppn::Genome, usize, usize), String> {
    use picbreeder::io::kind::{Kind, sniff_file};
    if a.child == 0 {
        return Err("--child counts from 1".into());
    }
    let at = |e: String| format!("{}: {e}", a.input.display());
    if sniff_file(&a.input).is_ok_and(|k| k == Kind::Session) {
        let session = Session::load(&a.input).map_err(|e| e.to_string())?;
        let id = a.generation.unwrap_or(session.current_id().0);
        let generation = session
            .generation(picbreeder::breed::GenerationId(id))
            .ok_or_else(|| {
                at(format!(
                    "there is no generation #{id} (ids #0 to #{})",
                    session.generations().len().saturating_sub(1)
                ))
            })?;
        let genome = generation.genomes.at(a.child - 1).ok_or_else(|| {
            at(format!(
                "generation #{id} has children 1 to {}, not {}",
                generation.genomes.len(),
                a.child
            ))
        })?;
        return Ok((genome.into_owned(), id, a.child - 1));
    }
    if a.generation.is_some() || a.child != 1 {
        return Err(at(
            "is a genome, not a session: -g and --child pick a child of a session".into(),
        ));
    }
    let genome = picbreeder::io::detect::load_genome(&a.input).map_err(|e| e.to_string())?;
    Ok((genome, 0, 0))
}

/// `experiment methods`: every (method, seed) job of this shard not done yet, then the
/// evolved genome's scorecard (once, in the shard it falls to).
fn methods(a: MethodsArgs) -> Result<(), String> {
    let (genome, generation, child) = study_genome(&a)?;
    let setup = Setup {
        generation,
        child,
        arch: a.arch.to_string(),
        method: String::new(),
        genome: Some(jobs::fingerprint(&genome)),
        size: a.size,
        steps: a.steps,
        lr: a.lr,
        straight_through: false,
        every: 1,
        shares: Shares::Equal,
        final_share: None,
        curve_every: a.curve_every,
        children: 0,
        children_seed: 0,
        budget: 0,
        target_db: 30.0,
    };
    let prepared =
        jobs::prepare_genome(genome, &setup).map_err(|e| format!("{}: {e}", a.input.display()))?;
    // Every method must build on this genome and architecture before the first runs.
    for m in &a.methods {
        prepared
            .start_with(*m, 0)
            .map_err(|e| format!("{}: {e}", a.input.display()))?;
    }
    let all = jobs::method_jobs(&a.methods, &a.seeds);
    let mine = match a.shard {
        Some((i, n)) => jobs::shard(&all, i, n),
        None => all,
    };
    std::fs::create_dir_all(&a.dir).map_err(|e| format!("{}: {e}", a.dir.display()))?;
    let todo = jobs::todo(&a.dir, &setup, &mine, a.resume).map_err(|e| e.to_string())?;
    errln!(
        "{} jobs here ({} done already): {} at {}x{}, {} steps each",
        todo.len(),
        todo.iter().filter(|t| matches!(t, Todo::Done(..))).count(),
        a.arch,
        a.size,
        a.size,
        a.steps
    );
    run_todo(&prepared, todo, &mut |_, _, _, _| Ok(()))
}

/// Hears each move to a child: the job, the child, the net before and after.
type Keep<'a> = dyn FnMut(&jobs::StudyJob, usize, &Network, &Network) -> Result<(), String> + 'a;

/// Runs each job of `todo` not done yet, writing its file.
fn run_todo(prepared: &jobs::Prepared, todo: Vec<Todo>, keep: &mut Keep) -> Result<(), String> {
    let never = AtomicBool::new(false);
    for t in todo {
        let Todo::Run(job, path) = t else { continue };
        let what = format!("{} seed {}", job.label(), job.seed);
        let bar = progress_bar(prepared.job_steps(&job), what);
        let mut failed = Ok(());
        let result = prepared
            .run_keeping(
                &job,
                &never,
                &mut |s| bar.set_position(s),
                &mut |k, before, after| {
                    let kept = keep(&job, k, before, after);
                    if failed.is_ok() {
                        failed = kept;
                    }
                },
            )
            .map_err(|e| e.to_string())?;
        bar.finish_and_clear();
        failed?;
        jobs::write_result(&path, &result).map_err(|e| e.to_string())?;
        let what = match &result.trained {
            Some(t) if t.collapse.is_some() => {
                format!("COLLAPSED: {}", t.collapse.expect("checked"))
            }
            Some(t) => format!("{:.2} dB after {} steps", t.final_psnr, t.steps),
            None if result.adapt.is_empty() => "the genome's scorecard".to_string(),
            None => format!("{} mutations recorded", result.adapt.len()),
        };
        outln!(
            "{} seed {}: {what} ({:.0} s); wrote {}",
            job.label(),
            job.seed,
            result.seconds,
            path.display()
        );
    }
    Ok(())
}

/// The file of one job's galleries for child `k` (0-based).
fn gallery_name(job: &jobs::StudyJob, k: usize) -> String {
    format!("{}-seed{}-child{}.png", job.label(), job.seed, k + 1)
}

/// `adapt`: children, their seed, the fine-tuning budget and the target PSNR (no
/// children for a stepping-stones study); `galleries`: where to put each move's
/// before-and-after galleries.
fn study(
    a: StudyArgs,
    (children, children_seed, budget, target_db): (usize, u64, u64, f64),
    galleries: Option<PathBuf>,
) -> Result<(), String> {
    let (session, setup) = a.lineage.setup()?;
    let setup = Setup {
        straight_through: a.straight_through,
        shares: a.shares,
        final_share: a.final_share,
        curve_every: a.curve_every,
        children,
        children_seed,
        budget,
        target_db,
        ..setup
    };
    let at_session = |e: picbreeder::experiment::ExperimentError| {
        format!("{}: {e}", a.lineage.session.display())
    };
    let prepared = jobs::prepare(&session, &setup).map_err(at_session)?;
    let all = jobs::jobs(&setup, &a.seeds);
    let mine = match a.shard {
        Some((i, n)) => jobs::shard(&all, i, n),
        None => all,
    };
    for dir in std::iter::once(&a.dir).chain(&galleries) {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let todo = jobs::todo(&a.dir, &setup, &mine, a.resume).map_err(|e| e.to_string())?;
    if let Some(dir) = &galleries {
        // Every gallery this run will write, checked before the first job runs.
        for t in &todo {
            let Todo::Run(job, _) = t else { continue };
            for k in 0..prepared.children.len() {
                super::guard::output(
                    &dir.join(gallery_name(job, k)),
                    &[&a.lineage.session],
                    super::guard::OutputKind::Png,
                )?;
            }
        }
    }
    errln!(
        "{} jobs here ({} done already); stepping stones at generations {:?}, steps {:?}; {} children",
        todo.len(),
        todo.iter().filter(|t| matches!(t, Todo::Done(..))).count(),
        prepared.stones.iter().map(|s| s.depth).collect::<Vec<_>>(),
        prepared.stone_steps,
        prepared.children.len()
    );
    run_todo(&prepared, todo, &mut |job, k, before, after| {
        let Some(dir) = &galleries else {
            return Ok(());
        };
        let name = gallery_name(job, k);
        let title = format!(
            "{} seed {}, child {} ({})",
            job.label(),
            job.seed,
            k + 1,
            prepared.children[k].operator.name()
        );
        match adapt::galleries(&title, before, after) {
            Some(figure) => figure.save(&dir.join(&name)).map_err(|e| e.to_string()),
            None => Err(format!("{name}: the galleries are over the memory budget")),
        }
    })
}

fn path(a: PathArgs) -> Result<(), String> {
    let picture = super::guard::OutputKind::picture(&a.output);
    super::guard::output(&a.output, &[&a.lineage.session], picture)?;
    if !(16..=1024).contains(&a.picture) {
        return Err(format!("--picture {} is out of range 16..=1024", a.picture));
    }
    let (session, setup) = a.lineage.setup()?;
    let prepared = jobs::prepare(&session, &setup)
        .map_err(|e| format!("{}: {e}", a.lineage.session.display()))?;
    let bar = progress_bar(setup.steps, "training".into());
    let snapshots = picbreeder::experiment::path::train_path(
        &prepared,
        a.seed,
        setup.steps,
        &AtomicBool::new(false),
        &mut |s| bar.set_position(s),
    )
    .map_err(|e| e.to_string())?;
    bar.finish_and_clear();
    use picbreeder::experiment::path::{figure, lineage_pictures, snapshot_pictures};
    let lineage = lineage_pictures(&prepared.stones, a.picture);
    let fig = figure(&lineage, &snapshot_pictures(&snapshots, a.picture));
    fig.save(&a.output).map_err(|e| e.to_string())?;
    let last = snapshots.last().expect("the last step is kept");
    errln!(
        "wrote {} ({} generations above {} snapshots; {:.2} dB after {} steps)",
        a.output.display(),
        lineage.len(),
        snapshots.len(),
        last.psnr,
        last.step
    );
    Ok(())
}
