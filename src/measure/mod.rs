//! FER, measured: a scorecard of a network's hidden neurons and weight sweeps, so the
//! evolved network and its SGD twin can be compared by numbers, not only by eye.
//! No egui here: the window, the CLI and the benchmark all call [`scorecard`].
//!
//! Every measure is an entry of [`defs::MEASURES`] (described in `docs/measures.md`);
//! the JSON form is `picbreeder-scorecard`, version 1 ([`format`]).

pub mod defs;
pub mod format;
pub mod neurons;
pub mod pca;
pub mod plots;
pub mod regions;
pub mod stats;
pub mod sweeps;

use crate::grid::{Grid, Planes};
use crate::image::Image;
use crate::network::Network;
use crate::render::gallery::GalleryLayout;
use defs::ByMeasure;
use neurons::{LayerMeasures, NeuronCounts, counts, layer_measures, verdicts};
use serde::{Deserialize, Serialize};
use stats::Summary;
use sweeps::SweepMeasure;

/// What to measure over.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Options {
    /// Pixels per side of the square grid over [-1, 1]^2.
    pub grid: usize,
    /// How far each weight is moved, both ways.
    pub delta: f64,
    /// Networks with more weights than this sweep a seeded random sample of this many.
    pub sample: usize,
    pub seed: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            grid: 64,
            delta: 0.5,
            sample: 256,
            seed: 0,
        }
    }
}

impl Options {
    /// Checks the values a person typed; says which is wrong.
    pub fn check(&self) -> Result<(), String> {
        if !(2..=1024).contains(&self.grid) {
            return Err(format!(
                "the grid must be 2..=1024 pixels, not {}",
                self.grid
            ));
        }
        if !(self.delta.is_finite() && self.delta > 0.0) {
            return Err(format!(
                "delta must be a positive number, not {}",
                self.delta
            ));
        }
        if self.sample == 0 {
            return Err("the sweep sample must be at least 1 weight".into());
        }
        Ok(())
    }
}

/// Which face of a network is measured.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Form {
    /// The genome's graph: hidden nodes in rows by longest path from the inputs.
    Genome,
    /// The genome as the paper's dense layers (cache copies and unused slots included).
    Layerized,
    /// A dense (SGD-trained or paper) net.
    Dense,
}

impl Form {
    pub fn name(self) -> &'static str {
        match self {
            Form::Genome => "genome",
            Form::Layerized => "layerized",
            Form::Dense => "dense",
        }
    }
}

/// The sweep measures of one network.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SweepSummary {
    /// Sweeps made (two per weight swept).
    pub count: usize,
    pub dead: usize,
    /// Whether the weights are a random sample.
    pub sampled: bool,
    /// Each sweep measure over the live sweeps (written as `"change_symmetry": {...}`...).
    #[serde(flatten)]
    pub summaries: ByMeasure<defs::Sweeps, Summary>,
    /// Every sweep, dead ones included.
    pub each: Vec<SweepMeasure>,
}

/// Everything measured on one network.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scorecard {
    pub name: String,
    pub form: Form,
    /// Weights that can be swept (genome links, or a net's weights).
    pub weights: usize,
    pub neurons: NeuronCounts,
    pub layers: Vec<LayerMeasures>,
    /// Measures 1-2 on each layer's neurons rotated onto its principal components.
    pub pca: NeuronCounts,
    pub sweeps: SweepSummary,
}

/// One evaluation of a network over the grid: every neuron's plane, its gallery layout
/// and the output image. Measures, galleries and the PCA control all read this.
pub struct Evaluated {
    pub planes: Planes,
    pub layout: GalleryLayout,
    pub image: Image,
}

impl Evaluated {
    pub fn of(net: &Network, n: usize) -> Evaluated {
        let grid = Grid::square(n);
        Evaluated {
            planes: net.planes(&grid),
            layout: crate::render::gallery::GalleryLayout::of(net),
            image: net.render(&grid),
        }
    }

    /// Plane numbers of each hidden layer (the gallery's rows between inputs and outputs).
    pub fn hidden_layers(&self) -> Vec<Vec<usize>> {
        let rows = &self.layout.rows;
        rows.iter()
            .skip(1)
            .take(rows.len().saturating_sub(2))
            .map(|r| r.iter().map(|c| c.plane).collect())
            .collect()
    }

    /// The same planes with each hidden layer rotated onto its principal components
    /// (largest variance first), for the PCA gallery.
    pub fn pca_planes(&self) -> Planes {
        let mut out = self.planes.clone();
        let px = self.planes.pixels();
        for layer in self.hidden_layers() {
            let planes: Vec<&[f32]> = layer.iter().map(|&p| self.planes.plane(p)).collect();
            let rotated = pca::Rotation::of(&planes).rotate(&planes);
            for (&p, r) in layer.iter().zip(rotated) {
                out.data[p * px..(p + 1) * px].copy_from_slice(&r);
            }
        }
        out
    }
}

/// What a scorecard's memory depends on, counted without evaluating anything.
struct ScorecardShape {
    neurons: u64,
    hidden: u64,
    widest: u64,
    weights: u64,
    /// Bytes of a moved copy of a genome (a net's sweeps move a flat copy).
    genome: u64,
}

impl ScorecardShape {
    fn of(net: &Network) -> ScorecardShape {
        use crate::budget::times;
        let layout = GalleryLayout::of(net);
        let rows = &layout.rows;
        let hidden_rows = rows.iter().skip(1).take(rows.len().saturating_sub(2));
        let (weights, genome) = match net {
            Network::Genome { genome, .. } => (
                genome.links.len() as u64,
                times(genome.nodes.len() as u64 + genome.links.len() as u64, 256),
            ),
            Network::Net(n) => (n.parameter_count() as u64, 0),
        };
        ScorecardShape {
            neurons: net.neuron_count() as u64,
            hidden: hidden_rows.clone().map(|r| r.len() as u64).sum(),
            widest: hidden_rows.map(|r| r.len() as u64).max().unwrap_or(0),
            weights,
            genome,
        }
    }

    fn bytes(&self, grid: usize) -> u64 {
        use crate::budget::times;
        let threads = rayon::current_num_threads() as u64 + 1;
        let px = times(grid as u64, grid as u64);
        let plane = times(px, 4);
        [
            // the planes, the image and the original, and a set per sweeping thread
            times(plane, self.neurons.saturating_mul(threads + 2)),
            times(plane, 8),
            // the distinct functions' centred planes and rotated copies, all layers
            times(plane, self.hidden.saturating_mul(4)),
            // a layer's covariance input and product (f64), its eigenvectors
            times(px, times(self.widest, 32)),
            times(self.widest, times(self.widest, 48)),
            times(self.hidden, times(self.hidden, 8)),
            // the sweeps: the weights, jobs and results; a moved copy per thread
            times(self.weights, 256 + 4 * threads),
            times(self.genome, threads),
            // per neuron: its layout cell, verdicts and names; per thread, the matrix
            // products' workspace
            times(self.neurons, 512),
            times(threads + 1, 1 << 20),
        ]
        .into_iter()
        .fold(0u64, u64::saturating_add)
    }
}

/// Bytes [`scorecard`] needs at its peak on `net` with a `grid` x `grid` grid (an
/// estimate that errs high), found without evaluating anything: every neuron's plane
/// (and one set per sweeping thread), the hidden planes' centred and rotated copies,
/// each layer's covariance and its eigenvectors, the Gram matrix of the distinct
/// functions, and the sweeps' list.
pub fn scorecard_bytes(net: &Network, grid: usize) -> u64 {
    ScorecardShape::of(net).bytes(grid)
}

/// Refuses a scorecard of `net` with `opts` that would need more than `budget` bytes,
/// naming the largest grid that fits (or why none does).
pub fn scorecard_within(
    net: &Network,
    opts: &Options,
    budget: u64,
) -> Result<(), crate::budget::OverBudget> {
    let shape = ScorecardShape::of(net);
    let need = shape.bytes(opts.grid);
    if need <= budget {
        return Ok(());
    }
    let fits = crate::budget::largest_that_fits(2..=opts.grid, budget, |g| shape.bytes(g));
    let change = if let Some(fits) = fits {
        format!("use a grid of at most {fits} (-s)")
    } else {
        format!(
            "{} neurons and {} weights are too many to measure at any grid size",
            shape.neurons, shape.weights
        )
    };
    let what = format!(
        "measuring {} neurons over a {}x{} grid",
        shape.neurons, opts.grid, opts.grid
    );
    crate::budget::check(&what, need, budget, &change)
}

/// Measures a network. `cancel` is polled during the sweeps; `None` when it said stop.
pub fn scorecard(
    net: &Network,
    name: &str,
    form: Form,
    opts: &Options,
    cancel: &(dyn Fn() -> bool + Sync),
) -> Option<Scorecard> {
    let ev = Evaluated::of(net, opts.grid);
    let (neurons, layers, pca) = neuron_measures(&ev, form != Form::Genome);
    let (chosen, sampled) = sweeps::chosen(net.params().len(), opts.sample, opts.seed);
    let grid = Grid::square(opts.grid);
    let original = sweeps::render(net, &grid);
    let each = sweeps::measure_sweeps(net, &original, &grid, &chosen, opts.delta, cancel)?;
    Some(Scorecard {
        name: name.to_string(),
        form,
        weights: net.params().len(),
        neurons,
        layers,
        pca,
        sweeps: summarize(each, sampled),
    })
}

/// Neuron counts, per-layer measures and the PCA control's counts. Measures only for
/// layers (effective dimension...) only for layered forms (`layered`); a genome's rows
/// are not layers of a net.
pub fn neuron_measures(
    ev: &Evaluated,
    layered: bool,
) -> (NeuronCounts, Vec<LayerMeasures>, NeuronCounts) {
    let hidden = ev.hidden_layers();
    let layers: Vec<Vec<&[f32]>> = hidden
        .iter()
        .map(|l| l.iter().map(|&p| ev.planes.plane(p)).collect())
        .collect();
    let flat: Vec<&[f32]> = layers.iter().flatten().copied().collect();
    let v = verdicts(&flat, ev.planes.width);
    let per_layer = layer_measures(&layers, ev.planes.width, &v, layered);
    let rotated: Vec<Vec<f32>> = layers
        .iter()
        .flat_map(|l| pca::Rotation::of(l).rotate(l))
        .collect();
    let rotated: Vec<&[f32]> = rotated.iter().map(Vec::as_slice).collect();
    let pca = counts(&verdicts(&rotated, ev.planes.width));
    (counts(&v), per_layer, pca)
}

fn summarize(each: Vec<SweepMeasure>, sampled: bool) -> SweepSummary {
    let live: Vec<&SweepMeasure> = each.iter().filter(|s| !s.dead).collect();
    SweepSummary {
        count: each.len(),
        dead: each.len() - live.len(),
        sampled,
        summaries: ByMeasure::from_fn(|def| {
            Summary::of(live.iter().map(|s| s.values[def.key]).collect())
        }),
        each,
    }
}

#[cfg(test)]
mod tests;
