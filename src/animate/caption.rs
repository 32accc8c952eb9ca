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

/// What fits on one line `width` pixels wide, at `scale` or the largest smaller scale
/// that holds it all: `lead` then `tail`, the lead cut short ("..") when even scale 1
/// is too wide, so the tail (a sweep's delta) is always there. Returns the text and
/// its scale.
pub fn fitted(lead: &str, tail: &str, width: usize, scale: usize) -> (String, usize) {
    let whole = format!("{lead}{tail}");
    let mut s = scale.max(1);
    while s > 1 && text_width(&whole, s) > width {
        s -= 1;
    }
    if text_width(&whole, s) <= width {
        return (whole, s);
    }
    let room = (width / 8).saturating_sub(tail.chars().count());
    let text = if room >= 3 {
        let kept: String = lead.chars().take(room - 2).collect();
        format!("{kept}..{tail}")
    } else {
        // Not even the tail fits: its last word (a sweep's delta), as much as there is room for.
        let tail = tail.trim_start();
        let tail = if tail.chars().count() <= width / 8 {
            tail
        } else {
            tail.split_whitespace().last().unwrap_or("")
        };
        tail.chars().take(width / 8).collect()
    };
    (text, 1)
}

/// A band `width` wide with `text` centred in it (smaller, or cut, to fit).
pub fn band(text: &str, width: usize, scale: usize) -> Image {
    band_ending(text, "", width, scale)
}

/// A band `width` wide with `lead` and `tail` centred in it; only `lead` is ever cut.
pub fn band_ending(lead: &str, tail: &str, width: usize, scale: usize) -> Image {
    let mut img = Image::new(width, band_height(scale));
    img.fill(BACKGROUND);
    let (text, s) = fitted(lead, tail, width, scale);
    let x = width.saturating_sub(text_width(&text, s)) / 2;
    let y = (band_height(scale) - 8 * s) / 2;
    draw_text(&mut img, &text, x, y, s);
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

    /// The rightmost inked column of a band.
    fn ink_right(img: &Image) -> Option<usize> {
        (0..img.width)
            .rev()
            .find(|&x| (0..img.height).any(|y| img.pixel(x, y) == INK))
    }

    #[test]
    fn a_long_caption_shrinks_then_loses_its_lead_but_never_its_tail() {
        let (lead, tail) = ("link 576:202 - Mouth and eye", "   delta -1.00");
        // Room at scale 2 for all of it at scale 1: smaller, whole.
        let (text, s) = fitted(lead, tail, 400, 2);
        assert_eq!(
            (text.as_str(), s),
            ("link 576:202 - Mouth and eye   delta -1.00", 1)
        );
        // No room: the label is cut, the delta stays.
        for width in [128, 200, 256, 300] {
            let (text, s) = fitted(lead, tail, width, 3);
            assert!(text.ends_with("delta -1.00"), "{width}: {text}");
            assert!(text_width(&text, s) <= width, "{width}: {text}");
            let b = band_ending(lead, tail, width, 3);
            assert_eq!(b.height, band_height(3));
            let right = ink_right(&b).expect("inked");
            assert!(right < width - 1, "{width}: ink to the edge");
        }
        // A frame too narrow for even the tail keeps the number.
        assert_eq!(fitted(lead, tail, 64, 1).0, "-1.00");
        // A caption that fits is drawn as before.
        assert_eq!(fitted("x", " y", 100, 2), ("x y".to_string(), 2));
        let b = band("delta +0.50", 200, 1);
        assert!(ink_right(&b).unwrap() < 200 - (200 - text_width("delta +0.50", 1)) / 2);
    }
}
