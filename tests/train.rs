//! Training against the paper: the skull run of the FER paper, and `picbreeder train`
//! as a user runs it. Needs `../shared/picbreeder/` (or `$PICBREEDER_SHARED`); says so
//! loudly and passes when it is absent.

use picbreeder::cppn::{Activation, Program};
use picbreeder::dense::DenseNet;
use picbreeder::grid::Grid;
use picbreeder::image::psnr;
use picbreeder::io::detect::load_genome;
use picbreeder::io::{Loaded, load_any, png};
use picbreeder::sgd::arch::Arch;
use picbreeder::sgd::trainer::{TrainConfig, Trainer};
use std::time::Instant;

mod common;
use common::picbreeder;
use common::shared;

/// Trains skull's paper architecture as the paper does (lr 3e-3, unit-norm gradient,
/// Adam, full batch 256x256, seed 0) and returns the PSNR against the paper's
/// `skull.png` after each of `checkpoints` steps.
fn skull_run(seed: u64, checkpoints: &[u64]) -> Option<Vec<f64>> {
    let genome = load_genome(&shared("skull.zip")?).expect("skull loads");
    let reference = png::load(&shared("skull.png")?).expect("skull.png loads");
    let program = Program::compile(&genome).expect("skull compiles");
    let target = program.render(&Grid::square(256));
    let net = Arch::Paper.build(&program, seed);
    assert_eq!(net.parameter_count(), 5478);
    let mut trainer = Trainer::new(net, &target, TrainConfig::default()).unwrap();
    let start = Instant::now();
    let mut out = vec![];
    for &c in checkpoints {
        while trainer.steps_done() < c {
            trainer.step();
        }
        let db = psnr(&trainer.net().render(&Grid::square(256)), &reference).unwrap();
        eprintln!(
            "skull seed {seed}: {c} steps, {db:.2} dB vs skull.png, loss {:.3e}, {:.0} s",
            trainer.full_loss(),
            start.elapsed().as_secs_f64()
        );
        out.push(db);
    }
    Some(out)
}

/// The start of the paper's skull run, in every `cargo test`: seed 0 after 1,000 and
/// 2,000 steps (20.8-20.9 and 22.8-23.5 dB on the machines measured so far). About a
/// minute in the dev profile here.
#[test]
fn skull_paper_training_starts_as_measured() {
    let Some(db) = skull_run(0, &[1000, 2000]) else {
        return;
    };
    assert!(db[0] >= 20.0, "seed 0 after 1000 steps: {:.2} dB", db[0]);
    assert!(db[1] >= 21.8, "seed 0 after 2000 steps: {:.2} dB", db[1]);
}

/// The paper's figure: PSNR >= 28 dB against skull.png after 10,000 steps (the paper's
/// run had 29.4 dB). One run lands anywhere in about 26-30 dB depending on the seed and
/// on float rounding, which depends on the CPU's vector units (`target-cpu=native`):
/// seeds 0/1/2 after 10k steps were 28.2/30.1/28.7 dB on an AVX-512 machine with the
/// current fastmath, 26.2/29.2/28.7 there with the previous polynomials, and
/// 26.3/29.5/26.3 on an AVX2-only machine (where seed 0's early curve matched within
/// 0.2 dB at 1,000 steps: the runs part later, not from a fault). So the check is that
/// the paper's figure is reached by one of three seeds and that the median is not far
/// below it (26 dB), figures that hang on no one run or CPU. Four to six minutes a seed
/// in the dev profile on the AVX2 machine, 15-19 minutes in all: run by hand.
#[test]
#[ignore = "15-19 minutes: cargo test --test train -- --ignored"]
fn skull_paper_training_reaches_28_db_in_10k_steps() {
    let mut finals = vec![];
    for seed in [0, 1, 2] {
        let Some(db) = skull_run(seed, &[10_000]) else {
            return;
        };
        finals.extend(db);
    }
    finals.sort_by(f64::total_cmp);
    assert!(
        finals[2] >= 28.0 && finals[1] >= 26.0,
        "after 10,000 steps, seeds 0-2: {finals:?} dB (best below 28 or median below 26)"
    );
}

#[test]
fn train_command_writes_a_network_that_draws_the_genome() {
    let Some(skull) = shared("skull.zip") else {
        return;
    };
    let dir = std::env::temp_dir().join(format!("pb-train-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("net.json");
    let run = |arch: &str, extra: &[&str]| {
        let mut args = vec![
            "train",
            skull.to_str().unwrap(),
            "--steps",
            "150",
            "-s",
            "48",
            "--arch",
            arch,
            "--lr",
            "1e-2",
            "-o",
            out.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        let o = picbreeder(&args);
        let stdout = String::from_utf8_lossy(&o.stdout).into_owned();
        assert!(
            o.status.success(),
            "{arch}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        stdout
    };
    let line = run("paper", &[]);
    // The paper's method: a forward and a backward (two forwards' work) a step.
    assert!(
        line.starts_with("150 steps (450 forward passes, 3 a step): loss "),
        "{line}"
    );
    assert!(
        line.contains("dB against the genome's 48x48 image"),
        "{line}"
    );
    let Loaded::Net(net) = load_any(&out).unwrap() else {
        panic!("not a network")
    };
    assert_eq!(net.parameter_count(), 5478);
    // The PSNR printed is the saved network's.
    let target = Program::compile(&load_genome(&skull).unwrap())
        .unwrap()
        .render(&Grid::square(48));
    let db = psnr(&net.render(&Grid::square(48)), &target).unwrap();
    assert!(
        line.contains(&format!("PSNR {db:.2} dB")),
        "{line} vs {db:.2}"
    );
    assert!(db > 12.0, "{db}");

    let line = run("mlp:3x12:tanh:bias", &["--batch", "300", "--seed", "4"]);
    assert!(line.starts_with("150 steps"), "{line}");
    let Loaded::Net(net) = load_any(&out).unwrap() else {
        panic!("not a network")
    };
    assert_eq!(net.widths(), vec![4, 12, 12, 12, 1]);
    assert!(net.layers.iter().all(|l| l.bias.is_some()));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn train_command_errors_are_one_clear_line() {
    let bad_arch = picbreeder(&["train", "x.zip", "--arch", "mlp:0x3:tanh", "-o", "n.json"]);
    assert!(!bad_arch.status.success());
    let err = String::from_utf8_lossy(&bad_arch.stderr);
    assert!(
        err.contains("expected 'paper' or 'mlp:DEPTHxWIDTH:ACT"),
        "{err}"
    );
    let missing = picbreeder(&["train", "/no/such/genome.zip", "-o", "n.json"]);
    assert!(!missing.status.success());
    let err = String::from_utf8_lossy(&missing.stderr);
    assert!(err.starts_with("error: /no/such/genome.zip"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    let zero = picbreeder(&[
        "train",
        "/no/such/genome.zip",
        "--batch",
        "0",
        "-o",
        "n.json",
    ]);
    assert!(String::from_utf8_lossy(&zero.stderr).contains("--batch must be at least 1"));
}

#[test]
fn train_methods_from_the_command_line() {
    let Some(skull) = shared("skull.zip") else {
        return;
    };
    let dir = std::env::temp_dir().join(format!("pb-methods-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("net.json");
    let train = |method: &str| -> (DenseNet, String) {
        let o = picbreeder(&[
            "train",
            skull.to_str().unwrap(),
            "--steps",
            "200",
            "-s",
            "32",
            "--method",
            method,
            "-o",
            out.to_str().unwrap(),
        ]);
        let err = String::from_utf8_lossy(&o.stderr).into_owned();
        assert!(o.status.success(), "{method}: {err}");
        let Loaded::Net(net) = load_any(&out).unwrap() else {
            panic!("not a network")
        };
        (net, err)
    };
    let zeros = |net: &DenseNet| -> usize {
        net.layers
            .iter()
            .flat_map(|l| &l.weights)
            .filter(|&&w| w == 0.0)
            .count()
    };
    let (adam, log) = train("adam");
    assert!(log.contains("by adam on 32x32"), "{log}");
    assert_eq!(zeros(&adam), 0);
    // A strong L1 step zeroes most of the weights the image does not need.
    let (l1, log) = train("l1:0.5");
    assert!(log.contains("by l1:0.5"), "{log}");
    assert!(
        zeros(&l1) > adam.parameter_count() / 4,
        "{} zeros",
        zeros(&l1)
    );
    // The activation baselines keep the paper's shape with every neuron changed.
    let (relu, _) = train("relu");
    assert_eq!(relu.widths(), adam.widths());
    assert!(relu.hidden.iter().flatten().all(|&a| a == Activation::Relu));
    let (sgd, log) = train("sgd:0.5");
    assert!(log.contains("by sgd:0.5"), "{log}");
    assert_ne!(sgd.layers, adam.layers);
    // A strong mirror penalty: more mirror-symmetric hidden neurons than adam's.
    let symmetric = |net: &DenseNet| -> usize {
        let planes = picbreeder::sgd::forward::evaluate(net, &Grid::square(32));
        let hidden: usize = net.hidden.iter().map(Vec::len).sum();
        let hidden: Vec<&[f32]> = (4..4 + hidden).map(|k| planes.plane(k)).collect();
        let v = picbreeder::measure::neurons::verdicts(&hidden, 32);
        v.symmetric.iter().filter(|&&s| s).count()
    };
    let (mirror, log) = train("mirror:1");
    assert!(log.contains("by mirror:1"), "{log}");
    assert!(
        symmetric(&mirror) > symmetric(&adam),
        "symmetric hidden neurons: mirror {}, adam {}",
        symmetric(&mirror),
        symmetric(&adam)
    );
    // es: gradient-free, its budget in forward passes (16 perturbed nets and the
    // unperturbed one a step), printed beside the steps.
    let o = picbreeder(&[
        "train",
        skull.to_str().unwrap(),
        "--steps",
        "20",
        "-s",
        "32",
        "--method",
        "es",
        "-o",
        out.to_str().unwrap(),
    ]);
    let (log, line) = (
        String::from_utf8_lossy(&o.stderr),
        String::from_utf8_lossy(&o.stdout),
    );
    assert!(o.status.success() && log.contains("by es:0.01"), "{log}");
    assert!(
        line.starts_with("20 steps (340 forward passes, 17 a step): loss "),
        "{line}"
    );
    // The penalties need every pixel: a random batch is refused, in one line.
    let batch = picbreeder(&[
        "train",
        skull.to_str().unwrap(),
        "-s",
        "32",
        "--batch",
        "100",
        "--method",
        "smooth",
        "-o",
        out.to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&batch.stderr);
    assert!(
        !batch.status.success()
            && err.contains("--method smooth:1 trains on every pixel")
            && err.contains("leave out --batch")
            && err.trim().lines().count() == 1,
        "{err}"
    );
    // --help lists every method from the one list.
    let help = picbreeder(&["train", "--help"]);
    let help = String::from_utf8_lossy(&help.stdout);
    for m in ["mirror[:W]", "smooth[:W]", "sparse-act[:W]", "l1[:LAMBDA]"] {
        assert!(help.contains(m), "{m} missing from --help:\n{help}");
    }
    // A method that does not exist: one line naming it and the ones there are.
    let bad = picbreeder(&[
        "train",
        skull.to_str().unwrap(),
        "--method",
        "rmsprop",
        "-o",
        "x.json",
    ]);
    assert!(!bad.status.success());
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.contains("no method is called 'rmsprop'")
            && err.contains("adam, sgd, adamw, l1, relu, tanh"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
