//! An SGD net learning to draw: snapshots of a training run, evenly spaced over its
//! steps, the target beside the net's output, a caption with the step and the PSNR.
//!
//! Training runs as the frames are asked for (frame k trains up to its step); each
//! snapshot's net is kept (a few hundred kB), so any frame can be made again.

use super::caption::{self, BACKGROUND};
use super::{Frames, render_banded};
use crate::dense::DenseNet;
use crate::grid::Grid;
use crate::image::Image;
use crate::network::Network;
use crate::sgd::collapse::Collapse;
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

/// The frames of a training run.
pub struct TrainFrames {
    trainer: Trainer,
    /// The trainer's step count when the animation began.
    start: u64,
    steps: u64,
    snapshots: Vec<RunSnapshot>,
    target: Option<Image>,
    picture: (usize, usize),
    count: usize,
    /// Set when the run collapsed: no later frame is made (the run cannot learn).
    collapse: Option<Collapse>,
}

impl TrainFrames {
    /// `count` frames (at least 2) over `steps` more steps of `trainer`, each net drawn
    /// at `picture` size; with `beside_target`, the target is drawn at its left.
    pub fn new(
        trainer: Trainer,
        steps: u64,
        picture: (usize, usize),
        count: usize,
        beside_target: bool,
    ) -> TrainFrames {
        let target = beside_target.then(|| {
            let t = trainer.target_image().clone();
            if (t.width, t.height) == picture {
                t
            } else {
                nearest(&t, picture)
            }
        });
        TrainFrames {
            start: trainer.steps_done(),
            trainer,
            steps,
            snapshots: Vec::new(),
            target,
            picture,
            count: count.max(2),
            collapse: None,
        }
    }

    /// The step frame `k` shows (counted from where the trainer started).
    pub fn step_of(&self, k: usize) -> u64 {
        (k as f64 * self.steps as f64 / (self.count - 1) as f64).round() as u64
    }

    /// The snapshots taken so far.
    pub fn snapshots(&self) -> &[RunSnapshot] {
        &self.snapshots
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

    /// The collapse that stopped the run, if it did.
    pub fn collapse(&self) -> Option<Collapse> {
        self.collapse
    }

    /// Trains up to frame `k`'s snapshot; `None` if cancelled or collapsed.
    fn reach(&mut self, k: usize, progress: &PixelProgress) -> Option<()> {
        while self.snapshots.len() <= k {
            let want = self.start + self.step_of(self.snapshots.len());
            while self.trainer.steps_done() < want {
                if progress.is_cancelled() {
                    return None;
                }
                if let Some(c) = self.trainer.step().collapse {
                    self.collapse = Some(c);
                    return None;
                }
            }
            self.snapshots.push(RunSnapshot {
                step: self.trainer.steps_done(),
                psnr: self.trainer.psnr(),
                net: self.trainer.net(),
            });
        }
        Some(())
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
        let s = &self.snapshots[k];
        let grid = Grid::new(self.picture.0, self.picture.1);
        let picture = render_banded(&Network::Net(s.net.clone()), &grid, progress)?;
        let (w, h) = self.size();
        let mut img = Image::new(w, h);
        img.fill(BACKGROUND);
        if let Some(t) = &self.target {
            img.blit(t, 0, 0);
        }
        let (x, y) = self.picture_at();
        img.blit(&picture, x, y);
        let text = format!("step {}   PSNR {:.1} dB", s.step, s.psnr);
        let scale = caption::scale_for(self.picture.0);
        img.blit(&caption::band(&text, w, scale), 0, self.picture.1);
        Some(img)
    }

    fn failure(&self) -> Option<String> {
        self.collapse.map(|c| c.to_string())
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
        let trainer = Trainer::new(net, &target, TrainConfig::default()).unwrap();
        let mut t = TrainFrames::new(trainer, 200, (32, 32), 5, true);
        let p = PixelProgress::default();
        let f0 = t.frame(0, &p).unwrap();
        let (x, y) = t.picture_at();
        assert_eq!(crop(&f0, x, y, 32, 32), first);
        assert_eq!(crop(&f0, 0, 0, 32, 32), target);
        t.frame(4, &p).unwrap();
        let steps: Vec<u64> = t.snapshots().iter().map(|s| s.step).collect();
        assert_eq!(steps, vec![0, 50, 100, 150, 200]);
        let s = t.snapshots();
        assert!(
            s[4].psnr > s[0].psnr + 3.0,
            "{} -> {}",
            s[0].psnr,
            s[4].psnr
        );
        // Asking again gives the same frame: snapshots are kept.
        assert_eq!(t.frame(0, &p).unwrap(), f0);
    }
}
