//! The step evaluator: any feed-forward network written as [`Step`]s (a compiled
//! genome, a dense net) evaluated over a pixel grid, with a progress/cancel token.
//!
//! The image is cut into blocks of [`BLOCK`] pixels; each rayon task evaluates every
//! node for one block in a scratch buffer small enough to stay in L1/L2 cache, summing a
//! node's inputs `LANES` pixels at a time in registers (one load per multiply-add)
//! and applying its activation there (one store per value), then copies out only the
//! planes asked for. So a full render at 4096x4096 never holds
//! the hidden planes, while the gallery asks for all of them from the same pass.

use crate::activation::{Activation, WithFast};
use crate::grid::{Grid, Planes, distance};
use rayon::prelude::*;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// One computed plane: `activation(sum of weight * plane[source])`.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    pub activation: Activation,
    /// `(source plane, weight)` pairs.
    pub inputs: Vec<(usize, f32)>,
}

/// Shared between a long evaluation and whoever watches it: pixels done so far, and a
/// flag that abandons the work.
#[derive(Debug, Default)]
pub struct PixelProgress {
    pub done: AtomicUsize,
    pub cancel: AtomicBool,
}

impl PixelProgress {
    pub fn pixels_done(&self) -> usize {
        self.done.load(Ordering::Relaxed)
    }

    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}

/// Pixels per task.
pub const BLOCK: usize = 256;
/// Pixels summed together in registers: 8 AVX-512 accumulators, enough independent
/// multiply-add chains for both FMA units, and room left in the 32 registers for the
/// activation's polynomial, applied before the one store (256 lanes spill; measured
/// against both in docs/benchmarks.md, "Rendering").
const LANES: usize = 128;

/// Runs `steps` (plane `4 + i` computed by `steps[i]` from earlier planes, planes 0..4
/// the inputs) and returns the planes listed in `keep`, in that order. Any feed-forward
/// network in this form evaluates here: genomes and dense nets alike.
pub fn evaluate_steps(steps: &[Step], grid: &Grid, keep: &[usize]) -> Planes {
    evaluate_steps_watched(steps, grid, keep, &PixelProgress::default()).expect("never cancelled")
}

/// As [`evaluate_steps`], counting finished pixels in `progress` and giving up (`None`)
/// soon after `progress.cancel()`.
pub fn evaluate_steps_watched(
    steps: &[Step],
    grid: &Grid,
    keep: &[usize],
    progress: &PixelProgress,
) -> Option<Planes> {
    evaluate_rows(steps, grid, 0..grid.height, keep, progress)
}

/// As [`evaluate_steps_watched`] for the rows `rows` of `grid` only, the same values as
/// those rows of the whole: a picture too big to hold is made band by band. The planes
/// are `rows.len()` high.
pub fn evaluate_rows(
    steps: &[Step],
    grid: &Grid,
    rows: std::ops::Range<usize>,
    keep: &[usize],
    progress: &PixelProgress,
) -> Option<Planes> {
    let plane_count = 4 + steps.len();
    let xs = grid.xs();
    let ys = &grid.ys()[rows];
    let n = grid.width * ys.len();
    let mut data = vec![0.0f32; keep.len() * n];
    if n > 0 {
        let dests = crate::grid::block_slices(&mut data, n, BLOCK);
        dests.into_par_iter().enumerate().for_each_init(
            || vec![0.0f32; plane_count * BLOCK],
            |scratch, (b, mut dest)| {
                if progress.is_cancelled() {
                    return;
                }
                let start = b * BLOCK;
                let len = BLOCK.min(n - start);
                fill_inputs(scratch, start, len, grid.width, &xs, ys);
                run_steps(steps, scratch);
                for (d, &p) in dest.iter_mut().zip(keep) {
                    d.copy_from_slice(&scratch[p * BLOCK..p * BLOCK + len]);
                }
                progress.done.fetch_add(len, Ordering::Relaxed);
            },
        );
    }
    let planes = Planes {
        width: grid.width,
        height: ys.len(),
        data,
    };
    (!progress.is_cancelled()).then_some(planes)
}

/// Writes x, y, d, bias for pixels `start..start + len` into planes 0..4 of a block.
fn fill_inputs(
    scratch: &mut [f32],
    start: usize,
    len: usize,
    width: usize,
    xs: &[f32],
    ys: &[f32],
) {
    let (x, rest) = scratch.split_at_mut(BLOCK);
    let (y, rest) = rest.split_at_mut(BLOCK);
    let (d, rest) = rest.split_at_mut(BLOCK);
    let bias = &mut rest[..BLOCK];
    for k in 0..BLOCK {
        // Padding pixels past the image end get (0, 0); their values are never copied out.
        let (xv, yv) = if k < len {
            let p = start + k;
            (xs[p % width], ys[p / width])
        } else {
            (0.0, 0.0)
        };
        x[k] = xv;
        y[k] = yv;
        d[k] = distance(xv, yv);
    }
    bias.fill(1.0);
}

/// Computes planes 4.. of one block from its input planes.
fn run_steps(steps: &[Step], scratch: &mut [f32]) {
    for (i, step) in steps.iter().enumerate() {
        let (before, after) = scratch.split_at_mut((4 + i) * BLOCK);
        step.activation.fast(NodeBlock {
            inputs: &step.inputs,
            before,
            dest: &mut after[..BLOCK],
        });
    }
}

/// One node over a block: its inputs' weighted sum in registers, [`LANES`] pixels at a
/// time, then the activation on the registers before the one store.
struct NodeBlock<'a> {
    inputs: &'a [(usize, f32)],
    before: &'a [f32],
    dest: &'a mut [f32],
}

impl WithFast for NodeBlock<'_> {
    type Out = ();

    #[inline(always)]
    fn with(self, f: impl Fn(f32) -> f32) {
        for (c, out) in self.dest.chunks_exact_mut(LANES).enumerate() {
            let mut acc = [0.0f32; LANES];
            for &(src, w) in self.inputs {
                let s = &self.before[src * BLOCK + c * LANES..][..LANES];
                for k in 0..LANES {
                    acc[k] = w.mul_add(s[k], acc[k]);
                }
            }
            for k in 0..LANES {
                out[k] = f(acc[k]);
            }
        }
    }
}
