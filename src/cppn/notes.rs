//! What people wrote into a genome: labels ("Mouth and eye", "Wings top") saying what a
//! link or node controls, as CPPN-X lets its users add them, and the other per-gene
//! extras CPPN-X files carry (original weight, position, note, slider bookends). They
//! ride along with the genome through files, mutation and crossover; evaluation never
//! reads them.

use super::genome::{Genome, Marking};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// A label: its id (as CPPN-X numbers them, from 1), text, and colour.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Label {
    pub id: u32,
    pub text: String,
    pub colour: [u8; 3],
}

/// A link's weight slider range in CPPN-X.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Bookends {
    pub start: f64,
    pub end: f64,
    pub step: f64,
}

/// The annotations of one genome, keyed by gene marking. Entries for genes the genome
/// no longer has are dropped by [`Notes::prune`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Notes {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<Label>,
    /// Link marking -> label id.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub link_labels: BTreeMap<Marking, u32>,
    /// Node marking -> label id.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub node_labels: BTreeMap<Marking, u32>,
    /// A link's weight when the genome was first saved (CPPN-X keeps it so a user can
    /// go back after moving the slider).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub original_weights: BTreeMap<Marking, f64>,
    /// Free text a user wrote on a link or node.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub texts: BTreeMap<Marking, String>,
    /// A node's position in CPPN-X's graph view.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub positions: BTreeMap<Marking, [f64; 2]>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub bookends: BTreeMap<Marking, Bookends>,
}

impl Notes {
    pub fn is_empty(&self) -> bool {
        *self == Notes::default()
    }

    pub fn label(&self, id: u32) -> Option<&Label> {
        self.labels.iter().find(|l| l.id == id)
    }

    /// The label of a link, if it has one that exists.
    pub fn link_label(&self, link: Marking) -> Option<&Label> {
        self.link_labels.get(&link).and_then(|&id| self.label(id))
    }

    /// The label of a node, if it has one that exists.
    pub fn node_label(&self, node: Marking) -> Option<&Label> {
        self.node_labels.get(&node).and_then(|&id| self.label(id))
    }

    /// How many links carry each label, in label order.
    pub fn link_counts(&self) -> Vec<(&Label, usize)> {
        self.labels
            .iter()
            .map(|l| (l, self.link_labels.values().filter(|&&v| v == l.id).count()))
            .collect()
    }

    /// The smallest id no label has yet.
    pub fn next_label_id(&self) -> u32 {
        self.labels.iter().map(|l| l.id).max().unwrap_or(0) + 1
    }

    /// Drops entries for genes `g` does not have (after a mutation removed some).
    pub fn prune(&mut self, g: &Genome) {
        let nodes: BTreeSet<Marking> = g.nodes.iter().map(|n| n.id).collect();
        let links: BTreeSet<Marking> = g.links.iter().map(|l| l.id).collect();
        let gene = |m: &Marking| nodes.contains(m) || links.contains(m);
        self.link_labels.retain(|m, _| links.contains(m));
        self.node_labels.retain(|m, _| nodes.contains(m));
        self.original_weights.retain(|m, _| links.contains(m));
        self.positions.retain(|m, _| nodes.contains(m));
        self.bookends.retain(|m, _| links.contains(m));
        self.texts.retain(|m, _| gene(m));
    }

    /// Adds `other`'s labels this one lacks (same id and text counts as the same
    /// label), and its entries for genes this one has no entry for. A crossover child
    /// takes its primary parent's notes merged with the others'.
    pub fn merge(&mut self, other: &Notes) {
        let mut renumber: BTreeMap<u32, u32> = BTreeMap::new();
        for l in &other.labels {
            match self.labels.iter().find(|m| m.text == l.text) {
                Some(same) => {
                    renumber.insert(l.id, same.id);
                }
                None => {
                    let id = if self.label(l.id).is_none() {
                        l.id
                    } else {
                        self.next_label_id()
                    };
                    renumber.insert(l.id, id);
                    self.labels.push(Label { id, ..l.clone() });
                }
            }
        }
        let map = |id: &u32| renumber.get(id).copied().unwrap_or(*id);
        for (m, id) in &other.link_labels {
            self.link_labels.entry(*m).or_insert_with(|| map(id));
        }
        for (m, id) in &other.node_labels {
            self.node_labels.entry(*m).or_insert_with(|| map(id));
        }
        for (m, w) in &other.original_weights {
            self.original_weights.entry(*m).or_insert(*w);
        }
        for (m, t) in &other.texts {
            self.texts.entry(*m).or_insert_with(|| t.clone());
        }
        for (m, p) in &other.positions {
            self.positions.entry(*m).or_insert(*p);
        }
        for (m, b) in &other.bookends {
            self.bookends.entry(*m).or_insert(*b);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activation::Activation;
    use crate::cppn::genome::Link;

    fn label(id: u32, text: &str) -> Label {
        Label {
            id,
            text: text.into(),
            colour: [1, 2, 3],
        }
    }

    #[test]
    fn prune_drops_entries_of_missing_genes_and_merge_renumbers_clashing_ids() {
        let mut g = Genome::grey_skeleton(Activation::Sin);
        g.links.push(Link {
            id: Marking::new(1, 1),
            source: Marking::new(0, 0),
            target: Marking::new(0, 4),
            weight: 1.0,
        });
        let mut a = Notes {
            labels: vec![label(1, "Eyes")],
            ..Notes::default()
        };
        a.link_labels.insert(Marking::new(1, 1), 1);
        a.link_labels.insert(Marking::new(9, 9), 1);
        a.prune(&g);
        assert_eq!(a.link_labels.len(), 1);
        assert_eq!(a.link_counts()[0].1, 1);

        let mut b = Notes {
            labels: vec![label(1, "Mouth"), label(2, "Eyes")],
            ..Notes::default()
        };
        b.link_labels.insert(Marking::new(2, 2), 1);
        b.link_labels.insert(Marking::new(3, 3), 2);
        a.merge(&b);
        assert_eq!(a.labels.len(), 2);
        assert_eq!(a.link_label(Marking::new(2, 2)).unwrap().text, "Mouth");
        assert_eq!(a.link_label(Marking::new(3, 3)).unwrap().text, "Eyes");
        assert_eq!(a.link_label(Marking::new(1, 1)).unwrap().text, "Eyes");
    }
}
