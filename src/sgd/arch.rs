//! Which network to train: the paper's (the imitated genome's layerized shape) or a
//! plain MLP. Written `paper` or `mlp:DEPTHxWIDTH:ACT[:bias]`, e.g. `mlp:8x30:tanh`.

use super::init::{mlp, reinit};
use crate::activation::Activation;
use crate::cppn::program::{OutputPlanes, Program};
use crate::dense::net::{DenseNet, NetOutputs};
use crate::layerize::layerize;
use std::fmt;
use std::str::FromStr;

/// An architecture choice for the SGD network.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arch {
    /// The layerized genome's depth, width and per-neuron activations, no biases,
    /// h/s/v outputs (as the paper trains).
    Paper,
    /// `depth` hidden layers of `width` neurons with one activation; outputs as the
    /// genome's (one grey ink, or h/s/v).
    Mlp {
        depth: usize,
        width: usize,
        activation: Activation,
        bias: bool,
    },
}

impl Arch {
    /// A freshly initialised network of this architecture for imitating `program`.
    pub fn build(&self, program: &Program, seed: u64) -> DenseNet {
        match *self {
            Arch::Paper => reinit(&layerize(program).net, seed),
            Arch::Mlp {
                depth,
                width,
                activation,
                bias,
            } => {
                let outputs = match program.outputs {
                    OutputPlanes::Grey { .. } => NetOutputs::Grey,
                    OutputPlanes::Colour { .. } => NetOutputs::Hsv,
                };
                mlp(depth, width, activation, bias, outputs, seed)
            }
        }
    }
}

/// Why a network may not be trained: too many layers, weights or bytes.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TooBig {
    #[error(
        "--arch {arch} has {params} weights, over the limit of {max}: use a smaller --arch (e.g. mlp:8x30:tanh)",
        max = crate::limits::MAX_PARAMETERS
    )]
    Parameters { arch: String, params: u64 },
    #[error("{0}")]
    Memory(#[from] crate::budget::OverBudget),
}

impl Arch {
    /// Hidden depth and width of this architecture for `program`, counted without
    /// building anything.
    pub fn shape(&self, program: &Program) -> (usize, usize) {
        match *self {
            Arch::Paper => crate::layerize::layerized_shape(program),
            Arch::Mlp { depth, width, .. } => (depth, width),
        }
    }

    /// Weights of this architecture for `program` (biases included), counted without
    /// building anything.
    pub fn parameters(&self, program: &Program) -> u64 {
        let (depth, width) = self.shape(program);
        let (d, w) = (depth as u64, width as u64);
        let bias = matches!(self, Arch::Mlp { bias: true, .. });
        let weights = 4 * w + d.saturating_sub(1).saturating_mul(w.saturating_mul(w)) + 3 * w;
        weights.saturating_add(if bias { d * w + 3 } else { 0 })
    }

    /// Refuses, before anything is built, a network over
    /// [`crate::limits::MAX_PARAMETERS`] or a run that would need more than `budget`
    /// bytes to train on `pixels` pixels per step (batch) of a `total`-pixel image.
    pub fn check(
        &self,
        program: &Program,
        batch: usize,
        total: usize,
        budget: u64,
    ) -> Result<(), TooBig> {
        let params = self.parameters(program);
        if params > crate::limits::MAX_PARAMETERS as u64 {
            return Err(TooBig::Parameters {
                arch: self.to_string(),
                params,
            });
        }
        let (depth, width) = self.shape(program);
        let need = training_bytes(params, depth, width, batch, total);
        let what = format!("training {self} ({params} weights) on {batch} pixels a step");
        crate::budget::check(&what, need, budget, "use a smaller --arch, --batch or -s")?;
        Ok(())
    }
}

/// Bytes a training run holds (an estimate that errs high): weights, gradient and Adam's
/// two moments; a gradient slot per block of the batch; each thread's workspace for a
/// block through every layer; the target, inputs and a full-image output plane set.
pub fn training_bytes(params: u64, depth: usize, width: usize, batch: usize, total: usize) -> u64 {
    use crate::budget::times;
    let block = super::forward::BLOCK as u64;
    let blocks = (batch as u64).div_ceil(block);
    let neurons = (depth as u64).saturating_mul(width as u64) + 7;
    let threads = rayon::current_num_threads() as u64 + 1;
    [
        times(params, 16),
        times(blocks, times(params, 4)),
        times(threads, times(block, times(neurons, 16))),
        times(total as u64, 4 * 12),
        times(batch as u64, 4 * 8),
    ]
    .into_iter()
    .fold(0, u64::saturating_add)
}

impl fmt::Display for Arch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Arch::Paper => f.write_str("paper"),
            Arch::Mlp {
                depth,
                width,
                activation,
                bias,
            } => {
                write!(f, "mlp:{depth}x{width}:{activation}")?;
                if *bias {
                    f.write_str(":bias")?;
                }
                Ok(())
            }
        }
    }
}

/// An architecture string that does not parse, with what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "bad architecture '{0}': expected 'paper' or 'mlp:DEPTHxWIDTH:ACT[:bias]' (e.g. mlp:8x30:tanh){1}"
)]
pub struct BadArch(pub String, pub String);

impl FromStr for Arch {
    type Err = BadArch;

    fn from_str(s: &str) -> Result<Arch, BadArch> {
        let bad = |why: String| BadArch(s.to_string(), why);
        if s.trim().eq_ignore_ascii_case("paper") {
            return Ok(Arch::Paper);
        }
        let parts: Vec<&str> = s.trim().split(':').collect();
        let (size, act, bias) = match parts[..] {
            ["mlp", size, act] => (size, act, false),
            ["mlp", size, act, "bias"] => (size, act, true),
            _ => return Err(bad(String::new())),
        };
        let (d, w) = size
            .split_once(['x', 'X'])
            .ok_or_else(|| bad(format!("; '{size}' is not DEPTHxWIDTH")))?;
        let num = |t: &str, what: &str, max: usize| match t.parse::<usize>() {
            Ok(n) if (1..=max).contains(&n) => Ok(n),
            _ => Err(bad(format!(
                "; {what} '{t}' is not a whole number from 1 to {max}"
            ))),
        };
        let activation = act.parse().map_err(|e| bad(format!("; {e}")))?;
        Ok(Arch::Mlp {
            depth: num(d, "depth", crate::limits::MAX_DEPTH)?,
            width: num(w, "width", crate::limits::MAX_LAYER_WIDTH)?,
            activation,
            bias,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cppn::genome::tests::tiny;

    #[test]
    fn parses_and_prints() {
        for s in ["paper", "mlp:8x30:tanh", "mlp:2x5:sin:bias"] {
            assert_eq!(s.parse::<Arch>().unwrap().to_string(), s);
        }
        assert_eq!(
            "mlp:3X4:gaussian".parse(),
            Ok(Arch::Mlp {
                depth: 3,
                width: 4,
                activation: Activation::Gaussian,
                bias: false
            })
        );
        for bad in [
            "",
            "mlp",
            "mlp:8x30",
            "mlp:0x3:tanh",
            "mlp:8by3:tanh",
            "mlp:2x2:wobble",
            "mlp:2x2:tanh:extra",
            "mlp:1000x1000:tanh",
            "mlp:8x100000:tanh",
        ] {
            let e = bad.parse::<Arch>().unwrap_err().to_string();
            assert!(e.contains("expected 'paper'"), "{bad}: {e}");
        }
    }

    #[test]
    fn builds_both_kinds() {
        let program = Program::compile(&tiny()).unwrap();
        let paper = Arch::Paper.build(&program, 3);
        let shape = layerize(&program).net;
        assert_eq!(paper.widths(), shape.widths());
        assert_eq!(paper.hidden, shape.hidden);
        assert_ne!(paper.layers, shape.layers);
        assert_eq!(paper.labels[0][0], "cache");
        let m: Arch = "mlp:2x6:tanh".parse().unwrap();
        // tiny is a grey genome: the plain MLP draws one ink output.
        assert_eq!(m.build(&program, 0).widths(), vec![4, 6, 6, 1]);
    }

    #[test]
    fn weights_are_counted_before_building_and_big_nets_refused() {
        let program = Program::compile(&crate::cppn::synthetic::synthetic(60, 3)).unwrap();
        for arch in ["paper", "mlp:3x7:tanh", "mlp:2x5:sin:bias"] {
            let arch: Arch = arch.parse().unwrap();
            let built = arch.build(&program, 0).parameter_count() as u64;
            let counted = arch.parameters(&program);
            // A grey MLP has one output where the count assumes three.
            assert!(
                counted >= built && counted <= built + 2 * 8,
                "{arch}: {counted} {built}"
            );
        }
        let huge: Arch = "mlp:256x4096:tanh".parse().unwrap();
        let e = huge.check(&program, 1024, 1024, u64::MAX).unwrap_err();
        assert!(matches!(e, TooBig::Parameters { .. }), "{e}");
        let wide: Arch = "mlp:4x1000:tanh".parse().unwrap();
        let e = wide
            .check(&program, 65536, 65536, 1 << 30)
            .unwrap_err()
            .to_string();
        assert!(e.contains("would need") && e.contains("--batch"), "{e}");
        assert!(wide.check(&program, 64, 1024, 1 << 30).is_ok());
    }
}
