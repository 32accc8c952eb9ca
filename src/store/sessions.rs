//! Sessions in the library: made, grown a generation at a time, listed, read back whole,
//! renamed, deleted (undoably) and purged.

use super::{SessionId, Store, StoreError, db_at, lease, now, parse_genome};
use crate::breed::genomes::Genomes;
use crate::breed::{Generation, GenerationId, Origin, Session, Settings, packed};
use crate::cppn::genome::Genome;
use crate::cppn::innovation::Innovations;
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::HashMap;

/// A line of the library's list of sessions.
#[derive(Clone, Debug, PartialEq)]
pub struct SessionInfo {
    pub id: SessionId,
    pub name: String,
    /// Seconds since 1970.
    pub created: i64,
    pub updated: i64,
    pub generations: usize,
    /// The current generation's depth + 1: the number the user sees.
    pub generation_number: usize,
    pub deleted: bool,
}

/// What changed in a session since generation `from` was saved: the generations made
/// since, and the marks (parents chosen, the child "forward" goes to) of the current
/// generation and the parents of the new ones (and, after a jump to another branch, of
/// the whole path to it). Without the jump its size does not grow with the session's
/// length, so the window copies this, not the whole session, each generation.
#[derive(Clone, Debug)]
pub struct Changes {
    pub from: usize,
    pub new: Vec<Generation>,
    pub marks: Vec<(GenerationId, Vec<usize>, Option<GenerationId>)>,
    pub settings: Settings,
    pub innovations: Innovations,
    pub current: GenerationId,
    pub len: usize,
}

impl Changes {
    /// The changes of `s` since its first `from` generations were saved; `jumped`: the
    /// user jumped to another branch (every ancestor's "forward" child changed).
    pub fn since(s: &Session, from: usize, jumped: bool) -> Changes {
        let new: Vec<Generation> = s.generations().iter().skip(from).cloned().collect();
        let cur = s.current();
        let mut ids: Vec<GenerationId> = new.iter().filter_map(|g| g.parent).collect();
        ids.push(cur.id);
        ids.extend(cur.parent);
        if jumped {
            ids.extend(s.path());
        }
        ids.sort();
        ids.dedup();
        let marks = ids
            .into_iter()
            .filter_map(|i| s.generation(i))
            .map(|g| (g.id, g.selected.clone(), g.last_child))
            .collect();
        Changes {
            from,
            new,
            marks,
            settings: s.settings().clone(),
            innovations: s.innovations().clone(),
            current: s.current_id(),
            len: s.generations().len(),
        }
    }
}

impl Store {
    /// Saves [`Changes`] of session `id`: inserts the generations the library does not
    /// have yet, updates the marks and where the user is. One transaction. Refused if
    /// the library lacks generations before `from` (an earlier save failed): then save
    /// the whole session with [`Store::save`].
    pub fn save_changes(&mut self, id: SessionId, c: &Changes) -> Result<(), StoreError> {
        let path = self.path.clone();
        let me = self.holder.clone();
        let tx = self.write()?;
        let r = (|| {
            let Some(stored) = stored_len(&tx, id)? else {
                return Ok(Err(Refused::NoSession));
            };
            if !lease::check(&tx, id, &me)? {
                return Ok(Err(Refused::NotLeased));
            }
            if stored < c.from {
                return Ok(Err(Refused::Bad(format!(
                    "session {id} has {stored} generations, the changes start at {}",
                    c.from
                ))));
            }
            if stored > c.len {
                return Ok(Err(Refused::Behind { stored, len: c.len }));
            }
            for g in c.new.iter().filter(|g| g.id.0 >= stored) {
                insert_generation(&tx, id, g)?;
            }
            for (g, selected, last_child) in &c.marks {
                tx.prepare_cached(
                    "UPDATE generations SET selected=?3, last_child=?4 WHERE session=?1 AND idx=?2",
                )?
                .execute(params![
                    id,
                    g.0 as i64,
                    to_json(selected),
                    last_child.map(|c| c.0 as i64)
                ])?;
            }
            tx.prepare_cached(
                "UPDATE sessions SET settings=?2, innovations=?3, current=?4, generations=?5,
                 updated=?6 WHERE id=?1",
            )?
            .execute(params![
                id,
                to_json(&c.settings),
                to_json(&c.innovations),
                c.current.0 as i64,
                c.len as i64,
                now()
            ])?;
            Ok(Ok(()))
        })();
        match r {
            Ok(Ok(())) => tx.commit().map_err(db_at(&path))?,
            Ok(Err(why)) => return Err(why.error(path, id)),
            Err(e) => return Err(db_at(&path)(e)),
        }
        self.committed()
    }

    /// Puts a whole session into the library as a new session (all its generations, in
    /// one transaction). Used for a fresh session, an imported file, a branch.
    /// The new session is leased to this library.
    pub fn create_session(&mut self, name: &str, s: &Session) -> Result<SessionId, StoreError> {
        let path = self.path.clone();
        let (me, timeout) = (self.holder.clone(), self.lease_timeout);
        let tx = self.write()?;
        let t = now();
        let id = (|| {
            tx.execute(
                "INSERT INTO sessions(name, created, updated, seed, settings, innovations, current, generations)
                 VALUES(?1, ?2, ?2, ?3, ?4, ?5, ?6, 0)",
                params![
                    name,
                    t,
                    s.seed() as i64,
                    to_json(s.settings()),
                    to_json(s.innovations()),
                    s.current_id().0 as i64
                ],
            )?;
            let id = tx.last_insert_rowid();
            // A lease left by a purged session of this number is taken over.
            tx.execute("DELETE FROM leases WHERE session=?1", [id])?;
            let _ = lease::take(&tx, id, &me, timeout)?;
            write_new(&tx, id, s, 0)?;
            Ok(id)
        })()
        .map_err(db_at(&path))?;
        tx.commit().map_err(db_at(&path))?;
        self.held.insert(id);
        Ok(id)
    }

    /// Saves what changed in session `id` since the last save: the generations made
    /// since (each one row, its genomes stored once), the parents chosen, where the user
    /// is. One transaction; its cost does not grow with the session's length.
    pub fn save(&mut self, id: SessionId, s: &Session) -> Result<(), StoreError> {
        let path = self.path.clone();
        let me = self.holder.clone();
        let tx = self.write()?;
        let r = (|| {
            let Some(stored) = stored_len(&tx, id)? else {
                return Ok(Err(Refused::NoSession));
            };
            if !lease::check(&tx, id, &me)? {
                return Ok(Err(Refused::NotLeased));
            }
            let len = s.generations().len();
            if stored > len {
                return Ok(Err(Refused::Behind { stored, len }));
            }
            write_new(&tx, id, s, stored)?;
            // The current generation's choice and memory of its child, and its parent's.
            let cur = s.current();
            update_marks(&tx, id, cur)?;
            if let Some(p) = cur.parent.and_then(|p| s.generation(p)) {
                update_marks(&tx, id, p)?;
            }
            Ok(Ok(()))
        })();
        match r {
            Ok(Ok(())) => tx.commit().map_err(db_at(&path))?,
            Ok(Err(why)) => return Err(why.error(path, id)),
            Err(e) => return Err(db_at(&path)(e)),
        }
        self.committed()
    }

    /// Saves where the user is after moving through the history (back, forward, a jump):
    /// the current generation and, along its path, which child "forward" goes to.
    pub fn save_position(&mut self, id: SessionId, s: &Session) -> Result<(), StoreError> {
        let path = self.path.clone();
        let me = self.holder.clone();
        let tx = self.write()?;
        let r = (|| {
            if !lease::check(&tx, id, &me)? {
                return Ok(Err(Refused::NotLeased));
            }
            for g in s.path() {
                update_marks(&tx, id, s.generation(g).expect("on the path"))?;
            }
            tx.execute(
                "UPDATE sessions SET current=?2, updated=?3 WHERE id=?1",
                params![id, s.current_id().0 as i64, now()],
            )?;
            Ok(Ok(()))
        })();
        match r {
            Ok(Ok(())) => tx.commit().map_err(db_at(&path)),
            Ok(Err(why)) => Err(why.error(path, id)),
            Err(e) => Err(db_at(&path)(e)),
        }
    }

    /// Reads session `id` back whole, checked as a session file is.
    pub fn load_session(&self, id: SessionId) -> Result<Session, StoreError> {
        let head = self
            .conn
            .query_row(
                "SELECT seed, settings, innovations, current FROM sessions WHERE id=?1",
                [id],
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, i64>(3)?,
                    ))
                },
            )
            .optional()
            .map_err(|e| self.db(e))?
            .ok_or_else(|| self.bad(format!("there is no session {id}")))?;
        let (seed, settings, innovations, current) = head;
        let settings: Settings = from_json(&settings).map_err(|e| self.bad(e))?;
        let innovations: Innovations = from_json(&innovations).map_err(|e| self.bad(e))?;
        let generations = self.read_generations(id)?;
        Session::from_parts(
            seed as u64,
            settings,
            innovations,
            generations,
            GenerationId(current as usize),
        )
        .map_err(|e| self.bad(format!("session {id}: {e}")))
    }

    fn read_generations(&self, id: SessionId) -> Result<Vec<Generation>, StoreError> {
        let mut genomes: HashMap<String, Genome> = HashMap::new();
        let mut stmt = self
            .conn
            .prepare(
                "SELECT g.json, g.hash FROM genomes g WHERE g.hash IN
                 (SELECT DISTINCT j.value FROM generations, json_each(generations.genomes) j
                  WHERE generations.session=?1)",
            )
            .map_err(|e| self.db(e))?;
        let rows = stmt
            .query_map([id], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })
            .map_err(|e| self.db(e))?;
        for row in rows {
            let (json, hash) = row.map_err(|e| self.db(e))?;
            let g = parse_genome(&json).map_err(|e| self.bad(format!("genome {hash}: {e}")))?;
            genomes.insert(hash, g);
        }
        let mut stmt = self
            .conn
            .prepare(
                "SELECT idx, parent, depth, origin, kept, selected, last_child, settings, genomes,
                 p.blob FROM generations LEFT JOIN packs p ON p.id=packed
                 WHERE session=?1 ORDER BY idx",
            )
            .map_err(|e| self.db(e))?;
        let rows = stmt
            .query_map([id], |r| {
                Ok(SessionRow {
                    idx: r.get(0)?,
                    parent: r.get(1)?,
                    depth: r.get(2)?,
                    origin: r.get(3)?,
                    kept: r.get(4)?,
                    selected: r.get(5)?,
                    last_child: r.get(6)?,
                    settings: r.get(7)?,
                    genomes: r.get(8)?,
                    packed: r.get(9)?,
                })
            })
            .map_err(|e| self.db(e))?;
        let mut out = Vec::new();
        for row in rows {
            let row = row.map_err(|e| self.db(e))?;
            let at = row.idx;
            out.push(
                row.into_generation(&genomes)
                    .map_err(|e| self.bad(format!("session {id}, generation {at}: {e}")))?,
            );
        }
        Ok(out)
    }

    /// Every session not deleted, most recently changed first.
    pub fn sessions(&self) -> Result<Vec<SessionInfo>, StoreError> {
        self.query_sessions("WHERE deleted=0 ORDER BY updated DESC, id DESC", [])
    }

    /// One session's line (deleted or not).
    pub fn session_info(&self, id: SessionId) -> Result<SessionInfo, StoreError> {
        self.query_sessions("WHERE id=?1", [id])?
            .pop()
            .ok_or_else(|| self.bad(format!("there is no session {id}")))
    }

    fn query_sessions<P: rusqlite::Params>(
        &self,
        tail: &str,
        p: P,
    ) -> Result<Vec<SessionInfo>, StoreError> {
        let sql = format!(
            "SELECT id, name, created, updated, generations, deleted,
             (SELECT depth FROM generations g WHERE g.session=s.id AND g.idx=s.current)
             FROM sessions s {tail}"
        );
        let mut stmt = self.conn.prepare(&sql).map_err(|e| self.db(e))?;
        let rows = stmt
            .query_map(p, |r| {
                Ok(SessionInfo {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    created: r.get(2)?,
                    updated: r.get(3)?,
                    generations: r.get::<_, i64>(4)? as usize,
                    deleted: r.get::<_, i64>(5)? != 0,
                    generation_number: r.get::<_, Option<i64>>(6)?.unwrap_or(0) as usize + 1,
                })
            })
            .map_err(|e| self.db(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.db(e))
    }

    /// Session `id`'s current generation: its number as the user sees it and its
    /// genomes. Quick whatever the session's length (shown while the rest is read).
    pub fn current_genomes(&self, id: SessionId) -> Result<(usize, Vec<Genome>), StoreError> {
        let (depth, _, genomes) = self.current_generation(id)?;
        Ok((depth + 1, genomes))
    }

    /// Bytes showing session `id` would take: its current generation's genomes and
    /// their drawing ([`crate::breed::brood::generation_bytes`]), estimated from its
    /// count and first genome without unpacking the others.
    pub fn showing_bytes(&self, id: SessionId) -> Result<u64, StoreError> {
        let (hashes, blob): (String, Option<Vec<u8>>) = self
            .conn
            .query_row(
                "SELECT g.genomes, p.blob FROM generations g
                 JOIN sessions s ON g.session=s.id AND g.idx=s.current
                 LEFT JOIN packs p ON p.id=g.packed WHERE s.id=?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(|e| self.db(e))?;
        let bad = |e: String| self.bad(format!("session {id}: {e}"));
        let (count, first) = match blob {
            Some(blob) => {
                let count = packed::count(&blob).map_err(|e| bad(e.to_string()))?;
                let first = packed::unpack_one(&blob, 0).map_err(|e| bad(e.to_string()))?;
                (count, first)
            }
            None => {
                let hashes: Vec<String> = from_json(&hashes).map_err(|e| self.bad(e))?;
                let first = match hashes.first() {
                    Some(h) => Some(self.genome(h)?),
                    None => None,
                };
                (hashes.len(), first)
            }
        };
        Ok(first.map_or(0, |g| crate::breed::brood::generation_bytes(&g, count)))
    }

    /// Refuses to read session `id` when showing it would need more than `budget`
    /// bytes ([`Store::showing_bytes`]): it stays in the library as it is.
    pub fn session_within(&self, id: SessionId, budget: u64) -> Result<(), StoreError> {
        let need = self.showing_bytes(id)?;
        crate::budget::check(
            &format!("showing session {id}"),
            need,
            budget,
            "it stays in the library as it is: resume another session or start a new one",
        )
        .map_err(|e| self.bad(e.to_string()))
    }

    /// Marks that a window is resuming session `id`, until its first pictures are shown
    /// ([`Store::clear_resuming`]). A mark found at the next start says that resume got
    /// no further (it failed, or the window was killed for its memory): the window
    /// asks before trying again. A row of `meta`, so the tables are unchanged.
    pub fn mark_resuming(&self, id: SessionId) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT OR REPLACE INTO meta(key, value) VALUES(?1, ?2)",
                params![resuming_key(id), now().to_string()],
            )
            .map(|_| ())
            .map_err(|e| self.db(e))
    }

    /// Session `id` was shown: its mark goes.
    pub fn clear_resuming(&self, id: SessionId) -> Result<(), StoreError> {
        self.conn
            .execute("DELETE FROM meta WHERE key=?1", [resuming_key(id)])
            .map(|_| ())
            .map_err(|e| self.db(e))
    }

    /// Whether a resume of session `id` was marked and never shown.
    pub fn resuming(&self, id: SessionId) -> Result<bool, StoreError> {
        self.conn
            .query_row(
                "SELECT 1 FROM meta WHERE key=?1",
                [resuming_key(id)],
                |_| Ok(()),
            )
            .optional()
            .map(|r| r.is_some())
            .map_err(|e| self.db(e))
    }

    /// The picture that stands for a session: its current generation's representative.
    pub fn session_thumbnail(&self, id: SessionId) -> Result<Genome, StoreError> {
        let (_, selected, mut genomes) = self.current_generation(id)?;
        let at = selected.first().copied().unwrap_or(0);
        if at >= genomes.len() {
            return Err(self.bad(format!("session {id} has an empty generation")));
        }
        Ok(genomes.swap_remove(at))
    }

    /// The depth, parents chosen and genomes of session `id`'s current generation.
    fn current_generation(
        &self,
        id: SessionId,
    ) -> Result<(usize, Vec<usize>, Vec<Genome>), StoreError> {
        let (depth, selected, hashes, blob): (i64, String, String, Option<Vec<u8>>) = self
            .conn
            .query_row(
                "SELECT g.depth, g.selected, g.genomes, p.blob FROM generations g
                 JOIN sessions s ON g.session=s.id AND g.idx=s.current
                 LEFT JOIN packs p ON p.id=g.packed WHERE s.id=?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .map_err(|e| self.db(e))?;
        let selected: Vec<usize> = from_json(&selected).map_err(|e| self.bad(e))?;
        let genomes = match blob {
            Some(blob) => {
                unpack_checked(&blob).map_err(|e| self.bad(format!("session {id}: {e}")))?
            }
            None => {
                let hashes: Vec<String> = from_json(&hashes).map_err(|e| self.bad(e))?;
                hashes
                    .iter()
                    .map(|h| self.genome(h))
                    .collect::<Result<Vec<_>, _>>()?
            }
        };
        Ok((depth as usize, selected, genomes))
    }

    pub fn rename_session(&mut self, id: SessionId, name: &str) -> Result<(), StoreError> {
        self.set_session(id, "name=?2", name)
    }

    /// Deletes a session from the list; [`Store::restore_session`] brings it back, until
    /// [`Store::purge_deleted`] removes it for good.
    pub fn delete_session(&mut self, id: SessionId) -> Result<(), StoreError> {
        self.set_session(id, "deleted=?2", 1)
    }

    pub fn restore_session(&mut self, id: SessionId) -> Result<(), StoreError> {
        self.set_session(id, "deleted=?2", 0)
    }

    fn set_session(
        &mut self,
        id: SessionId,
        set: &str,
        v: impl rusqlite::ToSql,
    ) -> Result<(), StoreError> {
        let n = self
            .conn
            .execute(
                &format!("UPDATE sessions SET {set} WHERE id=?1"),
                params![id, v],
            )
            .map_err(|e| self.db(e))?;
        if n == 0 {
            return Err(self.bad(format!("there is no session {id}")));
        }
        Ok(())
    }

    /// Removes deleted sessions and the genomes nothing refers to any more. Returns how
    /// many sessions went.
    pub fn purge_deleted(&mut self) -> Result<usize, StoreError> {
        let path = self.path.clone();
        let tx = self.write()?;
        let n = (|| {
            tx.execute(
                "DELETE FROM packs WHERE id IN (SELECT packed FROM generations
                 WHERE session IN (SELECT id FROM sessions WHERE deleted=1))",
                [],
            )?;
            for table in [
                "generations",
                "studies",
                "nets",
                "leases",
                "twins",
                "twin_curves",
                "twin_snapshots",
            ] {
                tx.execute(
                    &format!(
                        "DELETE FROM {table} WHERE session IN (SELECT id FROM sessions WHERE deleted=1)"
                    ),
                    [],
                )?;
            }
            let n = tx.execute("DELETE FROM sessions WHERE deleted=1", [])?;
            tx.execute(
                "DELETE FROM genomes WHERE hash NOT IN
                 (SELECT j.value FROM generations, json_each(generations.genomes) j)
                 AND hash NOT IN (SELECT genome FROM kept)",
                [],
            )?;
            Ok(n)
        })()
        .map_err(db_at(&path))?;
        tx.commit().map_err(db_at(&path))?;
        Ok(n)
    }

    /// Forgets generations `len..` of a session, for the benchmark: it adds the same
    /// generation again and again to a session of fixed length. Nothing else shrinks a
    /// session.
    #[doc(hidden)]
    pub fn truncate_for_bench(&mut self, id: SessionId, len: usize) -> Result<(), StoreError> {
        let path = self.path.clone();
        let tx = self.write()?;
        (|| {
            tx.execute(
                "DELETE FROM packs WHERE id IN
                 (SELECT packed FROM generations WHERE session=?1 AND idx>=?2)",
                params![id, len as i64],
            )?;
            tx.execute(
                "DELETE FROM generations WHERE session=?1 AND idx>=?2",
                params![id, len as i64],
            )?;
            tx.execute(
                "UPDATE sessions SET generations=?2 WHERE id=?1",
                params![id, len as i64],
            )
        })()
        .map_err(db_at(&path))?;
        tx.commit().map_err(db_at(&path))
    }
}

/// Inserts generations `from..` of `s` and brings the session's row up to date.
fn write_new(tx: &Connection, id: SessionId, s: &Session, from: usize) -> rusqlite::Result<()> {
    for g in s.generations().iter().skip(from) {
        insert_generation(tx, id, g)?;
        if let Some(p) = g.parent.and_then(|p| s.generation(p)) {
            update_marks(tx, id, p)?;
        }
    }
    tx.prepare_cached(
        "UPDATE sessions SET settings=?2, innovations=?3, current=?4, generations=?5, updated=?6
         WHERE id=?1",
    )?
    .execute(params![
        id,
        to_json(s.settings()),
        to_json(s.innovations()),
        s.current_id().0 as i64,
        s.generations().len() as i64,
        now()
    ])?;
    Ok(())
}

/// Why a save was refused before it wrote anything.
enum Refused {
    NoSession,
    /// This library does not hold the session's lease (any more).
    NotLeased,
    /// The library has more generations than the session being saved: another writer
    /// added to it.
    Behind {
        stored: usize,
        len: usize,
    },
    Bad(String),
}

impl Refused {
    fn error(self, path: std::path::PathBuf, id: SessionId) -> StoreError {
        let what = match self {
            Refused::NoSession => format!("there is no session {id}"),
            Refused::NotLeased => return StoreError::LeaseLost { path, id },
            Refused::Behind { stored, len } => format!(
                "session {id} has {stored} generations in the library, more than the {len} \
                 being saved (another window or process wrote to it); not saved"
            ),
            Refused::Bad(what) => what,
        };
        StoreError::Bad { path, what }
    }
}

/// How many generations session `id` has in the library (`None`: no such session).
fn stored_len(tx: &Connection, id: SessionId) -> rusqlite::Result<Option<usize>> {
    tx.prepare_cached("SELECT generations FROM sessions WHERE id=?1")?
        .query_row([id], |r| r.get::<_, i64>(0))
        .optional()
        .map(|n| n.map(|n| n as usize))
}

/// Inserts one generation, its genomes packed into one blob. A generation of that
/// number already there is an error (a second writer), never replaced.
fn insert_generation(tx: &Connection, id: SessionId, g: &Generation) -> rusqlite::Result<()> {
    tx.prepare_cached("INSERT INTO packs(blob) VALUES(?1)")?
        .execute([&g.packed()[..]])?;
    let pack = tx.last_insert_rowid();
    tx.prepare_cached(
        "INSERT INTO generations(session, idx, parent, depth, origin, kept, selected,
         last_child, settings, genomes, packed)
         VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, '[]', ?10)",
    )?
    .execute(params![
        id,
        g.id.0 as i64,
        g.parent.map(|p| p.0 as i64),
        g.depth as i64,
        to_json(&g.origin),
        g.kept as i64,
        to_json(&g.selected),
        g.last_child.map(|c| c.0 as i64),
        g.bred_with.as_ref().map(to_json),
        pack,
    ])?;
    Ok(())
}

/// [`insert_generation`], for the store's tests.
#[cfg(test)]
pub(super) fn tests_insert(tx: &Connection, id: SessionId, g: &Generation) -> rusqlite::Result<()> {
    insert_generation(tx, id, g)
}

/// A generation's parts that change after it is made: the parents chosen and the child
/// "forward" goes to.
fn update_marks(tx: &Connection, id: SessionId, g: &Generation) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "UPDATE generations SET selected=?3, last_child=?4 WHERE session=?1 AND idx=?2",
    )?
    .execute(params![
        id,
        g.id.0 as i64,
        to_json(&g.selected),
        g.last_child.map(|c| c.0 as i64)
    ])?;
    Ok(())
}

struct SessionRow {
    idx: i64,
    parent: Option<i64>,
    depth: i64,
    origin: String,
    kept: i64,
    selected: String,
    last_child: Option<i64>,
    settings: Option<String>,
    genomes: String,
    packed: Option<Vec<u8>>,
}

impl SessionRow {
    fn into_generation(self, genomes: &HashMap<String, Genome>) -> Result<Generation, String> {
        let genomes = match self.packed {
            // Checked with the session (Session::from_parts).
            Some(blob) => Genomes::from_packed(blob).map_err(|e| e.to_string())?,
            None => {
                let hashes: Vec<String> = from_json(&self.genomes)?;
                hashes
                    .iter()
                    .map(|h| {
                        genomes
                            .get(h)
                            .cloned()
                            .ok_or_else(|| format!("genome {h} is missing"))
                    })
                    .collect::<Result<Vec<_>, _>>()
                    .map(Genomes::whole)?
            }
        };
        let origin: Origin = from_json(&self.origin)?;
        Ok(Generation {
            id: GenerationId(self.idx as usize),
            parent: self.parent.map(|p| GenerationId(p as usize)),
            depth: self.depth as usize,
            origin,
            genomes,
            kept: self.kept as usize,
            selected: from_json(&self.selected)?,
            children: Vec::new(),
            last_child: self.last_child.map(|c| GenerationId(c as usize)),
            bred_with: self.settings.as_deref().map(from_json).transpose()?,
        })
    }
}

/// A packed generation's genomes, each checked as a genome file's are.
/// The `meta` key of a resume mark ([`Store::mark_resuming`]).
fn resuming_key(id: SessionId) -> String {
    format!("resuming:{id}")
}

fn unpack_checked(blob: &[u8]) -> Result<Vec<Genome>, String> {
    let genomes = packed::unpack(blob).map_err(|e| e.to_string())?;
    for (k, g) in genomes.iter().enumerate() {
        g.validate().map_err(|e| format!("genome {k}: {e}"))?;
    }
    Ok(genomes)
}

pub(super) fn to_json<T: serde::Serialize + ?Sized>(v: &T) -> String {
    serde_json::to_string(v).expect("library values always serialize")
}

pub(super) fn from_json<T: serde::de::DeserializeOwned>(s: &str) -> Result<T, String> {
    serde_json::from_str(s).map_err(|e| format!("damaged entry: {e}"))
}
