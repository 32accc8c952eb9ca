//! The memory budget holds: for random requests within the documented limits, what is
//! accepted stays under the budget at its peak, measured here by counting every
//! allocation of this test process (its one test, so nothing else allocates at the time).

use picbreeder::cppn::Program;
use picbreeder::cppn::synthetic::synthetic;
use picbreeder::figure::{GalleryOf, gallery, gallery_bytes};
use picbreeder::grid::Grid;
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
