//! Training one network through a list of targets in order, a share of the steps on
//! each (the stepping stones), with one Adam run throughout. Direct training is the
//! one-target case, so both conditions go through the same code.

use super::ExperimentError;
use crate::dense::net::DenseNet;
use crate::image::Image;
use crate::sgd::collapse::Collapse;
use crate::sgd::curve::{Curve, CurvePoint};
use crate::sgd::method::Start;
use crate::sgd::trainer::TrainConfig;
use std::sync::atomic::{AtomicBool, Ordering};

/// One target and the steps spent on it.
#[derive(Clone, Debug)]
pub struct Stage {
    pub target: Image,
    pub steps: u64,
}

/// What a training run ended with.
#[derive(Clone, Debug)]
pub struct Trained {
    pub net: DenseNet,
    /// Step, loss and PSNR against the stage's target at the time.
    pub curve: Vec<CurvePoint>,
    /// Steps taken (fewer than planned if the run collapsed).
    pub steps: u64,
    /// Forward passes those steps spent (`TrainConfig::passes_per_step` each).
    pub forward_passes: u64,
    /// Mean squared error of the final net over the last target.
    pub final_loss: f64,
    /// PSNR (dB) of the final net's 8-bit image against the last target.
    pub final_psnr: f64,
    /// Set if the run could not learn; it stopped there.
    pub collapse: Option<Collapse>,
}

/// Trains `start`'s net on each stage in turn. `on_step` hears the steps done so far; setting
/// `cancel` ends the run with [`ExperimentError::Cancelled`] after the current step.
pub fn train(
    start: Start,
    stages: &[Stage],
    config: TrainConfig,
    curve_every: u64,
    cancel: &AtomicBool,
    on_step: &mut dyn FnMut(u64),
) -> Result<Trained, ExperimentError> {
    let setup = |e: String| ExperimentError::Setup(e);
    let first = stages
        .first()
        .ok_or_else(|| setup("no targets to train on".into()))?;
    let mut trainer = start
        .trainer(&first.target, config)
        .map_err(|e| setup(e.to_string()))?;
    let mut curve = Curve::new(curve_every, config.passes_per_step());
    let mut collapse = None;
    'stages: for (i, stage) in stages.iter().enumerate() {
        if i > 0 && !trainer.set_target(&stage.target) {
            return Err(setup("the stepping stones' images differ in size".into()));
        }
        for _ in 0..stage.steps {
            if cancel.load(Ordering::Relaxed) {
                return Err(ExperimentError::Cancelled);
            }
            let stats = trainer.step();
            curve.push(stats.step, stats.loss);
            on_step(stats.step);
            if stats.collapse.is_some() || !stats.loss.is_finite() {
                collapse = stats.collapse;
                break 'stages;
            }
        }
    }
    if let Some(last) = stages.last() {
        trainer.set_target(&last.target);
    }
    Ok(Trained {
        final_loss: trainer.full_loss(),
        final_psnr: trainer.psnr(),
        steps: trainer.steps_done(),
        forward_passes: trainer.forward_passes(),
        net: trainer.net(),
        curve: curve.points(),
        collapse,
    })
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

    fn images() -> (Image, Image) {
        let g = tiny();
        let mut other = g.clone();
        other.links[0].weight += 1.5;
        let grid = Grid::square(24);
        (
            Program::compile(&other).unwrap().render(&grid),
            Program::compile(&g).unwrap().render(&grid),
        )
    }

    #[test]
    fn one_stepping_stone_is_direct_training() {
        let (_, target) = images();
        let net = mlp(2, 8, Activation::Tanh, false, NetOutputs::Grey, 3);
        let no = AtomicBool::new(false);
        let cfg = TrainConfig::default();
        let stage = Stage {
            target: target.clone(),
            steps: 50,
        };
        let curriculum = train(net.clone().into(), &[stage], cfg, 1, &no, &mut |_| {}).unwrap();
        let mut direct = crate::sgd::trainer::Trainer::new(net, &target, cfg).unwrap();
        for _ in 0..50 {
            direct.step();
        }
        assert_eq!(curriculum.net, direct.net(), "the same weights");
        assert_eq!(curriculum.steps, 50);
        assert_eq!(curriculum.curve.len(), 50);
    }

    #[test]
    fn stones_change_the_target_and_cancel_stops() {
        let (stone, target) = images();
        let net = mlp(2, 8, Activation::Tanh, false, NetOutputs::Grey, 3);
        let no = AtomicBool::new(false);
        let cfg = TrainConfig::default();
        let stages = [
            Stage {
                target: stone,
                steps: 30,
            },
            Stage {
                target: target.clone(),
                steps: 30,
            },
        ];
        let mut seen = 0;
        let two = train(net.clone().into(), &stages, cfg, 10, &no, &mut |s| seen = s).unwrap();
        assert_eq!(seen, 60);
        let one = train(
            net.clone().into(),
            &[Stage { target, steps: 60 }],
            cfg,
            10,
            &no,
            &mut |_| {},
        )
        .unwrap();
        assert_ne!(two.net, one.net);
        let yes = AtomicBool::new(true);
        assert_eq!(
            train(net.into(), &stages, cfg, 1, &yes, &mut |_| {}).err(),
            Some(ExperimentError::Cancelled)
        );
    }
}
