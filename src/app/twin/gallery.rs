//! One neuron gallery as a widget: the paper's layout (layers as rows, inputs at the
//! bottom, layer numbers on the left, input names under the inputs and output names over
//! the outputs), hover to enlarge a neuron, click to pick it.
//!
//! Every cell, the lines between cells and the labels are placed from one [`Geometry`]
//! computed in screen pixels each frame, and each neuron is its own texture drawn into its
//! cell: a scaled picture of the whole gallery let the lines drift off the cells whenever
//! the scale was not a whole number.

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
    /// Each neuron's thumbnail, in the layout's order (rows, then columns).
    thumbs: Vec<Image>,
    final_image: Image,
    /// The whole gallery as one picture (for export).
    image: Image,
}

/// The textures of a shown gallery: one a neuron (layout order) and the final image.
struct Textures {
    cells: Vec<egui::TextureHandle>,
    final_image: egui::TextureHandle,
}

/// Gap between cells, in pixels (the lines of the grid).
const GAP_PX: f32 = 2.0;
/// Room for the layer numbers on the left and the names above and below, in points.
const LEFT: f32 = 20.0;
const NAMES: f32 = 14.0;
/// The labels' font size, in points.
const LABEL_SIZE: f32 = 10.0;
/// Fitted cells are never larger than this many times the thumbnail.
const MAX_FIT: f32 = 3.0;
/// Nor smaller than this many points (a wider net scrolls instead).
const MIN_CELL: f32 = 4.0;
/// The final image is this many cells wide.
const FINAL_CELLS: f32 = 2.0;
const BACKGROUND: egui::Color32 = egui::Color32::from_gray(64);
const FRAME: egui::Color32 = egui::Color32::from_rgb(0, 150, 0);

/// Where everything of a gallery goes on screen, in points on whole pixels: the cells,
/// the grid behind them (its lines are where it shows between cells), the final image
/// and the labels all come from here.
#[derive(Clone, Debug, PartialEq)]
pub struct Geometry {
    /// The whole gallery, labels included.
    pub rect: egui::Rect,
    /// The grid's background.
    pub grid: egui::Rect,
    /// Each neuron's cell, in the layout's order (rows, then columns).
    pub cells: Vec<egui::Rect>,
    pub final_image: egui::Rect,
    /// Layer numbers: the text and the point its left-centre sits at.
    pub layer_numbers: Vec<(String, egui::Pos2)>,
    /// Input names (under row 0) and output names (over the last row): the text, and
    /// the cell it names (an index into `cells`).
    pub names: Vec<(String, usize, NamePlace)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NamePlace {
    Below,
    Above,
}

/// Rounds points to whole pixels.
fn px(v: f32, ppp: f32) -> f32 {
    (v * ppp).round() / ppp
}

impl Geometry {
    /// The cell side (in points, a whole number of pixels) that fits `layout` into
    /// `width` points, at most [`MAX_FIT`] times a `thumb`-pixel thumbnail.
    pub fn fitted_cell(layout: &GalleryLayout, width: f32, thumb: usize, ppp: f32) -> f32 {
        let cols = layout.rows.iter().map(Vec::len).max().unwrap_or(0) as f32;
        let gap = GAP_PX / ppp;
        // left + gap + cols (cell + gap) + final (FINAL_CELLS cells + gap) + gap
        let room = width - LEFT - (cols + 3.0) * gap - (FINAL_CELLS - 1.0) * gap;
        let cell = room / (cols + FINAL_CELLS);
        let cell = cell.min(MAX_FIT * thumb as f32 / ppp).max(MIN_CELL);
        ((cell * ppp).floor() / ppp).max(1.0 / ppp)
    }

    /// The gallery of `layout` with cells `cell` points square, its top-left at `min`.
    pub fn of(layout: &GalleryLayout, min: egui::Pos2, cell: f32, ppp: f32) -> Geometry {
        let min = egui::pos2(px(min.x, ppp), px(min.y, ppp));
        let cell = px(cell, ppp).max(1.0 / ppp);
        let gap = GAP_PX / ppp;
        let rows = layout.rows.len();
        let cols = layout.rows.iter().map(Vec::len).max().unwrap_or(0);
        let pitch = cell + gap;
        let grid_min = min + egui::vec2(px(LEFT, ppp), px(NAMES, ppp));
        let grid = egui::Rect::from_min_size(
            grid_min,
            egui::vec2(cols as f32 * pitch + gap, rows as f32 * pitch + gap),
        );
        let mut cells = Vec::with_capacity(layout.neuron_count());
        let mut layer_numbers = vec![];
        let mut names = vec![];
        let last = rows.saturating_sub(1);
        for (r, row) in layout.rows.iter().enumerate() {
            // Inputs at the bottom, outputs on top.
            let y = grid_min.y + gap + (last - r) as f32 * pitch;
            // The paper numbers the layers up to the last hidden one; outputs are named.
            if r < last {
                layer_numbers.push((r.to_string(), egui::pos2(min.x + 2.0, y + cell / 2.0)));
            }
            for (c, label) in row.iter().enumerate() {
                let x = grid_min.x + gap + c as f32 * pitch;
                let i = cells.len();
                cells.push(egui::Rect::from_min_size(
                    egui::pos2(x, y),
                    egui::vec2(cell, cell),
                ));
                let name = match r {
                    0 => Some((
                        match label.label.as_str() {
                            "bias" => "1".to_string(),
                            l => l.to_string(),
                        },
                        NamePlace::Below,
                    )),
                    _ if r == last => Some((label.label.clone(), NamePlace::Above)),
                    _ => None,
                };
                if let Some((text, place)) = name {
                    names.push((text, i, place));
                }
            }
        }
        let side = FINAL_CELLS * cell + (FINAL_CELLS - 1.0) * gap;
        let final_image = egui::Rect::from_min_size(
            egui::pos2(grid.right() + gap, grid.top() + gap),
            egui::vec2(side, side),
        );
        let max = egui::pos2(
            final_image.right() + gap,
            grid.bottom().max(final_image.bottom() + gap) + px(NAMES, ppp),
        );
        Geometry {
            rect: egui::Rect::from_min_max(min, max),
            grid,
            cells,
            final_image,
            layer_numbers,
            names,
        }
    }

    /// The index of the cell at `pos`, if any.
    pub fn cell_at(&self, pos: egui::Pos2) -> Option<usize> {
        self.cells.iter().position(|r| r.contains(pos))
    }
}

pub struct GalleryView {
    /// Pixels per neuron thumbnail.
    pub thumb: usize,
    /// Show each hidden layer rotated onto its principal components (the PCA control).
    pub pca: bool,
    /// Frame the evolved genome's own nodes (a layerized net), as the CLI's figure does.
    pub frame_own: bool,
    job: Latest<GalleryPictures>,
    shown: Option<(GalleryPictures, Textures)>,
    key: Option<(u64, usize, bool)>,
    /// The hovered neuron's enlarged texture, by plane.
    zoom: Option<(usize, egui::TextureHandle)>,
    /// The picked neuron (plane index).
    pub picked: Option<usize>,
    /// Where the gallery was drawn last frame.
    pub rect: Option<egui::Rect>,
    /// The layout the gallery was drawn from last frame.
    pub geometry: Option<Geometry>,
}

impl Default for GalleryView {
    fn default() -> Self {
        GalleryView {
            thumb: 40,
            pca: false,
            frame_own: false,
            job: Latest::default(),
            shown: None,
            key: None,
            zoom: None,
            picked: None,
            rect: None,
            geometry: None,
        }
    }
}

/// Neuron textures: crisp pixels when enlarged, smooth (mipmapped) when shrunk.
const THUMB_OPTIONS: egui::TextureOptions = egui::TextureOptions {
    magnification: egui::TextureFilter::Nearest,
    minification: egui::TextureFilter::Linear,
    wrap_mode: egui::TextureWrapMode::ClampToEdge,
    mipmap_mode: Some(egui::TextureFilter::Linear),
};

fn thumb_texture(ctx: &egui::Context, name: String, img: &Image) -> egui::TextureHandle {
    ctx.load_texture(
        name,
        super::super::thumbs::to_color_image(img),
        THUMB_OPTIONS,
    )
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
            let final_image = net.render(&Grid::square(side));
            let image = gallery_image(&planes, &layout, &final_image);
            let thumbs = layout
                .rows
                .iter()
                .flatten()
                .map(|c| Image::from_neuron(planes.plane(c.plane), thumb, thumb))
                .collect();
            GalleryPictures {
                layout,
                planes,
                thumbs,
                final_image,
                image,
            }
        });
    }

    pub fn clear(&mut self) {
        self.key = None;
        self.shown = None;
        self.picked = None;
        self.geometry = None;
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

    /// The textures the cells were drawn with, in the layout's order (tests find the
    /// drawn rectangles by them).
    #[cfg(test)]
    pub fn cell_textures(&self) -> Vec<egui::TextureId> {
        self.shown
            .as_ref()
            .map(|(_, t)| t.cells.iter().map(|t| t.id()).collect())
            .unwrap_or_default()
    }

    /// Draws the gallery, its cells sized to fit the width available (`fit`) or one
    /// thumbnail pixel per screen pixel; returns a neuron clicked.
    pub fn ui(&mut self, ui: &mut egui::Ui, id: &str, fit: bool) -> Option<Cell> {
        if let Some(d) = self.job.take() {
            let ctx = ui.ctx();
            let cells = d
                .thumbs
                .iter()
                .enumerate()
                .map(|(i, t)| thumb_texture(ctx, format!("{id}-{i}"), t))
                .collect();
            let final_image = texture(ctx, &format!("{id}-final"), &d.final_image);
            self.shown = Some((d, Textures { cells, final_image }));
            self.zoom = None;
        }
        let Some((drawn, tex)) = &self.shown else {
            ui.spinner();
            return None;
        };
        let ppp = ui.ctx().pixels_per_point();
        let cell = if fit {
            Geometry::fitted_cell(&drawn.layout, ui.available_width(), self.thumb, ppp)
        } else {
            self.thumb as f32 / ppp
        };
        let origin = ui.cursor().min;
        let geo = Geometry::of(&drawn.layout, origin, cell, ppp);
        let (rect, resp) = ui.allocate_exact_size(geo.rect.max - origin, egui::Sense::click());
        let geo = if rect.min == origin {
            geo
        } else {
            Geometry::of(&drawn.layout, rect.min, cell, ppp)
        };
        let cells: Vec<&Cell> = drawn.layout.rows.iter().flatten().collect();
        // As the CLI's figure: outputs are named, not framed.
        let outputs = cells.len() - drawn.layout.rows.last().map_or(0, Vec::len);
        if ui.is_rect_visible(rect) {
            let painter = ui.painter_at(rect);
            let uv = egui::Rect::from_min_max(egui::pos2(0.0, 0.0), egui::pos2(1.0, 1.0));
            painter.rect_filled(geo.grid, 0.0, BACKGROUND);
            for (i, ((r, t), c)) in geo.cells.iter().zip(&tex.cells).zip(&cells).enumerate() {
                painter.image(t.id(), *r, uv, egui::Color32::WHITE);
                if self.frame_own && i < outputs && picbreeder::figure::own_node(c) {
                    painter.rect_stroke(*r, 0.0, (1.0, FRAME), egui::StrokeKind::Inside);
                }
            }
            painter.rect_filled(geo.final_image.expand(GAP_PX / ppp), 0.0, BACKGROUND);
            painter.image(
                tex.final_image.id(),
                geo.final_image,
                uv,
                egui::Color32::WHITE,
            );
            let font = egui::FontId::proportional(LABEL_SIZE);
            let colour = ui.visuals().text_color();
            for (text, at) in &geo.layer_numbers {
                painter.text(*at, egui::Align2::LEFT_CENTER, text, font.clone(), colour);
            }
            let pitch = geo.cells.first().map_or(0.0, |c| c.width()) + GAP_PX / ppp;
            for (text, i, place) in &geo.names {
                let r = geo.cells[*i];
                // Cut to the cell's width so neighbours' names do not run together.
                let mut job =
                    egui::text::LayoutJob::simple_singleline(text.clone(), font.clone(), colour);
                job.wrap = egui::text::TextWrapping::truncate_at_width(pitch.max(8.0));
                let galley = painter.layout_job(job);
                let y = match place {
                    NamePlace::Below => r.bottom() + 1.0,
                    NamePlace::Above => r.top() - 1.0 - galley.size().y,
                };
                let x = r.center().x - galley.size().x / 2.0;
                painter.galley(egui::pos2(x, y), galley, colour);
            }
        }
        let thumb = self.thumb;
        let under = resp
            .hover_pos()
            .and_then(|p| geo.cell_at(p))
            .map(|i| cells[i].clone());
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
        if let Some(i) = self
            .picked
            .and_then(|p| cells.iter().position(|c| c.plane == p))
        {
            ui.painter().rect_stroke(
                geo.cells[i].expand(1.5),
                0.0,
                (2.0, egui::Color32::YELLOW),
                egui::StrokeKind::Outside,
            );
        }
        self.rect = Some(rect);
        self.geometry = Some(geo);
        if resp.clicked() {
            if let Some(cell) = &under {
                self.picked = Some(cell.plane);
            }
            return under;
        }
        None
    }
}
