//! `picbreeder animate sweep|zoom|lineage|train`: animations as GIF or APNG.

use indicatif::{ProgressBar, ProgressStyle};
use picbreeder::animate::lineage::{LineageFrames, Stop};
use picbreeder::animate::sweep::{Panel, SweepFrames, counterpart};
use picbreeder::animate::train::TrainFrames;
use picbreeder::animate::zoom::ZoomFrames;
use picbreeder::animate::{ExportProgress, Format, Frames, Palette, Timing, export, frame_count};
use picbreeder::breed::{GenerationId, Session};
use picbreeder::compare::Twin;
use picbreeder::cppn::Program;
use picbreeder::grid::{Grid, Window};
use picbreeder::io::detect::load_genome;
use picbreeder::io::{Loaded, load_any};
use picbreeder::network::Network;
use picbreeder::render::sweep::Direction;
use picbreeder::sgd::arch::Arch;
use picbreeder::sgd::trainer::{PAPER_LR_ARG, TrainConfig, Trainer};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Make an animation: a weight sweep loop (evolved beside an SGD net), a zoom into a
/// point, a lineage morphing from its root to a child, or an SGD net learning to draw.
/// Written as GIF (.gif) or lossless animated PNG (.apng or .png), frame by frame.
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    kind: AnimationKind,
}

#[derive(clap::Subcommand)]
enum AnimationKind {
    Sweep(SweepArgs),
    Zoom(ZoomArgs),
    Lineage(AnimateLineageArgs),
    Train(TrainArgs),
}

/// What every animation takes.
#[derive(clap::Args)]
struct Common {
    /// Picture size (each panel's): N or WxH.
    #[arg(short, long, value_parser = super::args::size, default_value = "256")]
    size: (usize, usize),
    /// Frames per second.
    #[arg(long, default_value_t = 30.0)]
    fps: f64,
    /// Length in seconds.
    #[arg(long, default_value_t = 4.0)]
    seconds: f64,
    /// Times to play (0: forever).
    #[arg(long, default_value_t = 0)]
    loops: u16,
    /// GIF palette: `auto` (one for the animation, a frame's own where its colours
    /// differ), `frame` (one per frame) or `global` (one for the whole animation).
    #[arg(long, default_value = "auto", value_parser = ["auto", "frame", "global"])]
    palette: String,
    /// Also write these frames (0-based, comma-separated) as PNGs beside the output,
    /// named OUTPUT-K.png.
    #[arg(long, value_delimiter = ',')]
    stills: Vec<usize>,
    /// Output: .gif, or .apng/.png for animated PNG.
    #[arg(short, long)]
    output: PathBuf,
}

/// A weight (or random direction) swept w -> w + range -> w - range -> w as a loop,
/// the genome beside an SGD net of its layerized shape (--net) at the same weight.
#[derive(clap::Args)]
struct SweepArgs {
    /// Genome or network file.
    input: PathBuf,
    /// An SGD net of the genome's layerized shape (e.g. the paper's sgd/skull.json) to
    /// sweep beside it at the same place.
    #[arg(long)]
    net: Option<PathBuf>,
    /// The weight: a link's marking BRANCH:ID or a parameter index.
    #[arg(long, conflicts_with = "random")]
    link: Option<String>,
    /// A seeded random unit direction over one neuron's incoming weights.
    #[arg(long)]
    random: Option<u64>,
    /// The neuron for --random (gallery numbering); default the brightness output.
    #[arg(long, requires = "random")]
    neuron: Option<usize>,
    /// Largest |delta|.
    #[arg(long, default_value_t = 1.0)]
    range: f64,
    #[command(flatten)]
    common: Common,
}

/// Zoom from the whole picture into a point, each frame rendered afresh.
#[derive(clap::Args)]
struct ZoomArgs {
    /// Genome or network file.
    input: PathBuf,
    /// The point zoomed into: X,Y in the plane (the picture spans -1..1).
    #[arg(long, default_value = "0,0", allow_hyphen_values = true, value_parser = point)]
    at: (f64, f64),
    /// Magnification of the last frame.
    #[arg(long, default_value_t = 100.0)]
    depth: f64,
    /// The first frame's window X0,X1,Y0,Y1.
    #[arg(long, value_parser = super::args::window, default_value = "-1,1,-1,1", allow_hyphen_values = true)]
    window: Window,
    #[command(flatten)]
    common: Common,
}

/// A lineage morphing from its root to a child: a session's child and its ancestors,
/// or genome files in order.
#[derive(clap::Args)]
struct AnimateLineageArgs {
    /// A session file, or several genome files (oldest first).
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// The session's generation (`#N` or N); default the current one.
    #[arg(short, long, value_parser = generation_id)]
    generation: Option<GenerationId>,
    /// Its child (1-based); default the first chosen one, else child 1.
    #[arg(long)]
    child: Option<usize>,
    #[command(flatten)]
    common: Common,
}

/// An SGD net learning to draw a genome's image: snapshots with step and PSNR.
#[derive(clap::Args)]
struct TrainArgs {
    /// Genome to imitate.
    input: PathBuf,
    /// Training steps over the whole animation.
    #[arg(long, default_value_t = 2000)]
    steps: u64,
    /// Training resolution (the target's size).
    #[arg(long, default_value_t = 128)]
    train_size: usize,
    /// `paper` or `mlp:DEPTHxWIDTH:ACT[:bias]`.
    #[arg(long, default_value = "paper")]
    arch: Arch,
    #[arg(long, default_value = PAPER_LR_ARG, value_parser = super::args::learning_rate)]
    lr: f32,
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Leave out the target drawn beside the output.
    #[arg(long)]
    no_target: bool,
    #[command(flatten)]
    common: Common,
}

pub fn run(args: Args) -> Result<(), String> {
    let (inputs, common): (Vec<&std::path::Path>, _) = match &args.kind {
        AnimationKind::Sweep(a) => {
            let mut i = vec![a.input.as_path()];
            i.extend(a.net.as_deref());
            (i, &a.common)
        }
        AnimationKind::Zoom(a) => (vec![a.input.as_path()], &a.common),
        AnimationKind::Lineage(a) => (a.inputs.iter().map(|p| p.as_path()).collect(), &a.common),
        AnimationKind::Train(a) => (vec![a.input.as_path()], &a.common),
    };
    let writes = match Format::from_path(&common.output) {
        Some(Format::Gif(_)) => super::guard::OutputKind::Gif,
        _ => super::guard::OutputKind::Png,
    };
    // Every frame asked for as a still exists, and no still replaces an input (a
    // genome named like OUTPUT-0.png) or another output: checked before any writing.
    let n = count(common)?;
    if let Some(&k) = common.stills.iter().find(|&&k| k >= n) {
        return Err(format!(
            "--stills {k}: there are frames 0 to {} ({} fps for {} s)",
            n - 1,
            common.fps,
            common.seconds
        ));
    }
    let stills = still_paths(common);
    let mut outputs = vec![(common.output.as_path(), writes)];
    outputs.extend(
        stills
            .iter()
            .map(|p| (p.as_path(), super::guard::OutputKind::Png)),
    );
    super::guard::outputs(&outputs, &inputs)?;
    match args.kind {
        AnimationKind::Sweep(a) => sweep(a),
        AnimationKind::Zoom(a) => zoom(a),
        AnimationKind::Lineage(a) => lineage(a),
        AnimationKind::Train(a) => train(a),
    }
}

fn sweep(a: SweepArgs) -> Result<(), String> {
    let c = &a.common;
    let at = |e: String| format!("{}: {e}", a.input.display());
    let loaded = load_any(&a.input).map_err(|e| e.to_string())?;
    let net = loaded
        .clone()
        .into_network()
        .map_err(|e| at(e.to_string()))?;
    let (direction, label) = match (&a.link, a.random) {
        (Some(link), _) => {
            let p = super::sweep::param(&net, link).map_err(at)?;
            (Direction::single(p), p.to_string())
        }
        (None, Some(seed)) => {
            let neuron = a
                .neuron
                .unwrap_or_else(|| super::sweep::brightness_plane(&net));
            let incoming = net.incoming(neuron);
            if incoming.is_empty() {
                return Err(at(format!("neuron {neuron} has no incoming weights")));
            }
            (
                Direction::random(&incoming, seed),
                format!("neuron {neuron} random {seed}"),
            )
        }
        (None, None) => return Err("say which weight: --link ID or --random SEED".into()),
    };
    let mut panels = vec![Panel {
        net,
        direction: direction.clone(),
        title: if matches!(loaded, Loaded::Genome(_)) {
            "evolved".into()
        } else {
            "network".into()
        },
    }];
    if let Some(path) = &a.net {
        let Loaded::Genome(genome) = loaded else {
            return Err(at("--net needs a genome as the input".into()));
        };
        let Loaded::Net(sgd) = load_any(path).map_err(|e| e.to_string())? else {
            return Err(format!(
                "{}: a genome, not a trained network",
                path.display()
            ));
        };
        let twin = Twin::new(genome).map_err(|e| at(e.to_string()))?;
        let dir = counterpart(&twin, &direction, &sgd).ok_or_else(|| {
            format!(
                "{}: not the genome's layerized shape ({}), or the weight has no place there",
                path.display(),
                twin.arch
            )
        })?;
        panels.push(Panel {
            net: Network::Net(sgd),
            direction: dir,
            title: "SGD".into(),
        });
    }
    picbreeder::limits::check_range(a.range)?;
    let mut frames = SweepFrames::new(panels, label, a.range, c.size, count(c)?)
        .ok_or_else(|| at("no such weight".into()))?;
    write(&mut frames, c)
}

fn zoom(a: ZoomArgs) -> Result<(), String> {
    let c = &a.common;
    let net = load_any(&a.input)
        .map_err(|e| e.to_string())?
        .into_network()
        .map_err(|e| format!("{}: {e}", a.input.display()))?;
    let mut frames = ZoomFrames::new(net, a.window, a.at, a.depth, c.size, count(c)?)
        .ok_or("--depth must be a positive number")?;
    write(&mut frames, c)
}

fn lineage(a: AnimateLineageArgs) -> Result<(), String> {
    let c = &a.common;
    let stops = if let [one] = &a.inputs[..]
        && let Ok(session) = Session::load(one)
    {
        session_stops(&session, one, a.generation, a.child)?
    } else {
        if a.generation.is_some() || a.child.is_some() {
            return Err("-g and --child need a session file as the only input".into());
        }
        a.inputs
            .iter()
            .enumerate()
            .map(|(i, p)| {
                Ok(Stop {
                    genome: load_genome(p).map_err(|e| e.to_string())?,
                    name: format!("{} ({})", i + 1, file_name(p)),
                })
            })
            .collect::<Result<Vec<_>, String>>()?
    };
    errln!("{} genomes in the lineage", stops.len());
    let mut frames = LineageFrames::new(stops, c.size, count(c)?).map_err(|e| e.to_string())?;
    write(&mut frames, c)
}

/// A session child's ancestors as stops named by generation and child.
fn session_stops(
    session: &Session,
    path: &Path,
    generation: Option<GenerationId>,
    child: Option<usize>,
) -> Result<Vec<Stop>, String> {
    let id = generation.unwrap_or(session.current_id());
    let g = session
        .generation(id)
        .ok_or_else(|| format!("{}: there is no generation {id}", path.display()))?;
    let index = match child {
        Some(n) => n
            .checked_sub(1)
            .filter(|&i| i < g.genomes.len())
            .ok_or_else(|| format!("generation {id} has children 1 to {}", g.genomes.len()))?,
        None => g.representative(),
    };
    let line = session
        .ancestry(id, index)
        .ok_or_else(|| format!("{}: no child {} in {id}", path.display(), index + 1))?;
    Ok(line
        .into_iter()
        .map(|a| {
            let depth = session.generation(a.generation).map_or(0, |g| g.depth);
            Stop {
                genome: a.genome,
                name: format!("gen {} child {}", depth + 1, a.index + 1),
            }
        })
        .collect())
}

fn train(a: TrainArgs) -> Result<(), String> {
    let c = &a.common;
    let at = |e: String| format!("{}: {e}", a.input.display());
    if a.train_size == 0 || a.train_size > 4096 {
        return Err("--train-size must be 1..=4096".into());
    }
    let genome = load_genome(&a.input).map_err(|e| e.to_string())?;
    let program = Program::compile(&genome).map_err(|e| at(e.to_string()))?;
    let target = program.render(&Grid::square(a.train_size));
    let net = a.arch.build(&program, a.seed);
    let config = TrainConfig {
        lr: a.lr,
        seed: a.seed,
        ..TrainConfig::default()
    };
    let make =
        Box::new(move || Trainer::new(net.clone(), &target, config).map_err(|e| e.to_string()));
    let mut frames = TrainFrames::new(make, a.steps, c.size, count(c)?, !a.no_target)?;
    write(&mut frames, c)
}

fn count(c: &Common) -> Result<usize, String> {
    if !(c.fps > 0.0 && c.fps <= 100.0) {
        return Err(format!("--fps must be in (0, 100], not {}", c.fps));
    }
    if !(c.seconds > 0.0 && c.seconds <= 600.0) {
        return Err(format!("--seconds must be in (0, 600], not {}", c.seconds));
    }
    Ok(frame_count(c.fps, c.seconds))
}

/// Exports with a progress bar over frames, and says what it wrote.
fn write(frames: &mut dyn Frames, c: &Common) -> Result<(), String> {
    let format = match Format::from_path(&c.output) {
        Some(Format::Gif(_)) => Format::Gif(match c.palette.as_str() {
            "frame" => Palette::PerFrame,
            "global" => Palette::Global,
            _ => Palette::Auto,
        }),
        Some(f) => f,
        None => {
            return Err(format!(
                "{}: name it .gif, .apng or .png to choose the format",
                c.output.display()
            ));
        }
    };
    let timing = Timing {
        fps: c.fps,
        loops: c.loops,
    };
    let (n, (w, h)) = (frames.count(), frames.size());
    let progress = ExportProgress::default();
    let mut frames = KeepStills {
        inner: frames,
        wanted: stills(c),
        kept: Default::default(),
    };
    let bar = ProgressBar::new(n as u64);
    bar.set_style(
        ProgressStyle::with_template("animating [{bar:40}] {pos}/{len} frames {elapsed}")
            .expect("static template")
            .progress_chars("=> "),
    );
    let result = std::thread::scope(|s| {
        let handle = s.spawn(|| export(&mut frames, format, timing, &c.output, &progress));
        while !handle.is_finished() {
            bar.set_position(progress.frames_done() as u64);
            std::thread::sleep(Duration::from_millis(100));
        }
        handle.join().expect("the export thread panicked")
    });
    bar.finish_and_clear();
    result.ok_or("cancelled")?.map_err(|e| e.to_string())?;
    super::guard::wrote(&c.output);
    outln!(
        "wrote {} ({n} frames of {w}x{h}, {} fps)",
        c.output.display(),
        c.fps
    );
    for (k, path) in stills(c).into_iter().zip(still_paths(c)) {
        let img = frames
            .kept
            .get(&k)
            .ok_or_else(|| format!("--stills {k}: there are frames 0 to {}", n - 1))?;
        super::write_png(img, &path)?;
    }
    Ok(())
}

/// Frames that keep a copy of the stills asked for as they are made: no frame is made
/// twice (a training run's earlier frame would train again from the start).
struct KeepStills<'a> {
    inner: &'a mut dyn Frames,
    wanted: Vec<usize>,
    kept: std::collections::BTreeMap<usize, picbreeder::image::Image>,
}

impl Frames for KeepStills<'_> {
    fn count(&self) -> usize {
        self.inner.count()
    }
    fn size(&self) -> (usize, usize) {
        self.inner.size()
    }
    fn frame(
        &mut self,
        k: usize,
        progress: &picbreeder::steps::PixelProgress,
    ) -> Option<picbreeder::image::Image> {
        let f = self.inner.frame(k, progress)?;
        if self.wanted.contains(&k) {
            self.kept.insert(k, f.clone());
        }
        Some(f)
    }
    fn genome(&self) -> Option<&picbreeder::cppn::Genome> {
        self.inner.genome()
    }
    fn pictures_differ(&self) -> bool {
        self.inner.pictures_differ()
    }
    fn palette_pictures(&self) -> Option<Vec<picbreeder::image::Image>> {
        self.inner.palette_pictures()
    }
    fn failure(&self) -> Option<String> {
        self.inner.failure()
    }
}

/// The frames `--stills` asks for, each once, in order.
fn stills(c: &Common) -> Vec<usize> {
    let mut k = c.stills.clone();
    k.sort_unstable();
    k.dedup();
    k
}

/// Where `--stills` go: OUTPUT-K.png beside the output.
fn still_paths(c: &Common) -> Vec<PathBuf> {
    let stem = c.output.with_extension("");
    stills(c)
        .iter()
        .map(|k| PathBuf::from(format!("{}-{k}.png", stem.display())))
        .collect()
}

fn point(s: &str) -> Result<(f64, f64), String> {
    match s
        .split(',')
        .map(|t| t.trim().parse::<f64>())
        .collect::<Vec<_>>()[..]
    {
        [Ok(x), Ok(y)] if x.is_finite() && y.is_finite() => Ok((x, y)),
        _ => Err(format!("'{s}' is not a point: use X,Y, e.g. 0.3,-0.2")),
    }
}

fn generation_id(s: &str) -> Result<GenerationId, String> {
    s.trim_start_matches('#')
        .parse()
        .map(GenerationId)
        .map_err(|_| format!("'{s}' is not a generation id: use #N or N"))
}

fn file_name(p: &Path) -> String {
    p.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}
