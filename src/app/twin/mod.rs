//! The side panel that compares the evolved network with its SGD twin: both neuron
//! galleries side by side, weight sweeps of both, and the evolved network's graph with
//! hand editing (undoable; an edited genome can become a parent in the grid).
//!
//! It works on the genome viewed in the grid. Edits stay until another genome is viewed
//! (use "Use as parent" to keep an edit). The SGD side is whatever network was last
//! trained or opened.
//!
//! Each view is one struct with a `ui` method ([`train::TrainView`],
//! [`neurons::NeuronsView`], [`sweep::SweepView`], [`graph::GraphView`],
//! [`measure::MeasureView`]); the genome and its edits live in [`history`], the files in
//! [`files`]. What reaches outside the panel (a new parent, a file dialog) goes out as
//! an [`Action`].

#[cfg(test)]
mod collapse_tests;
pub mod experiment;
pub mod files;
mod gallery;
mod graph;
mod history;
pub mod keep;
mod labels;
mod measure;
mod neurons;
mod path;
pub mod side;
mod sweep;
mod train;
mod train_extra;

use super::dialogs::Intent;
use super::thumbs::genome_key;
use super::{Action, TwinJob};
use eframe::egui;
use files::{NetFiles, TwinFile};
use graph::{GraphAction, GraphView, Pick};
use history::History;
use neurons::{NeuronsAction, NeuronsView};
use picbreeder::cppn::{Genome, edit};
use picbreeder::dense::net::DenseNet;
use picbreeder::network::{Network, Param};
use picbreeder::render::sweep::Direction;
use picbreeder::store::TwinRecord;
use side::Side;
use std::collections::HashMap;
use std::sync::Arc;
use sweep::{Pair, SweepTarget, SweepView};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    Train,
    Neurons,
    Sweep,
    Graph,
    Measure,
    Path,
}

/// The SGD side: a trained or opened network, a key that changes with its weights, and
/// where it came from.
pub struct SgdNet {
    pub net: Arc<Network>,
    pub key: u64,
    pub name: String,
}

pub struct TwinTab {
    pub view: View,
    /// The grid genome this panel last adopted.
    source: Option<u64>,
    /// The evolved side: the genome, maybe edited, and its edits.
    history: History,
    sgd: Option<SgdNet>,
    /// The key of the SGD net the training run last brought (discarding the run drops it).
    run_net: Option<u64>,
    pub neurons: NeuronsView,
    pub sweep: SweepView,
    graph: GraphView,
    pub measure: measure::MeasureView,
    path: path::PathView,
    measure_files: measure::Exports,
    pub train: train::TrainView,
    /// The grid shows another genome while a run imitates this one: ask the user.
    asking: bool,
    /// The user chose to keep training on the old genome.
    keep_target: bool,
    files: NetFiles,
    pub message: Option<String>,
    /// The session's SGD twin from the library, shown when its genome is viewed.
    pub saved: Option<TwinRecord>,
    /// The viewed genome's key and its content hash (to find its saved twin).
    hashed: Option<(u64, String)>,
}

impl Default for TwinTab {
    fn default() -> Self {
        TwinTab {
            view: View::Train,
            source: None,
            history: History::default(),
            sgd: None,
            run_net: None,
            neurons: NeuronsView::default(),
            sweep: SweepView::default(),
            graph: GraphView::default(),
            measure: measure::MeasureView::default(),
            path: path::PathView::default(),
            measure_files: measure::Exports::default(),
            train: train::TrainView::default(),
            asking: false,
            keep_target: false,
            files: NetFiles::default(),
            message: None,
            saved: None,
            hashed: None,
        }
    }
}

/// A button asking the app's dialogs where to export the view's picture.
fn export_button(ui: &mut egui::Ui, name: &'static str, actions: &mut Vec<Action>) {
    if ui
        .button("Export PNG...")
        .on_hover_text("save what this view shows as a picture")
        .clicked()
    {
        actions.push(Action::Ask(Intent::Twin(TwinFile::Figure(name))));
    }
}

/// Which SGD network is shown, with buttons to open another or save it.
fn sgd_source_ui(ui: &mut egui::Ui, sgd: Option<&SgdNet>, actions: &mut Vec<Action>) {
    ui.horizontal(|ui| {
        match sgd {
            Some(s) => ui.label(format!("SGD net: {}", s.name)),
            None => ui.weak("no SGD net"),
        };
        if ui.button("Open network...").clicked() {
            actions.push(Action::Ask(Intent::Twin(TwinFile::OpenNet)));
        }
        if ui
            .add_enabled(sgd.is_some(), egui::Button::new("Save network..."))
            .clicked()
        {
            actions.push(Action::Ask(Intent::Twin(TwinFile::SaveNet)));
        }
    });
}

impl TwinTab {
    /// The SGD network to compare with (a training snapshot or an opened file).
    pub fn set_sgd(&mut self, net: DenseNet, name: String) {
        let key = net.parameter_count() as u64
            ^ net
                .layers
                .iter()
                .flat_map(|l| &l.weights)
                .fold(0u64, |h, w| h.rotate_left(5) ^ u64::from(w.to_bits()));
        self.sgd = Some(SgdNet {
            net: Arc::new(Network::Net(net)),
            key,
            name,
        });
        self.sweep.sgd_changed();
    }

    /// Stops and forgets the training run, and the net it trained: no view goes on
    /// showing a network that is gone (an opened network stays).
    fn discard_run(&mut self) {
        self.train.reset();
        self.asking = false;
        self.drop_run_net();
    }

    /// Drops the net the run brought from every view (an opened network stays).
    fn drop_run_net(&mut self) {
        if let Some(key) = self.run_net.take()
            && self.sgd.as_ref().is_some_and(|s| s.key == key)
        {
            self.sgd = None;
            self.neurons.sgd.clear();
            self.sweep.sgd_changed();
        }
    }

    /// The SGD network compared with, if any.
    #[cfg(test)]
    pub fn sgd_net(&self) -> Option<&SgdNet> {
        self.sgd.as_ref()
    }

    /// The genome shown (after edits).
    pub fn genome(&self) -> Option<&Genome> {
        self.history.genome()
    }

    /// The view on screen is waiting for a background job (a hidden view's results wait
    /// until it is shown again).
    pub fn busy(&self) -> bool {
        self.files.busy()
            || self.train.curve_export.busy()
            || match self.view {
                View::Train => self.train.busy(),
                View::Neurons => self.neurons.busy(),
                View::Sweep => self.sweep.busy(),
                View::Graph => self.graph.busy(),
                View::Measure => self.measure_busy(),
                View::Path => self.path.busy(),
            }
    }

    /// Adopts the viewed genome when it changes (dropping edits of the previous one).
    fn follow(&mut self, selected: Option<&Genome>) {
        let key = selected.map(genome_key);
        if key == self.source {
            self.asking = false;
            return;
        }
        // A twin read back from the library belongs to its genome: it goes quietly
        // (and comes back when its genome is viewed again).
        if self.train.restored {
            self.drop_run_net();
            self.train.clear();
        }
        if self.train.has_run() && self.history.evolved.is_some() {
            self.asking = !self.keep_target;
            return;
        }
        self.keep_target = false;
        self.source = key;
        self.history.reset(selected);
        self.neurons.evolved.picked = None;
        self.graph.pick = None;
        self.sweep.set_target(Side::Evolved, None);
        self.sweep.cppn_changed();
    }

    /// Shows the session's saved twin when its genome is viewed and no run is shown.
    fn adopt_saved(&mut self, ctx: &egui::Context) {
        let (Some(saved), Some(ev)) = (&self.saved, &self.history.evolved) else {
            return;
        };
        if self.train.has_run() {
            return;
        }
        if self.hashed.as_ref().is_none_or(|h| h.0 != ev.key) {
            self.hashed = Some((ev.key, keep::genome_hash(&ev.genome)));
        }
        if self.hashed.as_ref().is_some_and(|h| h.1 == saved.genome) {
            let saved = saved.clone();
            match self.train.restore(ctx, &saved) {
                Ok(()) => {
                    self.set_sgd(saved.net, format!("saved twin, step {}", saved.step));
                    self.run_net = self.sgd.as_ref().map(|s| s.key);
                }
                Err(e) => {
                    self.message = Some(e);
                    self.saved = None;
                }
            }
        }
    }

    /// A run just started on the shown genome, `at` (generation, child) of the
    /// session: the library keeps it as it trains.
    fn keep_run(&mut self, at: Option<(picbreeder::breed::GenerationId, usize)>) {
        let (Some(at), Some(genome)) = (at, self.history.genome()) else {
            return;
        };
        let setup = serde_json::to_string(&self.train.setup()).expect("settings serialize");
        self.train.keeper = Some(keep::Keeper::new(keep::genome_hash(genome), at, setup));
    }

    /// Applies a hand edit, keeping the old genome for undo.
    pub fn edit(&mut self, f: impl FnOnce(&Genome) -> Result<Genome, edit::EditError>) {
        match self.history.edit(f) {
            Ok(true) => {
                self.message = None;
                self.sweep.cppn_changed();
            }
            Ok(false) => {}
            Err(e) => self.message = Some(e),
        }
    }

    fn step_history(&mut self, back: bool) {
        if self.history.step(back) {
            self.sweep.cppn_changed();
        }
    }

    /// The genome link behind a weight of the layerized net (`None` for a cache neuron's
    /// weight, which no link stands for); links map to themselves.
    fn as_link(&self, p: Param) -> Option<Param> {
        self.history.evolved.as_ref()?.as_link(p)
    }

    /// The SGD weight at the same place as a CPPN link, when the SGD net has the
    /// layerized shape (the paper's architecture).
    fn counterpart(&self, p: Param) -> Option<Param> {
        let (ev, sgd) = (self.history.evolved.as_ref()?, self.sgd.as_ref()?);
        let Network::Net(net) = &*sgd.net else {
            return None;
        };
        ev.twin.counterpart(p, net)
    }

    /// Draws the panel; what reaches outside it (a new parent, a file dialog) is pushed
    /// to `actions`.
    pub fn ui(&mut self, ui: &mut egui::Ui, selected: Option<&Genome>, actions: &mut Vec<Action>) {
        self.ui_in(ui, selected, None, actions);
    }

    /// The panel, given the session and the viewed child when the window has them (the
    /// Path view shows the child's lineage).
    fn ui_in(
        &mut self,
        ui: &mut egui::Ui,
        selected: Option<&Genome>,
        end: Option<(&picbreeder::breed::Session, usize)>,
        actions: &mut Vec<Action>,
    ) {
        self.follow(selected);
        self.adopt_saved(ui.ctx());
        self.poll_files();
        if let Some((step, net)) = self.train.poll(ui.ctx()) {
            self.set_sgd(net, format!("trained, step {step}"));
            self.run_net = self.sgd.as_ref().map(|s| s.key);
        }
        if self.asking {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                "Another genome is viewed, but a training run imitates this one.",
            );
            ui.horizontal(|ui| {
                if ui.button("Discard the run").clicked() {
                    self.discard_run();
                }
                if ui.button("Keep training this one").clicked() {
                    self.keep_target = true;
                    self.asking = false;
                }
            });
        }
        ui.horizontal(|ui| {
            for (view, name) in [
                (View::Train, "SGD"),
                (View::Neurons, "Neurons"),
                (View::Sweep, "Sweep"),
                (View::Graph, "Graph"),
                (View::Measure, "Measure"),
                (View::Path, "Path"),
            ] {
                let r = ui.selectable_value(&mut self.view, view, name);
                super::hotspots::mark(ui.ctx(), name, r.rect);
            }
        });
        if let Some(m) = &self.message {
            ui.colored_label(ui.visuals().warn_fg_color, m);
        }
        ui.separator();
        if self.history.evolved.is_none() {
            ui.weak("View a genome in the grid (right-click a child) to inspect it.");
        }
        // The graph scrolls sideways too when zoomed.
        let scroll = if self.view == View::Graph {
            egui::ScrollArea::both()
        } else {
            egui::ScrollArea::vertical()
        };
        scroll.id_salt("twin").show(ui, |ui| match self.view {
            View::Train => {
                let program = self.history.evolved.as_ref().map(|e| e.program.clone());
                let restored = self.train.restored;
                self.train.ui(ui, program.as_deref());
                if restored && !self.train.restored {
                    // Going on from the saved twin: the run is the twin now.
                    self.saved = None;
                }
                if std::mem::take(&mut self.train.started_new) {
                    self.keep_run(end.map(|(s, c)| (s.current_id(), c)));
                }
                if self.train.curve_export.take_asked() {
                    actions.push(Action::Ask(Intent::Twin(TwinFile::CurveCsv)));
                }
                if self.train.animation.take_asked() {
                    actions.push(Action::Ask(Intent::Twin(TwinFile::Animation)));
                }
                if !self.train.has_run() {
                    self.keep_target = false;
                }
            }
            View::Neurons => self.neurons_ui(ui, actions),
            View::Sweep => {
                self.sweep_ui(ui, actions);
                if self.sweep.animation.take_asked() {
                    actions.push(Action::Ask(Intent::Twin(TwinFile::Animation)));
                }
            }
            View::Graph => self.graph_ui(ui, actions),
            View::Measure => self.measure_ui(ui, actions),
            View::Path => {
                let kept = self.train.path_snapshots();
                let end = end.map(|(session, c)| (session, session.current_id(), c));
                self.path.ui(ui, end, &kept);
            }
        });
        if self.busy() {
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(30));
        }
    }

    fn neurons_ui(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let sgd = self.sgd.as_ref();
        let asked = self.neurons.ui(
            ui,
            self.history.evolved.as_ref(),
            sgd,
            self.sweep.seed,
            actions,
            |ui, actions| sgd_source_ui(ui, sgd, actions),
        );
        for a in asked {
            match a {
                NeuronsAction::Direction(side, target) => self.sweep.set_target(side, Some(target)),
                NeuronsAction::Weight(side, q) => {
                    match (side, q) {
                        (Side::Evolved, Some(q)) => {
                            let c = self.counterpart(q);
                            self.sweep.choose(q, &|_| c);
                        }
                        (Side::Sgd, Some(q)) => self.sweep.set_target(
                            Side::Sgd,
                            Some(SweepTarget {
                                label: q.to_string(),
                                dir: Direction::single(q),
                            }),
                        ),
                        (_, None) => {
                            self.message = Some(
                                "a cache neuron's weight is not a genome link: nothing to sweep"
                                    .into(),
                            )
                        }
                    }
                    self.view = View::Sweep;
                }
            }
        }
    }

    fn sweep_ui(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let nets = Pair {
            cppn: self.history.evolved.as_ref().map(|e| e.graph.clone()),
            sgd: self.sgd.as_ref().map(|s| s.net.clone()),
        };
        let counterpart: HashMap<Param, Param> = self
            .history
            .evolved
            .as_ref()
            .map(|e| {
                e.graph
                    .params()
                    .into_iter()
                    .filter_map(|p| Some((p, self.counterpart(p)?)))
                    .collect()
            })
            .unwrap_or_default();
        export_button(ui, "sweeps.png", actions);
        self.sweep.ui(ui, &nets, |p| counterpart.get(&p).copied());
    }

    fn graph_ui(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        if self.history.evolved.is_none() {
            return;
        }
        ui.horizontal(|ui| {
            if ui
                .add_enabled(self.history.can_undo(), egui::Button::new("Undo edit"))
                .clicked()
            {
                self.step_history(true);
            }
            if ui
                .add_enabled(self.history.can_redo(), egui::Button::new("Redo edit"))
                .clicked()
            {
                self.step_history(false);
            }
            if ui
                .button("Use as parent")
                .on_hover_text("Breed from this genome: a new generation of its children")
                .clicked()
                && let Some(g) = self.genome()
            {
                actions.push(Action::StartFromGenome(Box::new(g.clone())));
            }
        });
        let Some(ev) = &self.history.evolved else {
            return;
        };
        let (genome, program, key) = (ev.genome.clone(), ev.program.clone(), ev.key);
        for a in self.graph.ui(ui, &genome, &program, key) {
            match a {
                GraphAction::SetWeight(l, w) => self.edit(|g| edit::set_weight(g, l, w)),
                GraphAction::SetActivation(n, act) => {
                    self.edit(|g| edit::set_activation(g, n, act))
                }
                GraphAction::DeleteLink(l) => self.edit(|g| edit::delete_link(g, l)),
                GraphAction::DeleteNode(n) => self.edit(|g| edit::delete_node(g, n)),
                GraphAction::AddLink(s, t) => self.edit(|g| edit::add_link(g, s, t, 1.0)),
                GraphAction::SetNotes(n) => self.edit(|g| Ok(edit::set_notes(g, n))),
                GraphAction::Sweep(l) => {
                    let c = self.counterpart(Param::Link(l));
                    self.sweep.choose(Param::Link(l), &|_| c);
                    self.view = View::Sweep;
                }
            }
        }
        if matches!(self.graph.pick, Some(Pick::Link(_)) | Some(Pick::Node(_))) {
            ui.weak(format!("{} edits to undo", self.history.undo_len()));
        }
    }
}

impl super::SideTab for TwinTab {
    fn title(&self) -> &str {
        "SGD twin"
    }

    fn ui(&mut self, ui: &mut egui::Ui, selected: Option<&Genome>, actions: &mut Vec<Action>) {
        TwinTab::ui(self, ui, selected, actions);
    }

    fn file_chosen(&mut self, ctx: &egui::Context, file: TwinFile, path: &std::path::Path) {
        TwinTab::file_chosen(self, ctx, file, path);
    }

    fn twin_jobs(&mut self) -> Vec<TwinJob> {
        let mut jobs: Vec<TwinJob> = self
            .train
            .forgotten
            .drain(..)
            .map(TwinJob::Forget)
            .collect();
        if let Some(t) = self.train.news_for_library(std::time::Instant::now()) {
            jobs.push(TwinJob::Save(Box::new(t)));
        }
        jobs
    }

    fn restore_twin(&mut self, twin: Option<&TwinRecord>) {
        // The session changed: a run going on goes on, no longer kept with it.
        if let Some(k) = &mut self.train.keeper {
            k.kept = false;
        }
        if self.train.restored {
            self.drop_run_net();
            self.train.clear();
        }
        self.saved = twin.cloned();
    }

    fn training(&self) -> bool {
        self.train.training()
    }

    #[cfg(test)]
    fn as_twin(&mut self) -> Option<&mut TwinTab> {
        Some(self)
    }

    fn end_training(&mut self, keep: bool) {
        if keep {
            self.train.finish_now();
        } else {
            self.discard_run();
        }
    }

    fn session_ui(
        &mut self,
        ui: &mut egui::Ui,
        session: &picbreeder::breed::Session,
        viewed: Option<usize>,
        actions: &mut Vec<Action>,
    ) -> bool {
        let selected = viewed.and_then(|c| session.genomes().get(c)).cloned();
        self.ui_in(ui, selected.as_ref(), viewed.map(|c| (session, c)), actions);
        true
    }
}

#[cfg(test)]
mod animation_tests;
#[cfg(test)]
mod path_tests;
#[cfg(test)]
mod tests;
