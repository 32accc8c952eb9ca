//! MAP-Elites (Mouret & Clune 2015): a map over two or three picture descriptors
//! ([`Axis`]), each cell keeping the best genome that has landed in it by a chosen
//! quality. It illuminates which kinds of pictures the operators can reach, not just
//! the best one.

use super::descriptor::{Axis, Sketch};
use crate::cppn::Genome;
use serde::{Deserialize, Serialize};

/// The map's shape.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MapConfig {
    /// Two or three axes, each in [0, 1].
    pub axes: Vec<Axis>,
    /// Cells along each axis. Default 10.
    pub bins: usize,
}

impl Default for MapConfig {
    fn default() -> Self {
        MapConfig {
            axes: vec![Axis::Symmetry, Axis::Complexity],
            bins: 10,
        }
    }
}

/// A cell's elite.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Elite {
    pub genome: Genome,
    /// Its quality when it arrived (higher is better).
    pub quality: f64,
    /// Its values on the map's axes.
    pub values: Vec<f64>,
    #[serde(skip)]
    pub sketch: Sketch,
}

/// The map: every filled cell by its index (row-major over the axes, first axis
/// fastest).
#[derive(Clone, Debug, PartialEq)]
pub struct Map {
    pub config: MapConfig,
    pub cells: std::collections::BTreeMap<usize, Elite>,
}

impl Map {
    pub fn new(config: MapConfig) -> Map {
        Map {
            config,
            cells: Default::default(),
        }
    }

    /// Cells in all.
    pub fn size(&self) -> usize {
        self.config.bins.pow(self.config.axes.len() as u32)
    }

    /// The cell of these axis values (each clamped to [0, 1]; 1 falls in the last bin).
    pub fn cell_of(&self, values: &[f64]) -> usize {
        let bins = self.config.bins;
        values.iter().rev().fold(0, |acc, &v| {
            let b = ((v.clamp(0.0, 1.0) * bins as f64) as usize).min(bins - 1);
            acc * bins + b
        })
    }

    /// The bin along each axis of a cell.
    pub fn bins_of(&self, cell: usize) -> Vec<usize> {
        let bins = self.config.bins;
        (0..self.config.axes.len())
            .map(|k| cell / bins.pow(k as u32) % bins)
            .collect()
    }

    /// Puts `elite` in its cell if the cell is empty or holds a worse one (a tie keeps
    /// the one there). True if it was put in.
    pub fn offer(&mut self, elite: Elite) -> bool {
        let cell = self.cell_of(&elite.values);
        match self.cells.get(&cell) {
            Some(there) if there.quality >= elite.quality => false,
            _ => {
                self.cells.insert(cell, elite);
                true
            }
        }
    }

    /// The fraction of cells filled.
    pub fn coverage(&self) -> f64 {
        self.cells.len() as f64 / self.size().max(1) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cppn::genome::tests::tiny;

    fn elite(quality: f64, values: &[f64], weight: f64) -> Elite {
        let mut genome = tiny();
        genome.links[0].weight = weight;
        Elite {
            genome,
            quality,
            values: values.to_vec(),
            sketch: vec![],
        }
    }

    #[test]
    fn a_cell_keeps_the_better_of_two_genomes_landing_in_it() {
        let mut map = Map::new(MapConfig::default());
        assert!(map.offer(elite(1.0, &[0.51, 0.12], 1.0)));
        // Same cell (bin 5, bin 1), worse: refused; better: replaces.
        assert!(!map.offer(elite(0.5, &[0.55, 0.19], 2.0)));
        assert_eq!(map.cells.len(), 1);
        assert_eq!(
            map.cells.values().next().unwrap().genome.links[0].weight,
            1.0
        );
        assert!(map.offer(elite(3.0, &[0.59, 0.10], 3.0)));
        assert_eq!(map.cells.len(), 1);
        assert_eq!(map.cells.values().next().unwrap().quality, 3.0);
        // Another cell fills another.
        assert!(map.offer(elite(0.1, &[0.0, 1.0], 4.0)));
        assert_eq!(map.cells.len(), 2);
        assert_eq!(map.coverage(), 2.0 / 100.0);
        let cell = map.cell_of(&[0.59, 0.10]);
        assert_eq!((cell, map.bins_of(cell)), (15, vec![5, 1]));
        assert_eq!(map.bins_of(map.cell_of(&[0.0, 1.0])), vec![0, 9]);
    }
}
