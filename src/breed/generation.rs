//! One generation: the genomes shown together in the grid, and where they came from.

use super::genomes::Genomes;
use super::settings::Settings;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Names a generation within its session: its index in creation order. Ids are never
/// reused, so a GUI may keep them (for thumbnails, say) across any navigation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct GenerationId(pub usize);

impl fmt::Display for GenerationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// How a generation was made.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Origin {
    /// Fresh random genomes.
    Random,
    /// Bred from the parent generation's genomes at these indices (the user's choice).
    Evolved { chosen: Vec<usize> },
    /// A genome opened by the user (now `genomes[0]`) and its mutated copies.
    Opened,
}

/// A generation in the history tree. Read-only outside the session.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Generation {
    pub id: GenerationId,
    /// The generation it was bred from (`None` for a root).
    pub parent: Option<GenerationId>,
    /// Steps from its root: 0 for a root. Shown as "generation depth + 1".
    pub depth: usize,
    pub origin: Origin,
    pub genomes: Genomes,
    /// The first `kept` genomes are the parents carried over unchanged.
    pub kept: usize,
    /// Genomes toggled as parents here, in ascending order. When the user evolves, this
    /// becomes the child's [`Origin::Evolved`] choice.
    pub selected: Vec<usize>,
    /// Generations bred from this one, oldest first.
    pub children: Vec<GenerationId>,
    /// The child visited most recently: where "forward" goes.
    pub last_child: Option<GenerationId>,
    /// The session's settings when it was made (population, mutation strength and
    /// operators...), so a run whose settings changed midway can be replayed and read
    /// back. `None` in files from before they were recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bred_with: Option<Settings>,
}

impl Generation {
    pub fn len(&self) -> usize {
        self.genomes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.genomes.is_empty()
    }

    /// Its genomes packed ([`super::packed`]), as the library stores them.
    pub fn packed(&self) -> std::sync::Arc<[u8]> {
        self.genomes.packed(self.kept)
    }

    pub fn is_selected(&self, index: usize) -> bool {
        self.selected.binary_search(&index).is_ok()
    }

    /// Whether `genomes[index]` is a parent carried over unchanged.
    pub fn is_kept_parent(&self, index: usize) -> bool {
        index < self.kept
    }

    /// The genome that stands for this generation in the lineage: the first one
    /// selected, else the first one (a kept parent, when there is one).
    pub fn representative(&self) -> usize {
        self.selected.first().copied().unwrap_or(0)
    }

    /// The parent generation's genome indices it was bred from (empty unless evolved).
    pub fn chosen(&self) -> &[usize] {
        match &self.origin {
            Origin::Evolved { chosen } => chosen,
            _ => &[],
        }
    }
}
