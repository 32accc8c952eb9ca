//! A study as independent jobs: one (condition, seed) each, whose result is one JSON
//! file in the study's folder. Any scheduler can run them: `shard` splits the list,
//! a finished file is never redone, and [`super::report`] merges whatever is there.

use super::adapt::{self, Adapted, Child};
use super::curriculum::{self, Stage};
use super::stones::{Shares, Stone, every_kth, plan};
use super::{ExperimentError, representation};
use crate::breed::{GenerationId, Session};
use crate::cppn::genome::Genome;
use crate::cppn::program::Program;
use crate::grid::Grid;
use crate::image::{Image, psnr};
use crate::measure::Form;
use crate::network::Network;
use crate::sgd::arch::Arch;
use crate::sgd::collapse::Collapse;
use crate::sgd::curve::CurvePoint;
use crate::sgd::method::{Method, Start};
use crate::sgd::trainer::TrainConfig;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

/// Written in every result file.
pub const RESULT_FORMAT: &str = "picbreeder-experiment";
pub const RESULT_VERSION: u32 = 1;

/// A condition of a study.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Condition {
    /// Trained through the lineage's stepping stones.
    Stones,
    /// Trained on the final image only, the same steps, net and initial weights.
    Direct,
    /// The evolved genome itself (adaptability: the mutation is the move; a methods
    /// study: the genome the methods are compared with).
    Evolved,
    /// A methods study's run: trained on the final image only by the job's method.
    Method,
}

impl Condition {
    pub fn name(self) -> &'static str {
        match self {
            Condition::Stones => "stones",
            Condition::Direct => "direct",
            Condition::Evolved => "evolved",
            Condition::Method => "method",
        }
    }
}

/// Everything that decides a study's results (two files agree only if this does).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Setup {
    /// Where the lineage ends: generation id and 0-based child.
    pub generation: usize,
    pub child: usize,
    /// `paper` or `mlp:DEPTHxWIDTH:ACT[:bias]`.
    pub arch: String,
    /// The training method (`sgd::method`); files written before it had one are the
    /// paper's, `adam`. Empty in a methods study: each job names its own.
    #[serde(default = "paper_method")]
    pub method: String,
    /// A methods study: the fingerprint ([`fingerprint`]) of the genome trained on, so
    /// that runs of two genomes never meet in one report. `None` in lineage studies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub genome: Option<String>,
    /// Training images are `size` x `size`.
    pub size: usize,
    /// Training steps of each condition.
    pub steps: u64,
    pub lr: f32,
    pub straight_through: bool,
    /// Every k-th ancestor is a stepping stone (1: all).
    pub every: usize,
    pub shares: Shares,
    /// The last fraction of the steps spent on the final image (`None`: shared like
    /// any stone's). Files written before it had one read as `None`.
    #[serde(default)]
    pub final_share: Option<f64>,
    /// Keep every k-th step of the curves.
    pub curve_every: u64,
    /// Adaptability: this many one-mutation children (0: a stepping-stones study).
    pub children: usize,
    pub children_seed: u64,
    /// Fine-tuning steps per child.
    pub budget: u64,
    /// The PSNR a fine-tuned net must reach (dB).
    pub target_db: f64,
}

fn paper_method() -> String {
    Method::Adam.to_string()
}

/// One job of a study.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct StudyJob {
    pub condition: Condition,
    pub seed: u64,
    /// A methods study's run: its method as `NAME` or `NAME:PARAM` (canonical, as
    /// [`Method`] prints it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
}

impl StudyJob {
    /// A job of a lineage study (no method of its own).
    pub fn of(condition: Condition, seed: u64) -> StudyJob {
        StudyJob {
            condition,
            seed,
            method: None,
        }
    }

    /// What the job is called in reports: its method, or its condition.
    pub fn label(&self) -> &str {
        self.method.as_deref().unwrap_or(self.condition.name())
    }

    /// The job's result file name, e.g. `stones-seed3.json`, `mirror_0.1-seed3.json`
    /// (a method's `:` written `_`, which no method name holds).
    pub fn file_name(&self) -> String {
        format!("{}-seed{}.json", self.label().replace(':', "_"), self.seed)
    }
}

/// A genome's fingerprint: FNV-1a (64 bits) of its native JSON, in hex. Stable across
/// builds and machines (std's hasher is not), so two files of one study agree.
pub fn fingerprint(genome: &Genome) -> String {
    let text = crate::io::json::genome_to_json(genome);
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// Every job of a methods study, seed by seed (each method once per seed, so a study
/// stopped early has every method on its first seeds), then the evolved genome once.
/// Methods are written canonically; a method given twice is one.
pub fn method_jobs(methods: &[Method], seeds: &[u64]) -> Vec<StudyJob> {
    let mut names: Vec<String> = vec![];
    for m in methods {
        let n = m.to_string();
        if !names.contains(&n) {
            names.push(n);
        }
    }
    let mut out: Vec<StudyJob> = seeds
        .iter()
        .flat_map(|&seed| {
            names.iter().map(move |n| StudyJob {
                condition: Condition::Method,
                seed,
                method: Some(n.clone()),
            })
        })
        .collect();
    out.push(StudyJob::of(Condition::Evolved, 0));
    out
}

/// Every job of a study, in a fixed order: stones then direct for each seed, and (for
/// adaptability) the evolved genome once, as seed 0.
pub fn jobs(setup: &Setup, seeds: &[u64]) -> Vec<StudyJob> {
    let mut out: Vec<StudyJob> = seeds
        .iter()
        .flat_map(|&seed| {
            [Condition::Stones, Condition::Direct].map(|condition| StudyJob::of(condition, seed))
        })
        .collect();
    if setup.children > 0 {
        out.push(StudyJob::of(Condition::Evolved, 0));
    }
    out
}

/// Shard `index` of `count` (0-based): every `count`-th job from `index` on.
pub fn shard(jobs: &[StudyJob], index: usize, count: usize) -> Vec<StudyJob> {
    jobs.iter()
        .enumerate()
        .filter(|&(i, _)| count > 0 && i % count == index)
        .map(|(_, j)| j.clone())
        .collect()
}

/// One job's result file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JobResult {
    pub format: String,
    pub version: u32,
    pub setup: Setup,
    pub job: StudyJob,
    /// Depths (generations from the root) of the stepping stones and steps on each.
    pub stones: Vec<usize>,
    pub stone_steps: Vec<u64>,
    /// The trained net's numbers (absent for the evolved genome).
    pub trained: Option<TrainedSummary>,
    /// One entry per child, for adaptability studies.
    pub adapt: Vec<Adapted>,
    /// The [`super::representation`] of what the condition ends with: the trained net
    /// (none when it collapsed) or the evolved genome. Empty in files of older runs.
    #[serde(default)]
    pub measures: Vec<(String, f64)>,
    /// A methods study's evolved genome as the paper's layerized net: the very shape
    /// (neurons, cache copies) the `paper` architecture trains, so its numbers compare
    /// with the trained nets' one for one. Empty elsewhere.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub measures_layerized: Vec<(String, f64)>,
    /// Wall-clock seconds the job took.
    pub seconds: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrainedSummary {
    pub steps: u64,
    /// Forward passes over the batch the training spent, the budget unit every method
    /// is counted in (`TrainConfig::passes_per_step`); 0 in files of older runs.
    #[serde(default)]
    pub forward_passes: u64,
    pub final_loss: f64,
    #[serde(with = "super::adapt::db")]
    pub final_psnr: f64,
    pub parameters: usize,
    /// Set when the run could not learn: reports count such runs apart.
    pub collapse: Option<Collapse>,
    pub curve: Vec<CurvePoint>,
}

/// Why a study of a genome with no ancestors is refused (its stones would be the
/// direct run).
pub const NO_ANCESTRY: &str = "no recorded ancestry: breed from it to make stepping stones";

/// A study made ready: the lineage's images rendered, the children made.
pub struct Prepared {
    pub setup: Setup,
    pub arch: Arch,
    pub method: Method,
    pub stones: Vec<Stone>,
    pub stone_steps: Vec<u64>,
    pub images: Vec<Image>,
    pub final_genome: Genome,
    pub program: Program,
    pub children: Vec<Child>,
    pub child_images: Vec<Image>,
}

/// Reads the lineage from `session` and renders what the jobs train on.
/// Refuses a setup whose pictures (each stepping stone's and each child's target, kept
/// for the whole study; one render's planes) and children would need more than
/// `budget` bytes, before any is made (`-s 16384` asked 5-6 GB, `--children 100000000`
/// 7 GB).
fn prepared_within(
    stones: &[Stone],
    setup: &Setup,
    budget: u64,
) -> Result<(), crate::budget::OverBudget> {
    use crate::budget::{rgba, times};
    let genome = stones
        .last()
        .map_or(0, |s| s.genome.nodes.len() + s.genome.links.len());
    let picture = rgba(setup.size, setup.size);
    let pictures = (stones.len() as u64).saturating_add(setup.children as u64);
    let need = times(picture, pictures)
        .saturating_add(times(picture, 4))
        .saturating_add(times(setup.children as u64, times(genome as u64 + 1, 256)));
    let what = format!(
        "an experiment on {} stepping stones and {} children at {}x{}",
        stones.len(),
        setup.children,
        setup.size,
        setup.size
    );
    crate::budget::check(
        &what,
        need,
        budget,
        "use a smaller -s, fewer --children or a larger --every",
    )
}

pub fn prepare(session: &Session, setup: &Setup) -> Result<Prepared, ExperimentError> {
    let bad = |s: String| ExperimentError::Setup(s);
    let arch: Arch = setup
        .arch
        .parse()
        .map_err(|e: crate::sgd::arch::BadArch| bad(e.to_string()))?;
    let method: Method = setup
        .method
        .parse()
        .map_err(|e: crate::sgd::method::BadMethod| bad(e.to_string()))?;
    if setup.size == 0 || setup.steps == 0 {
        return Err(bad("the image size and the steps must be at least 1".into()));
    }
    if let Some(f) = setup.final_share
        && !(f > 0.0 && f <= 1.0)
    {
        return Err(bad(format!("the final share {f} is not in (0, 1]")));
    }
    let all = super::stones::lineage(session, GenerationId(setup.generation), setup.child)?;
    if all.len() < 2 {
        return Err(bad(NO_ANCESTRY.into()));
    }
    let stones = every_kth(&all, setup.every);
    let stone_steps = plan(&stones, setup.shares, setup.steps, setup.final_share);
    prepared_within(&stones, setup, crate::budget::MEMORY_BUDGET)
        .map_err(|e| bad(e.to_string()))?;
    let grid = Grid::square(setup.size);
    let compile = |g: &Genome| Program::compile(g).map_err(|e| bad(e.to_string()));
    let images = stones
        .iter()
        .map(|s| compile(&s.genome).map(|p| p.render(&grid)))
        .collect::<Result<Vec<_>, _>>()?;
    let final_genome = stones
        .last()
        .expect("a lineage ends on its child")
        .genome
        .clone();
    let program = compile(&final_genome)?;
    let children = adapt::children(
        &final_genome,
        setup.children,
        setup.children_seed,
        &session.settings().mutation,
        session.innovations(),
    );
    let child_images = children
        .iter()
        .map(|c| compile(&c.genome).map(|p| p.render(&grid)))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Prepared {
        setup: setup.clone(),
        arch,
        method,
        stones,
        stone_steps,
        images,
        final_genome,
        program,
        children,
        child_images,
    })
}

/// A methods study made ready: `genome` (the final image's) as a lineage of one stone,
/// rendered once; each job trains on it by its own method. `setup.method` is empty and
/// `setup.genome` is the genome's [`fingerprint`].
pub fn prepare_genome(genome: Genome, setup: &Setup) -> Result<Prepared, ExperimentError> {
    let bad = |s: String| ExperimentError::Setup(s);
    let arch: Arch = setup
        .arch
        .parse()
        .map_err(|e: crate::sgd::arch::BadArch| bad(e.to_string()))?;
    if setup.size == 0 || setup.steps == 0 {
        return Err(bad("the image size and the steps must be at least 1".into()));
    }
    let program = Program::compile(&genome).map_err(|e| bad(e.to_string()))?;
    let pixels = setup.size * setup.size;
    arch.check(&program, pixels, pixels, crate::budget::MEMORY_BUDGET)
        .map_err(|e| bad(e.to_string()))?;
    let image = program.render(&Grid::square(setup.size));
    Ok(Prepared {
        setup: setup.clone(),
        arch,
        method: Method::default(),
        stones: vec![Stone {
            depth: 0,
            genome: genome.clone(),
        }],
        stone_steps: vec![setup.steps],
        images: vec![image],
        final_genome: genome,
        program,
        children: vec![],
        child_images: vec![],
    })
}

impl Prepared {
    /// Seed `seed`'s fresh net, made ready for the study's method.
    pub fn start(&self, seed: u64) -> Result<Start, ExperimentError> {
        self.start_with(self.method, seed)
    }

    /// Seed `seed`'s fresh net, made ready for `method`.
    pub fn start_with(&self, method: Method, seed: u64) -> Result<Start, ExperimentError> {
        method
            .build(&self.arch, &self.program, seed)
            .map_err(ExperimentError::Setup)
    }

    pub fn config(&self, seed: u64) -> TrainConfig {
        self.config_with(self.method, seed)
    }

    /// The training of seed `seed` by `method`, with the study's rate and colour rule.
    pub fn config_with(&self, method: Method, seed: u64) -> TrainConfig {
        method.config(TrainConfig {
            lr: self.setup.lr,
            seed,
            straight_through: self.setup.straight_through,
            ..TrainConfig::default()
        })
    }

    /// Steps a job takes in all (for progress bars).
    pub fn job_steps(&self, job: &StudyJob) -> u64 {
        match job.condition {
            Condition::Evolved => 0,
            _ => self.setup.steps + self.setup.budget * self.children.len() as u64,
        }
    }

    /// Runs one job. `on_step` hears the job's steps done so far.
    pub fn run(
        &self,
        job: &StudyJob,
        cancel: &AtomicBool,
        on_step: &mut dyn FnMut(u64),
    ) -> Result<JobResult, ExperimentError> {
        self.run_keeping(job, cancel, on_step, &mut |_, _, _| {})
    }

    /// [`Prepared::run`], handing `moved` each move to a child: the child's number and
    /// the network before and after it (the trained net and its fine-tuned copy, or
    /// the final genome and the child), for galleries.
    pub fn run_keeping(
        &self,
        job: &StudyJob,
        cancel: &AtomicBool,
        on_step: &mut dyn FnMut(u64),
        moved: &mut dyn FnMut(usize, &Network, &Network),
    ) -> Result<JobResult, ExperimentError> {
        let started = std::time::Instant::now();
        let mut result = JobResult {
            format: RESULT_FORMAT.into(),
            version: RESULT_VERSION,
            setup: self.setup.clone(),
            job: job.clone(),
            stones: self.stones.iter().map(|s| s.depth).collect(),
            stone_steps: self.stone_steps.clone(),
            trained: None,
            adapt: vec![],
            measures: vec![],
            measures_layerized: vec![],
            seconds: 0.0,
        };
        if job.condition == Condition::Evolved {
            let parent = self.images.last().expect("a final image");
            let before = Network::from_genome(self.final_genome.clone()).ok();
            for (i, (c, img)) in self.children.iter().zip(&self.child_images).enumerate() {
                if let (Some(b), Ok(a)) = (&before, Network::from_genome(c.genome.clone())) {
                    moved(i, b, &a);
                }
                let (changed, total) = adapt::genome_changed(&self.final_genome, &c.genome);
                result.adapt.push(Adapted {
                    child: i,
                    operator: c.operator,
                    psnr_start: psnr(parent, img).unwrap_or(f64::NAN),
                    steps_to_target: None,
                    psnr_after: f64::INFINITY,
                    changed,
                    total,
                    collapse: None,
                    measures_after: genome_measures(&c.genome),
                });
            }
            result.measures = genome_measures(&self.final_genome);
            if self.setup.genome.is_some()
                && let Ok(l) =
                    crate::layerize::layerize_within(&self.program, crate::budget::MEMORY_BUDGET)
            {
                result.measures_layerized = representation(&Network::Net(l.net), Form::Layerized);
            }
            result.seconds = started.elapsed().as_secs_f64();
            return Ok(result);
        }
        // A methods study's job trains by its own method, the others by the study's.
        let method = match &job.method {
            Some(m) => m
                .parse::<Method>()
                .map_err(|e| ExperimentError::Setup(e.to_string()))?,
            None => self.method,
        };
        // The same initial weights for both conditions of a seed.
        let start = self.start_with(method, job.seed)?;
        let trainable = start.trainable.clone();
        let stages: Vec<Stage> = match job.condition {
            Condition::Stones => self
                .images
                .iter()
                .zip(&self.stone_steps)
                .map(|(img, &steps)| Stage {
                    target: img.clone(),
                    steps,
                })
                .collect(),
            _ => vec![Stage {
                target: self.images.last().expect("a final image").clone(),
                steps: self.setup.steps,
            }],
        };
        let config = self.config_with(method, job.seed);
        let trained = curriculum::train(
            start,
            &stages,
            config,
            self.setup.curve_every,
            cancel,
            on_step,
        )?;
        let done = self.setup.steps;
        if trained.collapse.is_none() {
            let before = Network::Net(trained.net.clone());
            for (i, (c, img)) in self.children.iter().zip(&self.child_images).enumerate() {
                let offset = done + i as u64 * self.setup.budget;
                let (adapted, after) = adapt::fine_tune(
                    &trained.net,
                    trainable.as_deref(),
                    i,
                    c.operator,
                    img,
                    config,
                    self.setup.budget,
                    self.setup.target_db,
                    cancel,
                    &mut |s| on_step(offset + s),
                )?;
                moved(i, &before, &Network::Net(after));
                result.adapt.push(adapted);
            }
        }
        result.trained = Some(TrainedSummary {
            steps: trained.steps,
            forward_passes: trained.forward_passes,
            final_loss: trained.final_loss,
            final_psnr: trained.final_psnr,
            parameters: trained.net.parameter_count(),
            collapse: trained.collapse,
            curve: trained.curve,
        });
        if result
            .trained
            .as_ref()
            .is_some_and(|t| t.collapse.is_none())
        {
            result.measures = representation(&Network::Net(trained.net), Form::Dense);
        }
        result.seconds = started.elapsed().as_secs_f64();
        Ok(result)
    }
}

/// The representation of an evolved genome (its graph, as the scorecard's genome form);
/// empty if it does not compile.
fn genome_measures(genome: &Genome) -> Vec<(String, f64)> {
    Network::from_genome(genome.clone())
        .map(|n| representation(&n, Form::Genome))
        .unwrap_or_default()
}

/// Reads a result file, checking its format.
/// Largest result file read (one job's numbers and curve: kilobytes; a curve of a
/// million points stays under this).
pub const MAX_RESULT_BYTES: u64 = 256 << 20;

pub fn read_result(path: &Path) -> Result<JobResult, ExperimentError> {
    let file = |why: String| ExperimentError::File {
        path: path.display().to_string(),
        why,
    };
    let bytes =
        crate::io::read_regular(path, MAX_RESULT_BYTES).map_err(|e| file(e.problem.to_string()))?;
    let r: JobResult = serde_json::from_slice(&bytes).map_err(|e| file(e.to_string()))?;
    if r.format != RESULT_FORMAT || r.version != RESULT_VERSION {
        return Err(file(format!(
            "not a {RESULT_FORMAT} version {RESULT_VERSION} result"
        )));
    }
    Ok(r)
}

/// What to do with a job whose file may already be there.
#[derive(Clone, Debug, PartialEq)]
pub enum Todo {
    Run(StudyJob, PathBuf),
    /// Finished earlier with the same setup (resume skips it).
    Done(StudyJob, PathBuf),
}

/// Checks `dir` for each job's file: with `resume`, a finished file of the same setup
/// is skipped; otherwise an existing file is an error (never overwritten by surprise).
/// A file of another setup is always an error.
pub fn todo(
    dir: &Path,
    setup: &Setup,
    jobs: &[StudyJob],
    resume: bool,
) -> Result<Vec<Todo>, ExperimentError> {
    jobs.iter()
        .map(|job| {
            let job = job.clone();
            let path = dir.join(job.file_name());
            if !path.exists() {
                return Ok(Todo::Run(job, path));
            }
            let file = |why: String| ExperimentError::File {
                path: path.display().to_string(),
                why,
            };
            if !resume {
                return Err(file(
                    "exists already: use --resume to keep finished jobs, or another folder".into(),
                ));
            }
            let r = read_result(&path)?;
            if r.setup != *setup || r.job != job {
                return Err(file(
                    "holds a result of another setup: use another folder".into(),
                ));
            }
            Ok(Todo::Done(job, path))
        })
        .collect()
}

/// Writes a result atomically as pretty JSON.
pub fn write_result(path: &Path, r: &JobResult) -> Result<(), ExperimentError> {
    let text = serde_json::to_string_pretty(r).expect("results serialize");
    crate::io::write_atomic(path, text.as_bytes()).map_err(|e| ExperimentError::File {
        path: path.display().to_string(),
        why: e.to_string(),
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn setup(children: usize) -> Setup {
        Setup {
            generation: 4,
            child: 9,
            arch: "mlp:2x8:tanh".into(),
            method: "adam".into(),
            genome: None,
            size: 24,
            steps: 40,
            lr: crate::sgd::trainer::PAPER_LR,
            straight_through: false,
            every: 1,
            shares: Shares::Equal,
            final_share: None,
            curve_every: 10,
            children,
            children_seed: 0,
            budget: 20,
            target_db: 30.0,
        }
    }

    #[test]
    fn a_genome_with_no_recorded_ancestry_is_refused() {
        let g = crate::breed::Session::new(2).genomes()[4].clone();
        let opened = Session::starting_from(5, Default::default(), g).unwrap();
        for (child, children) in [(0, 0), (0, 2)] {
            let s = Setup {
                generation: 0,
                child,
                children,
                ..setup(children)
            };
            match prepare(&opened, &s) {
                Err(ExperimentError::Setup(e)) => assert_eq!(e, NO_ANCESTRY),
                other => panic!("not refused: {:?}", other.err()),
            }
        }
        // Its child descends from it: two stones, a study.
        let s = Setup {
            generation: 0,
            child: 3,
            ..setup(0)
        };
        assert_eq!(prepare(&opened, &s).unwrap().stones.len(), 2);
    }

    #[test]
    fn shards_together_are_the_whole_study() {
        let s = setup(3);
        let all = jobs(&s, &[0, 1, 2, 3, 4]);
        assert_eq!(all.len(), 11);
        for n in [1, 2, 3, 4, 7, 20] {
            let mut union: Vec<StudyJob> = (0..n).flat_map(|i| shard(&all, i, n)).collect();
            assert_eq!(union.len(), all.len(), "{n} shards overlap or miss");
            union.sort();
            let mut sorted = all.clone();
            sorted.sort();
            assert_eq!(union, sorted);
        }
    }

    fn methods_setup(genome: &Genome) -> Setup {
        Setup {
            generation: 0,
            child: 0,
            arch: "paper".into(),
            method: String::new(),
            genome: Some(fingerprint(genome)),
            size: 12,
            steps: 15,
            curve_every: 5,
            ..setup(0)
        }
    }

    #[test]
    fn a_methods_study_runs_each_method_and_its_files_round_trip() {
        let genome = crate::cppn::genome::tests::tiny();
        let setup = methods_setup(&genome);
        let methods: Vec<Method> = ["mirror", "adam", "mirror:0.1", "graph"]
            .iter()
            .map(|m| m.parse().unwrap())
            .collect();
        let all = method_jobs(&methods, &[0, 1]);
        let names: Vec<String> = all.iter().map(StudyJob::file_name).collect();
        // mirror and mirror:0.1 are one method; seed by seed; the genome last.
        assert_eq!(
            names,
            [
                "mirror_0.1-seed0.json",
                "adam-seed0.json",
                "graph-seed0.json",
                "mirror_0.1-seed1.json",
                "adam-seed1.json",
                "graph-seed1.json",
                "evolved-seed0.json"
            ]
        );
        let prepared = prepare_genome(genome.clone(), &setup).unwrap();
        let dir = std::env::temp_dir().join(format!("pb-methods-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let never = AtomicBool::new(false);
        for job in [&all[0], &all[2], &all[6]] {
            let r = prepared.run(job, &never, &mut |_| {}).unwrap();
            assert_eq!(&r.job, job);
            match job.condition {
                Condition::Evolved => {
                    assert!(r.trained.is_none());
                    assert!(!r.measures_layerized.is_empty(), "the layerized genome too");
                }
                _ => {
                    let t = r.trained.as_ref().unwrap();
                    assert_eq!(t.steps, 15);
                    assert!(t.final_psnr > 0.0);
                }
            }
            assert!(!r.measures.is_empty());
            let path = dir.join(job.file_name());
            write_result(&path, &r).unwrap();
            assert_eq!(read_result(&path).unwrap(), r, "{}", job.file_name());
        }
        // The graph method trains the genome's own graph: fewer trainable weights
        // than the dense start (seen as another start from the same seed).
        let graph = prepared.start_with(methods[3], 0).unwrap();
        assert!(graph.trainable.is_some());
        // Resume keeps the finished files; a file of another setup is refused.
        let todo = todo(&dir, &setup, &all, true).unwrap();
        let done = todo.iter().filter(|t| matches!(t, Todo::Done(..))).count();
        assert_eq!((done, todo.len()), (3, 7));
        let other = Setup {
            steps: 16,
            ..setup.clone()
        };
        let e = super::todo(&dir, &other, &all, true)
            .unwrap_err()
            .to_string();
        assert!(e.contains("another setup"), "{e}");
        // Another genome is another fingerprint.
        let mut moved = genome.clone();
        moved.links[0].weight += 0.5;
        assert_ne!(fingerprint(&moved), fingerprint(&genome));
        assert_eq!(fingerprint(&genome.clone()), fingerprint(&genome));
    }
}
