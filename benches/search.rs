//! Search speed (issue #25): (a) genomes evaluated a second, a population of 150 bred
//! 30-node genomes drawn at 64x64 and described as the search does (novelty: the
//! sketch; MAP-Elites: the four map axes and the sketch); (b) novelty's k-nearest
//! query, a generation's 150 queries against archives of 250, 1,000 and 4,000 real
//! sketches, the vantage-point tree beside brute force in the same run, and the
//! tree's build. Figures in docs/benchmarks.md.
//!
//! Run: `cargo bench --bench search`.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use picbreeder::breed::random::{RandomGenomeConfig, random_genome};
use picbreeder::cppn::innovation::Innovations;
use picbreeder::cppn::mutate::{MutationConfig, Operator, apply, mutate};
use picbreeder::cppn::{ColourMode, Genome};
use picbreeder::search::descriptor::{Axis, Sketch, distance, sketch};
use picbreeder::search::novelty::mean_of_nearest;
use picbreeder::search::run::pictures;
use picbreeder::search::vptree::VpTree;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use std::hint::black_box;
use std::time::Duration;

const POPULATION: usize = 150;
const K: usize = 15;

/// A colour genome grown to exactly 30 nodes by seeded add-node and add-link mutations
/// (as benches/generation.rs).
fn thirty_nodes(seed: u64, inn: &mut Innovations) -> Genome {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let config = MutationConfig::default();
    let mut g = random_genome(
        ColourMode::Colour,
        &RandomGenomeConfig::default(),
        inn,
        &mut rng,
    );
    while g.nodes.len() < 30 {
        inn.start_generation();
        apply(&mut g, Operator::AddNode, &config, inn, &mut rng);
        apply(&mut g, Operator::AddLink, &config, inn, &mut rng);
    }
    g
}

/// `n` genomes of about 30 nodes: ten 30-node parents and their one-mutation
/// children, as a search generation holds.
fn bred(n: usize, seed: u64) -> Vec<Genome> {
    let mut inn = Innovations::for_seed(seed);
    let parents: Vec<Genome> = (0..10).map(|i| thirty_nodes(seed + i, &mut inn)).collect();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let config = MutationConfig::default();
    (0..n)
        .map(|i| mutate(&parents[i % parents.len()], &config, &mut inn, &mut rng).0)
        .collect()
}

/// The k nearest by measuring every member: what the tree replaces.
fn brute_nearest(points: &[Sketch], query: &[f32], k: usize) -> Vec<f32> {
    let mut d: Vec<f32> = points.iter().map(|p| distance(p, query)).collect();
    d.sort_by(f32::total_cmp);
    d.truncate(k);
    d
}

fn bench(c: &mut Criterion) {
    let population = bred(POPULATION, 30);
    let nodes: usize = population.iter().map(|g| g.nodes.len()).sum();
    eprintln!(
        "population: {POPULATION} genomes, {:.1} nodes on average",
        nodes as f64 / POPULATION as f64
    );
    let mut group = c.benchmark_group("search_eval");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_secs(1))
        .throughput(Throughput::Elements(POPULATION as u64));
    group.bench_function("novelty_150x64", |b| {
        b.iter(|| {
            let images = pictures(black_box(&population), 64);
            let sketches: Vec<Sketch> = images.par_iter().map(sketch).collect();
            black_box(sketches)
        })
    });
    group.bench_function("map_elites_150x64", |b| {
        b.iter(|| {
            let images = pictures(black_box(&population), 64);
            let described: Vec<(Vec<f64>, Sketch)> = images
                .par_iter()
                .map(|img| {
                    (
                        Axis::ALL.iter().map(|a| a.value(img)).collect(),
                        sketch(img),
                    )
                })
                .collect();
            black_box(described)
        })
    });
    group.finish();

    // Real sketches: 4,150 bred genomes at 32x32 (the sketch is 8x8 at any size), the
    // archive the first n, the queries the last 150 (a generation's).
    let pool = pictures(&bred(4_000 + POPULATION, 7), 32);
    let pool: Vec<Sketch> = pool.par_iter().map(sketch).collect();
    let (archive, queries) = pool.split_at(4_000);
    let mut group = c.benchmark_group("novelty_knn");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(2))
        .warm_up_time(Duration::from_millis(500))
        .throughput(Throughput::Elements(POPULATION as u64));
    for n in [250, 1_000, 4_000] {
        let points = &archive[..n];
        let tree = VpTree::build(points);
        // The same answers, or the comparison means nothing.
        for q in queries {
            let t: Vec<f32> = tree
                .nearest(points, q, K)
                .iter()
                .map(|n| n.distance)
                .collect();
            assert_eq!(t, brute_nearest(points, q, K), "archive {n}");
        }
        group.bench_function(format!("vptree_{n}"), |b| {
            b.iter(|| {
                let m: f32 = queries
                    .iter()
                    .map(|q| {
                        let d = tree
                            .nearest(points, q, K)
                            .iter()
                            .map(|n| n.distance)
                            .collect();
                        mean_of_nearest(d, K)
                    })
                    .sum();
                black_box(m)
            })
        });
        group.bench_function(format!("brute_{n}"), |b| {
            b.iter(|| {
                let m: f32 = queries
                    .iter()
                    .map(|q| mean_of_nearest(brute_nearest(points, q, K), K))
                    .sum();
                black_box(m)
            })
        });
        group.bench_function(format!("build_{n}"), |b| {
            b.iter(|| black_box(VpTree::build(black_box(points))))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
