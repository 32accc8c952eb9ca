//! `picbreeder search` run as a user would: a target run that finds its target, seeds
//! sharded and resumed, each run in the library, figures written, flags refused in one
//! line.

use std::path::{Path, PathBuf};
use std::process::Output;

mod common;
use common::picbreeder;

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pb-search-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn ok(r: &Output) -> String {
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    String::from_utf8_lossy(&r.stdout).into_owned()
}

fn one_line_error(r: &Output, code: i32, says: &str) {
    assert_eq!(r.status.code(), Some(code));
    let err = String::from_utf8_lossy(&r.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains(says), "{err}");
}

#[test]
fn target_search_from_its_own_genome_reaches_the_cap_and_is_kept() {
    let dir = temp("target");
    let genome = dir.join("g.json");
    // A bred genome as both target and start: the first generation holds it.
    ok(&picbreeder(&[
        "breed",
        "--new",
        "3",
        "-o",
        s(&dir.join("s.json")),
    ]));
    ok(&picbreeder(&[
        "session",
        s(&dir.join("s.json")),
        "--child",
        "2",
        "-o",
        s(&genome),
    ]));
    let out = dir.join("run");
    let lib = dir.join("lib.sqlite");
    let said = ok(&picbreeder(&[
        "search",
        "target",
        s(&genome),
        "--from",
        s(&genome),
        "-o",
        s(&out),
        "--population",
        "10",
        "--generations",
        "3",
        "-s",
        "16",
        "--library",
        s(&lib),
    ]));
    assert!(said.contains("best 100.000"), "{said}");
    let result: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("target-seed0.json")).unwrap()).unwrap();
    assert_eq!(result["stats"].as_array().unwrap().len(), 3);
    for f in ["curve.png", "curve.svg", "sheet.png"] {
        assert!(out.join(format!("target-seed0-{f}")).exists(), "{f}");
    }
    let listed = ok(&picbreeder(&["library", "list", "--library", s(&lib)]));
    assert!(listed.contains("search target seed 0"), "{listed}");
}

#[test]
fn shards_run_apart_equal_the_whole_and_resume_skips() {
    let dir = temp("shards");
    let run = |out: &Path, extra: &[&str]| {
        let mut args = vec![
            "search",
            "map-elites",
            "-o",
            s(out),
            "--population",
            "12",
            "--generations",
            "3",
            "-s",
            "16",
            "--seeds",
            "0..2",
            "--no-library",
            "--axes",
            "symmetry,coverage,colourfulness",
            "--bins",
            "4",
        ];
        args.extend_from_slice(extra);
        picbreeder(&args)
    };
    let (whole, parts) = (dir.join("whole"), dir.join("parts"));
    ok(&run(&whole, &[]));
    ok(&run(&parts, &["--shard", "0/2"]));
    ok(&run(&parts, &["--shard", "1/2"]));
    for seed in 0..=2 {
        let read = |d: &Path| {
            let mut v: serde_json::Value = serde_json::from_slice(
                &std::fs::read(d.join(format!("map-elites-seed{seed}.json"))).unwrap(),
            )
            .unwrap();
            v["seconds"] = 0.into();
            v
        };
        assert_eq!(read(&whole), read(&parts), "seed {seed}");
        assert!(
            whole
                .join(format!("map-elites-seed{seed}-map.svg"))
                .exists()
        );
    }
    one_line_error(&run(&whole, &[]), 1, "--resume");
    let said = ok(&run(&whole, &["--resume"]));
    assert!(!said.contains("wrote"), "nothing run again: {said}");
}

#[test]
fn bad_flags_are_one_line() {
    let dir = temp("flags");
    let o = s(&dir);
    for (args, says) in [
        (
            vec!["search", "novelty", "-o", o, "--population", "1"],
            "population",
        ),
        (
            vec!["search", "novelty", "-o", o, "-s", "100000"],
            "picture size",
        ),
        (
            vec!["search", "map-elites", "-o", o, "--axes", "symmetry"],
            "two or three",
        ),
        (
            vec!["search", "map-elites", "-o", o, "--axes", "beauty,symmetry"],
            "not an axis",
        ),
        (vec!["search", "map-elites", "-o", o, "--bins", "1"], "bins"),
        (
            vec!["search", "novelty", "-o", o, "--shard", "2/2"],
            "shard",
        ),
    ] {
        one_line_error(&picbreeder(&args), 2, says);
    }
    one_line_error(
        &picbreeder(&[
            "search",
            "target",
            "/nonexistent.png",
            "-o",
            o,
            "--no-library",
        ]),
        1,
        "nonexistent",
    );
    one_line_error(
        &picbreeder(&[
            "search",
            "novelty",
            "-o",
            o,
            "--population",
            "10000",
            "-s",
            "1024",
        ]),
        1,
        "--size",
    );
}
