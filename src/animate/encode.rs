//! GIF and APNG writers fed frame by frame.
//!
//! Frames are made on a thread of their own and handed over through a short queue; this
//! side quantizes and LZW-compresses a few GIF frames at once on rayon's workers and
//! writes them in order, so frame making and encoding overlap and memory holds only a
//! few frames.

use super::{ExportProgress, Frames, Timing, cancelled};
use crate::cppn::Genome;
use crate::image::Image;
use crate::io::Problem;
use rayon::prelude::*;
use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::sync::atomic::Ordering;
use std::sync::mpsc::sync_channel;

/// How a GIF chooses its 256 colours.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Palette {
    /// Each frame its own (NeuQuant over that frame): best when colours change.
    PerFrame,
    /// One for the whole animation (NeuQuant over frames sampled across it): no colour
    /// flicker between frames, smaller files.
    Global,
}

/// The file format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Gif(Palette),
    /// Animated PNG: lossless.
    Apng,
}

impl Format {
    /// From a file name: `.gif` (palette per frame) or `.apng`/`.png`.
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "gif" => Some(Format::Gif(Palette::PerFrame)),
            "apng" | "png" => Some(Format::Apng),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Gif(_) => "gif",
            Format::Apng => "apng",
        }
    }
}

/// NeuQuant's sampling factor (1 best .. 30 fastest); 10 is its authors' compromise.
const QUANT_SPEED: i32 = 30;
/// Bytes of RGBA frames encoded together (at least one frame).
const BATCH_BYTES: usize = 24 << 20;
/// Frames sampled for a global palette, and pixels taken from each.
const PALETTE_FRAMES: usize = 8;
const PALETTE_PIXELS: usize = 1 << 16;

/// GIF frame delays in hundredths of a second: frame `k` ends at `round((k + 1) *
/// 100 / fps)`, so the total stays right when 100 / fps is not whole; at least 2 (most
/// viewers slow shorter delays down to 10).
pub fn gif_delays(fps: f64, frames: usize) -> Vec<u16> {
    let end = |k: usize| (k as f64 * 100.0 / fps).round() as i64;
    (0..frames)
        .map(|k| (end(k + 1) - end(k)).clamp(2, i64::from(u16::MAX)) as u16)
        .collect()
}

/// APNG frame delay as a fraction of a second: 1/fps exactly when fps is whole.
pub fn apng_delay(fps: f64) -> (u16, u16) {
    if fps.fract() == 0.0 && (1.0..=65535.0).contains(&fps) {
        (1, fps as u16)
    } else {
        ((1000.0 / fps).round().clamp(1.0, 65535.0) as u16, 1000)
    }
}

/// Makes every frame and writes the whole file to `out`.
pub(super) fn write_all(
    frames: &mut dyn Frames,
    format: Format,
    timing: Timing,
    out: &mut dyn Write,
    progress: &ExportProgress,
) -> Result<(), Problem> {
    let n = frames.count();
    let (w, h) = frames.size();
    let batch = (BATCH_BYTES / (w * h * 4).max(1)).clamp(1, 2 * rayon::current_num_threads());
    let (palette, mut made) = match format {
        Format::Gif(Palette::Global) => {
            let (q, made) = global_palette(frames, progress)?;
            (Some(q), made)
        }
        _ => (None, HashMap::new()),
    };
    let genome = frames.genome().cloned();
    std::thread::scope(|s| {
        let (tx, rx) = sync_channel::<Image>(1);
        let pixels = &progress.pixels;
        s.spawn(move || {
            for k in 0..n {
                let Some(frame) = made.remove(&k).or_else(|| frames.frame(k, pixels)) else {
                    return;
                };
                if tx.send(frame).is_err() {
                    return;
                }
            }
        });
        let mut sink = Sink::new(format, timing, (w, h, n), palette.as_ref(), out)?;
        sink.carry(genome.as_ref())?;
        let mut written = 0;
        while written < n {
            let mut group: Vec<Image> = Vec::with_capacity(batch);
            while group.len() < batch && written + group.len() < n {
                match rx.recv() {
                    Ok(f) => group.push(f),
                    Err(_) => break,
                }
            }
            if group.is_empty() || progress.is_cancelled() {
                // The maker stopped: cancelled (dropping `rx` ends it if it has not).
                return Err(cancelled());
            }
            written += sink.write(group, written, progress)?;
        }
        sink.finish()
    })
}

/// One palette from frames sampled evenly over the animation, and the sampled frames
/// themselves when they take at most [`BATCH_BYTES`], so they are not made twice.
fn global_palette(
    frames: &mut dyn Frames,
    progress: &ExportProgress,
) -> Result<(Quantizer, HashMap<usize, Image>), Problem> {
    let n = frames.count();
    let picks: Vec<usize> = (0..PALETTE_FRAMES.min(n))
        .map(|i| i * (n - 1) / (PALETTE_FRAMES.min(n) - 1).max(1))
        .collect();
    let (w, h) = frames.size();
    let keep = picks.len() * w * h * 4 <= BATCH_BYTES;
    let mut sample = Vec::new();
    let mut made = HashMap::new();
    for k in picks {
        let f = frames.frame(k, &progress.pixels).ok_or_else(cancelled)?;
        let px = f.rgba.len() / 4;
        let step = (px / PALETTE_PIXELS).max(1);
        sample.extend(f.rgba.chunks_exact(4).step_by(step).flatten());
        if keep {
            made.insert(k, f);
        }
    }
    let nq = color_quant::NeuQuant::new(QUANT_SPEED, 256, &sample);
    Ok((Quantizer::whole(&nq), made))
}

enum Sink<'a, 'w> {
    Gif {
        enc: gif::Encoder<&'a mut (dyn Write + 'w)>,
        delays: Vec<u16>,
        palette: Option<&'a Quantizer>,
    },
    Apng(png::Writer<&'a mut (dyn Write + 'w)>),
}

impl<'a, 'w> Sink<'a, 'w> {
    fn new(
        format: Format,
        timing: Timing,
        (w, h, n): (usize, usize, usize),
        palette: Option<&'a Quantizer>,
        out: &'a mut (dyn Write + 'w),
    ) -> Result<Self, Problem> {
        let gif_err = |e: gif::EncodingError| Problem::Encode(format!("GIF: {e}"));
        let png_err = |e: png::EncodingError| Problem::Png(e.to_string());
        Ok(match format {
            Format::Gif(_) => {
                let global = palette.map(|p| p.palette.clone()).unwrap_or_default();
                let mut enc =
                    gif::Encoder::new(out, w as u16, h as u16, &global).map_err(gif_err)?;
                let repeat = match timing.loops {
                    0 => gif::Repeat::Infinite,
                    n => gif::Repeat::Finite(n - 1),
                };
                enc.set_repeat(repeat).map_err(gif_err)?;
                Sink::Gif {
                    enc,
                    delays: gif_delays(timing.fps, n),
                    palette,
                }
            }
            Format::Apng => {
                let mut enc = png::Encoder::new(out, w as u32, h as u32);
                enc.set_color(png::ColorType::Rgba);
                enc.set_depth(png::BitDepth::Eight);
                enc.set_compression(png::Compression::Fast);
                enc.set_animated(n as u32, u32::from(timing.loops))
                    .map_err(png_err)?;
                let (num, den) = apng_delay(timing.fps);
                enc.set_frame_delay(num, den).map_err(png_err)?;
                Sink::Apng(enc.write_header().map_err(png_err)?)
            }
        })
    }

    /// Writes the genome the file carries, before the first frame.
    fn carry(&mut self, genome: Option<&Genome>) -> Result<(), Problem> {
        let Some(genome) = genome else { return Ok(()) };
        match self {
            Sink::Gif { enc, .. } => {
                let payload = crate::io::gif::genome_payload(genome)?;
                enc.write_raw_extension(
                    gif::AnyExtension(0xFF),
                    &[crate::io::gif::APP_ID, &payload],
                )
                .map_err(|e| Problem::Encode(format!("GIF: {e}")))
            }
            Sink::Apng(w) => crate::io::png::write_genome(w, Some(genome)),
        }
    }

    /// Encodes and writes `group` (frames `first..`); returns how many.
    fn write(
        &mut self,
        group: Vec<Image>,
        first: usize,
        progress: &ExportProgress,
    ) -> Result<usize, Problem> {
        let count = group.len();
        match self {
            Sink::Gif {
                enc,
                delays,
                palette,
            } => {
                let palette = *palette;
                let coded: Vec<gif::Frame<'static>> = group
                    .into_par_iter()
                    .enumerate()
                    .map(|(i, img)| {
                        let mut f = gif_frame(img, palette);
                        f.delay = delays[first + i];
                        f.make_lzw_pre_encoded();
                        f
                    })
                    .collect();
                for f in &coded {
                    enc.write_lzw_pre_encoded_frame(f)
                        .map_err(|e| Problem::Encode(format!("GIF: {e}")))?;
                    progress.frames.fetch_add(1, Ordering::Relaxed);
                }
            }
            Sink::Apng(w) => {
                for img in group {
                    w.write_image_data(&img.rgba)
                        .map_err(|e| Problem::Png(e.to_string()))?;
                    progress.frames.fetch_add(1, Ordering::Relaxed);
                }
            }
        }
        Ok(count)
    }

    fn finish(self) -> Result<(), Problem> {
        match self {
            Sink::Gif { enc, .. } => enc
                .into_inner()
                .map(|_| ())
                .map_err(|e| Problem::Encode(format!("GIF: {e}"))),
            Sink::Apng(w) => w.finish().map_err(|e| Problem::Png(e.to_string())),
        }
    }
}

/// One frame's indices: in the global palette, or in its own (NeuQuant over the frame).
fn gif_frame(img: Image, palette: Option<&Quantizer>) -> gif::Frame<'static> {
    let (w, h) = (img.width as u16, img.height as u16);
    match palette {
        Some(q) => {
            gif::Frame::from_indexed_pixels(w, h, indices(&img, &q.palette, |c| q.get(c)), None)
        }
        None => {
            if let Some((palette, idx)) = exact(&img) {
                return gif::Frame::from_palette_pixels(w, h, idx, palette, None);
            }
            let mut q = Quantizer::lazy(&color_quant::NeuQuant::new(QUANT_SPEED, 256, &img.rgba));
            let idx = indices(&img, &q.palette.clone(), |c| q.find(c));
            gif::Frame::from_palette_pixels(w, h, idx, q.palette, None)
        }
    }
}

/// A frame of at most 256 colours (a grey picture) as its exact palette and indices.
fn exact(img: &Image) -> Option<(Vec<u8>, Vec<u8>)> {
    let mut index = std::collections::HashMap::<[u8; 3], u8>::new();
    let mut palette = Vec::new();
    let mut idx = Vec::with_capacity(img.rgba.len() / 4);
    for px in img.rgba.chunks_exact(4) {
        let rgb = [px[0], px[1], px[2]];
        let next = index.len();
        let i = *index.entry(rgb).or_insert_with(|| {
            palette.extend_from_slice(&rgb);
            next.min(255) as u8
        });
        if index.len() > 256 {
            return None;
        }
        idx.push(i);
    }
    Some((palette, idx))
}

/// Bits a channel keeps in [`Quantizer`]'s table.
const CELL_BITS: u32 = 6;

/// A palette and, per colour cut to [`CELL_BITS`] a channel, the palette entry nearest
/// the middle of that cell.
///
/// The error diffusion in [`indices`] makes nearly every wanted colour new, so a cache
/// of exact colours missed and a search ran for most pixels (a quarter of a sweep
/// GIF's time). A cell's entry is within 2 levels a channel of the nearest one, and the
/// error diffused is that of the entry actually used, so colours stay right on average
/// (`dithering_keeps_a_gradients_mean_colour`). A frame's own palette fills its table as
/// colours come; the global palette fills it once, on every core, and then every frame
/// only reads it.
struct Quantizer {
    /// RGB, 256 entries.
    palette: Vec<u8>,
    /// The palette channel by channel, for [`Quantizer::nearest`].
    channels: [[i32; 256]; 3],
    /// Entry + 1 per cell; 0 while not looked up.
    cells: Vec<u16>,
}

impl Quantizer {
    fn lazy(nq: &color_quant::NeuQuant) -> Quantizer {
        let palette = nq.color_map_rgb();
        // Entries a short palette lacks lie far from every colour.
        let mut channels = [[4096; 256]; 3];
        for (k, rgb) in palette.chunks_exact(3).enumerate() {
            for c in 0..3 {
                channels[c][k] = i32::from(rgb[c]);
            }
        }
        Quantizer {
            palette,
            channels,
            cells: vec![0; 1 << (3 * CELL_BITS)],
        }
    }

    fn whole(nq: &color_quant::NeuQuant) -> Quantizer {
        let mut q = Quantizer::lazy(nq);
        let cells = (0..1usize << (3 * CELL_BITS))
            .into_par_iter()
            .map(|cell| q.search(cell))
            .collect();
        q.cells = cells;
        q
    }

    fn cell(c: [u8; 3]) -> usize {
        c.iter().fold(0, |cell, &v| {
            cell << CELL_BITS | usize::from(v) >> (8 - CELL_BITS)
        })
    }

    /// Entry + 1 of the palette colour nearest the middle of `cell`.
    fn search(&self, cell: usize) -> u16 {
        let mask = (1 << CELL_BITS) - 1;
        let mid =
            |shift: u32| ((cell >> shift & mask) << (8 - CELL_BITS) | 1 << (7 - CELL_BITS)) as u8;
        self.nearest([mid(2 * CELL_BITS), mid(CELL_BITS), mid(0)]) as u16 + 1
    }

    /// The palette entry nearest `c` (squared distance), over all 256 at once: written
    /// as plain loops over the channels so they vectorize, it took the place of
    /// NeuQuant's own search, which was a tenth of a sweep GIF's time.
    fn nearest(&self, c: [u8; 3]) -> u8 {
        let mut dist = [0i32; 256];
        for (ch, values) in self.channels.iter().enumerate() {
            let want = i32::from(c[ch]);
            for (d, &v) in dist.iter_mut().zip(values) {
                *d += (v - want) * (v - want);
            }
        }
        let best = dist.iter().copied().min().unwrap_or(0);
        dist.iter().position(|&d| d == best).unwrap_or(0) as u8
    }

    /// The entry for `c` from a table filled by [`Quantizer::whole`].
    fn get(&self, c: [u8; 3]) -> u8 {
        (self.cells[Quantizer::cell(c)] - 1) as u8
    }

    /// The entry for `c`, searched for the first time its cell is met.
    fn find(&mut self, c: [u8; 3]) -> u8 {
        let cell = Quantizer::cell(c);
        if self.cells[cell] == 0 {
            self.cells[cell] = self.search(cell);
        }
        (self.cells[cell] - 1) as u8
    }
}

/// Each pixel's entry in `palette` (RGB) as `lookup` finds it, with Floyd-Steinberg
/// error diffusion: a smooth gradient (most of a CPPN picture) spread over 256 colours
/// shows fine grain instead of bands.
fn indices(img: &Image, palette: &[u8], mut lookup: impl FnMut([u8; 3]) -> u8) -> Vec<u8> {
    let w = img.width;
    let mut out = Vec::with_capacity(img.rgba.len() / 4);
    // Errors carried to this row and the next, one pixel of margin each side.
    let mut here = vec![[0.0f32; 3]; w + 2];
    let mut below = vec![[0.0f32; 3]; w + 2];
    for row in img.rgba.chunks_exact(4 * w) {
        for (x, px) in row.chunks_exact(4).enumerate() {
            let mut c = [0u8; 3];
            let mut want = [0.0f32; 3];
            for ch in 0..3 {
                want[ch] = (f32::from(px[ch]) + here[x + 1][ch]).clamp(0.0, 255.0);
                c[ch] = want[ch].round() as u8;
            }
            let i = lookup(c);
            out.push(i);
            for ch in 0..3 {
                let e = want[ch] - f32::from(palette[3 * usize::from(i) + ch]);
                here[x + 2][ch] += e * (7.0 / 16.0);
                below[x][ch] += e * (3.0 / 16.0);
                below[x + 1][ch] += e * (5.0 / 16.0);
                below[x + 2][ch] += e * (1.0 / 16.0);
            }
        }
        std::mem::swap(&mut here, &mut below);
        below.iter_mut().for_each(|e| *e = [0.0; 3]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gif_delays_keep_the_total() {
        assert_eq!(gif_delays(25.0, 3), vec![4, 4, 4]);
        let d = gif_delays(30.0, 120);
        assert_eq!(d.iter().map(|&x| u32::from(x)).sum::<u32>(), 400);
        assert!(d.iter().all(|&x| x == 3 || x == 4));
        assert!(gif_delays(100.0, 4).iter().all(|&x| x == 2));
    }

    #[test]
    fn dithering_keeps_a_gradients_mean_colour() {
        // A smooth two-colour gradient with far more than 256 colours.
        let mut img = Image::new(300, 40);
        for (i, px) in img.rgba.chunks_exact_mut(4).enumerate() {
            let x = ((i % 300) * 255 / 299) as u8;
            px.copy_from_slice(&[x / 2, 255 - x / 3, (i / 300) as u8 * 6, 255]);
        }
        let mut q = Quantizer::lazy(&color_quant::NeuQuant::new(QUANT_SPEED, 256, &img.rgba));
        let pal = q.palette.clone();
        let idx = indices(&img, &pal, |c| q.find(c));
        // Over each 10x10 tile the dithered mean stays within a level or two (away
        // from the ends, which may lie outside the palette's colours).
        for tx in 3..27 {
            for ch in 0..3 {
                let (mut a, mut b) = (0.0, 0.0);
                for y in 10..20 {
                    for x in tx * 10..tx * 10 + 10 {
                        let k = y * 300 + x;
                        a += f64::from(img.rgba[4 * k + ch]);
                        b += f64::from(pal[3 * usize::from(idx[k]) + ch]);
                    }
                }
                assert!(
                    (a - b).abs() / 100.0 < 3.0,
                    "tile {tx} channel {ch}: {} vs {}",
                    a / 100.0,
                    b / 100.0
                );
            }
        }
    }

    #[test]
    fn a_filled_table_answers_as_the_lazy_one_does() {
        let mut img = Image::new(64, 64);
        for (i, px) in img.rgba.chunks_exact_mut(4).enumerate() {
            px.copy_from_slice(&[(i * 5) as u8, (i / 17) as u8, (i * 31 / 7) as u8, 255]);
        }
        let nq = color_quant::NeuQuant::new(QUANT_SPEED, 256, &img.rgba);
        let (whole, mut lazy) = (Quantizer::whole(&nq), Quantizer::lazy(&nq));
        let dist = |i: usize, c: [u8; 3]| -> i32 {
            (0..3)
                .map(|k| (i32::from(whole.palette[3 * i + k]) - i32::from(c[k])).pow(2))
                .sum()
        };
        for px in img.rgba.chunks_exact(4) {
            let c = [px[0], px[1], px[2]];
            assert_eq!(whole.get(c), lazy.find(c));
            // The nearest entry to c itself, searched one by one.
            let exact = (0..256).min_by_key(|&i| dist(i, c)).unwrap();
            assert_eq!(usize::from(lazy.nearest(c)), exact);
            // A cell's entry: within 2 levels a channel of the nearest to c.
            let d = |i: usize| f64::from(dist(i, c)).sqrt();
            assert!(d(usize::from(whole.get(c))) <= d(exact) + 2.0 * 3f64.sqrt() * 2.0);
        }
    }

    #[test]
    fn apng_delays() {
        assert_eq!(apng_delay(30.0), (1, 30));
        assert_eq!(apng_delay(12.5), (80, 1000));
    }

    #[test]
    fn formats_from_names() {
        assert_eq!(
            Format::from_path(Path::new("a.GIF")),
            Some(Format::Gif(Palette::PerFrame))
        );
        assert_eq!(Format::from_path(Path::new("a.apng")), Some(Format::Apng));
        assert_eq!(Format::from_path(Path::new("a.jpg")), None);
    }
}
