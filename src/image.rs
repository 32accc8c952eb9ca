//! Plain RGBA images, and turning output planes into one.

use crate::colour::{grey, picbreeder_rgb, to_u8};
use crate::grid::Planes;
use rayon::prelude::*;

/// An 8-bit RGBA image, row-major.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Image {
    pub width: usize,
    pub height: usize,
    pub rgba: Vec<u8>,
}

/// How output planes become colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColourPlanes {
    /// Grey level `|ink|` from this plane.
    Grey(usize),
    /// Hue, saturation (missing reads as 0) and value planes.
    Hsv(Option<usize>, Option<usize>, usize),
}

impl Image {
    pub fn new(width: usize, height: usize) -> Image {
        Image {
            width,
            height,
            rgba: vec![0; width * height * 4],
        }
    }

    /// Colours planes by the Picbreeder rule.
    pub fn from_planes(planes: &Planes, which: ColourPlanes) -> Image {
        let mut img = Image::new(planes.width, planes.height);
        let zero = vec![0.0; planes.pixels()];
        let get = |p: Option<usize>| p.map_or(&zero[..], |p| planes.plane(p));
        // Rows of pixels per rayon task: one task per pixel cost more than the colour.
        const CHUNK: usize = 4096;
        let tasks = img.rgba.par_chunks_mut(4 * CHUNK).enumerate();
        match which {
            ColourPlanes::Grey(ink) => {
                let ink = planes.plane(ink);
                tasks.for_each(|(c, out)| {
                    for (px, &v) in out.chunks_exact_mut(4).zip(&ink[c * CHUNK..]) {
                        let g = to_u8(grey(v));
                        px.copy_from_slice(&[g, g, g, 255]);
                    }
                });
            }
            ColourPlanes::Hsv(h, s, v) => {
                let (h, s, v) = (get(h), get(s), planes.plane(v));
                tasks.for_each(|(c, out)| {
                    let start = c * CHUNK;
                    for (i, px) in out.chunks_exact_mut(4).enumerate() {
                        let k = start + i;
                        let [r, g, b] = picbreeder_rgb(h[k], s[k], v[k]);
                        px.copy_from_slice(&[to_u8(r), to_u8(g), to_u8(b), 255]);
                    }
                });
            }
        }
        img
    }

    /// Colours one neuron's plane with the diverging map.
    pub fn from_neuron(plane: &[f32], width: usize, height: usize) -> Image {
        let mut img = Image::new(width, height);
        for (px, &v) in img.rgba.chunks_mut(4).zip(plane) {
            let [r, g, b] = crate::colour::diverging(v);
            px.copy_from_slice(&[r, g, b, 255]);
        }
        img
    }

    /// Copies `src` into this image with its top-left corner at (x, y), clipped.
    pub fn blit(&mut self, src: &Image, x: usize, y: usize) {
        for r in 0..src.height.min(self.height.saturating_sub(y)) {
            let w = src.width.min(self.width.saturating_sub(x));
            let d = ((y + r) * self.width + x) * 4;
            let s = r * src.width * 4;
            self.rgba[d..d + w * 4].copy_from_slice(&src.rgba[s..s + w * 4]);
        }
    }

    pub fn fill(&mut self, rgba: [u8; 4]) {
        for px in self.rgba.chunks_mut(4) {
            px.copy_from_slice(&rgba);
        }
    }

    /// Pixel (x, y) as RGBA.
    pub fn pixel(&self, x: usize, y: usize) -> [u8; 4] {
        let i = (y * self.width + x) * 4;
        [
            self.rgba[i],
            self.rgba[i + 1],
            self.rgba[i + 2],
            self.rgba[i + 3],
        ]
    }
}

/// Peak signal-to-noise ratio over RGB (alpha ignored), in dB; infinite if identical.
/// `None` if the sizes differ.
pub fn psnr(a: &Image, b: &Image) -> Option<f64> {
    if (a.width, a.height) != (b.width, b.height) {
        return None;
    }
    let (mut se, mut n) = (0.0f64, 0usize);
    for (pa, pb) in a.rgba.chunks(4).zip(b.rgba.chunks(4)) {
        for c in 0..3 {
            let d = f64::from(pa[c]) - f64::from(pb[c]);
            se += d * d;
            n += 1;
        }
    }
    let mse = se / n.max(1) as f64;
    Some(if mse == 0.0 {
        f64::INFINITY
    } else {
        10.0 * (255.0f64 * 255.0 / mse).log10()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn psnr_of_known_error() {
        let a = Image::new(2, 2);
        let mut b = a.clone();
        assert_eq!(psnr(&a, &b), Some(f64::INFINITY));
        for px in b.rgba.chunks_mut(4) {
            px[0] = 255; // one channel of three fully off: mse = 255^2 / 3
        }
        let p = psnr(&a, &b).unwrap();
        assert!((p - 10.0 * 3f64.log10()).abs() < 1e-9);
        assert_eq!(psnr(&a, &Image::new(1, 2)), None);
    }

    #[test]
    fn blit_clips() {
        let mut big = Image::new(3, 3);
        let mut small = Image::new(2, 2);
        small.fill([9, 9, 9, 9]);
        big.blit(&small, 2, 2);
        assert_eq!(big.pixel(2, 2), [9, 9, 9, 9]);
        assert_eq!(big.pixel(1, 1), [0, 0, 0, 0]);
    }
}
