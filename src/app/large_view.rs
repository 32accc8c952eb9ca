//! The large view: the selected genome rendered at the panel's full resolution, with
//! scroll-to-zoom and drag-to-pan. A CPPN has infinite resolution, so zoom and pan
//! re-render the new window; until that render arrives, the previous picture is drawn
//! moved and scaled to where it belongs, so the view follows the mouse at once.

use super::animation::{AnimationDialog, Recipe};
use super::thumbs::{genome_key, to_color_image};
use super::worker::{Purpose, RenderJob, RenderPool};
use eframe::egui;
use picbreeder::cppn::{Genome, Program};
use picbreeder::grid::{Grid, Window};
use picbreeder::image::Image;
use picbreeder::steps::PixelProgress;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What a render shows: genome, window, pixel size.
#[derive(Clone, Copy, Debug, PartialEq)]
struct RenderKey {
    genome: u64,
    window: Window,
    pixels: usize,
}

impl RenderKey {
    fn key(&self) -> u64 {
        use std::hash::{DefaultHasher, Hash, Hasher};
        let mut h = DefaultHasher::new();
        self.genome.hash(&mut h);
        for v in [
            self.window.x0,
            self.window.x1,
            self.window.y0,
            self.window.y1,
        ] {
            v.to_bits().hash(&mut h);
        }
        self.pixels.hash(&mut h);
        h.finish()
    }
}

struct Shown {
    texture: egui::TextureHandle,
    target: RenderKey,
}

struct Rendering {
    target: RenderKey,
    progress: Arc<PixelProgress>,
    started: Instant,
}

/// Large-view UI state.
#[derive(Default)]
pub struct LargeView {
    /// The part of the plane shown.
    pub window: Window,
    /// "Zoom animation from here" (right-click): a zoom from the whole picture into
    /// the point clicked.
    pub animation: AnimationDialog,
    /// The plane point last right-clicked.
    zoom_point: (f64, f64),
    shown: Option<Shown>,
    rendering: Option<Rendering>,
    /// A render the user abandoned; not restarted until something changes.
    abandoned: Option<RenderKey>,
    program: Option<(u64, Arc<Program>)>,
    error: Option<String>,
    /// Where the picture was drawn last frame.
    rect: Option<egui::Rect>,
    /// Renders slower than this show progress; `None` means [`SHOW_PROGRESS_AFTER`].
    pub progress_after: Option<Duration>,
    /// The genome shown (its key): another one starts from the whole picture, since a
    /// zoom into one picture means nothing for the next.
    viewed: Option<u64>,
}

/// Renders that take longer than this show a progress bar (unless set otherwise).
const SHOW_PROGRESS_AFTER: Duration = Duration::from_millis(150);

impl LargeView {
    /// Takes a finished render from the big pool, if it is the one wanted.
    pub fn accept(&mut self, ctx: &egui::Context, key: u64, result: Option<Result<Image, String>>) {
        let Some(r) = &self.rendering else { return };
        if r.target.key() != key {
            return;
        }
        let target = r.target;
        self.rendering = None;
        match result {
            Some(Ok(img)) => {
                let texture = ctx.load_texture(
                    "large-view",
                    to_color_image(&img),
                    egui::TextureOptions::LINEAR,
                );
                self.shown = Some(Shown { texture, target });
            }
            Some(Err(e)) => self.error = Some(e),
            None => {}
        }
    }

    /// True while a render is on its way.
    pub fn busy(&self) -> bool {
        self.rendering.is_some()
    }

    /// Where the picture was drawn in the last frame.
    #[cfg(test)]
    pub fn last_rect(&self) -> Option<egui::Rect> {
        self.rect
    }

    /// The picture on screen is a finished render of exactly this window.
    #[cfg(test)]
    pub fn shows_window(&self, window: Window) -> bool {
        self.shown
            .as_ref()
            .is_some_and(|s| s.target.window == window)
    }

    pub fn reset(&mut self) {
        self.window = Window::default();
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, genome: Option<&Genome>, pool: &RenderPool) {
        if let Some(key) = genome.map(genome_key)
            && self.viewed.replace(key) != Some(key)
        {
            self.reset();
        }
        ui.horizontal_wrapped(|ui| {
            ui.strong("Large view");
            if ui.button("Reset view").clicked() {
                self.reset();
            }
            let zoom = 2.0 / (self.window.x1 - self.window.x0);
            let cx = (self.window.x0 + self.window.x1) / 2.0;
            let cy = (self.window.y0 + self.window.y1) / 2.0;
            ui.weak(format!("{zoom:.2}x at ({cx:.2}, {cy:.2})"));
        });
        self.rect = None;
        let Some(genome) = genome else {
            ui.centered_and_justified(|ui| {
                ui.label("Click a child to see it here.\nScroll to zoom, drag to pan.");
            });
            return;
        };
        let avail = ui.available_size();
        let side = avail.x.min(avail.y).max(16.0);
        let (rect, response) =
            ui.allocate_exact_size(egui::vec2(side, side), egui::Sense::click_and_drag());
        self.rect = Some(rect);
        let response = response.on_hover_text("Scroll to zoom, drag to pan, double-click to reset");

        // Interaction: pan by drag, zoom about the pointer by scroll.
        let w = self.window;
        let per_point_x = (w.x1 - w.x0) / f64::from(rect.width());
        let per_point_y = (w.y1 - w.y0) / f64::from(rect.height());
        if response.dragged() {
            let d = response.drag_delta();
            self.window = self
                .window
                .panned(-f64::from(d.x) * per_point_x, -f64::from(d.y) * per_point_y);
        }
        if response.hovered() {
            let (scroll, zoom) = ui.input(|i| (i.smooth_scroll_delta.y, i.zoom_delta()));
            let factor = (-f64::from(scroll) * 0.003).exp() / f64::from(zoom);
            if (factor - 1.0).abs() > 1e-6
                && let Some(p) = response.hover_pos()
            {
                let cx = w.x0 + f64::from(p.x - rect.left()) * per_point_x;
                let cy = w.y0 + f64::from(p.y - rect.top()) * per_point_y;
                self.window = self.window.zoomed(factor, cx, cy);
            }
        }
        if response.double_clicked() {
            self.reset();
        }
        if response.secondary_clicked()
            && let Some(p) = response.interact_pointer_pos()
        {
            self.zoom_point = (
                w.x0 + f64::from(p.x - rect.left()) * per_point_x,
                w.y0 + f64::from(p.y - rect.top()) * per_point_y,
            );
        }
        response.context_menu(|ui| {
            if ui.button("Zoom animation from here").clicked() {
                if let Ok(net) = picbreeder::network::Network::from_genome(genome.clone()) {
                    self.animation.path = "zoom.gif".into();
                    self.animation.open(Recipe::Zoom {
                        net,
                        window: Window::default(),
                        centre: self.zoom_point,
                        depth: 100.0,
                    });
                }
                ui.close();
            }
        });
        self.animation.ui(ui.ctx());

        // What should be on screen, and start rendering it if it is not.
        let pixels = (side * ui.ctx().pixels_per_point()).round().max(1.0) as usize;
        let gkey = genome_key(genome);
        let want = RenderKey {
            genome: gkey,
            window: self.window,
            pixels,
        };
        let showing = self.shown.as_ref().is_some_and(|s| s.target == want);
        let on_its_way = self.rendering.as_ref().is_some_and(|r| r.target == want);
        if !showing && !on_its_way && self.abandoned != Some(want) {
            if let Some(r) = self.rendering.take() {
                r.progress.cancel();
            }
            self.abandoned = None;
            self.error = None;
            if let Some(program) = self.program_for(genome, gkey) {
                let progress = Arc::new(PixelProgress::default());
                pool.submit(RenderJob {
                    purpose: Purpose::Show(want.key()),
                    program,
                    grid: Grid::square(pixels).with_window(self.window),
                    progress: Arc::clone(&progress),
                });
                self.rendering = Some(Rendering {
                    target: want,
                    progress,
                    started: Instant::now(),
                });
            } else {
                self.abandoned = Some(want);
            }
        }

        // Draw: the last picture, placed where its window lies in the current one.
        let painter = ui.painter_at(rect);
        painter.rect_filled(rect, 0.0, egui::Color32::from_gray(24));
        if let Some(s) = &self.shown
            && s.target.genome == gkey
        {
            let sw = s.target.window;
            let to_x = |x: f64| rect.left() + ((x - w.x0) / (w.x1 - w.x0)) as f32 * rect.width();
            let to_y = |y: f64| rect.top() + ((y - w.y0) / (w.y1 - w.y0)) as f32 * rect.height();
            let at = egui::Rect::from_two_pos(
                egui::pos2(to_x(sw.x0), to_y(sw.y0)),
                egui::pos2(to_x(sw.x1), to_y(sw.y1)),
            );
            let uv = egui::Rect::from_min_max(egui::pos2(0.0, 0.0), egui::pos2(1.0, 1.0));
            painter.image(s.texture.id(), at, uv, egui::Color32::WHITE);
        }
        self.overlay(ui, rect);
    }

    /// Progress with an "Abandon" button, or the error, in a band over the picture's
    /// bottom edge: drawn on top so the picture never changes size (which would start
    /// another render).
    fn overlay(&mut self, ui: &mut egui::Ui, rect: egui::Rect) {
        let slow = self.rendering.as_ref().is_some_and(|r| {
            r.started.elapsed() >= self.progress_after.unwrap_or(SHOW_PROGRESS_AFTER)
        });
        if !slow && self.error.is_none() {
            return;
        }
        let band =
            egui::Rect::from_min_max(egui::pos2(rect.left(), rect.bottom() - 34.0), rect.max);
        ui.painter()
            .rect_filled(band, 0.0, egui::Color32::from_black_alpha(190));
        let layout = egui::Layout::left_to_right(egui::Align::Center);
        ui.scope_builder(
            egui::UiBuilder::new()
                .max_rect(band.shrink(6.0))
                .layout(layout),
            |ui| {
                if let Some(e) = &self.error {
                    ui.colored_label(ui.visuals().error_fg_color, e);
                    return;
                }
                let Some(r) = &self.rendering else { return };
                let total = r.target.pixels * r.target.pixels;
                let frac = r.progress.pixels_done() as f32 / total.max(1) as f32;
                ui.add(
                    egui::ProgressBar::new(frac)
                        .desired_width(160.0)
                        .text(format!("rendering {:.0}%", frac * 100.0)),
                );
                if ui.button("Abandon").clicked() {
                    r.progress.cancel();
                    self.abandoned = Some(r.target);
                    self.rendering = None;
                }
            },
        );
    }

    fn program_for(&mut self, genome: &Genome, gkey: u64) -> Option<Arc<Program>> {
        if let Some((k, p)) = &self.program
            && *k == gkey
        {
            return Some(Arc::clone(p));
        }
        match Program::compile(genome) {
            Ok(p) => {
                let p = Arc::new(p);
                self.program = Some((gkey, Arc::clone(&p)));
                Some(p)
            }
            Err(e) => {
                self.error = Some(format!("cannot render this genome: {e}"));
                None
            }
        }
    }
}
