//! The session-wide innovation counter: where new genes get their markings.
//!
//! NEAT aligns genomes at crossover by the markings of their genes, so a marking must
//! name one gene only. Every marking made here carries the session's own `branch` and an
//! `id` from one ever-growing counter shared by nodes and links, so new genes never
//! collide with each other nor with genes read from elsewhere (Picbreeder's branches are
//! its image numbers, far below [`SESSION_BRANCH_BASE`]).
//!
//! Within one generation the same structural change gets the same marking (NEAT's
//! innovation list): two children that both add a link from `a` to `b`, or both split
//! link `l`, get identical genes, so their descendants align at crossover.
//! Call [`Innovations::start_generation`] before making each generation.

use super::genome::{Genome, Input, Marking, Output};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Session branches start here, above any Picbreeder image number.
pub const SESSION_BRANCH_BASE: u64 = 1_000_000_000;

/// Ids below this in a session's branch are reserved for the input and output nodes, so
/// that every genome a session makes from scratch shares them and aligns on them.
pub const RESERVED_IDS: u64 = 16;

/// The largest id a marking read from a file may have: below 2^64 by far, so counting on
/// from one never wraps round to ids already used ("node ... appears twice").
pub const MAX_ID: u64 = 1 << 63;

/// The largest a session's counter may be when it is read: a real session is far below
/// (one gene a nanosecond for a century is 3e18), and the 2^62 ids between this and
/// [`MAX_ID`] are more than any session bred from it will use, so what it saves reads
/// back.
pub const MAX_COUNTER: u64 = 1 << 62;

/// Hands out fresh markings. Serializable with a session, so a loaded session continues
/// numbering where it stopped. Two counters are equal when they will hand out the same
/// markings from the next generation on (the per-generation list is not compared).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Innovations {
    branch: u64,
    next: u64,
    /// This generation's link innovations: (source, target) to the link's marking.
    #[serde(skip)]
    links: BTreeMap<(Marking, Marking), Marking>,
    /// This generation's split innovations: split link to (node, link in, link out).
    #[serde(skip)]
    splits: BTreeMap<Marking, (Marking, Marking, Marking)>,
}

impl PartialEq for Innovations {
    fn eq(&self, other: &Self) -> bool {
        (self.branch, self.next) == (other.branch, other.next)
    }
}

impl Eq for Innovations {}

impl Innovations {
    /// A counter whose markings all have this branch.
    pub fn new(branch: u64) -> Innovations {
        Innovations {
            branch,
            next: RESERVED_IDS,
            links: BTreeMap::new(),
            splits: BTreeMap::new(),
        }
    }

    /// The counter of a session with this seed: its branch is derived from the seed.
    pub fn for_seed(seed: u64) -> Innovations {
        Innovations::new(SESSION_BRANCH_BASE + seed % SESSION_BRANCH_BASE)
    }

    pub fn branch(&self) -> u64 {
        self.branch
    }

    /// The id the next fresh marking will get.
    pub fn next_id(&self) -> u64 {
        self.next
    }

    /// A marking never handed out before.
    pub fn fresh(&mut self) -> Marking {
        let m = Marking::new(self.branch, self.next);
        self.next += 1;
        m
    }

    /// Forgets this generation's innovation list (markings stay used).
    pub fn start_generation(&mut self) {
        self.links.clear();
        self.splits.clear();
    }

    /// Makes sure future markings differ from every marking in `genome` (needed when a
    /// genome from a file carries this session's branch).
    pub fn observe(&mut self, genome: &Genome) {
        self.skip_to(self.first_free(genome));
    }

    /// The id [`Innovations::observe`] would make the next one: read-only, so many
    /// genomes can be looked at on several threads and the largest taken.
    pub fn first_free(&self, genome: &Genome) -> u64 {
        let own = genome
            .nodes
            .iter()
            .map(|n| n.id)
            .chain(genome.links.iter().map(|l| l.id))
            .filter(|m| m.branch == self.branch)
            .map(|m| m.id.saturating_add(1));
        own.fold(self.next, u64::max)
    }

    /// Makes future markings' ids `next` or more.
    pub fn skip_to(&mut self, next: u64) {
        self.next = self.next.max(next);
    }

    /// The marking for a new link from `source` to `target`: the same one for the same
    /// pair within a generation.
    pub fn link(&mut self, source: Marking, target: Marking) -> Marking {
        if let Some(&m) = self.links.get(&(source, target)) {
            return m;
        }
        let m = self.fresh();
        self.links.insert((source, target), m);
        m
    }

    /// Markings for splitting `link`: (new node, link into it, link out of it); the same
    /// ones for the same link within a generation.
    pub fn split(&mut self, link: Marking) -> (Marking, Marking, Marking) {
        if let Some(&s) = self.splits.get(&link) {
            return s;
        }
        let s = (self.fresh(), self.fresh(), self.fresh());
        self.splits.insert(link, s);
        s
    }

    /// The reserved marking of an input node in this session's branch.
    pub fn input(&self, input: Input) -> Marking {
        let id = match input {
            Input::X => 0,
            Input::Y => 1,
            Input::D => 2,
            Input::Bias => 3,
        };
        Marking::new(self.branch, id)
    }

    /// The reserved marking of an output node. `ink` and `brightness` share one, because
    /// adding colour turns the one into the other.
    pub fn output(&self, output: Output) -> Marking {
        let id = match output {
            Output::Ink | Output::Brightness => 4,
            Output::Hue => 5,
            Output::Saturation => 6,
        };
        Marking::new(self.branch, id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cppn::genome::tests::tiny;

    #[test]
    fn fresh_markings_never_repeat_and_survive_serde() {
        let mut inn = Innovations::for_seed(7);
        let a = inn.fresh();
        let b = inn.fresh();
        assert_ne!(a, b);
        assert_eq!(a.branch, SESSION_BRANCH_BASE + 7);
        let text = serde_json::to_string(&inn).unwrap();
        let mut back: Innovations = serde_json::from_str(&text).unwrap();
        assert_eq!(back, inn);
        assert_ne!(back.fresh(), b);
    }

    #[test]
    fn same_change_same_marking_within_a_generation_only() {
        let mut inn = Innovations::new(5);
        let (s, t) = (Marking::new(0, 1), Marking::new(0, 2));
        assert_eq!(inn.link(s, t), inn.link(s, t));
        assert_eq!(inn.split(s), inn.split(s));
        let first = inn.link(s, t);
        inn.start_generation();
        assert_ne!(inn.link(s, t), first);
    }

    #[test]
    fn observe_skips_markings_in_use() {
        let mut g = tiny();
        let mut inn = Innovations::new(0);
        inn.observe(&g);
        assert!(inn.next_id() > 13);
        g.links[0].id = Marking::new(0, 500);
        inn.observe(&g);
        assert_eq!(inn.fresh(), Marking::new(0, 501));
    }
}
