//! A generation being bred, taken out of its session so that the children can be made
//! on another thread while the window keeps drawing (two 20,000-node parents take about
//! a second to breed). [`Session::brood`] takes what the next generation needs (its id,
//! parents, settings, a copy of the innovation counter, its random stream);
//! [`Brood::breed`] makes the children, reporting each one and stopping when asked;
//! [`Session::accept`] puts the result in the tree. The session's own `evolve`,
//! `reroll`, ... do the three in a row, so both ways give the same genomes.

use super::generation::{Generation, GenerationId, Origin};
use super::genomes::Genomes;
use super::random::random_genome;
use super::session::{BreedError, Session};
use super::settings::Settings;
use super::variety::{self, CANDIDATES_PER_CHILD};
use crate::budget::{self, OverBudget};
use crate::cppn::crossover::crossover;
use crate::cppn::genome::Genome;
use crate::cppn::genome::{Link, Node};
use crate::cppn::innovation::Innovations;
use crate::cppn::mutate::{add_colour, mutate};
use crate::steps::{BLOCK, Step};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::sync::atomic::{AtomicBool, Ordering};

/// What the next generation is.
#[derive(Clone, Debug)]
pub enum Next {
    /// Children of the current generation's chosen parents.
    Evolve,
    /// New children in place of the current ones, made the same way.
    Reroll,
    /// Fresh random genomes.
    Randomize,
    /// Children of a hand edit of one of the session's genomes, as a child of the
    /// current generation ("back" returns). A genome from elsewhere starts a session of
    /// its own instead ([`Session::root_brood`]).
    Edited(Box<Genome>),
    /// Children of a colour copy of the current generation's grey genome `index`.
    AddColour(usize),
}

/// A generation to breed: everything the children need, owned, so it can be sent to
/// another thread.
#[derive(Clone, Debug)]
pub struct Brood {
    /// The session's seed (a root brood makes its session from it).
    seed: u64,
    id: GenerationId,
    parent: Option<GenerationId>,
    origin: Origin,
    parents: Vec<Genome>,
    settings: Settings,
    innovations: Innovations,
    rng: ChaCha8Rng,
}

/// A bred generation, for [`Session::accept`].
#[derive(Clone, Debug)]
pub struct Bred {
    brood: Brood,
    genomes: Genomes,
}

/// Bytes a genome takes in memory: its nodes and links, with room for their vectors to
/// grow (an estimate that errs high).
pub fn genome_bytes(g: &Genome) -> u64 {
    let nodes = budget::times(g.nodes.len() as u64, std::mem::size_of::<Node>() as u64);
    let links = budget::times(g.links.len() as u64, std::mem::size_of::<Link>() as u64);
    nodes.saturating_add(links).saturating_mul(2)
}

/// Bytes of drawing a genome on one thread: a copy of it compiled (a step a node, an
/// input a link) and one block of its planes ([`BLOCK`] pixels a node).
fn drawing_bytes(g: &Genome) -> u64 {
    let step = std::mem::size_of::<Step>() as u64 + 4 * BLOCK as u64 + 64;
    budget::times(g.nodes.len() as u64, step)
        .saturating_add(budget::times(g.links.len() as u64, 32))
        .saturating_add(genome_bytes(g))
}

/// Bytes of making and showing a generation of `count` genomes as big as `largest`:
/// the genomes, and one being drawn on every thread that may draw at once (rayon's
/// workers, the window's thumbnail and picture workers).
pub fn generation_bytes(largest: &Genome, count: usize) -> u64 {
    let threads = rayon::current_num_threads() as u64 * 2 + 4;
    budget::times(count as u64, genome_bytes(largest))
        .saturating_add(budget::times(threads, drawing_bytes(largest)))
}

impl Brood {
    /// Bytes breeding and showing the generation takes at its peak, estimated from its
    /// largest parent before anything is made: every candidate, the generation packed,
    /// and the genomes being drawn (a random generation's genomes are small: 0).
    pub fn bytes(&self) -> u64 {
        self.bytes_of(self.work())
    }

    fn bytes_of(&self, work: usize) -> u64 {
        let largest = self
            .parents
            .iter()
            .max_by_key(|g| g.nodes.len() + g.links.len());
        // Besides: each candidate's look (32x32 planes, to choose the varied ones) and
        // the threads' fixed costs.
        let looks = budget::times(work as u64, 32 * 32 * 16).saturating_add(1 << 20);
        largest.map_or(0, |g| generation_bytes(g, work + 2).saturating_add(looks))
    }

    /// Refuses a generation that would need more than `budget` bytes ([`Brood::bytes`]),
    /// before anything is made, naming the population that fits (or that none does).
    pub fn within(&self, budget: u64) -> Result<(), OverBudget> {
        let need = self.bytes();
        if need <= budget {
            return Ok(());
        }
        let largest = self
            .parents
            .iter()
            .max_by_key(|g| g.nodes.len() + g.links.len())
            .expect("a parent: random generations always fit");
        let at = |population: usize| self.bytes_of(self.work_at(population));
        let lowest = *crate::limits::POPULATION.start();
        let fits = budget::largest_that_fits(lowest..=self.settings.population, budget, at);
        let change = match fits {
            Some(p) => {
                format!("lower the population to at most {p} (Settings), or use a smaller genome")
            }
            None => "use a smaller genome: this one is too big to breed here".into(),
        };
        budget::check(
            &format!(
                "breeding {} genomes from a genome of {} nodes and {} links",
                self.work(),
                largest.nodes.len(),
                largest.links.len()
            ),
            need,
            budget,
            &change,
        )
    }

    /// How many genomes the generation will hold (parents included).
    pub fn size(&self) -> usize {
        if self.parents.is_empty() {
            self.settings.population.max(1)
        } else {
            self.parents.len() + self.children()
        }
    }

    /// Genomes the breeding makes or carries, as its progress counts them: the parents
    /// and every candidate child (more than are kept when children are varied).
    pub fn work(&self) -> usize {
        self.work_at(self.settings.population)
    }

    /// [`Brood::work`] were the population `population`.
    fn work_at(&self, population: usize) -> usize {
        if self.parents.is_empty() {
            population.max(1)
        } else {
            self.parents.len() + self.candidates_at(population)
        }
    }

    /// Children bred to choose the shown ones from, of a population.
    fn candidates_at(&self, population: usize) -> usize {
        let children = self.children_at(population);
        if self.settings.varied {
            children * CANDIDATES_PER_CHILD
        } else {
            children
        }
    }

    /// Children to make besides the parents: at least one, even if all were chosen.
    fn children(&self) -> usize {
        self.children_at(self.settings.population)
    }

    fn children_at(&self, population: usize) -> usize {
        population.max(1).saturating_sub(self.parents.len()).max(1)
    }

    /// Makes the genomes; `made(k)` after the k-th (of [`Brood::work`]). Stops with
    /// `None` as soon as `cancel` is set. Varied children are the most different of the
    /// candidates ([`variety::choose`]), in the order they were bred.
    pub fn breed(mut self, cancel: &AtomicBool, made: &mut dyn FnMut(usize)) -> Option<Bred> {
        self.innovations.start_generation();
        for p in &self.parents {
            self.innovations.observe(p);
        }
        let mut genomes = self.parents.clone();
        let wanted = self.work();
        while genomes.len() < wanted {
            if cancel.load(Ordering::Relaxed) {
                return None;
            }
            let genome = if self.parents.is_empty() {
                random_genome(
                    self.settings.start_colour,
                    &self.settings.random,
                    &mut self.innovations,
                    &mut self.rng,
                )
            } else {
                self.child()
            };
            genomes.push(genome);
            made(genomes.len());
        }
        let kept = self.parents.len();
        if genomes.len() > self.size() {
            let looks = variety::looks(&genomes, cancel)?;
            let (shown, candidates) = looks.split_at(kept);
            let chosen = variety::choose(shown, candidates, self.children());
            let mut candidates = genomes
                .split_off(kept)
                .into_iter()
                .map(Some)
                .collect::<Vec<_>>();
            genomes.extend(chosen.iter().filter_map(|&i| candidates[i].take()));
        }
        // Packed here, on the breeding thread, with the genomes just made: the session
        // keeps the blob when it moves on and the library's writer only inserts it
        // (a small share of breeding it: docs/benchmarks.md, "The library").
        let genomes = Genomes::whole(genomes);
        genomes.packed(self.parents.len());
        Some(Bred {
            brood: self,
            genomes,
        })
    }

    /// One child: a mutated copy of the parent, or a mutated crossover of two distinct
    /// parents. Drawn again (a few times) if it came out equal to a parent.
    fn child(&mut self) -> Genome {
        let parents = &self.parents;
        let rng = &mut self.rng;
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
}

impl Session {
    /// What the next generation needs, taken out of the session (which is unchanged
    /// until [`Session::accept`]).
    pub fn brood(&self, next: Next) -> Result<Brood, BreedError> {
        let here = Some(self.current);
        let mut innovations = self.innovations.clone();
        let (parent, origin, parents) = match next {
            Next::Evolve => {
                let chosen = self.current().selected.clone();
                if chosen.is_empty() {
                    return Err(BreedError::NoParents);
                }
                let parents = chosen.iter().map(|&i| self.genomes()[i].clone()).collect();
                (here, Origin::Evolved { chosen }, parents)
            }
            Next::Reroll => {
                let g = self.current();
                let parents = match &g.origin {
                    Origin::Random => Vec::new(),
                    Origin::Opened => vec![g.genomes.all()[0].clone()],
                    Origin::Evolved { chosen } => {
                        let p = &self.generations[g.parent.expect("evolved has a parent").0];
                        let genomes = p.genomes.all();
                        chosen.iter().map(|&i| genomes[i].clone()).collect()
                    }
                };
                (g.parent, g.origin.clone(), parents)
            }
            Next::Randomize => (here, Origin::Random, Vec::new()),
            Next::Edited(genome) => {
                genome.validate()?;
                (here, Origin::Opened, vec![*genome])
            }
            Next::AddColour(index) => {
                let genome = self.genome(index).ok_or(BreedError::NoSuchGenome {
                    generation: self.current,
                    index,
                })?;
                let coloured =
                    add_colour(genome, &mut innovations).ok_or(BreedError::AlreadyColour)?;
                coloured.validate()?;
                (here, Origin::Opened, vec![coloured])
            }
        };
        Ok(self.brood_of(parent, origin, parents, innovations))
    }

    /// The brood of a generation with this place in the tree and these parents.
    pub(super) fn brood_of(
        &self,
        parent: Option<GenerationId>,
        origin: Origin,
        parents: Vec<Genome>,
        innovations: Innovations,
    ) -> Brood {
        let id = GenerationId(self.generations.len());
        Brood {
            seed: self.seed,
            id,
            parent,
            origin,
            parents,
            settings: self.settings.clone(),
            innovations,
            rng: self.rng_for(id),
        }
    }

    /// Puts a bred generation in the tree and moves to it. Refused if the session
    /// gained a generation since the brood was taken (it would be out of place).
    pub fn accept(&mut self, bred: Bred) -> Result<GenerationId, BreedError> {
        let Bred { brood, genomes } = bred;
        let id = brood.id;
        if id.0 != self.generations.len() || brood.parent.is_some_and(|p| p.0 >= id.0) {
            return Err(BreedError::Changed);
        }
        let depth = brood.parent.map_or(0, |p| self.generations[p.0].depth + 1);
        self.innovations = brood.innovations;
        self.generations.push(Generation {
            id,
            parent: brood.parent,
            depth,
            origin: brood.origin,
            genomes,
            kept: brood.parents.len(),
            selected: Vec::new(),
            children: Vec::new(),
            last_child: None,
            bred_with: Some(brood.settings),
        });
        if let Some(p) = brood.parent {
            self.generations[p.0].children.push(id);
        }
        self.visit(id);
        Ok(id)
    }

    /// The first generation of a new session whose root is `genome` (opened, a starter,
    /// a kept genome, an edit), to breed like any brood; [`Session::from_root`] makes the
    /// session. Its lineage begins at `genome`: nothing of another session comes along.
    pub fn root_brood(seed: u64, settings: Settings, genome: Genome) -> Result<Brood, BreedError> {
        genome.validate()?;
        let s = Session::empty(seed, settings);
        Ok(s.brood_of(None, Origin::Opened, vec![genome], s.innovations.clone()))
    }

    /// The new session whose first generation is `bred` from [`Session::root_brood`].
    /// Refused for the brood of a generation inside a session.
    pub fn from_root(bred: Bred) -> Result<Session, BreedError> {
        if bred.brood.id.0 != 0 || bred.brood.parent.is_some() {
            return Err(BreedError::Changed);
        }
        let mut s = Session::empty(bred.brood.seed, bred.brood.settings.clone());
        s.accept(bred)?;
        Ok(s)
    }

    /// Takes, breeds and accepts the next generation on this thread.
    pub(super) fn breed_now(&mut self, next: Next) -> Result<GenerationId, BreedError> {
        let brood = self.brood(next)?;
        brood.within(crate::budget::MEMORY_BUDGET)?;
        let bred = brood
            .breed(&AtomicBool::new(false), &mut |_| {})
            .expect("not cancelled");
        self.accept(bred)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_brood_bred_apart_gives_the_generation_evolve_gives() {
        let mut a = Session::new(5);
        a.toggle_parent(1);
        a.toggle_parent(4);
        let mut b = a.clone();
        a.evolve().unwrap();
        let brood = b.brood(Next::Evolve).unwrap();
        let size = brood.size();
        let work = brood.work();
        assert_eq!(work, 2 + 13 * 3, "varied: three candidates a child");
        let mut seen = vec![];
        let bred = std::thread::spawn(move || {
            let bred = brood.breed(&AtomicBool::new(false), &mut |k| seen.push(k));
            (bred, seen)
        });
        let (bred, seen) = bred.join().unwrap();
        assert_eq!(seen, (3..=work).collect::<Vec<_>>(), "each child reported");
        b.accept(bred.unwrap()).unwrap();
        assert_eq!(b.genomes().len(), size, "the chosen children shown");
        assert!(a == b, "same genomes, innovations and tree");
    }

    #[test]
    fn a_cancelled_brood_changes_nothing_and_a_stale_one_is_refused() {
        let mut s = Session::new(6);
        let before = s.clone();
        let cancel = AtomicBool::new(true);
        assert!(
            s.brood(Next::Randomize)
                .unwrap()
                .breed(&cancel, &mut |_| {})
                .is_none()
        );
        assert!(s == before);
        let stale = s
            .brood(Next::Randomize)
            .unwrap()
            .breed(&AtomicBool::new(false), &mut |_| {})
            .unwrap();
        s.randomize();
        let len = s.generations().len();
        assert_eq!(s.accept(stale), Err(BreedError::Changed));
        assert_eq!(s.generations().len(), len);
    }
}
