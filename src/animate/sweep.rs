//! A weight sweep as a seamless loop: the weight (or direction) moves from w to
//! w + range, back through w to w - range, and home to w, following a sine; the evolved
//! network and, when given, its SGD twin side by side at the same layerized place,
//! with a caption naming the weight and the delta.

use super::caption::{self, BACKGROUND};
use super::rank_update::RankUpdate;
use super::{Frames, render_banded};
use crate::compare::Twin;
use crate::cppn::Genome;
use crate::dense::DenseNet;
use crate::grid::Grid;
use crate::image::{ColourPlanes, Image};
use crate::network::{Network, Param};
use crate::render::sweep::{Direction, moved};
use crate::sgd::forward::{
    WorkspacePool, forward_planes, forward_planes_filled, forward_planes_from,
};
use crate::sgd::layout::ParamLayout;
use crate::steps::PixelProgress;
use rayon::prelude::*;
use std::sync::atomic::Ordering;

/// Most bytes one panel's cached planes (see [`FromLayer`]) may take; bigger pictures
/// re-render the whole net band by band.
const CACHE_BYTES: usize = 256 << 20;

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
    /// Per panel, made with the first frame: a dense net's planes below its moved
    /// weights.
    from_layer: Option<Vec<Option<FromLayer>>>,
}

/// A dense panel swept from its lowest moved layer: that layer's planes for the unmoved
/// net are computed once, so each frame re-runs only the layers above it, on a copy of
/// the flat parameters (`cargo bench --bench animate`: the figure is in docs/benchmarks.md).
#[derive(Clone, Debug)]
struct FromLayer {
    layout: ParamLayout,
    params: Vec<f32>,
    /// Each moved weight's place in `params`, and its share of the delta.
    moves: Vec<(usize, f64)>,
    from: usize,
    /// Layer `from`'s planes over the picture, neuron after neuron.
    below: Vec<f32>,
    /// When every moved weight is in layer `from`: frames start at `from + 2`.
    rank: Option<RankUpdate>,
    outputs: Vec<usize>,
    colours: ColourPlanes,
    pool: WorkspacePool,
}

impl FromLayer {
    /// `None` for a genome panel, or when the planes would take more than
    /// [`CACHE_BYTES`].
    fn new(panel: &Panel, grid: &Grid) -> Option<FromLayer> {
        let Network::Net(net) = &panel.net else {
            return None;
        };
        let (layout, params) = ParamLayout::of(net);
        let mut moves = Vec::with_capacity(panel.direction.0.len());
        for &(p, u) in &panel.direction.0 {
            let Param::Weight { layer, i, j } = p else {
                return None;
            };
            moves.push((layer, i, j, layout.weight_index(layer, i, j), u));
        }
        let from = moves.iter().map(|m| m.0).min()?;
        let n = grid.pixels();
        if layout.widths[from] * n * 4 > CACHE_BYTES {
            return None;
        }
        let starts = layout.plane_starts();
        let layer_planes = |l: usize| (starts[l]..starts[l] + layout.widths[l]).collect::<Vec<_>>();
        let mut pool = WorkspacePool::new();
        let below = forward_planes(&layout, &params, grid, &layer_planes(from), &mut pool);
        // Two layers fewer a frame when the moved weights feed few neurons and the
        // sums of the layer above those fit too.
        let rank = (moves.iter().all(|m| m.0 == from)
            && from + 2 < layout.widths.len()
            && (layout.widths[from] + layout.widths[from + 1] + layout.widths[from + 2]) * n * 4
                <= CACHE_BYTES)
            .then(|| {
                let above = forward_planes_from(
                    &layout,
                    &params,
                    grid,
                    (from, &below.data),
                    &layer_planes(from + 1),
                    &mut pool,
                );
                RankUpdate::new(&layout, &params, &moves, (&below.data, &above.data), n)
            })
            .flatten();
        let total: usize = layout.widths.iter().sum();
        Some(FromLayer {
            outputs: (total - layout.outputs.count()..total).collect(),
            colours: net.outputs.colours(0),
            moves: moves.into_iter().map(|m| (m.3, m.4)).collect(),
            below: below.data,
            from,
            rank,
            layout,
            params,
            pool,
        })
    }

    /// The picture with the weights moved by `delta` (each as [`moved`] moves it).
    fn render(&mut self, delta: f64, grid: &Grid) -> Image {
        let planes = match &self.rank {
            // Frame 0 (delta 0) takes the other way: exactly as a whole render makes it.
            Some(rank) if delta != 0.0 => {
                let fill = rank.filler(&self.layout, &self.params, &self.below, delta);
                // The moved weights are below layer from + 2: the rest run unmoved.
                forward_planes_filled(
                    &self.layout,
                    &self.params,
                    grid,
                    self.from + 2,
                    &fill,
                    &self.outputs,
                    &mut self.pool,
                )
            }
            _ => {
                let mut shifted = self.params.clone();
                for &(k, u) in &self.moves {
                    shifted[k] = (f64::from(shifted[k]) + delta * u) as f32;
                }
                forward_planes_from(
                    &self.layout,
                    &shifted,
                    grid,
                    (self.from, &self.below),
                    &self.outputs,
                    &mut self.pool,
                )
            }
        };
        Image::from_planes(&planes, self.colours)
    }
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
            from_layer: None,
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

    /// The first panel's genome (the evolved network swept), if it is one.
    fn genome(&self) -> Option<&Genome> {
        self.panels.iter().find_map(|p| p.net.genome())
    }

    fn frame(&mut self, k: usize, progress: &PixelProgress) -> Option<Image> {
        let delta = self.delta(k);
        let grid = Grid::new(self.picture.0, self.picture.1);
        let (w, h) = self.size();
        let scale = self.scale();
        let mut img = Image::new(w, h);
        img.fill(BACKGROUND);
        if self.from_layer.is_none() {
            let cache = self.panels.iter().map(|p| FromLayer::new(p, &grid));
            self.from_layer = Some(cache.collect());
        }
        let cache = self.from_layer.as_deref_mut().unwrap_or_default();
        // The panels at once: each keeps both cores busy only part of the time.
        let pictures: Option<Vec<Image>> = self
            .panels
            .par_iter()
            .zip(cache.par_iter_mut())
            .map(|(p, fast)| match fast {
                Some(f) => {
                    if progress.is_cancelled() {
                        return None;
                    }
                    let picture = f.render(delta, &grid);
                    progress.done.fetch_add(grid.pixels(), Ordering::Relaxed);
                    Some(picture)
                }
                None => {
                    let net = moved(&p.net, &p.direction, delta).expect("checked in new");
                    render_banded(&net, &grid, progress)
                }
            })
            .collect();
        for (i, (p, picture)) in self.panels.iter().zip(pictures?).enumerate() {
            let (x, y) = self.panel_at(i);
            img.blit(&picture, x, y);
            let title = caption::band(&p.title, self.picture.0, scale);
            img.blit(&title, x, 0);
        }
        let tail = format!("   delta {delta:+.2}");
        img.blit(
            &caption::band_ending(&self.label, &tail, w, scale),
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
    fn a_long_label_leaves_the_delta_in_the_caption() {
        let link = Param::Link(tiny().links[0].id);
        let panel = Panel {
            net: Network::from_genome(tiny()).unwrap(),
            direction: Direction::single(link),
            title: "evolved".into(),
        };
        let label = "576:202 - Mouth and eye, a label far longer than the frame is wide";
        let mut s = SweepFrames::new(vec![panel], label.into(), 1.0, (160, 48), 9).unwrap();
        let f = s.frame(2, &PixelProgress::default()).unwrap();
        let band = caption::band_height(s.scale());
        let drawn = crop(&f, 0, f.height - band, f.width, band);
        let (text, scale) = caption::fitted(label, "   delta +1.00", f.width, s.scale());
        assert!(text.ends_with("delta +1.00"), "{text}");
        assert!(caption::text_width(&text, scale) <= f.width);
        assert_eq!(
            drawn,
            caption::band_ending(label, "   delta +1.00", f.width, s.scale())
        );
    }

    #[test]
    fn a_dense_panel_swept_from_its_layer_draws_what_the_whole_net_draws() {
        let twin = Twin::new(tiny()).unwrap();
        let grid = Grid::new(24, 20);
        let p = PixelProgress::default();
        // Each link's layerized weight, and two of them in different layers together.
        let mut directions: Vec<Direction> = twin
            .genome
            .links
            .iter()
            .map(|l| {
                counterpart(&twin, &Direction::single(Param::Link(l.id)), &twin.layered).unwrap()
            })
            .collect();
        let layer = |d: &Direction| match d.0[0].0 {
            Param::Weight { layer, .. } => layer,
            Param::Link(_) => unreachable!(),
        };
        let (low, high) = (
            directions.iter().min_by_key(|d| layer(d)).unwrap().clone(),
            directions.iter().max_by_key(|d| layer(d)).unwrap().clone(),
        );
        assert!(layer(&low) < layer(&high), "the links span layers");
        directions.push(Direction(vec![(high.0[0].0, 1.0), (low.0[0].0, -0.5)]));
        for direction in directions {
            let panel = Panel {
                net: Network::Net(twin.layered.clone()),
                direction: direction.clone(),
                title: String::new(),
            };
            let mut s =
                SweepFrames::new(vec![panel.clone()], String::new(), 1.5, (24, 20), 8).unwrap();
            let f = s.frame(2, &p).unwrap();
            let cache = s.from_layer.as_ref().unwrap();
            assert!(cache[0].is_some(), "{direction:?} is swept from its layer");
            let whole = moved(&panel.net, &direction, s.delta(2))
                .unwrap()
                .render(&grid);
            let (x, y) = s.panel_at(0);
            let fast = crop(&f, x, y, 24, 20);
            assert!(
                fast.rgba
                    .iter()
                    .zip(&whole.rgba)
                    .all(|(a, b)| a.abs_diff(*b) <= 1),
                "{direction:?}"
            );
            assert_ne!(
                fast,
                panel.net.render(&grid),
                "{direction:?} moves the picture"
            );
        }
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

    #[test]
    fn a_sweep_two_layers_cheaper_draws_what_the_whole_net_draws() {
        use crate::activation::Activation;
        use crate::dense::net::NetOutputs;
        use crate::sgd::init::mlp;
        let net = mlp(5, 9, Activation::Tanh, true, NetOutputs::Hsv, 3);
        let grid = Grid::new(33, 21);
        let p = PixelProgress::default();
        let w = |layer, i, j| Param::Weight { layer, i, j };
        // One weight; two into one neuron; two into two neurons; across layers (not
        // taken this way); in the last layers (not taken either).
        for (direction, fast) in [
            (vec![(w(1, 2, 3), 1.0)], true),
            (vec![(w(2, 0, 4), 1.0), (w(2, 5, 4), -0.7)], true),
            (vec![(w(0, 1, 1), 0.5), (w(0, 3, 6), 1.0)], true),
            (vec![(w(1, 2, 3), 1.0), (w(2, 0, 4), 1.0)], false),
            (vec![(w(4, 2, 3), 1.0)], false),
        ] {
            let panel = Panel {
                net: Network::Net(net.clone()),
                direction: Direction(direction.clone()),
                title: String::new(),
            };
            let mut s =
                SweepFrames::new(vec![panel.clone()], String::new(), 2.0, (33, 21), 7).unwrap();
            for k in 0..7 {
                let f = s.frame(k, &p).unwrap();
                let cache = s.from_layer.as_ref().unwrap()[0].as_ref().unwrap();
                assert_eq!(cache.rank.is_some(), fast, "{direction:?}");
                let whole = moved(&panel.net, &panel.direction, s.delta(k))
                    .unwrap()
                    .render(&grid);
                let (x, y) = s.panel_at(0);
                let swept = crop(&f, x, y, 33, 21);
                let worst = swept
                    .rgba
                    .iter()
                    .zip(&whole.rgba)
                    .map(|(a, b)| a.abs_diff(*b));
                assert!(worst.max().unwrap() <= 1, "{direction:?} frame {k}");
                if k == 0 {
                    assert_eq!(swept, render_banded(&panel.net, &grid, &p).unwrap());
                }
            }
        }
    }
}
