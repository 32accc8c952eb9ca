//! The window's autosave: each new generation is inserted into the library (the SQLite
//! store in the saves folder) on a thread of its own, so a frame never waits on the
//! database. The UI hands over a copy of what changed since the last save
//! ([`Changes`]: the new generations and a few marks, not the session, which runs to
//! hundreds of megabytes after 1,000 generations); after a failed save, the whole
//! session, so nothing is skipped ([`Store::save`] writes what the library lacks). Starting a session over makes a new session in
//! the library; the old one stays there.

use picbreeder::breed::{GenerationId, Session};
use picbreeder::store::{
    CHECKPOINT_EVERY, Changes, LEASE_RENEW, LIBRARY_FILE, SessionId, Store, StoreError, Study,
    TwinRecord,
};
use std::cell::Cell;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use super::worker::Wake;
use super::writer::{Arrival, OrderedWriter};
use std::time::{Duration, Instant};

/// How long the writer waits without a save before it checkpoints the library, once
/// [`CHECKPOINT_EVERY`] saves wait ([`Store::defer_checkpoints`]).
const CHECKPOINT_IDLE: Duration = Duration::from_millis(500);

enum LibraryJob {
    /// Save what changed in the session being written.
    Save(Box<Changes>),
    /// Save what the library lacks of the whole session (after a failure).
    Full(Box<Session>),
    /// From now on write to a new library session holding this one.
    Create(String, Box<Session>),
    /// From now on write to this library session (resumed from the library), once its
    /// lease is taken.
    Switch(SessionId),
    /// Write to no session (one is browsed read only): its lease is given back.
    Detach,
    /// Session `id`'s first pictures were shown: its resume mark goes.
    Shown(SessionId),
    /// Keep an experiment study with the session: its start (key), the generation and
    /// child it ran on, its finished jobs as JSON.
    Study(i64, (GenerationId, usize), String),
    /// Keep the SGD twin's newest state with the session (what is new since its last
    /// save).
    Twin(Box<TwinRecord>),
    /// Forget the twin whose run started then (discarded).
    ForgetTwin(i64),
}

/// What the thread reports back.
pub enum LibraryReport {
    /// A new library session was made (the window writes to it from now on).
    Created(SessionId),
    /// A save or a create failed: nothing since the last good save is in the library.
    Failed(String),
    /// A save went through after earlier ones failed: all is in the library again.
    Recovered,
    /// The session switched to is written by another window or process (named): it is
    /// not written from here.
    Leased(SessionId, String),
}

pub struct LibrarySaver {
    writer: OrderedWriter<LibraryJob, LibraryReport>,
    /// The last save failed: the next one sends the whole session.
    failing: Arc<AtomicBool>,
    /// Generations handed over so far (the next changes start there).
    sent: Cell<usize>,
}

impl LibrarySaver {
    /// Writes into `store`, to session `id` (which holds `len` generations; its lease
    /// held by `store`) until told to make a new one; `None`: to no session yet. Renews
    /// the store's leases every [`LEASE_RENEW`] and gives them back when finished.
    /// `wake` asks for a repaint when a batch of writes is done (its reports shown).
    pub fn new(mut store: Store, id: Option<SessionId>, len: usize, wake: Wake) -> LibrarySaver {
        let failing_flag = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&failing_flag);
        let writer = OrderedWriter::spawn("library", wake, move |inbox| {
            let mut id = id;
            let mut failing = false;
            // Checkpoints wait until [`CHECKPOINT_EVERY`] saves are in the journal and
            // then no save has come for a moment (between generations), off the saves'
            // way; an error there loses nothing (the journal keeps the work) and the one
            // after the next save tries again.
            let deferred = store.defer_checkpoints().is_ok();
            let mut due = false;
            let mut renewed = Instant::now();
            inbox.serve(Some(LEASE_RENEW), move |next, done_tx| {
                match next {
                    Arrival::Idle => {
                        if due {
                            let _ = store.checkpoint();
                            due = false;
                        }
                        if renewed.elapsed() >= LEASE_RENEW {
                            renewed = Instant::now();
                            if let Err(e) = store.renew_leases() {
                                failing = true;
                                flag.store(true, Ordering::SeqCst);
                                let _ = done_tx.send(LibraryReport::Failed(e.to_string()));
                            }
                        }
                    }
                    Arrival::Jobs(jobs) => {
                        for job in jobs {
                            let result = match (job, id) {
                                (LibraryJob::Save(c), Some(id)) => store.save_changes(id, &c),
                                (LibraryJob::Full(s), Some(id)) => store.save(id, &s),
                                (LibraryJob::Create(name, s), old) => {
                                    store.create_session(&name, &s).map(|new| {
                                        id = Some(new);
                                        if let Some(old) = old {
                                            let _ = store.release(old);
                                        }
                                        let _ = done_tx.send(LibraryReport::Created(new));
                                    })
                                }
                                (LibraryJob::Switch(to), old) => {
                                    if let Some(old) = old.filter(|&o| o != to) {
                                        let _ = store.release(old);
                                    }
                                    id = None;
                                    match store.lease(to) {
                                        Ok(()) => {
                                            id = Some(to);
                                            Ok(())
                                        }
                                        Err(StoreError::Leased { id, holder, .. }) => {
                                            let _ = done_tx.send(LibraryReport::Leased(id, holder));
                                            Ok(())
                                        }
                                        Err(e) => Err(e),
                                    }
                                }
                                (LibraryJob::Shown(shown), _) => store.clear_resuming(shown),
                                (LibraryJob::Detach, old) => {
                                    id = None;
                                    old.map_or(Ok(()), |old| store.release(old))
                                }
                                (LibraryJob::Study(started, at, jobs), Some(id)) => {
                                    store.save_study(id, started, at, &jobs)
                                }
                                (LibraryJob::Twin(t), Some(id)) => store.save_twin(id, &t),
                                (LibraryJob::ForgetTwin(started), Some(id)) => {
                                    store.delete_twin(id, started)
                                }
                                // Nothing is written while no session is ours.
                                (LibraryJob::Save(_) | LibraryJob::Full(_), None)
                                | (LibraryJob::Study(..), None)
                                | (LibraryJob::Twin(_) | LibraryJob::ForgetTwin(_), None) => Ok(()),
                            };
                            match result {
                                Ok(()) if failing => {
                                    failing = false;
                                    flag.store(false, Ordering::SeqCst);
                                    let _ = done_tx.send(LibraryReport::Recovered);
                                }
                                Ok(()) => {}
                                Err(e) => {
                                    failing = true;
                                    flag.store(true, Ordering::SeqCst);
                                    let _ = done_tx.send(LibraryReport::Failed(e.to_string()));
                                }
                            }
                        }
                        due = deferred && store.unchecked() >= CHECKPOINT_EVERY;
                    }
                }
                Some(if due { CHECKPOINT_IDLE } else { LEASE_RENEW })
            });
        });
        LibrarySaver {
            writer,
            failing: failing_flag,
            sent: Cell::new(len),
        }
    }

    /// Queues a save of what changed in `session` (all of it after a failed save);
    /// `jumped`: the user jumped to another branch of its tree.
    pub fn save(&self, session: &Session, jumped: bool) {
        if self.failing.load(Ordering::SeqCst) {
            self.send(LibraryJob::Full(Box::new(session.clone())));
        } else {
            let changes = Changes::since(session, self.sent.get(), jumped);
            self.send(LibraryJob::Save(Box::new(changes)));
        }
        self.sent.set(session.generations().len());
    }

    /// Queues a new library session holding `session`; later saves go to it.
    pub fn create(&self, name: &str, session: &Session) {
        self.send(LibraryJob::Create(
            name.to_string(),
            Box::new(session.clone()),
        ));
        self.sent.set(session.generations().len());
    }

    /// Later saves go to library session `id`, read back as `session` (resumed), once
    /// its lease is taken ([`LibraryReport::Leased`] if another holds it).
    pub fn switch(&self, id: SessionId, session: &Session) {
        self.send(LibraryJob::Switch(id));
        self.sent.set(session.generations().len());
    }

    /// Later saves go nowhere (a session browsed read only); the lease is given back.
    pub fn detach(&self) {
        self.send(LibraryJob::Detach);
    }

    /// Session `id`'s first pictures were shown: its resume mark goes.
    pub fn shown(&self, id: SessionId) {
        self.send(LibraryJob::Shown(id));
    }

    /// Queues keeping an experiment study with the session being written (rewritten
    /// each time more of its jobs finish: `started` is its key).
    pub fn save_study(&self, started: i64, at: (GenerationId, usize), jobs: String) {
        self.send(LibraryJob::Study(started, at, jobs));
    }

    /// Queues keeping the SGD twin with the session being written: its row rewritten,
    /// the curve points and snapshots it carries added.
    pub fn save_twin(&self, twin: TwinRecord) {
        self.send(LibraryJob::Twin(Box::new(twin)));
    }

    /// Queues forgetting the twin whose run started at `started`.
    pub fn forget_twin(&self, started: i64) {
        self.send(LibraryJob::ForgetTwin(started));
    }

    fn send(&self, job: LibraryJob) {
        self.writer.send(job);
    }

    /// Reports since the last call.
    pub fn reports(&self) -> impl Iterator<Item = LibraryReport> + '_ {
        self.writer.reports()
    }

    pub fn busy(&self) -> bool {
        self.writer.busy()
    }

    /// Waits until every queued save is in the library; later saves are not taken.
    pub fn finish(&mut self) {
        self.writer.finish();
    }
}

/// What [`open`] found in a saves folder.
pub struct LibraryOpened {
    pub store: Store,
    pub id: SessionId,
    pub session: Session,
    /// The session was in the library (not `fresh`).
    pub restored: bool,
    /// Something to tell the user (an old autosave that could not be imported).
    pub problem: Option<String>,
    /// The session's newest experiment study, to show again.
    pub study: Option<Study>,
    /// The session's newest SGD twin, to show again beside its genome.
    pub twin: Option<TwinRecord>,
    /// The session is written by another window or process (named): it was read to
    /// browse, its lease not taken.
    pub leased: Option<String>,
    /// The last session, not resumed: its resume last time never showed its first
    /// pictures (a new session was started; the window asks).
    pub unfinished: Option<SessionId>,
}

/// Opens the library of `dir` and the session to continue: the most recently changed
/// one (the old `autosave.json` is imported the first time and kept), or `fresh` as a
/// new one. An old autosave that cannot be read is left as it is and reported.
/// `preview` gets the session's current generation (number, genomes) before the whole
/// session is read.
pub fn open(
    dir: &std::path::Path,
    fresh: impl FnOnce() -> Session,
    preview: impl FnOnce(usize, Vec<picbreeder::cppn::Genome>),
    budget: u64,
) -> Result<LibraryOpened, String> {
    let (mut store, mut problem) = match Store::open_folder(dir) {
        Ok((store, _)) => (store, None),
        Err(e) => {
            let store = Store::open(&dir.join(LIBRARY_FILE)).map_err(|e| e.to_string())?;
            (store, Some(format!("{e} (the file is left as it is)")))
        }
    };
    let last = store.sessions().map_err(|e| e.to_string())?;
    let mut unfinished = None;
    if let Some(info) = last.first()
        && store.resuming(info.id).map_err(|e| e.to_string())?
    {
        // Resuming it last time never got as far as its pictures: not again unasked.
        unfinished = Some(info.id);
    } else if let Some(info) = last.first()
        && let Err(e) = store.session_within(info.id, budget)
    {
        // Too big to show here: not read at all; a new session starts.
        problem = Some(e.to_string());
    } else if let Some(info) = last.first() {
        store.mark_resuming(info.id).map_err(|e| e.to_string())?;
        if let Ok((number, genomes)) = store.current_genomes(info.id) {
            preview(number, genomes);
        }
        // Leased before it is read: what is read is what this window writes on.
        let leased = match store.lease(info.id) {
            Ok(()) => None,
            Err(StoreError::Leased { holder, .. }) => Some(holder),
            Err(e) => return Err(e.to_string()),
        };
        match store.load_session(info.id) {
            Ok(session) => {
                // A study that cannot be read costs only itself.
                let study = store.latest_study(info.id).ok().flatten();
                let twin = store.latest_twin(info.id).ok().flatten();
                return Ok(LibraryOpened {
                    store,
                    id: info.id,
                    session,
                    restored: true,
                    problem,
                    study,
                    twin,
                    leased,
                    unfinished: None,
                });
            }
            // A damaged session stays in the library as it is; a new one starts.
            Err(e) => {
                let _ = store.release(info.id);
                problem = Some(e.to_string());
            }
        }
    }
    let session = fresh();
    let id = store
        .create_session("Session", &session)
        .map_err(|e| e.to_string())?;
    Ok(LibraryOpened {
        store,
        id,
        session,
        restored: false,
        problem,
        study: None,
        twin: None,
        leased: None,
        unfinished,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use picbreeder::budget::MEMORY_BUDGET;

    fn scratch(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("pb-libsaver-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn saves_and_new_sessions_reach_the_library() {
        let dir = scratch("saves");
        let o = open(&dir, || Session::new(3), |_, _| {}, MEMORY_BUDGET).unwrap();
        assert!(!o.restored);
        let (id, mut s) = (o.id, o.session);
        let mut saver =
            LibrarySaver::new(o.store, Some(id), s.generations().len(), Arc::new(|| {}));
        for k in 0..3 {
            s.set_parent(k, true);
            s.evolve().unwrap();
            saver.save(&s, false);
        }
        // A study is rewritten as its jobs finish: the last one stands.
        saver.save_study(7, (GenerationId(2), 1), "[]".into());
        saver.save_study(7, (GenerationId(2), 1), "[1]".into());
        let other = Session::new(4);
        saver.create("Other", &other);
        saver.finish();
        let created: Vec<SessionId> = saver
            .reports()
            .filter_map(|r| match r {
                LibraryReport::Created(id) => Some(id),
                _ => None,
            })
            .collect();
        assert_eq!(created.len(), 1);
        let o = open(&dir, || Session::new(5), |_, _| {}, MEMORY_BUDGET).unwrap();
        assert!(o.restored);
        let (store, again, back) = (o.store, o.id, o.session);
        let infos = store.sessions().unwrap();
        assert_eq!(infos.len(), 2, "the old session stays");
        let first = store.load_session(id).unwrap();
        assert!(first == s, "read back equal");
        assert_eq!(back.seed(), 4, "the newest session is continued");
        assert_eq!(again, created[0]);
        assert!(o.study.is_none(), "the new session has no study");
        let study = store.latest_study(id).unwrap().unwrap();
        assert_eq!(
            (study.started, study.child, study.jobs.as_str()),
            (7, 1, "[1]")
        );
        let _ = std::fs::remove_dir_all(dir);
    }

    /// The writer checkpoints once enough saves wait and no save has come for a moment:
    /// the saves reach the database file (not only its journal) while the window is
    /// still open.
    #[test]
    fn the_writer_checkpoints_when_idle() {
        let dir = scratch("idle");
        let o = open(&dir, || Session::new(3), |_, _| {}, MEMORY_BUDGET).unwrap();
        let file = dir.join(LIBRARY_FILE);
        let bytes = || std::fs::read(&file).unwrap();
        let (id, mut s) = (o.id, o.session);
        let mut store = o.store;
        store.checkpoint().unwrap();
        let before = bytes();
        let mut saver = LibrarySaver::new(store, Some(id), s.generations().len(), Arc::new(|| {}));
        let mut save = |n: usize| {
            for k in 0..n {
                s.set_parent(k % 15, true);
                s.evolve().unwrap();
                saver.save(&s, false);
            }
            while saver.busy() {
                std::thread::sleep(Duration::from_millis(10));
            }
        };
        // Fewer saves than a checkpoint waits for: none comes.
        save(CHECKPOINT_EVERY - 1);
        std::thread::sleep(CHECKPOINT_IDLE * 2);
        assert!(bytes() == before, "checkpointed with too few saves waiting");
        save(1);
        let waited = std::time::Instant::now();
        while bytes() == before && waited.elapsed() < Duration::from_secs(10) {
            std::thread::sleep(Duration::from_millis(50));
        }
        assert!(
            bytes() != before,
            "no checkpoint after {:?}",
            waited.elapsed()
        );
        assert!(
            waited.elapsed() >= CHECKPOINT_IDLE / 2,
            "checkpointed before the writer was idle"
        );
        saver.finish();
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn a_failing_library_is_reported() {
        let dir = scratch("fail");
        let o = open(&dir, || Session::new(3), |_, _| {}, MEMORY_BUDGET).unwrap();
        let mut saver = LibrarySaver::new(o.store, Some(o.id + 100), 1, Arc::new(|| {}));
        saver.save(&o.session, false);
        saver.finish();
        let failed: Vec<String> = saver
            .reports()
            .filter_map(|r| match r {
                LibraryReport::Failed(e) => Some(e),
                _ => None,
            })
            .collect();
        assert_eq!(failed.len(), 1);
        assert!(failed[0].contains("library"), "{}", failed[0]);
        let _ = std::fs::remove_dir_all(dir);
    }
}
