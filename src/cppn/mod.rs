//! The evolved network: genome, activations, compilation, evaluation, layerization.

pub mod activation;
pub mod edit;
pub mod eval;
pub mod genome;
pub mod layerize;
pub mod program;

pub use activation::Activation;
pub use genome::{
    ColourMode, Genome, GenomeError, GenomeWarning, Input, Link, Marking, Node, NodeKind, Output,
};
pub use program::Program;
