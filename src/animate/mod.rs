//! Animations: weight sweeps, zooms, lineage morphs and training runs as GIF or APNG.
//!
//! Each kind is a [`Frames`]: it makes frame `k` on demand (rendering on rayon's
//! workers, band by band for big frames). [`export`] makes the frames on one thread
//! while the calling thread quantizes and encodes the ones already made, a few at a
//! time, writing each to the file as it goes: memory holds a handful of frames, never
//! the whole animation. The file is written to a temporary name and renamed when
//! complete, so a cancelled or failed export leaves nothing behind.

pub mod caption;
pub mod encode;
pub mod lineage;
pub mod morph;
mod rank_update;
pub mod sweep;
pub mod train;
pub mod zoom;

use crate::cppn::Genome;
use crate::grid::Grid;
use crate::image::Image;
use crate::io::export::BAND_PIXELS;
use crate::io::{FileError, Problem, write_atomic_with};
use crate::network::{Network, RenderSteps};
use crate::sgd::forward::{WorkspacePool, forward_planes};
use crate::sgd::layout::ParamLayout;
use crate::steps::{PixelProgress, evaluate_rows};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

pub use encode::{Format, Palette};

/// A sequence of equally sized frames, made on demand.
pub trait Frames: Send {
    /// How many frames there are.
    fn count(&self) -> usize;
    /// Width and height of every frame.
    fn size(&self) -> (usize, usize);
    /// Frame `k` (`k < count()`); `None` if `progress` was cancelled meanwhile.
    /// Frames are asked for mostly in order; any order must work.
    fn frame(&mut self, k: usize, progress: &PixelProgress) -> Option<Image>;
    /// The genome the file carries (so opening the animation opens it): what is swept
    /// or zoomed into, a lineage's last genome.
    fn genome(&self) -> Option<&Genome> {
        None
    }
    /// Whether the frames are different pictures (a lineage's generations) rather
    /// than one picture moving: one shared palette serves such frames worse than
    /// their own, so [`Palette::Auto`] gives each its own.
    fn pictures_differ(&self) -> bool {
        false
    }
    /// Pictures to draw a shared GIF palette from, when sampling the frames themselves
    /// out of order costs too much (a training run would train twice); `None`: the
    /// frames are sampled.
    fn palette_pictures(&self) -> Option<Vec<Image>> {
        None
    }
    /// Why the frames stopped before the last one without being cancelled (a training
    /// run that collapsed): the export then fails with this and writes nothing.
    fn failure(&self) -> Option<String> {
        None
    }
}

/// How the animation plays.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Timing {
    /// Frames per second (GIF stores delays in hundredths of a second, so its frame
    /// times are rounded to those, keeping the total right).
    pub fps: f64,
    /// Times to play it: 0 forever.
    pub loops: u16,
}

impl Default for Timing {
    fn default() -> Self {
        Timing {
            fps: 30.0,
            loops: 0,
        }
    }
}

/// Frames for `seconds` at `fps`: at least 2.
pub fn frame_count(fps: f64, seconds: f64) -> usize {
    ((fps * seconds).round() as usize).max(2)
}

/// Shared between an export and whoever watches it: frames written, and the cancel flag
/// (in `pixels`, which also counts the pixels of the frame being made).
#[derive(Debug, Default)]
pub struct ExportProgress {
    pub frames: AtomicUsize,
    pub pixels: PixelProgress,
}

impl ExportProgress {
    pub fn frames_done(&self) -> usize {
        self.frames.load(Ordering::Relaxed)
    }

    pub fn cancel(&self) {
        self.pixels.cancel();
    }

    pub fn is_cancelled(&self) -> bool {
        self.pixels.is_cancelled()
    }
}

/// Why an animation cannot be made.
#[derive(Debug, thiserror::Error)]
pub enum AnimationError {
    #[error("{0}")]
    File(#[from] FileError),
    #[error("frames of {0}x{1} are too large for GIF (at most 65535 on a side)")]
    TooLarge(usize, usize),
    #[error("invalid genome: {0}")]
    Genome(#[from] crate::cppn::GenomeError),
    #[error("there is no weight {0}")]
    NoSuchWeight(String),
    #[error("the lineage has no genomes")]
    EmptyLineage,
    #[error("{0}")]
    Train(String),
    #[error(transparent)]
    Memory(#[from] crate::budget::OverBudget),
}

/// Bytes one frame may take per pixel at its peak (an estimate that errs high): the
/// frame, the one before (kept to encode the change), its planes, the palette
/// quantizer's and the encoder's copies. `animate sweep -s 8192` measured about 23.
pub const FRAME_BYTES_PER_PIXEL: u64 = 32;

/// Refuses frames of `w` x `h` that would need more than `budget` bytes each, before
/// the first is made (frames are made and written one at a time, so one frame is what
/// must fit), naming the largest square frame that fits.
pub fn frame_within(w: usize, h: usize, budget: u64) -> Result<(), crate::budget::OverBudget> {
    let need = crate::budget::times(w as u64, h as u64).saturating_mul(FRAME_BYTES_PER_PIXEL);
    let side = ((budget / FRAME_BYTES_PER_PIXEL) as f64).sqrt() as u64;
    crate::budget::check(
        &format!("an animation frame of {w}x{h}"),
        need,
        budget,
        &format!("use a smaller -s (frames of at most {side}x{side} pixels in all)"),
    )
}

/// Writes every frame of `frames` to `path` as `format` (atomically), counting frames
/// in `progress`; `None` if it was cancelled there, in which case no file (and no
/// temporary file) is left.
pub fn export(
    frames: &mut dyn Frames,
    format: Format,
    timing: Timing,
    path: &Path,
    progress: &ExportProgress,
) -> Option<Result<(), AnimationError>> {
    let (w, h) = frames.size();
    if matches!(format, Format::Gif(_)) && (w > 65535 || h > 65535) {
        return Some(Err(AnimationError::TooLarge(w, h)));
    }
    if let Err(e) = frame_within(w, h, crate::budget::MEMORY_BUDGET) {
        return Some(Err(e.into()));
    }
    let result = write_atomic_with(path, |out| {
        encode::write_all(frames, format, timing, out, progress)
    });
    if let Some(why) = frames.failure() {
        return Some(Err(AnimationError::Train(format!(
            "{why}; wrote no animation"
        ))));
    }
    if progress.is_cancelled() {
        return None;
    }
    Some(result.map_err(AnimationError::from))
}

/// Every frame in memory (for a preview that plays in the window): frames of a small
/// size only. `None` if cancelled.
pub fn collect(frames: &mut dyn Frames, progress: &ExportProgress) -> Option<Vec<Image>> {
    (0..frames.count())
        .map(|k| {
            let f = frames.frame(k, &progress.pixels);
            progress.frames.fetch_add(1, Ordering::Relaxed);
            f
        })
        .collect()
}

/// A cancelled export, as the encoder's error.
fn cancelled() -> Problem {
    Problem::Cancelled
}

/// A network's image over `grid`, its planes made in bands of at most
/// [`BAND_PIXELS`] (so a 4096x4096 frame never holds more than one band of planes).
/// A genome gives the same pixels as [`Network::render`]. A dense net goes through the
/// training code's blocked matrix products, faster than the step evaluator for a
/// paper-shaped net (docs/benchmarks.md, "Animations"), which a sweep of an SGD net
/// spends nearly all its time in; the sums run in another order, so a pixel may differ
/// from [`Network::render`] by a rounding step. `None` if cancelled.
pub fn render_banded(net: &Network, grid: &Grid, progress: &PixelProgress) -> Option<Image> {
    let mut img = Image::new(grid.width, grid.height);
    let rows_per_band = (BAND_PIXELS / grid.width.max(1)).max(1);
    // A dense net draws through the training code; a genome through its steps.
    let (dense, genome) = match net {
        Network::Net(n) => (Some((ParamLayout::of(n), RenderSteps::of_net(n))), None),
        Network::Genome { program, .. } => (None, Some(RenderSteps::of_program(program))),
    };
    let mut pool = WorkspacePool::new();
    for r0 in (0..grid.height).step_by(rows_per_band) {
        let rows = r0..(r0 + rows_per_band).min(grid.height);
        let band = match &dense {
            Some(((layout, params), d)) => {
                if progress.is_cancelled() {
                    return None;
                }
                let planes = forward_planes(
                    layout,
                    params,
                    &band_grid(grid, rows.clone()),
                    &d.keep,
                    &mut pool,
                );
                progress.done.fetch_add(planes.pixels(), Ordering::Relaxed);
                Image::from_planes(&planes, d.colours)
            }
            None => {
                let d = genome.as_ref().expect("a network is a genome or a net");
                let planes = evaluate_rows(&d.steps, grid, rows, &d.keep, progress)?;
                Image::from_planes(&planes, d.colours)
            }
        };
        img.blit(&band, 0, r0);
    }
    Some(img)
}

/// The rows `rows` of `grid` as a grid of their own (the whole grid when they are all
/// of it; otherwise their y values agree with the whole's to float rounding).
fn band_grid(grid: &Grid, rows: std::ops::Range<usize>) -> Grid {
    if rows.len() == grid.height {
        return *grid;
    }
    let ys = grid.ys();
    let mut band = Grid::new(grid.width, rows.len()).with_window(grid.window);
    band.window.y0 = f64::from(ys[rows.start]);
    band.window.y1 = f64::from(ys[rows.end - 1]);
    band
}

/// The `w` x `h` part of `img` whose top-left corner is (x, y) (which must fit).
pub fn crop(img: &Image, x: usize, y: usize, w: usize, h: usize) -> Image {
    let mut out = Image::new(w, h);
    for r in 0..h {
        let s = ((y + r) * img.width + x) * 4;
        out.rgba[r * w * 4..(r + 1) * w * 4].copy_from_slice(&img.rgba[s..s + w * 4]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cppn::genome::tests::tiny;

    #[test]
    fn banded_render_equals_whole() {
        let net = Network::from_genome(tiny()).unwrap();
        // 3000 wide: 1398 rows a band, so three bands.
        let grid = Grid::new(3000, 3000);
        let banded = render_banded(&net, &grid, &PixelProgress::default()).unwrap();
        assert_eq!(banded, net.render(&grid));
    }

    #[test]
    fn a_dense_net_draws_its_picture_whole_or_in_bands() {
        let program = crate::cppn::Program::compile(&tiny()).unwrap();
        let net = Network::Net(crate::layerize::layerize(&program).net);
        let p = PixelProgress::default();
        for grid in [Grid::new(64, 48), Grid::new(3000, 1500)] {
            let img = render_banded(&net, &grid, &p).unwrap();
            let db = crate::image::psnr(&img, &net.render(&grid)).unwrap();
            assert!(db > 50.0, "{}x{}: {db:.1} dB", grid.width, grid.height);
        }
        p.cancel();
        assert!(render_banded(&net, &Grid::new(8, 8), &p).is_none());
    }

    #[test]
    fn frame_counts() {
        assert_eq!(frame_count(30.0, 4.0), 120);
        assert_eq!(frame_count(10.0, 0.0), 2);
    }
}
