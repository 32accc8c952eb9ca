//! 4-connected regions of a mask. A flood fill over a bit mask is a few lines; the
//! image-processing crates that offer it (imageproc) bring the whole `image` crate and
//! its codecs into the build for this one function.

/// How many 4-connected regions of `true` pixels a `width`-wide row-major mask has.
pub fn count_regions(mask: &[bool], width: usize) -> usize {
    if width == 0 {
        return 0;
    }
    let height = mask.len() / width;
    let mut seen = vec![false; mask.len()];
    let mut stack = Vec::new();
    let mut regions = 0;
    for start in 0..mask.len() {
        if !mask[start] || seen[start] {
            continue;
        }
        regions += 1;
        seen[start] = true;
        stack.push(start);
        while let Some(p) = stack.pop() {
            let (r, c) = (p / width, p % width);
            let mut visit = |q: usize| {
                if mask[q] && !seen[q] {
                    seen[q] = true;
                    stack.push(q);
                }
            };
            if c > 0 {
                visit(p - 1);
            }
            if c + 1 < width {
                visit(p + 1);
            }
            if r > 0 {
                visit(p - width);
            }
            if r + 1 < height {
                visit(p + width);
            }
        }
    }
    regions
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_four_connected_regions() {
        let m = |s: &str| {
            s.chars()
                .filter(|c| !c.is_whitespace())
                .map(|c| c == '#')
                .collect::<Vec<_>>()
        };
        // Diagonal neighbours are apart; a ring is one region.
        assert_eq!(count_regions(&m("#.. .#. ..#"), 3), 3);
        assert_eq!(count_regions(&m("### #.# ###"), 3), 1);
        assert_eq!(count_regions(&m("... ... ..."), 3), 0);
        // Wrapping across a row end does not join.
        assert_eq!(count_regions(&m("..# #.."), 3), 2);
    }
}
