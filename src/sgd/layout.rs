//! A network's parameters as one flat vector (what Adam and the gradient norm see),
//! and where each layer's weights and bias sit in it.

use crate::activation::Activation;
use crate::dense::net::{Dense, DenseNet, NetOutputs};

/// The shape of a [`DenseNet`] with offsets into a flat parameter vector: for each
/// layer, its row-major `n_in x n_out` weights, then its bias if it has one.
#[derive(Clone, Debug, PartialEq)]
pub struct ParamLayout {
    /// Widths of every layer, inputs (4) first, outputs last.
    pub widths: Vec<usize>,
    /// Activation of each hidden neuron, per hidden layer.
    pub hidden: Vec<Vec<Activation>>,
    pub outputs: NetOutputs,
    /// Start of each layer's weights.
    pub weights_at: Vec<usize>,
    /// Start of each layer's bias, if it has one.
    pub bias_at: Vec<Option<usize>>,
    /// Total parameter count.
    pub len: usize,
}

impl ParamLayout {
    /// The layout of `net` and its parameters, flattened. `net` must pass
    /// [`DenseNet::check`].
    pub fn of(net: &DenseNet) -> (ParamLayout, Vec<f32>) {
        let mut params = Vec::with_capacity(net.parameter_count());
        let (mut weights_at, mut bias_at) = (vec![], vec![]);
        for layer in &net.layers {
            weights_at.push(params.len());
            params.extend_from_slice(&layer.weights);
            bias_at.push(layer.bias.as_ref().map(|b| {
                let at = params.len();
                params.extend_from_slice(b);
                at
            }));
        }
        let layout = ParamLayout {
            widths: net.widths(),
            hidden: net.hidden.clone(),
            outputs: net.outputs,
            weights_at,
            bias_at,
            len: params.len(),
        };
        (layout, params)
    }

    /// The first plane number of each layer (planes numbered as
    /// [`DenseNet::evaluate`]: inputs, hidden layers, outputs).
    pub fn plane_starts(&self) -> Vec<usize> {
        self.widths
            .iter()
            .scan(0, |acc, w| {
                let s = *acc;
                *acc += w;
                Some(s)
            })
            .collect()
    }

    /// Number of weight layers (hidden layers + 1).
    pub fn layer_count(&self) -> usize {
        self.widths.len() - 1
    }

    /// The weights of layer `l` within a flat vector.
    pub fn weights<'a>(&self, params: &'a [f32], l: usize) -> &'a [f32] {
        &params[self.weights_at[l]..][..self.widths[l] * self.widths[l + 1]]
    }

    /// Where weight `(i, j)` of layer `l` (from neuron `i` below to `j` above) sits in
    /// the flat vector.
    pub fn weight_index(&self, l: usize, i: usize, j: usize) -> usize {
        self.weights_at[l] + i * self.widths[l + 1] + j
    }

    /// The bias of layer `l`, if it has one.
    pub fn bias<'a>(&self, params: &'a [f32], l: usize) -> Option<&'a [f32]> {
        self.bias_at[l].map(|at| &params[at..][..self.widths[l + 1]])
    }

    /// A [`DenseNet`] holding `params`, with `labels` for its hidden neurons.
    pub fn to_net(&self, params: &[f32], labels: &[Vec<String>]) -> DenseNet {
        let layers = (0..self.layer_count())
            .map(|l| Dense {
                n_in: self.widths[l],
                n_out: self.widths[l + 1],
                weights: self.weights(params, l).to_vec(),
                bias: self.bias(params, l).map(<[f32]>::to_vec),
            })
            .collect();
        DenseNet {
            hidden: self.hidden.clone(),
            layers,
            outputs: self.outputs,
            labels: labels.to_vec(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sgd::init::mlp;

    #[test]
    fn round_trips_a_net() {
        let net = mlp(2, 3, Activation::Sin, true, NetOutputs::Grey, 5);
        let (layout, params) = ParamLayout::of(&net);
        assert_eq!(layout.len, net.parameter_count());
        assert_eq!(layout.bias_at[0], Some(12));
        assert_eq!(layout.weights_at[1], 15);
        assert_eq!(layout.to_net(&params, &[]), net);
    }
}
