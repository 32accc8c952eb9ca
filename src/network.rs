//! Either kind of network, behind one face: an evolved genome or a dense (trained) net.
//! Sweeps, the CLI and the galleries use this so every tool works on both.

use crate::cppn::eval::evaluate;
use crate::cppn::program::PlaneNode;
use crate::cppn::{Genome, GenomeError, Marking, Program};
use crate::dense::net::DenseNet;
use crate::grid::{Grid, Planes};
use crate::image::{ColourPlanes, Image};
use crate::steps::Step;

/// A network ready to render: a compiled genome, or a dense net.
// A program holds only small headers (its buffers are on the heap) and a window holds a
// handful of networks, mostly behind an Arc: boxing the variant would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug)]
pub enum Network {
    Genome { genome: Genome, program: Program },
    Net(DenseNet),
}

/// Where each link of a genome is, by marking (a link appears once: the readers
/// refuse a marking twice; were it not so, the last one would be the one changed).
fn link_index(genome: &Genome) -> std::collections::HashMap<Marking, usize> {
    genome
        .links
        .iter()
        .enumerate()
        .map(|(k, l)| (l.id, k))
        .collect()
}

/// What the renderer needs from a network: its steps (plane `4 + i` made by step `i`),
/// the planes that make the picture and how they become colour. The one way from
/// either model to the step evaluator and the banded export.
#[derive(Clone, Debug)]
pub struct RenderSteps {
    pub steps: Vec<Step>,
    pub keep: Vec<usize>,
    pub colours: ColourPlanes,
}

impl RenderSteps {
    pub fn of_program(program: &Program) -> RenderSteps {
        RenderSteps {
            steps: program.steps.clone(),
            keep: program.outputs.planes(),
            colours: program.outputs.colours(),
        }
    }

    pub fn of_net(net: &DenseNet) -> RenderSteps {
        RenderSteps {
            steps: net.steps(),
            keep: net.output_planes(),
            colours: net.outputs.colours(0),
        }
    }
}

/// Names one weight of a network.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Param {
    /// A genome's link, by innovation marking.
    Link(Marking),
    /// A dense net's weight `layers[layer].weight(i, j)`.
    Weight { layer: usize, i: usize, j: usize },
}

impl Network {
    /// The genome, for a network made from one.
    pub fn genome(&self) -> Option<&Genome> {
        match self {
            Network::Genome { genome, .. } => Some(genome),
            Network::Net(_) => None,
        }
    }

    pub fn from_genome(genome: Genome) -> Result<Network, GenomeError> {
        let program = Program::compile(&genome)?;
        Ok(Network::Genome { genome, program })
    }

    /// What the renderer needs to draw it.
    pub fn render_steps(&self) -> RenderSteps {
        match self {
            Network::Genome { program, .. } => RenderSteps::of_program(program),
            Network::Net(net) => RenderSteps::of_net(net),
        }
    }

    /// The output image over a grid.
    pub fn render(&self, grid: &Grid) -> Image {
        match self {
            Network::Genome { program, .. } => program.render(grid),
            Network::Net(net) => net.render(grid),
        }
    }

    /// Neurons (planes), inputs included.
    pub fn neuron_count(&self) -> usize {
        match self {
            Network::Genome { program, .. } => program.plane_count(),
            Network::Net(net) => net.widths().iter().sum(),
        }
    }

    /// Every neuron's plane, numbered as [`Network::layout`] expects.
    pub fn planes(&self, grid: &Grid) -> Planes {
        match self {
            Network::Genome { program, .. } => evaluate(program, grid),
            Network::Net(net) => net.evaluate(grid),
        }
    }

    /// Every weight, in a fixed order (genome links in genome order; net weights layer
    /// by layer, row-major, which is the paper's parameter index).
    pub fn params(&self) -> Vec<Param> {
        match self {
            Network::Genome { genome, .. } => {
                genome.links.iter().map(|l| Param::Link(l.id)).collect()
            }
            Network::Net(net) => net
                .layers
                .iter()
                .enumerate()
                .flat_map(|(layer, d)| {
                    (0..d.n_in)
                        .flat_map(move |i| (0..d.n_out).map(move |j| Param::Weight { layer, i, j }))
                })
                .collect(),
        }
    }

    /// The current value of a weight, if it exists.
    pub fn param(&self, p: Param) -> Option<f64> {
        match (self, p) {
            (Network::Genome { genome, .. }, Param::Link(id)) => genome.link(id).map(|l| l.weight),
            (Network::Net(net), Param::Weight { layer, i, j }) => {
                let d = net.layers.get(layer)?;
                (i < d.n_in && j < d.n_out).then(|| f64::from(d.weight(i, j)))
            }
            _ => None,
        }
    }

    /// The current values of several weights, `None` if one does not exist. A genome's
    /// links are indexed once: a search per weight made a sweep of every weight of a
    /// 100k-node genome quadratic (minutes).
    pub fn param_values(&self, params: &[Param]) -> Option<Vec<f64>> {
        match self {
            Network::Genome { genome, .. } => {
                let index = link_index(genome);
                params
                    .iter()
                    .map(|p| match p {
                        Param::Link(id) => index.get(id).map(|&k| genome.links[k].weight),
                        Param::Weight { .. } => None,
                    })
                    .collect()
            }
            Network::Net(_) => params.iter().map(|&p| self.param(p)).collect(),
        }
    }

    /// A copy with several weights changed; `None` if one does not exist or a value is
    /// not finite.
    pub fn with_params(&self, changes: &[(Param, f64)]) -> Option<Network> {
        if changes.iter().any(|&(_, v)| !v.is_finite()) {
            return None;
        }
        Some(match self {
            Network::Genome { genome, .. } => {
                let index = link_index(genome);
                let mut g = genome.clone();
                for &(p, v) in changes {
                    let Param::Link(id) = p else { return None };
                    g.links[*index.get(&id)?].weight = v;
                }
                Network::from_genome(g).ok()?
            }
            Network::Net(net) => {
                if changes.iter().any(|&(p, _)| self.param(p).is_none()) {
                    return None;
                }
                let mut n = net.clone();
                for &(p, v) in changes {
                    if let Param::Weight { layer, i, j } = p {
                        *n.layers[layer].weight_mut(i, j) = v as f32;
                    }
                }
                Network::Net(n)
            }
        })
    }

    /// The weights coming into one neuron: a genome node's incoming links, or column `j`
    /// of a net layer. `neuron` is a plane index in [`Network::planes`] numbering.
    pub fn incoming(&self, neuron: usize) -> Vec<Param> {
        match self {
            Network::Genome { genome, program } => {
                let Some(&PlaneNode { id, .. }) = program.nodes.get(neuron) else {
                    return vec![];
                };
                genome
                    .links
                    .iter()
                    .filter(|l| l.target == id)
                    .map(|l| Param::Link(l.id))
                    .collect()
            }
            Network::Net(net) => {
                let starts = net.layer_starts();
                let Some(l) = starts.iter().rposition(|&s| s <= neuron).filter(|&l| l > 0) else {
                    return vec![];
                };
                let (layer, j) = (l - 1, neuron - starts[l]);
                (0..net.layers[layer].n_in)
                    .map(|i| Param::Weight { layer, i, j })
                    .collect()
            }
        }
    }
}

impl std::fmt::Display for Param {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Param::Link(m) => write!(f, "link {m}"),
            Param::Weight { layer, i, j } => write!(f, "layer {layer} weight ({i}, {j})"),
        }
    }
}
