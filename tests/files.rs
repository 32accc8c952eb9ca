//! Property tests for the file formats: lossless round trips, and loaders that never
//! panic or hang on bad input.

use picbreeder::cppn::{
    Activation, Bookends, Genome, Input, Label, Link, Marking, Node, NodeKind, Output,
};
use picbreeder::io::json::{genome_from_json, genome_to_json};
use picbreeder::io::parse_any;
use picbreeder::io::xml::{genome_from_xml, genome_to_xml};
use proptest::prelude::*;
use std::path::PathBuf;

/// A random valid genome: the four inputs, grey or colour outputs, some hidden nodes,
/// and links between them (cycles allowed: they are warnings, not errors).
fn genome() -> impl Strategy<Value = Genome> {
    (
        any::<bool>(),
        0usize..12,
        prop::collection::vec((0usize..64, 0usize..64, -3.0f64..3.0), 0..40),
        prop::collection::vec(0usize..8, 20),
        0u64..1_000_000,
    )
        .prop_map(|(colour, hidden, links, acts, branch)| {
            let outputs: &[Output] = if colour {
                &[Output::Hue, Output::Saturation, Output::Brightness]
            } else {
                &[Output::Ink]
            };
            let mut kinds: Vec<NodeKind> = Input::ALL.iter().map(|&i| NodeKind::Input(i)).collect();
            kinds.extend(outputs.iter().map(|&o| NodeKind::Output(o)));
            kinds.extend(std::iter::repeat_n(NodeKind::Hidden, hidden));
            let nodes: Vec<Node> = kinds
                .iter()
                .enumerate()
                .map(|(i, &kind)| Node {
                    id: Marking::new(branch, i as u64 * 7 + 3),
                    kind,
                    activation: Activation::ALL[acts[i % acts.len()]],
                })
                .collect();
            let n = nodes.len();
            let mut seen = std::collections::HashSet::new();
            let links = links
                .into_iter()
                .filter_map(|(s, t, w)| {
                    let t = 4 + t % (n - 4); // never into an input
                    let s = s % n;
                    seen.insert((s, t)).then(|| Link {
                        id: Marking::new(branch + 1, (s * 1000 + t) as u64),
                        source: nodes[s].id,
                        target: nodes[t].id,
                        weight: w,
                    })
                })
                .collect();
            Genome {
                nodes,
                links,
                notes: Default::default(),
            }
        })
}

/// A random genome with random labels on some links and nodes, and CPPN-X extras.
fn labelled() -> impl Strategy<Value = Genome> {
    (
        genome(),
        prop::collection::vec(
            (
                "[A-Za-z][A-Za-z0-9 &<>\"]{0,20}[A-Za-z0-9]",
                any::<[u8; 3]>(),
            ),
            0..6,
        ),
        prop::collection::vec(
            (any::<prop::sample::Index>(), 0usize..8, -3.0f64..3.0),
            0..30,
        ),
        prop::collection::vec(
            (any::<prop::sample::Index>(), 0usize..8, -500.0f64..500.0),
            0..10,
        ),
    )
        .prop_map(|(mut g, labels, on_links, on_nodes)| {
            let n = &mut g.notes;
            n.labels = labels
                .into_iter()
                .enumerate()
                .map(|(i, (text, colour))| Label {
                    id: i as u32 * 3 + 1,
                    text,
                    colour,
                })
                .collect();
            if !n.labels.is_empty() {
                for (at, label, w) in on_links {
                    if g.links.is_empty() {
                        break;
                    }
                    let link = g.links[at.index(g.links.len())].id;
                    n.link_labels
                        .insert(link, n.labels[label % n.labels.len()].id);
                    n.original_weights.insert(link, w);
                }
                for (at, label, x) in on_nodes {
                    let node = g.nodes[at.index(g.nodes.len())].id;
                    n.node_labels
                        .insert(node, n.labels[label % n.labels.len()].id);
                    n.positions.insert(node, [x, -x / 3.0]);
                }
            }
            g
        })
}

fn shared_files() -> Vec<Vec<u8>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/picbreeder");
    let files: Vec<Vec<u8>> = ["skull.zip", "butterfly.zip", "apple.zip", "sgd/skull.json"]
        .iter()
        .filter_map(|f| std::fs::read(dir.join(f)).ok())
        .collect();
    if files.is_empty() {
        eprintln!(
            "\n*** SKIPPED part: ../shared/picbreeder is missing, mutating only generated files ***\n"
        );
    }
    files
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn json_round_trip_is_lossless(g in genome()) {
        prop_assert!(g.validate().is_ok());
        let back = genome_from_json(genome_to_json(&g).as_bytes()).unwrap();
        prop_assert_eq!(back, g);
    }

    #[test]
    fn xml_round_trip_is_lossless(g in genome()) {
        let back = genome_from_xml(&genome_to_xml(&g)).unwrap();
        prop_assert_eq!(back, g);
    }

    #[test]
    fn labelled_genomes_round_trip_through_json_and_cppnx(g in labelled()) {
        let back = genome_from_json(genome_to_json(&g).as_bytes()).unwrap();
        prop_assert_eq!(&back, &g);
        let read = picbreeder::io::cppnx::read(&picbreeder::io::cppnx::write(&g)).unwrap();
        prop_assert_eq!(read.warnings, Vec::<String>::new());
        // CPPN-X gives every node a position and every link an original weight and
        // bookends; the rest comes back as written.
        let mut want = g.clone();
        for (i, node) in g.nodes.iter().enumerate() {
            want.notes.positions.entry(node.id).or_insert([100.0 * i as f64, 0.0]);
        }
        for l in &g.links {
            want.notes.original_weights.entry(l.id).or_insert(l.weight);
            want.notes.bookends.insert(l.id, Bookends { start: -3.0, end: 3.0, step: 0.1 });
        }
        prop_assert_eq!(read.genome, want);
    }

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        let _ = parse_any(&bytes);
        let mut xml = b"<".to_vec();
        xml.extend(&bytes);
        let _ = parse_any(&xml);
        let mut json = b"{".to_vec();
        json.extend(&bytes);
        let _ = parse_any(&json);
        let mut zip = b"PK".to_vec();
        zip.extend(&bytes);
        let _ = parse_any(&zip);
    }

    #[test]
    fn mutated_files_never_panic(
        g in genome(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..20),
    ) {
        let mut files = shared_files();
        files.push(genome_to_json(&g).into_bytes());
        files.push(genome_to_xml(&g).into_bytes());
        files.push(picbreeder::io::cppnx::write(&g).into_bytes());
        for original in files {
            let mut bytes = original.clone();
            for (at, byte, op) in &edits {
                if bytes.is_empty() {
                    break;
                }
                let i = at.index(bytes.len());
                match op {
                    0 => bytes[i] = *byte,
                    1 => { bytes.remove(i); }
                    _ => bytes.truncate(i),
                }
            }
            // An error or a genome that passes validation; never a panic.
            if let Ok(picbreeder::io::Loaded::Genome(g)) = parse_any(&bytes) {
                prop_assert!(g.validate().is_ok());
            }
        }
    }
}

#[test]
fn loaders_report_what_is_wrong() {
    let g = genome_to_json(&genome_from_xml(&genome_to_xml(&tiny())).unwrap());
    let broken = g.replace("\"gaussian\"", "\"wobble\"");
    let err = parse_any(broken.as_bytes()).unwrap_err().to_string();
    assert!(err.contains("wobble"), "{err}");
    let xml = genome_to_xml(&tiny()).replace("<weight>2.0</weight>", "<weight>two</weight>");
    let err = parse_any(xml.as_bytes()).unwrap_err().to_string();
    assert!(err.contains("'two'") && err.contains("line"), "{err}");
    let missing = genome_to_xml(&tiny()).replace("label=\"d\"", "label=\"q\"");
    let err = parse_any(missing.as_bytes()).unwrap_err().to_string();
    assert!(err.contains("'q'"), "{err}");
}

fn tiny() -> Genome {
    let mut nodes: Vec<Node> = Input::ALL
        .iter()
        .enumerate()
        .map(|(i, &k)| Node {
            id: Marking::new(1, i as u64),
            kind: NodeKind::Input(k),
            activation: Activation::Identity,
        })
        .collect();
    nodes.push(Node {
        id: Marking::new(1, 9),
        kind: NodeKind::Output(Output::Ink),
        activation: Activation::Gaussian,
    });
    let links = vec![Link {
        id: Marking::new(2, 1),
        source: nodes[2].id,
        target: nodes[4].id,
        weight: 2.0,
    }];
    Genome {
        nodes,
        links,
        notes: Default::default(),
    }
}
