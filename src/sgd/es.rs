//! The `es` method: a gradient-free evolution strategy on the same dense net, the
//! antithetic OpenAI-ES of Salimans et al. 2017 ("Evolution Strategies as a Scalable
//! Alternative to Reinforcement Learning"). Each step draws `population / 2` gaussian
//! directions `e_i` over the trainable weights, evaluates the loss at `w + sigma e_i`
//! and `w - sigma e_i` (forward passes only, through the trainer's own forward and
//! loss), replaces the losses by their centred ranks (fitness shaping), and hands
//! `sum_i (u(+i) - u(-i)) e_i / (population sigma)`, an estimate of the loss's
//! gradient, to the same update rule as the gradient methods (Adam on the unit-norm
//! gradient). The unperturbed net is evaluated too, for the step's reported loss.
//!
//! Unlike the paper's OpenAI-ES it adds no weight decay and no virtual batch
//! normalisation: it changes one thing about the paper's method, how the gradient is
//! found. Its cost is counted in the one budget unit ([`super::trainer::TrainConfig::passes_per_step`]).

use super::backprop::Workspace;
use super::forward::WorkspacePool;
use super::layout::ParamLayout;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;
use rayon::prelude::*;

/// The noise scale when `es` is given without one: about a twentieth of a
/// LeCun-initialised weight on the paper's 22-wide layers (1/sqrt(22) = 0.21). On
/// skull at 64x64 after 6,000 forward passes (seed 0, lr 3e-3) 0.005, 0.01, 0.02 and
/// 0.05 reached 13.30, 13.25, 12.45 and 10.41 dB (docs/sgd.md).
pub const DEFAULT_SIGMA: f32 = 0.01;

/// Perturbed nets a step (mirrored pairs, so even): small, so that at a budget equal
/// to the gradient methods' ES still takes a useful number of steps (3/17 of theirs).
/// OpenAI-ES used hundreds to thousands; no population sweep has been measured here.
pub const DEFAULT_POPULATION: usize = 16;

/// Most perturbed nets a step (each keeps its own direction over every weight).
pub const MAX_POPULATION: usize = 10_000;

/// An evolution strategy's settings.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Es {
    /// Standard deviation of each weight's perturbation.
    pub sigma: f32,
    /// Perturbed nets a step, an even number of at least 2 (mirrored pairs).
    pub population: usize,
}

impl Default for Es {
    fn default() -> Self {
        Es {
            sigma: DEFAULT_SIGMA,
            population: DEFAULT_POPULATION,
        }
    }
}

/// Settings an ES cannot run with.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BadEs {
    #[error("the ES noise scale SIGMA must be a number above 0, not {0}")]
    Sigma(f32),
    #[error(
        "the ES population must be an even number (mirrored pairs) from 2 to {MAX_POPULATION}, not {0}"
    )]
    Population(usize),
}

impl Es {
    pub fn check(self) -> Result<Es, BadEs> {
        if !(self.sigma > 0.0 && self.sigma.is_finite()) {
            return Err(BadEs::Sigma(self.sigma));
        }
        if self.population < 2
            || !self.population.is_multiple_of(2)
            || self.population > MAX_POPULATION
        {
            return Err(BadEs::Population(self.population));
        }
        Ok(self)
    }
}

/// The pixels a step evaluates: inputs (x, y, d, bias planes) and targets (r, g, b
/// planes), each plane `n` long.
pub struct Pixels<'a> {
    pub inputs: &'a [f32],
    pub target: &'a [f32],
    pub n: usize,
}

/// An ES's state between steps: the step's directions, kept for the estimate.
#[derive(Clone, Debug, Default)]
pub struct EsState {
    /// Direction `i` over every parameter at `noise[i * len..][..len]`.
    noise: Vec<f32>,
    /// Loss of perturbed net `j` (`+e_i` at `2i`, `-e_i` at `2i + 1`), the unperturbed
    /// net's last.
    losses: Vec<f64>,
    /// Nets evaluated over the batch so far: the forward passes done.
    pub evaluated: u64,
}

/// One ES estimate at `params`: writes the estimated gradient of the batch's mean
/// squared error into `grad` (zero where `trainable` is false) and returns the
/// unperturbed net's error. The directions come from `rng` alone, so a seed gives the
/// same run on any thread count; the population's nets are evaluated in parallel, each
/// over every block in order.
// One call per step with the trainer's pieces: plain arguments rather than a struct.
#[allow(clippy::too_many_arguments)]
pub fn estimate(
    es: Es,
    layout: &ParamLayout,
    params: &[f32],
    trainable: Option<&[bool]>,
    batch: Pixels<'_>,
    block: usize,
    pool: &mut WorkspacePool,
    rng: &mut ChaCha8Rng,
    state: &mut EsState,
    grad: &mut [f32],
) -> f64 {
    let len = layout.len;
    let pairs = es.population / 2;
    // One seed a direction, drawn in order; the directions are then drawn in parallel.
    let seeds: Vec<u64> = (0..pairs).map(|_| rng.random()).collect();
    state.noise.resize(pairs * len, 0.0);
    state
        .noise
        .par_chunks_mut(len.max(1))
        .zip(&seeds)
        .for_each(|(e, &seed)| {
            let mut r = ChaCha8Rng::seed_from_u64(seed);
            for (k, x) in e.iter_mut().enumerate() {
                *x = if trainable.is_none_or(|t| t[k]) {
                    r.sample(StandardNormal)
                } else {
                    0.0
                };
            }
        });
    pool.prepare(layout, block);
    let (noise, pool) = (&state.noise, &*pool);
    let sigma = es.sigma;
    state.losses.resize(es.population + 1, 0.0);
    state
        .losses
        .par_iter_mut()
        .enumerate()
        .for_each_init(Vec::new, |member, (j, loss)| {
            let at = if j < es.population {
                let (e, sign) = (&noise[(j / 2) * len..][..len], [1.0, -1.0][j % 2]);
                member.clear();
                member.extend(params.iter().zip(e).map(|(w, x)| w + sign * sigma * x));
                &member[..]
            } else {
                params
            };
            *loss = pool.with(|ws| batch_loss(ws, layout, at, &batch, block));
        });
    state.evaluated += state.losses.len() as u64;
    let ranks = centred_ranks(&state.losses[..es.population]);
    // The rank differences of each mirrored pair, scaled: the estimate is their sum
    // over the directions.
    let scale = 1.0 / (es.population as f32 * sigma);
    let weights: Vec<f32> = ranks
        .chunks_exact(2)
        .map(|p| (p[0] - p[1]) * scale)
        .collect();
    grad.par_chunks_mut(256).enumerate().for_each(|(c, g)| {
        let at = c * 256;
        g.fill(0.0);
        for (i, &w) in weights.iter().enumerate() {
            let e = &noise[i * len + at..][..g.len()];
            g.iter_mut().zip(e).for_each(|(x, y)| *x += w * y);
        }
    });
    state.losses[es.population]
}

/// The mean squared error (RGB in [0, 1]) of the net `params` over the batch, block
/// after block in one workspace: one forward pass.
fn batch_loss(
    ws: &mut Workspace,
    layout: &ParamLayout,
    params: &[f32],
    batch: &Pixels<'_>,
    block: usize,
) -> f64 {
    let n = batch.n;
    let mut se = 0.0;
    for start in (0..n).step_by(block) {
        let count = block.min(n - start);
        ws.load_inputs(batch.inputs, n, start, count);
        // The training forward (gemm), not the rendering one: on the paper's 22-wide
        // layers the narrow inference kernels measured slower in this loop
        // (docs/benchmarks.md).
        ws.forward(layout, params, count);
        se += ws.loss(layout.outputs, batch.target, n, start, count, 1.0, false);
    }
    se / (3 * n) as f64
}

/// Fitness shaping: each value's rank among `values` (0 the least) over `len - 1`,
/// minus one half, so the ranks run evenly from -0.5 to 0.5 whatever the losses'
/// scale; equal values share their mean rank (so an unmoving loss gives no direction).
pub fn centred_ranks(values: &[f64]) -> Vec<f32> {
    let n = values.len();
    if n < 2 {
        return vec![0.0; n];
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut ranks = vec![0.0f32; n];
    let mut i = 0;
    while i < n {
        let mut j = i;
        while j + 1 < n && values[order[j + 1]].total_cmp(&values[order[i]]).is_eq() {
            j += 1;
        }
        let mean = (i + j) as f32 / 2.0;
        for &k in &order[i..=j] {
            ranks[k] = mean / (n - 1) as f32 - 0.5;
        }
        i = j + 1;
    }
    ranks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activation::Activation;
    use crate::cppn::genome::tests::tiny;
    use crate::cppn::program::Program;
    use crate::dense::net::NetOutputs;
    use crate::grid::Grid;
    use crate::sgd::init::mlp;
    use crate::sgd::trainer::{Batch, TrainConfig, TrainError, Trainer};

    /// A small net learning the tiny genome's 24x24 picture by `es`.
    fn es_trainer(es: Es, seed: u64, batch: Batch) -> Trainer {
        let program = Program::compile(&tiny()).unwrap();
        let target = program.render(&Grid::square(24));
        let net = mlp(2, 8, Activation::Tanh, false, NetOutputs::Grey, 1);
        let config = TrainConfig {
            es: Some(es),
            lr: 1e-2,
            seed,
            batch,
            ..TrainConfig::default()
        };
        Trainer::new(net, &target, config).unwrap()
    }

    /// Every step's loss and the final weights of `steps` steps on `threads` threads.
    fn run(es: Es, seed: u64, steps: usize, threads: usize) -> (Vec<f64>, Vec<f32>) {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            let mut t = es_trainer(es, seed, Batch::Full);
            let losses = (0..steps).map(|_| t.step().loss).collect();
            let weights = t
                .net()
                .layers
                .iter()
                .flat_map(|l| l.weights.clone())
                .collect();
            (losses, weights)
        })
    }

    #[test]
    fn es_lowers_the_loss_of_a_small_problem() {
        let (losses, _) = run(Es::default(), 0, 300, 2);
        let (first, last) = (losses[0], losses[299]);
        assert!(last < 0.5 * first, "loss {first} -> {last}");
        // The estimate points downhill: the loss falls over the first steps already.
        assert!(losses[30] < first, "{:?}", &losses[..31]);
    }

    #[test]
    fn es_runs_repeat_by_seed_on_any_thread_count() {
        let es = Es {
            population: 6,
            ..Es::default()
        };
        let one = run(es, 3, 20, 1);
        assert_eq!(one, run(es, 3, 20, 2), "same seed, same run bit for bit");
        let other = run(es, 4, 20, 2);
        assert_ne!(one.1, other.1, "another seed, another run");
        assert_eq!(one.0[0], other.0[0], "both start from the same net");
        // A random batch too.
        let batch = |seed| {
            let mut t = es_trainer(es, seed, Batch::Random(100));
            (0..5).map(|_| t.step().loss).collect::<Vec<_>>()
        };
        assert_eq!(batch(1), batch(1));
        assert_ne!(batch(1), batch(2));
    }

    #[test]
    fn forward_passes_are_counted_as_defined() {
        let es = Es {
            population: 6,
            ..Es::default()
        };
        let mut t = es_trainer(es, 0, Batch::Full);
        for _ in 0..4 {
            t.step();
        }
        // Six perturbed nets and the unperturbed one a step, each one forward pass.
        assert_eq!(t.es_state().evaluated, 28);
        assert_eq!(t.forward_passes(), 28);
        assert_eq!(t.config().passes_per_step(), 7);
        // A gradient step: a forward and a backward of two forwards' products, 3 in
        // the unit, whatever the batch.
        let program = Program::compile(&tiny()).unwrap();
        let target = program.render(&Grid::square(24));
        let net = mlp(2, 8, Activation::Tanh, false, NetOutputs::Grey, 1);
        for batch in [Batch::Full, Batch::Random(50)] {
            let config = TrainConfig {
                batch,
                ..TrainConfig::default()
            };
            let mut adam = Trainer::new(net.clone(), &target, config).unwrap();
            let stats = (0..5).map(|_| adam.step()).last().unwrap();
            assert_eq!(stats.forward_passes, 15);
            // Its products: 3 x (2 flops x pixels x weights), as the unit says.
            // Inputs x, y, d and the bias plane; two hidden layers of 8; one output.
            let weights = (4 * 8 + 8 * 8 + 8) as f64;
            let pixels = adam.batch_pixels() as f64;
            assert_eq!(adam.flops_per_step(), 6.0 * pixels * weights);
        }
        // A regularizer: one more forward pass, over the whole grid, for its planes.
        let mirror: crate::sgd::method::Method = "mirror:1".parse().unwrap();
        let mut t = Trainer::new(net, &target, mirror.config(TrainConfig::default())).unwrap();
        assert_eq!((0..2).map(|_| t.step()).last().unwrap().forward_passes, 8);
    }

    #[test]
    fn es_refuses_a_penalty_and_bad_settings() {
        let net = mlp(1, 2, Activation::Sin, false, NetOutputs::Grey, 0);
        let img = crate::image::Image::new(4, 4);
        let mirror: crate::sgd::method::Method = "mirror:1".parse().unwrap();
        let config = TrainConfig {
            es: Some(Es::default()),
            penalty: mirror.penalty(),
            ..TrainConfig::default()
        };
        assert!(matches!(
            Trainer::new(net.clone(), &img, config).err(),
            Some(TrainError::EsWithPenalty(_))
        ));
        let config = TrainConfig {
            es: Some(Es {
                sigma: 0.0,
                ..Es::default()
            }),
            ..TrainConfig::default()
        };
        let e = Trainer::new(net, &img, config).err().unwrap().to_string();
        assert!(e.contains("SIGMA must be a number above 0, not 0"), "{e}");
    }

    #[test]
    fn centred_ranks_run_evenly_and_share_ties() {
        assert_eq!(centred_ranks(&[3.0, -1.0, 10.0]), [0.0, -0.5, 0.5]);
        assert_eq!(
            centred_ranks(&[2.0, 1.0, 2.0, 0.0, 5.0]),
            [0.125, -0.25, 0.125, -0.5, 0.5]
        );
        assert_eq!(centred_ranks(&[7.0, 7.0]), [0.0, 0.0]);
        // Only the order matters, not the scale.
        assert_eq!(
            centred_ranks(&[1e-9, 5.0, 2.0]),
            centred_ranks(&[0.1, 0.3, 0.2])
        );
    }

    #[test]
    fn refuses_settings_it_cannot_run() {
        assert_eq!(Es::default().check(), Ok(Es::default()));
        for sigma in [0.0, -1.0, f32::NAN, f32::INFINITY] {
            let es = Es {
                sigma,
                ..Es::default()
            };
            assert!(matches!(es.check(), Err(BadEs::Sigma(_))), "{sigma}");
        }
        for population in [0, 1, 3, MAX_POPULATION + 2] {
            let es = Es {
                population,
                ..Es::default()
            };
            assert_eq!(es.check(), Err(BadEs::Population(population)));
        }
    }
}
