//! Messages that say the right thing: a command given the wrong kind of file names the
//! kind and the command that takes it; a session's settings are checked on load.

use picbreeder::breed::Session;
use picbreeder::cppn::synthetic::synthetic;
use picbreeder::io::json::genome_to_json;
use picbreeder::io::kind::{EXPERIMENT_FORMAT, Kind, SCORECARD_FORMAT, SESSION_FORMAT, sniff};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn picbreeder(args: &[&str]) -> (i32, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_picbreeder"))
        .args(args)
        .output()
        .unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pb-messages-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn the_sniffer_knows_every_format_the_program_writes() {
    assert_eq!(SESSION_FORMAT, picbreeder::breed::SESSION_FORMAT);
    assert_eq!(SCORECARD_FORMAT, picbreeder::measure::format::FORMAT);
    assert_eq!(
        EXPERIMENT_FORMAT,
        picbreeder::experiment::jobs::RESULT_FORMAT
    );
    let session = Session::new(1).to_json();
    assert_eq!(sniff(session.as_bytes()), Kind::Session);
}

#[test]
fn a_session_given_to_a_genome_command_says_to_use_session() {
    let session = temp("a-session.json");
    std::fs::write(&session, Session::new(2).to_json()).unwrap();
    let out = temp("x.png");
    for cmd in [
        vec!["render", s(&session), "-o", s(&out)],
        vec!["info", s(&session)],
        vec!["gallery", s(&session), "-o", s(&out)],
        vec!["train", s(&session), "-o", s(&out)],
        vec!["sweep", s(&session), "--all", "-o", s(&out)],
    ] {
        let (code, e) = picbreeder(&cmd);
        assert_eq!(code, 1, "{cmd:?}: {e}");
        assert!(e.contains("this is a breeding session"), "{cmd:?}: {e}");
        assert!(e.contains("`picbreeder session`"), "{cmd:?}: {e}");
        assert_eq!(e.trim().lines().count(), 1, "{e}");
    }
}

#[test]
fn a_genome_given_to_session_or_breed_says_what_it_is() {
    let genome = temp("a-genome.json");
    std::fs::write(&genome, genome_to_json(&synthetic(3, 1))).unwrap();
    let out = temp("s.json");
    for cmd in [
        vec!["session", s(&genome)],
        vec!["breed", s(&genome), "-o", s(&out)],
    ] {
        let (code, e) = picbreeder(&cmd);
        assert_eq!(code, 1, "{cmd:?}: {e}");
        assert!(
            e.contains("this is a genome, not a session"),
            "{cmd:?}: {e}"
        );
        assert!(e.contains("breed --from"), "{cmd:?}: {e}");
    }
}

#[test]
fn a_session_with_a_huge_population_is_refused_naming_the_field() {
    let text = Session::new(3)
        .to_json()
        .replace("\"population\":15", "\"population\":100000000");
    assert!(text.contains("100000000"));
    let path = temp("huge-population.json");
    std::fs::write(&path, text).unwrap();
    let out = temp("bred.json");
    let started = Instant::now();
    let (code, e) = picbreeder(&["breed", s(&path), "--pick", "1", "-o", s(&out)]);
    assert_eq!(code, 1, "{e}");
    assert!(e.contains("setting 'population' is 100000000"), "{e}");
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(!out.exists());
}
