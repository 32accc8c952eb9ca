//! Requests too big for memory are refused at once, with what they would need and what
//! to change; allowed ones are capped. Big genomes are made here, not shipped.

use picbreeder::cppn::synthetic::synthetic;
use picbreeder::io::json::genome_to_json;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

mod common;

fn picbreeder(args: &[&str]) -> (Output, Duration) {
    let started = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_picbreeder"))
        .args(args)
        .output()
        .expect("the binary runs");
    (out, started.elapsed())
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pb-limits-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A made-up genome of `hidden` hidden nodes, written as native JSON.
fn big_genome(hidden: usize) -> PathBuf {
    let path = temp(&format!("synthetic-{hidden}.json"));
    std::fs::write(&path, genome_to_json(&synthetic(hidden, 1))).unwrap();
    path
}

/// Refused: exit 1, one line saying what it would need, no output file, quickly.
fn assert_refused(r: &(Output, Duration), out: &Path, within: Duration) {
    let (o, took) = r;
    let e = stderr(o);
    assert_eq!(o.status.code(), Some(1), "{e}");
    assert!(
        e.contains("would need") || e.contains("over the limit"),
        "{e}"
    );
    assert_eq!(e.trim().lines().count(), 1, "{e}");
    assert!(!out.exists(), "{} was written", out.display());
    assert!(*took < within, "refusing took {took:?}: {e}");
}

#[test]
fn a_gallery_of_a_20000_node_genome_is_refused_at_once() {
    let genome = big_genome(20_000);
    let out = temp("big-gallery.png");
    for extra in [&["-s", "64"][..], &["-s", "1"], &["-s", "8", "--layerized"]] {
        let mut args = vec!["gallery", s(&genome), "-o", s(&out)];
        args.extend_from_slice(extra);
        let r = picbreeder(&args);
        assert_refused(&r, &out, Duration::from_secs(10));
    }
}

#[test]
fn a_gallery_at_the_largest_size_is_refused_with_the_size_that_fits() {
    let skull = common::shared("skull.zip").unwrap_or_else(|| big_genome(20));
    let out = temp("huge-gallery.png");
    let r = picbreeder(&["gallery", s(&skull), "-s", "16384", "-o", s(&out)]);
    assert_refused(&r, &out, Duration::from_secs(5));
    let e = stderr(&r.0);
    // The message names a size that fits; that size works.
    let fits: String = e
        .split("at most ")
        .nth(1)
        .expect("names a size")
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let n: usize = fits.parse().unwrap();
    assert!((64..16384).contains(&n), "{e}");
}

#[test]
fn oversize_networks_are_refused_in_under_a_second() {
    let small = big_genome(30);
    let out = temp("big-net.json");
    for arch in [
        "mlp:1000x1000:tanh",
        "mlp:256x4096:tanh",
        "mlp:64x2000:tanh",
    ] {
        let r = picbreeder(&[
            "train",
            s(&small),
            "--arch",
            arch,
            "--steps",
            "1",
            "-s",
            "32",
            "-o",
            s(&out),
        ]);
        let e = stderr(&r.0);
        assert!(matches!(r.0.status.code(), Some(1 | 2)), "{arch}: {e}");
        assert!(r.1 < Duration::from_secs(1), "{arch}: {:?}", r.1);
        assert!(!out.exists());
    }
    // The paper's shape of a big deep genome: billions of weights.
    let big = big_genome(20_000);
    let r = picbreeder(&["train", s(&big), "--steps", "1", "-s", "32", "-o", s(&out)]);
    assert_refused(&r, &out, Duration::from_secs(3));
}

#[test]
fn a_batch_over_the_pixel_count_is_the_whole_image() {
    let small = big_genome(10);
    let out = temp("capped.json");
    let r = picbreeder(&[
        "train",
        s(&small),
        "--batch",
        "100000000",
        "--steps",
        "3",
        "-s",
        "32",
        "-o",
        s(&out),
    ]);
    let e = stderr(&r.0);
    assert!(r.0.status.success(), "{e}");
    assert!(e.contains("1024 pixels"), "{e}");
    assert!(r.1 < Duration::from_secs(20), "{:?}", r.1);
    assert!(out.exists());
}

#[test]
fn sheets_too_big_are_refused_before_the_session_is_written() {
    let session = temp("big-sheet-session.json");
    let sheet = temp("big-sheet.png");
    let r = picbreeder(&[
        "breed",
        "--new",
        "3",
        "-o",
        s(&session),
        "--sheet",
        s(&sheet),
        "-s",
        "16384",
    ]);
    assert_refused(&r, &sheet, Duration::from_secs(5));
    assert!(
        !session.exists(),
        "the session was written before the sheet was refused"
    );
    let small = big_genome(10);
    let strip = temp("big-sweep.png");
    let r = picbreeder(&["sweep", s(&small), "--all", "-s", "16384", "-o", s(&strip)]);
    assert_refused(&r, &strip, Duration::from_secs(5));
}
