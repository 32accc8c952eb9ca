//! One neuron gallery as a widget: the paper's layout (layers as rows, inputs at the
//! bottom), one texture for the whole gallery, hover to enlarge a neuron, click to pick it.

use super::super::background::{Latest, texture};
use eframe::egui;
use picbreeder::grid::{Grid, Planes};
use picbreeder::image::Image;
use picbreeder::network::Network;
use picbreeder::render::gallery::{Cell, GalleryLayout, gallery_image};
use std::sync::Arc;

/// What a finished gallery job brings back.
struct GalleryPictures {
    layout: GalleryLayout,
    planes: Planes,
    image: Image,
}

pub struct GalleryView {
    /// Pixels per neuron thumbnail.
    pub thumb: usize,
    /// Show each hidden layer rotated onto its principal components (the PCA control).
    pub pca: bool,
    job: Latest<GalleryPictures>,
    shown: Option<(GalleryPictures, egui::TextureHandle)>,
    key: Option<(u64, usize, bool)>,
    /// The hovered neuron's enlarged texture, by plane.
    zoom: Option<(usize, egui::TextureHandle)>,
    /// The picked neuron (plane index).
    pub picked: Option<usize>,
    /// Where the gallery was drawn last frame.
    pub rect: Option<egui::Rect>,
}

impl Default for GalleryView {
    fn default() -> Self {
        GalleryView {
            thumb: 40,
            pca: false,
            job: Latest::default(),
            shown: None,
            key: None,
            zoom: None,
            picked: None,
            rect: None,
        }
    }
}

impl GalleryView {
    /// Shows `net` (identified by `key`); recomputes only when the key or size changes.
    pub fn set(&mut self, ctx: &egui::Context, net: &Arc<Network>, key: u64) {
        if self.key == Some((key, self.thumb, self.pca)) {
            return;
        }
        self.key = Some((key, self.thumb, self.pca));
        let (net, thumb, pca) = (net.clone(), self.thumb, self.pca);
        self.job.request(ctx, move || {
            let grid = Grid::square(thumb);
            let layout = GalleryLayout::of(&net);
            let mut planes = net.planes(&grid);
            if pca {
                planes = picbreeder::measure::Evaluated {
                    planes,
                    layout: layout.clone(),
                    image: Image::new(0, 0),
                }
                .pca_planes();
            }
            let side = (2 * thumb).max(64);
            let image = gallery_image(&planes, &layout, &net.render(&Grid::square(side)));
            GalleryPictures {
                layout,
                planes,
                image,
            }
        });
    }

    pub fn clear(&mut self) {
        self.key = None;
        self.shown = None;
        self.picked = None;
    }

    pub fn busy(&self) -> bool {
        self.job.busy()
    }

    /// The gallery picture shown, for export.
    pub fn image(&self) -> Option<&Image> {
        self.shown.as_ref().map(|(d, _)| &d.image)
    }

    pub fn layout(&self) -> Option<&GalleryLayout> {
        self.shown.as_ref().map(|(d, _)| &d.layout)
    }

    /// Draws the gallery, scaled to the width available (`fit`) or at one texture pixel
    /// per screen pixel; returns a neuron clicked.
    pub fn ui(&mut self, ui: &mut egui::Ui, id: &str, fit: bool) -> Option<Cell> {
        if let Some(d) = self.job.take() {
            let tex = texture(ui.ctx(), id, &d.image);
            self.shown = Some((d, tex));
            self.zoom = None;
        }
        let Some((drawn, tex)) = &self.shown else {
            ui.spinner();
            return None;
        };
        let size = tex.size_vec2();
        let scale = if fit {
            (ui.available_width() / size.x).min(3.0)
        } else {
            1.0 / ui.ctx().pixels_per_point()
        };
        let resp = ui.add(egui::Image::new((tex.id(), size * scale)).sense(egui::Sense::click()));
        self.rect = Some(resp.rect);
        let thumb = self.thumb;
        let under = resp.hover_pos().and_then(|p| {
            let local = (p - resp.rect.min) / scale;
            drawn
                .layout
                .cell_at(local.x, local.y, thumb, thumb)
                .cloned()
        });
        if let Some(cell) = &under {
            if self.zoom.as_ref().is_none_or(|z| z.0 != cell.plane) {
                let img = Image::from_neuron(drawn.planes.plane(cell.plane), thumb, thumb);
                self.zoom = Some((cell.plane, texture(ui.ctx(), &format!("{id}-zoom"), &img)));
            }
            if let Some((_, z)) = &self.zoom {
                resp.clone().on_hover_ui_at_pointer(|ui| {
                    ui.label(format!("neuron {}: {}", cell.plane, cell.label));
                    ui.image((z.id(), egui::vec2(160.0, 160.0)));
                });
            }
        }
        if let Some((row, col)) = self.picked.and_then(|p| find(&drawn.layout, p)) {
            let (x, y) = drawn.layout.cell_origin(row, col, thumb, thumb);
            let min = resp.rect.min + egui::vec2(x as f32, y as f32) * scale;
            let r = egui::Rect::from_min_size(min, egui::vec2(thumb as f32, thumb as f32) * scale);
            ui.painter().rect_stroke(
                r.expand(1.5),
                0.0,
                (2.0, egui::Color32::YELLOW),
                egui::StrokeKind::Outside,
            );
        }
        if resp.clicked() {
            if let Some(cell) = &under {
                self.picked = Some(cell.plane);
            }
            return under;
        }
        None
    }
}

/// Row and column of a plane in a layout.
fn find(layout: &GalleryLayout, plane: usize) -> Option<(usize, usize)> {
    layout
        .rows
        .iter()
        .enumerate()
        .find_map(|(r, row)| row.iter().position(|c| c.plane == plane).map(|c| (r, c)))
}
