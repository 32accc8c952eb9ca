//! Objective-driven search: a genome's fitness is how close its picture is to a fixed
//! target picture, as PSNR at the run's size (the measure the rest of the program
//! reports), capped at [`PSNR_CAP`] so an exact match is a finite best.

use crate::cppn::{Genome, Program};
use crate::grid::Grid;
use crate::image::{Image, psnr};

/// The PSNR an exact match counts as (dB): above any imitation's, finite for sums.
pub const PSNR_CAP: f64 = 100.0;

/// The target: a picture at the run's size.
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    pub image: Image,
}

impl Target {
    /// A genome's picture at `size` x `size`.
    pub fn of_genome(genome: &Genome, size: usize) -> Result<Target, crate::cppn::GenomeError> {
        Ok(Target {
            image: Program::compile(genome)?.render(&Grid::square(size)),
        })
    }

    /// A picture resampled to `size` x `size` (each target pixel the mean of the source
    /// pixels it covers, or the nearest one when enlarging).
    pub fn of_image(img: &Image, size: usize) -> Target {
        Target {
            image: resample(img, size),
        }
    }

    /// PSNR of `img` against the target (dB, capped; 0 for a picture of another size).
    pub fn fitness(&self, img: &Image) -> f64 {
        psnr(img, &self.image).map_or(0.0, |p| p.min(PSNR_CAP))
    }
}

/// `img` as `size` x `size`, by area averaging (alpha dropped: opaque).
pub fn resample(img: &Image, size: usize) -> Image {
    let mut out = Image::new(size, size);
    if img.width == 0 || img.height == 0 {
        out.fill([0, 0, 0, 255]);
        return out;
    }
    for ty in 0..size {
        let (y0, y1) = span(ty, size, img.height);
        for tx in 0..size {
            let (x0, x1) = span(tx, size, img.width);
            let mut sum = [0u32; 3];
            for y in y0..y1 {
                for x in x0..x1 {
                    let p = img.pixel(x, y);
                    for (s, &v) in sum.iter_mut().zip(&p[..3]) {
                        *s += u32::from(v);
                    }
                }
            }
            let n = ((y1 - y0) * (x1 - x0)) as u32;
            let i = (ty * size + tx) * 4;
            for (o, s) in out.rgba[i..i + 3].iter_mut().zip(sum) {
                *o = ((s + n / 2) / n) as u8;
            }
            out.rgba[i + 3] = 255;
        }
    }
    out
}

/// The source pixels `[a, b)` that target pixel `t` of `n` covers in `len` (at least one).
fn span(t: usize, n: usize, len: usize) -> (usize, usize) {
    let a = t * len / n;
    let b = ((t + 1) * len / n).max(a + 1).min(len);
    (a.min(len - 1), b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cppn::genome::tests::tiny;

    #[test]
    fn a_genome_scores_the_cap_against_its_own_picture() {
        let t = Target::of_genome(&tiny(), 32).unwrap();
        let img = Program::compile(&tiny()).unwrap().render(&Grid::square(32));
        assert_eq!(t.fitness(&img), PSNR_CAP);
        assert!(t.fitness(&Image::new(32, 32)) < 30.0);
        assert_eq!(t.fitness(&Image::new(8, 8)), 0.0);
    }

    #[test]
    fn resampling_keeps_a_same_size_picture_and_averages_down() {
        let img = Program::compile(&tiny()).unwrap().render(&Grid::square(32));
        assert_eq!(resample(&img, 32), img);
        let mut two = Image::new(2, 1);
        two.rgba = vec![0, 0, 0, 255, 200, 100, 50, 255];
        assert_eq!(resample(&two, 1).rgba, vec![100, 50, 25, 255]);
        assert_eq!(resample(&two, 4).pixel(3, 3), [200, 100, 50, 255]);
    }
}
