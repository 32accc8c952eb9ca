//! A run's figures, PNG or SVG through [`crate::figure`]: the best-per-generation
//! curve, the archive as a contact sheet, and the MAP-Elites map (each filled cell its
//! elite's picture).

use super::map_elites::Map;
use crate::figure::{Figure, Mark, captioned_rows};
use crate::image::Image;

const BLACK: [u8; 3] = [0, 0, 0];
const GREY: [u8; 3] = [200, 200, 200];
const COLOURS: [[u8; 3]; 6] = [
    [60, 120, 230],
    [230, 120, 40],
    [60, 170, 60],
    [160, 60, 160],
    [200, 50, 50],
    [40, 160, 170],
];
const PLOT_W: usize = 480;
const PLOT_H: usize = 240;
const LEFT: usize = 64;
const TOP: usize = 24;

/// Curves of one value per generation (one per run, each named in a legend), on
/// shared axes: `title` above, the value range on the left, generations below.
pub fn curve(title: &str, series: &[(String, Vec<f64>)]) -> Figure {
    let legend = 12 * series.len() + 8;
    let mut f = Figure::new(LEFT + PLOT_W + 20, TOP + PLOT_H + 30 + legend, [255; 3]);
    let text = |f: &mut Figure, x: usize, y: usize, t: String| {
        f.marks.push(Mark::Text {
            x,
            y,
            text: t,
            rgb: BLACK,
        })
    };
    text(&mut f, LEFT, 6, title.to_string());
    let rect = |f: &mut Figure, x: usize, y: usize, w: usize, h: usize, c: [u8; 3]| {
        f.marks.push(Mark::Rect {
            x,
            y,
            w,
            h,
            fill: Some(c),
            stroke: None,
        })
    };
    rect(&mut f, LEFT, TOP + PLOT_H, PLOT_W, 1, BLACK);
    rect(&mut f, LEFT, TOP, 1, PLOT_H, BLACK);
    let finite = || series.iter().flat_map(|s| &s.1).filter(|v| v.is_finite());
    let lo = finite().copied().fold(f64::INFINITY, f64::min);
    let hi = finite().copied().fold(f64::NEG_INFINITY, f64::max);
    let longest = series.iter().map(|s| s.1.len()).max().unwrap_or(0);
    if lo.is_finite() {
        let span = (hi - lo).max(1e-9);
        text(&mut f, 2, TOP, format!("{hi:.2}"));
        text(&mut f, 2, TOP + PLOT_H - 8, format!("{lo:.2}"));
        text(&mut f, LEFT, TOP + PLOT_H + 4, "0".into());
        let last = format!("{}", longest.saturating_sub(1));
        text(
            &mut f,
            LEFT + PLOT_W - 8 * last.len(),
            TOP + PLOT_H + 4,
            last,
        );
        text(
            &mut f,
            LEFT + PLOT_W / 2 - 40,
            TOP + PLOT_H + 4,
            "generation".into(),
        );
        let at = |g: f64, v: f64| {
            let x = LEFT as f64 + g / (longest.max(2) - 1) as f64 * (PLOT_W - 3) as f64;
            let y = (TOP + PLOT_H) as f64 - 2.0 - (v - lo) / span * (PLOT_H - 3) as f64;
            (x, y)
        };
        for (k, (_, values)) in series.iter().enumerate() {
            let c = COLOURS[k % COLOURS.len()];
            for (g, w) in values.windows(2).enumerate() {
                if !(w[0].is_finite() && w[1].is_finite()) {
                    continue;
                }
                let (a, b) = (at(g as f64, w[0]), at(g as f64 + 1.0, w[1]));
                // A segment drawn as 2x2 dots a pixel apart.
                let steps = (b.0 - a.0).abs().max((b.1 - a.1).abs()).ceil().max(1.0) as usize;
                for s in 0..=steps {
                    let t = s as f64 / steps as f64;
                    let (x, y) = (a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1));
                    rect(&mut f, x as usize, y as usize, 2, 2, c);
                }
            }
            if values.len() == 1 && values[0].is_finite() {
                let (x, y) = at(0.0, values[0]);
                rect(&mut f, x as usize, y as usize, 3, 3, c);
            }
        }
    }
    for (k, (name, _)) in series.iter().enumerate() {
        let y = TOP + PLOT_H + 24 + 12 * k;
        rect(&mut f, LEFT, y, 8, 8, COLOURS[k % COLOURS.len()]);
        text(&mut f, LEFT + 14, y, name.clone());
    }
    f
}

/// Pictures with captions in rows of `columns`, under a title.
pub fn contact_sheet(title: &str, pictures: &[(Image, String)], columns: usize) -> Figure {
    let rows: Vec<(String, Vec<(Image, String)>)> = pictures
        .chunks(columns.max(1))
        .enumerate()
        .map(|(i, chunk)| {
            (
                if i == 0 {
                    title.to_string()
                } else {
                    String::new()
                },
                chunk.to_vec(),
            )
        })
        .collect();
    captioned_rows(&rows)
}

/// The map: a grid of cells (first axis along, second up), each filled cell its
/// elite's picture from `pictures` (by cell), empty cells grey; with three axes, one
/// panel per bin of the third, side by side.
pub fn map_figure(map: &Map, pictures: &std::collections::BTreeMap<usize, Image>) -> Figure {
    let bins = map.config.bins;
    let side = pictures.values().map(|i| i.width).max().unwrap_or(16);
    let cell = side + 2;
    let panels = if map.config.axes.len() == 3 { bins } else { 1 };
    let panel_w = bins * cell + 16;
    let names: Vec<&str> = map.config.axes.iter().map(|a| a.name()).collect();
    let title = format!(
        "{} cells of {} filled; x: {}, y: {}{}",
        map.cells.len(),
        map.size(),
        names[0],
        names[1],
        names
            .get(2)
            .map(|n| format!(", panels: {n}"))
            .unwrap_or_default()
    );
    let mut f = Figure::new(
        (LEFT + panels * panel_w + 10).max(LEFT + 8 * title.len() + 10),
        TOP + bins * cell + 40,
        [255; 3],
    );
    f.marks.push(Mark::Text {
        x: LEFT,
        y: 6,
        text: title,
        rgb: BLACK,
    });
    f.marks.push(Mark::Text {
        x: 2,
        y: TOP,
        text: "1".into(),
        rgb: BLACK,
    });
    f.marks.push(Mark::Text {
        x: 2,
        y: TOP + bins * cell - 8,
        text: "0".into(),
        rgb: BLACK,
    });
    for p in 0..panels {
        let x0 = LEFT + p * panel_w;
        for by in 0..bins {
            for bx in 0..bins {
                let index = bx + by * bins + p * bins * bins;
                let (x, y) = (x0 + bx * cell, TOP + (bins - 1 - by) * cell);
                match pictures.get(&index) {
                    Some(img) if map.cells.contains_key(&index) => f.marks.push(Mark::Picture {
                        x: x + 1,
                        y: y + 1,
                        image: img.clone(),
                    }),
                    _ => f.marks.push(Mark::Rect {
                        x: x + 1,
                        y: y + 1,
                        w: side,
                        h: side,
                        fill: Some(GREY),
                        stroke: None,
                    }),
                }
            }
        }
        if panels > 1 {
            f.marks.push(Mark::Text {
                x: x0,
                y: TOP + bins * cell + 4,
                text: format!("{} bin {p}", names[2]),
                rgb: BLACK,
            });
        }
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::descriptor::Axis;
    use crate::search::map_elites::{Elite, MapConfig};

    #[test]
    fn the_curve_rises_where_the_values_do() {
        let f = curve("best", &[("seed 0".into(), vec![1.0, 2.0, 3.0])]);
        let img = f.to_image();
        // The first point is low on the left, the last high on the right.
        let coloured = |x: usize, y: usize| img.pixel(x, y)[..3] == COLOURS[0];
        assert!(coloured(LEFT, TOP + PLOT_H - 2) || coloured(LEFT + 1, TOP + PLOT_H - 2));
        assert!((TOP..TOP + 4).any(|y| coloured(LEFT + PLOT_W - 3, y)));
        assert!(f.to_svg().contains("seed 0"));
    }

    #[test]
    fn a_map_shows_each_elite_in_its_cell() {
        let mut map = Map::new(MapConfig {
            axes: vec![Axis::Symmetry, Axis::Coverage],
            bins: 4,
        });
        map.offer(Elite {
            genome: crate::cppn::genome::tests::tiny(),
            quality: 1.0,
            values: vec![0.9, 0.1],
            sketch: vec![],
        });
        let cell = map.cell_of(&[0.9, 0.1]);
        let mut red = Image::new(8, 8);
        red.fill([255, 0, 0, 255]);
        let pictures = [(cell, red)].into_iter().collect();
        let f = map_figure(&map, &pictures);
        let img = f.to_image();
        // Bin (3, 0): the right column, the bottom row.
        let (x, y) = (LEFT + 3 * 10 + 1, TOP + 3 * 10 + 1);
        assert_eq!(img.pixel(x + 2, y + 2), [255, 0, 0, 255]);
        assert_eq!(img.pixel(LEFT + 3, TOP + 3), [200, 200, 200, 255]);
        assert_eq!(f.to_svg().matches("<image").count(), 1);
    }
}
