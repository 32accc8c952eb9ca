//! Evaluating a network through the training code's forward pass, keeping any or all
//! neurons' planes: what the trainer uses for its images and the gallery uses for live
//! neurons, without a second evaluator.

use super::backprop::{Workspace, copy_block};
use super::layout::ParamLayout;
use crate::dense::net::DenseNet;
use crate::grid::{Grid, Planes};
use rayon::prelude::*;
use std::sync::{Mutex, PoisonError};

/// Default pixels per block. The block's values (depth x width x block floats, plus
/// derivatives of the non-identity neurons) stay in L2 (1 MiB per core here); on the
/// skull architecture 512 measured faster than 256, 768, 1024 or 2048.
pub const BLOCK: usize = 512;

/// One workspace per rayon thread, handed out by thread index. A workspace is only
/// scratch, so which one a block uses never changes its result.
pub struct WorkspacePool {
    workspaces: Vec<Mutex<Workspace>>,
}

impl WorkspacePool {
    pub fn new() -> WorkspacePool {
        WorkspacePool { workspaces: vec![] }
    }

    /// Makes sure there is a workspace for each thread of the current rayon pool, each
    /// fitting `layout` at `block` pixels.
    pub fn prepare(&mut self, layout: &ParamLayout, block: usize) {
        let threads = rayon::current_num_threads().max(1);
        let fits = self.workspaces.len() == threads
            && self.workspaces.iter_mut().all(|w| {
                w.get_mut()
                    .unwrap_or_else(PoisonError::into_inner)
                    .fits(layout, block)
            });
        if !fits {
            self.workspaces = (0..threads)
                .map(|_| Mutex::new(Workspace::new(layout, block)))
                .collect();
        }
    }

    /// Runs `f` with the calling thread's workspace (after [`WorkspacePool::prepare`]).
    pub fn with<R>(&self, f: impl FnOnce(&mut Workspace) -> R) -> R {
        let i = rayon::current_thread_index().unwrap_or(0) % self.workspaces.len();
        let mut ws = self.workspaces[i]
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        f(&mut ws)
    }
}

/// A copy starts empty: workspaces are only scratch.
impl Clone for WorkspacePool {
    fn clone(&self) -> Self {
        WorkspacePool::new()
    }
}

impl std::fmt::Debug for WorkspacePool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "WorkspacePool({} workspaces)", self.workspaces.len())
    }
}

impl Default for WorkspacePool {
    fn default() -> Self {
        WorkspacePool::new()
    }
}

/// The planes listed in `keep` (numbered as [`DenseNet::evaluate`]: inputs, hidden
/// layers, outputs), in that order, for `params` laid out as `layout` over `grid`.
pub fn forward_planes(
    layout: &ParamLayout,
    params: &[f32],
    grid: &Grid,
    keep: &[usize],
    pool: &mut WorkspacePool,
) -> Planes {
    let inputs = grid.input_planes();
    forward_planes_from(layout, params, grid, (0, &inputs.data), keep, pool)
}

/// [`forward_planes`] from layer `from.0` on, its planes given as `from.1` (its
/// neurons' planes over `grid`, one after another): what a sweep of one weight of that
/// layer needs, the layers below it being unchanged. Every plane in `keep` must be of
/// layer `from.0` or above.
pub fn forward_planes_from(
    layout: &ParamLayout,
    params: &[f32],
    grid: &Grid,
    from: (usize, &[f32]),
    keep: &[usize],
    pool: &mut WorkspacePool,
) -> Planes {
    let n = grid.pixels();
    let (from, start_values) = from;
    assert_eq!(
        start_values.len(),
        layout.widths[from] * n,
        "layer {from}'s planes over the grid"
    );
    let fill = |layer: &mut [f32], ld: usize, start: usize, len: usize| {
        copy_block(layer, ld, start_values, n, start, len)
    };
    forward_planes_filled(layout, params, grid, from, &fill, keep, pool)
}

/// Writes a layer's values for a block of pixels: `(layer, ld, start, len)`, neuron
/// `c`'s values of pixels `start..start + len` at `layer[c * ld..][..len]`.
pub type LayerFill<'a> = dyn Fn(&mut [f32], usize, usize, usize) + Sync + 'a;

/// [`forward_planes_from`] with layer `from`'s values made block by block by `fill`
/// (`fill(layer, ld, start, len)` writes neuron `c`'s values of pixels `start..start +
/// len` at `layer[c * ld..][..len]`), so a layer computed from cached sums (a sweep's
/// rank update) is made in cache instead of written out whole and copied back in.
pub fn forward_planes_filled(
    layout: &ParamLayout,
    params: &[f32],
    grid: &Grid,
    from: usize,
    fill: &LayerFill<'_>,
    keep: &[usize],
    pool: &mut WorkspacePool,
) -> Planes {
    let mut data = vec![0.0f32; keep.len() * grid.pixels()];
    forward_planes_into(layout, params, grid, (from, fill), keep, pool, &mut data);
    Planes {
        width: grid.width,
        height: grid.height,
        data,
    }
}

/// [`forward_planes_filled`] writing the planes into `data` (`keep.len()` planes over
/// `grid`), so a caller that evaluates every step (a penalty on the hidden planes)
/// reuses one buffer instead of allocating megabytes each time.
pub fn forward_planes_into(
    layout: &ParamLayout,
    params: &[f32],
    grid: &Grid,
    (from, fill): (usize, &LayerFill<'_>),
    keep: &[usize],
    pool: &mut WorkspacePool,
    data: &mut [f32],
) {
    let n = grid.pixels();
    assert_eq!(data.len(), keep.len() * n, "room for every kept plane");
    let starts = layout.plane_starts();
    // Plane k lives in layer `l` at neuron `j`.
    let place: Vec<(usize, usize)> = keep
        .iter()
        .map(|&k| {
            let l = starts.iter().rposition(|&s| s <= k).unwrap_or(0);
            assert!(
                k < starts[l] + layout.widths[l],
                "plane {k} is past the network's last neuron"
            );
            assert!(l >= from, "plane {k} is below layer {from}");
            (l, k - starts[l])
        })
        .collect();
    if n > 0 {
        pool.prepare(layout, BLOCK);
        let dests = crate::grid::block_slices(data, n, BLOCK);
        let pool = &*pool;
        dests.into_par_iter().enumerate().for_each(|(b, mut dest)| {
            let start = b * BLOCK;
            let len = BLOCK.min(n - start);
            pool.with(|ws| {
                ws.fill_layer(from, |layer, ld| fill(layer, ld, start, len));
                ws.infer_from(layout, params, len, from);
                for (d, &(l, j)) in dest.iter_mut().zip(&place) {
                    d.copy_from_slice(ws.neuron(l, j, len));
                }
            });
        });
    }
}

/// Every neuron's plane of `net` over `grid` (the same numbering and values as
/// [`DenseNet::evaluate`], computed by the training code's blocked products).
pub fn evaluate(net: &DenseNet, grid: &Grid) -> Planes {
    let (layout, params) = ParamLayout::of(net);
    let all: Vec<usize> = (0..layout.widths.iter().sum()).collect();
    forward_planes(&layout, &params, grid, &all, &mut WorkspacePool::new())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activation::Activation;
    use crate::dense::net::NetOutputs;
    use crate::sgd::init::mlp;

    #[test]
    fn starting_from_a_layer_equals_the_whole_pass() {
        let mut net = mlp(3, 7, Activation::Tanh, true, NetOutputs::Hsv, 4);
        let grid = Grid::square(37);
        let n = grid.pixels();
        let (layout, _) = ParamLayout::of(&net);
        let all = evaluate(&net, &grid);
        let starts = layout.plane_starts();
        // Move one weight of layer 2 and start there from the unmoved net's layer 2.
        *net.layers[2].weight_mut(3, 5) += 0.7;
        let (_, moved) = ParamLayout::of(&net);
        let whole = evaluate(&net, &grid);
        let outputs: Vec<usize> = (starts[4]..starts[4] + 3).collect();
        let below = &all.data[starts[2] * n..(starts[2] + layout.widths[2]) * n];
        let from = forward_planes_from(
            &layout,
            &moved,
            &grid,
            (2, below),
            &outputs,
            &mut WorkspacePool::new(),
        );
        assert_eq!(from.data, whole.data[starts[4] * n..].to_vec());
        assert_ne!(
            from.data,
            all.data[starts[4] * n..].to_vec(),
            "the weight matters"
        );
    }

    #[test]
    fn matches_the_cppn_evaluator() {
        let mut net = mlp(3, 7, Activation::Tanh, true, NetOutputs::Hsv, 9);
        // Mixed activations and non-zero biases.
        for (l, acts) in net.hidden.iter_mut().enumerate() {
            for (j, a) in acts.iter_mut().enumerate() {
                *a = Activation::ALL[(l * 7 + j) % Activation::ALL.len()];
            }
        }
        for layer in &mut net.layers {
            for (j, b) in layer.bias.iter_mut().flatten().enumerate() {
                *b = 0.1 * j as f32 - 0.2;
            }
        }
        // 1500 pixels: one full block and a partial one.
        let grid = Grid::new(50, 30);
        let want = net.evaluate(&grid);
        let got = evaluate(&net, &grid);
        assert_eq!(got.count(), 4 + 21 + 3);
        for (i, (a, b)) in want.data.iter().zip(&got.data).enumerate() {
            assert!((a - b).abs() < 1e-4, "value {i}: {a} vs {b}");
        }
    }
}
