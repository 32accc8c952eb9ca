//! Weight sweeps of both networks side by side: a strip of images for w + delta, a
//! slider that scrubs delta live, a ranking of weights by how much they change the
//! picture, and random directions over one neuron's incoming weights.

use super::super::animation::{AnimationDialog, Recipe};
use super::super::background::{Latest, texture};
use super::side::Side;
use eframe::egui;
use picbreeder::animate::sweep::Panel;
use picbreeder::cppn::Notes;
use picbreeder::grid::Grid;
use picbreeder::image::Image;
use picbreeder::network::{Network, Param};
use picbreeder::render::sweep::{Direction, SweepRow, all_sweeps, deltas, moved, sheet, sweep};
use std::sync::Arc;

/// One side's sweep target: a label and a direction in weight space.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepTarget {
    pub label: String,
    pub dir: Direction,
}

/// The two networks a sweep shows (either may be missing).
#[derive(Clone)]
pub struct Pair {
    pub cppn: Option<Arc<Network>>,
    pub sgd: Option<Arc<Network>>,
}

type Strips = [Option<Vec<Image>>; 2];

pub struct SweepView {
    pub steps: usize,
    pub range: f64,
    pub size: usize,
    pub delta: f64,
    pub seed: u64,
    /// [cppn, sgd]
    pub targets: [Option<SweepTarget>; 2],
    strips: Latest<Strips>,
    strip_tex: [Vec<egui::TextureHandle>; 2],
    /// The strips as images, for export.
    strip_images: [Vec<Image>; 2],
    scrub: Latest<[Option<Image>; 2]>,
    scrub_tex: [Option<egui::TextureHandle>; 2],
    ranked: Latest<Vec<SweepRow>>,
    /// CPPN weights ranked by how much they change the image.
    pub ranking: Vec<(Param, f64)>,
    /// Every ranked weight's strip (the "all sweeps" page), in ranking order.
    all_strips: Vec<Vec<egui::TextureHandle>>,
    pub show_all: bool,
    dirty: bool,
    scrub_dirty: bool,
    /// "Export animation...": the chosen weight swept as a loop on both sides.
    pub animation: AnimationDialog,
    /// The evolved genome's labels, as of the last frame.
    pub notes: Notes,
    /// Show only the links with this label in the ranking and all-sweeps page.
    pub label_filter: Option<u32>,
}

impl Default for SweepView {
    fn default() -> Self {
        SweepView {
            steps: 5,
            range: 1.0,
            size: 96,
            delta: 0.0,
            seed: 1,
            targets: [None, None],
            strips: Latest::default(),
            strip_tex: [vec![], vec![]],
            strip_images: [vec![], vec![]],
            scrub: Latest::default(),
            scrub_tex: [None, None],
            ranked: Latest::default(),
            ranking: vec![],
            notes: Notes::default(),
            label_filter: None,
            all_strips: vec![],
            show_all: false,
            dirty: true,
            scrub_dirty: true,
            animation: AnimationDialog::default(),
        }
    }
}

impl SweepView {
    /// The evolved network changed: redraw everything, forget its links' ranking.
    pub fn cppn_changed(&mut self) {
        self.sgd_changed();
        self.ranking.clear();
        self.all_strips.clear();
    }

    /// The SGD network changed (a new snapshot while training): redraw the strips; the
    /// ranking, of the evolved network's links, stays.
    pub fn sgd_changed(&mut self) {
        self.dirty = true;
        self.scrub_dirty = true;
    }

    pub fn set_target(&mut self, side: Side, target: Option<SweepTarget>) {
        self.targets[side.index()] = target;
        self.dirty = true;
        self.scrub_dirty = true;
    }

    pub fn busy(&self) -> bool {
        self.strips.busy() || self.scrub.busy() || self.ranked.busy()
    }

    /// The shown strips as one picture, the evolved network's above the SGD one's.
    pub fn figure(&self) -> Option<Image> {
        let rows: Vec<Vec<Image>> = self
            .strip_images
            .iter()
            .filter(|s| !s.is_empty())
            .cloned()
            .collect();
        (!rows.is_empty()).then(|| sheet(&rows))
    }

    /// Images on the all-sweeps page.
    #[cfg(test)]
    pub fn all_strip_images(&self) -> usize {
        self.all_strips.iter().map(Vec::len).sum()
    }

    /// Images the current strips hold, [cppn, sgd].
    #[cfg(test)]
    pub fn strip_len(&self) -> [usize; 2] {
        [self.strip_tex[0].len(), self.strip_tex[1].len()]
    }

    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        nets: &Pair,
        pick_for_sgd: impl Fn(Param) -> Option<Param>,
    ) {
        let ctx = ui.ctx().clone();
        self.receive(&ctx);
        self.notes = match nets.cppn.as_deref() {
            Some(Network::Genome { genome, .. }) => genome.notes.clone(),
            _ => Notes::default(),
        };
        if self
            .label_filter
            .is_some_and(|id| self.notes.label(id).is_none())
        {
            self.label_filter = None;
        }
        ui.horizontal(|ui| {
            self.dirty |= ui
                .add(egui::Slider::new(&mut self.steps, 1..=11).text("images"))
                .on_hover_text("Pictures along each sweep")
                .changed();
            self.dirty |= ui
                .add(egui::Slider::new(&mut self.range, 0.1..=3.0).text("range"))
                .on_hover_text("How far the weight moves each way (added to its value)")
                .changed();
        });
        self.dirty |= ui
            .add(egui::Slider::new(&mut self.size, 32..=192).text("image size"))
            .on_hover_text("Pixels per sweep picture")
            .changed();
        // The ranking of CPPN links, and picking one.
        if let Some(cppn) = &nets.cppn {
            ui.horizontal(|ui| {
                let rank = ui.button("Rank links by effect").on_hover_text(
                    "Sweep every link and list them by how much the picture changes",
                );
                super::super::hotspots::mark(ui.ctx(), "rank", rank.rect);
                if rank.clicked() {
                    let net = cppn.clone();
                    let (ds, size) = (deltas(5, self.range), 32);
                    self.ranked
                        .request(&ctx, move || all_sweeps(&net, &ds, &Grid::square(size)));
                }
                if self.ranked.busy() {
                    ui.spinner();
                }
                if !self.ranking.is_empty() {
                    let all = ui
                        .checkbox(&mut self.show_all, "all sweeps")
                        .on_hover_text("Show every ranked link's sweep, strongest first");
                    super::super::hotspots::mark(ui.ctx(), "all-sweeps", all.rect);
                }
                if !self.notes.labels.is_empty() {
                    let name = |id: Option<u32>| {
                        id.and_then(|i| self.notes.label(i))
                            .map_or("all labels".to_string(), |l| l.text.clone())
                    };
                    let mut f = self.label_filter;
                    egui::ComboBox::from_id_salt("sweep-label-filter")
                        .selected_text(name(f))
                        .show_ui(ui, |ui| {
                            ui.selectable_value(&mut f, None, "all labels");
                            for l in &self.notes.labels {
                                ui.selectable_value(&mut f, Some(l.id), &l.text);
                            }
                        });
                    self.label_filter = f;
                }
            });
            if self.show_all && !self.all_strips.is_empty() {
                // One strip per link, the biggest change first.
                egui::ScrollArea::vertical()
                    .id_salt("all-sweeps")
                    .max_height(420.0)
                    .show(ui, |ui| {
                        // A grid, so the strips line up whatever the links' names.
                        egui::Grid::new("all-sweeps-rows").show(ui, |ui| {
                            for (k, (p, change)) in self.ranking.clone().into_iter().enumerate() {
                                if !self.shown(p) {
                                    continue;
                                }
                                if ui
                                    .small_button(format!("{} ({change:.1})", self.name(p)))
                                    .clicked()
                                {
                                    self.choose(p, &pick_for_sgd);
                                }
                                ui.horizontal(|ui| {
                                    for tex in &self.all_strips[k] {
                                        ui.image((tex.id(), egui::vec2(40.0, 40.0)));
                                    }
                                });
                                ui.end_row();
                            }
                        });
                    });
            } else if !self.ranking.is_empty() {
                egui::ScrollArea::vertical()
                    .id_salt("ranking")
                    .max_height(120.0)
                    .show(ui, |ui| {
                        for (p, change) in self.ranking.clone() {
                            if !self.shown(p) {
                                continue;
                            }
                            let label = format!("{}   change {change:.1}", self.name(p));
                            let chosen = self.targets[0]
                                .as_ref()
                                .is_some_and(|t| t.dir == Direction::single(p));
                            if ui.selectable_label(chosen, label).clicked() {
                                self.choose(p, &pick_for_sgd);
                            }
                        }
                    });
            }
        }
        ui.horizontal(|ui| {
            ui.add(egui::DragValue::new(&mut self.seed).prefix("seed "));
            ui.weak("(random directions: pick a neuron in the Neurons view)");
        });
        if self.dirty {
            self.dirty = false;
            self.request_strips(&ctx, nets);
        }
        let width = ui.available_width();
        for (side, name) in [(Side::Evolved, "Evolved (CPPN)"), (Side::Sgd, "SGD")] {
            let side = side.index();
            ui.label(
                egui::RichText::new(match &self.targets[side] {
                    Some(t) => format!("{name}: {}", t.label),
                    None => format!("{name}: no weight chosen"),
                })
                .strong(),
            );
            let n = self.strip_tex[side].len().max(1) as f32;
            let side_px = ((width - 4.0 * n) / n).clamp(16.0, 160.0);
            ui.horizontal(|ui| {
                for tex in &self.strip_tex[side] {
                    ui.image((tex.id(), egui::vec2(side_px, side_px)));
                }
            });
        }
        if ui
            .add_enabled(
                self.targets[0].is_some(),
                egui::Button::new("Export animation..."),
            )
            .on_hover_text("the sweep as a loop, both networks side by side, as GIF or APNG")
            .clicked()
        {
            self.open_animation(nets);
        }
        self.animation.ui(&ctx);
        ui.separator();
        let r = ui.add(
            egui::Slider::new(&mut self.delta, -self.range..=self.range)
                .text("scrub delta")
                .clamping(egui::SliderClamping::Always),
        );
        if r.changed() || self.scrub_dirty {
            self.scrub_dirty = false;
            self.request_scrub(&ctx, nets);
        }
        ui.horizontal(|ui| {
            let s = ((width - 8.0) / 2.0).clamp(32.0, 256.0);
            for tex in self.scrub_tex.iter().flatten() {
                ui.image((tex.id(), egui::vec2(s, s)));
            }
        });
    }

    /// A weight's name with its label: "576:224 - Mouth and eye".
    pub fn name(&self, p: Param) -> String {
        match p {
            Param::Link(m) if self.notes.link_label(m).is_some() => {
                super::labels::titled(&self.notes, super::graph::Pick::Link(m))
            }
            _ => p.to_string(),
        }
    }

    /// Whether the label filter lets weight `p` through.
    fn shown(&self, p: Param) -> bool {
        match (self.label_filter, p) {
            (None, _) => true,
            (Some(id), Param::Link(m)) => self.notes.link_labels.get(&m) == Some(&id),
            (Some(_), _) => false,
        }
    }

    /// Sweeps CPPN weight `p`, and its counterpart in the SGD net if it has one.
    pub fn choose(&mut self, p: Param, pick_for_sgd: &impl Fn(Param) -> Option<Param>) {
        self.set_target(
            Side::Evolved,
            Some(SweepTarget {
                label: self.name(p),
                dir: Direction::single(p),
            }),
        );
        if let Some(q) = pick_for_sgd(p) {
            self.set_target(
                Side::Sgd,
                Some(SweepTarget {
                    label: format!("{q} (same place)"),
                    dir: Direction::single(q),
                }),
            );
        }
    }

    /// Opens the animation window for the chosen weights.
    pub fn open_animation(&mut self, nets: &Pair) {
        let panels: Vec<Panel> = self
            .jobs(nets)
            .into_iter()
            .zip(["evolved", "SGD"])
            .filter_map(|(j, title)| {
                let (net, direction) = j?;
                Some(Panel {
                    net: (*net).clone(),
                    direction,
                    title: title.into(),
                })
            })
            .collect();
        let label = self.targets[0]
            .as_ref()
            .or(self.targets[1].as_ref())
            .map(|t| t.label.clone())
            .unwrap_or_default();
        if !panels.is_empty() {
            self.animation.open(Recipe::Sweep {
                panels,
                label,
                range: self.range,
            });
        }
    }

    fn receive(&mut self, ctx: &egui::Context) {
        if let Some(rows) = self.ranked.take() {
            self.ranking = rows.iter().map(|r| (r.param, r.change)).collect();
            self.all_strips = rows
                .iter()
                .enumerate()
                .map(|(k, r)| {
                    let name = |i| format!("all-sweeps-{k}-{i}");
                    r.images
                        .iter()
                        .enumerate()
                        .map(|(i, img)| texture(ctx, &name(i), img))
                        .collect()
                })
                .collect();
        }
        if let Some(strips) = self.strips.take() {
            for (side, imgs) in strips.into_iter().enumerate() {
                let imgs = imgs.unwrap_or_default();
                self.strip_tex[side] = imgs
                    .iter()
                    .enumerate()
                    .map(|(i, img)| texture(ctx, &format!("sweep-{side}-{i}"), img))
                    .collect();
                self.strip_images[side] = imgs;
            }
        }
        if let Some(imgs) = self.scrub.take() {
            for (side, img) in imgs.into_iter().enumerate() {
                self.scrub_tex[side] = img.map(|img| texture(ctx, &format!("scrub-{side}"), &img));
            }
        }
    }

    fn request_strips(&mut self, ctx: &egui::Context, nets: &Pair) {
        let jobs = self.jobs(nets);
        let (ds, grid) = (deltas(self.steps, self.range), Grid::square(self.size));
        self.strips.request(ctx, move || {
            jobs.map(|j| j.and_then(|(net, dir)| sweep(&net, &dir, &ds, &grid)))
        });
    }

    fn request_scrub(&mut self, ctx: &egui::Context, nets: &Pair) {
        let jobs = self.jobs(nets);
        let (delta, grid) = (self.delta, Grid::square(2 * self.size));
        self.scrub.request(ctx, move || {
            jobs.map(|j| {
                j.and_then(|(net, dir)| moved(&net, &dir, delta))
                    .map(|n| n.render(&grid))
            })
        });
    }

    fn jobs(&self, nets: &Pair) -> [Option<(Arc<Network>, Direction)>; 2] {
        let side = |net: &Option<Arc<Network>>, t: &Option<SweepTarget>| {
            Some((net.clone()?, t.as_ref()?.dir.clone()))
        };
        [
            side(&nets.cppn, &self.targets[0]),
            side(&nets.sgd, &self.targets[1]),
        ]
    }
}
