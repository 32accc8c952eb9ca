//! One narrow layer's product over a block of pixels, tiled by hand with AVX-512: eight
//! output neurons times 32 pixels stay in 16 vector registers while the inputs stream
//! past, each input row loaded once per eight outputs. (Written as plain loops, the
//! compiler vectorized across outputs with gathers, far slower than gemm.)
//!
//! Why not `gemm`: a layerized genome's net has many layers only a few dozen neurons
//! wide (apple: 33 layers of 38), where gemm's packing and edges cost a little more
//! than the product (`cargo bench --bench animate`, group `layer_38x38_512px`; figures
//! in docs/benchmarks.md, "Animations"). Both are near the machine's AVX-512 peak, so
//! the gain is small; it is used for inference only, so training's runs stay bit for
//! bit what they were, and only where AVX-512 is present.

/// Widest layer (inputs or outputs) taken this way.
pub const MAX_WIDTH: usize = 64;

/// Pixels per tile: two AVX-512 vectors.
const PIXELS: usize = 32;
/// Output neurons per tile.
const OUTPUTS: usize = 8;

/// `z[o * ld + p] (+)= sum_i a[i * ld + p] * w[i * n_out + o]` for pixels `p < len`
/// (added to what `z` holds when `accumulate`, else written). Rows are `ld` apart,
/// and `ld` must leave room to round `len` up to whole tiles of 32 pixels: the padding
/// past `len` is computed and holds nothing anyone reads. False, and `z` untouched,
/// where the CPU lacks AVX-512 (the caller then uses gemm).
pub fn layer(
    (len, n_out, n_in): (usize, usize, usize),
    z: &mut [f32],
    accumulate: bool,
    a: &[f32],
    w: &[f32],
    ld: usize,
) -> bool {
    let padded = len.next_multiple_of(PIXELS);
    assert!(
        padded <= ld,
        "a row of {ld} has no room for {padded} pixels"
    );
    assert!(z.len() >= n_out * ld && a.len() >= n_in * ld && w.len() >= n_in * n_out);
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx512f") {
        let shape = LayerShape {
            ld,
            n_in,
            n_out,
            accumulate,
        };
        // SAFETY: AVX-512 is present (checked above), and every tile reads and writes
        // rows `< n_in` / `< n_out` at pixels `< padded <= ld`, inside the slices
        // whose lengths are asserted above.
        unsafe { avx512::layer(shape, padded, z.as_mut_ptr(), a.as_ptr(), w.as_ptr()) };
        return true;
    }
    false
}

#[derive(Clone, Copy)]
struct LayerShape {
    ld: usize,
    n_in: usize,
    n_out: usize,
    accumulate: bool,
}

#[cfg(target_arch = "x86_64")]
mod avx512 {
    use super::{LayerShape, OUTPUTS, PIXELS};
    use std::arch::x86_64::*;

    #[target_feature(enable = "avx512f")]
    pub(super) unsafe fn layer(
        s: LayerShape,
        padded: usize,
        z: *mut f32,
        a: *const f32,
        w: *const f32,
    ) {
        for p in (0..padded).step_by(PIXELS) {
            let mut o = 0;
            while o < s.n_out {
                // SAFETY: as the caller promised, for outputs o.. and pixels p..p + 32.
                unsafe {
                    match s.n_out - o {
                        8.. => tile::<8>(s, z, a, w, o, p),
                        7 => tile::<7>(s, z, a, w, o, p),
                        6 => tile::<6>(s, z, a, w, o, p),
                        5 => tile::<5>(s, z, a, w, o, p),
                        4 => tile::<4>(s, z, a, w, o, p),
                        3 => tile::<3>(s, z, a, w, o, p),
                        2 => tile::<2>(s, z, a, w, o, p),
                        _ => tile::<1>(s, z, a, w, o, p),
                    }
                }
                o += OUTPUTS;
            }
        }
    }

    /// Outputs `o0..o0 + O` at pixels `p0..p0 + 32`: 2 x O accumulators in registers.
    #[target_feature(enable = "avx512f")]
    #[inline]
    unsafe fn tile<const O: usize>(
        s: LayerShape,
        z: *mut f32,
        a: *const f32,
        w: *const f32,
        o0: usize,
        p0: usize,
    ) {
        // SAFETY (whole body): offsets stay inside the rows the caller vouched for.
        unsafe {
            let mut acc = [[_mm512_setzero_ps(); 2]; O];
            if s.accumulate {
                for (k, r) in acc.iter_mut().enumerate() {
                    let row = z.add((o0 + k) * s.ld + p0);
                    *r = [_mm512_loadu_ps(row), _mm512_loadu_ps(row.add(16))];
                }
            }
            for i in 0..s.n_in {
                let x = a.add(i * s.ld + p0);
                let (x0, x1) = (_mm512_loadu_ps(x), _mm512_loadu_ps(x.add(16)));
                let ws = w.add(i * s.n_out + o0);
                for (k, r) in acc.iter_mut().enumerate() {
                    let wk = _mm512_set1_ps(*ws.add(k));
                    r[0] = _mm512_fmadd_ps(wk, x0, r[0]);
                    r[1] = _mm512_fmadd_ps(wk, x1, r[1]);
                }
            }
            for (k, r) in acc.iter().enumerate() {
                let row = z.add((o0 + k) * s.ld + p0);
                _mm512_storeu_ps(row, r[0]);
                _mm512_storeu_ps(row.add(16), r[1]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equals_the_plain_sum_for_every_shape_and_tail() {
        for (len, n_out, n_in) in [
            (1usize, 1usize, 1usize),
            (37, 38, 38),
            (64, 3, 38),
            (100, 9, 4),
            (5, 17, 2),
        ] {
            let ld = len.next_multiple_of(16) + 16 + 16;
            let a: Vec<f32> = (0..n_in * ld)
                .map(|i| ((i * 37) % 101) as f32 / 50.0 - 1.0)
                .collect();
            let w: Vec<f32> = (0..n_in * n_out)
                .map(|i| ((i * 13) % 29) as f32 / 14.0 - 1.0)
                .collect();
            for accumulate in [false, true] {
                let mut z: Vec<f32> = (0..n_out * ld).map(|i| (i % 7) as f32).collect();
                let before = z.clone();
                if !layer((len, n_out, n_in), &mut z, accumulate, &a, &w, ld) {
                    return; // no AVX-512 here: the caller uses gemm
                }
                for o in 0..n_out {
                    for p in 0..len {
                        let start = if accumulate { before[o * ld + p] } else { 0.0 };
                        let want = start
                            + (0..n_in)
                                .map(|i| a[i * ld + p] * w[i * n_out + o])
                                .sum::<f32>();
                        let got = z[o * ld + p];
                        assert!(
                            (got - want).abs() <= 1e-4 * (1.0 + want.abs()),
                            "{len}x{n_out}x{n_in} o {o} p {p}: {got} vs {want}"
                        );
                    }
                }
            }
        }
    }
}
