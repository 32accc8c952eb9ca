//! A whole generation: breed 15 children of a 30-node genome and render every one at
//! 128x128, the thumbnail grid Picbreeder shows. `breed_15` breeds varied children (42
//! candidates, 32x32 looks, the most different kept); `breed_15_first_bred` the first
//! ones bred, as before. Target: under 16 ms, so a new
//! generation appears within one frame at 60 Hz.
//!
//! Run: `cargo bench --bench generation`.

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use picbreeder::breed::random::{RandomGenomeConfig, random_genome};
use picbreeder::breed::{Session, Settings, render_thumbnails};
use picbreeder::cppn::innovation::Innovations;
use picbreeder::cppn::mutate::{MutationConfig, Operator, apply};
use picbreeder::cppn::{ColourMode, Genome};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use std::hint::black_box;

/// A colour genome grown to exactly 30 nodes (7 in/out, 23 hidden), about two links
/// per node, by seeded add-node and add-link mutations.
fn thirty_nodes() -> Genome {
    let mut rng = ChaCha8Rng::seed_from_u64(30);
    let mut inn = Innovations::for_seed(30);
    let config = MutationConfig::default();
    let mut g = random_genome(
        ColourMode::Colour,
        &RandomGenomeConfig::default(),
        &mut inn,
        &mut rng,
    );
    while g.nodes.len() < 30 {
        inn.start_generation();
        apply(&mut g, Operator::AddNode, &config, &mut inn, &mut rng);
        apply(&mut g, Operator::AddLink, &config, &mut inn, &mut rng);
    }
    g
}

fn bench(c: &mut Criterion) {
    let genome = thirty_nodes();
    eprintln!(
        "parent: {} nodes, {} links",
        genome.nodes.len(),
        genome.links.len()
    );
    let mut session = Session::starting_from(1, Settings::default(), genome).expect("valid genome");
    session.toggle_parent(0);
    let size = session.settings().thumbnail;
    // The first children bred, as before varied children.
    let mut first = session.clone();
    first.settings_mut().varied = false;

    let mut group = c.benchmark_group("generation");
    group.bench_function("breed_15", |b| {
        b.iter_batched(
            || session.clone(),
            |mut s| black_box(s.evolve().expect("a parent is chosen")),
            BatchSize::SmallInput,
        )
    });
    group.bench_function("breed_15_first_bred", |b| {
        b.iter_batched(
            || first.clone(),
            |mut s| black_box(s.evolve().expect("a parent is chosen")),
            BatchSize::SmallInput,
        )
    });
    let genomes = session.genomes().to_vec();
    group.bench_function("render_15_at_128", |b| {
        b.iter(|| black_box(render_thumbnails(&genomes, size)))
    });
    group.bench_function("breed_and_render_15_at_128", |b| {
        b.iter_batched(
            || session.clone(),
            |mut s| {
                s.evolve().expect("a parent is chosen");
                black_box(render_thumbnails(s.genomes(), size))
            },
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
