//! PNG image data compressed on every core: rows are packed to the picture's channels
//! (grey, RGB or RGBA), filtered (Paeth) and cut into pieces, each piece deflated on its
//! own thread ending on a sync flush (a byte boundary), and the pieces joined into one
//! zlib stream, as parallel PNG encoders (pigz, mtpng) do. Encoding a big picture was
//! almost all of `render`'s time on one core.

use flate2::{Compress, Compression, FlushCompress, Status};
use rayon::prelude::*;
use std::borrow::Cow;

/// Rows per piece at the least, so small pictures are not cut into crumbs.
const MIN_ROWS: usize = 32;

/// The channels a PNG stores: its colour type. An opaque picture needs no alpha, a grey
/// one no colour (a quarter of the bytes to filter and deflate).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channels {
    Grey,
    Rgb,
    Rgba,
}

impl Channels {
    /// The fewest channels that keep every pixel of `rgba`.
    pub fn needed(rgba: &[u8]) -> Channels {
        let px = rgba.chunks_exact(4);
        if px.clone().any(|p| p[3] != 255) {
            Channels::Rgba
        } else if px.clone().all(|p| p[0] == p[1] && p[1] == p[2]) {
            Channels::Grey
        } else {
            Channels::Rgb
        }
    }

    pub fn bytes(self) -> usize {
        match self {
            Channels::Grey => 1,
            Channels::Rgb => 3,
            Channels::Rgba => 4,
        }
    }

    pub fn colour_type(self) -> png::ColorType {
        match self {
            Channels::Grey => png::ColorType::Grayscale,
            Channels::Rgb => png::ColorType::Rgb,
            Channels::Rgba => png::ColorType::Rgba,
        }
    }

    /// RGBA pixels as this many channels each.
    fn pack(self, rgba: &[u8]) -> Cow<'_, [u8]> {
        let px = rgba.chunks_exact(4);
        match self {
            Channels::Grey => Cow::Owned(px.map(|p| p[0]).collect()),
            Channels::Rgb => {
                let mut out = Vec::with_capacity(rgba.len() / 4 * 3);
                px.for_each(|p| out.extend_from_slice(&p[..3]));
                Cow::Owned(out)
            }
            Channels::Rgba => Cow::Borrowed(rgba),
        }
    }
}

/// A zlib stream of PNG image data, written piece by piece as bands arrive.
pub struct ParallelDeflate {
    channels: Channels,
    width: usize,
    /// Bytes per packed row.
    stride: usize,
    /// The last packed row of the previous band, which Paeth filtering of the next needs.
    prev: Vec<u8>,
    adler: simd_adler32::Adler32,
    started: bool,
}

impl ParallelDeflate {
    pub fn new(width: usize, channels: Channels) -> ParallelDeflate {
        let stride = width * channels.bytes();
        ParallelDeflate {
            channels,
            width,
            stride,
            prev: vec![0; stride],
            adler: simd_adler32::Adler32::new(),
            started: false,
        }
    }

    /// Compresses `rgba` (whole rows of RGBA pixels) into the next part of the stream;
    /// `last` ends it (final block and checksum).
    pub fn band(&mut self, rgba: &[u8], last: bool) -> Vec<u8> {
        let (stride, bpp) = (self.stride, self.channels.bytes());
        let rgba_stride = 4 * self.width;
        let n = rgba.len() / rgba_stride.max(1);
        let pieces = rayon::current_num_threads().max(1);
        let per = n.div_ceil(pieces).max(MIN_ROWS);
        let pack = |r0: usize, r1: usize| {
            self.channels
                .pack(&rgba[r0 * rgba_stride..r1 * rgba_stride])
        };
        let starts: Vec<usize> = (0..n).step_by(per.max(1)).collect();
        let parts: Vec<(Vec<u8>, Vec<u8>)> = starts
            .par_iter()
            .enumerate()
            .map(|(k, &r0)| {
                let r1 = (r0 + per).min(n);
                let above = if r0 == 0 {
                    Cow::Borrowed(&self.prev[..])
                } else {
                    pack(r0 - 1, r0)
                };
                let filtered = paeth(&pack(r0, r1), &above, stride, bpp);
                let end = last && k + 1 == starts.len();
                let packed = deflate(&filtered, end);
                (filtered, packed)
            })
            .collect();
        let mut out = Vec::new();
        if !self.started {
            out.extend_from_slice(&[0x78, 0x01]);
            self.started = true;
        }
        for (filtered, packed) in &parts {
            self.adler.write(filtered);
            out.extend_from_slice(packed);
        }
        if parts.is_empty() && last {
            out.extend_from_slice(&deflate(&[], true));
        }
        if n > 0 {
            self.prev.copy_from_slice(&pack(n - 1, n));
        }
        if last {
            out.extend_from_slice(&self.adler.finish().to_be_bytes());
        }
        out
    }
}

/// Raw deflate of `data`, ending on a sync flush, or finishing the stream.
fn deflate(data: &[u8], finish: bool) -> Vec<u8> {
    // Level 3: of levels 2 to 5, the one where a smaller file stops being worth the
    // time (docs/benchmarks.md, "Writing a big picture").
    let mut c = Compress::new(Compression::new(3), false);
    let mut out = Vec::with_capacity(data.len() / 2 + 64);
    let flush = if finish {
        FlushCompress::Finish
    } else {
        FlushCompress::Sync
    };
    loop {
        let consumed = c.total_in() as usize;
        if out.capacity() - out.len() < 64 {
            out.reserve(out.capacity().max(4096));
        }
        let status = c
            .compress_vec(&data[consumed..], &mut out, flush)
            .expect("deflating memory cannot fail");
        let done_input = c.total_in() as usize == data.len();
        match status {
            Status::StreamEnd => break,
            _ if done_input && !finish && out.len() < out.capacity() => break,
            _ => {}
        }
    }
    out
}

/// Each row as PNG filter type 4 (Paeth) against the row above (`above` for the first),
/// pixels `bpp` bytes each. Written over whole slices (no push per byte) so it
/// vectorizes.
fn paeth(rows: &[u8], above: &[u8], stride: usize, bpp: usize) -> Vec<u8> {
    let n = rows.len() / stride.max(1);
    let mut out = vec![0; n * (stride + 1)];
    let mut up = above;
    for (row, o) in rows
        .chunks_exact(stride)
        .zip(out.chunks_exact_mut(stride + 1))
    {
        o[0] = 4;
        let o = &mut o[1..];
        let first = bpp.min(stride);
        // Left of the first pixel a and c are 0, so Paeth predicts the byte above.
        for i in 0..first {
            o[i] = row[i].wrapping_sub(up[i]);
        }
        let rest = o[first..]
            .iter_mut()
            .zip(&row[first..])
            .zip(&row[..stride - first])
            .zip(up[first..].iter().zip(&up[..stride - first]));
        for (((o, &x), &a), (&b, &c)) in rest {
            *o = x.wrapping_sub(predict(a, b, c));
        }
        up = row;
    }
    out
}

/// The Paeth predictor: of left `a`, above `b` and upper left `c`, the one nearest to
/// `a + b - c` (ties in that order).
fn predict(a: u8, b: u8, c: u8) -> u8 {
    let (a16, b16, c16) = (i16::from(a), i16::from(b), i16::from(c));
    let pa = (b16 - c16).abs();
    let pb = (a16 - c16).abs();
    let pc = (a16 + b16 - 2 * c16).abs();
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn pieces_join_into_one_stream_that_inflates_to_the_filtered_rows() {
        let (w, h) = (37usize, 300usize);
        let rows: Vec<u8> = (0..w * 4 * h)
            .map(|i| ((i * 31) ^ (i / 97)) as u8)
            .collect();
        let mut d = ParallelDeflate::new(w, Channels::Rgba);
        let mut z = d.band(&rows[..w * 4 * 120], false);
        z.extend(d.band(&rows[w * 4 * 120..], true));
        let mut back = Vec::new();
        flate2::read::ZlibDecoder::new(&z[..])
            .read_to_end(&mut back)
            .expect("a valid zlib stream, checksum and all");
        let mut want = paeth(&rows[..w * 4 * 120], &vec![0; w * 4], w * 4, 4);
        want.extend(paeth(
            &rows[w * 4 * 120..],
            &rows[w * 4 * 119..w * 4 * 120],
            w * 4,
            4,
        ));
        assert_eq!(back, want);
    }

    /// Paeth as the PNG specification writes it, byte by byte.
    fn paeth_by_the_book(rows: &[u8], above: &[u8], stride: usize, bpp: usize) -> Vec<u8> {
        let mut out = Vec::new();
        let mut up = above;
        for row in rows.chunks_exact(stride) {
            out.push(4);
            for i in 0..stride {
                let a = if i >= bpp { row[i - bpp] } else { 0 } as i16;
                let b = up[i] as i16;
                let c = if i >= bpp { up[i - bpp] } else { 0 } as i16;
                let p = a + b - c;
                let (pa, pb, pc) = ((p - a).abs(), (p - b).abs(), (p - c).abs());
                let pred = if pa <= pb && pa <= pc {
                    a
                } else if pb <= pc {
                    b
                } else {
                    c
                };
                out.push(row[i].wrapping_sub(pred as u8));
            }
            up = row;
        }
        out
    }

    #[test]
    fn paeth_filters_as_the_specification_says() {
        for bpp in [1, 3, 4] {
            let stride = 29 * bpp;
            let rows: Vec<u8> = (0..stride * 9)
                .map(|i| ((i * 97) ^ (i / 5) ^ (i * i / 11)) as u8)
                .collect();
            let above: Vec<u8> = (0..stride).map(|i| (i * 53) as u8).collect();
            assert_eq!(
                paeth(&rows, &above, stride, bpp),
                paeth_by_the_book(&rows, &above, stride, bpp),
                "{bpp} bytes a pixel"
            );
        }
    }
}
