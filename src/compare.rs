//! The comparison at the heart of the program: an evolved genome beside its layerized
//! form, and so beside any SGD net of that shape (the paper's architecture).
//!
//! A [`Twin`] holds the genome, its compiled program and its layerized net, and maps
//! both ways between them: a genome link <-> the layerized weight it became, a genome
//! node <-> the layered neuron that computes it (the other neurons of a layer are
//! caches of a node, zero stand-ins for a grey genome's hue and saturation, or unused).
//! An SGD net with the same widths has its weights at the same places, so a link's
//! counterpart there is the weight at the same [`WeightAt`].

use crate::cppn::{Genome, GenomeError, Marking, Program};
use crate::dense::DenseNet;
use crate::layerize::{Slot, layerize_within};
use crate::network::Param;
use std::collections::HashMap;

pub use crate::layerize::WeightAt;

/// What a hidden neuron of the layerized net stands for, by genome marking.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Neuron {
    /// The node computed here.
    Node(Marking),
    /// A copy of a node computed lower down, carried up to where it is read.
    Cache(Marking),
    /// A grey genome's hue (0) or saturation (1): always zero.
    Zero(u8),
    /// An unused slot (zero weights in and out).
    Pad,
}

/// Where a neuron sits in a dense net: hidden layer `layer` (0 is the first), index `j`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NeuronAt {
    pub layer: usize,
    pub j: usize,
}

/// Why a genome has no twin: it is not a valid genome, or its layerized net is too big.
#[derive(Debug, thiserror::Error)]
pub enum TwinError {
    #[error(transparent)]
    Genome(#[from] GenomeError),
    #[error(transparent)]
    Memory(#[from] crate::budget::OverBudget),
}

/// A genome, its layerized net, and the maps between them.
#[derive(Clone, Debug)]
pub struct Twin {
    pub genome: Genome,
    pub program: Program,
    /// The layerized net: the same function as the genome, in the paper's shape.
    pub layered: DenseNet,
    /// The paper's architecture string, e.g. `12;cache:15,gaussian:4,identity:2,sin:1`.
    pub arch: String,
    weight_of_link: HashMap<Marking, WeightAt>,
    link_at_weight: HashMap<WeightAt, Marking>,
    /// `neurons[layer][j]`, hidden layers only.
    neurons: Vec<Vec<Neuron>>,
    neuron_of_node: HashMap<Marking, NeuronAt>,
}

impl Twin {
    /// Compiles and layerizes `genome`; refused before layerizing when its layerized
    /// net would not fit in the memory budget.
    pub fn new(genome: Genome) -> Result<Twin, TwinError> {
        let program = Program::compile(&genome)?;
        let l = layerize_within(&program, crate::budget::MEMORY_BUDGET)?;
        let plane_of: HashMap<Marking, usize> = program
            .nodes
            .iter()
            .enumerate()
            .map(|(p, n)| (n.id, p))
            .collect();
        let mut weight_of_link = HashMap::new();
        let mut link_at_weight = HashMap::new();
        for link in &genome.links {
            let (Some(&s), Some(&t)) = (plane_of.get(&link.source), plane_of.get(&link.target))
            else {
                continue;
            };
            // A link left out of the program (it closed a cycle) or into a node no output
            // needs has no weight there.
            let Some(&at) = l.weight_of.get(&(s, t)) else {
                continue;
            };
            weight_of_link.insert(link.id, at);
            // Two links between the same nodes share one weight: it names the first.
            link_at_weight.entry(at).or_insert(link.id);
        }
        let mark = |p: usize| program.nodes[p].id;
        let neurons: Vec<Vec<Neuron>> = l
            .slots
            .iter()
            .map(|layer| {
                layer
                    .iter()
                    .map(|s| match *s {
                        Slot::Node(p) => Neuron::Node(mark(p)),
                        Slot::Cache(p) => Neuron::Cache(mark(p)),
                        Slot::Zero(k) => Neuron::Zero(k),
                        Slot::Pad => Neuron::Pad,
                    })
                    .collect()
            })
            .collect();
        let mut neuron_of_node = HashMap::new();
        for (layer, row) in neurons.iter().enumerate() {
            for (j, n) in row.iter().enumerate() {
                if let Neuron::Node(id) = *n {
                    neuron_of_node.insert(id, NeuronAt { layer, j });
                }
            }
        }
        Ok(Twin {
            genome,
            program,
            layered: l.net,
            arch: l.arch,
            weight_of_link,
            link_at_weight,
            neurons,
            neuron_of_node,
        })
    }

    /// The layerized weight a genome link became (`None` for a link left out of the
    /// program because it closed a cycle, a link into a node no output needs, or an
    /// unknown marking).
    pub fn weight_of(&self, link: Marking) -> Option<WeightAt> {
        self.weight_of_link.get(&link).copied()
    }

    /// The genome link behind a layerized weight (`None` for a cache's weight of 1, the
    /// output layer, or an always-zero weight no link stands for).
    pub fn link_at(&self, at: WeightAt) -> Option<Marking> {
        self.link_at_weight.get(&at).copied()
    }

    /// What hidden neuron `at` stands for.
    pub fn neuron(&self, at: NeuronAt) -> Option<Neuron> {
        self.neurons.get(at.layer)?.get(at.j).copied()
    }

    /// The hidden neurons layer by layer.
    pub fn neurons(&self) -> &[Vec<Neuron>] {
        &self.neurons
    }

    /// The layered neuron that computes a genome node (`None` for inputs, which are the
    /// net's inputs, and for a node no output needs: the layerized net leaves it out).
    pub fn neuron_of(&self, node: Marking) -> Option<NeuronAt> {
        self.neuron_of_node.get(&node).copied()
    }

    /// Whether `net` has the layerized shape, so its weights sit where the links'
    /// weights do.
    pub fn fits(&self, net: &DenseNet) -> bool {
        net.widths() == self.layered.widths()
    }

    /// The genome link behind a parameter of the layerized net; a link maps to itself.
    pub fn as_link(&self, p: Param) -> Option<Param> {
        match p {
            Param::Link(_) => Some(p),
            Param::Weight { layer, i, j } => {
                self.link_at(WeightAt { layer, i, j }).map(Param::Link)
            }
        }
    }

    /// The weight of `net` at the same place as a genome link, when `net` has the
    /// layerized shape.
    pub fn counterpart(&self, p: Param, net: &DenseNet) -> Option<Param> {
        let Param::Link(id) = p else { return None };
        if !self.fits(net) {
            return None;
        }
        let WeightAt { layer, i, j } = self.weight_of(id)?;
        Some(Param::Weight { layer, i, j })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cppn::genome::tests::tiny;

    #[test]
    fn tiny_links_and_neurons_map_both_ways() {
        let g = tiny();
        let twin = Twin::new(g.clone()).unwrap();
        for link in &g.links {
            let at = twin.weight_of(link.id).expect("every link has a weight");
            assert_eq!(twin.link_at(at), Some(link.id));
            assert_eq!(
                twin.layered.layers[at.layer].weight(at.i, at.j),
                link.weight as f32
            );
        }
        for n in g
            .nodes
            .iter()
            .filter(|n| !matches!(n.kind, crate::cppn::NodeKind::Input(_)))
        {
            let at = twin
                .neuron_of(n.id)
                .expect("every computed node has a neuron");
            assert_eq!(twin.neuron(at), Some(Neuron::Node(n.id)));
        }
        // A cache weight has no link behind it.
        let cache = twin.neurons()[0]
            .iter()
            .position(|n| matches!(n, Neuron::Cache(_)))
            .unwrap();
        let from = (0..4)
            .find(|&i| twin.layered.layers[0].weight(i, cache) == 1.0)
            .unwrap();
        assert_eq!(
            twin.link_at(WeightAt {
                layer: 0,
                i: from,
                j: cache
            }),
            None
        );
    }

    #[test]
    fn counterpart_needs_the_same_shape() {
        let twin = Twin::new(tiny()).unwrap();
        let link = twin.genome.links[0].id;
        let same = twin.layered.clone();
        let at = twin.weight_of(link).unwrap();
        assert_eq!(
            twin.counterpart(Param::Link(link), &same),
            Some(Param::Weight {
                layer: at.layer,
                i: at.i,
                j: at.j
            })
        );
        let mut other = twin.layered.clone();
        other.layers.pop();
        other.hidden.pop();
        assert_eq!(twin.counterpart(Param::Link(link), &other), None);
        assert_eq!(
            twin.as_link(twin.counterpart(Param::Link(link), &same).unwrap()),
            Some(Param::Link(link))
        );
    }
}
