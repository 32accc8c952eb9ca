//! The memory budget holds: for random requests within the documented limits, what is
//! accepted stays under the budget at its peak, measured here by counting every
//! allocation of this test process (its tests take turns, so nothing else allocates at
//! the time).

use picbreeder::budget::MEMORY_BUDGET;
use picbreeder::cppn::Program;
use picbreeder::cppn::synthetic::synthetic;
use picbreeder::figure::{GalleryOf, gallery, gallery_bytes};
use picbreeder::grid::Grid;
use picbreeder::layerize::{layerize, layerize_within, layerized_bytes};
use picbreeder::measure::{Form, Options, scorecard, scorecard_bytes, scorecard_within};
use picbreeder::network::Network;
use picbreeder::render::sweep::{deltas, ranked_sweeps, sheet, sheet_bytes};
use proptest::prelude::*;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

/// The system allocator, counting live bytes and their peak.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Relaxed) + layout.size();
            PEAK.fetch_max(now, Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size > layout.size() {
                let now =
                    LIVE.fetch_add(new_size - layout.size(), Relaxed) + new_size - layout.size();
                PEAK.fetch_max(now, Relaxed);
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static COUNTING: Counting = Counting;

/// The tests take turns: the counters are the whole process's.
static TURN: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn turn() -> std::sync::MutexGuard<'static, ()> {
    TURN.lock().unwrap_or_else(|e| e.into_inner())
}

/// Bytes `f` allocated at its peak above what was live when it started.
fn peak_of<T>(f: impl FnOnce() -> T) -> (T, u64) {
    let base = LIVE.load(Relaxed);
    PEAK.store(base, Relaxed);
    let out = f();
    (out, (PEAK.load(Relaxed) - base) as u64)
}

/// A small budget so the accepted requests run quickly; the rule is the same at 1 GiB.
const BUDGET: u64 = 64 << 20;

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn accepted_requests_stay_under_the_budget(
        hidden in 0usize..400,
        thumb in 1usize..64,
        layerized in any::<bool>(),
        steps in 1usize..8,
        rows in 1usize..6,
    ) {
        let _turn = turn();
        let program = Program::compile(&synthetic(hidden, hidden as u64)).unwrap();
        let of = if layerized { GalleryOf::Layerized(&program) } else { GalleryOf::Genome(&program) };
        let grid = Grid::square(thumb);
        let estimate = gallery_bytes(of, thumb, thumb);
        let (made, peak) = peak_of(|| gallery(of, &grid, BUDGET).map(|f| f.to_image()));
        match made {
            Ok(_) => {
                prop_assert!(peak <= estimate, "gallery {hidden} nodes at {thumb}: peak {peak} over the estimate {estimate}");
                prop_assert!(peak <= BUDGET);
            }
            Err(e) => prop_assert!(estimate > BUDGET, "{e}"),
        }
        // A sweep sheet of the top rows, if its estimate fits.
        let net = Network::from_genome(synthetic(hidden.min(12), 1)).unwrap();
        let estimate = sheet_bytes(rows, steps, thumb, thumb, net.neuron_count());
        if estimate <= BUDGET {
            let ds = deltas(steps, 1.0);
            let (_, peak) = peak_of(|| {
                let ranked = ranked_sweeps(&net, &ds, &grid, rows);
                let strips: Vec<_> = ranked.into_iter().take(rows).map(|r| r.images).collect();
                sheet(&strips)
            });
            prop_assert!(peak <= estimate, "sheet {rows}x{steps} at {thumb}: peak {peak} over {estimate}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    /// Layerizing stays under its estimate, found before anything is built.
    #[test]
    fn layerizing_stays_under_its_estimate(hidden in 0usize..600, seed in 0u64..1000) {
        let _turn = turn();
        let program = Program::compile(&synthetic(hidden, seed)).unwrap();
        let estimate = layerized_bytes(&program);
        let (made, peak) = peak_of(|| layerize_within(&program, BUDGET).map(|l| l.net.parameter_count()));
        match made {
            Ok(_) => prop_assert!(peak <= estimate, "{hidden} nodes: peak {peak} over the estimate {estimate}"),
            Err(e) => prop_assert!(estimate > BUDGET, "{e}"),
        }
    }

    /// A scorecard (the genome's graph and its layerized net) stays under its estimate.
    #[test]
    fn a_scorecard_stays_under_its_estimate(
        hidden in 0usize..40,
        grid in 2usize..40,
        sample in 1usize..40,
        layerized in any::<bool>(),
    ) {
        let _turn = turn();
        let net = Network::from_genome(synthetic(hidden, 3)).unwrap();
        let net = match (&net, layerized) {
            (Network::Genome { program, .. }, true) => Network::Net(layerize(program).net),
            _ => net,
        };
        let opts = Options { grid, sample, ..Options::default() };
        let estimate = scorecard_bytes(&net, grid);
        let (made, peak) = peak_of(|| {
            scorecard_within(&net, &opts, BUDGET)
                .map(|()| scorecard(&net, "n", Form::Dense, &opts, &|| false).is_some())
        });
        match made {
            Ok(done) => {
                prop_assert!(done);
                prop_assert!(peak <= estimate, "{hidden} nodes at {grid}: peak {peak} over the estimate {estimate}");
            }
            Err(e) => prop_assert!(estimate > BUDGET, "{e}"),
        }
    }
}

/// A 100k-node genome (the 21 MB JSON asked 40-90 GB in layerization and
/// aborted): its layerized net is refused at once, in one line, having allocated next
/// to nothing; its graph's scorecard names the grid that fits.
#[test]
fn a_huge_genome_is_refused_before_layerizing_or_measuring() {
    let _turn = turn();
    let genome = synthetic(100_000, 7);
    let net = Network::from_genome(genome).unwrap();
    let Network::Genome { program, .. } = &net else {
        unreachable!()
    };
    let started = std::time::Instant::now();
    let (refused, peak) = peak_of(|| layerize_within(program, MEMORY_BUDGET).err());
    let e = refused.expect("refused").to_string();
    assert!(peak < 64 << 20, "asked {peak} B before refusing");
    assert!(started.elapsed().as_secs() < 10);
    assert!(
        e.contains("would need") && e.contains("layerized net") && !e.contains('\n'),
        "{e}"
    );
    let opts = Options {
        grid: 1024,
        ..Options::default()
    };
    let (refused, peak) = peak_of(|| scorecard_within(&net, &opts, MEMORY_BUDGET).err());
    let e = refused.expect("refused").to_string();
    assert!(peak < 64 << 20, "asked {peak} B before refusing");
    // Its 100k hidden neurons' Gram matrix alone is 40 GB: no grid fits.
    assert!(
        e.contains("would need") && e.contains("100005 neurons"),
        "{e}"
    );
}

/// A net 200,000 neurons wide (the asked 160 GB in `measure`): refused at any
/// grid, saying so.
#[test]
fn a_very_wide_net_is_refused_by_measure() {
    let _turn = turn();
    let genome =
        picbreeder::cppn::Genome::grey_skeleton(picbreeder::activation::Activation::Sigmoid);
    let mut net = layerize(&Program::compile(&genome).unwrap()).net;
    let wide = 200_000;
    net.hidden = vec![vec![picbreeder::activation::Activation::Sigmoid; wide]];
    let e = scorecard_within(&Network::Net(net), &Options::default(), MEMORY_BUDGET)
        .unwrap_err()
        .to_string();
    assert!(e.contains("at any grid size"), "{e}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// Breeding from a genome stays under the estimate made before breeding
    /// ([`Brood::bytes`]), what the window checks before it opens a genome.
    #[test]
    fn breeding_stays_under_its_estimate(
        hidden in 0usize..3000,
        population in 2usize..20,
        varied in any::<bool>(),
    ) {
        let _turn = turn();
        let genome = synthetic(hidden, hidden as u64);
        let settings = picbreeder::breed::Settings {
            population,
            varied,
            ..Default::default()
        };
        let brood = picbreeder::breed::Session::root_brood(1, settings, genome).unwrap();
        let estimate = brood.bytes();
        let stop = std::sync::atomic::AtomicBool::new(false);
        let (bred, peak) = peak_of(|| brood.breed(&stop, &mut |_| {}));
        prop_assert!(bred.is_some());
        prop_assert!(peak <= estimate, "{hidden} nodes, {population}: peak {peak} over {estimate}");
    }
}

/// A 100,000-node genome (the window took 1.35 GB within 12 s opening a 150k-node
/// GIF): breeding from it is refused before anything is bred, naming the population.
#[test]
fn breeding_from_a_huge_genome_is_refused_before_breeding() {
    let _turn = turn();
    let genome = synthetic(100_000, 7);
    let brood = picbreeder::breed::Session::root_brood(1, Default::default(), genome).unwrap();
    let (refused, peak) = peak_of(|| brood.within(MEMORY_BUDGET).err());
    let e = refused.expect("refused").to_string();
    assert!(peak < 1 << 20, "asked {peak} B before refusing");
    assert!(
        e.contains("would need") && e.contains("100005 nodes") && e.contains("smaller genome"),
        "{e}"
    );
    // Genomes far past any bred by hand (20,000 nodes) still breed.
    let big = picbreeder::breed::Session::root_brood(1, Default::default(), synthetic(20_000, 7));
    assert_eq!(big.unwrap().within(MEMORY_BUDGET), Ok(()));
}

/// Peak bytes of exporting a training run of `count` frames (a small net, 16x16).
fn training_animation_peak(count: usize) -> u64 {
    use picbreeder::animate::train::TrainFrames;
    use picbreeder::animate::{ExportProgress, Format, Palette, Timing, export};
    use picbreeder::sgd::arch::Arch;
    use picbreeder::sgd::trainer::{TrainConfig, Trainer};
    let program = Program::compile(&synthetic(300, 2)).unwrap();
    let target = program.render(&Grid::square(16));
    let net = Arch::Paper.build(&program, 0);
    assert!(net.parameter_count() > 5000, "{}", net.parameter_count());
    let make = Box::new(move || {
        // The straight-through colour rule: a small random net at 16x16 may saturate
        // the paper's clamps and collapse, which is not what is tested here.
        let config = TrainConfig {
            straight_through: true,
            ..TrainConfig::default()
        };
        Trainer::new(net.clone(), &target, config).map_err(|e| e.to_string())
    });
    let path = std::env::temp_dir().join(format!(
        "pb-budget-train-{count}-{}.gif",
        std::process::id()
    ));
    let (written, peak) = peak_of(|| {
        let mut frames = TrainFrames::new(make, count as u64, (16, 16), count, true).unwrap();
        let progress = ExportProgress::default();
        let format = Format::Gif(Palette::Auto);
        export(&mut frames, format, Timing::default(), &path, &progress)
    });
    assert!(matches!(written, Some(Ok(()))), "{written:?}");
    let _ = std::fs::remove_file(&path);
    peak
}

/// A training animation's frames are made, encoded and dropped one by one: its peak
/// memory does not grow with the frame count (every frame's net was kept: 36,000
/// frames of a paper-sized net ran to gigabytes).
#[test]
fn a_long_training_animation_holds_no_more_than_a_short_one() {
    let _turn = turn();
    let short = training_animation_peak(10);
    let long = training_animation_peak(200);
    // 190 more nets of over 5,000 weights kept would be 3.8 MB more.
    assert!(
        long < short + (2 << 20),
        "10 frames: {short} B at the peak, 200: {long} B"
    );
}
