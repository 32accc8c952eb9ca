//! Made-up genomes of any size, for the tests and benchmarks of what big genomes cost
//! (real ones are not copied into the repository). Deterministic for a seed.

use super::genome::{Genome, Link, Marking, Node, NodeKind};
use crate::activation::Activation;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A valid, acyclic grey genome with `hidden` hidden nodes. Each hidden node has a link
/// from one of the eight nodes made just before it (so the graph is deep, as genomes grown
/// by splitting links are) and, half the time, one from any earlier node; the output reads
/// the last node and a few others. About 1.5 links per node.
pub fn synthetic(hidden: usize, seed: u64) -> Genome {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut g = Genome::grey_skeleton(Activation::Sigmoid);
    let output = g.nodes[4].id;
    // Sources so far: the four inputs, then each hidden node as it is made.
    let mut sources: Vec<Marking> = g.nodes[..4].iter().map(|n| n.id).collect();
    let mut next = 100u64;
    let mut fresh = || {
        next += 1;
        Marking::new(1, next)
    };
    let acts = [
        Activation::Sigmoid,
        Activation::Gaussian,
        Activation::Sin,
        Activation::Cos,
        Activation::Identity,
    ];
    let link = |g: &mut Genome, source: Marking, target: Marking, id: Marking, w: f64| {
        g.links.push(Link {
            id,
            source,
            target,
            weight: w,
        });
    };
    for _ in 0..hidden {
        let id = fresh();
        g.nodes.push(Node {
            id,
            kind: NodeKind::Hidden,
            activation: acts[rng.random_range(0..acts.len())],
        });
        let near = sources.len() - rng.random_range(1..=sources.len().min(8));
        let w = rng.random_range(-3.0..=3.0);
        link(&mut g, sources[near], id, fresh(), w);
        let far = rng.random_range(0..sources.len());
        if far != near && rng.random_bool(0.5) {
            let w = rng.random_range(-3.0..=3.0);
            link(&mut g, sources[far], id, fresh(), w);
        }
        sources.push(id);
    }
    let last = *sources.last().expect("inputs are sources");
    link(&mut g, last, output, fresh(), 1.0);
    for _ in 0..3.min(hidden.saturating_sub(1)) {
        let s = sources[rng.random_range(4..sources.len() - 1)];
        if s != last && !g.links.iter().any(|l| l.source == s && l.target == output) {
            let w = rng.random_range(-3.0..=3.0);
            link(&mut g, s, output, fresh(), w);
        }
    }
    g
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synthetic_genomes_are_valid_and_the_size_asked() {
        for n in [0, 1, 10, 500] {
            let g = synthetic(n, 7);
            assert_eq!(g.validate(), Ok(vec![]), "{n}");
            assert_eq!(g.nodes.len(), n + 5);
            assert!(g.links.len() >= n, "{n}");
        }
        assert_eq!(synthetic(50, 1), synthetic(50, 1));
    }
}
