//! Reachability over a genome's links: what mutation and crossover ask before adding a
//! link, so that they never close a cycle.

use super::genome::{Genome, Marking};
use std::collections::HashMap;

/// The links of a genome as adjacency lists (source to targets), growable.
#[derive(Clone, Debug, Default)]
pub struct Graph {
    index: HashMap<Marking, usize>,
    out: Vec<Vec<usize>>,
}

impl Graph {
    /// The graph of every node and link of `genome` (links whose ends are missing are
    /// left out).
    pub fn of(genome: &Genome) -> Graph {
        let mut g = Graph::default();
        for n in &genome.nodes {
            g.add_node(n.id);
        }
        for l in &genome.links {
            g.add_link(l.source, l.target);
        }
        g
    }

    pub fn add_node(&mut self, id: Marking) -> usize {
        let next = self.out.len();
        let i = *self.index.entry(id).or_insert(next);
        if i == next {
            self.out.push(Vec::new());
        }
        i
    }

    /// Adds a link; ignored if either end is unknown.
    pub fn add_link(&mut self, source: Marking, target: Marking) {
        if let (Some(&s), Some(&t)) = (self.index.get(&source), self.index.get(&target)) {
            self.out[s].push(t);
        }
    }

    /// Whether a path of links leads from `from` to `to` (a node reaches itself).
    pub fn reaches(&self, from: Marking, to: Marking) -> bool {
        let (Some(&f), Some(&t)) = (self.index.get(&from), self.index.get(&to)) else {
            return false;
        };
        self.descendants_of(f)[t]
    }

    /// Whether a link `source -> target` would close a cycle.
    pub fn closes_cycle(&self, source: Marking, target: Marking) -> bool {
        self.reaches(target, source)
    }

    /// For every node (by insertion index, which is genome order for [`Graph::of`]):
    /// is it reachable from `node` (itself included)?
    pub fn descendants(&self, node: Marking) -> Vec<bool> {
        match self.index.get(&node) {
            Some(&i) => self.descendants_of(i),
            None => vec![false; self.out.len()],
        }
    }

    /// Each node's place in a topological order of the links (Kahn's algorithm): a link
    /// from a lower place to a higher one can never close a cycle among links that all
    /// run that way. Nodes on or behind a cycle get no place.
    pub fn topological_places(&self) -> HashMap<Marking, usize> {
        let mut incoming = vec![0usize; self.out.len()];
        for targets in &self.out {
            for &t in targets {
                incoming[t] += 1;
            }
        }
        let mut ready: Vec<usize> = (0..self.out.len()).filter(|&n| incoming[n] == 0).collect();
        let mut place = vec![usize::MAX; self.out.len()];
        let mut next = 0;
        while let Some(n) = ready.pop() {
            place[n] = next;
            next += 1;
            for &m in &self.out[n] {
                incoming[m] -= 1;
                if incoming[m] == 0 {
                    ready.push(m);
                }
            }
        }
        self.index
            .iter()
            .filter(|&(_, &i)| place[i] != usize::MAX)
            .map(|(&id, &i)| (id, place[i]))
            .collect()
    }

    fn descendants_of(&self, start: usize) -> Vec<bool> {
        let mut seen = vec![false; self.out.len()];
        let mut stack = vec![start];
        seen[start] = true;
        while let Some(n) = stack.pop() {
            for &m in &self.out[n] {
                if !seen[m] {
                    seen[m] = true;
                    stack.push(m);
                }
            }
        }
        seen
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cppn::genome::tests::tiny;

    #[test]
    fn reachability_in_tiny() {
        let g = Graph::of(&tiny());
        let m = |i| Marking::new(0, i);
        assert!(g.reaches(m(2), m(4))); // d -> hidden -> ink
        assert!(!g.reaches(m(4), m(2)));
        assert!(g.closes_cycle(m(4), m(5))); // ink -> hidden would loop
        assert!(!g.closes_cycle(m(1), m(5)));
        assert!(g.closes_cycle(m(5), m(5)));
    }

    #[test]
    fn topological_places_order_every_link_and_leave_cycles_out() {
        let g = tiny();
        let graph = Graph::of(&g);
        let places = graph.topological_places();
        assert_eq!(
            places.len(),
            g.nodes.len(),
            "an acyclic genome: every node placed"
        );
        for l in &g.links {
            assert!(places[&l.source] < places[&l.target], "{l:?}");
        }
        // A cycle between two nodes: neither is placed, nor what lies behind them.
        let mut cyclic = graph.clone();
        let (a, b) = (g.links[0].source, g.links[0].target);
        cyclic.add_link(b, a);
        let places = cyclic.topological_places();
        assert!(!places.contains_key(&a) && !places.contains_key(&b));
    }
}
