//! The library's cost of saving a new generation, at generation 10 and at 1,000 of a
//! session bred with the operators (two parents, genomes that grow). Saving must not grow
//! with the session's length (issue 14: within 2x, under 5 ms). Generation 10's genomes
//! saved at 1,000 part the session's length from the genomes' size.

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use picbreeder::breed::{GenerationId, Session};
use picbreeder::store::{CHECKPOINT_EVERY, Changes, SessionId, Store};
use std::time::{Duration, Instant};

/// A session of `n` generations: each evolved from two children of the one before.
fn bred(n: usize) -> Session {
    let mut s = Session::new(11);
    for k in 1..n {
        s.clear_selection();
        s.set_parent(k % 15, true);
        s.set_parent((k * 7 + 3) % 15, true);
        s.evolve().unwrap();
    }
    s
}

fn add_generation(c: &mut Criterion) {
    let dir = std::env::temp_dir().join(format!("pb-bench-store-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let full = bred(1001);
    let mut group = c.benchmark_group("store");
    group.sample_size(30);
    let mut small: Option<Changes> = None;
    for n in [10usize, 1000] {
        let mut store = Store::open(&dir.join(format!("library-{n}.sqlite"))).unwrap();
        // The first n generations (ids are creation order along one line).
        let mut generations = full.generations()[..n].to_vec();
        generations[n - 1].last_child = None;
        let prefix = Session::from_parts(
            full.seed(),
            full.settings().clone(),
            full.innovations().clone(),
            generations,
            GenerationId(n - 1),
        )
        .unwrap();
        store.defer_checkpoints().unwrap();
        let id = store.create_session("bench", &prefix).unwrap();
        let mut chosen = prefix;
        chosen.clear_selection();
        chosen.set_parent(1, true);
        chosen.set_parent(4, true);
        // Breeding the generation (packing it included), for scale.
        group.bench_function(format!("breed generation at {n}"), |b| {
            b.iter_batched(
                || chosen.clone(),
                |mut s| s.evolve().unwrap(),
                BatchSize::SmallInput,
            )
        });
        let mut before = chosen;
        before.evolve().unwrap();
        let g = before.current();
        let genomes = g.genomes.all();
        let blob = picbreeder::breed::packed::pack(&genomes, g.kept);
        let json: usize = genomes
            .iter()
            .map(|x| serde_json::to_string(x).unwrap().len())
            .sum();
        eprintln!("generation {n}: {json} B of JSON, packed {} B", blob.len());
        group.bench_function(format!("pack generation at {n}"), |b| {
            b.iter(|| picbreeder::breed::packed::pack(&genomes, g.kept))
        });
        // What the window's library writer does with a new generation: insert it (its
        // blob made when it was bred, by `Brood::breed`).
        let changes = Changes::since(&before, n, false);
        assert!(changes.new[0].genomes.is_packed());
        group.bench_function(format!("add generation at {n}"), |b| {
            b.iter_custom(|iters| saves(&mut store, id, n, iters, || changes.clone()).0)
        });
        // The checkpoints the writer runs between generations, one after each run of
        // saves: the time per generation is this over `RUN`.
        group.bench_function(format!("checkpoint after {RUN} generations at {n}"), |b| {
            b.iter_custom(|iters| {
                (0..iters)
                    .map(|_| saves(&mut store, id, n, RUN as u64, || changes.clone()).1)
                    .sum()
            })
        });
        // The session's length alone: generation 10's genomes added at 1,000.
        match &small {
            None => small = Some(changes.clone()),
            Some(c10) => {
                let mut c = changes.clone();
                c.new[0].genomes = c10.new[0].genomes.clone();
                group.bench_function(format!("add generation 10's genomes at {n}"), |b| {
                    b.iter_custom(|iters| saves(&mut store, id, n, iters, || c.clone()).0)
                });
            }
        }
    }
    group.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

/// Saves in a row before the session is put back to its first `n` generations and the
/// library is checkpointed, as the window's writer checkpoints.
const RUN: usize = CHECKPOINT_EVERY;

/// Time for `iters` saves of the changes `make` gives (made outside the timing), and
/// for the checkpoints after each [`RUN`] of them. Each save adds a generation of its
/// own (a sibling of the last: ids `n`, `n + 1`, ...), as breeding adds them, so the
/// library grows as it does in use; after each run (outside the save timing) the
/// session is put back to `n` generations, so its length stays the one measured, and
/// the library is checkpointed, as the window's writer does between generations.
/// (Putting the session back after every save instead timed SQLite splitting and
/// merging the same page each time, which made a small blob dearer than a large one.)
fn saves(
    store: &mut Store,
    id: SessionId,
    n: usize,
    iters: u64,
    make: impl Fn() -> Changes,
) -> (Duration, Duration) {
    let mut total = Duration::ZERO;
    let mut checkpoints = Duration::ZERO;
    let mut end_run = |store: &mut Store| {
        store.truncate_for_bench(id, n).unwrap();
        let t = Instant::now();
        store.checkpoint().unwrap();
        checkpoints += t.elapsed();
    };
    for k in 0..iters as usize {
        let k = k % RUN;
        let mut c = make();
        c.from = n + k;
        c.len = n + k + 1;
        c.current = GenerationId(n + k);
        c.new[0].id = GenerationId(n + k);
        let t = Instant::now();
        store.save_changes(id, &c).unwrap();
        total += t.elapsed();
        if k + 1 == RUN {
            end_run(store);
        }
    }
    if !(iters as usize).is_multiple_of(RUN) {
        end_run(store);
    }
    (total, checkpoints)
}

criterion_group!(benches, add_generation);
criterion_main!(benches);
