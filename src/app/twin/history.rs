//! The evolved side's genome and its hand-edit history (undo and redo).

use super::super::thumbs::genome_key;
use picbreeder::compare::Twin;
use picbreeder::cppn::edit::EditError;
use picbreeder::cppn::{Genome, Program};
use picbreeder::network::{Network, Param};
use std::sync::Arc;

/// The evolved side: the genome (maybe edited), its layerized twin, and both as
/// networks to draw.
pub struct Evolved {
    pub genome: Genome,
    pub program: Arc<Program>,
    pub twin: Twin,
    pub graph: Arc<Network>,
    pub layered: Arc<Network>,
    pub key: u64,
}

impl Evolved {
    pub fn new(genome: Genome) -> Result<Evolved, String> {
        let twin = Twin::new(genome.clone()).map_err(|e| e.to_string())?;
        let key = genome_key(&genome);
        Ok(Evolved {
            graph: Arc::new(Network::Genome {
                genome: genome.clone(),
                program: twin.program.clone(),
            }),
            layered: Arc::new(Network::Net(twin.layered.clone())),
            program: Arc::new(twin.program.clone()),
            twin,
            genome,
            key,
        })
    }

    /// The genome link behind a weight of the layerized net (`None` for a cache neuron's
    /// weight, which no link stands for); links map to themselves.
    pub fn as_link(&self, p: Param) -> Option<Param> {
        self.twin.as_link(p)
    }
}

/// The genome shown and the edits that led to it: each edit keeps the genome before it.
#[derive(Default)]
pub struct History {
    pub evolved: Option<Evolved>,
    undo: Vec<Genome>,
    redo: Vec<Genome>,
}

impl History {
    /// Starts afresh from `genome` (or nothing), forgetting all edits.
    pub fn reset(&mut self, genome: Option<&Genome>) {
        self.undo.clear();
        self.redo.clear();
        self.evolved = genome.and_then(|g| Evolved::new(g.clone()).ok());
    }

    /// The genome shown (after edits).
    pub fn genome(&self) -> Option<&Genome> {
        self.evolved.as_ref().map(|e| &e.genome)
    }

    /// Applies a hand edit, keeping the old genome for undo. `Ok(false)`: nothing to edit.
    pub fn edit(
        &mut self,
        f: impl FnOnce(&Genome) -> Result<Genome, EditError>,
    ) -> Result<bool, String> {
        let Some(ev) = &mut self.evolved else {
            return Ok(false);
        };
        let new = f(&ev.genome)
            .map_err(|e| e.to_string())
            .and_then(Evolved::new)?;
        let old = std::mem::replace(ev, new);
        self.undo.push(old.genome);
        self.redo.clear();
        Ok(true)
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Edits to undo.
    pub fn undo_len(&self) -> usize {
        self.undo.len()
    }

    /// Undoes (`back`) or redoes one edit; false if there was none.
    pub fn step(&mut self, back: bool) -> bool {
        let (from, to) = if back {
            (&mut self.undo, &mut self.redo)
        } else {
            (&mut self.redo, &mut self.undo)
        };
        let (Some(g), Some(ev)) = (from.pop(), &self.evolved) else {
            return false;
        };
        to.push(ev.genome.clone());
        self.evolved = Evolved::new(g).ok();
        true
    }
}
