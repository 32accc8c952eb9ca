//! PNG read and write. A PNG written from a genome carries the genome as native JSON in
//! a compressed `iTXt` chunk keyed [`GENOME_KEY`], so a picture shared on its own is
//! enough to open and breed on.

use super::deflate::{Channels, ParallelDeflate};
use super::{FileError, Problem, write_atomic, write_atomic_with};
use crate::cppn::genome::Genome;
use crate::image::Image;
use std::path::Path;

/// The `iTXt` keyword of the genome a PNG carries.
pub const GENOME_KEY: &str = "picbreeder-genome";

/// The most a carried genome may inflate to.
const MAX_GENOME_TEXT: usize = 64 << 20;

/// A failed PNG write: the disk's own error (full, gone) as a write error, never as
/// "not a readable PNG", which is for reading.
pub fn encoding_error(e: png::EncodingError) -> Problem {
    match e {
        png::EncodingError::IoError(io) => Problem::Write(io),
        e => Problem::Encode(format!("PNG: {e}")),
    }
}

/// Writes `genome` (if any) as the `iTXt` chunk: after the header, before the image.
pub fn write_genome<W: std::io::Write>(
    w: &mut png::Writer<W>,
    genome: Option<&Genome>,
) -> Result<(), Problem> {
    if let Some(g) = genome {
        let mut chunk =
            png::text_metadata::ITXtChunk::new(GENOME_KEY, super::json::genome_to_json(g));
        chunk.compressed = true;
        w.write_text_chunk(&chunk).map_err(encoding_error)?;
    }
    Ok(())
}

/// The genome a PNG carries, `Ok(None)` if it carries none.
pub fn carried_genome(bytes: &[u8]) -> Result<Option<Genome>, Problem> {
    let dec = png::Decoder::new(std::io::Cursor::new(bytes));
    let reader = dec.read_info().map_err(|e| Problem::Png(e.to_string()))?;
    let Some(chunk) = reader
        .info()
        .utf8_text
        .iter()
        .find(|c| c.keyword == GENOME_KEY)
    else {
        return Ok(None);
    };
    let mut chunk = chunk.clone();
    chunk
        .decompress_text_with_limit(MAX_GENOME_TEXT)
        .map_err(|e| {
            // The png crate's own words ("Try with a larger limit") offer the user
            // nothing to do: the limit is ours.
            if e.to_string().contains("decompression space") {
                Problem::Png(format!(
                    "its {GENOME_KEY} chunk unpacks to more than {} MB, more than any genome this program writes",
                    MAX_GENOME_TEXT >> 20
                ))
            } else {
                Problem::Png(format!("its {GENOME_KEY} chunk: {e}"))
            }
        })?;
    let text = chunk
        .get_text()
        .map_err(|e| Problem::Png(format!("its {GENOME_KEY} chunk: {e}")))?;
    super::json::genome_from_json(text.as_bytes()).map(Some)
}

/// [`encode`], carrying `genome` if given.
pub fn encode_with_genome(img: &Image, genome: Option<&Genome>) -> Result<Vec<u8>, Problem> {
    let mut out = Vec::new();
    {
        let channels = Channels::needed(&img.rgba);
        let mut enc = png::Encoder::new(&mut out, img.width as u32, img.height as u32);
        enc.set_color(channels.colour_type());
        enc.set_depth(png::BitDepth::Eight);
        let mut w = enc.write_header().map_err(encoding_error)?;
        write_genome(&mut w, genome)?;
        let z = ParallelDeflate::new(img.width, channels).band(&img.rgba, true);
        w.write_chunk(png::chunk::IDAT, &z)
            .map_err(encoding_error)?;
        w.finish().map_err(encoding_error)?;
    }
    Ok(out)
}

/// [`save`], carrying `genome` if given.
pub fn save_with_genome(
    img: &Image,
    genome: Option<&Genome>,
    path: &Path,
) -> Result<(), FileError> {
    let bytes = encode_with_genome(img, genome).map_err(|p| p.at(path))?;
    write_atomic(path, &bytes)
}

/// Encodes an image as an 8-bit RGBA PNG.
pub fn encode(img: &Image) -> Result<Vec<u8>, Problem> {
    encode_with_genome(img, None)
}

/// Writes an image as PNG, atomically.
pub fn save(img: &Image, path: &Path) -> Result<(), FileError> {
    let bytes = encode(img).map_err(|p| p.at(path))?;
    write_atomic(path, &bytes)
}

/// Writes a `width` x `height` PNG of `channels` atomically from `bands`: RGBA images
/// `width` wide, top to bottom, each deflated on every core as it comes
/// ([`ParallelDeflate`]), so a huge picture is never in memory whole. If the bands run
/// out before `height` rows (the render was abandoned) or overrun it, nothing is
/// written.
pub fn save_banded(
    path: &Path,
    (width, height): (usize, usize),
    channels: Channels,
    genome: Option<&Genome>,
    bands: impl Iterator<Item = Image>,
) -> Result<(), FileError> {
    let png = encoding_error;
    write_atomic_with(path, |out| {
        let mut enc = png::Encoder::new(out, width as u32, height as u32);
        enc.set_color(channels.colour_type());
        enc.set_depth(png::BitDepth::Eight);
        let mut header = enc.write_header().map_err(png)?;
        write_genome(&mut header, genome)?;
        let mut deflate = ParallelDeflate::new(width, channels);
        let mut rows = 0;
        for band in bands {
            if band.width != width || rows + band.height > height {
                return Err(Problem::Encode(format!(
                    "a band of {}x{} does not fit a {width}x{height} picture at row {rows}",
                    band.width, band.height
                )));
            }
            rows += band.height;
            let z = deflate.band(&band.rgba, rows == height);
            if !z.is_empty() {
                header.write_chunk(png::chunk::IDAT, &z).map_err(png)?;
            }
        }
        if rows < height {
            return Err(Problem::Encode(format!(
                "stopped after {rows} of {height} rows"
            )));
        }
        header.finish().map_err(png)
    })
}

/// Decodes any PNG (grey, RGB, palette, 16-bit...) to 8-bit RGBA.
pub fn decode(bytes: &[u8]) -> Result<Image, Problem> {
    let err = |e: png::DecodingError| Problem::Png(e.to_string());
    let mut dec = png::Decoder::new(std::io::Cursor::new(bytes));
    dec.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = dec.read_info().map_err(err)?;
    let size = reader
        .output_buffer_size()
        .ok_or_else(|| Problem::Png("image too large".into()))?;
    let mut buf = vec![0; size];
    let info = reader.next_frame(&mut buf).map_err(err)?;
    let (w, h) = (info.width as usize, info.height as usize);
    let px = &buf[..info.buffer_size()];
    let rgba: Vec<u8> = match info.color_type {
        png::ColorType::Rgba => px.to_vec(),
        png::ColorType::Rgb => px.chunks(3).flat_map(|c| [c[0], c[1], c[2], 255]).collect(),
        png::ColorType::GrayscaleAlpha => px
            .chunks(2)
            .flat_map(|c| [c[0], c[0], c[0], c[1]])
            .collect(),
        png::ColorType::Grayscale => px.iter().flat_map(|&g| [g, g, g, 255]).collect(),
        png::ColorType::Indexed => return Err(Problem::Png("palette was not expanded".into())),
    };
    Ok(Image {
        width: w,
        height: h,
        rgba,
    })
}

/// Reads a PNG file as RGBA.
pub fn load(path: &Path) -> Result<Image, FileError> {
    decode(&super::read_bytes(path)?).map_err(|p| p.at(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A disk that is full from the first byte.
    struct Full;

    impl std::io::Write for Full {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::Error::from(std::io::ErrorKind::StorageFull))
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_full_disk_is_a_write_error_not_an_unreadable_png() {
        let enc = png::Encoder::new(Full, 4, 4);
        let e = encoding_error(enc.write_header().map(|_| ()).unwrap_err());
        let text = e.to_string();
        assert!(text.starts_with("cannot write it"), "{text}");
        assert!(!text.contains("readable PNG"), "{text}");
    }

    #[test]
    fn round_trip() {
        let mut img = Image::new(3, 2);
        for (i, b) in img.rgba.iter_mut().enumerate() {
            *b = (i * 7) as u8;
        }
        assert_eq!(decode(&encode(&img).unwrap()).unwrap(), img);
        assert!(decode(b"not a png").is_err());
    }

    #[test]
    fn a_png_carries_its_genome_bit_for_bit() {
        use crate::activation::Activation;
        use crate::cppn::genome::{Link, Marking};
        let mut g = Genome::grey_skeleton(Activation::Gaussian);
        g.links.push(Link {
            id: Marking::new(7, 9),
            source: Marking::new(0, 0),
            target: Marking::new(0, 4),
            weight: 0.1 + 0.2,
        });
        let img = Image::new(4, 3);
        let bytes = encode_with_genome(&img, Some(&g)).unwrap();
        assert_eq!(decode(&bytes).unwrap(), img);
        let back = carried_genome(&bytes).unwrap().unwrap();
        assert_eq!(back, g);
        assert_eq!(back.links[0].weight.to_bits(), (0.1f64 + 0.2).to_bits());
        assert_eq!(carried_genome(&encode(&img).unwrap()).unwrap(), None);
    }

    #[test]
    fn banded_equals_whole_and_a_short_run_writes_nothing() {
        let mut img = Image::new(5, 7);
        for (i, b) in img.rgba.iter_mut().enumerate() {
            *b = (i * 13) as u8;
        }
        let band = |r0: usize, r1: usize| Image {
            width: 5,
            height: r1 - r0,
            rgba: img.rgba[r0 * 20..r1 * 20].to_vec(),
        };
        let dir = std::env::temp_dir().join(format!("pb-banded-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("banded.png");
        let bands = [band(0, 3), band(3, 6), band(6, 7)];
        save_banded(&path, (5, 7), Channels::Rgba, None, bands.into_iter()).unwrap();
        assert_eq!(load(&path).unwrap(), img);
        // Abandoned after two bands: an error naming the file, the old file kept.
        let short = [band(0, 3), band(3, 6)];
        let err = save_banded(&path, (5, 7), Channels::Rgba, None, short.into_iter()).unwrap_err();
        assert!(err.to_string().contains("banded.png") && err.to_string().contains("6 of 7"));
        assert_eq!(load(&path).unwrap(), img);
        assert_eq!(
            std::fs::read_dir(&dir).unwrap().count(),
            1,
            "no temporary file left"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn opaque_and_grey_pictures_are_written_with_fewer_channels_and_read_back_the_same() {
        let mut colour = Image::new(67, 41);
        for (i, px) in colour.rgba.chunks_exact_mut(4).enumerate() {
            px.copy_from_slice(&[(i * 7) as u8, (i / 3) as u8, (i * i) as u8, 255]);
        }
        let mut grey = colour.clone();
        for px in grey.rgba.chunks_exact_mut(4) {
            px[1] = px[0];
            px[2] = px[0];
        }
        let mut clear = colour.clone();
        clear.rgba[3] = 7;
        for (img, kind) in [
            (&colour, png::ColorType::Rgb),
            (&grey, png::ColorType::Grayscale),
            (&clear, png::ColorType::Rgba),
        ] {
            let bytes = encode(img).unwrap();
            let info = png::Decoder::new(std::io::Cursor::new(&bytes[..]))
                .read_info()
                .unwrap()
                .info()
                .color_type;
            assert_eq!(info, kind);
            assert_eq!(&decode(&bytes).unwrap(), img, "{kind:?}");
        }
    }
}
