//! A progress bar for long evaluations (hidden when stderr is not a terminal).

use indicatif::{ProgressBar, ProgressStyle};
use picbreeder::steps::PixelProgress;
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
        let handle = s.spawn(|| work(&progress));
        while !handle.is_finished() {
            bar.set_position(progress.pixels_done() as u64);
            std::thread::sleep(Duration::from_millis(100));
        }
        handle.join().expect("render thread panicked")
    });
    bar.finish_and_clear();
    result
}
