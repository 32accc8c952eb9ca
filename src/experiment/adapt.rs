//! Adaptability: new targets one mutation away from the final genome (made by the
//! breeding operators, seeded), and how far a trained net must move to draw each.

use super::ExperimentError;
use crate::budget::MEMORY_BUDGET;
use crate::cppn::genome::Genome;
use crate::cppn::innovation::Innovations;
use crate::cppn::mutate::{MutationConfig, Operator, mutate};
use crate::dense::net::DenseNet;
use crate::figure::{Figure, GalleryOf, captioned_rows, gallery};
use crate::grid::Grid;
use crate::image::Image;
use crate::measure::Form;
use crate::network::Network;
use crate::sgd::collapse::Collapse;
use crate::sgd::method::Start;
use crate::sgd::trainer::{TrainConfig, psnr_of_mse};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicBool, Ordering};

/// A weight (or bias) counts as changed when it moved by more than this.
pub const CHANGED: f32 = 1e-3;

/// A new target: a child of the final genome and the one operator that made it.
#[derive(Clone, Debug, PartialEq)]
pub struct Child {
    pub genome: Genome,
    pub operator: Operator,
}

/// `k` children of `parent`, one operator each, the same for the same seed. A draw
/// that changes nothing (no operator applies) is skipped; at most `4 k` draws.
pub fn children(
    parent: &Genome,
    k: usize,
    seed: u64,
    config: &MutationConfig,
    innovations: &Innovations,
) -> Vec<Child> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut innovations = innovations.clone();
    let mut out = vec![];
    for _ in 0..4 * k {
        if out.len() == k {
            break;
        }
        if let (genome, Some(operator)) = mutate(parent, config, &mut innovations, &mut rng)
            && genome != *parent
        {
            out.push(Child { genome, operator });
        }
    }
    out
}

/// How one net (or the genome) moved to one child.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Adapted {
    /// Which child (0-based).
    pub child: usize,
    /// The operator that made the child.
    pub operator: Operator,
    /// PSNR (dB) of the net's (or parent genome's) picture against the child's before.
    #[serde(with = "db")]
    pub psnr_start: f64,
    /// Fine-tuning steps until the loss reached the target PSNR (`None`: not within
    /// the budget; for the genome: not applicable).
    pub steps_to_target: Option<u64>,
    /// PSNR (dB) after the whole budget (the genome: exactly its child, infinite).
    #[serde(with = "db")]
    pub psnr_after: f64,
    /// Weights and biases that moved by more than [`CHANGED`] (the genome: links
    /// added or re-weighted and nodes added or given another activation).
    pub changed: usize,
    /// All weights and biases (the genome: links and nodes of the parent).
    pub total: usize,
    pub collapse: Option<Collapse>,
    /// The [`super::representation`] after the move: the fine-tuned net, or the child
    /// genome. Empty in files of older runs and for a run that collapsed.
    #[serde(default)]
    pub measures_after: Vec<(String, f64)>,
}

/// PSNR in JSON: identical pictures have infinite PSNR, which JSON cannot write;
/// it is written as null and read back as infinity.
pub mod db {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(x: &f64, s: S) -> Result<S::Ok, S::Error> {
        if x.is_finite() {
            s.serialize_f64(*x)
        } else {
            s.serialize_none()
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::INFINITY))
    }
}

/// Fine-tunes a copy of `net` (only its `trainable` weights, `None`: all) towards
/// `target` for `budget` steps (fresh Adam state); returns what it did and the net it
/// ended with.
#[allow(clippy::too_many_arguments)]
pub fn fine_tune(
    net: &DenseNet,
    trainable: Option<&[bool]>,
    child: usize,
    operator: Operator,
    target: &Image,
    config: TrainConfig,
    budget: u64,
    target_db: f64,
    cancel: &AtomicBool,
    on_step: &mut dyn FnMut(u64),
) -> Result<(Adapted, DenseNet), ExperimentError> {
    let start = Start {
        net: net.clone(),
        trainable: trainable.map(<[bool]>::to_vec),
    };
    let mut t = start
        .trainer(target, config)
        .map_err(|e| ExperimentError::Setup(e.to_string()))?;
    let psnr_start = t.psnr();
    let mut steps_to_target = None;
    let mut collapse = None;
    for _ in 0..budget {
        if cancel.load(Ordering::Relaxed) {
            return Err(ExperimentError::Cancelled);
        }
        let s = t.step();
        on_step(s.step);
        // The loss is measured before the step's update: the net after s.step - 1.
        if steps_to_target.is_none() && psnr_of_mse(s.loss) >= target_db {
            steps_to_target = Some(s.step - 1);
        }
        if s.collapse.is_some() {
            collapse = s.collapse;
            break;
        }
    }
    if steps_to_target.is_none() && psnr_of_mse(t.full_loss()) >= target_db {
        steps_to_target = Some(t.steps_done());
    }
    let after = t.net();
    let (changed, total) = weights_changed(net, &after);
    let measures_after = if collapse.is_none() {
        super::representation(&Network::Net(after.clone()), Form::Dense)
    } else {
        vec![]
    };
    let adapted = Adapted {
        child,
        operator,
        psnr_start,
        steps_to_target,
        psnr_after: t.psnr(),
        changed,
        total,
        collapse,
        measures_after,
    };
    Ok((adapted, after))
}

/// Thumbnail size of [`galleries`].
pub const GALLERY_THUMB: usize = 32;

/// A network's neuron gallery before and after a move to a child, side by side: what of
/// the representation the move kept. `None` if either gallery is over the memory budget.
pub fn galleries(title: &str, before: &Network, after: &Network) -> Option<Figure> {
    let grid = Grid::new(GALLERY_THUMB, GALLERY_THUMB);
    let one = |net: &Network| {
        let of = match net {
            Network::Genome { program, .. } => GalleryOf::Genome(program),
            Network::Net(n) => GalleryOf::Net(n),
        };
        gallery(of, &grid, MEMORY_BUDGET).ok().map(|f| f.to_image())
    };
    Some(captioned_rows(&[(
        title.to_string(),
        vec![
            (one(before)?, "before".to_string()),
            (one(after)?, "after".to_string()),
        ],
    )]))
}

/// (parameters that moved by more than [`CHANGED`], all parameters).
pub fn weights_changed(before: &DenseNet, after: &DenseNet) -> (usize, usize) {
    let mut changed = 0;
    let mut total = 0;
    for (a, b) in before.layers.iter().zip(&after.layers) {
        let pairs = a
            .weights
            .iter()
            .zip(&b.weights)
            .chain(a.bias.iter().flatten().zip(b.bias.iter().flatten()));
        for (x, y) in pairs {
            total += 1;
            changed += usize::from((x - y).abs() > CHANGED);
        }
    }
    (changed, total)
}

/// What one mutation changed in the genome: (links added or re-weighted by more than
/// [`CHANGED`] + nodes added or given another activation, the parent's links + nodes).
pub fn genome_changed(parent: &Genome, child: &Genome) -> (usize, usize) {
    let links = child
        .links
        .iter()
        .filter(|l| {
            parent
                .links
                .iter()
                .find(|p| p.id == l.id)
                .is_none_or(|p| (p.weight - l.weight).abs() > f64::from(CHANGED))
        })
        .count();
    let nodes = child
        .nodes
        .iter()
        .filter(|n| {
            parent
                .nodes
                .iter()
                .find(|p| p.id == n.id)
                .is_none_or(|p| p.activation != n.activation)
        })
        .count();
    (links + nodes, parent.links.len() + parent.nodes.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cppn::genome::tests::tiny;

    #[test]
    fn children_are_one_mutation_away_and_seeded() {
        let g = tiny();
        let inn = Innovations::new(1);
        let cfg = MutationConfig::default();
        let a = children(&g, 5, 7, &cfg, &inn);
        assert_eq!(a.len(), 5);
        assert_eq!(a, children(&g, 5, 7, &cfg, &inn));
        assert_ne!(a, children(&g, 5, 8, &cfg, &inn));
        for c in &a {
            let (changed, _) = genome_changed(&g, &c.genome);
            assert!(changed >= 1, "{:?} changed nothing", c.operator);
        }
    }

    #[test]
    fn weights_changed_counts_moves_above_the_threshold() {
        let net = crate::sgd::init::mlp(
            1,
            3,
            crate::activation::Activation::Tanh,
            true,
            crate::dense::net::NetOutputs::Grey,
            0,
        );
        let mut moved = net.clone();
        moved.layers[0].weights[0] += 0.01;
        moved.layers[0].weights[1] += 1e-4;
        moved.layers[1].bias.as_mut().unwrap()[0] -= 0.5;
        assert_eq!(weights_changed(&net, &moved), (2, net.parameter_count()));
    }
}
