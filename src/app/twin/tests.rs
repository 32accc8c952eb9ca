//! The inspect panel driven as a user would, headless: galleries, sweeps, graph edits.

use super::gallery::GalleryView;
use super::*;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use picbreeder::cppn::Program;
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn shared(file: &str) -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/picbreeder")
        .join(file);
    if p.exists() {
        Some(p)
    } else {
        eprintln!("\n*** SKIPPED: {} is missing ***\n", p.display());
        None
    }
}

fn skull() -> Option<Genome> {
    Some(picbreeder::io::detect::load_genome(&shared("skull.zip")?).expect("skull loads"))
}

struct Rig {
    tab: TwinTab,
    genome: Genome,
    /// What the panel asked of the app, in order.
    actions: Vec<Action>,
    /// The answer the app's file dialog gives (as a user would pick or type it).
    answer: Option<PathBuf>,
}

impl Rig {
    /// Draws the panel and plays the app's part: answers file dialogs with `answer`.
    fn ui(&mut self, ui: &mut egui::Ui) {
        let mut actions = vec![];
        self.tab.ui(ui, Some(&self.genome), &mut actions);
        for a in &actions {
            if let (Action::Ask(Intent::Twin(file)), Some(path)) = (a, &self.answer) {
                self.tab.file_chosen(ui.ctx(), *file, path);
            }
        }
        self.actions.extend(actions);
    }

    /// The genome the panel last asked to breed from.
    fn wants_parent(&self) -> Option<&Genome> {
        self.actions.iter().rev().find_map(|a| match a {
            Action::StartFromGenome(g) => Some(&**g),
            _ => None,
        })
    }
}

fn harness(genome: Genome) -> Harness<'static, Rig> {
    harness_sized(genome, egui::vec2(900.0, 1400.0))
}

fn harness_sized(genome: Genome, size: egui::Vec2) -> Harness<'static, Rig> {
    harness_at(genome, size, 1.0)
}

/// A panel of `size` points at `ppp` pixels a point.
fn harness_at(genome: Genome, size: egui::Vec2, ppp: f32) -> Harness<'static, Rig> {
    Harness::builder()
        .with_size(size)
        .with_pixels_per_point(ppp)
        .build_ui_state(
            |ui, rig: &mut Rig| rig.ui(ui),
            Rig {
                tab: TwinTab::default(),
                genome,
                actions: vec![],
                answer: None,
            },
        )
}

/// Skull's galleries beside the paper's SGD net for it, in a panel of `size`.
fn skull_beside_paper_net(size: egui::Vec2) -> Option<Harness<'static, Rig>> {
    skull_beside_paper_net_at(size, 1.0)
}

fn skull_beside_paper_net_at(size: egui::Vec2, ppp: f32) -> Option<Harness<'static, Rig>> {
    let (g, net) = (skull()?, shared("sgd/skull.json")?);
    let mut h = harness_at(g, size, ppp);
    h.get_by_label("Neurons").click();
    settle(&mut h);
    let ctx = h.ctx.clone();
    h.state_mut().tab.open_net(&ctx, &net);
    settle(&mut h);
    Some(h)
}

/// Runs frames until no background job is pending (at most 30 s).
fn settle(h: &mut Harness<'static, Rig>) {
    let start = Instant::now();
    loop {
        h.step();
        if !h.state().tab.busy() {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the panel never became idle"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    h.step();
    h.step();
}

#[test]
fn galleries_fit_side_by_side_or_show_the_chosen_neuron_size() {
    let Some(mut h) = skull_beside_paper_net(egui::vec2(560.0, 900.0)) else {
        return;
    };
    let (l, r) = (
        h.state().tab.neurons.evolved.rect.unwrap(),
        h.state().tab.neurons.sgd.rect.unwrap(),
    );
    assert!(
        l.right() <= r.left() && r.right() <= 560.0,
        "side by side: {l:?} {r:?}"
    );
    // Full size: 22 neurons of 40 points and the enlarged image, wider than the panel;
    // the galleries stack and scroll.
    h.get_by_label("fit to panel").click();
    settle(&mut h);
    let (l, r) = (
        h.state().tab.neurons.evolved.rect.unwrap(),
        h.state().tab.neurons.sgd.rect.unwrap(),
    );
    assert!(l.width() > 22.0 * 40.0, "{l:?}");
    assert!(l.bottom() <= r.top(), "stacked: {l:?} {r:?}");
}

#[test]
fn export_writes_both_galleries_or_the_sweep_strips_as_one_png() {
    let Some(mut h) = skull_beside_paper_net(egui::vec2(900.0, 1400.0)) else {
        return;
    };
    let out = std::env::temp_dir().join(format!("pb-galleries-{}.png", std::process::id()));
    let ctx = h.ctx.clone();
    h.state_mut().tab.export_png(&ctx, &out);
    settle(&mut h);
    let img = picbreeder::io::png::load(&out).expect("the export is a PNG");
    let (l, r) = (
        h.state().tab.neurons.evolved.image().unwrap().clone(),
        h.state().tab.neurons.sgd.image().unwrap().clone(),
    );
    // Side by side with 2-pixel gaps, as `sweep::sheet` lays them out.
    assert_eq!(img.width, 2 * l.width.max(r.width) + 6);
    assert_eq!(img.pixel(2 + 5, 2 + 5), l.pixel(5, 5));
    // The figure carries the evolved genome it shows.
    let carried = picbreeder::io::png::carried_genome(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(carried.as_ref(), h.state().tab.genome());
    // The Sweep view exports its strips: a link of skull's, swept on both sides.
    h.get_by_label("Sweep").click();
    settle(&mut h);
    let link = h.state().tab.genome().unwrap().links[0].id;
    let ctx = h.ctx.clone();
    h.state_mut().tab.sweep.choose(Param::Link(link), &|_| None);
    settle(&mut h);
    h.state_mut().tab.export_png(&ctx, &out);
    settle(&mut h);
    let strips = picbreeder::io::png::load(&out).unwrap();
    let size = h.state().tab.sweep.size;
    assert_eq!(strips.width, 5 * (size + 2) + 2);
    assert!(
        h.state()
            .tab
            .message
            .as_ref()
            .unwrap()
            .starts_with("wrote ")
    );
    let _ = std::fs::remove_file(out);
}

#[test]
fn galleries_show_every_layer_of_both_networks() {
    let Some(mut h) = skull_beside_paper_net(egui::vec2(900.0, 1400.0)) else {
        return;
    };
    let widths = |v: &GalleryView| {
        v.layout()
            .map(|l| l.rows.iter().map(Vec::len).collect::<Vec<_>>())
    };
    let want: Vec<usize> = std::iter::once(4)
        .chain(std::iter::repeat_n(22, 12))
        .chain([3])
        .collect();
    assert_eq!(
        widths(&h.state().tab.neurons.evolved),
        Some(want.clone()),
        "layerized evolved net"
    );
    assert_eq!(
        widths(&h.state().tab.neurons.sgd),
        Some(want),
        "the paper's SGD net"
    );
    // The graph form: inputs, 11 rows of hidden nodes, the ink output.
    h.get_by_label("evolved net layerized (neuron (layer i, j) comparable)")
        .click();
    settle(&mut h);
    let rows = widths(&h.state().tab.neurons.evolved).unwrap();
    assert_eq!((rows[0], rows.iter().sum::<usize>()), (4, 23));
}

#[test]
fn choosing_a_link_sweeps_both_networks_and_the_slider_scrubs() {
    let (Some(g), Some(net)) = (skull(), shared("sgd/skull.json")) else {
        return;
    };
    let mut h = harness(g);
    settle(&mut h);
    let ctx = h.ctx.clone();
    h.state_mut().tab.open_net(&ctx, &net);
    h.get_by_label("Sweep").click();
    settle(&mut h);
    h.get_by_label("Rank links by effect").click();
    settle(&mut h);
    assert_eq!(h.state().tab.sweep.ranking.len(), 57);
    // The all-sweeps page: a strip for every link.
    h.get_by_label("all sweeps").click();
    settle(&mut h);
    assert!(h.state().tab.sweep.show_all);
    assert_eq!(h.state().tab.sweep.all_strip_images(), 57 * 5);
    h.get_by_label("all sweeps").click();
    settle(&mut h);
    // Pick the link that changes the picture most, at the top of the ranking.
    let (top, change) = h.state().tab.sweep.ranking[0];
    assert!(h.state().tab.sweep.ranking.iter().all(|r| r.1 <= change));
    h.get_by_label(&format!("{top}   change {change:.1}"))
        .click();
    settle(&mut h);
    let targets = h.state().tab.sweep.targets.clone();
    assert_eq!(targets[0].as_ref().unwrap().label, top.to_string());
    assert!(
        targets[1].as_ref().unwrap().label.ends_with("(same place)"),
        "{:?}",
        targets[1]
    );
    assert_eq!(h.state().tab.sweep.strip_len(), [5, 5]);
    // Scrub: focus the slider and step it with the keyboard.
    h.get_by_role_and_label(egui::accesskit::Role::Slider, "scrub delta")
        .focus();
    h.step();
    for _ in 0..3 {
        h.key_press(egui::Key::ArrowRight);
        h.step();
    }
    settle(&mut h);
    assert!(
        h.state().tab.sweep.delta > 0.0,
        "delta {}",
        h.state().tab.sweep.delta
    );
}

#[test]
fn the_ranking_survives_a_new_sgd_snapshot_but_not_an_edit() {
    let (Some(g), Some(net)) = (skull(), shared("sgd/skull.json")) else {
        return;
    };
    let mut h = harness(g);
    h.get_by_label("Sweep").click();
    settle(&mut h);
    h.get_by_label("Rank links by effect").click();
    settle(&mut h);
    assert_eq!(h.state().tab.sweep.ranking.len(), 57);
    // What training does every few hundred milliseconds.
    let ctx = h.ctx.clone();
    h.state_mut().tab.open_net(&ctx, &net);
    settle(&mut h);
    assert_eq!(h.state().tab.sweep.ranking.len(), 57);
    h.get_by_label("all sweeps");
    // A hand edit changes the evolved network: its ranking is stale.
    h.state_mut().tab.edit(|g| Ok(g.clone()));
    settle(&mut h);
    assert!(h.state().tab.sweep.ranking.is_empty());
}

#[test]
fn skulls_graph_fits_a_short_panel_inputs_and_all() {
    let Some(g) = skull() else { return };
    let mut h = harness_sized(g, egui::vec2(540.0, 500.0));
    h.get_by_label("Graph").click();
    settle(&mut h);
    let drawn = h.state().tab.graph.drawn.expect("the graph is drawn");
    assert!(
        drawn.bottom() <= 500.0 && drawn.height() > 300.0,
        "graph at {drawn:?} in a 500-point-high panel"
    );
}

#[test]
fn zooming_the_graph_grows_it_past_the_panel_and_back() {
    let Some(g) = skull() else { return };
    let mut h = harness_sized(g, egui::vec2(540.0, 500.0));
    h.get_by_label("Graph").click();
    settle(&mut h);
    let fitted = h.state().tab.graph.drawn.unwrap();
    for _ in 0..2 {
        h.get_by_label("+").click();
        h.step();
    }
    settle(&mut h);
    let zoomed = h.state().tab.graph.drawn.unwrap();
    h.get_by_label("156%");
    assert!(
        zoomed.width() > 1.5 * fitted.width() && zoomed.height() > fitted.height(),
        "{fitted:?} -> {zoomed:?}"
    );
    for _ in 0..3 {
        h.get_by_label("-").click();
        h.step();
    }
    settle(&mut h);
    assert_eq!(h.state().tab.graph.drawn.unwrap().size(), fitted.size());
}

#[test]
fn graph_nodes_never_overlap_and_stay_inside() {
    let apple = shared("apple.zip").map(|p| picbreeder::io::detect::load_genome(&p).unwrap());
    for g in [skull(), apple].into_iter().flatten() {
        let program = picbreeder::cppn::Program::compile(&g).unwrap();
        for (width, height) in [(520.0, 500.0), (400.0, 300.0), (900.0, 1400.0)] {
            let (centres, node) = super::graph::place(&program, width, height);
            for (i, a) in centres.iter().enumerate() {
                assert!(a.x >= node / 2.0 - 1e-3 && a.x <= width - node / 2.0 + 1e-3);
                for b in &centres[i + 1..] {
                    let apart = (a.x - b.x).abs().max((a.y - b.y).abs());
                    assert!(apart >= node - 1e-3, "{a:?} and {b:?} overlap ({node})");
                }
            }
        }
    }
}

#[test]
fn editing_a_weight_in_the_graph_is_undoable() {
    let Some(g) = skull() else { return };
    let original = g.clone();
    let mut h = harness(g);
    h.get_by_label("Graph").click();
    settle(&mut h);
    // Pick a link the way a click does, then type a weight into its field.
    let id = original.links[0].id;
    h.state_mut().tab.graph.pick = Some(Pick::Link(id));
    h.step();
    let field = h.get_by_role(egui::accesskit::Role::SpinButton);
    field.focus();
    h.step();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    let field = h.get_by_role(egui::accesskit::Role::SpinButton);
    field.type_text("2.5");
    h.key_press(egui::Key::Enter);
    settle(&mut h);
    let edited = h.state().tab.genome().unwrap().clone();
    assert_eq!(edited.link(id).unwrap().weight, 2.5);
    assert_eq!(edited.validate(), Ok(vec![]));
    h.get_by_label("Undo edit").click();
    settle(&mut h);
    assert_eq!(h.state().tab.genome(), Some(&original));
    h.get_by_label("Redo edit").click();
    settle(&mut h);
    assert_eq!(
        h.state().tab.genome().unwrap().link(id).unwrap().weight,
        2.5
    );
    h.get_by_label("Use as parent").click();
    h.step();
    assert_eq!(
        h.state()
            .wants_parent()
            .and_then(|g| g.link(id))
            .map(|l| l.weight),
        Some(2.5)
    );
}

#[test]
fn a_network_saved_from_the_panel_opens_again_the_same() {
    let Some(mut h) = skull_beside_paper_net(egui::vec2(900.0, 1400.0)) else {
        return;
    };
    let out = std::env::temp_dir().join(format!("pb-saved-net-{}.json", std::process::id()));
    h.state_mut().answer = Some(out.clone());
    h.step();
    h.get_by_label("Save network...").click();
    settle(&mut h);
    assert_eq!(
        h.state().tab.message.as_deref(),
        Some(format!("saved {}", out.display()).as_str())
    );
    let Ok(picbreeder::io::Loaded::Net(saved)) = picbreeder::io::load_any(&out) else {
        panic!("the saved file is not a network");
    };
    let Network::Net(shown) = &*h.state().tab.sgd.as_ref().unwrap().net else {
        panic!("the SGD side holds a network");
    };
    assert_eq!(&saved, shown);
    let _ = std::fs::remove_file(out);
}

#[test]
fn a_bad_network_file_leaves_the_sgd_side_alone() {
    let Some(g) = skull() else { return };
    let mut h = harness(g);
    settle(&mut h);
    let bad = std::env::temp_dir().join(format!("pb-bad-net-{}.json", std::process::id()));
    std::fs::write(&bad, "{\"format\": \"picbreeder-net\", \"version\": 1").unwrap();
    let ctx = h.ctx.clone();
    h.state_mut().tab.open_net(&ctx, &bad);
    settle(&mut h);
    assert!(h.state().tab.sgd.is_none());
    assert!(
        h.state()
            .tab
            .message
            .as_ref()
            .unwrap()
            .contains("pb-bad-net")
    );
}

/// Runs frames until `done` holds (at most `secs` seconds).
fn run_until(h: &mut Harness<'static, Rig>, secs: u64, done: impl Fn(&Rig) -> bool) {
    let start = Instant::now();
    while !done(h.state()) {
        assert!(start.elapsed() < Duration::from_secs(secs), "timed out");
        h.step();
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn step_of(r: &Rig) -> u64 {
    r.tab.train.progress.as_ref().map_or(0, |p| p.step)
}

#[test]
fn training_from_the_panel_counts_steps_lowers_the_loss_and_pauses() {
    let Some(g) = skull() else { return };
    let mut h = harness(g);
    h.state_mut().tab.train.resolution = 64;
    h.step();
    h.get_by_label("Start training").click();
    run_until(&mut h, 120, |r| step_of(r) >= 200);
    let losses = &h.state().tab.train.losses;
    let (first, last) = (losses[0][1], losses[losses.len() - 1][1]);
    assert!(last < first - 0.3, "log10 loss went from {first} to {last}");
    // The SGD side follows the run: the paper architecture's 12 hidden layers of 22.
    run_until(&mut h, 30, |r| r.tab.sgd.is_some());
    h.get_by_label("Pause").click();
    run_until(&mut h, 30, |r| {
        r.tab.train.progress.as_ref().is_some_and(|p| p.paused)
    });
    let paused_at = step_of(h.state());
    for _ in 0..20 {
        h.step();
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(
        step_of(h.state()) <= paused_at + 1,
        "kept training while paused"
    );
    // "Export curve..." asks the app's dialog for a path, then writes the CSV there.
    let csv = std::env::temp_dir().join(format!("pb-curve-{}.csv", std::process::id()));
    h.state_mut().answer = Some(csv.clone());
    h.get_by_label("Export curve...").click();
    settle(&mut h);
    assert!(
        h.state()
            .actions
            .iter()
            .any(|a| matches!(a, Action::Ask(Intent::Twin(TwinFile::CurveCsv))))
    );
    let written = std::fs::read_to_string(&csv).expect("the curve is written");
    assert!(
        written.starts_with("step,loss,psnr_db,forward_passes\n1,"),
        "{written:.80}"
    );
    // The paper's method: 3 forward passes a step (a forward and a backward).
    assert!(
        written.lines().nth(1).is_some_and(|l| l.ends_with(",3")),
        "{written:.80}"
    );
    assert!(written.lines().count() > 200);
    let _ = std::fs::remove_file(&csv);
    h.get_by_label("Resume").click();
    run_until(&mut h, 60, |r| step_of(r) > paused_at + 20);
    h.get_by_label("Neurons").click();
    settle(&mut h);
    let rows: Vec<usize> = h
        .state()
        .tab
        .neurons
        .sgd
        .layout()
        .unwrap()
        .rows
        .iter()
        .map(Vec::len)
        .collect();
    assert_eq!(rows.len(), 14);
    assert!(rows[1..13].iter().all(|&w| w == 22));
    h.get_by_label("SGD").click();
    h.step();
    h.get_by_label("Reset").click();
    h.step();
    assert!(!h.state().tab.train.has_run());
}

#[test]
fn the_loss_curve_stays_in_view_in_a_short_window() {
    let Some(g) = skull() else { return };
    let mut h = harness_sized(g, egui::vec2(900.0, 500.0));
    h.state_mut().tab.train.resolution = 64;
    h.step();
    h.get_by_label("Start training").click();
    run_until(&mut h, 120, |r| step_of(r) >= 50);
    h.step();
    let plot = h
        .state()
        .tab
        .train
        .plot_rect
        .expect("the loss curve is drawn");
    assert!(
        plot.bottom() <= 500.0 && plot.height() >= 100.0,
        "loss curve at {plot:?} in a 500-point-high panel"
    );
}

#[test]
fn viewing_another_genome_asks_before_discarding_a_run() {
    let Some(g) = skull() else { return };
    let mut h = harness(g.clone());
    h.state_mut().tab.train.resolution = 32;
    h.step();
    h.get_by_label("Start training").click();
    run_until(&mut h, 60, |r| step_of(r) > 0);
    let mut other = g.clone();
    other.links[0].weight += 0.5;
    h.state_mut().genome = other.clone();
    h.step();
    h.step();
    assert!(
        h.state().tab.genome() == Some(&g),
        "switched without asking"
    );
    h.get_by_label("Keep training this one").click();
    h.step();
    h.step(); // the prompt is gone: let the layout settle before the next click
    assert!(h.state().tab.train.has_run());
    assert!(h.state().tab.genome() == Some(&g));
    h.get_by_label("Reset").click();
    h.step();
    h.step();
    assert!(
        h.state().tab.genome() == Some(&other),
        "follows the grid once the run is gone"
    );
}

#[test]
fn a_picked_neurons_incoming_weights_are_listed_and_sweep() {
    let Some(g) = skull() else { return };
    let ink = Program::compile(&g).unwrap().outputs.planes()[0];
    let mut h = harness(g);
    h.get_by_label("Neurons").click();
    settle(&mut h);
    h.get_by_label("evolved net layerized (neuron (layer i, j) comparable)")
        .click();
    settle(&mut h);
    h.state_mut().tab.neurons.evolved.picked = Some(ink);
    h.step();
    // ink's three incoming links, strongest first: 534:10 (-0.81), 576:76, 540:127.
    for l in ["link 534:10", "link 576:76", "link 540:127"] {
        h.get_by_label(l);
    }
    h.get_all_by_label("sweep").next().unwrap().click();
    settle(&mut h);
    assert_eq!(h.state().tab.view, View::Sweep);
    assert_eq!(
        h.state().tab.sweep.targets[0].as_ref().unwrap().label,
        "link 534:10"
    );
}

#[test]
fn measure_view_fills_the_scorecard_and_the_pca_gallery_toggles() {
    let Some(mut h) = skull_beside_paper_net(egui::vec2(900.0, 1400.0)) else {
        return;
    };
    let plain = h
        .state()
        .tab
        .neurons
        .sgd
        .image()
        .cloned()
        .expect("SGD gallery drawn");
    h.get_by_label("PCA: layers rotated").click();
    settle(&mut h);
    assert!(h.state().tab.neurons.sgd.pca);
    let rotated = h
        .state()
        .tab
        .neurons
        .sgd
        .image()
        .cloned()
        .expect("PCA gallery drawn");
    assert_eq!((plain.width, plain.height), (rotated.width, rotated.height));
    assert_ne!(plain, rotated, "the PCA gallery shows other planes");
    h.state_mut().tab.measure.options.grid = 32;
    h.get_by_label("Measure").click();
    settle(&mut h);
    let tab = &h.state().tab;
    assert!(!tab.measure.stale());
    let cards = tab.measure.cards();
    assert_eq!(cards.len(), 3);
    assert_eq!(cards[0].neurons.hidden, 18);
    assert_eq!(cards[2].weights, 5478);
    assert!(cards[2].sweeps.sampled);
    // The table is on screen: a row name and a value.
    h.get_by_label("distinct functions");
    h.get_by_label("dense");
    // The new measures' rows and their plots by layer (every measure of the table).
    h.get_by_label("mean roughness");
    h.get_by_label("mean effective rank / width");
    h.get_by_label("effective rank / width by layer");
    assert!(
        cards[2]
            .layers
            .iter()
            .all(|l| l.values["roughness"].is_finite())
    );
    // No cell of the table wraps (each name and value one line), at the panel's
    // default width too.
    let cards = cards.to_vec();
    let mut texts: Vec<String> = cards.iter().map(|c| c.name.clone()).collect();
    for (name, values) in picbreeder::measure::format::table(&cards) {
        texts.push(name);
        texts.extend(values);
    }
    for width in [900.0, 560.0] {
        h.set_size(egui::vec2(width, 1400.0));
        settle(&mut h);
        let mut seen = 0;
        for c in &h.output().shapes {
            if let egui::Shape::Text(t) = &c.shape
                && texts.iter().any(|n| n == t.galley.text())
            {
                assert_eq!(
                    t.galley.rows.len(),
                    1,
                    "{width}: {:?} wraps",
                    t.galley.text()
                );
                let right = t.pos.x + t.galley.size().x;
                // Wider than a narrow panel, the table scrolls sideways.
                if width >= 900.0 {
                    assert!(
                        right <= width,
                        "{width}: {:?} ends at {right}",
                        t.galley.text()
                    );
                }
                seen += 1;
            }
        }
        assert!(seen >= 20, "{width}: the table drawn ({seen} cells)");
    }
}

#[test]
fn a_label_assigned_in_the_graph_shows_in_the_legend_and_the_ranking_and_undoes() {
    let Some(g) = skull() else { return };
    let original = g.clone();
    let mut h = harness(g);
    h.get_by_label("Graph").click();
    settle(&mut h);
    let id = original.links[0].id;
    h.state_mut().tab.graph.pick = Some(Pick::Link(id));
    h.step();
    h.get_by_label("+ label").click();
    settle(&mut h);
    assert_eq!(h.state().tab.genome().unwrap().notes.labels.len(), 1);
    h.get_by_label("Label 1 (0)");
    // Assign it to the picked link with the chooser.
    h.get_by_label("Label 1").click();
    settle(&mut h);
    let labelled = h.state().tab.genome().unwrap().clone();
    assert_eq!(labelled.notes.link_label(id).unwrap().text, "Label 1");
    assert_eq!(labelled.links, original.links, "labels change no weight");
    h.get_by_label("Label 1 (1)");
    // The sweep ranking names the link's label.
    h.get_by_label("Sweep").click();
    settle(&mut h);
    h.get_by_label("Rank links by effect").click();
    settle(&mut h);
    let change = h
        .state()
        .tab
        .sweep
        .ranking
        .iter()
        .find(|r| r.0 == Param::Link(id))
        .unwrap()
        .1;
    // Filter the ranking to the label: its one link's row, clicked, is swept.
    h.get_by_role(egui::accesskit::Role::ComboBox).click();
    settle(&mut h);
    h.get_by_label("Label 1").click();
    settle(&mut h);
    assert_eq!(
        h.state().tab.sweep.label_filter,
        Some(labelled.notes.labels[0].id)
    );
    h.get_by_label(&format!("{id} - Label 1   change {change:.1}"))
        .click();
    settle(&mut h);
    assert_eq!(
        h.state().tab.sweep.targets[0].as_ref().unwrap().label,
        format!("{id} - Label 1")
    );
    // Undo the assignment, then the new label.
    h.get_by_label("Graph").click();
    settle(&mut h);
    h.get_by_label("Undo edit").click();
    settle(&mut h);
    assert!(h.state().tab.genome().unwrap().notes.link_labels.is_empty());
    h.get_by_label("Undo edit").click();
    settle(&mut h);
    assert_eq!(h.state().tab.genome(), Some(&original));
}

/// The rectangle each texture was drawn into last frame, and every text drawn.
fn drawn(h: &Harness<'static, Rig>) -> (HashMap<egui::TextureId, egui::Rect>, Vec<String>) {
    let (mut meshes, mut texts) = (HashMap::new(), vec![]);
    for c in &h.output().shapes {
        match &c.shape {
            egui::Shape::Mesh(m) => {
                meshes.insert(m.texture_id, m.calc_bounds());
            }
            egui::Shape::Text(t) => texts.push(t.galley.text().to_string()),
            _ => {}
        }
    }
    (meshes, texts)
}

#[test]
fn gallery_cells_are_drawn_where_the_layout_puts_them_at_every_width_and_size() {
    // The panel's default width and others, fitted or at a chosen neuron size, at one
    // and at one and a half pixels a point.
    let cases = [
        (560.0, 40, true, 1.0),
        (433.0, 40, true, 1.0),
        (733.0, 24, true, 1.0),
        (1213.0, 57, true, 1.0),
        (700.0, 24, false, 1.0),
        (611.0, 40, true, 1.5),
        (560.0, 24, true, 1.5),
        (700.0, 57, false, 1.5),
    ];
    let mut h = None;
    for (width, thumb, fit, ppp) in cases {
        let case = format!("{width} points wide, neurons {thumb}, fit {fit}, {ppp} px/pt");
        if h.as_ref()
            .is_none_or(|h: &Harness<'static, Rig>| h.ctx.pixels_per_point() != ppp)
        {
            h = skull_beside_paper_net_at(egui::vec2(width, 900.0), ppp);
        }
        let Some(h) = h.as_mut() else { return };
        h.set_size(egui::vec2(width, 900.0));
        h.state_mut().tab.neurons.fit = fit;
        h.state_mut().tab.neurons.evolved.thumb = thumb;
        settle(h);
        let (meshes, texts) = drawn(h);
        let n = &h.state().tab.neurons;
        for g in [&n.evolved, &n.sgd] {
            let geo = g.geometry.as_ref().expect("drawn");
            let layout = g.layout().unwrap();
            assert_eq!(geo.cells.len(), layout.neuron_count(), "{case}");
            // Each neuron drawn exactly into its layout cell, on whole pixels.
            let textures = g.cell_textures();
            assert_eq!(textures.len(), geo.cells.len());
            for (i, (t, cell)) in textures.iter().zip(&geo.cells).enumerate() {
                let Some(r) = meshes.get(t) else {
                    // At full size the lower gallery may be below the window.
                    assert!(!fit, "{case}: neuron {i} not drawn");
                    continue;
                };
                assert!(
                    (r.min - cell.min).length() < 1e-3 && (r.max - cell.max).length() < 1e-3,
                    "{case}: neuron {i} drawn at {r:?}, its cell is {cell:?}"
                );
                for v in [cell.min.x, cell.min.y, cell.width(), cell.height()] {
                    let p = v * ppp;
                    assert!(
                        (p - p.round()).abs() < 1e-3,
                        "{case}: {cell:?} off the pixels"
                    );
                }
                assert!(geo.grid.contains_rect(*cell), "{case}");
            }
            // Cells of one size, two pixels apart (the grid's lines), none overlapping.
            let side = geo.cells[0].width();
            let mut at = 0;
            for row in &layout.rows {
                let cells = &geo.cells[at..at + row.len()];
                at += row.len();
                for w in cells.windows(2) {
                    assert!((w[0].width() - side).abs() < 1e-3, "{case}");
                    let gap = (w[1].left() - w[0].right()) * ppp;
                    assert!((gap - 2.0).abs() < 1e-3, "{case}: a {gap}-pixel line");
                    assert_eq!(w[0].top(), w[1].top(), "{case}");
                }
            }
            if fit {
                assert!(geo.rect.right() <= width + 1e-3, "{case}: {:?}", geo.rect);
                assert!(side >= 4.0, "{case}: cells of {side}");
            } else {
                assert!(
                    (side * ppp - thumb as f32).abs() < 1e-3,
                    "{case}: cells of {side}"
                );
            }
        }
        if fit {
            let (l, r) = (n.evolved.geometry.as_ref(), n.sgd.geometry.as_ref());
            assert!(l.unwrap().rect.right() <= r.unwrap().rect.left(), "{case}");
        }
        // Layer numbers down the left, the inputs named under them.
        for label in ["0", "1", "12", "x", "y", "d"] {
            assert!(
                texts.iter().any(|t| t == label),
                "{case}: no {label:?} drawn"
            );
        }
    }
}

#[test]
fn discarding_the_run_drops_its_net_from_the_neurons_and_measure_views() {
    let Some(g) = skull() else { return };
    let mut h = harness(g.clone());
    h.state_mut().tab.train.resolution = 32;
    h.step();
    h.get_by_label("Start training").click();
    run_until(&mut h, 120, |r| r.tab.sgd_net().is_some());
    h.get_by_label("Neurons").click();
    settle(&mut h);
    assert!(
        h.state().tab.neurons.sgd.layout().is_some(),
        "the run's net shown"
    );
    // Another genome is viewed; the user discards the run.
    let mut other = g.clone();
    other.links[0].weight += 0.5;
    h.state_mut().genome = other;
    h.step();
    h.step();
    h.get_by_label("Discard the run").click();
    settle(&mut h);
    assert!(!h.state().tab.train.has_run());
    assert!(h.state().tab.sgd_net().is_none(), "the run's net is gone");
    assert!(h.state().tab.neurons.sgd.layout().is_none());
    h.get_by_label("Train a network in the SGD panel, or open one above.");
    h.state_mut().tab.measure.options.grid = 16;
    h.get_by_label("Measure").click();
    settle(&mut h);
    let cards = h.state().tab.measure.cards();
    assert_eq!(cards.len(), 2, "only the evolved net is measured");
    assert!(cards.iter().all(|c| !c.name.starts_with("SGD")));
}

/// An SGD net with one hidden layer `wide` neurons across (zero weights).
fn wide_net(wide: usize) -> picbreeder::dense::DenseNet {
    use picbreeder::dense::{Dense, DenseNet, NetOutputs};
    DenseNet {
        hidden: vec![vec![picbreeder::activation::Activation::Sigmoid; wide]],
        layers: vec![Dense::zeros(4, wide), Dense::zeros(wide, 1)],
        outputs: NetOutputs::Grey,
        labels: vec![],
    }
}

#[test]
fn the_measure_view_leaves_out_a_net_over_the_budget_saying_what_it_needs() {
    let mut h = harness(crate::app::worker::tests::ring());
    // 200,000 neurons wide (`measure` asked 160 GB for it): refused at any grid, at
    // once, while the evolved network beside it is measured.
    h.state_mut()
        .tab
        .set_sgd(wide_net(200_000), "wide.json".into());
    h.state_mut().tab.measure.options.grid = 16;
    h.get_by_label("Measure").click();
    settle(&mut h);
    let m = &h.state().tab.measure;
    assert_eq!(m.cards().len(), 2, "the evolved graph and layerized net");
    assert_eq!(m.refused.len(), 1, "{:?}", m.refused);
    let e = m.refused[0].clone();
    assert!(
        e.starts_with("SGD (wide.json) not measured") && e.contains("at any grid size"),
        "{e}"
    );
    h.get_by_label(&e);
    // A smaller budget, a net that fits at a smaller grid: the slider named.
    h.state_mut().tab.set_sgd(wide_net(500), "w.json".into());
    h.state_mut().tab.measure.budget = 64 << 20;
    h.state_mut().tab.measure.options.grid = 64;
    settle(&mut h);
    let m = &h.state().tab.measure;
    assert_eq!(m.cards().len(), 2);
    let e = &m.refused[0];
    assert!(
        e.contains("would need")
            && e.contains("use a grid of at most")
            && e.contains("the grid slider"),
        "{e}"
    );
    assert!(!e.contains('\n'), "{e}");
    // Fitting again (a smaller grid), it is measured.
    h.state_mut().tab.measure.options.grid = 16;
    settle(&mut h);
    let m = &h.state().tab.measure;
    assert!(m.refused.is_empty(), "{:?}", m.refused);
    assert_eq!(m.cards().len(), 3);
}

/// The panel's menus, as a user picks from them: the last method of the list is on
/// screen and clicking it chooses it.
#[test]
fn the_method_menu_picks_the_clicked_method() {
    let g = Genome::grey_skeleton(picbreeder::activation::Activation::Gaussian);
    let mut h = harness(g);
    h.step();
    assert_eq!(h.state().tab.train.method.entry().name, "adam");
    h.get_by_label("resolution").click();
    h.run();
    h.get_by_label("64x64").click();
    h.run();
    assert_eq!(h.state().tab.train.resolution, 64);
    h.get_by_label("method").click();
    h.run();
    h.get_by_label("es").click();
    h.run();
    assert_eq!(h.state().tab.train.method.entry().name, "es");
}
