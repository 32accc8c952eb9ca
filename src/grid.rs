//! The pixel grid every network is evaluated on, and the planes it produces.

use serde::{Deserialize, Serialize};

/// The four input features every CPPN sees at a pixel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Input {
    X,
    Y,
    /// `1.4 * sqrt(x^2 + y^2)`
    D,
    Bias,
}

impl Input {
    /// Canonical order: planes 0..4 of every evaluation hold x, y, d, bias.
    pub const ALL: [Input; 4] = [Input::X, Input::Y, Input::D, Input::Bias];

    pub fn name(self) -> &'static str {
        match self {
            Input::X => "x",
            Input::Y => "y",
            Input::D => "d",
            Input::Bias => "bias",
        }
    }

    pub fn from_name(s: &str) -> Option<Input> {
        Input::ALL.into_iter().find(|i| i.name() == s)
    }
}

/// The part of the (x, y) plane an image shows. The paper's view is [-1, 1] on both
/// axes; zoom and pan are just other windows.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Window {
    pub x0: f64,
    pub x1: f64,
    /// y of the top row.
    pub y0: f64,
    /// y of the bottom row.
    pub y1: f64,
}

impl Default for Window {
    fn default() -> Self {
        Window {
            x0: -1.0,
            x1: 1.0,
            y0: -1.0,
            y1: 1.0,
        }
    }
}

impl Window {
    /// The window scaled by `factor` (< 1 zooms in) about the point (cx, cy).
    pub fn zoomed(&self, factor: f64, cx: f64, cy: f64) -> Window {
        Window {
            x0: cx + (self.x0 - cx) * factor,
            x1: cx + (self.x1 - cx) * factor,
            y0: cy + (self.y0 - cy) * factor,
            y1: cy + (self.y1 - cy) * factor,
        }
    }

    /// The window moved by (dx, dy) in plane units.
    pub fn panned(&self, dx: f64, dy: f64) -> Window {
        Window {
            x0: self.x0 + dx,
            x1: self.x1 + dx,
            y0: self.y0 + dy,
            y1: self.y1 + dy,
        }
    }
}

/// A `width` x `height` grid of sample points over a window: x = linspace(x0, x1, width)
/// along columns, y = linspace(y0, y1, height) down the rows, both endpoints included,
/// exactly as the paper samples.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Grid {
    pub width: usize,
    pub height: usize,
    pub window: Window,
}

impl Grid {
    /// A square grid over the paper's window.
    pub fn square(n: usize) -> Grid {
        Grid {
            width: n,
            height: n,
            window: Window::default(),
        }
    }

    pub fn new(width: usize, height: usize) -> Grid {
        Grid {
            width,
            height,
            window: Window::default(),
        }
    }

    pub fn with_window(self, window: Window) -> Grid {
        Grid { window, ..self }
    }

    pub fn pixels(&self) -> usize {
        self.width * self.height
    }

    /// x of each column.
    pub fn xs(&self) -> Vec<f32> {
        linspace(self.window.x0, self.window.x1, self.width)
    }

    /// y of each row.
    pub fn ys(&self) -> Vec<f32> {
        linspace(self.window.y0, self.window.y1, self.height)
    }

    /// The four input features at every pixel, in order x, y, d, bias, node-major.
    pub fn input_planes(&self) -> Planes {
        let (xs, ys) = (self.xs(), self.ys());
        let n = self.pixels();
        let mut data = vec![0.0; 4 * n];
        let (x, rest) = data.split_at_mut(n);
        let (y, rest) = rest.split_at_mut(n);
        let (d, bias) = rest.split_at_mut(n);
        for (r, &yv) in ys.iter().enumerate() {
            for (c, &xv) in xs.iter().enumerate() {
                let p = r * self.width + c;
                x[p] = xv;
                y[p] = yv;
                d[p] = distance(xv, yv);
            }
        }
        bias.fill(1.0);
        Planes {
            width: self.width,
            height: self.height,
            data,
        }
    }
}

/// The `d` input: `1.4 * sqrt(x^2 + y^2)`.
#[inline(always)]
pub fn distance(x: f32, y: f32) -> f32 {
    1.4 * (x * x + y * y).sqrt()
}

fn linspace(a: f64, b: f64, n: usize) -> Vec<f32> {
    match n {
        0 => vec![],
        1 => vec![((a + b) / 2.0) as f32],
        _ => (0..n)
            .map(|i| (a + (b - a) * i as f64 / (n - 1) as f64) as f32)
            .collect(),
    }
}

/// One f32 plane per neuron, node-major: plane `i` is `data[i * w * h .. (i + 1) * w * h]`,
/// row-major within.
#[derive(Clone, Debug, PartialEq)]
pub struct Planes {
    pub width: usize,
    pub height: usize,
    pub data: Vec<f32>,
}

impl Planes {
    pub fn pixels(&self) -> usize {
        self.width * self.height
    }

    pub fn count(&self) -> usize {
        if self.pixels() == 0 {
            0
        } else {
            self.data.len() / self.pixels()
        }
    }

    pub fn plane(&self, i: usize) -> &[f32] {
        let n = self.pixels();
        &self.data[i * n..(i + 1) * n]
    }
}

/// Cuts node-major planes (`data`, planes of `plane_len` values) into per-block pieces:
/// entry `b` holds block `b`'s slice of every plane, so blocks can be filled in parallel.
pub fn block_slices(data: &mut [f32], plane_len: usize, block: usize) -> Vec<Vec<&mut [f32]>> {
    if plane_len == 0 {
        return vec![];
    }
    let planes = data.len() / plane_len;
    let mut out: Vec<Vec<&mut [f32]>> = (0..plane_len.div_ceil(block))
        .map(|_| Vec::with_capacity(planes))
        .collect();
    for plane in data.chunks_mut(plane_len) {
        for (b, chunk) in plane.chunks_mut(block).enumerate() {
            out[b].push(chunk);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_matches_paper_convention() {
        let g = Grid::square(5);
        assert_eq!(g.xs(), vec![-1.0, -0.5, 0.0, 0.5, 1.0]);
        let p = g.input_planes();
        // top-left pixel is (x, y) = (-1, -1); x runs along a row.
        assert_eq!(p.plane(0)[0], -1.0);
        assert_eq!(p.plane(1)[0], -1.0);
        assert_eq!(p.plane(0)[1], -0.5);
        assert_eq!(p.plane(1)[5], -0.5);
        assert!((p.plane(2)[0] - 1.4 * 2f32.sqrt()).abs() < 1e-6);
        assert_eq!(p.plane(3)[7], 1.0);
    }

    #[test]
    fn zoom_about_centre_keeps_centre() {
        let w = Window::default().zoomed(0.5, 0.2, -0.4);
        assert!((w.x0 - (-0.4)).abs() < 1e-12 && (w.x1 - 0.6).abs() < 1e-12);
        assert!((w.y0 - (-0.7)).abs() < 1e-12 && (w.y1 - 0.3).abs() < 1e-12);
    }
}
