//! The egui face (placeholder until the breeding window lands).

use std::process::ExitCode;

pub fn run() -> ExitCode {
    eprintln!("The window is not built yet; see `picbreeder --help` for the command line.");
    ExitCode::SUCCESS
}
