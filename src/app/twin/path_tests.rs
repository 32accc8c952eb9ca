//! The Path view driven as a user would: view a bred child, train the twin, open Path,
//! see the lineage above the run's snapshots, click one for its neurons.

use super::super::SideTab;
use super::*;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use picbreeder::breed::Session;
use std::time::{Duration, Instant};

struct Rig {
    tab: TwinTab,
    session: Session,
}

#[test]
fn path_shows_the_lineage_above_the_runs_snapshots_and_their_neurons() {
    let mut session = Session::new(3);
    for pick in [2, 5, 1] {
        session.toggle_parent(pick);
        session.evolve().unwrap();
    }
    let mut h = Harness::builder()
        .with_size(egui::vec2(900.0, 1200.0))
        .build_ui_state(
            |ui, rig: &mut Rig| {
                rig.tab.session_ui(ui, &rig.session, Some(3), &mut vec![]);
            },
            Rig {
                tab: TwinTab::default(),
                session,
            },
        );
    h.state_mut().tab.train.resolution = 32;
    // A seed whose run learns (seed 0 collapses to a blank picture on this child).
    h.state_mut().tab.train.seed = 1;
    h.step();
    h.get_by_label("Start training").click();
    let until = |h: &mut Harness<'static, Rig>, done: &dyn Fn(&Rig) -> bool| {
        let t = Instant::now();
        while !done(h.state()) {
            let r = h.state();
            assert!(
                t.elapsed() < Duration::from_secs(90),
                "timed out at step {:?} (ended: {:?}), path busy {}, figure {}",
                r.tab.train.progress.as_ref().map(|p| p.step),
                r.tab.train.ended,
                r.tab.path.busy(),
                r.tab.path.figure.is_some()
            );
            h.step();
            std::thread::sleep(Duration::from_millis(10));
        }
    };
    until(&mut h, &|r| {
        r.tab
            .train
            .progress
            .as_ref()
            .is_some_and(|p| p.step >= 1100)
    });
    h.get_by_label("Pause").click();
    h.get_by_label("Path").click();
    until(&mut h, &|r| {
        !r.tab.path.busy() && r.tab.path.figure.is_some()
    });
    h.step();
    let kept: Vec<u64> = h
        .state()
        .tab
        .train
        .path_snapshots()
        .iter()
        .map(|s| s.step)
        .collect();
    assert_eq!(kept[..5], [0, 100, 200, 400, 1000], "{kept:?}");
    // The lineage: 4 generations (the root's chosen parent, two more, the child).
    for g in ["gen 1", "gen 4"] {
        assert!(h.query_by_label(g).is_some(), "{g}");
    }
    assert!(h.query_by_label("step 0").is_some());
    assert!(h.query_by_label("step 1000").is_some());
    // A click on a snapshot shows its gallery.
    h.get_by_label("snapshot at step 400").click();
    h.step();
    until(&mut h, &|r| !r.tab.path.busy());
    h.step();
    assert!(h.query_by_label("Neurons at step 400").is_some());
    let fig = h.state().tab.path.figure.clone().unwrap();
    assert!(fig.width > 5 * 64 && fig.height > 2 * 64);
}

/// A long lineage wraps into rows inside the side panel instead of widening it over
/// the grid (seen in the real window: 19 generations pushed the panel to the window's
/// width).
#[test]
fn a_long_lineage_wraps_inside_the_panel() {
    let mut session = Session::new(4);
    for g in 0..14 {
        session.toggle_parent(g % 5);
        session.evolve().unwrap();
    }
    let mut h = Harness::builder()
        .with_size(egui::vec2(1000.0, 700.0))
        .build_ui_state(
            |ui, rig: &mut Rig| {
                egui::Panel::right("side")
                    .resizable(true)
                    .default_size(400.0)
                    .show(ui, |ui| {
                        rig.tab.session_ui(ui, &rig.session, Some(0), &mut vec![]);
                    });
            },
            Rig {
                tab: TwinTab::default(),
                session,
            },
        );
    h.step();
    h.get_by_label("Path").click();
    let t = Instant::now();
    while h.state().tab.path.lineage.len() < 10 {
        assert!(
            t.elapsed() < Duration::from_secs(60),
            "no lineage drawn: {:?} {:?} busy {} view {:?}",
            h.state().tab.path.error,
            h.state()
                .tab
                .path
                .lineage
                .iter()
                .map(|l| &l.0)
                .collect::<Vec<_>>(),
            h.state().tab.path.busy(),
            h.state().tab.view
        );
        h.step();
        std::thread::sleep(Duration::from_millis(10));
    }
    for _ in 0..5 {
        h.step();
    }
    let first = h.get_by_label("gen 1").rect();
    let title = h.state().tab.path.lineage.last().unwrap().0.clone();
    let last = h.get_by_label(&title).rect();
    assert!(
        first.min.x > 550.0,
        "the panel stays about 400 wide: {first:?}"
    );
    assert!(last.max.x <= 1000.0, "{last:?}");
    assert!(
        last.min.y > first.max.y,
        "wrapped onto a later row: {first:?} {last:?}"
    );
}

/// An opened genome has no ancestors in its session: the Path view says so.
#[test]
fn an_opened_genome_has_no_recorded_ancestry() {
    let g = Session::new(5).genomes()[2].clone();
    let session = Session::starting_from(6, Default::default(), g).unwrap();
    let mut h = Harness::builder()
        .with_size(egui::vec2(900.0, 900.0))
        .build_ui_state(
            |ui, rig: &mut Rig| {
                rig.tab.session_ui(ui, &rig.session, Some(0), &mut vec![]);
            },
            Rig {
                tab: TwinTab::default(),
                session,
            },
        );
    h.step();
    h.get_by_label("Path").click();
    let t = Instant::now();
    while h.state().tab.path.lineage.is_empty() {
        assert!(t.elapsed() < Duration::from_secs(30), "no lineage drawn");
        h.step();
        std::thread::sleep(Duration::from_millis(10));
    }
    h.step();
    assert_eq!(h.state().tab.path.lineage.len(), 1);
    h.get_by_label(picbreeder::experiment::jobs::NO_ANCESTRY);
}
