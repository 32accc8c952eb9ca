//! The lineage: every generation ever made, as a tree read left to right (the session
//! lays it out: depth along x, its column down y), with a thumbnail each. Clicking a
//! node goes back to that generation, to branch from there; nothing is lost, the other
//! branches stay in the tree.

use super::Action;
use super::animation::{AnimationDialog, Recipe};
use super::thumbs::{Thumb, ThumbCache};
use eframe::egui;
use picbreeder::breed::{Lineage, OriginKind, Session};

/// Lineage UI state.
pub struct LineagePanel {
    /// Thumbnail side in points.
    pub thumb: f32,
    /// The node last scrolled to, so the view follows the current generation only when
    /// it changes.
    scrolled_to: Option<usize>,
    /// "Export animation...": a generation's line from its root, morphing.
    pub animation: AnimationDialog,
}

impl Default for LineagePanel {
    fn default() -> Self {
        LineagePanel {
            thumb: 44.0,
            scrolled_to: None,
            animation: AnimationDialog::default(),
        }
    }
}

impl LineagePanel {
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        lineage: &Lineage,
        session: &Session,
        thumbs: &mut ThumbCache,
        actions: &mut Vec<Action>,
    ) {
        let step = self.thumb + 14.0;
        let cols = lineage.rows();
        let rows = lineage.columns.max(1);
        let pixels = (self.thumb * ui.ctx().pixels_per_point()).round().max(8.0) as usize;
        let current = lineage.current.0;
        let follow = self.scrolled_to != Some(current);
        self.scrolled_to = Some(current);
        egui::ScrollArea::both()
            .id_salt("lineage-scroll")
            .auto_shrink([false, false])
            .show_viewport(ui, |ui, viewport| {
                let total = egui::vec2(cols as f32 * step + 8.0, rows as f32 * step + 8.0);
                let (area, _) = ui.allocate_exact_size(total, egui::Sense::hover());
                let origin = area.min + egui::vec2(4.0, 4.0);
                let cell = |id: usize| {
                    lineage.nodes.get(id).map(|n| {
                        egui::Rect::from_min_size(
                            origin + egui::vec2(n.depth as f32 * step, n.column * step),
                            egui::vec2(self.thumb, self.thumb),
                        )
                    })
                };
                let visible = viewport.translate(area.min.to_vec2()).expand(step);
                let weak = egui::Stroke::new(1.5, ui.visuals().weak_text_color());
                let strong = egui::Stroke::new(2.0, super::grid_panel::VIEWED_COLOUR);
                for n in &lineage.nodes {
                    if let (Some(r), Some(p)) = (cell(n.id.0), n.parent)
                        && let Some(pr) = cell(p.0)
                    {
                        let a = pr.right_center();
                        let b = r.left_center();
                        let mid = egui::pos2(a.x + 6.0, a.y);
                        let line = if n.on_path { strong } else { weak };
                        let painter = ui.painter();
                        painter.line_segment([a, mid], line);
                        painter.line_segment([mid, egui::pos2(mid.x, b.y)], line);
                        painter.line_segment([egui::pos2(mid.x, b.y), b], line);
                    }
                }
                for n in &lineage.nodes {
                    let id = n.id.0;
                    let Some(r) = cell(id) else { continue };
                    if n.current && follow {
                        ui.scroll_to_rect(r, None);
                    }
                    if !visible.intersects(r) {
                        continue;
                    }
                    let resp =
                        ui.interact(r, ui.scope_id().with(("lineage", id)), egui::Sense::click());
                    let name = format!("generation node {id}");
                    resp.widget_info(|| {
                        egui::WidgetInfo::selected(egui::Role::Button, true, n.current, &name)
                    });
                    let painter = ui.painter();
                    match session.representative(n.id).map(|g| thumbs.get(&g, pixels)) {
                        Some(Thumb::Ready(tex)) => {
                            let uv = egui::Rect::from_min_max(
                                egui::pos2(0.0, 0.0),
                                egui::pos2(1.0, 1.0),
                            );
                            painter.image(tex.id(), r, uv, egui::Color32::WHITE);
                        }
                        _ => {
                            painter.rect_filled(r, 2.0, ui.visuals().faint_bg_color);
                        }
                    }
                    let stroke = if n.current {
                        egui::Stroke::new(3.0, super::grid_panel::VIEWED_COLOUR)
                    } else if resp.hovered() {
                        egui::Stroke::new(2.0, ui.visuals().strong_text_color())
                    } else {
                        egui::Stroke::new(1.0, ui.visuals().weak_text_color())
                    };
                    painter.rect_stroke(r, 2.0, stroke, egui::StrokeKind::Outside);
                    let clicked = resp.clicked();
                    let how = match n.origin {
                        OriginKind::Random => "random genomes".to_string(),
                        OriginKind::Opened => "opened from a genome".to_string(),
                        OriginKind::Evolved => format!("bred from {} parent(s)", n.chosen.len()),
                    };
                    let strength = n
                        .strength
                        .map(|s| format!(", mutation strength {s:.2}"))
                        .unwrap_or_default();
                    let resp = resp.on_hover_text(format!(
                        "generation {} ({how}{strength})\nclick to go back here and branch",
                        n.depth + 1
                    ));
                    resp.context_menu(|ui| {
                        if ui.button("Export animation...").clicked() {
                            open_lineage(&mut self.animation, session, n.id, n.representative);
                            ui.close();
                        }
                    });
                    if clicked && !n.current {
                        actions.push(Action::BranchTo(id));
                    }
                }
            });
        self.animation.ui(ui.ctx());
    }
}

/// Opens the animation window on the line from the root to genome `index` of `id`.
fn open_lineage(
    dialog: &mut AnimationDialog,
    session: &Session,
    id: picbreeder::breed::GenerationId,
    index: usize,
) {
    let Some(line) = session.ancestry(id, index) else {
        return;
    };
    let stops = line
        .into_iter()
        .map(|a| {
            let depth = session.generation(a.generation).map_or(0, |g| g.depth);
            picbreeder::animate::lineage::Stop {
                genome: a.genome,
                name: format!("gen {} child {}", depth + 1, a.index + 1),
            }
        })
        .collect();
    dialog.path = "lineage.gif".into();
    dialog.open(Recipe::Lineage { stops });
}
