//! Rendering off the UI thread.
//!
//! A [`RenderPool`] is a few worker threads fed by one channel of [`RenderJob`]s; finished images go
//! back over another channel, and every result asks the UI for a repaint. Each job
//! carries a shared [`PixelProgress`]: the UI can watch it (pixels done) and cancel it, and a
//! worker skips a job that was cancelled before it started. Each pool evaluates inside
//! its own rayon pool, so a huge render in one pool cannot starve the thumbnails in the
//! other: the operating system shares the cores between them.

use picbreeder::cppn::Program;
use picbreeder::grid::Grid;
use picbreeder::image::Image;
use picbreeder::io::export::{Drawing, export_png};
use picbreeder::network::RenderSteps;
use picbreeder::steps::{PixelProgress, evaluate_steps_watched};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Asks the UI for another frame; called from worker threads.
pub type Wake = Arc<dyn Fn() + Send + Sync>;

/// Least time between two repaints a worker asks for: news more frequent than this (a
/// training step, a pixel band) is shown at most about 30 times a second.
pub const REPAINT_GAP: Duration = Duration::from_millis(33);

/// When a worker last asked for a repaint, and whether one is still to come.
#[derive(Default)]
struct Asked {
    /// Before this, a new request waits for the end of the gap.
    next_free: Option<Instant>,
    /// A repaint asked for at this time, not yet come.
    scheduled: Option<Instant>,
}

/// The [`Wake`] that asks `ctx` for a repaint: at once, or, within [`REPAINT_GAP`] of the
/// last, once at the end of the gap (so the last news is never left unshown until the
/// mouse moves).
pub fn repaint(ctx: &eframe::egui::Context) -> Wake {
    let ctx = ctx.clone();
    let asked = Mutex::new(Asked::default());
    Arc::new(move || {
        let now = Instant::now();
        let Ok(mut a) = asked.lock() else {
            ctx.request_repaint();
            return;
        };
        if a.scheduled.is_some_and(|s| now < s) {
            return;
        }
        match a.next_free {
            Some(free) if now < free => {
                ctx.request_repaint_after(free - now);
                a.scheduled = Some(free);
                a.next_free = Some(free + REPAINT_GAP);
            }
            _ => {
                ctx.request_repaint();
                a.scheduled = None;
                a.next_free = Some(now + REPAINT_GAP);
            }
        }
    })
}

/// A [`Wake`] for work started before the window's context is known (the library read
/// at start, the savers): it wakes nothing until [`LateWake::set`] on the first frame.
#[derive(Clone, Default)]
pub struct LateWake(Arc<OnceLock<Wake>>);

impl LateWake {
    pub fn set(&self, wake: Wake) {
        let _ = self.0.set(wake);
    }

    pub fn wake(&self) -> Wake {
        let late = Arc::clone(&self.0);
        Arc::new(move || {
            if let Some(w) = late.get() {
                w();
            }
        })
    }
}

/// What the UI wants done with a finished image (beyond showing it).
#[derive(Clone, Debug, PartialEq)]
pub enum Purpose {
    /// Show it; the key names it in a texture cache.
    Show(u64),
    /// Write it as PNG to this path (on the worker thread), carrying the genome drawn
    /// so that opening the picture opens it.
    Export(std::path::PathBuf, Arc<picbreeder::cppn::Genome>),
}

/// One picture to render.
pub struct RenderJob {
    pub purpose: Purpose,
    pub program: Arc<Program>,
    pub grid: Grid,
    pub progress: Arc<PixelProgress>,
}

/// A finished (or failed, or abandoned) job.
pub struct Done {
    pub purpose: Purpose,
    /// `None` when the job was cancelled.
    pub result: Option<Result<Image, String>>,
}

/// Worker threads fed by a channel. If no thread can be started, jobs run on the
/// calling thread (a slow frame, never a panic or a lost picture).
pub struct RenderPool {
    jobs: Option<Sender<RenderJob>>,
    results: Receiver<Done>,
    /// Where jobs run on the calling thread report.
    inline: Sender<Done>,
    threads: Vec<JoinHandle<()>>,
}

/// Renders a program's output image over `grid`, giving up after `progress.cancel()`.
pub fn render_watched(program: &Program, grid: &Grid, progress: &PixelProgress) -> Option<Image> {
    let planes = evaluate_steps_watched(&program.steps, grid, &program.outputs.planes(), progress)?;
    Some(Image::from_planes(&planes, program.outputs.colours()))
}

impl RenderPool {
    /// `workers` threads taking jobs in turn, evaluating on a rayon pool of `rayon_threads`
    /// (no worker, or none that starts: jobs run on the calling thread).
    pub fn new(name: &str, workers: usize, rayon_threads: usize, wake: Wake) -> RenderPool {
        let (job_tx, job_rx) = channel::<RenderJob>();
        let (done_tx, done_rx) = channel::<Done>();
        let job_rx = Arc::new(Mutex::new(job_rx));
        // Without a pool of its own, a job evaluates on rayon's global pool.
        let rayon_pool = rayon::ThreadPoolBuilder::new()
            .num_threads(rayon_threads.max(1))
            .thread_name({
                let name = name.to_string();
                move |i| format!("{name}-rayon-{i}")
            })
            .build()
            .ok()
            .map(Arc::new);
        let threads: Vec<JoinHandle<()>> = (0..workers)
            .filter_map(|i| {
                let job_rx = Arc::clone(&job_rx);
                let done_tx = done_tx.clone();
                let rayon_pool = rayon_pool.clone();
                let wake = Arc::clone(&wake);
                std::thread::Builder::new()
                    .name(format!("{name}-{i}"))
                    .spawn(move || {
                        loop {
                            // Hold the lock only while taking a job.
                            let job = match job_rx.lock() {
                                Ok(rx) => rx.recv(),
                                Err(_) => return,
                            };
                            let Ok(job) = job else { return };
                            let done = match &rayon_pool {
                                Some(pool) => pool.install(|| finish(job)),
                                None => finish(job),
                            };
                            if done_tx.send(done).is_err() {
                                return;
                            }
                            wake();
                        }
                    })
                    .ok()
            })
            .collect();
        RenderPool {
            jobs: (!threads.is_empty()).then_some(job_tx),
            results: done_rx,
            inline: done_tx,
            threads,
        }
    }

    pub fn submit(&self, job: RenderJob) {
        match &self.jobs {
            // Fails only if every worker has died; the job is then simply dropped.
            Some(tx) => {
                let _ = tx.send(job);
            }
            None => {
                let _ = self.inline.send(finish(job));
            }
        }
    }

    /// Finished jobs so far, without waiting.
    pub fn finished(&self) -> Vec<Done> {
        self.results.try_iter().collect()
    }
}

/// Runs a job unless it was cancelled before it started.
fn finish(job: RenderJob) -> Done {
    let result = if job.progress.is_cancelled() {
        None
    } else {
        run(&job)
    };
    Done {
        purpose: job.purpose,
        result,
    }
}

/// A shown picture, or an export written band by band straight to its file (its result
/// then holds an empty image: the picture went to the file).
fn run(job: &RenderJob) -> Option<Result<Image, String>> {
    match &job.purpose {
        Purpose::Show(_) => render_watched(&job.program, &job.grid, &job.progress).map(Ok),
        Purpose::Export(path, genome) => {
            let steps = RenderSteps::of_program(&job.program);
            let drawing = Drawing::of(&steps, Some(genome));
            let written = export_png(&drawing, &job.grid, path, &job.progress)?;
            Some(
                written
                    .map(|()| Image::new(0, 0))
                    .map_err(|e| e.to_string()),
            )
        }
    }
}

impl Drop for RenderPool {
    fn drop(&mut self) {
        // Closing the channel ends every worker once it finishes its current job.
        self.jobs = None;
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use picbreeder::cppn::{Activation, Genome, Link, Marking};
    use std::time::{Duration, Instant};

    pub fn ring() -> Genome {
        let mut g = Genome::grey_skeleton(Activation::Sin);
        g.links.push(Link {
            id: Marking::new(0, 5),
            source: Marking::new(0, 2),
            target: Marking::new(0, 4),
            weight: 3.0,
        });
        g
    }

    fn wait(pool: &RenderPool, n: usize) -> Vec<Done> {
        let start = Instant::now();
        let mut out = Vec::new();
        while out.len() < n {
            out.extend(pool.finished());
            assert!(start.elapsed() < Duration::from_secs(20), "workers stalled");
            std::thread::sleep(Duration::from_millis(2));
        }
        out
    }

    #[test]
    fn a_burst_of_news_asks_for_one_repaint_now_and_one_at_the_end_of_the_gap() {
        let ctx = eframe::egui::Context::default();
        let asked = Arc::new(Mutex::new(Vec::<Duration>::new()));
        let seen = Arc::clone(&asked);
        ctx.set_repaint_observer(move |info| seen.lock().unwrap().push(info.delay));
        let wake = repaint(&ctx);
        let start = Instant::now();
        for _ in 0..1000 {
            wake();
        }
        assert!(
            start.elapsed() < REPAINT_GAP,
            "the burst took too long to test"
        );
        let burst = asked.lock().unwrap().clone();
        assert_eq!(burst.len(), 2, "{burst:?}");
        assert_eq!(burst[0], Duration::ZERO, "the first news at once");
        assert!(
            burst[1] > Duration::ZERO && burst[1] <= REPAINT_GAP,
            "{burst:?}"
        );
        // Once the news has stopped for a while, the next is shown at once.
        std::thread::sleep(REPAINT_GAP * 3);
        wake();
        assert_eq!(asked.lock().unwrap().last(), Some(&Duration::ZERO));
    }

    #[test]
    fn renders_and_skips_cancelled_jobs() {
        // Two workers; none (every job on the calling thread, as when none starts).
        for workers in [2, 0] {
            let pool = RenderPool::new("test", workers, 1, Arc::new(|| {}));
            let program = Arc::new(Program::compile(&ring()).unwrap());
            let cancelled = Arc::new(PixelProgress::default());
            cancelled.cancel();
            for (k, progress) in [(1, Arc::default()), (2, cancelled)] {
                pool.submit(RenderJob {
                    purpose: Purpose::Show(k),
                    program: Arc::clone(&program),
                    grid: Grid::square(16),
                    progress,
                });
            }
            let mut done = wait(&pool, 2);
            done.sort_by_key(|d| match d.purpose {
                Purpose::Show(k) => k,
                Purpose::Export(..) => 0,
            });
            let img = done[0].result.as_ref().unwrap().as_ref().unwrap();
            assert_eq!((img.width, img.height), (16, 16));
            assert!(done[1].result.is_none());
        }
    }
}
