//! The evolved network's genome: nodes and links, each named by a Picbreeder marking.

use super::notes::Notes;
use crate::activation::Activation;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::str::FromStr;

/// A gene's name: Picbreeder's `(branch, id)` pair. Nodes and links each have one; a link's
/// marking is its innovation marker, which crossover aligns on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Marking {
    pub branch: u64,
    pub id: u64,
}

impl Marking {
    pub const fn new(branch: u64, id: u64) -> Self {
        Marking { branch, id }
    }
}

impl fmt::Display for Marking {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.branch, self.id)
    }
}

impl FromStr for Marking {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let (b, i) = s
            .split_once(':')
            .ok_or_else(|| format!("marking '{s}' is not of the form BRANCH:ID"))?;
        let num = |t: &str| {
            t.trim()
                .parse::<u64>()
                .map_err(|_| format!("marking '{s}' is not of the form BRANCH:ID"))
        };
        Ok(Marking::new(num(b)?, num(i)?))
    }
}

impl TryFrom<String> for Marking {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        s.parse()
    }
}

impl From<Marking> for String {
    fn from(m: Marking) -> String {
        m.to_string()
    }
}

pub use crate::grid::Input;

/// What an output node means: one grey `ink`, or the three HSV channels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Output {
    Ink,
    Hue,
    Saturation,
    Brightness,
}

impl Output {
    pub const ALL: [Output; 4] = [
        Output::Ink,
        Output::Hue,
        Output::Saturation,
        Output::Brightness,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Output::Ink => "ink",
            Output::Hue => "hue",
            Output::Saturation => "saturation",
            Output::Brightness => "brightness",
        }
    }

    pub fn from_name(s: &str) -> Option<Output> {
        Output::ALL.into_iter().find(|o| o.name() == s)
    }
}

/// A node's role in the network.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NodeKind {
    Input(Input),
    Hidden,
    Output(Output),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Node {
    pub id: Marking,
    pub kind: NodeKind,
    pub activation: Activation,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Link {
    /// Innovation marker.
    pub id: Marking,
    pub source: Marking,
    pub target: Marking,
    pub weight: f64,
}

/// Grey genomes draw `|ink|`; colour genomes draw HSV.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ColourMode {
    Grey,
    Colour,
}

/// A CPPN genome. Nodes and links keep the order they were read or made in, so a
/// genome written out and read back is identical.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Genome {
    pub nodes: Vec<Node>,
    pub links: Vec<Link>,
    /// Labels and other things people wrote into the genome; never evaluated.
    #[serde(default, skip_serializing_if = "Notes::is_empty")]
    pub notes: Notes,
}

/// Why a genome cannot be used. Each names the gene at fault.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GenomeError {
    #[error("node {0} appears twice")]
    DuplicateNode(Marking),
    #[error("link {0} appears twice")]
    DuplicateLink(Marking),
    #[error("link {link} names node {node}, which does not exist")]
    MissingNode { link: Marking, node: Marking },
    #[error("link {0} points into an input node")]
    LinkIntoInput(Marking),
    #[error("link {link} has weight {weight}, which is not a finite number")]
    NonFiniteWeight { link: Marking, weight: f64 },
    /// Finite, but not as the f32 the renderer computes in.
    #[error("link {link} has weight {weight:e}, which overflows f32 (at most ±3.4e38)")]
    WeightOverflow { link: Marking, weight: f64 },
    #[error("the genome has no '{0}' input node")]
    MissingInput(&'static str),
    #[error("the genome has two '{0}' nodes")]
    DuplicateRole(&'static str),
    #[error(
        "the genome has no output node (needs 'ink', or 'brightness' with optional 'hue' and 'saturation')"
    )]
    MissingOutput,
    #[error("the genome mixes a grey 'ink' output with colour outputs")]
    MixedOutputs,
    #[error("marking {0} has an id beyond {max}, the largest this program counts to", max = super::innovation::MAX_ID)]
    IdTooLarge(Marking),
}

/// Something odd but usable about a genome, reported to the user.
#[derive(Debug, Clone, PartialEq)]
pub enum GenomeWarning {
    /// The link closes a cycle; like the paper's evaluator, it contributes 0.
    CycleLink(Marking),
}

impl fmt::Display for GenomeWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GenomeWarning::CycleLink(m) => {
                write!(f, "link {m} closes a cycle and is ignored (contributes 0)")
            }
        }
    }
}

impl Genome {
    /// The four inputs (markings `0:0`..`0:3`) and one `ink` output (`0:4`), no links:
    /// the skeleton that small hand-made genomes start from.
    pub fn grey_skeleton(ink: Activation) -> Genome {
        let mut nodes: Vec<Node> = Input::ALL
            .iter()
            .enumerate()
            .map(|(i, &k)| Node {
                id: Marking::new(0, i as u64),
                kind: NodeKind::Input(k),
                activation: Activation::Identity,
            })
            .collect();
        nodes.push(Node {
            id: Marking::new(0, 4),
            kind: NodeKind::Output(Output::Ink),
            activation: ink,
        });
        Genome {
            nodes,
            links: vec![],
            notes: Notes::default(),
        }
    }

    /// Grey if it has an `ink` output, colour otherwise. Meaningful only on a valid genome.
    pub fn colour_mode(&self) -> ColourMode {
        if self
            .nodes
            .iter()
            .any(|n| n.kind == NodeKind::Output(Output::Ink))
        {
            ColourMode::Grey
        } else {
            ColourMode::Colour
        }
    }

    pub fn node(&self, id: Marking) -> Option<&Node> {
        self.nodes.iter().find(|n| n.id == id)
    }

    pub fn link(&self, id: Marking) -> Option<&Link> {
        self.links.iter().find(|l| l.id == id)
    }

    /// The node playing a given role, if any.
    pub fn node_with_kind(&self, kind: NodeKind) -> Option<&Node> {
        self.nodes.iter().find(|n| n.kind == kind)
    }

    /// Checks the genome; on success returns the links that close cycles (which are
    /// ignored at evaluation), in the order the evaluator meets them.
    pub fn validate(&self) -> Result<Vec<GenomeWarning>, GenomeError> {
        let mut ids = HashSet::new();
        let mut roles: HashMap<NodeKind, ()> = HashMap::new();
        let too_large = self
            .nodes
            .iter()
            .map(|n| n.id)
            .chain(self.links.iter().map(|l| l.id))
            .find(|m| m.id > super::innovation::MAX_ID);
        if let Some(m) = too_large {
            return Err(GenomeError::IdTooLarge(m));
        }
        for n in &self.nodes {
            if !ids.insert(n.id) {
                return Err(GenomeError::DuplicateNode(n.id));
            }
            if n.kind != NodeKind::Hidden && roles.insert(n.kind, ()).is_some() {
                return Err(GenomeError::DuplicateRole(kind_name(n.kind)));
            }
        }
        for input in Input::ALL {
            if !roles.contains_key(&NodeKind::Input(input)) {
                return Err(GenomeError::MissingInput(input.name()));
            }
        }
        let has = |o| roles.contains_key(&NodeKind::Output(o));
        let colour = has(Output::Hue) || has(Output::Saturation) || has(Output::Brightness);
        if has(Output::Ink) && colour {
            return Err(GenomeError::MixedOutputs);
        }
        if !has(Output::Ink) && !has(Output::Brightness) {
            return Err(GenomeError::MissingOutput);
        }
        let kinds: HashMap<Marking, NodeKind> = self.nodes.iter().map(|n| (n.id, n.kind)).collect();
        let mut link_ids = HashSet::new();
        for l in &self.links {
            if !link_ids.insert(l.id) {
                return Err(GenomeError::DuplicateLink(l.id));
            }
            for end in [l.source, l.target] {
                if !kinds.contains_key(&end) {
                    return Err(GenomeError::MissingNode {
                        link: l.id,
                        node: end,
                    });
                }
            }
            if matches!(kinds[&l.target], NodeKind::Input(_)) {
                return Err(GenomeError::LinkIntoInput(l.id));
            }
            if !l.weight.is_finite() {
                return Err(GenomeError::NonFiniteWeight {
                    link: l.id,
                    weight: l.weight,
                });
            }
            if !(l.weight as f32).is_finite() {
                return Err(GenomeError::WeightOverflow {
                    link: l.id,
                    weight: l.weight,
                });
            }
        }
        Ok(self
            .cycle_links()
            .into_iter()
            .map(|i| GenomeWarning::CycleLink(self.links[i].id))
            .collect())
    }

    /// Indices of links that close a cycle. A node's value is computed by visiting its
    /// sources first (nodes in genome order, incoming links in genome order); a link whose
    /// source is still being computed closes a cycle. This is what a recursive evaluator
    /// that reads an unfinished node as 0 does. Iterative, so deep genomes cannot
    /// overflow the stack. Assumes every link's ends exist.
    pub fn cycle_links(&self) -> Vec<usize> {
        self.visit_order().1
    }

    /// Nodes (indices) in an order where every node comes after its sources, ignoring
    /// cycle-closing links, plus those links' indices. See [`Genome::cycle_links`].
    pub fn visit_order(&self) -> (Vec<usize>, Vec<usize>) {
        let index: HashMap<Marking, usize> = self
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.id, i))
            .collect();
        let mut incoming: Vec<Vec<usize>> = vec![Vec::new(); self.nodes.len()];
        for (li, l) in self.links.iter().enumerate() {
            if let (Some(&t), Some(_)) = (index.get(&l.target), index.get(&l.source)) {
                incoming[t].push(li);
            }
        }
        #[derive(Clone, Copy, PartialEq)]
        enum State {
            New,
            Open,
            Done,
        }
        let mut state = vec![State::New; self.nodes.len()];
        let mut order = Vec::with_capacity(self.nodes.len());
        let mut cycles = Vec::new();
        for root in 0..self.nodes.len() {
            if state[root] != State::New {
                continue;
            }
            // Stack of (node, next incoming link to look at).
            let mut stack = vec![(root, 0usize)];
            state[root] = State::Open;
            while let Some(&mut (n, ref mut next)) = stack.last_mut() {
                if let Some(&li) = incoming[n].get(*next) {
                    *next += 1;
                    let s = index[&self.links[li].source];
                    match state[s] {
                        State::New => {
                            state[s] = State::Open;
                            stack.push((s, 0));
                        }
                        State::Open => cycles.push(li),
                        State::Done => {}
                    }
                } else {
                    state[n] = State::Done;
                    order.push(n);
                    stack.pop();
                }
            }
        }
        (order, cycles)
    }
}

fn kind_name(kind: NodeKind) -> &'static str {
    match kind {
        NodeKind::Input(i) => i.name(),
        NodeKind::Output(o) => o.name(),
        NodeKind::Hidden => "hidden",
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A small grey genome: ink = gaussian(w * d + bias).
    pub fn tiny() -> Genome {
        let mut g = Genome::grey_skeleton(Activation::Gaussian);
        g.nodes.push(Node {
            id: Marking::new(0, 5),
            kind: NodeKind::Hidden,
            activation: Activation::Sin,
        });
        let link = |id, s, t, w| Link {
            id: Marking::new(0, id),
            source: Marking::new(0, s),
            target: Marking::new(0, t),
            weight: w,
        };
        g.links = vec![
            link(10, 2, 5, 2.0),
            link(11, 5, 4, 1.5),
            link(12, 3, 4, -0.5),
            link(13, 0, 5, 1.0),
        ];
        g
    }

    #[test]
    fn valid_genome_has_no_warnings() {
        assert_eq!(tiny().validate(), Ok(vec![]));
        assert_eq!(tiny().colour_mode(), ColourMode::Grey);
    }

    #[test]
    fn errors_name_the_gene() {
        let mut g = tiny();
        g.links[1].target = Marking::new(9, 9);
        assert_eq!(
            g.validate(),
            Err(GenomeError::MissingNode {
                link: Marking::new(0, 11),
                node: Marking::new(9, 9)
            })
        );
        let mut g = tiny();
        g.links[0].weight = f64::NAN;
        assert!(matches!(
            g.validate(),
            Err(GenomeError::NonFiniteWeight { .. })
        ));
        let mut g = tiny();
        g.nodes.remove(2);
        assert_eq!(g.validate(), Err(GenomeError::MissingInput("d")));
        let mut g = tiny();
        g.nodes[5].id = Marking::new(0, 4);
        assert_eq!(
            g.validate(),
            Err(GenomeError::DuplicateNode(Marking::new(0, 4)))
        );
        let mut g = tiny();
        g.links[0].target = Marking::new(0, 1);
        assert_eq!(
            g.validate(),
            Err(GenomeError::LinkIntoInput(Marking::new(0, 10)))
        );
    }

    #[test]
    fn cycle_is_a_warning() {
        let mut g = tiny();
        // ink -> hidden closes hidden -> ink.
        g.links.push(Link {
            id: Marking::new(0, 20),
            source: Marking::new(0, 4),
            target: Marking::new(0, 5),
            weight: 1.0,
        });
        let w = g.validate().unwrap();
        assert_eq!(w.len(), 1);
        let (order, cycles) = g.visit_order();
        assert_eq!(order.len(), g.nodes.len());
        assert_eq!(cycles.len(), 1);
    }

    #[test]
    fn marking_text_round_trip() {
        let m: Marking = "576:30".parse().unwrap();
        assert_eq!(m, Marking::new(576, 30));
        assert!("576".parse::<Marking>().is_err());
        assert!("a:b".parse::<Marking>().is_err());
    }
}
