//! What a search sees of a picture: a small sketch (an 8x8 colour thumbnail) for novelty,
//! and a few numbers in [0, 1] (mirror symmetry, complexity, colourfulness, coverage)
//! for MAP-Elites' map.

use crate::image::Image;
use serde::{Deserialize, Serialize};
use std::io::Write;

/// Side of the sketch: 8x8 colour cells (192 numbers) tell shapes and colours apart
/// while keeping a distance cheap enough for thousands of archive members.
pub const SKETCH_SIDE: usize = 8;

/// A picture's sketch: each cell's mean red, green and blue in [0, 1], row by row.
pub type Sketch = Vec<f32>;

/// The picture averaged over an 8x8 grid of cells (area-weighted, any size).
pub fn sketch(img: &Image) -> Sketch {
    let mut sums = vec![0f32; SKETCH_SIDE * SKETCH_SIDE * 3];
    let mut counts = vec![0f32; SKETCH_SIDE * SKETCH_SIDE];
    for y in 0..img.height {
        let cy = y * SKETCH_SIDE / img.height.max(1);
        for x in 0..img.width {
            let cx = x * SKETCH_SIDE / img.width.max(1);
            let c = cy * SKETCH_SIDE + cx;
            let p = img.pixel(x, y);
            for k in 0..3 {
                sums[c * 3 + k] += f32::from(p[k]) / 255.0;
            }
            counts[c] += 1.0;
        }
    }
    for (c, n) in counts.iter().enumerate() {
        for k in 0..3 {
            sums[c * 3 + k] /= n.max(1.0);
        }
    }
    sums
}

/// Root-mean-square difference of two sketches, in [0, 1]: 0 for the same sketch.
pub fn distance(a: &[f32], b: &[f32]) -> f32 {
    let n = a.len().max(1) as f32;
    let s: f32 = a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum();
    (s / n).sqrt()
}

/// A picture descriptor MAP-Elites can lay its map over. Stored by name, never by
/// position.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Axis {
    /// Left-right mirror symmetry: 1 minus the mean absolute difference of each pixel
    /// and its mirror image (channels in [0, 1]). 1 for a mirror-symmetric picture.
    Symmetry,
    /// How little the picture compresses: deflated RGB bytes over raw bytes, clamped to
    /// [0, 1]. Near 0 for a flat picture, near 1 for noise.
    Complexity,
    /// Mean over pixels of max(r, g, b) - min(r, g, b): 0 for grey pictures.
    Colourfulness,
    /// The fraction of pixels brighter than half (luminance > 0.5).
    Coverage,
}

impl Axis {
    pub const ALL: [Axis; 4] = [
        Axis::Symmetry,
        Axis::Complexity,
        Axis::Colourfulness,
        Axis::Coverage,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Axis::Symmetry => "symmetry",
            Axis::Complexity => "complexity",
            Axis::Colourfulness => "colourfulness",
            Axis::Coverage => "coverage",
        }
    }

    pub fn from_name(s: &str) -> Option<Axis> {
        Axis::ALL.into_iter().find(|a| a.name() == s)
    }

    /// The picture's value on this axis, in [0, 1].
    pub fn value(self, img: &Image) -> f64 {
        match self {
            Axis::Symmetry => symmetry(img),
            Axis::Complexity => complexity(img),
            Axis::Colourfulness => colourfulness(img),
            Axis::Coverage => coverage(img),
        }
    }
}

fn pixels(img: &Image) -> f64 {
    (img.width * img.height).max(1) as f64
}

pub fn symmetry(img: &Image) -> f64 {
    let mut diff = 0.0f64;
    for y in 0..img.height {
        for x in 0..img.width {
            let (a, b) = (img.pixel(x, y), img.pixel(img.width - 1 - x, y));
            for k in 0..3 {
                diff += (f64::from(a[k]) - f64::from(b[k])).abs() / 255.0;
            }
        }
    }
    1.0 - diff / (3.0 * pixels(img))
}

pub fn complexity(img: &Image) -> f64 {
    let raw: Vec<u8> = img
        .rgba
        .chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    if raw.is_empty() {
        return 0.0;
    }
    let mut z = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::new(6));
    // Writing into memory cannot fail.
    let packed = z
        .write_all(&raw)
        .and_then(|()| z.finish())
        .map_or(raw.len(), |v| v.len());
    (packed as f64 / raw.len() as f64).clamp(0.0, 1.0)
}

pub fn colourfulness(img: &Image) -> f64 {
    let total: f64 = img
        .rgba
        .chunks_exact(4)
        .map(|p| {
            let (hi, lo) = (p[0].max(p[1]).max(p[2]), p[0].min(p[1]).min(p[2]));
            f64::from(hi - lo) / 255.0
        })
        .sum();
    total / pixels(img)
}

pub fn coverage(img: &Image) -> f64 {
    let lit = img
        .rgba
        .chunks_exact(4)
        .filter(|p| {
            0.299 * f64::from(p[0]) + 0.587 * f64::from(p[1]) + 0.114 * f64::from(p[2]) > 127.5
        })
        .count();
    lit as f64 / pixels(img)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A white disc of radius 0.5 (in the [-1, 1] square) on black, centred: mirror
    /// symmetric, grey, covering pi * 0.25 / 4 of the square.
    fn disc(n: usize) -> Image {
        let mut img = Image::new(n, n);
        for y in 0..n {
            for x in 0..n {
                let fx = -1.0 + 2.0 * (x as f64 + 0.5) / n as f64;
                let fy = -1.0 + 2.0 * (y as f64 + 0.5) / n as f64;
                let v = if fx * fx + fy * fy < 0.25 { 255 } else { 0 };
                let i = (y * n + x) * 4;
                img.rgba[i..i + 4].copy_from_slice(&[v, v, v, 255]);
            }
        }
        img
    }

    #[test]
    fn a_left_right_symmetric_disc_has_the_descriptors_it_should() {
        let img = disc(128);
        assert_eq!(symmetry(&img), 1.0);
        assert_eq!(colourfulness(&img), 0.0);
        let want = std::f64::consts::PI * 0.25 / 4.0;
        assert!((coverage(&img) - want).abs() < 0.005, "{}", coverage(&img));
        // A disc compresses far better than noise.
        let c = complexity(&img);
        let mut noise = Image::new(128, 128);
        let mut s = 1u32;
        for v in noise.rgba.iter_mut() {
            s = s.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            *v = (s >> 24) as u8;
        }
        assert!(c < 0.1 && complexity(&noise) > 0.9, "{c}");
        // Shifted off centre it is no longer symmetric.
        let mut shifted = Image::new(128, 128);
        shifted.blit(&img, 20, 0);
        assert!(symmetry(&shifted) < 0.9);
        // Its sketch: the middle cells are lit, the corners dark.
        let l = sketch(&img);
        assert_eq!(l.len(), 192);
        assert!(l[(3 * 8 + 3) * 3] > 0.99 && l[0] == 0.0);
        assert_eq!(distance(&l, &l), 0.0);
    }

    #[test]
    fn axes_round_trip_by_name() {
        for a in Axis::ALL {
            assert_eq!(Axis::from_name(a.name()), Some(a));
        }
        assert_eq!(Axis::from_name("beauty"), None);
    }
}
