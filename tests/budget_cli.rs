//! The memory budget through the binary: requests the issue saw abort (exit 134 after
//! asking for tens of GB) are refused at once in one line, or described without the
//! part that does not fit. Each test makes its own big genome (`cppn::synthetic`).

use picbreeder::cppn::synthetic::synthetic;
use picbreeder::io::json::genome_to_json;
use std::path::PathBuf;
use std::process::Command;

fn huge_genome(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pb-budget-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("huge.json");
    std::fs::write(&file, genome_to_json(&synthetic(100_000, 7))).unwrap();
    file
}

fn run(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_picbreeder"))
        .args(args)
        .output()
        .unwrap()
}

/// `info` of a 100k-node genome describes it; its layerized net, too big to build, is
/// a line saying what it would need (it asked 40-90 GB and aborted).
#[test]
fn info_of_a_100k_node_genome_describes_it_without_layerizing() {
    let file = huge_genome("info");
    let o = run(&["info", file.to_str().unwrap()]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(out.contains("100005 nodes"), "{out}");
    let line = out
        .lines()
        .find(|l| l.starts_with("layerized:"))
        .expect("a layerized line");
    assert!(
        line.contains("not built") && line.contains("would need"),
        "{line}"
    );
}

/// `measure` of it is refused at once in one line naming what it would need.
#[test]
fn measure_of_a_100k_node_genome_is_refused_at_once() {
    let file = huge_genome("measure");
    let started = std::time::Instant::now();
    let o = run(&["measure", file.to_str().unwrap()]);
    assert!(!o.status.success());
    assert_ne!(o.status.code(), Some(134), "aborted");
    let err = String::from_utf8_lossy(&o.stderr);
    let last = err.trim().lines().last().unwrap_or_default();
    assert!(
        last.contains("would need") && last.contains("100005 neurons"),
        "{err}"
    );
    assert!(started.elapsed().as_secs() < 60, "{:?}", started.elapsed());
}

/// A small bred session file (child 2 of its second generation has a parent: a
/// lineage of two; child 1 is the kept parent itself).
fn session_file(name: &str) -> (PathBuf, PathBuf) {
    let dir = std::env::temp_dir().join(format!("pb-budget-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut s = picbreeder::breed::Session::new(3);
    s.set_parent(1, true);
    s.evolve().unwrap();
    let file = dir.join("s.json");
    s.save(&file).unwrap();
    (dir, file)
}

/// `experiment path -s 16384` (5.2 GB), `stepping-stones -s 16384` (6.2 GB) and
/// `adapt --children 100000000` (7 GB) are refused before anything is made, in one line
/// naming what to change, leaving no output.
#[test]
fn experiments_over_the_budget_are_refused_at_once() {
    let (dir, s) = session_file("experiment");
    let s = s.to_str().unwrap();
    let out = dir.join("path.png");
    let study = dir.join("study");
    let cases: [Vec<&str>; 3] = [
        vec![
            "experiment",
            "path",
            s,
            "--child",
            "2",
            "-s",
            "16384",
            "-o",
            out.to_str().unwrap(),
        ],
        vec![
            "experiment",
            "stepping-stones",
            s,
            "--child",
            "2",
            "-s",
            "16384",
            "--json",
            study.to_str().unwrap(),
        ],
        vec![
            "experiment",
            "adapt",
            s,
            "--child",
            "2",
            "--children",
            "100000000",
            "--json",
            study.to_str().unwrap(),
        ],
    ];
    for args in cases {
        let started = std::time::Instant::now();
        let o = run(&args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(!o.status.success(), "{args:?}");
        assert_eq!(err.trim().lines().count(), 1, "{args:?}: {err}");
        assert!(
            err.contains("would need") && err.contains("use a smaller -s, fewer --children"),
            "{args:?}: {err}"
        );
        assert!(started.elapsed().as_secs() < 20, "{args:?}");
    }
    assert!(!out.exists());
    assert!(std::fs::read_dir(&study).map_or(true, |mut d| d.next().is_none()));
}

/// `session --child N` draws a big PNG band by band, as `render` does (made whole,
/// `-s 16384` took 4.27 GB; banded it peaked at 20 MB here): the file has the size
/// asked and carries the child's genome.
#[test]
fn a_big_child_picture_is_drawn_in_bands_and_carries_its_genome() {
    let (dir, s) = session_file("child");
    let out = dir.join("child.png");
    let o = run(&[
        "session",
        s.to_str().unwrap(),
        "--child",
        "2",
        "-o",
        out.to_str().unwrap(),
        "-s",
        "3000",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let png = image::open(&out).unwrap();
    assert_eq!((png.width(), png.height()), (3000, 3000));
    let session = picbreeder::breed::Session::load(&s).unwrap();
    let carried = picbreeder::io::detect::load_genome(&out).unwrap();
    assert_eq!(&carried, &session.genomes()[1]);
}

/// `animate zoom -s 16384` (1.4 GB for 2 frames and growing) and `animate sweep -s 8192`
/// (1.55 GB) are refused before the first frame, in one line naming the size that fits.
#[test]
fn animation_frames_over_the_budget_are_refused_at_once() {
    let (dir, s) = session_file("animate");
    let g = dir.join("g.json");
    std::fs::write(
        &g,
        genome_to_json(&picbreeder::breed::Session::load(&s).unwrap().genomes()[0]),
    )
    .unwrap();
    let g = g.to_str().unwrap();
    let (zoom, sweep) = (dir.join("z.gif"), dir.join("w.gif"));
    for args in [
        vec![
            "animate",
            "zoom",
            g,
            "-s",
            "16384",
            "-o",
            zoom.to_str().unwrap(),
        ],
        vec![
            "animate",
            "sweep",
            g,
            "--random",
            "1",
            "-s",
            "8192",
            "-o",
            sweep.to_str().unwrap(),
        ],
    ] {
        let started = std::time::Instant::now();
        let o = run(&args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(!o.status.success(), "{args:?}");
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert!(
            err.contains("would need") && err.contains("use a smaller -s"),
            "{err}"
        );
        assert!(started.elapsed().as_secs() < 10, "{args:?}");
    }
    assert!(!zoom.exists() && !sweep.exists());
}

/// `breed --from` a 100k-node genome (breeding its 43 candidates took gigabytes) is
/// refused before breeding, in one line, writing nothing.
#[test]
fn breeding_from_a_100k_node_genome_is_refused_at_once() {
    let file = huge_genome("breed");
    let out = file.with_file_name("s.json");
    let o = run(&[
        "breed",
        "--from",
        file.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(
        err.contains("would need") && err.contains("100005 nodes"),
        "{err}"
    );
    assert!(!out.exists());
}
