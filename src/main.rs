//! The `picbreeder` program: no arguments opens the window, `serve` runs the archive
//! server, anything else is the CLI.

mod app;
mod cli;
mod server;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if args.len() <= 1 {
        app::run(None)
    } else if args[1] == "serve" {
        // The server is a face of its own; it parses its own flags.
        server::run(args[1..].to_vec())
    } else {
        cli::run()
    }
}
