//! A generation bred on a worker thread, so the window keeps drawing while the children
//! of big genomes are made (two 20,000-node parents take about a second), with
//! progress and cancel. The session itself stays on the UI thread: the thread gets a
//! [`Brood`] (what the generation needs, owned) and sends back the bred generation,
//! which [`picbreeder::breed::Session::accept`] puts in the tree.

use picbreeder::breed::{Bred, Brood};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError};

pub struct Breeding {
    rx: Receiver<Option<Box<Bred>>>,
    cancel: Arc<AtomicBool>,
    made: Arc<AtomicUsize>,
    of: usize,
}

/// What [`Breeding::poll`] found.
pub enum Polled {
    Running,
    /// The generation, or `None` if it was cancelled (or the thread died).
    Done(Option<Box<Bred>>),
}

impl Breeding {
    /// Starts breeding `brood` on a thread of its own.
    pub fn start(brood: Brood) -> Result<Breeding, String> {
        let (tx, rx) = std::sync::mpsc::channel();
        let cancel = Arc::new(AtomicBool::new(false));
        let made = Arc::new(AtomicUsize::new(0));
        let of = brood.size();
        let (stop, count) = (Arc::clone(&cancel), Arc::clone(&made));
        std::thread::Builder::new()
            .name("breed".into())
            .spawn(move || {
                let bred = brood.breed(&stop, &mut |k| count.store(k, Ordering::Relaxed));
                let _ = tx.send(bred.map(Box::new));
            })
            .map_err(|e| format!("could not start breeding: {e}"))?;
        Ok(Breeding {
            rx,
            cancel,
            made,
            of,
        })
    }

    /// Genomes made so far, of how many.
    pub fn progress(&self) -> (usize, usize) {
        (self.made.load(Ordering::Relaxed), self.of)
    }

    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    pub fn poll(&self) -> Polled {
        match self.rx.try_recv() {
            Ok(bred) => Polled::Done(bred),
            Err(TryRecvError::Empty) => Polled::Running,
            Err(TryRecvError::Disconnected) => Polled::Done(None),
        }
    }
}
