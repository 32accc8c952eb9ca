//! The scorecard on skull: the layerized form agrees with the graph where it must.

use picbreeder::io::detect::load_genome;
use picbreeder::layerize::layerize;
use picbreeder::measure::Evaluated;
use picbreeder::measure::neurons::{mirror_lr, std_dev, verdicts};
use picbreeder::network::Network;

mod common;
use common::shared;

#[test]
fn skull_layerized_has_the_graphs_neurons_and_verdicts() {
    let Some(path) = shared("skull.zip") else {
        return;
    };
    let net = Network::from_genome(load_genome(&path).unwrap()).unwrap();
    let Network::Genome { program, .. } = &net else {
        unreachable!()
    };
    let layered = Network::Net(layerize(program).net);
    let (g, l) = (Evaluated::of(&net, 64), Evaluated::of(&layered, 64));
    assert_eq!(g.image, l.image);
    let flat = |e: &Evaluated| -> Vec<usize> { e.hidden_layers().concat() };
    let (gp, lp) = (flat(&g), flat(&l));
    let gv = verdicts(
        &gp.iter().map(|&p| g.planes.plane(p)).collect::<Vec<_>>(),
        64,
    );
    let lv = verdicts(
        &lp.iter().map(|&p| l.planes.plane(p)).collect::<Vec<_>>(),
        64,
    );
    // (Within 1e-4: the dense evaluator sums in another order.)
    // Every hidden node of the graph is a neuron of the layerized net (once, plus cache
    // copies), with the same symmetry verdict.
    for (k, &p) in gp.iter().enumerate() {
        let a = g.planes.plane(p);
        let copies: Vec<usize> = (0..lp.len())
            .filter(|&j| {
                let b = l.planes.plane(lp[j]);
                a.iter().zip(b).all(|(u, v)| (u - v).abs() < 1e-4)
            })
            .collect();
        let nearest = lp
            .iter()
            .map(|&q| {
                let b = l.planes.plane(q);
                a.iter()
                    .zip(b)
                    .map(|(u, v)| (u - v).abs())
                    .fold(0.0f32, f32::max)
            })
            .fold(f32::INFINITY, f32::min);
        assert!(
            !copies.is_empty(),
            "graph neuron {p} has no layerized twin (nearest differs by {nearest})"
        );
        for j in copies {
            assert_eq!(lv.symmetric[j], gv.symmetric[k], "neuron {p}");
            assert_eq!(lv.constant[j], gv.constant[k], "neuron {p}");
        }
    }
    // Every non-constant layerized neuron is a graph node's plane (hidden, output or input
    // carried up): no new function appears.
    let all_graph: Vec<&[f32]> = (0..g.planes.count()).map(|p| g.planes.plane(p)).collect();
    for &q in &lp {
        let b = l.planes.plane(q);
        if std_dev(b) < 1e-6 {
            continue;
        }
        assert!(
            all_graph
                .iter()
                .any(|a| a.iter().zip(b).all(|(u, v)| (u - v).abs() < 1e-4)),
            "layerized neuron {q} (symmetry {:.3}) is no graph node",
            mirror_lr(b, 64)
        );
    }
}
