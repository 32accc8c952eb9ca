//! The paper's open questions as experiments. Would SGD find a better representation
//! if trained through the stepping stones evolution used? Is a fractured network worse
//! at adapting to a new target?
//!
//! - [`stones`]: a session's lineage as stepping stones, and how the steps are shared.
//! - [`curriculum`]: training one net through a list of targets (direct training is
//!   the one-target case), cancelable, reporting every step.
//! - [`adapt`]: one-mutation children of the final genome as new targets, and
//!   fine-tuning a trained net to each.
//! - [`jobs`]: a study as independent (condition or method, seed) jobs, each one JSON file:
//!   sharding, resuming, running one.
//! - [`path`]: the lineage above an SGD run's snapshots, as the paper's path figures.
//! - [`report`]: merging the files into a table, collapsed runs counted apart.
//! - [`pareto`]: a methods study's figure, picture quality against the representation.
//!
//! Runs are compared by PSNR and loss, and by what each ends with inside: the FER
//! scorecard's headline numbers ([`representation`]) of every trained net, of every net
//! after fine-tuning, of the evolved genome and of its children.

pub mod adapt;
pub mod curriculum;
pub mod jobs;
pub mod pareto;
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

/// The headline numbers of a network's scorecard ([`MEASURE`] options), named by key:
/// every measure marked for studies in [`crate::measure::defs::MEASURES`]
/// ([`crate::measure::defs::study`]), each its [`MeasureDef::headline`] (fractions of
/// hidden neurons, means over layers, medians of the live weight sweeps).
///
/// [`MeasureDef::headline`]: crate::measure::defs::MeasureDef::headline
pub fn representation(net: &Network, form: Form) -> Vec<(String, f64)> {
    let Some(card) = scorecard(net, "", form, &MEASURE, &|| false) else {
        return vec![];
    };
    use crate::measure::defs::MeasureKind;
    crate::measure::defs::study()
        // A genome's graph has no layers for a layers-only measure: no number, not NaN.
        .filter(|def| {
            form != Form::Genome
                || !matches!(
                    def.kind,
                    MeasureKind::Layer {
                        layered_only: true,
                        ..
                    }
                )
        })
        .map(|def| (def.key.to_string(), def.headline(&card)))
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
