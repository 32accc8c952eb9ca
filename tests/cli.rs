//! The command line, run as a user would: real files in, PNGs and text out, exit codes.

use picbreeder::io::png;
use std::path::{Path, PathBuf};
use std::process::Output;

mod common;
use common::picbreeder;

fn shared(file: &str) -> Option<String> {
    common::shared(file).map(|p| p.to_string_lossy().into_owned())
}

/// A path in this run's own folder; every test names its files apart, since tests run at once.
fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pb-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn render_gives_the_requested_size_and_the_reference_picture() {
    let Some(skull) = shared("skull.zip") else {
        return;
    };
    let out = temp("skull.png");
    let r = picbreeder(&["render", &skull, "-s", "256", "-o", s(&out)]);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let img = png::load(&out).unwrap();
    let reference = png::load(Path::new(&shared("skull.png").unwrap())).unwrap();
    assert!(picbreeder::image::psnr(&img, &reference).unwrap() > 40.0);
    let wide = temp("wide.png");
    let r = picbreeder(&[
        "render",
        &skull,
        "-s",
        "64x32",
        "--window",
        "-2,2,-1,1",
        "-o",
        s(&wide),
    ]);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let img = png::load(&wide).unwrap();
    assert_eq!((img.width, img.height), (64, 32));
}

/// A picture over 4M pixels is rendered and written band by band: the same pixels as
/// one render in memory.
#[test]
fn a_big_render_made_in_bands_equals_the_whole() {
    let Some(skull) = shared("skull.zip") else {
        return;
    };
    let out = temp("big.png");
    let r = picbreeder(&["render", &skull, "-s", "4096x1100", "-o", s(&out)]);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let genome = picbreeder::io::detect::load_genome(Path::new(&skull)).unwrap();
    let program = picbreeder::cppn::Program::compile(&genome).unwrap();
    let whole = program.render(&picbreeder::grid::Grid::new(4096, 1100));
    assert!(png::load(&out).unwrap() == whole, "banded render differs");
    let _ = std::fs::remove_file(out);
}

#[test]
fn info_prints_the_architecture() {
    let Some(apple) = shared("apple.zip") else {
        return;
    };
    let r = picbreeder(&["info", &apple]);
    let text = String::from_utf8_lossy(&r.stdout);
    assert!(r.status.success());
    assert!(
        text.contains("83 nodes (4 in, 3 out, 76 hidden), 264 links"),
        "{text}"
    );
    assert!(
        text.contains("33;cache:28,gaussian:3,sigmoid:5,sin:2"),
        "{text}"
    );
}

#[test]
fn convert_round_trips_through_json_and_xml() {
    let Some(butterfly) = shared("butterfly.zip") else {
        return;
    };
    let (json, xml, back) = (temp("b.json"), temp("b.xml"), temp("b2.json"));
    for (a, b) in [
        (butterfly.as_str(), s(&json)),
        (s(&json), s(&xml)),
        (s(&xml), s(&back)),
    ] {
        let r = picbreeder(&["convert", a, b]);
        assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    }
    assert_eq!(std::fs::read(&json).unwrap(), std::fs::read(&back).unwrap());
    let original = picbreeder::io::detect::load_genome(Path::new(&butterfly)).unwrap();
    assert_eq!(picbreeder::io::detect::load_genome(&xml).unwrap(), original);
}

#[test]
fn gallery_has_a_row_per_layer() {
    let Some(skull) = shared("skull.zip") else {
        return;
    };
    let out = temp("gallery.png");
    let r = picbreeder(&["gallery", &skull, "--layerized", "-s", "16", "-o", s(&out)]);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let img = png::load(&out).unwrap();
    // 12 hidden layers + inputs + outputs = 14 rows of 16 px with 4 px gaps (room for
    // a frame), 12 px for names above and below.
    assert_eq!(img.height, 12 + 14 * 20 + 2 + 12);
    let Some(net) = shared("sgd/skull.json") else {
        return;
    };
    let r = picbreeder(&["gallery", &net, "-s", "16", "-o", s(&out)]);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    assert_eq!(png::load(&out).unwrap().height, 12 + 14 * 20 + 2 + 12);
    let svg = temp("gallery.svg");
    let r = picbreeder(&["gallery", &skull, "--layerized", "-s", "16", "-o", s(&svg)]);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.starts_with("<svg") && text.contains(">v<") && text.contains(">x<"));
}

#[test]
fn measure_prints_the_scorecard_and_writes_json_and_csv() {
    let (Some(skull), Some(net)) = (shared("skull.zip"), shared("sgd/skull.json")) else {
        return;
    };
    let (json, csv) = (temp("score.json"), temp("score.csv"));
    let r = picbreeder(&[
        "measure",
        &skull,
        &net,
        "-s",
        "24",
        "--sample",
        "20",
        "--json",
        s(&json),
        "--csv",
        s(&csv),
    ]);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let out = String::from_utf8_lossy(&r.stdout);
    assert!(
        out.contains("symmetric L-R") && out.contains("skull (layerized)"),
        "{out}"
    );
    let report =
        picbreeder::measure::format::Report::from_json(&std::fs::read_to_string(&json).unwrap())
            .unwrap();
    assert_eq!(report.networks.len(), 3);
    assert_eq!(report.networks[2].sweeps.count, 40);
    assert!(
        std::fs::read_to_string(&csv)
            .unwrap()
            .starts_with("measure,")
    );
    let r = picbreeder(&["measure", &skull, "--delta", "0"]);
    assert_eq!(r.status.code(), Some(1));
}

/// `sweep --twin`: the genome link's strip over the paper net's weight at the same place;
/// the second row is the net swept, not the genome again; a net of another shape is refused.
#[test]
fn sweep_twin_sweeps_the_same_place_in_the_paper_net() {
    let (Some(skull), Some(net), Some(other)) = (
        shared("skull.zip"),
        shared("sgd/skull.json"),
        shared("sgd/butterfly.json"),
    ) else {
        return;
    };
    let out = temp("twin.png");
    let r = picbreeder(&[
        "sweep",
        &skull,
        "--link",
        "576:224",
        "--twin",
        &net,
        "-s",
        "32",
        "-o",
        s(&out),
    ]);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let sheet = png::load(&out).unwrap();
    let single = temp("twin-strip.png");
    let r = picbreeder(&[
        "sweep",
        &skull,
        "--link",
        "576:224",
        "-s",
        "32",
        "-o",
        s(&single),
    ]);
    assert!(r.status.success());
    let strip = png::load(&single).unwrap();
    assert_eq!(
        sheet.height,
        2 * strip.height - 2,
        "two rows sharing one gap"
    );
    let row = |img: &picbreeder::image::Image, y0: usize| -> Vec<u8> {
        (y0..y0 + 32)
            .flat_map(|y| (0..strip.width).flat_map(move |x| img.pixel(x, y)))
            .collect()
    };
    assert_eq!(row(&sheet, 2), row(&strip, 2), "first row: the genome");
    assert_ne!(row(&sheet, 36), row(&strip, 2), "second row: the net");
    let r = picbreeder(&[
        "sweep",
        &skull,
        "--link",
        "576:224",
        "--twin",
        &other,
        "-o",
        s(&out),
    ]);
    assert!(!r.status.success());
    assert!(String::from_utf8_lossy(&r.stderr).contains("layerized shape"));
}

#[test]
fn errors_are_one_line_naming_the_file() {
    let bad = temp("bad.xml");
    std::fs::write(&bad, "<data><genome><nodes></genome>").unwrap();
    let out = temp("never.png");
    let r = picbreeder(&["render", s(&bad), "-o", s(&out)]);
    assert_eq!(r.status.code(), Some(1));
    let err = String::from_utf8_lossy(&r.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("bad.xml") && err.contains("XML"), "{err}");
    assert!(!out.exists());
    let r = picbreeder(&["render", "/no/such/file.zip", "-o", s(&out)]);
    assert_eq!(r.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&r.stderr).contains("/no/such/file.zip"));
    let r = picbreeder(&["render", s(&bad), "-s", "0", "-o", s(&out)]);
    assert!(!r.status.success());
}

#[test]
fn every_command_has_help() {
    for cmd in [
        "render",
        "gallery",
        "info",
        "convert",
        "sweep",
        "train",
        "session",
        "breed",
        "measure",
        "animate",
        "experiment",
        "open",
    ] {
        let r = picbreeder(&[cmd, "--help"]);
        assert!(r.status.success() && !r.stdout.is_empty(), "{cmd}");
        // The command list says what each command does.
        let list = String::from_utf8_lossy(&picbreeder(&["--help"]).stdout).into_owned();
        let line = list
            .lines()
            .find(|l| l.trim_start().starts_with(cmd))
            .unwrap_or("");
        assert!(
            line.trim().len() > cmd.len() + 10,
            "{cmd} has no summary: {line:?}"
        );
    }
}

#[test]
fn sweep_strip_has_the_original_in_the_middle() {
    let Some(skull) = shared("skull.zip") else {
        return;
    };
    let (strip, single) = (temp("strip.png"), temp("single.png"));
    let r = picbreeder(&[
        "sweep",
        &skull,
        "--link",
        "576:224",
        "--steps",
        "5",
        "-s",
        "32",
        "-o",
        s(&strip),
    ]);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let r = picbreeder(&["render", &skull, "-s", "32", "-o", s(&single)]);
    assert!(r.status.success());
    let (strip, single) = (png::load(&strip).unwrap(), png::load(&single).unwrap());
    assert_eq!((strip.width, strip.height), (5 * 34 + 2, 36));
    let x0 = 2 + 2 * 34;
    for (y, x) in [(0, 0), (16, 16), (31, 7)] {
        assert_eq!(strip.pixel(x0 + x, 2 + y), single.pixel(x, y));
    }
    let all = temp("all.png");
    let r = picbreeder(&[
        "sweep",
        &skull,
        "--all",
        "--top",
        "3",
        "-s",
        "16",
        "-o",
        s(&all),
    ]);
    assert!(r.status.success());
    assert_eq!(
        String::from_utf8_lossy(&r.stdout)
            .lines()
            .filter(|l| l.contains("link "))
            .count(),
        57
    );
    let r = picbreeder(&["sweep", &skull, "--link", "9:9", "-o", s(&all)]);
    assert_eq!(r.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&r.stderr).contains("no weight '9:9'"));
}

/// A headless breeding run: start, pick, evolve, read back; the window opens the same
/// session file.
#[test]
fn breed_and_session_go_generation_by_generation_headless() {
    let session = temp("bred.json");
    let sheet = temp("bred-sheet.png");
    let ok = |r: &Output| assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    ok(&picbreeder(&["breed", "--new", "5", "-o", s(&session)]));
    ok(&picbreeder(&[
        "breed",
        s(&session),
        "--strength",
        "0.8",
        "--pick",
        "2,4",
        "-o",
        s(&session),
        "--sheet",
        s(&sheet),
        "-s",
        "32",
    ]));
    // 15 children, 5 to a row of 32-pixel cells with 2-pixel gaps.
    let img = png::load(&sheet).unwrap();
    assert_eq!((img.width, img.height), (5 * 34 + 2, 3 * 34 + 2));
    let saved = picbreeder::breed::Session::load(&session).unwrap();
    assert_eq!(saved.generation_number(), 2);
    let first = saved
        .generation(picbreeder::breed::GenerationId(0))
        .unwrap();
    assert_eq!(first.selected, vec![1, 3]);
    // The parents come first in the new generation, unchanged.
    assert_eq!(saved.genomes()[0], first.genomes.all()[1]);
    assert_eq!(saved.genomes()[1], first.genomes.all()[3]);

    let r = picbreeder(&["session", s(&session)]);
    ok(&r);
    let text = String::from_utf8_lossy(&r.stdout);
    assert!(
        text.contains("#0 generation 1: random, 15 children, chosen 2,4"),
        "{text}"
    );
    assert!(
        // A line of single children is not indented (only branches are).
        text.contains("\n#1 generation 2: bred from 2,4, 15 children, strength 0.8  <- current"),
        "{text}"
    );

    // Child 4 of generation #0, as a genome file and as a picture.
    let genome = temp("child4.json");
    ok(&picbreeder(&[
        "session",
        s(&session),
        "-g",
        "#0",
        "--child",
        "4",
        "-o",
        s(&genome),
    ]));
    assert_eq!(
        picbreeder::io::detect::load_genome(&genome).unwrap(),
        first.genomes.all()[3]
    );
    let pic = temp("child4.png");
    ok(&picbreeder(&[
        "session",
        s(&session),
        "-g",
        "0",
        "--child",
        "4",
        "-o",
        s(&pic),
        "-s",
        "48",
    ]));
    assert_eq!(png::load(&pic).unwrap().width, 48);

    // Wrong numbers are one-line errors that say what is there.
    for (args, says) in [
        (
            vec!["session", s(&session), "--child", "16", "-o", s(&genome)],
            "children 1 to 15",
        ),
        (vec!["session", s(&session), "-g", "7"], "ids #0 to #1"),
        (
            vec!["breed", s(&session), "--pick", "0", "-o", s(&session)],
            "--pick 0",
        ),
    ] {
        let r = picbreeder(&args);
        assert_eq!(r.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8_lossy(&r.stderr);
        assert!(
            err.contains(says) && err.trim().lines().count() == 1,
            "{err}"
        );
    }
    // A failed breed left the session file as it was.
    assert_eq!(picbreeder::breed::Session::load(&session).unwrap(), saved);
}

#[test]
fn breed_starts_from_a_real_picbreeder_genome() {
    let Some(skull) = shared("skull.zip") else {
        return;
    };
    let session = temp("skull-session.json");
    let r = picbreeder(&["breed", "--from", &skull, "--pick", "1", "-o", s(&session)]);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let saved = picbreeder::breed::Session::load(&session).unwrap();
    let skull =
        picbreeder::io::detect::load_genome(Path::new(&shared("skull.zip").unwrap())).unwrap();
    assert_eq!(
        saved.genomes()[0],
        skull,
        "the opened genome, kept as the parent"
    );
    assert!(saved.genomes()[1..].iter().all(|g| *g != skull));
}

#[test]
fn outputs_never_replace_an_input_or_a_file_of_another_kind_without_force() {
    let asset = |f: &str| format!("{}/assets/{f}", env!("CARGO_MANIFEST_DIR"));
    let genome = temp("guard-genome.json");
    std::fs::copy(asset("moon.json"), &genome).unwrap();
    let session = temp("guard-session.json");
    std::fs::copy(asset("lineage-session.json"), &session).unwrap();
    let (genome_bytes, session_bytes) = (
        std::fs::read(&genome).unwrap(),
        std::fs::read(&session).unwrap(),
    );
    let refused = |args: &[&str], says: &str| {
        let r = picbreeder(args);
        let err = String::from_utf8_lossy(&r.stderr);
        assert!(!r.status.success() && err.contains(says), "{args:?}: {err}");
    };
    // Output = input, by its own name and through a symlink.
    refused(
        &["render", s(&genome), "-s", "8", "-o", s(&genome)],
        "is also an input",
    );
    let link = temp("guard-link.json");
    let _ = std::fs::remove_file(&link);
    std::os::unix::fs::symlink(&genome, &link).unwrap();
    refused(
        &["render", s(&link), "-s", "8", "-o", s(&genome)],
        "is also an input",
    );
    refused(
        &["session", s(&session), "--child", "1", "-o", s(&session)],
        "is also an input",
    );
    refused(&["convert", s(&genome), s(&genome)], "is also an input");
    refused(
        &["measure", s(&genome), "-s", "8", "--json", s(&genome)],
        "is also an input",
    );
    // A file of another kind: refused, named, kept; replaced with --force.
    refused(
        &["render", s(&link), "-s", "8", "-o", s(&session)],
        "is a breeding session",
    );
    let png = temp("guard-child.png");
    std::fs::copy(&genome, &png).unwrap();
    refused(
        &["session", s(&session), "--child", "1", "-o", s(&png)],
        "is a genome",
    );
    assert_eq!(std::fs::read(&genome).unwrap(), genome_bytes);
    assert_eq!(std::fs::read(&session).unwrap(), session_bytes);
    let r = picbreeder(&[
        "render",
        s(&genome),
        "-s",
        "8",
        "-o",
        s(&session),
        "--force",
    ]);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    assert!(png::load(&session).is_ok());
    // A picture over a picture goes on as before.
    let r = picbreeder(&["render", s(&genome), "-s", "8", "-o", s(&session)]);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
}

#[test]
fn breed_no_variety_breeds_the_first_children() {
    use picbreeder::breed::{Session, Settings};
    let (plain, varied) = (temp("first-bred.json"), temp("varied.json"));
    for (out, more) in [(&plain, Some("--no-variety")), (&varied, None)] {
        let mut args = vec!["breed", "--new", "3", "--pick", "2", "-o", s(out)];
        args.extend(more);
        let r = picbreeder(&args);
        assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    }
    let (plain, varied) = (
        Session::load(&plain).unwrap(),
        Session::load(&varied).unwrap(),
    );
    assert!(!plain.settings().varied && varied.settings().varied);
    // The same as a session bred with the setting off.
    let settings = Settings {
        start_colour: picbreeder::cppn::ColourMode::Colour,
        varied: false,
        ..Settings::default()
    };
    let mut same = Session::with_settings(3, settings);
    same.toggle_parent(1);
    same.evolve().unwrap();
    assert_eq!(plain.genomes(), same.genomes());
    assert_ne!(plain.genomes()[1..], varied.genomes()[1..]);
}
