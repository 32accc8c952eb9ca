//! Figures as the paper draws them, described once and written as PNG (raster, an 8x8
//! bitmap font for labels) or SVG (vector text and frames, the neuron pictures embedded
//! as PNG), so a figure can go into a paper as it is.

use crate::budget::{self, OverBudget};
use crate::cppn::Program;
use crate::cppn::eval::evaluate;
use crate::dense::net::DenseNet;
use crate::grid::{Grid, Planes};
use crate::image::Image;
use crate::layerize::{layerize, layerized_shape};
use crate::render::gallery::{Cell, GalleryLayout};
use base64::Engine;

/// One thing drawn on a figure, at pixel (x, y) from the top left.
#[derive(Clone, Debug, PartialEq)]
pub enum Mark {
    Picture {
        x: usize,
        y: usize,
        image: Image,
    },
    /// Text in 8-pixel glyphs; `(x, y)` is the top left of the first glyph.
    Text {
        x: usize,
        y: usize,
        text: String,
        rgb: [u8; 3],
    },
    /// A rectangle: `fill` inside, or a 2-pixel `stroke` just outside.
    Rect {
        x: usize,
        y: usize,
        w: usize,
        h: usize,
        fill: Option<[u8; 3]>,
        stroke: Option<[u8; 3]>,
    },
    /// A scatter plot's marker centred on (x, y), `radius` pixels, outlined in black:
    /// an SVG `<circle>` or `<polygon>` (one element per marker, so they can be counted).
    Point {
        x: f64,
        y: f64,
        radius: f64,
        shape: MarkerShape,
        rgb: [u8; 3],
    },
}

/// A [`Mark::Point`]'s shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarkerShape {
    Circle,
    /// Five points.
    Star,
}

/// A five-pointed star's ten corners around (x, y), the first pointing up.
fn star_corners(x: f64, y: f64, radius: f64) -> Vec<(f64, f64)> {
    (0..10)
        .map(|k| {
            let r = if k % 2 == 0 { radius } else { radius * 0.45 };
            let a = std::f64::consts::PI * (k as f64 / 5.0 - 0.5);
            (x + r * a.cos(), y + r * a.sin())
        })
        .collect()
}

/// Whether (px, py) is inside the polygon (even-odd rule).
fn inside_polygon(px: f64, py: f64, corners: &[(f64, f64)]) -> bool {
    let mut inside = false;
    let mut j = corners.len() - 1;
    for i in 0..corners.len() {
        let ((xi, yi), (xj, yj)) = (corners[i], corners[j]);
        if (yi > py) != (yj > py) && px < (xj - xi) * (py - yi) / (yj - yi) + xi {
            inside = !inside;
        }
        j = i;
    }
    inside
}

/// Whether pixel centre (px, py) is inside a marker of this shape and size.
fn inside_marker(shape: MarkerShape, x: f64, y: f64, radius: f64, px: f64, py: f64) -> bool {
    match shape {
        MarkerShape::Circle => (px - x).powi(2) + (py - y).powi(2) <= radius * radius,
        MarkerShape::Star => inside_polygon(px, py, &star_corners(x, y, radius)),
    }
}

/// A figure: a background and marks drawn in order.
#[derive(Clone, Debug, PartialEq)]
pub struct Figure {
    pub width: usize,
    pub height: usize,
    pub background: [u8; 3],
    pub marks: Vec<Mark>,
}

const GLYPH: usize = 8;
const GAP: usize = 2;

impl Figure {
    pub fn new(width: usize, height: usize, background: [u8; 3]) -> Figure {
        Figure {
            width,
            height,
            background,
            marks: vec![],
        }
    }

    /// The figure as pixels.
    pub fn to_image(&self) -> Image {
        let mut img = Image::new(self.width, self.height);
        let [r, g, b] = self.background;
        img.fill([r, g, b, 255]);
        let put = |img: &mut Image, x: usize, y: usize, c: [u8; 3]| {
            if x < img.width && y < img.height {
                let i = (y * img.width + x) * 4;
                img.rgba[i..i + 4].copy_from_slice(&[c[0], c[1], c[2], 255]);
            }
        };
        for m in &self.marks {
            match m {
                Mark::Picture { x, y, image } => img.blit(image, *x, *y),
                Mark::Text { x, y, text, rgb } => {
                    for (k, ch) in text.chars().enumerate() {
                        let glyph = font8x8::legacy::BASIC_LEGACY
                            .get(ch as usize)
                            .copied()
                            .unwrap_or([0; 8]);
                        for (row, bits) in glyph.iter().enumerate() {
                            for col in 0..8 {
                                if bits >> col & 1 == 1 {
                                    put(&mut img, x + k * GLYPH + col, y + row, *rgb);
                                }
                            }
                        }
                    }
                }
                Mark::Rect {
                    x,
                    y,
                    w,
                    h,
                    fill,
                    stroke,
                } => {
                    if let Some(c) = fill {
                        for yy in *y..y + h {
                            for xx in *x..x + w {
                                put(&mut img, xx, yy, *c);
                            }
                        }
                    }
                    if let Some(c) = stroke {
                        let (x0, y0) = (x.saturating_sub(2), y.saturating_sub(2));
                        for yy in y0..y + h + 2 {
                            for xx in x0..x + w + 2 {
                                let inside = xx >= *x && xx < x + w && yy >= *y && yy < y + h;
                                if !inside {
                                    put(&mut img, xx, yy, *c);
                                }
                            }
                        }
                    }
                }
                Mark::Point {
                    x,
                    y,
                    radius,
                    shape,
                    rgb,
                } => {
                    // The black outline is the marker one pixel larger, drawn first.
                    let edge = radius + 1.0;
                    let (x0, x1) = ((x - edge).floor().max(0.0), (x + edge).ceil().max(0.0));
                    let (y0, y1) = ((y - edge).floor().max(0.0), (y + edge).ceil().max(0.0));
                    for yy in y0 as usize..=y1 as usize {
                        for xx in x0 as usize..=x1 as usize {
                            let (px, py) = (xx as f64 + 0.5, yy as f64 + 0.5);
                            if inside_marker(*shape, *x, *y, *radius, px, py) {
                                put(&mut img, xx, yy, *rgb);
                            } else if inside_marker(*shape, *x, *y, edge, px, py) {
                                put(&mut img, xx, yy, [0, 0, 0]);
                            }
                        }
                    }
                }
            }
        }
        img
    }

    /// The figure as an SVG document of the same size.
    pub fn to_svg(&self) -> String {
        let hex = |c: &[u8; 3]| format!("#{:02x}{:02x}{:02x}", c[0], c[1], c[2]);
        let mut s = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\">\n<rect width=\"{w}\" height=\"{h}\" fill=\"{}\"/>\n",
            hex(&self.background),
            w = self.width,
            h = self.height
        );
        for m in &self.marks {
            match m {
                Mark::Picture { x, y, image } => {
                    let png = crate::io::png::encode(image).unwrap_or_default();
                    s.push_str(&format!(
                        "<image x=\"{x}\" y=\"{y}\" width=\"{}\" height=\"{}\" style=\"image-rendering:pixelated\" href=\"data:image/png;base64,{}\"/>\n",
                        image.width,
                        image.height,
                        base64::engine::general_purpose::STANDARD.encode(png)
                    ));
                }
                Mark::Text { x, y, text, rgb } => {
                    let esc = text
                        .replace('&', "&amp;")
                        .replace('<', "&lt;")
                        .replace('>', "&gt;");
                    s.push_str(&format!(
                        "<text x=\"{x}\" y=\"{}\" font-family=\"monospace\" font-size=\"10\" fill=\"{}\">{esc}</text>\n",
                        y + 8,
                        hex(rgb)
                    ));
                }
                Mark::Rect {
                    x,
                    y,
                    w,
                    h,
                    fill,
                    stroke,
                } => {
                    if let Some(c) = fill {
                        s.push_str(&format!(
                            "<rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" fill=\"{}\"/>\n",
                            hex(c)
                        ));
                    }
                    if let Some(c) = stroke {
                        s.push_str(&format!(
                            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"/>\n",
                            *x as f64 - 1.0,
                            *y as f64 - 1.0,
                            w + 2,
                            h + 2,
                            hex(c)
                        ));
                    }
                }
                Mark::Point {
                    x,
                    y,
                    radius,
                    shape: MarkerShape::Circle,
                    rgb,
                } => s.push_str(&format!(
                    "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{radius}\" fill=\"{}\" stroke=\"#000000\"/>\n",
                    hex(rgb)
                )),
                Mark::Point {
                    x,
                    y,
                    radius,
                    shape: MarkerShape::Star,
                    rgb,
                } => {
                    let corners: Vec<String> = star_corners(*x, *y, *radius)
                        .iter()
                        .map(|(a, b)| format!("{a:.1},{b:.1}"))
                        .collect();
                    s.push_str(&format!(
                        "<polygon points=\"{}\" fill=\"{}\" stroke=\"#000000\"/>\n",
                        corners.join(" "),
                        hex(rgb)
                    ));
                }
            }
        }
        s.push_str("</svg>\n");
        s
    }

    /// Writes SVG when the path ends in `.svg`, PNG otherwise (atomically either way).
    pub fn save(&self, path: &std::path::Path) -> Result<(), crate::io::FileError> {
        self.save_with_genome(path, None)
    }

    /// [`Figure::save`]; a PNG carries `genome` (the one the figure shows), so opening
    /// the picture opens it.
    pub fn save_with_genome(
        &self,
        path: &std::path::Path,
        genome: Option<&crate::cppn::Genome>,
    ) -> Result<(), crate::io::FileError> {
        if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("svg"))
        {
            crate::io::write_atomic(path, self.to_svg().as_bytes())
        } else {
            crate::io::png::save_with_genome(&self.to_image(), genome, path)
        }
    }
}

const WHITE: [u8; 3] = [235, 235, 235];
const LEFT: usize = 3 * GLYPH + 4;
const TOP: usize = GLYPH + 4;
const BOTTOM: usize = GLYPH + 4;

/// Width and height of [`gallery_figure`] for `rows` rows of at most `cols` thumbnails
/// `tw` x `th` and a final image `side` square (saturating: a request may be absurd).
pub fn gallery_size(rows: usize, cols: usize, tw: usize, th: usize, side: usize) -> (usize, usize) {
    let grid_w = cols.saturating_mul(tw + GAP + 2).saturating_add(GAP);
    let grid_h = rows.saturating_mul(th + GAP + 2).saturating_add(GAP);
    let width = (LEFT + 2 * GAP).saturating_add(grid_w).saturating_add(side);
    let height = (TOP + BOTTOM).saturating_add(grid_h.max(side.saturating_add(GAP)));
    (width, height)
}

/// The enlarged final image of a gallery is as tall as its rows of neurons (at least
/// four thumbnails).
pub fn final_side(rows: usize, th: usize) -> usize {
    rows.saturating_mul(th + 4).saturating_sub(2).max(4 * th)
}

/// What a gallery draws.
#[derive(Clone, Copy)]
pub enum GalleryOf<'a> {
    /// A genome's graph, nodes by longest-path layer.
    Genome(&'a Program),
    /// A genome in the paper's layerized form, its own nodes framed.
    Layerized(&'a Program),
    /// A dense network.
    Net(&'a DenseNet),
}

/// The shape of a gallery, known before anything is evaluated.
struct Shape {
    rows: usize,
    cols: usize,
    neurons: usize,
    /// Planes the evaluation keeps (every neuron, inputs included).
    planes: usize,
    /// Bytes of a layerized net built on the way (0 otherwise).
    layerized: u64,
}

impl Shape {
    fn of(of: GalleryOf) -> Shape {
        match of {
            GalleryOf::Genome(p) => {
                let layout = GalleryLayout::of_program(p);
                Shape {
                    rows: layout.rows.len(),
                    cols: layout.rows.iter().map(Vec::len).max().unwrap_or(0),
                    neurons: layout.neuron_count(),
                    planes: p.plane_count(),
                    layerized: 0,
                }
            }
            GalleryOf::Layerized(p) => {
                let (depth, width) = layerized_shape(p);
                let params = crate::layerize::layerized_parameters(p);
                let hidden = depth.saturating_mul(width);
                Shape {
                    rows: depth + 2,
                    cols: width.max(4),
                    neurons: hidden + 7,
                    planes: hidden + 7,
                    // weights, the slot table and its position maps
                    layerized: budget::times(params, 4)
                        .saturating_add(budget::times(hidden as u64, 96)),
                }
            }
            GalleryOf::Net(n) => {
                let widths = n.widths();
                let total: usize = widths.iter().sum();
                Shape {
                    rows: widths.len(),
                    cols: widths.iter().copied().max().unwrap_or(0),
                    neurons: total,
                    planes: total,
                    layerized: 0,
                }
            }
        }
    }

    /// Peak bytes of a gallery with `tw` x `th` thumbnails: the planes, one scratch block
    /// per thread, the thumbnails, the final image (its planes, itself and the figure's
    /// copy), the figure as pixels and its encoding.
    fn bytes(&self, tw: usize, th: usize) -> u64 {
        let side = final_side(self.rows, th);
        let (w, h) = gallery_size(self.rows, self.cols, tw, th, side);
        let threads = rayon::current_num_threads() + 1;
        [
            budget::planes(self.planes, tw, th),
            budget::planes(self.planes.saturating_mul(threads), crate::steps::BLOCK, 1),
            budget::rgba(tw, th).saturating_mul(self.neurons as u64),
            budget::rgba(side, side).saturating_mul(5),
            budget::rgba(w, h).saturating_mul(2),
            self.layerized,
        ]
        .into_iter()
        .fold(0u64, u64::saturating_add)
    }
}

/// Bytes a gallery of `of` with `tw` x `th` thumbnails needs at its peak (an estimate
/// that errs high), found without evaluating anything.
pub fn gallery_bytes(of: GalleryOf, tw: usize, th: usize) -> u64 {
    Shape::of(of).bytes(tw, th)
}

/// The paper's neuron gallery of `of` over `grid` (each thumbnail `grid`'s size),
/// refused before any work when it would need more than `budget` bytes, with the largest
/// square thumbnail that would fit.
pub fn gallery(of: GalleryOf, grid: &Grid, budget: u64) -> Result<Figure, OverBudget> {
    let shape = Shape::of(of);
    let need = shape.bytes(grid.width, grid.height);
    if need > budget {
        let fits = budget::largest_that_fits(1..=grid.width.max(grid.height), budget, |s| {
            shape.bytes(s, s)
        });
        let change = if let Some(fits) = fits {
            format!("use thumbnails of at most {fits}x{fits} pixels")
        } else {
            format!(
                "{} neurons in {} rows are too many to draw as a gallery at any size (`render` draws the image)",
                shape.neurons, shape.rows
            )
        };
        let what = format!(
            "a gallery of {} neurons at {}x{}",
            shape.neurons, grid.width, grid.height
        );
        return Err(budget::check(&what, need, budget, &change).unwrap_err());
    }
    Ok(match of {
        GalleryOf::Genome(program) => {
            let layout = GalleryLayout::of_program(program);
            let side = final_side(layout.rows.len(), grid.height);
            gallery_figure(
                &evaluate(program, grid),
                &layout,
                &program.render(&Grid::square(side)),
                &|_| false,
            )
        }
        GalleryOf::Layerized(program) => net_gallery(&layerize(program).net, grid, true),
        GalleryOf::Net(net) => net_gallery(net, grid, false),
    })
}

/// A dense net's gallery; `layerized`: frame the genome's own nodes.
fn net_gallery(net: &DenseNet, grid: &Grid, layerized: bool) -> Figure {
    let layout = GalleryLayout::of_net(net);
    let side = final_side(layout.rows.len(), grid.height);
    gallery_figure(
        &net.evaluate(grid),
        &layout,
        &net.render(&Grid::square(side)),
        &|c| layerized && own_node(c),
    )
}
const FRAME: [u8; 3] = [0, 150, 0];

/// The paper's feature-map figure: layers as rows (inputs at the bottom), the layer
/// number down the left side, input names under the bottom row and output names over
/// the top, the cells `framed` says are the evolved network's own nodes framed (so
/// cache copies stand apart), and the final image enlarged to the right.
pub fn gallery_figure(
    planes: &Planes,
    layout: &GalleryLayout,
    final_image: &Image,
    framed: &dyn Fn(&Cell) -> bool,
) -> Figure {
    let (tw, th) = (planes.width, planes.height);
    let (left, top) = (LEFT, TOP);
    let cols = layout.rows.iter().map(Vec::len).max().unwrap_or(0);
    let grid_w = cols * (tw + GAP + 2) + GAP;
    let (width, height) = gallery_size(layout.rows.len(), cols, tw, th, final_image.width);
    let mut f = Figure::new(width, height, [64, 64, 64]);
    let last = layout.rows.len().saturating_sub(1);
    for (r, row) in layout.rows.iter().enumerate() {
        let y = top + GAP + (last - r) * (th + GAP + 2);
        // The paper numbers the layers up to the last hidden one; outputs are named.
        if r < last {
            f.marks.push(Mark::Text {
                x: 2,
                y: y + th / 2 - GLYPH / 2,
                text: r.to_string(),
                rgb: WHITE,
            });
        }
        for (c, cell) in row.iter().enumerate() {
            let x = left + GAP + c * (tw + GAP + 2);
            f.marks.push(Mark::Picture {
                x,
                y,
                image: Image::from_neuron(planes.plane(cell.plane), tw, th),
            });
            if r < last && framed(cell) {
                f.marks.push(Mark::Rect {
                    x,
                    y,
                    w: tw,
                    h: th,
                    fill: None,
                    stroke: Some(FRAME),
                });
            }
            let name = match r {
                0 => Some(match cell.label.as_str() {
                    "bias" => "1".to_string(),
                    l => l.to_string(),
                }),
                _ if r == last => Some(cell.label.clone()),
                _ => None,
            };
            if let Some(mut name) = name {
                // Cut to the cell's width so neighbours' names do not run together.
                let fits = ((tw + GAP + 2) / GLYPH).max(1);
                if name.chars().count() > fits {
                    name = name.chars().take(fits).collect();
                }
                let tx = x + (tw / 2).saturating_sub(name.len() * GLYPH / 2);
                let ty = if r == 0 {
                    y + th + 3
                } else {
                    y.saturating_sub(GLYPH + 3)
                };
                f.marks.push(Mark::Text {
                    x: tx,
                    y: ty,
                    text: name,
                    rgb: WHITE,
                });
            }
        }
    }
    f.marks.push(Mark::Picture {
        x: left + grid_w + GAP,
        y: top + GAP,
        image: final_image.clone(),
    });
    f
}

/// A layerized genome's own node (not a cache copy, an unused slot or a stand-in zero).
pub fn own_node(cell: &Cell) -> bool {
    !cell.label.is_empty() && !cell.label.starts_with("cache") && !cell.label.contains("(0)")
}

/// Rows of images (e.g. sweep strips) with 2-pixel gaps, optional row titles on the left.
pub fn rows_figure(rows: &[Vec<Image>], titles: &[String]) -> Figure {
    let cell_w = rows.iter().flatten().map(|i| i.width).max().unwrap_or(0);
    let cell_h = rows.iter().flatten().map(|i| i.height).max().unwrap_or(0);
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let left = titles
        .iter()
        .map(|t| t.len() * GLYPH + 4)
        .max()
        .unwrap_or(0);
    let mut f = Figure::new(
        left + cols * (cell_w + GAP) + GAP,
        rows.len() * (cell_h + GAP) + GAP,
        [40, 40, 40],
    );
    for (r, row) in rows.iter().enumerate() {
        let y = GAP + r * (cell_h + GAP);
        if let Some(t) = titles.get(r) {
            f.marks.push(Mark::Text {
                x: 2,
                y: y + cell_h / 2 - 4,
                text: t.clone(),
                rgb: WHITE,
            });
        }
        for (c, img) in row.iter().enumerate() {
            f.marks.push(Mark::Picture {
                x: left + GAP + c * (cell_w + GAP),
                y,
                image: img.clone(),
            });
        }
    }
    f
}

/// Rows of captioned pictures: each row a title above it, each picture its caption
/// below it, one or more lines split at `\n` (as the paper's path figures: a lineage
/// above an SGD run's snapshots).
pub fn captioned_rows(rows: &[(String, Vec<(Image, String)>)]) -> Figure {
    let all = || rows.iter().flat_map(|r| r.1.iter());
    let widest = |c: &String| c.lines().map(str::len).max().unwrap_or(0) * GLYPH;
    let cell_w = all()
        .map(|(i, c)| i.width.max(widest(c)) + 2 * GAP)
        .max()
        .unwrap_or(0);
    let cell_h = all().map(|(i, _)| i.height).max().unwrap_or(0);
    let lines = all().map(|(_, c)| c.lines().count()).max().unwrap_or(0);
    let cols = rows.iter().map(|r| r.1.len()).max().unwrap_or(0);
    let title_w = rows.iter().map(|r| r.0.len() * GLYPH).max().unwrap_or(0);
    let row_h = GLYPH + GAP + cell_h + GAP + lines * (GLYPH + GAP) + 3 * GAP;
    let mut f = Figure::new(
        (cols * (cell_w + GAP) + GAP).max(title_w + 2 * GAP),
        rows.len() * row_h + GAP,
        [40, 40, 40],
    );
    for (r, (title, cells)) in rows.iter().enumerate() {
        let y = GAP + r * row_h;
        f.marks.push(Mark::Text {
            x: GAP,
            y,
            text: title.clone(),
            rgb: WHITE,
        });
        for (c, (img, caption)) in cells.iter().enumerate() {
            let x = GAP + c * (cell_w + GAP);
            let top = y + GLYPH + GAP;
            f.marks.push(Mark::Picture {
                x,
                y: top,
                image: img.clone(),
            });
            for (k, line) in caption.lines().enumerate() {
                f.marks.push(Mark::Text {
                    x,
                    y: top + cell_h + GAP + k * (GLYPH + GAP),
                    text: line.to_string(),
                    rgb: WHITE,
                });
            }
        }
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cppn::Program;
    use crate::cppn::genome::tests::tiny;
    use crate::grid::Grid;
    use crate::layerize::layerize;

    #[test]
    fn layerized_gallery_frames_own_nodes_and_names_inputs_and_outputs() {
        let program = Program::compile(&tiny()).unwrap();
        let net = layerize(&program).net;
        let layout = GalleryLayout::of_net(&net);
        let planes = net.evaluate(&Grid::square(16));
        let fin = Image::new(40, 40);
        let f = gallery_figure(&planes, &layout, &fin, &own_node);
        let frames = f
            .marks
            .iter()
            .filter(|m| matches!(m, Mark::Rect { .. }))
            .count();
        // x, y, d, bias, sin (layer 1) and ink (layer 2) are the genome's own nodes.
        let own: usize = layout.rows[..layout.rows.len() - 1]
            .iter()
            .flatten()
            .filter(|c| own_node(c))
            .count();
        assert_eq!((frames, own), (6, 6));
        let texts: Vec<&str> = f
            .marks
            .iter()
            .filter_map(|m| match m {
                Mark::Text { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect();
        for want in ["x", "y", "d", "1", "h", "s", "v", "0", "2"] {
            assert!(texts.contains(&want), "{want} in {texts:?}");
        }
        let img = f.to_image();
        assert_eq!((img.width, img.height), (f.width, f.height));
        // A frame is drawn in the frame colour on the raster.
        let Some(Mark::Rect { x, y, .. }) = f.marks.iter().find(|m| matches!(m, Mark::Rect { .. }))
        else {
            unreachable!()
        };
        assert_eq!(img.pixel(x - 1, *y), [0, 150, 0, 255]);
        let svg = f.to_svg();
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
        assert_eq!(svg.matches("<image").count(), layout.neuron_count() + 1);
        assert_eq!(svg.matches("stroke=").count(), 6);
    }
}
