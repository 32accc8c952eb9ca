//! Breeding: a session of generations the user picks parents from, with the history
//! kept as a tree (undo, redo, branch), saved whole as one file.
//!
//! ```
//! use picbreeder::breed::Session;
//! let mut s = Session::new(42);
//! s.toggle_parent(3);
//! let next = s.evolve().unwrap();
//! assert_eq!(s.current_id(), next);
//! assert_eq!(s.genomes().len(), 15);
//! assert!(s.back());
//! ```

pub mod ancestry;
pub mod brood;
pub mod file;
pub mod generation;
pub mod genomes;
pub mod lineage;
pub mod packed;
pub mod random;
pub mod session;
pub mod settings;
pub mod starters;
pub mod thumbnails;
pub mod variety;

pub use brood::{Bred, Brood, Next};
pub use file::{SESSION_FORMAT, SESSION_VERSION};
pub use generation::{Generation, GenerationId, Origin};
pub use lineage::{Lineage, LineageNode, OriginKind};
pub use random::{RandomGenomeConfig, random_genome};
pub use session::{BreedError, Session};
pub use settings::Settings;
pub use starters::{STARTERS, Starter, starter, starter_names};
pub use thumbnails::{render_thumbnail, render_thumbnails};
