//! A dense feed-forward network on the inputs x, y, d, bias: the form the paper trains
//! with SGD, and the form a genome is layerized into.

use crate::activation::Activation;
use crate::grid::{Grid, Planes};
use crate::image::{ColourPlanes, Image};
use crate::steps::Step;
use crate::steps::evaluate_steps;
use serde::{Deserialize, Serialize};

/// Why a [`DenseNet`]'s shapes do not agree ([`DenseNet::check`]); names the layer.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NetError {
    #[error("{layers} layers of weights for {hidden} hidden layers")]
    LayerCount { layers: usize, hidden: usize },
    #[error("layer {layer} is {}x{}, expected {}x{}", .found.0, .found.1, .expected.0, .expected.1)]
    Shape {
        layer: usize,
        found: (usize, usize),
        expected: (usize, usize),
    },
    #[error("layer {layer} has {found} weights, expected {expected}")]
    WeightCount {
        layer: usize,
        found: usize,
        expected: usize,
    },
    #[error("layer {layer} has a bias of the wrong length")]
    BiasLength { layer: usize },
    #[error(
        "layer {layer} has a weight that is not a finite f32 (NaN, infinite, or beyond ±3.4e38, which overflows f32)"
    )]
    NotFinite { layer: usize },
}

/// One fully connected layer: `out[j] = act(sum_i in[i] * weights[i * n_out + j] + bias[j])`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dense {
    pub n_in: usize,
    pub n_out: usize,
    /// Row-major `n_in x n_out`, as in the paper's files.
    pub weights: Vec<f32>,
    /// Per-output bias, if the architecture has bias terms.
    pub bias: Option<Vec<f32>>,
}

impl Dense {
    pub fn zeros(n_in: usize, n_out: usize) -> Dense {
        Dense {
            n_in,
            n_out,
            weights: vec![0.0; n_in * n_out],
            bias: None,
        }
    }

    pub fn weight(&self, i: usize, j: usize) -> f32 {
        self.weights[i * self.n_out + j]
    }

    pub fn weight_mut(&mut self, i: usize, j: usize) -> &mut f32 {
        &mut self.weights[i * self.n_out + j]
    }
}

/// What the output layer means: one grey level, or hue, saturation, value coloured by
/// the shared rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NetOutputs {
    Grey,
    Hsv,
}

impl NetOutputs {
    /// Colouring of a net's outputs when they start at plane `first`.
    pub fn colours(self, first: usize) -> ColourPlanes {
        match self {
            NetOutputs::Grey => ColourPlanes::Grey(first),
            NetOutputs::Hsv => ColourPlanes::Hsv(Some(first), Some(first + 1), first + 2),
        }
    }

    pub fn count(self) -> usize {
        match self {
            NetOutputs::Grey => 1,
            NetOutputs::Hsv => 3,
        }
    }
}

/// A dense network. `hidden[l][j]` is the activation of neuron j of hidden layer l;
/// `layers` has one more entry than `hidden` (the linear output layer). Inputs are
/// always x, y, d, bias in that order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DenseNet {
    pub hidden: Vec<Vec<Activation>>,
    pub layers: Vec<Dense>,
    pub outputs: NetOutputs,
    /// What each hidden neuron stands for (e.g. the genome node it came from), for
    /// galleries; empty when unknown.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<Vec<String>>,
}

impl DenseNet {
    /// Widths of every layer, inputs first, outputs last.
    pub fn widths(&self) -> Vec<usize> {
        std::iter::once(4)
            .chain(self.hidden.iter().map(Vec::len))
            .chain([self.outputs.count()])
            .collect()
    }

    pub fn parameter_count(&self) -> usize {
        self.layers
            .iter()
            .map(|l| l.weights.len() + l.bias.as_ref().map_or(0, Vec::len))
            .sum()
    }

    /// Checks that the shapes agree; names the layer that does not.
    pub fn check(&self) -> Result<(), NetError> {
        let widths = self.widths();
        if self.layers.len() + 1 != widths.len() {
            return Err(NetError::LayerCount {
                layers: self.layers.len(),
                hidden: self.hidden.len(),
            });
        }
        for (l, layer) in self.layers.iter().enumerate() {
            if layer.n_in != widths[l] || layer.n_out != widths[l + 1] {
                return Err(NetError::Shape {
                    layer: l,
                    found: (layer.n_in, layer.n_out),
                    expected: (widths[l], widths[l + 1]),
                });
            }
            if layer.n_in.checked_mul(layer.n_out) != Some(layer.weights.len()) {
                return Err(NetError::WeightCount {
                    layer: l,
                    found: layer.weights.len(),
                    expected: layer.n_in.saturating_mul(layer.n_out),
                });
            }
            if layer.bias.as_ref().is_some_and(|b| b.len() != layer.n_out) {
                return Err(NetError::BiasLength { layer: l });
            }
            if layer
                .weights
                .iter()
                .chain(layer.bias.iter().flatten())
                .any(|w| !w.is_finite())
            {
                return Err(NetError::NotFinite { layer: l });
            }
        }
        Ok(())
    }

    /// The network as evaluator steps: plane 4 + k is neuron k counting through hidden
    /// layers then outputs. A bias becomes a weight on the bias input (plane 3).
    pub fn steps(&self) -> Vec<Step> {
        let mut steps = Vec::new();
        let mut first = 0; // plane of the current layer's first input
        for (l, layer) in self.layers.iter().enumerate() {
            for j in 0..layer.n_out {
                let mut inputs: Vec<(usize, f32)> = (0..layer.n_in)
                    .map(|i| (first + i, layer.weight(i, j)))
                    .collect();
                if let Some(b) = &layer.bias {
                    inputs.push((3, b[j]));
                }
                let activation = self.hidden.get(l).map_or(Activation::Identity, |h| h[j]);
                steps.push(Step { activation, inputs });
            }
            first += layer.n_in;
        }
        steps
    }

    /// First plane of each layer (inputs first) in [`DenseNet::steps`] numbering.
    pub fn layer_starts(&self) -> Vec<usize> {
        self.widths()
            .iter()
            .scan(0, |acc, w| {
                let s = *acc;
                *acc += w;
                Some(s)
            })
            .collect()
    }

    /// Every neuron's plane over the grid.
    /// The net's image over a grid.
    pub fn render(&self, grid: &Grid) -> Image {
        Image::from_planes(&self.evaluate_outputs(grid), self.outputs.colours(0))
    }

    pub fn evaluate(&self, grid: &Grid) -> Planes {
        let all: Vec<usize> = (0..self.plane_count()).collect();
        evaluate_steps(&self.steps(), grid, &all)
    }

    /// Planes in [`DenseNet::steps`] numbering: the inputs and every neuron.
    pub fn plane_count(&self) -> usize {
        self.widths().iter().sum()
    }

    /// The output planes (h, s, v or grey) in [`DenseNet::steps`] numbering: the last.
    pub fn output_planes(&self) -> Vec<usize> {
        let n = self.plane_count();
        (n - self.outputs.count()..n).collect()
    }

    /// Only the output planes (h, s, v or grey).
    pub fn evaluate_outputs(&self, grid: &Grid) -> Planes {
        evaluate_steps(&self.steps(), grid, &self.output_planes())
    }
}
