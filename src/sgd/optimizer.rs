//! How a gradient moves the weights: the paper's Adam and the alternatives a methods
//! study compares it with. One [`Optimizer`] per rule; [`Stepper`] holds its state.

use super::adam::Adam;

/// An update rule. `Adam` is the paper's (optax defaults); the others change one thing
/// about it, or drop it for plain momentum SGD.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Optimizer {
    /// Adam (beta1 0.9, beta2 0.999, eps 1e-8).
    Adam,
    /// SGD with heavy-ball momentum: `v = momentum v + g; w -= lr v`.
    Sgd { momentum: f32 },
    /// Adam with decoupled weight decay (AdamW, as optax's): `w -= lr (adam + decay w)`.
    AdamW { decay: f32 },
    /// Adam followed by the proximal step of `lambda * sum |w|` in Adam's own metric:
    /// each weight is soft-thresholded by `lambda` times its Adam step size
    /// `lr / (sqrt(v_hat) + eps)`, so a weight the loss barely pushes (small gradients,
    /// so a large step size) lands on exactly zero and stays there.
    L1 { lambda: f32 },
}

/// An optimizer's state over a flat parameter vector.
#[derive(Clone, Debug)]
pub struct Stepper {
    pub rule: Optimizer,
    adam: Adam,
    /// Momentum SGD's velocity (empty for the Adam rules).
    velocity: Vec<f32>,
}

impl Stepper {
    pub fn new(rule: Optimizer, len: usize, lr: f32) -> Stepper {
        Stepper {
            rule,
            adam: Adam::new(len, lr),
            velocity: match rule {
                Optimizer::Sgd { .. } => vec![0.0; len],
                _ => Vec::new(),
            },
        }
    }

    pub fn lr(&self) -> f32 {
        self.adam.lr
    }

    pub fn set_lr(&mut self, lr: f32) {
        self.adam.lr = lr;
    }

    /// One update of `params` by `grad`.
    pub fn update(&mut self, params: &mut [f32], grad: &[f32]) {
        let lr = self.adam.lr;
        match self.rule {
            Optimizer::Adam => self.adam.update(params, grad),
            Optimizer::AdamW { decay } => {
                // Decoupled: the decay reads the weights before Adam moves them.
                let keep = 1.0 - lr * decay;
                params.iter_mut().for_each(|w| *w *= keep);
                self.adam.update(params, grad);
            }
            Optimizer::L1 { lambda } => {
                self.adam.update(params, grad);
                for (w, step) in params.iter_mut().zip(self.adam.step_sizes()) {
                    *w = soft_threshold(*w, lambda * step);
                }
            }
            Optimizer::Sgd { momentum } => {
                assert_eq!(grad.len(), self.velocity.len(), "SGD: gradient length");
                for ((w, &g), v) in params.iter_mut().zip(grad).zip(&mut self.velocity) {
                    *v = momentum * *v + g;
                    *w -= lr * *v;
                }
            }
        }
    }
}

/// `sign(w) max(|w| - t, 0)`: the proximal map of `t |w|`.
pub fn soft_threshold(w: f32, t: f32) -> f32 {
    if w > t {
        w - t
    } else if w < -t {
        w + t
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Gradient of `sum (w - target)^2 / 2` plus a little of `w_1` only.
    fn grad(w: &[f32], target: &[f32]) -> Vec<f32> {
        w.iter().zip(target).map(|(a, b)| a - b).collect()
    }

    #[test]
    fn every_rule_minimises_a_quadratic() {
        for rule in [
            Optimizer::Adam,
            Optimizer::Sgd { momentum: 0.9 },
            Optimizer::AdamW { decay: 1e-3 },
            Optimizer::L1 { lambda: 1e-3 },
        ] {
            let target = [0.5f32, -1.5, 2.0];
            let mut w = vec![3.0f32, 1.0, -2.0];
            let mut s = Stepper::new(rule, 3, 0.02);
            for _ in 0..3000 {
                let g = grad(&w, &target);
                s.update(&mut w, &g);
            }
            for (a, b) in w.iter().zip(target) {
                assert!((a - b).abs() < 0.05, "{rule:?}: {w:?}");
            }
        }
    }

    #[test]
    fn l1_makes_a_weakly_pushed_weight_exactly_zero() {
        // Weight 0 is pulled towards 1e-3 (a small gradient), weight 1 towards 1.
        let target = [1e-3f32, 1.0];
        let mut w = vec![0.8f32, 0.2];
        let mut s = Stepper::new(Optimizer::L1 { lambda: 0.01 }, 2, 0.01);
        for _ in 0..2000 {
            let g = grad(&w, &target);
            s.update(&mut w, &g);
        }
        assert_eq!(w[0], 0.0, "{w:?}");
        assert!((w[1] - 1.0).abs() < 0.05, "{w:?}");
        // Plain Adam leaves it near its target, not at zero.
        let mut w = vec![0.8f32, 0.2];
        let mut s = Stepper::new(Optimizer::Adam, 2, 0.01);
        for _ in 0..2000 {
            let g = grad(&w, &target);
            s.update(&mut w, &g);
        }
        assert_ne!(w[0], 0.0);
    }

    #[test]
    fn adamw_decays_weights_the_loss_ignores() {
        let mut w = vec![2.0f32];
        let mut s = Stepper::new(Optimizer::AdamW { decay: 0.5 }, 1, 0.01);
        for _ in 0..100 {
            s.update(&mut w, &[0.0]);
        }
        // (1 - 0.005)^100 = 0.6058
        assert!((w[0] - 2.0 * 0.995f32.powi(100)).abs() < 1e-4, "{w:?}");
    }

    #[test]
    fn soft_threshold_shrinks_towards_zero() {
        assert_eq!(soft_threshold(0.5, 0.2), 0.3);
        assert_eq!(soft_threshold(-0.5, 0.2), -0.3);
        assert_eq!(soft_threshold(0.1, 0.2), 0.0);
    }
}
