//! Checks against the paper's own files in `../shared/picbreeder/`: real Picbreeder
//! genomes, the paper's renders, architecture strings and SGD networks.
//! When the folder is missing (a user's fresh clone) these tests say so and pass.

use picbreeder::cppn::{Activation, NodeKind, Program};
use picbreeder::grid::Grid;
use picbreeder::image::psnr;
use picbreeder::io::detect::load_genome;
use picbreeder::io::{Loaded, load_any, png};
use picbreeder::layerize::layerize;

mod common;
use common::shared;

fn program(name: &str) -> Option<Program> {
    let g = load_genome(&shared(&format!("{name}.zip"))?).expect("genome loads");
    Some(Program::compile(&g).expect("genome compiles"))
}

/// (name, inputs, outputs, hidden, links, [(activation, hidden count)])
type Counts = (
    &'static str,
    usize,
    usize,
    usize,
    usize,
    &'static [(Activation, usize)],
);

#[test]
#[allow(clippy::type_complexity)]
fn genome_counts_match_the_readme() {
    let cases: [Counts; 3] = [
        (
            "skull",
            4,
            1,
            18,
            57,
            &[(Activation::Gaussian, 16), (Activation::Sin, 2)],
        ),
        (
            "butterfly",
            4,
            3,
            27,
            108,
            &[
                (Activation::Gaussian, 25),
                (Activation::Sigmoid, 1),
                (Activation::Sin, 1),
            ],
        ),
        (
            "apple",
            4,
            3,
            76,
            264,
            &[
                (Activation::Gaussian, 22),
                (Activation::Sigmoid, 34),
                (Activation::Sin, 20),
            ],
        ),
    ];
    for (name, i, o, h, links, acts) in cases {
        let Some(path) = shared(&format!("{name}.zip")) else {
            return;
        };
        let g = load_genome(&path).unwrap();
        let count = |f: fn(&NodeKind) -> bool| g.nodes.iter().filter(|n| f(&n.kind)).count();
        assert_eq!(
            count(|k| matches!(k, NodeKind::Input(_))),
            i,
            "{name} inputs"
        );
        assert_eq!(
            count(|k| matches!(k, NodeKind::Output(_))),
            o,
            "{name} outputs"
        );
        assert_eq!(count(|k| *k == NodeKind::Hidden), h, "{name} hidden");
        assert_eq!(g.links.len(), links, "{name} links");
        for &(a, n) in acts {
            let got = g
                .nodes
                .iter()
                .filter(|x| x.kind == NodeKind::Hidden && x.activation == a)
                .count();
            assert_eq!(got, n, "{name} hidden {a}");
        }
    }
}

#[test]
fn renders_match_the_paper() {
    for (name, min_db) in [("skull", 40.0), ("butterfly", 40.0)] {
        let Some(p) = program(name) else { return };
        let reference = png::load(&shared(&format!("{name}.png")).unwrap()).unwrap();
        let img = p.render(&Grid::square(256));
        let db = psnr(&img, &reference).unwrap();
        eprintln!("{name}: {db:.2} dB");
        assert!(db >= min_db, "{name}: PSNR {db:.2} dB < {min_db}");
    }
}

#[test]
fn architecture_strings_match_the_paper() {
    for (name, arch, params) in [
        ("butterfly", "16;cache:17,gaussian:4,sigmoid:1,sin:1", 8096),
        ("apple", "33;cache:28,gaussian:3,sigmoid:5,sin:2", 46474),
        ("skull", "12;cache:15,gaussian:4,identity:2,sin:1", 5478),
        ("butterfly", "16;cache:17,gaussian:4,sigmoid:1,sin:1", 8096),
        ("apple", "33;cache:28,gaussian:3,sigmoid:5,sin:2", 46474),
    ] {
        let Some(p) = program(name) else { return };
        let l = layerize(&p);
        assert_eq!(l.arch, arch, "{name}");
        assert_eq!(l.net.parameter_count(), params, "{name} parameters");
    }
}

#[test]
fn layerized_net_draws_the_same_image() {
    for name in ["skull", "butterfly", "apple"] {
        let Some(p) = program(name) else { return };
        let grid = Grid::square(128);
        let graph = picbreeder::cppn::eval::evaluate_outputs(&p, &grid);
        let net = layerize(&p).net.evaluate_outputs(&grid);
        let hsv = p.outputs.planes();
        // Graph output planes are (h, s, v) or (ink); the net's are always (h, s, v).
        let pairs: Vec<(usize, usize)> = if hsv.len() == 1 {
            vec![(0, 2)]
        } else {
            vec![(0, 0), (1, 1), (2, 2)]
        };
        let mut worst = 0.0f32;
        for (g, n) in pairs {
            for (a, b) in graph.plane(g).iter().zip(net.plane(n)) {
                worst = worst.max((a - b).abs());
            }
        }
        eprintln!("{name}: max |graph - layerized| = {worst:e}");
        assert!(worst < 1e-4, "{name}: {worst}");
    }
}

#[test]
fn paper_sgd_networks_render_like_the_paper() {
    for name in ["skull", "butterfly"] {
        let Some(path) = shared(&format!("sgd/{name}.json")) else {
            return;
        };
        let Loaded::Net(net) = load_any(&path).unwrap() else {
            panic!("{name}: not a net")
        };
        let reference = png::load(&shared(&format!("sgd/{name}.png")).unwrap()).unwrap();
        let db = psnr(&net.render(&Grid::square(256)), &reference).unwrap();
        eprintln!("sgd {name}: {db:.2} dB");
        assert!(db >= 40.0, "sgd {name}: {db:.2} dB");
    }
}

/// The twin correspondence on real genomes: every link reaches its layerized weight (the
/// same value) and back, every computed node has the neuron that computes it, and every
/// hidden neuron is a node, a cache of one, a zero stand-in or unused, with a cache's
/// incoming weight of 1 coming from that node's value one layer down.
#[test]
fn twin_maps_every_link_and_neuron_of_the_real_genomes() {
    use picbreeder::compare::{Neuron, NeuronAt, Twin};
    for name in ["skull", "butterfly", "apple"] {
        let Some(path) = shared(&format!("{name}.zip")) else {
            return;
        };
        let genome = load_genome(&path).expect("genome loads");
        let twin = Twin::new(genome.clone()).expect("compiles");
        let mut mapped = 0;
        for link in &genome.links {
            let at = twin
                .weight_of(link.id)
                .unwrap_or_else(|| panic!("{name}: link {} has no weight", link.id));
            assert_eq!(twin.link_at(at), Some(link.id), "{name}: link {}", link.id);
            assert_eq!(
                twin.layered.layers[at.layer].weight(at.i, at.j),
                link.weight as f32,
                "{name}: link {}",
                link.id
            );
            mapped += 1;
        }
        assert_eq!(mapped, genome.links.len());
        for n in genome
            .nodes
            .iter()
            .filter(|n| !matches!(n.kind, NodeKind::Input(_)))
        {
            let at = twin
                .neuron_of(n.id)
                .expect("every computed node has a neuron");
            assert_eq!(twin.neuron(at), Some(Neuron::Node(n.id)), "{name}");
        }
        // Each cache neuron copies its node: the value one layer down, weight 1.
        let mut caches = 0;
        for (layer, row) in twin.neurons().iter().enumerate() {
            assert_eq!(row.len(), twin.layered.layers[layer].n_out, "{name}");
            for (j, neuron) in row.iter().enumerate() {
                let Neuron::Cache(id) = *neuron else { continue };
                caches += 1;
                assert!(layer > 0 || genome.node(id).is_some(), "{name}");
                let from = (0..twin.layered.layers[layer].n_in)
                    .filter(|&i| twin.layered.layers[layer].weight(i, j) != 0.0)
                    .collect::<Vec<_>>();
                assert_eq!(
                    from.len(),
                    1,
                    "{name}: cache ({layer}, {j}) reads one value"
                );
                assert_eq!(twin.layered.layers[layer].weight(from[0], j), 1.0);
                if layer > 0 {
                    let below = twin.neuron(NeuronAt {
                        layer: layer - 1,
                        j: from[0],
                    });
                    assert!(
                        below == Some(Neuron::Node(id)) || below == Some(Neuron::Cache(id)),
                        "{name}: cache of {id} at ({layer}, {j}) reads {below:?}"
                    );
                }
            }
        }
        assert!(caches > 0, "{name} has caches");
    }
}
