//! `picbreeder library`: the store through the binary, killed at random moments, and two
//! processes writing into one library at once.

use picbreeder::store::Store;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pb-library-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn library(db: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_picbreeder"))
        .arg("library")
        .arg("--library")
        .arg(db)
        .args(args)
        .output()
        .unwrap()
}

fn text(o: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn killed_at_random_moments_the_library_keeps_every_saved_generation() {
    let dir = temp("kill");
    let db = dir.join("library.sqlite");
    let o = library(&db, &["grow", "--new", "5", "--generations", "1"]);
    assert!(o.status.success(), "{}", text(&o));
    let id = 1;
    // A fixed sequence of "random" moments, so a failure can be run again.
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    for round in 0..20 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let wait = Duration::from_millis(20 + x % 400);
        let mut child = Command::new(env!("CARGO_BIN_EXE_picbreeder"))
            .arg("library")
            .arg("--library")
            .arg(&db)
            .args(["grow", "--session", "1", "--generations", "100000"])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let out = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            let mut last = 0;
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                if let Some(n) = line.strip_prefix("saved ") {
                    last = n.parse().unwrap();
                }
            }
            last
        });
        std::thread::sleep(wait);
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let said: usize = reader.join().unwrap();
        let store = Store::open(&db).unwrap();
        let s = store
            .load_session(id)
            .unwrap_or_else(|e| panic!("round {round}: {e}"));
        assert!(
            s.generations().len() >= said,
            "round {round}: said it saved {said}, library has {}",
            s.generations().len()
        );
    }
}

#[test]
fn two_processes_breeding_into_one_library_lose_nothing() {
    let dir = temp("two");
    let db = dir.join("library.sqlite");
    let spawn = |seed: &str| {
        Command::new(env!("CARGO_BIN_EXE_picbreeder"))
            .arg("library")
            .arg("--library")
            .arg(&db)
            .args(["grow", "--new", seed, "--generations", "60"])
            .output()
    };
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(|| spawn("1").unwrap());
        let b = s.spawn(|| spawn("2").unwrap());
        (a.join().unwrap(), b.join().unwrap())
    });
    assert!(a.status.success(), "{}", text(&a));
    assert!(b.status.success(), "{}", text(&b));
    let store = Store::open(&db).unwrap();
    let sessions = store.sessions().unwrap();
    assert_eq!(sessions.len(), 2);
    for s in sessions {
        assert_eq!(s.generations, 61, "{s:?}");
        assert_eq!(store.load_session(s.id).unwrap().generations().len(), 61);
    }
}

#[test]
fn list_show_export_import_delete() {
    let dir = temp("cli");
    let db = dir.join("library.sqlite");
    let o = library(&db, &["grow", "--new", "3", "--generations", "4"]);
    assert!(o.status.success(), "{}", text(&o));
    let o = library(&db, &["list"]);
    assert!(text(&o).contains("grown 3"), "{}", text(&o));
    assert!(text(&o).contains("5 generations"), "{}", text(&o));
    let o = library(&db, &["show", "1"]);
    assert!(o.status.success(), "{}", text(&o));
    let file = dir.join("out.json");
    let o = library(&db, &["export", "1", "-o", file.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));
    let o = library(&db, &["import", file.to_str().unwrap(), "--name", "again"]);
    assert!(text(&o).contains("as session 2"), "{}", text(&o));
    let store = Store::open(&db).unwrap();
    assert_eq!(
        store.load_session(1).unwrap(),
        store.load_session(2).unwrap()
    );
    drop(store);
    let o = library(&db, &["delete", "1"]);
    assert!(o.status.success(), "{}", text(&o));
    let o = library(&db, &["list"]);
    assert!(!text(&o).contains("grown 3"), "{}", text(&o));
    let o = library(&db, &["show", "7"]);
    assert!(!o.status.success());
    assert!(text(&o).contains("no session 7"), "{}", text(&o));
    let o = library(&db, &["delete"]);
    assert!(!o.status.success());
}

/// Runs `library ARGS` with stdout a pipe whose reading end is already closed (what
/// `| head -1` comes to once head has its line).
fn into_closed_pipe(db: &Path, args: &[&str]) -> std::process::Output {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    Command::new(env!("CARGO_BIN_EXE_picbreeder"))
        .arg("library")
        .arg("--library")
        .arg(db)
        .args(args)
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .unwrap()
}

#[test]
fn list_and_show_into_a_closed_pipe_end_quietly() {
    let dir = temp("pipe");
    let db = dir.join("library.sqlite");
    let o = library(&db, &["grow", "--new", "3", "--generations", "2"]);
    assert!(o.status.success(), "{}", text(&o));
    for args in [&["list"][..], &["show", "1"]] {
        let o = into_closed_pipe(&db, args);
        let e = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {e}");
        assert!(!e.contains("panicked"), "{args:?}: {e}");
    }
}

#[test]
fn another_programs_database_is_refused_and_left_as_it_was() {
    let dir = temp("foreign");
    // Another program's database: its own table, with and without an application id.
    for (k, app_id) in [0, 0x1234].into_iter().enumerate() {
        let db = dir.join(format!("other-{k}.sqlite"));
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch("CREATE TABLE users(name TEXT); INSERT INTO users VALUES('ann');")
            .unwrap();
        conn.pragma_update(None, "application_id", app_id).unwrap();
        drop(conn);
        let before = std::fs::read(&db).unwrap();
        for args in [&["list"][..], &["grow", "--new", "1", "--generations", "1"]] {
            let o = library(&db, args);
            let e = String::from_utf8_lossy(&o.stderr);
            assert_eq!(o.status.code(), Some(1), "{args:?}: {e}");
            assert!(e.contains("not a picbreeder library"), "{e}");
            assert_eq!(e.trim().lines().count(), 1, "{e}");
            assert!(
                !e.contains("no such table") && !e.contains("SqliteFailure"),
                "{e}"
            );
            assert_eq!(std::fs::read(&db).unwrap(), before, "{args:?} wrote to it");
            assert!(!dir.join(format!("other-{k}.sqlite-wal")).exists());
        }
    }
    // Not a database at all.
    let notes = dir.join("notes.sqlite");
    std::fs::write(&notes, "these are my notes, not a database\n".repeat(40)).unwrap();
    let o = library(&notes, &["list"]);
    let e = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{e}");
    assert!(e.contains("not a SQLite database"), "{e}");
    // A new library says whose it is.
    let ours = dir.join("library.sqlite");
    let o = library(&ours, &["grow", "--new", "1", "--generations", "1"]);
    assert!(o.status.success(), "{}", text(&o));
    let id: i32 = rusqlite::Connection::open(&ours)
        .unwrap()
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .unwrap();
    assert_eq!(id, 0x5069_6342);
}

/// Makes a file or folder immutable (even root cannot write it) until dropped.
struct Immutable(Vec<PathBuf>);

impl Immutable {
    fn new(paths: &[&Path]) -> Option<Immutable> {
        let ok = Command::new("chattr")
            .arg("+i")
            .args(paths)
            .status()
            .is_ok_and(|s| s.success());
        let guard = Immutable(paths.iter().map(|p| p.to_path_buf()).collect());
        ok.then_some(guard)
    }
}

impl Drop for Immutable {
    fn drop(&mut self) {
        let _ = Command::new("chattr").arg("-i").args(&self.0).status();
    }
}

#[test]
fn a_read_only_library_can_be_listed_shown_and_exported() {
    let dir = temp("readonly");
    let db = dir.join("library.sqlite");
    let o = library(&db, &["grow", "--new", "4", "--generations", "3"]);
    assert!(o.status.success(), "{}", text(&o));
    let out = temp("readonly-out").join("exported.json");
    let Some(_frozen) = Immutable::new(&[&db, &dir]) else {
        eprintln!("*** SKIPPED: chattr +i is not available here ***");
        return;
    };
    assert!(
        std::fs::write(dir.join("probe"), "x").is_err(),
        "the folder is writable"
    );
    let o = library(&db, &["list"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("grown 4"), "{}", text(&o));
    let o = library(&db, &["show", "1"]);
    assert!(o.status.success(), "{}", text(&o));
    let o = library(&db, &["export", "1", "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));
    let s = picbreeder::breed::Session::load(&out).unwrap();
    assert_eq!(s.generations().len(), 4);
}

#[test]
fn an_empty_saves_variable_is_refused() {
    let dir = temp("empty-saves");
    let o = Command::new(env!("CARGO_BIN_EXE_picbreeder"))
        .args(["library", "list"])
        .env("PICBREEDER_SAVES", "")
        .current_dir(&dir)
        .output()
        .unwrap();
    let e = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{e}");
    assert!(e.contains("PICBREEDER_SAVES is set but empty"), "{e}");
    assert!(!dir.join("library.sqlite").exists());
}

/// Lines "saved N" a `grow` printed: the last N.
fn last_saved(o: &std::process::Output) -> Option<usize> {
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .rev()
        .filter_map(|l| l.strip_prefix("saved "))
        .find_map(|n| n.parse().ok())
}

/// Two `grow`s of one session at once: one holds the session, the other is refused in
/// one line naming the holder and the way out (or they ran one after the other and both
/// grew it). The session reads back with every generation either reported.
#[test]
fn two_grows_of_one_session_at_once_lose_nothing() {
    let dir = temp("onesession");
    let db = dir.join("library.sqlite");
    let o = library(&db, &["grow", "--new", "4", "--generations", "1"]);
    assert!(o.status.success(), "{}", text(&o));
    for round in 0..3 {
        let before = Store::open(&db)
            .unwrap()
            .session_info(1)
            .unwrap()
            .generations;
        let (a, b) = std::thread::scope(|s| {
            let grow = || library(&db, &["grow", "--session", "1", "--generations", "60"]);
            let a = s.spawn(grow);
            let b = s.spawn(grow);
            (a.join().unwrap(), b.join().unwrap())
        });
        let mut reported = vec![];
        for o in [&a, &b] {
            if o.status.success() {
                reported.push(last_saved(o).unwrap());
            } else {
                let err = String::from_utf8_lossy(&o.stderr);
                assert_eq!(err.trim().lines().count(), 1, "round {round}: {err}");
                assert!(
                    err.contains("session 1 is open for writing") && err.contains("--copy"),
                    "round {round}: {err}"
                );
                assert_eq!(last_saved(o), None, "refused before breeding");
            }
        }
        // Each success grew it by 60 after the other's: none overwrote the other.
        assert!(!reported.is_empty(), "round {round}: both refused");
        reported.sort();
        let grown = 60 * reported.len();
        let expect: Vec<usize> = (1..=reported.len()).map(|k| before + 60 * k).collect();
        assert_eq!(reported, expect, "round {round}");
        let store = Store::open(&db).unwrap();
        let s = store
            .load_session(1)
            .unwrap_or_else(|e| panic!("round {round}: {e}"));
        assert_eq!(s.generations().len(), before + grown, "round {round}");
    }
}

/// While a session is held (here by this test's own open library), `grow` is refused
/// and `grow --copy` grows a copy as a new session, the held one untouched.
#[test]
fn a_held_session_is_refused_and_a_copy_grows() {
    let dir = temp("held");
    let db = dir.join("library.sqlite");
    let mut holder = Store::open(&db).unwrap();
    let id = holder
        .create_session("held", &picbreeder::breed::Session::new(3))
        .unwrap();
    let o = library(
        &db,
        &["grow", "--session", &id.to_string(), "--generations", "3"],
    );
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(&format!("process {}", std::process::id())) && err.contains("--copy"),
        "{err}"
    );
    let o = library(
        &db,
        &[
            "grow",
            "--session",
            &id.to_string(),
            "--copy",
            "--generations",
            "3",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(last_saved(&o), Some(4));
    let store = Store::open(&db).unwrap();
    assert_eq!(store.load_session(id).unwrap().generations().len(), 1);
    let copy = store.sessions().unwrap()[0].clone();
    assert_ne!(copy.id, id);
    assert_eq!(copy.name, format!("copy of session {id}"));
    assert_eq!(store.load_session(copy.id).unwrap().generations().len(), 4);
    // Given back, it grows.
    drop(holder);
    let o = library(
        &db,
        &["grow", "--session", &id.to_string(), "--generations", "2"],
    );
    assert!(o.status.success(), "{}", text(&o));
}

/// A `grow` killed with SIGKILL never gives its lease back: the session is free again
/// at once on this machine (its process is gone), without waiting for the timeout.
#[test]
fn a_killed_holders_lease_is_taken_at_once() {
    let dir = temp("killedholder");
    let db = dir.join("library.sqlite");
    let o = library(&db, &["grow", "--new", "5", "--generations", "1"]);
    assert!(o.status.success(), "{}", text(&o));
    let mut child = Command::new(env!("CARGO_BIN_EXE_picbreeder"))
        .arg("library")
        .arg("--library")
        .arg(&db)
        .args(["grow", "--session", "1", "--generations", "1000000"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    // Once it has saved, it holds the session.
    while !lines.next().unwrap().unwrap().starts_with("saved ") {}
    let o = library(&db, &["grow", "--session", "1", "--generations", "1"]);
    assert!(!o.status.success(), "refused while it runs");
    child.kill().unwrap();
    child.wait().unwrap();
    let o = library(&db, &["grow", "--session", "1", "--generations", "1"]);
    assert!(o.status.success(), "{}", text(&o));
    Store::open(&db).unwrap().load_session(1).unwrap();
}

#[test]
fn a_table_of_another_schema_is_refused_naming_it() {
    let dir = temp("schema");
    // A library whose `sessions` table someone else made with other columns: with and
    // without our application id, listed, grown and shown.
    for (k, ours) in [true, false].into_iter().enumerate() {
        let db = dir.join(format!("library-{k}.sqlite"));
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch(
            "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
             INSERT INTO meta VALUES('schema', '3');
             CREATE TABLE sessions(id INTEGER PRIMARY KEY, title TEXT);
             INSERT INTO sessions VALUES(1, 'mine');
             CREATE TABLE generations(session INTEGER NOT NULL, idx INTEGER NOT NULL,
                 parent INTEGER, depth INTEGER NOT NULL, origin TEXT NOT NULL,
                 kept INTEGER NOT NULL, selected TEXT NOT NULL, last_child INTEGER,
                 settings TEXT, genomes TEXT NOT NULL, packed INTEGER,
                 PRIMARY KEY(session, idx)) WITHOUT ROWID;",
        )
        .unwrap();
        if ours {
            conn.pragma_update(None, "application_id", 0x5069_6342)
                .unwrap();
        }
        drop(conn);
        let before = std::fs::read(&db).unwrap();
        for args in [
            &["list"][..],
            &["show", "1"],
            &["grow", "--new", "1", "--generations", "1"],
        ] {
            let o = library(&db, args);
            let e = String::from_utf8_lossy(&o.stderr);
            assert_eq!(o.status.code(), Some(1), "{args:?}: {e}");
            assert_eq!(e.trim().lines().count(), 1, "{e}");
            assert!(e.contains("table sessions"), "{args:?}: {e}");
            assert!(!e.contains("no such column"), "{e}");
            assert_eq!(std::fs::read(&db).unwrap(), before, "{args:?} wrote to it");
        }
    }
}
