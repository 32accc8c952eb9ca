//! The FER paper's network files (`sgd/*.json` in its repository), read and written.
//!
//! ```json
//! { "arch": "12;cache:15,gaussian:4,identity:2,sin:1", "hidden_layers": 12, "width": 22,
//!   "activation_groups_per_layer": [{"activation": "cache", "count": 15}, ...],
//!   "inputs": ["x", "y", "d", "bias"], "outputs": ["h", "s", "v"], "bias_terms": false,
//!   "layers": [{"in": 4, "out": 22, "weights_row_major_in_by_out": [...]}, ...] }
//! ```
//! Every hidden layer has the same activations, in group order; `cache` is identity.
//! Inputs may come in any order and are permuted to x, y, d, bias.

use super::net::{Dense, DenseNet, NetError, NetOutputs};
use crate::activation::{Activation, UnknownActivation};
use crate::grid::Input;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize)]
pub struct PaperNet {
    pub arch: String,
    pub hidden_layers: usize,
    pub width: usize,
    pub activation_groups_per_layer: Vec<Group>,
    pub inputs: Vec<String>,
    pub outputs: Vec<String>,
    pub bias_terms: bool,
    pub layers: Vec<PaperLayer>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Group {
    pub activation: String,
    pub count: usize,
}

#[derive(Serialize, Deserialize)]
pub struct PaperLayer {
    #[serde(rename = "in")]
    pub n_in: usize,
    #[serde(rename = "out")]
    pub n_out: usize,
    pub weights_row_major_in_by_out: Vec<f32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bias: Option<Vec<f32>>,
}

/// Why a net in the paper's format cannot become a [`DenseNet`].
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum PaperError {
    #[error(transparent)]
    Activation(#[from] UnknownActivation),
    #[error("activation groups add up to {groups} neurons but width is {width}")]
    Width { groups: usize, width: usize },
    #[error("outputs {0:?} are not [\"h\", \"s\", \"v\"] or [\"v\"]")]
    Outputs(Vec<String>),
    #[error("unknown input '{0}'")]
    UnknownInput(String),
    #[error("inputs {0:?} are not x, y, d, bias in some order")]
    Inputs(Vec<String>),
    #[error(transparent)]
    Net(#[from] NetError),
    /// A count the rest of the file cannot bear out, refused before it is used.
    #[error("'{field}' is {found}: {allowed}")]
    Count {
        field: &'static str,
        found: String,
        allowed: String,
    },
}

/// The paper's architecture string: `DEPTH;act:count,act:count,...`.
pub fn arch_string(depth: usize, groups: &[Group]) -> String {
    let g: Vec<String> = groups
        .iter()
        .map(|g| format!("{}:{}", g.activation, g.count))
        .collect();
    format!("{depth};{}", g.join(","))
}

impl PaperNet {
    /// Converts to a [`DenseNet`], checking every shape.
    pub fn into_net(self) -> Result<DenseNet, PaperError> {
        // The counts are checked against what the file holds before any list is made
        // of them: a group count of 1e12 asked for terabytes.
        let groups = self
            .activation_groups_per_layer
            .iter()
            .try_fold(0usize, |sum, g| sum.checked_add(g.count));
        // A layer is no wider than the weights the file holds for it.
        let widest = self
            .layers
            .iter()
            .map(|l| l.n_out.min(l.weights_row_major_in_by_out.len()))
            .max()
            .unwrap_or(0);
        if groups.is_none_or(|g| g != self.width) || self.width > widest {
            return Err(PaperError::Count {
                field: "activation_groups_per_layer",
                found: match groups {
                    Some(g) => format!("{g} neurons (width {})", self.width),
                    None => "more neurons than can be counted".into(),
                },
                allowed: format!(
                    "they add up to the width, which is at most the widest layer's {widest}"
                ),
            });
        }
        if self.hidden_layers + 1 != self.layers.len() {
            return Err(PaperError::Count {
                field: "hidden_layers",
                found: self.hidden_layers.to_string(),
                allowed: format!(
                    "one less than the {} layers of weights the file holds",
                    self.layers.len()
                ),
            });
        }
        let (mut acts, mut names) = (Vec::new(), Vec::new());
        for g in &self.activation_groups_per_layer {
            let a: Activation = g.activation.parse()?;
            acts.extend(std::iter::repeat_n(a, g.count));
            names.extend(std::iter::repeat_n(g.activation.clone(), g.count));
        }
        if acts.len() != self.width {
            return Err(PaperError::Width {
                groups: acts.len(),
                width: self.width,
            });
        }
        let outputs = match self.outputs.iter().map(String::as_str).collect::<Vec<_>>()[..] {
            ["h", "s", "v"] => NetOutputs::Hsv,
            ["v"] | ["ink"] => NetOutputs::Grey,
            _ => {
                return Err(PaperError::Outputs(self.outputs.clone()));
            }
        };
        let mut order = Vec::new();
        for name in &self.inputs {
            order.push(
                Input::from_name(name).ok_or_else(|| PaperError::UnknownInput(name.clone()))?,
            );
        }
        let mut sorted = order.clone();
        sorted.sort();
        if sorted != Input::ALL {
            return Err(PaperError::Inputs(self.inputs));
        }
        let mut layers: Vec<Dense> = self
            .layers
            .into_iter()
            .map(|l| Dense {
                n_in: l.n_in,
                n_out: l.n_out,
                weights: l.weights_row_major_in_by_out,
                bias: l.bias,
            })
            .collect();
        if let Some(first) = layers
            .first_mut()
            .filter(|l| l.n_in == 4 && l.weights.len() == 4 * l.n_out)
        {
            let mut w = vec![0.0; first.weights.len()];
            for (row, input) in order.iter().enumerate() {
                let to = *input as usize;
                w[to * first.n_out..(to + 1) * first.n_out]
                    .copy_from_slice(&first.weights[row * first.n_out..(row + 1) * first.n_out]);
            }
            first.weights = w;
        }
        let net = DenseNet {
            hidden: vec![acts; self.hidden_layers],
            layers,
            outputs,
            labels: vec![names; self.hidden_layers],
        };
        net.check()?;
        Ok(net)
    }

    /// The paper's form of a net whose hidden layers all share one activation list,
    /// grouped in runs; `None` if the layers differ.
    pub fn from_net(net: &DenseNet, cache_names: bool) -> Option<PaperNet> {
        let first = net.hidden.first()?;
        if net.hidden.iter().any(|h| h != first) {
            return None;
        }
        let mut groups: Vec<Group> = Vec::new();
        for (j, a) in first.iter().enumerate() {
            let is_cache = cache_names
                && net
                    .labels
                    .first()
                    .and_then(|l| l.get(j))
                    .is_some_and(|s| s.starts_with("cache"));
            let name = if is_cache {
                "cache".to_string()
            } else {
                a.name().to_string()
            };
            match groups.last_mut() {
                Some(g) if g.activation == name => g.count += 1,
                _ => groups.push(Group {
                    activation: name,
                    count: 1,
                }),
            }
        }
        Some(PaperNet {
            arch: arch_string(net.hidden.len(), &groups),
            hidden_layers: net.hidden.len(),
            width: first.len(),
            activation_groups_per_layer: groups,
            inputs: Input::ALL.iter().map(|i| i.name().to_string()).collect(),
            outputs: match net.outputs {
                NetOutputs::Hsv => vec!["h".into(), "s".into(), "v".into()],
                NetOutputs::Grey => vec!["v".into()],
            },
            bias_terms: net.layers.iter().any(|l| l.bias.is_some()),
            layers: net
                .layers
                .iter()
                .map(|l| PaperLayer {
                    n_in: l.n_in,
                    n_out: l.n_out,
                    weights_row_major_in_by_out: l.weights.clone(),
                    bias: l.bias.clone(),
                })
                .collect(),
        })
    }
}
