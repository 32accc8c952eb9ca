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
        assert_eq!(s.change_symmetry, 1.0, "{}", s.param);
    }
    assert_eq!(card.sweeps.change_symmetry.median, 1.0);
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
            .all(|l| l.effective_dimension >= 1.0 - 1e-9 || l.neurons == l.constant)
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
