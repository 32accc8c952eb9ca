//! The SGD twin kept with its session, driven as a user would: trained, found in the
//! library while it trains, back in a new window on the same library, continued;
//! quitting while it trains asks, and each answer does what it says.

use super::*;
use egui_kittest::kittest::NodeT;
use picbreeder::dense::net::DenseNet;
use picbreeder::store::{SessionId, Store, TwinRecord};

/// The window's SGD twin panel.
fn tab<'a>(h: &'a mut Harness<'static, App>) -> &'a mut twin::TwinTab {
    h.state_mut()
        .side
        .iter_mut()
        .find_map(|t| t.as_twin())
        .expect("the twin panel")
}

fn bits(net: &DenseNet) -> Vec<u32> {
    net.layers
        .iter()
        .flat_map(|l| l.weights.iter().chain(l.bias.iter().flatten()))
        .map(|w| w.to_bits())
        .collect()
}

/// Runs frames until `done` holds (at most `secs` seconds).
fn until(
    h: &mut Harness<'static, App>,
    secs: u64,
    what: &str,
    done: impl Fn(&mut Harness<'static, App>) -> bool,
) {
    let start = Instant::now();
    while !done(h) {
        assert!(
            start.elapsed() < Duration::from_secs(secs),
            "timed out waiting for {what}"
        );
        h.step();
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn step_of(h: &mut Harness<'static, App>) -> u64 {
    tab(h).train.progress.as_ref().map_or(0, |p| p.step)
}

/// The library's twin of the window's session, read as another process would.
fn twin_in_library(dir: &Path, id: SessionId) -> Option<TwinRecord> {
    Store::open_read_only(&dir.join(picbreeder::store::LIBRARY_FILE))
        .ok()?
        .latest_twin(id)
        .ok()
        .flatten()
}

/// A window on `dir`'s library with the side panel open on the SGD view, child 1
/// viewed, set to train at 32x32 for `steps` steps, and started.
fn start_training(dir: &Path, steps: u64) -> Harness<'static, App> {
    let mut h = super::harness(AppState::with_session(
        super::session(41),
        Some(dir.to_path_buf()),
    ));
    settle(&mut h);
    h.get_by_label("child 1").click_secondary();
    settle(&mut h);
    let ctx = h.ctx.clone();
    h.state_mut().apply(&ctx, Action::ToggleSide);
    h.step();
    let t = tab(&mut h);
    t.train.resolution = 32;
    t.train.seed = 1;
    t.train.steps = steps;
    h.step();
    h.get_by_label("Start training").click();
    h.step();
    h
}

fn close_window(h: &mut Harness<'static, App>) {
    h.input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
    h.step();
    h.step();
}

/// The window asked to close in its last frame.
fn closing(h: &Harness<'static, App>) -> bool {
    h.output()
        .viewport_output
        .get(&egui::ViewportId::ROOT)
        .is_some_and(|v| v.commands.contains(&egui::ViewportCommand::Close))
}

/// A run's twin is in the library while it trains (a few seconds in), and once it
/// ends its net, curve and snapshots come back bit for bit in a new window on the
/// same library, beside the genome it was trained on; Keep training goes on from it,
/// numbering its steps on.
#[test]
fn a_trained_twin_is_in_the_library_and_comes_back_after_a_restart() {
    let dir = super::scratch("twin-keep");
    let mut h = start_training(&dir, 600);
    let id = h.state().state.library_session.expect("in the library");
    until(&mut h, 120, "a save while training", |h| {
        h.step();
        twin_in_library(&dir, id).is_some_and(|t| t.step > 0)
    });
    let during = twin_in_library(&dir, id).unwrap();
    assert_eq!(during.child, 0);
    assert!(during.step <= 600 && during.curve.len() as u64 <= during.step);
    until(&mut h, 240, "the run's end", |h| {
        tab(h).train.ended.is_some() && !tab(h).train.training()
    });
    settle(&mut h);
    let ended = tab(&mut h).train.ended;
    let (step, net) = tab(&mut h).train.newest().cloned().expect("a net");
    let losses = tab(&mut h).train.losses.clone();
    let kept: Vec<u64> = tab(&mut h)
        .train
        .path_snapshots()
        .iter()
        .map(|s| s.step)
        .collect();
    assert_eq!(step, 600, "ended {ended:?}");
    h.state_mut().state.autosave_now();
    drop(h);
    let saved = twin_in_library(&dir, id).expect("kept");
    assert_eq!(saved.step, 600);
    assert_eq!(
        bits(&saved.net),
        bits(&net),
        "the library has the final net"
    );

    // A new window on the same library: the session, its twin beside child 1.
    let mut st = AppState::start(Some(dir.clone()), None);
    st.wait_started();
    let mut h = super::harness(st);
    settle(&mut h);
    assert_eq!(h.state().state.library_session, Some(id));
    assert_eq!(
        h.state().state.viewed,
        Some(0),
        "the twin's child is viewed"
    );
    let ctx = h.ctx.clone();
    h.state_mut().apply(&ctx, Action::ToggleSide);
    settle(&mut h);
    assert!(tab(&mut h).train.restored, "the saved twin is shown");
    let back = tab(&mut h)
        .sgd_net()
        .expect("the SGD side has the saved net");
    let picbreeder::network::Network::Net(back) = &*back.net else {
        panic!("a dense net")
    };
    assert_eq!(bits(back), bits(&net), "the net, bit for bit");
    assert_eq!(tab(&mut h).train.losses, losses, "the curve");
    let back_kept: Vec<u64> = tab(&mut h)
        .train
        .path_snapshots()
        .iter()
        .map(|s| s.step)
        .collect();
    assert_eq!(back_kept, kept, "the snapshots");
    h.get_by_label_contains("Saved with the session");
    // Another child: the twin is not shown there; back to child 1, it is again.
    h.get_by_label("child 2").click_secondary();
    settle(&mut h);
    assert!(!tab(&mut h).train.has_run() && tab(&mut h).sgd_net().is_none());
    h.get_by_label("child 1").click_secondary();
    settle(&mut h);
    assert!(tab(&mut h).train.restored);
    // Keep training goes on from the saved net, numbering on.
    tab(&mut h).train.steps = 50;
    h.step();
    h.get_by_label("Keep training").click();
    h.step();
    until(&mut h, 120, "more steps", |h| {
        tab(h).train.ended.is_some() && !tab(h).train.training()
    });
    h.step();
    let t = tab(&mut h);
    assert_eq!(t.train.newest().map(|n| n.0), Some(650));
    assert_eq!(
        t.train.losses[losses.len()][0],
        601.0,
        "the curve goes on at step 601"
    );
    settle(&mut h);
    until(&mut h, 30, "the continued run saved", |h| {
        h.step();
        twin_in_library(&dir, id).is_some_and(|t| t.step == 650)
    });
    let saved = twin_in_library(&dir, id).unwrap();
    assert_eq!(saved.started, during.started, "the same twin, continued");
    assert_eq!(saved.curve.len(), losses.len() + 50);
    // Reset forgets it: gone from the library, and not shown again.
    h.get_by_label("Reset").click();
    settle(&mut h);
    settle(&mut h);
    assert!(twin_in_library(&dir, id).is_none(), "the library forgot it");
    assert!(!tab(&mut h).train.has_run() && tab(&mut h).saved.is_none());
    let _ = std::fs::remove_dir_all(dir);
}

/// Ctrl+Q while a run trains asks with three choices: Stay keeps the window and the
/// run; "Keep the training state and quit" stops the run, saves its final net and
/// closes; "Quit anyway" forgets the run in the library and closes.
#[test]
fn quitting_while_training_asks_and_each_answer_does_what_it_says() {
    let dir = super::scratch("twin-quit");
    let mut h = start_training(&dir, 1_000_000);
    let id = h.state().state.library_session.unwrap();
    until(&mut h, 60, "steps", |h| step_of(h) > 20);
    // The key in one frame (the harness's own key presses take a frame an event).
    let input = h.input_mut();
    input
        .events
        .push(egui::Event::ModifiersChanged(egui::Modifiers::COMMAND));
    input.events.push(egui::Event::Key {
        key: egui::Key::Q,
        physical_key: None,
        pressed: true,
        repeat: false,
        modifiers: egui::Modifiers::COMMAND,
    });
    h.step();
    assert!(closing(&h), "Ctrl+Q closes the window");
    h.input_mut()
        .events
        .push(egui::Event::ModifiersChanged(egui::Modifiers::NONE));
    close_window(&mut h);
    assert!(h.state().quit.asking_training, "quitting asks first");
    assert!(!closing(&h));
    h.get_by_label("A training run is going");
    h.get_by_label("Keep the training state and quit");
    h.get_by_label("Quit anyway (discard the run)");
    h.get_by_label("Stay").click();
    h.step();
    assert!(!h.state().quit.asking_training && !closing(&h));
    let before = step_of(&mut h);
    until(&mut h, 60, "more steps after Stay", |h| step_of(h) > before);
    assert!(tab(&mut h).train.training(), "the run goes on");

    // Keep: the run stops, its final net is saved, the window closes.
    close_window(&mut h);
    h.get_by_label("Keep the training state and quit").click();
    h.step();
    assert!(closing(&h), "the window closes");
    assert!(!tab(&mut h).train.training(), "the run stopped");
    let (step, net) = tab(&mut h).train.newest().cloned().unwrap();
    h.state_mut().state.autosave_now();
    let saved = twin_in_library(&dir, id).expect("the state kept");
    assert_eq!(saved.step, step, "the final step");
    assert_eq!(bits(&saved.net), bits(&net));
    assert_eq!(saved.curve.len() as u64, step, "every step's loss");
    drop(h);

    // Quit anyway: the run is forgotten in the library.
    let dir2 = super::scratch("twin-quit2");
    let mut h = start_training(&dir2, 1_000_000);
    let id2 = h.state().state.library_session.unwrap();
    // Saved while it trains: at once, then every few seconds.
    until(&mut h, 60, "a save while training", |h| {
        h.step();
        twin_in_library(&dir2, id2).is_some_and(|t| t.step > 0) && tab(h).train.training()
    });
    close_window(&mut h);
    h.get_by_label("Quit anyway (discard the run)").click();
    h.step();
    assert!(closing(&h));
    assert!(!tab(&mut h).train.has_run(), "the run is discarded");
    h.state_mut().state.autosave_now();
    assert!(
        twin_in_library(&dir2, id2).is_none(),
        "the library forgot it"
    );
    drop(h);
    let _ = std::fs::remove_dir_all(dir);
    let _ = std::fs::remove_dir_all(dir2);
}

/// A long run shows its speed and the time left, consistent with each other: the
/// time left is the remaining steps over the rate shown, and falls as steps go.
#[test]
fn a_long_run_shows_steps_per_second_and_time_left() {
    let dir = super::scratch("twin-pace");
    let mut h = start_training(&dir, 1_000_000);
    until(&mut h, 60, "a rate", |h| {
        step_of(h) > 10 && tab(h).train.pace.rate().is_some()
    });
    let mut seen = vec![];
    for _ in 0..2 {
        let before = step_of(&mut h);
        until(&mut h, 60, "steps", |h| step_of(h) > before + 5);
        h.step();
        let t = tab(&mut h);
        let step = t.train.progress.as_ref().unwrap().step;
        let rate = t.train.pace.rate().unwrap();
        let left = t.train.pace.time_left(step, 1_000_000).unwrap();
        assert!(rate > 0.0 && rate.is_finite());
        let expected = (1_000_000 - step) as f64 / rate;
        assert!((left.as_secs_f64() - expected).abs() < 1e-6 * expected);
        seen.push((step, rate, left));
    }
    let node = h.get_by_label_contains("steps/s").accesskit_node();
    let label = node.label().or(node.value()).unwrap_or_default();
    assert!(
        label.contains(" of 1000000") && label.contains(" left"),
        "{label}"
    );
    // At a steady rate more steps leave less time (the rate may wander: compare each
    // with the steps it has left).
    let (a, b) = (seen[0], seen[1]);
    assert!(b.0 > a.0);
    assert!(
        (1_000_000 - b.0) as f64 / a.1 < a.2.as_secs_f64(),
        "time left at a's rate falls with the steps"
    );
    let _ = std::fs::remove_dir_all(dir);
}
