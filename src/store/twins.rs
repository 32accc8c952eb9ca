//! The SGD twin trained in the window, kept with its session as it trains: the newest
//! net, its loss curve and the snapshots the Path view keeps, and the settings it was
//! trained with, keyed by when the run started. It belongs to the genome it imitates
//! (by content hash), so a resumed session shows it only beside that genome.
//!
//! A save rewrites the twin's row (its newest net) and adds only what is new: the
//! curve's points since the last save as one piece, and the new snapshots, so saving
//! every few seconds costs the same at step 100 and step 100,000.

use super::{SessionId, Store, StoreError, now};
use crate::breed::GenerationId;
use crate::dense::net::DenseNet;
use crate::io::json::{net_from_json, net_to_json};
use rusqlite::{OptionalExtension, params};

/// A twin as saved or read back. Saved, `curve` holds the points from point number
/// `curve_from` on (those since the last save) and `snapshots` the new ones; read
/// back, all of them (`curve_from` 0).
#[derive(Clone, Debug, PartialEq)]
pub struct TwinRecord {
    /// When its run started (milliseconds since 1970): its key within the session.
    pub started: i64,
    /// The content hash of the genome trained on ([`super::content_hash`] of its JSON).
    pub genome: String,
    pub generation: GenerationId,
    /// The child trained on (0-based).
    pub child: usize,
    /// The settings it was trained with, as the window's JSON (the store does not
    /// read them).
    pub setup: String,
    /// Steps done: `net` is the net after them.
    pub step: u64,
    pub net: DenseNet,
    pub curve_from: usize,
    /// (step, log10 loss) points.
    pub curve: Vec<[f64; 2]>,
    /// (step, net) snapshots, oldest first.
    pub snapshots: Vec<(u64, DenseNet)>,
}

fn pack(points: &[[f64; 2]]) -> Vec<u8> {
    points
        .iter()
        .flatten()
        .flat_map(|v| v.to_le_bytes())
        .collect()
}

fn unpack(bytes: &[u8]) -> Vec<[f64; 2]> {
    bytes
        .chunks_exact(16)
        .map(|c| {
            let v = |i: usize| f64::from_le_bytes(c[i..i + 8].try_into().expect("8 bytes"));
            [v(0), v(8)]
        })
        .collect()
}

impl Store {
    /// Saves a twin of `session`: its row (newest net, step, settings) written or
    /// rewritten, its new curve points and snapshots added, in one transaction.
    pub fn save_twin(&mut self, session: SessionId, t: &TwinRecord) -> Result<(), StoreError> {
        let path = self.path.clone();
        let net = net_to_json(&t.net);
        let snapshots: Vec<(u64, String)> = t
            .snapshots
            .iter()
            .map(|(s, n)| (*s, net_to_json(n)))
            .collect();
        let tx = self.write()?;
        (|| {
            tx.execute(
                "INSERT INTO twins(session, started, genome, generation, child, setup, step,
                 net, updated) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                 ON CONFLICT(session, started) DO UPDATE SET setup=excluded.setup,
                 step=excluded.step, net=excluded.net, updated=excluded.updated",
                params![
                    session,
                    t.started,
                    t.genome,
                    t.generation.0 as i64,
                    t.child as i64,
                    t.setup,
                    t.step as i64,
                    net,
                    now()
                ],
            )?;
            if !t.curve.is_empty() {
                tx.execute(
                    "INSERT OR REPLACE INTO twin_curves(session, started, first, points)
                     VALUES(?1, ?2, ?3, ?4)",
                    params![session, t.started, t.curve_from as i64, pack(&t.curve)],
                )?;
            }
            for (step, json) in &snapshots {
                tx.execute(
                    "INSERT OR REPLACE INTO twin_snapshots(session, started, step, net)
                     VALUES(?1, ?2, ?3, ?4)",
                    params![session, t.started, *step as i64, json],
                )?;
            }
            Ok(())
        })()
        .map_err(super::db_at(&path))?;
        tx.commit().map_err(super::db_at(&path))?;
        self.committed()
    }

    /// Forgets a twin of `session` (its run was discarded).
    pub fn delete_twin(&mut self, session: SessionId, started: i64) -> Result<(), StoreError> {
        let path = self.path.clone();
        let tx = self.write()?;
        for table in ["twins", "twin_curves", "twin_snapshots"] {
            tx.execute(
                &format!("DELETE FROM {table} WHERE session=?1 AND started=?2"),
                params![session, started],
            )
            .map_err(super::db_at(&path))?;
        }
        tx.commit().map_err(super::db_at(&path))?;
        self.committed()
    }

    /// The session's newest twin, whole, if it has one.
    pub fn latest_twin(&self, session: SessionId) -> Result<Option<TwinRecord>, StoreError> {
        let row = self
            .conn
            .query_row(
                "SELECT started, genome, generation, child, setup, step, net FROM twins
                 WHERE session=?1 ORDER BY started DESC LIMIT 1",
                [session],
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, i64>(2)?,
                        r.get::<_, i64>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, i64>(5)?,
                        r.get::<_, String>(6)?,
                    ))
                },
            )
            .optional()
            .map_err(|e| self.db(e))?;
        let Some((started, genome, generation, child, setup, step, net)) = row else {
            return Ok(None);
        };
        let read_net = |what: String, json: &str| {
            net_from_json(json.as_bytes()).map_err(|e| self.bad(format!("{what}: {e}")))
        };
        let net = read_net(format!("the SGD twin of session {session}"), &net)?;
        let mut curve = vec![];
        let mut stmt = self
            .conn
            .prepare(
                "SELECT points FROM twin_curves WHERE session=?1 AND started=?2 ORDER BY first",
            )
            .map_err(|e| self.db(e))?;
        let pieces = stmt
            .query_map(params![session, started], |r| r.get::<_, Vec<u8>>(0))
            .map_err(|e| self.db(e))?;
        for piece in pieces {
            curve.extend(unpack(&piece.map_err(|e| self.db(e))?));
        }
        let mut stmt = self
            .conn
            .prepare(
                "SELECT step, net FROM twin_snapshots WHERE session=?1 AND started=?2
                 ORDER BY step",
            )
            .map_err(|e| self.db(e))?;
        let rows = stmt
            .query_map(params![session, started], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
            })
            .map_err(|e| self.db(e))?;
        let mut snapshots = vec![];
        for row in rows {
            let (s, json) = row.map_err(|e| self.db(e))?;
            let what = format!("the SGD twin's snapshot at step {s} of session {session}");
            snapshots.push((s as u64, read_net(what, &json)?));
        }
        Ok(Some(TwinRecord {
            started,
            genome,
            generation: GenerationId(generation as usize),
            child: child as usize,
            setup,
            step: step as u64,
            net,
            curve_from: 0,
            curve,
            snapshots,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::super::LIBRARY_FILE;
    use super::*;
    use crate::activation::Activation;
    use crate::breed::Session;
    use crate::dense::net::{Dense, NetOutputs};

    /// A small net whose weights differ with `seed` in their last bits too.
    fn net(seed: u64) -> DenseNet {
        let layer = |n_in: usize, n_out: usize, k: u64| {
            let mut d = Dense::zeros(n_in, n_out);
            for (i, w) in d.weights.iter_mut().enumerate() {
                *w = ((seed * 31 + k * 7 + i as u64) as f32 * 0.618_034).sin() / 3.0;
            }
            d
        };
        DenseNet {
            hidden: vec![vec![Activation::Tanh; 5]],
            layers: vec![layer(4, 5, 0), layer(5, 1, 1)],
            outputs: NetOutputs::Grey,
            labels: vec![],
        }
    }

    fn twin(started: i64, step: u64, curve_from: usize, curve: Vec<[f64; 2]>) -> TwinRecord {
        TwinRecord {
            started,
            genome: "abc".into(),
            generation: GenerationId(2),
            child: 4,
            setup: "{\"lr\":0.003}".into(),
            step,
            net: net(step),
            curve_from,
            curve,
            snapshots: vec![],
        }
    }

    /// Saves in pieces read back as one twin: the newest net bit for bit, every curve
    /// point in order, every snapshot; another session's twin stays apart; a deleted
    /// twin is gone.
    #[test]
    fn a_twin_saved_in_pieces_reads_back_whole() {
        let dir = std::env::temp_dir().join(format!("pb-store-twins-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(LIBRARY_FILE);
        let mut store = Store::open(&path).unwrap();
        let a = store.create_session("a", &Session::new(1)).unwrap();
        let b = store.create_session("b", &Session::new(2)).unwrap();
        assert_eq!(store.latest_twin(a).unwrap(), None);
        let points: Vec<[f64; 2]> = (1..=250)
            .map(|s| [s as f64, -(s as f64).ln() / 7.3])
            .collect();
        let mut first = twin(100, 120, 0, points[..120].to_vec());
        first.snapshots = vec![(0, net(0)), (100, net(100))];
        store.save_twin(a, &first).unwrap();
        let mut second = twin(100, 250, 120, points[120..].to_vec());
        second.snapshots = vec![(200, net(200))];
        store.save_twin(a, &second).unwrap();
        store
            .save_twin(b, &twin(100, 7, 0, vec![[1.0, 0.5]]))
            .unwrap();
        let back = Store::open(&path).unwrap().latest_twin(a).unwrap().unwrap();
        assert_eq!(back.step, 250);
        assert_eq!((back.generation, back.child), (GenerationId(2), 4));
        assert_eq!(
            (back.genome.as_str(), back.setup.as_str()),
            ("abc", "{\"lr\":0.003}")
        );
        let bits = |n: &DenseNet| -> Vec<u32> {
            n.layers
                .iter()
                .flat_map(|l| &l.weights)
                .map(|w| w.to_bits())
                .collect()
        };
        assert_eq!(
            bits(&back.net),
            bits(&net(250)),
            "the newest net, bit for bit"
        );
        assert_eq!(back.curve, points, "the whole curve, in order");
        let steps: Vec<u64> = back.snapshots.iter().map(|s| s.0).collect();
        assert_eq!(steps, [0, 100, 200]);
        assert_eq!(bits(&back.snapshots[1].1), bits(&net(100)));
        assert_eq!(store.latest_twin(b).unwrap().unwrap().curve, [[1.0, 0.5]]);
        // A newer run is the one shown; deleting it shows the older again.
        store.save_twin(a, &twin(300, 5, 0, vec![])).unwrap();
        assert_eq!(store.latest_twin(a).unwrap().unwrap().started, 300);
        store.delete_twin(a, 300).unwrap();
        assert_eq!(store.latest_twin(a).unwrap().unwrap().started, 100);
        store.delete_twin(a, 100).unwrap();
        assert_eq!(store.latest_twin(a).unwrap(), None);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
