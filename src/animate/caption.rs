//! Captions drawn into frames with an 8x8 bitmap font (font8x8's public-domain ASCII
//! glyphs), scaled by whole pixels: crisp at any frame size, no font files to load.

use crate::image::Image;

/// Background of caption bands and gaps.
pub const BACKGROUND: [u8; 4] = [24, 24, 24, 255];
const INK: [u8; 4] = [235, 235, 235, 255];

/// Glyph scale for a picture `size` pixels wide: 1 below 200, then 2, 3... so text
/// stays readable next to big frames.
pub fn scale_for(size: usize) -> usize {
    (size / 200).clamp(1, 8)
}

/// Height of a band holding one line of text at `scale`, with a margin.
pub fn band_height(scale: usize) -> usize {
    12 * scale
}

/// Width of `text` at `scale`.
pub fn text_width(text: &str, scale: usize) -> usize {
    text.chars().count() * 8 * scale
}

/// Draws `text` with its top-left corner at (x, y), clipped to the image; characters
/// outside ASCII are drawn as '?'.
pub fn draw_text(img: &mut Image, text: &str, x: usize, y: usize, scale: usize) {
    for (c, ch) in text.chars().enumerate() {
        let code = if ch.is_ascii() {
            ch as usize
        } else {
            '?' as usize
        };
        let glyph = font8x8::legacy::BASIC_LEGACY[code];
        for (row, bits) in glyph.iter().enumerate() {
            for col in 0..8 {
                if bits & (1 << col) == 0 {
                    continue;
                }
                for dy in 0..scale {
                    for dx in 0..scale {
                        let px = x + (c * 8 + col) * scale + dx;
                        let py = y + row * scale + dy;
                        if px < img.width && py < img.height {
                            let i = (py * img.width + px) * 4;
                            img.rgba[i..i + 4].copy_from_slice(&INK);
                        }
                    }
                }
            }
        }
    }
}

/// A band `width` wide with `text` centred in it.
pub fn band(text: &str, width: usize, scale: usize) -> Image {
    let mut img = Image::new(width, band_height(scale));
    img.fill(BACKGROUND);
    let x = width.saturating_sub(text_width(text, scale)) / 2;
    draw_text(&mut img, text, x, 2 * scale, scale);
    img
}

/// `picture` with a caption band below it.
pub fn below(picture: &Image, text: &str) -> Image {
    let scale = scale_for(picture.width);
    let caption = band(text, picture.width, scale);
    let mut out = Image::new(picture.width, picture.height + caption.height);
    out.blit(picture, 0, 0);
    out.blit(&caption, 0, picture.height);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_drawn_and_clipped() {
        let mut img = Image::new(20, 10);
        img.fill(BACKGROUND);
        draw_text(&mut img, "A", 0, 0, 1);
        let inked = img.rgba.chunks(4).filter(|p| p[..] == INK).count();
        assert!(inked > 10, "{inked}");
        // Far past the edge: nothing drawn, no panic.
        draw_text(&mut img, "AAAA", 18, 8, 3);
        let b = band("delta +0.50", 200, 1);
        assert_eq!((b.width, b.height), (200, 12));
        assert!(b.rgba.chunks(4).any(|p| p[..] == INK));
        let c = below(&Image::new(64, 64), "x");
        assert_eq!((c.width, c.height), (64, 76));
    }
}
