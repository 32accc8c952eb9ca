//! picbreeder core: breed CPPN images, train an SGD twin, compare their neurons.
//! Usable without any GUI: the window (`app`) and the command line (`cli`) are thin
//! faces over these modules.

pub mod breed;
pub mod cppn;
pub mod fastmath;
pub mod grid;
pub mod io;
pub mod measure;
pub mod network;
pub mod render;
pub mod sgd;
