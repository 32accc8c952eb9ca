//! The Experiment view: stepping stones vs direct training (and adaptability) on the
//! viewed child's lineage, or a methods study on the viewed child (each chosen training
//! method over seeds, against the evolved genome), run on a worker thread job by job,
//! with progress, a results table, the loss curves overlaid or the methods' Pareto
//! figure, and cancel. The same jobs as `picbreeder experiment` (see
//! `picbreeder::experiment`).
//!
//! A side-panel tab of its own ("Experiment"), next to the SGD twin: it needs the
//! session, which [`crate::app::SideTab::session_ui`] hands it.

use crate::app::task::{Polled, Reporter, Task, repaint};
use eframe::egui;
use egui_extras::{Column, TableBuilder};
use egui_plot::{Legend, Line, Plot, PlotPoints};
use picbreeder::breed::{GenerationId, Session};
use picbreeder::experiment::jobs::{self, Condition, JobResult, Setup};
use picbreeder::experiment::report;
use picbreeder::experiment::stones::Shares;
use picbreeder::measure::defs;
use picbreeder::sgd::method::{METHODS, Method};
use picbreeder::store::Study;

/// Which study the Run button starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StudyKind {
    /// Stepping stones vs direct training (adaptability with children).
    Lineage,
    /// The chosen training methods on the viewed child's picture.
    Methods,
}

/// A study running: each finished job comes as news; the result says how it ended.
/// (Steps of the current job come as the task's progress.)
type Running = Task<Result<(), String>, Box<JobResult>>;

pub struct ExperimentView {
    pub kind: StudyKind,
    /// A methods study's methods: one tick per entry of [`METHODS`] (its default
    /// parameter).
    pub methods: Vec<bool>,
    /// The methods study's figure, and how many results it was drawn from.
    figure: Option<(usize, egui::TextureHandle)>,
    pub seeds: u64,
    pub steps: u64,
    pub size: usize,
    pub children: usize,
    pub budget: u64,
    running: Option<Running>,
    pub results: Vec<JobResult>,
    /// "running", "done", "cancelled" or what went wrong.
    pub status: String,
    progress: (u64, u64),
    /// The study shown: when it started (its key in the library) and the generation
    /// and child it ran on.
    pub study: Option<(i64, GenerationId, usize)>,
    /// Jobs finished since the study was last handed to the library.
    unsaved: bool,
}

impl Default for ExperimentView {
    fn default() -> Self {
        ExperimentView {
            kind: StudyKind::Lineage,
            methods: METHODS
                .iter()
                .map(|e| matches!(e.name, "adam" | "mirror"))
                .collect(),
            figure: None,
            seeds: 3,
            steps: 2000,
            size: 128,
            children: 0,
            budget: 500,
            running: None,
            results: vec![],
            status: String::new(),
            progress: (0, 0),
            study: None,
            unsaved: false,
        }
    }
}

impl ExperimentView {
    pub fn is_running(&self) -> bool {
        self.running.is_some()
    }

    /// Starts the study on `child` (0-based) of `generation` in a worker thread.
    pub fn start(
        &mut self,
        ctx: &egui::Context,
        session: Session,
        generation: usize,
        child: usize,
    ) {
        self.cancel();
        let setup = Setup {
            generation,
            child,
            arch: "paper".into(),
            method: picbreeder::sgd::method::Method::default().to_string(),
            genome: None,
            size: self.size,
            steps: self.steps,
            lr: picbreeder::sgd::trainer::PAPER_LR,
            straight_through: false,
            every: 1,
            shares: Shares::Equal,
            final_share: None,
            curve_every: 10,
            children: self.children,
            children_seed: 0,
            budget: self.budget,
            target_db: 30.0,
        };
        let seeds: Vec<u64> = (0..self.seeds).collect();
        let task = Task::spawn(
            "experiment",
            Some(repaint(ctx)),
            move |r: &Reporter<_, _>| {
                let prepared = jobs::prepare(&session, &setup).map_err(|e| e.to_string())?;
                for job in jobs::jobs(&setup, &seeds) {
                    let total = prepared.job_steps(&job);
                    let result = prepared.run(&job, r.cancel_flag(), &mut |s| r.progress(s, total));
                    r.news(Box::new(result.map_err(|e| e.to_string())?));
                }
                Ok(())
            },
        );
        self.results.clear();
        self.progress = (0, 0);
        let started = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as i64);
        self.study = Some((started, GenerationId(generation), child));
        self.status = "running".into();
        self.running = Some(task);
    }

    /// The ticked methods, at their default parameters.
    pub fn chosen_methods(&self) -> Vec<Method> {
        METHODS
            .iter()
            .zip(&self.methods)
            .filter(|(_, on)| **on)
            .map(|(e, _)| (e.make)(e.param.as_ref().map_or(0.0, |p| p.default)))
            .collect()
    }

    /// Starts a methods study on `genome` (child `child`, 0-based, of `generation`) in
    /// a worker thread: every ticked method over the seeds, then the genome's scorecard.
    pub fn start_methods(
        &mut self,
        ctx: &egui::Context,
        genome: picbreeder::cppn::Genome,
        generation: usize,
        child: usize,
    ) {
        self.cancel();
        let setup = Setup {
            generation,
            child,
            arch: "paper".into(),
            method: String::new(),
            genome: Some(jobs::fingerprint(&genome)),
            size: self.size,
            steps: self.steps,
            lr: 3e-3,
            straight_through: false,
            every: 1,
            shares: Shares::Equal,
            final_share: None,
            curve_every: 10,
            children: 0,
            children_seed: 0,
            budget: 0,
            target_db: 30.0,
        };
        let seeds: Vec<u64> = (0..self.seeds).collect();
        let methods = self.chosen_methods();
        let task = Task::spawn(
            "methods study",
            Some(repaint(ctx)),
            move |r: &Reporter<_, _>| {
                let prepared = jobs::prepare_genome(genome, &setup).map_err(|e| e.to_string())?;
                for job in jobs::method_jobs(&methods, &seeds) {
                    let total = prepared.job_steps(&job);
                    let result = prepared.run(&job, r.cancel_flag(), &mut |s| r.progress(s, total));
                    r.news(Box::new(result.map_err(|e| e.to_string())?));
                }
                Ok(())
            },
        );
        self.began(generation, child, task);
    }

    /// A study's task started: the view shows it from now on.
    fn began(&mut self, generation: usize, child: usize, task: Running) {
        self.results.clear();
        self.figure = None;
        self.progress = (0, 0);
        let started = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as i64);
        self.study = Some((started, GenerationId(generation), child));
        self.status = "running".into();
        self.running = Some(task);
    }

    pub fn cancel(&mut self) {
        if let Some(r) = self.running.take() {
            r.cancel();
            self.status = "cancelled".into();
        }
    }

    fn poll(&mut self) {
        let Some(r) = &mut self.running else { return };
        self.progress = r.progress();
        let (finished, polled) = r.poll_news();
        if !finished.is_empty() {
            self.results.extend(finished.into_iter().map(|b| *b));
            self.unsaved = true;
        }
        let ended = match polled {
            Polled::Running => return,
            Polled::Done(ended) => ended,
            Polled::Lost => Err("the study stopped with an internal error".into()),
        };
        self.running = None;
        self.status = match ended {
            Ok(()) => "done".into(),
            Err(e) => e,
        };
    }

    /// The study to keep with the session when jobs finished since the last call: its
    /// start (key), generation and child, and its jobs as a JSON array.
    pub fn take_unsaved(&mut self) -> Option<(i64, (GenerationId, usize), String)> {
        let (started, generation, child) = self.study?;
        if !std::mem::take(&mut self.unsaved) {
            return None;
        }
        let jobs = serde_json::to_string(&self.results).ok()?;
        Some((started, (generation, child), jobs))
    }

    /// The session changed: shows the study it keeps, or none. A study still running
    /// belongs to the session before: it goes on and shows, but is no longer kept.
    pub fn restore(&mut self, study: Option<&Study>) {
        self.unsaved = false;
        if self.is_running() {
            if self.study.take().is_some() {
                self.status = "running (not kept: the session changed)".into();
            }
            return;
        }
        self.study = None;
        self.results.clear();
        self.figure = None;
        self.progress = (0, 0);
        self.status.clear();
        let Some(study) = study else { return };
        match serde_json::from_str::<Vec<JobResult>>(&study.jobs) {
            Ok(results) => {
                self.status = format!(
                    "saved study of child {} of generation {}",
                    study.child + 1,
                    study.generation
                );
                self.results = results;
                self.study = Some((study.started, study.generation, study.child));
            }
            Err(e) => self.status = format!("the saved study cannot be read: {e}"),
        }
    }

    /// `source`: the session, and the generation id and child (0-based) to study.
    pub fn ui(&mut self, ui: &mut egui::Ui, source: Option<(&Session, usize, usize)>) {
        self.poll();
        ui.add_enabled_ui(!self.is_running(), |ui| {
            ui.horizontal(|ui| {
                ui.selectable_value(&mut self.kind, StudyKind::Lineage, "Stepping stones")
                    .on_hover_text("Training through the lineage's stepping stones vs directly on the picture");
                ui.selectable_value(&mut self.kind, StudyKind::Methods, "Methods")
                    .on_hover_text("The chosen training methods on the child's picture, each over the seeds, against the evolved genome");
            });
            if self.kind == StudyKind::Methods {
                ui.horizontal_wrapped(|ui| {
                    for (e, on) in METHODS.iter().zip(&mut self.methods) {
                        ui.checkbox(on, e.name).on_hover_text(e.doc);
                    }
                });
            }
            ui.horizontal_wrapped(|ui| {
                ui.add(
                    egui::DragValue::new(&mut self.seeds)
                        .range(1..=50)
                        .prefix("seeds "),
                )
                .on_hover_text("Training runs per condition or method, each from other starting weights");
                ui.add(
                    egui::DragValue::new(&mut self.steps)
                        .range(1..=1_000_000)
                        .prefix("steps "),
                )
                .on_hover_text("SGD steps per run");
                ui.add(
                    egui::DragValue::new(&mut self.size)
                        .range(8..=512)
                        .prefix("size "),
                )
                .on_hover_text("Pixels a side the image is trained at");
                if self.kind == StudyKind::Lineage {
                    ui.add(
                        egui::DragValue::new(&mut self.children)
                            .range(0..=20)
                            .prefix("children "),
                    )
                    .on_hover_text("Adaptability: this many one-mutation children of the image to fine-tune on (0: a stepping-stones study)");
                    ui.add(
                        egui::DragValue::new(&mut self.budget)
                            .range(1..=100_000)
                            .prefix("budget "),
                    )
                    .on_hover_text("Fine-tuning steps per child (adaptability)");
                }
            });
        });
        ui.horizontal(|ui| {
            if self.running.is_some() {
                if ui.button("Cancel").clicked() {
                    self.cancel();
                }
                // The status before the bar: the bar takes the rest of the row, and
                // anything after it would widen the panel frame after frame.
                ui.label(&self.status);
                let (s, t) = self.progress;
                ui.add(
                    egui::ProgressBar::new(if t > 0 { s as f32 / t as f32 } else { 0.0 })
                        .text(format!("job {}: step {s} of {t}", self.results.len() + 1)),
                );
            } else if let Some((session, g, c)) = source {
                match self.kind {
                    StudyKind::Lineage => {
                        let run = ui.button("Run experiment");
                        crate::app::hotspots::mark(ui.ctx(), "run-experiment", run.rect);
                        if run.clicked() {
                            self.start(ui.ctx(), session.clone(), g, c);
                        }
                    }
                    StudyKind::Methods => {
                        let genome = session
                            .generation(GenerationId(g))
                            .and_then(|generation| generation.genomes.at(c));
                        let chosen = !self.chosen_methods().is_empty();
                        let run = ui
                            .add_enabled(
                                chosen && genome.is_some(),
                                egui::Button::new("Run methods study"),
                            )
                            .on_disabled_hover_text("Tick at least one method");
                        if run.clicked()
                            && let Some(genome) = genome
                        {
                            self.start_methods(ui.ctx(), genome.into_owned(), g, c);
                        }
                    }
                }
                ui.label(&self.status);
            }
        });
        if report::is_methods_study(&self.results) {
            self.methods_results(ui);
            return;
        }
        results_table(ui, &self.results);
        if let Some(r) = self
            .results
            .iter()
            .find(|r| r.job.condition == Condition::Stones)
        {
            ui.label(stones_line(r));
        }
        if self.results.iter().any(|r| r.trained.is_some()) {
            ui.label("PSNR (dB) by step, every run");
            Plot::new("experiment-curves")
                .height(180.0)
                .legend(Legend::default())
                .allow_scroll(false)
                .show(ui, |plot| {
                    for r in &self.results {
                        let Some(t) = &r.trained else { continue };
                        let pts: Vec<[f64; 2]> =
                            t.curve.iter().map(|p| [p.step as f64, p.psnr]).collect();
                        // One colour per condition, as the legend shows it.
                        let (name, colour) = match r.job.condition {
                            Condition::Stones => ("stones", egui::Color32::from_rgb(230, 140, 40)),
                            _ => ("direct", egui::Color32::from_rgb(70, 140, 230)),
                        };
                        plot.line(Line::new(name, PlotPoints::from(pts)).color(colour));
                    }
                });
        }
    }
}

impl ExperimentView {
    /// A methods study's results: per method the mean ± sd of the final PSNR and of
    /// every study measure (collapsed runs counted apart), the evolved genome's row,
    /// and the Pareto figure (as `experiment report` draws it).
    fn methods_results(&mut self, ui: &mut egui::Ui) {
        let rows = report::rows(&self.results);
        let fixed = ["method", "runs", "collapsed", "final PSNR dB"];
        egui::ScrollArea::horizontal()
            .id_salt("methods-results")
            .show(ui, |ui| {
                TableBuilder::new(ui)
                    .id_salt("methods-table")
                    .striped(true)
                    .max_scroll_height(220.0)
                    .columns(
                        Column::auto().at_least(52.0),
                        fixed.len() + defs::study().count(),
                    )
                    .header(20.0, |mut header| {
                        for h in fixed.into_iter().chain(defs::study().map(|d| d.key)) {
                            header.col(|ui| {
                                ui.strong(h.replace('_', " "));
                            });
                        }
                    })
                    .body(|mut body| {
                        for row in &rows {
                            body.row(18.0, |mut cells| {
                                for cell in method_row(row) {
                                    cells.col(|ui| {
                                        ui.label(cell);
                                    });
                                }
                            });
                        }
                    });
            });
        let n = self.results.len();
        if self.figure.as_ref().is_none_or(|f| f.0 != n) {
            let img = picbreeder::experiment::pareto::pareto(&self.results).to_image();
            let texture = ui.ctx().load_texture(
                "methods-figure",
                crate::app::thumbs::to_color_image(&img),
                egui::TextureOptions::LINEAR,
            );
            self.figure = Some((n, texture));
        }
        if let Some((_, texture)) = &self.figure {
            ui.add(
                egui::Image::new(texture)
                    .max_width(ui.available_width())
                    .alt_text("methods figure"),
            );
        }
    }
}

/// A methods study's row: the method (or the evolved genome), its runs, its collapsed
/// runs, then mean ± sd of the final PSNR and of each study measure.
fn method_row(row: &report::ReportRow) -> Vec<String> {
    let evolved = row.condition == Condition::Evolved;
    let psnr: Vec<f64> = row.psnr.iter().map(|p| p.1).collect();
    let mut cells = vec![
        if row.label == report::LAYERIZED {
            "evolved genome, layerized".to_string()
        } else if evolved {
            "evolved genome".to_string()
        } else {
            row.label.clone()
        },
        if evolved {
            "-".into()
        } else {
            (row.psnr.len() + row.collapsed.len()).to_string()
        },
        row.collapsed.len().to_string(),
        if evolved {
            "its own picture".into()
        } else {
            report::pm(&psnr, 2)
        },
    ];
    cells.extend(
        defs::study()
            .zip(&row.representation)
            .map(|(def, xs)| report::pm(xs, def.short.max(2))),
    );
    cells
}

/// Which generations the stepping stones came from, with their steps; or why stones and
/// direct training are the same run.
fn stones_line(r: &JobResult) -> String {
    if r.stones.len() <= 1 {
        return "This child's lineage is one genome: training through its stepping stones \
            is direct training. Pick a child further down a lineage to compare."
            .into();
    }
    let stops: Vec<String> = r
        .stones
        .iter()
        .zip(&r.stone_steps)
        .map(|(depth, steps)| format!("{} ({steps} steps)", depth + 1))
        .collect();
    format!("Stepping stones from generations {}", stops.join(", "))
}

/// One row per finished job: its PSNRs, and the representation numbers (the FER
/// scorecard's headline numbers) of what it ended with.
fn results_table(ui: &mut egui::Ui, results: &[JobResult]) {
    let fixed = ["condition", "seed", "final PSNR", "steps", "adapted PSNR"];
    // Scrolled sideways inside the panel: twelve columns are wider than it, and a
    // table allowed to widen the panel pushes the grid off the window.
    egui::ScrollArea::horizontal()
        .id_salt("experiment-results")
        .show(ui, |ui| {
            TableBuilder::new(ui)
                .striped(true)
                .max_scroll_height(220.0)
                .columns(
                    Column::auto().at_least(52.0),
                    fixed.len() + defs::study().count(),
                )
                .header(20.0, |mut header| {
                    let keys = defs::study().map(|d| d.key);
                    for h in fixed.into_iter().chain(keys) {
                        header.col(|ui| {
                            ui.strong(h.replace('_', " "));
                        });
                    }
                })
                .body(|mut body| {
                    for r in results {
                        body.row(18.0, |mut row| {
                            for cell in result_row(r) {
                                row.col(|ui| {
                                    ui.label(cell);
                                });
                            }
                        });
                    }
                });
        });
}

/// A job's cells, in [`results_table`]'s column order.
fn result_row(r: &JobResult) -> Vec<String> {
    let db = |x: f64| format!("{x:.2} dB");
    let adapted: Vec<f64> = r
        .adapt
        .iter()
        .map(|a| a.psnr_after)
        .filter(|x| x.is_finite())
        .collect();
    let mut cells = vec![
        r.job.condition.name().to_string(),
        r.job.seed.to_string(),
        match &r.trained {
            Some(t) if t.collapse.is_some() => "collapsed".into(),
            Some(t) => db(t.final_psnr),
            None => "-".into(),
        },
        r.trained
            .as_ref()
            .map_or("-".into(), |t| t.steps.to_string()),
        if adapted.is_empty() {
            "-".into()
        } else {
            db(adapted.iter().sum::<f64>() / adapted.len() as f64)
        },
    ];
    cells.extend(defs::study().map(|def| {
        r.measures
            .iter()
            .find(|(name, _)| name == def.key)
            .map_or("-".into(), |(_, v)| def.compact(*v))
    }));
    cells
}

impl crate::app::SideTab for ExperimentView {
    fn title(&self) -> &str {
        "Experiment"
    }

    fn study_to_save(&mut self) -> Option<(i64, (GenerationId, usize), String)> {
        self.take_unsaved()
    }

    fn restore_study(&mut self, study: Option<&Study>) {
        self.restore(study);
    }

    fn ui(
        &mut self,
        ui: &mut egui::Ui,
        _selected: Option<&picbreeder::cppn::Genome>,
        _actions: &mut Vec<crate::app::Action>,
    ) {
        self.ui(ui, None);
    }

    fn session_ui(
        &mut self,
        ui: &mut egui::Ui,
        session: &Session,
        viewed: Option<usize>,
        _actions: &mut Vec<crate::app::Action>,
    ) -> bool {
        match viewed {
            Some(c) => {
                ui.label(match self.kind {
                    StudyKind::Lineage => format!(
                        "Stepping stones vs direct training on child {} of generation {} and its lineage.",
                        c + 1,
                        session.generation_number()
                    ),
                    StudyKind::Methods => format!(
                        "Training methods on child {} of generation {}, against the evolved genome.",
                        c + 1,
                        session.generation_number()
                    ),
                });
                self.ui(ui, Some((session, session.current_id().0, c)));
            }
            None => {
                ui.weak("View a child (right-click it in the grid) to study its lineage.");
                self.ui(ui, None);
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;
    use std::time::{Duration, Instant};

    struct Rig {
        view: ExperimentView,
        session: Session,
    }

    fn harness() -> Harness<'static, Rig> {
        let mut session = Session::new(3);
        for pick in [2, 5, 1] {
            session.toggle_parent(pick);
            session.evolve().unwrap();
        }
        Harness::builder()
            .with_size(egui::vec2(800.0, 700.0))
            .build_ui_state(
                |ui, rig: &mut Rig| {
                    // In a side panel as in the window: the view must not widen it.
                    egui::Panel::right("side")
                        .resizable(true)
                        .default_size(400.0)
                        .show(ui, |ui| {
                            let g = rig.session.current_id().0;
                            rig.view.ui(ui, Some((&rig.session, g, 3)));
                        });
                },
                Rig {
                    view: ExperimentView::default(),
                    session,
                },
            )
    }

    fn until(h: &mut Harness<'static, Rig>, done: impl Fn(&Rig) -> bool) {
        let t = Instant::now();
        while !done(h.state()) {
            assert!(t.elapsed() < Duration::from_secs(60), "timed out");
            h.step();
            std::thread::sleep(Duration::from_millis(10));
        }
        h.step();
    }

    #[test]
    fn a_short_study_fills_the_table_and_a_long_one_cancels() {
        let mut h = harness();
        {
            let v = &mut h.state_mut().view;
            (v.seeds, v.steps, v.size) = (2, 60, 16);
        }
        h.step();
        h.get_by_label("Run experiment").click();
        until(&mut h, |r| {
            !r.view.status.is_empty() && !r.view.is_running()
        });
        assert_eq!(h.state().view.status, "done");
        assert_eq!(h.state().view.results.len(), 4);
        assert!(
            h.query_all_by_label("stones").count() >= 2,
            "two table rows"
        );
        assert!(
            h.query_all_by_label("direct").count() >= 2,
            "two table rows"
        );
        // The representation columns: headers, and each row's own numbers; the
        // twelve columns scroll inside the panel rather than widen it over the grid.
        assert!(h.query_by_label("change symmetry").is_some());
        // Where the stones came from, under the table; or why both are the same run.
        let mut stones = h.state().view.results.iter();
        let stones = stones
            .find(|r| r.job.condition == Condition::Stones)
            .unwrap()
            .clone();
        assert!(h.query_by_label(&stones_line(&stones)).is_some());
        let mut r = stones.clone();
        (r.stones, r.stone_steps) = (vec![0, 2], vec![10, 50]);
        assert_eq!(
            stones_line(&r),
            "Stepping stones from generations 1 (10 steps), 3 (50 steps)"
        );
        (r.stones, r.stone_steps) = (vec![2], vec![60]);
        assert!(stones_line(&r).starts_with("This child's lineage is one genome"));
        // What the library keeps: the finished jobs, once; a fresh view shows them.
        let (started, at, jobs) = h.state_mut().view.take_unsaved().unwrap();
        assert!(
            h.state_mut().view.take_unsaved().is_none(),
            "handed over once"
        );
        let mut fresh = ExperimentView::default();
        fresh.restore(Some(&Study {
            started,
            generation: at.0,
            child: at.1,
            jobs,
            updated: 0,
        }));
        assert_eq!(fresh.results, h.state().view.results);
        assert!(
            fresh.status.starts_with("saved study of child 4"),
            "{}",
            fresh.status
        );
        let seed = h.get_by_label("seed").rect();
        assert!(
            seed.min.x > 380.0,
            "the panel stays about 400 wide: {seed:?}"
        );
        for r in &h.state().view.results {
            let cells = result_row(r);
            assert_eq!(cells.len(), 5 + defs::study().count());
            assert!(cells[5].ends_with('%'), "symmetric fraction: {cells:?}");
        }
        // A long one, cancelled while its first job runs: the worker stops, no result.
        h.state_mut().view.steps = 1_000_000;
        h.step();
        h.get_by_label("Run experiment").click();
        until(&mut h, |r| r.view.is_running() && r.view.progress.0 >= 40);
        let bar = h.get_by_label("Cancel").rect();
        assert!(
            bar.min.x > 380.0,
            "a running study keeps the panel's width: {bar:?}"
        );
        h.get_by_label("Cancel").click();
        h.step();
        assert!(!h.state().view.is_running());
        assert_eq!(h.state().view.status, "cancelled");
        assert!(h.state().view.results.is_empty());
        h.step();
        assert!(h.query_by_label("Run experiment").is_some());
    }

    #[test]
    fn a_methods_study_of_two_methods_shows_both_in_the_table_and_the_figure() {
        let mut h = harness();
        {
            let v = &mut h.state_mut().view;
            (v.seeds, v.steps, v.size) = (1, 30, 16);
        }
        h.step();
        assert!(h.query_by_label("Run methods study").is_none());
        h.get_by_label("Methods").click();
        h.step();
        // adam and mirror are ticked at first: untick mirror, tick sgd.
        h.get_by_label("mirror").click();
        h.get_by_label("sgd").click();
        h.step();
        assert_eq!(
            h.state().view.chosen_methods(),
            [Method::Adam, Method::Sgd { momentum: 0.9 }]
        );
        h.get_by_label("Run methods study").click();
        until(&mut h, |r| {
            !r.view.status.is_empty() && !r.view.is_running()
        });
        assert_eq!(h.state().view.status, "done");
        let results = &h.state().view.results;
        assert_eq!(results.len(), 3, "two methods, one seed, the genome");
        assert!(
            results
                .iter()
                .all(|r| r.setup.steps == 30 && r.setup.size == 16)
        );
        // The table: a row per method (the tick box and the row name "adam"), the
        // genome's row, the measures' columns; and the figure under it.
        assert!(h.query_all_by_label("adam").count() >= 2, "adam's row");
        assert!(h.query_by_label("sgd:0.9").is_some(), "sgd's row");
        assert!(h.query_by_label("evolved genome").is_some());
        assert!(h.query_by_label("change symmetry").is_some());
        assert!(h.query_by_label("methods figure").is_some());
        let rows = report::rows(&h.state().view.results);
        let adam = rows.iter().find(|r| r.label == "adam").unwrap();
        let cells = method_row(adam);
        assert_eq!(cells[..3], ["adam", "1", "0"]);
        assert!(cells[3].ends_with("± 0.00"), "one seed: sd 0: {cells:?}");
        assert!(h.query_by_label(&cells[3]).is_some(), "{cells:?} on screen");
        // What the library keeps reads back as the same methods study.
        let (_, _, jobs) = h.state_mut().view.take_unsaved().unwrap();
        let back: Vec<JobResult> = serde_json::from_str(&jobs).unwrap();
        assert_eq!(back, h.state().view.results);
    }
}
