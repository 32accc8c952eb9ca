//! jagilley/fer's two metrics (`src/fer_metrics.py`, its own definitions) on the paper's
//! genomes (layerized) and SGD nets, beside ours, for docs/measures.md: mean absolute
//! neighbour difference over every hidden plane (not normalized, constant planes
//! included), and the largest effective rank / width over the internal hidden layers of
//! the uncentred activations. Needs ../shared/picbreeder.
//!
//! `cargo run --example fer_metrics`

use nalgebra::DMatrix;
use picbreeder::io::detect::load_genome;
use picbreeder::io::{Loaded, load_any};
use picbreeder::layerize::layerize;
use picbreeder::measure::Evaluated;
use picbreeder::network::Network;
use std::path::PathBuf;

fn shared(file: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/picbreeder")
        .join(file)
}

/// (fer's roughness, the same over non-constant planes only, fer's effective rank
/// ratio) of a net at 64x64.
fn fer(net: &Network) -> (f64, f64, f64) {
    let n = 64;
    let ev = Evaluated::of(net, n);
    let layers = ev.hidden_layers();
    let mut rough = vec![];
    let mut ratios = vec![];
    for layer in &layers {
        for &p in layer {
            let a = ev.planes.plane(p);
            let (mut gx, mut gy) = (0.0f64, 0.0f64);
            for r in 0..n {
                for c in 0..n {
                    let v = f64::from(a[r * n + c]);
                    if r + 1 < n {
                        gx += (f64::from(a[(r + 1) * n + c]) - v).abs();
                    }
                    if c + 1 < n {
                        gy += (f64::from(a[r * n + c + 1]) - v).abs();
                    }
                }
            }
            let pairs = (n * (n - 1)) as f64;
            let live = picbreeder::measure::neurons::std_dev(a) >= 1e-6;
            rough.push(((gx / pairs + gy / pairs) / 2.0, live));
        }
        let x = DMatrix::<f64>::from_fn(n * n, layer.len(), |px, k| {
            f64::from(ev.planes.plane(layer[k])[px])
        });
        let s = x.singular_values();
        let total = s.sum() + 1e-10;
        let entropy: f64 = s
            .iter()
            .map(|v| v / total)
            .filter(|&p| p > 1e-10)
            .map(|p| -p * p.ln())
            .sum();
        ratios.push(entropy.exp() / layer.len() as f64);
    }
    let internal = if ratios.len() > 2 {
        &ratios[1..ratios.len() - 1]
    } else {
        &ratios[..]
    };
    let live: Vec<f64> = rough.iter().filter(|r| r.1).map(|r| r.0).collect();
    (
        rough.iter().map(|r| r.0).sum::<f64>() / rough.len().max(1) as f64,
        live.iter().sum::<f64>() / live.len().max(1) as f64,
        internal.iter().copied().fold(f64::NAN, f64::max),
    )
}

fn main() {
    println!(
        "| | fer roughness: layerized | fer roughness: paper SGD | the same, non-constant planes: layerized | paper SGD | fer eff. rank / width: layerized | paper SGD |"
    );
    println!("|---|---|---|---|---|---|---|");
    for name in ["skull", "butterfly", "apple"] {
        let g = load_genome(&shared(&format!("{name}.zip"))).expect("genome loads");
        let net = Network::from_genome(g).expect("compiles");
        let Network::Genome { program, .. } = &net else {
            unreachable!("a genome network")
        };
        let layered = Network::Net(layerize(program).net);
        let Ok(Loaded::Net(sgd)) = load_any(&shared(&format!("sgd/{name}.json"))) else {
            panic!("{name}'s paper net loads")
        };
        let (a, b) = (fer(&layered), fer(&Network::Net(sgd)));
        println!(
            "| {name} | {:.4} | {:.4} | {:.4} | {:.4} | {:.2} | {:.2} |",
            a.0, b.0, a.1, b.1, a.2, b.2
        );
    }
}
