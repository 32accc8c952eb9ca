//! `picbreeder train`'s options beyond the paper's set-up: the loss curve as CSV, a
//! starting network, and the straight-through colour rule.

use picbreeder::dense::net::DenseNet;
use picbreeder::io::detect::{Loaded, load_any};
use picbreeder::io::write_atomic;
use picbreeder::sgd::curve::Curve;
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct More {
    /// Write the loss curve here as CSV: step, loss, PSNR (dB).
    #[arg(long)]
    pub curve: Option<PathBuf>,
    /// Keep every k-th step in the curve (steps 1, 1+k, ... and the last).
    #[arg(long, default_value_t = 1, requires = "curve")]
    pub curve_every: u64,
    /// Continue from this trained network (native or paper JSON) instead of a fresh
    /// one; --arch is then ignored. Adam's moments start fresh.
    #[arg(long)]
    pub init: Option<PathBuf>,
    /// Let gradient through the colour rule's saturated clamps (NOT the paper's rule):
    /// a way out of runs that collapse to a blank picture.
    #[arg(long)]
    pub straight_through: bool,
}

/// The network `--init` names; a genome is refused.
pub fn load_init(path: &Path) -> Result<DenseNet, String> {
    match load_any(path).map_err(|e| e.to_string())? {
        Loaded::Net(n) => Ok(n),
        Loaded::Genome(_) => Err(format!(
            "{}: --init needs a trained network, this is a genome",
            path.display()
        )),
    }
}

/// Writes the curve if `--curve` asked for it.
pub fn write_curve(more: &More, curve: &Curve) -> Result<(), String> {
    if let Some(path) = &more.curve {
        write_atomic(path, curve.to_csv().as_bytes()).map_err(|e| e.to_string())?;
        super::guard::wrote(path);
        errln!("wrote {} ({} points)", path.display(), curve.points().len());
    }
    Ok(())
}
