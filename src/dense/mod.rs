//! Layered (dense) networks: the shape an SGD net is trained in and the paper's
//! layerized genomes take. No arrow to `cppn`: a genome becomes one through
//! [`crate::layerize`].
//!
//! - [`net`]: the network ([`DenseNet`]: layers of weights, per-neuron activations).
//! - [`paper`]: the paper's JSON format for such nets.

pub mod net;
pub mod paper;

pub use net::{Dense, DenseNet, NetOutputs};
pub use paper::PaperNet;
