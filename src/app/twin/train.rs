//! The SGD panel: train a network to draw the evolved genome's image, live. Training
//! runs on its own thread ([`TrainingRun`]); each frame only takes what has arrived.

use super::super::animation::{AnimationDialog, Recipe};
use super::super::background::{Latest, texture};
use super::keep::{self, Keeper, Pace, TrainSettings};
use eframe::egui;
use egui_plot::{Line, Plot, PlotPoints};

/// Steps a training animation films (its frames are snapshots spread over them).
const ANIMATION_STEPS: u64 = 2000;

/// Height of the loss curve in points.
const LOSS_PLOT_HEIGHT: f32 = 140.0;
use picbreeder::cppn::{Activation, Program};
use picbreeder::dense::net::DenseNet;
use picbreeder::experiment::path::Snapshot;
use picbreeder::grid::Grid;
use picbreeder::image::Image;
use picbreeder::sgd::arch::Arch;
use picbreeder::sgd::method::{METHODS, Method, Start};
use picbreeder::sgd::run::{
    EndReason, Event, RunCommand, RunOptions, RunProgress, TrainingRun, is_path_step,
};
use picbreeder::sgd::trainer::{Batch, PAPER_LR, PAPER_SIZE, TrainConfig, Trainer};
use picbreeder::store::TwinRecord;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Architecture as chosen in the panel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArchChoice {
    Paper,
    Mlp,
}

pub struct TrainView {
    pub arch: ArchChoice,
    pub depth: usize,
    pub width: usize,
    pub activation: Activation,
    pub bias: bool,
    /// How the net learns (`sgd::method`): the paper's Adam by default.
    pub method: Method,
    pub resolution: usize,
    pub lr: f32,
    pub unit_norm: bool,
    pub minibatch: Option<usize>,
    pub seed: u64,
    /// The straight-through colour rule (not the paper's; see `sgd::loss`).
    pub straight_through: bool,
    run: Option<TrainingRun>,
    /// The latest report and every (step, loss) so far.
    pub progress: Option<RunProgress>,
    pub losses: Vec<[f64; 2]>,
    /// What each step of the run costs in forward passes (for the curve's export).
    pub passes_per_step: u64,
    pub ended: Option<EndReason>,
    target: Option<egui::TextureHandle>,
    output: Option<egui::TextureHandle>,
    drawing: Latest<Image>,
    error: Option<String>,
    /// Where the loss curve was drawn last frame (tests check it is in view).
    pub plot_rect: Option<egui::Rect>,
    /// "Export animation...": a run with these settings, filmed.
    pub animation: AnimationDialog,
    /// The "Export curve..." button and its file dialog.
    pub curve_export: super::train_extra::CurveExport,
    /// The run's snapshots at the path steps (`sgd::run::is_path_step`) and its newest,
    /// for the Path view.
    kept: Vec<(u64, DenseNet)>,
    newest: Option<(u64, DenseNet)>,
    /// Steps a run takes ("Keep training" goes on for as many again).
    pub steps: u64,
    /// The step the run stops at.
    pub goal: Option<u64>,
    /// The run's speed and time left.
    pub pace: Pace,
    /// Where the run's twin goes in the library (set by the panel, which knows the
    /// genome and child); `None`: not kept.
    pub keeper: Option<Keeper>,
    /// Kept runs reset or discarded since the last call: their keys, for the library
    /// to forget.
    pub forgotten: Vec<i64>,
    /// What is shown was read back from the library (no run): "Keep training" goes on
    /// from its net.
    pub restored: bool,
    /// A fresh run was just started: the panel gives it its [`Keeper`].
    pub started_new: bool,
}

impl Default for TrainView {
    fn default() -> Self {
        TrainView {
            arch: ArchChoice::Paper,
            depth: 8,
            width: 30,
            activation: Activation::Tanh,
            bias: true,
            method: Method::default(),
            resolution: PAPER_SIZE,
            lr: PAPER_LR,
            unit_norm: true,
            minibatch: None,
            seed: 0,
            straight_through: false,
            run: None,
            progress: None,
            losses: vec![],
            passes_per_step: TrainConfig::default().passes_per_step(),
            kept: vec![],
            newest: None,
            steps: 10_000,
            goal: None,
            pace: Pace::default(),
            keeper: None,
            forgotten: vec![],
            restored: false,
            started_new: false,
            ended: None,
            target: None,
            output: None,
            drawing: Latest::default(),
            error: None,
            plot_rect: None,
            animation: AnimationDialog::default(),
            curve_export: Default::default(),
        }
    }
}

impl TrainView {
    /// A run exists (training, paused or finished but not reset), or one read back
    /// from the library is shown.
    pub fn has_run(&self) -> bool {
        self.run.is_some() || self.restored
    }

    /// A run is going (training or paused, not finished).
    pub fn training(&self) -> bool {
        self.run.as_ref().is_some_and(|r| !r.is_finished())
    }

    pub fn busy(&self) -> bool {
        self.drawing.busy()
    }

    /// Drops the run and everything it drew; the library forgets its twin.
    pub fn reset(&mut self) {
        if let Some(k) = self.keeper.take()
            && k.kept
        {
            self.forgotten.push(k.started);
        }
        self.restored = false;
        self.goal = None;
        self.pace.reset();
        if let Some(run) = self.run.take() {
            run.send(RunCommand::Stop);
        }
        self.progress = None;
        self.losses.clear();
        self.kept.clear();
        self.newest = None;
        self.ended = None;
        self.output = None;
        self.error = None;
    }

    fn arch(&self) -> Arch {
        match self.arch {
            ArchChoice::Paper => Arch::Paper,
            ArchChoice::Mlp => Arch::Mlp {
                depth: self.depth,
                width: self.width,
                activation: self.activation,
                bias: self.bias,
            },
        }
    }

    /// A fresh net, which of its weights train, and the training set-up the panel's
    /// settings give: "Start training" and "Export animation..." both use this, so the
    /// film is the same run.
    fn run_setup(&self, program: &Program) -> Result<(Start, TrainConfig), String> {
        let start = self.method.build(&self.arch(), program, self.seed)?;
        let config = self.method.config(TrainConfig {
            lr: self.lr,
            unit_norm: self.unit_norm,
            batch: self.minibatch.map_or(Batch::Full, Batch::Random),
            seed: self.seed,
            straight_through: self.straight_through,
            ..TrainConfig::default()
        });
        Ok((start, config))
    }

    /// Opens the animation window on a run with the panel's settings (the same seed, so
    /// the same run as "Start training" makes).
    fn open_animation(&mut self, program: &Program) {
        let target = program.render(&Grid::square(self.resolution));
        let (start, config) = match self.run_setup(program) {
            Ok(setup) => setup,
            Err(e) => {
                self.error = Some(e);
                return;
            }
        };
        self.animation.path = "training.gif".into();
        self.animation.open(Recipe::Train {
            start,
            target,
            config,
            steps: ANIMATION_STEPS,
        });
    }

    /// Drops what is shown without the library forgetting it (another session, or
    /// another genome viewed beside a twin read back).
    pub fn clear(&mut self) {
        self.keeper = None;
        self.reset();
    }

    /// The panel's settings, as stored with a twin.
    pub fn setup(&self) -> TrainSettings {
        TrainSettings {
            arch: self.arch().to_string(),
            method: self.method.to_string(),
            resolution: self.resolution,
            lr: self.lr,
            unit_norm: self.unit_norm,
            minibatch: self.minibatch,
            seed: self.seed,
            straight_through: self.straight_through,
            steps: self.steps,
        }
    }

    /// Takes the settings a twin was trained with.
    fn apply_setup(&mut self, s: &TrainSettings) -> Result<(), String> {
        let arch: Arch = s.arch.parse().map_err(|e| format!("{e}"))?;
        let method: Method = s.method.parse().map_err(|e| format!("{e}"))?;
        match arch {
            Arch::Paper => self.arch = ArchChoice::Paper,
            Arch::Mlp {
                depth,
                width,
                activation,
                bias,
            } => {
                self.arch = ArchChoice::Mlp;
                (self.depth, self.width, self.activation, self.bias) =
                    (depth, width, activation, bias);
            }
        }
        self.method = method;
        self.resolution = s.resolution;
        self.lr = s.lr;
        self.unit_norm = s.unit_norm;
        self.minibatch = s.minibatch;
        self.seed = s.seed;
        self.straight_through = s.straight_through;
        self.steps = s.steps.max(1);
        Ok(())
    }

    /// Shows a twin read back from the library: its settings, net, curve and
    /// snapshots; "Keep training" goes on from its net.
    pub fn restore(&mut self, ctx: &egui::Context, twin: &TwinRecord) -> Result<(), String> {
        let setup: TrainSettings = serde_json::from_str(&twin.setup)
            .map_err(|e| format!("the saved SGD twin's settings cannot be read: {e}"))?;
        self.clear();
        self.apply_setup(&setup)
            .map_err(|e| format!("the saved SGD twin's settings: {e}"))?;
        self.passes_per_step = self.method.config(TrainConfig::default()).passes_per_step();
        self.losses = twin.curve.clone();
        self.kept = twin.snapshots.clone();
        self.newest = Some((twin.step, twin.net.clone()));
        let loss = self.losses.last().map_or(f64::NAN, |l| 10f64.powf(l[1]));
        self.progress = Some(RunProgress {
            step: twin.step,
            loss,
            psnr: picbreeder::sgd::trainer::psnr_of_mse(loss),
            steps_per_sec: 0.0,
            forward_passes: twin.step.saturating_mul(self.passes_per_step),
            lr: self.lr,
            paused: false,
            losses: vec![],
        });
        self.keeper = Some(Keeper {
            started: twin.started,
            genome: twin.genome.clone(),
            generation: twin.generation,
            child: twin.child,
            setup: twin.setup.clone(),
            curve_sent: self.losses.len(),
            snaps_sent: self.kept.len(),
            saved_step: Some(twin.step),
            last_save: None,
            kept: true,
        });
        self.restored = true;
        let (net, size) = (Arc::new(twin.net.clone()), self.resolution.min(256));
        self.drawing
            .request(ctx, move || net.render(&Grid::square(size)));
        Ok(())
    }

    /// The twin's news for the library when a save is due ([`Keeper::due`]): the newest
    /// net and what is new since the last save. A run that diverged is not saved (its
    /// net is not numbers); the last good save stays.
    pub fn news_for_library(&mut self, now: Instant) -> Option<TwinRecord> {
        if matches!(self.ended, Some(EndReason::Diverged)) {
            return None;
        }
        let ended = self.run.as_ref().is_none_or(TrainingRun::is_finished);
        let (step, net) = self.newest.as_ref()?;
        let k = self.keeper.as_mut()?;
        if !k.due(*step, now, ended) {
            return None;
        }
        let record = TwinRecord {
            started: k.started,
            genome: k.genome.clone(),
            generation: k.generation,
            child: k.child,
            setup: k.setup.clone(),
            step: *step,
            net: net.clone(),
            curve_from: k.curve_sent,
            curve: self.losses[k.curve_sent.min(self.losses.len())..].to_vec(),
            snapshots: self.kept[k.snaps_sent.min(self.kept.len())..].to_vec(),
        };
        k.curve_sent = self.losses.len();
        k.snaps_sent = self.kept.len();
        k.saved_step = Some(*step);
        k.last_save = Some(now);
        Some(record)
    }

    /// Starts training a fresh network on `program`'s image.
    pub fn start(&mut self, ctx: &egui::Context, program: &Program) {
        self.reset();
        let grid = Grid::square(self.resolution);
        let target = program.render(&grid);
        let (start, config) = match self.run_setup(program) {
            Ok(setup) => setup,
            Err(e) => {
                self.error = Some(e);
                return;
            }
        };
        match start.trainer(&target, config) {
            Ok(trainer) => {
                self.passes_per_step = config.passes_per_step();
                self.spawn(ctx, trainer, self.steps);
                self.started_new = self.run.is_some();
            }
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    /// Goes on training the net shown for another [`TrainView::steps`]: a run of this
    /// window with its trainer (Adam's moments and all), a twin read back from the
    /// library from its net (the optimizer's moments start afresh).
    pub fn keep_training(&mut self, ctx: &egui::Context, program: &Program) {
        let trainer = if let Some(run) = self.run.take() {
            match run.stop_and_join() {
                Some(t) => t,
                None => {
                    self.error = Some("the run ended with an internal error".into());
                    return;
                }
            }
        } else {
            let Some((step, net)) = self.newest.clone() else {
                return;
            };
            let target = program.render(&Grid::square(self.resolution));
            let (mut start, config) = match self.run_setup(program) {
                Ok(setup) => setup,
                Err(e) => {
                    self.error = Some(e);
                    return;
                }
            };
            if start.net.widths() != net.widths() {
                self.error = Some(
                    "the saved net's shape is not what its settings build for this genome: Reset to train afresh"
                        .into(),
                );
                return;
            }
            start.net = net;
            match start.trainer(&target, config) {
                Ok(t) => t.resumed_at(step),
                Err(e) => {
                    self.error = Some(e.to_string());
                    return;
                }
            }
        };
        self.restored = false;
        self.ended = None;
        self.pace.reset();
        let goal = trainer.steps_done() + self.steps;
        self.spawn(ctx, trainer, goal);
    }

    /// Runs `trainer` on its own thread until step `goal`.
    fn spawn(&mut self, ctx: &egui::Context, trainer: Trainer, goal: u64) {
        self.target = Some(texture(ctx, "train-target", trainer.target_image()));
        let options = RunOptions {
            max_steps: Some(goal),
            snapshot_every: Some(Duration::from_millis(400)),
            path_snapshots: true,
            ..RunOptions::default()
        };
        let wake = super::super::task::repaint(ctx);
        match TrainingRun::spawn_notifying(trainer, options, Some(wake)) {
            Ok(run) => {
                self.run = Some(run);
                self.goal = Some(goal);
            }
            Err(e) => self.error = Some(format!("cannot start training: {e}")),
        }
    }

    /// Stops the run now and takes in all it sent, its final net the newest (on
    /// quitting with "keep the training state"). Waits for the step under way.
    pub fn finish_now(&mut self) {
        let Some(run) = self.run.take() else { return };
        run.send(RunCommand::Stop);
        let until = Instant::now() + Duration::from_secs(30);
        while Instant::now() < until {
            match run.recv_timeout(Duration::from_millis(50)) {
                Some(e) => {
                    let last = matches!(e, Event::Finished { .. });
                    self.take(vec![e]);
                    if last {
                        break;
                    }
                }
                None if run.is_finished() => {
                    let rest = run.poll();
                    self.take(rest);
                    break;
                }
                None => {}
            }
        }
        // `Finished` is the thread's last message, not its end: wait that moment out, so
        // the panel no longer counts the run as training.
        while !run.is_finished() && Instant::now() < until {
            std::thread::sleep(Duration::from_millis(1));
        }
        self.run = Some(run);
    }

    /// Takes what the run sent; returns the newest network snapshot, if any.
    pub fn poll(&mut self, ctx: &egui::Context) -> Option<(u64, DenseNet)> {
        if let Some(img) = self.drawing.take() {
            self.output = Some(texture(ctx, "train-output", &img));
        }
        let events = self.run.as_ref()?.poll();
        let newest = self.take(events);
        if let Some((_, net)) = &newest {
            let (net, size) = (Arc::new(net.clone()), self.resolution.min(256));
            self.drawing
                .request(ctx, move || net.render(&Grid::square(size)));
        }
        if self.run.as_ref().is_some_and(|r| !r.is_finished()) {
            ctx.request_repaint_after(Duration::from_millis(50));
        }
        newest
    }

    /// Records a run's events; returns the newest net among them.
    fn take(&mut self, events: Vec<Event>) -> Option<(u64, DenseNet)> {
        let mut newest = None;
        let mut seen: Vec<(u64, DenseNet)> = vec![];
        for event in events {
            match event {
                Event::Progress(p) => self.record(p),
                Event::Snapshot { step, net } => {
                    seen.push((step, net.clone()));
                    newest = Some((step, net));
                }
                Event::Finished {
                    reason,
                    progress,
                    net,
                } => {
                    self.ended = Some(reason);
                    let step = progress.step;
                    self.record(progress);
                    newest = Some((step, net));
                }
            }
        }
        for (step, net) in &seen {
            if is_path_step(*step) && self.kept.last().is_none_or(|k| k.0 < *step) {
                self.kept.push((*step, net.clone()));
            }
        }
        if let Some((step, net)) = &newest {
            self.newest = Some((*step, net.clone()));
        }
        newest
    }

    /// The newest net shown and its step.
    #[cfg(test)]
    pub fn newest(&self) -> Option<&(u64, DenseNet)> {
        self.newest.as_ref()
    }

    /// The run's path snapshots and its newest net, each with its PSNR (the loss the
    /// next step measured on it, as the trainer reports it), oldest first.
    pub fn path_snapshots(&self) -> Vec<Snapshot> {
        let psnr = |step: u64| {
            // losses[k] is [step, log10 loss] of the net after step - 1 steps.
            let at = self.losses.iter().find(|l| l[0] as u64 == step + 1);
            at.or(self.losses.last()).map_or(f64::NAN, |l| -10.0 * l[1])
        };
        let mut out: Vec<Snapshot> = self
            .kept
            .iter()
            .map(|(step, net)| Snapshot {
                step: *step,
                psnr: psnr(*step),
                net: net.clone(),
            })
            .collect();
        if let Some((step, net)) = &self.newest
            && out.last().is_none_or(|s| s.step < *step)
        {
            out.push(Snapshot {
                step: *step,
                psnr: psnr(*step),
                net: net.clone(),
            });
        }
        out
    }

    fn record(&mut self, p: RunProgress) {
        self.pace.observe(&p);
        self.losses.extend(
            p.losses
                .iter()
                .map(|&(s, l)| [s as f64, l.max(1e-12).log10()]),
        );
        self.progress = Some(p);
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, program: Option<&Program>) {
        ui.add_enabled_ui(!self.has_run(), |ui| self.settings_ui(ui));
        if let Some(p) = program
            && ui
                .button("Export animation...")
                .on_hover_text("a run of 2000 steps with these settings, as GIF or APNG")
                .clicked()
        {
            self.open_animation(p);
        }
        self.animation.ui(ui.ctx());
        let lr = ui
            .add(
                egui::Slider::new(&mut self.lr, 1e-5..=1e-1)
                    .logarithmic(true)
                    .text("learning rate"),
            )
            .on_hover_text("Adam's step size (may be changed while training)");
        if lr.changed() {
            self.send(RunCommand::SetLr(self.lr));
        }
        ui.add(
            egui::DragValue::new(&mut self.steps)
                .range(1..=100_000_000)
                .prefix("steps "),
        )
        .on_hover_text(
            "A run stops (from Start or Keep training) after this many steps (the time left counts down to it); Keep training goes on for as many again",
        );
        ui.horizontal(|ui| {
            let can_start = program.is_some();
            if self.run.is_none() && !self.restored {
                let start = ui.add_enabled(can_start, egui::Button::new("Start training"));
                super::super::hotspots::mark(ui.ctx(), "train", start.rect);
                if start.clicked()
                    && let Some(p) = program
                {
                    self.start(ui.ctx(), p);
                }
            } else {
                let paused = self.progress.as_ref().is_some_and(|p| p.paused);
                let finished = self.run.as_ref().is_none_or(TrainingRun::is_finished);
                let can_go_on = self.restored || self.ended == Some(EndReason::Done);
                if finished && can_go_on {
                    let hover = if self.restored {
                        format!(
                            "Go on from this net for another {} steps (Adam's moments start afresh, so the first steps may jump: a smaller learning rate goes on gently)",
                            self.steps
                        )
                    } else {
                        format!("Go on from this net for another {} steps", self.steps)
                    };
                    let b = ui.add_enabled(can_start, egui::Button::new("Keep training"));
                    if b.on_hover_text(hover).clicked()
                        && let Some(p) = program
                    {
                        self.keep_training(ui.ctx(), p);
                    }
                }
                if !finished {
                    if paused {
                        if ui.button("Resume").clicked() {
                            self.send(RunCommand::Resume);
                        }
                    } else if ui.button("Pause").clicked() {
                        self.send(RunCommand::Pause);
                    }
                }
                if ui
                    .button("Reset")
                    .on_hover_text("Stop the run and clear its curve; the library forgets it (the net it trained stays on the SGD side in this window)")
                    .clicked()
                {
                    self.reset();
                }
            }
        });
        if let Some(e) = &self.error {
            ui.colored_label(ui.visuals().error_fg_color, e);
        }
        super::train_extra::collapse_ui(ui, self.ended);
        if self.restored
            && let Some(k) = &self.keeper
        {
            ui.weak(format!(
                "Saved with the session: the run on child {}. Keep training goes on from its net (the optimizer's moments start afresh).",
                k.child + 1,
            ));
            if self.target.is_none()
                && let Some(p) = program
            {
                let target = p.render(&Grid::square(self.resolution));
                self.target = Some(texture(ui.ctx(), "train-target", &target));
            }
        }
        if let Some(p) = &self.progress {
            let going = self.training() && !p.paused;
            let rate = if going {
                self.pace.rate().unwrap_or(p.steps_per_sec)
            } else {
                p.steps_per_sec
            };
            let of = self.goal.map_or(String::new(), |g| format!(" of {g}"));
            let left = match (going, self.goal) {
                (true, Some(goal)) => self
                    .pace
                    .time_left(p.step, goal)
                    .map_or(String::new(), |d| {
                        format!("   {} left", keep::duration_text(d))
                    }),
                _ => String::new(),
            };
            let speed = if rate > 0.0 {
                format!("   {rate:.1} steps/s")
            } else {
                String::new()
            };
            ui.label(format!(
                "step {}{of}{speed}{left}   {} forward passes   loss {:.2e}   PSNR {:.2} dB{}",
                p.step,
                p.forward_passes,
                p.loss,
                p.psnr,
                match (p.paused, self.ended) {
                    (_, Some(EndReason::Collapsed(_))) => "   (collapsed)".into(),
                    (_, Some(r)) => format!("   ({r:?})"),
                    (true, None) => "   (paused)".into(),
                    _ => String::new(),
                }
            ));
        }
        // Target and output shrink so that they and the loss plot fit in the visible
        // part of the panel: the plot is what one watches while training.
        let room = ui.clip_rect().bottom() - ui.cursor().top() - LOSS_PLOT_HEIGHT - 60.0;
        let side = ((ui.available_width() - 8.0) / 2.0)
            .min(room)
            .clamp(64.0, 256.0);
        ui.horizontal(|ui| {
            for (tex, name) in [(&self.target, "target"), (&self.output, "SGD output")] {
                ui.vertical(|ui| {
                    ui.label(name);
                    match tex {
                        Some(t) => ui.image((t.id(), egui::vec2(side, side))),
                        None => {
                            ui.allocate_exact_size(egui::vec2(side, side), egui::Sense::hover())
                                .1
                        }
                    };
                });
            }
        });
        if !self.losses.is_empty() {
            ui.horizontal(|ui| {
                ui.label("log10 loss");
                self.curve_export.button(ui);
            });
            let plot = Plot::new("loss")
                .height(LOSS_PLOT_HEIGHT)
                .allow_scroll(false)
                .show(ui, |plot| {
                    plot.line(Line::new("loss", PlotPoints::from(self.losses.clone())));
                });
            self.plot_rect = Some(plot.response.rect);
        }
    }

    fn send(&self, c: RunCommand) {
        if let Some(run) = &self.run {
            run.send(c);
        }
    }

    fn settings_ui(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            ui.label("network");
            ui.selectable_value(
                &mut self.arch,
                ArchChoice::Paper,
                "paper (layerized genome)",
            );
            ui.selectable_value(&mut self.arch, ArchChoice::Mlp, "plain MLP");
        });
        if self.arch == ArchChoice::Mlp {
            ui.horizontal(|ui| {
                ui.add(
                    egui::DragValue::new(&mut self.depth)
                        .range(1..=64)
                        .prefix("depth "),
                );
                ui.add(
                    egui::DragValue::new(&mut self.width)
                        .range(1..=256)
                        .prefix("width "),
                );
                egui::ComboBox::from_id_salt("mlp-act")
                    .selected_text(self.activation.name())
                    .show_ui(ui, |ui| {
                        for a in Activation::ALL {
                            ui.selectable_value(&mut self.activation, a, a.name());
                        }
                    });
                ui.checkbox(&mut self.bias, "biases");
            });
        }
        self.method_ui(ui);
        ui.horizontal(|ui| {
            egui::ComboBox::from_label("resolution")
                .selected_text(format!("{0}x{0}", self.resolution))
                .show_ui(ui, |ui| {
                    for r in [64, 128, 256, 512] {
                        ui.selectable_value(&mut self.resolution, r, format!("{r}x{r}"));
                    }
                });
            let mut full = self.minibatch.is_none();
            ui.checkbox(&mut full, "full batch")
                .on_hover_text("Every pixel in every step (else a random batch of pixels)");
            if full {
                self.minibatch = None;
            } else {
                let mut n = self.minibatch.unwrap_or(4096);
                ui.add(
                    egui::DragValue::new(&mut n)
                        .range(64..=262_144)
                        .prefix("pixels "),
                );
                self.minibatch = Some(n);
            }
        });
        ui.horizontal(|ui| {
            ui.checkbox(&mut self.unit_norm, "unit-norm gradient (paper)")
                .on_hover_text("Scale each step's gradient to length 1, as the paper trains");
            ui.add(egui::DragValue::new(&mut self.seed).prefix("seed "))
                .on_hover_text(
                    "Seeds the starting weights (and batches): the same seed, the same run",
                );
        });
        ui.checkbox(&mut self.straight_through, "straight-through colour (not the paper's)")
            .on_hover_text("let gradient through saturated colour clamps: a way out of runs that collapse to a blank picture");
    }

    /// The training method, from the one list (`sgd::method::METHODS`), and its
    /// parameter where it has one.
    fn method_ui(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            let current = self.method.entry();
            // Tall enough for the whole list: a method scrolled out of sight is one
            // nobody finds.
            egui::ComboBox::from_label("method")
                .selected_text(current.name)
                .height(f32::INFINITY)
                .show_ui(ui, |ui| {
                    for e in METHODS {
                        let chosen = e.name == current.name;
                        if ui
                            .selectable_label(chosen, e.name)
                            .on_hover_text(e.doc)
                            .clicked()
                            && !chosen
                        {
                            self.method = (e.make)(e.param.as_ref().map_or(0.0, |p| p.default));
                        }
                    }
                })
                .response
                .on_hover_text(current.doc);
            if let (Some(p), Some(mut v)) = (&current.param, self.method.param()) {
                let drag = egui::DragValue::new(&mut v)
                    .range(0.0..=p.max)
                    .speed(1e-4)
                    .max_decimals(5)
                    .prefix(format!("{} ", p.name.to_lowercase()));
                if ui.add(drag).changed() {
                    self.method = (current.make)(v);
                }
            }
        });
    }
}
