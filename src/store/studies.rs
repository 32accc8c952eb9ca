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
    pub id: i64,
    pub generation: GenerationId,
    /// The child studied (0-based).
    pub child: usize,
    /// Its finished jobs: a JSON array.
    pub jobs: String,
    pub updated: i64,
}

impl Store {
    /// Stores a study of `session`: a new row when `id` is `None`, else rewrites row
    /// `id`. Returns the row's number.
    pub fn save_study(
        &mut self,
        session: SessionId,
        id: Option<i64>,
        (generation, child): (GenerationId, usize),
        jobs: &str,
    ) -> Result<i64, StoreError> {
        let changed = match id {
            Some(id) => self
                .conn
                .execute(
                    "UPDATE studies SET jobs=?1, updated=?2 WHERE id=?3 AND session=?4",
                    params![jobs, now(), id, session],
                )
                .map_err(|e| self.db(e))?,
            None => 0,
        };
        if changed == 1 {
            return Ok(id.unwrap_or_default());
        }
        self.conn
            .execute(
                "INSERT INTO studies(session, generation, child, jobs, updated)
                 VALUES(?1, ?2, ?3, ?4, ?5)",
                params![session, generation.0 as i64, child as i64, jobs, now()],
            )
            .map_err(|e| self.db(e))?;
        Ok(self.conn.last_insert_rowid())
    }

    /// The session's newest study, if it has one.
    pub fn latest_study(&self, session: SessionId) -> Result<Option<Study>, StoreError> {
        self.conn
            .query_row(
                "SELECT id, generation, child, jobs, updated FROM studies
                 WHERE session=?1 ORDER BY updated DESC, id DESC LIMIT 1",
                [session],
                |r| {
                    Ok(Study {
                        id: r.get(0)?,
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
        let id = store
            .save_study(a, None, (GenerationId(0), 3), "[1]")
            .unwrap();
        assert_eq!(
            store
                .save_study(a, Some(id), (GenerationId(0), 3), "[1,2]")
                .unwrap(),
            id
        );
        // Another session's study does not show in this one; a row of another session
        // is never rewritten through this one.
        let other = store
            .save_study(b, Some(id), (GenerationId(0), 1), "[9]")
            .unwrap();
        assert_ne!(other, id);
        let back = Store::open(&path).unwrap();
        let s = back.latest_study(a).unwrap().unwrap();
        assert_eq!(
            (s.id, s.generation, s.child, s.jobs.as_str()),
            (id, GenerationId(0), 3, "[1,2]")
        );
        assert_eq!(back.latest_study(b).unwrap().unwrap().jobs, "[9]");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
