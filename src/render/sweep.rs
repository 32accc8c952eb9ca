//! Weight sweeps, the paper's strongest evidence: set one weight to `w + delta` for a
//! row of deltas and look at the images. Evolved networks tend to change one part of the
//! picture (a mouth opens, an eye winks); SGD networks tend to just corrupt it.

use crate::grid::Grid;
use crate::image::Image;
use crate::network::{Network, Param};
use rand::SeedableRng;
use rand_distr::{Distribution, StandardNormal};
use rayon::prelude::*;

/// `steps` evenly spaced deltas over [-range, range]; with an odd count the middle is 0.
pub fn deltas(steps: usize, range: f64) -> Vec<f64> {
    match steps {
        0 => vec![],
        1 => vec![0.0],
        _ => (0..steps)
            .map(|k| -range + 2.0 * range * k as f64 / (steps - 1) as f64)
            .collect(),
    }
}

/// What a sweep moves: one weight, or several along a fixed direction.
#[derive(Clone, Debug, PartialEq)]
pub struct Direction(pub Vec<(Param, f64)>);

impl Direction {
    pub fn single(p: Param) -> Direction {
        Direction(vec![(p, 1.0)])
    }

    /// A seeded random unit vector over the given weights (e.g. one neuron's incoming).
    pub fn random(params: &[Param], seed: u64) -> Direction {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        let v: Vec<f64> = params
            .iter()
            .map(|_| StandardNormal.sample(&mut rng))
            .collect();
        let norm = v.iter().map(|x| x * x).sum::<f64>().sqrt().max(1e-12);
        Direction(params.iter().zip(v).map(|(&p, x)| (p, x / norm)).collect())
    }
}

/// The network moved by `delta` along `dir`; `None` if a weight does not exist.
pub fn moved(net: &Network, dir: &Direction, delta: f64) -> Option<Network> {
    let params: Vec<Param> = dir.0.iter().map(|&(p, _)| p).collect();
    let values = net.param_values(&params)?;
    let changes: Vec<(Param, f64)> = dir
        .0
        .iter()
        .zip(values)
        .map(|(&(p, u), w)| (p, w + delta * u))
        .collect();
    net.with_params(&changes)
}

/// One image per delta. `None` if the direction names a missing weight.
pub fn sweep(net: &Network, dir: &Direction, deltas: &[f64], grid: &Grid) -> Option<Vec<Image>> {
    let nets: Option<Vec<Network>> = deltas.iter().map(|&d| moved(net, dir, d)).collect();
    Some(nets?.par_iter().map(|n| n.render(grid)).collect())
}

/// Images side by side with a 2-pixel gap.
pub fn strip(images: &[Image]) -> Image {
    sheet(&[images.to_vec()])
}

/// Rows of images (a strip per row) on a dark background, 2-pixel gaps.
pub fn sheet(rows: &[Vec<Image>]) -> Image {
    const GAP: usize = 2;
    let cell_w = rows.iter().flatten().map(|i| i.width).max().unwrap_or(0);
    let cell_h = rows.iter().flatten().map(|i| i.height).max().unwrap_or(0);
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut out = Image::new(
        cols * (cell_w + GAP) + GAP,
        rows.len() * (cell_h + GAP) + GAP,
    );
    out.fill([40, 40, 40, 255]);
    for (r, row) in rows.iter().enumerate() {
        for (c, img) in row.iter().enumerate() {
            out.blit(img, GAP + c * (cell_w + GAP), GAP + r * (cell_h + GAP));
        }
    }
    out
}

/// Mean absolute difference per channel (0..255) between two same-sized images.
pub fn change(a: &Image, b: &Image) -> f64 {
    let total: u64 = a
        .rgba
        .iter()
        .zip(&b.rgba)
        .map(|(x, y)| u64::from(x.abs_diff(*y)))
        .sum();
    total as f64 / a.rgba.len().max(1) as f64
}

/// A sweep of every weight, with how much it changes the image (mean of the change at
/// each delta against the original), largest change first.
pub struct SweepRow {
    pub param: Param,
    pub change: f64,
    pub images: Vec<Image>,
}

pub fn all_sweeps(net: &Network, deltas: &[f64], grid: &Grid) -> Vec<SweepRow> {
    ranked_sweeps(net, deltas, grid, usize::MAX)
}

/// Every weight's sweep ranked by how much it changes the picture, most first, with the
/// images kept for the first `keep` rows only (the others' `images` empty): memory holds
/// `keep` strips however many weights the network has.
pub fn ranked_sweeps(net: &Network, deltas: &[f64], grid: &Grid, keep: usize) -> Vec<SweepRow> {
    let original = net.render(grid);
    let mut rows: Vec<SweepRow> = net
        .params()
        .into_par_iter()
        .filter_map(|p| {
            let images = sweep(net, &Direction::single(p), deltas, grid)?;
            let change = images.iter().map(|i| change(i, &original)).sum::<f64>()
                / images.len().max(1) as f64;
            Some(SweepRow {
                param: p,
                change,
                images: if keep == usize::MAX { images } else { vec![] },
            })
        })
        .collect();
    rows.sort_by(|a, b| b.change.total_cmp(&a.change));
    if keep != usize::MAX {
        for row in rows.iter_mut().take(keep) {
            row.images =
                sweep(net, &Direction::single(row.param), deltas, grid).unwrap_or_default();
        }
    }
    rows
}

/// Bytes a sheet of `rows` strips of `steps` images `w` x `h` of a network of `neurons`
/// neurons needs at its peak (an estimate that errs high): the kept strips, one strip in
/// the making per thread with its planes, the network's copy and evaluation scratch, and
/// the sheet twice (pixels and encoding).
pub fn sheet_bytes(rows: usize, steps: usize, w: usize, h: usize, neurons: usize) -> u64 {
    use crate::budget::{planes, rgba};
    let threads = rayon::current_num_threads() as u64 + 1;
    let cell = rgba(w, h);
    let strips = cell.saturating_mul((rows as u64).saturating_mul(steps as u64));
    let working = threads.saturating_mul(
        cell.saturating_mul(steps as u64 + 1)
            .saturating_add(planes(3, w, h)),
    );
    let sheet = rgba(
        steps.saturating_mul(w + 2).saturating_add(2),
        rows.saturating_mul(h + 2).saturating_add(2),
    );
    let per_net = planes(neurons + 4, crate::steps::BLOCK, 1)
        .saturating_add(crate::budget::times(neurons as u64 + 4, 256));
    let nets = threads.saturating_mul(per_net).saturating_add(64 << 10);
    [strips, working, nets, sheet.saturating_mul(2)]
        .into_iter()
        .fold(0, u64::saturating_add)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cppn::genome::tests::tiny;
    use crate::cppn::{Activation, Link, Marking, Node, NodeKind};

    fn net() -> Network {
        Network::from_genome(tiny()).unwrap()
    }

    #[test]
    fn delta_zero_is_the_original_exactly() {
        let n = net();
        let grid = Grid::square(48);
        for p in n.params() {
            let imgs = sweep(&n, &Direction::single(p), &deltas(5, 1.0), &grid).unwrap();
            assert_eq!(imgs[2], n.render(&grid), "{p}");
        }
    }

    #[test]
    fn a_zero_weight_link_into_a_dead_end_changes_nothing() {
        let mut g = tiny();
        // A hidden node that feeds nothing, reached by a zero-weight link.
        g.nodes.push(Node {
            id: Marking::new(0, 50),
            kind: NodeKind::Hidden,
            activation: Activation::Sin,
        });
        g.links.push(Link {
            id: Marking::new(0, 51),
            source: Marking::new(0, 0),
            target: Marking::new(0, 50),
            weight: 0.0,
        });
        let n = Network::from_genome(g).unwrap();
        let grid = Grid::square(32);
        let imgs = sweep(
            &n,
            &Direction::single(Param::Link(Marking::new(0, 51))),
            &deltas(5, 1.0),
            &grid,
        )
        .unwrap();
        assert!(imgs.iter().all(|i| *i == n.render(&grid)));
    }

    #[test]
    fn a_live_link_changes_the_picture() {
        let n = net();
        let grid = Grid::square(32);
        let imgs = sweep(
            &n,
            &Direction::single(Param::Link(Marking::new(0, 10))),
            &deltas(3, 1.0),
            &grid,
        )
        .unwrap();
        assert!(change(&imgs[0], &imgs[1]) > 1.0);
    }

    #[test]
    fn sheet_rows_match_single_sweeps() {
        let n = net();
        let grid = Grid::square(16);
        let ds = deltas(3, 0.5);
        let rows = all_sweeps(&n, &ds, &grid);
        assert_eq!(rows.len(), n.params().len());
        assert!(rows.windows(2).all(|w| w[0].change >= w[1].change));
        for r in &rows {
            assert_eq!(
                r.images,
                sweep(&n, &Direction::single(r.param), &ds, &grid).unwrap()
            );
        }
        let img = sheet(&rows.iter().map(|r| r.images.clone()).collect::<Vec<_>>());
        assert_eq!(img.width, 3 * 18 + 2);
        // the first row's middle image sits at (20, 2)
        assert_eq!(img.pixel(20 + 5, 2 + 7), rows[0].images[1].pixel(5, 7));
    }

    #[test]
    fn random_direction_is_a_seeded_unit_vector() {
        let n = net();
        let ink = crate::cppn::Program::compile(&tiny())
            .unwrap()
            .outputs
            .planes()[0];
        let incoming = n.incoming(ink);
        assert_eq!(incoming.len(), 2);
        let a = Direction::random(&incoming, 3);
        assert_eq!(a, Direction::random(&incoming, 3));
        assert_ne!(a, Direction::random(&incoming, 4));
        let norm: f64 = a.0.iter().map(|(_, u)| u * u).sum();
        assert!((norm - 1.0).abs() < 1e-9);
    }

    #[test]
    fn net_weights_sweep_too() {
        let program = crate::cppn::Program::compile(&tiny()).unwrap();
        let n = Network::Net(crate::layerize::layerize(&program).net);
        let grid = Grid::square(16);
        let p = n.params()[5];
        let imgs = sweep(&n, &Direction::single(p), &deltas(3, 1.0), &grid).unwrap();
        assert_eq!(imgs[1], n.render(&grid));
        assert!(n.with_params(&[(p, f64::NAN)]).is_none());
    }

    #[test]
    fn a_random_sweep_of_a_large_genome_is_linear_in_it() {
        // 100k hidden nodes, 149,770 links: a search per weight made this about 2e10
        // link comparisons; indexed, it is linear, most of it compiling the moved
        // genome.
        let g = crate::cppn::synthetic::synthetic(100_000, 1);
        let n = Network::from_genome(g).unwrap();
        let dir = Direction::random(&n.params(), 7);
        let started = std::time::Instant::now();
        let m = moved(&n, &dir, 0.5).expect("every weight exists");
        let took = started.elapsed();
        assert!(
            took.as_secs_f64() < 5.0,
            "moving every weight took {took:?}"
        );
        let (p, u) = dir.0[dir.0.len() / 2];
        assert!((m.param(p).unwrap() - (n.param(p).unwrap() + 0.5 * u)).abs() < 1e-12);
    }
}
