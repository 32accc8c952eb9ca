//! Colour rules: network outputs to RGB, and neuron values to the diverging map.

/// HSV (each in [0, 1]) to RGB (each in [0, 1]), the standard sextant formula.
pub fn hsv_to_rgb(h: f32, s: f32, v: f32) -> [f32; 3] {
    let h6 = h * 6.0;
    let i = h6.floor();
    let f = h6 - i;
    let p = v * (1.0 - s);
    let q = v * (1.0 - s * f);
    let t = v * (1.0 - s * (1.0 - f));
    match (i as i32).rem_euclid(6) {
        0 => [v, t, p],
        1 => [q, v, p],
        2 => [p, v, t],
        3 => [p, q, v],
        4 => [t, p, v],
        _ => [v, p, q],
    }
}

/// Picbreeder's colour rule: `hsv_to_rgb((h + 1) mod 1, clamp(s, 0, 1), clamp(|v|, 0, 1))`.
pub fn picbreeder_rgb(h: f32, s: f32, v: f32) -> [f32; 3] {
    hsv_to_rgb(
        (h + 1.0).rem_euclid(1.0),
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
