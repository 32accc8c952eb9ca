//! A breeding session: the current generation, the user's choice of parents, and the
//! whole history as a tree that nothing is ever removed from.
//!
//! Every generation is kept with its parent generation and the parents chosen there.
//! Going back and choosing differently adds a sibling branch; the old branch stays, and
//! "forward" returns to whichever child was visited last. Each generation's randomness
//! comes from the session seed and the generation's id alone ([`Session::rng_for`]), so
//! the same seed and the same choices replay to the same genomes.

use super::brood::Next;
use super::generation::{Generation, GenerationId, Origin};
use super::settings::Settings;
use crate::cppn::genome::{Genome, GenomeError};
use crate::cppn::innovation::Innovations;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use std::borrow::Cow;
use std::sync::atomic::AtomicBool;

/// Why a session could not do what was asked.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BreedError {
    #[error("choose at least one parent before evolving")]
    NoParents,
    #[error("there is no generation {0}")]
    NoSuchGeneration(GenerationId),
    #[error("generation {generation} has no genome {index}")]
    NoSuchGenome {
        generation: GenerationId,
        index: usize,
    },
    #[error("the genome cannot be bred: {0}")]
    InvalidGenome(#[from] GenomeError),
    #[error("the genome is already in colour")]
    AlreadyColour,
    #[error("the session changed while the generation was being bred")]
    Changed,
    #[error(transparent)]
    Memory(#[from] crate::budget::OverBudget),
}

/// A breeding session. Cheap to query; every change goes through a method that keeps
/// the history consistent.
#[derive(Clone, Debug, PartialEq)]
pub struct Session {
    pub(super) seed: u64,
    pub(super) settings: Settings,
    pub(super) innovations: Innovations,
    pub(super) generations: Vec<Generation>,
    pub(super) current: GenerationId,
}

impl Session {
    /// A fresh session with default settings: one generation of random genomes.
    pub fn new(seed: u64) -> Session {
        Session::with_settings(seed, Settings::default())
    }

    /// A fresh session: one generation of random genomes.
    pub fn with_settings(seed: u64, settings: Settings) -> Session {
        let mut s = Session::empty(seed, settings);
        s.make(None, Origin::Random, Vec::new());
        s
    }

    /// A session whose first generation is `genome` and its mutated copies.
    pub fn starting_from(
        seed: u64,
        settings: Settings,
        genome: Genome,
    ) -> Result<Session, BreedError> {
        let brood = Session::root_brood(seed, settings, genome)?;
        brood.within(crate::budget::MEMORY_BUDGET)?;
        let bred = brood
            .breed(&AtomicBool::new(false), &mut |_| {})
            .expect("not cancelled");
        Session::from_root(bred)
    }

    pub(super) fn empty(seed: u64, settings: Settings) -> Session {
        Session {
            seed,
            settings,
            innovations: Innovations::for_seed(seed),
            generations: Vec::new(),
            current: GenerationId(0),
        }
    }

    // ----- reading -----

    /// The seed every generation's randomness derives from.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Settings apply to generations made from now on.
    pub fn settings_mut(&mut self) -> &mut Settings {
        &mut self.settings
    }

    pub fn innovations(&self) -> &Innovations {
        &self.innovations
    }

    pub fn current_id(&self) -> GenerationId {
        self.current
    }

    pub fn current(&self) -> &Generation {
        &self.generations[self.current.0]
    }

    /// The genomes of the current generation, in grid order.
    pub fn genomes(&self) -> &[Genome] {
        self.current()
            .genomes
            .as_whole()
            .expect("the current generation is kept whole")
    }

    /// A genome of the current generation.
    pub fn genome(&self, index: usize) -> Option<&Genome> {
        self.genomes().get(index)
    }

    pub fn generation(&self, id: GenerationId) -> Option<&Generation> {
        self.generations.get(id.0)
    }

    /// Every generation, indexed by id.
    pub fn generations(&self) -> &[Generation] {
        &self.generations
    }

    /// The number the user sees: 1 for a root, one more per evolve step.
    pub fn generation_number(&self) -> usize {
        self.current().depth + 1
    }

    /// Indices of the current generation's genomes chosen as parents, ascending.
    pub fn selected(&self) -> &[usize] {
        &self.current().selected
    }

    pub fn is_selected(&self, index: usize) -> bool {
        self.current().is_selected(index)
    }

    /// The generations from the current one's root down to it.
    pub fn path(&self) -> Vec<GenerationId> {
        let mut path = vec![self.current];
        while let Some(p) = self.generations[path.last().expect("not empty").0].parent {
            path.push(p);
        }
        path.reverse();
        path
    }

    /// The genome standing for a generation in the lineage view.
    pub fn representative(&self, id: GenerationId) -> Option<Cow<'_, Genome>> {
        let g = self.generation(id)?;
        g.genomes.at(g.representative())
    }

    // ----- choosing parents -----

    /// Toggles whether a genome of the current generation is a parent; returns whether
    /// it is now. An index outside the generation is ignored (returns false).
    pub fn toggle_parent(&mut self, index: usize) -> bool {
        let on = !self.is_selected(index);
        self.set_parent(index, on);
        self.is_selected(index)
    }

    /// Makes a genome of the current generation a parent, or not.
    pub fn set_parent(&mut self, index: usize, parent: bool) {
        let g = &mut self.generations[self.current.0];
        if index >= g.genomes.len() {
            return;
        }
        match (g.selected.binary_search(&index), parent) {
            (Err(at), true) => g.selected.insert(at, index),
            (Ok(at), false) => {
                g.selected.remove(at);
            }
            _ => {}
        }
    }

    pub fn clear_selection(&mut self) {
        self.generations[self.current.0].selected.clear();
    }

    // ----- making generations -----

    /// Breeds the next generation from the chosen parents and moves to it. The parents
    /// come first, unchanged; the rest are mutated copies (one parent) or mutated
    /// crossovers of two of them (several).
    pub fn evolve(&mut self) -> Result<GenerationId, BreedError> {
        self.breed_now(Next::Evolve)
    }

    /// New children in place of the current generation's: a sibling generation made
    /// the same way (same parents, or fresh random genomes), and moves to it. The
    /// current generation stays in the history.
    pub fn reroll(&mut self) -> GenerationId {
        self.breed_now(Next::Reroll)
            .expect("a reroll always breeds")
    }

    /// A generation of fresh random genomes, as a child of the current one.
    pub fn randomize(&mut self) -> GenerationId {
        self.breed_now(Next::Randomize)
            .expect("random genomes always breed")
    }

    /// Breeds from a hand edit of one of the session's genomes: the single parent of a
    /// new generation, a child of the current one ("back" returns). A genome from
    /// elsewhere starts a session of its own ([`Session::starting_from`]).
    pub fn from_edit(&mut self, genome: Genome) -> Result<GenerationId, BreedError> {
        self.breed_now(Next::Edited(Box::new(genome)))
    }

    /// Opens a colour copy of the current generation's grey genome `index` (same
    /// picture) as the single parent of a new generation.
    pub fn add_colour(&mut self, index: usize) -> Result<GenerationId, BreedError> {
        self.breed_now(Next::AddColour(index))
    }

    /// The random source of generation `id`: the session seed, stream `id`.
    pub fn rng_for(&self, id: GenerationId) -> ChaCha8Rng {
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        rng.set_stream(id.0 as u64);
        rng
    }

    /// Makes a generation at this place in the tree on this thread, and moves to it.
    fn make(&mut self, parent: Option<GenerationId>, origin: Origin, parents: Vec<Genome>) {
        let brood = self.brood_of(parent, origin, parents, self.innovations.clone());
        let bred = brood
            .breed(&AtomicBool::new(false), &mut |_| {})
            .expect("not cancelled");
        self.accept(bred).expect("taken from this session");
    }

    // ----- moving through history -----

    pub fn can_back(&self) -> bool {
        self.current().parent.is_some()
    }

    pub fn can_forward(&self) -> bool {
        self.current().last_child.is_some()
    }

    /// Undo: to the parent generation. False at a root.
    pub fn back(&mut self) -> bool {
        match self.current().parent {
            Some(p) => {
                self.go(p);
                true
            }
            None => false,
        }
    }

    /// Redo: to the child generation visited most recently. False if there is none.
    pub fn forward(&mut self) -> bool {
        match self.current().last_child {
            Some(c) => {
                self.go(c);
                true
            }
            None => false,
        }
    }

    /// Moves to any generation; from there the user may choose and evolve differently.
    pub fn branch_to(&mut self, id: GenerationId) -> Result<(), BreedError> {
        if id.0 >= self.generations.len() {
            return Err(BreedError::NoSuchGeneration(id));
        }
        self.visit(id);
        Ok(())
    }

    /// Makes `id` current and the remembered child of each of its ancestors, so that
    /// forward from any ancestor leads back here.
    pub(super) fn visit(&mut self, id: GenerationId) {
        self.go(id);
        let mut child = id;
        while let Some(p) = self.generations[child.0].parent {
            self.generations[p.0].last_child = Some(child);
            child = p;
        }
    }

    /// Makes `id` current: its genomes whole, the generation left packed.
    fn go(&mut self, id: GenerationId) {
        let old = std::mem::replace(&mut self.current, id);
        self.generations[id.0].genomes.unpack();
        if old != id
            && let Some(g) = self.generations.get_mut(old.0)
        {
            g.genomes.pack(g.kept);
        }
    }

    /// Packs every generation but the current one, which is made whole: how a session
    /// read from a file or the library is held.
    pub(super) fn pack_history(&mut self) {
        let current = self.current;
        for g in &mut self.generations {
            if g.id == current {
                g.genomes.unpack();
            } else {
                g.genomes.pack(g.kept);
            }
        }
    }
}
