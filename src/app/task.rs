//! The window's one way to run a piece of work off the UI thread: [`Task::spawn`] runs
//! it on a thread of its own; the UI polls once a frame for its news (results it sends
//! on the way, such as an experiment's finished jobs) and its one result, shows its
//! progress, and can cancel it. A repaint is asked for when the task sends anything,
//! its progress included (at most about 30 a second: `worker::repaint`).
//! If no thread can be started the work runs on the calling thread: a slow frame,
//! never a panic or a lost result.
//!
//! Policies built on it: inspector views keep only the newest request
//! (`background::Latest`), twin-panel writes each run (`background::Writes`). Two
//! other shapes remain, each for what a task per job cannot give: renders go to a pool
//! of long-lived workers (`worker::RenderPool`, one rayon pool for all thumbnails), and
//! autosaves keep their order on one writer thread each (`saver::Saver`,
//! `library_saver::LibrarySaver`, which also flush on quitting).

pub use super::worker::{LateWake, Wake, repaint};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};
use std::sync::{Arc, Mutex};

enum Msg<T, N> {
    News(N),
    Done(T),
}

/// Shared by a task and the work: the cancel flag and the progress.
#[derive(Default)]
struct Control {
    cancelled: AtomicBool,
    done: AtomicU64,
    of: AtomicU64,
}

/// What the work sees of its task.
pub struct Reporter<T, N> {
    tx: Sender<Msg<T, N>>,
    control: Arc<Control>,
    wake: Option<Wake>,
}

impl<T, N> Reporter<T, N> {
    /// The cancel flag, for core functions that take one.
    pub fn cancel_flag(&self) -> &AtomicBool {
        &self.control.cancelled
    }

    /// `done` of `of` (units the work chooses); the window repaints to show it.
    pub fn progress(&self, done: u64, of: u64) {
        self.control.of.store(of, Ordering::Relaxed);
        self.control.done.store(done, Ordering::Relaxed);
        self.wake();
    }

    /// Sends a piece of news ahead of the result.
    pub fn news(&self, news: N) {
        let _ = self.tx.send(Msg::News(news));
        self.wake();
    }

    fn wake(&self) {
        if let Some(w) = &self.wake {
            w();
        }
    }
}

/// What [`Task::poll`] found.
pub enum Polled<T> {
    Running,
    Done(T),
    /// The work ended without a result (it panicked).
    Lost,
}

pub struct Task<T, N = ()> {
    rx: Receiver<Msg<T, N>>,
    control: Arc<Control>,
    result: Option<T>,
}

type Work<T, N> = Box<dyn FnOnce(&Reporter<T, N>) -> T + Send>;
/// The work and its reporter, waiting for whichever thread runs them.
type Waiting<T, N> = Mutex<Option<(Work<T, N>, Reporter<T, N>)>>;

impl<T: Send + 'static, N: Send + 'static> Task<T, N> {
    /// Runs `work` on a thread named `name`; `wake` asks for a repaint when it sends.
    pub fn spawn(
        name: &str,
        wake: Option<Wake>,
        work: impl FnOnce(&Reporter<T, N>) -> T + Send + 'static,
    ) -> Task<T, N> {
        let (tx, rx) = channel();
        let control = Arc::new(Control::default());
        let reporter = Reporter {
            tx,
            control: Arc::clone(&control),
            wake,
        };
        // Kept here too, so it can run on this thread if no thread starts.
        let slot: Arc<Waiting<T, N>> = Arc::new(Mutex::new(Some((Box::new(work), reporter))));
        let theirs = Arc::clone(&slot);
        let started = std::thread::Builder::new()
            .name(name.to_string())
            .spawn(move || run(&theirs));
        if started.is_err() {
            run(&slot);
        }
        Task {
            rx,
            control,
            result: None,
        }
    }

    /// News since the last call, and the result once it is in.
    pub fn poll_news(&mut self) -> (Vec<N>, Polled<T>) {
        let mut news = Vec::new();
        loop {
            match self.rx.try_recv() {
                Ok(Msg::News(n)) => news.push(n),
                Ok(Msg::Done(t)) => self.result = Some(t),
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => {
                    let polled = match self.result.take() {
                        Some(t) => Polled::Done(t),
                        None => Polled::Lost,
                    };
                    return (news, polled);
                }
            }
        }
        (news, Polled::Running)
    }

    pub fn cancel(&self) {
        self.control.cancelled.store(true, Ordering::Relaxed);
    }

    pub fn cancelled(&self) -> bool {
        self.control.cancelled.load(Ordering::Relaxed)
    }

    /// What the work last reported: done, of.
    pub fn progress(&self) -> (u64, u64) {
        (
            self.control.done.load(Ordering::Relaxed),
            self.control.of.load(Ordering::Relaxed),
        )
    }
}

impl<T: Send + 'static> Task<T> {
    /// The result once it is in.
    pub fn poll(&mut self) -> Polled<T> {
        self.poll_news().1
    }
}

fn run<T, N>(slot: &Waiting<T, N>) {
    let taken = slot.lock().ok().and_then(|mut s| s.take());
    if let Some((work, reporter)) = taken {
        let result = work(&reporter);
        let _ = reporter.tx.send(Msg::Done(result));
        reporter.wake();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    fn until<T, N>(task: &mut Task<T, N>) -> (Vec<N>, Polled<T>)
    where
        T: Send + 'static,
        N: Send + 'static,
    {
        let start = Instant::now();
        let mut all = Vec::new();
        loop {
            let (news, polled) = task.poll_news();
            all.extend(news);
            if !matches!(polled, Polled::Running) {
                return (all, polled);
            }
            assert!(start.elapsed() < Duration::from_secs(10), "never ended");
            std::thread::sleep(Duration::from_millis(1));
        }
    }

    #[test]
    fn news_then_the_result_then_nothing() {
        let woken = Arc::new(AtomicU64::new(0));
        let w = Arc::clone(&woken);
        let mut task = Task::spawn(
            "test",
            Some(Arc::new(move || {
                w.fetch_add(1, Ordering::Relaxed);
            })),
            |r: &Reporter<u32, &str>| {
                r.news("half");
                r.progress(1, 2);
                7
            },
        );
        let (news, polled) = until(&mut task);
        assert_eq!(news, ["half"]);
        assert!(matches!(polled, Polled::Done(7)));
        assert_eq!(task.progress(), (1, 2));
        assert_eq!(
            woken.load(Ordering::Relaxed),
            3,
            "news, progress and result"
        );
    }

    #[test]
    fn a_cancelled_task_sees_it_and_a_panicking_one_is_lost() {
        let (go, wait) = channel::<()>();
        let mut task = Task::spawn("test", None, move |r: &Reporter<bool, ()>| {
            let _ = wait.recv();
            r.cancel_flag().load(Ordering::Relaxed)
        });
        task.cancel();
        go.send(()).unwrap();
        assert!(matches!(until(&mut task).1, Polled::Done(true)));
        let mut task: Task<()> = Task::spawn("test", None, |_| panic!("on purpose"));
        assert!(matches!(until(&mut task).1, Polled::Lost));
    }
}
