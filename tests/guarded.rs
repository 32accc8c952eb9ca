//! Runs that go wrong end cleanly: a diverging or interrupted training run leaves a
//! readable network (or none), an unwritable output is found before training, progress
//! is logged when stderr is not a terminal, and a closed stdout ends a command quietly
//! after the file it was writing.

use picbreeder::cppn::synthetic::synthetic;
use picbreeder::io::json::{genome_to_json, net_from_json};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_picbreeder"))
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pb-guarded-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn genome(hidden: usize) -> PathBuf {
    let path = temp(&format!("g{hidden}.json"));
    std::fs::write(&path, genome_to_json(&synthetic(hidden, 2))).unwrap();
    path
}

/// A written network must read back: no `null` weights.
fn assert_readable_net(path: &Path) {
    let text = std::fs::read_to_string(path).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    for layer in v["layers"].as_array().expect("layers") {
        let weights = layer["weights"].as_array().expect("weights");
        assert!(
            weights.iter().all(|w| w.is_number()),
            "{} has null weights",
            path.display()
        );
    }
    net_from_json(text.as_bytes()).expect("the network reads back");
}

#[test]
fn a_diverging_run_leaves_no_unreadable_network() {
    let g = genome(12);
    let out = temp("diverged.json");
    let r = bin()
        .args([
            "train",
            s(&g),
            "--lr",
            "1e9",
            "--steps",
            "40",
            "-s",
            "24",
            "-o",
            s(&out),
        ])
        .output()
        .unwrap();
    let e = String::from_utf8_lossy(&r.stderr);
    assert_eq!(r.status.code(), Some(1), "{e}");
    assert!(
        e.contains("diverged") && e.contains("kept the last finite weights"),
        "{e}"
    );
    assert_readable_net(&out);
}

#[test]
fn an_unwritable_output_is_refused_before_training() {
    let g = genome(12);
    let started = Instant::now();
    let r = bin()
        .args(["train", s(&g), "--steps", "100000", "-s", "64"])
        .args(["-o", "/nonexistent-folder/net.json"])
        .output()
        .unwrap();
    let e = String::from_utf8_lossy(&r.stderr);
    assert_eq!(r.status.code(), Some(1), "{e}");
    assert!(
        e.contains("cannot write there") && e.contains("nothing was trained"),
        "{e}"
    );
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[test]
fn ctrl_c_writes_the_network_so_far_and_progress_is_logged() {
    let g = genome(20);
    let out = temp("interrupted.json");
    let mut child = bin()
        .args(["train", s(&g), "--steps", "100000000", "-s", "64"])
        .args(["--progress-every", "0.2", "-o", s(&out)])
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    // stderr is a pipe: progress comes as lines. Wait for two, then interrupt.
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let mut progress = 0;
    let mut log = String::new();
    while progress < 2 {
        let line = lines.next().expect("progress lines").unwrap();
        progress += usize::from(line.starts_with("step "));
        log += &line;
        log += "\n";
    }
    let ok = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(ok.success());
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    let status = child.wait().unwrap();
    let rest = rest.join("\n");
    assert_eq!(status.code(), Some(1), "{log}{rest}");
    assert!(rest.contains("interrupted"), "{log}{rest}");
    assert_readable_net(&out);
}

#[test]
fn a_closed_pipe_ends_quietly_after_the_picture_is_written() {
    let g = genome(15);
    let out = temp("piped-sheet.png");
    let mut child = bin()
        .args(["sweep", s(&g), "--all", "-s", "24", "-o", s(&out)])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read one line, as `head -1` does, and close the pipe.
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 1];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(out.exists(), "the sheet was not written");
    picbreeder::io::png::load(&out).expect("a whole PNG");
}
