//! Colour rules: network outputs to RGB, and neuron values to the diverging map.

/// HSV (each in [0, 1]) to RGB (each in [0, 1]): the sextant formula written without
/// branches, `c_n = v - v s clamp(min(k, 4 - k), 0, 1)` with `k = (n + 6h) mod 6` for
/// n = 5, 3, 1, so that a loop over pixels vectorizes.
pub fn hsv_to_rgb(h: f32, s: f32, v: f32) -> [f32; 3] {
    let h6 = h * 6.0;
    let channel = |n: f32| {
        let k = n + h6;
        // n + 6h is in [1, 11]: one subtraction is the mod.
        let k = if k >= 6.0 { k - 6.0 } else { k };
        (-v * s).mul_add(k.min(4.0 - k).clamp(0.0, 1.0), v)
    };
    [channel(5.0), channel(3.0), channel(1.0)]
}

/// Picbreeder's colour rule: `hsv_to_rgb((h + 1) mod 1, clamp(s, 0, 1), clamp(|v|, 0, 1))`.
pub fn picbreeder_rgb(h: f32, s: f32, v: f32) -> [f32; 3] {
    let h = h + 1.0;
    hsv_to_rgb(
        (h - h.floor()).clamp(0.0, 1.0),
        s.clamp(0.0, 1.0),
        v.abs().clamp(0.0, 1.0),
    )
}

/// Grey level of an `ink` output: `clamp(|ink|, 0, 1)`.
pub fn grey(ink: f32) -> f32 {
    ink.abs().clamp(0.0, 1.0)
}

/// The neuron gallery's map: red at -1, white at 0, blue at +1, clipped to [-1, 1].
pub fn diverging(v: f32) -> [u8; 3] {
    let t = if v.is_nan() { 0.0 } else { v.clamp(-1.0, 1.0) };
    let fade = to_u8(1.0 - t.abs());
    if t < 0.0 {
        [255, fade, fade]
    } else {
        [fade, fade, 255]
    }
}

/// [0, 1] to 0..=255, rounding.
pub fn to_u8(c: f32) -> u8 {
    (c.clamp(0.0, 1.0) * 255.0).round() as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hsv_primaries() {
        assert_eq!(hsv_to_rgb(0.0, 1.0, 1.0), [1.0, 0.0, 0.0]);
        assert_eq!(hsv_to_rgb(1.0 / 3.0, 1.0, 1.0), [0.0, 1.0, 0.0]);
        assert_eq!(hsv_to_rgb(2.0 / 3.0, 1.0, 1.0), [0.0, 0.0, 1.0]);
        assert_eq!(hsv_to_rgb(0.5, 0.0, 0.25), [0.25, 0.25, 0.25]);
    }

    /// The textbook sextant formula, for comparison.
    fn sextant(h: f32, s: f32, v: f32) -> [f32; 3] {
        let h6 = h * 6.0;
        let i = h6.floor();
        let f = h6 - i;
        let (p, q, t) = (v * (1.0 - s), v * (1.0 - s * f), v * (1.0 - s * (1.0 - f)));
        match (i as i32).rem_euclid(6) {
            0 => [v, t, p],
            1 => [q, v, p],
            2 => [p, v, t],
            3 => [p, q, v],
            4 => [t, p, v],
            _ => [v, p, q],
        }
    }

    #[test]
    fn branch_free_form_equals_the_sextant_formula() {
        let mut worst = 0.0f32;
        for hi in 0..=600 {
            for si in 0..=10 {
                for vi in 0..=10 {
                    let (h, s, v) = (hi as f32 / 600.0, si as f32 / 10.0, vi as f32 / 10.0);
                    let (a, b) = (hsv_to_rgb(h, s, v), sextant(h, s, v));
                    for c in 0..3 {
                        worst = worst.max((a[c] - b[c]).abs());
                    }
                }
            }
        }
        assert!(worst < 1e-6, "largest difference {worst}");
    }

    #[test]
    fn picbreeder_rule_wraps_hue_and_takes_abs_value() {
        // h = -1 and h = 0 are both red; v = -1 is full brightness.
        assert_eq!(picbreeder_rgb(-1.0, 1.0, -1.0), [1.0, 0.0, 0.0]);
        assert_eq!(picbreeder_rgb(0.0, 2.0, 1.5), [1.0, 0.0, 0.0]);
        assert_eq!(picbreeder_rgb(0.3, -1.0, 0.5), [0.5, 0.5, 0.5]);
    }

    #[test]
    fn diverging_ends_and_middle() {
        assert_eq!(diverging(-1.0), [255, 0, 0]);
        assert_eq!(diverging(0.0), [255, 255, 255]);
        assert_eq!(diverging(5.0), [0, 0, 255]);
    }
}
