//! Shared by the integration tests: where the paper's files are.

use std::path::PathBuf;

/// A file of `../shared/picbreeder` (or `$PICBREEDER_SHARED`), or `None` with a loud
/// note when it is missing (a user's fresh clone has no ../shared).
#[allow(dead_code)] // not every test file reads the paper's files
pub fn shared(file: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("PICBREEDER_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/picbreeder"));
    let p = dir.join(file);
    if p.exists() {
        Some(p)
    } else {
        eprintln!(
            "\n*** SKIPPED: {} is missing; these tests need ../shared/picbreeder ***\n",
            p.display()
        );
        None
    }
}

/// Runs this build's `picbreeder` with `args` and waits for it.
#[allow(dead_code)] // not every test file runs the binary
pub fn picbreeder(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_picbreeder"))
        .args(args)
        .output()
        .expect("the binary runs")
}
