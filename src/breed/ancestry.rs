//! A genome's ancestors, root first: the lineage a morph animation plays.

use super::generation::{GenerationId, Origin};
use super::session::Session;
use crate::cppn::Genome;
use std::collections::HashSet;

/// One genome of a session and where it sits.
#[derive(Clone, Debug, PartialEq)]
pub struct Ancestor {
    pub generation: GenerationId,
    /// Its index in the generation (0-based).
    pub index: usize,
    pub genome: Genome,
}

impl Session {
    /// Genome `index` of generation `id` and the genomes it descends from, root first,
    /// one per change: a parent carried over unchanged is the same genome and is not
    /// repeated; a bred child's parent is the chosen genome sharing most link markings
    /// with it (for a crossover child, the parent most of its genes came from). The line
    /// starts at a random genome or an opened one. `None` if there is no such genome.
    pub fn ancestry(&self, id: GenerationId, index: usize) -> Option<Vec<Ancestor>> {
        let mut line = vec![];
        let (mut id, mut index) = (id, index);
        loop {
            let g = self.generation(id)?;
            let genome = g.genomes.at(index)?;
            if line.last().is_none_or(|a: &Ancestor| a.genome != *genome) {
                line.push(Ancestor {
                    generation: id,
                    index,
                    genome: genome.clone().into_owned(),
                });
            }
            match (&g.origin, g.parent) {
                (Origin::Evolved { chosen }, Some(parent)) => {
                    let p = self.generation(parent)?;
                    index = if index < g.kept {
                        *chosen.get(index)?
                    } else {
                        closest(&genome, chosen, &p.genomes.all())?
                    };
                    id = parent;
                }
                (Origin::Opened, _) if index > 0 => index = 0,
                _ => break,
            }
        }
        line.reverse();
        Some(line)
    }
}

/// Among `candidates` (indices into `genomes`), the genome sharing most link markings
/// with `child` (the first on a tie).
fn closest(child: &Genome, candidates: &[usize], genomes: &[Genome]) -> Option<usize> {
    let mine: HashSet<_> = child.links.iter().map(|l| l.id).collect();
    let shared = |i: usize| {
        genomes[i]
            .links
            .iter()
            .filter(|l| mine.contains(&l.id))
            .count()
    };
    let mut best: Option<(usize, usize)> = None;
    for &i in candidates.iter().filter(|&&i| i < genomes.len()) {
        let s = shared(i);
        if best.is_none_or(|(_, b)| s > b) {
            best = Some((i, s));
        }
    }
    best.map(|(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_child_descends_through_its_chosen_parents() {
        // The first children bred (not varied): the indices below are theirs.
        let settings = crate::breed::Settings {
            varied: false,
            ..Default::default()
        };
        let mut s = Session::with_settings(5, settings);
        s.toggle_parent(3);
        let g1 = s.evolve().unwrap();
        s.toggle_parent(0); // the kept parent: the same genome as #0's child 4
        s.toggle_parent(6);
        let g2 = s.evolve().unwrap();
        s.toggle_parent(9);
        s.evolve().unwrap();
        let line = s.ancestry(s.current_id(), 11).unwrap();
        let root = &s.generation(GenerationId(0)).unwrap().genomes.all()[3];
        assert_eq!(line[0].genome, *root);
        assert_eq!(line[0].generation, GenerationId(0));
        assert_eq!(line.last().unwrap().genome, s.genomes()[11]);
        // #2 kept #1's children 1 and 7 first; child 10 of #2 (index 9) was chosen.
        assert!(line.iter().any(|a| a.generation == g2 && a.index == 9));
        assert!(line.iter().all(|a| a.generation != g1 || a.index == 6));
        assert!(line.windows(2).all(|w| w[0].genome != w[1].genome));
        assert!(s.ancestry(s.current_id(), 99).is_none());
    }
}
