//! Pictures from networks: output images, neuron galleries; plain RGBA buffers.

pub mod colour;
pub mod export;
pub mod figure;
pub mod gallery;
pub mod image;
pub mod sweep;

use crate::cppn::eval::evaluate_outputs;
use crate::cppn::program::{OutputPlanes, Program};
use crate::grid::Grid;
use crate::sgd::net::{DenseNet, NetOutputs};
use image::{ColourPlanes, Image};

/// How a plane set coloured by `outputs` maps to [`ColourPlanes`], with planes numbered
/// as in `evaluate_outputs` (outputs only, in order).
pub fn output_colours(outputs: OutputPlanes) -> ColourPlanes {
    match outputs {
        OutputPlanes::Grey { .. } => ColourPlanes::Grey(0),
        OutputPlanes::Colour {
            hue, saturation, ..
        } => {
            let h = hue.map(|_| 0);
            let s = saturation.map(|_| usize::from(hue.is_some()));
            ColourPlanes::Hsv(h, s, h.is_some() as usize + s.is_some() as usize)
        }
    }
}

/// A genome's image over a grid.
pub fn render_program(program: &Program, grid: &Grid) -> Image {
    Image::from_planes(
        &evaluate_outputs(program, grid),
        output_colours(program.outputs),
    )
}

/// A dense net's image over a grid.
pub fn render_net(net: &DenseNet, grid: &Grid) -> Image {
    Image::from_planes(&net.evaluate_outputs(grid), net_colours(net.outputs, 0))
}

/// Colouring of a dense net's outputs when they start at plane `first`.
pub fn net_colours(outputs: NetOutputs, first: usize) -> ColourPlanes {
    match outputs {
        NetOutputs::Grey => ColourPlanes::Grey(first),
        NetOutputs::Hsv => ColourPlanes::Hsv(Some(first), Some(first + 1), first + 2),
    }
}
