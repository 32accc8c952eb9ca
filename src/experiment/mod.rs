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
//! - [`report`]: merging the files into a table, collapsed runs counted apart.
//!
//! Runs are compared by PSNR and loss. [`compare_trained`] is where a fuller scorecard
//! of two trained nets plugs in.

pub mod adapt;
pub mod curriculum;
pub mod jobs;
pub mod report;
pub mod stones;

use crate::dense::net::DenseNet;

/// The measures compared between two trained nets of a study. Today: their PSNR
/// difference only; the FER scorecard (a measure of each net's representation) is to
/// be computed here, from the two nets, when it lands.
pub fn compare_trained(stones: (&DenseNet, f64), direct: (&DenseNet, f64)) -> Vec<(String, f64)> {
    vec![("psnr_stones_minus_direct".into(), stones.1 - direct.1)]
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
