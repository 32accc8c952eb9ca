//! Kept genomes ("stars"): any child of any generation, with a name and tags, found
//! again by either; and the SGD twin's trained nets.

use super::sessions::{from_json, to_json};
use super::{SessionId, Store, StoreError, db_at, now, put_genome};
use crate::breed::GenerationId;
use crate::cppn::genome::Genome;
use crate::dense::DenseNet;
use rusqlite::params;

/// A kept genome.
#[derive(Clone, Debug, PartialEq)]
pub struct Kept {
    pub id: i64,
    pub name: String,
    pub tags: Vec<String>,
    pub genome: Genome,
    /// Where it was kept from, if from a session.
    pub session: Option<SessionId>,
    pub generation: Option<GenerationId>,
    pub created: i64,
}

impl Kept {
    /// Whether `query` (case-insensitive) is part of the name or one of the tags; every
    /// word of the query must match. An empty query matches all.
    pub fn matches(&self, query: &str) -> bool {
        let name = self.name.to_lowercase();
        query.split_whitespace().all(|w| {
            let w = w.to_lowercase();
            name.contains(&w) || self.tags.iter().any(|t| t.to_lowercase() == w)
        })
    }
}

/// Tags from what a person typed: split at commas and spaces, empty ones dropped.
pub fn parse_tags(text: &str) -> Vec<String> {
    text.split([',', ' '])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(String::from)
        .collect()
}

impl Store {
    /// Keeps a genome with a name and tags; returns its number.
    pub fn keep(
        &mut self,
        genome: &Genome,
        name: &str,
        tags: &[String],
        from: Option<(SessionId, GenerationId)>,
    ) -> Result<i64, StoreError> {
        let path = self.path.clone();
        let tx = self.write()?;
        let id = (|| {
            let hash = put_genome(&tx, genome)?;
            tx.execute(
                "INSERT INTO kept(genome, name, tags, session, generation, created)
                 VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    hash,
                    name,
                    to_json(tags),
                    from.map(|f| f.0),
                    from.map(|f| f.1.0 as i64),
                    now()
                ],
            )?;
            Ok(tx.last_insert_rowid())
        })()
        .map_err(db_at(&path))?;
        tx.commit().map_err(db_at(&path))?;
        Ok(id)
    }

    /// Every kept genome matching `query` (see [`Kept::matches`]), newest first.
    pub fn kept(&self, query: &str) -> Result<Vec<Kept>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT k.id, k.name, k.tags, g.json, k.session, k.generation, k.created
                 FROM kept k JOIN genomes g ON g.hash=k.genome ORDER BY k.id DESC",
            )
            .map_err(|e| self.db(e))?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, Option<i64>>(4)?,
                    r.get::<_, Option<i64>>(5)?,
                    r.get::<_, i64>(6)?,
                ))
            })
            .map_err(|e| self.db(e))?;
        let mut out = Vec::new();
        for row in rows {
            let (id, name, tags, json, session, generation, created) =
                row.map_err(|e| self.db(e))?;
            let bad = |e: String| self.bad(format!("kept genome {id}: {e}"));
            let k = Kept {
                id,
                name,
                tags: from_json(&tags).map_err(bad)?,
                genome: super::parse_genome(&json).map_err(bad)?,
                session,
                generation: generation.map(|g| GenerationId(g as usize)),
                created,
            };
            if k.matches(query) {
                out.push(k);
            }
        }
        Ok(out)
    }

    /// Renames a kept genome and sets its tags.
    pub fn label_kept(&mut self, id: i64, name: &str, tags: &[String]) -> Result<(), StoreError> {
        let n = self
            .conn
            .execute(
                "UPDATE kept SET name=?2, tags=?3 WHERE id=?1",
                params![id, name, to_json(tags)],
            )
            .map_err(|e| self.db(e))?;
        if n == 0 {
            return Err(self.bad(format!("there is no kept genome {id}")));
        }
        Ok(())
    }

    /// Forgets a kept genome (the window holds on to it for Undo: [`Store::restore_kept`]).
    pub fn unkeep(&mut self, id: i64) -> Result<(), StoreError> {
        let n = self
            .conn
            .execute("DELETE FROM kept WHERE id=?1", [id])
            .map_err(|e| self.db(e))?;
        if n == 0 {
            return Err(self.bad(format!("there is no kept genome {id}")));
        }
        Ok(())
    }

    /// Puts back a kept genome that was forgotten, as it was (its number too).
    pub fn restore_kept(&mut self, k: &Kept) -> Result<(), StoreError> {
        let path = self.path.clone();
        let tx = self.write()?;
        (|| {
            let hash = put_genome(&tx, &k.genome)?;
            tx.execute(
                "INSERT INTO kept(id, genome, name, tags, session, generation, created)
                 VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    k.id,
                    hash,
                    k.name,
                    to_json(&k.tags),
                    k.session,
                    k.generation.map(|g| g.0 as i64),
                    k.created
                ],
            )
        })()
        .map_err(db_at(&path))?;
        tx.commit().map_err(db_at(&path))?;
        Ok(())
    }

    /// Stores a trained net (the SGD twin's) with a name; returns its number.
    pub fn save_net(
        &mut self,
        session: Option<SessionId>,
        name: &str,
        net: &DenseNet,
    ) -> Result<i64, StoreError> {
        self.conn
            .execute(
                "INSERT INTO nets(session, name, json, created) VALUES(?1, ?2, ?3, ?4)",
                params![session, name, crate::io::json::net_to_json(net), now()],
            )
            .map_err(|e| self.db(e))?;
        Ok(self.conn.last_insert_rowid())
    }

    /// The nets stored for a session: number and name, oldest first.
    pub fn nets(&self, session: SessionId) -> Result<Vec<(i64, String)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, name FROM nets WHERE session=?1 ORDER BY id")
            .map_err(|e| self.db(e))?;
        let rows = stmt
            .query_map([session], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(|e| self.db(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.db(e))
    }

    pub fn load_net(&self, id: i64) -> Result<DenseNet, StoreError> {
        let json: String = self
            .conn
            .query_row("SELECT json FROM nets WHERE id=?1", [id], |r| r.get(0))
            .map_err(|e| self.db(e))?;
        crate::io::json::net_from_json(json.as_bytes())
            .map_err(|e| self.bad(format!("net {id}: {e}")))
    }
}
