//! A zoom into one point: the window shrinks exponentially about the point (which stays
//! where it is in the frame) from the whole picture to `depth` times closer, every frame
//! rendered afresh at full resolution (a CPPN has detail at every scale), never scaled.

use super::{Frames, render_banded};
use crate::cppn::Genome;
use crate::grid::{Grid, Window};
use crate::image::Image;
use crate::network::Network;
use crate::steps::PixelProgress;

/// The frames of a zoom.
#[derive(Clone, Debug)]
pub struct ZoomFrames {
    net: Network,
    start: Window,
    /// The point zoomed into, in plane coordinates.
    pub centre: (f64, f64),
    /// Magnification of the last frame (> 0; below 1 zooms out).
    pub depth: f64,
    size: (usize, usize),
    count: usize,
}

impl ZoomFrames {
    /// `count` frames (at least 2) of `size`, from `start` to `depth` times closer about
    /// `centre`. `None` if depth or the centre is not a finite positive/finite number.
    pub fn new(
        net: Network,
        start: Window,
        centre: (f64, f64),
        depth: f64,
        size: (usize, usize),
        count: usize,
    ) -> Option<ZoomFrames> {
        let ok = depth.is_finite() && depth > 0.0 && centre.0.is_finite() && centre.1.is_finite();
        ok.then_some(ZoomFrames {
            net,
            start,
            centre,
            depth,
            size,
            count: count.max(2),
        })
    }

    /// The window frame `k` shows: `start` scaled by `depth^(-k / (count - 1))` about
    /// the centre, so the first frame is `start` and each frame zooms by the same ratio.
    pub fn window(&self, k: usize) -> Window {
        if k == 0 {
            return self.start;
        }
        let t = k as f64 / (self.count - 1) as f64;
        self.start
            .zoomed(self.depth.powf(-t), self.centre.0, self.centre.1)
    }
}

impl Frames for ZoomFrames {
    fn count(&self) -> usize {
        self.count
    }

    fn size(&self) -> (usize, usize) {
        self.size
    }

    fn genome(&self) -> Option<&Genome> {
        self.net.genome()
    }

    fn frame(&mut self, k: usize, progress: &PixelProgress) -> Option<Image> {
        let grid = Grid::new(self.size.0, self.size.1).with_window(self.window(k));
        render_banded(&self.net, &grid, progress)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cppn::genome::tests::tiny;

    #[test]
    fn frame_k_is_the_render_of_its_window() {
        let net = Network::from_genome(tiny()).unwrap();
        let mut z = ZoomFrames::new(
            net.clone(),
            Window::default(),
            (0.3, -0.2),
            16.0,
            (48, 32),
            5,
        )
        .unwrap();
        let p = PixelProgress::default();
        assert_eq!(z.frame(0, &p).unwrap(), net.render(&Grid::new(48, 32)));
        // Frame 2 of 5 is halfway in: 16^(-1/2) = 1/4 of the window about the point.
        let quarter = Window {
            x0: 0.3 + (-1.0 - 0.3) / 4.0,
            x1: 0.3 + (1.0 - 0.3) / 4.0,
            y0: -0.2 + (-1.0 + 0.2) / 4.0,
            y1: -0.2 + (1.0 + 0.2) / 4.0,
        };
        let w = z.window(2);
        for (a, b) in [
            (w.x0, quarter.x0),
            (w.x1, quarter.x1),
            (w.y0, quarter.y0),
            (w.y1, quarter.y1),
        ] {
            assert!((a - b).abs() < 1e-12, "{w:?}");
        }
        assert_eq!(
            z.frame(2, &p).unwrap(),
            net.render(&Grid::new(48, 32).with_window(w))
        );
        let last = z.window(4);
        assert!(((last.x1 - last.x0) - 2.0 / 16.0).abs() < 1e-12);
        assert_ne!(z.frame(4, &p).unwrap(), z.frame(0, &p).unwrap());
    }
}
