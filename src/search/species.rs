//! NEAT's speciation (Stanley & Miikkulainen 2002): genomes are grouped by how much of
//! their structure they share (their genes aligned by marking), fitness is shared
//! within a species, and each species gets offspring in proportion to its shared
//! fitness. New structure first lowers a picture's fitness; a species of its own
//! protects it long enough to be tuned.

use crate::cppn::{
    CrossoverConfig, Genome, Innovations, Marking, MutationConfig, crossover, mutate,
};
use rand::Rng;
use rand::seq::IndexedRandom;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// NEAT's settings, with neat-python's defaults where Picbreeder has none.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SpeciesConfig {
    /// Genomes closer than this ([`compatibility`]) share a species. Default 3.0; moved
    /// by [`SpeciesConfig::adjust`] toward [`SpeciesConfig::target_species`].
    pub threshold: f64,
    /// Weight of disjoint and excess genes (and differing activations). Default 1.0.
    pub disjoint: f64,
    /// Weight of the mean weight difference of matching links. Default 0.5.
    pub weight: f64,
    /// Species wanted; 0 keeps the threshold fixed. Default 8.
    pub target_species: usize,
    /// How much the threshold moves a generation. Default 0.2.
    pub adjust: f64,
    /// The best fraction of a species that may parent. Default 0.3.
    pub survival: f64,
    /// A species of at least this many keeps its best unchanged. Default 3.
    pub elite_size: usize,
    /// Generations a species may go without improving before it is dropped (unless it
    /// holds the best genome). Default 15.
    pub stagnation: usize,
    /// Chance a child is a crossover of two parents of its species (then mutated).
    /// Default 0.3.
    pub crossover_rate: f64,
}

impl Default for SpeciesConfig {
    fn default() -> Self {
        SpeciesConfig {
            threshold: 3.0,
            disjoint: 1.0,
            weight: 0.5,
            target_species: 8,
            adjust: 0.2,
            survival: 0.3,
            elite_size: 3,
            stagnation: 15,
            crossover_rate: 0.3,
        }
    }
}

/// NEAT's compatibility distance: disjoint and excess genes (links and hidden nodes
/// by marking, and matching nodes whose activation differs) over the larger genome's
/// gene count (1 below 20 genes, as NEAT), plus the mean weight difference of matching
/// links.
pub fn compatibility(a: &Genome, b: &Genome, config: &SpeciesConfig) -> f64 {
    let links_b: HashMap<Marking, f64> = b.links.iter().map(|l| (l.id, l.weight)).collect();
    let (mut matching, mut diff) = (0usize, 0.0f64);
    for l in &a.links {
        if let Some(w) = links_b.get(&l.id) {
            matching += 1;
            diff += (l.weight - w).abs();
        }
    }
    let disjoint_links = a.links.len() + b.links.len() - 2 * matching;
    let nodes_b: HashMap<Marking, _> = b.nodes.iter().map(|n| (n.id, n.activation)).collect();
    let (mut shared, mut changed) = (0usize, 0usize);
    for n in &a.nodes {
        if let Some(act) = nodes_b.get(&n.id) {
            shared += 1;
            changed += usize::from(*act != n.activation);
        }
    }
    let disjoint_nodes = a.nodes.len() + b.nodes.len() - 2 * shared;
    let genes = (a.links.len() + a.nodes.len()).max(b.links.len() + b.nodes.len());
    let n = if genes < 20 { 1.0 } else { genes as f64 };
    let weights = if matching > 0 {
        diff / matching as f64
    } else {
        0.0
    };
    config.disjoint * (disjoint_links + disjoint_nodes + changed) as f64 / n
        + config.weight * weights
}

/// A species: its members this generation (indices into the population), the genome
/// new members are compared with, and how it has done.
#[derive(Clone, Debug)]
pub struct Species {
    pub id: usize,
    pub representative: Genome,
    pub members: Vec<usize>,
    pub best: f64,
    /// The generation its best last improved.
    pub improved: usize,
}

/// The species of a run, carried from generation to generation.
#[derive(Clone, Debug, Default)]
pub struct Speciation {
    pub species: Vec<Species>,
    next_id: usize,
}

impl Speciation {
    /// Puts each genome of `population` into the first species whose representative is
    /// within the threshold, or a new one; drops empty species; each species' new
    /// representative is its member nearest the old one (neat-python's rule).
    pub fn speciate(&mut self, population: &[Genome], config: &SpeciesConfig) {
        for s in &mut self.species {
            s.members.clear();
        }
        for (i, g) in population.iter().enumerate() {
            let home = self
                .species
                .iter()
                .position(|s| compatibility(g, &s.representative, config) < config.threshold);
            match home {
                Some(k) => self.species[k].members.push(i),
                None => {
                    self.species.push(Species {
                        id: self.next_id,
                        representative: g.clone(),
                        members: vec![i],
                        best: f64::NEG_INFINITY,
                        improved: 0,
                    });
                    self.next_id += 1;
                }
            }
        }
        self.species.retain(|s| !s.members.is_empty());
        for s in &mut self.species {
            let nearest = s
                .members
                .iter()
                .copied()
                .min_by(|&a, &b| {
                    let da = compatibility(&population[a], &s.representative, config);
                    let db = compatibility(&population[b], &s.representative, config);
                    da.total_cmp(&db)
                })
                .expect("a species has members");
            s.representative = population[nearest].clone();
        }
    }

    /// Moves the threshold toward the wanted number of species.
    pub fn adjust(&self, config: &mut SpeciesConfig) {
        if config.target_species == 0 {
            return;
        }
        let n = self.species.len();
        if n < config.target_species {
            config.threshold = (config.threshold - config.adjust).max(0.3);
        } else if n > config.target_species {
            config.threshold += config.adjust;
        }
    }
}

/// What breeding needs besides the population: the operators' settings and the run's
/// innovation counter.
pub struct Operators<'a> {
    pub mutation: &'a MutationConfig,
    pub crossover: &'a CrossoverConfig,
    pub innovations: &'a mut Innovations,
}

/// The next generation of `population` (scored by `fitness`, higher better, finite):
/// the best genome carried over, each species' best if it is large enough, and the
/// rest children of its best members, shared out by the species' mean fitness (NEAT's
/// explicit fitness sharing), stagnant species dropped. `generation` counts from 0.
pub fn reproduce(
    population: &[Genome],
    fitness: &[f64],
    speciation: &mut Speciation,
    config: &SpeciesConfig,
    generation: usize,
    ops: Operators,
    rng: &mut impl Rng,
) -> Vec<Genome> {
    let size = population.len();
    let best = (0..size)
        .max_by(|&a, &b| fitness[a].total_cmp(&fitness[b]).then(b.cmp(&a)))
        .expect("a population");
    // Stagnation: a species that has not improved for a while goes, unless it holds
    // the best genome.
    for s in &mut speciation.species {
        let top = s
            .members
            .iter()
            .map(|&i| fitness[i])
            .fold(f64::NEG_INFINITY, f64::max);
        if top > s.best {
            s.best = top;
            s.improved = generation;
        }
    }
    speciation
        .species
        .retain(|s| generation - s.improved <= config.stagnation || s.members.contains(&best));
    // Shared fitness: a species' mean, shifted so the worst genome scores zero.
    let low = fitness.iter().copied().fold(f64::INFINITY, f64::min);
    let shares: Vec<f64> = speciation
        .species
        .iter()
        .map(|s| {
            s.members.iter().map(|&i| fitness[i] - low).sum::<f64>() / s.members.len() as f64 + 1e-9
        })
        .collect();
    let total: f64 = shares.iter().sum();
    let mut next: Vec<Genome> = vec![population[best].clone()];
    let room = size - 1;
    // Offspring by share, the remainders handed out largest first.
    let exact: Vec<f64> = shares.iter().map(|s| s / total * room as f64).collect();
    let mut counts: Vec<usize> = exact.iter().map(|e| e.floor() as usize).collect();
    let mut order: Vec<usize> = (0..counts.len()).collect();
    order.sort_by(|&a, &b| {
        (exact[b] - exact[b].floor())
            .total_cmp(&(exact[a] - exact[a].floor()))
            .then(a.cmp(&b))
    });
    let mut left = room - counts.iter().sum::<usize>();
    for &k in order.iter().cycle().take(left.min(order.len() * 2)) {
        if left == 0 {
            break;
        }
        counts[k] += 1;
        left -= 1;
    }
    ops.innovations.start_generation();
    for (s, &count) in speciation.species.iter().zip(&counts) {
        let mut ranked = s.members.clone();
        ranked.sort_by(|&a, &b| fitness[b].total_cmp(&fitness[a]).then(a.cmp(&b)));
        let mut count = count;
        if count > 0 && ranked.len() >= config.elite_size && ranked[0] != best {
            next.push(population[ranked[0]].clone());
            count -= 1;
        }
        let parents = &ranked
            [..((ranked.len() as f64 * config.survival).ceil() as usize).clamp(1, ranked.len())];
        for _ in 0..count {
            let &a = parents.choose(rng).expect("a parent");
            let base = if parents.len() > 1 && rng.random_bool(config.crossover_rate) {
                let &b = parents.choose(rng).expect("a parent");
                crossover(&[&population[a], &population[b]], ops.crossover, rng)
            } else {
                population[a].clone()
            };
            let (child, _) = mutate(&base, ops.mutation, ops.innovations, rng);
            next.push(child);
        }
    }
    // Every species dropped (cannot happen: the best's stays) or rounding short: fill
    // with children of the best.
    while next.len() < size {
        let (child, _) = mutate(&population[best], ops.mutation, ops.innovations, rng);
        next.push(child);
    }
    next.truncate(size);
    next
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cppn::genome::tests::tiny;

    #[test]
    fn compatibility_counts_what_differs() {
        let c = SpeciesConfig::default();
        let a = tiny();
        assert_eq!(compatibility(&a, &a, &c), 0.0);
        let mut b = a.clone();
        b.links[0].weight += 1.0;
        let w = compatibility(&a, &b, &c);
        assert!((w - c.weight / a.links.len() as f64).abs() < 1e-12, "{w}");
        let mut inn = Innovations::for_seed(1);
        let mut rng = <rand_chacha::ChaCha8Rng as rand::SeedableRng>::seed_from_u64(1);
        crate::cppn::mutate::add_node(&mut b, &MutationConfig::default(), &mut inn, &mut rng);
        // One link split: the link gone, two links and a node new.
        assert!(compatibility(&a, &b, &c) >= 4.0 * c.disjoint);
    }

    #[test]
    fn genomes_far_apart_are_two_species_and_each_breeds() {
        let c = SpeciesConfig {
            target_species: 0,
            ..Default::default()
        };
        let a = tiny();
        let mut inn = Innovations::for_seed(1);
        let mut rng = <rand_chacha::ChaCha8Rng as rand::SeedableRng>::seed_from_u64(1);
        let m = MutationConfig::default();
        let mut b = a.clone();
        for _ in 0..4 {
            crate::cppn::mutate::add_node(&mut b, &m, &mut inn, &mut rng);
        }
        let pop = vec![a.clone(), a.clone(), b.clone(), b.clone()];
        let mut sp = Speciation::default();
        sp.speciate(&pop, &c);
        assert_eq!(sp.species.len(), 2);
        assert_eq!(sp.species[0].members, vec![0, 1]);
        let next = reproduce(
            &pop,
            &[1.0, 0.5, 0.2, 0.1],
            &mut sp,
            &c,
            0,
            Operators {
                mutation: &m,
                crossover: &CrossoverConfig::default(),
                innovations: &mut inn,
            },
            &mut rng,
        );
        assert_eq!(next.len(), 4);
        assert_eq!(next[0], a, "the best is carried over unchanged");
    }
}
