//! The command-line face: one file per command, each a clap `Args` and a `run`.
//!
//! Commands print through [`outln!`] and [`out!`], never `println!` (clippy refuses it
//! here): when stdout is closed early (`picbreeder library list | head -1`) printing
//! stops quietly and the command still finishes the files it is writing, then exits 0.
//! Notes and errors go to stderr through [`errln!`], which drops what a closed stderr
//! cannot take (`picbreeder train ... 2>&1 | head -1`) instead of panicking.
#![deny(clippy::print_stdout, clippy::print_stderr)]

/// `outln!` that stops quietly once stdout is closed.
macro_rules! outln {
    ($($t:tt)*) => { $crate::cli::out(format_args!("{}\n", format_args!($($t)*))) };
}

/// `out!` that stops quietly once stdout is closed.
macro_rules! out {
    ($($t:tt)*) => { $crate::cli::out(format_args!($($t)*)) };
}

/// `eprintln!` that never panics: what a closed stderr cannot take is dropped.
macro_rules! errln {
    ($($t:tt)*) => { $crate::cli::err(format_args!("{}\n", format_args!($($t)*))) };
}

mod animate;
mod archive;
mod args;
mod convert;
mod experiment;
mod gallery;
mod guard;
mod info;
mod library;
mod measure;
mod progress;
mod render;
mod search;
mod session;
mod sweep;
mod train;
mod train_more;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "picbreeder",
    version,
    about = "Breed CPPN images, train an SGD twin, compare their neurons.\nRun with no arguments to open the window."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Replace an existing output file even when it is of another kind (a genome, a
    /// session, a net) than the command writes.
    #[arg(long, global = true)]
    force: bool,
}

#[derive(Subcommand)]
enum Command {
    Render(render::Args),
    Gallery(gallery::Args),
    Info(info::Args),
    Convert(convert::Args),
    Sweep(sweep::Args),
    Train(train::Args),
    Measure(measure::Args),
    Session(session::SessionArgs),
    Breed(session::BreedArgs),
    Open(OpenArgs),
    Animate(animate::Args),
    Experiment(experiment::Args),
    Library(library::Args),
    Search(search::Args),
    Archive(archive::Args),
}

/// Open the window with a genome (any supported file, bred from as the single parent)
/// or a saved session.
#[derive(clap::Args)]
struct OpenArgs {
    /// Genome or session file.
    file: std::path::PathBuf,
}

/// Set once stdout cannot be written (closed pipe, full disk): later output is dropped.
static STDOUT_CLOSED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Writes to stdout unless it has been closed; a failed write closes it for good.
pub fn out(args: std::fmt::Arguments) {
    use std::io::Write;
    use std::sync::atomic::Ordering;
    if STDOUT_CLOSED.load(Ordering::Relaxed) {
        return;
    }
    let mut stdout = std::io::stdout().lock();
    if stdout
        .write_fmt(args)
        .and_then(|()| stdout.flush())
        .is_err()
    {
        STDOUT_CLOSED.store(true, Ordering::Relaxed);
    }
}

/// Writes to stderr, ignoring a failure (a closed pipe): nothing is left to tell then.
pub fn err(args: std::fmt::Arguments) {
    use std::io::Write;
    let _ = std::io::stderr().lock().write_fmt(args);
}

/// Writes a PNG (atomically) and says so.
fn write_png(img: &picbreeder::image::Image, path: &std::path::Path) -> Result<(), String> {
    write_png_of(img, None, path)
}

/// Writes a PNG drawn from `genome` (atomically), carrying it, and says so.
fn write_png_of(
    img: &picbreeder::image::Image,
    genome: Option<&picbreeder::cppn::Genome>,
    path: &std::path::Path,
) -> Result<(), String> {
    picbreeder::io::png::save_with_genome(img, genome, path).map_err(|e| e.to_string())?;
    guard::wrote(path);
    outln!("wrote {} ({}x{})", path.display(), img.width, img.height);
    Ok(())
}

/// A usage error in one line: clap's message (which names the flag and what it takes)
/// and its tip, without the usage block and the pointer to --help.
fn usage_line(e: &clap::Error) -> String {
    let text = e.render().to_string();
    let parts: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| {
            !l.is_empty() && !l.starts_with("Usage:") && !l.starts_with("For more information")
        })
        .map(|l| l.strip_prefix("error: ").unwrap_or(l))
        .collect();
    let line = parts.join("; ");
    if line.is_empty() {
        "this command line cannot be read: see --help".into()
    } else {
        line
    }
}

/// Parses the command line, runs the command, and turns an error into one line on
/// stderr and exit code 1.
pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => e.exit(), // --help, --version
        Err(e) => {
            errln!("error: {}", usage_line(&e));
            return ExitCode::from(2);
        }
    };
    guard::FORCE.store(cli.force, std::sync::atomic::Ordering::Relaxed);
    let result = match cli.command {
        Command::Render(a) => render::run(a),
        Command::Gallery(a) => gallery::run(a),
        Command::Info(a) => info::run(a),
        Command::Convert(a) => convert::run(a),
        Command::Sweep(a) => sweep::run(a),
        Command::Train(a) => train::run(a),
        Command::Measure(a) => measure::run(a),
        Command::Session(a) => session::run_session(a),
        Command::Breed(a) => session::run_breed(a),
        Command::Animate(a) => animate::run(a),
        Command::Open(a) => return crate::app::run(Some(a.file)),
        Command::Experiment(a) => experiment::run(a),
        Command::Library(a) => library::run(a),
        Command::Search(a) => search::run(a),
        Command::Archive(a) => archive::run(a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            guard::remove_written();
            // One line, ripgrep style: what failed, then why, joined by ": ".
            let line: Vec<&str> = e.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
            errln!("error: {}", line.join(": "));
            ExitCode::FAILURE
        }
    }
}
