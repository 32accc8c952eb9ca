//! Writes files on a thread of its own: the UI only clones what is saved; turning it
//! into bytes and writing them never hold up a frame (a long session's JSON runs to
//! megabytes). Writes are atomic ([`write_atomic`]).

use picbreeder::io::write_atomic;
use std::path::PathBuf;

use super::worker::Wake;
use super::writer::{Arrival, OrderedWriter};

/// What a write was for: how its result is reported. (Autosave goes into the library:
/// `library_saver`.)
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SaveKind {
    Session,
    Genome,
}

/// A finished write: what it was, where, and the error if it failed.
pub struct Saved {
    pub kind: SaveKind,
    pub path: PathBuf,
    pub result: Result<(), String>,
}

struct SaveJob {
    kind: SaveKind,
    path: PathBuf,
    bytes: Box<dyn FnOnce() -> Vec<u8> + Send>,
}

pub struct Saver {
    writer: OrderedWriter<SaveJob, Saved>,
}

impl Saver {
    /// A writer thread; `wake` asks for a repaint when a write is done.
    pub fn new(wake: Wake) -> Saver {
        let writer = OrderedWriter::spawn("saver", wake, |inbox| {
            inbox.serve(None, |next, report| {
                if let Arrival::Jobs(jobs) = next {
                    for job in jobs {
                        let _ = report.send(write(job));
                    }
                }
                None
            })
        });
        Saver { writer }
    }

    /// Queues a write of what `bytes` makes to `path`.
    pub fn save(
        &self,
        kind: SaveKind,
        path: PathBuf,
        bytes: impl FnOnce() -> Vec<u8> + Send + 'static,
    ) {
        self.writer.send(SaveJob {
            kind,
            path,
            bytes: Box::new(bytes),
        });
    }

    /// Writes finished since the last call.
    pub fn finished(&self) -> impl Iterator<Item = Saved> + '_ {
        self.writer.reports()
    }

    pub fn busy(&self) -> bool {
        self.writer.busy()
    }

    /// Waits until every queued write is on disk; later writes are not taken.
    pub fn finish(&mut self) {
        self.writer.finish();
    }
}

fn write(job: SaveJob) -> Saved {
    let bytes = (job.bytes)();
    let path = job.path;
    let result = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or(Ok(()), std::fs::create_dir_all)
        .map_err(|e| format!("{}: cannot make the folder: {e}", path.display()))
        .and_then(|()| write_atomic(&path, &bytes).map_err(|e| e.to_string()));
    Saved {
        kind: job.kind,
        path,
        result,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("pb-saver-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn writes_report_in_order() {
        let dir = scratch("order");
        let mut saver = Saver::new(Arc::new(|| {}));
        // Hold the thread on a slow first job so the rest queue up behind it.
        let slow = dir.join("slow.json");
        saver.save(SaveKind::Session, slow.clone(), || {
            std::thread::sleep(std::time::Duration::from_millis(200));
            b"slow".to_vec()
        });
        let session = dir.join("session.json");
        saver.save(SaveKind::Session, session.clone(), || b"session".to_vec());
        let genome = dir.join("sub/genome.json");
        saver.save(SaveKind::Genome, genome.clone(), || b"genome".to_vec());
        assert!(saver.busy());
        saver.finish();
        assert!(!saver.busy());
        let written: Vec<_> = saver
            .finished()
            .map(|s| (s.kind, s.result.is_ok()))
            .collect();
        assert_eq!(
            written,
            [
                (SaveKind::Session, true),
                (SaveKind::Session, true),
                (SaveKind::Genome, true)
            ]
        );
        assert_eq!(std::fs::read_to_string(&session).unwrap(), "session");
        assert_eq!(std::fs::read_to_string(&genome).unwrap(), "genome");
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn a_failed_write_says_where() {
        let dir = scratch("fail");
        std::fs::create_dir_all(&dir).unwrap();
        // A folder where the file should go cannot be replaced by the file.
        let path = dir.join("taken");
        std::fs::create_dir_all(path.join("inside")).unwrap();
        let mut saver = Saver::new(Arc::new(|| {}));
        saver.save(SaveKind::Genome, path.clone(), || b"x".to_vec());
        saver.finish();
        let saved: Vec<Saved> = saver.finished().collect();
        let err = saved[0].result.as_ref().unwrap_err();
        assert!(err.contains("taken"), "{err}");
        let _ = std::fs::remove_dir_all(dir);
    }
}
