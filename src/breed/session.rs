//! A breeding session: the current generation, the user's choice of parents, and the
//! whole history as a tree that nothing is ever removed from.
//!
//! Every generation is kept with its parent generation and the parents chosen there.
//! Going back and choosing differently adds a sibling branch; the old branch stays, and
//! "forward" returns to whichever child was visited last. Each generation's randomness
//! comes from the session seed and the generation's id alone ([`Session::rng_for`]), so
//! the same seed and the same choices replay to the same genomes.

use super::generation::{Generation, GenerationId, Origin};
use super::settings::Settings;
use crate::breed::random::random_genome;
use crate::cppn::crossover::crossover;
use crate::cppn::genome::{Genome, GenomeError};
use crate::cppn::innovation::Innovations;
use crate::cppn::mutate::{add_colour, mutate};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

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
        genome.validate()?;
        let mut s = Session::empty(seed, settings);
        s.make(None, Origin::Opened, vec![genome]);
        Ok(s)
    }

    fn empty(seed: u64, settings: Settings) -> Session {
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
        &self.current().genomes
    }

    /// A genome of the current generation.
    pub fn genome(&self, index: usize) -> Option<&Genome> {
        self.current().genomes.get(index)
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
    pub fn representative(&self, id: GenerationId) -> Option<&Genome> {
        let g = self.generation(id)?;
        g.genomes.get(g.representative())
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
        let chosen = self.current().selected.clone();
        if chosen.is_empty() {
            return Err(BreedError::NoParents);
        }
        let parents = chosen
            .iter()
            .map(|&i| self.current().genomes[i].clone())
            .collect();
        Ok(self.make(Some(self.current), Origin::Evolved { chosen }, parents))
    }

    /// New children in place of the current generation's: a sibling generation made
    /// the same way (same parents, or fresh random genomes), and moves to it. The
    /// current generation stays in the history.
    pub fn reroll(&mut self) -> GenerationId {
        let g = self.current();
        let parent = g.parent;
        let origin = g.origin.clone();
        let parents = match &origin {
            Origin::Random => Vec::new(),
            Origin::Opened => vec![g.genomes[0].clone()],
            Origin::Evolved { chosen } => {
                let p = &self.generations[parent.expect("evolved has a parent").0];
                chosen.iter().map(|&i| p.genomes[i].clone()).collect()
            }
        };
        self.make(parent, origin, parents)
    }

    /// A generation of fresh random genomes, as a child of the current one.
    pub fn randomize(&mut self) -> GenerationId {
        self.make(Some(self.current), Origin::Random, Vec::new())
    }

    /// Opens `genome` as the single parent of a new generation (a child of the current
    /// one, so "back" returns to where the user was).
    pub fn start_from(&mut self, genome: Genome) -> Result<GenerationId, BreedError> {
        genome.validate()?;
        Ok(self.make(Some(self.current), Origin::Opened, vec![genome]))
    }

    /// "Add colour" to a grey genome of the current generation: opens its colour copy
    /// (which draws the same picture) as the parent of a new generation.
    pub fn add_colour(&mut self, index: usize) -> Result<GenerationId, BreedError> {
        let genome = self
            .genome(index)
            .ok_or(BreedError::NoSuchGenome {
                generation: self.current,
                index,
            })?
            .clone();
        let coloured =
            add_colour(&genome, &mut self.innovations).ok_or(BreedError::AlreadyColour)?;
        self.start_from(coloured)
    }

    /// The random source of generation `id`: the session seed, stream `id`.
    pub fn rng_for(&self, id: GenerationId) -> ChaCha8Rng {
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        rng.set_stream(id.0 as u64);
        rng
    }

    fn make(
        &mut self,
        parent: Option<GenerationId>,
        origin: Origin,
        parents: Vec<Genome>,
    ) -> GenerationId {
        let id = GenerationId(self.generations.len());
        let mut rng = self.rng_for(id);
        self.innovations.start_generation();
        for p in &parents {
            self.innovations.observe(p);
        }
        let size = self.settings.population.max(1);
        let genomes = if parents.is_empty() {
            (0..size)
                .map(|_| {
                    random_genome(
                        self.settings.start_colour,
                        &self.settings.random,
                        &mut self.innovations,
                        &mut rng,
                    )
                })
                .collect()
        } else {
            let mut genomes = parents.clone();
            // At least one child, even if every genome was chosen.
            for _ in 0..size.saturating_sub(parents.len()).max(1) {
                genomes.push(self.child(&parents, &mut rng));
            }
            genomes
        };
        let depth = parent.map_or(0, |p| self.generations[p.0].depth + 1);
        self.generations.push(Generation {
            id,
            parent,
            depth,
            origin,
            genomes,
            kept: parents.len(),
            selected: Vec::new(),
            children: Vec::new(),
            last_child: None,
            bred_with: Some(self.settings.clone()),
        });
        if let Some(p) = parent {
            self.generations[p.0].children.push(id);
        }
        self.visit(id);
        id
    }

    /// One child: a mutated copy of the parent, or a mutated crossover of two distinct
    /// parents. Drawn again (a few times) if it came out equal to a parent.
    fn child(&mut self, parents: &[Genome], rng: &mut ChaCha8Rng) -> Genome {
        let mut last = None;
        for _ in 0..8 {
            let base = if parents.len() == 1 {
                parents[0].clone()
            } else {
                let a = rng.random_range(0..parents.len());
                let b = (a + rng.random_range(1..parents.len())) % parents.len();
                crossover(&[&parents[a], &parents[b]], &self.settings.crossover, rng)
            };
            let (child, _) = mutate(&base, &self.settings.mutation, &mut self.innovations, rng);
            if !parents.contains(&child) {
                return child;
            }
            last = Some(child);
        }
        last.expect("eight tries")
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
                self.current = p;
                true
            }
            None => false,
        }
    }

    /// Redo: to the child generation visited most recently. False if there is none.
    pub fn forward(&mut self) -> bool {
        match self.current().last_child {
            Some(c) => {
                self.current = c;
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
    fn visit(&mut self, id: GenerationId) {
        self.current = id;
        let mut child = id;
        while let Some(p) = self.generations[child.0].parent {
            self.generations[p.0].last_child = Some(child);
            child = p;
        }
    }
}
