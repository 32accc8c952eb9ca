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

/// A genome file of 6 hidden nodes.
fn small_genome(name: &str) -> PathBuf {
    let path = temp(name);
    std::fs::write(&path, genome_to_json(&synthetic(6, 1))).unwrap();
    path
}

#[test]
fn usage_errors_are_one_line_naming_the_flag_and_its_range() {
    let g = small_genome("usage.json");
    let out = temp("usage.png");
    for (cmd, words) in [
        (
            vec!["render", s(&g), "-s", "99999", "-o", s(&out)],
            &["--size", "1..=16384"][..],
        ),
        (
            vec!["train", s(&g), "--lr", "1e-45", "-o", s(&out)],
            &["--lr", "1e-45", "at least 1e-6"][..],
        ),
        (
            vec!["train", s(&g), "--lr", "NaN", "-o", s(&out)],
            &["--lr", "NaN"][..],
        ),
        (vec!["render", s(&g), "--bogus"], &["--bogus"][..]),
        (vec!["render", s(&g)], &["--output"][..]),
    ] {
        let (code, e) = picbreeder(&cmd);
        assert_eq!(code, 2, "{cmd:?}: {e}");
        assert_eq!(e.trim().lines().count(), 1, "{cmd:?}: {e}");
        assert!(e.starts_with("error: "), "{e}");
        for w in words {
            assert!(e.contains(w), "'{w}' not in {e}");
        }
        assert!(!e.contains("collapsed"), "{e}");
    }
}

#[test]
fn a_seed_range_past_the_cap_names_the_cap() {
    let session = temp("seeds-session.json");
    std::fs::write(&session, Session::new(2).to_json()).unwrap();
    let (code, e) = picbreeder(&[
        "experiment",
        "stepping-stones",
        s(&session),
        "--seeds",
        "0..10000",
        "--json",
        s(&temp("seeds-study")),
    ]);
    assert_eq!(code, 2, "{e}");
    assert_eq!(e.trim().lines().count(), 1, "{e}");
    assert!(
        e.contains("10001 seeds") && e.contains("at most 10000"),
        "{e}"
    );
}

#[test]
fn a_sweep_range_too_large_says_so_not_no_such_weight() {
    let g = small_genome("range.json");
    let out = temp("range.png");
    let (code, e) = picbreeder(&[
        "sweep",
        s(&g),
        "--link",
        "0",
        "--range",
        "1e308",
        "-s",
        "8",
        "-o",
        s(&out),
    ]);
    assert_eq!(code, 1, "{e}");
    assert!(e.contains("--range 1e308") && e.contains("1e6"), "{e}");
    assert!(!e.contains("no such weight"), "{e}");
    let gif = temp("range.gif");
    let (code, e) = picbreeder(&[
        "animate",
        "sweep",
        s(&g),
        "--link",
        "0",
        "--range",
        "1e308",
        "-s",
        "8",
        "-o",
        s(&gif),
    ]);
    assert_eq!(code, 1, "{e}");
    assert!(e.contains("--range 1e308"), "{e}");
}

#[test]
fn a_weight_past_f32_says_it_overflows() {
    let text = genome_to_json(&synthetic(3, 1));
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["links"][0]["weight"] = serde_json::json!(1e308);
    let path = temp("overflow.json");
    std::fs::write(&path, serde_json::to_vec(&v).unwrap()).unwrap();
    let (code, e) = picbreeder(&["info", s(&path)]);
    assert_eq!(code, 1, "{e}");
    assert!(e.contains("overflows f32"), "{e}");
    assert!(!e.contains("not a finite number"), "{e}");
}

#[test]
fn info_of_a_png_without_a_genome_says_it_once() {
    let png = temp("plain.png");
    picbreeder::io::png::save(&picbreeder::image::Image::new(4, 4), &png).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_picbreeder"))
        .args(["info", s(&png)])
        .output()
        .unwrap();
    let (out, e) = (
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr),
    );
    assert_eq!(o.status.code(), Some(1), "{e}");
    assert!(e.contains("carries no genome"), "{e}");
    assert!(!out.contains("carrying its genome"), "{out}");
}

#[test]
fn an_oversized_genome_chunk_says_what_is_wrong_not_to_raise_a_limit() {
    // 65 MB of spaces, deflated to a few kB in the PNG's genome chunk.
    let path = temp("bomb.png");
    let file = std::fs::File::create(&path).unwrap();
    let mut enc = png::Encoder::new(file, 1, 1);
    enc.set_color(png::ColorType::Rgba);
    let mut w = enc.write_header().unwrap();
    let mut chunk =
        png::text_metadata::ITXtChunk::new(picbreeder::io::png::GENOME_KEY, " ".repeat(65 << 20));
    chunk.compressed = true;
    w.write_text_chunk(&chunk).unwrap();
    w.write_image_data(&[0, 0, 0, 255]).unwrap();
    w.finish().unwrap();
    let (code, e) = picbreeder(&["info", s(&path)]);
    assert_eq!(code, 1, "{e}");
    assert!(!e.contains("larger limit"), "{e}");
    assert!(e.contains("more than 64 MB"), "{e}");
}
