//! The library's tables. A generation is one row, written when it is made, its genomes
//! packed into one blob (`breed::packed`: the first whole, the others as changes from
//! the kept parents) in a row of `packs`, so a row costs what the generation's changes
//! cost, not what its genomes weigh, and changing a generation's marks later (parents
//! chosen) does not rewrite its blob. Kept genomes (and generations written by version 1, which named their
//! genomes by content hash) are rows of `genomes`, stored once.

use rusqlite::Connection;

/// Bumped when the tables change; a newer library is refused rather than misread.
/// Version 2 added `packs` and `generations.packed` (version 1's rows are read as they
/// were); version 3 `leases` (one writer per session); version 4 `twins`,
/// `twin_curves` and `twin_snapshots` (the SGD twin trained in the window).
pub const SCHEMA_VERSION: i64 = 4;

/// SQLite's application id of a picbreeder library ("PicB" in ASCII), set on every new
/// library: another program's database is refused, never added to.
pub const APPLICATION_ID: i32 = 0x5069_6342;

/// What a database is, found by reading only (nothing is written to a database that is
/// not ours).
#[derive(Debug, PartialEq, Eq)]
pub enum Identity {
    /// Empty: a library is made in it.
    New,
    /// A library (with our application id, or an older one with our tables).
    Ours,
    /// Not a library: why, for the user.
    Foreign(String),
}

/// Reads what the database at `conn` is. A file that is no SQLite database at all is
/// an error of SQLite's ([`rusqlite::ErrorCode::NotADatabase`]).
pub fn identify(conn: &Connection) -> rusqlite::Result<Identity> {
    let id: i32 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    if id == APPLICATION_ID {
        return columns_match(conn, &tables);
    }
    if id != 0 {
        return Ok(Identity::Foreign(format!(
            "another program's SQLite database (application id {id:#010x}), not a picbreeder library: nothing was written to it; give another file"
        )));
    }
    if tables.is_empty() {
        return Ok(Identity::New);
    }
    let has = |t: &str| tables.iter().any(|n| n == t);
    let schema: Option<String> = if has("meta") && has("sessions") && has("generations") {
        conn.query_row("SELECT value FROM meta WHERE key='schema'", [], |r| {
            r.get(0)
        })
        .ok()
    } else {
        None
    };
    if schema.is_some() {
        return columns_match(conn, &tables);
    }
    let mut shown: Vec<&str> = tables.iter().take(5).map(String::as_str).collect();
    if tables.len() > 5 {
        shown.push("...");
    }
    Ok(Identity::Foreign(format!(
        "a SQLite database of another program (tables {}), not a picbreeder library: nothing was written to it; give another file",
        shown.join(", ")
    )))
}

/// [`Identity::Ours`] if every table of ours in `tables` has our columns, else
/// [`Identity::Foreign`] naming the first that does not (a table another program made,
/// or changed, under one of our names: it used to surface as SQLite's "no such column").
/// Tables we do not know are left alone (a newer picbreeder's are refused by version).
fn columns_match(conn: &Connection, tables: &[String]) -> rusqlite::Result<Identity> {
    let expected = Connection::open_in_memory()?;
    expected.execute_batch(TABLES)?;
    for table in tables {
        let want = columns(&expected, table)?;
        if want.is_empty() {
            continue;
        }
        let found = columns(conn, table)?;
        // Version 1's `generations` has no `packed` yet: added on upgrade.
        let upgradable = table == "generations"
            && found.len() + 1 == want.len()
            && want
                .iter()
                .filter(|c| !found.contains(c))
                .eq(["packed"].iter());
        if found != want && !upgradable {
            return Ok(Identity::Foreign(format!(
                "table {table} has other columns ({}) than a picbreeder library's ({}): made by another program or version; nothing was written to it; give another file",
                found.join(", "),
                want.join(", ")
            )));
        }
    }
    Ok(Identity::Ours)
}

/// The column names of `table` in order (none if there is no such table).
fn columns(conn: &Connection, table: &str) -> rusqlite::Result<Vec<String>> {
    conn.prepare("SELECT name FROM pragma_table_info(?1)")?
        .query_map([table], |r| r.get(0))?
        .collect()
}

/// The tables' version of a library opened read-only.
pub fn version(conn: &Connection) -> rusqlite::Result<i64> {
    let v: String = conn.query_row("SELECT value FROM meta WHERE key='schema'", [], |r| {
        r.get(0)
    })?;
    Ok(v.parse().unwrap_or(i64::MAX))
}

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
    -- Version 1: a JSON list of hashes into `genomes`; '[]' when `packed` holds them.
    genomes TEXT NOT NULL,
    -- The row of `packs` holding its genomes.
    packed INTEGER,
    PRIMARY KEY(session, idx)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS packs(id INTEGER PRIMARY KEY, blob BLOB NOT NULL);
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
-- Who writes to a session now: a process, its machine, its connection's token, and
-- when it last said it is alive (milliseconds since 1970).
CREATE TABLE IF NOT EXISTS leases(
    session INTEGER PRIMARY KEY,
    pid INTEGER NOT NULL,
    host TEXT NOT NULL,
    token TEXT NOT NULL,
    heartbeat INTEGER NOT NULL
);
-- The SGD twin trained in the window on one genome of a session: its key is when the
-- run started (milliseconds since 1970); `genome` is the content hash of the genome
-- trained on, `setup` the panel's settings as JSON, `net` the newest net as native
-- JSON, rewritten as it trains.
CREATE TABLE IF NOT EXISTS twins(
    session INTEGER NOT NULL,
    started INTEGER NOT NULL,
    genome TEXT NOT NULL,
    generation INTEGER NOT NULL,
    child INTEGER NOT NULL,
    setup TEXT NOT NULL,
    step INTEGER NOT NULL,
    net TEXT NOT NULL,
    updated INTEGER NOT NULL,
    PRIMARY KEY(session, started)
) WITHOUT ROWID;
-- Its loss curve in pieces, each the points since the last save: (step, log10 loss)
-- as little-endian f64 pairs, from point number `first` on.
CREATE TABLE IF NOT EXISTS twin_curves(
    session INTEGER NOT NULL,
    started INTEGER NOT NULL,
    first INTEGER NOT NULL,
    points BLOB NOT NULL,
    PRIMARY KEY(session, started, first)
) WITHOUT ROWID;
-- The snapshots its Path view keeps, each a native JSON net.
CREATE TABLE IF NOT EXISTS twin_snapshots(
    session INTEGER NOT NULL,
    started INTEGER NOT NULL,
    step INTEGER NOT NULL,
    net TEXT NOT NULL,
    PRIMARY KEY(session, started, step)
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
/// makes the tables if they are not there. Only for a database [`identify`] found new
/// or ours.
pub fn prepare(conn: &Connection) -> rusqlite::Result<i64> {
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    // A new library's pages are 16 kB: a generation's blob (tens of kB in a long
    // session) spans fewer of them, which saves faster where it matters, late in a long
    // session (docs/benchmarks.md, "The library"). An existing library keeps its size.
    conn.pragma_update(None, "page_size", 16384)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    // In WAL mode NORMAL loses no committed transaction when a process is killed; only a
    // power cut may drop the last few (the database stays whole either way).
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    // One writer at a time makes or upgrades the tables (two windows starting at once).
    conn.execute_batch("BEGIN IMMEDIATE")?;
    let r = (|| {
        conn.execute_batch(TABLES)?;
        // New libraries, and older ones found to be ours, say whose they are (written
        // once: it changes the file's first page).
        let id: i32 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
        if id != APPLICATION_ID {
            conn.pragma_update(None, "application_id", APPLICATION_ID)?;
        }
        conn.execute(
            "INSERT OR IGNORE INTO meta(key, value) VALUES('schema', ?1)",
            [SCHEMA_VERSION.to_string()],
        )?;
        let v: String = conn.query_row("SELECT value FROM meta WHERE key='schema'", [], |r| {
            r.get(0)
        })?;
        let found = v.parse().unwrap_or(i64::MAX);
        let mut v = found;
        if v == 1 {
            conn.execute_batch("ALTER TABLE generations ADD COLUMN packed INTEGER;")?;
            v = 2;
        }
        if v == 2 {
            // `leases` was made above with the other tables.
            v = 3;
        }
        if v == 3 {
            // The twin tables were made above with the others.
            v = 4;
        }
        if v != found {
            conn.execute(
                "UPDATE meta SET value=?1 WHERE key='schema'",
                [v.to_string()],
            )?;
        }
        Ok(v)
    })();
    conn.execute_batch(if r.is_ok() { "COMMIT" } else { "ROLLBACK" })?;
    r
}
