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
        let num = |t: &str, what: &str| match t.parse::<usize>() {
            Ok(n) if n >= 1 => Ok(n),
            _ => Err(bad(format!("; {what} '{t}' is not a whole number >= 1"))),
        };
        let activation = act.parse().map_err(|e| bad(format!("; {e}")))?;
        Ok(Arch::Mlp {
            depth: num(d, "depth")?,
            width: num(w, "width")?,
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
}
