//! Rendering speed: the apple genome (83 nodes, 264 links) at 256x256 and 1024x1024,
//! a 5-image weight-sweep strip of it at 128x128, each activation over a block,
//! and this machine's f32 multiply-add peak measured in the same run, so the evaluator
//! can be compared with the hardware (figures in docs/benchmarks.md).
//!
//! Run: `cargo bench --bench render`.

use criterion::{Criterion, criterion_group, criterion_main};
use picbreeder::cppn::eval::evaluate_outputs;
use picbreeder::cppn::{Activation, Program};
use picbreeder::grid::Grid;
use picbreeder::io::detect::load_genome;
use picbreeder::network::Network;
use picbreeder::render::sweep::{Direction, deltas, sweep};
use rayon::prelude::*;
use std::hint::black_box;
use std::path::PathBuf;

#[path = "common/sgemm.rs"]
mod sgemm;
use sgemm::{SGEMM_N, Sgemm};
#[path = "common/timing.rs"]
mod timing;
use timing::{median, time};

fn apple_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/picbreeder/apple.zip")
}

fn apple() -> Option<Program> {
    match load_genome(&apple_path()) {
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
    // Each activation over one block of 256 values in [-6.4, 6.4], as the evaluator
    // applies it: the per-value cost that `src/fastmath.rs` quotes.
    let base: Vec<f32> = (0..256).map(|i| (i as f32 - 128.0) * 0.05).collect();
    let mut block = base.clone();
    for a in Activation::ALL {
        c.bench_function(&format!("activation/{}_256", a.name()), |b| {
            b.iter(|| {
                block.copy_from_slice(&base);
                a.apply_slice(black_box(&mut block));
            })
        });
    }
    let Some(program) = apple() else { return };
    let (madds, acts) = program.work_per_pixel();
    // The same genome with every activation the identity: the multiply-add part alone.
    let mut linear = program.clone();
    linear
        .steps
        .iter_mut()
        .for_each(|s| s.activation = Activation::Identity);
    eprintln!("apple: {madds} multiply-adds and {acts} activations per pixel");
    let mut group = c.benchmark_group("render");
    group.sample_size(20);
    for n in [256, 1024] {
        let grid = Grid::square(n);
        group.bench_function(format!("apple_eval_{n}"), |b| {
            b.iter(|| black_box(evaluate_outputs(&program, &grid)))
        });
        group.bench_function(format!("apple_linear_{n}"), |b| {
            b.iter(|| black_box(evaluate_outputs(&linear, &grid)))
        });
        group.bench_function(format!("apple_image_{n}"), |b| {
            b.iter(|| black_box(program.render(&grid)))
        });
    }
    group.finish();
    // The evaluator against the practical peak (a big sgemm), timed in turns so that
    // machine load hits both alike: docs/benchmarks.md's "x below sgemm" figure.
    let mut sgemm = Sgemm::new();
    let grid = Grid::square(1024);
    let (mut evals, mut gemms) = (vec![], vec![]);
    for _ in 0..5 {
        evals.push(time(10, 1, || {
            black_box(evaluate_outputs(&program, &grid));
        }));
        gemms.push(time(3, 1, || sgemm.run()));
    }
    let (eval, gemm) = (median(evals), median(gemms));
    let flops = (2 * madds + acts) as f64 * grid.pixels() as f64;
    println!(
        "apple_eval_1024 {:.2} ms: {:.1} GFLOP/s (a multiply-add 2, an activation 1); \
         sgemm {SGEMM_N}^3 {:.1} GFLOP/s; {:.1}x below it",
        eval * 1e3,
        flops / eval / 1e9,
        Sgemm::flops() / gemm / 1e9,
        (Sgemm::flops() / gemm) / (flops / eval)
    );
    // A 5-image sweep strip of one apple link at 128x128: must be quick enough to scrub.
    let net =
        Network::from_genome(load_genome(&apple_path()).expect("apple loads")).expect("compiles");
    let dir = Direction::single(net.params()[100]);
    let (ds, grid) = (deltas(5, 1.0), Grid::square(128));
    c.bench_function("sweep/apple_5x128", |b| {
        b.iter(|| black_box(sweep(&net, &dir, &ds, &grid)))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
