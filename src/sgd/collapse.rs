//! A run that cannot learn: the colour rule's clamps (s to [0, 1], |v| to [0, 1]) are
//! saturated at every pixel, so the gradient is exactly zero and the loss never moves
//! again (butterfly, paper architecture, about one seed in six). [`CollapseWatch`] sees
//! it from the steps' statistics and says what happened and what to do.

use super::trainer::psnr_of_mse;
use std::collections::VecDeque;
use std::fmt;

/// Raw gradient norms at or below this count as zero.
pub const ZERO_GRADIENT: f64 = 1e-10;
/// Consecutive zero-gradient steps before a run counts as collapsed.
pub const ZERO_STEPS: usize = 20;
/// Steps over which an unmoving loss counts as collapsed.
pub const FLAT_WINDOW: usize = 150;
/// The loss "does not move" when its range over [`FLAT_WINDOW`] steps is at most this
/// share of its value (an Adam step on a live network moves it by far more).
pub const FLAT_RELATIVE: f64 = 1e-7;

/// Why a run was judged collapsed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CollapseKind {
    /// The gradient was zero (every pixel saturated) for [`ZERO_STEPS`] steps.
    ZeroGradient,
    /// The loss did not change over [`FLAT_WINDOW`] steps.
    FlatLoss,
}

/// A detected collapse.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Collapse {
    /// The step at which it was detected.
    pub step: u64,
    /// The loss it is stuck at.
    pub loss: f64,
    pub kind: CollapseKind,
}

impl fmt::Display for Collapse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let why = match self.kind {
            CollapseKind::ZeroGradient => {
                "the gradient is zero: the colour rule's clamps are saturated at every pixel"
            }
            CollapseKind::FlatLoss => "the loss has stopped changing",
        };
        write!(
            f,
            "the network collapsed by step {} and cannot learn ({why}; loss stuck at {:.3e}, {:.2} dB). \
             Try another seed or a smaller learning rate, or the straight-through colour rule (not the paper's)",
            self.step,
            self.loss,
            psnr_of_mse(self.loss)
        )
    }
}

/// Watches steps for a collapse. Feed it every step's loss and raw gradient norm.
#[derive(Clone, Debug, Default)]
pub struct CollapseWatch {
    zero_run: usize,
    losses: VecDeque<f64>,
    found: Option<Collapse>,
}

impl CollapseWatch {
    /// Records one step; returns the collapse once one is seen (and from then on).
    pub fn observe(&mut self, step: u64, loss: f64, grad_norm: f64) -> Option<Collapse> {
        if self.found.is_some() {
            return self.found;
        }
        if !loss.is_finite() {
            return None;
        }
        self.zero_run = if grad_norm <= ZERO_GRADIENT {
            self.zero_run + 1
        } else {
            0
        };
        if self.losses.len() == FLAT_WINDOW {
            self.losses.pop_front();
        }
        self.losses.push_back(loss);
        let kind = if self.zero_run >= ZERO_STEPS {
            Some(CollapseKind::ZeroGradient)
        } else if self.losses.len() == FLAT_WINDOW {
            let (lo, hi) = self
                .losses
                .iter()
                .fold((f64::INFINITY, 0.0f64), |(lo, hi), &l| {
                    (lo.min(l), hi.max(l))
                });
            (hi - lo <= FLAT_RELATIVE * hi && hi > 0.0).then_some(CollapseKind::FlatLoss)
        } else {
            None
        };
        self.found = kind.map(|kind| Collapse { step, loss, kind });
        self.found
    }

    pub fn collapse(&self) -> Option<Collapse> {
        self.found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_gradient_is_seen_after_its_run_of_steps() {
        let mut w = CollapseWatch::default();
        for s in 1..ZERO_STEPS as u64 {
            assert_eq!(w.observe(s, 0.1, 0.0), None);
        }
        let c = w.observe(ZERO_STEPS as u64, 0.1, 0.0).unwrap();
        assert_eq!(c.kind, CollapseKind::ZeroGradient);
        assert!(c.to_string().contains("another seed"));
    }

    #[test]
    fn a_live_run_is_not_flagged_and_a_flat_one_is() {
        let mut w = CollapseWatch::default();
        for s in 0..2000u64 {
            // Slow but real progress, a tiny gradient.
            let loss = 0.01 * (1.0 - 1e-5 * s as f64);
            assert_eq!(w.observe(s, loss, 1e-6), None, "step {s}");
        }
        let mut w = CollapseWatch::default();
        let found = (0..FLAT_WINDOW as u64)
            .filter_map(|s| w.observe(s, 0.1044, 1e-3))
            .next();
        assert_eq!(found.map(|c| c.kind), Some(CollapseKind::FlatLoss));
        // A single nonzero gradient resets the zero count.
        let mut w = CollapseWatch::default();
        for s in 0..(3 * ZERO_STEPS) as u64 {
            let g = if s % ZERO_STEPS as u64 == 5 { 1.0 } else { 0.0 };
            assert_eq!(w.observe(s, 0.5 - 1e-3 * s as f64, g), None);
        }
    }
}
