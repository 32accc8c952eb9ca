//! TEMPORARY stand-in for `picbreeder::breed::Session` until branch `breed` lands, so
//! the window can be built and tested. Deliberately crude; removed at the merge.

use picbreeder::cppn::{
    Activation, ColourMode, Genome, Input, Link, Marking, Node, NodeKind, Output,
};
use picbreeder::io::{FileError, Problem, write_atomic};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use std::path::Path;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MutationConfig {
    pub strength: f64,
    pub perturb_rate: f64,
    pub weights: OperatorWeights,
}
impl Default for MutationConfig {
    fn default() -> Self {
        MutationConfig {
            strength: 0.5,
            perturb_rate: 0.3,
            weights: OperatorWeights {
                perturb: 10.0,
                add_link: 5.0,
                add_node: 5.0,
                change_activation: 1.0,
            },
        }
    }
}
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct OperatorWeights {
    pub perturb: f64,
    pub add_link: f64,
    pub add_node: f64,
    pub change_activation: f64,
}
#[derive(Clone, Copy)]
pub enum Operator {
    Perturb,
    AddLink,
    AddNode,
    ChangeActivation,
}
impl Operator {
    pub const ALL: [Operator; 4] = [
        Operator::Perturb,
        Operator::AddLink,
        Operator::AddNode,
        Operator::ChangeActivation,
    ];
    pub fn name(self) -> &'static str {
        match self {
            Operator::Perturb => "perturb weights",
            Operator::AddLink => "add link",
            Operator::AddNode => "add node",
            Operator::ChangeActivation => "change activation",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HistNode {
    pub id: usize,
    pub parent: Option<usize>,
    pub generation: usize,
    pub children: Vec<Genome>,
    pub parents: Vec<usize>,
}

impl HistNode {
    pub fn picture(&self) -> Option<&Genome> {
        self.parents
            .first()
            .and_then(|&i| self.children.get(i))
            .or(self.children.first())
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Session {
    format: String,
    seed: u64,
    nodes: Vec<HistNode>,
    current: usize,
    mutation: MutationConfig,
    draws: u64,
    next_id: u64,
}

pub struct Starter {
    pub name: String,
    pub genome: Genome,
}

pub fn starters() -> Vec<Starter> {
    Vec::new()
}

fn random_genome(rng: &mut ChaCha8Rng, colour: ColourMode, ids: &mut u64) -> Genome {
    let mut nodes: Vec<Node> = Input::ALL
        .iter()
        .enumerate()
        .map(|(i, &k)| Node {
            id: Marking::new(0, i as u64),
            kind: NodeKind::Input(k),
            activation: Activation::Identity,
        })
        .collect();
    let outs: &[Output] = match colour {
        ColourMode::Grey => &[Output::Ink],
        ColourMode::Colour => &[Output::Hue, Output::Saturation, Output::Brightness],
    };
    for (k, &o) in outs.iter().enumerate() {
        nodes.push(Node {
            id: Marking::new(0, 4 + k as u64),
            kind: NodeKind::Output(o),
            activation: Activation::Sigmoid,
        });
    }
    let acts = [
        Activation::Sin,
        Activation::Gaussian,
        Activation::Sigmoid,
        Activation::Cos,
    ];
    let hidden: Vec<Marking> = (0..3)
        .map(|_| {
            *ids += 1;
            let id = Marking::new(1, *ids);
            nodes.push(Node {
                id,
                kind: NodeKind::Hidden,
                activation: acts[rng.random_range(0..acts.len())],
            });
            id
        })
        .collect();
    let mut links = Vec::new();
    let mut link = |s: Marking, t: Marking, rng: &mut ChaCha8Rng, ids: &mut u64| {
        *ids += 1;
        links.push(Link {
            id: Marking::new(1, *ids),
            source: s,
            target: t,
            weight: rng.random_range(-3.0..3.0),
        });
    };
    for &h in &hidden {
        for i in 0..4 {
            if rng.random_bool(0.6) {
                link(Marking::new(0, i), h, rng, ids);
            }
        }
        for k in 0..outs.len() {
            link(h, Marking::new(0, 4 + k as u64), rng, ids);
        }
    }
    Genome { nodes, links }
}

impl Session {
    pub fn new(seed: u64, colour: ColourMode, children: usize) -> Session {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut ids = 0;
        let kids = (0..children)
            .map(|_| random_genome(&mut rng, colour, &mut ids))
            .collect();
        Session {
            format: "picbreeder-session".into(),
            seed,
            nodes: vec![HistNode {
                id: 0,
                parent: None,
                generation: 0,
                children: kids,
                parents: Vec::new(),
            }],
            current: 0,
            mutation: MutationConfig::default(),
            draws: 0,
            next_id: ids + 1,
        }
    }

    fn rng(&mut self) -> ChaCha8Rng {
        self.draws += 1;
        ChaCha8Rng::seed_from_u64(self.seed ^ self.draws.wrapping_mul(0x9E37_79B9_7F4A_7C15))
    }

    fn cur(&self) -> &HistNode {
        &self.nodes[self.current]
    }

    pub fn children(&self) -> &[Genome] {
        &self.cur().children
    }
    pub fn is_parent(&self, i: usize) -> bool {
        self.cur().parents.contains(&i)
    }
    pub fn toggle_parent(&mut self, i: usize) {
        let n = &mut self.nodes[self.current];
        if let Some(k) = n.parents.iter().position(|&p| p == i) {
            n.parents.remove(k);
        } else if i < n.children.len() {
            n.parents.push(i);
        }
    }
    pub fn generation(&self) -> usize {
        self.cur().generation
    }
    pub fn can_back(&self) -> bool {
        self.cur().parent.is_some()
    }
    pub fn can_forward(&self) -> bool {
        self.nodes.iter().any(|n| n.parent == Some(self.current))
    }
    pub fn seed(&self) -> u64 {
        self.seed
    }
    pub fn mutation(&self) -> &MutationConfig {
        &self.mutation
    }
    pub fn mutation_mut(&mut self) -> &mut MutationConfig {
        &mut self.mutation
    }
    pub fn history(&self) -> &[HistNode] {
        &self.nodes
    }
    pub fn current(&self) -> usize {
        self.current
    }

    fn make_children(&mut self, parents: Vec<Genome>, count: usize) -> Vec<Genome> {
        let mut rng = self.rng();
        let mut kids = parents.clone();
        while kids.len() < count {
            let mut g = parents[rng.random_range(0..parents.len())].clone();
            if !g.links.is_empty() {
                for l in &mut g.links {
                    if rng.random_bool(0.3) {
                        let noise: f64 = rng.random_range(-1.0..1.0) * self.mutation.strength * 2.0;
                        l.weight = (l.weight + noise).clamp(-3.0, 3.0);
                    }
                }
                let k = rng.random_range(0..g.links.len());
                g.links[k].weight = (g.links[k].weight + self.mutation.strength).clamp(-3.0, 3.0);
            }
            kids.push(g);
        }
        kids
    }

    fn push(&mut self, parent: usize, children: Vec<Genome>) {
        let id = self.nodes.len();
        let generation = self.nodes[parent].generation + 1;
        self.nodes.push(HistNode {
            id,
            parent: Some(parent),
            generation,
            children,
            parents: Vec::new(),
        });
        self.current = id;
    }

    pub fn evolve(&mut self) {
        let n = self.cur().clone();
        if n.parents.is_empty() {
            return;
        }
        let parents = n.parents.iter().map(|&i| n.children[i].clone()).collect();
        let kids = self.make_children(parents, n.children.len());
        self.push(self.current, kids);
    }
    pub fn reroll(&mut self) {
        let Some(p) = self.cur().parent else { return };
        let pn = self.nodes[p].clone();
        let parents = pn.parents.iter().map(|&i| pn.children[i].clone()).collect();
        let kids = self.make_children(parents, pn.children.len());
        self.push(p, kids);
    }
    pub fn back(&mut self) -> bool {
        match self.cur().parent {
            Some(p) => {
                self.current = p;
                true
            }
            None => false,
        }
    }
    pub fn forward(&mut self) -> bool {
        match self
            .nodes
            .iter()
            .rev()
            .find(|n| n.parent == Some(self.current))
        {
            Some(n) => {
                self.current = n.id;
                true
            }
            None => false,
        }
    }
    pub fn branch_to(&mut self, id: usize) -> bool {
        if id < self.nodes.len() {
            self.current = id;
            true
        } else {
            false
        }
    }
    pub fn start_from(&mut self, genome: Genome) {
        let count = self.cur().children.len();
        let kids = self.make_children(vec![genome], count);
        self.push(self.current, kids);
    }
    pub fn add_colour(&mut self, _i: usize) -> bool {
        false
    }
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("serializes")
    }
    pub fn save(&self, path: &Path) -> Result<(), FileError> {
        write_atomic(path, self.to_json().as_bytes())
    }
    pub fn load(path: &Path) -> Result<Session, FileError> {
        let bytes = picbreeder::io::read_bytes(path)?;
        let s: Session = serde_json::from_slice(&bytes).map_err(|e| Problem::Json(e).at(path))?;
        if s.nodes.is_empty() || s.current >= s.nodes.len() {
            return Err(Problem::Unknown("empty session".into()).at(path));
        }
        Ok(s)
    }
    pub fn is_session_file(path: &Path) -> bool {
        std::fs::read(path)
            .map(|b| b.windows(18).take(200).any(|w| w == b"picbreeder-session"))
            .unwrap_or(false)
    }
}
