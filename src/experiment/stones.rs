//! Stepping stones: the genomes a session's lineage went through, root first, ending
//! on the chosen child, and how a training budget is shared among them.

use super::ExperimentError;
use crate::breed::{GenerationId, Origin, Session};
use crate::cppn::genome::Genome;
use serde::{Deserialize, Serialize};

/// One stepping stone: a genome and the generation (depth from the root) it lived in.
#[derive(Clone, Debug, PartialEq)]
pub struct Stone {
    pub depth: usize,
    pub genome: Genome,
}

/// Every genome on the path from the root to `child` (0-based) of `generation`: in
/// each ancestor generation the (first) parent chosen for the next one, then the
/// child itself. An opened genome is a root: the line starts there. A chosen parent kept unchanged over several generations is one stone.
pub fn lineage(
    session: &Session,
    generation: GenerationId,
    child: usize,
) -> Result<Vec<Stone>, ExperimentError> {
    let bad = |s: String| ExperimentError::Setup(s);
    let last = session.generation(generation).ok_or_else(|| {
        bad(format!(
            "there is no generation {generation} (ids #0 to #{})",
            session.generations().len().saturating_sub(1)
        ))
    })?;
    let final_genome = last.genomes.at(child).ok_or_else(|| {
        bad(format!(
            "generation {generation} has children 1 to {}, not {}",
            last.genomes.len(),
            child + 1
        ))
    })?;
    // Only recorded ancestry: the line begins at the root, or at the last opened
    // generation on the way (an opened genome's ancestors are not this session's).
    let mut path = vec![last];
    while let Some(p) = path
        .last()
        .filter(|g| g.origin != Origin::Opened)
        .and_then(|g| g.parent)
    {
        path.push(
            session
                .generation(p)
                .ok_or_else(|| bad(format!("generation {p} is missing")))?,
        );
    }
    path.reverse();
    let mut stones: Vec<Stone> = vec![];
    // An opened generation's children are the opened genome's (its first).
    if path[0].origin == Origin::Opened
        && let Some(opened) = path[0].genomes.at(0)
    {
        stones.push(Stone {
            depth: path[0].depth,
            genome: opened.into_owned(),
        });
    }
    for pair in path.windows(2) {
        let (here, next) = (pair[0], pair[1]);
        let Some(&i) = next.chosen().first() else {
            continue;
        };
        let genome = here.genomes.at(i).ok_or_else(|| {
            bad(format!(
                "generation {} names parent {} it does not have",
                next.id,
                i + 1
            ))
        })?;
        push(
            &mut stones,
            Stone {
                depth: here.depth,
                genome: genome.into_owned(),
            },
        );
    }
    push(
        &mut stones,
        Stone {
            depth: last.depth,
            genome: final_genome.into_owned(),
        },
    );
    Ok(stones)
}

/// Adds a stone unless it is the same genome as the one before.
fn push(stones: &mut Vec<Stone>, s: Stone) {
    if stones.last().is_none_or(|l| l.genome != s.genome) {
        stones.push(s);
    }
}

/// Every `every`-th stone counted from the root, and always the last.
pub fn every_kth(stones: &[Stone], every: usize) -> Vec<Stone> {
    let every = every.max(1);
    let n = stones.len();
    stones
        .iter()
        .enumerate()
        .filter(|&(i, _)| i % every == 0 || i + 1 == n)
        .map(|(_, s)| s.clone())
        .collect()
}

/// How the steps are shared among the stones.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Shares {
    /// The same number of steps on each stone.
    Equal,
    /// In proportion to the generations from each stone to the next (the last stone
    /// counts as one generation).
    Generations,
}

impl std::str::FromStr for Shares {
    type Err = String;
    fn from_str(s: &str) -> Result<Shares, String> {
        match s {
            "equal" => Ok(Shares::Equal),
            "generations" => Ok(Shares::Generations),
            _ => Err(format!("'{s}': shares are 'equal' or 'generations'")),
        }
    }
}

/// Steps on each stone, summing to `total` (remainders go to the last stones). With
/// `final_share` F, the final stone (the lineage's child) gets the last F of the steps
/// (rounded) and the earlier stones share the rest by `shares`: a curriculum that still
/// spends most of its budget on the target.
pub fn plan(stones: &[Stone], shares: Shares, total: u64, final_share: Option<f64>) -> Vec<u64> {
    let n = stones.len();
    if n == 0 {
        return vec![];
    }
    if let Some(f) = final_share
        && n > 1
    {
        let last = ((total as f64 * f.clamp(0.0, 1.0)).round() as u64).min(total);
        let mut steps = plan(&stones[..n - 1], shares, total - last, None);
        steps.push(last);
        return steps;
    }
    let weights: Vec<u64> = match shares {
        Shares::Equal => vec![1; n],
        Shares::Generations => (0..n)
            .map(|i| {
                stones
                    .get(i + 1)
                    .map_or(1, |next| (next.depth - stones[i].depth).max(1) as u64)
            })
            .collect(),
    };
    let sum: u64 = weights.iter().sum();
    let mut steps: Vec<u64> = weights.iter().map(|w| total * w / sum).collect();
    let mut left = total - steps.iter().sum::<u64>();
    for s in steps.iter_mut().rev() {
        if left == 0 {
            break;
        }
        *s += 1;
        left -= 1;
    }
    steps
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stones(depths: &[usize]) -> Vec<Stone> {
        let g = crate::cppn::genome::tests::tiny();
        depths
            .iter()
            .map(|&d| {
                let mut genome = g.clone();
                genome.links[0].weight = d as f64;
                Stone { depth: d, genome }
            })
            .collect()
    }

    #[test]
    fn shares_sum_to_the_total() {
        let s = stones(&[0, 1, 4, 5]);
        assert_eq!(plan(&s, Shares::Equal, 10, None), [2, 2, 3, 3]);
        // 1, 3, 1 and 1 generations.
        assert_eq!(
            plan(&s, Shares::Generations, 600, None),
            [100, 300, 100, 100]
        );
        assert_eq!(
            plan(&s, Shares::Generations, 7, None).iter().sum::<u64>(),
            7
        );
        // The last half on the final image, the rest shared as before.
        assert_eq!(
            plan(&s, Shares::Equal, 600, Some(0.5)),
            [100, 100, 100, 300]
        );
        assert_eq!(
            plan(&s, Shares::Generations, 1000, Some(0.6)),
            [80, 240, 80, 600]
        );
        assert_eq!(plan(&s, Shares::Equal, 7, Some(0.3)).iter().sum::<u64>(), 7);
        assert_eq!(plan(&s, Shares::Equal, 600, Some(1.0)), [0, 0, 0, 600]);
        assert_eq!(plan(&s[..1], Shares::Equal, 600, Some(0.5)), [600]);
        let picked: Vec<usize> = every_kth(&s, 2).iter().map(|s| s.depth).collect();
        assert_eq!(picked, [0, 4, 5]);
    }

    #[test]
    fn a_lineage_runs_root_first_to_the_chosen_child() {
        let mut session = Session::new(3);
        for pick in [2, 5, 0, 7] {
            session.toggle_parent(pick);
            session.evolve().unwrap();
        }
        let id = session.current_id();
        let s = lineage(&session, id, 9).unwrap();
        assert_eq!(s.last().unwrap().genome, session.genomes()[9]);
        assert_eq!(
            s.first().unwrap().genome,
            session.generation(GenerationId(0)).unwrap().genomes.all()[2]
        );
        // Picking the kept parent (index 0) in generation #2 repeats the stone of #1.
        let depths: Vec<usize> = s.iter().map(|s| s.depth).collect();
        assert_eq!(depths, [0, 1, 3, 4]);
        assert!(lineage(&session, id, 99).is_err());
        assert!(lineage(&session, GenerationId(42), 0).is_err());
    }

    #[test]
    fn an_opened_genome_begins_the_lineage() {
        // A grey session made colour midway: the colour copy is opened, a root.
        let mut session = Session::new(4);
        session.toggle_parent(3);
        session.evolve().unwrap();
        session.add_colour(2).unwrap();
        let opened = session.genomes()[0].clone();
        session.toggle_parent(5);
        session.evolve().unwrap();
        let s = lineage(&session, session.current_id(), 7).unwrap();
        assert_eq!(s.len(), 3, "the opened genome, child 6 of it, the child");
        assert_eq!(s[0].genome, opened);
        assert_eq!(s[0].depth, 2);
        // A child of the opened generation descends from the opened genome alone, and
        // the opened genome itself has no recorded ancestry.
        let at = GenerationId(2);
        assert_eq!(lineage(&session, at, 4).unwrap().len(), 2);
        assert_eq!(lineage(&session, at, 0).unwrap().len(), 1);
    }
}
