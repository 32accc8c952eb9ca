//! Pictures from networks: output images, neuron galleries; plain RGBA buffers.

pub mod gallery;
pub mod sweep;
