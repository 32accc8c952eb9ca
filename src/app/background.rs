//! One kind of job off the UI thread, newest wins: a worker thread runs the most
//! recent request and drops the ones that were overtaken while it was busy, so
//! dragging a slider never queues up stale renders.

use eframe::egui;
use std::sync::mpsc::{Receiver, Sender, channel};

type Request<T> = Box<dyn FnOnce() -> T + Send>;

pub struct Latest<T> {
    jobs: Option<Sender<(u64, Request<T>)>>,
    results: Option<Receiver<(u64, T)>>,
    sent: u64,
    got: u64,
}

impl<T> Default for Latest<T> {
    fn default() -> Self {
        Latest {
            jobs: None,
            results: None,
            sent: 0,
            got: 0,
        }
    }
}

impl<T: Send + 'static> Latest<T> {
    /// Asks for `job` to run; a repaint is requested when it is done.
    /// If no thread can be started, the job runs here and now: a slow frame, never a
    /// panic or a lost result.
    pub fn request(&mut self, ctx: &egui::Context, job: impl FnOnce() -> T + Send + 'static) {
        if self.jobs.is_none() {
            let (job_tx, job_rx) = channel::<(u64, Request<T>)>();
            let (res_tx, res_rx) = channel();
            let ctx = ctx.clone();
            let started = std::thread::Builder::new()
                .name("inspect".into())
                .spawn(move || {
                    while let Ok(mut job) = job_rx.recv() {
                        while let Ok(newer) = job_rx.try_recv() {
                            job = newer;
                        }
                        if res_tx.send((job.0, (job.1)())).is_err() {
                            break;
                        }
                        ctx.request_repaint();
                    }
                });
            self.results = Some(res_rx);
            if started.is_err() {
                self.sent += 1;
                let (tx, rx) = channel();
                let _ = tx.send((self.sent, job()));
                self.results = Some(rx);
                return;
            }
            self.jobs = Some(job_tx);
        }
        self.sent += 1;
        if let Some(tx) = &self.jobs {
            let _ = tx.send((self.sent, Box::new(job)));
        }
    }

    /// The newest finished result not taken yet.
    pub fn take(&mut self) -> Option<T> {
        let mut newest = None;
        for (id, r) in self.results.as_ref()?.try_iter() {
            if id > self.got {
                self.got = id;
                newest = Some(r);
            }
        }
        newest
    }

    /// A requested job has not come back yet.
    pub fn busy(&self) -> bool {
        self.got < self.sent
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
}
