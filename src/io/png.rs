//! PNG read and write.

use super::{FileError, Problem, write_atomic};
use crate::render::image::Image;
use std::path::Path;

/// Encodes an image as an 8-bit RGBA PNG.
pub fn encode(img: &Image) -> Result<Vec<u8>, Problem> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, img.width as u32, img.height as u32);
        enc.set_color(png::ColorType::Rgba);
        enc.set_depth(png::BitDepth::Eight);
        let mut w = enc
            .write_header()
            .map_err(|e| Problem::Png(e.to_string()))?;
        w.write_image_data(&img.rgba)
            .map_err(|e| Problem::Png(e.to_string()))?;
    }
    Ok(out)
}

/// Writes an image as PNG, atomically.
pub fn save(img: &Image, path: &Path) -> Result<(), FileError> {
    let bytes = encode(img).map_err(|p| p.at(path))?;
    write_atomic(path, &bytes)
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

    #[test]
    fn round_trip() {
        let mut img = Image::new(3, 2);
        for (i, b) in img.rgba.iter_mut().enumerate() {
            *b = (i * 7) as u8;
        }
        assert_eq!(decode(&encode(&img).unwrap()).unwrap(), img);
        assert!(decode(b"not a png").is_err());
    }
}
