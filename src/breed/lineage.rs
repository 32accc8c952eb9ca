//! The history tree as a lineage view draws it: one node per generation, with its
//! parent, children, a representative genome for its thumbnail, and a place to draw it.

use super::generation::{GenerationId, Origin};
use super::session::Session;

/// How a generation was made, without its data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OriginKind {
    Random,
    Evolved,
    Opened,
}

/// One generation in the lineage.
#[derive(Clone, Debug, PartialEq)]
pub struct LineageNode {
    pub id: GenerationId,
    pub parent: Option<GenerationId>,
    pub children: Vec<GenerationId>,
    /// Row to draw it in: 0 for roots.
    pub depth: usize,
    /// Column to draw it in: leaves take successive columns in tree order, a parent
    /// sits above the middle of its children. Roots follow one another.
    pub column: f32,
    /// Index of the genome to show as its thumbnail ([`Session::representative`]).
    pub representative: usize,
    pub origin: OriginKind,
    /// The parent generation's genomes it was bred from.
    pub chosen: Vec<usize>,
    /// The mutation strength it was bred with, if recorded.
    pub strength: Option<f64>,
    /// It is the current generation.
    pub current: bool,
    /// It lies between its root and the current generation.
    pub on_path: bool,
}

/// The whole history tree (a forest if "re-roll" was used on a first generation).
#[derive(Clone, Debug, PartialEq)]
pub struct Lineage {
    /// Indexed by generation id.
    pub nodes: Vec<LineageNode>,
    pub roots: Vec<GenerationId>,
    pub current: GenerationId,
    /// Columns used (the width of the drawing).
    pub columns: usize,
}

impl Lineage {
    pub fn node(&self, id: GenerationId) -> Option<&LineageNode> {
        self.nodes.get(id.0)
    }

    /// Rows used (the height of the drawing).
    pub fn rows(&self) -> usize {
        self.nodes.iter().map(|n| n.depth + 1).max().unwrap_or(0)
    }
}

impl Session {
    /// The history tree, laid out for drawing.
    pub fn lineage(&self) -> Lineage {
        let gens = self.generations();
        let path = self.path();
        let mut nodes: Vec<LineageNode> = gens
            .iter()
            .map(|g| LineageNode {
                id: g.id,
                parent: g.parent,
                children: g.children.clone(),
                depth: g.depth,
                column: 0.0,
                representative: g.representative(),
                origin: match g.origin {
                    Origin::Random => OriginKind::Random,
                    Origin::Evolved { .. } => OriginKind::Evolved,
                    Origin::Opened => OriginKind::Opened,
                },
                chosen: g.chosen().to_vec(),
                strength: g.bred_with.as_ref().map(|s| s.mutation.strength),
                current: g.id == self.current_id(),
                on_path: path.contains(&g.id),
            })
            .collect();
        let roots: Vec<GenerationId> = gens
            .iter()
            .filter(|g| g.parent.is_none())
            .map(|g| g.id)
            .collect();
        // Post-order walk without recursion: leaves get the next column, parents the
        // middle of their children's.
        let mut next = 0usize;
        for &root in &roots {
            let mut stack = vec![(root, false)];
            while let Some((id, expanded)) = stack.pop() {
                let children = &gens[id.0].children;
                if children.is_empty() {
                    nodes[id.0].column = next as f32;
                    next += 1;
                } else if expanded {
                    let first = nodes[children[0].0].column;
                    let last = nodes[children[children.len() - 1].0].column;
                    nodes[id.0].column = (first + last) / 2.0;
                } else {
                    stack.push((id, true));
                    stack.extend(children.iter().rev().map(|&c| (c, false)));
                }
            }
        }
        Lineage {
            nodes,
            roots,
            current: self.current_id(),
            columns: next,
        }
    }
}
