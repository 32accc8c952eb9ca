//! A genome compiled once into a flat, topologically ordered program.

use super::genome::{
    ColourMode, Genome, GenomeError, GenomeWarning, Input, Marking, NodeKind, Output,
};
use crate::activation::Activation;
use crate::image::ColourPlanes;
use crate::steps::Step;
use std::collections::HashMap;

/// Which planes the colour rule reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputPlanes {
    Grey {
        ink: usize,
    },
    /// A missing hue or saturation reads as 0.
    Colour {
        hue: Option<usize>,
        saturation: Option<usize>,
        brightness: usize,
    },
}

impl OutputPlanes {
    /// How a plane set holding these outputs (only, in [`OutputPlanes::planes`] order)
    /// is coloured.
    pub fn colours(self) -> ColourPlanes {
        match self {
            OutputPlanes::Grey { .. } => ColourPlanes::Grey(0),
            OutputPlanes::Colour {
                hue, saturation, ..
            } => {
                let h = hue.map(|_| 0);
                let s = saturation.map(|_| usize::from(hue.is_some()));
                ColourPlanes::Hsv(h, s, h.is_some() as usize + s.is_some() as usize)
            }
        }
    }

    /// The output planes, in the order hue, saturation, brightness (or just ink).
    pub fn planes(&self) -> Vec<usize> {
        match *self {
            OutputPlanes::Grey { ink } => vec![ink],
            OutputPlanes::Colour {
                hue,
                saturation,
                brightness,
            } => hue
                .into_iter()
                .chain(saturation)
                .chain([brightness])
                .collect(),
        }
    }
}

/// The genome node behind a plane of a [`Program`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PlaneNode {
    pub id: Marking,
    pub kind: NodeKind,
    pub activation: Activation,
}

/// A genome ready to evaluate. Planes `0..4` are the inputs x, y, d, bias; plane
/// `4 + i` is computed by `steps[i]`, every step reading only earlier planes.
#[derive(Clone, Debug, PartialEq)]
pub struct Program {
    /// The node behind each plane.
    pub nodes: Vec<PlaneNode>,
    pub steps: Vec<Step>,
    pub outputs: OutputPlanes,
    pub warnings: Vec<GenomeWarning>,
}

impl Program {
    /// Validates and compiles a genome. Links that close a cycle are left out (warned).
    pub fn compile(genome: &Genome) -> Result<Program, GenomeError> {
        let warnings = genome.validate()?;
        let (order, cycle_links) = genome.visit_order();
        let mut plane_of: HashMap<Marking, usize> = HashMap::new();
        let mut nodes = Vec::with_capacity(genome.nodes.len());
        for input in Input::ALL {
            let n = genome
                .node_with_kind(NodeKind::Input(input))
                .expect("validated");
            plane_of.insert(n.id, nodes.len());
            nodes.push(PlaneNode {
                id: n.id,
                kind: n.kind,
                activation: Activation::Identity,
            });
        }
        let computed: Vec<usize> = order
            .into_iter()
            .filter(|&i| !matches!(genome.nodes[i].kind, NodeKind::Input(_)))
            .collect();
        for &i in &computed {
            let n = &genome.nodes[i];
            plane_of.insert(n.id, nodes.len());
            nodes.push(PlaneNode {
                id: n.id,
                kind: n.kind,
                activation: n.activation,
            });
        }
        let mut steps: Vec<Step> = computed
            .iter()
            .map(|&i| Step {
                activation: genome.nodes[i].activation,
                inputs: Vec::new(),
            })
            .collect();
        for (li, l) in genome.links.iter().enumerate() {
            if cycle_links.contains(&li) {
                continue;
            }
            steps[plane_of[&l.target] - Input::ALL.len()]
                .inputs
                .push((plane_of[&l.source], l.weight as f32));
        }
        let find = |o: Output| {
            genome
                .node_with_kind(NodeKind::Output(o))
                .map(|n| plane_of[&n.id])
        };
        let outputs = match genome.colour_mode() {
            ColourMode::Grey => OutputPlanes::Grey {
                ink: find(Output::Ink).expect("validated"),
            },
            ColourMode::Colour => OutputPlanes::Colour {
                hue: find(Output::Hue),
                saturation: find(Output::Saturation),
                brightness: find(Output::Brightness).expect("validated"),
            },
        };
        Ok(Program {
            nodes,
            steps,
            outputs,
            warnings,
        })
    }

    pub fn plane_count(&self) -> usize {
        self.nodes.len()
    }

    /// The plane that holds a node's values.
    pub fn plane_of(&self, id: Marking) -> Option<usize> {
        self.nodes.iter().position(|n| n.id == id)
    }

    /// Multiply-adds and activations per pixel: the work one evaluation does.
    pub fn work_per_pixel(&self) -> (usize, usize) {
        (
            self.steps.iter().map(|s| s.inputs.len()).sum(),
            self.steps.len(),
        )
    }
}
