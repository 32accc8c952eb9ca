//! The library's tables. A generation is one row, written when it is made; genomes are
//! rows named by their content hash, so a parent carried into the next generation (or
//! kept, or in two sessions) is stored once.

use rusqlite::Connection;

/// Bumped when the tables change; a newer library is refused rather than misread.
pub const SCHEMA_VERSION: i64 = 1;

const TABLES: &str = "
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sessions(
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    created INTEGER NOT NULL,
    updated INTEGER NOT NULL,
    seed INTEGER NOT NULL,
    settings TEXT NOT NULL,
    innovations TEXT NOT NULL,
    current INTEGER NOT NULL,
    generations INTEGER NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS genomes(hash TEXT PRIMARY KEY, json TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS generations(
    session INTEGER NOT NULL,
    idx INTEGER NOT NULL,
    parent INTEGER,
    depth INTEGER NOT NULL,
    origin TEXT NOT NULL,
    kept INTEGER NOT NULL,
    selected TEXT NOT NULL,
    last_child INTEGER,
    settings TEXT,
    genomes TEXT NOT NULL,
    PRIMARY KEY(session, idx)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS kept(
    id INTEGER PRIMARY KEY,
    genome TEXT NOT NULL,
    name TEXT NOT NULL,
    tags TEXT NOT NULL,
    session INTEGER,
    generation INTEGER,
    created INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS studies(
    session INTEGER NOT NULL,
    started INTEGER NOT NULL,
    generation INTEGER NOT NULL,
    child INTEGER NOT NULL,
    jobs TEXT NOT NULL,
    updated INTEGER NOT NULL,
    PRIMARY KEY(session, started)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS nets(
    id INTEGER PRIMARY KEY,
    session INTEGER,
    name TEXT NOT NULL,
    json TEXT NOT NULL,
    created INTEGER NOT NULL
);
";

/// Sets the connection up for two writers (WAL, a busy wait instead of an error) and
/// makes the tables if they are not there.
pub fn prepare(conn: &Connection) -> rusqlite::Result<i64> {
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    // In WAL mode NORMAL loses no committed transaction when a process is killed; only a
    // power cut may drop the last few (the database stays whole either way).
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.execute_batch(TABLES)?;
    conn.execute(
        "INSERT OR IGNORE INTO meta(key, value) VALUES('schema', ?1)",
        [SCHEMA_VERSION.to_string()],
    )?;
    let v: String = conn.query_row("SELECT value FROM meta WHERE key='schema'", [], |r| {
        r.get(0)
    })?;
    Ok(v.parse().unwrap_or(i64::MAX))
}
