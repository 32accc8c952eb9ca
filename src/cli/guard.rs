//! Outputs that cannot hurt what is there: a command refuses to write over one of its
//! own inputs (`render g.zip -o g.zip` used to turn the genome into a picture), and
//! over an existing file of another kind than it writes (a session, a genome, a net...)
//! unless `--force` was given. Writing a PNG over a PNG, or a session over a session,
//! goes on as before. Side outputs (sheets, stills, curves, plots, CSVs) are checked
//! with the main one, before anything is written, and no two may be one file; a
//! command that fails removes the files it made ([`wrote`], [`remove_written`]).

use picbreeder::io::kind::{Kind, sniff_file};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
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
    lock(&EXISTED).push(output.to_path_buf());
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

/// Every output of one command, checked together before anything is written: each as
/// [`output`], and no two the same file by any name (`train -o n.json --curve n.json`
/// wrote the curve over the network).
pub fn outputs(outputs: &[(&Path, OutputKind)], inputs: &[&Path]) -> Result<(), String> {
    for &(path, writes) in outputs {
        output(path, inputs, writes)?;
    }
    distinct(&outputs.iter().map(|o| o.0).collect::<Vec<_>>())
}

/// Refuses two outputs that are one file by any name.
pub fn distinct(outputs: &[&Path]) -> Result<(), String> {
    for (k, path) in outputs.iter().enumerate() {
        if let Some(other) = outputs[..k].iter().find(|o| one_target(o, path)) {
            return Err(format!(
                "{} and {} are one file: give each output its own name",
                other.display(),
                path.display()
            ));
        }
    }
    Ok(())
}

/// The files this command has made so far, removed if it then fails (a failed command
/// leaves none of its outputs), unless it chose to [`keep_written`] them.
static WRITTEN: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Outputs that were there before the command: a failure never removes one (it may be
/// the session the command continued).
static EXISTED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn lock(list: &Mutex<Vec<PathBuf>>) -> std::sync::MutexGuard<'_, Vec<PathBuf>> {
    list.lock().unwrap_or_else(|e| e.into_inner())
}

/// Notes a file the command has just written.
pub fn wrote(path: &Path) {
    lock(&WRITTEN).push(path.to_path_buf());
}

/// Keeps what was written even though the command fails (a diverged or interrupted
/// training run keeps its last finite network, a collapsed one its loss curve).
pub fn keep_written() {
    lock(&WRITTEN).clear();
}

/// Removes the files a failed command made; names any it could not remove.
pub fn remove_written() {
    let existed = lock(&EXISTED).clone();
    for path in lock(&WRITTEN).drain(..) {
        if existed.iter().any(|e| e == &path) {
            continue;
        }
        if let Err(e) = std::fs::remove_file(&path) {
            errln!("note: could not remove {}: {e}", path.display());
        }
    }
}

/// Whether two outputs would land in one file: the same file now, or the same name in
/// the same folder (by its canonical path) when neither exists yet.
fn one_target(a: &Path, b: &Path) -> bool {
    if same_file(a, b) {
        return true;
    }
    match (a.exists(), b.exists()) {
        (false, false) => matches!(
            (canonical_target(a), canonical_target(b)),
            (Some(x), Some(y)) if x == y
        ),
        _ => false,
    }
}

/// A path not there yet, with its folder made canonical (`./x` and `x` agree).
fn canonical_target(path: &Path) -> Option<PathBuf> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    Some(dir.canonicalize().ok()?.join(path.file_name()?))
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
