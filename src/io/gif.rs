//! The genome a GIF animation carries: native JSON, zlib-compressed, in an application
//! extension (identifier [`APP_ID`]) written before the first frame. GIF viewers skip
//! application extensions they do not know, so the file plays everywhere; opening it
//! here opens its genome, as a PNG's `iTXt` chunk does (`io::png`).
//!
//! Reading walks the GIF's blocks (header, colour table, extensions, images) without
//! decoding any picture, and stops at the genome's extension.

use super::Problem;
use crate::cppn::genome::Genome;
use std::io::{Read, Write};

/// Application identifier (8 bytes) and authentication code (3 bytes).
pub const APP_ID: &[u8; 11] = b"PICBREEDGNM";

/// The most a carried genome may inflate to (as for PNG).
const MAX_GENOME_TEXT: u64 = 64 << 20;

/// The extension's payload: the genome's JSON, zlib-compressed.
pub fn genome_payload(genome: &Genome) -> Result<Vec<u8>, Problem> {
    let json = super::json::genome_to_json(genome);
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(json.as_bytes())
        .and_then(|()| z.finish())
        .map_err(|e| Problem::Encode(format!("GIF genome: {e}")))
}

/// The genome a GIF carries, `Ok(None)` if it carries none.
pub fn carried_genome(bytes: &[u8]) -> Result<Option<Genome>, Problem> {
    let Some(payload) = find_payload(bytes)? else {
        return Ok(None);
    };
    let mut json = Vec::new();
    flate2::read::ZlibDecoder::new(payload.as_slice())
        .take(MAX_GENOME_TEXT + 1)
        .read_to_end(&mut json)
        .map_err(|e| Problem::Gif(format!("its genome extension: {e}")))?;
    if json.len() as u64 > MAX_GENOME_TEXT {
        return Err(Problem::Gif(format!(
            "its genome extension inflates past {MAX_GENOME_TEXT} bytes"
        )));
    }
    super::json::genome_from_json(&json).map(Some)
}

/// Reads a GIF's blocks up to the genome extension; its data sub-blocks joined.
fn find_payload(bytes: &[u8]) -> Result<Option<Vec<u8>>, Problem> {
    let bad = |at: usize, what: &str| Problem::Gif(format!("{what} at byte {at}"));
    if !(bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a")) {
        return Err(bad(0, "no GIF header"));
    }
    let mut at = 13;
    let flags = *bytes.get(10).ok_or_else(|| bad(10, "the file ends"))?;
    if flags & 0x80 != 0 {
        at += 3 << ((flags & 7) + 1);
    }
    loop {
        match bytes.get(at) {
            // Extension: label, then sub-blocks.
            Some(0x21) => {
                let label = *bytes
                    .get(at + 1)
                    .ok_or_else(|| bad(at + 1, "the file ends"))?;
                let (blocks, next) =
                    sub_blocks(bytes, at + 2).ok_or_else(|| bad(at, "a cut extension"))?;
                if label == 0xFF && blocks.first().is_some_and(|b| *b == APP_ID) {
                    return Ok(Some(blocks[1..].concat()));
                }
                at = next;
            }
            // Image: descriptor, local colour table, LZW code size, sub-blocks.
            Some(0x2C) => {
                let flags = *bytes.get(at + 9).ok_or_else(|| bad(at, "a cut image"))?;
                at += 10;
                if flags & 0x80 != 0 {
                    at += 3 << ((flags & 7) + 1);
                }
                let (_, next) = sub_blocks(bytes, at + 1).ok_or_else(|| bad(at, "a cut image"))?;
                at = next;
            }
            Some(0x3B) | None => return Ok(None),
            Some(b) => return Err(bad(at, &format!("unexpected block 0x{b:02x}"))),
        }
    }
}

/// The sub-blocks starting at `at` (up to the empty one), and where the next block
/// starts; `None` if the file ends first.
fn sub_blocks(bytes: &[u8], mut at: usize) -> Option<(Vec<&[u8]>, usize)> {
    let mut blocks = Vec::new();
    loop {
        let len = *bytes.get(at)? as usize;
        if len == 0 {
            return Some((blocks, at + 1));
        }
        blocks.push(bytes.get(at + 1..at + 1 + len)?);
        at += 1 + len;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cppn::{Activation, Genome};

    fn gif(genome: Option<&Genome>) -> Vec<u8> {
        let mut out = Vec::new();
        {
            let mut enc = gif::Encoder::new(&mut out, 2, 2, &[0, 0, 0, 255, 255, 255]).unwrap();
            for k in 0..2u8 {
                if k == 1
                    && let Some(g) = genome
                {
                    let payload = genome_payload(g).unwrap();
                    enc.write_raw_extension(gif::AnyExtension(0xFF), &[APP_ID, &payload])
                        .unwrap();
                }
                let frame = gif::Frame::from_indexed_pixels(2, 2, vec![k % 2, 1, 0, 1], None);
                enc.write_frame(&frame).unwrap();
            }
        }
        out
    }

    #[test]
    fn a_gif_carries_its_genome_past_frames_and_one_without_says_none() {
        let g = Genome::grey_skeleton(Activation::Sin);
        assert_eq!(carried_genome(&gif(Some(&g))).unwrap(), Some(g));
        assert_eq!(carried_genome(&gif(None)).unwrap(), None);
    }

    #[test]
    fn a_cut_or_foreign_file_is_an_error_not_a_panic() {
        let g = Genome::grey_skeleton(Activation::Sin);
        let whole = gif(Some(&g));
        // Cut before the genome's extension (it follows the first frame here).
        for cut in [5, 11, 13, 20] {
            let r = carried_genome(&whole[..cut]);
            assert!(r.is_err() || r.as_ref().is_ok_and(|g| g.is_none()), "{cut}");
        }
        assert!(carried_genome(b"not a gif").is_err());
    }
}
