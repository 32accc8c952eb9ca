//! Two policies over [`Task`] for the side views' work. [`Latest`]: newest wins, so
//! dragging a slider never queues up stale renders. [`Writes`]: every write the user
//! asked for runs, none is overtaken, and each says how it went.

use super::task::{Polled, Task, repaint};
use eframe::egui;

type Request<T> = Box<dyn FnOnce() -> T + Send>;

/// At most one job runs; of the requests made meanwhile only the newest waits, and it
/// starts when the running one is taken in.
pub struct Latest<T> {
    running: Option<Task<T>>,
    waiting: Option<(egui::Context, Request<T>)>,
}

impl<T> Default for Latest<T> {
    fn default() -> Self {
        Latest {
            running: None,
            waiting: None,
        }
    }
}

/// A task that asks `ctx` for a repaint when it ends.
fn spawn<T: Send + 'static>(
    name: &str,
    ctx: &egui::Context,
    job: impl FnOnce() -> T + Send + 'static,
) -> Task<T> {
    Task::spawn(name, Some(repaint(ctx)), |_| job())
}

impl<T: Send + 'static> Latest<T> {
    /// Asks for `job` to run; a repaint is requested when it is done.
    pub fn request(&mut self, ctx: &egui::Context, job: impl FnOnce() -> T + Send + 'static) {
        if self.running.is_some() {
            self.waiting = Some((ctx.clone(), Box::new(job)));
        } else {
            self.running = Some(spawn("inspect", ctx, job));
        }
    }

    /// The result of the job that ran, once it is in (even if a newer one waits: a
    /// picture a step behind beats none); the waiting job then starts.
    pub fn take(&mut self) -> Option<T> {
        let result = match self.running.as_mut()?.poll() {
            Polled::Running => return None,
            Polled::Done(t) => Some(t),
            Polled::Lost => None,
        };
        self.running = self
            .waiting
            .take()
            .map(|(ctx, job)| spawn("inspect", &ctx, job));
        result
    }

    /// A requested job has not come back yet.
    pub fn busy(&self) -> bool {
        self.running.is_some()
    }
}

/// Files being written, each on its own task: `Ok` says what was written, `Err` what
/// went wrong.
#[derive(Default)]
pub struct Writes {
    running: Vec<Task<Result<String, String>>>,
}

impl Writes {
    pub fn request(
        &mut self,
        ctx: &egui::Context,
        job: impl FnOnce() -> Result<String, String> + Send + 'static,
    ) {
        self.running.push(spawn("write", ctx, job));
    }

    /// How the last write that finished since the last call went.
    pub fn take(&mut self) -> Option<Result<String, String>> {
        let mut last = None;
        self.running.retain_mut(|t| match t.poll() {
            Polled::Running => true,
            Polled::Done(r) => {
                last = Some(r);
                false
            }
            Polled::Lost => {
                last = Some(Err("a write stopped on an internal error".into()));
                false
            }
        });
        last
    }

    pub fn busy(&self) -> bool {
        !self.running.is_empty()
    }
}

/// Uploads an image as a texture (nearest filtering keeps neuron pixels crisp).
pub fn texture(
    ctx: &egui::Context,
    name: &str,
    img: &picbreeder::image::Image,
) -> egui::TextureHandle {
    ctx.load_texture(
        name,
        super::thumbs::to_color_image(img),
        egui::TextureOptions::NEAREST,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn newest_result_wins() {
        let ctx = egui::Context::default();
        let mut l: Latest<u32> = Latest::default();
        for i in 0..20 {
            l.request(&ctx, move || {
                std::thread::sleep(std::time::Duration::from_millis(2));
                i
            });
        }
        let start = std::time::Instant::now();
        let mut last = None;
        while l.busy() && start.elapsed().as_secs() < 10 {
            if let Some(v) = l.take() {
                last = Some(v);
            }
        }
        assert_eq!(last.or_else(|| l.take()), Some(19));
        assert!(!l.busy());
    }

    #[test]
    fn every_write_runs_and_reports() {
        let ctx = egui::Context::default();
        let mut w = Writes::default();
        let done = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        for i in 0..10 {
            let d = Arc::clone(&done);
            w.request(&ctx, move || {
                d.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if i == 9 {
                    Err("no".into())
                } else {
                    Ok(format!("wrote {i}"))
                }
            });
        }
        let start = std::time::Instant::now();
        let mut reports = 0;
        while w.busy() && start.elapsed().as_secs() < 10 {
            reports += usize::from(w.take().is_some());
        }
        assert_eq!(
            done.load(std::sync::atomic::Ordering::Relaxed),
            10,
            "none overtaken"
        );
        assert!(reports >= 1);
    }
}
