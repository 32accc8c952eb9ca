//! Runs over many seeds as independent jobs, one seed each, whose result is one JSON
//! file in the run's folder (as [`crate::experiment::jobs`] does for studies): any
//! scheduler can run them, `shard` splits the list, a finished file is never redone.

use super::SearchError;
use super::descriptor::Axis;
use super::map_elites::MapConfig;
use super::novelty::NoveltyConfig;
use super::run::{GenerationStats, Objective, Outcome, Quality, SearchConfig, run};
use super::target::Target;
use crate::cppn::{ColourMode, Genome};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

/// Written in every result file.
pub const RESULT_FORMAT: &str = "picbreeder-search";
pub const RESULT_VERSION: u32 = 1;

/// The kind of search. Stored by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    Target,
    Novelty,
    MapElites,
}

impl Mode {
    pub fn name(self) -> &'static str {
        match self {
            Mode::Target => "target",
            Mode::Novelty => "novelty",
            Mode::MapElites => "map-elites",
        }
    }
}

/// Everything that decides a run's results (two files agree only if this does).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchSetup {
    pub mode: Mode,
    pub population: usize,
    pub generations: usize,
    pub size: usize,
    pub colour: ColourMode,
    /// The target's file as given, and a hash of its picture at `size`.
    pub target: Option<String>,
    pub target_hash: Option<String>,
    /// The start genome's file as given, and a hash of its JSON.
    pub start: Option<String>,
    pub start_hash: Option<String>,
    /// Neighbours of novelty (novelty search, and MAP-Elites by novelty).
    pub k: usize,
    /// MAP-Elites: the map's axes and bins; quality by target when a target is given.
    pub axes: Vec<Axis>,
    pub bins: usize,
}

/// The target and start genome a setup names, read once for all its jobs.
#[derive(Clone, Debug)]
pub struct PreparedSearch {
    pub setup: SearchSetup,
    pub target: Option<Target>,
    pub start: Option<Genome>,
}

/// FNV-1a, 64 bits, as hex: enough to tell two targets apart in a setup.
pub fn hash(bytes: &[u8]) -> String {
    let h = bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{h:016x}")
}

impl PreparedSearch {
    /// A setup with its target and start genome (their hashes filled in).
    pub fn new(
        mut setup: SearchSetup,
        target: Option<Target>,
        start: Option<Genome>,
    ) -> PreparedSearch {
        setup.target_hash = target.as_ref().map(|t| hash(&t.image.rgba));
        setup.start_hash = start.as_ref().map(|g| {
            hash(
                serde_json::to_string(g)
                    .expect("genomes serialize")
                    .as_bytes(),
            )
        });
        PreparedSearch {
            setup,
            target,
            start,
        }
    }

    /// The run's configuration for `seed`.
    pub fn config(&self, seed: u64) -> SearchConfig {
        SearchConfig {
            population: self.setup.population,
            generations: self.setup.generations,
            size: self.setup.size,
            colour: self.setup.colour,
            start: self.start.clone(),
            ..SearchConfig::new(seed)
        }
    }

    pub fn objective(&self) -> Result<Objective, SearchError> {
        let need = || SearchError::Setup("target search needs a target".into());
        Ok(match self.setup.mode {
            Mode::Target => Objective::Target(self.target.clone().ok_or_else(need)?),
            Mode::Novelty => Objective::Novelty(NoveltyConfig {
                k: self.setup.k,
                ..NoveltyConfig::default()
            }),
            Mode::MapElites => Objective::MapElites {
                map: MapConfig {
                    axes: self.setup.axes.clone(),
                    bins: self.setup.bins,
                },
                quality: match &self.target {
                    Some(t) => Quality::Target(t.clone()),
                    None => Quality::Novelty { k: self.setup.k },
                },
            },
        })
    }

    /// Runs seed `seed`: its result file's content and the whole outcome.
    pub fn run(
        &self,
        seed: u64,
        cancel: &AtomicBool,
        each: &mut dyn FnMut(&GenerationStats),
    ) -> Result<(SearchResult, Outcome), SearchError> {
        let started = std::time::Instant::now();
        let outcome = run(&self.config(seed), &self.objective()?, cancel, each)?;
        let result = SearchResult {
            format: RESULT_FORMAT.into(),
            version: RESULT_VERSION,
            setup: self.setup.clone(),
            seed,
            stats: outcome.stats.clone(),
            best: outcome.best.clone(),
            best_fitness: outcome.best_fitness,
            best_per_generation: outcome.best_per_generation.clone(),
            archive: outcome
                .archive
                .iter()
                .map(|(g, s)| Member {
                    genome: g.clone(),
                    score: *s,
                })
                .collect(),
            map: outcome.map.as_ref().map(|m| {
                m.cells
                    .iter()
                    .map(|(&cell, e)| MapCell {
                        cell,
                        bins: m.bins_of(cell),
                        values: e.values.clone(),
                        quality: e.quality,
                    })
                    .collect()
            }),
            seconds: started.elapsed().as_secs_f64(),
        };
        Ok((result, outcome))
    }
}

/// An archive member (novelty: its novelty when it entered) or an elite (its quality),
/// in the order of the archive or of the map's cells.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Member {
    pub genome: Genome,
    pub score: f64,
}

/// A filled cell of a MAP-Elites map: its index, its bin on each axis, its elite's
/// values and quality (the elite's genome is the archive member of the same rank).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MapCell {
    pub cell: usize,
    pub bins: Vec<usize>,
    pub values: Vec<f64>,
    pub quality: f64,
}

/// One seed's result file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchResult {
    pub format: String,
    pub version: u32,
    pub setup: SearchSetup,
    pub seed: u64,
    pub stats: Vec<GenerationStats>,
    pub best: Genome,
    pub best_fitness: f64,
    pub best_per_generation: Vec<Genome>,
    pub archive: Vec<Member>,
    pub map: Option<Vec<MapCell>>,
    /// Wall-clock seconds the job took.
    pub seconds: f64,
}

/// The result file of `seed`, e.g. `novelty-seed3.json`.
pub fn file_name(setup: &SearchSetup, seed: u64) -> String {
    format!("{}-seed{seed}.json", setup.mode.name())
}

/// Shard `index` of `count` (0-based): every `count`-th seed from the `index`-th on.
pub fn shard(seeds: &[u64], index: usize, count: usize) -> Vec<u64> {
    seeds
        .iter()
        .enumerate()
        .filter(|&(i, _)| count > 0 && i % count == index)
        .map(|(_, &s)| s)
        .collect()
}

/// Largest result file read (a long run's genomes: megabytes).
pub const MAX_RESULT_BYTES: u64 = 1 << 30;

pub fn read_result(path: &Path) -> Result<SearchResult, SearchError> {
    let file = |why: String| SearchError::File {
        path: path.display().to_string(),
        why,
    };
    let bytes =
        crate::io::read_regular(path, MAX_RESULT_BYTES).map_err(|e| file(e.problem.to_string()))?;
    let r: SearchResult = serde_json::from_slice(&bytes).map_err(|e| file(e.to_string()))?;
    if r.format != RESULT_FORMAT || r.version != RESULT_VERSION {
        return Err(file(format!(
            "not a {RESULT_FORMAT} version {RESULT_VERSION} result"
        )));
    }
    Ok(r)
}

/// What to do with a seed whose file may already be there.
#[derive(Clone, Debug, PartialEq)]
pub enum SearchTodo {
    Run(u64, PathBuf),
    /// Finished earlier with the same setup (resume skips it).
    Done(u64, PathBuf),
}

/// Checks `dir` for each seed's file: with `resume`, a finished file of the same setup
/// is skipped; otherwise an existing file is an error (never overwritten by surprise).
/// A file of another setup is always an error.
pub fn todo(
    dir: &Path,
    setup: &SearchSetup,
    seeds: &[u64],
    resume: bool,
) -> Result<Vec<SearchTodo>, SearchError> {
    seeds
        .iter()
        .map(|&seed| {
            let path = dir.join(file_name(setup, seed));
            if !path.exists() {
                return Ok(SearchTodo::Run(seed, path));
            }
            let file = |why: &str| SearchError::File {
                path: path.display().to_string(),
                why: why.into(),
            };
            if !resume {
                return Err(file(
                    "exists already: use --resume to keep finished seeds, or another folder",
                ));
            }
            let r = read_result(&path)?;
            if r.setup != *setup || r.seed != seed {
                return Err(file("holds a result of another setup: use another folder"));
            }
            Ok(SearchTodo::Done(seed, path))
        })
        .collect()
}

/// Writes a result atomically as JSON.
pub fn write_result(path: &Path, r: &SearchResult) -> Result<(), SearchError> {
    let text = serde_json::to_string(r).expect("results serialize");
    crate::io::write_atomic(path, text.as_bytes()).map_err(|e| SearchError::File {
        path: path.display().to_string(),
        why: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup() -> SearchSetup {
        SearchSetup {
            mode: Mode::Novelty,
            population: 12,
            generations: 4,
            size: 16,
            colour: ColourMode::Grey,
            target: None,
            target_hash: None,
            start: None,
            start_hash: None,
            k: 5,
            axes: vec![],
            bins: 10,
        }
    }

    fn temp(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("pb-search-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    /// Runs `seeds` of `p` into `dir` (skipping finished ones), as the CLI does.
    fn run_into(p: &PreparedSearch, dir: &Path, seeds: &[u64], resume: bool) -> usize {
        let mut ran = 0;
        for t in todo(dir, &p.setup, seeds, resume).unwrap() {
            if let SearchTodo::Run(seed, path) = t {
                let (r, _) = p.run(seed, &AtomicBool::new(false), &mut |_| {}).unwrap();
                write_result(&path, &r).unwrap();
                ran += 1;
            }
        }
        ran
    }

    fn results(dir: &Path, p: &PreparedSearch, seeds: &[u64]) -> Vec<SearchResult> {
        seeds
            .iter()
            .map(|&s| {
                let mut r = read_result(&dir.join(file_name(&p.setup, s))).unwrap();
                r.seconds = 0.0;
                r
            })
            .collect()
    }

    #[test]
    fn shards_together_equal_the_whole_and_resume_skips_what_is_done() {
        let seeds = [0, 1, 2, 3, 4];
        for n in [1, 2, 3, 7] {
            let mut union: Vec<u64> = (0..n).flat_map(|i| shard(&seeds, i, n)).collect();
            union.sort();
            assert_eq!(union, seeds, "{n} shards");
        }
        let p = PreparedSearch::new(setup(), None, None);
        let (whole, parts) = (temp("whole"), temp("parts"));
        assert_eq!(run_into(&p, &whole, &seeds, false), 5);
        for i in 0..2 {
            run_into(&p, &parts, &shard(&seeds, i, 2), false);
        }
        let a = results(&whole, &p, &seeds);
        assert_eq!(a, results(&parts, &p, &seeds));
        assert_ne!(a[0].best_per_generation, a[1].best_per_generation);
        // Again without --resume: refused; with it: nothing to do.
        assert!(todo(&whole, &p.setup, &seeds, false).is_err());
        assert_eq!(run_into(&p, &whole, &seeds, true), 0);
        // Another setup in the same folder is refused even with --resume.
        let other = PreparedSearch::new(SearchSetup { k: 6, ..setup() }, None, None);
        let e = todo(&whole, &other.setup, &seeds, true).unwrap_err();
        assert!(e.to_string().contains("another setup"), "{e}");
        for d in [whole, parts] {
            let _ = std::fs::remove_dir_all(d);
        }
    }
}
