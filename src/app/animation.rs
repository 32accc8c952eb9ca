//! "Export animation...": a window that sets an animation's size, frame rate, length,
//! loop and format, plays a preview inside the app, and writes the file on a worker
//! thread with a progress bar and Cancel. Views open it with a [`Recipe`]: what to
//! animate (a sweep, a zoom, a lineage, a training run).

use super::background::texture;
use super::task::{Polled, Task, repaint};
use eframe::egui;
use picbreeder::animate::lineage::{LineageFrames, Stop};
use picbreeder::animate::sweep::{Panel, SweepFrames};
use picbreeder::animate::train::TrainFrames;
use picbreeder::animate::zoom::ZoomFrames;
use picbreeder::animate::{
    ExportProgress, Format, Frames, Palette, Timing, collect, export, frame_count,
};
use picbreeder::grid::Window;
use picbreeder::image::Image;
use picbreeder::network::Network;
use picbreeder::sgd::method::Start;
use picbreeder::sgd::trainer::TrainConfig;
use std::path::PathBuf;
use std::sync::Arc;

/// What to animate.
#[derive(Clone, Debug)]
// Made once per user action, never stored in bulk: a genome inline costs nothing.
#[allow(clippy::large_enum_variant)]
pub enum Recipe {
    /// Networks swept side by side, each along its direction.
    Sweep {
        panels: Vec<Panel>,
        label: String,
        range: f64,
    },
    /// A zoom into `centre` down to `depth` times closer.
    Zoom {
        net: Network,
        window: Window,
        centre: (f64, f64),
        depth: f64,
    },
    /// Genomes from the root to the child, morphing.
    Lineage { stops: Vec<Stop> },
    /// A fresh run of `net` learning `target`, filmed over `steps`.
    Train {
        /// The net and which of its weights train, as the run filmed has them.
        start: Start,
        target: Image,
        config: TrainConfig,
        steps: u64,
    },
}

impl Recipe {
    fn title(&self) -> String {
        match self {
            Recipe::Sweep { label, .. } => format!("Sweep of {label}"),
            Recipe::Zoom { centre, .. } => {
                format!("Zoom into ({:.3}, {:.3})", centre.0, centre.1)
            }
            Recipe::Lineage { stops } => format!("Lineage of {} genomes", stops.len()),
            Recipe::Train { steps, .. } => format!("Training, {steps} steps"),
        }
    }

    /// The frames at this picture size and count.
    fn frames(&self, size: usize, count: usize) -> Result<Box<dyn Frames>, String> {
        let size = (size, size);
        Ok(match self.clone() {
            Recipe::Sweep {
                panels,
                label,
                range,
            } => Box::new(
                SweepFrames::new(panels, label, range, size, count)
                    .ok_or("the swept weight is gone")?,
            ),
            Recipe::Zoom {
                net,
                window,
                centre,
                depth,
            } => Box::new(
                ZoomFrames::new(net, window, centre, depth, size, count)
                    .ok_or("the zoom depth must be a positive number")?,
            ),
            Recipe::Lineage { stops } => {
                Box::new(LineageFrames::new(stops, size, count).map_err(|e| e.to_string())?)
            }
            Recipe::Train {
                start,
                target,
                config,
                steps,
            } => {
                let make = Box::new(move || {
                    start
                        .clone()
                        .trainer(&target, config)
                        .map_err(|e| e.to_string())
                });
                Box::new(TrainFrames::new(make, steps, size, count, true)?)
            }
        })
    }
}

/// Which file format, as the window offers it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Choice {
    /// [`Palette::Auto`].
    Gif,
    GifPerFrame,
    GifGlobal,
    Apng,
}

impl Choice {
    fn format(self) -> Format {
        match self {
            Choice::Gif => Format::Gif(Palette::Auto),
            Choice::GifPerFrame => Format::Gif(Palette::PerFrame),
            Choice::GifGlobal => Format::Gif(Palette::Global),
            Choice::Apng => Format::Apng,
        }
    }
}

/// A [`Task`] watched through the core's own progress and cancel flag, which the
/// animation functions take.
struct ExportJob<T> {
    progress: Arc<ExportProgress>,
    total: usize,
    task: Task<T>,
}

impl<T: Send + 'static> ExportJob<T> {
    fn spawn(
        ctx: &egui::Context,
        total: usize,
        work: impl FnOnce(&ExportProgress) -> T + Send + 'static,
    ) -> ExportJob<T> {
        let progress = Arc::new(ExportProgress::default());
        let p = progress.clone();
        ExportJob {
            progress,
            total,
            task: Task::spawn("animation", Some(repaint(ctx)), move |_| work(&p)),
        }
    }

    fn fraction(&self) -> f32 {
        self.progress.frames_done() as f32 / self.total.max(1) as f32
    }
}

/// The export window.
pub struct AnimationDialog {
    pub open: bool,
    recipe: Option<Arc<Recipe>>,
    /// Picture side in pixels (each panel's, for a sweep).
    pub size: usize,
    pub fps: f64,
    pub seconds: f64,
    pub forever: bool,
    pub choice: Choice,
    /// Where to write.
    pub path: String,
    preview: Option<ExportJob<Option<Vec<Image>>>>,
    preview_tex: Vec<egui::TextureHandle>,
    export: Option<ExportJob<Option<Result<(), String>>>>,
    /// Browse... was pressed: the view asks the app's file dialog, whose answer comes
    /// back through [`AnimationDialog::chosen`] (same remembered folder and "type a
    /// path" fallback as every other file).
    asked: bool,
    /// Asked and not answered yet: the answer is this window's.
    awaiting: bool,
    /// How the last export went.
    pub message: Option<String>,
}

impl Default for AnimationDialog {
    fn default() -> Self {
        AnimationDialog {
            open: false,
            recipe: None,
            size: 256,
            fps: 30.0,
            seconds: 4.0,
            forever: true,
            choice: Choice::Gif,
            path: "animation.gif".into(),
            preview: None,
            preview_tex: vec![],
            export: None,
            asked: false,
            awaiting: false,
            message: None,
        }
    }
}

/// Preview frames are at most this big: it plays in the window, small and quick.
const PREVIEW: usize = 128;

impl AnimationDialog {
    /// Opens the window for `recipe` (a new recipe drops the old preview).
    pub fn open(&mut self, recipe: Recipe) {
        self.recipe = Some(Arc::new(recipe));
        self.preview = None;
        self.preview_tex.clear();
        self.open = true;
    }

    /// Browse... was pressed since the last call.
    pub fn take_asked(&mut self) -> bool {
        let asked = std::mem::take(&mut self.asked);
        self.awaiting |= asked;
        asked
    }

    /// The app's file dialog answered: the file to write, if this window asked.
    pub fn chosen(&mut self, path: &std::path::Path) {
        if std::mem::take(&mut self.awaiting) {
            self.path = path.display().to_string();
        }
    }

    /// An export is running.
    pub fn exporting(&self) -> bool {
        self.export.is_some()
    }

    #[cfg(test)]
    /// Frames written of the running export, and how many there will be.
    pub fn export_progress(&self) -> Option<(usize, usize)> {
        self.export
            .as_ref()
            .map(|j| (j.progress.frames_done(), j.total))
    }

    #[cfg(test)]
    /// Frames in the preview ready to play.
    pub fn preview_frames(&self) -> usize {
        self.preview_tex.len()
    }

    pub fn busy(&self) -> bool {
        self.export.is_some() || self.preview.is_some()
    }

    fn count(&self) -> usize {
        frame_count(self.fps, self.seconds)
    }

    /// Starts writing the animation to `self.path`.
    pub fn start_export(&mut self, ctx: &egui::Context) {
        let Some(recipe) = self.recipe.clone() else {
            return;
        };
        let path = PathBuf::from(self.path.trim());
        let format = match (self.choice, Format::from_path(&path)) {
            (Choice::Apng, _) => Format::Apng,
            (c, _) => c.format(),
        };
        let timing = Timing {
            fps: self.fps,
            loops: if self.forever { 0 } else { 1 },
        };
        let (size, count) = (self.size, self.count());
        self.message = None;
        self.export = Some(ExportJob::spawn(ctx, count, move |progress| {
            let mut frames = match recipe.frames(size, count) {
                Ok(f) => f,
                Err(e) => return Some(Err(e)),
            };
            export(frames.as_mut(), format, timing, &path, progress).map(|r| {
                r.map(|()| format!("wrote {} ({count} frames)", path.display()))
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            })
        }));
    }

    /// Closing the window drops its preview (an export goes on to the end).
    fn closed(&mut self) {
        if let Some(j) = self.preview.take() {
            j.progress.cancel();
        }
        self.preview_tex.clear();
    }

    fn start_preview(&mut self, ctx: &egui::Context) {
        let Some(recipe) = self.recipe.clone() else {
            return;
        };
        if let Some(j) = &self.preview {
            j.progress.cancel();
        }
        let (size, count) = (self.size.min(PREVIEW), self.count());
        self.preview = Some(ExportJob::spawn(ctx, count, move |progress| {
            let mut frames = recipe.frames(size, count).ok()?;
            collect(frames.as_mut(), progress)
        }));
    }

    fn poll(&mut self, ctx: &egui::Context) {
        if let Some(j) = &mut self.export {
            let result = match j.task.poll() {
                Polled::Running => None,
                Polled::Done(None) => Some("cancelled: nothing written".into()),
                Polled::Done(Some(Ok(()))) => Some(format!("wrote {}", self.path.trim())),
                Polled::Done(Some(Err(e))) => Some(e),
                Polled::Lost => Some("the export stopped on an internal error".into()),
            };
            if result.is_some() {
                self.message = result;
                self.export = None;
            }
        }
        if let Some(j) = &mut self.preview {
            let frames = match j.task.poll() {
                Polled::Running => None,
                Polled::Done(frames) => Some(frames.unwrap_or_default()),
                Polled::Lost => Some(vec![]),
            };
            if let Some(frames) = frames {
                self.preview_tex = frames
                    .iter()
                    .enumerate()
                    .map(|(k, img)| texture(ctx, &format!("animation-preview-{k}"), img))
                    .collect();
                self.preview = None;
            }
        }
        if self.busy() {
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        }
    }

    /// Draws the window when open.
    pub fn ui(&mut self, ctx: &egui::Context) {
        self.poll(ctx);
        if !self.open {
            return;
        }
        let mut open = self.open;
        egui::Window::new("Export animation")
            .open(&mut open)
            .resizable(false)
            .show(ctx, |ui| self.contents(ui));
        self.open = open;
        if !open {
            self.closed();
        }
    }

    fn contents(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        if let Some(r) = &self.recipe {
            ui.strong(r.title());
        }
        let idle = !self.exporting();
        ui.add_enabled_ui(idle, |ui| {
            ui.horizontal(|ui| {
                ui.add(
                    egui::DragValue::new(&mut self.size)
                        .range(16..=4096)
                        .suffix(" px"),
                )
                .on_hover_text("Pixels a side of each picture in a frame");
                ui.add(
                    egui::DragValue::new(&mut self.fps)
                        .range(1.0..=60.0)
                        .suffix(" fps"),
                )
                .on_hover_text("Frames per second");
                ui.add(
                    egui::DragValue::new(&mut self.seconds)
                        .range(0.5..=120.0)
                        .speed(0.1)
                        .suffix(" s"),
                )
                .on_hover_text("Length of the animation");
                ui.checkbox(&mut self.forever, "loop forever")
                    .on_hover_text("Viewers play it again and again (else once)");
            });
            ui.horizontal(|ui| {
                ui.radio_value(&mut self.choice, Choice::Gif, "GIF")
                    .on_hover_text(
                        "One palette for the animation, a frame's own where its colours differ",
                    );
                ui.radio_value(
                    &mut self.choice,
                    Choice::GifPerFrame,
                    "GIF, palette per frame",
                )
                .on_hover_text("Each frame its own 256 colours: truer colours, a larger file");
                ui.radio_value(&mut self.choice, Choice::GifGlobal, "GIF, one palette")
                    .on_hover_text(
                        "256 colours for the whole animation: smallest, colours may band",
                    );
                ui.radio_value(&mut self.choice, Choice::Apng, "APNG (lossless)")
                    .on_hover_text("Every colour exact; larger, and not every viewer plays it");
            });
            ui.horizontal(|ui| {
                ui.label("File");
                ui.add(egui::TextEdit::singleline(&mut self.path).desired_width(260.0));
                if ui.button("Browse...").clicked() {
                    self.asked = true;
                }
            });
        });
        ui.label(format!(
            "{} frames of {1}x{1} pixels a panel",
            self.count(),
            self.size
        ))
        .on_hover_text("frames = fps x seconds");
        ui.horizontal(|ui| {
            if ui
                .button("Preview")
                .on_hover_text("Play the frames here before writing the file")
                .clicked()
            {
                self.start_preview(&ctx);
            }
            if idle && ui.button("Export").clicked() {
                self.start_export(&ctx);
            }
        });
        if let Some(j) = &self.export {
            ui.horizontal(|ui| {
                ui.add(
                    egui::ProgressBar::new(j.fraction())
                        .desired_width(220.0)
                        .text(format!("{} / {} frames", j.progress.frames_done(), j.total)),
                );
                if ui.button("Cancel").clicked() {
                    j.progress.cancel();
                }
            });
        }
        if let Some(j) = &self.preview {
            ui.horizontal(|ui| {
                ui.add(
                    egui::ProgressBar::new(j.fraction())
                        .desired_width(220.0)
                        .text("preview"),
                );
                ui.spinner();
            });
        }
        if !self.preview_tex.is_empty() {
            // Plays at the chosen rate, looping, for as long as the window is open.
            let t = ui.input(|i| i.time);
            let k = (t * self.fps) as usize % self.preview_tex.len();
            let tex = &self.preview_tex[k];
            let s = tex.size_vec2();
            let scale = (320.0 / s.x).min(1.0);
            ui.image((tex.id(), s * scale));
            ctx.request_repaint_after(std::time::Duration::from_secs_f64(1.0 / self.fps));
        }
        if let Some(m) = &self.message {
            ui.label(m);
        }
    }
}
