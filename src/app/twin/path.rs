//! The Path view: how evolution got to the viewed child (its lineage, root first, each
//! generation's chosen parent) above how SGD got there (the run's snapshots at steps 0,
//! 100, 200, 400, 1,000, then every tenth of the run, and the newest), as the paper's
//! path figures. Click a snapshot to see its neuron gallery; export both rows as one PNG.

use super::super::background::{Latest, texture};
use super::gallery::GalleryView;
use eframe::egui;
use picbreeder::breed::{GenerationId, Session};
use picbreeder::experiment::jobs::NO_ANCESTRY;
use picbreeder::experiment::path::{
    Snapshot, columns, figure, lineage_pictures, snapshot_pictures,
};
use picbreeder::experiment::stones::{Stone, lineage};
use picbreeder::image::Image;
use picbreeder::network::Network;
use std::sync::Arc;

/// Pixels of each picture in the view and the exported figure.
const PICTURE: usize = 64;

/// The lineage's pictures, the shown snapshots' pictures (captioned) and the figure
/// of both, made off the UI thread.
struct PathPictures {
    lineage: Result<Vec<(String, Image)>, String>,
    snapshots: Vec<(String, Image)>,
    steps: Vec<u64>,
    figure: Image,
}

#[derive(Default)]
pub struct PathView {
    job: Latest<PathPictures>,
    /// (lineage end, snapshot steps) of the last request.
    key: Option<((usize, usize, usize), Vec<u64>)>,
    pub(super) lineage: Vec<(String, egui::TextureHandle)>,
    pub(super) error: Option<String>,
    /// The shown snapshots (caption, picture) and their steps.
    snapshots: Vec<(String, egui::TextureHandle)>,
    steps: Vec<u64>,
    /// The clicked snapshot's step and its gallery.
    picked: Option<u64>,
    gallery: GalleryView,
    /// The figure of the last drawing, for Export PNG.
    pub figure: Option<Image>,
}

impl PathView {
    pub fn busy(&self) -> bool {
        self.job.busy() || self.gallery.busy()
    }

    /// `end`: the session and the viewed child's (generation, child); `kept`: the run's
    /// path snapshots (step, PSNR, net), oldest first.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        end: Option<(&Session, GenerationId, usize)>,
        kept: &[Snapshot],
    ) {
        let ctx = ui.ctx().clone();
        let shown: Vec<usize> = columns(&kept.iter().map(|s| s.step).collect::<Vec<_>>());
        let steps: Vec<u64> = shown.iter().map(|&i| kept[i].step).collect();
        if let Some((session, generation, child)) = end {
            let key = ((generation.0, child, session.generations().len()), steps);
            if self.key.as_ref() != Some(&key) {
                self.key = Some(key);
                let stones = lineage(session, generation, child).map_err(|e| e.to_string());
                let snaps: Vec<Snapshot> = shown.iter().map(|&i| kept[i].clone()).collect();
                self.job.request(&ctx, move || draw(stones, &snaps));
            }
        }
        if let Some(d) = self.job.take() {
            match d.lineage {
                Ok(l) => {
                    self.error = None;
                    self.lineage = l
                        .iter()
                        .enumerate()
                        .map(|(i, (t, img))| (t.clone(), texture(&ctx, &format!("path-l{i}"), img)))
                        .collect();
                }
                Err(e) => {
                    self.error = Some(e);
                    self.lineage.clear();
                }
            }
            self.snapshots = d
                .snapshots
                .iter()
                .enumerate()
                .map(|(i, (caption, img))| {
                    let tex = texture(&ctx, &format!("path-s{i}"), img);
                    (caption.clone(), tex)
                })
                .collect();
            self.steps = d.steps;
            self.figure = Some(d.figure);
        }
        if end.is_none() {
            ui.weak("View a child (right-click it in the grid) to see its lineage.");
        }
        if let Some(e) = &self.error {
            ui.colored_label(ui.visuals().error_fg_color, e);
        }
        let size = egui::vec2(PICTURE as f32, PICTURE as f32);
        ui.strong("Evolution: the lineage, root first");
        if self.lineage.len() == 1 {
            ui.weak(NO_ANCESTRY);
        }
        // Wrapped, not scrolled: the whole path at a glance, as the paper's figures. Each
        // picture asks for its size up front: a wrapped row cannot wrap a child of
        // unknown size (`ui.vertical`), which widened the panel over the grid instead.
        let cell = |lines: usize| egui::vec2(size.x, size.y + 14.0 * lines as f32);
        let down = egui::Layout::top_down(egui::Align::Min);
        ui.horizontal_wrapped(|ui| {
            for (title, tex) in &self.lineage {
                ui.allocate_ui_with_layout(cell(1), down, |ui| {
                    ui.image((tex.id(), size));
                    ui.small(title);
                });
            }
        });
        ui.separator();
        ui.strong("SGD: the run's snapshots");
        if kept.is_empty() {
            ui.weak("Train the twin (SGD view): its snapshots at steps 0, 100, 200, 400, 1,000 and every 1,000 appear here.");
            return;
        }
        let mut clicked = None;
        ui.horizontal_wrapped(|ui| {
            for ((caption, tex), step) in self.snapshots.iter().zip(&self.steps) {
                ui.allocate_ui_with_layout(cell(caption.lines().count()), down, |ui| {
                    let r = ui.add(egui::Image::new((tex.id(), size)).sense(egui::Sense::click()));
                    if self.picked == Some(*step) {
                        ui.painter().rect_stroke(
                            r.rect.expand(1.0),
                            0.0,
                            egui::Stroke::new(2.0, egui::Color32::ORANGE),
                            egui::StrokeKind::Outside,
                        );
                    }
                    r.widget_info(|| {
                        egui::WidgetInfo::labeled(
                            egui::Role::Button,
                            true,
                            format!("snapshot at step {step}"),
                        )
                    });
                    if r.on_hover_text("click: this snapshot's neurons").clicked() {
                        clicked = Some(*step);
                    }
                    for line in caption.lines() {
                        ui.small(line);
                    }
                });
            }
        });
        if let Some(step) = clicked {
            self.picked = (self.picked != Some(step)).then_some(step);
        }
        if let Some(step) = self.picked
            && let Some(s) = kept.iter().find(|s| s.step == step)
        {
            ui.separator();
            ui.strong(format!("Neurons at step {step}"));
            self.gallery
                .set(&ctx, &Arc::new(Network::Net(s.net.clone())), step);
            self.gallery.ui(ui, "path-gallery", true);
        }
    }
}

/// Renders the lineage and the snapshots, and the figure of both.
fn draw(stones: Result<Vec<Stone>, String>, snaps: &[Snapshot]) -> PathPictures {
    let lineage = stones.map(|s| lineage_pictures(&s, PICTURE));
    let snapshots = snapshot_pictures(snaps, PICTURE);
    let figure = figure(lineage.as_deref().unwrap_or(&[]), &snapshots).to_image();
    PathPictures {
        lineage,
        snapshots,
        steps: snaps.iter().map(|s| s.step).collect(),
        figure,
    }
}
