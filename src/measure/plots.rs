//! The scorecard's sweep distributions as a figure (PNG or SVG): one histogram per
//! measure, the networks' bars side by side in each bin, a legend of their names.

use super::Scorecard;
use super::defs::{Family, Sweeps};
use crate::figure::{Figure, Mark};

const BINS: usize = 16;
const PANEL_W: usize = 260;
const PANEL_H: usize = 140;
const COLOURS: [[u8; 3]; 4] = [
    [60, 120, 230],
    [60, 170, 60],
    [230, 120, 40],
    [160, 60, 160],
];

/// Histograms of every sweep measure ([`Sweeps`]), each normalised to the fraction of
/// a network's live sweeps.
pub fn sweep_histograms(cards: &[Scorecard]) -> Figure {
    let legend_h = 12 * cards.len() + 8;
    let panels = Sweeps::defs().count();
    let mut f = Figure::new(
        panels * (PANEL_W + 20) + 10,
        PANEL_H + 40 + legend_h,
        [255, 255, 255],
    );
    let black = [0, 0, 0];
    for (m, def) in Sweeps::defs().enumerate() {
        let x0 = 10 + m * (PANEL_W + 20);
        let y0 = 20;
        f.marks.push(Mark::Text {
            x: x0,
            y: 4,
            text: format!("{} {}", def.name, def.unit).trim_end().to_string(),
            rgb: black,
        });
        let values: Vec<Vec<f64>> = cards
            .iter()
            .map(|c| {
                c.sweeps
                    .each
                    .iter()
                    .filter(|s| !s.dead)
                    .map(|s| s.values.values[m])
                    .collect()
            })
            .collect();
        let (lo, hi) = values
            .iter()
            .flatten()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
                (a.min(v), b.max(v))
            });
        f.marks.push(Mark::Rect {
            x: x0,
            y: y0 + PANEL_H,
            w: PANEL_W,
            h: 1,
            fill: Some(black),
            stroke: None,
        });
        if !lo.is_finite() {
            continue;
        }
        let width = ((hi - lo) / BINS as f64).max(1e-9);
        let bin_w = PANEL_W / BINS;
        let bar_w = (bin_w / cards.len().max(1)).max(1);
        for (k, vals) in values.iter().enumerate() {
            let mut counts = [0usize; BINS];
            for &v in vals {
                counts[(((v - lo) / width) as usize).min(BINS - 1)] += 1;
            }
            for (b, &n) in counts.iter().enumerate() {
                let h = (PANEL_H as f64 * n as f64 / vals.len().max(1) as f64).round() as usize;
                if h > 0 {
                    f.marks.push(Mark::Rect {
                        x: x0 + b * bin_w + k * bar_w,
                        y: y0 + PANEL_H - h,
                        w: bar_w,
                        h,
                        fill: Some(COLOURS[k % COLOURS.len()]),
                        stroke: None,
                    });
                }
            }
        }
        for (t, v) in [(0, lo), (PANEL_W - 48, hi)] {
            f.marks.push(Mark::Text {
                x: x0 + t,
                y: y0 + PANEL_H + 4,
                text: format!("{v:.2}"),
                rgb: black,
            });
        }
    }
    for (k, c) in cards.iter().enumerate() {
        let y = PANEL_H + 40 + 12 * k;
        f.marks.push(Mark::Rect {
            x: 10,
            y,
            w: 8,
            h: 8,
            fill: Some(COLOURS[k % COLOURS.len()]),
            stroke: None,
        });
        f.marks.push(Mark::Text {
            x: 24,
            y,
            text: c.name.clone(),
            rgb: black,
        });
    }
    f
}
