//! Forward and backward passes over one block of pixels, written by hand over the
//! `gemm` crate's matrix products.
//!
//! A block holds up to [`Workspace::block`] pixels. Every layer's values are stored
//! neuron-major: neuron `j`'s values over the block are `buf[j * block..][..len]`, which
//! is a column-major `len x width` matrix, so each layer is one product with the large
//! (pixel) dimension contiguous, and each neuron's activation runs over a contiguous
//! slice (vectorized, see
//! [`crate::cppn::Activation::apply_slice_with_derivative`]). The forward
//! pass keeps every layer's values and activation derivatives; the whole block (about
//! 2 x depth x width x block floats) stays in L2 cache for the backward pass.
//!
//! Per layer `l` with input `A` (`len x n_in`), weights `W` (`n_in x n_out`, row-major):
//! forward `Z = A W (+ b)`, `A' = act(Z)`; backward, given `D = dLoss/dZ`,
//! `dW = A^T D`, `db = column sums of D`, and `dLoss/dA = D W^T`, times the
//! activation derivative of the layer below.

use super::layout::ParamLayout;
use super::loss::{grey_pixel_rule, hsv_pixel_rule};
use super::narrow;
use crate::activation::Activation;
use crate::dense::net::NetOutputs;

/// Largest product (m x n outputs) that gemm computes with its dot-product kernels.
const DOT_OUTPUTS: usize = 256;

/// `C = A B` (or `C += A B` when `accumulate`), for an `m x k` `A` and a `k x n` `B`.
/// Each matrix is a slice with (row stride, column stride). Panics if a matrix would
/// reach past its slice, which keeps the unsafe call below in bounds.
#[allow(clippy::too_many_arguments)]
pub fn matmul(
    (m, n, k): (usize, usize, usize),
    c: &mut [f32],
    (c_rs, c_cs): (usize, usize),
    accumulate: bool,
    a: &[f32],
    (a_rs, a_cs): (usize, usize),
    b: &[f32],
    (b_rs, b_cs): (usize, usize),
) {
    if m == 0 || n == 0 {
        return;
    }
    let fits = |len: usize, rows: usize, cols: usize, rs: usize, cs: usize| {
        rows == 0 || cols == 0 || (rows - 1) * rs + (cols - 1) * cs < len
    };
    assert!(fits(c.len(), m, n, c_rs, c_cs), "matmul: C out of bounds");
    assert!(fits(a.len(), m, k, a_rs, a_cs), "matmul: A out of bounds");
    assert!(fits(b.len(), k, n, b_rs, b_cs), "matmul: B out of bounds");
    if k == 0 {
        if !accumulate {
            for i in 0..m {
                for j in 0..n {
                    c[i * c_rs + j * c_cs] = 0.0;
                }
            }
        }
        return;
    }
    // SAFETY: every index the product touches is checked above to lie inside its slice;
    // `c` is borrowed mutably, so it does not alias `a` or `b`.
    unsafe {
        gemm::gemm(
            m,
            n,
            k,
            c.as_mut_ptr(),
            c_cs as isize,
            c_rs as isize,
            accumulate,
            a.as_ptr(),
            a_cs as isize,
            a_rs as isize,
            b.as_ptr(),
            b_cs as isize,
            b_rs as isize,
            1.0,
            1.0,
            false,
            false,
            false,
            gemm::Parallelism::None,
        );
    }
}

/// Scratch for one block: every layer's values and derivatives, and the backward
/// pass's two gradient buffers. Reused from step to step; never shared between threads.
pub struct Workspace {
    /// Pixels per block.
    pub block: usize,
    /// Distance between neurons in the buffers: the block padded by one cache line, so
    /// that a layer's columns do not all fall in the same cache sets (a 4 KiB stride
    /// made the products thrash L1).
    ld: usize,
    /// Neuron `j` of layer `l` is `values[l][j * ld..][..block]`. `values[0]` holds the inputs x, y, d, bias; `values[l]` layer `l`'s activations
    /// (hidden layers 1..=L); the last entry holds the raw outputs.
    values: Vec<Vec<f32>>,
    /// Activation derivatives of hidden layer `l + 1` at its pre-activations.
    derivs: Vec<Vec<f32>>,
    /// dLoss/d(pre-activation) of the current layer, and of the one below.
    delta: [Vec<f32>; 2],
}

impl Workspace {
    pub fn new(layout: &ParamLayout, block: usize) -> Workspace {
        let w = &layout.widths;
        let widest = w.iter().copied().max().unwrap_or(0);
        let ld = block.next_multiple_of(16) + 16;
        Workspace {
            block,
            ld,
            values: w.iter().map(|&n| vec![0.0; n * ld]).collect(),
            derivs: w[1..w.len() - 1]
                .iter()
                .map(|&n| vec![0.0; n * ld])
                .collect(),
            delta: [vec![0.0; widest * ld], vec![0.0; widest * ld]],
        }
    }

    /// Whether this workspace fits `layout` with `block` pixels.
    pub fn fits(&self, layout: &ParamLayout, block: usize) -> bool {
        self.block == block
            && self.values.len() == layout.widths.len()
            && self
                .values
                .iter()
                .zip(&layout.widths)
                .all(|(v, &n)| v.len() == n * self.ld)
    }

    /// Neuron `j` of layer `l` (0 the inputs, the last the outputs) over the first
    /// `len` pixels, after [`Workspace::forward`].
    pub fn neuron(&self, l: usize, j: usize, len: usize) -> &[f32] {
        &self.values[l][j * self.ld..][..len]
    }

    /// Loads `len` pixels of input planes (x, y, d, bias, each `stride` long) starting
    /// at pixel `start`.
    pub fn load_inputs(&mut self, inputs: &[f32], stride: usize, start: usize, len: usize) {
        self.load_layer(0, inputs, stride, start, len);
    }

    /// Lets `fill(values, ld)` write layer `l`'s values (neuron `c` at `c * ld`).
    pub fn fill_layer(&mut self, l: usize, fill: impl FnOnce(&mut [f32], usize)) {
        fill(&mut self.values[l], self.ld);
    }

    /// Loads `len` pixels of layer `l`'s planes (each `stride` long, neuron by neuron)
    /// starting at pixel `start`, for [`Workspace::forward_from`]`(.., l)`.
    pub fn load_layer(
        &mut self,
        l: usize,
        planes: &[f32],
        stride: usize,
        start: usize,
        len: usize,
    ) {
        let ld = self.ld;
        copy_block(&mut self.values[l], ld, planes, stride, start, len);
    }

    /// Runs the network over the loaded pixels, keeping every layer's values and the
    /// hidden layers' activation derivatives.
    pub fn forward(&mut self, layout: &ParamLayout, params: &[f32], len: usize) {
        self.forward_from(layout, params, len, 0);
    }

    /// [`Workspace::forward`] from the values of layer `from` on (loaded with
    /// [`Workspace::load_layer`]): the layers below are not recomputed, so moving one
    /// weight of layer `from` costs only the layers above it.
    pub fn forward_from(&mut self, layout: &ParamLayout, params: &[f32], len: usize, from: usize) {
        self.layers_from(layout, params, len, from, true);
    }

    /// [`Workspace::forward_from`] without the activation derivatives, which only
    /// training needs (rendering pictures and planes).
    pub fn infer_from(&mut self, layout: &ParamLayout, params: &[f32], len: usize, from: usize) {
        self.layers_from(layout, params, len, from, false);
    }

    fn layers_from(
        &mut self,
        layout: &ParamLayout,
        params: &[f32],
        len: usize,
        from: usize,
        derivatives: bool,
    ) {
        let b = self.ld;
        for l in from..layout.layer_count() {
            let (n_in, n_out) = (layout.widths[l], layout.widths[l + 1]);
            let (below, above) = self.values.split_at_mut(l + 1);
            let (a, z) = (&below[l], &mut above[0]);
            let bias = layout.bias(params, l);
            if let Some(bias) = bias {
                for (j, &bj) in bias.iter().enumerate() {
                    z[j * b..j * b + len].fill(bj);
                }
            }
            let weights = layout.weights(params, l);
            let narrow = !derivatives
                && n_in.max(n_out) <= narrow::MAX_WIDTH
                && narrow::layer((len, n_out, n_in), z, bias.is_some(), a, weights, b);
            if !narrow {
                matmul(
                    (len, n_out, n_in),
                    z,
                    (1, b),
                    bias.is_some(),
                    a,
                    (1, b),
                    weights,
                    (n_out, 1),
                );
            }
            if let Some(acts) = layout.hidden.get(l) {
                let d = &mut self.derivs[l];
                for (j, act) in acts.iter().enumerate() {
                    // Identity (the paper's cache neurons): nothing to do either way.
                    if *act == Activation::Identity {
                        continue;
                    }
                    let z = &mut z[j * b..j * b + len];
                    if derivatives {
                        act.apply_slice_with_derivative(z, &mut d[j * b..j * b + len]);
                    } else {
                        act.apply_slice(z);
                    }
                }
            }
        }
    }

    /// Compares the outputs with `target` (three RGB planes, each `stride` long, from
    /// pixel `start`), leaves `scale * dLoss/d(outputs)` for [`Workspace::backward`],
    /// and returns the summed squared error over the block's pixels and channels.
    // One call per block in the hot loop: plain arguments rather than a struct.
    #[allow(clippy::too_many_arguments)]
    pub fn loss(
        &mut self,
        outputs: NetOutputs,
        target: &[f32],
        stride: usize,
        start: usize,
        len: usize,
        scale: f32,
        straight_through: bool,
    ) -> f64 {
        let b = self.ld;
        let out = self.values.last().expect("a net has an output layer");
        let delta = &mut self.delta[0];
        let (tr, rest) = target.split_at(stride);
        let (tg, tb) = rest.split_at(stride);
        let (tr, tg, tb) = (
            &tr[start..][..len],
            &tg[start..][..len],
            &tb[start..][..len],
        );
        let mut se = 0.0f64;
        match outputs {
            NetOutputs::Hsv => {
                for p in 0..len {
                    let (e, g) = hsv_pixel_rule(
                        out[p],
                        out[b + p],
                        out[2 * b + p],
                        [tr[p], tg[p], tb[p]],
                        scale,
                        straight_through,
                    );
                    se += f64::from(e);
                    delta[p] = g[0];
                    delta[b + p] = g[1];
                    delta[2 * b + p] = g[2];
                }
            }
            NetOutputs::Grey => {
                for p in 0..len {
                    let (e, g) =
                        grey_pixel_rule(out[p], [tr[p], tg[p], tb[p]], scale, straight_through);
                    se += f64::from(e);
                    delta[p] = g;
                }
            }
        }
        se
    }

    /// Back-propagates the gradient left by [`Workspace::loss`], writing dLoss/dparams
    /// for this block into `grad` (laid out as `layout`), overwriting it.
    pub fn backward(&mut self, layout: &ParamLayout, params: &[f32], grad: &mut [f32], len: usize) {
        self.backward_with(layout, params, grad, len, None);
    }

    /// [`Workspace::backward`], adding `hidden`'s gradient with respect to the hidden
    /// activations (a penalty on the hidden planes) where back-propagation reaches them.
    pub fn backward_with(
        &mut self,
        layout: &ParamLayout,
        params: &[f32],
        grad: &mut [f32],
        len: usize,
        hidden: Option<HiddenGrad<'_>>,
    ) {
        let b = self.ld;
        let mut cur = 0;
        for l in (0..layout.layer_count()).rev() {
            let (n_in, n_out) = (layout.widths[l], layout.widths[l + 1]);
            let [d0, d1] = &mut self.delta;
            let (delta, below) = if cur == 0 { (&*d0, d1) } else { (&*d1, d0) };
            // dW = A^T D: both operands run along the pixels. In pieces of at most
            // 256 outputs gemm takes its dot-product ("horizontal") kernels, which
            // read them in place; bigger products would first copy (pack) A^T.
            let at = layout.weights_at[l];
            let rows = n_in.min(DOT_OUTPUTS);
            let cols = (DOT_OUTPUTS / rows).max(1);
            for i0 in (0..n_in).step_by(rows) {
                for j0 in (0..n_out).step_by(cols) {
                    let (mr, nc) = (rows.min(n_in - i0), cols.min(n_out - j0));
                    matmul(
                        (mr, nc, len),
                        &mut grad[at + i0 * n_out + j0..at + n_in * n_out],
                        (n_out, 1),
                        false,
                        &self.values[l][i0 * b..],
                        (b, 1),
                        &delta[j0 * b..],
                        (1, b),
                    );
                }
            }
            if let Some(at) = layout.bias_at[l] {
                for (j, g) in grad[at..at + n_out].iter_mut().enumerate() {
                    *g = delta[j * b..j * b + len].iter().sum();
                }
            }
            if l == 0 {
                break;
            }
            matmul(
                (len, n_in, n_out),
                below,
                (1, b),
                false,
                delta,
                (1, b),
                layout.weights(params, l),
                (1, n_out),
            );
            if let Some(h) = &hidden {
                // Hidden layer l's neurons come after those of the layers below it.
                let first: usize = layout.widths[1..l].iter().sum();
                for i in 0..n_in {
                    let g = &h.planes[(first + i) * h.stride + h.start..][..len];
                    for (x, &gx) in below[i * b..i * b + len].iter_mut().zip(g) {
                        *x += gx;
                    }
                }
            }
            let d = &self.derivs[l - 1];
            for (i, _) in layout.hidden[l - 1]
                .iter()
                .enumerate()
                .filter(|(_, a)| **a != Activation::Identity)
            {
                let row = i * b..i * b + len;
                for (x, &dx) in below[row.clone()].iter_mut().zip(&d[row]) {
                    *x *= dx;
                }
            }
            cur = 1 - cur;
        }
    }
}

/// A loss term's gradient with respect to every hidden activation over the whole
/// grid, for [`Workspace::backward_with`]: hidden neuron `k` (counted over the hidden
/// layers in order) at pixel `p` is `planes[k * stride + p]`; the block starts at
/// pixel `start`.
#[derive(Clone, Copy, Debug)]
pub struct HiddenGrad<'a> {
    pub planes: &'a [f32],
    pub stride: usize,
    pub start: usize,
}

/// Copies pixels `start..start + len` of planes (each `stride` long, neuron after
/// neuron) into a workspace layer whose neurons lie `ld` apart.
pub fn copy_block(
    layer: &mut [f32],
    ld: usize,
    planes: &[f32],
    stride: usize,
    start: usize,
    len: usize,
) {
    for c in 0..layer.len() / ld {
        layer[c * ld..][..len].copy_from_slice(&planes[c * stride + start..][..len]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matmul_matches_naive_with_strides() {
        let (m, n, k) = (5, 3, 4);
        let a: Vec<f32> = (0..m * k).map(|i| i as f32 * 0.5 - 3.0).collect(); // row-major
        let bm: Vec<f32> = (0..k * n).map(|i| (i as f32).sin()).collect(); // column-major
        let mut c = vec![1.0; m * n]; // column-major
        matmul((m, n, k), &mut c, (1, m), true, &a, (k, 1), &bm, (1, k));
        for i in 0..m {
            for j in 0..n {
                let want: f32 = 1.0 + (0..k).map(|p| a[i * k + p] * bm[j * k + p]).sum::<f32>();
                assert!((c[i + j * m] - want).abs() < 1e-4);
            }
        }
    }

    #[test]
    #[should_panic(expected = "out of bounds")]
    fn matmul_refuses_short_slices() {
        let mut c = vec![0.0; 3];
        matmul(
            (2, 2, 1),
            &mut c,
            (1, 2),
            false,
            &[1.0, 2.0],
            (1, 2),
            &[1.0, 2.0],
            (1, 1),
        );
    }
}
