//! Breeding operators on big genomes: "add link" must grow about linearly with the
//! genome (it samples candidate pairs), where listing every pair grew quadratically.
//! Figures: docs/benchmarks.md, "Breeding large genomes".

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use picbreeder::cppn::mutate::{MutationConfig, add_link, add_node, link_candidates};
use picbreeder::cppn::synthetic::synthetic;
use picbreeder::cppn::{CrossoverConfig, Innovations, crossover};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use std::hint::black_box;

fn breed_ops(c: &mut Criterion) {
    let mut group = c.benchmark_group("breed_ops");
    group.sample_size(10);
    for n in [500, 2_000, 20_000] {
        let genome = synthetic(n, 1);
        group.bench_function(format!("add_link/{n}"), |b| {
            let mut rng = ChaCha8Rng::seed_from_u64(2);
            let mut inn = Innovations::new(10_000_000);
            b.iter_batched(
                || genome.clone(),
                |mut g| black_box(add_link(&mut g, &mut inn, &mut rng)),
                BatchSize::LargeInput,
            );
        });
        group.bench_function(format!("add_node/{n}"), |b| {
            let mut rng = ChaCha8Rng::seed_from_u64(3);
            let mut inn = Innovations::new(10_000_000);
            let config = MutationConfig::default();
            b.iter_batched(
                || genome.clone(),
                |mut g| black_box(add_node(&mut g, &config, &mut inn, &mut rng)),
                BatchSize::LargeInput,
            );
        });
        let other = synthetic(n, 2);
        group.bench_function(format!("crossover/{n}"), |b| {
            let mut rng = ChaCha8Rng::seed_from_u64(4);
            let config = CrossoverConfig::default();
            b.iter(|| black_box(crossover(&[&genome, &other], &config, &mut rng)));
        });
    }
    // The exact listing, for the growth it had (only where it is still quick).
    let genome = synthetic(500, 1);
    group.bench_function("link_candidates/500", |b| {
        b.iter(|| black_box(link_candidates(&genome).len()))
    });
    group.finish();
}

criterion_group!(benches, breed_ops);
criterion_main!(benches);
