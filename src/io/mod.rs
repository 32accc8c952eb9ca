//! Files: the native JSON formats, Picbreeder XML (plain or zipped), the paper's network
//! JSON, and PNG. Every error names the file and the problem; every write is atomic.

pub mod atomic;
pub mod detect;
pub mod export;
pub mod json;
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
    #[error("{0}")]
    Unknown(String),
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
