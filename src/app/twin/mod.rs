//! The side panel that compares the evolved network with its SGD twin: both neuron
//! galleries side by side, weight sweeps of both, and the evolved network's graph with
//! hand editing (undoable; an edited genome can become a parent in the grid).
//!
//! It works on the genome viewed in the grid. Edits stay until another genome is viewed
//! (use "Use as parent" to keep an edit). The SGD side is whatever network was last
//! trained or opened.

#[cfg(test)]
mod collapse_tests;
pub mod experiment;
mod gallery;
mod graph;
mod labels;
mod measure;
mod path;
mod sweep;
mod train;
mod train_extra;

use super::background::Latest;
use super::thumbs::genome_key;
use eframe::egui;
use gallery::GalleryView;
use graph::{GraphAction, GraphView, Pick};
use picbreeder::compare::Twin;
use picbreeder::cppn::{Genome, Program, edit};
use picbreeder::dense::net::DenseNet;
use picbreeder::image::Image;
use picbreeder::network::{Network, Param};
use picbreeder::render::gallery::Cell;
use picbreeder::render::sweep::{Direction, sheet};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use sweep::{Pair, SweepView, Target};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    Train,
    Neurons,
    Sweep,
    Graph,
    Measure,
    Path,
}

/// The evolved side: the genome (maybe edited), its layerized twin, and both as
/// networks to draw.
struct Evolved {
    genome: Genome,
    program: Arc<Program>,
    twin: Twin,
    graph: Arc<Network>,
    layered: Arc<Network>,
    key: u64,
}

impl Evolved {
    fn new(genome: Genome) -> Result<Evolved, String> {
        let twin = Twin::new(genome.clone()).map_err(|e| e.to_string())?;
        let key = genome_key(&genome);
        Ok(Evolved {
            graph: Arc::new(Network::Genome {
                genome: genome.clone(),
                program: twin.program.clone(),
            }),
            layered: Arc::new(Network::Net(twin.layered.clone())),
            program: Arc::new(twin.program.clone()),
            twin,
            genome,
            key,
        })
    }
}

pub struct TwinTab {
    pub view: View,
    /// The grid genome this panel last adopted.
    source: Option<u64>,
    evolved: Option<Evolved>,
    undo: Vec<Genome>,
    redo: Vec<Genome>,
    /// Show the evolved network in the paper's layerized form.
    pub layerized: bool,
    sgd: Option<(Arc<Network>, u64, String)>,
    left: GalleryView,
    right: GalleryView,
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
    open: Latest<Option<PathBuf>>,
    save: Latest<Option<PathBuf>>,
    /// A network file being read: the net and its name, or what is wrong.
    net_read: Latest<Result<(DenseNet, String), String>>,
    /// A network being written: the message saying how it went.
    net_written: Latest<String>,
    /// "Export PNG": the path asked for, then the message saying how the write went.
    export: Latest<Option<PathBuf>>,
    exported: Latest<String>,
    typed_path: String,
    /// Galleries scaled to fit the panel (else one pixel per pixel, scrolling).
    fit: bool,
    /// A genome the user asked to breed from ("Use as parent"); the app takes it.
    pub wants_parent: Option<Genome>,
    pub message: Option<String>,
    /// Where each view's tab was drawn (for scripts).
    tab_rects: Vec<(&'static str, egui::Rect)>,
}

impl Default for TwinTab {
    fn default() -> Self {
        TwinTab {
            view: View::Train,
            source: None,
            evolved: None,
            undo: vec![],
            redo: vec![],
            layerized: true,
            sgd: None,
            left: GalleryView::default(),
            right: GalleryView::default(),
            sweep: SweepView::default(),
            graph: GraphView::default(),
            measure: measure::MeasureView::default(),
            path: path::PathView::default(),
            measure_files: measure::Exports::default(),
            train: train::TrainView::default(),
            asking: false,
            keep_target: false,
            open: Latest::default(),
            save: Latest::default(),
            net_read: Latest::default(),
            net_written: Latest::default(),
            export: Latest::default(),
            exported: Latest::default(),
            typed_path: String::new(),
            fit: true,
            wants_parent: None,
            message: None,
            tab_rects: vec![],
        }
    }
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
        self.sgd = Some((Arc::new(Network::Net(net)), key, name));
        self.sweep.sgd_changed();
    }

    /// The genome shown (after edits).
    pub fn genome(&self) -> Option<&Genome> {
        self.evolved.as_ref().map(|e| &e.genome)
    }

    /// The view on screen is waiting for a background job (a hidden view's results wait
    /// until it is shown again).
    pub fn busy(&self) -> bool {
        self.open.busy()
            || self.save.busy()
            || self.net_read.busy()
            || self.net_written.busy()
            || self.export.busy()
            || self.exported.busy()
            || match self.view {
                View::Train => self.train.busy(),
                View::Neurons => self.left.busy() || self.right.busy(),
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
        if self.train.has_run() && self.evolved.is_some() {
            self.asking = !self.keep_target;
            return;
        }
        self.keep_target = false;
        self.source = key;
        self.undo.clear();
        self.redo.clear();
        self.evolved = selected.and_then(|g| Evolved::new(g.clone()).ok());
        self.left.picked = None;
        self.graph.pick = None;
        self.sweep.set_target(0, None);
        self.sweep.cppn_changed();
    }

    /// Applies a hand edit, keeping the old genome for undo.
    pub fn edit(&mut self, f: impl FnOnce(&Genome) -> Result<Genome, String>) {
        let Some(ev) = &self.evolved else { return };
        match f(&ev.genome).and_then(Evolved::new) {
            Ok(new) => {
                let old = std::mem::replace(self.evolved.as_mut().expect("checked"), new);
                self.undo.push(old.genome);
                self.redo.clear();
                self.message = None;
                self.sweep.cppn_changed();
            }
            Err(e) => self.message = Some(e),
        }
    }

    fn step_history(&mut self, back: bool) {
        let (from, to) = if back {
            (&mut self.undo, &mut self.redo)
        } else {
            (&mut self.redo, &mut self.undo)
        };
        let (Some(g), Some(ev)) = (from.pop(), &self.evolved) else {
            return;
        };
        to.push(ev.genome.clone());
        self.evolved = Evolved::new(g).ok();
        self.sweep.cppn_changed();
    }

    /// The evolved network as the galleries show it (layerized or graph).
    fn shown_cppn(&self) -> Option<Arc<Network>> {
        let e = self.evolved.as_ref()?;
        Some(if self.layerized {
            e.layered.clone()
        } else {
            e.graph.clone()
        })
    }

    /// The genome link behind a weight of the layerized net (`None` for a cache neuron's
    /// weight, which no link stands for); links map to themselves.
    fn as_link(&self, p: Param) -> Option<Param> {
        self.evolved.as_ref()?.twin.as_link(p)
    }

    /// The SGD weight at the same place as a CPPN link, when the SGD net has the
    /// layerized shape (the paper's architecture).
    fn counterpart(&self, p: Param) -> Option<Param> {
        let (ev, (sgd, _, _)) = (self.evolved.as_ref()?, self.sgd.as_ref()?);
        let Network::Net(net) = &**sgd else {
            return None;
        };
        ev.twin.counterpart(p, net)
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, selected: Option<&Genome>) {
        self.ui_in(ui, selected, None);
    }

    /// The panel, given the session and the viewed child when the window has them (the
    /// Path view shows the child's lineage).
    fn ui_in(
        &mut self,
        ui: &mut egui::Ui,
        selected: Option<&Genome>,
        end: Option<(&picbreeder::breed::Session, usize)>,
    ) {
        self.follow(selected);
        self.poll_files(ui.ctx());
        if let Some((step, net)) = self.train.poll(ui.ctx()) {
            self.set_sgd(net, format!("trained, step {step}"));
        }
        if self.asking {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                "Another genome is viewed, but a training run imitates this one.",
            );
            ui.horizontal(|ui| {
                if ui.button("Discard the run").clicked() {
                    self.train.reset();
                    self.asking = false;
                }
                if ui.button("Keep training this one").clicked() {
                    self.keep_target = true;
                    self.asking = false;
                }
            });
        }
        ui.horizontal(|ui| {
            self.tab_rects.clear();
            for (view, name) in [
                (View::Train, "SGD"),
                (View::Neurons, "Neurons"),
                (View::Sweep, "Sweep"),
                (View::Graph, "Graph"),
                (View::Measure, "Measure"),
                (View::Path, "Path"),
            ] {
                let r = ui.selectable_value(&mut self.view, view, name);
                self.tab_rects.push((name, r.rect));
            }
        });
        if let Some(m) = &self.message {
            ui.colored_label(ui.visuals().warn_fg_color, m);
        }
        ui.separator();
        if self.evolved.is_none() {
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
                let program = self.evolved.as_ref().map(|e| e.program.clone());
                self.train.ui(ui, program.as_deref());
                if !self.train.has_run() {
                    self.keep_target = false;
                }
            }
            View::Neurons => self.neurons_ui(ui),
            View::Sweep => self.sweep_ui(ui),
            View::Graph => self.graph_ui(ui),
            View::Measure => self.measure_ui(ui),
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

    /// One network's gallery under its title (0: evolved, 1: SGD); a neuron clicked.
    fn gallery_side(&mut self, ui: &mut egui::Ui, side: usize) -> Option<Cell> {
        let fit = self.fit;
        if side == 0 {
            ui.label(egui::RichText::new("Evolved (CPPN)").strong());
            self.evolved.as_ref()?;
            self.left.ui(ui, "gallery-cppn", fit)
        } else {
            ui.label(egui::RichText::new("SGD network").strong());
            if self.sgd.is_none() {
                ui.weak("Train a network in the SGD panel, or open one above.");
                return None;
            }
            self.right.ui(ui, "gallery-sgd", fit)
        }
    }

    fn neurons_ui(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            ui.checkbox(
                &mut self.layerized,
                "evolved net layerized (neuron (layer i, j) comparable)",
            );
        });
        ui.checkbox(&mut self.left.pca, "PCA: layers rotated")
            .on_hover_text("each hidden layer rotated onto its principal components");
        ui.horizontal(|ui| {
            self.export_button(ui, "galleries.png");
            ui.checkbox(&mut self.fit, "fit to panel");
            ui.add_enabled(
                !self.fit,
                egui::Slider::new(&mut self.left.thumb, 16..=96).text("neuron size"),
            );
        });
        self.right.thumb = self.left.thumb;
        self.right.pca = self.left.pca;
        self.sgd_source_ui(ui);
        let ctx = ui.ctx().clone();
        if let Some(ev) = &self.evolved {
            let (net, key) = if self.layerized {
                (&ev.layered, ev.key ^ 1)
            } else {
                (&ev.graph, ev.key)
            };
            self.left.set(&ctx, net, key);
        } else {
            self.left.clear();
        }
        match &self.sgd {
            Some((net, key, _)) => self.right.set(&ctx, net, *key),
            None => self.right.clear(),
        }
        // Fitted, the two sit side by side as in the paper's figures; at full size they
        // stack, each scrolling sideways.
        let clicked = if self.fit {
            let mut clicked = [None, None];
            ui.columns(2, |cols| {
                for (side, col) in cols.iter_mut().enumerate() {
                    clicked[side] = self.gallery_side(col, side);
                }
            });
            clicked
        } else {
            [0, 1].map(|side| {
                egui::ScrollArea::horizontal()
                    .id_salt(("gallery-scroll", side))
                    .show(ui, |ui| self.gallery_side(ui, side))
                    .inner
            })
        };
        // The picked neuron's incoming weights, each a sweep away.
        for (side, cell) in clicked.into_iter().enumerate() {
            let Some(cell) = cell else { continue };
            let net = if side == 0 {
                self.shown_cppn()
            } else {
                self.sgd.as_ref().map(|s| s.0.clone())
            };
            let Some(net) = net else { continue };
            // On the evolved side, sweep genome links (a layerized neuron's weights map
            // back to the links they came from; cache weights have none).
            let incoming: Vec<Param> = net
                .incoming(cell.plane)
                .into_iter()
                .filter_map(|q| if side == 0 { self.as_link(q) } else { Some(q) })
                .collect();
            if !incoming.is_empty() {
                let dir = Direction::random(&incoming, self.sweep.seed);
                let label = format!(
                    "random direction over neuron {} ({}), seed {}",
                    cell.plane, cell.label, self.sweep.seed
                );
                self.sweep.set_target(side, Some(Target { label, dir }));
            }
        }
        let mut sweep_one = None;
        for (side, g) in [(0, &self.left), (1, &self.right)] {
            if let (Some(p), Some(layout)) = (g.picked, g.layout()) {
                let label = layout
                    .rows
                    .iter()
                    .flatten()
                    .find(|c| c.plane == p)
                    .map_or("", |c| c.label.as_str());
                let name = if side == 0 { "Evolved" } else { "SGD" };
                ui.label(
                    egui::RichText::new(format!("{name} neuron {p}: {label}, incoming weights"))
                        .strong(),
                );
                let net = if side == 0 {
                    self.shown_cppn()
                } else {
                    self.sgd.as_ref().map(|s| s.0.clone())
                };
                let Some(net) = net else { continue };
                // The strongest first; each can be swept.
                let mut incoming: Vec<(Param, f64)> = net
                    .incoming(p)
                    .into_iter()
                    .filter_map(|q| Some((q, net.param(q)?)))
                    .collect();
                incoming.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()));
                egui::Grid::new(("incoming", side))
                    .striped(true)
                    .show(ui, |ui| {
                        for (q, w) in incoming.iter().take(12) {
                            ui.label(q.to_string());
                            ui.label(format!("{w:+.3}"));
                            if ui.small_button("sweep").clicked() {
                                sweep_one = Some((side, *q));
                            }
                            ui.end_row();
                        }
                    });
                if incoming.len() > 12 {
                    ui.weak(format!("and {} smaller", incoming.len() - 12));
                }
            }
        }
        if let Some((side, q)) = sweep_one {
            let q = if side == 0 { self.as_link(q) } else { Some(q) };
            match q {
                Some(q) if side == 0 => {
                    let c = self.counterpart(q);
                    self.sweep.choose(q, &|_| c);
                }
                Some(q) => self.sweep.set_target(
                    1,
                    Some(Target {
                        label: q.to_string(),
                        dir: Direction::single(q),
                    }),
                ),
                None => {
                    self.message = Some(
                        "a cache neuron's weight is not a genome link: nothing to sweep".into(),
                    )
                }
            }
            self.view = View::Sweep;
        }
    }

    fn sgd_source_ui(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            match &self.sgd {
                Some((_, _, name)) => ui.label(format!("SGD net: {name}")),
                None => ui.weak("no SGD net"),
            };
            if ui.button("Open network...").clicked() {
                self.open.request(ui.ctx(), || {
                    rfd::FileDialog::new()
                        .add_filter("network", &["json"])
                        .pick_file()
                });
            }
        });
        ui.horizontal(|ui| {
            ui.add(
                egui::TextEdit::singleline(&mut self.typed_path)
                    .hint_text("or type a network file path")
                    .desired_width(220.0),
            );
            let typed = PathBuf::from(self.typed_path.trim());
            if ui.button("Open").clicked() && !self.typed_path.trim().is_empty() {
                self.open_net(ui.ctx(), &typed);
            }
            let save = ui
                .add_enabled(self.sgd.is_some(), egui::Button::new("Save"))
                .on_hover_text("to the typed path, or pick one");
            if save.clicked() {
                if self.typed_path.trim().is_empty() {
                    self.save.request(ui.ctx(), || {
                        rfd::FileDialog::new()
                            .add_filter("network", &["json"])
                            .set_file_name("network.json")
                            .save_file()
                    });
                } else {
                    self.save_net(ui.ctx(), &typed);
                }
            }
        });
    }

    /// Opens a trained network file as the SGD side; a bad file leaves it unchanged.
    /// Opens a trained network file as the SGD side, reading it on a worker thread (a
    /// wide MLP's JSON runs to tens of megabytes); a bad file leaves it unchanged.
    pub fn open_net(&mut self, ctx: &egui::Context, path: &std::path::Path) {
        let path = path.to_path_buf();
        self.net_read.request(ctx, move || {
            let name = path
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
            match picbreeder::io::load_any(&path) {
                Ok(picbreeder::io::Loaded::Net(net)) => Ok((net, name)),
                Ok(picbreeder::io::Loaded::Genome(_)) => Err(format!(
                    "{}: this is a genome, not a trained network",
                    path.display()
                )),
                Err(e) => Err(e.to_string()),
            }
        });
    }

    /// Writes the SGD net as native JSON (atomically, on a worker thread).
    pub fn save_net(&mut self, ctx: &egui::Context, path: &std::path::Path) {
        let Some((net, _, _)) = &self.sgd else { return };
        let (net, path) = (Arc::clone(net), path.to_path_buf());
        self.net_written.request(ctx, move || {
            let Network::Net(net) = &*net else {
                return "the SGD side holds no trained network".into();
            };
            let text = picbreeder::io::json::net_to_json(net);
            match picbreeder::io::write_atomic(&path, text.as_bytes()) {
                Ok(()) => format!("saved {}", path.display()),
                Err(e) => e.to_string(),
            }
        });
    }

    /// What the view shows as one picture: both galleries side by side (Neurons), or
    /// the sweep strips (Sweep).
    fn figure(&self) -> Option<Image> {
        match self.view {
            View::Neurons => {
                let row: Vec<Image> = [self.left.image(), self.right.image()]
                    .into_iter()
                    .flatten()
                    .cloned()
                    .collect();
                (!row.is_empty()).then(|| sheet(&[row]))
            }
            View::Sweep => self.sweep.figure(),
            View::Path => self.path.figure.clone(),
            View::Train | View::Graph | View::Measure => None,
        }
    }

    /// Writes the view's picture ([`TwinTab::figure`]) as a PNG, on a worker thread.
    pub fn export_png(&mut self, ctx: &egui::Context, path: &std::path::Path) {
        let Some(img) = self.figure() else {
            self.message = Some("nothing to export in this view yet".into());
            return;
        };
        let path = path.to_path_buf();
        self.exported
            .request(ctx, move || match picbreeder::io::png::save(&img, &path) {
                Ok(()) => format!("wrote {} ({}x{})", path.display(), img.width, img.height),
                Err(e) => e.to_string(),
            });
    }

    /// A button asking where to export the view's picture.
    fn export_button(&mut self, ui: &mut egui::Ui, name: &'static str) {
        if ui
            .button("Export PNG...")
            .on_hover_text("save what this view shows as a picture")
            .clicked()
        {
            self.export.request(ui.ctx(), move || {
                rfd::FileDialog::new()
                    .add_filter("PNG", &["png"])
                    .set_file_name(name)
                    .save_file()
            });
        }
    }

    /// Takes in finished file dialogs, reads and writes.
    fn poll_files(&mut self, ctx: &egui::Context) {
        if let Some(Some(path)) = self.open.take() {
            self.open_net(ctx, &path);
        }
        if let Some(Some(path)) = self.save.take() {
            self.save_net(ctx, &path);
        }
        match self.net_read.take() {
            Some(Ok((net, name))) => {
                self.set_sgd(net, name);
                self.message = None;
            }
            Some(Err(e)) => self.message = Some(e),
            None => {}
        }
        if let Some(Some(path)) = self.export.take() {
            self.export_png(ctx, &path);
        }
        if let Some(m) = self.net_written.take().or_else(|| self.exported.take()) {
            self.message = Some(m);
        }
    }

    fn sweep_ui(&mut self, ui: &mut egui::Ui) {
        let nets = Pair {
            cppn: self.evolved.as_ref().map(|e| e.graph.clone()),
            sgd: self.sgd.as_ref().map(|s| s.0.clone()),
        };
        let counterpart: HashMap<Param, Param> = self
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
        self.export_button(ui, "sweeps.png");
        self.sweep.ui(ui, &nets, |p| counterpart.get(&p).copied());
    }

    fn graph_ui(&mut self, ui: &mut egui::Ui) {
        if self.evolved.is_none() {
            return;
        }
        ui.horizontal(|ui| {
            if ui
                .add_enabled(!self.undo.is_empty(), egui::Button::new("Undo edit"))
                .clicked()
            {
                self.step_history(true);
            }
            if ui
                .add_enabled(!self.redo.is_empty(), egui::Button::new("Redo edit"))
                .clicked()
            {
                self.step_history(false);
            }
            if ui
                .button("Use as parent")
                .on_hover_text("Breed from this genome: a new generation of its children")
                .clicked()
            {
                self.wants_parent = self.genome().cloned();
            }
        });
        let Some(ev) = &self.evolved else { return };
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
            ui.weak(format!("{} edits to undo", self.undo.len()));
        }
    }
}

impl super::SideTab for TwinTab {
    fn title(&self) -> &str {
        "SGD twin"
    }

    fn ui(&mut self, ui: &mut egui::Ui, selected: Option<&Genome>) {
        TwinTab::ui(self, ui, selected);
    }

    fn take_parent(&mut self) -> Option<Genome> {
        self.wants_parent.take()
    }

    fn session_ui(
        &mut self,
        ui: &mut egui::Ui,
        session: &picbreeder::breed::Session,
        viewed: Option<usize>,
    ) -> bool {
        let selected = viewed.and_then(|c| session.genomes().get(c)).cloned();
        self.ui_in(ui, selected.as_ref(), viewed.map(|c| (session, c)));
        true
    }

    fn hotspots(&self) -> Vec<(String, egui::Rect)> {
        let mut h: Vec<(String, egui::Rect)> = self
            .tab_rects
            .iter()
            .map(|(n, r)| (n.to_string(), *r))
            .collect();
        h.extend(self.train.start_rect.map(|r| ("train".to_string(), r)));
        h.extend(self.sweep.hotspots.iter().map(|(n, r)| (n.to_string(), *r)));
        h
    }
}

#[cfg(test)]
mod animation_tests;
#[cfg(test)]
mod path_tests;
#[cfg(test)]
mod tests;
