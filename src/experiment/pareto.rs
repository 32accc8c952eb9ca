//! A methods study's Pareto figure: picture quality (final PSNR, x) against what the
//! net holds inside (y): one panel for the distinct-function fraction, one for the
//! sweeps' change symmetry. One circle per learned run, coloured by method; the evolved
//! genome as a star in a strip of its own at the right (its picture is the target, so
//! its PSNR is infinite and has no place on the axis): gold for its graph, grey for its
//! layerized net, the shape the `paper` architecture trains.

use super::jobs::{Condition, JobResult};
use super::report::rows;
use crate::figure::{Figure, Mark, MarkerShape};
use crate::measure::defs;

/// The measures on the y axes, by key.
pub const PANELS: [&str; 2] = ["distinct", "change_symmetry"];

const PANEL_W: usize = 360;
const PANEL_H: usize = 240;
/// Left of a plot: the y axis's numbers.
const LEFT: usize = 48;
/// Right of a plot: the evolved genome's strip.
const STRIP: usize = 56;
const TOP: usize = 36;
const BOTTOM: usize = 40;
const LEGEND_ROW: usize = 14;
const LEGEND_COLUMNS: usize = 3;
const LEGEND_W: usize = (LEFT + PANEL_W + STRIP) * 2 / LEGEND_COLUMNS;
const BLACK: [u8; 3] = [0, 0, 0];
const GREY: [u8; 3] = [190, 190, 190];
/// The evolved genome's star (its graph).
pub const GENOME_COLOUR: [u8; 3] = [250, 200, 20];
/// The evolved genome as the paper's layerized net (the trained nets' shape).
pub const LAYERIZED_COLOUR: [u8; 3] = [215, 215, 215];

/// One colour per method, told apart in print (Tableau 10, then two more).
const COLOURS: [[u8; 3]; 12] = [
    [31, 119, 180],
    [255, 127, 14],
    [44, 160, 44],
    [214, 39, 40],
    [148, 103, 189],
    [140, 86, 75],
    [227, 119, 194],
    [127, 127, 127],
    [188, 189, 34],
    [23, 190, 207],
    [0, 0, 128],
    [128, 0, 0],
];

/// The colour of the `k`-th method of a report (its row order).
pub fn colour(k: usize) -> [u8; 3] {
    COLOURS[k % COLOURS.len()]
}

/// A value of measure `key` in a result's measures.
fn measure(r: &JobResult, key: &str) -> Option<f64> {
    r.measures
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| *v)
        .filter(|v| v.is_finite())
}

/// A genome's star: colour, legend, each study measure's values.
type Star<'a> = ([u8; 3], &'static str, &'a [Vec<f64>]);

/// The runs a figure shows: (row index, final PSNR, result) of every learned run with
/// a finite PSNR.
fn runs(results: &[JobResult]) -> Vec<(usize, f64, &JobResult)> {
    let labels: Vec<String> = rows(results)
        .into_iter()
        .filter(|r| r.condition != Condition::Evolved)
        .map(|r| r.label)
        .collect();
    results
        .iter()
        .filter_map(|r| {
            let t = r.trained.as_ref().filter(|t| t.collapse.is_none())?;
            let k = labels.iter().position(|l| l == r.job.label())?;
            t.final_psnr.is_finite().then_some((k, t.final_psnr, r))
        })
        .collect()
}

/// `lo..hi` widened by a twentieth each side (a unit around a single value).
fn padded(lo: f64, hi: f64) -> (f64, f64) {
    if !lo.is_finite() || !hi.is_finite() {
        return (0.0, 1.0);
    }
    let pad = if hi > lo { (hi - lo) / 20.0 } else { 0.5 };
    (lo - pad, hi + pad)
}

/// The figure of a methods study's results (any study's runs are drawn the same way,
/// one colour per condition).
pub fn pareto(results: &[JobResult]) -> Figure {
    let rows = rows(results);
    let methods: Vec<&super::report::ReportRow> = rows
        .iter()
        .filter(|r| r.condition != Condition::Evolved)
        .collect();
    // The genome's stars: (colour, legend, each study measure's values).
    let stars: Vec<Star> = rows
        .iter()
        .filter(|r| r.condition == Condition::Evolved)
        .map(|r| {
            if r.label == super::report::LAYERIZED {
                (
                    LAYERIZED_COLOUR,
                    "evolved genome, layerized (star)",
                    r.representation.as_slice(),
                )
            } else {
                (
                    GENOME_COLOUR,
                    "evolved genome, its graph (star)",
                    r.representation.as_slice(),
                )
            }
        })
        .collect();
    let star_value = |values: &[Vec<f64>], key: &str| {
        let k = defs::study().position(|d| d.key == key)?;
        values[k].first().copied().filter(|v| v.is_finite())
    };
    let runs = runs(results);
    let legend_rows = (methods.len() + stars.len()).div_ceil(LEGEND_COLUMNS);
    let panel_w = LEFT + PANEL_W + STRIP;
    let mut f = Figure::new(
        2 * panel_w + 20,
        TOP + PANEL_H + BOTTOM + 8 + legend_rows * LEGEND_ROW + 8,
        [255, 255, 255],
    );
    let (x_lo, x_hi) = padded(
        runs.iter().map(|r| r.1).fold(f64::INFINITY, f64::min),
        runs.iter().map(|r| r.1).fold(f64::NEG_INFINITY, f64::max),
    );
    let text = |f: &mut Figure, x: usize, y: usize, t: String| {
        f.marks.push(Mark::Text {
            x,
            y,
            text: t,
            rgb: BLACK,
        })
    };
    let line = |f: &mut Figure, x: usize, y: usize, w: usize, h: usize, c: [u8; 3]| {
        f.marks.push(Mark::Rect {
            x,
            y,
            w,
            h,
            fill: Some(c),
            stroke: None,
        })
    };
    for (p, key) in PANELS.iter().enumerate() {
        let def = defs::by_key(key).expect("a listed measure");
        let x0 = 10 + p * (panel_w + 10) + LEFT;
        let y0 = TOP;
        text(
            &mut f,
            x0 - LEFT + 4,
            6,
            format!("{} vs final PSNR", def.name),
        );
        let star_ys: Vec<Option<f64>> = stars.iter().map(|s| star_value(s.2, key)).collect();
        let ys = runs
            .iter()
            .filter_map(|r| measure(r.2, key))
            .chain(star_ys.iter().flatten().copied());
        let (y_lo, y_hi) = padded(
            ys.clone().fold(f64::INFINITY, f64::min),
            ys.fold(f64::NEG_INFINITY, f64::max),
        );
        let to_y = |v: f64| y0 as f64 + PANEL_H as f64 * (1.0 - (v - y_lo) / (y_hi - y_lo));
        let to_x = |db: f64| x0 as f64 + PANEL_W as f64 * (db - x_lo) / (x_hi - x_lo);
        // Axes, ticks and their numbers.
        line(&mut f, x0, y0, 1, PANEL_H, BLACK);
        line(&mut f, x0, y0 + PANEL_H, PANEL_W + STRIP, 1, BLACK);
        line(&mut f, x0 + PANEL_W, y0, 1, PANEL_H, GREY);
        for t in 0..=4 {
            let v = y_lo + (y_hi - y_lo) * t as f64 / 4.0;
            let y = to_y(v).round() as usize;
            line(&mut f, x0 - 4, y, 4, 1, BLACK);
            text(&mut f, x0 - LEFT, y.saturating_sub(4), format!("{v:.2}"));
            let db = x_lo + (x_hi - x_lo) * t as f64 / 4.0;
            let x = to_x(db).round() as usize;
            line(&mut f, x, y0 + PANEL_H, 1, 4, BLACK);
            text(
                &mut f,
                x.saturating_sub(12),
                y0 + PANEL_H + 6,
                format!("{db:.1}"),
            );
        }
        text(&mut f, x0 + PANEL_W + 4, y0 + PANEL_H + 22, "genome".into());
        text(
            &mut f,
            x0 + PANEL_W / 2 - 60,
            y0 + PANEL_H + 22,
            "final PSNR (dB)".into(),
        );
        for &(k, db, r) in &runs {
            if let Some(v) = measure(r, key) {
                f.marks.push(Mark::Point {
                    x: to_x(db),
                    y: to_y(v),
                    radius: 4.0,
                    shape: MarkerShape::Circle,
                    rgb: colour(k),
                });
            }
        }
        for (i, (star, v)) in stars.iter().zip(&star_ys).enumerate() {
            let Some(v) = v else { continue };
            f.marks.push(Mark::Point {
                x: (x0 + PANEL_W + 13 + 18 * (i % 2)) as f64,
                y: to_y(*v),
                radius: 8.0,
                shape: MarkerShape::Star,
                rgb: star.0,
            });
        }
    }
    let legend_y = TOP + PANEL_H + BOTTOM + 8;
    let mut entries: Vec<([u8; 3], String)> = methods
        .iter()
        .enumerate()
        .map(|(k, row)| {
            let collapsed = if row.collapsed.is_empty() {
                String::new()
            } else {
                format!(", {} collapsed", row.collapsed.len())
            };
            (
                colour(k),
                format!("{} (n={}{collapsed})", row.label, row.psnr.len()),
            )
        })
        .collect();
    entries.extend(stars.iter().map(|s| (s.0, s.1.to_string())));
    for (i, (c, label)) in entries.into_iter().enumerate() {
        let x = 10 + LEFT + (i % LEGEND_COLUMNS) * LEGEND_W;
        let y = legend_y + (i / LEGEND_COLUMNS) * LEGEND_ROW;
        line(&mut f, x, y, 8, 8, c);
        text(&mut f, x + 12, y, label);
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_star_is_drawn_inside_its_corners() {
        let f = Figure {
            width: 40,
            height: 40,
            background: [255, 255, 255],
            marks: vec![Mark::Point {
                x: 20.0,
                y: 20.0,
                radius: 10.0,
                shape: MarkerShape::Star,
                rgb: [255, 0, 0],
            }],
        };
        let img = f.to_image();
        assert_eq!(img.pixel(20, 20), [255, 0, 0, 255], "the centre");
        assert_eq!(img.pixel(20, 12), [255, 0, 0, 255], "the upper point");
        assert_eq!(img.pixel(2, 2), [255, 255, 255, 255], "outside");
        // Between two points, inside the circle but outside the star.
        assert_eq!(img.pixel(15, 13), [255, 255, 255, 255]);
        assert!(f.to_svg().contains("<polygon points="));
    }
}
