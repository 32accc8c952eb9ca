//! Evaluates a compiled genome over a pixel grid (through the step evaluator,
//! [`crate::steps`]).

use super::program::Program;
use crate::grid::{Grid, Planes};
use crate::image::Image;
use crate::steps::evaluate_steps;

/// Every plane (inputs, then nodes in program order).
pub fn evaluate(program: &Program, grid: &Grid) -> Planes {
    let all: Vec<usize> = (0..program.plane_count()).collect();
    evaluate_steps(&program.steps, grid, &all)
}

/// Only the output planes, in the order of [`super::program::OutputPlanes::planes`].
pub fn evaluate_outputs(program: &Program, grid: &Grid) -> Planes {
    evaluate_steps(&program.steps, grid, &program.outputs.planes())
}

impl Program {
    /// The genome's image over a grid.
    pub fn render(&self, grid: &Grid) -> Image {
        Image::from_planes(&evaluate_outputs(self, grid), self.outputs.colours())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cppn::genome::tests::tiny;
    use crate::steps::{PixelProgress, evaluate_rows, evaluate_steps_watched};

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
        let progress = PixelProgress::default();
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
            let band = evaluate_rows(
                &program.steps,
                &grid,
                rows,
                &keep,
                &PixelProgress::default(),
            )
            .unwrap();
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
