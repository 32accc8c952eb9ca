//! Files: the native JSON formats, Picbreeder XML (plain or zipped), the paper's network
//! JSON, and PNG. Every error names the file and the problem; every write is atomic.

pub mod atomic;
pub mod cppnx;
pub mod deflate;
pub mod detect;
pub mod export;
pub mod gif;
pub mod json;
pub mod kind;
pub mod png;
pub mod xml;

use crate::cppn::genome::GenomeError;
use std::path::{Path, PathBuf};

pub use atomic::{clean_stale, write_atomic, write_atomic_with};
pub use detect::{Loaded, load_any, parse_any};

/// What is wrong with a file's content (or reading it).
#[derive(Debug, thiserror::Error)]
pub enum Problem {
    #[error("cannot read it: {0}")]
    Read(std::io::Error),
    #[error("cannot write it: {0}")]
    Write(std::io::Error),
    #[error("not valid JSON: {0}")]
    Json(serde_json::Error),
    #[error("not valid Picbreeder XML: {0}")]
    Xml(String),
    #[error("not a readable zip: {0}")]
    Zip(String),
    #[error("invalid genome: {0}")]
    Genome(#[from] GenomeError),
    #[error("invalid network: {0}")]
    Net(String),
    #[error("not a readable PNG: {0}")]
    Png(String),
    #[error("not a readable GIF: {0}")]
    Gif(String),
    /// Not a format this program reads (or none it can tell).
    #[error("{0}")]
    WrongFormat(String),
    #[error("{format} version {version} is newer than this program reads (up to {newest})")]
    NewerVersion {
        format: String,
        version: u64,
        newest: u64,
    },
    /// A file of ours, but not the kind this command takes.
    #[error("this is {}, not {wanted}: {}", found.name(), found.taken_by())]
    WrongKind {
        found: kind::Kind,
        wanted: &'static str,
    },
    #[error("inconsistent session: {0}")]
    InconsistentSession(String),
    /// A setting out of its range, the field named.
    #[error("setting '{field}' is {value}: {allowed}")]
    BadSetting {
        field: &'static str,
        value: String,
        allowed: String,
    },
    #[error("no starter named '{name}' (known: {known})")]
    UnknownStarter { name: String, known: String },
    /// Encoding a picture or animation failed, or its parts did not fit.
    #[error("{0}")]
    Encode(String),
    /// A write refused to protect what is at the path (not a regular file, a symlink
    /// loop).
    #[error("{0}")]
    Refused(String),
    #[error("cancelled")]
    Cancelled,
}

/// A [`Problem`] with the file it happened in.
#[derive(Debug, thiserror::Error)]
#[error("{}: {problem}", path.display())]
pub struct FileError {
    pub path: PathBuf,
    pub problem: Problem,
}

impl Problem {
    pub fn at(self, path: &Path) -> FileError {
        FileError {
            path: path.to_path_buf(),
            problem: self,
        }
    }
}

/// Reads a whole file, naming it on failure.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, FileError> {
    std::fs::read(path).map_err(|e| Problem::Read(e).at(path))
}

/// Reads a whole regular file of at most `limit` bytes, naming it on failure. Anything
/// else is refused before it is opened: a FIFO would block the read forever, and a
/// link to a device such as /dev/zero would never end.
pub fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, FileError> {
    use std::io::Read;
    let refused = |why: String| Problem::WrongFormat(why).at(path);
    let meta = std::fs::metadata(path).map_err(|e| Problem::Read(e).at(path))?;
    if !meta.is_file() {
        return Err(refused(
            "not a regular file (a pipe, device or folder)".into(),
        ));
    }
    if meta.len() > limit {
        return Err(refused(format!(
            "{} bytes, more than the {limit} this file may have",
            meta.len()
        )));
    }
    let file = std::fs::File::open(path).map_err(|e| Problem::Read(e).at(path))?;
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Problem::Read(e).at(path))?;
    if bytes.len() as u64 > limit {
        return Err(refused(format!(
            "grew past the {limit} bytes this file may have"
        )));
    }
    Ok(bytes)
}
