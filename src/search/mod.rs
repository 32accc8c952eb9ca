//! Search beside the breeder: evolution without a person choosing, to tell apart what
//! the person, evolution and open-endedness each do to the networks found.
//!
//! All three are NEAT-style over the program's own genomes and operators
//! ([`crate::cppn::mutate`], [`crate::cppn::crossover`]), the pictures drawn on every
//! core, seeded and reproducible (all random draws on one thread, in order):
//!
//! - [`Objective::Target`]: fitness is the PSNR of a genome's picture against a target
//!   picture ([`target`]); NEAT with speciation ([`species`]).
//! - [`Objective::Novelty`]: fitness is the novelty of the picture's sketch among the
//!   population and an archive ([`novelty`]); NEAT with speciation.
//! - [`Objective::MapElites`]: a map over picture descriptors ([`descriptor`]) keeps
//!   each cell's best by a quality ([`map_elites`]); children of random elites.
//!
//! [`jobs`] runs seeds as independent jobs (shards, resume), [`session`] turns a run
//! into a breeding session for the library, [`figures`] draws its curve, archive and map.

pub mod descriptor;
pub mod figures;
pub mod jobs;
pub mod map_elites;
pub mod novelty;
pub mod run;
pub mod session;
pub mod species;
pub mod target;
pub mod vptree;

pub use run::{GenerationStats, Objective, Outcome, Quality, SearchConfig, run};

/// Why a search could not run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SearchError {
    #[error("{0}")]
    Setup(String),
    #[error("the start genome cannot be used: {0}")]
    Genome(#[from] crate::cppn::GenomeError),
    #[error("cancelled")]
    Cancelled,
    #[error("{path}: {why}")]
    File { path: String, why: String },
}
