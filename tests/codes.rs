//! Stored codes are pinned: every enum that reaches a file or the library is written as
//! a name (or, in the library's packed genomes, a fixed number: see `activation` and
//! `cppn::delta`'s own tests), never as its place in a menu. Each name is spelled out
//! here, so a renamed variant or a reordered list cannot silently change what is
//! written, and what older files hold still reads.

use picbreeder::activation::Activation;
use picbreeder::breed::generation::Origin;
use picbreeder::cppn::genome::{ColourMode, NodeKind, Output};
use picbreeder::cppn::mutate::Operator;
use picbreeder::dense::net::NetOutputs;
use picbreeder::experiment::jobs::Condition;
use picbreeder::experiment::stones::Shares;
use picbreeder::grid::Input;
use picbreeder::measure::Form;
use picbreeder::sgd::collapse::CollapseKind;
use picbreeder::sgd::method::Method;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::fmt::Debug;

/// `value` is written as `json` and `json` reads back as `value`.
fn pinned<T: Serialize + DeserializeOwned + PartialEq + Debug>(value: T, json: &str) {
    assert_eq!(serde_json::to_string(&value).unwrap(), json, "{value:?}");
    assert_eq!(serde_json::from_str::<T>(json).unwrap(), value, "{json}");
}

#[test]
fn genome_enums_are_written_by_name() {
    for (a, name) in [
        (Activation::Identity, "identity"),
        (Activation::Sigmoid, "sigmoid"),
        (Activation::Gaussian, "gaussian"),
        (Activation::Sin, "sin"),
        (Activation::Cos, "cos"),
        (Activation::Tanh, "tanh"),
        (Activation::Relu, "relu"),
        (Activation::Abs, "abs"),
    ] {
        pinned(a, &format!("\"{name}\""));
    }
    pinned(Input::X, "\"x\"");
    pinned(Input::Y, "\"y\"");
    pinned(Input::D, "\"d\"");
    pinned(Input::Bias, "\"bias\"");
    pinned(Output::Ink, "\"ink\"");
    pinned(Output::Hue, "\"hue\"");
    pinned(Output::Saturation, "\"saturation\"");
    pinned(Output::Brightness, "\"brightness\"");
    pinned(NodeKind::Hidden, "\"hidden\"");
    pinned(NodeKind::Input(Input::D), r#"{"input":"d"}"#);
    pinned(NodeKind::Output(Output::Hue), r#"{"output":"hue"}"#);
    pinned(ColourMode::Grey, "\"grey\"");
    pinned(ColourMode::Colour, "\"colour\"");
    pinned(Operator::Perturb, "\"perturb\"");
    pinned(Operator::AddLink, "\"add_link\"");
    pinned(Operator::AddNode, "\"add_node\"");
    pinned(Operator::ChangeActivation, "\"change_activation\"");
}

#[test]
fn session_net_and_study_enums_are_written_by_name() {
    pinned(Origin::Random, r#"{"kind":"random"}"#);
    pinned(Origin::Opened, r#"{"kind":"opened"}"#);
    pinned(
        Origin::Evolved { chosen: vec![2, 5] },
        r#"{"kind":"evolved","chosen":[2,5]}"#,
    );
    pinned(NetOutputs::Grey, "\"grey\"");
    pinned(NetOutputs::Hsv, "\"hsv\"");
    pinned(Form::Genome, "\"genome\"");
    pinned(Form::Layerized, "\"layerized\"");
    pinned(Form::Dense, "\"dense\"");
    pinned(Condition::Stones, "\"stones\"");
    pinned(Condition::Direct, "\"direct\"");
    pinned(Condition::Evolved, "\"evolved\"");
    pinned(Shares::Equal, "\"equal\"");
    pinned(Shares::Generations, "\"generations\"");
    pinned(CollapseKind::ZeroGradient, "\"zero_gradient\"");
    pinned(CollapseKind::FlatLoss, "\"flat_loss\"");
}

/// A study file names its training method as text (`experiment::jobs`); each method's
/// name reads back as that method, whatever the order of the menu.
#[test]
fn training_methods_are_written_by_name() {
    for (text, method) in [
        ("adam", Method::Adam),
        ("sgd:0.5", Method::Sgd { momentum: 0.5 }),
        ("adamw:0.001", Method::AdamW { decay: 0.001 }),
        ("l1:0.0003", Method::L1 { lambda: 0.0003 }),
        ("relu", Method::Relu),
        ("tanh", Method::Tanh),
        ("graph", Method::Graph),
        (
            "graph-from-genome:0.1",
            Method::GraphFromGenome { sigma: 0.1 },
        ),
        ("mirror:0.1", Method::Mirror { weight: 0.1 }),
        ("smooth:1", Method::Smooth { weight: 1.0 }),
        ("sparse-act:0.01", Method::SparseAct { weight: 0.01 }),
    ] {
        assert_eq!(text.parse::<Method>().unwrap(), method, "{text}");
        assert_eq!(method.to_string(), text);
    }
}
