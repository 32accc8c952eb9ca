//! The command-line face: one file per command, each a clap `Args` and a `run`.

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
}

#[derive(Subcommand)]
enum Command {}

/// Parses the command line, runs the command, and turns an error into one line on
/// stderr and exit code 1.
#[allow(unreachable_code, unused_variables)] // `Command` has no variants yet
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let result: Result<(), String> = match cli.command {};
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
