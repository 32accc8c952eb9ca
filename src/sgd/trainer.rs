//! A training session: a network, a target image, Adam, and one method that takes a
//! step. Synchronous and single-owner; [`super::run::TrainingRun`] puts it on a thread.
//!
//! Each step evaluates the batch in blocks of [`TrainConfig::block`] pixels in
//! parallel (rayon); every block writes its own gradient slot, and the slots are summed
//! in block order, so a seed gives the same run whatever the thread count.

use super::adam::unit_norm;
use super::backprop::{HiddenGrad, copy_block};
use super::collapse::{Collapse, CollapseWatch};
use super::es::{BadEs, Es, EsState, Pixels};
use super::forward::{WorkspacePool, forward_planes, forward_planes_into};
use super::layout::ParamLayout;
use super::loss::{grey_pixel, hsv_pixel};
use super::optimizer::{Optimizer, Stepper};
use super::penalty::Penalty;
use crate::dense::net::{DenseNet, NetOutputs};
use crate::grid::{Grid, Planes};
use crate::image::{Image, psnr};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

/// Which pixels each step trains on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Batch {
    /// Every pixel of the target, every step (the paper's choice).
    Full,
    /// This many pixels drawn uniformly at random (with replacement) each step.
    Random(usize),
}

// The paper's training set-up, said once: [`TrainConfig::default`], the CLI's
// defaults, the SGD panel's and the window's studies read these.

/// Adam's learning rate.
pub const PAPER_LR: f32 = 3e-3;
/// [`PAPER_LR`] as a command line default (clap's help shows it as written).
pub const PAPER_LR_ARG: &str = "3e-3";
/// Steps of a whole run (the paper's skull run: 10,000 full-batch steps).
pub const PAPER_STEPS: u64 = 10_000;
/// Side of the training image (the paper's renders are 256x256).
pub const PAPER_SIZE: usize = 256;
/// [`PAPER_SIZE`] as a command line default.
pub const PAPER_SIZE_ARG: &str = "256";

/// How to train. `Default` is the paper's set-up: Adam, [`PAPER_LR`], unit-norm
/// gradient, full batch.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TrainConfig {
    /// The update rule (see [`super::method::Method::optimizer`]).
    pub optimizer: Optimizer,
    pub lr: f32,
    /// Scale the gradient to unit L2 norm before Adam (the paper does).
    pub unit_norm: bool,
    pub batch: Batch,
    /// Seeds the minibatch sampling (the network's weights are seeded when built).
    pub seed: u64,
    /// Pixels per block (tuning only; results do not depend on it beyond rounding).
    pub block: usize,
    /// Let gradient through the colour rule's saturated clamps (not the paper's; see
    /// [`super::loss::hsv_pixel_rule`]).
    pub straight_through: bool,
    /// A penalty on the hidden planes added to the loss (see
    /// [`super::method::Method::penalty`]); full batch only.
    pub penalty: Option<Penalty>,
    /// Estimate the gradient by an evolution strategy instead of back-propagation
    /// (the `es` method, [`super::es`]); the update rule is still `optimizer`.
    pub es: Option<Es>,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            optimizer: Optimizer::Adam,
            lr: PAPER_LR,
            unit_norm: true,
            batch: Batch::Full,
            seed: 0,
            block: super::forward::BLOCK,
            straight_through: false,
            penalty: None,
            es: None,
        }
    }
}

impl TrainConfig {
    /// What a step costs in the one budget unit every method is counted in: forward
    /// passes over the step's batch (all its pixels once through the net). A gradient
    /// step is a forward and a backward, and a backward is two products of the
    /// forward's size (the gradient of the weights and of the layer below): 3. A
    /// regularizer's step makes one more forward pass over the whole grid for the
    /// hidden planes its penalty reads: 4. An ES step of population P evaluates P
    /// perturbed nets and the unperturbed one (for the loss it reports): P + 1.
    pub fn passes_per_step(&self) -> u64 {
        match (self.es, self.penalty) {
            (Some(es), _) => es.population as u64 + 1,
            (None, Some(_)) => 4,
            (None, None) => 3,
        }
    }
}

/// Why a trainer could not be set up.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TrainError {
    #[error("the network is malformed: {0}")]
    Net(crate::dense::net::NetError),
    #[error("the target image is empty")]
    EmptyTarget,
    #[error("a random batch needs at least one pixel")]
    EmptyBatch,
    #[error("the block size must be at least one pixel")]
    EmptyBlock,
    #[error("the learning rate must be a positive number, not {0}")]
    LearningRate(f32),
    /// The penalties compare pixels across the whole image (mirror partners,
    /// neighbours), which a random batch does not hold; computing them on the full
    /// grid every step would cost a full-batch step and so remove the reason for a
    /// random batch.
    #[error(
        "the {0} penalty is computed over the whole image: it trains on every pixel each step, not on a random batch"
    )]
    PenaltyNeedsFullBatch(Penalty),
    #[error("a penalty's weight must be a number of at least 0, not {0}")]
    PenaltyWeight(f32),
    #[error("{0}")]
    Es(BadEs),
    /// A penalty is a term of the gradient back-propagated to the hidden planes; an
    /// ES ranks the error alone.
    #[error("an evolution strategy trains on the error alone: it takes no {0} penalty")]
    EsWithPenalty(Penalty),
}

/// What one step did.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StepStats {
    /// Steps done, counting this one.
    pub step: u64,
    /// Mean squared error over the batch (RGB in [0, 1]) before the update, without
    /// the penalty (so PSNR compares across methods).
    pub loss: f64,
    /// The weighted penalty on the hidden planes before the update (0 without one).
    pub penalty: f64,
    /// L2 norm of the raw gradient (the ES's estimate, for `es`).
    pub grad_norm: f64,
    /// Forward passes over the batch so far, counting this step's (see
    /// [`TrainConfig::passes_per_step`]).
    pub forward_passes: u64,
    /// Set once the run has collapsed (see [`super::collapse`]).
    pub collapse: Option<Collapse>,
}

/// `10 log10(1 / mse)`: PSNR in dB of an error on [0, 1] values.
pub fn psnr_of_mse(mse: f64) -> f64 {
    if mse > 0.0 {
        -10.0 * mse.log10()
    } else {
        f64::INFINITY
    }
}

/// A network being trained to draw a target image.
pub struct Trainer {
    layout: ParamLayout,
    params: Vec<f32>,
    labels: Vec<Vec<String>>,
    optimizer: Stepper,
    config: TrainConfig,
    grid: Grid,
    target_image: Image,
    /// x, y, d, bias planes over the whole target grid.
    inputs: Vec<f32>,
    /// r, g, b planes in [0, 1] over the whole target grid.
    target: Vec<f32>,
    /// The current random batch's inputs and targets (empty for full batch).
    batch_inputs: Vec<f32>,
    batch_target: Vec<f32>,
    rng: ChaCha8Rng,
    pool: WorkspacePool,
    slots: Vec<f32>,
    slot_losses: Vec<f64>,
    grad: Vec<f32>,
    steps: u64,
    watch: CollapseWatch,
    /// The weights before the last update, to go back to if it left any non-finite.
    spare: Vec<f32>,
    /// Which parameters train (`None`: all); the others keep their values.
    trainable: Option<Vec<bool>>,
    /// Every hidden plane over the grid and the penalty's gradient with respect to
    /// each of their values (both empty without a penalty), and the weighted penalty
    /// at the last gradient.
    hidden_planes: Vec<f32>,
    penalty_grad: Vec<f32>,
    penalty: f64,
    /// The evolution strategy's directions (empty unless `config.es`).
    es_state: EsState,
}

impl Trainer {
    /// A trainer that teaches `net` to draw `target` over the paper's [-1, 1] window at
    /// the target's resolution.
    pub fn new(net: DenseNet, target: &Image, config: TrainConfig) -> Result<Trainer, TrainError> {
        net.check().map_err(TrainError::Net)?;
        if target.width == 0 || target.height == 0 {
            return Err(TrainError::EmptyTarget);
        }
        if config.batch == Batch::Random(0) {
            return Err(TrainError::EmptyBatch);
        }
        if config.block == 0 {
            return Err(TrainError::EmptyBlock);
        }
        if !(config.lr > 0.0 && config.lr.is_finite()) {
            return Err(TrainError::LearningRate(config.lr));
        }
        if let Some(p) = config.penalty {
            if !(p.weight >= 0.0 && p.weight.is_finite()) {
                return Err(TrainError::PenaltyWeight(p.weight));
            }
            if config.batch != Batch::Full {
                return Err(TrainError::PenaltyNeedsFullBatch(p));
            }
            if config.es.is_some() {
                return Err(TrainError::EsWithPenalty(p));
            }
        }
        if let Some(es) = config.es {
            es.check().map_err(TrainError::Es)?;
        }
        let (layout, params) = ParamLayout::of(&net);
        let grid = Grid::new(target.width, target.height);
        let n = grid.pixels();
        let mut rgb = vec![0.0f32; 3 * n];
        for (p, px) in target.rgba.chunks_exact(4).enumerate() {
            for c in 0..3 {
                rgb[c * n + p] = f32::from(px[c]) / 255.0;
            }
        }
        Ok(Trainer {
            optimizer: Stepper::new(config.optimizer, layout.len, config.lr),
            grad: vec![0.0; layout.len],
            layout,
            params,
            labels: net.labels,
            config,
            grid,
            target_image: target.clone(),
            inputs: grid.input_planes().data,
            target: rgb,
            batch_inputs: vec![],
            batch_target: vec![],
            rng: ChaCha8Rng::seed_from_u64(config.seed),
            pool: WorkspacePool::new(),
            slots: vec![],
            slot_losses: vec![],
            steps: 0,
            spare: vec![],
            watch: CollapseWatch::default(),
            trainable: None,
            hidden_planes: vec![],
            penalty_grad: vec![],
            penalty: 0.0,
            es_state: EsState::default(),
        })
    }

    /// Trains only the parameters marked true (in [`Trainer::layout`] order): the rest
    /// keep their values and take no part in the gradient's norm (the `graph` methods,
    /// [`super::graph`]). Panics if the mask's length is not the parameter count.
    pub fn with_trainable(mut self, trainable: Vec<bool>) -> Trainer {
        assert_eq!(trainable.len(), self.layout.len, "one flag per parameter");
        self.trainable = Some(trainable);
        self
    }

    /// Counts `steps` as already done: a run continued from a saved net goes on
    /// numbering its steps (its curve and path snapshots) from there. The optimizer's
    /// state (Adam's moments) starts fresh all the same.
    pub fn resumed_at(mut self, steps: u64) -> Trainer {
        self.steps = steps;
        self
    }

    pub fn config(&self) -> &TrainConfig {
        &self.config
    }

    pub fn steps_done(&self) -> u64 {
        self.steps
    }

    /// The evolution strategy's state (what it has evaluated), for `es`.
    pub fn es_state(&self) -> &EsState {
        &self.es_state
    }

    /// Forward passes over the batch so far, in the unit of
    /// [`TrainConfig::passes_per_step`].
    pub fn forward_passes(&self) -> u64 {
        self.steps * self.config.passes_per_step()
    }

    pub fn lr(&self) -> f32 {
        self.optimizer.lr()
    }

    /// Changes the learning rate from the next step on (ignored unless positive and
    /// finite).
    pub fn set_lr(&mut self, lr: f32) {
        if lr > 0.0 && lr.is_finite() {
            self.optimizer.set_lr(lr);
            self.config.lr = lr;
        }
    }

    pub fn grid(&self) -> Grid {
        self.grid
    }

    pub fn target_image(&self) -> &Image {
        &self.target_image
    }

    /// Trains towards another image of the same size from the next step on, keeping the
    /// network and Adam's state (a curriculum); false, and nothing changed, if the
    /// size differs.
    pub fn set_target(&mut self, target: &Image) -> bool {
        if (target.width, target.height) != (self.grid.width, self.grid.height) {
            return false;
        }
        let n = self.grid.pixels();
        for (p, px) in target.rgba.chunks_exact(4).enumerate() {
            for (c, &v) in px[..3].iter().enumerate() {
                self.target[c * n + p] = f32::from(v) / 255.0;
            }
        }
        self.target_image = target.clone();
        true
    }

    /// The network as it is now.
    pub fn net(&self) -> DenseNet {
        self.layout.to_net(&self.params, &self.labels)
    }

    pub fn layout(&self) -> &ParamLayout {
        &self.layout
    }

    /// Pixels per step.
    pub fn batch_pixels(&self) -> usize {
        match self.config.batch {
            Batch::Full => self.grid.pixels(),
            Batch::Random(b) => b,
        }
    }

    /// Useful floating-point operations per step: its forward passes
    /// ([`TrainConfig::passes_per_step`]) x 2 flops x pixels x weights.
    pub fn flops_per_step(&self) -> f64 {
        let weights: usize = self.layout.widths.windows(2).map(|w| w[0] * w[1]).sum();
        (self.config.passes_per_step() * 2) as f64 * self.batch_pixels() as f64 * weights as f64
    }

    /// One step: forward, backward, optional unit-norm scaling, the optimizer's update.
    pub fn step(&mut self) -> StepStats {
        let loss = self.compute_gradient();
        if let Some(t) = &self.trainable {
            self.grad
                .iter_mut()
                .zip(t)
                .filter(|(_, t)| !**t)
                .for_each(|(g, _)| *g = 0.0);
        }
        let grad_norm = if self.config.unit_norm {
            unit_norm(&mut self.grad)
        } else {
            self.grad
                .iter()
                .map(|&g| f64::from(g).powi(2))
                .sum::<f64>()
                .sqrt()
        };
        // An update that would make any weight non-finite is undone, and a non-finite
        // loss goes back to the weights before the last update (the last that gave a
        // finite loss): the net is always writable and draws something.
        if loss.is_finite() && grad_norm.is_finite() {
            self.spare.clone_from(&self.params);
            self.optimizer.update(&mut self.params, &self.grad);
            if let Some(t) = &self.trainable {
                // A rule that moves weights without gradient (weight decay) leaves the
                // frozen ones alone too.
                for ((w, &before), _) in self
                    .params
                    .iter_mut()
                    .zip(&self.spare)
                    .zip(t)
                    .filter(|(_, t)| !**t)
                {
                    *w = before;
                }
            }
            if !self.params.iter().all(|w| w.is_finite()) {
                std::mem::swap(&mut self.params, &mut self.spare);
            }
        } else if !self.spare.is_empty() {
            std::mem::swap(&mut self.params, &mut self.spare);
        }
        self.steps += 1;
        StepStats {
            step: self.steps,
            loss,
            penalty: self.penalty,
            grad_norm,
            forward_passes: self.forward_passes(),
            collapse: self.watch.observe(self.steps, loss, grad_norm),
        }
    }

    /// The loss on the next batch and its raw gradient (laid out as [`Trainer::layout`]),
    /// without changing the network. A random batch is drawn as for a step. With a
    /// penalty the gradient is that of the loss plus [`Trainer::full_penalty`]; the
    /// loss returned is without it.
    pub fn gradient(&mut self) -> (f64, Vec<f32>) {
        let loss = self.compute_gradient();
        (loss, self.grad.clone())
    }

    /// The mean squared error of the current network over the whole target (no
    /// update), whatever the batch setting.
    pub fn full_loss(&mut self) -> f64 {
        let keep = self.output_planes();
        let out = forward_planes(
            &self.layout,
            &self.params,
            &self.grid,
            &keep,
            &mut self.pool,
        );
        let (n, t) = (self.grid.pixels(), &self.target);
        let se: f64 = (0..n)
            .map(|p| {
                let rgb = [t[p], t[n + p], t[2 * n + p]];
                let e = match self.layout.outputs {
                    NetOutputs::Hsv => {
                        let (h, s, v) = (out.plane(0)[p], out.plane(1)[p], out.plane(2)[p]);
                        hsv_pixel(h, s, v, rgb, 1.0).0
                    }
                    NetOutputs::Grey => grey_pixel(out.plane(0)[p], rgb, 1.0).0,
                };
                f64::from(e)
            })
            .sum();
        se / (3 * n) as f64
    }

    /// The weighted penalty of the current network's hidden planes over the whole
    /// target grid (0 without a penalty).
    pub fn full_penalty(&mut self) -> f64 {
        match self.config.penalty {
            Some(p) => {
                self.fill_hidden_planes();
                p.value(&self.hidden_planes, self.grid.width, self.grid.height)
            }
            None => 0.0,
        }
    }

    /// Puts every hidden neuron's plane over the target grid, one after another, in
    /// `self.hidden_planes`.
    fn fill_hidden_planes(&mut self) {
        let total: usize = self.layout.widths.iter().sum();
        let outs = self.layout.outputs.count();
        let keep: Vec<usize> = (self.layout.widths[0]..total - outs).collect();
        let n = self.grid.pixels();
        self.hidden_planes.resize(keep.len() * n, 0.0);
        let inputs = &self.inputs;
        let fill = |layer: &mut [f32], ld: usize, start: usize, len: usize| {
            copy_block(layer, ld, inputs, n, start, len)
        };
        forward_planes_into(
            &self.layout,
            &self.params,
            &self.grid,
            (0, &fill),
            &keep,
            &mut self.pool,
            &mut self.hidden_planes,
        );
    }

    fn output_planes(&self) -> Vec<usize> {
        let total: usize = self.layout.widths.iter().sum();
        let outs = self.layout.outputs.count();
        (total - outs..total).collect()
    }

    /// The network's image over the target grid, coloured as the paper does.
    pub fn image(&mut self) -> Image {
        self.image_at(self.grid)
    }

    /// The network's image over any grid.
    pub fn image_at(&mut self, grid: Grid) -> Image {
        let keep = self.output_planes();
        let out = forward_planes(&self.layout, &self.params, &grid, &keep, &mut self.pool);
        Image::from_planes(&out, self.layout.outputs.colours(0))
    }

    /// PSNR (dB) of the network's 8-bit image against the target image.
    pub fn psnr(&mut self) -> f64 {
        let img = self.image();
        psnr(&img, &self.target_image).unwrap_or(f64::NAN)
    }

    /// Every neuron's plane over `grid` (numbered as [`DenseNet::evaluate`]).
    pub fn planes(&mut self, grid: Grid) -> Planes {
        let all: Vec<usize> = (0..self.layout.widths.iter().sum()).collect();
        forward_planes(&self.layout, &self.params, &grid, &all, &mut self.pool)
    }

    /// Fills `self.grad` with the gradient of the batch's mean squared error (plus the
    /// penalty, if any) and returns that error.
    fn compute_gradient(&mut self) -> f64 {
        if let Batch::Random(b) = self.config.batch {
            self.draw_batch(b);
        }
        if let Some(es) = self.config.es {
            let (inputs, target, n) = match self.config.batch {
                Batch::Full => (&self.inputs[..], &self.target[..], self.grid.pixels()),
                Batch::Random(b) => (&self.batch_inputs[..], &self.batch_target[..], b),
            };
            return super::es::estimate(
                es,
                &self.layout,
                &self.params,
                self.trainable.as_deref(),
                Pixels { inputs, target, n },
                self.config.block,
                &mut self.pool,
                &mut self.rng,
                &mut self.es_state,
                &mut self.grad,
            );
        }
        // A penalty couples pixels of different blocks: its gradient with respect to
        // every hidden activation comes first, from a forward pass over the whole grid,
        // and each block adds its share while back-propagating. (Full batch only.)
        if let Some(p) = self.config.penalty {
            self.fill_hidden_planes();
            self.penalty_grad.resize(self.hidden_planes.len(), 0.0);
            self.penalty = p.gradient(
                &self.hidden_planes,
                self.grid.width,
                self.grid.height,
                &mut self.penalty_grad,
            );
        }
        let block = self.config.block;
        self.pool.prepare(&self.layout, block);
        let Trainer {
            layout,
            params,
            inputs,
            target,
            batch_inputs,
            batch_target,
            pool,
            slots,
            slot_losses,
            grad,
            config,
            grid,
            penalty_grad,
            ..
        } = self;
        let straight = config.straight_through;
        let (inputs, target, n) = match config.batch {
            Batch::Full => (&inputs[..], &target[..], grid.pixels()),
            Batch::Random(b) => (&batch_inputs[..], &batch_target[..], b),
        };
        let blocks = n.div_ceil(block);
        let len = layout.len;
        slots.resize(blocks * len, 0.0);
        slot_losses.resize(blocks, 0.0);
        let scale = 1.0 / (3 * n) as f32;
        let (layout, params, pool) = (&*layout, &params[..], &*pool);
        let penalty_grad = config.penalty.map(|_| &penalty_grad[..]);
        slots
            .par_chunks_mut(len)
            .zip(slot_losses.par_iter_mut())
            .enumerate()
            .for_each(|(b, (slot, loss))| {
                let start = b * block;
                let count = block.min(n - start);
                pool.with(|ws| {
                    ws.load_inputs(inputs, n, start, count);
                    ws.forward(layout, params, count);
                    *loss = ws.loss(layout.outputs, target, n, start, count, scale, straight);
                    let hidden = penalty_grad.map(|planes| HiddenGrad {
                        planes,
                        stride: n,
                        start,
                    });
                    ws.backward_with(layout, params, slot, count, hidden);
                });
            });
        // Sum the slots in block order, in parallel over parameter ranges.
        let slots = &slots[..];
        grad.par_chunks_mut(256).enumerate().for_each(|(c, g)| {
            let at = c * 256;
            g.fill(0.0);
            for b in 0..blocks {
                let s = &slots[b * len + at..][..g.len()];
                g.iter_mut().zip(s).for_each(|(x, y)| *x += y);
            }
        });
        slot_losses.iter().sum::<f64>() / (3 * n) as f64
    }

    fn draw_batch(&mut self, b: usize) {
        let n = self.grid.pixels();
        self.batch_inputs.resize(4 * b, 0.0);
        self.batch_target.resize(3 * b, 0.0);
        for k in 0..b {
            let p = self.rng.random_range(0..n);
            for c in 0..4 {
                self.batch_inputs[c * b + k] = self.inputs[c * n + p];
            }
            for c in 0..3 {
                self.batch_target[c * b + k] = self.target[c * n + p];
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The command line's defaults are the paper's, as written in its help.
    #[test]
    fn the_paper_defaults_read_as_written() {
        assert_eq!(PAPER_LR_ARG.parse::<f32>(), Ok(PAPER_LR));
        assert_eq!(PAPER_SIZE_ARG.parse::<usize>(), Ok(PAPER_SIZE));
        assert_eq!(TrainConfig::default().lr, PAPER_LR);
    }
    use crate::activation::Activation;
    use crate::colour::{grey, picbreeder_rgb};
    use crate::cppn::genome::tests::tiny;
    use crate::cppn::program::Program;
    use crate::sgd::init::mlp;
    use crate::sgd::penalty::Regularizer;

    /// A small net with every activation, biases, and outputs of the given kind.
    fn mixed_net(outputs: NetOutputs, seed: u64) -> DenseNet {
        let mut net = mlp(3, 6, Activation::Tanh, true, outputs, seed);
        for (l, acts) in net.hidden.iter_mut().enumerate() {
            for (j, a) in acts.iter_mut().enumerate() {
                *a = Activation::ALL[(l * 6 + j) % Activation::ALL.len()];
            }
        }
        for layer in &mut net.layers {
            for (j, b) in layer.bias.iter_mut().flatten().enumerate() {
                *b = 0.05 * j as f32 - 0.1;
            }
        }
        net
    }

    fn noise_image(w: usize, h: usize, seed: u64) -> Image {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut img = Image::new(w, h);
        for px in img.rgba.chunks_mut(4) {
            px.copy_from_slice(&[rng.random(), rng.random(), rng.random(), 255]);
        }
        img
    }

    fn config(block: usize) -> TrainConfig {
        TrainConfig {
            block,
            ..TrainConfig::default()
        }
    }

    /// Checks `grad` against central finite differences of `f` (the llm.c way): each
    /// parameter moved by +-eps, within 2% of the largest component plus 5% of its own,
    /// 1% relative error overall, and more than half the components not near zero.
    fn check_finite_differences(
        t: &mut Trainer,
        grad: &[f32],
        what: &str,
        f: fn(&mut Trainer) -> f64,
    ) {
        let eps = 2e-3f32;
        let (mut diff2, mut norm2) = (0.0f64, 0.0f64);
        let gmax = grad.iter().fold(0.0f32, |m, g| m.max(g.abs()));
        let mut checked_nonzero = 0;
        for (k, &g) in grad.iter().enumerate() {
            let orig = t.params[k];
            t.params[k] = orig + eps;
            let up = f(t);
            t.params[k] = orig - eps;
            let down = f(t);
            t.params[k] = orig;
            let fd = (up - down) / (2.0 * f64::from(eps));
            let an = f64::from(g);
            diff2 += (fd - an).powi(2);
            norm2 += an.powi(2);
            assert!(
                (fd - an).abs() <= 0.02 * f64::from(gmax) + 0.05 * an.abs(),
                "{what} parameter {k}: finite difference {fd} vs backprop {an}"
            );
            checked_nonzero += usize::from(an.abs() > 1e-3 * f64::from(gmax));
        }
        let rel = (diff2 / norm2).sqrt();
        assert!(rel < 1e-2, "{what}: relative gradient error {rel}");
        assert!(
            checked_nonzero > grad.len() / 2,
            "{what}: gradient mostly zero"
        );
    }

    #[test]
    fn gradient_matches_finite_differences() {
        for outputs in [NetOutputs::Hsv, NetOutputs::Grey] {
            let net = mixed_net(outputs, 11);
            // 143 pixels in blocks of 32: four full blocks and a partial one.
            let mut t = Trainer::new(net, &noise_image(13, 11, 3), config(32)).unwrap();
            let (loss, grad) = t.gradient();
            assert!((loss - t.full_loss()).abs() < 1e-6 * loss.max(1e-3));
            check_finite_differences(&mut t, &grad, &format!("{outputs:?}"), Trainer::full_loss);
        }
    }

    #[test]
    fn loss_matches_a_plain_reference() {
        for outputs in [NetOutputs::Hsv, NetOutputs::Grey] {
            let net = mixed_net(outputs, 4);
            let target = noise_image(40, 30, 8);
            let grid = Grid::new(40, 30);
            // The CPPN evaluator's planes and the shared colour rule, in f64.
            let planes = net.evaluate_outputs(&grid);
            let mut se = 0.0f64;
            for p in 0..grid.pixels() {
                let rgb = match outputs {
                    NetOutputs::Hsv => {
                        picbreeder_rgb(planes.plane(0)[p], planes.plane(1)[p], planes.plane(2)[p])
                    }
                    NetOutputs::Grey => [grey(planes.plane(0)[p]); 3],
                };
                for (c, &v) in rgb.iter().enumerate() {
                    let t = f64::from(target.rgba[4 * p + c]) / 255.0;
                    se += (f64::from(v) - t).powi(2);
                }
            }
            let want = se / (3 * grid.pixels()) as f64;
            let mut t = Trainer::new(net, &target, config(256)).unwrap();
            let got = t.step().loss;
            assert!((got - want).abs() < 1e-5 * want, "{got} vs {want}");
        }
    }

    #[test]
    fn seeded_runs_repeat_exactly_on_any_thread_count() {
        let run = |threads: usize, seed: u64| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            pool.install(|| {
                let cfg = TrainConfig {
                    batch: Batch::Random(700),
                    block: 128,
                    seed,
                    ..TrainConfig::default()
                };
                let net = mixed_net(NetOutputs::Hsv, 1);
                let mut t = Trainer::new(net, &noise_image(30, 30, 2), cfg).unwrap();
                let losses: Vec<f64> = (0..5).map(|_| t.step().loss).collect();
                (losses, t.params.clone())
            })
        };
        let one = run(1, 5);
        assert_eq!(one, run(2, 5));
        assert_eq!(one, run(3, 5));
        assert_ne!(one.1, run(2, 6).1);
    }

    #[test]
    fn learns_a_genome_image() {
        let program = Program::compile(&tiny()).unwrap();
        let target = program.render(&Grid::square(48));
        let net = mlp(3, 16, Activation::Tanh, false, NetOutputs::Grey, 0);
        let cfg = TrainConfig {
            lr: 1e-2,
            ..TrainConfig::default()
        };
        let mut t = Trainer::new(net, &target, cfg).unwrap();
        let before = t.psnr();
        let first = t.step();
        let mut last = first;
        for _ in 0..399 {
            last = t.step();
        }
        let after = t.psnr();
        assert_eq!(last.step, 400);
        assert!(
            last.loss < first.loss * 0.2,
            "loss {} -> {}",
            first.loss,
            last.loss
        );
        assert!(after > before + 8.0, "PSNR {before:.1} -> {after:.1} dB");
        // The loss-derived PSNR tracks the 8-bit image's PSNR.
        assert!((psnr_of_mse(t.full_loss()) - after).abs() < 1.0);
    }

    fn with_penalty(regularizer: Regularizer, weight: f32, block: usize) -> TrainConfig {
        TrainConfig {
            penalty: Some(Penalty {
                regularizer,
                weight,
            }),
            ..config(block)
        }
    }

    #[test]
    fn mirror_penalty_is_zero_for_a_net_blind_to_x() {
        for (w, h) in [(13, 11), (12, 10)] {
            let net = mixed_net(NetOutputs::Hsv, 3);
            let mut blind = net.clone();
            // Only y, d and the bias reach the first layer: every hidden plane is
            // mirror symmetric.
            for j in 0..blind.layers[0].n_out {
                *blind.layers[0].weight_mut(0, j) = 0.0;
            }
            let cfg = with_penalty(Regularizer::Mirror, 1.0, 32);
            let img = noise_image(w, h, 1);
            let mut t = Trainer::new(blind, &img, cfg).unwrap();
            let zero = t.full_penalty();
            assert!(zero.abs() < 1e-10, "{w}x{h}: {zero}");
            assert!(t.step().penalty.abs() < 1e-10);
            let mut t = Trainer::new(net, &img, cfg).unwrap();
            let some = t.full_penalty();
            assert!(some > 1e-3, "{w}x{h}: {some}");
            assert_eq!(t.step().penalty, some);
        }
    }

    #[test]
    fn penalty_gradients_match_finite_differences() {
        for r in [
            Regularizer::Mirror,
            Regularizer::Smooth,
            Regularizer::SparseAct,
        ] {
            let net = mixed_net(NetOutputs::Hsv, 11);
            let img = noise_image(13, 11, 3);
            let mut plain = Trainer::new(net.clone(), &img, config(32)).unwrap();
            let mut t = Trainer::new(net, &img, with_penalty(r, 1.0, 32)).unwrap();
            let (loss_plain, grad_plain) = plain.gradient();
            let (loss, grad) = t.gradient();
            // The loss reported is the error alone.
            assert_eq!(loss, loss_plain);
            // The penalty's own gradient: the difference the penalty makes.
            let grad: Vec<f32> = grad.iter().zip(&grad_plain).map(|(a, b)| a - b).collect();
            check_finite_differences(&mut t, &grad, &format!("{r:?}"), Trainer::full_penalty);
        }
    }

    #[test]
    fn rejects_bad_settings() {
        let net = mlp(1, 2, Activation::Sin, false, NetOutputs::Grey, 0);
        let img = Image::new(4, 4);
        let with = |c: TrainConfig| Trainer::new(net.clone(), &img, c).err();
        assert_eq!(
            with(TrainConfig {
                batch: Batch::Random(0),
                ..TrainConfig::default()
            }),
            Some(TrainError::EmptyBatch)
        );
        assert_eq!(with(config(0)), Some(TrainError::EmptyBlock));
        let mirror = with_penalty(Regularizer::Mirror, 0.1, 32);
        assert_eq!(
            with(TrainConfig {
                batch: Batch::Random(5),
                ..mirror
            }),
            Some(TrainError::PenaltyNeedsFullBatch(mirror.penalty.unwrap()))
        );
        assert_eq!(
            with(with_penalty(Regularizer::Smooth, -1.0, 32)),
            Some(TrainError::PenaltyWeight(-1.0))
        );
        assert!(matches!(
            with(TrainConfig {
                lr: -1.0,
                ..TrainConfig::default()
            }),
            Some(TrainError::LearningRate(_))
        ));
        assert_eq!(
            Trainer::new(net.clone(), &Image::new(0, 3), TrainConfig::default()).err(),
            Some(TrainError::EmptyTarget)
        );
        let mut broken = net;
        broken.layers[0].weights.pop();
        assert!(matches!(
            Trainer::new(broken, &img, TrainConfig::default()).err(),
            Some(TrainError::Net(_))
        ));
    }
}
