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

mod common;

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

/// Runs the program; its output and its stderr as text.
fn run_and_read(args: &[&str]) -> (std::process::Output, String) {
    let r = bin().args(args).output().unwrap();
    let e = String::from_utf8_lossy(&r.stderr).into_owned();
    (r, e)
}

#[test]
fn a_sheet_never_replaces_the_session_it_breeds_from() {
    let session = temp("sheet-session.json");
    let (r, e) = run_and_read(&["breed", "--new", "3", "-o", s(&session)]);
    assert!(r.status.success(), "{e}");
    let before = std::fs::read(&session).unwrap();
    let out = temp("sheet-out.json");
    let (r, e) = run_and_read(&[
        "breed",
        s(&session),
        "--pick",
        "1",
        "-o",
        s(&out),
        "--sheet",
        s(&session),
        "-s",
        "16",
    ]);
    assert_eq!(r.status.code(), Some(1), "{e}");
    assert!(e.contains("also an input"), "{e}");
    assert_eq!(
        std::fs::read(&session).unwrap(),
        before,
        "the session was replaced"
    );
    assert!(!out.exists(), "a refused command wrote its session");
    // The sheet and the session written are one file under two names.
    let (r, e) = run_and_read(&[
        "breed",
        s(&session),
        "--pick",
        "1",
        "-o",
        s(&out),
        "--sheet",
        &format!("{}/./sheet-out.json", temp("").display()),
        "-s",
        "16",
    ]);
    assert_eq!(r.status.code(), Some(1), "{e}");
    assert!(e.contains("are one file"), "{e}");
    assert!(!out.exists());
}

#[test]
fn stills_never_overwrite_an_input_and_a_bad_still_writes_nothing() {
    let g = genome(6);
    // A picture of the genome named as still 0 of z.gif would be: z-0.png.
    let input = temp("z-0.png");
    let (r, e) = run_and_read(&["render", s(&g), "-s", "16", "-o", s(&input)]);
    assert!(r.status.success(), "{e}");
    let before = std::fs::read(&input).unwrap();
    let gif = temp("z.gif");
    // A 4-frame zoom of `input` into `gif`, with these stills.
    let zoom = |input: &Path, gif: &Path, stills: &str| {
        run_and_read(&[
            "animate",
            "zoom",
            s(input),
            "-s",
            "16",
            "--fps",
            "4",
            "--seconds",
            "1",
            "-o",
            s(gif),
            "--stills",
            stills,
        ])
    };
    let (r, e) = zoom(&input, &gif, "0");
    assert_eq!(r.status.code(), Some(1), "{e}");
    assert!(e.contains("also an input"), "{e}");
    assert_eq!(std::fs::read(&input).unwrap(), before);
    assert!(!gif.exists());
    // A frame that is not there: refused before the GIF or any still is written.
    std::fs::remove_file(&input).unwrap();
    let input = genome(6);
    let gif = temp("w.gif");
    let (r, e) = zoom(&input, &gif, "0,99999999");
    assert_eq!(r.status.code(), Some(1), "{e}");
    assert!(e.contains("--stills 99999999"), "{e}");
    assert!(!gif.exists(), "the GIF was left");
    assert!(!temp("w-0.png").exists(), "a still was left");
    // A session named like a still is of another kind: refused without --force.
    let still = temp("v-1.png");
    std::fs::write(&still, "{\"format\": \"picbreeder-session\"}").unwrap();
    let gif = temp("v.gif");
    let (r, e) = zoom(&input, &gif, "1");
    assert_eq!(r.status.code(), Some(1), "{e}");
    assert!(e.contains("--force"), "{e}");
    assert!(!gif.exists());
    // One frame asked for twice is one still, not two outputs in one file.
    let gif = temp("u.gif");
    let (r, e) = zoom(&input, &gif, "2,2");
    assert!(r.status.success(), "{e}");
    assert!(gif.exists() && temp("u-2.png").exists());
}

#[test]
fn two_outputs_of_one_command_may_not_be_one_file() {
    let g = genome(6);
    let net = temp("n.json");
    let (r, e) = run_and_read(&[
        "train",
        s(&g),
        "--steps",
        "2",
        "-s",
        "8",
        "-o",
        s(&net),
        "--curve",
        s(&net),
    ]);
    assert_eq!(r.status.code(), Some(1), "{e}");
    assert!(e.contains("are one file"), "{e}");
    assert!(!net.exists());
    let m = temp("m.json");
    let (r, e) = run_and_read(&["measure", s(&g), "-s", "8", "--json", s(&m), "--csv", s(&m)]);
    assert_eq!(r.status.code(), Some(1), "{e}");
    assert!(e.contains("are one file"), "{e}");
    assert!(!m.exists());
    // By another name: a link to an existing file.
    let csv = temp("m-real.csv");
    std::fs::write(&csv, "a,b\n").unwrap();
    let link = temp("m-link.csv");
    let _ = std::fs::remove_file(&link);
    std::os::unix::fs::symlink(&csv, &link).unwrap();
    let (r, e) = run_and_read(&[
        "measure",
        s(&g),
        "-s",
        "8",
        "--csv",
        s(&csv),
        "--plots",
        s(&link),
    ]);
    assert_eq!(r.status.code(), Some(1), "{e}");
    assert!(e.contains("are one file") || e.contains("--force"), "{e}");
    assert_eq!(std::fs::read_to_string(&csv).unwrap(), "a,b\n");
}

#[test]
fn an_animated_training_run_that_collapses_stops_as_train_does() {
    let Some(b) = common::shared("butterfly.zip") else {
        return;
    };
    let gif = temp("collapsed.gif");
    let (r, e) = run_and_read(&[
        "animate",
        "train",
        s(&b),
        "--seed",
        "6",
        "--steps",
        "2000",
        "-s",
        "32",
        "--fps",
        "5",
        "--seconds",
        "2",
        "-o",
        s(&gif),
    ]);
    assert_eq!(r.status.code(), Some(1), "{e}");
    let line = e
        .lines()
        .find(|l| l.starts_with("error:"))
        .unwrap_or_default();
    assert!(
        line.contains("collapsed")
            && line.contains("another seed")
            && line.contains("wrote no animation"),
        "{e}"
    );
    assert!(!gif.exists(), "a collapsed run wrote its animation");
}

#[test]
fn closed_stdout_and_stderr_end_nothing_early() {
    let g = genome(6);
    let net = temp("closed-pipes.json");
    // Both ends closed, as `picbreeder train ... 2>&1 | head -0` leaves them.
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let status = bin()
        .args(["train", s(&g), "--steps", "5", "-s", "8", "-o", s(&net)])
        .stdout(writer.try_clone().unwrap())
        .stderr(writer)
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(0));
    assert_readable_net(&net);
}
