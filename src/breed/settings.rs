//! What a breeding session is set to: population size, thumbnail size, how genomes
//! vary. Saved with the session.

use crate::breed::random::RandomGenomeConfig;
use crate::cppn::crossover::CrossoverConfig;
use crate::cppn::genome::ColourMode;
use crate::cppn::mutate::MutationConfig;
use serde::{Deserialize, Serialize};

/// A session's settings, with Picbreeder's defaults. Changing them affects generations
/// made afterwards only; replaying a run needs the same settings at the same steps.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Genomes per generation, kept parents included. Default 15 (a 3x5 grid).
    pub population: usize,
    /// Side of a thumbnail in pixels. Default 128.
    pub thumbnail: usize,
    /// Whether fresh random genomes are grey or colour. Default grey (Picbreeder began
    /// grey; "add colour" brings colour in without changing the picture).
    pub start_colour: ColourMode,
    pub mutation: MutationConfig,
    pub crossover: CrossoverConfig,
    pub random: RandomGenomeConfig,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            population: 15,
            thumbnail: 128,
            start_colour: ColourMode::Grey,
            mutation: MutationConfig::default(),
            crossover: CrossoverConfig::default(),
            random: RandomGenomeConfig::default(),
        }
    }
}
