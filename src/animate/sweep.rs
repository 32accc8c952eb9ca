//! A weight sweep as a seamless loop: the weight (or direction) moves from w to
//! w + range, back through w to w - range, and home to w, following a sine; the evolved
//! network and, when given, its SGD twin side by side at the same layerized place,
//! with a caption naming the weight and the delta.

use super::caption::{self, BACKGROUND};
use super::{Frames, render_banded};
use crate::compare::Twin;
use crate::dense::DenseNet;
use crate::grid::Grid;
use crate::image::Image;
use crate::network::Network;
use crate::render::sweep::{Direction, moved};
use crate::steps::PixelProgress;

/// One network swept: what moves, and the panel's title.
#[derive(Clone, Debug)]
pub struct Panel {
    pub net: Network,
    pub direction: Direction,
    pub title: String,
}

/// The frames of a sweep loop.
#[derive(Clone, Debug)]
pub struct SweepFrames {
    panels: Vec<Panel>,
    range: f64,
    /// What is swept, for the caption ("link 576:224").
    label: String,
    count: usize,
    /// One panel's picture size.
    picture: (usize, usize),
}

impl SweepFrames {
    /// `panels` side by side (the evolved one first), each `picture` big, `count`
    /// frames (at least 2), moving by up to `range`. `None` if a panel's direction
    /// names a weight its network does not have, or there is no panel.
    pub fn new(
        panels: Vec<Panel>,
        label: String,
        range: f64,
        picture: (usize, usize),
        count: usize,
    ) -> Option<SweepFrames> {
        let ok = !panels.is_empty()
            && range.is_finite()
            && panels
                .iter()
                .all(|p| moved(&p.net, &p.direction, 0.0).is_some());
        ok.then_some(SweepFrames {
            panels,
            range,
            label,
            count: count.max(2),
            picture,
        })
    }

    /// The delta of frame `k`: `range * sin(2 pi k / (count - 1))`, exactly 0 on the
    /// first and last frames so both show the original.
    pub fn delta(&self, k: usize) -> f64 {
        if k == 0 || k + 1 >= self.count {
            return 0.0;
        }
        self.range * (std::f64::consts::TAU * k as f64 / (self.count - 1) as f64).sin()
    }

    fn scale(&self) -> usize {
        caption::scale_for(self.picture.0 * self.panels.len())
    }

    fn gap(&self) -> usize {
        4 * self.scale()
    }

    /// Top-left corner of panel `i`'s picture in a frame.
    pub fn panel_at(&self, i: usize) -> (usize, usize) {
        (
            i * (self.picture.0 + self.gap()),
            caption::band_height(self.scale()),
        )
    }
}

/// The SGD net's direction at the same places as a genome direction (a genome link's
/// counterpart is the layerized weight it became); `None` if `net` does not have the
/// layerized shape or a link has no weight there.
pub fn counterpart(twin: &Twin, dir: &Direction, net: &DenseNet) -> Option<Direction> {
    dir.0
        .iter()
        .map(|&(p, u)| twin.counterpart(p, net).map(|q| (q, u)))
        .collect::<Option<Vec<_>>>()
        .map(Direction)
}

impl Frames for SweepFrames {
    fn count(&self) -> usize {
        self.count
    }

    fn size(&self) -> (usize, usize) {
        let n = self.panels.len();
        let band = caption::band_height(self.scale());
        (
            n * self.picture.0 + (n - 1) * self.gap(),
            self.picture.1 + 2 * band,
        )
    }

    fn frame(&mut self, k: usize, progress: &PixelProgress) -> Option<Image> {
        let delta = self.delta(k);
        let grid = Grid::new(self.picture.0, self.picture.1);
        let (w, h) = self.size();
        let scale = self.scale();
        let mut img = Image::new(w, h);
        img.fill(BACKGROUND);
        for (i, p) in self.panels.iter().enumerate() {
            let net = moved(&p.net, &p.direction, delta).expect("checked in new");
            let picture = render_banded(&net, &grid, progress)?;
            let (x, y) = self.panel_at(i);
            img.blit(&picture, x, y);
            let title = caption::band(&p.title, self.picture.0, scale);
            img.blit(&title, x, 0);
        }
        let text = format!("{}   delta {delta:+.2}", self.label);
        img.blit(
            &caption::band(&text, w, scale),
            0,
            h - caption::band_height(scale),
        );
        Some(img)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::animate::crop;
    use crate::cppn::genome::tests::tiny;
    use crate::network::Param;

    #[test]
    fn the_loop_starts_and_ends_on_the_original_and_moves_between() {
        let twin = Twin::new(tiny()).unwrap();
        let link = Param::Link(twin.genome.links[0].id);
        let dir = Direction::single(link);
        let sgd = twin.layered.clone();
        let panels = vec![
            Panel {
                net: Network::from_genome(tiny()).unwrap(),
                direction: dir.clone(),
                title: "evolved".into(),
            },
            Panel {
                direction: counterpart(&twin, &dir, &sgd).unwrap(),
                net: Network::Net(sgd),
                title: "SGD".into(),
            },
        ];
        let mut s = SweepFrames::new(panels.clone(), "link".into(), 1.0, (40, 30), 9).unwrap();
        let p = PixelProgress::default();
        let grid = Grid::new(40, 30);
        for k in [0, 8] {
            let f = s.frame(k, &p).unwrap();
            assert_eq!((f.width, f.height), s.size());
            for (i, panel) in panels.iter().enumerate() {
                let (x, y) = s.panel_at(i);
                let original = render_banded(&panel.net, &grid, &p).unwrap();
                assert_eq!(crop(&f, x, y, 40, 30), original, "frame {k}");
                assert!(crate::image::psnr(&original, &panel.net.render(&grid)).unwrap() > 50.0);
            }
        }
        assert_eq!(s.delta(2), 1.0);
        assert!((s.delta(6) + 1.0).abs() < 1e-12);
        let f2 = s.frame(2, &p).unwrap();
        let (x, y) = s.panel_at(0);
        assert_ne!(crop(&f2, x, y, 40, 30), panels[0].net.render(&grid));
        // The layerized net is the genome's function: its sweep moves the same way.
        let moved_evolved = crop(&f2, x, y, 40, 30);
        let (x1, y1) = s.panel_at(1);
        let moved_sgd = crop(&f2, x1, y1, 40, 30);
        assert!(crate::image::psnr(&moved_evolved, &moved_sgd).unwrap() > 40.0);
    }

    #[test]
    fn a_missing_weight_is_refused() {
        let net = Network::from_genome(tiny()).unwrap();
        let dir = Direction::single(Param::Link(crate::cppn::Marking::new(7, 7)));
        let panel = Panel {
            net,
            direction: dir,
            title: String::new(),
        };
        assert!(SweepFrames::new(vec![panel], String::new(), 1.0, (8, 8), 4).is_none());
    }
}
