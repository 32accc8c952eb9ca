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
    /// One for the animation, and a frame's own only where that one serves it badly
    /// (see `gif_frame`): what a palette per frame gives where colours change, at
    /// nearly the cost of one (`examples/gif_quality.rs`; figures in
    /// docs/benchmarks.md). For frames that are different pictures
    /// ([`super::Frames::pictures_differ`]: a lineage) a palette per frame, which served
    /// a colour lineage better.
    Auto,
}

/// The file format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Gif(Palette),
    /// Animated PNG: lossless.
    Apng,
}

impl Format {
    /// From a file name: `.gif` ([`Palette::Auto`]) or `.apng`/`.png`.
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "gif" => Some(Format::Gif(Palette::Auto)),
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
/// Every how many pixels [`rms_error`] looks at.
const ERROR_STEP: usize = 5;

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
    let format = match format {
        Format::Gif(Palette::Auto) if frames.pictures_differ() => Format::Gif(Palette::PerFrame),
        f => f,
    };
    let batch = (BATCH_BYTES / (w * h * 4).max(1)).clamp(1, 2 * rayon::current_num_threads());
    let (palette, mut made) = match format {
        Format::Gif(Palette::Global | Palette::Auto) => {
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
    if let Some(pictures) = frames.palette_pictures() {
        let mut sample = Vec::new();
        for f in &pictures {
            let step = (f.rgba.len() / 4 / PALETTE_PIXELS).max(1);
            sample.extend(f.rgba.chunks_exact(4).step_by(step).flatten());
        }
        let nq = color_quant::NeuQuant::new(QUANT_SPEED, 256, &sample);
        return Ok((Quantizer::whole(&nq), HashMap::new()));
    }
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
        /// [`Palette::Auto`]: `palette` only for the frames it serves well.
        auto: bool,
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
        let png_err = crate::io::png::encoding_error;
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
                    auto: format == Format::Gif(Palette::Auto),
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
                auto,
            } => {
                let palette = *palette;
                let auto = *auto;
                let coded: Vec<gif::Frame<'static>> = group
                    .into_par_iter()
                    .enumerate()
                    .map(|(i, img)| {
                        let mut f = gif_frame(img, palette, auto);
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
                        .map_err(crate::io::png::encoding_error)?;
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
            Sink::Apng(w) => w.finish().map_err(crate::io::png::encoding_error),
        }
    }
}

/// One frame's indices: in the global palette, or in its own (its exact colours when
/// it has at most 256, else NeuQuant over the frame). Under [`Palette::Auto`]: its
/// exact colours when it has so few, else the global palette unless that lies more
/// than [`AUTO_RMS`] from its colours and its own lies nearer.
fn gif_frame(img: Image, palette: Option<&Quantizer>, auto: bool) -> gif::Frame<'static> {
    let (w, h) = (img.width as u16, img.height as u16);
    let shared = |q: &Quantizer| {
        gif::Frame::from_indexed_pixels(w, h, indices(&img, &q.palette, |c| q.get(c)), None)
    };
    if let Some(q) = palette.filter(|_| !auto) {
        return shared(q);
    }
    if let Some((palette, idx)) = exact(&img) {
        return gif::Frame::from_palette_pixels(w, h, idx, palette, None);
    }
    let global_error = palette.map_or(f64::INFINITY, |q| rms_error(&img, &q.palette, |c| q.get(c)));
    if let Some(q) = palette.filter(|_| global_error <= AUTO_RMS) {
        return shared(q);
    }
    let mut own = Quantizer::lazy(&color_quant::NeuQuant::new(QUANT_SPEED, 256, &img.rgba));
    let pal = own.palette.clone();
    if let Some(q) = palette.filter(|_| rms_error(&img, &pal, |c| own.find(c)) >= global_error) {
        return shared(q);
    }
    let idx = indices(&img, &pal, |c| own.find(c));
    gif::Frame::from_palette_pixels(w, h, idx, pal, None)
}

/// Root mean square distance (per channel, in levels) from `img`'s colours to the
/// entries of `palette` that `lookup` gives them, over every [`ERROR_STEP`]th pixel.
fn rms_error(img: &Image, palette: &[u8], mut lookup: impl FnMut([u8; 3]) -> u8) -> f64 {
    let (mut sum, mut n) = (0u64, 0u64);
    for px in img.rgba.chunks_exact(4).step_by(ERROR_STEP) {
        let c = [px[0], px[1], px[2]];
        let e = usize::from(lookup(c)) * 3;
        for ch in 0..3 {
            let d = i64::from(c[ch]) - i64::from(palette[e + ch]);
            sum += (d * d) as u64;
        }
        n += 3;
    }
    (sum as f64 / n.max(1) as f64).sqrt()
}

/// A frame of at most 256 colours (a grey picture) as its exact palette and indices.
fn exact(img: &Image) -> Option<(Vec<u8>, Vec<u8>)> {
    let mut index = std::collections::HashMap::<[u8; 3], u8>::new();
    let mut palette = Vec::new();
    let mut idx: Vec<u8> = Vec::with_capacity(img.rgba.len() / 4);
    let mut last = None;
    for px in img.rgba.chunks_exact(4) {
        let rgb = [px[0], px[1], px[2]];
        // A run of one colour (a caption's background) is not looked up again.
        if last == Some(rgb) {
            idx.push(idx[idx.len() - 1]);
            continue;
        }
        last = Some(rgb);
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

/// How far, on average, [`Palette::Auto`] lets a frame's colours lie from the shared
/// palette's nearest (root mean square over the channels, in levels of 255) before the
/// frame gets a palette of its own.
pub const AUTO_RMS: f64 = 8.0;

/// Bits a channel keeps in [`Quantizer`]'s table.
const CELL_BITS: u32 = 6;

/// Cells in [`Quantizer`]'s table.
const CELLS: usize = 1 << (3 * CELL_BITS);

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
///
/// The table is a byte a cell with the channels' bits interleaved, so colours a few
/// levels apart (all that dithering asks for around a pixel) share cache lines: laid
/// out channel after channel in two bytes a cell, its loads missed the cache and were
/// the dithering loop's largest stall.
struct Quantizer {
    /// RGB, 256 entries.
    palette: Vec<u8>,
    /// The palette channel by channel, for [`Quantizer::nearest`].
    channels: [[i32; 256]; 3],
    /// The entry per cell, in [`Quantizer::cell`]'s order.
    cells: Vec<u8>,
    /// A bit per cell: whether `cells` holds its entry yet.
    known: Vec<u64>,
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
            cells: vec![0; CELLS],
            known: vec![0; CELLS / 64],
        }
    }

    fn whole(nq: &color_quant::NeuQuant) -> Quantizer {
        let mut q = Quantizer::lazy(nq);
        let cells = (0..CELLS)
            .into_par_iter()
            .map(|cell| q.search(cell))
            .collect();
        q.cells = cells;
        q.known.fill(u64::MAX);
        q
    }

    /// The cell of `c`: its channels' top [`CELL_BITS`] bits, interleaved.
    fn cell(c: [u8; 3]) -> usize {
        let spread = |v: u8| SPREAD[usize::from(v >> (8 - CELL_BITS))];
        spread(c[0]) << 2 | spread(c[1]) << 1 | spread(c[2])
    }

    /// The palette colour nearest the middle of `cell`.
    fn search(&self, cell: usize) -> u8 {
        let mut mid = [1u8 << (7 - CELL_BITS); 3];
        for bit in 0..CELL_BITS {
            for (ch, m) in mid.iter_mut().enumerate() {
                *m |= ((cell >> (3 * bit + 2 - ch as u32) & 1) << (8 - CELL_BITS + bit)) as u8;
            }
        }
        self.nearest(mid)
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
        self.cells[Quantizer::cell(c)]
    }

    /// The entry for `c`, searched for the first time its cell is met.
    fn find(&mut self, c: [u8; 3]) -> u8 {
        let cell = Quantizer::cell(c);
        let (word, bit) = (cell / 64, 1 << (cell % 64));
        if self.known[word] & bit == 0 {
            self.cells[cell] = self.search(cell);
            self.known[word] |= bit;
        }
        self.cells[cell]
    }
}

/// `SPREAD[v]`: the bits of `v` two apart (bit k at bit 3k), for [`Quantizer::cell`].
const SPREAD: [usize; 1 << CELL_BITS] = {
    let mut t = [0; 1 << CELL_BITS];
    let mut v = 0;
    while v < t.len() {
        let mut bit = 0;
        while bit < CELL_BITS {
            t[v] |= (v >> bit & 1) << (3 * bit);
            bit += 1;
        }
        v += 1;
    }
    t
};

/// Horizontal strips of a frame dithered side by side (see [`indices`]).
const STRIPS: usize = 4;

/// Each pixel's entry in `palette` (RGB) as `lookup` finds it, with Floyd-Steinberg
/// error diffusion: a smooth gradient (most of a CPPN picture) spread over 256 colours
/// shows fine grain instead of bands.
///
/// Each pixel waits for the error of the one before it, a chain of dependent loads and
/// sums that left the core idle most of the time; so the frame is cut into [`STRIPS`]
/// strips whose errors stay within them, stepped through together, their chains
/// overlapping (`cargo bench --bench animate`, group `encode_120_sweep_frames`: see
/// docs/benchmarks.md for the figures). A strip's first row starts with no error carried in, as
/// the frame's first row does.
fn indices(img: &Image, palette: &[u8], mut lookup: impl FnMut([u8; 3]) -> u8) -> Vec<u8> {
    let (w, h) = (img.width, img.height);
    let mut out = vec![0u8; w * h];
    let rows = h.div_ceil(STRIPS);
    // Errors carried to this row and the next, per column (one of margin each side),
    // per strip.
    let mut here = vec![[[0.0f32; 3]; STRIPS]; w + 2];
    let mut below = here.clone();
    for r in 0..rows {
        for x in 0..w {
            for s in 0..STRIPS {
                let y = s * rows + r;
                if y >= h {
                    continue;
                }
                let p = y * w + x;
                let px = &img.rgba[4 * p..4 * p + 3];
                let mut c = [0u8; 3];
                let mut want = [0.0f32; 3];
                for ch in 0..3 {
                    want[ch] = (f32::from(px[ch]) + here[x + 1][s][ch]).clamp(0.0, 255.0);
                    // Rounds as `round` does for these values, without its library call.
                    c[ch] = (want[ch] + 0.5) as u8;
                }
                let i = lookup(c);
                out[p] = i;
                for ch in 0..3 {
                    let e = want[ch] - f32::from(palette[3 * usize::from(i) + ch]);
                    here[x + 2][s][ch] += e * (7.0 / 16.0);
                    below[x][s][ch] += e * (3.0 / 16.0);
                    below[x + 1][s][ch] += e * (5.0 / 16.0);
                    below[x + 2][s][ch] += e * (1.0 / 16.0);
                }
            }
        }
        std::mem::swap(&mut here, &mut below);
        below.iter_mut().for_each(|e| *e = [[0.0; 3]; STRIPS]);
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

    /// Frames given beforehand; whether they are different pictures.
    struct Given(Vec<Image>, bool);

    impl Frames for Given {
        fn count(&self) -> usize {
            self.0.len()
        }
        fn size(&self) -> (usize, usize) {
            (self.0[0].width, self.0[0].height)
        }
        fn frame(&mut self, k: usize, _: &crate::steps::PixelProgress) -> Option<Image> {
            Some(self.0[k].clone())
        }
        fn pictures_differ(&self) -> bool {
            self.1
        }
    }

    /// Each written frame decoded: whether it has a palette of its own, and its RGBA.
    fn written(frames: &[Image], differ: bool, palette: Palette) -> Vec<(bool, Vec<u8>)> {
        let mut out = Vec::new();
        let p = ExportProgress::default();
        write_all(
            &mut Given(frames.to_vec(), differ),
            Format::Gif(palette),
            Timing::default(),
            &mut out,
            &p,
        )
        .unwrap();
        let mut opts = gif::DecodeOptions::new();
        opts.set_color_output(gif::ColorOutput::RGBA);
        let mut dec = opts.read_info(&out[..]).unwrap();
        let mut got = Vec::new();
        while let Some(f) = dec.read_next_frame().unwrap() {
            got.push((f.palette.is_some(), f.buffer.to_vec()));
        }
        got
    }

    fn rms(a: &[u8], b: &[u8]) -> f64 {
        let sum: f64 = a
            .chunks_exact(4)
            .zip(b.chunks_exact(4))
            .flat_map(|(p, q)| (0..3).map(move |c| (f64::from(p[c]) - f64::from(q[c])).powi(2)))
            .sum();
        (sum / (3 * a.len() / 4) as f64).sqrt()
    }

    #[test]
    fn auto_gives_a_frame_its_own_palette_only_where_the_shared_one_fails() {
        // Eight frames of one smooth hue ramp (the shared palette serves them), then
        // eight each spanning a colour cube far from it and from each other.
        let ramp = |k: usize| {
            let mut img = Image::new(96, 64);
            for (i, px) in img.rgba.chunks_exact_mut(4).enumerate() {
                let (x, y) = (i % 96, i / 96);
                let v = (x * 255 / 95) as u8;
                px.copy_from_slice(&[v, (y * 2 + k) as u8, 255 - v, 255]);
            }
            img
        };
        // A smooth patch of 80 levels a channel around a colour of its own.
        let cube = |k: usize| {
            let base = [(k * 97) % 176, (k * 53 + 40) % 176, (k * 151 + 90) % 176];
            let mut img = Image::new(96, 64);
            for (i, px) in img.rgba.chunks_exact_mut(4).enumerate() {
                let (x, y) = (i % 96, i / 96);
                let d = [x * 80 / 96, y * 80 / 64, (x + y) * 80 / 160];
                px.copy_from_slice(
                    &[0, 1, 2, 3].map(|c| if c == 3 { 255 } else { (base[c] + d[c]) as u8 }),
                );
            }
            img
        };
        let mut frames: Vec<Image> = (0..8).map(ramp).collect();
        frames.extend((0..8).map(cube));
        let auto = written(&frames, false, Palette::Auto);
        let global = written(&frames, false, Palette::Global);
        let own = auto.iter().filter(|(local, _)| *local).count();
        assert!(own > 0 && own < frames.len(), "{own} frames had their own");
        assert!(global.iter().all(|(local, _)| !local));
        // Every frame is at least about as close as with the one palette, the worst far closer.
        let worst = |got: &[(bool, Vec<u8>)]| {
            got.iter()
                .zip(&frames)
                .map(|((_, rgba), f)| rms(rgba, &f.rgba))
                .fold(0.0, f64::max)
        };
        for ((a, g), f) in auto.iter().zip(&global).zip(&frames) {
            assert!(rms(&a.1, &f.rgba) <= rms(&g.1, &f.rgba) + 1.0);
        }
        assert!(
            worst(&auto) < worst(&global) * 0.8,
            "{} vs {}",
            worst(&auto),
            worst(&global)
        );
        // A grey frame keeps its colours exactly.
        let mut grey = Image::new(50, 20);
        for (i, px) in grey.rgba.chunks_exact_mut(4).enumerate() {
            let v = (i * 7 % 256) as u8;
            px.copy_from_slice(&[v, v, v, 255]);
        }
        let got = written(&[grey.clone(), ramp(0)], false, Palette::Auto);
        assert_eq!(got[0].1, grey.rgba);
        // Frames that are different pictures (a lineage) each get their own.
        let lineage = written(&frames, true, Palette::Auto);
        assert!(lineage.iter().all(|(local, _)| *local));
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
            Some(Format::Gif(Palette::Auto))
        );
        assert_eq!(Format::from_path(Path::new("a.apng")), Some(Format::Apng));
        assert_eq!(Format::from_path(Path::new("a.jpg")), None);
    }
}
