//! The trained network: a dense MLP with per-neuron activations.

pub mod net;
pub mod paper;
