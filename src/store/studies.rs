//! Experiment studies run in the window, kept with their session: one row per study
//! (the viewed child it ran on, and its finished jobs as the experiment module's JSON),
//! rewritten as each job finishes, so a cancelled or interrupted study keeps what it
//! finished. The store does not read the jobs: the layer that made them does.

use super::{SessionId, Store, StoreError, now};
use crate::breed::GenerationId;
use rusqlite::{OptionalExtension, params};

/// A study as stored.
#[derive(Clone, Debug, PartialEq)]
pub struct Study {
    /// When it started (milliseconds since 1970): its key within the session.
    pub started: i64,
    pub generation: GenerationId,
    /// The child studied (0-based).
    pub child: usize,
    /// Its finished jobs: a JSON array.
    pub jobs: String,
    pub updated: i64,
}

impl Store {
    /// Stores the study of `session` that started at `started` (milliseconds since
    /// 1970, the window's key for it): a new row the first time, rewritten after.
    pub fn save_study(
        &mut self,
        session: SessionId,
        started: i64,
        (generation, child): (GenerationId, usize),
        jobs: &str,
    ) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT INTO studies(session, started, generation, child, jobs, updated)
                 VALUES(?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT(session, started) DO UPDATE SET jobs=excluded.jobs,
                 updated=excluded.updated",
                params![
                    session,
                    started,
                    generation.0 as i64,
                    child as i64,
                    jobs,
                    now()
                ],
            )
            .map_err(|e| self.db(e))?;
        Ok(())
    }

    /// The session's newest study, if it has one.
    pub fn latest_study(&self, session: SessionId) -> Result<Option<Study>, StoreError> {
        self.conn
            .query_row(
                "SELECT started, generation, child, jobs, updated FROM studies
                 WHERE session=?1 ORDER BY started DESC LIMIT 1",
                [session],
                |r| {
                    Ok(Study {
                        started: r.get(0)?,
                        generation: GenerationId(r.get::<_, i64>(1)? as usize),
                        child: r.get::<_, i64>(2)? as usize,
                        jobs: r.get(3)?,
                        updated: r.get(4)?,
                    })
                },
            )
            .optional()
            .map_err(|e| self.db(e))
    }
}

#[cfg(test)]
mod tests {
    use super::super::LIBRARY_FILE;
    use super::*;
    use crate::breed::Session;

    #[test]
    fn a_study_is_kept_with_its_session_and_rewritten_as_jobs_finish() {
        let dir = std::env::temp_dir().join(format!("pb-store-studies-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(LIBRARY_FILE);
        let mut store = Store::open(&path).unwrap();
        let a = store.create_session("a", &Session::new(1)).unwrap();
        let b = store.create_session("b", &Session::new(2)).unwrap();
        assert_eq!(store.latest_study(a).unwrap(), None);
        store
            .save_study(a, 100, (GenerationId(0), 3), "[1]")
            .unwrap();
        store
            .save_study(a, 100, (GenerationId(0), 3), "[1,2]")
            .unwrap();
        store
            .save_study(b, 100, (GenerationId(0), 1), "[9]")
            .unwrap();
        let back = Store::open(&path).unwrap();
        let s = back.latest_study(a).unwrap().unwrap();
        assert_eq!(
            (s.started, s.generation, s.child, s.jobs.as_str()),
            (100, GenerationId(0), 3, "[1,2]")
        );
        // Another session's study does not show in this one; the newer study wins.
        assert_eq!(back.latest_study(b).unwrap().unwrap().jobs, "[9]");
        store.save_study(a, 50, (GenerationId(0), 2), "[]").unwrap();
        assert_eq!(store.latest_study(a).unwrap().unwrap().started, 100);
        store
            .save_study(a, 200, (GenerationId(0), 2), "[]")
            .unwrap();
        assert_eq!(store.latest_study(a).unwrap().unwrap().child, 2);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
