//! Mutation: how a child differs from its parent.
//!
//! Each child is made by ONE operator, chosen at random by weight as Picbreeder's client
//! did (perturb weights 10, add link 5, add node 5, change activation 1; see
//! [`OperatorWeights`]). An operator that cannot apply to a genome (no link to split, no
//! hidden node, fully connected) is left out of that draw. Every operator keeps a valid
//! genome valid and never adds a link that closes a cycle, so an acyclic genome stays
//! acyclic. [`add_colour`] is not drawn at random: it is the user's "add colour".

use super::genome::{ColourMode, Genome, Link, Node, NodeKind, Output};
use super::graph::Graph;
use super::innovation::Innovations;
use crate::activation::Activation;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_distr::{Distribution, Normal};
use serde::{Deserialize, Serialize};

/// Largest magnitude of any weight mutation makes (Picbreeder's range).
pub const WEIGHT_LIMIT: f64 = 3.0;

/// How often each operator is drawn, relative to the others. Picbreeder's defaults.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct OperatorWeights {
    pub perturb: f64,
    pub add_link: f64,
    pub add_node: f64,
    pub change_activation: f64,
}

impl Default for OperatorWeights {
    fn default() -> Self {
        OperatorWeights {
            perturb: 10.0,
            add_link: 5.0,
            add_node: 5.0,
            change_activation: 1.0,
        }
    }
}

/// One mutation operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Operator {
    Perturb,
    AddLink,
    AddNode,
    ChangeActivation,
}

impl Operator {
    pub const ALL: [Operator; 4] = [
        Operator::Perturb,
        Operator::AddLink,
        Operator::AddNode,
        Operator::ChangeActivation,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Operator::Perturb => "perturb weights",
            Operator::AddLink => "add link",
            Operator::AddNode => "add node",
            Operator::ChangeActivation => "change activation",
        }
    }
}

impl OperatorWeights {
    pub fn get(&self, op: Operator) -> f64 {
        match op {
            Operator::Perturb => self.perturb,
            Operator::AddLink => self.add_link,
            Operator::AddNode => self.add_node,
            Operator::ChangeActivation => self.change_activation,
        }
    }
}

/// Everything that shapes mutation, with Picbreeder's defaults.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MutationConfig {
    /// Relative chance of each operator.
    pub weights: OperatorWeights,
    /// The user's strength slider: the standard deviation of the gaussian noise added to
    /// a perturbed weight. Default 0.5 (a sixth of the weight range): children stay
    /// recognisably their parent's. 0 makes perturbation do nothing.
    pub strength: f64,
    /// Chance that each link is perturbed when the perturb operator is drawn (at least
    /// one link always is). Default 0.3.
    pub perturb_rate: f64,
    /// Activations that "add node" and "change activation" draw from. Default: sigmoid,
    /// gaussian, sin, cos, identity.
    pub activations: Vec<Activation>,
}

impl Default for MutationConfig {
    fn default() -> Self {
        MutationConfig {
            weights: OperatorWeights::default(),
            strength: 0.5,
            perturb_rate: 0.3,
            activations: vec![
                Activation::Sigmoid,
                Activation::Gaussian,
                Activation::Sin,
                Activation::Cos,
                Activation::Identity,
            ],
        }
    }
}

/// Whether `op` can change `genome` under `config`.
pub fn applicable(genome: &Genome, op: Operator, config: &MutationConfig) -> bool {
    match op {
        Operator::Perturb => !genome.links.is_empty() && usable_strength(config),
        Operator::AddLink => {
            if genome.nodes.len() <= EXACT_LINK_NODES {
                !link_candidates(genome).is_empty()
            } else {
                // Sampling with a fixed seed: the same genome always gets the same answer.
                sample_link(genome, &mut rand_chacha::ChaCha8Rng::seed_from_u64(0)).is_some()
            }
        }
        Operator::AddNode => !genome.links.is_empty() && !config.activations.is_empty(),
        Operator::ChangeActivation => genome.nodes.iter().any(|n| {
            n.kind == NodeKind::Hidden && config.activations.iter().any(|&a| a != n.activation)
        }),
    }
}

/// Draws an operator by weight among those that apply; `None` if none does.
pub fn choose_operator(
    genome: &Genome,
    config: &MutationConfig,
    rng: &mut impl Rng,
) -> Option<Operator> {
    let options: Vec<(Operator, f64)> = Operator::ALL
        .into_iter()
        .map(|op| (op, config.weights.get(op)))
        .filter(|&(op, w)| w > 0.0 && w.is_finite() && applicable(genome, op, config))
        .collect();
    let total: f64 = options.iter().map(|o| o.1).sum();
    if total <= 0.0 {
        return None;
    }
    let mut pick = rng.random::<f64>() * total;
    for &(op, w) in &options {
        if pick < w {
            return Some(op);
        }
        pick -= w;
    }
    options.last().map(|o| o.0)
}

/// A child of `genome` made by one operator drawn by weight. Returns the operator used
/// (`None`, with an unchanged copy, if no operator applies).
pub fn mutate(
    genome: &Genome,
    config: &MutationConfig,
    innovations: &mut Innovations,
    rng: &mut impl Rng,
) -> (Genome, Option<Operator>) {
    let mut child = genome.clone();
    let op = choose_operator(genome, config, rng);
    if let Some(op) = op {
        apply(&mut child, op, config, innovations, rng);
    }
    (child, op)
}

/// Applies one operator in place; false if it could not apply.
pub fn apply(
    genome: &mut Genome,
    op: Operator,
    config: &MutationConfig,
    innovations: &mut Innovations,
    rng: &mut impl Rng,
) -> bool {
    match op {
        Operator::Perturb => perturb_weights(genome, config, rng),
        Operator::AddLink => add_link(genome, innovations, rng),
        Operator::AddNode => add_node(genome, config, innovations, rng),
        Operator::ChangeActivation => change_activation(genome, config, rng),
    }
}

/// Adds gaussian noise (standard deviation `config.strength`) to each link with chance
/// `config.perturb_rate`, at least one link; results are clamped to [-3, 3].
pub fn perturb_weights(genome: &mut Genome, config: &MutationConfig, rng: &mut impl Rng) -> bool {
    if genome.links.is_empty() || !usable_strength(config) {
        return false;
    }
    let Ok(noise) = Normal::new(0.0, config.strength) else {
        return false;
    };
    let forced = rng.random_range(0..genome.links.len());
    for (i, link) in genome.links.iter_mut().enumerate() {
        if i == forced || rng.random_bool(probability(config.perturb_rate)) {
            link.weight =
                bred_weight((link.weight + noise.sample(rng)).clamp(-WEIGHT_LIMIT, WEIGHT_LIMIT));
        }
    }
    true
}

fn usable_strength(config: &MutationConfig) -> bool {
    config.strength.is_finite() && config.strength > 0.0
}

/// A chance usable by `random_bool`: clamped to [0, 1], and 0 if not a number.
pub(crate) fn probability(p: f64) -> f64 {
    if p.is_nan() { 0.0 } else { p.clamp(0.0, 1.0) }
}

/// Every (source, target) a new link may join, by node index: the source is an input or
/// hidden node, the target a hidden or output node, not already linked that way, and the
/// link closes no cycle. Outputs are kept as sinks so the picture stays what they draw.
pub fn link_candidates(genome: &Genome) -> Vec<(usize, usize)> {
    let graph = Graph::of(genome);
    let linked: std::collections::HashSet<_> =
        genome.links.iter().map(|l| (l.source, l.target)).collect();
    let mut out = Vec::new();
    for (t, target) in genome.nodes.iter().enumerate() {
        if matches!(target.kind, NodeKind::Input(_)) {
            continue;
        }
        let below = graph.descendants(target.id);
        for (s, source) in genome.nodes.iter().enumerate() {
            if matches!(source.kind, NodeKind::Output(_))
                || below[s]
                || linked.contains(&(source.id, target.id))
            {
                continue;
            }
            out.push((s, t));
        }
    }
    out
}

/// Up to this many nodes, "add link" lists every candidate pair and draws one uniformly
/// (quadratic, but exact and what every seeded session so far was bred with); above it,
/// it samples pairs (linear in the genome's size).
pub const EXACT_LINK_NODES: usize = 200;

/// Random pairs a big genome's "add link" tries before giving up.
const LINK_SAMPLES: usize = 256;

/// A candidate pair (as [`link_candidates`] defines them) found by drawing a random
/// source and target and checking just that pair: not linked already, and no path from
/// the target back to the source (a depth-first search that stops when it finds it).
/// Linear in the genome's size per try; `None` after [`LINK_SAMPLES`] misses.
pub fn sample_link(genome: &Genome, rng: &mut impl Rng) -> Option<(usize, usize)> {
    let sources: Vec<usize> = (0..genome.nodes.len())
        .filter(|&i| !matches!(genome.nodes[i].kind, NodeKind::Output(_)))
        .collect();
    let targets: Vec<usize> = (0..genome.nodes.len())
        .filter(|&i| !matches!(genome.nodes[i].kind, NodeKind::Input(_)))
        .collect();
    if sources.is_empty() || targets.is_empty() {
        return None;
    }
    let index: std::collections::HashMap<_, usize> = genome
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id, i))
        .collect();
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); genome.nodes.len()];
    let mut linked = std::collections::HashSet::new();
    for l in &genome.links {
        if let (Some(&a), Some(&b)) = (index.get(&l.source), index.get(&l.target)) {
            out[a].push(b);
            linked.insert((a, b));
        }
    }
    let mut seen = vec![0u32; genome.nodes.len()];
    let mut stack = Vec::new();
    for attempt in 1..=LINK_SAMPLES as u32 {
        let s = sources[rng.random_range(0..sources.len())];
        let t = targets[rng.random_range(0..targets.len())];
        if s == t || linked.contains(&(s, t)) {
            continue;
        }
        // Does t reach s? `seen` is stamped with the attempt, so it is never cleared.
        stack.clear();
        stack.push(t);
        seen[t] = attempt;
        let mut reaches = false;
        while let Some(n) = stack.pop() {
            if n == s {
                reaches = true;
                break;
            }
            for &m in &out[n] {
                if seen[m] != attempt {
                    seen[m] = attempt;
                    stack.push(m);
                }
            }
        }
        if !reaches {
            return Some((s, t));
        }
    }
    None
}

/// Adds one link between a uniformly drawn candidate pair (see [`link_candidates`]; a
/// genome over [`EXACT_LINK_NODES`] nodes samples one, [`sample_link`]), with a weight
/// uniform in [-3, 3].
pub fn add_link(genome: &mut Genome, innovations: &mut Innovations, rng: &mut impl Rng) -> bool {
    let pair = if genome.nodes.len() <= EXACT_LINK_NODES {
        link_candidates(genome).choose(rng).copied()
    } else {
        sample_link(genome, rng)
    };
    let Some((s, t)) = pair else {
        return false;
    };
    let (source, target) = (genome.nodes[s].id, genome.nodes[t].id);
    genome.links.push(Link {
        id: innovations.link(source, target),
        source,
        target,
        weight: bred_weight(rng.random_range(-WEIGHT_LIMIT..=WEIGHT_LIMIT)),
    });
    true
}

/// `w` at the precision pictures are drawn with: the renderer computes in `f32`
/// ([`super::program`]), so a weight breeding makes is kept an `f32` (in an `f64`). It
/// draws exactly the same picture, and the library stores it in 4 bytes instead of 8
/// ([`super::delta`]): a child's change at generation 1,000 of `benches/store.rs` went
/// from 1.9 kB to 1.0 kB. Weights read from files keep every bit they had.
pub fn bred_weight(w: f64) -> f64 {
    w as f32 as f64
}

/// Splits a random link `a -> b` (weight w) NEAT-style: a new hidden node `n` with a
/// drawn activation, links `a -> n` (weight 1) and `n -> b` (weight w), and the old link
/// removed (NEAT disables it; our genomes have no disabled genes, and a disabled gene is
/// a removed one for drawing). With weight 1 in and w out the new path carries the old
/// signal through one activation, so the picture changes but stays close.
pub fn add_node(
    genome: &mut Genome,
    config: &MutationConfig,
    innovations: &mut Innovations,
    rng: &mut impl Rng,
) -> bool {
    if genome.links.is_empty() {
        return false;
    }
    let Some(&activation) = config.activations.choose(rng) else {
        return false;
    };
    let i = rng.random_range(0..genome.links.len());
    let old = genome.links.remove(i);
    let (node, link_in, link_out) = innovations.split(old.id);
    genome.nodes.push(Node {
        id: node,
        kind: NodeKind::Hidden,
        activation,
    });
    genome.links.insert(
        i,
        Link {
            id: link_in,
            source: old.source,
            target: node,
            weight: 1.0,
        },
    );
    genome.links.insert(
        i + 1,
        Link {
            id: link_out,
            source: node,
            target: old.target,
            weight: old.weight,
        },
    );
    // What the split link controlled, its two halves and the new node now control.
    if let Some(&label) = genome.notes.link_labels.get(&old.id) {
        for m in [link_in, link_out] {
            genome.notes.link_labels.insert(m, label);
        }
        genome.notes.node_labels.insert(node, label);
    }
    let mut notes = std::mem::take(&mut genome.notes);
    notes.prune(genome);
    genome.notes = notes;
    true
}

/// Gives a random hidden node a different activation from `config.activations`.
pub fn change_activation(genome: &mut Genome, config: &MutationConfig, rng: &mut impl Rng) -> bool {
    let hidden: Vec<usize> = genome
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| {
            n.kind == NodeKind::Hidden && config.activations.iter().any(|&a| a != n.activation)
        })
        .map(|(i, _)| i)
        .collect();
    let Some(&i) = hidden.choose(rng) else {
        return false;
    };
    let current = genome.nodes[i].activation;
    let others: Vec<Activation> = config
        .activations
        .iter()
        .copied()
        .filter(|&a| a != current)
        .collect();
    match others.choose(rng) {
        Some(&a) => {
            genome.nodes[i].activation = a;
            true
        }
        None => false,
    }
}

/// "Add colour": a grey genome becomes a colour genome that draws the same picture. The
/// `ink` node becomes `brightness` (same marking, activation and links), and new `hue`
/// and `saturation` outputs (bipolar sigmoid, which is 0 at 0) get links from every
/// source of `ink`, all of weight 0: hue 0 and saturation 0 draw grey, exactly as before.
/// Later perturbation of those links brings colour in. `None` if already colour.
pub fn add_colour(genome: &Genome, innovations: &mut Innovations) -> Option<Genome> {
    if genome.colour_mode() != ColourMode::Grey {
        return None;
    }
    let mut g = genome.clone();
    let ink = g
        .nodes
        .iter_mut()
        .find(|n| n.kind == NodeKind::Output(Output::Ink))?;
    ink.kind = NodeKind::Output(Output::Brightness);
    let ink_id = ink.id;
    let mut sources: Vec<_> = g
        .links
        .iter()
        .filter(|l| l.target == ink_id)
        .map(|l| l.source)
        .collect();
    sources.dedup();
    if sources.is_empty()
        && let Some(bias) = g
            .nodes
            .iter()
            .find(|n| n.kind == NodeKind::Input(super::genome::Input::Bias))
    {
        sources.push(bias.id);
    }
    for output in [Output::Hue, Output::Saturation] {
        let reserved = innovations.output(output);
        let used = g.node(reserved).is_some() || g.link(reserved).is_some();
        let id = if used { innovations.fresh() } else { reserved };
        g.nodes.push(Node {
            id,
            kind: NodeKind::Output(output),
            activation: Activation::Sigmoid,
        });
        for &s in &sources {
            let mut link_id = innovations.link(s, id);
            while g.link(link_id).is_some() || g.node(link_id).is_some() {
                link_id = innovations.fresh();
            }
            g.links.push(Link {
                id: link_id,
                source: s,
                target: id,
                weight: 0.0,
            });
        }
    }
    Some(g)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cppn::genome::tests::tiny;
    use crate::cppn::program::Program;
    use crate::grid::Grid;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    fn check(g: &Genome) {
        assert_eq!(g.validate(), Ok(vec![]), "{g:?}");
        for l in &g.links {
            assert!(l.weight.abs() <= WEIGHT_LIMIT, "weight {}", l.weight);
        }
    }

    #[test]
    fn each_operator_keeps_tiny_valid_and_acyclic() {
        let config = MutationConfig::default();
        for op in Operator::ALL {
            let mut rng = ChaCha8Rng::seed_from_u64(1);
            let mut inn = Innovations::new(9);
            let mut g = tiny();
            for _ in 0..200 {
                inn.start_generation();
                apply(&mut g, op, &config, &mut inn, &mut rng);
                check(&g);
            }
            // Weights breeding makes are f32s (the library stores them in 4 bytes).
            for l in &g.links {
                assert_eq!(
                    bred_weight(l.weight).to_bits(),
                    l.weight.to_bits(),
                    "{op:?}"
                );
            }
        }
    }

    #[test]
    fn a_big_genome_samples_links_that_close_no_cycle() {
        let mut rng = ChaCha8Rng::seed_from_u64(8);
        let mut inn = Innovations::new(1_000_000);
        let mut g = crate::cppn::synthetic::synthetic(2_000, 4);
        assert!(applicable(
            &g,
            Operator::AddLink,
            &MutationConfig::default()
        ));
        let started = std::time::Instant::now();
        for _ in 0..20 {
            assert!(add_link(&mut g, &mut inn, &mut rng));
        }
        // 20 links to a 2,000-node genome: the quadratic way took seconds each.
        assert!(
            started.elapsed().as_secs_f64() < 2.0,
            "{:?}",
            started.elapsed()
        );
        check(&g);
        assert!(g.cycle_links().is_empty());
    }

    #[test]
    fn add_link_fills_up_then_stops() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let mut inn = Innovations::new(9);
        let mut g = tiny();
        while add_link(&mut g, &mut inn, &mut rng) {
            check(&g);
        }
        assert!(link_candidates(&g).is_empty());
        // 4 inputs + hidden feed ink; 4 inputs feed hidden: 9 distinct pairs.
        assert_eq!(g.links.len(), 9);
        assert!(!applicable(
            &g,
            Operator::AddLink,
            &MutationConfig::default()
        ));
    }

    #[test]
    fn choice_follows_weights() {
        let config = MutationConfig::default();
        let mut rng = ChaCha8Rng::seed_from_u64(4);
        let g = tiny();
        let mut counts = [0usize; 4];
        for _ in 0..21_000 {
            let op = choose_operator(&g, &config, &mut rng).unwrap();
            counts[Operator::ALL.iter().position(|&o| o == op).unwrap()] += 1;
        }
        for (c, want) in counts.iter().zip([10_000, 5_000, 5_000, 1_000]) {
            let err = (*c as f64 - want as f64).abs() / want as f64;
            assert!(err < 0.1, "{counts:?}");
        }
        let none = MutationConfig {
            weights: OperatorWeights {
                perturb: 0.0,
                add_link: 0.0,
                add_node: 0.0,
                change_activation: 0.0,
            },
            ..config
        };
        assert_eq!(
            mutate(&g, &none, &mut Innovations::new(1), &mut rng).1,
            None
        );
    }

    #[test]
    fn odd_settings_never_break_a_genome() {
        let mut rng = ChaCha8Rng::seed_from_u64(6);
        let mut inn = Innovations::new(9);
        for (strength, rate) in [
            (f64::INFINITY, 0.5),
            (f64::NAN, f64::NAN),
            (-1.0, 7.0),
            (1e9, -3.0),
        ] {
            let config = MutationConfig {
                strength,
                perturb_rate: rate,
                activations: vec![],
                ..MutationConfig::default()
            };
            for _ in 0..50 {
                let (g, _) = mutate(&tiny(), &config, &mut inn, &mut rng);
                check(&g);
            }
        }
    }

    #[test]
    fn add_node_keeps_signal_path() {
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let mut inn = Innovations::new(9);
        let mut g = tiny();
        assert!(add_node(
            &mut g,
            &MutationConfig::default(),
            &mut inn,
            &mut rng
        ));
        check(&g);
        assert_eq!(g.nodes.len(), 7);
        assert_eq!(g.links.len(), 5);
        let new = g.nodes.last().unwrap().id;
        let w_in = g.links.iter().find(|l| l.target == new).unwrap();
        assert_eq!(w_in.weight, 1.0);
    }

    #[test]
    fn add_colour_draws_the_same_picture() {
        let mut inn = Innovations::new(9);
        let grey = tiny();
        let colour = add_colour(&grey, &mut inn).unwrap();
        check(&colour);
        assert_eq!(colour.colour_mode(), ColourMode::Colour);
        assert!(add_colour(&colour, &mut inn).is_none());
        let grid = Grid::square(64);
        let a = Program::compile(&grey).unwrap().render(&grid);
        let b = Program::compile(&colour).unwrap().render(&grid);
        assert_eq!(a, b);
    }
}
