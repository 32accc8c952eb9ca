//! Regularizers on the hidden neurons' planes, added to the loss with a weight: the
//! methods `mirror:W`, `smooth:W` and `sparse-act:W` (see [`super::method`]), which ask
//! the trained net for the unified, factored planes the evolved genomes have.
//!
//! Each penalty is a mean over every hidden neuron (cache neurons included) of one
//! number per plane, and is computed on the whole hidden planes over the target grid:
//! a mirror partner or a neighbour may lie in another block of pixels, so the trainer
//! first evaluates every hidden plane, takes the penalty's gradient with respect to
//! each activation here, and adds it where back-propagation reaches that layer.

use rayon::prelude::*;
use std::fmt;

/// What a penalty measures on a hidden plane (post-activation values `a` over the
/// grid, row-major, x growing along a row).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Regularizer {
    /// Distance from the left-right mirror image: the mean over pixels of
    /// `(a(x, y) - a(-x, y))^2`. Zero exactly for mirror-symmetric planes (an
    /// antisymmetric plane such as `x` itself is penalized).
    Mirror,
    /// Total variation (squared): the mean of `(a(p) - a(q))^2` over every pair of
    /// horizontally or vertically neighbouring pixels. Per pixel step, so a smooth
    /// plane's penalty shrinks as the grid grows (about 1 / size^2).
    Smooth,
    /// L1 of the activations: the mean over pixels of `|a|`.
    SparseAct,
}

impl Regularizer {
    /// The method name it is written with.
    pub fn name(self) -> &'static str {
        match self {
            Regularizer::Mirror => "mirror",
            Regularizer::Smooth => "smooth",
            Regularizer::SparseAct => "sparse-act",
        }
    }

    /// How many terms one plane's sum has (pixels, or neighbouring pairs).
    fn terms(self, width: usize, height: usize) -> usize {
        match self {
            Regularizer::Mirror | Regularizer::SparseAct => width * height,
            Regularizer::Smooth => {
                height * width.saturating_sub(1) + width * height.saturating_sub(1)
            }
        }
    }

    /// The plane's sum of terms; with `grad`, also writes `scale` times that sum's
    /// gradient with respect to each value (overwriting).
    fn plane(self, a: &[f32], width: usize, grad: Option<&mut [f32]>, scale: f32) -> f64 {
        let height = a.len() / width.max(1);
        let mut sum = 0.0f64;
        match self {
            Regularizer::Mirror => {
                let mut g = grad;
                for (r, row) in a.chunks_exact(width).enumerate() {
                    for c in 0..width {
                        let d = row[c] - row[width - 1 - c];
                        sum += f64::from(d * d);
                        // Pixel p appears in its own term and its partner's:
                        // d/da(p) of d_p^2 + d_m^2 = 2 d_p - 2 d_m = 4 d_p.
                        if let Some(g) = g.as_deref_mut() {
                            g[r * width + c] = 4.0 * scale * d;
                        }
                    }
                }
            }
            Regularizer::Smooth => {
                let mut g = grad;
                if let Some(g) = g.as_deref_mut() {
                    g.fill(0.0);
                }
                // Row by row: each pixel's right and lower neighbour; a row's sum in
                // f32, the plane's in f64.
                for r in 0..height {
                    let at = r * width;
                    let mut s = 0.0f32;
                    for p in at..at + width - 1 {
                        let e = a[p] - a[p + 1];
                        s += e * e;
                        if let Some(g) = g.as_deref_mut() {
                            g[p] += 2.0 * scale * e;
                            g[p + 1] -= 2.0 * scale * e;
                        }
                    }
                    if r + 1 < height {
                        for p in at..at + width {
                            let e = a[p] - a[p + width];
                            s += e * e;
                            if let Some(g) = g.as_deref_mut() {
                                g[p] += 2.0 * scale * e;
                                g[p + width] -= 2.0 * scale * e;
                            }
                        }
                    }
                    sum += f64::from(s);
                }
            }
            Regularizer::SparseAct => {
                sum = a.iter().map(|&v| f64::from(v.abs())).sum();
                if let Some(g) = grad {
                    for (g, &v) in g.iter_mut().zip(a) {
                        // The subgradient 0 at 0.
                        *g = if v == 0.0 { 0.0 } else { scale * v.signum() };
                    }
                }
            }
        }
        sum
    }
}

/// A regularizer and its weight in the loss: `loss = mse + weight * penalty`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Penalty {
    pub regularizer: Regularizer,
    pub weight: f32,
}

impl fmt::Display for Penalty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.regularizer.name(), self.weight)
    }
}

impl Penalty {
    /// `weight * penalty` of `planes` (hidden planes, each `width` wide, one after
    /// another).
    pub fn value(&self, planes: &[f32], width: usize, height: usize) -> f64 {
        self.run(planes, width, height, None)
    }

    /// [`Penalty::value`], and its gradient with respect to every value of `planes`
    /// written into `grad` (the same shape).
    pub fn gradient(&self, planes: &[f32], width: usize, height: usize, grad: &mut [f32]) -> f64 {
        self.run(planes, width, height, Some(grad))
    }

    fn run(&self, planes: &[f32], width: usize, height: usize, grad: Option<&mut [f32]>) -> f64 {
        let n = width * height;
        let terms = self.regularizer.terms(width, height);
        if n == 0 || planes.is_empty() || terms == 0 {
            if let Some(g) = grad {
                g.fill(0.0);
            }
            return 0.0;
        }
        let count = planes.len() / n;
        let norm = 1.0 / (count as f64 * terms as f64);
        let scale = (f64::from(self.weight) * norm) as f32;
        let r = self.regularizer;
        // One sum per plane, added in plane order: the same result on any thread count.
        let sums: Vec<f64> = match grad {
            Some(grad) => {
                assert_eq!(grad.len(), planes.len(), "a gradient for every value");
                planes
                    .par_chunks(n)
                    .zip(grad.par_chunks_mut(n))
                    .map(|(a, g)| r.plane(a, width, Some(g), scale))
                    .collect()
            }
            None => planes
                .par_chunks(n)
                .map(|a| r.plane(a, width, None, scale))
                .collect(),
        };
        f64::from(self.weight) * norm * sums.iter().sum::<f64>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [Regularizer; 3] = [
        Regularizer::Mirror,
        Regularizer::Smooth,
        Regularizer::SparseAct,
    ];

    /// Two 5 x 4 planes of varied values.
    fn planes() -> Vec<f32> {
        (0..40)
            .map(|i| ((i * 7 % 11) as f32 * 0.37 - 1.3).sin())
            .collect()
    }

    #[test]
    fn mirror_is_zero_only_for_symmetric_planes() {
        let p = Penalty {
            regularizer: Regularizer::Mirror,
            weight: 1.0,
        };
        // a(x, y) = f(|x|, y) on a 5-wide grid: columns 0/4 and 1/3 equal.
        let sym: Vec<f32> = (0..20)
            .map(|i| {
                let (r, c) = (i / 5, i % 5);
                (c as f32 - 2.0).abs() * 0.3 + r as f32 * 0.1
            })
            .collect();
        assert_eq!(p.value(&sym, 5, 4), 0.0);
        let mut moved = sym.clone();
        moved[6] += 0.5;
        // One pixel off by 0.5 makes two terms of 0.25, over 20 pixels.
        assert!((p.value(&moved, 5, 4) - 0.5 / 20.0).abs() < 1e-7);
        // The centre column has no partner but itself.
        let mut centre = sym;
        centre[7] += 0.5;
        assert_eq!(p.value(&centre, 5, 4), 0.0);
    }

    #[test]
    fn known_values() {
        // One 2 x 2 plane [[0, 1], [2, 4]].
        let a = [0.0, 1.0, 2.0, 4.0];
        let v = |r| {
            Penalty {
                regularizer: r,
                weight: 2.0,
            }
            .value(&a, 2, 2)
        };
        // Mirror: (0-1)^2 * 2 + (2-4)^2 * 2 = 10 over 4 pixels.
        assert!((v(Regularizer::Mirror) - 2.0 * 10.0 / 4.0).abs() < 1e-9);
        // Smooth: pairs (0,1) (2,4) (0,2) (1,4): 1 + 4 + 4 + 9 = 18 over 4 pairs.
        assert!((v(Regularizer::Smooth) - 2.0 * 18.0 / 4.0).abs() < 1e-9);
        assert!((v(Regularizer::SparseAct) - 2.0 * 7.0 / 4.0).abs() < 1e-9);
    }

    #[test]
    fn gradient_matches_finite_differences() {
        for r in ALL {
            let p = Penalty {
                regularizer: r,
                weight: 0.7,
            };
            let mut a = planes();
            let mut g = vec![f32::NAN; a.len()];
            let v = p.gradient(&a, 5, 4, &mut g);
            assert_eq!(v, p.value(&a, 5, 4));
            let eps = 1e-3f32;
            for k in 0..a.len() {
                let orig = a[k];
                a[k] = orig + eps;
                let up = p.value(&a, 5, 4);
                a[k] = orig - eps;
                let down = p.value(&a, 5, 4);
                a[k] = orig;
                let fd = (up - down) / (2.0 * f64::from(eps));
                assert!(
                    (fd - f64::from(g[k])).abs() < 1e-4,
                    "{r:?} value {k}: finite difference {fd} vs {}",
                    g[k]
                );
            }
        }
    }

    #[test]
    fn empty_grids_have_no_penalty() {
        for r in ALL {
            let p = Penalty {
                regularizer: r,
                weight: 1.0,
            };
            let mut g = vec![1.0; 1];
            assert_eq!(
                p.gradient(&[0.5], 1, 1, &mut g),
                if r == Regularizer::SparseAct {
                    0.5
                } else {
                    0.0
                }
            );
            assert_eq!(p.value(&[], 0, 0), 0.0);
        }
    }
}
