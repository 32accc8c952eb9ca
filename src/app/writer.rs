//! One thread that runs jobs in the order they were sent, for writes whose order
//! matters: the UI hands a job over and goes on; the thread reports back on a channel
//! and wakes the window. Files ([`super::saver::Saver`]) and the library's autosave
//! ([`super::library_saver::LibrarySaver`]) are its two uses.

use super::worker::Wake;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, TryIter, channel};
use std::thread::JoinHandle;
use std::time::Duration;

/// The UI's side: jobs `J` in, reports `R` out.
pub struct OrderedWriter<J, R> {
    tx: Option<Sender<J>>,
    done: Receiver<R>,
    pending: Arc<AtomicUsize>,
    thread: Option<JoinHandle<()>>,
}

/// What the writer thread is handed next.
pub enum Arrival<J> {
    /// Every job waiting, in the order they were sent.
    Jobs(Vec<J>),
    /// No job came within the wait asked for.
    Idle,
}

/// The writer thread's side: its jobs, and where it reports.
pub struct Inbox<J, R> {
    rx: Receiver<J>,
    report: Sender<R>,
    pending: Arc<AtomicUsize>,
    wake: Wake,
}

impl<J, R> Inbox<J, R> {
    /// Hands `handle` each batch of jobs until the writer is finished, or
    /// [`Arrival::Idle`] when none came within the wait `handle` asked for last (`None`:
    /// wait as long as it takes; `wait` is the first). A batch counts as done, and the
    /// window is woken to read the reports, once handled.
    pub fn serve(
        self,
        mut wait: Option<Duration>,
        mut handle: impl FnMut(Arrival<J>, &Sender<R>) -> Option<Duration>,
    ) {
        loop {
            let first = match wait {
                Some(w) => match self.rx.recv_timeout(w) {
                    Ok(job) => job,
                    Err(RecvTimeoutError::Timeout) => {
                        wait = handle(Arrival::Idle, &self.report);
                        continue;
                    }
                    Err(RecvTimeoutError::Disconnected) => break,
                },
                None => match self.rx.recv() {
                    Ok(job) => job,
                    Err(_) => break,
                },
            };
            let jobs: Vec<J> = std::iter::once(first).chain(self.rx.try_iter()).collect();
            let n = jobs.len();
            wait = handle(Arrival::Jobs(jobs), &self.report);
            self.pending.fetch_sub(n, Ordering::SeqCst);
            (self.wake)();
        }
    }
}

impl<J: Send + 'static, R: Send + 'static> OrderedWriter<J, R> {
    /// A thread named `name` running `body` on its inbox; `wake` asks for a repaint when
    /// a batch is done. If no thread can be started, jobs sent are dropped (the UI goes
    /// on; [`OrderedWriter::busy`] stays false).
    pub fn spawn(
        name: &str,
        wake: Wake,
        body: impl FnOnce(Inbox<J, R>) + Send + 'static,
    ) -> OrderedWriter<J, R> {
        let (tx, rx) = channel::<J>();
        let (report, done) = channel();
        let pending = Arc::new(AtomicUsize::new(0));
        let inbox = Inbox {
            rx,
            report,
            pending: Arc::clone(&pending),
            wake,
        };
        let thread = std::thread::Builder::new()
            .name(name.into())
            .spawn(move || body(inbox))
            .ok();
        OrderedWriter {
            tx: Some(tx),
            done,
            pending,
            thread,
        }
    }

    /// Queues `job` after those sent before it.
    pub fn send(&self, job: J) {
        let Some(tx) = &self.tx else { return };
        self.pending.fetch_add(1, Ordering::SeqCst);
        if tx.send(job).is_err() {
            self.pending.fetch_sub(1, Ordering::SeqCst);
        }
    }

    /// Reports since the last call.
    pub fn reports(&self) -> TryIter<'_, R> {
        self.done.try_iter()
    }

    /// Some job is queued or running.
    pub fn busy(&self) -> bool {
        self.pending.load(Ordering::SeqCst) > 0
    }

    /// Waits until every queued job is done; later jobs are not taken.
    pub fn finish(&mut self) {
        self.tx = None;
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl<J, R> Drop for OrderedWriter<J, R> {
    fn drop(&mut self) {
        self.tx = None;
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Jobs run in the order sent, in batches of what waits; an idle wait is reported
    /// when asked for; finishing waits for every job.
    #[test]
    fn jobs_run_in_order_and_idle_is_reported() {
        let woken = Arc::new(AtomicUsize::new(0));
        let w = Arc::clone(&woken);
        let mut writer = OrderedWriter::spawn(
            "test-writer",
            Arc::new(move || {
                w.fetch_add(1, Ordering::SeqCst);
            }),
            |inbox: Inbox<u32, String>| {
                inbox.serve(None, |next, report| match next {
                    Arrival::Jobs(jobs) => {
                        std::thread::sleep(Duration::from_millis(20));
                        for j in jobs {
                            report.send(format!("job {j}")).unwrap();
                        }
                        Some(Duration::from_millis(10))
                    }
                    Arrival::Idle => {
                        report.send("idle".into()).unwrap();
                        None
                    }
                })
            },
        );
        for j in 0..5 {
            writer.send(j);
        }
        assert!(writer.busy());
        while writer.busy() {
            std::thread::sleep(Duration::from_millis(5));
        }
        std::thread::sleep(Duration::from_millis(100));
        writer.send(5);
        writer.finish();
        assert!(!writer.busy());
        let reports: Vec<String> = writer.reports().collect();
        let jobs: Vec<&String> = reports.iter().filter(|r| r.starts_with("job")).collect();
        assert_eq!(jobs, ["job 0", "job 1", "job 2", "job 3", "job 4", "job 5"]);
        assert_eq!(reports.iter().filter(|r| *r == "idle").count(), 1);
        assert!(woken.load(Ordering::SeqCst) >= 2);
        // After finishing, nothing more is taken.
        writer.send(6);
        assert!(!writer.busy());
    }
}
