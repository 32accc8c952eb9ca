//! The library: every session ever started, kept in one SQLite database (bundled, so a
//! fresh machine needs nothing installed). A generation is inserted when it is made, in
//! a transaction of its own, so saving costs the same at generation 10 and 1,000, and a
//! killed process or a second window loses nothing (the database's journal and locks).
//! Session JSON files stay the export and share format; importing one makes a new
//! session.

mod hash;
mod kept;
mod lease;
mod schema;
mod sessions;
mod studies;
mod twins;

pub use hash::content_hash;
pub use kept::{Kept, parse_tags};
pub use lease::{Holder, LEASE_RENEW, LEASE_TIMEOUT};
pub use sessions::{Changes, SessionInfo};
pub use studies::Study;
pub use twins::TwinRecord;

use crate::breed::Session;
use crate::cppn::genome::Genome;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior};
use std::path::{Path, PathBuf};

/// The library's file inside a saves folder.
pub const LIBRARY_FILE: &str = "library.sqlite";
/// The autosave file of versions before the library; imported once, then left alone.
pub const OLD_AUTOSAVE: &str = "autosave.json";

/// The saves folder: `$PICBREEDER_SAVES`, else `saves` (relative to where the program
/// runs). Set but empty is refused: it used to make `./library.sqlite` by surprise.
pub fn saves_folder() -> Result<PathBuf, String> {
    match std::env::var_os("PICBREEDER_SAVES") {
        None => Ok(PathBuf::from("saves")),
        Some(v) if v.is_empty() => Err(
            "PICBREEDER_SAVES is set but empty: set it to a folder, or unset it to use ./saves"
                .into(),
        ),
        Some(v) => Ok(PathBuf::from(v)),
    }
}

/// A session's number in the library.
pub type SessionId = i64;

/// Why the library could not do what was asked. Each says which library.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("library {}: {source}", path.display())]
    Db {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("library {}: {what}", path.display())]
    Bad { path: PathBuf, what: String },
    /// Another window or process writes to the session ([`Store::lease`]).
    #[error("library {}: session {id} is open for writing in another window or process ({holder})", path.display())]
    Leased {
        path: PathBuf,
        id: SessionId,
        holder: String,
    },
    /// This library's lease on the session expired and another took it: nothing more
    /// is written to it from here.
    #[error("library {}: session {id} was taken over by another window or process (this one's lease expired); not saved", path.display())]
    LeaseLost { path: PathBuf, id: SessionId },
}

/// Refuses a database that is not a library (before anything is written to it), in
/// one line and without SQLite's own words.
fn check_identity(conn: &Connection, path: &Path) -> Result<(), StoreError> {
    let bad = |what: String| StoreError::Bad {
        path: path.to_path_buf(),
        what,
    };
    match schema::identify(conn) {
        Ok(schema::Identity::New | schema::Identity::Ours) => Ok(()),
        Ok(schema::Identity::Foreign(why)) => Err(bad(why)),
        Err(source) => Err(opening_error(path, source)),
    }
}

/// SQLite's error on opening, with a file that is no database at all said plainly.
fn opening_error(path: &Path, source: rusqlite::Error) -> StoreError {
    match source {
        rusqlite::Error::SqliteFailure(e, _) if e.code == rusqlite::ErrorCode::NotADatabase => {
            StoreError::Bad {
                path: path.to_path_buf(),
                what: "not a SQLite database (another kind of file), so not a picbreeder library: give another file".into(),
            }
        }
        source => StoreError::Db {
            path: path.to_path_buf(),
            source,
        },
    }
}

/// A path as the path part of a SQLite `file:` URI (`%`, `?` and `#` escaped).
fn url_path(path: &Path) -> String {
    let mut out = String::new();
    for c in path.to_string_lossy().chars() {
        match c {
            '%' => out.push_str("%25"),
            '?' => out.push_str("%3f"),
            '#' => out.push_str("%23"),
            c => out.push(c),
        }
    }
    out
}

/// An open library. Each process (each window) opens its own; they may write at once.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// Commits since the last checkpoint, when the owner runs them ([`Store::defer_checkpoints`]).
    unchecked: Option<usize>,
    /// Who this library's leases name, the sessions it holds, how long a lease lives.
    holder: Holder,
    held: std::collections::BTreeSet<SessionId>,
    lease_timeout: std::time::Duration,
}

/// With checkpoints deferred, the owner checkpoints when idle once this many commits
/// wait: a checkpoint's two fsyncs cost more than many saves (see
/// [`Store::defer_checkpoints`]); SQLite's own waits for 1,000 pages, 200-300
/// generations in `benches/store.rs`.
pub const CHECKPOINT_EVERY: usize = 200;

/// With checkpoints deferred, a commit checkpoints anyway after this many (the
/// journal's growth stays bounded if the owner is never idle).
const CHECKPOINT_AFTER: usize = 1000;

impl Store {
    /// Opens (or makes) the library at `path`.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let db = |source| StoreError::Db {
            path: path.to_path_buf(),
            source,
        };
        let conn = Connection::open(path).map_err(db)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(db)?;
        check_identity(&conn, path)?;
        let version = schema::prepare(&conn).map_err(db)?;
        Store::at_version(conn, path, version)
    }

    /// Opens an existing library only to read it (`library list`, `show`, `export`): a
    /// library on a read-only file, folder or disk can still be listed and exported.
    pub fn open_read_only(path: &Path) -> Result<Store, StoreError> {
        use rusqlite::OpenFlags;
        let db = |source| StoreError::Db {
            path: path.to_path_buf(),
            source,
        };
        if !path.is_file() {
            return Err(StoreError::Bad {
                path: path.to_path_buf(),
                what: "there is no library file here".into(),
            });
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI;
        let open = |conn: Connection| -> rusqlite::Result<Connection> {
            conn.busy_timeout(std::time::Duration::from_secs(10))?;
            // Reading needs the write-ahead journal's index, made beside the file: a
            // read-only folder cannot take it, and the library is then read as it is.
            conn.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(()))?;
            Ok(conn)
        };
        let conn = match Connection::open_with_flags(path, flags).and_then(open) {
            Ok(c) => c,
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::CannotOpen
                    || e.code == rusqlite::ErrorCode::ReadOnly =>
            {
                let mut uri = url_path(path);
                uri.insert_str(0, "file:");
                uri.push_str("?immutable=1");
                Connection::open_with_flags(uri, flags)
                    .and_then(open)
                    .map_err(|e| opening_error(path, e))?
            }
            Err(e) => return Err(opening_error(path, e)),
        };
        check_identity(&conn, path)?;
        let version = schema::version(&conn).map_err(db)?;
        // A read-only store writes nothing, so it never takes a lease.
        Store::at_version(conn, path, version)
    }

    /// The store on an opened library whose tables are at `version`: refused if a newer
    /// picbreeder made them.
    fn at_version(conn: Connection, path: &Path, version: i64) -> Result<Store, StoreError> {
        if version > schema::SCHEMA_VERSION {
            return Err(StoreError::Bad {
                path: path.to_path_buf(),
                what: format!(
                    "made by a newer picbreeder (tables version {version}, this one reads up to {})",
                    schema::SCHEMA_VERSION
                ),
            });
        }
        Ok(Store {
            conn,
            path: path.to_path_buf(),
            unchecked: None,
            holder: Holder::new(),
            held: Default::default(),
            lease_timeout: LEASE_TIMEOUT,
        })
    }

    /// Leaves checkpoints (copying the write-ahead journal into the database, with two
    /// fsyncs) to [`Store::checkpoint`], run by the owner when idle, instead of SQLite's
    /// inside whichever commit fills 1,000 pages. A checkpoint costs as much as
    /// hundreds of saves (docs/benchmarks.md, "The library"); the window's library
    /// writer runs it between generations, every [`CHECKPOINT_EVERY`]. A commit still
    /// checkpoints after [`CHECKPOINT_AFTER`].
    pub fn defer_checkpoints(&mut self) -> Result<(), StoreError> {
        self.conn
            .pragma_update(None, "wal_autocheckpoint", 0)
            .map_err(|e| self.db(e))?;
        self.unchecked = Some(0);
        Ok(())
    }

    /// Commits since the last checkpoint, with checkpoints deferred (else 0).
    pub fn unchecked(&self) -> usize {
        self.unchecked.unwrap_or(0)
    }

    /// Copies what the journal holds into the database, as far as readers allow
    /// (SQLite's passive checkpoint; what is left waits for the next one). Committed work
    /// is safe in the journal either way.
    pub fn checkpoint(&mut self) -> Result<(), StoreError> {
        self.conn
            .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
            .map_err(|e| self.db(e))?;
        if let Some(n) = &mut self.unchecked {
            *n = 0;
        }
        Ok(())
    }

    /// Counts a commit; checkpoints if deferred ones have waited too long.
    fn committed(&mut self) -> Result<(), StoreError> {
        match &mut self.unchecked {
            Some(n) if *n + 1 >= CHECKPOINT_AFTER => self.checkpoint(),
            Some(n) => {
                *n += 1;
                Ok(())
            }
            None => Ok(()),
        }
    }

    /// Opens the library of a saves folder (making the folder if needed). The first time,
    /// an `autosave.json` there from before the library is imported as a session; the
    /// file is kept. Returns the store and the imported session, if one was.
    pub fn open_folder(dir: &Path) -> Result<(Store, Option<SessionId>), StoreError> {
        std::fs::create_dir_all(dir).map_err(|e| StoreError::Bad {
            path: dir.to_path_buf(),
            what: format!("cannot make the folder: {e}"),
        })?;
        crate::io::clean_stale(dir);
        let mut store = Store::open(&dir.join(LIBRARY_FILE))?;
        let imported = store.import_old_autosave(&dir.join(OLD_AUTOSAVE))?;
        Ok((store, imported))
    }

    /// Where the library is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Imports an old autosave file once (remembered in the library, so a file the user
    /// deleted from the library does not come back). A damaged file is left as it is
    /// and reported.
    fn import_old_autosave(&mut self, file: &Path) -> Result<Option<SessionId>, StoreError> {
        if !file.exists() {
            return Ok(None);
        }
        let key = format!("imported:{}", file.display());
        let done: Option<String> = self
            .conn
            .query_row("SELECT value FROM meta WHERE key=?1", [&key], |r| r.get(0))
            .optional()
            .map_err(|e| self.db(e))?;
        if done.is_some() {
            return Ok(None);
        }
        let session = Session::load(file).map_err(|e| self.bad(format!("importing {e}")))?;
        let id = self.create_session("Autosave (imported)", &session)?;
        self.conn
            .execute(
                "INSERT OR REPLACE INTO meta(key, value) VALUES(?1, ?2)",
                [&key, &id.to_string()],
            )
            .map_err(|e| self.db(e))?;
        Ok(Some(id))
    }

    fn db(&self, source: rusqlite::Error) -> StoreError {
        StoreError::Db {
            path: self.path.clone(),
            source,
        }
    }

    fn bad(&self, what: String) -> StoreError {
        StoreError::Bad {
            path: self.path.clone(),
            what,
        }
    }

    /// A write transaction that takes the lock at once, so two writers queue instead of
    /// failing halfway.
    fn write(&mut self) -> Result<rusqlite::Transaction<'_>, StoreError> {
        let path = self.path.clone();
        self.conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|source| StoreError::Db { path, source })
    }

    /// Reads a stored genome by its hash.
    pub fn genome(&self, hash: &str) -> Result<Genome, StoreError> {
        let json: String = self
            .conn
            .query_row("SELECT json FROM genomes WHERE hash=?1", [hash], |r| {
                r.get(0)
            })
            .map_err(|e| self.db(e))?;
        parse_genome(&json).map_err(|e| self.bad(format!("genome {hash}: {e}")))
    }
}

/// Turns a database error into the library's error naming `path`.
fn db_at(path: &Path) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
    move |source| StoreError::Db {
        path: path.to_path_buf(),
        source,
    }
}

/// Stores a genome once; returns its hash.
fn put_genome(tx: &Connection, genome: &Genome) -> rusqlite::Result<String> {
    let json = serde_json::to_string(genome).expect("a genome always serializes");
    let hash = content_hash(json.as_bytes());
    tx.prepare_cached("INSERT OR IGNORE INTO genomes(hash, json) VALUES(?1, ?2)")?
        .execute((&hash, &json))?;
    Ok(hash)
}

fn parse_genome(json: &str) -> Result<Genome, String> {
    let g: Genome = serde_json::from_str(json).map_err(|e| e.to_string())?;
    g.validate().map_err(|e| e.to_string())?;
    Ok(g)
}

/// `YYYY-MM-DD HH:MM` (UTC) of a time the library records (seconds since 1970): how the
/// window and `picbreeder library` show dates.
pub fn date(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rest = secs.rem_euclid(86_400);
    // Civil from days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}",
        rest / 3600,
        rest % 3600 / 60
    )
}

/// Seconds since 1970.
fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

#[cfg(test)]
mod tests;
