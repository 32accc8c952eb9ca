//! Every limit the program puts on what a person or a file may ask for, in one place:
//! the window's sliders, the command line and the loaders all read these, so a limit
//! changes in one line. (What a request costs in memory is [`crate::budget`].)

use std::ops::RangeInclusive;

/// Largest side of any picture, in pixels (`render`, export, `-s` everywhere).
pub const MAX_IMAGE_SIDE: usize = 16384;

/// Mutation strength: the window's slider, `breed --strength`, a session's settings.
pub const STRENGTH: RangeInclusive<f64> = 0.0..=3.0;

/// Genomes per generation (kept parents included): the slider and a session's settings.
pub const POPULATION: RangeInclusive<usize> = 2..=60;

/// Side of a breeding thumbnail in pixels: the slider and a session's settings.
pub const THUMBNAIL: RangeInclusive<usize> = 48..=256;

/// Most neurons in one layer of a network to train (`--arch mlp:DxW`).
pub const MAX_LAYER_WIDTH: usize = 4096;

/// Most hidden layers of a network to train.
pub const MAX_DEPTH: usize = 256;

/// Most weights of a network to train or load (apple's layerized net has 46,474).
pub const MAX_PARAMETERS: usize = 20_000_000;

/// Largest |delta| of a weight sweep (`sweep --range`, `animate sweep --range`): far
/// past any weight evolution makes, and small enough that a moved weight is still a
/// number (1e308 made every moved weight infinite: "no such weight").
pub const MAX_SWEEP_RANGE: f64 = 1e6;

/// Smallest learning rate. Adam moves each weight by about the rate a step; much below
/// this the moves are lost in an f32 weight's rounding (1e-45 moved nothing), the loss
/// stays flat, and the run was reported as collapsed with the advice to lower the rate.
pub const MIN_LEARNING_RATE: f64 = 1e-6;

/// Largest request the archive server reads (a publish: genome, chain, title, tags).
pub const MAX_ARCHIVE_REQUEST_BYTES: usize = 16 << 20;

/// Most nodes of a genome published to the archive: the server renders every publish's
/// pictures itself, and their cost grows with the nodes.
pub const MAX_ARCHIVE_NODES: usize = 5_000;

/// Most links of a genome published to the archive.
pub const MAX_ARCHIVE_LINKS: usize = 50_000;

/// Most generations recorded between a published item and the one it branched from.
pub const MAX_ARCHIVE_CHAIN: usize = 1_000;

/// A sweep's `--range`, checked against [`MAX_SWEEP_RANGE`].
pub fn check_range(range: f64) -> Result<f64, String> {
    if range > 0.0 && range <= MAX_SWEEP_RANGE {
        Ok(range)
    } else {
        Err(format!(
            "--range {range:e} is out of range: a number in (0, {MAX_SWEEP_RANGE:e}]"
        ))
    }
}

/// A learning rate: a finite number of at least [`MIN_LEARNING_RATE`] (that f32 holds).
pub fn check_learning_rate(lr: f64) -> Result<f32, String> {
    if lr.is_finite() && lr >= MIN_LEARNING_RATE && (lr as f32).is_finite() {
        Ok(lr as f32)
    } else {
        Err(format!(
            "{lr} is out of range: a learning rate is a finite number of at least {MIN_LEARNING_RATE:e} (smaller ones barely move f32 weights)"
        ))
    }
}

/// A size request's side, checked against [`MAX_IMAGE_SIDE`].
pub fn check_side(side: usize) -> Result<usize, String> {
    if side == 0 || side > MAX_IMAGE_SIDE {
        Err(format!("size {side} is out of range 1..={MAX_IMAGE_SIDE}"))
    } else {
        Ok(side)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sides_outside_the_range_are_refused() {
        assert_eq!(check_side(1), Ok(1));
        assert_eq!(check_side(MAX_IMAGE_SIDE), Ok(MAX_IMAGE_SIDE));
        assert!(check_side(0).is_err());
        assert!(
            check_side(MAX_IMAGE_SIDE + 1)
                .unwrap_err()
                .contains("16384")
        );
    }
}
