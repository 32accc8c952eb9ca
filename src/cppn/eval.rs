//! Evaluates a compiled genome over a pixel grid.
//!
//! The image is cut into blocks of [`BLOCK`] pixels; each rayon task evaluates every
//! node for one block in a scratch buffer small enough to stay in L1/L2 cache, summing a
//! node's inputs `LANES` pixels at a time in registers (one load per multiply-add)
//! and applying its activation there (one store per value), then copies out only the
//! planes asked for. So a full render at 4096x4096 never holds
//! the hidden planes, while the gallery asks for all of them from the same pass.

use super::activation::WithFast;
use super::program::{Program, Step};
use crate::grid::{Grid, Planes, distance};
use rayon::prelude::*;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Shared between a long evaluation and whoever watches it: pixels done so far, and a
/// flag that abandons the work.
#[derive(Debug, Default)]
pub struct Progress {
    pub done: AtomicUsize,
    pub cancel: AtomicBool,
}

impl Progress {
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
/// activation's polynomial, applied before the one store (`cargo bench --bench render`,
/// apple at 1024x1024, interleaved runs: 8.9-9.1 ms with 256 lanes and the activation as
/// a second pass over the plane, 8.1-8.3 ms so; 256 lanes fused spill: 10.3 ms).
const LANES: usize = 128;

/// Every plane (inputs, then nodes in program order).
pub fn evaluate(program: &Program, grid: &Grid) -> Planes {
    let all: Vec<usize> = (0..program.plane_count()).collect();
    evaluate_steps(&program.steps, grid, &all)
}

/// Only the output planes, in the order of [`super::program::OutputPlanes::planes`].
pub fn evaluate_outputs(program: &Program, grid: &Grid) -> Planes {
    evaluate_steps(&program.steps, grid, &program.outputs.planes())
}

/// Runs `steps` (plane `4 + i` computed by `steps[i]` from earlier planes, planes 0..4
/// the inputs) and returns the planes listed in `keep`, in that order. Any feed-forward
/// network in this form evaluates here: genomes and dense nets alike.
pub fn evaluate_steps(steps: &[Step], grid: &Grid, keep: &[usize]) -> Planes {
    evaluate_steps_watched(steps, grid, keep, &Progress::default()).expect("never cancelled")
}

/// As [`evaluate_steps`], counting finished pixels in `progress` and giving up (`None`)
/// soon after `progress.cancel()`.
pub fn evaluate_steps_watched(
    steps: &[Step],
    grid: &Grid,
    keep: &[usize],
    progress: &Progress,
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
    progress: &Progress,
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
        step.activation.fast(Node {
            inputs: &step.inputs,
            before,
            dest: &mut after[..BLOCK],
        });
    }
}

/// One node over a block: its inputs' weighted sum in registers, [`LANES`] pixels at a
/// time, then the activation on the registers before the one store.
struct Node<'a> {
    inputs: &'a [(usize, f32)],
    before: &'a [f32],
    dest: &'a mut [f32],
}

impl WithFast for Node<'_> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cppn::genome::tests::tiny;

    /// Straightforward f64 evaluation of one pixel, for comparison.
    fn reference(program: &Program, x: f64, y: f64) -> Vec<f64> {
        let mut v = vec![x, y, 1.4 * (x * x + y * y).sqrt(), 1.0];
        for s in &program.steps {
            let z: f64 = s.inputs.iter().map(|&(p, w)| f64::from(w) * v[p]).sum();
            v.push(s.activation.apply(z));
        }
        v
    }

    #[test]
    #[allow(clippy::needless_range_loop)]
    fn matches_reference_on_odd_sizes_and_windows() {
        let program = Program::compile(&tiny()).unwrap();
        for (w, h) in [(1, 1), (7, 3), (33, 17), (300, 2)] {
            let grid = Grid::new(w, h).with_window(crate::grid::Window {
                x0: -2.0,
                x1: 0.5,
                y0: 1.0,
                y1: -3.0,
            });
            let planes = evaluate(&program, &grid);
            assert_eq!(planes.count(), program.plane_count());
            let (xs, ys) = (grid.xs(), grid.ys());
            for (r, &y) in ys.iter().enumerate() {
                for (c, &x) in xs.iter().enumerate() {
                    let want = reference(&program, f64::from(x), f64::from(y));
                    for (i, wv) in want.iter().enumerate() {
                        let got = f64::from(planes.plane(i)[r * w + c]);
                        assert!(
                            (got - wv).abs() < 1e-5,
                            "plane {i} at ({r},{c}): {got} vs {wv}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn outputs_only_equals_slice_of_all() {
        let program = Program::compile(&tiny()).unwrap();
        let grid = Grid::square(40);
        let all = evaluate(&program, &grid);
        let out = evaluate_outputs(&program, &grid);
        let ink = program.outputs.planes()[0];
        assert_eq!(out.plane(0), all.plane(ink));
    }

    #[test]
    fn progress_counts_and_cancel_abandons() {
        let program = Program::compile(&tiny()).unwrap();
        let grid = Grid::new(100, 30);
        let progress = Progress::default();
        assert!(evaluate_steps_watched(&program.steps, &grid, &[4], &progress).is_some());
        assert_eq!(progress.pixels_done(), 3000);
        progress.cancel();
        assert!(evaluate_steps_watched(&program.steps, &grid, &[4], &progress).is_none());
    }

    #[test]
    fn bands_of_rows_are_the_rows_of_the_whole() {
        let program = Program::compile(&tiny()).unwrap();
        let grid = Grid::new(37, 23);
        let all = evaluate(&program, &grid);
        let keep: Vec<usize> = (0..program.plane_count()).collect();
        let mut got = vec![vec![]; keep.len()];
        for r0 in (0..23).step_by(5) {
            let rows = r0..(r0 + 5).min(23);
            let band =
                evaluate_rows(&program.steps, &grid, rows, &keep, &Progress::default()).unwrap();
            assert_eq!(band.height, (r0 + 5).min(23) - r0);
            for (p, g) in got.iter_mut().enumerate() {
                g.extend_from_slice(band.plane(p));
            }
        }
        for (p, g) in got.iter().enumerate() {
            assert_eq!(g.as_slice(), all.plane(p), "plane {p}");
        }
    }

    #[test]
    fn empty_grid_is_empty() {
        let program = Program::compile(&tiny()).unwrap();
        assert_eq!(evaluate(&program, &Grid::new(0, 5)).data.len(), 0);
    }
}
