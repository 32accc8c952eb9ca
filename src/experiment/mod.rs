//! The paper's open questions as experiments. Would SGD find a better representation
//! if trained through the stepping stones evolution used? Is a fractured network worse
//! at adapting to a new target?
//!
//! - [`stones`]: a session's lineage as stepping stones, and how the steps are shared.
//! - [`curriculum`]: training one net through a list of targets (direct training is
//!   the one-target case), cancelable, reporting every step.
//! - [`adapt`]: one-mutation children of the final genome as new targets, and
//!   fine-tuning a trained net to each.
//! - [`jobs`]: a study as independent (condition, seed) jobs, each one JSON file:
//!   sharding, resuming, running one.
//! - [`path`]: the lineage above an SGD run's snapshots, as the paper's path figures.
//! - [`report`]: merging the files into a table, collapsed runs counted apart.
//!
//! Runs are compared by PSNR and loss, and by what each ends with inside: the FER
//! scorecard's headline numbers ([`representation`]) of every trained net, of every net
//! after fine-tuning, of the evolved genome and of its children.

pub mod adapt;
pub mod curriculum;
pub mod jobs;
pub mod path;
pub mod report;
pub mod stones;

use crate::measure::{Form, Options, scorecard};
use crate::network::Network;

/// The scorecard of a study's nets: a 32x32 grid and 64 sampled weights (of 5,478 for
/// skull's paper shape) keep one card well under a second, small beside the thousands
/// of training steps of a job, while the medians stay those of the full card's order.
pub const MEASURE: Options = Options {
    grid: 32,
    delta: 0.5,
    sample: 64,
    seed: 0,
};

/// The names of [`representation`]'s numbers, in its order.
pub const MEASURES: [&str; 6] = [
    "symmetric",
    "distinct",
    "change_symmetry",
    "fragmentation",
    "reach",
    "preservation",
];

/// The headline numbers of a network's scorecard ([`MEASURE`] options): the fractions of
/// hidden neurons that are left-right symmetric and that are distinct functions, and the
/// medians of the live weight sweeps' change symmetry, fragmentation, reach and
/// preservation (dB). Named as [`MEASURES`].
pub fn representation(net: &Network, form: Form) -> Vec<(String, f64)> {
    let Some(card) = scorecard(net, "", form, &MEASURE, &|| false) else {
        return vec![];
    };
    let s = &card.sweeps;
    let values = [
        card.neurons.symmetric_fraction,
        card.neurons.distinct_fraction,
        s.change_symmetry.median,
        s.fragmentation.median,
        s.reach.median,
        s.preservation.median,
    ];
    MEASURES
        .iter()
        .zip(values)
        .map(|(n, v)| (n.to_string(), v))
        .collect()
}

/// Why an experiment could not run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ExperimentError {
    #[error("{0}")]
    Setup(String),
    #[error("cancelled")]
    Cancelled,
    #[error("{path}: {why}")]
    File { path: String, why: String },
}
