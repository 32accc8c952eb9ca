//! The trained network: a dense MLP with per-neuron activations, its initialisation,
//! a hand-written forward/backward over `gemm`, Adam, and a training run on a worker
//! thread that reports progress.
//!
//! - [`net`]: the network ([`net::DenseNet`]); [`paper`]: the paper's JSON format.
//! - [`init`], [`arch`]: fresh networks (plain MLP or the paper's architecture).
//! - [`layout`]: parameters as one flat vector; [`loss`]: MSE after the colour rule.
//! - [`backprop`]: one block's forward and backward; [`forward`]: evaluation with
//!   every neuron's plane; [`narrow`]: narrow layers' products when rendering;
//!   [`adam`]: the paper's optimiser; [`optimizer`]: it and the alternatives;
//!   [`method`]: the one list of training methods (`--method`); [`penalty`]: the
//!   regularizers on hidden planes.
//! - [`trainer`]: a synchronous training session; [`run`]: the same on a thread, driven
//!   by commands and streaming progress (what the GUI uses).

pub mod adam;
pub mod arch;
pub mod backprop;
pub mod collapse;
pub mod curve;
pub mod es;
pub mod forward;
pub mod graph;
pub mod init;
pub mod layout;
pub mod loss;
pub mod method;
pub mod narrow;
pub mod optimizer;
pub mod penalty;
pub mod run;
pub mod trainer;
