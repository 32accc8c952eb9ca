//! Measures of hidden neurons' planes: mirror symmetry, distinct functions, and each
//! layer's effective dimension.

use super::defs::{ByMeasure, LayerPlanes, Layers, MeasureKind};
use nalgebra::{DMatrix, SymmetricEigen};
use serde::{Deserialize, Serialize};

/// A plane with a standard deviation below this is constant.
pub const CONSTANT_STD: f64 = 1e-6;
/// |Pearson r| with its mirror image from which a plane counts as symmetric.
pub const SYMMETRIC_R: f64 = 0.95;
/// |cosine| of centred planes from which two neurons compute the same function.
pub const SAME_COSINE: f64 = 0.99;

/// Whole-network neuron counts. Fractions are of the non-constant neurons.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NeuronCounts {
    pub hidden: usize,
    pub constant: usize,
    /// Left-right symmetric or antisymmetric (x -> -x).
    pub symmetric: usize,
    /// Top-bottom symmetric or antisymmetric (y -> -y).
    pub symmetric_tb: usize,
    /// Functions left after merging neurons equal up to sign, scale and offset.
    pub distinct: usize,
    #[serde(deserialize_with = "super::stats::nan_from_null")]
    pub symmetric_fraction: f64,
    #[serde(deserialize_with = "super::stats::nan_from_null")]
    pub symmetric_tb_fraction: f64,
    #[serde(deserialize_with = "super::stats::nan_from_null")]
    pub distinct_fraction: f64,
}

/// One hidden layer's measures.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LayerMeasures {
    /// 1 is the first hidden layer.
    pub layer: usize,
    pub neurons: usize,
    pub constant: usize,
    pub symmetric: usize,
    pub symmetric_tb: usize,
    /// Of the non-constant neurons; NaN (null) when all are constant.
    #[serde(deserialize_with = "super::stats::nan_from_null")]
    pub symmetric_fraction: f64,
    /// Each [`MeasureKind::Layer`] measure (`"effective_dimension": ...`); NaN (null) where
    /// not measured.
    #[serde(flatten)]
    pub values: ByMeasure<Layers, f64>,
}

/// The per-neuron verdicts, kept so galleries can mark them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NeuronVerdicts {
    pub constant: Vec<bool>,
    pub symmetric: Vec<bool>,
    pub symmetric_tb: Vec<bool>,
    /// The representative neuron (index into the list) each neuron was merged into.
    pub function_of: Vec<usize>,
}

/// Standard deviation of a plane.
pub fn std_dev(a: &[f32]) -> f64 {
    let n = a.len().max(1) as f64;
    let mean = a.iter().map(|&v| f64::from(v)).sum::<f64>() / n;
    (a.iter()
        .map(|&v| (f64::from(v) - mean).powi(2))
        .sum::<f64>()
        / n)
        .sqrt()
}

/// Pearson correlation of two equal-length series; 0 if either is constant.
pub fn pearson(a: &[f32], b: impl Fn(usize) -> f32) -> f64 {
    let n = a.len().max(1) as f64;
    let ma = a.iter().map(|&v| f64::from(v)).sum::<f64>() / n;
    let mb = (0..a.len()).map(|i| f64::from(b(i))).sum::<f64>() / n;
    let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
    for (i, &v) in a.iter().enumerate() {
        let (x, y) = (f64::from(v) - ma, f64::from(b(i)) - mb);
        sab += x * y;
        saa += x * x;
        sbb += y * y;
    }
    if saa <= 0.0 || sbb <= 0.0 {
        0.0
    } else {
        sab / (saa * sbb).sqrt()
    }
}

/// |r| between a `width`-wide plane and its left-right mirror.
pub fn mirror_lr(a: &[f32], width: usize) -> f64 {
    pearson(a, |i| a[i - i % width + (width - 1 - i % width)]).abs()
}

/// |r| between a `width`-wide plane and its top-bottom mirror.
pub fn mirror_tb(a: &[f32], width: usize) -> f64 {
    let height = a.len() / width.max(1);
    pearson(a, |i| a[(height - 1 - i / width) * width + i % width]).abs()
}

/// Verdicts for a list of planes, each `width` wide.
pub fn verdicts(planes: &[&[f32]], width: usize) -> NeuronVerdicts {
    use rayon::prelude::*;
    let each: Vec<(bool, bool, bool)> = planes
        .par_iter()
        .map(|p| {
            if std_dev(p) < CONSTANT_STD {
                (true, false, false)
            } else {
                (
                    false,
                    mirror_lr(p, width) >= SYMMETRIC_R,
                    mirror_tb(p, width) >= SYMMETRIC_R,
                )
            }
        })
        .collect();
    let constant: Vec<bool> = each.iter().map(|e| e.0).collect();
    NeuronVerdicts {
        function_of: functions(planes, &constant),
        constant,
        symmetric: each.iter().map(|e| e.1).collect(),
        symmetric_tb: each.iter().map(|e| e.2).collect(),
    }
}

/// Merges neurons whose centred planes have |cosine| >= [`SAME_COSINE`], greedily in
/// order: each neuron joins the first earlier representative it matches. Constant
/// neurons stand for themselves. The cosines come from one Gram matrix product.
fn functions(planes: &[&[f32]], constant: &[bool]) -> Vec<usize> {
    let live: Vec<usize> = (0..planes.len()).filter(|&i| !constant[i]).collect();
    let mut function_of: Vec<usize> = (0..planes.len()).collect();
    if live.is_empty() {
        return function_of;
    }
    let pixels = planes[live[0]].len();
    let z = DMatrix::<f32>::from_fn(pixels, live.len(), |_, _| 0.0);
    let mut z = z;
    for (k, &i) in live.iter().enumerate() {
        let p = planes[i];
        let mean = p.iter().map(|&v| f64::from(v)).sum::<f64>() / pixels as f64;
        let norm = p
            .iter()
            .map(|&v| (f64::from(v) - mean).powi(2))
            .sum::<f64>()
            .sqrt();
        for (r, &v) in p.iter().enumerate() {
            z[(r, k)] = ((f64::from(v) - mean) / norm) as f32;
        }
    }
    // A transposed copy times z runs as a blocked matrix product (tr_mul does one dot
    // product per entry, far slower).
    let gram = z.transpose() * &z;
    let mut reps: Vec<usize> = Vec::new();
    for k in 0..live.len() {
        match reps
            .iter()
            .find(|&&r| f64::from(gram[(r, k)]).abs() >= SAME_COSINE)
        {
            Some(&r) => function_of[live[k]] = live[r],
            None => reps.push(k),
        }
    }
    function_of
}

/// Counts over the verdicts.
pub fn counts(v: &NeuronVerdicts) -> NeuronCounts {
    let hidden = v.constant.len();
    let constant = v.constant.iter().filter(|&&c| c).count();
    let live = hidden - constant;
    let symmetric = v.symmetric.iter().filter(|&&s| s).count();
    let symmetric_tb = v.symmetric_tb.iter().filter(|&&s| s).count();
    let distinct = (0..hidden)
        .filter(|&i| !v.constant[i] && v.function_of[i] == i)
        .count();
    let frac = |k: usize| k as f64 / live as f64;
    NeuronCounts {
        hidden,
        constant,
        symmetric,
        symmetric_tb,
        distinct,
        symmetric_fraction: frac(symmetric),
        symmetric_tb_fraction: frac(symmetric_tb),
        distinct_fraction: frac(distinct),
    }
}

/// Participation ratio `(sum l)^2 / sum l^2` of the eigenvalues `l` of the covariance of
/// a layer's activations over the pixels; 0 for a layer whose neurons are all constant.
pub fn effective_dimension(planes: &[&[f32]]) -> f64 {
    let eig = covariance_eigen(planes);
    let sum: f64 = eig.eigenvalues.iter().map(|&l| l.max(0.0)).sum();
    let sq: f64 = eig.eigenvalues.iter().map(|&l| l.max(0.0).powi(2)).sum();
    if sq <= 0.0 { 0.0 } else { sum * sum / sq }
}

/// Spatial roughness of a `width`-wide plane: the mean over right and down neighbour
/// pairs of the squared difference, over the plane's variance. Scale- and offset-free:
/// a smooth ramp is near 0 (about 2 / (3 n^2) for x on an n x n grid), white noise 2, a
/// checkerboard 4. NaN for a constant plane (no contrast to be rough with).
pub fn roughness(a: &[f32], width: usize) -> f64 {
    let var = std_dev(a).powi(2);
    if width == 0 || var.sqrt() < CONSTANT_STD {
        return f64::NAN;
    }
    let height = a.len() / width;
    let (mut sum, mut pairs) = (0.0f64, 0usize);
    for r in 0..height {
        for c in 0..width {
            let v = f64::from(a[r * width + c]);
            if c + 1 < width {
                sum += (f64::from(a[r * width + c + 1]) - v).powi(2);
                pairs += 1;
            }
            if r + 1 < height {
                sum += (f64::from(a[(r + 1) * width + c]) - v).powi(2);
                pairs += 1;
            }
        }
    }
    sum / pairs.max(1) as f64 / var
}

/// A layer's roughness: the mean over its non-constant planes; NaN when all are constant.
pub fn layer_roughness(planes: &[&[f32]], width: usize) -> f64 {
    let r: Vec<f64> = planes
        .iter()
        .map(|p| roughness(p, width))
        .filter(|r| !r.is_nan())
        .collect();
    if r.is_empty() {
        f64::NAN
    } else {
        r.iter().sum::<f64>() / r.len() as f64
    }
}

/// Effective rank (Roy and Vetterli) of a layer: exp of the entropy of its centred
/// activation matrix's (pixels x neurons) singular values normalized to sum 1. The
/// singular values are the square roots of the covariance's eigenvalues (times a common
/// factor that the normalization removes); those below 1e-6 of the largest are
/// rounding and count as 0. 1 for neurons that are all one function, the width for
/// uncorrelated neurons of equal variance, 0 for a layer whose neurons are all constant.
pub fn effective_rank(planes: &[&[f32]]) -> f64 {
    let eig = covariance_eigen(planes);
    let s: Vec<f64> = eig.eigenvalues.iter().map(|&l| l.max(0.0).sqrt()).collect();
    let max = s.iter().copied().fold(0.0, f64::max);
    if max <= 0.0 {
        return 0.0;
    }
    let kept: Vec<f64> = s.into_iter().filter(|&v| v > 1e-6 * max).collect();
    let total: f64 = kept.iter().sum();
    let entropy: f64 = kept
        .iter()
        .map(|&v| {
            let p = v / total;
            -p * p.ln()
        })
        .sum();
    entropy.exp()
}

/// Eigendecomposition of the covariance (n x n, over the pixels) of `n` planes.
pub fn covariance_eigen(planes: &[&[f32]]) -> SymmetricEigen<f64, nalgebra::Dyn> {
    let n = planes.len();
    let pixels = planes.first().map_or(0, |p| p.len());
    let mut z = DMatrix::<f64>::zeros(pixels, n);
    for (k, p) in planes.iter().enumerate() {
        let mean = p.iter().map(|&v| f64::from(v)).sum::<f64>() / pixels.max(1) as f64;
        for (r, &v) in p.iter().enumerate() {
            z[(r, k)] = f64::from(v) - mean;
        }
    }
    let cov = (z.transpose() * &z) / pixels.max(1) as f64;
    SymmetricEigen::new(cov)
}

/// Per-layer measures, given the verdicts of all neurons laid out layer after layer.
/// `layered`: the layers are a net's (measures that are only for layers are measured).
pub fn layer_measures(
    layers: &[Vec<&[f32]>],
    width: usize,
    v: &NeuronVerdicts,
    layered: bool,
) -> Vec<LayerMeasures> {
    let mut at = 0;
    layers
        .iter()
        .enumerate()
        .map(|(l, planes)| {
            let range = at..at + planes.len();
            at += planes.len();
            let count = |f: &[bool]| f[range.clone()].iter().filter(|&&b| b).count();
            let constant = count(&v.constant);
            let symmetric = count(&v.symmetric);
            LayerMeasures {
                layer: l + 1,
                neurons: planes.len(),
                constant,
                symmetric,
                symmetric_tb: count(&v.symmetric_tb),
                symmetric_fraction: symmetric as f64 / (planes.len() - constant) as f64,
                values: ByMeasure::from_fn(|def| match def.kind {
                    MeasureKind::Layer { of, layered_only } if layered || !layered_only => {
                        of(&LayerPlanes { planes, width })
                    }
                    _ => f64::NAN,
                }),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid::Grid;

    fn inputs(n: usize) -> crate::grid::Planes {
        Grid::square(n).input_planes()
    }

    #[test]
    fn mirrors_of_the_inputs() {
        let p = inputs(16);
        let (x, y, d) = (p.plane(0), p.plane(1), p.plane(2));
        // x is antisymmetric left-right (r = -1) and the same down each column (r = 1).
        assert!((mirror_lr(x, 16) - 1.0).abs() < 1e-9);
        assert!((mirror_tb(x, 16) - 1.0).abs() < 1e-9);
        assert!((mirror_tb(y, 16) - 1.0).abs() < 1e-9);
        assert!((mirror_lr(d, 16) - 1.0).abs() < 1e-6);
        let skew: Vec<f32> = x
            .iter()
            .zip(y)
            .map(|(a, b)| a + 0.5 * b * b + 0.3 * a * a)
            .collect();
        assert!(mirror_lr(&skew, 16) < SYMMETRIC_R);
    }

    #[test]
    fn equal_and_negated_neurons_are_one_function() {
        let p = inputs(16);
        let x = p.plane(0);
        let a: Vec<f32> = x.iter().map(|v| v.sin()).collect();
        let b: Vec<f32> = a.iter().map(|v| 3.0 - 2.0 * v).collect();
        let c: Vec<f32> = p.plane(1).iter().map(|v| v.sin()).collect();
        let k = [0.5f32; 256];
        let v = verdicts(&[&a, &a, &b, &c, &k], 16);
        assert_eq!(v.function_of, vec![0, 0, 0, 3, 4]);
        let n = counts(&v);
        assert_eq!((n.hidden, n.constant, n.distinct), (5, 1, 2));
        assert_eq!(n.distinct_fraction, 0.5);
    }

    #[test]
    fn correlated_layer_has_dimension_one() {
        let p = inputs(16);
        let a: Vec<f32> = p.plane(0).iter().map(|v| v.tanh()).collect();
        let b: Vec<f32> = a.iter().map(|v| 1.0 - 4.0 * v).collect();
        assert!((effective_dimension(&[&a, &b]) - 1.0).abs() < 1e-9);
        // Two uncorrelated planes of equal variance: 2.
        assert!((effective_dimension(&[p.plane(0), p.plane(1)]) - 2.0).abs() < 1e-6);
        assert_eq!(effective_dimension(&[&[1.0f32; 256][..]]), 0.0);
    }

    #[test]
    fn a_ramp_is_smooth_and_a_checkerboard_rough() {
        let n = 64;
        let p = inputs(n);
        let x = p.plane(0);
        let ramp = roughness(x, n);
        // x steps 2 / (n - 1) along a row and not at all down a column; its variance
        // is about 1/3: 0.5 * (2 / 63)^2 * 3 = 0.0015.
        assert!((ramp - 0.0015).abs() < 1e-4, "{ramp}");
        let checker: Vec<f32> = (0..n * n)
            .map(|i| if (i / n + i % n) % 2 == 0 { 1.0 } else { -1.0 })
            .collect();
        assert!((roughness(&checker, n) - 4.0).abs() < 1e-12);
        // Scale and offset do not matter.
        let scaled: Vec<f32> = x.iter().map(|v| 3.0 * v + 1.0).collect();
        assert!((roughness(&scaled, n) - ramp).abs() < 1e-6);
        // A constant plane is left out of its layer's mean; a layer of them has none.
        let k = vec![0.5f32; n * n];
        assert!(roughness(&k, n).is_nan());
        assert!((layer_roughness(&[&k, x, &checker], n) - (ramp + 4.0) / 2.0).abs() < 1e-9);
        assert!(layer_roughness(&[&k], n).is_nan());
    }

    #[test]
    fn identical_neurons_have_effective_rank_one_and_independent_ones_the_width() {
        use rand::{Rng, SeedableRng};
        let p = inputs(64);
        let a: Vec<f32> = p.plane(0).iter().map(|v| v.sin()).collect();
        let b: Vec<f32> = a.iter().map(|v| 2.0 - 3.0 * v).collect();
        let same = effective_rank(&[&a, &a, &b, &a]);
        assert!((same - 1.0).abs() < 1e-6, "{same}");
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
        let noise: Vec<Vec<f32>> = (0..8)
            .map(|_| (0..64 * 64).map(|_| rng.random_range(-1.0..1.0)).collect())
            .collect();
        let layer: Vec<&[f32]> = noise.iter().map(Vec::as_slice).collect();
        let r = effective_rank(&layer);
        assert!(r > 7.9 && r <= 8.0, "{r}");
        assert_eq!(effective_rank(&[&[1.0f32; 64][..], &[2.0f32; 64][..]]), 0.0);
    }
}
