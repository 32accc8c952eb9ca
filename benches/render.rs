//! Rendering speed: the apple genome (83 nodes, 264 links) at 256x256 and 1024x1024,
//! and this machine's f32 multiply-add peak measured in the same run, so the evaluator
//! can be compared with the hardware (see README.md for the figures).
//!
//! Run: `cargo bench --bench render`.

use criterion::{Criterion, criterion_group, criterion_main};
use picbreeder::cppn::Program;
use picbreeder::cppn::eval::evaluate_outputs;
use picbreeder::grid::Grid;
use picbreeder::io::detect::load_genome;
use picbreeder::render::render_program;
use rayon::prelude::*;
use std::hint::black_box;
use std::path::PathBuf;

fn apple() -> Option<Program> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/picbreeder/apple.zip");
    match load_genome(&path) {
        Ok(g) => Some(Program::compile(&g).expect("apple compiles")),
        Err(e) => {
            eprintln!("*** SKIPPED render bench: {e} ***");
            None
        }
    }
}

/// Independent multiply-add chains on every core: the f32 peak the evaluator could reach.
/// 256 accumulators per thread, 2 flops per multiply-add.
fn fma_peak(iters: usize) -> f32 {
    (0..rayon::current_num_threads())
        .into_par_iter()
        .map(|t| {
            let mut acc = [t as f32; 256];
            for _ in 0..iters {
                for a in acc.iter_mut() {
                    *a = a.mul_add(0.999_9, 0.000_1);
                }
            }
            acc.iter().sum::<f32>()
        })
        .sum()
}

fn bench(c: &mut Criterion) {
    let threads = rayon::current_num_threads();
    c.bench_function(
        &format!("fma_peak/{threads}threads_x_256x10000_madds"),
        |b| b.iter(|| black_box(fma_peak(black_box(10_000)))),
    );
    let Some(program) = apple() else { return };
    let (madds, acts) = program.work_per_pixel();
    eprintln!("apple: {madds} multiply-adds and {acts} activations per pixel");
    let mut group = c.benchmark_group("render");
    group.sample_size(20);
    for n in [256, 1024] {
        let grid = Grid::square(n);
        group.bench_function(format!("apple_eval_{n}"), |b| {
            b.iter(|| black_box(evaluate_outputs(&program, &grid)))
        });
        group.bench_function(format!("apple_image_{n}"), |b| {
            b.iter(|| black_box(render_program(&program, &grid)))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
