//! The evolved topology with gradient-found weights (the `graph` methods): the genome's
//! own sparse graph, its links and activations, trained by backpropagation. It is the
//! genome's layerized net with only the weights that stand for links trainable; cache
//! weights (1), the output layer and unused slots stay as layerization made them, so at
//! every step the net computes a genome of the same graph. Two links between the same
//! nodes share their one layerized weight. This separates the architecture's part in
//! FER from the optimizer's: the same Adam, on the evolved graph instead of a dense one.

use super::init::lecun_normal;
use super::layout::ParamLayout;
use crate::cppn::program::Program;
use crate::dense::net::DenseNet;
use crate::layerize::layerize;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal};
use std::collections::BTreeMap;

/// Where the link weights start.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum GraphStart {
    /// Fresh LeCun-normal weights over each node's incoming links (its fan-in in the
    /// graph, not the dense layer's width).
    Fresh,
    /// The genome's own weights plus gaussian noise of this standard deviation (0: the
    /// genome itself).
    FromGenome { sigma: f32 },
}

/// The layerized net of `program` with its link weights set as `start` says, and which
/// of its flat parameters ([`ParamLayout`] order) are trainable.
pub fn graph_net(program: &Program, start: GraphStart, seed: u64) -> (DenseNet, Vec<bool>) {
    let l = layerize(program);
    let mut net = l.net;
    let (layout, _) = ParamLayout::of(&net);
    let mut trainable = vec![false; layout.len];
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    // Links grouped by their target node, in a fixed order (the draws follow it).
    let mut by_target: BTreeMap<usize, Vec<(usize, crate::layerize::WeightAt)>> = BTreeMap::new();
    for (&(s, t), &at) in &l.weight_of {
        by_target.entry(t).or_default().push((s, at));
    }
    for links in by_target.values_mut() {
        links.sort_by_key(|&(s, _)| s);
        let fresh = lecun_normal(&mut rng, links.len(), links.len());
        for (&(_, at), fresh) in links.iter().zip(fresh) {
            let w = net.layers[at.layer].weight_mut(at.i, at.j);
            *w = match start {
                GraphStart::Fresh => fresh,
                GraphStart::FromGenome { sigma } => {
                    let noise = Normal::new(0.0, f64::from(sigma.max(0.0)))
                        .map_or(0.0, |n| n.sample(&mut rng) as f32);
                    *w + noise
                }
            };
            trainable[layout.weight_index(at.layer, at.i, at.j)] = true;
        }
    }
    (net, trainable)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cppn::genome::tests::tiny;
    use crate::grid::Grid;

    #[test]
    fn only_link_weights_are_trainable_and_the_genome_start_is_the_genome() {
        let program = Program::compile(&tiny()).unwrap();
        let (net, trainable) = graph_net(&program, GraphStart::FromGenome { sigma: 0.0 }, 3);
        assert_eq!(
            trainable.iter().filter(|&&t| t).count(),
            4,
            "tiny has 4 links"
        );
        assert_eq!(net.layers, layerize(&program).net.layers);
        let (fresh, same) = graph_net(&program, GraphStart::Fresh, 3);
        assert_eq!(same, trainable);
        let (layout, params) = ParamLayout::of(&fresh);
        let (_, genome) = ParamLayout::of(&net);
        for i in 0..layout.len {
            if trainable[i] {
                assert_ne!(params[i], genome[i], "a fresh link weight at {i}");
            } else {
                assert_eq!(params[i], genome[i], "a frozen weight at {i}");
            }
        }
        // Seeded: the same draws again.
        assert_eq!(graph_net(&program, GraphStart::Fresh, 3).0, fresh);
        assert_ne!(graph_net(&program, GraphStart::Fresh, 4).0, fresh);
        // The genome start draws the genome's picture.
        let grid = Grid::square(16);
        let want = crate::cppn::eval::evaluate_outputs(&program, &grid);
        let got = net.evaluate_outputs(&grid);
        for (a, b) in want.plane(0).iter().zip(got.plane(2)) {
            assert!((a - b).abs() < 1e-5);
        }
    }

    #[test]
    fn graph_from_the_genome_starts_at_its_picture_and_keeps_it() {
        use crate::sgd::arch::Arch;
        use crate::sgd::method::Method;
        use crate::sgd::trainer::TrainConfig;
        let program = Program::compile(&crate::cppn::synthetic::synthetic(12, 5)).unwrap();
        let target = program.render(&Grid::square(48));
        let start = Method::GraphFromGenome { sigma: 0.0 }
            .build(&Arch::Paper, &program, 0)
            .unwrap();
        let frozen = start.net.clone();
        let mask = start.trainable.clone().unwrap();
        let mut t = start.trainer(&target, TrainConfig::default()).unwrap();
        // Zero but for the target's 8-bit rounding.
        assert!(t.full_loss() < 1e-5, "{}", t.full_loss());
        for _ in 0..200 {
            t.step();
        }
        assert!(t.psnr() >= 40.0, "{} dB", t.psnr());
        // Only link weights moved.
        let (_, before) = ParamLayout::of(&frozen);
        let (_, after) = ParamLayout::of(&t.net());
        for (i, keep) in mask.iter().enumerate() {
            if !keep {
                assert_eq!(before[i], after[i], "frozen weight {i} moved");
            }
        }
        // A fresh graph learns (its loss falls) and needs the paper's shape.
        let mut fresh = Method::Graph
            .build(&Arch::Paper, &program, 1)
            .unwrap()
            .trainer(&target, TrainConfig::default())
            .unwrap();
        let first = fresh.full_loss();
        for _ in 0..300 {
            fresh.step();
        }
        assert!(
            fresh.full_loss() < first * 0.8,
            "{first} -> {}",
            fresh.full_loss()
        );
        let mlp: Arch = "mlp:2x8:tanh".parse().unwrap();
        let e = Method::Graph.build(&mlp, &program, 0).unwrap_err();
        assert!(e.contains("needs --arch paper"), "{e}");
    }
}
