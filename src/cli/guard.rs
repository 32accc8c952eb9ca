//! Outputs that cannot hurt what is there: a command refuses to write over one of its
//! own inputs (`render g.zip -o g.zip` used to turn the genome into a picture), and
//! over an existing file of another kind than it writes (a session, a genome, a net...)
//! unless `--force` was given. Writing a PNG over a PNG, or a session over a session,
//! goes on as before.

use picbreeder::io::kind::{Kind, sniff_file};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

/// Set by `--force` (a flag every command takes).
pub static FORCE: AtomicBool = AtomicBool::new(false);

/// What a command writes to an output, for the kind check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputKind {
    Png,
    Gif,
    Genome,
    Net,
    Session,
    Scorecard,
    /// Text of no kind this program reads back (CSV, SVG, Markdown).
    Text,
}

impl OutputKind {
    /// A figure: SVG text when the name ends in .svg, else PNG.
    pub fn picture(path: &Path) -> OutputKind {
        if extension_is(path, "svg") {
            OutputKind::Text
        } else {
            OutputKind::Png
        }
    }

    /// A child written as a picture (.png) or a genome file.
    pub fn picture_or_genome(path: &Path) -> OutputKind {
        if extension_is(path, "png") {
            OutputKind::Png
        } else {
            OutputKind::Genome
        }
    }

    /// Whether an existing file of `kind` may be replaced by this without `--force`.
    fn replaces(self, kind: &Kind) -> bool {
        matches!(
            (self, kind),
            (OutputKind::Png, Kind::Png)
                | (OutputKind::Gif, Kind::Gif)
                | (OutputKind::Genome, Kind::Genome)
                | (OutputKind::Net, Kind::Net)
                | (OutputKind::Session, Kind::Session)
                | (OutputKind::Scorecard, Kind::Scorecard)
                | (OutputKind::Text, Kind::Unrecognised)
        )
    }
}

/// `Ok` if `output` may be written: it is none of `inputs` (the same file by any path,
/// links included), and it does not exist, is empty, or holds what `writes` writes (or
/// `--force` was given).
pub fn output(output: &Path, inputs: &[&Path], writes: OutputKind) -> Result<(), String> {
    let shown = output.display();
    if inputs.iter().any(|i| same_file(i, output)) {
        return Err(format!(
            "{shown} is also an input of this command: write to another file"
        ));
    }
    let Ok(meta) = std::fs::metadata(output) else {
        return Ok(()); // nothing there yet (or unreadable: the write will say so)
    };
    if !meta.is_file() || meta.len() == 0 || FORCE.load(Ordering::Relaxed) {
        return Ok(()); // directories and devices are refused by the write itself
    }
    match sniff_file(output) {
        Ok(kind) if !writes.replaces(&kind) => Err(format!(
            "{shown} is {}, not what this command writes: give --force to replace it",
            kind.name()
        )),
        _ => Ok(()),
    }
}

fn extension_is(path: &Path, ext: &str) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

/// Whether two paths name one file (device and inode on Unix; the canonical path
/// elsewhere). False when either does not exist.
fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (std::fs::metadata(a), std::fs::metadata(b)) {
            (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        match (a.canonicalize(), b.canonicalize()) {
            (Ok(x), Ok(y)) => x == y,
            _ => false,
        }
    }
}
