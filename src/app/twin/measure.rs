//! The "Measure" view: the FER scorecard of the evolved network (graph and layerized)
//! and the SGD twin side by side, per-layer plots, and sweep-measure histograms whose
//! bars list their sweeps. Computed on a worker thread; marked stale while recomputing.

use super::super::Action;
use super::super::background::{Latest, Writes};
use super::super::dialogs::Intent;
use super::super::task::{Polled, Task, repaint};
use super::files::TwinFile;
use super::side::Side;
use eframe::egui;
use egui_extras::{Column, TableBuilder};
use egui_plot::{Bar, BarChart, Legend, Line, Plot, PlotPoints};
use picbreeder::budget::MEMORY_BUDGET;
use picbreeder::measure::defs::{Family, Layers, Sweeps};
use picbreeder::measure::format::{csv, table};
use picbreeder::measure::neurons::LayerMeasures;
use picbreeder::measure::sweeps::SweepMeasure;
use picbreeder::measure::{Form, Options, Scorecard, scorecard, scorecard_within};
use picbreeder::network::Network;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// The networks measured: a name, a form and the network.
pub type Measured = Vec<(String, Form, Arc<Network>)>;

/// Histogram bins over each sweep measure.
const BINS: usize = 20;
const COLOURS: [egui::Color32; 3] = [
    egui::Color32::from_rgb(90, 160, 255),
    egui::Color32::from_rgb(120, 220, 120),
    egui::Color32::from_rgb(255, 140, 60),
];

pub struct MeasureView {
    pub options: Options,
    job: Latest<(u64, Vec<Scorecard>)>,
    /// Set to stop the running job when a newer one is asked for.
    cancel: Arc<AtomicBool>,
    /// The key of what was asked for last, and of what is shown.
    wanted: Option<u64>,
    shown: Option<(u64, Vec<Scorecard>)>,
    /// Which sweep measure the histograms show (its place among [`Sweeps`]).
    pub measure: usize,
    /// A histogram bar clicked: (measure, bin).
    bin: Option<(usize, usize)>,
    /// The view's rectangle last frame (for the PNG export).
    pub rect: Option<egui::Rect>,
    pub message: Option<String>,
    /// The networks left unmeasured because their scorecard would not fit in the
    /// memory budget at this grid: each one line saying what it would need.
    pub refused: Vec<String>,
    /// Memory one scorecard may use ([`MEMORY_BUDGET`]; tests lower it).
    pub budget: u64,
}

impl Default for MeasureView {
    fn default() -> Self {
        MeasureView {
            options: Options::default(),
            job: Latest::default(),
            cancel: Arc::new(AtomicBool::new(false)),
            wanted: None,
            shown: None,
            measure: 0,
            bin: None,
            rect: None,
            message: None,
            refused: vec![],
            budget: MEMORY_BUDGET,
        }
    }
}

fn value(s: &SweepMeasure, measure: usize) -> f64 {
    s.values.values[measure]
}

impl MeasureView {
    /// Measures `nets` (identified by `key`) unless that is what is shown or running.
    pub fn set(&mut self, ctx: &egui::Context, nets: Measured, key: u64) {
        let key = key
            ^ (self.options.grid as u64).rotate_left(40)
            ^ self.options.delta.to_bits().rotate_left(7)
            ^ (self.options.sample as u64).rotate_left(20);
        if self.wanted == Some(key) {
            return;
        }
        self.wanted = Some(key);
        self.cancel.store(true, Ordering::Relaxed);
        let cancel = Arc::new(AtomicBool::new(false));
        self.cancel = cancel.clone();
        let opts = self.options;
        // Estimated before anything is evaluated, as `measure` does: a net too big at
        // this grid is left out, saying what it would need and which grid fits.
        self.refused.clear();
        let mut nets = nets;
        nets.retain(
            |(name, _, net)| match scorecard_within(net, &opts, self.budget) {
                Ok(()) => true,
                Err(e) => {
                    let e = e.to_string().replace("(-s)", "(the grid slider)");
                    self.refused.push(format!("{name} not measured: {e}"));
                    false
                }
            },
        );
        self.job.request(ctx, move || {
            let stop = || cancel.load(Ordering::Relaxed);
            let cards = nets
                .iter()
                .map_while(|(name, form, net)| scorecard(net, name, *form, &opts, &stop))
                .collect();
            (key, cards)
        });
    }

    pub fn busy(&self) -> bool {
        self.job.busy()
    }

    /// The scorecards shown (maybe stale).
    pub fn cards(&self) -> &[Scorecard] {
        self.shown.as_ref().map_or(&[], |s| &s.1)
    }

    pub fn stale(&self) -> bool {
        self.shown.as_ref().map(|s| s.0) != self.wanted
    }

    /// Draws the view; returns a sweep to open: (network column, weight index).
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Option<(usize, usize)> {
        // A cancelled job (fewer cards) was overtaken: its key is not the one wanted.
        if let Some((key, cards)) = self.job.take()
            && Some(key) == self.wanted
        {
            self.shown = Some((key, cards));
            self.bin = None;
        }
        let top = ui.cursor().min;
        ui.horizontal(|ui| {
            ui.add(egui::Slider::new(&mut self.options.grid, 16..=128).text("grid"))
                .on_hover_text("Pixels a side the networks are measured at");
            ui.add(egui::Slider::new(&mut self.options.delta, 0.05..=2.0).text("delta"))
                .on_hover_text("How far each weight is swept for the sweep measures");
            ui.add(egui::Slider::new(&mut self.options.sample, 16..=1024).text("sample"))
                .on_hover_text("At most this many weights swept a network (a random sample)");
        });
        if self.stale() {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    if self.shown.is_some() {
                        "stale: recomputing for the current networks"
                    } else {
                        "measuring"
                    },
                );
            });
        }
        if let Some(m) = &self.message {
            ui.label(m);
        }
        for r in &self.refused {
            ui.colored_label(ui.visuals().error_fg_color, r);
        }
        if self.cards().is_empty() {
            return None;
        }
        let cards = self.cards().to_vec();
        self.table_ui(ui, &cards);
        ui.separator();
        self.layer_plots(ui, &cards);
        ui.separator();
        let open = self.histograms(ui, &cards);
        self.rect = Some(egui::Rect::from_min_max(top, ui.min_rect().max));
        open
    }

    fn table_ui(&self, ui: &mut egui::Ui, cards: &[Scorecard]) {
        let rows = table(cards);
        ui.push_id("scorecard-table", |ui| {
            // Columns as wide as their longest text: no cell wraps while the panel has
            // room (the table scrolls sideways when it has not).
            ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Extend);
            egui::ScrollArea::horizontal().show(ui, |ui| {
                TableBuilder::new(ui)
                    .striped(true)
                    .column(Column::auto().at_least(150.0))
                    .columns(Column::auto().at_least(110.0), cards.len())
                    .header(20.0, |mut header| {
                        header.col(|ui| {
                            ui.strong("measure");
                        });
                        for c in cards {
                            header.col(|ui| {
                                ui.strong(&c.name);
                            });
                        }
                    })
                    .body(|mut body| {
                        for (name, values) in &rows {
                            body.row(18.0, |mut row| {
                                row.col(|ui| {
                                    ui.label(name);
                                });
                                for v in values {
                                    row.col(|ui| {
                                        ui.label(v);
                                    });
                                }
                            });
                        }
                    });
            });
        });
    }

    /// The symmetric fraction and every layer measure ([`Layers`]) by layer, two a row.
    fn layer_plots(&self, ui: &mut egui::Ui, cards: &[Scorecard]) {
        type ByLayer = Box<dyn Fn(&LayerMeasures) -> f64>;
        let half = (ui.available_width() / 2.0 - 8.0).max(120.0);
        let mut plots: Vec<(String, ByLayer)> = vec![(
            "symmetric fraction by layer".into(),
            Box::new(|l: &LayerMeasures| l.symmetric_fraction),
        )];
        for (k, def) in Layers::defs().enumerate() {
            plots.push((
                format!("{} by layer", def.name),
                Box::new(move |l: &LayerMeasures| l.values.values[k]),
            ));
        }
        for pair in plots.chunks(2) {
            ui.horizontal(|ui| {
                for (title, f) in pair {
                    ui.vertical(|ui| {
                        ui.label(title);
                        Plot::new(title)
                            .width(half)
                            .height(140.0)
                            .legend(Legend::default())
                            .show(ui, |p| {
                                for (k, c) in cards.iter().enumerate() {
                                    let pts: Vec<[f64; 2]> = c
                                        .layers
                                        .iter()
                                        .map(|l| [l.layer as f64, f(l)])
                                        .filter(|p| p[1].is_finite())
                                        .collect();
                                    p.line(
                                        Line::new(c.name.clone(), PlotPoints::from(pts))
                                            .color(COLOURS[k % 3]),
                                    );
                                }
                            });
                    });
                }
            });
        }
    }

    /// Overlaid histograms of one sweep measure; a clicked bar lists its sweeps.
    fn histograms(&mut self, ui: &mut egui::Ui, cards: &[Scorecard]) -> Option<(usize, usize)> {
        ui.horizontal(|ui| {
            ui.label("sweeps:");
            for (k, def) in Sweeps::defs().enumerate() {
                if ui.selectable_label(self.measure == k, def.name).clicked() {
                    self.measure = k;
                    self.bin = None;
                }
            }
        });
        let m = self.measure;
        let live = |c: &Scorecard| -> Vec<f64> {
            c.sweeps
                .each
                .iter()
                .filter(|s| !s.dead)
                .map(|s| value(s, m))
                .collect()
        };
        let all: Vec<f64> = cards.iter().flat_map(live).collect();
        let (lo, hi) = all
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
                (a.min(v), b.max(v))
            });
        if !lo.is_finite() {
            ui.weak("every sweep is dead");
            return None;
        }
        let width = ((hi - lo) / BINS as f64).max(1e-9);
        let bin_of = |v: f64| (((v - lo) / width) as usize).min(BINS - 1);
        let resp = Plot::new("sweep-histogram")
            .height(160.0)
            .legend(Legend::default())
            .show(ui, |p| {
                for (k, c) in cards.iter().enumerate() {
                    let values = live(c);
                    let mut counts = [0usize; BINS];
                    values.iter().for_each(|&v| counts[bin_of(v)] += 1);
                    let n = values.len().max(1) as f64;
                    let bars = (0..BINS)
                        .map(|b| {
                            Bar::new(lo + (b as f64 + 0.5) * width, counts[b] as f64 / n)
                                .width(width * 0.9)
                        })
                        .collect();
                    p.bar_chart(
                        BarChart::new(c.name.clone(), bars)
                            .color(COLOURS[k % 3].gamma_multiply(0.6)),
                    );
                }
                p.response()
                    .clicked()
                    .then(|| p.pointer_coordinate())
                    .flatten()
            });
        if let Some(at) = resp.inner {
            self.bin = Some((m, bin_of(at.x)));
        }
        let (bm, b) = self.bin?;
        if bm != m {
            return None;
        }
        ui.label(format!(
            "{} in [{:.3}, {:.3}):",
            Sweeps::defs().nth(m).map_or("", |d| d.name),
            lo + b as f64 * width,
            lo + (b + 1) as f64 * width
        ));
        let mut open = None;
        for (k, c) in cards.iter().enumerate() {
            let hits: Vec<&SweepMeasure> = c
                .sweeps
                .each
                .iter()
                .filter(|s| !s.dead && bin_of(value(s, m)) == b)
                .collect();
            if hits.is_empty() {
                continue;
            }
            ui.label(egui::RichText::new(&c.name).color(COLOURS[k % 3]));
            ui.horizontal_wrapped(|ui| {
                for s in hits.iter().take(40) {
                    let text = format!("{} {:+}", s.param, s.delta);
                    if ui.small_button(text).clicked() {
                        open = Some((k, s.index));
                    }
                }
                if hits.len() > 40 {
                    ui.weak(format!("and {} more", hits.len() - 40));
                }
            });
        }
        open
    }

    /// The table as CSV.
    pub fn csv(&self) -> Option<String> {
        (!self.cards().is_empty()).then(|| csv(self.cards()))
    }
}

/// Scorecard files being written by the view's export buttons.
#[derive(Default)]
pub struct Exports {
    /// What became of a screenshot cut to the view and written.
    shot: Arc<std::sync::Mutex<Option<Task<String>>>>,
    written: Writes,
}

impl Exports {
    fn busy(&self) -> bool {
        self.written.busy()
    }
}

impl super::TwinTab {
    /// The networks to measure and a key that changes when one of them does.
    fn measured(&self) -> Option<(Measured, u64)> {
        let ev = self.history.evolved.as_ref()?;
        let mut nets: Measured = vec![
            ("evolved graph".into(), Form::Genome, ev.graph.clone()),
            (
                "evolved layerized".into(),
                Form::Layerized,
                ev.layered.clone(),
            ),
        ];
        let mut key = ev.key;
        if let Some(sgd) = &self.sgd {
            nets.push((format!("SGD ({})", sgd.name), Form::Dense, sgd.net.clone()));
            key ^= sgd.key.rotate_left(17);
        }
        Some((nets, key))
    }

    pub(super) fn measure_busy(&self) -> bool {
        self.measure.busy() || self.measure_files.busy()
    }

    pub(super) fn measure_ui(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let ctx = ui.ctx().clone();
        self.poll_measure_files();
        ui.horizontal(|ui| {
            if ui
                .button("Export CSV...")
                .on_hover_text("the scorecard as a table")
                .clicked()
            {
                actions.push(Action::Ask(Intent::Twin(TwinFile::ScorecardCsv)));
            }
            if ui
                .button("Export PNG...")
                .on_hover_text("the whole view as one picture")
                .clicked()
            {
                actions.push(Action::Ask(Intent::Twin(TwinFile::ScorecardPng)));
            }
        });
        super::sgd_source_ui(ui, self.sgd.as_ref(), actions);
        let Some((nets, key)) = self.measured() else {
            return;
        };
        self.measure.set(&ctx, nets, key);
        if let Some((column, index)) = self.measure.ui(ui) {
            self.open_measured_sweep(column, index);
        }
    }

    /// Opens a sweep listed under a histogram bar in the Sweep view.
    fn open_measured_sweep(&mut self, column: usize, index: usize) {
        let Some((nets, _)) = self.measured() else {
            return;
        };
        let Some(p) = nets
            .get(column)
            .and_then(|n| n.2.params().get(index).copied())
        else {
            return;
        };
        // The Sweep view shows the evolved graph: a layerized weight goes back to its link.
        let (side, p) = match column {
            0 => (Side::Evolved, Some(p)),
            1 => (Side::Evolved, self.as_link(p)),
            _ => (Side::Sgd, Some(p)),
        };
        let Some(p) = p else {
            self.message =
                Some("that weight is a cache copy's: no genome link stands for it".into());
            return;
        };
        self.sweep.set_target(
            side,
            Some(super::sweep::SweepTarget {
                label: p.to_string(),
                dir: picbreeder::render::sweep::Direction::single(p),
            }),
        );
        self.view = super::View::Sweep;
    }

    /// Writes the scorecard table as CSV, on a worker thread.
    pub(super) fn export_scorecard_csv(&mut self, ctx: &egui::Context, path: &std::path::Path) {
        let text = self.measure.csv().unwrap_or_default();
        let path = path.to_path_buf();
        self.measure_files.written.request(ctx, move || {
            picbreeder::io::write_atomic(&path, text.as_bytes())
                .map(|()| format!("wrote {}", path.display()))
                .map_err(|e| e.to_string())
        });
    }

    /// Writes the view as drawn (a screenshot cut to it) as a PNG.
    pub(super) fn export_scorecard_png(&mut self, ctx: &egui::Context, path: &std::path::Path) {
        let Some(rect) = self.measure.rect else {
            return;
        };
        let (ppp, done) = (ctx.pixels_per_point(), self.measure_files.shot.clone());
        let (wake, path) = (repaint(ctx), path.to_path_buf());
        ctx.request_screenshot(move |shot| {
            let task = Task::spawn("scorecard-png", Some(wake), move |_| {
                write_region(&shot, rect, ppp, &path)
            });
            if let Ok(mut done) = done.lock() {
                *done = Some(task);
            }
        });
    }

    fn poll_measure_files(&mut self) {
        let f = &mut self.measure_files;
        if let Ok(mut shot) = f.shot.lock()
            && let Some(task) = shot.as_mut()
        {
            let message = match task.poll() {
                Polled::Running => None,
                Polled::Done(m) => Some(m),
                Polled::Lost => Some("the PNG was not written: an internal error".into()),
            };
            if message.is_some() {
                self.measure.message = message;
                *shot = None;
            }
        }
        if let Some(m) = f.written.take() {
            self.measure.message = Some(m.unwrap_or_else(|e| e));
        }
    }
}

/// Cuts the view's rectangle out of a screenshot and writes it as a PNG.
fn write_region(
    shot: &egui::ColorImage,
    rect: egui::Rect,
    ppp: f32,
    path: &std::path::Path,
) -> String {
    let [w, h] = shot.size;
    let x0 = ((rect.min.x * ppp).max(0.0) as usize).min(w);
    let y0 = ((rect.min.y * ppp).max(0.0) as usize).min(h);
    let x1 = ((rect.max.x * ppp).max(0.0) as usize).clamp(x0, w);
    let y1 = ((rect.max.y * ppp).max(0.0) as usize).clamp(y0, h);
    let mut img = picbreeder::image::Image::new(x1 - x0, y1 - y0);
    for (k, px) in img.rgba.chunks_exact_mut(4).enumerate() {
        let (x, y) = (x0 + k % (x1 - x0), y0 + k / (x1 - x0));
        px.copy_from_slice(&shot.pixels[y * w + x].to_array());
    }
    match picbreeder::io::png::save(&img, path) {
        Ok(()) => format!("wrote {} ({}x{})", path.display(), img.width, img.height),
        Err(e) => e.to_string(),
    }
}
