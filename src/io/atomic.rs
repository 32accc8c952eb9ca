//! Atomic writes: a file is either the old one or the whole new one, never half.

use super::{FileError, Problem};
use std::io::Write;
use std::path::Path;

/// Writes `bytes` to a temporary file beside `path`, flushes it to disk, then renames it
/// over `path`. On any failure the temporary file is removed and `path` is untouched.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), FileError> {
    write_atomic_with(path, |f| f.write_all(bytes).map_err(Problem::Write))
}

/// As [`write_atomic`], with the content written by `fill` into the temporary file as
/// it goes (buffered), for a file too big to make in memory first. If `fill` fails the
/// temporary file is removed and `path` is untouched.
pub fn write_atomic_with(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> Result<(), Problem>,
) -> Result<(), FileError> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let f = std::fs::File::create(&tmp).map_err(Problem::Write)?;
        let mut w = std::io::BufWriter::new(f);
        fill(&mut w)?;
        let f = w.into_inner().map_err(|e| Problem::Write(e.into_error()))?;
        f.sync_all().map_err(Problem::Write)?;
        std::fs::rename(&tmp, path).map_err(Problem::Write)
    })();
    result.map_err(|p| {
        let _ = std::fs::remove_file(&tmp);
        p.at(path)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_whole_file_and_leaves_no_temp() {
        let dir = std::env::temp_dir().join(format!("pb-atomic-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("a.txt");
        write_atomic(&p, b"first").unwrap();
        write_atomic(&p, b"second").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"second");
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
        let bad = dir.join("missing-dir").join("b.txt");
        let err = write_atomic(&bad, b"x").unwrap_err();
        assert!(err.to_string().contains("b.txt"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
