//! The CPPN-X / MM-NEAT form of Picbreeder XML, and genomes carried in PNGs. Fixtures
//! are made here from the fer-repo genomes in `../shared/picbreeder/` by adding the
//! CPPN-X fields (labels, positions, notes, bookends, a header, shuffled inputs): the
//! real CPPN-X files are licensed for non-commercial use and are never copied in.

use picbreeder::cppn::{Bookends, Genome, Label, NodeKind, Program};
use picbreeder::grid::Grid;
use picbreeder::image::psnr;
use picbreeder::io::cppnx;
use picbreeder::io::detect::load_genome;
use picbreeder::io::json::{genome_from_json, genome_to_json};
use picbreeder::io::{load_any, png};

mod common;
use common::shared;

/// A fer genome with CPPN-X's extras added: labels on every third link (and a node),
/// positions, notes, bookends, original weights, and the input nodes moved to the end
/// in reverse order.
fn annotated(mut g: Genome) -> Genome {
    let n = &mut g.notes;
    n.labels = vec![
        Label {
            id: 6,
            text: "Mouth and eye".into(),
            colour: [130, 0, 0],
        },
        Label {
            id: 1,
            text: "Global lighting & <shade>".into(),
            colour: [201, 201, 0],
        },
    ];
    for (i, l) in g.links.iter().enumerate() {
        if i % 3 == 0 {
            n.link_labels.insert(l.id, if i % 2 == 0 { 6 } else { 1 });
        }
        n.original_weights.insert(l.id, l.weight * 0.5);
        // CPPN-X gives every link bookends: its default (-3, 3, 0.1) or a user's.
        let b = if i % 4 == 0 {
            Bookends {
                start: -2.5,
                end: 1.5,
                step: 0.05,
            }
        } else {
            Bookends {
                start: -3.0,
                end: 3.0,
                step: 0.1,
            }
        };
        n.bookends.insert(l.id, b);
    }
    for (i, node) in g.nodes.iter().enumerate() {
        n.positions
            .insert(node.id, [i as f64 * 12.5, -(i as f64) * 3.25]);
        if node.kind == NodeKind::Hidden && i % 2 == 0 {
            n.node_labels.insert(node.id, 1);
            n.texts.insert(node.id, "a \"note\"".into());
        }
    }
    let (mut inputs, rest): (Vec<_>, Vec<_>) = g
        .nodes
        .into_iter()
        .partition(|n| matches!(n.kind, NodeKind::Input(_)));
    inputs.reverse();
    g.nodes = rest.into_iter().chain(inputs).collect();
    g
}

fn fer(name: &str) -> Option<Genome> {
    Some(load_genome(&shared(&format!("{name}.zip"))?).expect("fer genome loads"))
}

#[test]
fn cppnx_forms_of_skull_butterfly_and_apple_render_like_the_fer_forms() {
    for (name, reference) in [
        ("skull", Some("skull.png")),
        ("butterfly", Some("butterfly.png")),
        ("apple", None),
    ] {
        let Some(g) = fer(name) else { return };
        let fer_img = Program::compile(&g).unwrap().render(&Grid::square(256));
        let text = cppnx::write(&annotated(g.clone()));
        assert!(text.contains("<cppn-data version=\"1.2\"/>\n<data version=\"1.0\">"));
        let read = cppnx::read(&text).expect("our CPPN-X file reads");
        assert_eq!(read.warnings, Vec::<String>::new(), "{name}");
        assert_eq!(
            read.genome,
            annotated(g.clone()),
            "{name}: every field kept"
        );
        let img = Program::compile(&read.genome)
            .unwrap()
            .render(&Grid::square(256));
        let want = match reference {
            Some(file) => png::load(&shared(file).unwrap()).unwrap(),
            None => fer_img.clone(),
        };
        let db = psnr(&img, &want).unwrap_or(f64::INFINITY);
        eprintln!("{name} in CPPN-X form: {db:.2} dB");
        assert!(db >= 40.0, "{name}: {db:.2} dB");
    }
}

#[test]
fn labels_survive_json_and_cppnx_round_trips() {
    let Some(g) = fer("skull") else { return };
    let g = annotated(g);
    let json = genome_to_json(&g);
    assert!(json.contains("\"version\": 2") && json.contains("Mouth and eye"));
    assert_eq!(genome_from_json(json.as_bytes()).unwrap(), g);
    let again = cppnx::read(&cppnx::write(&g)).unwrap().genome;
    assert_eq!(again, g);
    assert_eq!(
        cppnx::read(&cppnx::write(&again)).unwrap().genome,
        g,
        "twice"
    );
    let counts = g.notes.link_counts();
    assert_eq!(counts.len(), 2);
    assert_eq!(
        counts.iter().map(|c| c.1).sum::<usize>(),
        g.links.len().div_ceil(3)
    );
}

#[test]
fn version_1_json_and_headerless_xml_still_open() {
    let Some(g) = fer("butterfly") else { return };
    let v2 = genome_to_json(&g);
    assert!(!v2.contains("notes"), "no notes, no notes field");
    let v1 = v2.replace("\"version\": 2", "\"version\": 1");
    assert_eq!(genome_from_json(v1.as_bytes()).unwrap(), g);
    // picbreeder.org's form: no header, no extras.
    let plain = picbreeder::io::xml::genome_to_xml(&g);
    assert!(!plain.contains("cppn-data"));
    assert_eq!(cppnx::read(&plain).unwrap().genome, g);
    // CPPN-X's form without its header line.
    let text = cppnx::write(&annotated(g.clone())).replace("<cppn-data version=\"1.2\"/>\n", "");
    assert_eq!(cppnx::read(&text).unwrap().genome, annotated(g));
}

fn small_cppnx() -> String {
    let mut g = Genome::grey_skeleton(picbreeder::cppn::Activation::Sin);
    g.links.push(picbreeder::cppn::Link {
        id: picbreeder::cppn::Marking::new(5, 6),
        source: picbreeder::cppn::Marking::new(0, 0),
        target: picbreeder::cppn::Marking::new(0, 4),
        weight: 1.5,
    });
    g.notes.labels.push(Label {
        id: 3,
        text: "Wings top".into(),
        colour: [1, 2, 3],
    });
    g.notes.link_labels.insert(g.links[0].id, 3);
    cppnx::write(&g)
}

#[test]
fn unknown_content_is_a_warning_and_malformed_content_a_one_line_error() {
    let text = small_cppnx().replace(
        "<bookends",
        "<wobble amount=\"2\"/>\n                <bookends",
    );
    let read = cppnx::read(&text).unwrap();
    assert_eq!(read.warnings.len(), 1, "{:?}", read.warnings);
    assert!(
        read.warnings[0].contains("<wobble>"),
        "{}",
        read.warnings[0]
    );

    let dir = std::env::temp_dir().join(format!("pb-cppnx-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cases = [
        ("<weight>1.5</weight>", "<weight>lots</weight>", "<weight>"),
        ("<color r=\"1\"", "<color r=\"300\"", "<color>"),
        (
            "<color-label id=\"3\"/>\n                <text>Wings",
            "<color-label id=\"x\"/>\n                <text>Wings",
            "<color-label>",
        ),
        (
            "<bookends start=\"-3\"",
            "<bookends start=\"left\"",
            "<bookends>",
        ),
        ("<position x=\"0\"", "<position x=\"?\"", "<position>"),
    ];
    for (from, to, element) in cases {
        let bad = small_cppnx().replace(from, to);
        assert_ne!(bad, small_cppnx(), "{from}");
        let path = dir.join("bad.cppnx.xml");
        std::fs::write(&path, &bad).unwrap();
        let err = load_any(&path).unwrap_err().to_string();
        assert!(!err.contains('\n'), "one line: {err}");
        assert!(err.contains("bad.cppnx.xml"), "names the file: {err}");
        assert!(err.contains(element), "names {element}: {err}");
        let line = bad
            .lines()
            .position(|l| l.contains(&to[..to.len().min(12)]))
            .unwrap()
            + 1;
        assert!(
            err.contains(&format!("line {line}")),
            "names line {line}: {err}"
        );
    }
    let cut = &small_cppnx()[..small_cppnx().len() / 2];
    std::fs::write(dir.join("cut.xml"), cut).unwrap();
    let err = load_any(&dir.join("cut.xml")).unwrap_err().to_string();
    assert!(!err.contains('\n') && err.contains("cut.xml"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_writer_emits_what_cppnx_parser_expects_line_by_line() {
    // CPPN-X's CppnParser matches each line against a template, in this order.
    let text = small_cppnx();
    let lines: Vec<&str> = text.lines().map(str::trim_start).collect();
    assert_eq!(
        lines[0],
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>"
    );
    assert_eq!(lines[1], "<cppn-data version=\"1.2\"/>");
    assert_eq!(lines[2], "<data version=\"1.0\">");
    assert_eq!(lines[3], "<genome age=\"0\" phenotype=\"grey\">");
    assert!(lines[4].starts_with("<identifier branch=\""));
    assert_eq!(&lines[5..7], ["<parents count=\"0\">", "</parents>"]);
    assert_eq!(lines[7], "<buttons count=\"1\">");
    assert_eq!(
        &lines[8..13],
        [
            "<colorButton>",
            "<color-label id=\"3\"/>",
            "<text>Wings top</text>",
            "<color r=\"1\" g=\"2\" b=\"3\"/>",
            "</colorButton>"
        ]
    );
    let node = lines.iter().position(|l| l.starts_with("<node ")).unwrap();
    assert_eq!(
        lines[node],
        "<node affinity=\"grey\" bias=\"0.0\" label=\"x\" type=\"in\">"
    );
    assert!(lines[node + 1].starts_with("<marking branch="));
    assert_eq!(lines[node + 2], "<activation>identity(x)</activation>");
    assert_eq!(lines[node + 3], "<color-label id=\"0\"/>");
    assert!(lines[node + 4].starts_with("<position x="));
    assert_eq!(lines[node + 5], "<text></text>");
    let link = lines.iter().position(|l| *l == "<link>").unwrap();
    let tags: Vec<&str> = lines[link..link + 10]
        .iter()
        .map(|l| l.split([' ', '>', '/']).next().unwrap())
        .collect();
    assert_eq!(
        tags,
        [
            "<link",
            "<marking",
            "<source",
            "<target",
            "<weight",
            "<original-weight",
            "<color-label",
            "<text",
            "<bookends",
            "<"
        ]
    );
    assert!(text.ends_with("</nodeviews>\n    </genome>\n</data>\n"));
}

#[test]
fn a_rendered_png_reopens_as_the_same_genome_and_a_plain_png_says_it_carries_none() {
    let Some(g) = fer("apple") else { return };
    let g = annotated(g);
    let dir = std::env::temp_dir().join(format!("pb-carry-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let src = dir.join("apple.json");
    std::fs::write(&src, genome_to_json(&g)).unwrap();
    let out = dir.join("a.png");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_picbreeder"))
        .args(["render", src.to_str().unwrap(), "-s", "64", "-o"])
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    let back = load_genome(&out).unwrap();
    assert_eq!(back, g);
    for (a, b) in back.links.iter().zip(&g.links) {
        assert_eq!(a.weight.to_bits(), b.weight.to_bits());
    }
    // The gallery figure carries it too.
    let fig = dir.join("gallery.png");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_picbreeder"))
        .args(["gallery", src.to_str().unwrap(), "-s", "16", "-o"])
        .arg(&fig)
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(load_genome(&fig).unwrap(), g);
    let plain = dir.join("plain.png");
    png::save(&png::load(&out).unwrap(), &plain).unwrap();
    let err = load_any(&plain).unwrap_err().to_string();
    assert!(
        err.contains("plain.png") && err.contains("carries no genome"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
