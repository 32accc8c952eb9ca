//! Paths, side by side: how evolution got to a picture (the lineage's chosen parents,
//! root first) above how SGD got there (the run's snapshots at steps 0, 100, 200, 400,
//! 1,000, then every tenth of the run, and the last), as the paper's path figures.

use super::ExperimentError;
use super::jobs::Prepared;
use super::stones::Stone;
use crate::cppn::program::Program;
use crate::dense::net::DenseNet;
use crate::figure::{Figure, captioned_rows};
use crate::grid::Grid;
use crate::image::Image;
use crate::sgd::trainer::psnr_of_mse;
use std::sync::atomic::{AtomicBool, Ordering};

/// The steps of a `total`-step run the path shows: 0, 100, 200, 400 and 1,000 (those
/// within the run), every tenth of the run, and the last; ascending, no repeats.
pub fn path_steps(total: u64) -> Vec<u64> {
    let mut out: Vec<u64> = [0, 100, 200, 400, 1000]
        .into_iter()
        .filter(|&s| s <= total)
        .chain((1..=10).map(|k| k * total / 10))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Which of the kept snapshots (their steps, ascending) the path shows: for each of
/// [`path_steps`] of the newest, the kept one nearest to it; ascending, no repeats.
/// A run that keeps [`crate::sgd::run::is_path_step`] steps has every wanted one of the
/// first 1,000 steps and the thousands after.
pub fn columns(kept: &[u64]) -> Vec<usize> {
    let Some(&last) = kept.last() else {
        return vec![];
    };
    let mut out: Vec<usize> = path_steps(last)
        .into_iter()
        .map(|want| {
            (0..kept.len())
                .min_by_key(|&i| kept[i].abs_diff(want))
                .expect("kept is not empty")
        })
        .collect();
    out.dedup();
    out
}

/// One snapshot of an SGD run.
#[derive(Clone, Debug)]
pub struct Snapshot {
    pub step: u64,
    /// PSNR (dB) of the net's picture against the target at that step.
    pub psnr: f64,
    pub net: DenseNet,
}

/// Trains the study's net (seed `seed`) directly on the final image for `steps` steps,
/// keeping the snapshots at [`path_steps`]`(steps)`. `on_step` hears the steps done.
pub fn train_path(
    prepared: &Prepared,
    seed: u64,
    steps: u64,
    cancel: &AtomicBool,
    on_step: &mut dyn FnMut(u64),
) -> Result<Vec<Snapshot>, ExperimentError> {
    let target = prepared.images.last().expect("a final image");
    let mut t = prepared
        .start(seed)?
        .trainer(target, prepared.config(seed))
        .map_err(|e| ExperimentError::Setup(e.to_string()))?;
    let wanted = path_steps(steps);
    let mut out = vec![];
    loop {
        let done = t.steps_done();
        if wanted.binary_search(&done).is_ok() {
            out.push(Snapshot {
                step: done,
                psnr: t.psnr(),
                net: t.net(),
            });
        }
        if done >= steps {
            return Ok(out);
        }
        if cancel.load(Ordering::Relaxed) {
            return Err(ExperimentError::Cancelled);
        }
        let s = t.step();
        on_step(s.step);
        if let Some(c) = s.collapse {
            return Err(ExperimentError::Setup(format!(
                "the run collapsed ({c}); try another seed or a smaller learning rate"
            )));
        }
        if !psnr_of_mse(s.loss).is_finite() {
            return Err(ExperimentError::Setup(
                "the loss diverged; try a smaller learning rate".into(),
            ));
        }
    }
}

/// The stones' pictures at `size` x `size`, titled by generation (1-based, as the
/// window counts them).
pub fn lineage_pictures(stones: &[Stone], size: usize) -> Vec<(String, Image)> {
    let grid = Grid::square(size);
    stones
        .iter()
        .map(|s| {
            // A genome that does not compile (none of a bred session's) shows blank.
            let img = Program::compile(&s.genome)
                .map(|p| p.render(&grid))
                .unwrap_or_else(|_| Image::new(size, size));
            (format!("gen {}", s.depth + 1), img)
        })
        .collect()
}

/// The snapshots' pictures at `size` x `size`, captioned with their step and PSNR.
pub fn snapshot_pictures(snapshots: &[Snapshot], size: usize) -> Vec<(String, Image)> {
    let grid = Grid::square(size);
    snapshots
        .iter()
        .map(|s| {
            (
                format!("step {}\n{:.1} dB", s.step, s.psnr),
                s.net.render(&grid),
            )
        })
        .collect()
}

/// The path figure: the lineage above the snapshots, each picture captioned.
pub fn figure(lineage: &[(String, Image)], snapshots: &[(String, Image)]) -> Figure {
    let row = |pics: &[(String, Image)]| {
        pics.iter()
            .map(|(caption, img)| (img.clone(), caption.clone()))
            .collect()
    };
    captioned_rows(&[
        ("evolution: the lineage, root first".into(), row(lineage)),
        ("SGD: steps and PSNR".into(), row(snapshots)),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_path_shows_the_papers_steps() {
        assert_eq!(
            path_steps(10_000),
            [
                0, 100, 200, 400, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10_000
            ]
        );
        assert_eq!(
            path_steps(300),
            [0, 30, 60, 90, 100, 120, 150, 180, 200, 210, 240, 270, 300]
        );
        assert_eq!(path_steps(0), [0]);
    }

    #[test]
    fn columns_pick_the_nearest_kept_snapshots() {
        // A window run kept 0, 100, 200, 400 and every 1,000, and its newest at 4,321.
        let kept = [0, 100, 200, 400, 1000, 2000, 3000, 4000, 4321];
        let steps: Vec<u64> = columns(&kept).into_iter().map(|i| kept[i]).collect();
        assert_eq!(steps, [0, 100, 200, 400, 1000, 2000, 3000, 4000, 4321]);
        assert!(columns(&[]).is_empty());
        assert_eq!(columns(&[7]), [0]);
    }
}
