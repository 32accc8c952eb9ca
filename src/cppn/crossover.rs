//! NEAT crossover of several parents, aligned by the genes' markings.
//!
//! One parent, drawn at random, is the *primary*: the child has all its nodes and links,
//! and so its inputs, its outputs and its colour mode. A link that other parents share
//! with it (same marking: a matching gene) takes its weight from a random one of them;
//! a node they share takes its activation likewise. A link only other parents have
//! (disjoint or excess) comes along with chance [`CrossoverConfig::disjoint_rate`],
//! bringing the hidden nodes it needs. Picbreeder's parents are equally fit, so NEAT's
//! equal-fitness rule applies: disjoint genes are inherited at random from any parent.
//!
//! The child holds only genes of its parents. An input or output node is aligned by
//! what it is (x, y, d, bias, ink...) when the markings differ, as for genomes bred in
//! different places; an `ink` and a `brightness` are the same role (the value). A link
//! that would close a cycle, run into an input, or end at a role the child lacks (hue
//! into a grey child) is dropped, so a child of acyclic parents is valid and acyclic.

use super::genome::{Genome, Link, Marking, Node, NodeKind, Output};
use super::graph::Graph;
use rand::Rng;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// How crossover mixes parents.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CrossoverConfig {
    /// Chance that a link found only in non-primary parents is inherited. Default 0.5
    /// (NEAT's coin flip for equally fit parents).
    pub disjoint_rate: f64,
}

impl Default for CrossoverConfig {
    fn default() -> Self {
        CrossoverConfig { disjoint_rate: 0.5 }
    }
}

/// The role an input or output node plays, with `ink` and `brightness` merged.
fn role(kind: NodeKind) -> Option<NodeKind> {
    match kind {
        NodeKind::Hidden => None,
        NodeKind::Output(Output::Ink) => Some(NodeKind::Output(Output::Brightness)),
        k => Some(k),
    }
}

/// A child of `parents` (at least one; one parent gives a copy).
pub fn crossover(parents: &[&Genome], config: &CrossoverConfig, rng: &mut impl Rng) -> Genome {
    assert!(!parents.is_empty(), "crossover needs a parent");
    if parents.len() == 1 {
        return parents[0].clone();
    }
    let primary = rng.random_range(0..parents.len());
    let p = parents[primary];

    // Nodes of every parent by marking, in parent order.
    let node_maps: Vec<HashMap<Marking, &Node>> = parents
        .iter()
        .map(|g| g.nodes.iter().map(|n| (n.id, n)).collect())
        .collect();

    let mut child = Genome {
        nodes: Vec::with_capacity(p.nodes.len()),
        links: Vec::with_capacity(p.links.len()),
        notes: Default::default(),
    };
    for n in &p.nodes {
        let holders: Vec<&Node> = node_maps
            .iter()
            .filter_map(|m| m.get(&n.id).copied())
            .filter(|h| h.kind == n.kind)
            .collect();
        let pick = holders[rng.random_range(0..holders.len())];
        child.nodes.push(Node {
            activation: pick.activation,
            ..n.clone()
        });
    }
    let mut kinds: HashMap<Marking, NodeKind> =
        child.nodes.iter().map(|n| (n.id, n.kind)).collect();
    let roles: HashMap<NodeKind, Marking> = child
        .nodes
        .iter()
        .filter_map(|n| role(n.kind).map(|r| (r, n.id)))
        .collect();
    let mut graph = Graph::of(&Genome {
        nodes: child.nodes.clone(),
        links: Vec::new(),
        notes: Default::default(),
    });

    // While every link added runs forward in the primary's topological order, a link
    // that does too cannot close a cycle: no search needed. That is every link of an
    // acyclic primary (they come first), so crossing big genomes stays linear; the
    // first link that does not run forward (another parent's, or a node brought
    // along) turns the search on for the rest.
    let places = Graph::of(p).topological_places();
    let mut forward_only = true;

    // Link markings in order: the primary's, then the others' new ones.
    let mut order: Vec<Marking> = Vec::new();
    let mut seen: HashSet<Marking> = HashSet::new();
    for g in std::iter::once(p).chain(parents.iter().copied()) {
        for l in &g.links {
            if seen.insert(l.id) {
                order.push(l.id);
            }
        }
    }
    let link_maps: Vec<HashMap<Marking, &Link>> = parents
        .iter()
        .map(|g| g.links.iter().map(|l| (l.id, l)).collect())
        .collect();

    for id in order {
        let holders: Vec<usize> = (0..parents.len())
            .filter(|&i| link_maps[i].contains_key(&id))
            .collect();
        let in_primary = link_maps[primary].contains_key(&id);
        if !in_primary && !rng.random_bool(super::mutate::probability(config.disjoint_rate)) {
            continue;
        }
        let from = holders[rng.random_range(0..holders.len())];
        let gene = if in_primary {
            Link {
                weight: link_maps[from][&id].weight,
                ..link_maps[primary][&id].clone()
            }
        } else {
            link_maps[from][&id].clone()
        };
        // Resolve each end to a child node, or a hidden node to bring along.
        let mut new_nodes: Vec<Node> = Vec::new();
        let mut resolve = |end: Marking| -> Option<Marking> {
            if kinds.contains_key(&end) {
                return Some(end);
            }
            let node = node_maps[from].get(&end)?;
            match role(node.kind) {
                None => {
                    if !new_nodes.iter().any(|n| n.id == end) {
                        new_nodes.push((*node).clone());
                    }
                    Some(end)
                }
                Some(r) => roles.get(&r).copied(),
            }
        };
        let (Some(source), Some(target)) = (resolve(gene.source), resolve(gene.target)) else {
            continue;
        };
        let target_kind = kinds
            .get(&target)
            .copied()
            .or_else(|| new_nodes.iter().find(|n| n.id == target).map(|n| n.kind));
        let forward = match (places.get(&source), places.get(&target)) {
            (Some(a), Some(b)) => a < b,
            _ => false,
        };
        if matches!(target_kind, Some(NodeKind::Input(_)))
            || source == target
            || (!(forward_only && forward) && graph.closes_cycle(source, target))
        {
            continue;
        }
        forward_only &= forward;
        for n in new_nodes {
            graph.add_node(n.id);
            kinds.insert(n.id, n.kind);
            child.nodes.push(n);
        }
        graph.add_link(source, target);
        child.links.push(Link {
            source,
            target,
            ..gene
        });
    }
    // Labels travel with their genes: the primary parent's notes first, then the others'.
    let mut notes = p.notes.clone();
    for (i, g) in parents.iter().enumerate() {
        if i != primary {
            notes.merge(&g.notes);
        }
    }
    notes.prune(&child);
    child.notes = notes;
    child
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cppn::genome::tests::tiny;
    use crate::cppn::innovation::Innovations;
    use crate::cppn::mutate::{MutationConfig, mutate};
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn siblings_cross_into_valid_children_of_their_genes() {
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        let mut inn = Innovations::new(9);
        let config = MutationConfig::default();
        let mut a = tiny();
        let mut b = tiny();
        for _ in 0..20 {
            a = mutate(&a, &config, &mut inn, &mut rng).0;
            b = mutate(&b, &config, &mut inn, &mut rng).0;
        }
        for _ in 0..100 {
            let c = crossover(&[&a, &b], &CrossoverConfig::default(), &mut rng);
            assert_eq!(c.validate(), Ok(vec![]));
            for l in &c.links {
                assert!(
                    [&a, &b]
                        .iter()
                        .any(|p| p.link(l.id).is_some_and(|pl| pl.weight == l.weight))
                );
            }
            for n in &c.nodes {
                assert!(a.node(n.id).is_some() || b.node(n.id).is_some());
            }
        }
    }

    #[test]
    fn labels_cross_with_their_links() {
        use crate::cppn::notes::Label;
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let mut a = tiny();
        let mut b = tiny();
        a.notes.labels.push(Label {
            id: 1,
            text: "Eyes".into(),
            colour: [200, 0, 0],
        });
        b.notes.labels = a.notes.labels.clone();
        for l in &a.links {
            a.notes.link_labels.insert(l.id, 1);
            b.notes.link_labels.insert(l.id, 1);
        }
        for _ in 0..20 {
            let c = crossover(&[&a, &b], &CrossoverConfig::default(), &mut rng);
            assert_eq!(c.notes.labels.len(), 1);
            for l in &c.links {
                assert_eq!(c.notes.link_label(l.id).unwrap().text, "Eyes");
            }
            assert!(c.notes.link_labels.keys().all(|m| c.link(*m).is_some()));
        }
    }
}
