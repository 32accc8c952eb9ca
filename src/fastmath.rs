//! Branch-free f32 `exp(-z^2)`, `sin`, `cos`, `tanh` that the compiler vectorizes.
//!
//! The standard library calls libm one value at a time, which stops a loop from
//! vectorizing; with these the evaluator's activation pass runs as SIMD. Absolute error
//! is below 3e-7 on the ranges a CPPN sees, far inside what the paper's float32 renders
//! differ by. Polynomials use `mul_add`, one FMA instruction each (the build targets this
//! CPU): Rust never fuses `a * b + c` by itself.
//!
//! Whole numbers are rounded by adding 1.5 * 2^23 (`ROUND`): the sum's low mantissa
//! bits are then the integer, which the code reads as bits. This vectorizes, where a
//! float-to-int cast did not.
//!
//! The forms chosen: sigmoid as a rational tanh instead of exp and a division; gaussian
//! as `2^t`; sin reduced by pi (the sign from the parity) instead of by 2pi and a fold.
//! Each was measured faster than the form before it (`cargo bench --bench render --
//! activation`; the figures are in docs/benchmarks.md, "Rendering").

/// 1.5 * 2^23: `x + ROUND - ROUND` rounds |x| < 2^22 to the nearest whole number.
const ROUND: f32 = 12_582_912.0;

/// `e^(-z^2)`, the Picbreeder gaussian's core, as `2^t` with `t = -z^2 log2(e)`: `t` is
/// split into a whole part `n` (the float's exponent bits) and `f` in [-0.5, 0.5], and
/// `2^f` is a degree-6 polynomial. Flushes to `2^-126` below that (as good as zero).
#[inline(always)]
pub fn gaussian(z: f32) -> f32 {
    // max (not clamp) so that NaN becomes -126 and the exponent bits stay in range.
    let t = (z * z * -std::f32::consts::LOG2_E).max(-126.0);
    let q = t + ROUND;
    let f = t - (q - ROUND);
    let p = 1.535_336_2e-4_f32;
    let p = p.mul_add(f, 1.339_887_4e-3);
    let p = p.mul_add(f, 9.618_437e-3);
    let p = p.mul_add(f, 5.550_332_3e-2);
    let p = p.mul_add(f, 2.402_264_8e-1);
    let p = p.mul_add(f, 6.931_472e-1);
    let p = p.mul_add(f, 1.0);
    // The low bits of q hold n (two's complement); n + 127 shifted is 2^n.
    let n = q.to_bits().wrapping_sub(0x4B40_0000);
    p * f32::from_bits(n.wrapping_add(127) << 23)
}

/// `sin(x)`: `x = k pi + r` with `r` in [-pi/2, pi/2] (pi split in two parts so the
/// reduction stays accurate for |x| up to about 1e3), then `(-1)^k` times an odd
/// polynomial of degree 11 (Cephes coefficients).
#[inline(always)]
pub fn sin(x: f32) -> f32 {
    let x = bounded(x);
    let q = x.mul_add(std::f32::consts::FRAC_1_PI, ROUND);
    sin_reduced(x, q - ROUND, q.to_bits() << 31)
}

/// `cos(x) = sin(x + pi/2)`, reduced as `x = (k + 1/2) pi + r` so no digits are lost
/// adding pi/2: `cos(x) = -(-1)^k sin(r)`.
#[inline(always)]
pub fn cos(x: f32) -> f32 {
    let x = bounded(x);
    let q = x.mul_add(std::f32::consts::FRAC_1_PI, -0.5) + ROUND;
    sin_reduced(x, q - ROUND + 0.5, (q.to_bits() << 31) ^ 0x8000_0000)
}

/// `x` limited to +-2^21, where [`ROUND`] still rounds `x / pi` exactly; NaN becomes
/// the lower bound. Past that an f32 has no digits left for the angle anyway, and sin
/// and cos stay within [-1, 1] for every input.
#[inline(always)]
#[allow(clippy::manual_clamp)] // clamp would keep NaN
fn bounded(x: f32) -> f32 {
    x.max(-2_097_152.0).min(2_097_152.0)
}

/// `sin(x - k pi)`, its sign bit flipped by `sign` (0 or the sign bit).
#[inline(always)]
fn sin_reduced(x: f32, k: f32, sign: u32) -> f32 {
    let r = k.mul_add(-9.676_536e-4, k.mul_add(-3.140_625, x));
    let r2 = r * r;
    let p = -2.505_210_8e-8_f32;
    let p = p.mul_add(r2, 2.755_731_9e-6);
    let p = p.mul_add(r2, -1.984_127e-4);
    let p = p.mul_add(r2, 8.333_333e-3);
    let p = p.mul_add(r2, -1.666_666_7e-1);
    let s = (r * r2).mul_add(p, r);
    f32::from_bits(s.to_bits() ^ sign)
}

/// `tanh(x)`: Eigen's float rational approximation (odd degree 13 over even degree 6),
/// clamped where tanh is within 3e-7 of +-1. No exp, one division.
#[inline(always)]
#[allow(clippy::manual_clamp)] // clamp would keep NaN; max/min turn it into the bound
pub fn tanh(x: f32) -> f32 {
    let x = x.max(-7.905_311).min(7.905_311);
    let x2 = x * x;
    let p = -2.760_768_5e-16_f32;
    let p = p.mul_add(x2, 2.000_188e-13);
    let p = p.mul_add(x2, -8.604_672e-11);
    let p = p.mul_add(x2, 5.122_297e-8);
    let p = p.mul_add(x2, 1.485_722_4e-5);
    let p = p.mul_add(x2, 6.372_619_3e-4);
    let p = p.mul_add(x2, 4.893_524_6e-3);
    let q = 1.198_258_4e-6_f32;
    let q = q.mul_add(x2, 1.185_347_1e-4);
    let q = q.mul_add(x2, 2.268_434_6e-3);
    let q = q.mul_add(x2, 4.893_525e-3);
    x * p / q
}

/// Picbreeder's bipolar sigmoid `2 / (1 + e^-x) - 1`, which is `tanh(x / 2)`.
#[inline(always)]
pub fn sigmoid_bipolar(x: f32) -> f32 {
    tanh(0.5 * x)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn max_err(f: fn(f32) -> f32, g: fn(f64) -> f64, lo: f64, hi: f64) -> f64 {
        (0..=200_000)
            .map(|i| lo + (hi - lo) * f64::from(i) / 200_000.0)
            .map(|x| (f64::from(f(x as f32)) - g(f64::from(x as f32))).abs())
            .fold(0.0, f64::max)
    }

    #[test]
    fn accurate_on_cppn_ranges() {
        assert!(max_err(gaussian, |x| (-x * x).exp(), -20.0, 20.0) < 3e-7);
        assert!(max_err(sin, f64::sin, -100.0, 100.0) < 3e-7);
        assert!(max_err(cos, f64::cos, -100.0, 100.0) < 3e-7);
        assert!(max_err(tanh, f64::tanh, -20.0, 20.0) < 3e-7);
        assert!(
            max_err(
                sigmoid_bipolar,
                |x| 2.0 / (1.0 + (-x).exp()) - 1.0,
                -100.0,
                100.0
            ) < 3e-7
        );
    }

    #[test]
    fn odd_inputs_stay_finite_and_bounded() {
        for x in [
            f32::MAX,
            f32::MIN,
            1e7,
            -1e7,
            f32::INFINITY,
            f32::NEG_INFINITY,
        ] {
            assert!((0.0..=1.0).contains(&gaussian(x)), "gaussian({x})");
            assert!(tanh(x).abs() <= 1.0, "tanh({x})");
        }
        for x in [f32::MAX, f32::MIN, 1e7, -1e7, 3e6, f32::INFINITY, f32::NAN] {
            assert!(sin(x).abs() <= 1.0 && cos(x).abs() <= 1.0, "sin/cos({x})");
        }
        assert_eq!(gaussian(f32::NAN), gaussian(f32::INFINITY));
        assert_eq!(tanh(0.0), 0.0);
        assert_eq!(sin(0.0), 0.0);
    }
}
