//! A progress bar for long evaluations (hidden when stderr is not a terminal).

use indicatif::{ProgressBar, ProgressStyle};
use picbreeder::steps::PixelProgress;
use std::sync::mpsc::RecvTimeoutError;
use std::time::Duration;

/// Runs `work` while a bar follows `progress.pixels_done()` up to `total` pixels.
pub fn with_bar<T: Send>(
    message: &str,
    total: usize,
    work: impl FnOnce(&PixelProgress) -> T + Send,
) -> T {
    let progress = PixelProgress::default();
    let bar = ProgressBar::new(total as u64);
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:40}] {percent}% {elapsed}")
            .expect("static template")
            .progress_chars("=> "),
    );
    bar.set_message(message.to_string());
    let result = std::thread::scope(|s| {
        // The worker says when it is done, so the command ends as soon as the work does
        // (polling with a sleep kept every render waiting up to 100 ms more).
        let (done, finished) = std::sync::mpsc::channel::<()>();
        let handle = s.spawn(|| {
            let out = work(&progress);
            drop(done);
            out
        });
        while finished.recv_timeout(Duration::from_millis(100)) == Err(RecvTimeoutError::Timeout) {
            bar.set_position(progress.pixels_done() as u64);
        }
        handle.join().expect("render thread panicked")
    });
    bar.finish_and_clear();
    result
}
