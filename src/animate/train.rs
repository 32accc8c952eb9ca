//! An SGD net learning to draw: snapshots of a training run, evenly spaced over its
//! steps, the target beside the net's output, a caption with the step and the PSNR.
//!
//! Training runs as the frames are asked for (frame k trains up to its step). Only the
//! latest frame's net is kept, so memory does not grow with the frame count (36,000
//! kept nets ran to gigabytes); a frame before it trains again from the start.

use super::caption::{self, BACKGROUND};
use super::{Frames, render_banded};
use crate::dense::DenseNet;
use crate::grid::Grid;
use crate::image::Image;
use crate::network::Network;
use crate::sgd::trainer::Trainer;
use crate::steps::PixelProgress;

/// One snapshot of the run.
#[derive(Clone, Debug)]
pub struct RunSnapshot {
    pub step: u64,
    /// Against the target, at the training resolution.
    pub psnr: f64,
    pub net: DenseNet,
}

/// Makes the trainer at the start of the run, again when an earlier frame is asked for.
pub type MakeTrainer = Box<dyn Fn() -> Result<Trainer, String> + Send>;

/// The frames of a training run.
pub struct TrainFrames {
    make: MakeTrainer,
    trainer: Trainer,
    /// The trainer's step count when the animation began.
    start: u64,
    steps: u64,
    /// The latest frame reached and its snapshot: the one net kept.
    last: Option<(usize, RunSnapshot)>,
    target: Option<Image>,
    picture: (usize, usize),
    count: usize,
    /// Set when the run collapsed (or could not start again): no later frame is made.
    collapse: Option<String>,
}

impl TrainFrames {
    /// `count` frames (at least 2) over `steps` more steps of the trainer `make` makes,
    /// each net drawn at `picture` size; with `beside_target`, the target is drawn at
    /// its left.
    pub fn new(
        make: MakeTrainer,
        steps: u64,
        picture: (usize, usize),
        count: usize,
        beside_target: bool,
    ) -> Result<TrainFrames, String> {
        let trainer = make()?;
        let target = beside_target.then(|| resized(trainer.target_image(), picture));
        Ok(TrainFrames {
            start: trainer.steps_done(),
            make,
            trainer,
            steps,
            last: None,
            target,
            picture,
            count: count.max(2),
            collapse: None,
        })
    }

    /// The step frame `k` shows (counted from where the trainer started).
    pub fn step_of(&self, k: usize) -> u64 {
        (k as f64 * self.steps as f64 / (self.count - 1) as f64).round() as u64
    }

    /// The latest frame reached and its snapshot.
    pub fn last(&self) -> Option<(usize, &RunSnapshot)> {
        self.last.as_ref().map(|(k, s)| (*k, s))
    }

    fn gap(&self) -> usize {
        4 * caption::scale_for(self.picture.0)
    }

    /// Top-left corner of the net's picture in a frame.
    pub fn picture_at(&self) -> (usize, usize) {
        let x = if self.target.is_some() {
            self.picture.0 + self.gap()
        } else {
            0
        };
        (x, 0)
    }

    /// Why the run stopped before its last frame (a collapse), if it did.
    pub fn collapse(&self) -> Option<&str> {
        self.collapse.as_deref()
    }

    /// Trains up to frame `k`'s snapshot (from the start again if `k` is before the
    /// latest); `None` if cancelled or collapsed.
    fn reach(&mut self, k: usize, progress: &PixelProgress) -> Option<()> {
        if self.last.as_ref().is_some_and(|(at, _)| *at > k) {
            match (self.make)() {
                Ok(t) => self.trainer = t,
                Err(e) => {
                    self.collapse = Some(e);
                    return None;
                }
            }
            self.start = self.trainer.steps_done();
            self.last = None;
        }
        while self.last.as_ref().is_none_or(|(at, _)| *at < k) {
            let next = self.last.as_ref().map_or(0, |(at, _)| at + 1);
            let want = self.start + self.step_of(next);
            while self.trainer.steps_done() < want {
                if progress.is_cancelled() {
                    return None;
                }
                if let Some(c) = self.trainer.step().collapse {
                    self.collapse = Some(c.to_string());
                    return None;
                }
            }
            self.last = Some((
                next,
                RunSnapshot {
                    step: self.trainer.steps_done(),
                    psnr: self.trainer.psnr(),
                    net: self.trainer.net(),
                },
            ));
        }
        Some(())
    }

    /// A frame of `picture` with `text` under it (and the target at its left).
    fn compose(&self, picture: &Image, text: &str) -> Image {
        let (w, h) = self.size();
        let mut img = Image::new(w, h);
        img.fill(BACKGROUND);
        if let Some(t) = &self.target {
            img.blit(t, 0, 0);
        }
        let (x, y) = self.picture_at();
        img.blit(picture, x, y);
        let scale = caption::scale_for(self.picture.0);
        img.blit(&caption::band(text, w, scale), 0, self.picture.1);
        img
    }
}

/// `img` at `size` (itself if it is that size already).
fn resized(img: &Image, size: (usize, usize)) -> Image {
    if (img.width, img.height) == size {
        img.clone()
    } else {
        nearest(img, size)
    }
}

/// `img` resized to `size` by nearest neighbour (the target drawn beside the output).
fn nearest(img: &Image, size: (usize, usize)) -> Image {
    let mut out = Image::new(size.0, size.1);
    for y in 0..size.1 {
        for x in 0..size.0 {
            let px = img.pixel(x * img.width / size.0, y * img.height / size.1);
            let i = (y * size.0 + x) * 4;
            out.rgba[i..i + 4].copy_from_slice(&px);
        }
    }
    out
}

impl Frames for TrainFrames {
    fn count(&self) -> usize {
        self.count
    }

    fn size(&self) -> (usize, usize) {
        let band = caption::band_height(caption::scale_for(self.picture.0));
        let (x, _) = self.picture_at();
        (x + self.picture.0, self.picture.1 + band)
    }

    fn frame(&mut self, k: usize, progress: &PixelProgress) -> Option<Image> {
        self.reach(k, progress)?;
        let (_, s) = self.last.as_ref()?;
        let grid = Grid::new(self.picture.0, self.picture.1);
        let picture = render_banded(&Network::Net(s.net.clone()), &grid, progress)?;
        let text = format!("step {}   PSNR {:.1} dB", s.step, s.psnr);
        Some(self.compose(&picture, &text))
    }

    /// The run's frames approach the target: a frame drawing the target serves for a
    /// shared palette, so none is made out of order (which would train twice).
    fn palette_pictures(&self) -> Option<Vec<Image>> {
        let target = resized(self.trainer.target_image(), self.picture);
        Some(vec![self.compose(&target, "step 0   PSNR 0.0 dB")])
    }

    fn failure(&self) -> Option<String> {
        self.collapse.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::animate::crop;
    use crate::cppn::Program;
    use crate::cppn::genome::tests::tiny;
    use crate::sgd::arch::Arch;
    use crate::sgd::trainer::TrainConfig;

    #[test]
    fn snapshots_follow_the_run_and_it_learns() {
        let program = Program::compile(&tiny()).unwrap();
        let target = program.render(&Grid::square(32));
        let net = Arch::Paper.build(&program, 0);
        let first = Network::Net(net.clone()).render(&Grid::square(32));
        let make = {
            let target = target.clone();
            Box::new(move || {
                Trainer::new(net.clone(), &target, TrainConfig::default())
                    .map_err(|e| e.to_string())
            })
        };
        let mut t = TrainFrames::new(make, 200, (32, 32), 5, true).unwrap();
        let p = PixelProgress::default();
        let f0 = t.frame(0, &p).unwrap();
        let (x, y) = t.picture_at();
        assert_eq!(crop(&f0, x, y, 32, 32), first);
        assert_eq!(crop(&f0, 0, 0, 32, 32), target);
        let psnr0 = t.last().unwrap().1.psnr;
        let mut steps = vec![];
        for k in 1..5 {
            t.frame(k, &p).unwrap();
            let (at, s) = t.last().unwrap();
            assert_eq!(at, k);
            steps.push(s.step);
        }
        assert_eq!(steps, vec![50, 100, 150, 200]);
        let psnr4 = t.last().unwrap().1.psnr;
        assert!(psnr4 > psnr0 + 3.0, "{psnr0} -> {psnr4}");
        // Asking again gives the same frame: the run trains again from the start.
        assert_eq!(t.frame(0, &p).unwrap(), f0);
    }
}
