//! Training methods: the one list of ways a network can learn to draw the target, each
//! written `NAME` or `NAME:PARAM` (`picbreeder train --method`, the SGD panel, studies).
//! `adam` is the paper's and the default. A method picks the update rule and, for the
//! activation baselines, the hidden neurons' activation, and for the regularizers a
//! penalty on the hidden planes added to the loss (see [`super::penalty`]), and for
//! `es` how the gradient is found (an evolution strategy, [`super::es`]); the
//! architecture (`--arch`) still gives the shape.

use super::arch::Arch;
use super::es::Es;
use super::graph::{GraphStart, graph_net};
use super::optimizer::Optimizer;
use super::penalty::{Penalty, Regularizer};
use super::trainer::{TrainConfig, TrainError, Trainer};
use crate::activation::Activation;
use crate::cppn::program::Program;
use crate::dense::net::DenseNet;
use crate::image::Image;
use std::fmt;
use std::str::FromStr;

/// One training method.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum Method {
    /// The paper's: Adam on the unit-norm gradient, the architecture's activations.
    #[default]
    Adam,
    /// Momentum SGD.
    Sgd { momentum: f32 },
    /// AdamW: Adam with decoupled weight decay.
    AdamW { decay: f32 },
    /// Adam with a proximal L1 step: weights become exactly zero.
    L1 { lambda: f32 },
    /// Every hidden neuron ReLU (the paper's SGD-ReLU baseline), trained with Adam.
    Relu,
    /// Every hidden neuron tanh, trained with Adam.
    Tanh,
    /// The genome's own sparse graph with fresh weights, trained with Adam.
    Graph,
    /// The genome's own graph and weights plus gaussian noise, trained with Adam.
    GraphFromGenome { sigma: f32 },
    /// Adam on the loss plus `weight` times the hidden planes' distance from their
    /// left-right mirror images.
    Mirror { weight: f32 },
    /// Adam on the loss plus `weight` times the hidden planes' total variation.
    Smooth { weight: f32 },
    /// Adam on the loss plus `weight` times the mean |activation| of hidden neurons.
    SparseAct { weight: f32 },
    /// Adam on a gradient estimated by antithetic OpenAI-ES with noise scale `sigma`
    /// and [`super::es::DEFAULT_POPULATION`] perturbed nets a step (no backward pass).
    Es { sigma: f32 },
}

/// A method's entry in the list: its name, its parameter (if any), and what it does.
/// `--help`, the panel's menu and errors are written from this list.
pub struct MethodEntry {
    pub name: &'static str,
    pub param: Option<MethodParam>,
    pub doc: &'static str,
    /// The method with this parameter value (ignored by methods without one).
    pub make: fn(f32) -> Method,
}

/// A method's parameter: its name, default and the largest value allowed (the least
/// is 0).
pub struct MethodParam {
    pub name: &'static str,
    pub default: f32,
    pub max: f32,
}

/// Every method, in the order menus show them.
pub const METHODS: &[MethodEntry] = &[
    MethodEntry {
        name: "adam",
        param: None,
        doc: "the paper's: Adam (optax defaults) on the unit-norm gradient",
        make: |_| Method::Adam,
    },
    MethodEntry {
        name: "sgd",
        param: Some(MethodParam {
            name: "MOMENTUM",
            default: 0.9,
            max: 0.999,
        }),
        doc: "SGD with heavy-ball momentum",
        make: |momentum| Method::Sgd { momentum },
    },
    MethodEntry {
        name: "adamw",
        param: Some(MethodParam {
            name: "DECAY",
            default: 1e-4,
            max: 100.0,
        }),
        doc: "Adam with decoupled weight decay",
        make: |decay| Method::AdamW { decay },
    },
    MethodEntry {
        name: "l1",
        param: Some(MethodParam {
            name: "LAMBDA",
            default: 3e-4,
            max: 100.0,
        }),
        doc: "Adam with a proximal L1 step (weights become exactly zero)",
        make: |lambda| Method::L1 { lambda },
    },
    MethodEntry {
        name: "relu",
        param: None,
        doc: "every hidden neuron ReLU (the paper's SGD-ReLU baseline), Adam",
        make: |_| Method::Relu,
    },
    MethodEntry {
        name: "tanh",
        param: None,
        doc: "every hidden neuron tanh, Adam",
        make: |_| Method::Tanh,
    },
    MethodEntry {
        name: "graph",
        param: None,
        doc: "the genome's own sparse graph (links, activations) with fresh weights, Adam",
        make: |_| Method::Graph,
    },
    MethodEntry {
        name: "graph-from-genome",
        param: Some(MethodParam {
            name: "SIGMA",
            default: 0.1,
            max: 10.0,
        }),
        doc: "the genome's own graph and weights plus gaussian noise, Adam",
        make: |sigma| Method::GraphFromGenome { sigma },
    },
    MethodEntry {
        name: "mirror",
        param: Some(MethodParam {
            name: "W",
            default: 0.1,
            max: 100.0,
        }),
        doc: "Adam, loss + W x mean (a(x,y) - a(-x,y))^2 over hidden planes (full batch)",
        make: |weight| Method::Mirror { weight },
    },
    MethodEntry {
        name: "smooth",
        param: Some(MethodParam {
            name: "W",
            default: 1.0,
            max: 100.0,
        }),
        doc: "Adam, loss + W x mean squared difference of neighbouring pixels of hidden planes (full batch)",
        make: |weight| Method::Smooth { weight },
    },
    MethodEntry {
        name: "sparse-act",
        param: Some(MethodParam {
            name: "W",
            default: 0.01,
            max: 100.0,
        }),
        doc: "Adam, loss + W x mean |a| of hidden activations (full batch)",
        make: |weight| Method::SparseAct { weight },
    },
    // One parameter, like every method: the noise scale must match the weights' scale
    // to learn at all, while the population only trades steps for a less noisy
    // estimate at the same forward-pass budget (the core's `Es` takes any).
    MethodEntry {
        name: "es",
        param: Some(MethodParam {
            name: "SIGMA",
            default: super::es::DEFAULT_SIGMA,
            max: 10.0,
        }),
        doc: "gradient-free: antithetic OpenAI-ES, 16 nets a step at +-SIGMA gaussian noise, centred ranks, Adam (budget 17 forward passes a step)",
        make: |sigma| Method::Es { sigma },
    },
];

impl Method {
    /// The update rule.
    pub fn optimizer(self) -> Optimizer {
        match self {
            Method::Adam
            | Method::Relu
            | Method::Tanh
            | Method::Graph
            | Method::GraphFromGenome { .. }
            | Method::Mirror { .. }
            | Method::Smooth { .. }
            | Method::SparseAct { .. }
            | Method::Es { .. } => Optimizer::Adam,
            Method::Sgd { momentum } => Optimizer::Sgd { momentum },
            Method::AdamW { decay } => Optimizer::AdamW { decay },
            Method::L1 { lambda } => Optimizer::L1 { lambda },
        }
    }

    /// The penalty on the hidden planes added to the loss, for the regularizers.
    pub fn penalty(self) -> Option<Penalty> {
        let (regularizer, weight) = match self {
            Method::Mirror { weight } => (Regularizer::Mirror, weight),
            Method::Smooth { weight } => (Regularizer::Smooth, weight),
            Method::SparseAct { weight } => (Regularizer::SparseAct, weight),
            _ => return None,
        };
        Some(Penalty {
            regularizer,
            weight,
        })
    }

    /// The evolution strategy that estimates the gradient, for `es`.
    pub fn es(self) -> Option<Es> {
        match self {
            Method::Es { sigma } => Some(Es {
                sigma,
                ..Es::default()
            }),
            _ => None,
        }
    }

    /// `base` (learning rate, batch, seed...) with this method's update rule, penalty
    /// and gradient estimator: the one way a method becomes a [`TrainConfig`].
    pub fn config(self, base: TrainConfig) -> TrainConfig {
        TrainConfig {
            optimizer: self.optimizer(),
            penalty: self.penalty(),
            es: self.es(),
            ..base
        }
    }

    /// The activation every hidden neuron gets, for the activation baselines.
    pub fn activation(self) -> Option<Activation> {
        match self {
            Method::Relu => Some(Activation::Relu),
            Method::Tanh => Some(Activation::Tanh),
            _ => None,
        }
    }

    /// A fresh net of `arch` imitating `program`, made ready for this method, and which
    /// of its parameters train (`None`: all). The graph methods are the genome's own
    /// graph, so they need the paper's architecture (the layerized shape).
    pub fn build(self, arch: &Arch, program: &Program, seed: u64) -> Result<Start, String> {
        let start = match self {
            Method::Graph => GraphStart::Fresh,
            Method::GraphFromGenome { sigma } => GraphStart::FromGenome { sigma },
            _ => {
                return Ok(Start {
                    net: self.prepare(arch.build(program, seed)),
                    trainable: None,
                });
            }
        };
        if *arch != Arch::Paper {
            return Err(format!(
                "the {} method trains the genome's own graph: it needs --arch paper, not {arch}",
                self.entry().name
            ));
        }
        let (net, trainable) = graph_net(program, start, seed);
        Ok(Start {
            net,
            trainable: Some(trainable),
        })
    }

    /// A freshly built net made ready for this method (its hidden activations replaced
    /// where the method says so; the shape and weights are kept).
    fn prepare(self, mut net: DenseNet) -> DenseNet {
        if let Some(a) = self.activation() {
            for layer in &mut net.hidden {
                layer.fill(a);
            }
        }
        net
    }

    /// The method's entry in [`METHODS`].
    pub fn entry(self) -> &'static MethodEntry {
        let name = match self {
            Method::Adam => "adam",
            Method::Sgd { .. } => "sgd",
            Method::AdamW { .. } => "adamw",
            Method::L1 { .. } => "l1",
            Method::Relu => "relu",
            Method::Tanh => "tanh",
            Method::Graph => "graph",
            Method::GraphFromGenome { .. } => "graph-from-genome",
            Method::Mirror { .. } => "mirror",
            Method::Smooth { .. } => "smooth",
            Method::SparseAct { .. } => "sparse-act",
            Method::Es { .. } => "es",
        };
        METHODS.iter().find(|e| e.name == name).expect("listed")
    }

    /// The method's parameter, if it takes one.
    pub fn param(self) -> Option<f32> {
        match self {
            Method::Sgd { momentum } => Some(momentum),
            Method::AdamW { decay } => Some(decay),
            Method::L1 { lambda } => Some(lambda),
            Method::GraphFromGenome { sigma } => Some(sigma),
            Method::Mirror { weight }
            | Method::Smooth { weight }
            | Method::SparseAct { weight } => Some(weight),
            Method::Es { sigma } => Some(sigma),
            Method::Adam | Method::Relu | Method::Tanh | Method::Graph => None,
        }
    }

    /// The list as help text: one line a method.
    pub fn help() -> String {
        METHODS
            .iter()
            .map(|e| match &e.param {
                Some(p) => format!(
                    "{}[:{}] (default {}, 0 to {}): {}",
                    e.name, p.name, p.default, p.max, e.doc
                ),
                None => format!("{}: {}", e.name, e.doc),
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// A net ready to train by a method, and which of its weights train (`None`: all).
#[derive(Clone, Debug)]
pub struct Start {
    pub net: DenseNet,
    pub trainable: Option<Vec<bool>>,
}

impl From<DenseNet> for Start {
    /// A net whose every weight trains.
    fn from(net: DenseNet) -> Start {
        Start {
            net,
            trainable: None,
        }
    }
}

impl Start {
    /// A trainer of this net towards `target`, only the trainable weights moving.
    pub fn trainer(self, target: &Image, config: TrainConfig) -> Result<Trainer, TrainError> {
        let t = Trainer::new(self.net, target, config)?;
        Ok(match self.trainable {
            Some(mask) => t.with_trainable(mask),
            None => t,
        })
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.entry().name)?;
        match self.param() {
            Some(p) => write!(f, ":{p}"),
            None => Ok(()),
        }
    }
}

/// A method that does not parse, with the list of those there are.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("bad method '{given}': {why}; methods are {}", METHODS.iter().map(|e| e.name).collect::<Vec<_>>().join(", "))]
pub struct BadMethod {
    pub given: String,
    pub why: String,
}

impl FromStr for Method {
    type Err = BadMethod;

    fn from_str(s: &str) -> Result<Method, BadMethod> {
        let bad = |why: String| BadMethod {
            given: s.to_string(),
            why,
        };
        let (name, param) = match s.trim().split_once(':') {
            Some((n, p)) => (n, Some(p)),
            None => (s.trim(), None),
        };
        let entry = METHODS
            .iter()
            .find(|e| e.name.eq_ignore_ascii_case(name))
            .ok_or_else(|| bad(format!("no method is called '{name}'")))?;
        let value = match (&entry.param, param) {
            (None, None) => 0.0,
            (None, Some(_)) => return Err(bad(format!("{} takes no parameter", entry.name))),
            (Some(p), None) => p.default,
            (Some(p), Some(given)) => match given.parse::<f32>() {
                Ok(v) if (0.0..=p.max).contains(&v) => v,
                _ => {
                    return Err(bad(format!(
                        "{} '{given}' is not a number from 0 to {}",
                        p.name, p.max
                    )));
                }
            },
        };
        Ok((entry.make)(value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_method_parses_and_prints_back() {
        for e in METHODS {
            let m: Method = e.name.parse().unwrap();
            assert_eq!(m.to_string().split(':').next(), Some(e.name));
            assert_eq!(m.to_string().parse::<Method>().unwrap(), m);
            if let Some(p) = &e.param {
                assert_eq!(m.param(), Some(p.default), "{}", e.name);
                let given: Method = format!("{}:0.5", e.name).parse().unwrap();
                assert_eq!(given.param(), Some(0.5));
            }
        }
        assert_eq!(Method::default(), Method::Adam);
    }

    #[test]
    fn bad_methods_say_what_and_list_the_methods() {
        for (s, why) in [
            ("rmsprop", "no method is called 'rmsprop'"),
            ("adam:1", "adam takes no parameter"),
            (
                "sgd:fast",
                "MOMENTUM 'fast' is not a number from 0 to 0.999",
            ),
            ("sgd:1", "MOMENTUM '1' is not a number from 0 to 0.999"),
            ("l1:-1", "LAMBDA '-1' is not a number from 0 to 100"),
            ("adamw:NaN", "DECAY 'NaN' is not a number"),
        ] {
            let e = s.parse::<Method>().unwrap_err().to_string();
            assert!(
                e.contains(why)
                    && e.contains(
                        "adam, sgd, adamw, l1, relu, tanh, graph, graph-from-genome, mirror, smooth, sparse-act, es"
                    ),
                "{e}"
            );
        }
    }

    #[test]
    fn regularizers_add_their_penalty_to_adam() {
        let m: Method = "mirror:0.5".parse().unwrap();
        assert_eq!(
            m.penalty(),
            Some(Penalty {
                regularizer: Regularizer::Mirror,
                weight: 0.5
            })
        );
        assert_eq!(m.optimizer(), Optimizer::Adam);
        let s: Method = "sparse-act".parse().unwrap();
        assert_eq!(
            s.penalty().map(|p| p.regularizer),
            Some(Regularizer::SparseAct)
        );
        assert_eq!(s.to_string(), "sparse-act:0.01");
        for plain in ["adam", "sgd", "adamw", "l1", "relu", "tanh"] {
            assert_eq!(plain.parse::<Method>().unwrap().penalty(), None, "{plain}");
        }
        assert!("smooth:-1".parse::<Method>().is_err());
    }

    #[test]
    fn es_estimates_the_gradient_for_adam() {
        let m: Method = "es:0.05".parse().unwrap();
        let c = m.config(TrainConfig {
            lr: 1e-2,
            ..TrainConfig::default()
        });
        let pop = super::super::es::DEFAULT_POPULATION;
        assert_eq!(
            c.es,
            Some(Es {
                sigma: 0.05,
                population: pop
            })
        );
        assert_eq!(
            (c.optimizer, c.penalty, c.lr),
            (Optimizer::Adam, None, 1e-2)
        );
        assert_eq!(c.passes_per_step(), pop as u64 + 1);
        // The list's one line names the population and the step's cost.
        let doc = m.entry().doc;
        assert!(doc.contains(&format!("{pop} nets a step")), "{doc}");
        assert!(
            doc.contains(&format!("budget {} forward passes", pop + 1)),
            "{doc}"
        );
        assert_eq!("es".parse::<Method>().unwrap().es().unwrap(), Es::default());
        assert_eq!(
            Method::Adam.config(TrainConfig::default()),
            TrainConfig::default()
        );
    }

    #[test]
    fn activation_baselines_replace_every_hidden_activation() {
        let net = crate::sgd::init::mlp(
            3,
            5,
            Activation::Sin,
            false,
            crate::dense::net::NetOutputs::Hsv,
            1,
        );
        let relu = Method::Relu.prepare(net.clone());
        assert!(relu.hidden.iter().flatten().all(|&a| a == Activation::Relu));
        assert_eq!(relu.layers, net.layers);
        assert_eq!(Method::Adam.prepare(net.clone()).hidden, net.hidden);
    }
}
