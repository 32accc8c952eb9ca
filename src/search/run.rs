//! One search run: a population evolved for a number of generations under one
//! objective, every generation's numbers and best genome kept.

use super::SearchError;
use super::descriptor::{Axis, Sketch, sketch};
use super::map_elites::{Elite, Map, MapConfig};
use super::novelty::{Archive, NoveltyConfig, mean_of_nearest, novelty};
use super::species::{Operators, Speciation, SpeciesConfig, reproduce};
use super::target::Target;
use crate::breed::random::{RandomGenomeConfig, random_genome};
use crate::cppn::{
    ColourMode, CrossoverConfig, Genome, Innovations, MutationConfig, Program, crossover, mutate,
};
use crate::grid::Grid;
use crate::image::Image;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicBool, Ordering};

/// What a search is after.
#[derive(Clone, Debug, PartialEq)]
pub enum Objective {
    Target(Target),
    Novelty(NoveltyConfig),
    MapElites { map: MapConfig, quality: Quality },
}

/// What a MAP-Elites cell keeps the best of.
#[derive(Clone, Debug, PartialEq)]
pub enum Quality {
    /// Mean distance of the picture's sketch to its k nearest elites when it arrives.
    Novelty { k: usize },
    /// PSNR against a target.
    Target(Target),
}

/// Everything else that decides a run.
#[derive(Clone, Debug, PartialEq)]
pub struct SearchConfig {
    /// Genomes a generation (MAP-Elites: children a generation). At least 2.
    pub population: usize,
    /// Generations evaluated, the first included. At least 1.
    pub generations: usize,
    /// Pictures are drawn `size` x `size`.
    pub size: usize,
    pub seed: u64,
    /// Fresh random genomes are grey or colour (ignored with a start genome).
    pub colour: ColourMode,
    /// The first generation is this genome and its one-mutation children; `None`:
    /// random genomes.
    pub start: Option<Genome>,
    pub species: SpeciesConfig,
    pub mutation: MutationConfig,
    pub crossover: CrossoverConfig,
    pub random: RandomGenomeConfig,
}

impl SearchConfig {
    /// Defaults around a seed: 150 genomes (NEAT's usual), 100 generations at 64x64.
    pub fn new(seed: u64) -> SearchConfig {
        SearchConfig {
            population: 150,
            generations: 100,
            size: 64,
            seed,
            colour: ColourMode::Grey,
            start: None,
            species: SpeciesConfig::default(),
            mutation: MutationConfig::default(),
            crossover: CrossoverConfig::default(),
            random: RandomGenomeConfig::default(),
        }
    }
}

/// One generation's numbers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GenerationStats {
    /// From 0.
    pub generation: usize,
    /// The best fitness (PSNR dB, novelty or quality) of the generation; MAP-Elites:
    /// the best elite's quality so far.
    pub best: f64,
    /// The mean fitness of the generation (MAP-Elites: of the elites).
    pub mean: f64,
    /// Species this generation (0 for MAP-Elites).
    pub species: usize,
    /// Archive members (novelty) or filled cells (MAP-Elites) after it; 0 otherwise.
    pub archive: usize,
    /// Genomes evaluated so far.
    pub evaluated: u64,
}

/// What a run found.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub stats: Vec<GenerationStats>,
    /// Each generation's best genome.
    pub best_per_generation: Vec<Genome>,
    /// Each generation's genomes worth showing: the best of each species (MAP-Elites:
    /// the best children), best first, at most [`SHOWN`].
    pub shown: Vec<Vec<Genome>>,
    /// The best genome of the run and its fitness.
    pub best: Genome,
    pub best_fitness: f64,
    /// Novelty: the archive with each member's novelty when it entered; MAP-Elites:
    /// the elites with their quality. Empty for target search.
    pub archive: Vec<(Genome, f64)>,
    pub map: Option<Map>,
}

impl Outcome {
    /// Before the first generation: `first` stands as the best so far.
    fn starting(first: &Genome) -> Outcome {
        Outcome {
            stats: vec![],
            best_per_generation: vec![],
            shown: vec![],
            best: first.clone(),
            best_fitness: f64::NEG_INFINITY,
            archive: vec![],
            map: None,
        }
    }
}

/// Genomes of a generation kept to show (a breeding grid's).
pub const SHOWN: usize = 15;

/// The pictures of `genomes` at `size` x `size`, on every core. A genome that does not
/// compile draws black (the operators never make one).
pub fn pictures(genomes: &[Genome], size: usize) -> Vec<Image> {
    let grid = Grid::square(size);
    genomes
        .par_iter()
        .map(|g| match Program::compile(g) {
            Ok(p) => p.render(&grid),
            Err(_) => {
                let mut img = Image::new(size, size);
                img.fill([0, 0, 0, 255]);
                img
            }
        })
        .collect()
}

/// Runs a search. `each` hears every generation's numbers as it ends; setting
/// `cancel` stops the run at the next generation with [`SearchError::Cancelled`].
pub fn run(
    config: &SearchConfig,
    objective: &Objective,
    cancel: &AtomicBool,
    each: &mut dyn FnMut(&GenerationStats),
) -> Result<Outcome, SearchError> {
    check(config, objective)?;
    let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
    let mut innovations = Innovations::for_seed(config.seed);
    let mut population = first_generation(config, &mut innovations, &mut rng)?;
    match objective {
        Objective::MapElites { map, quality } => map_elites(
            config,
            map,
            quality,
            population,
            &mut innovations,
            &mut rng,
            cancel,
            each,
        ),
        _ => {
            let mut species = config.species.clone();
            let mut speciation = Speciation::default();
            let mut archive = match objective {
                Objective::Novelty(n) => Some(Archive::new(n.threshold)),
                _ => None,
            };
            let mut out = Outcome::starting(&population[0]);
            for generation in 0..config.generations {
                if cancel.load(Ordering::Relaxed) {
                    return Err(SearchError::Cancelled);
                }
                let images = pictures(&population, config.size);
                let fitness: Vec<f64> = match (objective, &mut archive) {
                    (Objective::Target(t), _) => images.par_iter().map(|i| t.fitness(i)).collect(),
                    (Objective::Novelty(n), Some(archive)) => {
                        let sketches: Vec<Sketch> = images.par_iter().map(sketch).collect();
                        let scores = novelty(&sketches, archive, n.k);
                        let mut added = 0;
                        for (i, g) in population.iter().enumerate() {
                            added += usize::from(archive.consider(g, &sketches[i], scores[i]));
                        }
                        archive.adjust(added, n);
                        scores.iter().map(|&s| f64::from(s)).collect()
                    }
                    _ => unreachable!("map-elites runs apart"),
                };
                speciation.speciate(&population, &species);
                let best = argmax(&fitness);
                if fitness[best] > out.best_fitness {
                    out.best_fitness = fitness[best];
                    out.best = population[best].clone();
                }
                out.best_per_generation.push(population[best].clone());
                let mut heads: Vec<usize> = speciation
                    .species
                    .iter()
                    .map(|s| {
                        *s.members
                            .iter()
                            .max_by(|&&a, &&b| fitness[a].total_cmp(&fitness[b]).then(b.cmp(&a)))
                            .expect("a species has members")
                    })
                    .collect();
                heads.sort_by(|&a, &b| fitness[b].total_cmp(&fitness[a]).then(a.cmp(&b)));
                heads.truncate(SHOWN);
                out.shown
                    .push(heads.iter().map(|&i| population[i].clone()).collect());
                let stats = GenerationStats {
                    generation,
                    best: fitness[best],
                    mean: fitness.iter().sum::<f64>() / fitness.len() as f64,
                    species: speciation.species.len(),
                    archive: archive.as_ref().map_or(0, Archive::len),
                    evaluated: ((generation + 1) * config.population) as u64,
                };
                each(&stats);
                out.stats.push(stats);
                if generation + 1 == config.generations {
                    break;
                }
                population = reproduce(
                    &population,
                    &fitness,
                    &mut speciation,
                    &species,
                    generation,
                    Operators {
                        mutation: &config.mutation,
                        crossover: &config.crossover,
                        innovations: &mut innovations,
                    },
                    &mut rng,
                );
                speciation.adjust(&mut species);
            }
            if let Some(a) = archive {
                out.archive = a
                    .genomes
                    .into_iter()
                    .zip(a.scores.into_iter().map(f64::from))
                    .collect();
            }
            Ok(out)
        }
    }
}

fn check(config: &SearchConfig, objective: &Objective) -> Result<(), SearchError> {
    let bad = |s: String| Err(SearchError::Setup(s));
    if config.population < 2 {
        return bad(format!(
            "a population of {} is too small: at least 2",
            config.population
        ));
    }
    if config.generations == 0 || config.size == 0 {
        return bad("the generations and the picture size must be at least 1".into());
    }
    let target_size = |t: &Target| {
        if t.image.width != config.size || t.image.height != config.size {
            bad(format!(
                "the target is {}x{}, the run draws {}x{}",
                t.image.width, t.image.height, config.size, config.size
            ))
        } else {
            Ok(())
        }
    };
    match objective {
        Objective::Target(t) => target_size(t)?,
        Objective::Novelty(n) if n.k == 0 => return bad("novelty needs k of at least 1".into()),
        Objective::Novelty(_) => {}
        Objective::MapElites { map, quality } => {
            if !(2..=3).contains(&map.axes.len()) {
                return bad(format!(
                    "a map has two or three axes, not {}",
                    map.axes.len()
                ));
            }
            if map
                .axes
                .iter()
                .enumerate()
                .any(|(i, a)| map.axes[..i].contains(a))
            {
                return bad("an axis of the map appears twice".into());
            }
            if !(2..=100).contains(&map.bins) {
                return bad(format!("{} bins: a map has 2 to 100 a side", map.bins));
            }
            match quality {
                Quality::Target(t) => target_size(t)?,
                Quality::Novelty { k: 0 } => return bad("novelty needs k of at least 1".into()),
                Quality::Novelty { .. } => {}
            }
        }
    }
    if let Some(g) = &config.start {
        g.validate()?;
    }
    Ok(())
}

fn argmax(values: &[f64]) -> usize {
    (0..values.len())
        .max_by(|&a, &b| values[a].total_cmp(&values[b]).then(b.cmp(&a)))
        .expect("not empty")
}

/// The start genome and its one-mutation children, or random genomes.
fn first_generation(
    config: &SearchConfig,
    innovations: &mut Innovations,
    rng: &mut ChaCha8Rng,
) -> Result<Vec<Genome>, SearchError> {
    innovations.start_generation();
    Ok(match &config.start {
        Some(start) => {
            innovations.observe(start);
            let mut out = vec![start.clone()];
            while out.len() < config.population {
                out.push(mutate(start, &config.mutation, innovations, rng).0);
            }
            out
        }
        None => (0..config.population)
            .map(|_| random_genome(config.colour, &config.random, innovations, rng))
            .collect(),
    })
}

/// Batch MAP-Elites: the first generation offered to the map, then each generation
/// `population` children of elites drawn uniformly (crossed with a second elite at
/// the crossover rate), offered in order.
#[allow(clippy::too_many_arguments)]
fn map_elites(
    config: &SearchConfig,
    shape: &MapConfig,
    quality: &Quality,
    mut population: Vec<Genome>,
    innovations: &mut Innovations,
    rng: &mut ChaCha8Rng,
    cancel: &AtomicBool,
    each: &mut dyn FnMut(&GenerationStats),
) -> Result<Outcome, SearchError> {
    let mut map = Map::new(shape.clone());
    let mut out = Outcome::starting(&population[0]);
    for generation in 0..config.generations {
        if cancel.load(Ordering::Relaxed) {
            return Err(SearchError::Cancelled);
        }
        if generation > 0 {
            innovations.start_generation();
            let elites: Vec<&Elite> = map.cells.values().collect();
            population = (0..config.population)
                .map(|_| {
                    let a = elites
                        .choose(rng)
                        .expect("the first generation fills a cell");
                    let base = if rng.random_bool(config.species.crossover_rate.clamp(0.0, 1.0)) {
                        let b = elites.choose(rng).expect("a cell");
                        crossover(&[&a.genome, &b.genome], &config.crossover, rng)
                    } else {
                        a.genome.clone()
                    };
                    mutate(&base, &config.mutation, innovations, rng).0
                })
                .collect();
        }
        let images = pictures(&population, config.size);
        let described: Vec<(Vec<f64>, Sketch)> = images
            .par_iter()
            .map(|img| {
                let values = shape.axes.iter().map(|a: &Axis| a.value(img)).collect();
                (values, sketch(img))
            })
            .collect();
        let qualities: Vec<f64> = match quality {
            Quality::Target(t) => images.par_iter().map(|i| t.fitness(i)).collect(),
            Quality::Novelty { k } => {
                let elites: Vec<&Sketch> = map.cells.values().map(|e| &e.sketch).collect();
                described
                    .par_iter()
                    .map(|(_, l)| {
                        let d = elites
                            .iter()
                            .map(|e| super::descriptor::distance(e, l))
                            .collect();
                        f64::from(mean_of_nearest(d, *k))
                    })
                    .collect()
            }
        };
        for ((g, (values, l)), &q) in population.iter().zip(described).zip(&qualities) {
            map.offer(Elite {
                genome: g.clone(),
                quality: q,
                values,
                sketch: l,
            });
        }
        let best = argmax(&qualities);
        out.best_per_generation.push(population[best].clone());
        let mut order: Vec<usize> = (0..population.len()).collect();
        order.sort_by(|&a, &b| qualities[b].total_cmp(&qualities[a]).then(a.cmp(&b)));
        out.shown.push(
            order
                .iter()
                .take(SHOWN)
                .map(|&i| population[i].clone())
                .collect(),
        );
        let top = map
            .cells
            .values()
            .max_by(|a, b| a.quality.total_cmp(&b.quality))
            .expect("a filled cell");
        out.best = top.genome.clone();
        out.best_fitness = top.quality;
        let stats = GenerationStats {
            generation,
            best: top.quality,
            mean: map.cells.values().map(|e| e.quality).sum::<f64>() / map.cells.len() as f64,
            species: 0,
            archive: map.cells.len(),
            evaluated: ((generation + 1) * config.population) as u64,
        };
        each(&stats);
        out.stats.push(stats);
    }
    out.archive = map
        .cells
        .values()
        .map(|e| (e.genome.clone(), e.quality))
        .collect();
    out.map = Some(map);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cppn::Operator;
    use crate::cppn::mutate::apply;

    fn never() -> AtomicBool {
        AtomicBool::new(false)
    }

    /// A genome grown from a random one by a few structural mutations: something a
    /// single mutation visibly changes.
    fn start() -> Genome {
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        let mut inn = Innovations::for_seed(11);
        let m = MutationConfig::default();
        let mut g = random_genome(
            ColourMode::Grey,
            &RandomGenomeConfig::default(),
            &mut inn,
            &mut rng,
        );
        for _ in 0..3 {
            inn.start_generation();
            apply(&mut g, Operator::AddNode, &m, &mut inn, &mut rng);
        }
        g
    }

    #[test]
    fn target_search_finds_a_target_one_mutation_away() {
        let from = start();
        let size = 32;
        // One activation changed: a different picture (the first seed whose change
        // shows clearly), reachable in one step.
        let m = MutationConfig::default();
        let (target, start_psnr) = (0..50)
            .map(|seed| {
                let mut rng = ChaCha8Rng::seed_from_u64(seed);
                let mut goal = from.clone();
                apply(
                    &mut goal,
                    Operator::ChangeActivation,
                    &m,
                    &mut Innovations::for_seed(99),
                    &mut rng,
                );
                let target = Target::of_genome(&goal, size).unwrap();
                let p = target.fitness(&pictures(std::slice::from_ref(&from), size)[0]);
                (target, p)
            })
            .find(|t| t.1 < 25.0)
            .expect("a change that shows");
        assert!(start_psnr < 25.0);
        let config = SearchConfig {
            population: 30,
            generations: 15,
            size,
            start: Some(from),
            ..SearchConfig::new(1)
        };
        let mut seen = vec![];
        let out = run(&config, &Objective::Target(target), &never(), &mut |s| {
            seen.push(s.best)
        })
        .unwrap();
        assert!(out.best_fitness >= 40.0, "best {} dB", out.best_fitness);
        assert_eq!(seen.len(), 15);
        assert!(
            seen.windows(2).all(|w| w[1] >= w[0]),
            "the best is kept: {seen:?}"
        );
    }

    #[test]
    fn the_same_seed_gives_the_same_run_and_another_seed_another() {
        let config = SearchConfig {
            population: 20,
            generations: 6,
            size: 16,
            ..SearchConfig::new(4)
        };
        let objectives = [
            Objective::Novelty(NoveltyConfig::default()),
            Objective::MapElites {
                map: MapConfig::default(),
                quality: Quality::Novelty { k: 3 },
            },
        ];
        for objective in &objectives {
            let a = run(&config, objective, &never(), &mut |_| {}).unwrap();
            let b = run(&config, objective, &never(), &mut |_| {}).unwrap();
            assert_eq!(a.stats, b.stats);
            assert_eq!(a.best_per_generation, b.best_per_generation);
            assert_eq!(a.archive, b.archive);
            let other = SearchConfig {
                seed: 5,
                ..config.clone()
            };
            let c = run(&other, objective, &never(), &mut |_| {}).unwrap();
            assert_ne!(a.best_per_generation, c.best_per_generation);
        }
    }

    #[test]
    fn novelty_search_keeps_an_archive_of_distinct_pictures() {
        let config = SearchConfig {
            population: 30,
            generations: 10,
            size: 16,
            ..SearchConfig::new(2)
        };
        let out = run(
            &config,
            &Objective::Novelty(NoveltyConfig::default()),
            &never(),
            &mut |_| {},
        )
        .unwrap();
        let a = out.stats.last().unwrap().archive;
        assert!(a > 5 && a == out.archive.len(), "archive {a}");
        assert!(out.stats.windows(2).all(|w| w[1].archive >= w[0].archive));
        let sketches: Vec<Sketch> = pictures(
            &out.archive.iter().map(|a| a.0.clone()).collect::<Vec<_>>(),
            16,
        )
        .iter()
        .map(sketch)
        .collect();
        for (i, l) in sketches.iter().enumerate() {
            assert!(
                sketches[..i].iter().all(|m| m != l),
                "member {i} repeats a sketch"
            );
        }
    }

    #[test]
    fn a_bad_setup_is_refused_and_cancel_stops() {
        let t = Target::of_genome(&start(), 8).unwrap();
        let config = SearchConfig {
            size: 16,
            ..SearchConfig::new(0)
        };
        let e = run(&config, &Objective::Target(t), &never(), &mut |_| {}).unwrap_err();
        assert!(e.to_string().contains("8x8"), "{e}");
        let map = Objective::MapElites {
            map: MapConfig {
                axes: vec![Axis::Symmetry],
                bins: 10,
            },
            quality: Quality::Novelty { k: 3 },
        };
        assert!(run(&config, &map, &never(), &mut |_| {}).is_err());
        let stop = AtomicBool::new(true);
        let e = run(
            &config,
            &Objective::Novelty(NoveltyConfig::default()),
            &stop,
            &mut |_| {},
        )
        .unwrap_err();
        assert_eq!(e, SearchError::Cancelled);
    }
}
