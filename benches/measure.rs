//! The FER scorecard: skull (graph and layerized) and its paper SGD net at 64x64; apple
//! and an SGD net of its paper shape (46,474 weights, so the sweeps are sampled).
//! Needs ../shared/picbreeder; apple's net is freshly initialized, not trained (its weights do
//! not change the cost of measuring it).

use criterion::{Criterion, criterion_group, criterion_main};
use picbreeder::cppn::Program;
use picbreeder::io::detect::load_genome;
use picbreeder::io::{Loaded, load_any};
use picbreeder::layerize::layerize;
use picbreeder::measure::{Form, Options, scorecard, sweeps};
use picbreeder::network::Network;
use picbreeder::render::sweep::{Direction, moved};
use picbreeder::sgd::arch::Arch;
use rayon::prelude::*;
use std::path::PathBuf;

fn shared(file: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/picbreeder")
        .join(file)
}

fn genome(name: &str) -> (Network, Network) {
    let g = load_genome(&shared(&format!("{name}.zip"))).expect("genome loads");
    let program = Program::compile(&g).expect("compiles");
    let layered = Network::Net(layerize(&program).net);
    (Network::from_genome(g).unwrap(), layered)
}

fn bench(c: &mut Criterion) {
    let opts = Options::default();
    let (skull, skull_l) = genome("skull");
    let Ok(Loaded::Net(paper)) = load_any(&shared("sgd/skull.json")) else {
        panic!("skull's paper net loads")
    };
    let paper = Network::Net(paper);
    let mut g = c.benchmark_group("scorecard");
    g.sample_size(10);
    g.bench_function("skull_genome_layerized_paper_64", |b| {
        b.iter(|| {
            for (net, form) in [
                (&skull, Form::Genome),
                (&skull_l, Form::Layerized),
                (&paper, Form::Dense),
            ] {
                scorecard(net, "n", form, &opts, &|| false).unwrap();
            }
        })
    });
    let (apple, _) = genome("apple");
    let Network::Genome { program, .. } = &apple else {
        unreachable!()
    };
    let sgd = Network::Net(Arch::Paper.build(program, 0));
    assert_eq!(sgd.params().len(), 46_474);
    g.bench_function("apple_genome_and_sgd_64_sampled", |b| {
        b.iter(|| {
            scorecard(&apple, "a", Form::Genome, &opts, &|| false).unwrap();
            scorecard(&sgd, "s", Form::Dense, &opts, &|| false).unwrap();
        })
    });
    // The sweeps alone, the same 64 weights of apple's SGD net: each rendered whole
    // from a rebuilt net, against measure_sweeps (from the swept layer up).
    let grid = picbreeder::grid::Grid::square(64);
    let original = sweeps::render(&sgd, &grid);
    let (chosen, _) = sweeps::chosen(sgd.params().len(), 64, 0);
    let params = sgd.params();
    g.bench_function("apple_sgd_64_sweeps_whole", |b| {
        b.iter(|| {
            chosen
                .par_iter()
                .flat_map(|&k| [(k, -0.5), (k, 0.5)])
                .map(|(k, d)| {
                    let dir = Direction::single(params[k]);
                    sweeps::render(&moved(&sgd, &dir, d).unwrap(), &grid)
                })
                .count()
        })
    });
    g.bench_function("apple_sgd_64_sweeps_from_layer", |b| {
        b.iter(|| sweeps::measure_sweeps(&sgd, &original, &grid, &chosen, 0.5, &|| false))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
