//! Training methods judged by what they are for: a regularizer aimed at a unified
//! representation changes the trained net's neurons as it should. (Here rather than in
//! `sgd`'s own tests: judging needs the scorecard's verdicts, a layer above `sgd`.)

use picbreeder::activation::Activation;
use picbreeder::dense::net::NetOutputs;
use picbreeder::grid::Grid;
use picbreeder::image::Image;
use picbreeder::measure::neurons::verdicts;
use picbreeder::sgd::init::mlp;
use picbreeder::sgd::penalty::{Penalty, Regularizer};
use picbreeder::sgd::trainer::{TrainConfig, Trainer};

#[test]
fn a_strong_mirror_penalty_gives_more_symmetric_neurons() {
    // A left-right symmetric grey target: 0.5 + 0.4 sin(3 x^2 + 2 y).
    let grid = Grid::square(32);
    let (xs, ys) = (grid.xs(), grid.ys());
    let mut target = Image::new(32, 32);
    for (p, px) in target.rgba.chunks_mut(4).enumerate() {
        let (x, y) = (xs[p % 32], ys[p / 32]);
        let v = (255.0 * (0.5 + 0.4 * (3.0 * x * x + 2.0 * y).sin())).round() as u8;
        px.copy_from_slice(&[v, v, v, 255]);
    }
    let symmetric = |penalty: Option<Penalty>| {
        let net = mlp(2, 8, Activation::Tanh, true, NetOutputs::Grey, 2);
        let cfg = TrainConfig {
            penalty,
            lr: 1e-2,
            ..TrainConfig::default()
        };
        let mut t = Trainer::new(net, &target, cfg).unwrap();
        for _ in 0..300 {
            t.step();
        }
        let planes = t.planes(grid);
        let hidden: Vec<&[f32]> = (4..4 + 16).map(|k| planes.plane(k)).collect();
        let v = verdicts(&hidden, 32);
        (v.symmetric.iter().filter(|&&s| s).count(), t.psnr())
    };
    let (adam, adam_psnr) = symmetric(None);
    let (mirror, mirror_psnr) = symmetric(Some(Penalty {
        regularizer: Regularizer::Mirror,
        weight: 1.0,
    }));
    assert!(
        mirror > adam && mirror >= 15,
        "symmetric hidden neurons: mirror {mirror} ({mirror_psnr:.1} dB), adam {adam} ({adam_psnr:.1} dB)"
    );
}
