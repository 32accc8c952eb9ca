//! The `picbreeder` program: no arguments opens the window, anything else is the CLI.

mod app;
mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    if std::env::args_os().len() <= 1 {
        app::run(None)
    } else {
        cli::run()
    }
}
