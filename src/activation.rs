//! Node activations, in Picbreeder's "bipolar" forms (range [-1, 1] where bounded).
//!
//! Every activation has a scalar form and a slice form; the slice form is what the
//! evaluator uses and is written so the compiler vectorizes it (see [`crate::fastmath`]).

use crate::fastmath;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Work done with an activation's fast f32 form: see [`Activation::fast`].
pub trait WithFast {
    type Out;
    fn with(self, f: impl Fn(f32) -> f32) -> Self::Out;
}

/// What a node does to the weighted sum of its inputs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Activation {
    /// `z`
    Identity,
    /// `2 / (1 + exp(-z)) - 1`
    Sigmoid,
    /// `2 * exp(-z^2) - 1`
    Gaussian,
    /// `sin(z)`
    Sin,
    /// `cos(z)`
    Cos,
    /// `tanh(z)`
    Tanh,
    /// `max(z, 0)`
    Relu,
    /// `|z|`
    Abs,
}

impl Activation {
    /// Every activation, in the order menus show them. Never stored: files and the
    /// library hold an activation's [`name`](Activation::name) or
    /// [`code`](Activation::code), so this order may change.
    pub const ALL: [Activation; 8] = [
        Activation::Identity,
        Activation::Sigmoid,
        Activation::Gaussian,
        Activation::Sin,
        Activation::Cos,
        Activation::Tanh,
        Activation::Relu,
        Activation::Abs,
    ];

    /// The lowercase name used in files, the CLI and architecture strings.
    pub fn name(self) -> &'static str {
        match self {
            Activation::Identity => "identity",
            Activation::Sigmoid => "sigmoid",
            Activation::Gaussian => "gaussian",
            Activation::Sin => "sin",
            Activation::Cos => "cos",
            Activation::Tanh => "tanh",
            Activation::Relu => "relu",
            Activation::Abs => "abs",
        }
    }

    /// The activation's number in the library's packed genomes (`cppn::delta`): fixed,
    /// whatever the order of [`Activation::ALL`]; a new activation takes the next
    /// unused number. Pinned by a test.
    pub fn code(self) -> u8 {
        match self {
            Activation::Identity => 0,
            Activation::Sigmoid => 1,
            Activation::Gaussian => 2,
            Activation::Sin => 3,
            Activation::Cos => 4,
            Activation::Tanh => 5,
            Activation::Relu => 6,
            Activation::Abs => 7,
        }
    }

    /// The activation stored as `code` ([`Activation::code`]).
    pub fn from_code(code: u8) -> Option<Activation> {
        Some(match code {
            0 => Activation::Identity,
            1 => Activation::Sigmoid,
            2 => Activation::Gaussian,
            3 => Activation::Sin,
            4 => Activation::Cos,
            5 => Activation::Tanh,
            6 => Activation::Relu,
            7 => Activation::Abs,
            _ => return None,
        })
    }

    /// Applies the activation to one value (reference form, f64).
    pub fn apply(self, z: f64) -> f64 {
        match self {
            Activation::Identity => z,
            Activation::Sigmoid => 2.0 / (1.0 + (-z).exp()) - 1.0,
            Activation::Gaussian => 2.0 * (-z * z).exp() - 1.0,
            Activation::Sin => z.sin(),
            Activation::Cos => z.cos(),
            Activation::Tanh => z.tanh(),
            Activation::Relu => z.max(0.0),
            Activation::Abs => z.abs(),
        }
    }

    /// Derivative with respect to `z`, given `z` (used by training).
    pub fn derivative(self, z: f64) -> f64 {
        match self {
            Activation::Identity => 1.0,
            Activation::Sigmoid => {
                let s = 1.0 / (1.0 + (-z).exp());
                2.0 * s * (1.0 - s)
            }
            Activation::Gaussian => -4.0 * z * (-z * z).exp(),
            Activation::Sin => z.cos(),
            Activation::Cos => -z.sin(),
            Activation::Tanh => 1.0 - z.tanh().powi(2),
            Activation::Relu => f64::from(u8::from(z > 0.0)),
            Activation::Abs => z.signum(),
        }
    }

    /// Hands `work` this activation's fast f32 form (see [`crate::fastmath`]) as a
    /// concrete function type, so that it inlines into the caller's loop and vectorizes
    /// there (a function pointer would not).
    #[inline(always)]
    pub fn fast<W: WithFast>(self, work: W) -> W::Out {
        match self {
            Activation::Identity => work.with(|z| z),
            Activation::Sigmoid => work.with(fastmath::sigmoid_bipolar),
            Activation::Gaussian => work.with(|z| fastmath::gaussian(z).mul_add(2.0, -1.0)),
            Activation::Sin => work.with(fastmath::sin),
            Activation::Cos => work.with(fastmath::cos),
            Activation::Tanh => work.with(fastmath::tanh),
            Activation::Relu => work.with(|z: f32| z.max(0.0)),
            Activation::Abs => work.with(f32::abs),
        }
    }

    /// Applies the activation in place to a slice; vectorizes.
    pub fn apply_slice(self, v: &mut [f32]) {
        struct InPlace<'a>(&'a mut [f32]);
        impl WithFast for InPlace<'_> {
            type Out = ();
            fn with(self, f: impl Fn(f32) -> f32) {
                self.0.iter_mut().for_each(|z| *z = f(*z));
            }
        }
        self.fast(InPlace(v));
    }
}

impl Activation {
    /// Applies the activation in place to `z` and writes its derivative (at the
    /// original `z`) to `d`; vectorizes. Used by training's forward pass, so the
    /// backward pass needs no second transcendental call. `d` must be as long as `z`.
    pub fn apply_slice_with_derivative(self, z: &mut [f32], d: &mut [f32]) {
        assert_eq!(
            z.len(),
            d.len(),
            "value and derivative slices differ in length"
        );
        let pairs = z.iter_mut().zip(d.iter_mut());
        match self {
            Activation::Identity => d.fill(1.0),
            Activation::Sigmoid => pairs.for_each(|(z, d)| {
                let t = fastmath::sigmoid_bipolar(*z);
                *z = t;
                *d = 0.5 * t.mul_add(-t, 1.0);
            }),
            Activation::Gaussian => pairs.for_each(|(z, d)| {
                let e = fastmath::gaussian(*z);
                *d = -4.0 * *z * e;
                *z = 2.0 * e - 1.0;
            }),
            Activation::Sin => pairs.for_each(|(z, d)| {
                *d = fastmath::cos(*z);
                *z = fastmath::sin(*z);
            }),
            Activation::Cos => pairs.for_each(|(z, d)| {
                *d = -fastmath::sin(*z);
                *z = fastmath::cos(*z);
            }),
            Activation::Tanh => pairs.for_each(|(z, d)| {
                let t = fastmath::tanh(*z);
                *z = t;
                *d = 1.0 - t * t;
            }),
            Activation::Relu => pairs.for_each(|(z, d)| {
                *d = if *z > 0.0 { 1.0 } else { 0.0 };
                *z = z.max(0.0);
            }),
            Activation::Abs => pairs.for_each(|(z, d)| {
                *d = z.signum();
                *z = z.abs();
            }),
        }
    }
}

impl fmt::Display for Activation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An activation name that is not one of [`Activation::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown activation '{0}' (known: identity, sigmoid, gaussian, sin, cos, tanh, relu, abs)")]
pub struct UnknownActivation(pub String);

impl FromStr for Activation {
    type Err = UnknownActivation;

    /// Accepts plain names (`gaussian`) and Picbreeder's XML form (`gaussian(x)`),
    /// case-insensitively; `cache` (the paper's carried identity) reads as identity.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let t = t
            .strip_suffix("(x)")
            .unwrap_or(t)
            .trim()
            .to_ascii_lowercase();
        Ok(match t.as_str() {
            "identity" | "linear" | "cache" => Activation::Identity,
            "sigmoid" => Activation::Sigmoid,
            "gaussian" => Activation::Gaussian,
            "sin" | "sine" => Activation::Sin,
            "cos" | "cosine" => Activation::Cos,
            "tanh" => Activation::Tanh,
            "relu" => Activation::Relu,
            "abs" => Activation::Abs,
            _ => return Err(UnknownActivation(s.to_string())),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_xml_and_plain_names() {
        assert_eq!("gaussian(x)".parse(), Ok(Activation::Gaussian));
        assert_eq!("Sin".parse(), Ok(Activation::Sin));
        assert_eq!("cache".parse(), Ok(Activation::Identity));
        assert!("wobble(x)".parse::<Activation>().is_err());
        for a in Activation::ALL {
            assert_eq!(a.name().parse(), Ok(a));
        }
    }

    #[test]
    fn slice_form_matches_reference() {
        let zs: Vec<f32> = (-400..=400).map(|i| i as f32 * 0.05).collect();
        for a in Activation::ALL {
            let mut v = zs.clone();
            a.apply_slice(&mut v);
            for (z, got) in zs.iter().zip(&v) {
                let want = a.apply(f64::from(*z));
                assert!(
                    (f64::from(*got) - want).abs() < 2e-6,
                    "{a} at {z}: {got} vs {want}"
                );
            }
        }
    }

    #[test]
    fn slice_with_derivative_matches_reference() {
        let zs: Vec<f32> = (-400..=400).map(|i| i as f32 * 0.0173).collect();
        for a in Activation::ALL {
            let (mut v, mut d) = (zs.clone(), vec![0.0; zs.len()]);
            a.apply_slice_with_derivative(&mut v, &mut d);
            for ((z, got), dgot) in zs.iter().zip(&v).zip(&d) {
                let z64 = f64::from(*z);
                assert!((f64::from(*got) - a.apply(z64)).abs() < 2e-6, "{a} at {z}");
                assert!(
                    (f64::from(*dgot) - a.derivative(z64)).abs() < 4e-6,
                    "{a}' at {z}: {dgot} vs {}",
                    a.derivative(z64)
                );
            }
        }
    }

    #[test]
    fn derivative_matches_finite_difference() {
        for a in Activation::ALL {
            for z in [-2.3, -0.7, 0.3, 1.1, 2.9] {
                let h = 1e-6;
                let fd = (a.apply(z + h) - a.apply(z - h)) / (2.0 * h);
                assert!((fd - a.derivative(z)).abs() < 1e-5, "{a} at {z}");
            }
        }
    }

    /// What files and the library store, spelled out here and not taken from
    /// [`Activation::ALL`]: reordering the menu changes nothing stored, and a changed
    /// name or code fails here.
    #[test]
    fn stored_names_and_codes_are_pinned() {
        let pinned = [
            (Activation::Identity, "identity", 0),
            (Activation::Sigmoid, "sigmoid", 1),
            (Activation::Gaussian, "gaussian", 2),
            (Activation::Sin, "sin", 3),
            (Activation::Cos, "cos", 4),
            (Activation::Tanh, "tanh", 5),
            (Activation::Relu, "relu", 6),
            (Activation::Abs, "abs", 7),
        ];
        for (a, name, code) in pinned {
            assert_eq!((a.name(), a.code()), (name, code), "{a:?}");
            assert_eq!(Activation::from_code(code), Some(a));
            assert_eq!(serde_json::to_string(&a).unwrap(), format!("\"{name}\""));
            assert_eq!(
                serde_json::from_str::<Activation>(&format!("\"{name}\"")).unwrap(),
                a
            );
        }
        for a in Activation::ALL {
            assert!(pinned.iter().any(|p| p.0 == a), "{a:?} has no pinned code");
        }
        assert_eq!(Activation::from_code(8), None);
    }
}
