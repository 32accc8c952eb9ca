//! Hand edits of a genome, each returning a new valid genome or saying why not. The
//! graph view calls these; undo is the caller keeping the old genome.

use super::genome::{Genome, GenomeError, Link, Marking, NodeKind};
use crate::activation::Activation;

/// Why a hand edit was refused.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum EditError {
    #[error("{0} is not a finite weight")]
    NotFinite(f64),
    #[error("there is no link {0}")]
    NoLink(Marking),
    #[error("there is no node {0}")]
    NoNode(Marking),
    #[error("an input node's activation cannot change")]
    InputActivation,
    #[error("only hidden nodes can be deleted (inputs and outputs are fixed)")]
    NotHidden,
    #[error("both ends must be nodes of this genome")]
    Stranger,
    #[error("a link cannot point into an input")]
    IntoInput,
    #[error("{0} already links to {1}")]
    Exists(Marking, Marking),
    #[error("a link {0} -> {1} would close a cycle")]
    Cycle(Marking, Marking),
    /// The edited genome does not hold together.
    #[error(transparent)]
    Invalid(#[from] GenomeError),
}

/// The branch hand-made links are marked with (innovation markers stay unique).
pub const EDIT_BRANCH: u64 = 0xED17;

/// A genome with one link's weight changed (must be finite).
pub fn set_weight(g: &Genome, link: Marking, weight: f64) -> Result<Genome, EditError> {
    if !weight.is_finite() {
        return Err(EditError::NotFinite(weight));
    }
    let mut out = g.clone();
    let l = out
        .links
        .iter_mut()
        .find(|l| l.id == link)
        .ok_or(EditError::NoLink(link))?;
    l.weight = weight;
    Ok(out)
}

/// A genome with one node's activation changed (inputs keep identity).
pub fn set_activation(
    g: &Genome,
    node: Marking,
    activation: Activation,
) -> Result<Genome, EditError> {
    let mut out = g.clone();
    let n = out
        .nodes
        .iter_mut()
        .find(|n| n.id == node)
        .ok_or(EditError::NoNode(node))?;
    if matches!(n.kind, NodeKind::Input(_)) {
        return Err(EditError::InputActivation);
    }
    n.activation = activation;
    Ok(out)
}

/// The genome with other labels and notes (for entries of genes it has).
pub fn set_notes(g: &Genome, mut notes: super::notes::Notes) -> Genome {
    notes.prune(g);
    Genome { notes, ..g.clone() }
}

pub fn delete_link(g: &Genome, link: Marking) -> Result<Genome, EditError> {
    let mut out = g.clone();
    let before = out.links.len();
    out.links.retain(|l| l.id != link);
    if out.links.len() == before {
        return Err(EditError::NoLink(link));
    }
    let mut notes = std::mem::take(&mut out.notes);
    notes.prune(&out);
    out.notes = notes;
    Ok(out)
}

/// Removes a hidden node and every link touching it.
pub fn delete_node(g: &Genome, node: Marking) -> Result<Genome, EditError> {
    match g.node(node).map(|n| n.kind) {
        None => return Err(EditError::NoNode(node)),
        Some(NodeKind::Hidden) => {}
        Some(_) => {
            return Err(EditError::NotHidden);
        }
    }
    let mut out = g.clone();
    out.nodes.retain(|n| n.id != node);
    out.links.retain(|l| l.source != node && l.target != node);
    let mut notes = std::mem::take(&mut out.notes);
    notes.prune(&out);
    out.notes = notes;
    Ok(out)
}

/// Adds a link `source -> target`, refusing one into an input, one that already exists,
/// or one that would close a cycle.
pub fn add_link(
    g: &Genome,
    source: Marking,
    target: Marking,
    weight: f64,
) -> Result<Genome, EditError> {
    let (Some(_), Some(t)) = (g.node(source), g.node(target)) else {
        return Err(EditError::Stranger);
    };
    if matches!(t.kind, NodeKind::Input(_)) {
        return Err(EditError::IntoInput);
    }
    if g.links
        .iter()
        .any(|l| l.source == source && l.target == target)
    {
        return Err(EditError::Exists(source, target));
    }
    if source == target || reaches(g, target, source) {
        return Err(EditError::Cycle(source, target));
    }
    let id = g
        .links
        .iter()
        .filter(|l| l.id.branch == EDIT_BRANCH)
        .map(|l| l.id.id + 1)
        .max();
    let mut out = g.clone();
    out.links.push(Link {
        id: Marking::new(EDIT_BRANCH, id.unwrap_or(0)),
        source,
        target,
        weight,
    });
    out.validate()?;
    Ok(out)
}

/// Whether `to` can be reached from `from` by following links forwards.
fn reaches(g: &Genome, from: Marking, to: Marking) -> bool {
    let mut stack = vec![from];
    let mut seen = std::collections::HashSet::new();
    while let Some(n) = stack.pop() {
        if n == to {
            return true;
        }
        if seen.insert(n) {
            stack.extend(g.links.iter().filter(|l| l.source == n).map(|l| l.target));
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cppn::genome::tests::tiny;

    fn m(id: u64) -> Marking {
        Marking::new(0, id)
    }

    #[test]
    fn every_edit_keeps_the_genome_valid() {
        let g = tiny();
        let edits = [
            set_weight(&g, m(10), -2.5),
            set_activation(&g, m(5), Activation::Cos),
            delete_link(&g, m(11)),
            delete_node(&g, m(5)),
            add_link(&g, m(1), m(5), 0.7),
        ];
        for e in edits {
            let e = e.unwrap();
            assert_eq!(e.validate(), Ok(vec![]));
            assert_ne!(e, g);
        }
        assert_eq!(delete_node(&g, m(5)).unwrap().links.len(), 1);
    }

    #[test]
    fn refuses_bad_edits() {
        let g = tiny();
        assert!(
            add_link(&g, m(4), m(5), 1.0)
                .unwrap_err()
                .to_string()
                .contains("cycle")
        ); // ink -> sin -> ink
        assert!(
            add_link(&g, m(5), m(5), 1.0)
                .unwrap_err()
                .to_string()
                .contains("cycle")
        );
        assert!(
            add_link(&g, m(5), m(0), 1.0)
                .unwrap_err()
                .to_string()
                .contains("input")
        );
        assert!(
            add_link(&g, m(2), m(5), 1.0)
                .unwrap_err()
                .to_string()
                .contains("already")
        );
        assert!(delete_node(&g, m(4)).is_err());
        assert!(set_activation(&g, m(0), Activation::Sin).is_err());
        assert!(set_weight(&g, m(10), f64::INFINITY).is_err());
        assert!(delete_link(&g, m(99)).is_err());
    }

    #[test]
    fn added_links_get_fresh_markings() {
        let g = add_link(&tiny(), m(1), m(5), 0.5).unwrap();
        let g = add_link(&g, m(1), m(4), 0.5).unwrap();
        let ids: Vec<Marking> = g
            .links
            .iter()
            .map(|l| l.id)
            .filter(|id| id.branch == EDIT_BRANCH)
            .collect();
        assert_eq!(
            ids,
            vec![Marking::new(EDIT_BRANCH, 0), Marking::new(EDIT_BRANCH, 1)]
        );
    }
}
