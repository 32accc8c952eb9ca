//! Branch-free f32 `exp`, `sin`, `cos`, `tanh` that the compiler vectorizes.
//!
//! The standard library calls libm one value at a time, which stops a loop from
//! vectorizing; with these the evaluator's activation pass runs as SIMD. Accuracy is a
//! few ulp (absolute error below 1e-6 on the ranges a CPPN sees), far inside what the
//! paper's float32 renders differ by. Constants are the Cephes single-precision ones.
//! Polynomials use `mul_add`, one FMA instruction each (the build targets this CPU):
//! Rust never fuses `a * b + c` by itself. Measured: apple renders 1.4x faster.

/// `e^x`, clamped so that it neither overflows nor goes subnormal.
#[inline(always)]
#[allow(clippy::manual_clamp)] // clamp would keep NaN; max/min turn it into -87
pub fn exp(x: f32) -> f32 {
    // max/min (not clamp) so that NaN becomes -87 and the exponent bits stay in range.
    let x = x.max(-87.0).min(88.0);
    let fx = x.mul_add(std::f32::consts::LOG2_E, 0.5).floor();
    let r = fx.mul_add(2.121_944_4e-4, fx.mul_add(-0.693_359_4, x));
    let p = 1.987_569_1e-4_f32;
    let p = p.mul_add(r, 1.398_199_9e-3);
    let p = p.mul_add(r, 8.333_452e-3);
    let p = p.mul_add(r, 4.166_579_6e-2);
    let p = p.mul_add(r, 1.666_666_5e-1);
    let p = p.mul_add(r, 0.5);
    let y = (p * r).mul_add(r, r + 1.0);
    // 2^fx by building the float's exponent bits. fx is a whole number in [-126, 127];
    // adding 1.5 * 2^23 puts it in the low mantissa bits. This vectorizes, where a
    // float-to-int cast did not (measured 0.19 vs 3.9 ns per value here).
    let n = (fx + 12_582_912.0).to_bits().wrapping_sub(0x4B40_0000);
    let scale = f32::from_bits(n.wrapping_add(127) << 23);
    y * scale
}

/// `x - k * 2pi` in [-pi, pi], with 2pi split in two parts so the reduction stays
/// accurate for |x| up to about 1e3.
#[inline(always)]
fn reduce(x: f32) -> f32 {
    let k = x.mul_add(0.5 / std::f32::consts::PI, 0.5).floor();
    k.mul_add(-1.935_307_2e-3, k.mul_add(-6.281_25, x))
}

/// `sin(x)`: reduced to [-pi/2, pi/2], then an odd polynomial of degree 11.
#[inline(always)]
pub fn sin(x: f32) -> f32 {
    sin_reduced(reduce(x))
}

/// `sin(r)` for r in [-pi, 3pi/2].
#[inline(always)]
fn sin_reduced(r: f32) -> f32 {
    // r in [-pi, pi]; fold into [-pi/2, pi/2] with sin(pi - r) = sin(r).
    let half_pi = std::f32::consts::FRAC_PI_2;
    let pi = std::f32::consts::PI;
    let r = if r > half_pi { pi - r } else { r };
    let r = if r < -half_pi { -pi - r } else { r };
    let r2 = r * r;
    let p = -2.505_210_8e-8_f32;
    let p = p.mul_add(r2, 2.755_731_9e-6);
    let p = p.mul_add(r2, -1.984_127e-4);
    let p = p.mul_add(r2, 8.333_333e-3);
    let p = p.mul_add(r2, -1.666_666_7e-1);
    (r * r2).mul_add(p, r)
}

/// `cos(x) = sin(r + pi/2)`, adding pi/2 after the reduction so no digits are lost.
#[inline(always)]
pub fn cos(x: f32) -> f32 {
    sin_reduced(reduce(x) + std::f32::consts::FRAC_PI_2)
}

/// `tanh(x) = 1 - 2 / (e^{2x} + 1)`; saturates cleanly at +-1.
#[inline(always)]
pub fn tanh(x: f32) -> f32 {
    let x = x.clamp(-10.0, 10.0);
    // Near 0 the subtraction loses digits; the odd Taylor form is exact enough there.
    let small = x * (1.0 - x * x * (1.0 / 3.0 - x * x * (2.0 / 15.0)));
    let big = 1.0 - 2.0 / (exp(2.0 * x) + 1.0);
    if x.abs() < 0.05 { small } else { big }
}

/// Picbreeder's bipolar sigmoid `2 / (1 + e^-x) - 1`.
#[inline(always)]
pub fn sigmoid_bipolar(x: f32) -> f32 {
    2.0 / (1.0 + exp(-x)) - 1.0
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
        assert!(max_err(|x| exp(-x * x), |x| (-x * x).exp(), -10.0, 10.0) < 5e-7);
        assert!(max_err(sin, f64::sin, -100.0, 100.0) < 2e-6);
        assert!(max_err(cos, f64::cos, -100.0, 100.0) < 2e-6);
        assert!(max_err(tanh, f64::tanh, -20.0, 20.0) < 5e-7);
        assert!(
            max_err(
                sigmoid_bipolar,
                |x| 2.0 / (1.0 + (-x).exp()) - 1.0,
                -100.0,
                100.0
            ) < 5e-7
        );
    }

    #[test]
    fn exp_relative_error_small() {
        for i in -800..800 {
            let x = i as f32 * 0.1;
            let rel = (f64::from(exp(x)) / f64::from(x).exp() - 1.0).abs();
            assert!(rel < 1e-6, "exp({x}) rel err {rel}");
        }
    }
}
