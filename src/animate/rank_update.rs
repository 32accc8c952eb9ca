//! A dense net's sweep of weights that all lie in one layer, two layers at a time
//! cheaper: moving weights of layer `l` (from neurons of values `l` into neurons of
//! values `l + 1`) changes only the few neurons they feed, so values `l + 1` need only
//! those neurons recomputed, and the sums of values `l + 2` are their unmoved sums plus
//! one plane per changed neuron times its outgoing weights (a rank-k update in place of
//! two full products). The full layers run from `l + 2` on.
//!
//! Apple's layerized net (38 wide) swept at its middle link re-runs 17 products a
//! frame instead of 19 (`cargo bench --bench animate`; figures in docs/benchmarks.md).

use crate::sgd::layout::ParamLayout;
use rayon::prelude::*;

/// One neuron of values `l + 1` that a moved weight feeds.
#[derive(Clone, Debug)]
struct Changed {
    neuron: usize,
    /// Its sums (before the activation) and values in the unmoved net, over the grid.
    sums: Vec<f32>,
    values: Vec<f32>,
    /// The moved weights into it: (neuron below, place in the parameters, share).
    moves: Vec<(usize, usize, f64)>,
}

/// What a frame needs beyond values `l`'s planes: see the module docs.
#[derive(Clone, Debug)]
pub struct RankUpdate {
    layer: usize,
    changed: Vec<Changed>,
    /// Sums of values `l + 2` in the unmoved net, neuron after neuron.
    sums2: Vec<f32>,
    pixels: usize,
}

impl RankUpdate {
    /// For `moves` (layer, neuron below, neuron above, place, share), all in layer
    /// `layer`, given values `layer` and `layer + 1` of the unmoved net (`below`,
    /// `above`, neuron after neuron over `pixels`). `None` when values `layer + 2` are
    /// the outputs or beyond, or the moves span layers.
    pub fn new(
        layout: &ParamLayout,
        params: &[f32],
        moves: &[(usize, usize, usize, usize, f64)],
        (below, above): (&[f32], &[f32]),
        pixels: usize,
    ) -> Option<RankUpdate> {
        let layer = moves.first()?.0;
        let top = layout.widths.len() - 1;
        if layer + 2 >= top || moves.iter().any(|m| m.0 != layer) {
            return None;
        }
        let plane = |planes: &[f32], k: usize| planes[k * pixels..][..pixels].to_vec();
        let mut changed: Vec<Changed> = Vec::new();
        for &(_, i, j, k, u) in moves {
            match changed.iter_mut().find(|c| c.neuron == j) {
                Some(c) => c.moves.push((i, k, u)),
                None => changed.push(Changed {
                    neuron: j,
                    sums: sums_of(layout, params, layer, j, below, pixels),
                    values: plane(above, j),
                    moves: vec![(i, k, u)],
                }),
            }
        }
        let sums2 = (0..layout.widths[layer + 2])
            .into_par_iter()
            .flat_map_iter(|q| sums_of(layout, params, layer + 1, q, above, pixels))
            .collect();
        Some(RankUpdate {
            layer,
            changed,
            sums2,
            pixels,
        })
    }

    /// Values `layer + 2` with the weights moved by `delta` (each as
    /// `crate::render::sweep::moved` moves it: in f64, stored as f32), made block by
    /// block for [`crate::sgd::forward::forward_planes_filled`]: each block's few
    /// changed neurons, then its rows of values `layer + 2`, all in cache. (Made whole
    /// and copied into the blocks, the same values took five passes over the whole
    /// layer a frame.)
    pub fn filler<'a>(
        &'a self,
        layout: &'a ParamLayout,
        params: &'a [f32],
        below: &'a [f32],
        delta: f64,
    ) -> impl Fn(&mut [f32], usize, usize, usize) + Sync + 'a {
        let (n, l) = (self.pixels, self.layer);
        // Each moved weight's change, once a frame.
        let changes: Vec<Vec<(usize, f32)>> = self
            .changed
            .iter()
            .map(|c| {
                c.moves
                    .iter()
                    .map(|&(i, k, u)| (i, (f64::from(params[k]) + delta * u) as f32 - params[k]))
                    .collect()
            })
            .collect();
        let out = layout.weights(params, l + 1);
        let width2 = layout.widths[l + 2];
        move |dest: &mut [f32], ld: usize, start: usize, len: usize| {
            // Each changed neuron's change over the block.
            let deltas: Vec<Vec<f32>> = self
                .changed
                .iter()
                .zip(&changes)
                .map(|(c, moves)| {
                    let mut s = c.sums[start..][..len].to_vec();
                    for &(i, change) in moves {
                        axpy(change, &below[i * n + start..][..len], &mut s);
                    }
                    layout.hidden[l][c.neuron].apply_slice(&mut s);
                    s.iter_mut()
                        .zip(&c.values[start..][..len])
                        .for_each(|(s, v)| *s -= v);
                    s
                })
                .collect();
            for q in 0..width2 {
                let row = &mut dest[q * ld..][..len];
                row.copy_from_slice(&self.sums2[q * n + start..][..len]);
                for (c, d) in self.changed.iter().zip(&deltas) {
                    axpy(out[c.neuron * width2 + q], d, row);
                }
                layout.hidden[l + 1][q].apply_slice(row);
            }
        }
    }
}

/// Neuron `j` of values `l + 1`'s sums (bias and weighted inputs, before the
/// activation) from values `l`'s planes.
fn sums_of(
    layout: &ParamLayout,
    params: &[f32],
    l: usize,
    j: usize,
    values: &[f32],
    n: usize,
) -> Vec<f32> {
    let bias = layout.bias(params, l).map_or(0.0, |b| b[j]);
    let mut sums = vec![bias; n];
    let w = layout.weights(params, l);
    for i in 0..layout.widths[l] {
        axpy(
            w[i * layout.widths[l + 1] + j],
            &values[i * n..][..n],
            &mut sums,
        );
    }
    sums
}

/// `y += a * x`.
fn axpy(a: f32, x: &[f32], y: &mut [f32]) {
    for (y, &x) in y.iter_mut().zip(x) {
        *y = a.mul_add(x, *y);
    }
}
