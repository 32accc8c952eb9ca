//! The SGD panel with a run that cannot learn: butterfly, the paper's architecture,
//! seed 6 at 128x128 saturates every pixel's colour clamps within a few dozen steps.

use super::*;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::path::PathBuf;
use std::time::{Duration, Instant};

struct Rig {
    tab: TwinTab,
    genome: Genome,
}

fn butterfly() -> Option<Genome> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/picbreeder/butterfly.zip");
    if !p.exists() {
        eprintln!("\n*** SKIPPED: {} is missing ***\n", p.display());
        return None;
    }
    Some(picbreeder::io::detect::load_genome(&p).expect("butterfly loads"))
}

fn start(seed: u64, straight_through: bool) -> Option<Harness<'static, Rig>> {
    let genome = butterfly()?;
    let mut h = Harness::builder()
        .with_size(egui::vec2(900.0, 1200.0))
        .build_ui_state(
            |ui, rig: &mut Rig| rig.tab.ui(ui, Some(&rig.genome), &mut vec![]),
            Rig {
                tab: TwinTab::default(),
                genome,
            },
        );
    h.state_mut().tab.train.resolution = 128;
    h.state_mut().tab.train.seed = seed;
    h.step();
    if straight_through {
        h.get_by_label("straight-through colour (not the paper's)")
            .click();
        h.step();
    }
    h.get_by_label("Start training").click();
    Some(h)
}

fn run_until(h: &mut Harness<'static, Rig>, secs: u64, done: impl Fn(&Rig) -> bool) {
    let t = Instant::now();
    while !done(h.state()) {
        assert!(t.elapsed() < Duration::from_secs(secs), "timed out");
        h.step();
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn a_collapsed_run_stops_and_says_what_to_do() {
    let Some(mut h) = start(6, false) else { return };
    run_until(&mut h, 120, |r| r.tab.train.ended.is_some());
    let Some(picbreeder::sgd::run::EndReason::Collapsed(c)) = h.state().tab.train.ended else {
        panic!("ended with {:?}", h.state().tab.train.ended);
    };
    assert!(c.step <= 300, "seen only at step {}", c.step);
    h.step();
    let said = h.query_by_label_contains("cannot learn").is_some()
        && h.query_by_label_contains("another seed").is_some();
    assert!(said, "the panel does not say the run collapsed");
}

#[test]
fn the_straight_through_rule_lets_the_same_seed_learn() {
    let Some(mut h) = start(6, true) else { return };
    let step = |r: &Rig| r.tab.train.progress.as_ref().map_or(0, |p| p.step);
    run_until(&mut h, 180, |r| {
        step(r) >= 300 || r.tab.train.ended.is_some()
    });
    assert_eq!(h.state().tab.train.ended, None);
    let p = h.state().tab.train.progress.clone().unwrap();
    assert!(p.psnr > 12.0, "{:.2} dB after {} steps", p.psnr, p.step);
}
