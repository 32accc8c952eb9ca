//! picbreeder core: breed CPPN images, train an SGD twin, compare their neurons.
//! Usable without any GUI: the window (`app`) and the command line (`cli`) are thin
//! faces over these modules.

pub mod activation;
pub mod animate;
pub mod archive;
pub mod breed;
pub mod budget;
pub mod colour;
pub mod compare;
pub mod cppn;
pub mod dense;
pub mod experiment;
pub mod fastmath;
pub mod figure;
pub mod grid;
pub mod image;
pub mod io;
pub mod layerize;
pub mod limits;
pub mod measure;
pub mod network;
pub mod render;
pub mod search;
pub mod sgd;
pub mod steps;
pub mod store;
