//! A vantage-point tree over sketches: the k nearest neighbours of a query in about
//! logarithmic time for pictures, whose sketches lie near a low-dimensional surface
//! (k-d trees lose their pruning at 192 dimensions). Built once over a set of points;
//! [`super::novelty::Archive`] rebuilds it as the archive grows.

use super::descriptor::distance;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

struct VpNode {
    /// The vantage point (an index into the points).
    point: usize,
    /// Points within `radius` of it are in `inside`, the rest in `outside`.
    radius: f32,
    inside: Option<usize>,
    outside: Option<usize>,
}

/// The tree; it holds indices into the points it was built over.
pub struct VpTree {
    nodes: Vec<VpNode>,
    root: Option<usize>,
}

/// A neighbour found: its distance and index, ordered by distance (a max-heap keeps
/// the k nearest so far, the farthest on top).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Neighbour {
    pub distance: f32,
    pub index: usize,
}

impl Eq for Neighbour {}

impl PartialOrd for Neighbour {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Neighbour {
    fn cmp(&self, other: &Self) -> Ordering {
        self.distance
            .total_cmp(&other.distance)
            .then(self.index.cmp(&other.index))
    }
}

impl VpTree {
    /// A tree over `points` (each a sketch of the same length). Deterministic: the
    /// vantage point of a subtree is its first index.
    pub fn build(points: &[Vec<f32>]) -> VpTree {
        let mut tree = VpTree {
            nodes: Vec::with_capacity(points.len()),
            root: None,
        };
        let mut indices: Vec<usize> = (0..points.len()).collect();
        tree.root = tree.build_from(points, &mut indices);
        tree
    }

    fn build_from(&mut self, points: &[Vec<f32>], indices: &mut [usize]) -> Option<usize> {
        let (vp, rest) = indices.split_first_mut()?;
        let vp = *vp;
        let mut with: Vec<(f32, usize)> = rest
            .iter()
            .map(|&i| (distance(&points[vp], &points[i]), i))
            .collect();
        let mid = with.len() / 2;
        let radius = if with.is_empty() {
            0.0
        } else {
            with.select_nth_unstable_by(mid, |a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            with[mid].0
        };
        for (slot, (_, i)) in rest.iter_mut().zip(&with) {
            *slot = *i;
        }
        let me = self.nodes.len();
        self.nodes.push(VpNode {
            point: vp,
            radius,
            inside: None,
            outside: None,
        });
        // Inside: the median and those nearer; outside: the rest.
        let split = (mid + 1).min(rest.len());
        let (ins, outs) = rest.split_at_mut(split);
        let inside = self.build_from(points, ins);
        let outside = self.build_from(points, outs);
        self.nodes[me].inside = inside;
        self.nodes[me].outside = outside;
        Some(me)
    }

    /// The `k` nearest of `points` (the ones the tree was built over) to `query`,
    /// nearest first.
    pub fn nearest(&self, points: &[Vec<f32>], query: &[f32], k: usize) -> Vec<Neighbour> {
        let mut heap = BinaryHeap::with_capacity(k + 1);
        if k > 0 {
            self.search(self.root, points, query, k, &mut heap);
        }
        heap.into_sorted_vec()
    }

    fn search(
        &self,
        at: Option<usize>,
        points: &[Vec<f32>],
        query: &[f32],
        k: usize,
        heap: &mut BinaryHeap<Neighbour>,
    ) {
        let Some(at) = at else { return };
        let node = &self.nodes[at];
        let d = distance(query, &points[node.point]);
        heap.push(Neighbour {
            distance: d,
            index: node.point,
        });
        if heap.len() > k {
            heap.pop();
        }
        let tau = |heap: &BinaryHeap<Neighbour>| {
            if heap.len() < k {
                f32::INFINITY
            } else {
                heap.peek().map_or(f32::INFINITY, |n| n.distance)
            }
        };
        // The nearer side first; the other only if a nearer neighbour could lie there.
        // (Distances are RMS, a metric: the triangle inequality holds.)
        if d <= node.radius {
            self.search(node.inside, points, query, k, heap);
            if d + tau(heap) >= node.radius {
                self.search(node.outside, points, query, k, heap);
            }
        } else {
            self.search(node.outside, points, query, k, heap);
            if d - tau(heap) <= node.radius {
                self.search(node.inside, points, query, k, heap);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    #[test]
    fn finds_the_same_neighbours_as_brute_force() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        for n in [0, 1, 2, 7, 300] {
            let points: Vec<Vec<f32>> = (0..n)
                .map(|_| (0..12).map(|_| rng.random::<f32>()).collect())
                .collect();
            let tree = VpTree::build(&points);
            for _ in 0..20 {
                let q: Vec<f32> = (0..12).map(|_| rng.random::<f32>()).collect();
                for k in [1, 5, 400] {
                    let got: Vec<f32> = tree
                        .nearest(&points, &q, k)
                        .iter()
                        .map(|n| n.distance)
                        .collect();
                    let mut want: Vec<f32> = points.iter().map(|p| distance(p, &q)).collect();
                    want.sort_by(f32::total_cmp);
                    want.truncate(k);
                    assert_eq!(got, want, "n {n} k {k}");
                }
            }
        }
    }
}
