//! `picbreeder train`: teach an SGD network to draw a genome's image, and save it.

use indicatif::{ProgressBar, ProgressStyle};
use picbreeder::budget::MEMORY_BUDGET;
use picbreeder::cppn::Program;
use picbreeder::grid::Grid;
use picbreeder::io::detect::load_genome;
use picbreeder::io::json::net_to_json;
use picbreeder::io::write_atomic;
use picbreeder::sgd::arch::Arch;
use picbreeder::sgd::method::{Method, Start};
use picbreeder::sgd::run::EndReason;
use picbreeder::sgd::run::{Event, RunOptions, TrainingRun};
use picbreeder::sgd::trainer::{Batch, PAPER_LR_ARG, PAPER_SIZE_ARG, PAPER_STEPS, TrainConfig};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Train a network with SGD (Adam) to draw a genome's image, as the FER paper does,
/// and save it as network JSON.
#[derive(clap::Args)]
pub struct Args {
    /// Genome to imitate (native JSON, Picbreeder XML or zip).
    genome: PathBuf,
    /// Training steps.
    #[arg(long, default_value_t = PAPER_STEPS)]
    steps: u64,
    /// Training image size: N for NxN, or WxH (the paper's is 256).
    #[arg(short, long, value_parser = super::args::size, default_value = PAPER_SIZE_ARG)]
    size: (usize, usize),
    /// `paper` (the genome's layerized shape, no biases) or `mlp:DEPTHxWIDTH:ACT[:bias]`,
    /// e.g. mlp:8x30:tanh.
    #[arg(long, default_value = "paper")]
    arch: Arch,
    /// Training method, NAME or NAME:PARAM (default adam, the paper's; `--help` lists
    /// them).
    #[arg(long, default_value = "adam", long_help = method_help())]
    method: Method,
    /// Learning rate.
    #[arg(long, default_value = PAPER_LR_ARG, value_parser = super::args::learning_rate)]
    lr: f32,
    /// Seed of the initial weights and of minibatch sampling.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Pixels per step, drawn at random; without it every pixel, every step.
    #[arg(long)]
    batch: Option<usize>,
    /// Feed Adam the raw gradient instead of scaling it to unit L2 norm (the paper
    /// scales).
    #[arg(long)]
    no_unit_norm: bool,
    /// Seconds between progress lines when stderr is not a terminal (a log file, a pipe).
    #[arg(long, default_value_t = 5.0)]
    progress_every: f64,
    /// Where to write the trained network (JSON).
    #[arg(short, long)]
    output: PathBuf,
    #[command(flatten)]
    more: super::train_more::More,
}

/// `--method`'s long help, written from the list of methods.
fn method_help() -> String {
    format!(
        "Training method, NAME or NAME:PARAM (default adam, the paper's). With --init, the \
         net keeps its activations and only the update rule applies.\n{}",
        Method::help()
    )
}

pub fn run(args: Args) -> Result<(), String> {
    if args.batch == Some(0) {
        return Err("--batch must be at least 1 pixel".into());
    }
    let mut inputs = vec![args.genome.as_path()];
    inputs.extend(args.more.init.as_deref());
    let mut outputs = vec![(args.output.as_path(), super::guard::OutputKind::Net)];
    if let Some(curve) = &args.more.curve {
        outputs.push((curve.as_path(), super::guard::OutputKind::Text));
    }
    super::guard::outputs(&outputs, &inputs)?;
    check_writable(&args.output)?;
    let genome = load_genome(&args.genome).map_err(|e| e.to_string())?;
    let program =
        Program::compile(&genome).map_err(|e| format!("{}: {e}", args.genome.display()))?;
    for w in &program.warnings {
        errln!("warning: {}: {w}", args.genome.display());
    }
    let pixels = args.size.0 * args.size.1;
    // More pixels a step than the image has is the whole image (full batch).
    let batch = match args.batch {
        Some(b) if b >= pixels => {
            errln!(
                "note: --batch {b} is not less than the image's {pixels} pixels: training on every pixel each step"
            );
            None
        }
        b => b,
    };
    if let (Some(_), Some(_)) = (batch, args.method.penalty()) {
        return Err(format!(
            "--method {} trains on every pixel each step (its penalty is computed over the whole image): leave out --batch",
            args.method
        ));
    }
    if args.more.init.is_none() {
        args.arch
            .check(&program, batch.unwrap_or(pixels), pixels, MEMORY_BUDGET)
            .map_err(|e| format!("{}: {e}", args.genome.display()))?;
    }
    let target = program.render(&Grid::new(args.size.0, args.size.1));
    let start = match &args.more.init {
        Some(path) => Start {
            net: super::train_more::load_init(path)?,
            trainable: None,
        },
        None => args
            .method
            .build(&args.arch, &program, args.seed)
            .map_err(|e| format!("{}: {e}", args.genome.display()))?,
    };
    let config = args.method.config(TrainConfig {
        straight_through: args.more.straight_through,
        lr: args.lr,
        unit_norm: !args.no_unit_norm,
        batch: batch.map_or(Batch::Full, Batch::Random),
        seed: args.seed,
        ..TrainConfig::default()
    });
    let params = start.net.parameter_count();
    let trainer = start.trainer(&target, config).map_err(|e| e.to_string())?;
    errln!(
        "training {} ({params} parameters) by {} on {}x{}, {}",
        args.arch,
        args.method,
        args.size.0,
        args.size.1,
        match config.batch {
            Batch::Full => "full batch".to_string(),
            Batch::Random(b) => format!("random batches of {b} pixels"),
        }
    );
    let bar = if std::io::stderr().is_terminal() {
        ProgressBar::new(args.steps)
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("[{bar:40}] {pos}/{len} {msg} {elapsed}<{eta}")
            .expect("static template")
            .progress_chars("=> "),
    );
    let interrupted = interrupt_flag();
    let started = Instant::now();
    let run = TrainingRun::spawn(
        trainer,
        RunOptions {
            max_steps: Some(args.steps),
            progress_every: Duration::from_millis(200),
            snapshot_every: None,
            start_paused: false,
            path_snapshots: false,
        },
    )
    .map_err(|e| format!("cannot start the training thread: {e}"))?;
    let mut curve =
        picbreeder::sgd::curve::Curve::new(args.more.curve_every, config.passes_per_step());
    let every = Duration::from_secs_f64(args.progress_every.max(0.05));
    let mut next_line = Instant::now() + every;
    let mut interrupted_at = None;
    let (reason, last) = loop {
        if interrupted_at.is_none() && interrupted.load(Ordering::Relaxed) {
            // Ctrl-C: stop after the current step; the Finished event carries the net.
            run.send(picbreeder::sgd::run::RunCommand::Stop);
            interrupted_at = Some(Instant::now());
        }
        match run.recv_timeout(Duration::from_millis(100)) {
            Some(Event::Progress(p)) => {
                p.losses.iter().for_each(|&(s, l)| curve.push(s, l));
                bar.set_position(p.step);
                bar.set_message(format!(
                    "loss {:.3e}, {:.1} dB, {:.1} steps/s",
                    p.loss, p.psnr, p.steps_per_sec
                ));
                if bar.is_hidden() && Instant::now() >= next_line {
                    next_line += every;
                    errln!(
                        "step {}/{}: loss {:.3e}, {:.1} dB, {:.1} steps/s, {:.0} s",
                        p.step,
                        args.steps,
                        p.loss,
                        p.psnr,
                        p.steps_per_sec,
                        started.elapsed().as_secs_f64()
                    );
                }
            }
            Some(Event::Finished {
                reason, progress, ..
            }) => {
                progress.losses.iter().for_each(|&(s, l)| curve.push(s, l));
                break (reason, progress);
            }
            Some(Event::Snapshot { .. }) => {}
            None if run.is_finished() => {
                return Err("the training thread ended unexpectedly".into());
            }
            None => {}
        }
    };
    bar.finish_and_clear();
    let mut trainer = run
        .stop_and_join()
        .ok_or("the training thread ended unexpectedly")?;
    let secs = started.elapsed().as_secs_f64();
    super::train_more::write_curve(&args.more, &curve)?;
    if let EndReason::Collapsed(c) = reason {
        super::guard::keep_written(); // the curve shows the collapse
        return Err(format!("{c}; wrote no network"));
    }
    let net = trainer.net();
    if !net
        .layers
        .iter()
        .all(|l| l.weights.iter().all(|w| w.is_finite()))
    {
        return Err("the weights are not finite numbers; wrote no network".into());
    }
    let psnr = trainer.psnr();
    let loss = trainer.full_loss();
    write_atomic(&args.output, net_to_json(&net).as_bytes()).map_err(|e| e.to_string())?;
    super::guard::wrote(&args.output);
    let summary = format!(
        "{} steps ({} forward passes, {} a step): loss {loss:.3e}, PSNR {psnr:.2} dB against the genome's {}x{} image; {:.1} steps/s; wrote {}",
        last.step,
        last.forward_passes,
        config.passes_per_step(),
        args.size.0,
        args.size.1,
        last.step as f64 / secs,
        args.output.display()
    );
    if interrupted_at.is_some() || reason == EndReason::Diverged {
        super::guard::keep_written(); // the network so far (or its last finite weights)
    }
    if interrupted_at.is_some() {
        return Err(format!("interrupted (Ctrl-C) after {summary}"));
    }
    if reason == EndReason::Diverged {
        return Err(format!(
            "the loss diverged (not a finite number) at step {}: try a smaller --lr; kept the last finite weights: {summary}",
            last.step
        ));
    }
    outln!("{summary}");
    Ok(())
}

/// Set by Ctrl-C (SIGINT) while training, so the run stops and writes the net so far.
/// Without a handler (one was already installed) Ctrl-C ends the process as usual.
fn interrupt_flag() -> Arc<AtomicBool> {
    let flag = Arc::new(AtomicBool::new(false));
    let set = flag.clone();
    if let Err(e) = ctrlc::set_handler(move || set.store(true, Ordering::Relaxed)) {
        errln!("note: Ctrl-C will not save the network: {e}");
    }
    flag
}

/// Refuses an output that cannot be written before any time is spent training: the
/// folder must exist and take a new file, and the path must not be a folder.
fn check_writable(path: &Path) -> Result<(), String> {
    if path.is_dir() {
        return Err(format!(
            "{}: is a folder, not a file to write",
            path.display()
        ));
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let probe = dir.join(format!(".picbreeder-probe-{}", std::process::id()));
    match std::fs::File::create(&probe) {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            Ok(())
        }
        Err(e) => Err(format!(
            "{}: cannot write there ({e}); nothing was trained",
            path.display()
        )),
    }
}
