//! Novelty search (Lehman & Stanley 2011): a genome's fitness is how far its picture's
//! sketch lies from its k nearest neighbours among the population and an archive of
//! earlier novel pictures. The archive keeps what was novel when it was found, so
//! search keeps moving on instead of circling back.

use super::descriptor::{Sketch, distance};
use super::vptree::VpTree;
use crate::cppn::Genome;
use serde::{Deserialize, Serialize};

/// How novelty is scored and the archive filled.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NoveltyConfig {
    /// Neighbours averaged over. Default 15 (Lehman & Stanley's).
    pub k: usize,
    /// Novelty a picture needs to enter the archive, at the start. Default 0.15 (RMS
    /// colour difference of the 8x8 sketches, in [0, 1]).
    pub threshold: f32,
    /// The threshold rises by this factor after a generation adding more than
    /// [`NoveltyConfig::many`] pictures, and falls by it after [`NoveltyConfig::idle`]
    /// generations adding none, so the archive grows steadily. Default 1.2.
    pub adjust: f32,
    /// Default 4.
    pub many: usize,
    /// Default 5.
    pub idle: usize,
}

impl Default for NoveltyConfig {
    fn default() -> Self {
        NoveltyConfig {
            k: 15,
            threshold: 0.15,
            adjust: 1.2,
            many: 4,
            idle: 5,
        }
    }
}

/// The archive: novel pictures' genomes and sketches, and a tree over most of the sketches
/// (those added since it was built are searched one by one until the next rebuild).
pub struct Archive {
    pub genomes: Vec<Genome>,
    pub sketches: Vec<Sketch>,
    /// The novelty each had when it entered.
    pub scores: Vec<f32>,
    tree: VpTree,
    /// `sketches[..built]` are in the tree.
    built: usize,
    pub threshold: f32,
    idle: usize,
}

impl Archive {
    pub fn new(threshold: f32) -> Archive {
        Archive {
            genomes: vec![],
            sketches: vec![],
            scores: vec![],
            tree: VpTree::build(&[]),
            built: 0,
            threshold,
            idle: 0,
        }
    }

    pub fn len(&self) -> usize {
        self.sketches.len()
    }

    pub fn is_empty(&self) -> bool {
        self.sketches.is_empty()
    }

    /// Distances from `sketch` to its `k` nearest archive members, nearest first.
    pub fn nearest(&self, sketch: &[f32], k: usize) -> Vec<f32> {
        let mut found: Vec<f32> = self
            .tree
            .nearest(&self.sketches[..self.built], sketch, k)
            .iter()
            .map(|n| n.distance)
            .collect();
        found.extend(
            self.sketches[self.built..]
                .iter()
                .map(|l| distance(l, sketch)),
        );
        found.sort_by(f32::total_cmp);
        found.truncate(k);
        found
    }

    /// Adds `genome` if its novelty `score` reaches the threshold and no member has
    /// the same sketch (a copy of a member is never novel). True if it was added.
    pub fn consider(&mut self, genome: &Genome, sketch: &[f32], score: f32) -> bool {
        if score < self.threshold || self.nearest(sketch, 1).first().is_some_and(|&d| d == 0.0) {
            return false;
        }
        self.genomes.push(genome.clone());
        self.sketches.push(sketch.to_vec());
        self.scores.push(score);
        // The tree is rebuilt when the sketches outside it outnumber the square root of
        // those in it: queries stay near logarithmic, rebuilds rare.
        let outside = self.sketches.len() - self.built;
        if outside * outside > self.built.max(64 * 64) {
            self.tree = VpTree::build(&self.sketches);
            self.built = self.sketches.len();
        }
        true
    }

    /// Moves the threshold after a generation that added `added` pictures.
    pub fn adjust(&mut self, added: usize, config: &NoveltyConfig) {
        if added > config.many {
            self.threshold *= config.adjust;
            self.idle = 0;
        } else if added == 0 {
            self.idle += 1;
            if self.idle >= config.idle {
                self.threshold /= config.adjust;
                self.idle = 0;
            }
        } else {
            self.idle = 0;
        }
    }
}

/// The novelty of each of `sketches`: the mean distance to its `k` nearest among the
/// other sketches and the archive (fewer if there are fewer). 0 if there is nothing to
/// compare with.
pub fn novelty(sketches: &[Sketch], archive: &Archive, k: usize) -> Vec<f32> {
    use rayon::prelude::*;
    (0..sketches.len())
        .into_par_iter()
        .map(|i| {
            let mut near: Vec<f32> = sketches
                .iter()
                .enumerate()
                .filter(|&(j, _)| j != i)
                .map(|(_, l)| distance(l, &sketches[i]))
                .collect();
            near.extend(archive.nearest(&sketches[i], k));
            mean_of_nearest(near, k)
        })
        .collect()
}

/// The mean of the `k` smallest of `distances` (0 if empty).
pub fn mean_of_nearest(mut distances: Vec<f32>, k: usize) -> f32 {
    distances.sort_by(f32::total_cmp);
    distances.truncate(k.max(1));
    if distances.is_empty() {
        0.0
    } else {
        distances.iter().sum::<f32>() / distances.len() as f32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g() -> Genome {
        crate::cppn::genome::tests::tiny()
    }

    #[test]
    fn a_copy_of_a_member_has_no_novelty_and_does_not_enter() {
        let mut a = Archive::new(0.05);
        let sketches: Vec<Sketch> = (0..10).map(|i| vec![i as f32 / 10.0; 6]).collect();
        for l in &sketches {
            assert!(a.consider(&g(), l, 1.0));
        }
        assert_eq!(a.len(), 10);
        // Its nearest neighbour is itself: novelty over one neighbour is zero.
        assert_eq!(mean_of_nearest(a.nearest(&sketches[4], 1), 1), 0.0);
        // However novel the population makes it sketch, a copy does not enter.
        assert!(!a.consider(&g(), &sketches[4], 9.0));
        // Nor does a picture below the threshold; one far away does.
        assert!(!a.consider(&g(), &[0.05; 6], 0.01));
        assert!(a.consider(&g(), &[5.0; 6], 0.5));
        assert_eq!(a.len(), 11);
    }

    #[test]
    fn novelty_is_the_mean_distance_to_the_nearest() {
        let a = Archive::new(0.0);
        let sketches: Vec<Sketch> = vec![vec![0.0], vec![0.1], vec![0.3], vec![1.0]];
        let n = novelty(&sketches, &a, 2);
        assert!((n[0] - 0.2).abs() < 1e-6, "{n:?}"); // (0.1 + 0.3) / 2
        assert!((n[3] - 0.8).abs() < 1e-6, "{n:?}"); // (0.7 + 0.9) / 2
    }

    #[test]
    fn the_archive_answers_as_brute_force_across_rebuilds() {
        let mut a = Archive::new(0.0);
        let mut all = vec![];
        for i in 0..6000u32 {
            let l: Sketch = (0..4)
                .map(|k| ((i.wrapping_mul(2_654_435_761) >> (k * 7)) % 1000) as f32 / 1000.0)
                .collect();
            if a.consider(&g(), &l, 1.0) {
                all.push(l);
            }
        }
        assert!(a.built > 0 && a.built < a.len() + 1);
        let q = vec![0.5; 4];
        let mut want: Vec<f32> = all.iter().map(|l| distance(l, &q)).collect();
        want.sort_by(f32::total_cmp);
        want.truncate(7);
        assert_eq!(a.nearest(&q, 7), want);
    }
}
