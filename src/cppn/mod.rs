//! The evolved network: genome, compilation to steps, evaluation, hand edits,
//! and the breeding operators (mutation, crossover).

pub mod crossover;
pub mod delta;
pub mod edit;
pub mod eval;
pub mod genome;
pub mod graph;
pub mod innovation;
pub mod mutate;
pub mod notes;
pub mod program;
pub mod synthetic;

/// The genome's vocabulary from the base layer, so `cppn::{Activation, Input, ...}` reads whole.
pub use crate::activation::Activation;
pub use crossover::{CrossoverConfig, crossover};
pub use genome::{
    ColourMode, Genome, GenomeError, GenomeWarning, Input, Link, Marking, Node, NodeKind, Output,
};
pub use innovation::Innovations;
pub use mutate::{MutationConfig, Operator, OperatorWeights, add_colour, mutate};
pub use notes::{Bookends, Label, Notes};
pub use program::Program;
