//! Training speed on the paper's skull architecture at 256x256, full batch, and this
//! machine's single-precision matrix-multiply peak measured in the same run.
//!
//! `cargo bench --bench train` runs criterion on both (its "thrpt" figures are FLOP/s:
//! elements are useful flops), then prints a summary from its own medians:
//! steps/s, useful GFLOP/s (3 x 2 x pixels x weights per step), sgemm GFLOP/s, and the
//! percentage of peak. Needs `../shared/picbreeder/skull.zip` (or `$PICBREEDER_SHARED`).
//! It also times a step of the `mirror` regularizer and of `es` (default population)
//! on the same net and prints their time per step and per forward pass beside the
//! paper's (the forward pass being the budget unit, `TrainConfig::passes_per_step`).

use criterion::{Criterion, Throughput};
use picbreeder::cppn::Program;
use picbreeder::grid::Grid;
use picbreeder::io::detect::load_genome;
use picbreeder::sgd::arch::Arch;
use picbreeder::sgd::method::Method;
use picbreeder::sgd::trainer::{TrainConfig, Trainer};
use std::path::PathBuf;
use std::time::Duration;

#[path = "common/sgemm.rs"]
mod sgemm;
use sgemm::{SGEMM_N, Sgemm};
#[path = "common/timing.rs"]
mod timing;
use timing::{median, time};

fn skull_trainer(method: Method) -> Option<Trainer> {
    let dir = std::env::var_os("PICBREEDER_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/picbreeder"));
    let path = dir.join("skull.zip");
    let Ok(genome) = load_genome(&path) else {
        eprintln!(
            "*** SKIPPED training benchmark: {} is missing ***",
            path.display()
        );
        return None;
    };
    let program = Program::compile(&genome).expect("skull compiles");
    let target = program.render(&Grid::square(256));
    let net = Arch::Paper.build(&program, 0);
    // PICBREEDER_BLOCK overrides the pixels per block, for tuning.
    let block = std::env::var("PICBREEDER_BLOCK")
        .ok()
        .and_then(|b| b.parse().ok());
    let config = method.config(TrainConfig {
        block: block.unwrap_or(TrainConfig::default().block),
        ..TrainConfig::default()
    });
    Some(Trainer::new(net, &target, config).expect("trainer"))
}

fn main() {
    let mut c = Criterion::default()
        .configure_from_args()
        .sample_size(20)
        .measurement_time(Duration::from_secs(8));
    let mut trainer = skull_trainer(Method::Adam);
    let mut others: Vec<(&str, Option<Trainer>)> = vec![
        ("mirror", skull_trainer("mirror".parse().expect("listed"))),
        ("es", skull_trainer("es".parse().expect("listed"))),
    ];
    if let Some(t) = trainer.as_mut() {
        let mut g = c.benchmark_group("train");
        g.throughput(Throughput::Elements(t.flops_per_step() as u64));
        g.bench_function("skull_paper_256_full_batch_step", |b| b.iter(|| t.step()));
        g.finish();
    }
    for (name, t) in &mut others {
        if let Some(t) = t.as_mut() {
            let mut g = c.benchmark_group("train");
            g.sample_size(10);
            g.bench_function(format!("skull_paper_256_{name}_step"), |b| {
                b.iter(|| t.step())
            });
            g.finish();
        }
    }
    let mut sgemm = Sgemm::new();
    let mut g = c.benchmark_group("sgemm");
    g.throughput(Throughput::Elements(Sgemm::flops() as u64));
    g.sample_size(10);
    g.bench_function(format!("{SGEMM_N}x{SGEMM_N}x{SGEMM_N}_all_threads"), |b| {
        b.iter(|| sgemm.run())
    });
    g.finish();
    c.final_summary();

    // Our own medians, interleaved so that machine load hits both alike.
    let (mut steps, mut gemms) = (vec![], vec![]);
    let mut other_steps = vec![vec![]; others.len()];
    for _ in 0..5 {
        if let Some(t) = trainer.as_mut() {
            steps.push(time(20, 2, || {
                t.step();
            }));
        }
        for ((_, t), times) in others.iter_mut().zip(&mut other_steps) {
            if let Some(t) = t.as_mut() {
                times.push(time(3, 1, || {
                    t.step();
                }));
            }
        }
        gemms.push(time(5, 1, || sgemm.run()));
    }
    let peak = Sgemm::flops() / median(gemms);
    println!(
        "\nsummary (medians, {} rayon threads):",
        rayon::current_num_threads()
    );
    println!("  sgemm {SGEMM_N}^3 peak: {:.1} GFLOP/s", peak / 1e9);
    if let Some(t) = trainer.as_ref() {
        let step = median(steps);
        let useful = t.flops_per_step() / step;
        println!(
            "  training: {:.1} steps/s, {:.1} useful GFLOP/s = {:.0}% of sgemm peak",
            1.0 / step,
            useful / 1e9,
            100.0 * useful / peak
        );
        let per_pass = step / t.config().passes_per_step() as f64;
        for ((name, other), times) in others.iter().zip(other_steps) {
            if let Some(o) = other {
                let s = median(times);
                let passes = o.config().passes_per_step();
                println!(
                    "  {name}: {:.1} ms a step ({:.2}x adam's), {passes} forward passes a step, {:.2} ms a pass ({:.2}x adam's)",
                    1e3 * s,
                    s / step,
                    1e3 * s / passes as f64,
                    s / passes as f64 / per_pass
                );
            }
        }
    }
}
