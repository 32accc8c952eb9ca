//! A run as a breeding session, so the library keeps it and the window opens it and
//! breeds from what search found: one generation per search generation (its species'
//! best, best first), then the archive or the map's elites, best first, in generations
//! of at most a grid's largest population.

use super::run::Outcome;
use crate::breed::genomes::Genomes;
use crate::breed::{Generation, GenerationId, Origin, Session, Settings};
use crate::cppn::{Genome, Innovations};
use crate::io::Problem;

/// The session of a run with seed `seed`. Each generation after the first is
/// recorded as bred from the best of the one before (the chain a lineage follows).
pub fn of_outcome(outcome: &Outcome, seed: u64) -> Result<Session, Problem> {
    let most = *crate::limits::POPULATION.end();
    let mut archive: Vec<&(Genome, f64)> = outcome.archive.iter().collect();
    archive.sort_by(|a, b| b.1.total_cmp(&a.1));
    let mut groups: Vec<Vec<Genome>> = outcome.shown.clone();
    for chunk in archive.chunks(most) {
        groups.push(chunk.iter().map(|m| m.0.clone()).collect());
    }
    groups.retain(|g| !g.is_empty());
    let widest = groups.iter().map(Vec::len).max().unwrap_or(0);
    let settings = Settings {
        population: widest.clamp(*crate::limits::POPULATION.start(), most),
        start_colour: outcome.best.colour_mode(),
        ..Settings::default()
    };
    let generations: Vec<Generation> = groups
        .into_iter()
        .enumerate()
        .map(|(i, genomes)| Generation {
            id: GenerationId(i),
            parent: i.checked_sub(1).map(GenerationId),
            depth: i,
            origin: if i == 0 {
                Origin::Random
            } else {
                Origin::Evolved { chosen: vec![0] }
            },
            genomes: Genomes::whole(genomes),
            kept: 0,
            selected: vec![],
            children: vec![],
            last_child: None,
            bred_with: None,
        })
        .collect();
    let current = GenerationId(generations.len().saturating_sub(1));
    Session::from_parts(
        seed,
        settings,
        Innovations::for_seed(seed),
        generations,
        current,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::novelty::NoveltyConfig;
    use crate::search::run::{Objective, SearchConfig, run};

    #[test]
    fn a_novelty_run_is_a_session_ending_in_its_archive() {
        let config = SearchConfig {
            population: 40,
            generations: 5,
            size: 16,
            ..SearchConfig::new(3)
        };
        let never = std::sync::atomic::AtomicBool::new(false);
        let out = run(
            &config,
            &Objective::Novelty(NoveltyConfig::default()),
            &never,
            &mut |_| {},
        )
        .unwrap();
        let s = of_outcome(&out, 3).unwrap();
        let chunks = out.archive.len().div_ceil(60);
        assert_eq!(s.generations().len(), 5 + chunks);
        assert_eq!(
            s.generations()[0].genomes.all()[0],
            out.best_per_generation[0]
        );
        let most = out
            .archive
            .iter()
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .unwrap();
        assert_eq!(
            s.generations()[5].genomes.all()[0],
            most.0,
            "most novel first"
        );
        // It breeds: the window's Evolve on the archive's first member.
        let mut s = s;
        s.toggle_parent(0);
        s.evolve().unwrap();
        // It reads back from its file.
        let back = Session::from_json(s.to_json().as_bytes()).unwrap();
        assert_eq!(back.generations().len(), s.generations().len());
    }
}
