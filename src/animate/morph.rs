//! A genome between two others: the morph a lineage animation plays from a parent to its
//! child.
//!
//! Genes are matched by marking (links also by their two ends). A link both share moves
//! linearly from its weight in `a` to its weight in `b`; a link only `b` has fades in
//! from weight 0, one only `a` has fades out to 0. A node only one side has comes and
//! goes with its links (an added node appears as its new links grow). A node whose
//! activation changed becomes two nodes, the old one fading out and the new one in.
//! Outputs blend the same way when they differ: each side's output becomes a hidden
//! node feeding a new identity output with weight `1 - t` and `t`. A grey genome meets a
//! colour one as the colour genome it equals (`ink` read as brightness, saturation 0),
//! so colour fades in from grey.

use crate::cppn::{Genome, Link, Marking, Node, NodeKind, Output};
use std::collections::{HashMap, HashSet};

/// The genome `t` of the way from `a` (t = 0) to `b` (t = 1). Both must be valid; the
/// result is valid (a link that would close a cycle in the union is left to the
/// evaluator, which ignores it as it does in any genome).
pub fn morph(a: &Genome, b: &Genome, t: f64) -> Genome {
    let (mut a, mut b) = (a.clone(), b.clone());
    if a.colour_mode() != b.colour_mode() {
        for g in [&mut a, &mut b] {
            for n in &mut g.nodes {
                if n.kind == NodeKind::Output(Output::Ink) {
                    n.kind = NodeKind::Output(Output::Brightness);
                }
            }
        }
    }
    let mut fresh = Fresh::new(&a, &b);
    // Inputs are matched by what they are, not their marking.
    for n in a.nodes.clone() {
        if let NodeKind::Input(_) = n.kind
            && let Some(m) = b.node_with_kind(n.kind).map(|m| m.id)
            && m != n.id
        {
            rename(&mut b, m, n.id);
        }
    }
    // Outputs that differ blend through a new identity output.
    for kind in Output::ALL.map(NodeKind::Output) {
        let na = a.node_with_kind(kind).cloned();
        let nb = b.node_with_kind(kind).cloned();
        if na.is_none() && nb.is_none() {
            continue;
        }
        if let (Some(x), Some(y)) = (&na, &nb)
            && x.id == y.id
            && x.activation == y.activation
        {
            continue;
        }
        let out = fresh.next();
        for (g, n) in [(&mut a, &na), (&mut b, &nb)] {
            g.nodes.push(Node {
                id: out,
                kind,
                activation: crate::activation::Activation::Identity,
            });
            if let Some(n) = n {
                g.nodes
                    .iter_mut()
                    .filter(|m| m.id == n.id)
                    .for_each(|m| m.kind = NodeKind::Hidden);
                let id = fresh.next();
                g.links.push(Link {
                    id,
                    source: n.id,
                    target: out,
                    weight: 1.0,
                });
            }
        }
    }
    // A node of `b` that differs from `a`'s node of the same marking is another node.
    let a_nodes: HashMap<Marking, &Node> = a.nodes.iter().map(|n| (n.id, n)).collect();
    let clashes: Vec<Marking> = b
        .nodes
        .iter()
        .filter(|n| {
            a_nodes
                .get(&n.id)
                .is_some_and(|m| m.kind != n.kind || m.activation != n.activation)
        })
        .map(|n| n.id)
        .collect();
    for m in clashes {
        let new = fresh.next();
        rename(&mut b, m, new);
    }
    // The union, weights interpolated.
    let mut nodes = a.nodes.clone();
    let in_a: HashSet<Marking> = a.nodes.iter().map(|n| n.id).collect();
    nodes.extend(b.nodes.iter().filter(|n| !in_a.contains(&n.id)).cloned());
    let key = |l: &Link| (l.id, l.source, l.target);
    let b_links: HashMap<_, f64> = b.links.iter().map(|l| (key(l), l.weight)).collect();
    let a_keys: HashSet<_> = a.links.iter().map(key).collect();
    let mut links = Vec::with_capacity(a.links.len() + b.links.len());
    for l in &a.links {
        let weight = match b_links.get(&key(l)) {
            Some(&wb) => l.weight + (wb - l.weight) * t,
            None => l.weight * (1.0 - t),
        };
        links.push(Link {
            weight,
            ..l.clone()
        });
    }
    for l in b.links.iter().filter(|l| !a_keys.contains(&key(l))) {
        links.push(Link {
            weight: l.weight * t,
            ..l.clone()
        });
    }
    // Link markings must be unique: one reused with other ends gets a fresh one.
    let mut seen = HashSet::new();
    for l in &mut links {
        if !seen.insert(l.id) {
            l.id = fresh.next();
            seen.insert(l.id);
        }
    }
    Genome {
        nodes,
        links,
        notes: Default::default(),
    }
}

/// Replaces node marking `from` by `to` in a genome (the node and its links' ends).
fn rename(g: &mut Genome, from: Marking, to: Marking) {
    for n in g.nodes.iter_mut().filter(|n| n.id == from) {
        n.id = to;
    }
    for l in &mut g.links {
        if l.source == from {
            l.source = to;
        }
        if l.target == from {
            l.target = to;
        }
    }
}

/// Markings used by neither genome, for the genes a morph makes up.
struct Fresh {
    used: HashSet<Marking>,
    next: u64,
}

impl Fresh {
    /// A branch no breeding session uses.
    const BRANCH: u64 = u64::MAX;

    fn new(a: &Genome, b: &Genome) -> Fresh {
        let used = [a, b]
            .iter()
            .flat_map(|g| {
                g.nodes
                    .iter()
                    .map(|n| n.id)
                    .chain(g.links.iter().map(|l| l.id))
            })
            .collect();
        Fresh { used, next: 0 }
    }

    fn next(&mut self) -> Marking {
        loop {
            let m = Marking::new(Self::BRANCH, self.next);
            self.next += 1;
            if self.used.insert(m) {
                return m;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activation::Activation;
    use crate::cppn::genome::tests::tiny;
    use crate::cppn::{Innovations, Program, add_colour};
    use crate::grid::Grid;
    use crate::image::psnr;

    fn render(g: &Genome) -> crate::image::Image {
        Program::compile(g).unwrap().render(&Grid::square(48))
    }

    /// A child of `tiny`: a weight changed, a link removed, a node added by a split.
    fn child() -> Genome {
        let mut g = tiny();
        g.links[0].weight = -1.0;
        g.links.remove(3);
        g.nodes.push(Node {
            id: Marking::new(0, 20),
            kind: NodeKind::Hidden,
            activation: Activation::Gaussian,
        });
        let link = |id, s, t, w| Link {
            id: Marking::new(0, id),
            source: Marking::new(0, s),
            target: Marking::new(0, t),
            weight: w,
        };
        g.links.push(link(21, 1, 20, 2.5));
        g.links.push(link(22, 20, 4, 1.2));
        g
    }

    fn close(a: &Genome, b: &Genome) -> f64 {
        psnr(&render(a), &render(b)).unwrap()
    }

    #[test]
    fn ends_draw_the_two_genomes_and_the_middle_is_between() {
        let (a, b) = (tiny(), child());
        let m0 = morph(&a, &b, 0.0);
        let m1 = morph(&a, &b, 1.0);
        assert!(m0.validate().is_ok() && m1.validate().is_ok());
        assert!(close(&m0, &a) > 60.0, "{}", close(&m0, &a));
        assert!(close(&m1, &b) > 60.0, "{}", close(&m1, &b));
        let mid = morph(&a, &b, 0.5);
        assert!(close(&mid, &a) < 60.0 && close(&mid, &b) < 60.0);
        // The shared link moved halfway, the lost one is half gone, the new ones half in.
        let w = |g: &Genome, id| g.link(Marking::new(0, id)).unwrap().weight;
        assert_eq!(w(&mid, 10), 0.5);
        assert_eq!(w(&mid, 13), 0.5);
        assert_eq!(w(&mid, 21), 1.25);
    }

    #[test]
    fn grey_to_colour_and_a_changed_activation() {
        let a = tiny();
        let mut inn = Innovations::new(0);
        let mut b = add_colour(&a, &mut inn).unwrap();
        // Colour comes in: perturb the saturation's links, change an activation.
        let sat = b
            .node_with_kind(NodeKind::Output(Output::Saturation))
            .unwrap()
            .id;
        for l in b.links.iter_mut().filter(|l| l.target == sat) {
            l.weight = 1.5;
        }
        b.nodes[5].activation = Activation::Gaussian;
        for t in [0.0, 0.3, 1.0] {
            let m = morph(&a, &b, t);
            assert!(m.validate().is_ok(), "{t}");
        }
        assert!(close(&morph(&a, &b, 0.0), &a) > 60.0);
        assert!(close(&morph(&a, &b, 1.0), &b) > 60.0);
    }
}
