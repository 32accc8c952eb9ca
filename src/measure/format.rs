//! The scorecard as a table (the CLI, the window, CSV) and as JSON
//! (`picbreeder-scorecard`, version 1).

use super::defs::{MEASURES, MeasureKind};
use super::{Options, Scorecard};
use serde::{Deserialize, Serialize};

pub const FORMAT: &str = "picbreeder-scorecard";
pub const VERSION: u32 = 1;

/// A JSON scorecard file: the options and one entry per network.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub format: String,
    pub version: u32,
    pub grid: usize,
    pub delta: f64,
    pub sample: usize,
    pub seed: u64,
    pub networks: Vec<Scorecard>,
}

/// Why a scorecard file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("not a scorecard: {0}")]
    Json(#[from] serde_json::Error),
    #[error("not a picbreeder-scorecard file (format is '{0}')")]
    Format(String),
    #[error("scorecard version {0} is newer than this program reads ({VERSION})")]
    Version(u32),
}

impl Report {
    pub fn new(opts: &Options, networks: Vec<Scorecard>) -> Report {
        Report {
            format: FORMAT.into(),
            version: VERSION,
            grid: opts.grid,
            delta: opts.delta,
            sample: opts.sample,
            seed: opts.seed,
            networks,
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a scorecard always serializes")
    }

    pub fn from_json(text: &str) -> Result<Report, ReportError> {
        let r: Report = serde_json::from_str(text)?;
        if r.format != FORMAT {
            return Err(ReportError::Format(r.format));
        }
        if r.version > VERSION {
            return Err(ReportError::Version(r.version));
        }
        Ok(r)
    }
}

/// The scorecard table: one row per measure ([`MEASURES`]), one column per network;
/// what was measured (form, weights, neurons, sweeps) first and before the sweeps.
pub fn table(cards: &[Scorecard]) -> Vec<(String, Vec<String>)> {
    let row = |name: &str, f: &dyn Fn(&Scorecard) -> String| {
        (name.to_string(), cards.iter().map(f).collect::<Vec<_>>())
    };
    let mut rows = vec![
        row("form", &|c| c.form.name().to_string()),
        row("weights", &|c| c.weights.to_string()),
        row("hidden neurons", &|c| c.neurons.hidden.to_string()),
        row("constant", &|c| c.neurons.constant.to_string()),
    ];
    let mut sweeps_said = false;
    for def in MEASURES {
        if matches!(def.kind, MeasureKind::Sweep(_)) && !sweeps_said {
            sweeps_said = true;
            rows.push(row("sweeps", &|c| {
                let weights = c.sweeps.count / 2;
                if c.sweeps.sampled {
                    format!("{} ({weights} of {} weights)", c.sweeps.count, c.weights)
                } else {
                    c.sweeps.count.to_string()
                }
            }));
            rows.push(row("dead sweeps", &|c| c.sweeps.dead.to_string()));
        }
        rows.push(row(&def.row(), &|c| def.cell(c)));
    }
    rows
}

/// The table as CSV (header: `measure` and the networks' names).
pub fn csv(cards: &[Scorecard]) -> String {
    let quote = |s: &str| {
        if s.contains([',', '"', '\n']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_string()
        }
    };
    let mut out = std::iter::once("measure".to_string())
        .chain(cards.iter().map(|c| quote(&c.name)))
        .collect::<Vec<_>>()
        .join(",");
    out.push('\n');
    for (name, values) in table(cards) {
        let line: Vec<String> = std::iter::once(quote(&name))
            .chain(values.iter().map(|v| quote(v)))
            .collect();
        out.push_str(&line.join(","));
        out.push('\n');
    }
    out
}

/// The table as aligned text columns, for the terminal.
pub fn text(cards: &[Scorecard]) -> String {
    let rows = table(cards);
    let mut all = vec![(
        String::new(),
        cards.iter().map(|c| c.name.clone()).collect::<Vec<_>>(),
    )];
    all.extend(rows);
    let w0 = all.iter().map(|r| r.0.len()).max().unwrap_or(0);
    let ws: Vec<usize> = (0..cards.len())
        .map(|k| {
            all.iter()
                .map(|r| r.1[k].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for (name, values) in all {
        out.push_str(&format!("{name:<w0$}"));
        for (v, w) in values.iter().zip(&ws) {
            out.push_str(&format!("  {v:>w$}"));
        }
        out.push('\n');
    }
    out
}
