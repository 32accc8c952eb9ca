//! The loss: mean squared error on RGB in [0, 1] after the colour rule, with its
//! gradient with respect to the network's raw outputs (back through hsv -> rgb).
//!
//! Colour is `hsv_to_rgb((h + 1) mod 1, clamp(s, 0, 1), clamp(|v|, 0, 1))`, grey is
//! `clamp(|ink|, 0, 1)` in all three channels (see [`crate::render::colour`]). Where a
//! clamp is active its gradient is 0; the hue wrap has gradient 1 (almost everywhere).

/// Squared error of one h, s, v pixel against an RGB target, summed over channels, and
/// `scale * d(sum of squared errors)/d(h, s, v)`.
#[inline]
pub fn hsv_pixel(h: f32, s: f32, v: f32, target: [f32; 3], scale: f32) -> (f32, [f32; 3]) {
    hsv_pixel_rule(h, s, v, target, scale, false)
}

/// [`hsv_pixel`], or with `straight_through` the clamps' gradient taken as 1 (the
/// sign of v for |v|) even where they saturate: the same forward picture, a gradient
/// that never vanishes. Not the paper's rule; an option against collapsed runs.
#[inline]
pub fn hsv_pixel_rule(
    h: f32,
    s: f32,
    v: f32,
    target: [f32; 3],
    scale: f32,
    straight_through: bool,
) -> (f32, [f32; 3]) {
    let hp = (h + 1.0).rem_euclid(1.0);
    let (sp, ds) = if s <= 0.0 {
        (0.0, 0.0)
    } else if s >= 1.0 {
        (1.0, 0.0)
    } else {
        (s, 1.0)
    };
    let a = v.abs();
    let (vp, dv) = if a >= 1.0 {
        (1.0, 0.0)
    } else {
        (a, v.signum())
    };
    let (ds, dv) = if straight_through {
        (1.0, v.signum())
    } else {
        (ds, dv)
    };
    // The same sextant formula as `colour::hsv_to_rgb`.
    let h6 = hp * 6.0;
    let i = h6.floor();
    let f = h6 - i;
    let p = vp * (1.0 - sp);
    let q = vp * (1.0 - sp * f);
    let t = vp * (1.0 - sp * (1.0 - f));
    // Partials of each candidate with respect to (h', s', v').
    let d_v = [0.0, 0.0, 1.0];
    let d_p = [0.0, -vp, 1.0 - sp];
    let d_q = [-6.0 * vp * sp, -vp * f, 1.0 - sp * f];
    let d_t = [6.0 * vp * sp, -vp * (1.0 - f), 1.0 - sp * (1.0 - f)];
    let (rgb, d) = match (i as i32).rem_euclid(6) {
        0 => ([vp, t, p], [d_v, d_t, d_p]),
        1 => ([q, vp, p], [d_q, d_v, d_p]),
        2 => ([p, vp, t], [d_p, d_v, d_t]),
        3 => ([p, q, vp], [d_p, d_q, d_v]),
        4 => ([t, p, vp], [d_t, d_p, d_v]),
        _ => ([vp, p, q], [d_v, d_p, d_q]),
    };
    let mut se = 0.0;
    let mut g = [0.0f32; 3];
    for c in 0..3 {
        let e = rgb[c] - target[c];
        se += e * e;
        let ge = 2.0 * e * scale;
        for (gk, dk) in g.iter_mut().zip(d[c]) {
            *gk += ge * dk;
        }
    }
    (se, [g[0], g[1] * ds, g[2] * dv])
}

/// Squared error of one grey pixel (`clamp(|ink|, 0, 1)` in every channel) and
/// `scale * d(sum of squared errors)/d(ink)`.
#[inline]
pub fn grey_pixel(ink: f32, target: [f32; 3], scale: f32) -> (f32, f32) {
    grey_pixel_rule(ink, target, scale, false)
}

/// [`grey_pixel`], with `straight_through` as in [`hsv_pixel_rule`].
#[inline]
pub fn grey_pixel_rule(
    ink: f32,
    target: [f32; 3],
    scale: f32,
    straight_through: bool,
) -> (f32, f32) {
    let a = ink.abs();
    let (g, dg) = if a >= 1.0 && !straight_through {
        (1.0, 0.0)
    } else {
        (a.min(1.0), ink.signum())
    };
    let mut se = 0.0;
    let mut grad = 0.0;
    for t in target {
        let e = g - t;
        se += e * e;
        grad += 2.0 * e * scale;
    }
    (se, grad * dg)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::colour::{grey, picbreeder_rgb};

    fn se(rgb: [f32; 3], t: [f32; 3]) -> f32 {
        rgb.iter().zip(t).map(|(a, b)| (a - b) * (a - b)).sum()
    }

    #[test]
    fn forward_is_the_colour_rule() {
        let t = [0.2, 0.7, 0.4];
        for (h, s, v) in [
            (0.1, 0.5, 0.8),
            (-0.3, 1.5, -0.6),
            (0.77, -0.2, 1.3),
            (2.45, 0.9, 0.3),
        ] {
            let (got, _) = hsv_pixel(h, s, v, t, 1.0);
            assert!((got - se(picbreeder_rgb(h, s, v), t)).abs() < 1e-6);
        }
        let (got, _) = grey_pixel(-0.4, t, 1.0);
        assert!((got - se([grey(-0.4); 3], t)).abs() < 1e-6);
    }

    #[test]
    fn gradient_matches_finite_difference_in_every_sextant() {
        let t = [0.3, 0.6, 0.1];
        let eps = 1e-3f64;
        for k in 0..6 {
            // h' in the middle of sextant k, s and v inside their clamps; v < 0 too.
            let (h, s, v) = (
                (k as f32 + 0.4) / 6.0 - 1.0,
                0.6,
                if k % 2 == 0 { 0.7 } else { -0.5 },
            );
            let (_, g) = hsv_pixel(h, s, v, t, 0.5);
            let x = [f64::from(h), f64::from(s), f64::from(v)];
            for i in 0..3 {
                let f = |d: f64| {
                    let mut y = x;
                    y[i] += d;
                    let rgb = picbreeder_rgb(y[0] as f32, y[1] as f32, y[2] as f32);
                    0.5 * f64::from(se(rgb, t))
                };
                let fd = (f(eps) - f(-eps)) / (2.0 * eps);
                assert!(
                    (fd - f64::from(g[i])).abs() < 2e-3,
                    "sextant {k} d{i}: {fd} vs {}",
                    g[i]
                );
            }
        }
        // Clamped saturation and brightness pass no gradient.
        let (_, g) = hsv_pixel(0.2, 1.4, -1.2, t, 1.0);
        assert_eq!((g[1], g[2]), (0.0, 0.0));
        // Straight through: the same error, gradient through the clamps.
        let (e, g) = hsv_pixel_rule(0.2, 1.4, -1.2, t, 1.0, true);
        assert_eq!(e, hsv_pixel(0.2, 1.4, -1.2, t, 1.0).0);
        assert!(g[1] != 0.0 && g[2] != 0.0);
        let (e, g) = grey_pixel_rule(1.5, t, 1.0, true);
        assert_eq!((e, g > 0.0), (grey_pixel(1.5, t, 1.0).0, true));
        let (_, g) = grey_pixel(-0.5, t, 1.0);
        // d/d ink of sum (|ink| - t)^2 at ink = -0.5: -2 * sum(0.5 - t).
        assert!((g - (-2.0 * (1.5 - 1.0))).abs() < 1e-6);
    }
}
