//! Mutation and crossover keep genomes valid and acyclic, on random genomes of many
//! shapes and on the real skull genome from `../shared/picbreeder/` (skipped loudly
//! when that folder is absent).

use picbreeder::breed::random::{RandomGenomeConfig, random_genome};
use picbreeder::cppn::crossover::{CrossoverConfig, crossover};
use picbreeder::cppn::innovation::Innovations;
use picbreeder::cppn::mutate::{
    MutationConfig, Operator, WEIGHT_LIMIT, add_colour, applicable, apply, mutate,
};
use picbreeder::cppn::{ColourMode, Genome, Program};
use picbreeder::grid::Grid;
use picbreeder::io::detect::load_genome;
use proptest::prelude::*;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use std::path::PathBuf;

fn skull() -> Option<Genome> {
    let dir = std::env::var_os("PICBREEDER_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/picbreeder"));
    let p = dir.join("skull.zip");
    if !p.exists() {
        eprintln!(
            "\n*** SKIPPED: {} is missing; skull tests need ../shared/picbreeder ***\n",
            p.display()
        );
        return None;
    }
    Some(load_genome(&p).expect("skull loads"))
}

/// A random genome grown by `steps` random mutations.
fn grown(seed: u64, steps: usize, mode: ColourMode, inn: &mut Innovations) -> Genome {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut g = random_genome(mode, &RandomGenomeConfig::default(), inn, &mut rng);
    for _ in 0..steps {
        inn.start_generation();
        g = mutate(&g, &MutationConfig::default(), inn, &mut rng).0;
    }
    g
}

/// Valid, no new cycle links, weights in range (genomes given as arguments had none out
/// of range to begin with).
fn check(g: &Genome, cycles_before: usize) {
    assert_eq!(g.validate().map(|w| w.len()), Ok(cycles_before));
    assert_eq!(g.cycle_links().len(), cycles_before);
    assert!(g.links.iter().all(|l| l.weight.abs() <= WEIGHT_LIMIT));
    Program::compile(g).expect("compiles");
}

fn hammer(start: &Genome, seed: u64, rounds: usize) {
    let config = MutationConfig::default();
    let cycles = start.cycle_links().len();
    for op in Operator::ALL {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut inn = Innovations::for_seed(seed);
        inn.observe(start);
        let mut g = start.clone();
        for _ in 0..rounds {
            inn.start_generation();
            let could = applicable(&g, op, &config);
            let did = apply(&mut g, op, &config, &mut inn, &mut rng);
            assert_eq!(could, did, "{op:?}");
            check(&g, cycles);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn every_operator_keeps_random_genomes_valid(seed in any::<u64>(), steps in 0usize..40, colour in any::<bool>()) {
        let mode = if colour { ColourMode::Colour } else { ColourMode::Grey };
        let g = grown(seed, steps, mode, &mut Innovations::for_seed(seed));
        check(&g, 0);
        hammer(&g, seed, 40);
    }

    #[test]
    fn crossover_children_hold_only_parent_genes(seed in any::<u64>(), steps in 1usize..30, parents in 2usize..4) {
        let mut inn = Innovations::for_seed(seed);
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5eed);
        let root = grown(seed, steps, ColourMode::Grey, &mut inn);
        // Siblings of one root, each mutated its own way; one of them in colour.
        let mut family: Vec<Genome> = (0..parents)
            .map(|k| {
                let mut g = root.clone();
                for _ in 0..steps {
                    inn.start_generation();
                    g = mutate(&g, &MutationConfig::default(), &mut inn, &mut rng).0;
                }
                if k == 1 { add_colour(&g, &mut inn).unwrap() } else { g }
            })
            .collect();
        // And a stranger from another session.
        family.push(grown(seed.wrapping_add(1), steps, ColourMode::Colour, &mut Innovations::new(77)));
        let refs: Vec<&Genome> = family.iter().collect();
        for _ in 0..10 {
            let child = crossover(&refs, &CrossoverConfig::default(), &mut rng);
            check(&child, 0);
            for l in &child.links {
                prop_assert!(family.iter().any(|p| p.link(l.id).is_some_and(|pl| pl.weight == l.weight)),
                    "link {} is no parent's", l.id);
            }
            for n in &child.nodes {
                prop_assert!(family.iter().any(|p| p.node(n.id).is_some_and(|pn| pn.activation == n.activation)),
                    "node {} is no parent's", n.id);
            }
        }
    }
}

#[test]
fn every_operator_keeps_the_skull_valid() {
    let Some(skull) = skull() else { return };
    check(&skull, skull.cycle_links().len());
    for seed in 0..5 {
        hammer(&skull, seed, 60);
    }
}

#[test]
fn skull_crosses_with_its_children_and_with_strangers() {
    let Some(skull) = skull() else { return };
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let mut inn = Innovations::for_seed(1);
    let kids: Vec<Genome> = (0..4)
        .map(|_| mutate(&skull, &MutationConfig::default(), &mut inn, &mut rng).0)
        .collect();
    let stranger = grown(3, 10, ColourMode::Colour, &mut inn);
    for _ in 0..50 {
        let c = crossover(
            &[&kids[0], &kids[1], &skull, &stranger],
            &CrossoverConfig::default(),
            &mut rng,
        );
        assert!(c.validate().is_ok());
        assert!(c.cycle_links().is_empty());
    }
}

#[test]
fn add_colour_keeps_the_skull_picture() {
    let Some(skull) = skull() else { return };
    let coloured = add_colour(&skull, &mut Innovations::for_seed(2)).unwrap();
    assert_eq!(coloured.colour_mode(), ColourMode::Colour);
    let grid = Grid::square(128);
    let a = Program::compile(&skull).unwrap().render(&grid);
    let b = Program::compile(&coloured).unwrap().render(&grid);
    assert!(a == b, "add colour changed the picture");
}
