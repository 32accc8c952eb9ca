//! Adam, as in optax's defaults (the paper's optimiser), and the paper's option of
//! scaling the gradient to unit L2 norm before it.

/// Adam state for a flat parameter vector.
#[derive(Clone, Debug)]
pub struct Adam {
    pub lr: f32,
    pub beta1: f32,
    pub beta2: f32,
    pub eps: f32,
    m: Vec<f32>,
    v: Vec<f32>,
    /// Updates done so far.
    t: u64,
}

impl Adam {
    /// optax.adam(lr): beta1 0.9, beta2 0.999, eps 1e-8.
    pub fn new(len: usize, lr: f32) -> Adam {
        Adam {
            lr,
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
            m: vec![0.0; len],
            v: vec![0.0; len],
            t: 0,
        }
    }

    /// One bias-corrected update: `p -= lr * m_hat / (sqrt(v_hat) + eps)`.
    pub fn update(&mut self, params: &mut [f32], grad: &[f32]) {
        assert_eq!(params.len(), self.m.len(), "Adam: parameter count changed");
        assert_eq!(grad.len(), self.m.len(), "Adam: gradient length differs");
        self.t += 1;
        let (b1, b2) = (self.beta1, self.beta2);
        let c1 = 1.0 / (1.0 - b1.powi(self.t.min(i32::MAX as u64) as i32));
        let c2 = 1.0 / (1.0 - b2.powi(self.t.min(i32::MAX as u64) as i32));
        let (lr, eps) = (self.lr, self.eps);
        for (((p, &g), m), v) in params
            .iter_mut()
            .zip(grad)
            .zip(&mut self.m)
            .zip(&mut self.v)
        {
            *m = b1 * *m + (1.0 - b1) * g;
            *v = b2 * *v + (1.0 - b2) * g * g;
            *p -= lr * (*m * c1) / ((*v * c2).sqrt() + eps);
        }
    }
}

impl Adam {
    /// Each weight's step size in the last update, `lr / (sqrt(v_hat) + eps)`: the
    /// metric a proximal step in Adam's geometry scales by.
    pub fn step_sizes(&self) -> impl Iterator<Item = f32> + '_ {
        let c2 = 1.0 / (1.0 - self.beta2.powi(self.t.clamp(1, i32::MAX as u64) as i32));
        self.v
            .iter()
            .map(move |&v| self.lr / ((v * c2).sqrt() + self.eps))
    }
}

/// Divides `grad` by its L2 norm (the paper's `grad / norm(grad)`); leaves a zero or
/// non-finite gradient alone. Returns the norm before scaling.
pub fn unit_norm(grad: &mut [f32]) -> f64 {
    let norm = grad
        .iter()
        .map(|&g| f64::from(g) * f64::from(g))
        .sum::<f64>()
        .sqrt();
    if norm > 0.0 && norm.is_finite() {
        let s = (1.0 / norm) as f32;
        grad.iter_mut().for_each(|g| *g *= s);
    }
    norm
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_step_moves_each_parameter_by_lr() {
        // With bias correction, step 1 is lr * g / (|g| + eps): a sign step.
        let mut adam = Adam::new(3, 0.1);
        let mut p = vec![1.0, 1.0, 1.0];
        adam.update(&mut p, &[2.0, -0.5, 0.0]);
        assert!((p[0] - 0.9).abs() < 1e-6 && (p[1] - 1.1).abs() < 1e-6 && p[2] == 1.0);
    }

    #[test]
    fn minimises_a_quadratic() {
        let mut adam = Adam::new(2, 0.05);
        let mut p = vec![3.0f32, -2.0];
        for _ in 0..2000 {
            let g: Vec<f32> = p.iter().map(|x| 2.0 * (x - 0.5)).collect();
            adam.update(&mut p, &g);
        }
        assert!(p.iter().all(|x| (x - 0.5).abs() < 1e-2), "{p:?}");
    }

    #[test]
    fn unit_norm_scales_and_reports() {
        let mut g = vec![3.0, 4.0];
        assert_eq!(unit_norm(&mut g), 5.0);
        assert!((g[0] - 0.6).abs() < 1e-7 && (g[1] - 0.8).abs() < 1e-7);
        let mut z = vec![0.0; 3];
        assert_eq!(unit_norm(&mut z), 0.0);
        assert_eq!(z, vec![0.0; 3]);
    }
}
