//! Fresh networks for SGD: a plain MLP the user sizes, or the paper's layerized shape,
//! both with seeded LeCun-normal weights.
//!
//! LeCun normal is what the paper's flax `nn.Dense` uses by default
//! (`variance_scaling(1.0, "fan_in", "truncated_normal")`): a normal truncated at two
//! standard deviations, rescaled so the variance is exactly `1 / fan_in`.

use crate::activation::Activation;
use crate::dense::net::{Dense, DenseNet, NetOutputs};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;

/// Standard deviation of a unit normal truncated to [-2, 2].
const TRUNCATED_STD: f64 = 0.879_625_661_034_239_8;

/// `n` draws of LeCun normal for a layer with `fan_in` inputs.
pub fn lecun_normal(rng: &mut impl Rng, fan_in: usize, n: usize) -> Vec<f32> {
    let std = (1.0 / fan_in.max(1) as f64).sqrt() / TRUNCATED_STD;
    (0..n)
        .map(|_| {
            loop {
                let z: f64 = rng.sample(StandardNormal);
                if z.abs() <= 2.0 {
                    break (z * std) as f32;
                }
            }
        })
        .collect()
}

/// A plain MLP on x, y, d, bias: `depth` hidden layers of `width` neurons, all with
/// `activation`, then a linear output layer (`outputs`). Bias terms start at 0.
pub fn mlp(
    depth: usize,
    width: usize,
    activation: Activation,
    bias: bool,
    outputs: NetOutputs,
    seed: u64,
) -> DenseNet {
    let net = DenseNet {
        hidden: vec![vec![activation; width]; depth],
        layers: vec![],
        outputs,
        labels: vec![],
    };
    with_fresh_weights(net, bias, seed)
}

/// The same shape and activations as `shape` (e.g. a layerized genome: the paper's
/// architecture), with fresh LeCun-normal weights and no biases. Each neuron's label
/// becomes its activation group's name (`cache` where `shape` labelled it a cache), so
/// the paper's architecture string survives export.
pub fn reinit(shape: &DenseNet, seed: u64) -> DenseNet {
    let labels = shape
        .hidden
        .iter()
        .enumerate()
        .map(|(l, acts)| {
            acts.iter()
                .enumerate()
                .map(|(j, a)| {
                    let cache = shape
                        .labels
                        .get(l)
                        .and_then(|ls| ls.get(j))
                        .is_some_and(|s| s.starts_with("cache"));
                    if cache {
                        "cache".to_string()
                    } else {
                        a.name().to_string()
                    }
                })
                .collect()
        })
        .collect();
    let net = DenseNet {
        hidden: shape.hidden.clone(),
        layers: vec![],
        outputs: shape.outputs,
        labels,
    };
    with_fresh_weights(net, false, seed)
}

/// Fills in `layers` for `net.hidden` and `net.outputs`, layer by layer from one seeded
/// stream.
fn with_fresh_weights(mut net: DenseNet, bias: bool, seed: u64) -> DenseNet {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let widths = net.widths();
    net.layers = widths
        .windows(2)
        .map(|w| Dense {
            n_in: w[0],
            n_out: w[1],
            weights: lecun_normal(&mut rng, w[0], w[0] * w[1]),
            bias: bias.then(|| vec![0.0; w[1]]),
        })
        .collect();
    net
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lecun_normal_has_the_right_spread_and_is_seeded() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let w = lecun_normal(&mut rng, 25, 200_000);
        let mean = w.iter().map(|&x| f64::from(x)).sum::<f64>() / w.len() as f64;
        let var = w
            .iter()
            .map(|&x| (f64::from(x) - mean).powi(2))
            .sum::<f64>()
            / w.len() as f64;
        assert!(mean.abs() < 2e-3, "mean {mean}");
        assert!((var - 1.0 / 25.0).abs() < 1e-3, "variance {var}");
        // Truncated at two (rescaled) standard deviations.
        let bound = 2.0 * 0.2 / TRUNCATED_STD as f32;
        assert!(w.iter().all(|x| x.abs() <= bound + 1e-6));
        assert_eq!(
            lecun_normal(&mut ChaCha8Rng::seed_from_u64(7), 25, 10),
            w[..10]
        );
    }

    #[test]
    fn mlp_shapes() {
        let net = mlp(3, 8, Activation::Tanh, true, NetOutputs::Hsv, 1);
        net.check().unwrap();
        assert_eq!(net.widths(), vec![4, 8, 8, 8, 3]);
        assert_eq!(net.parameter_count(), 4 * 8 + 8 * 8 * 2 + 8 * 3 + 8 * 3 + 3);
        assert_ne!(net, mlp(3, 8, Activation::Tanh, true, NetOutputs::Hsv, 2));
        assert_eq!(net, mlp(3, 8, Activation::Tanh, true, NetOutputs::Hsv, 1));
        let grey = mlp(1, 5, Activation::Sin, false, NetOutputs::Grey, 1);
        assert_eq!(grey.widths(), vec![4, 5, 1]);
        assert!(grey.layers.iter().all(|l| l.bias.is_none()));
    }
}
