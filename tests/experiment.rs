//! The experiments' command line, run as a user would: collapse detection, the loss
//! curve, training on from a net, and studies as independent jobs.

use std::path::{Path, PathBuf};
use std::process::Output;

mod common;
use common::picbreeder;

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pb-experiment-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn ok(r: &Output) {
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
}

/// Reads a curve CSV into (step, loss) pairs.
fn curve(path: &Path) -> Vec<(u64, f64)> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("step,loss,psnr_db,forward_passes"));
    lines
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[0].parse().unwrap(), f[1].parse().unwrap())
        })
        .collect()
}

#[test]
fn a_collapsed_training_run_fails_with_a_clear_line() {
    let Some(b) = common::shared("butterfly.zip") else {
        return;
    };
    let (net, csv) = (temp("collapsed.json"), temp("collapsed.csv"));
    let r = picbreeder(&[
        "train",
        s(&b),
        "--seed",
        "6",
        "-s",
        "128",
        "--steps",
        "2000",
        "-o",
        s(&net),
        "--curve",
        s(&csv),
    ]);
    assert_eq!(r.status.code(), Some(1));
    let err = String::from_utf8_lossy(&r.stderr);
    let line = err.lines().find(|l| l.starts_with("error:")).unwrap();
    assert!(
        line.contains("collapsed") && line.contains("another seed"),
        "{line}"
    );
    assert!(!net.exists(), "a collapsed run wrote its network");
    let points = curve(&csv);
    let last = points.last().unwrap().0;
    assert!(last <= 300, "detected only at step {last}");
}

#[test]
fn init_continues_a_run_and_the_curve_has_every_kth_step() {
    let Some(b) = common::shared("butterfly.zip") else {
        return;
    };
    let (net, csv) = (temp("first.json"), temp("first.csv"));
    let args = |steps: &str, out: &Path, csv: &Path, more: &[&str]| {
        let mut a: Vec<String> = [
            "train",
            s(&b),
            "-s",
            "48",
            "--steps",
            steps,
            "-o",
            s(out),
            "--curve",
            s(csv),
        ]
        .map(String::from)
        .to_vec();
        a.extend(more.iter().map(|m| m.to_string()));
        a
    };
    let run = |a: Vec<String>| picbreeder(&a.iter().map(String::as_str).collect::<Vec<_>>());
    let r = run(args("60", &net, &csv, &["--curve-every", "25"]));
    ok(&r);
    // "60 steps: loss 1.234e-2, ...": the saved net's loss over the whole image.
    let out = String::from_utf8_lossy(&r.stdout);
    let saved_loss: f64 = out
        .split("loss ")
        .nth(1)
        .unwrap()
        .split(',')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let first = curve(&csv);
    assert_eq!(
        first.iter().map(|p| p.0).collect::<Vec<_>>(),
        [1, 26, 51, 60]
    );
    // Continue: the first step's loss is the loaded net's loss (the loss of the
    // weights after step 60, which the first run never evaluated), lower than where
    // the first run started.
    let (net2, csv2) = (temp("second.json"), temp("second.csv"));
    ok(&run(args("1", &net2, &csv2, &["--init", s(&net)])));
    let second = curve(&csv2);
    assert_eq!(second.len(), 1);
    assert!(second[0].1 < first[0].1 * 0.8, "{second:?} vs {first:?}");
    assert!(
        (second[0].1 - saved_loss).abs() <= 1e-3 * saved_loss,
        "starts at {} but the saved net's loss is {saved_loss}",
        second[0].1
    );
    // The same once more from the same net: the same loss, bit for bit as printed.
    let csv3 = temp("third.csv");
    ok(&run(args(
        "1",
        &temp("third.json"),
        &csv3,
        &["--init", s(&net)],
    )));
    assert_eq!(curve(&csv3), second);
    // A genome is not a net.
    let r = run(args("1", &net2, &csv2, &["--init", s(&b)]));
    assert_eq!(r.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&r.stderr).contains("needs a trained network"));
}

/// A small bred session: 4 generations, each from one chosen child.
fn bred_session(name: &str) -> PathBuf {
    let session = temp(name);
    ok(&picbreeder(&["breed", "--new", "3", "-o", s(&session)]));
    for pick in ["2", "5", "1"] {
        ok(&picbreeder(&[
            "breed",
            s(&session),
            "--pick",
            pick,
            "-o",
            s(&session),
        ]));
    }
    session
}

fn study(session: &Path, dir: &Path, more: &[&str]) -> Output {
    let mut args = vec![
        "experiment",
        "adapt",
        s(session),
        "--child",
        "4",
        "--seeds",
        "0..2",
        "--steps",
        "30",
        "-s",
        "16",
        "--arch",
        "mlp:2x6:tanh",
        "--children",
        "2",
        "--budget",
        "10",
        "--json",
        s(dir),
    ];
    args.extend(more);
    picbreeder(&args)
}

fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

/// Results without their wall-clock seconds (the only field a rerun changes).
fn without_time(bytes: &[u8]) -> serde_json::Value {
    let mut v: serde_json::Value = serde_json::from_slice(bytes).unwrap();
    v.as_object_mut().unwrap().remove("seconds");
    v
}

#[test]
fn shards_together_make_the_unsharded_study_and_resume_redoes_nothing() {
    let session = bred_session("study-session.json");
    let whole = temp("whole");
    ok(&study(&session, &whole, &[]));
    let all = files(&whole);
    // 3 seeds x (stones, direct) + the evolved genome.
    assert_eq!(
        all.len(),
        7,
        "{:?}",
        all.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    let sharded = temp("sharded");
    for i in 0..3 {
        ok(&study(&session, &sharded, &["--shard", &format!("{i}/3")]));
    }
    let parts = files(&sharded);
    assert_eq!(
        parts.iter().map(|f| &f.0).collect::<Vec<_>>(),
        all.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    for (a, b) in all.iter().zip(&parts) {
        assert_eq!(without_time(&a.1), without_time(&b.1), "{}", a.0);
    }
    // Again without --resume: refused, nothing touched.
    let r = study(&session, &whole, &[]);
    assert_eq!(r.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&r.stderr).contains("--resume"));
    // Resumed after losing one file: only that one is run, the rest stay byte for byte.
    let lost = whole.join("direct-seed1.json");
    std::fs::remove_file(&lost).unwrap();
    let r = study(&session, &whole, &["--resume"]);
    ok(&r);
    let out = String::from_utf8_lossy(&r.stdout);
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.starts_with("direct seed 1:"), "{out}");
    let again = files(&whole);
    for (a, b) in all.iter().zip(&again) {
        if a.0 == "direct-seed1.json" {
            assert_eq!(without_time(&a.1), without_time(&b.1));
        } else {
            assert_eq!(a.1, b.1, "{} was redone", a.0);
        }
    }
    // Another setup in the same folder is refused even with --resume.
    let r = study(&session, &whole, &["--resume", "--lr", "1e-2"]);
    assert_eq!(r.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&r.stderr).contains("another setup"));
    // The report: both trained conditions with 3 runs and the mutations.
    let curves = temp("curves.csv");
    let r = picbreeder(&["experiment", "report", s(&whole), "--curves", s(&curves)]);
    ok(&r);
    let table = String::from_utf8_lossy(&r.stdout);
    assert!(
        table.contains("| stones | 3 |") && table.contains("| direct | 3 |"),
        "{table}"
    );
    assert!(table.contains("evolved (one mutation) | 2 |"), "{table}");
    // What each ends with inside: the scorecard of the genome, its children and the nets.
    for row in ["| evolved | final |", "| evolved | after adapting |"] {
        assert!(table.contains(row), "{row} in {table}");
    }
    let evolved: serde_json::Value =
        serde_json::from_slice(&std::fs::read(whole.join("evolved-seed0.json")).unwrap()).unwrap();
    // Every study measure but those only for layers (a genome's graph has none).
    use picbreeder::measure::defs::{self, MeasureKind};
    let genome_measures = defs::study()
        .filter(|d| {
            !matches!(
                d.kind,
                MeasureKind::Layer {
                    layered_only: true,
                    ..
                }
            )
        })
        .count();
    assert_eq!(genome_measures, 7);
    assert_eq!(
        evolved["measures"].as_array().map(Vec::len),
        Some(genome_measures),
        "{evolved}"
    );
    let csv = std::fs::read_to_string(&curves).unwrap();
    assert!(
        csv.starts_with("condition,step,mean_loss,mean_psnr_db\nstones,1,"),
        "{csv}"
    );
}

#[test]
fn path_figure_puts_the_lineage_above_the_papers_snapshot_steps() {
    let session = bred_session("path-session.json");
    let out = temp("path.png");
    let r = picbreeder(&[
        "experiment",
        "path",
        s(&session),
        "--child",
        "4",
        "--steps",
        "120",
        "-s",
        "16",
        "--arch",
        "mlp:2x6:tanh",
        "--picture",
        "16",
        "-o",
        s(&out),
    ]);
    ok(&r);
    // 0, 12, 24, ... 120 (every tenth) and 100: 12 snapshots.
    let said = String::from_utf8_lossy(&r.stderr);
    assert!(said.contains("above 12 snapshots"), "{said}");
    let fig = picbreeder::io::png::load(&out).unwrap();
    assert!(
        fig.width > 12 * 16 && fig.height > 2 * 16,
        "{}x{}",
        fig.width,
        fig.height
    );
    let r = picbreeder(&[
        "experiment",
        "path",
        s(&session),
        "--child",
        "0",
        "-o",
        s(&out),
    ]);
    assert_eq!(r.status.code(), Some(1));
}

#[test]
fn adapt_writes_each_moves_galleries_before_and_after() {
    let session = bred_session("galleries-session.json");
    let dir = temp("galleries-results");
    let galleries = temp("galleries");
    ok(&study(&session, &dir, &["--galleries", s(&galleries)]));
    let names: Vec<String> = files(&galleries).into_iter().map(|f| f.0).collect();
    // The evolved genome's moves once; each trained condition's for seeds 0, 1, 2.
    let mut want: Vec<String> = (1..=2)
        .map(|k| format!("evolved-seed0-child{k}.png"))
        .collect();
    for c in ["direct", "stones"] {
        for seed in 0..3 {
            want.extend((1..=2).map(|k| format!("{c}-seed{seed}-child{k}.png")));
        }
    }
    want.sort();
    assert_eq!(names, want);
    for name in &names {
        let img = image::open(galleries.join(name)).unwrap();
        // Two galleries side by side under one title.
        assert!(
            img.width() > img.height(),
            "{name}: {}x{}",
            img.width(),
            img.height()
        );
    }
}

#[test]
fn a_gallery_named_like_a_file_of_another_kind_is_refused_before_any_job() {
    let session = bred_session("guarded-galleries-session.json");
    let dir = temp("guarded-galleries-results");
    let galleries = temp("guarded-galleries");
    std::fs::create_dir_all(&galleries).unwrap();
    // A session someone keeps where a gallery would go.
    let kept = galleries.join("stones-seed2-child2.png");
    std::fs::copy(&session, &kept).unwrap();
    let r = study(&session, &dir, &["--galleries", s(&galleries)]);
    assert_eq!(r.status.code(), Some(1));
    let e = String::from_utf8_lossy(&r.stderr);
    assert!(
        e.contains("stones-seed2-child2.png") && e.contains("--force"),
        "{e}"
    );
    assert_eq!(
        std::fs::read(&kept).unwrap(),
        std::fs::read(&session).unwrap()
    );
    assert!(
        std::fs::read_dir(&dir).map_or(true, |d| d.count() == 0),
        "a job ran"
    );
}

#[test]
fn a_study_by_another_method_with_a_final_share_and_older_files_still_report() {
    let session = bred_session("method-session.json");
    let dir = temp("method-study");
    let r = picbreeder(&[
        "experiment",
        "stepping-stones",
        s(&session),
        "--child",
        "4",
        "--seeds",
        "0",
        "--steps",
        "40",
        "-s",
        "16",
        "--arch",
        "mlp:2x6:tanh",
        "--method",
        "sgd:0.5",
        "--final-share",
        "0.75",
        "--json",
        s(&dir),
    ]);
    ok(&r);
    let stones: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("stones-seed0.json")).unwrap()).unwrap();
    assert_eq!(stones["setup"]["method"], "sgd:0.5", "{stones}");
    let steps: Vec<u64> = stones["stone_steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect();
    assert_eq!(steps.iter().sum::<u64>(), 40);
    assert_eq!(steps.last(), Some(&30), "{steps:?}");
    let r = picbreeder(&["experiment", "report", s(&dir)]);
    ok(&r);
    let table = String::from_utf8_lossy(&r.stdout);
    assert!(
        table.contains("by sgd:0.5") && table.contains("the last 0.75 on the final image"),
        "{table}"
    );
    // A folder written before studies had a method or a final share reads as the paper's.
    let old = temp("old-study");
    std::fs::create_dir_all(&old).unwrap();
    for name in ["stones-seed0.json", "direct-seed0.json"] {
        let mut v: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.join(name)).unwrap()).unwrap();
        let setup = v["setup"].as_object_mut().unwrap();
        setup.remove("method");
        setup.remove("final_share");
        std::fs::write(old.join(name), serde_json::to_vec(&v).unwrap()).unwrap();
    }
    let r = picbreeder(&["experiment", "report", s(&old)]);
    ok(&r);
    assert!(String::from_utf8_lossy(&r.stdout).contains("by adam at 16x16"));
    // A share outside (0, 1] is a usage error naming the flag's range.
    let r = study(&session, &temp("bad-share"), &["--final-share", "1.5"]);
    assert!(!r.status.success());
    assert!(String::from_utf8_lossy(&r.stderr).contains("0 < F <= 1"));
}
