//! Varied children: a generation is bred from more candidates than it shows, and the
//! grid keeps the most mutually different ones, so that no two children look alike
//! unless the parents leave no choice. Difference is the pixel distance of small
//! thumbnails; the choice is greedy farthest-point: each next child is the candidate
//! farthest from everything already shown (the parents first).

use super::thumbnails::render_thumbnail;
use crate::cppn::genome::Genome;
use rayon::prelude::*;
use std::sync::atomic::{AtomicBool, Ordering};

/// Candidates bred for each child shown.
pub const CANDIDATES_PER_CHILD: usize = 3;
/// Side of the thumbnails compared, in pixels.
pub const COMPARED_SIZE: usize = 32;

/// A picture as compared: RGB in [0, 1], or `None` if the genome does not render.
pub type Look = Option<Vec<f32>>;

/// What two children are compared by: `genome` drawn at [`COMPARED_SIZE`], RGB.
pub fn look(genome: &Genome) -> Look {
    let img = render_thumbnail(genome, COMPARED_SIZE).ok()?;
    Some(
        img.rgba
            .chunks_exact(4)
            .flat_map(|p| [p[0], p[1], p[2]])
            .map(|v| f32::from(v) / 255.0)
            .collect(),
    )
}

/// Every genome's look, rendered in parallel; `None` (all of them) once `cancel` is set.
pub fn looks(genomes: &[Genome], cancel: &AtomicBool) -> Option<Vec<Look>> {
    let looks: Vec<Option<Look>> = genomes
        .par_iter()
        .map(|g| (!cancel.load(Ordering::Relaxed)).then(|| look(g)))
        .collect();
    looks.into_iter().collect()
}

/// The root-mean-square difference of two looks (0 to 1); a look that did not render
/// is at no distance from anything, so it is chosen last.
pub fn distance(a: &Look, b: &Look) -> f32 {
    match (a, b) {
        (Some(a), Some(b)) if a.len() == b.len() && !a.is_empty() => {
            // Eight running sums, so the compiler can use vector lanes.
            let mut lanes = [0f32; 8];
            let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
            let tail: f32 = (ca.remainder().iter().zip(cb.remainder()))
                .map(|(x, y)| (x - y) * (x - y))
                .sum();
            for (x, y) in ca.zip(cb) {
                for k in 0..8 {
                    let d = x[k] - y[k];
                    lanes[k] += d * d;
                }
            }
            ((lanes.iter().sum::<f32>() + tail) / a.len() as f32).sqrt()
        }
        _ => 0.0,
    }
}

/// The least distance between two of `looks` (infinite for fewer than two).
pub fn min_pairwise(looks: &[&Look]) -> f32 {
    let mut least = f32::INFINITY;
    for (i, a) in looks.iter().enumerate() {
        for b in &looks[i + 1..] {
            least = least.min(distance(a, b));
        }
    }
    least
}

/// Which `n` of the `candidates` to show beside the `shown` (the kept parents), as
/// indices into `candidates`, ascending. Greedy farthest-point from the shown set (the
/// earlier candidate on a tie); the first `n` instead if that spreads them no less
/// (greedy is not always best), so the choice is never worse than breeding `n`.
pub fn choose(shown: &[Look], candidates: &[Look], n: usize) -> Vec<usize> {
    let n = n.min(candidates.len());
    let first: Vec<usize> = (0..n).collect();
    if n == candidates.len() {
        return first;
    }
    // Each candidate's distance to the nearest look chosen so far.
    let mut nearest: Vec<f32> = candidates
        .iter()
        .map(|c| {
            shown
                .iter()
                .map(|s| distance(c, s))
                .fold(f32::INFINITY, f32::min)
        })
        .collect();
    let mut taken = vec![false; candidates.len()];
    let mut chosen = Vec::with_capacity(n);
    for _ in 0..n {
        let mut best: Option<usize> = None;
        for (i, &d) in nearest.iter().enumerate() {
            if !taken[i] && best.is_none_or(|b| d > nearest[b]) {
                best = Some(i);
            }
        }
        let b = best.expect("fewer chosen than candidates");
        taken[b] = true;
        chosen.push(b);
        for (i, d) in nearest.iter_mut().enumerate() {
            if !taken[i] {
                *d = d.min(distance(&candidates[i], &candidates[b]));
            }
        }
    }
    chosen.sort_unstable();
    let spread = |set: &[usize]| {
        let all: Vec<&Look> = shown
            .iter()
            .chain(set.iter().map(|&i| &candidates[i]))
            .collect();
        min_pairwise(&all)
    };
    if spread(&chosen) >= spread(&first) {
        chosen
    } else {
        first
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flat(v: f32) -> Look {
        Some(vec![v; 12])
    }

    #[test]
    fn the_farthest_are_kept_and_near_duplicates_left_out() {
        // A parent at 0; candidates 0.01 and 0.02 are near it and each other.
        let shown = [flat(0.0)];
        let cands = [flat(0.01), flat(0.02), flat(0.5), flat(1.0), flat(0.49)];
        assert_eq!(choose(&shown, &cands, 2), [2, 3]);
        assert_eq!(choose(&shown, &cands, 5), [0, 1, 2, 3, 4]);
        // No render: at no distance from anything, chosen last.
        assert_eq!(choose(&shown, &[None, flat(0.3)], 1), [1]);
        assert_eq!(distance(&flat(0.0), &flat(1.0)), 1.0);
        // Lengths not a multiple of eight count every value.
        let (a, b) = (
            Some(vec![0.0; 11]),
            Some([vec![0.0; 10], vec![1.1]].concat()),
        );
        assert!((distance(&a, &b) - (1.21f32 / 11.0).sqrt()).abs() < 1e-6);
    }
}
