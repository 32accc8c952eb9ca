//! Atomic writes: a file is either the old one or the whole new one, never half. The
//! write goes to what a symlink points at (the link stays a link), a replaced file keeps
//! its permissions, and anything but a regular file (a device, a pipe, a folder) is
//! refused. Temporary files left by a killed process are removed on the next write to
//! the same folder ([`clean_stale`]).

use super::{FileError, Problem};
use std::io::Write;
use std::path::{Path, PathBuf};

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
    let target = resolve(path).map_err(|p| p.at(path))?;
    let old = match std::fs::metadata(&target) {
        Ok(m) if !m.is_file() => {
            return Err(Problem::Refused(
                "not a regular file (a device, pipe or folder): not replaced".into(),
            )
            .at(path));
        }
        Ok(m) => Some(m.permissions()),
        Err(_) => None,
    };
    let dir = folder(&target);
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    clean_stale(dir);
    // The process id for `clean_stale`, and a count so that two threads writing the
    // same file never share a temporary file.
    static WRITES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = WRITES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = dir.join(format!(".{name}.tmp-{}-{n}", std::process::id()));
    let result = (|| {
        let f = std::fs::File::create(&tmp).map_err(Problem::Write)?;
        if let Some(perms) = old {
            f.set_permissions(perms).map_err(Problem::Write)?;
        }
        let mut w = std::io::BufWriter::new(f);
        fill(&mut w)?;
        let f = w.into_inner().map_err(|e| Problem::Write(e.into_error()))?;
        f.sync_all().map_err(Problem::Write)?;
        std::fs::rename(&tmp, &target).map_err(Problem::Write)
    })();
    result.map_err(|p| {
        let _ = std::fs::remove_file(&tmp);
        p.at(path)
    })
}

fn folder(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

/// The file a write to `path` should replace: `path` itself, or what its symlinks lead
/// to (which need not exist yet).
fn resolve(path: &Path) -> Result<PathBuf, Problem> {
    let mut p = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let to = std::fs::read_link(&p).map_err(Problem::Write)?;
                p = folder(&p).join(to);
            }
            _ => return Ok(p),
        }
    }
    Err(Problem::Refused("too many levels of symbolic links".into()))
}

/// Removes the temporary files (`.NAME.tmp-PID-N`, or `.NAME.tmp-PID` of older
/// versions) in `dir` that processes no longer
/// running left behind. Files of running processes are left alone; where it cannot tell
/// (no `/proc`) it removes nothing.
pub fn clean_stale(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        let Some(pid) = name
            .strip_prefix('.')
            .and_then(|n| n.rsplit_once(".tmp-"))
            .and_then(|(_, rest)| rest.split('-').next()?.parse::<u32>().ok())
        else {
            continue;
        };
        if pid != std::process::id() && !alive(pid) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

fn alive(pid: u32) -> bool {
    let proc = Path::new("/proc");
    !proc.join("self").exists() || proc.join(pid.to_string()).exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("pb-atomic-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn threads_writing_one_file_at_once_each_write_it_whole() {
        let dir = temp("threads");
        let p = dir.join("same.txt");
        let texts: Vec<String> = (0..4).map(|t| format!("{t}").repeat(10_000)).collect();
        std::thread::scope(|s| {
            for text in &texts {
                let p = &p;
                s.spawn(move || {
                    for _ in 0..20 {
                        write_atomic(p, text.as_bytes()).unwrap();
                    }
                });
            }
        });
        let got = std::fs::read_to_string(&p).unwrap();
        assert!(texts.contains(&got), "one whole write");
        assert_eq!(
            std::fs::read_dir(&dir).unwrap().count(),
            1,
            "no temporary left"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn replaces_whole_file_and_leaves_no_temp() {
        let dir = temp("whole");
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

    #[cfg(unix)]
    #[test]
    fn keeps_permissions_and_symlinks_refuses_devices() {
        use std::os::unix::fs::PermissionsExt;
        let dir = temp("kinds");
        let p = dir.join("secret.txt");
        std::fs::write(&p, b"old").unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)).unwrap();
        write_atomic(&p, b"new").unwrap();
        let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let link = dir.join("link.txt");
        std::os::unix::fs::symlink("secret.txt", &link).unwrap();
        write_atomic(&link, b"through").unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read(&p).unwrap(), b"through");
        let err = write_atomic(Path::new("/dev/null"), b"x").unwrap_err();
        assert!(err.to_string().contains("not a regular file"), "{err}");
        let err = write_atomic(&dir, b"x").unwrap_err();
        assert!(err.to_string().contains("not a regular file"), "{err}");
    }

    #[test]
    fn stale_temp_files_of_dead_processes_are_removed() {
        let dir = temp("stale");
        // No process has pid 4,000,000,000 (Linux's limit is 2^22).
        let dead = dir.join(".a.png.tmp-4000000000");
        let mine = dir.join(format!(".b.png.tmp-{}", std::process::id()));
        std::fs::write(&dead, b"partial").unwrap();
        std::fs::write(&mine, b"partial").unwrap();
        write_atomic(&dir.join("c.txt"), b"x").unwrap();
        if Path::new("/proc/self").exists() {
            assert!(!dead.exists());
        }
        assert!(mine.exists());
    }
}
