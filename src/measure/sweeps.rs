//! Weight-sweep measures: move one weight by -delta and by +delta and measure how the
//! image changes. An evolved network's change tends to be one symmetric part; an SGD
//! network's tends to be scattered.

use super::defs::{ByMeasure, Change, MeasureKind, Sweeps};
use crate::colour::{grey, picbreeder_rgb};
use crate::cppn::eval::evaluate_outputs;
use crate::dense::net::DenseNet;
use crate::grid::{Grid, Planes};
use crate::image::ColourPlanes;
use crate::network::{Network, Param};
use crate::render::sweep::{Direction, moved};
use crate::sgd::forward::{WorkspacePool, forward_planes, forward_planes_from};
use crate::sgd::layout::ParamLayout;
use rand::SeedableRng;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// A sweep whose largest |change| is below this is dead.
pub const DEAD: f64 = 1e-4;
/// A pixel whose |change| is above this is changed (reach, fragmentation).
pub const CHANGED: f64 = 0.05;

/// One sweep: a weight moved by `delta` (negative or positive).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepMeasure {
    /// The weight, as [`Param`]'s display ("link 0:12", "layer 2 weight (3, 4)").
    pub param: String,
    /// Its index in [`Network::params`].
    pub index: usize,
    pub delta: f64,
    pub dead: bool,
    /// Each sweep measure (`"change_symmetry": ...`); NaN (null) for a dead sweep.
    #[serde(flatten)]
    pub values: ByMeasure<Sweeps, f64>,
}

/// Which weights to sweep: all, or a seeded random sample of `sample` of them (sorted).
/// The flag says whether it is a sample.
pub fn chosen(count: usize, sample: usize, seed: u64) -> (Vec<usize>, bool) {
    if count <= sample {
        return ((0..count).collect(), false);
    }
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let mut v = rand::seq::index::sample(&mut rng, count, sample).into_vec();
    v.sort_unstable();
    (v, true)
}

/// A network's colours as it outputs them: R, G, B in [0, 1] per pixel, before the
/// rounding to 8 bits (which shifts the measures; docs/measures.md): sweep measures are
/// of the network's change, not of a picture file's.
#[derive(Clone, Debug, PartialEq)]
pub struct Colours {
    pub width: usize,
    /// Three per pixel, row-major.
    pub rgb: Vec<f32>,
}

impl Colours {
    /// Output planes coloured by the Picbreeder rule, as [`Image::from_planes`] does.
    pub fn of(planes: &Planes, which: ColourPlanes) -> Colours {
        let n = planes.pixels();
        let mut rgb = Vec::with_capacity(3 * n);
        match which {
            ColourPlanes::Grey(ink) => {
                for &v in planes.plane(ink) {
                    let g = grey(v);
                    rgb.extend([g, g, g]);
                }
            }
            ColourPlanes::Hsv(h, s, v) => {
                let get = |p: Option<usize>, k: usize| p.map_or(0.0, |p| planes.plane(p)[k]);
                let v = planes.plane(v);
                for (k, &v) in v.iter().enumerate() {
                    rgb.extend(picbreeder_rgb(get(h, k), get(s, k), v));
                }
            }
        }
        Colours {
            width: planes.width,
            rgb,
        }
    }
}

/// The change of the colours, per pixel: the mean over R, G, B of (swept - original).
pub fn change_plane(original: &Colours, swept: &Colours) -> Vec<f32> {
    original
        .rgb
        .chunks_exact(3)
        .zip(swept.rgb.chunks_exact(3))
        .map(|(a, b)| (0..3).map(|c| b[c] - a[c]).sum::<f32>() / 3.0)
        .collect()
}

/// `1 - sum|D - mirror(D)| / (sum|D| + sum|mirror(D)|)`, mirror left-right; 1 for a
/// mirror-symmetric change, 0 for a change wholly on one side.
pub fn change_symmetry(delta: &[f32], width: usize) -> f64 {
    let (mut diff, mut total) = (0.0f64, 0.0f64);
    for (i, &d) in delta.iter().enumerate() {
        let m = delta[i - i % width + (width - 1 - i % width)];
        diff += f64::from((d - m).abs());
        total += f64::from(d.abs()) + f64::from(m.abs());
    }
    if total == 0.0 {
        1.0
    } else {
        1.0 - diff / total
    }
}

/// Every sweep measure of one change of the image; `None` when the sweep is dead.
pub fn measure_change(original: &Colours, swept: &Colours) -> Option<ByMeasure<Sweeps, f64>> {
    let delta = change_plane(original, swept);
    let max = delta.iter().fold(0.0f32, |m, d| m.max(d.abs()));
    if f64::from(max) < DEAD {
        return None;
    }
    let mask: Vec<bool> = delta.iter().map(|d| f64::from(d.abs()) > CHANGED).collect();
    let se: f64 = original
        .rgb
        .iter()
        .zip(&swept.rgb)
        .map(|(&a, &b)| (f64::from(b) - f64::from(a)).powi(2))
        .sum();
    let n = original.rgb.len();
    let change = Change {
        delta: &delta,
        mask: &mask,
        width: original.width,
        mse: se / n.max(1) as f64,
    };
    Some(ByMeasure::from_fn(|def| match def.kind {
        MeasureKind::Sweep(f) => f(&change),
        _ => unreachable!("a sweep family holds sweep measures"),
    }))
}

/// The colours of a network, a dense net through the training code's blocked matrix
/// products (on apple's 46,474-weight net this made the sweeps several times faster
/// than the per-neuron evaluator). Sweeps compare against an original drawn the same way.
pub fn render(net: &Network, grid: &Grid) -> Colours {
    match net {
        Network::Net(n) => {
            let (layout, params) = ParamLayout::of(n);
            let total: usize = layout.widths.iter().sum();
            let keep: Vec<usize> = (total - n.outputs.count()..total).collect();
            let planes = forward_planes(&layout, &params, grid, &keep, &mut WorkspacePool::new());
            Colours::of(&planes, n.outputs.colours(0))
        }
        Network::Genome { program, .. } => {
            Colours::of(&evaluate_outputs(program, grid), program.outputs.colours())
        }
    }
}

/// Every chosen weight swept by -delta and +delta (in that order), in parallel.
pub fn measure_sweeps(
    net: &Network,
    original: &Colours,
    grid: &Grid,
    chosen: &[usize],
    delta: f64,
    cancel: &(dyn Fn() -> bool + Sync),
) -> Option<Vec<SweepMeasure>> {
    let params: Vec<Param> = net.params();
    let dense = match net {
        Network::Net(n) => Some(DenseSweeps::new(n, grid)),
        Network::Genome { .. } => None,
    };
    let jobs: Vec<(usize, f64)> = chosen
        .iter()
        .flat_map(|&k| [(k, -delta), (k, delta)])
        .collect();
    let out: Vec<Option<SweepMeasure>> = jobs
        .par_iter()
        .map(|&(k, d)| {
            if cancel() {
                return None;
            }
            let p = params[k];
            let swept = match (&dense, p) {
                (Some(s), Param::Weight { layer, i, j }) => s.render(grid, layer, i, j, d),
                _ => render(&moved(net, &Direction::single(p), d)?, grid),
            };
            let values = measure_change(original, &swept);
            Some(SweepMeasure {
                param: p.to_string(),
                index: k,
                delta: d,
                dead: values.is_none(),
                values: values.unwrap_or_default(),
            })
        })
        .collect();
    if cancel() {
        return None;
    }
    Some(out.into_iter().flatten().collect())
}

/// A dense net's sweeps, each from the swept weight's layer up: the unmoved net's
/// planes are computed once, and a weight of layer `l` re-runs only layers `l` and
/// above (`sgd::forward::forward_planes_from`), on a copy of the flat parameters
/// rather than a rebuilt net.
struct DenseSweeps {
    layout: ParamLayout,
    params: Vec<f32>,
    /// Every neuron's plane of the unmoved net.
    base: Planes,
    /// The first plane number of each layer.
    starts: Vec<usize>,
    outputs: Vec<usize>,
    colours: ColourPlanes,
}

impl DenseSweeps {
    fn new(net: &DenseNet, grid: &Grid) -> DenseSweeps {
        let (layout, params) = ParamLayout::of(net);
        let starts = layout.plane_starts();
        let total: usize = layout.widths.iter().sum();
        let all: Vec<usize> = (0..total).collect();
        let base = forward_planes(&layout, &params, grid, &all, &mut WorkspacePool::new());
        DenseSweeps {
            outputs: (total - net.outputs.count()..total).collect(),
            colours: net.outputs.colours(0),
            layout,
            params,
            base,
            starts,
        }
    }

    /// The colours with weight (i, j) of `layer` moved by `delta`.
    fn render(&self, grid: &Grid, layer: usize, i: usize, j: usize, delta: f64) -> Colours {
        let mut params = self.params.clone();
        params[self.layout.weight_index(layer, i, j)] += delta as f32;
        let n = grid.pixels();
        let below = &self.base.data[self.starts[layer] * n..][..self.layout.widths[layer] * n];
        let planes = forward_planes_from(
            &self.layout,
            &params,
            grid,
            (layer, below),
            &self.outputs,
            &mut WorkspacePool::new(),
        );
        Colours::of(&planes, self.colours)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grey(width: usize, f: impl Fn(usize, usize) -> u8) -> Colours {
        let mut rgb = vec![];
        for r in 0..width {
            for c in 0..width {
                let g = f32::from(f(r, c)) / 255.0;
                rgb.extend([g, g, g]);
            }
        }
        Colours { width, rgb }
    }

    #[test]
    fn a_disc_changing_is_one_region_with_its_area_as_reach() {
        let n = 32;
        let original = grey(n, |_, _| 100);
        // A disc of radius 6 around row 10, column 24 turns white.
        let inside =
            |r: usize, c: usize| (r as f64 - 10.0).powi(2) + (c as f64 - 24.0).powi(2) <= 36.0;
        let swept = grey(n, |r, c| if inside(r, c) { 255 } else { 100 });
        let area = (0..n * n).filter(|&i| inside(i / n, i % n)).count();
        let m = measure_change(&original, &swept).expect("live");
        assert_eq!(m["fragmentation"], 1.0);
        assert_eq!(m["reach"], area as f64 / (n * n) as f64);
        // Off-centre: its mirror does not overlap it at all.
        assert_eq!(m["change_symmetry"], 0.0);
        // PSNR: 10 log10(1 / mse), the disc's pixels changed by 155 / 255 in R, G and B.
        let mse = area as f64 * (155.0f64 / 255.0).powi(2) / (n * n) as f64;
        let psnr = -10.0 * mse.log10();
        assert!((m["preservation"] - psnr).abs() < 1e-5, "{psnr}");
        // Two discs, mirror images of each other: two regions, symmetric change.
        let two = grey(n, |r, c| {
            if inside(r, c) || inside(r, n - 1 - c) {
                255
            } else {
                100
            }
        });
        let m = measure_change(&original, &two).expect("live");
        assert_eq!((m["change_symmetry"], m["fragmentation"]), (1.0, 2.0));
        assert!(measure_change(&original, &original).is_none());
    }

    #[test]
    fn a_dense_sweep_from_its_layer_up_equals_the_whole_moved_net() {
        use crate::activation::Activation;
        use crate::dense::net::NetOutputs;
        let net = crate::sgd::init::mlp(3, 6, Activation::Tanh, true, NetOutputs::Hsv, 2);
        let grid = Grid::square(19);
        let sweeps = DenseSweeps::new(&net, &grid);
        let whole = Network::Net(net.clone());
        for (layer, i, j) in [(0, 1, 2), (2, 5, 0), (3, 4, 2)] {
            let p = Param::Weight { layer, i, j };
            let moved = moved(&whole, &Direction::single(p), 0.8).unwrap();
            assert_eq!(
                sweeps.render(&grid, layer, i, j, 0.8),
                render(&moved, &grid),
                "{p}"
            );
        }
    }

    /// A change smaller than half an 8-bit step is a change of the network's colours:
    /// measured, not rounded away (8-bit pixels would call this sweep dead).
    #[test]
    fn a_change_below_eight_bits_is_measured_on_the_colours() {
        let n = 16;
        let original = grey(n, |_, _| 128);
        let mut swept = original.clone();
        for (k, px) in swept.rgb.chunks_exact_mut(3).enumerate() {
            if k % n < n / 2 {
                px.iter_mut().for_each(|c| *c += 0.001);
            }
        }
        let to_u8 =
            |c: &Colours| -> Vec<u8> { c.rgb.iter().map(|&v| crate::colour::to_u8(v)).collect() };
        assert_eq!(to_u8(&original), to_u8(&swept), "the same at 8 bits");
        let m = measure_change(&original, &swept).expect("live on the colours");
        assert_eq!(m["change_symmetry"], 0.0);
        assert_eq!(m["reach"], 0.0);
        let psnr = -10.0 * (0.5f64 * 1e-6).log10();
        assert!(
            (m["preservation"] - psnr).abs() < 1e-3,
            "{}",
            m["preservation"]
        );
    }

    #[test]
    fn samples_are_seeded_and_sorted() {
        assert_eq!(chosen(5, 10, 0), (vec![0, 1, 2, 3, 4], false));
        let (a, sampled) = chosen(1000, 20, 7);
        assert!(sampled && a.len() == 20 && a.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(a, chosen(1000, 20, 7).0);
        assert_ne!(a, chosen(1000, 20, 8).0);
    }
}
