//! Small random genomes that already draw something: how a fresh session starts.
//!
//! A blank or flat first generation gives the user nothing to choose between, so each
//! random genome is a few hidden nodes (sin, gaussian, sigmoid, cos) over x, y and d,
//! wired to the outputs, and is drawn again (up to [`RandomGenomeConfig::attempts`]
//! times) until its picture has enough contrast by [`spread`].

use crate::activation::Activation;
use crate::cppn::genome::{ColourMode, Genome, Input, Link, Marking, Node, NodeKind, Output};
use crate::cppn::innovation::Innovations;
use crate::cppn::mutate::{WEIGHT_LIMIT, bred_weight};
use crate::cppn::program::Program;
use crate::grid::Grid;
use crate::image::Image;
use rand::Rng;
use rand::seq::{IndexedRandom, SliceRandom};
use serde::{Deserialize, Serialize};

/// The shape of random starting genomes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RandomGenomeConfig {
    /// Fewest and most hidden nodes. Default 2 to 4.
    pub hidden: (usize, usize),
    /// Activations of hidden nodes. Default sin, gaussian, sigmoid, cos: the ones that
    /// make stripes, blobs and rings from x, y and d.
    pub activations: Vec<Activation>,
    /// Least [`spread`] the picture must have. Default 0.15.
    pub min_spread: f64,
    /// Draws before giving up and keeping the most spread one. Default 30.
    pub attempts: usize,
    /// Side of the square grid [`spread`] is measured on. Default 32.
    pub probe_size: usize,
}

impl Default for RandomGenomeConfig {
    fn default() -> Self {
        RandomGenomeConfig {
            hidden: (2, 4),
            activations: vec![
                Activation::Sin,
                Activation::Gaussian,
                Activation::Sigmoid,
                Activation::Cos,
            ],
            min_spread: 0.15,
            attempts: 30,
            probe_size: 32,
        }
    }
}

/// The contrast of a picture: the largest standard deviation of its red, green or blue
/// channel over all pixels, in [0, 0.5]. 0 is a flat picture (blank, one colour); a
/// black-and-white half split is 0.5.
pub fn spread(img: &Image) -> f64 {
    let n = (img.width * img.height).max(1) as f64;
    (0..3)
        .map(|c| {
            let channel = || {
                img.rgba
                    .chunks_exact(4)
                    .map(move |px| f64::from(px[c]) / 255.0)
            };
            let mean = channel().sum::<f64>() / n;
            (channel().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n).sqrt()
        })
        .fold(0.0, f64::max)
}

/// The spread of a genome's picture on a `size` x `size` grid (0 if it does not compile).
pub fn genome_spread(genome: &Genome, size: usize) -> f64 {
    Program::compile(genome).map_or(0.0, |p| spread(&p.render(&Grid::square(size))))
}

/// A random starting genome in `mode` whose picture has at least `config.min_spread`
/// (or the most spread of `config.attempts` draws). Inputs and outputs get the session's
/// reserved markings, hidden nodes and links fresh ones.
pub fn random_genome(
    mode: ColourMode,
    config: &RandomGenomeConfig,
    innovations: &mut Innovations,
    rng: &mut impl Rng,
) -> Genome {
    let mut best: Option<(f64, Genome)> = None;
    for _ in 0..config.attempts.max(1) {
        let g = draw(mode, config, innovations, rng);
        let s = genome_spread(&g, config.probe_size);
        if s >= config.min_spread {
            return g;
        }
        if best.as_ref().is_none_or(|b| s > b.0) {
            best = Some((s, g));
        }
    }
    best.expect("at least one draw").1
}

fn draw(
    mode: ColourMode,
    config: &RandomGenomeConfig,
    innovations: &mut Innovations,
    rng: &mut impl Rng,
) -> Genome {
    let mut g = Genome {
        nodes: Vec::new(),
        links: Vec::new(),
        notes: Default::default(),
    };
    for input in Input::ALL {
        g.nodes.push(Node {
            id: innovations.input(input),
            kind: NodeKind::Input(input),
            activation: Activation::Identity,
        });
    }
    let outputs: &[(Output, Activation)] = match mode {
        ColourMode::Grey => &[(Output::Ink, Activation::Identity)],
        ColourMode::Colour => &[
            (Output::Hue, Activation::Sigmoid),
            (Output::Saturation, Activation::Sigmoid),
            (Output::Brightness, Activation::Identity),
        ],
    };
    for &(o, a) in outputs {
        g.nodes.push(Node {
            id: innovations.output(o),
            kind: NodeKind::Output(o),
            activation: a,
        });
    }
    let (lo, hi) = (
        config.hidden.0.max(1),
        config.hidden.1.max(config.hidden.0.max(1)),
    );
    let count = rng.random_range(lo..=hi);
    let acts = if config.activations.is_empty() {
        &[Activation::Gaussian][..]
    } else {
        &config.activations[..]
    };
    let mut hidden = Vec::new();
    for h in 0..count {
        let id = innovations.fresh();
        g.nodes.push(Node {
            id,
            kind: NodeKind::Hidden,
            activation: *acts.choose(rng).expect("not empty"),
        });
        // Two or three of x, y, d, bias feed each hidden node; bias shifts the pattern.
        let mut inputs = Input::ALL.to_vec();
        inputs.shuffle(rng);
        for &input in &inputs[..rng.random_range(2..=3)] {
            let w = rng.random_range(-WEIGHT_LIMIT..=WEIGHT_LIMIT);
            let source = input_id(&g, input);
            push_link(&mut g, innovations, source, id, w);
        }
        // Sometimes an earlier hidden node feeds this one: a little depth.
        if h > 0 && rng.random_bool(0.4) {
            let &src = hidden.choose(rng).expect("not empty");
            let w = rng.random_range(-WEIGHT_LIMIT..=WEIGHT_LIMIT);
            push_link(&mut g, innovations, src, id, w);
        }
        hidden.push(id);
    }
    for &(o, _) in outputs {
        let target = g
            .node_with_kind(NodeKind::Output(o))
            .expect("just added")
            .id;
        let mut sources = hidden.clone();
        sources.shuffle(rng);
        for &s in &sources[..rng.random_range(1..=sources.len().min(3))] {
            let w = rng.random_range(-WEIGHT_LIMIT..=WEIGHT_LIMIT);
            push_link(&mut g, innovations, s, target, w);
        }
    }
    g
}

fn push_link(
    g: &mut Genome,
    innovations: &mut Innovations,
    source: Marking,
    target: Marking,
    weight: f64,
) {
    g.links.push(Link {
        id: innovations.fresh(),
        source,
        target,
        weight: bred_weight(weight),
    });
}

fn input_id(g: &Genome, input: Input) -> Marking {
    g.node_with_kind(NodeKind::Input(input))
        .expect("inputs come first")
        .id
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn random_genomes_are_valid_and_not_blank_at_64() {
        let config = RandomGenomeConfig::default();
        let mut inn = Innovations::new(3);
        for seed in 0..40 {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            for mode in [ColourMode::Grey, ColourMode::Colour] {
                let g = random_genome(mode, &config, &mut inn, &mut rng);
                assert_eq!(g.validate(), Ok(vec![]));
                assert_eq!(g.colour_mode(), mode);
                let s = genome_spread(&g, 64);
                assert!(s >= 0.1, "seed {seed} {mode:?}: spread {s}");
            }
        }
    }

    #[test]
    fn spread_of_flat_and_split() {
        let mut img = Image::new(4, 4);
        img.fill([90, 90, 90, 255]);
        assert!(spread(&img) < 1e-12);
        for px in img.rgba.chunks_mut(8) {
            px[..4].copy_from_slice(&[255, 255, 255, 255]);
            px[4..].copy_from_slice(&[0, 0, 0, 255]);
        }
        assert!((spread(&img) - 0.5).abs() < 1e-9);
    }
}
