//! The archive's tables. Items keep their summary in `items` (small rows, so listings
//! scan quickly) and their genome and pictures in `item_files`.

use rusqlite::Connection;

/// `PRAGMA application_id` of an archive ("PBAR"), so another SQLite file (the
/// library, say) is refused instead of written into.
const APPLICATION_ID: i32 = 0x5042_4152;

/// The tables' version; a newer one is refused.
pub(super) const SCHEMA_VERSION: i64 = 1;

pub(super) enum SchemaError {
    Db(rusqlite::Error),
    Foreign(String),
}

impl From<rusqlite::Error> for SchemaError {
    fn from(e: rusqlite::Error) -> Self {
        SchemaError::Db(e)
    }
}

const TABLES: &str = "
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS users(
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    token_hash TEXT NOT NULL UNIQUE,
    created INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS items(
    id INTEGER PRIMARY KEY,
    author INTEGER NOT NULL REFERENCES users(id),
    parent INTEGER REFERENCES items(id),
    title TEXT NOT NULL,
    tags TEXT NOT NULL,
    created INTEGER NOT NULL,
    chain_length INTEGER NOT NULL,
    branches INTEGER NOT NULL DEFAULT 0,
    withdrawn INTEGER
);
CREATE INDEX IF NOT EXISTS items_by_parent ON items(parent);
CREATE INDEX IF NOT EXISTS items_by_branches ON items(branches DESC, id DESC);
CREATE TABLE IF NOT EXISTS item_files(
    item INTEGER PRIMARY KEY REFERENCES items(id),
    genome TEXT NOT NULL,
    thumbnail BLOB NOT NULL,
    picture BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS item_tags(
    tag TEXT NOT NULL,
    item INTEGER NOT NULL REFERENCES items(id),
    PRIMARY KEY(tag, item)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS item_chain(
    item INTEGER NOT NULL REFERENCES items(id),
    position INTEGER NOT NULL,
    genome TEXT NOT NULL,
    PRIMARY KEY(item, position)
) WITHOUT ROWID;
";

/// Makes the tables of a new archive, checks an existing one is an archive of a version
/// this program reads, and sets the connection up: WAL, and `synchronous=FULL` so a
/// commit is on disk before the server says "published".
pub(super) fn prepare(conn: &Connection) -> Result<(), SchemaError> {
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    let id: i32 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
    let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
    if id != APPLICATION_ID && (id != 0 || tables > 0) {
        return Err(SchemaError::Foreign(
            "not a picbreeder archive (another SQLite database): give another --db".into(),
        ));
    }
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.execute_batch("BEGIN IMMEDIATE")?;
    let made = (|| -> Result<(), SchemaError> {
        conn.pragma_update(None, "application_id", APPLICATION_ID)?;
        conn.execute_batch(TABLES)?;
        conn.execute(
            "INSERT OR IGNORE INTO meta(key, value) VALUES('schema', ?1)",
            [SCHEMA_VERSION.to_string()],
        )?;
        let v: String = conn.query_row("SELECT value FROM meta WHERE key='schema'", [], |r| {
            r.get(0)
        })?;
        let v: i64 = v.parse().unwrap_or(i64::MAX);
        if v > SCHEMA_VERSION {
            return Err(SchemaError::Foreign(format!(
                "made by a newer picbreeder (archive tables version {v}; this one reads up to {SCHEMA_VERSION})"
            )));
        }
        Ok(())
    })();
    match made {
        Ok(()) => conn.execute_batch("COMMIT")?,
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            return Err(e);
        }
    }
    Ok(())
}
