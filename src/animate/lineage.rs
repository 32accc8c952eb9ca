//! A lineage as a morph: ancestors from the root to the viewed child, each held a
//! moment and morphed into the next ([`super::morph::morph`]), a caption naming the
//! generation.

use super::morph::morph;
use super::{AnimationError, Frames, caption, render_banded};
use crate::cppn::Genome;
use crate::grid::Grid;
use crate::image::Image;
use crate::network::Network;
use crate::steps::PixelProgress;

/// Share of each step from one generation to the next spent holding still (half at
/// each end).
const HOLD: f64 = 0.3;

/// One stop of the lineage: a genome and what to call it.
#[derive(Clone, Debug)]
pub struct Stop {
    pub genome: Genome,
    /// E.g. "generation 3".
    pub name: String,
}

/// The frames of a lineage morph.
#[derive(Clone, Debug)]
pub struct LineageFrames {
    stops: Vec<Stop>,
    picture: (usize, usize),
    count: usize,
}

/// Where frame `k` is: between stop `from` and `from + 1`, `t` of the way.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Place {
    pub from: usize,
    pub t: f64,
}

impl LineageFrames {
    /// `count` frames of `picture` (plus a caption band) through `stops`, oldest first.
    /// Every genome must compile.
    pub fn new(
        stops: Vec<Stop>,
        picture: (usize, usize),
        count: usize,
    ) -> Result<LineageFrames, AnimationError> {
        if stops.is_empty() {
            return Err(AnimationError::EmptyLineage);
        }
        for s in &stops {
            crate::cppn::Program::compile(&s.genome)?;
        }
        Ok(LineageFrames {
            count: count.max(2),
            stops,
            picture,
        })
    }

    /// Where frame `k` is: stops evenly spaced over the frames, each held for
    /// [`HOLD`] of a step around it, the morph between eased (smoothstep).
    pub fn place(&self, k: usize) -> Place {
        let steps = self.stops.len() - 1;
        if steps == 0 {
            return Place { from: 0, t: 0.0 };
        }
        let u = k as f64 / (self.count - 1) as f64 * steps as f64;
        let from = (u.floor() as usize).min(steps - 1);
        let f = u - from as f64;
        let t = ((f - HOLD / 2.0) / (1.0 - HOLD)).clamp(0.0, 1.0);
        Place {
            from,
            t: t * t * (3.0 - 2.0 * t),
        }
    }

    /// The frame that shows stop `i` itself (held), if the frames are many enough to
    /// hold it.
    pub fn frame_of(&self, i: usize) -> Option<usize> {
        (0..self.count).find(|&k| {
            let p = self.place(k);
            (p.from == i && p.t == 0.0) || (p.from + 1 == i && p.t == 1.0)
        })
    }

    /// The genome frame `k` draws (a stop's own genome when held) and its caption.
    pub fn genome(&self, k: usize) -> (Genome, String) {
        let p = self.place(k);
        let stop = |i: usize| {
            let s = &self.stops[i];
            (s.genome.clone(), s.name.clone())
        };
        if p.t == 0.0 {
            stop(p.from)
        } else if p.t == 1.0 {
            stop(p.from + 1)
        } else {
            let (a, b) = (&self.stops[p.from], &self.stops[p.from + 1]);
            (
                morph(&a.genome, &b.genome, p.t),
                format!("{} -> {}", a.name, b.name),
            )
        }
    }
}

impl Frames for LineageFrames {
    fn count(&self) -> usize {
        self.count
    }

    fn size(&self) -> (usize, usize) {
        let band = caption::band_height(caption::scale_for(self.picture.0));
        (self.picture.0, self.picture.1 + band)
    }

    /// The lineage's last genome: where it arrives.
    fn genome(&self) -> Option<&Genome> {
        self.stops.last().map(|s| &s.genome)
    }

    fn frame(&mut self, k: usize, progress: &PixelProgress) -> Option<Image> {
        let (genome, name) = self.genome(k);
        // Stops compiled in `new`; a morph of two valid genomes is valid.
        let net = Network::from_genome(genome).expect("a valid genome");
        let picture = render_banded(&net, &Grid::new(self.picture.0, self.picture.1), progress)?;
        Some(caption::below(&picture, &name))
    }

    /// Each generation held is a picture of its own.
    fn pictures_differ(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::animate::crop;
    use crate::cppn::genome::tests::tiny;
    use crate::cppn::{CrossoverConfig, Innovations, MutationConfig, Operator, add_colour};
    use crate::cppn::{crossover, mutate::apply};
    use rand::SeedableRng;

    #[test]
    fn frames_at_generations_are_their_renders_exactly() {
        // A lineage made here: a grey root, a child with an added node, its colour
        // copy with colour perturbed in, and a crossover of that with its sibling.
        let mut inn = Innovations::new(1);
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        let cfg = MutationConfig::default();
        let root = tiny();
        let mut g1 = root.clone();
        assert!(apply(&mut g1, Operator::AddNode, &cfg, &mut inn, &mut rng));
        let mut g2 = add_colour(&g1, &mut inn).unwrap();
        for l in &mut g2.links {
            l.weight += 0.7;
        }
        let mut sibling = g2.clone();
        assert!(apply(
            &mut sibling,
            Operator::AddLink,
            &cfg,
            &mut inn,
            &mut rng
        ));
        let g3 = crossover(&[&g2, &sibling], &CrossoverConfig::default(), &mut rng);
        let stops: Vec<Stop> = [root, g1, g2, g3]
            .into_iter()
            .enumerate()
            .map(|(i, genome)| Stop {
                genome,
                name: format!("generation {}", i + 1),
            })
            .collect();
        let mut l = LineageFrames::new(stops.clone(), (40, 40), 25).unwrap();
        let p = PixelProgress::default();
        let grid = Grid::square(40);
        for (i, stop) in stops.iter().enumerate() {
            let k = l.frame_of(i).expect("held");
            let f = l.frame(k, &p).unwrap();
            let want = Network::from_genome(stop.genome.clone())
                .unwrap()
                .render(&grid);
            assert_eq!(crop(&f, 0, 0, 40, 40), want, "stop {i} at frame {k}");
        }
        assert_eq!(l.frame_of(0), Some(0));
        let p = l.place(6);
        assert!(p.t > 0.0 && p.t < 1.0, "{p:?}");
    }
}
