//! The grid of children: click toggles a child as a parent; right-click shows it in the
//! large view without choosing it.

use super::Action;
use super::thumbs::{Thumb, ThumbCache};
use eframe::egui;
use picbreeder::cppn::Genome;

/// Colour of a chosen parent's frame and badge.
pub const PARENT_COLOUR: egui::Color32 = egui::Color32::from_rgb(255, 160, 0);
/// Colour of the outline of the child shown in the large view.
pub const VIEWED_COLOUR: egui::Color32 = egui::Color32::from_rgb(90, 170, 255);

/// Grid UI state: how many thumbnails per row (their size is a session setting).
pub struct GridPanel {
    /// Thumbnail side in points, from the session settings (set each frame).
    pub thumb: f32,
    /// Columns asked for in Settings; fewer are drawn when the space is narrower.
    pub columns: usize,
    /// Columns drawn this frame (see [`GridPanel::fit`]).
    shown: usize,
    /// Where each child was drawn last frame.
    pub rects: Vec<egui::Rect>,
}

impl Default for GridPanel {
    fn default() -> Self {
        GridPanel {
            thumb: 128.0,
            columns: 5,
            shown: 5,
            rects: Vec::new(),
        }
    }
}

/// What the grid needs to know about the population.
pub struct GridView<'a> {
    pub children: &'a [Genome],
    pub parents: &'a [bool],
    pub viewed: Option<usize>,
    /// Thumbnail side in points.
    pub thumb: f32,
}

/// Space between thumbnails.
const GAP: f32 = 8.0;

impl GridPanel {
    /// Decides the columns drawn in at most `room` points: those asked for, or as many
    /// as fit (at least one), so a narrow grid (the side panel open) wraps into more
    /// rows and scrolls down rather than hiding a column behind the large view. Returns
    /// the panel width they need, margins and scroll bar included.
    pub fn fit(&mut self, room: f32) -> f32 {
        let width = |n: usize| n as f32 * (self.thumb + GAP) + 16.0;
        let fit = ((room - 16.0) / (self.thumb + GAP)).floor().max(1.0) as usize;
        self.shown = self.columns.max(1).min(fit);
        width(self.shown)
    }

    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        view: GridView<'_>,
        thumbs: &mut ThumbCache,
        actions: &mut Vec<Action>,
    ) {
        self.thumb = view.thumb;
        let pixels = (self.thumb * ui.ctx().pixels_per_point()).round().max(8.0) as usize;
        let gap = GAP;
        self.rects.clear();
        let columns = self.shown.max(1);
        let mut all_ready = true;
        egui::ScrollArea::both()
            .id_salt("grid-scroll")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.spacing_mut().item_spacing = egui::vec2(gap, gap);
                for (row_index, row) in view.children.chunks(columns).enumerate() {
                    ui.horizontal(|ui| {
                        for (j, genome) in row.iter().enumerate() {
                            let i = row_index * columns + j;
                            let parent = view.parents.get(i).copied().unwrap_or(false);
                            let thumb = thumbs.get(genome, pixels);
                            all_ready &= matches!(thumb, Thumb::Ready(_));
                            let resp = self.cell(ui, i, &thumb, parent, view.viewed == Some(i));
                            self.rects.push(resp.rect);
                            super::hotspots::mark(ui.ctx(), format!("child {}", i + 1), resp.rect);
                            if resp.clicked() {
                                actions.push(Action::ToggleParent(i));
                                actions.push(Action::View(i));
                            } else if resp.secondary_clicked() {
                                actions.push(Action::View(i));
                            }
                        }
                    });
                }
            });
        // For scripts timing how soon a generation's pictures are all drawn.
        if all_ready && let Some(r) = self.rects.first() {
            super::hotspots::mark(ui.ctx(), "pictures-ready", *r);
        }
    }

    fn cell(
        &self,
        ui: &mut egui::Ui,
        i: usize,
        thumb: &Thumb,
        parent: bool,
        viewed: bool,
    ) -> egui::Response {
        let size = egui::vec2(self.thumb, self.thumb);
        let (rect, resp) = ui.allocate_exact_size(size, egui::Sense::click());
        let label = format!("child {}", i + 1);
        resp.widget_info(|| egui::WidgetInfo::selected(egui::Role::CheckBox, true, parent, &label));
        let painter = ui.painter();
        match thumb {
            Thumb::Ready(tex) => {
                let uv = egui::Rect::from_min_max(egui::pos2(0.0, 0.0), egui::pos2(1.0, 1.0));
                painter.image(tex.id(), rect, uv, egui::Color32::WHITE);
            }
            Thumb::Pending => {
                painter.rect_filled(rect, 2.0, ui.visuals().faint_bg_color);
                let spinner = egui::Rect::from_center_size(rect.center(), egui::vec2(20.0, 20.0));
                egui::Spinner::new().paint_at(ui, spinner);
            }
            Thumb::Broken(why) => {
                painter.rect_filled(rect, 2.0, egui::Color32::from_rgb(60, 20, 20));
                painter.text(
                    rect.center(),
                    egui::Align2::CENTER_CENTER,
                    "cannot render",
                    egui::FontId::proportional(12.0),
                    egui::Color32::LIGHT_RED,
                );
                resp.clone().on_hover_text(why.as_str());
            }
        }
        if viewed {
            painter.rect_stroke(
                rect.expand(2.0),
                2.0,
                egui::Stroke::new(2.0, VIEWED_COLOUR),
                egui::StrokeKind::Outside,
            );
        }
        if parent {
            painter.rect_stroke(
                rect,
                0.0,
                egui::Stroke::new(5.0, PARENT_COLOUR),
                egui::StrokeKind::Inside,
            );
            let badge = egui::Rect::from_min_size(rect.min, egui::vec2(52.0, 18.0));
            painter.rect_filled(badge, 0.0, PARENT_COLOUR);
            painter.text(
                badge.center(),
                egui::Align2::CENTER_CENTER,
                "parent",
                egui::FontId::proportional(12.0),
                egui::Color32::BLACK,
            );
        } else if resp.hovered() {
            painter.rect_stroke(
                rect,
                0.0,
                egui::Stroke::new(2.0, ui.visuals().widgets.hovered.fg_stroke.color),
                egui::StrokeKind::Inside,
            );
        }
        resp
    }
}
