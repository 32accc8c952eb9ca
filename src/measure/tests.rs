//! Known answers on whole networks.

use super::*;
use crate::cppn::genome::tests::tiny;
use crate::cppn::{Activation, Link, Marking, Node, NodeKind};

/// A genome that reads only d (and the bias): every neuron is radially symmetric.
fn radial() -> Network {
    let mut g = tiny();
    g.links.retain(|l| l.id != Marking::new(0, 13)); // x -> sin
    g.nodes.push(Node {
        id: Marking::new(0, 6),
        kind: NodeKind::Hidden,
        activation: Activation::Tanh,
    });
    let link = |id, s, t, w| Link {
        id: Marking::new(0, id),
        source: Marking::new(0, s),
        target: Marking::new(0, t),
        weight: w,
    };
    g.links.extend([
        link(14, 2, 6, -1.5),
        link(15, 6, 4, 0.8),
        link(16, 5, 6, 1.1),
    ]);
    Network::from_genome(g).unwrap()
}

#[test]
fn a_radial_genome_is_symmetric_everywhere() {
    let opts = Options {
        grid: 33,
        ..Options::default()
    };
    let card = scorecard(&radial(), "radial", Form::Genome, &opts, &|| false).unwrap();
    assert_eq!(card.neurons.hidden, 2);
    assert_eq!(card.neurons.symmetric, 2);
    assert_eq!(card.neurons.symmetric_tb, 2);
    assert_eq!(card.sweeps.count, 2 * card.weights);
    assert!(card.sweeps.dead < card.sweeps.count);
    let live = card.sweeps.each.iter().filter(|s| !s.dead);
    for s in live {
        assert_eq!(s.values["change_symmetry"], 1.0, "{}", s.param);
    }
    assert_eq!(card.sweeps.summaries["change_symmetry"].median, 1.0);
}

#[test]
fn layerized_form_agrees_with_the_graph() {
    let net = radial();
    let Network::Genome { program, .. } = &net else {
        unreachable!()
    };
    let layered = Network::Net(crate::layerize::layerize(program).net);
    let (a, b) = (Evaluated::of(&net, 32), Evaluated::of(&layered, 32));
    assert_eq!(a.image, b.image);
    let (na, _, _) = neuron_measures(&a, false);
    let (nb, layers, _) = neuron_measures(&b, true);
    // The graph's two hidden neurons; the layerized form also has ink (an output in the
    // graph) and d carried up by a cache neuron, and constant ones (bias copies, unused
    // slots, the always-zero hue and saturation).
    assert_eq!(na.distinct, 2);
    assert_eq!(nb.distinct, 4);
    assert!(nb.constant >= 2);
    assert_eq!(nb.symmetric, nb.hidden - nb.constant);
    assert!(
        layers
            .iter()
            .all(|l| l.values["effective_dimension"] >= 1.0 - 1e-9 || l.neurons == l.constant)
    );
}

#[test]
fn sweeps_are_sampled_when_there_are_many_weights() {
    let net = radial();
    let Network::Genome { program, .. } = &net else {
        unreachable!()
    };
    let layered = Network::Net(crate::layerize::layerize(program).net);
    let opts = Options {
        grid: 16,
        sample: 5,
        ..Options::default()
    };
    let card = scorecard(&layered, "l", Form::Layerized, &opts, &|| false).unwrap();
    assert!(card.sweeps.sampled);
    assert_eq!(card.sweeps.count, 10);
    assert!(scorecard(&layered, "l", Form::Layerized, &opts, &|| true).is_none());
    let report = format::Report::new(&opts, vec![card.clone()]);
    let back = format::Report::from_json(&report.to_json()).unwrap();
    assert_eq!(back.networks[0].sweeps.count, card.sweeps.count);
    assert!(format::Report::from_json("{\"format\": \"x\"}").is_err());
    let csv = format::csv(&[card]);
    assert!(csv.starts_with("measure,l\nform,layerized\n"), "{csv}");
}

/// A scorecard file as version 1 wrote it before the measures were one table (and
/// before roughness and effective rank): every field still reads, under its old name.
#[test]
fn an_older_scorecard_file_still_loads() {
    let old = r#"{
  "format": "picbreeder-scorecard", "version": 1,
  "grid": 32, "delta": 0.5, "sample": 64, "seed": 0,
  "networks": [{
    "name": "skull (genome)", "form": "layerized", "weights": 12,
    "neurons": {"hidden": 4, "constant": 1, "symmetric": 2, "symmetric_tb": 1,
                "distinct": 3, "symmetric_fraction": 0.6666666666666666,
                "symmetric_tb_fraction": 0.3333333333333333, "distinct_fraction": 1.0},
    "layers": [
      {"layer": 1, "neurons": 4, "constant": 1, "symmetric": 2, "symmetric_tb": 1,
       "symmetric_fraction": 0.6666666666666666, "effective_dimension": 1.75},
      {"layer": 2, "neurons": 2, "constant": 2, "symmetric": 0, "symmetric_tb": 0,
       "symmetric_fraction": null, "effective_dimension": null}
    ],
    "pca": {"hidden": 4, "constant": 1, "symmetric": 1, "symmetric_tb": 1,
            "distinct": 3, "symmetric_fraction": 0.3333333333333333,
            "symmetric_tb_fraction": 0.3333333333333333, "distinct_fraction": 1.0},
    "sweeps": {
      "count": 2, "dead": 1, "sampled": false,
      "change_symmetry": {"median": 0.9, "q1": 0.9, "q3": 0.9, "values": [0.9]},
      "fragmentation": {"median": 2.0, "q1": 2.0, "q3": 2.0, "values": [2.0]},
      "reach": {"median": 0.25, "q1": 0.25, "q3": 0.25, "values": [0.25]},
      "preservation": {"median": 21.5, "q1": 21.5, "q3": 21.5, "values": [21.5]},
      "each": [
        {"param": "link 0:1", "index": 0, "delta": -0.5, "dead": false,
         "change_symmetry": 0.9, "fragmentation": 2.0, "reach": 0.25, "preservation": 21.5},
        {"param": "link 0:1", "index": 0, "delta": 0.5, "dead": true,
         "change_symmetry": null, "fragmentation": null, "reach": null, "preservation": null}
      ]
    }
  }]
}"#;
    let r = format::Report::from_json(old).unwrap();
    let c = &r.networks[0];
    assert_eq!(c.layers[0].values["effective_dimension"], 1.75);
    assert!(c.layers[1].values["effective_dimension"].is_nan());
    assert_eq!(c.sweeps.summaries["preservation"].median, 21.5);
    assert_eq!(c.sweeps.each[0].values["fragmentation"], 2.0);
    assert!(c.sweeps.each[1].values["reach"].is_nan());
    let rows = format::table(std::slice::from_ref(c));
    let cell = |name: &str| rows.iter().find(|r| r.0 == name).unwrap().1[0].clone();
    assert_eq!(cell("mean effective dimension"), "1.75");
    assert_eq!(cell("symmetric L-R"), "2 (67%)");
    assert_eq!(cell("change symmetry"), "0.900 [0.900, 0.900]");
    assert_eq!(cell("preservation (dB)"), "21.5 [21.5, 21.5]");
    // Written again, every old field is there under its old name.
    let again: serde_json::Value = serde_json::from_str(&r.to_json()).unwrap();
    let was: serde_json::Value = serde_json::from_str(old).unwrap();
    let sweeps = &again["networks"][0]["sweeps"];
    let keys: Vec<&String> = sweeps.as_object().unwrap().keys().collect();
    let old_keys: Vec<&String> = was["networks"][0]["sweeps"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    assert_eq!(keys, old_keys);
    assert_eq!(sweeps["each"], was["networks"][0]["sweeps"]["each"]);
    assert_eq!(
        again["networks"][0]["layers"][0]["effective_dimension"],
        1.75
    );
}
