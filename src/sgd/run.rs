//! A training run on its own thread, driven by commands and streaming progress: what
//! the GUI's SGD panel (and the CLI) use, so that no frame ever waits for a step.
//!
//! ```no_run
//! # use picbreeder::sgd::run::{RunCommand, Event, RunOptions, TrainingRun};
//! # fn demo(trainer: picbreeder::sgd::trainer::Trainer) -> std::io::Result<()> {
//! let run = TrainingRun::spawn(trainer, RunOptions { max_steps: Some(1000), ..RunOptions::default() })?;
//! // Each frame: take whatever has arrived, never block.
//! for event in run.poll() {
//!     match event {
//!         Event::Progress(p) => println!("step {} loss {:.2e} {:.1} dB", p.step, p.loss, p.psnr),
//!         Event::Snapshot { step, net } => { /* redraw the image and gallery from `net` */ }
//!         Event::Finished { .. } => {}
//!     }
//! }
//! run.send(RunCommand::SetLr(1e-3));
//! run.send(RunCommand::Pause);
//! # Ok(())
//! # }
//! ```
//!
//! The worker reports [`Event::Progress`] at most every [`RunOptions::progress_every`]
//! (every loss since the last report travels with it, for a complete loss curve), an
//! [`Event::Snapshot`] of the network every [`RunOptions::snapshot_every`], and exactly
//! one [`Event::Finished`] at the end (with the trained network). While paused it sleeps
//! on the command channel. Dropping the handle stops the run after its current step
//! without waiting for it.

use super::trainer::{Trainer, psnr_of_mse};
use crate::dense::net::DenseNet;
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender, TryRecvError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// What the owner can tell a running training.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum RunCommand {
    /// Stop taking steps until [`RunCommand::Resume`] (progress still reports the pause).
    Pause,
    Resume,
    /// End the run after the current step; a [`Event::Finished`] follows.
    Stop,
    /// Use this learning rate from the next step on (ignored unless positive).
    SetLr(f32),
}

/// How a run reports and when it ends.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RunOptions {
    /// Stop after this many steps in total (`None`: run until stopped).
    pub max_steps: Option<u64>,
    /// Least time between progress reports.
    pub progress_every: Duration,
    /// Least time between network snapshots (`None`: no snapshots before the end).
    pub snapshot_every: Option<Duration>,
    /// Start paused (the first [`RunCommand::Resume`] starts it).
    pub start_paused: bool,
    /// Also send a snapshot at every [`is_path_step`] (the initial net included), for
    /// the path view, whatever the time since the last one.
    pub path_snapshots: bool,
}

/// The steps a run keeps for the paper's path figures when its length is not known in
/// advance: 0, 100, 200, 400, then every 1,000 (a skull-sized net's snapshot is 22 kB,
/// so 100,000 steps keep 2 MB).
pub fn is_path_step(step: u64) -> bool {
    matches!(step, 0 | 100 | 200 | 400) || step.is_multiple_of(1000)
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            max_steps: None,
            progress_every: Duration::from_millis(100),
            snapshot_every: Some(Duration::from_millis(500)),
            start_paused: false,
            path_snapshots: false,
        }
    }
}

/// A progress report.
#[derive(Clone, Debug, PartialEq)]
pub struct RunProgress {
    /// Steps done so far.
    pub step: u64,
    /// Loss (batch MSE on RGB in [0, 1]) of the latest step.
    pub loss: f64,
    /// `10 log10(1 / loss)`: the latest loss as PSNR in dB (for full batch, within
    /// rounding of the 8-bit image's PSNR).
    pub psnr: f64,
    /// Steps per second since the previous report (0 while paused).
    pub steps_per_sec: f64,
    /// Forward passes over the batch so far (the budget unit every method is counted
    /// in: [`super::trainer::TrainConfig::passes_per_step`]).
    pub forward_passes: u64,
    /// The learning rate in use.
    pub lr: f32,
    pub paused: bool,
    /// `(step, loss)` of every step since the previous report.
    pub losses: Vec<(u64, f64)>,
}

/// Why a run ended.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum EndReason {
    /// Reached [`RunOptions::max_steps`].
    Done,
    /// Got [`RunCommand::Stop`] (or the handle was dropped).
    Stopped,
    /// The loss stopped being a finite number (e.g. a learning rate far too large).
    Diverged,
    /// The network cannot learn (a zero gradient or an unmoving loss; see
    /// [`super::collapse`]).
    Collapsed(super::collapse::Collapse),
}

/// What a run sends back.
#[derive(Clone, Debug)]
pub enum Event {
    Progress(RunProgress),
    /// The network as it was after `step` steps.
    Snapshot {
        step: u64,
        net: DenseNet,
    },
    /// The last event of a run.
    Finished {
        reason: EndReason,
        /// The final report (its `losses` are those since the previous report).
        progress: RunProgress,
        net: DenseNet,
    },
}

/// Told on the training thread that an event was sent.
pub type Notify = Arc<dyn Fn() + Send + Sync>;

/// Where the training thread sends its events: the channel, then the notice.
struct Outbox {
    tx: Sender<Event>,
    notify: Option<Notify>,
}

impl Outbox {
    /// False once the owner is gone.
    fn send(&self, event: Event) -> bool {
        let sent = self.tx.send(event).is_ok();
        if let Some(n) = &self.notify {
            n();
        }
        sent
    }
}

/// The owner's handle on a training thread. All methods return at once.
pub struct TrainingRun {
    commands: Sender<RunCommand>,
    events: Receiver<Event>,
    thread: Option<JoinHandle<Trainer>>,
}

impl TrainingRun {
    /// Starts training `trainer` on a new thread (its steps use the rayon pool); an
    /// error if the system cannot start one.
    pub fn spawn(trainer: Trainer, options: RunOptions) -> std::io::Result<TrainingRun> {
        TrainingRun::spawn_notifying(trainer, options, None)
    }

    /// As [`TrainingRun::spawn`]; `notify` is called on the training thread after each
    /// event it sends (a window asks for a repaint, so progress shows with no input).
    pub fn spawn_notifying(
        trainer: Trainer,
        options: RunOptions,
        notify: Option<Notify>,
    ) -> std::io::Result<TrainingRun> {
        let (commands, command_rx) = mpsc::channel();
        let (tx, events) = mpsc::channel();
        let outbox = Outbox { tx, notify };
        let thread = std::thread::Builder::new()
            .name("sgd-training".into())
            .spawn(move || worker(trainer, options, &command_rx, &outbox))?;
        Ok(TrainingRun {
            commands,
            events,
            thread: Some(thread),
        })
    }

    /// Sends a command; a run that has already ended ignores it.
    pub fn send(&self, command: RunCommand) {
        let _ = self.commands.send(command);
    }

    /// The next event if one has arrived.
    pub fn try_recv(&self) -> Option<Event> {
        self.events.try_recv().ok()
    }

    /// Every event that has arrived, oldest first.
    pub fn poll(&self) -> Vec<Event> {
        std::iter::from_fn(|| self.try_recv()).collect()
    }

    /// Waits up to `timeout` for the next event (for the CLI and tests; the GUI polls).
    pub fn recv_timeout(&self, timeout: Duration) -> Option<Event> {
        self.events.recv_timeout(timeout).ok()
    }

    /// Whether the worker thread has ended (its last events may still be unread).
    pub fn is_finished(&self) -> bool {
        self.thread.as_ref().is_none_or(JoinHandle::is_finished)
    }

    /// Stops the run and waits for the thread, giving back the trainer (with its Adam
    /// state, so training can go on later). Unread events are dropped.
    pub fn stop_and_join(mut self) -> Option<Trainer> {
        self.send(RunCommand::Stop);
        self.thread.take().and_then(|t| t.join().ok())
    }
}

impl Drop for TrainingRun {
    fn drop(&mut self) {
        // Detach: the worker sees the stop (or the closed channel) after its step.
        let _ = self.commands.send(RunCommand::Stop);
    }
}

fn worker(
    mut trainer: Trainer,
    options: RunOptions,
    commands: &Receiver<RunCommand>,
    events: &Outbox,
) -> Trainer {
    let mut paused = options.start_paused;
    let mut losses: Vec<(u64, f64)> = vec![];
    let mut last_loss = f64::NAN;
    let mut last_report = Instant::now();
    let mut steps_at_report = trainer.steps_done();
    let mut last_snapshot = Instant::now();
    let report = |trainer: &Trainer,
                  losses: &mut Vec<(u64, f64)>,
                  loss: f64,
                  paused: bool,
                  since: &mut Instant,
                  steps_at: &mut u64| {
        let secs = since.elapsed().as_secs_f64();
        let done = trainer.steps_done() - *steps_at;
        *since = Instant::now();
        *steps_at = trainer.steps_done();
        RunProgress {
            step: trainer.steps_done(),
            loss,
            psnr: psnr_of_mse(loss),
            steps_per_sec: if secs > 0.0 { done as f64 / secs } else { 0.0 },
            forward_passes: trainer.forward_passes(),
            lr: trainer.lr(),
            paused,
            losses: std::mem::take(losses),
        }
    };
    if options.path_snapshots && trainer.steps_done() == 0 {
        let _ = events.send(Event::Snapshot {
            step: 0,
            net: trainer.net(),
        });
    }
    let reason = 'run: loop {
        // Commands: block while paused, otherwise just drain.
        loop {
            let next = if paused {
                match commands.recv_timeout(Duration::from_millis(250)) {
                    Ok(c) => Some(c),
                    Err(RecvTimeoutError::Timeout) => None,
                    Err(RecvTimeoutError::Disconnected) => break 'run EndReason::Stopped,
                }
            } else {
                match commands.try_recv() {
                    Ok(c) => Some(c),
                    Err(TryRecvError::Empty) => None,
                    Err(TryRecvError::Disconnected) => break 'run EndReason::Stopped,
                }
            };
            match next {
                Some(RunCommand::Stop) => break 'run EndReason::Stopped,
                Some(RunCommand::SetLr(lr)) => trainer.set_lr(lr),
                Some(RunCommand::Pause) if !paused => {
                    paused = true;
                    let p = report(
                        &trainer,
                        &mut losses,
                        last_loss,
                        true,
                        &mut last_report,
                        &mut steps_at_report,
                    );
                    if !events.send(Event::Progress(p)) {
                        break 'run EndReason::Stopped;
                    }
                }
                Some(RunCommand::Resume) if paused => {
                    paused = false;
                    last_report = Instant::now();
                }
                Some(_) => {}
                None if paused => {}
                None => break,
            }
        }
        if options.max_steps.is_some_and(|m| trainer.steps_done() >= m) {
            break EndReason::Done;
        }
        let stats = trainer.step();
        last_loss = stats.loss;
        losses.push((stats.step, stats.loss));
        if !stats.loss.is_finite() {
            break EndReason::Diverged;
        }
        if let Some(c) = stats.collapse {
            break EndReason::Collapsed(c);
        }
        if last_report.elapsed() >= options.progress_every {
            let p = report(
                &trainer,
                &mut losses,
                last_loss,
                false,
                &mut last_report,
                &mut steps_at_report,
            );
            if !events.send(Event::Progress(p)) {
                break EndReason::Stopped;
            }
        }
        let path_step = options.path_snapshots && is_path_step(trainer.steps_done());
        if path_step
            || options
                .snapshot_every
                .is_some_and(|every| last_snapshot.elapsed() >= every)
        {
            last_snapshot = Instant::now();
            let snap = Event::Snapshot {
                step: trainer.steps_done(),
                net: trainer.net(),
            };
            if !events.send(snap) {
                break EndReason::Stopped;
            }
        }
    };
    let progress = report(
        &trainer,
        &mut losses,
        last_loss,
        paused,
        &mut last_report,
        &mut steps_at_report,
    );
    let _ = events.send(Event::Finished {
        reason,
        progress,
        net: trainer.net(),
    });
    trainer
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activation::Activation;
    use crate::dense::net::NetOutputs;
    use crate::image::Image;
    use crate::sgd::init::mlp;
    use crate::sgd::trainer::TrainConfig;

    fn trainer() -> Trainer {
        let mut target = Image::new(24, 24);
        for (i, px) in target.rgba.chunks_mut(4).enumerate() {
            let v = if (i / 24 + i % 24) % 7 < 3 { 230 } else { 20 };
            px.copy_from_slice(&[v, v, v, 255]);
        }
        let net = mlp(2, 8, Activation::Tanh, false, NetOutputs::Grey, 1);
        Trainer::new(
            net,
            &target,
            TrainConfig {
                lr: 1e-2,
                ..TrainConfig::default()
            },
        )
        .unwrap()
    }

    /// Waits for the run's `Finished` event, collecting everything before it.
    fn finish(run: &TrainingRun) -> (Vec<Event>, EndReason, RunProgress, DenseNet) {
        let mut seen = vec![];
        loop {
            match run
                .recv_timeout(Duration::from_secs(60))
                .expect("the run reports")
            {
                Event::Finished {
                    reason,
                    progress,
                    net,
                } => return (seen, reason, progress, net),
                e => seen.push(e),
            }
        }
    }

    #[test]
    fn every_event_sent_is_notified() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let opts = RunOptions {
            max_steps: Some(50),
            progress_every: Duration::ZERO,
            snapshot_every: None,
            start_paused: false,
            path_snapshots: false,
        };
        let told = Arc::new(AtomicUsize::new(0));
        let t = Arc::clone(&told);
        let notify: Notify = Arc::new(move || {
            t.fetch_add(1, Ordering::SeqCst);
        });
        let run = TrainingRun::spawn_notifying(trainer(), opts, Some(notify)).unwrap();
        let (events, ..) = finish(&run);
        // The last notice follows the last event: wait for the thread to end.
        while !run.is_finished() {
            std::thread::sleep(Duration::from_millis(1));
        }
        // Every progress report and the end, each told as it was sent.
        assert_eq!(told.load(Ordering::SeqCst), events.len() + 1);
        assert!(events.len() >= 2, "{} events", events.len());
    }

    #[test]
    fn runs_to_max_steps_with_every_loss_reported() {
        let opts = RunOptions {
            max_steps: Some(300),
            progress_every: Duration::ZERO,
            snapshot_every: Some(Duration::ZERO),
            start_paused: false,
            path_snapshots: false,
        };
        let run = TrainingRun::spawn(trainer(), opts).unwrap();
        let (events, reason, last, net) = finish(&run);
        assert_eq!(reason, EndReason::Done);
        assert_eq!(last.step, 300);
        let mut steps: Vec<u64> = events
            .iter()
            .filter_map(|e| match e {
                Event::Progress(p) => Some(p.losses.iter().map(|l| l.0).collect::<Vec<_>>()),
                _ => None,
            })
            .flatten()
            .collect();
        steps.extend(last.losses.iter().map(|l| l.0));
        assert_eq!(
            steps,
            (1..=300).collect::<Vec<_>>(),
            "every step's loss, once, in order"
        );
        assert!(events.iter().any(|e| matches!(e, Event::Snapshot { .. })));
        let first_loss = events
            .iter()
            .find_map(|e| match e {
                Event::Progress(p) => p.losses.first().map(|l| l.1),
                _ => None,
            })
            .unwrap();
        assert!(
            last.loss < 0.75 * first_loss,
            "{first_loss} -> {}",
            last.loss
        );
        assert!(last.psnr > psnr_of_mse(first_loss));
        assert!(net.check().is_ok());
        let trainer = run.stop_and_join().unwrap();
        assert_eq!(trainer.steps_done(), 300);
        assert_eq!(trainer.net(), net);
    }

    #[test]
    fn path_snapshots_come_at_the_path_steps_only() {
        let opts = RunOptions {
            max_steps: Some(1000),
            snapshot_every: None,
            path_snapshots: true,
            ..RunOptions::default()
        };
        let run = TrainingRun::spawn(trainer(), opts).unwrap();
        let (events, reason, _, net) = finish(&run);
        assert_eq!(reason, EndReason::Done);
        let snaps: Vec<(u64, &DenseNet)> = events
            .iter()
            .filter_map(|e| match e {
                Event::Snapshot { step, net } => Some((*step, net)),
                _ => None,
            })
            .collect();
        let steps: Vec<u64> = snaps.iter().map(|s| s.0).collect();
        assert_eq!(steps, [0, 100, 200, 400, 1000]);
        // The snapshot at the last step is the net the run ends with; the first differs.
        assert_eq!(snaps[4].1, &net);
        assert_ne!(snaps[0].1, &net);
    }

    #[test]
    fn pause_resume_lr_and_stop() {
        let opts = RunOptions {
            start_paused: true,
            progress_every: Duration::ZERO,
            snapshot_every: None,
            ..RunOptions::default()
        };
        let run = TrainingRun::spawn(trainer(), opts).unwrap();
        std::thread::sleep(Duration::from_millis(150));
        assert!(run.poll().is_empty(), "a paused run takes no steps");
        run.send(RunCommand::SetLr(2e-3));
        run.send(RunCommand::Resume);
        // Wait for some steps.
        let mut step = 0;
        while step < 20 {
            if let Some(Event::Progress(p)) = run.recv_timeout(Duration::from_secs(30)) {
                step = p.step;
                assert_eq!(p.lr, 2e-3);
            }
        }
        run.send(RunCommand::Pause);
        // After the pause report, no more steps.
        let paused_at = loop {
            match run.recv_timeout(Duration::from_secs(30)).unwrap() {
                Event::Progress(p) if p.paused => break p.step,
                _ => {}
            }
        };
        std::thread::sleep(Duration::from_millis(100));
        assert!(run.poll().is_empty());
        run.send(RunCommand::Resume);
        run.send(RunCommand::Stop);
        let (_, reason, last, _) = finish(&run);
        assert_eq!(reason, EndReason::Stopped);
        assert!(last.step >= paused_at);
        assert!(run.is_finished() || run.stop_and_join().is_some());
    }

    #[test]
    fn an_endless_run_stops_on_request() {
        let run = TrainingRun::spawn(trainer(), RunOptions::default()).unwrap();
        while run
            .recv_timeout(Duration::from_secs(30))
            .is_some_and(|e| match e {
                Event::Progress(p) => p.step < 5,
                _ => true,
            })
        {}
        let t = run
            .stop_and_join()
            .expect("the worker hands the trainer back");
        assert!(t.steps_done() >= 5);
    }
}
