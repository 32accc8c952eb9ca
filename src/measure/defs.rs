//! Every scorecard measure, once: its name, what it measures, how it is computed, its
//! digits and which way is "more like the evolved networks". The JSON, the table (CLI,
//! window, CSV), the plots, the window's Measure view and the studies all read
//! [`MEASURES`]; adding a measure is one entry here and its function.

use super::Scorecard;
use super::neurons::NeuronCounts;
use super::stats::Summary;
use serde::de::{DeserializeOwned, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::marker::PhantomData;

/// Which way a measure moves towards the unified, factored representation the paper
/// finds in evolved networks (`Neither` where the paper draws no such line).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Better {
    Higher,
    Lower,
    Neither,
}

impl Better {
    pub fn name(self) -> &'static str {
        match self {
            Better::Higher => "higher",
            Better::Lower => "lower",
            Better::Neither => "-",
        }
    }
}

/// The planes of one hidden layer (each `width` pixels wide).
pub struct LayerPlanes<'a> {
    pub planes: &'a [&'a [f32]],
    pub width: usize,
}

/// One weight sweep's change of the image, what every sweep measure reads.
pub struct Change<'a> {
    /// Per pixel, the mean over R, G, B of (swept - original), colours in [0, 1].
    pub delta: &'a [f32],
    /// Pixels whose |change| is above [`super::sweeps::CHANGED`].
    pub mask: &'a [bool],
    pub width: usize,
    /// Mean squared difference over R, G and B, colours in [0, 1].
    pub mse: f64,
}

/// Where a measure's numbers come from, and how a network's headline is made of them.
#[derive(Clone, Copy)]
pub enum MeasureKind {
    /// Counted over the hidden neurons' verdicts: (count, fraction of the non-constant
    /// neurons). The headline is the fraction.
    Neurons(fn(&NeuronCounts) -> (usize, f64)),
    /// The same count on each layer rotated onto its principal components.
    Pca(fn(&NeuronCounts) -> (usize, f64)),
    /// One number per hidden layer (NaN where it has none); the headline is the mean
    /// over the layers that have one. `layered_only`: not measured on a genome's graph,
    /// whose rows are not layers of a net.
    Layer {
        of: fn(&LayerPlanes) -> f64,
        layered_only: bool,
    },
    /// One number per live weight sweep; the headline is the median.
    Sweep(fn(&Change) -> f64),
}

/// One scorecard measure.
#[derive(Clone, Copy)]
pub struct MeasureDef {
    /// Its name in JSON and study files; never changed once written.
    pub key: &'static str,
    /// Its name on screen.
    pub name: &'static str,
    /// The unit after a value ("dB"), or "".
    pub unit: &'static str,
    pub what: &'static str,
    pub how: &'static str,
    /// Decimals of the scorecard table.
    pub digits: usize,
    /// Decimals where room is short: study means (window cells show at least 2).
    pub short: usize,
    /// A share of something (0..1): compact cells show it as a percentage.
    pub fraction: bool,
    pub better: Better,
    /// Among a study's headline numbers (each trained net's, each genome's).
    pub study: bool,
    pub kind: MeasureKind,
}

/// Every measure, in the table's order.
pub const MEASURES: &[MeasureDef] = &[
    MeasureDef {
        key: "symmetric",
        name: "symmetric L-R",
        unit: "",
        what: "hidden neurons whose plane is left-right symmetric or antisymmetric",
        how: "|Pearson r| between the plane and its left-right mirror >= 0.95",
        digits: 2,
        short: 2,
        fraction: true,
        better: Better::Higher,
        study: true,
        kind: MeasureKind::Neurons(|n| (n.symmetric, n.symmetric_fraction)),
    },
    MeasureDef {
        key: "symmetric_tb",
        name: "symmetric T-B",
        unit: "",
        what: "hidden neurons whose plane is top-bottom symmetric or antisymmetric",
        how: "|Pearson r| between the plane and its top-bottom mirror >= 0.95",
        digits: 2,
        short: 2,
        fraction: true,
        better: Better::Neither,
        study: false,
        kind: MeasureKind::Neurons(|n| (n.symmetric_tb, n.symmetric_tb_fraction)),
    },
    MeasureDef {
        key: "distinct",
        name: "distinct functions",
        unit: "",
        what: "functions left after merging neurons equal up to sign, scale and offset",
        how: "greedy merge of neurons whose centred planes have |cosine| >= 0.99",
        digits: 2,
        short: 2,
        fraction: true,
        better: Better::Neither,
        study: true,
        kind: MeasureKind::Neurons(|n| (n.distinct, n.distinct_fraction)),
    },
    MeasureDef {
        key: "effective_dimension",
        name: "effective dimension",
        unit: "",
        what: "how many directions a layer's activations spread over",
        how: "participation ratio (sum l)^2 / sum l^2 of the eigenvalues of the layer's \
              covariance over the pixels",
        digits: 2,
        short: 2,
        fraction: false,
        better: Better::Neither,
        study: false,
        kind: MeasureKind::Layer {
            of: |l| super::neurons::effective_dimension(l.planes),
            layered_only: true,
        },
    },
    MeasureDef {
        key: "roughness",
        name: "roughness",
        unit: "",
        what: "how much neighbouring pixels of a hidden plane differ, for its contrast",
        how: "mean over right and down neighbour pairs of the squared difference, over the \
              plane's variance; a layer's is the mean over its non-constant planes \
              (constant planes are left out: they have no contrast to be rough with)",
        digits: 4,
        short: 4,
        fraction: false,
        better: Better::Lower,
        study: true,
        kind: MeasureKind::Layer {
            of: |l| super::neurons::layer_roughness(l.planes, l.width),
            layered_only: false,
        },
    },
    MeasureDef {
        key: "effective_rank_width",
        name: "effective rank / width",
        unit: "",
        what: "the share of a layer's width its activations really use",
        how: "exp of the entropy of the normalized singular values of the layer's centred \
              activation matrix (pixels x neurons; values below 1e-6 of the largest count as 0), \
              over the layer's width (constant neurons included); 0 for an all-constant layer",
        digits: 2,
        short: 2,
        fraction: true,
        better: Better::Lower,
        study: true,
        kind: MeasureKind::Layer {
            of: |l| super::neurons::effective_rank(l.planes) / l.planes.len().max(1) as f64,
            layered_only: true,
        },
    },
    MeasureDef {
        key: "pca_symmetric",
        name: "symmetric L-R",
        unit: "",
        what: "the symmetric count on each layer rotated onto its principal components \
               (is the fracture only a rotation?)",
        how: "as symmetric L-R, on the rotated planes",
        digits: 2,
        short: 2,
        fraction: true,
        better: Better::Higher,
        study: false,
        kind: MeasureKind::Pca(|n| (n.symmetric, n.symmetric_fraction)),
    },
    MeasureDef {
        key: "pca_distinct",
        name: "distinct functions",
        unit: "",
        what: "the distinct count on each layer rotated onto its principal components",
        how: "as distinct functions, on the rotated planes",
        digits: 2,
        short: 2,
        fraction: true,
        better: Better::Neither,
        study: false,
        kind: MeasureKind::Pca(|n| (n.distinct, n.distinct_fraction)),
    },
    MeasureDef {
        key: "change_symmetry",
        name: "change symmetry",
        unit: "",
        what: "whether moving one weight changes the image symmetrically",
        how: "1 - sum|D - mirror(D)| / (sum|D| + sum|mirror(D)|), D the change of the \
              colours, mirror left-right",
        digits: 3,
        short: 2,
        fraction: false,
        better: Better::Higher,
        study: true,
        kind: MeasureKind::Sweep(|c| super::sweeps::change_symmetry(c.delta, c.width)),
    },
    MeasureDef {
        key: "fragmentation",
        name: "fragmentation",
        unit: "",
        what: "in how many pieces one weight's change of the image falls",
        how: "4-connected regions of the pixels whose |change| > 0.05",
        digits: 1,
        short: 1,
        fraction: false,
        better: Better::Lower,
        study: true,
        kind: MeasureKind::Sweep(|c| super::regions::count_regions(c.mask, c.width) as f64),
    },
    MeasureDef {
        key: "reach",
        name: "reach",
        unit: "",
        what: "how much of the image one weight changes",
        how: "share of the pixels whose |change| > 0.05",
        digits: 3,
        short: 2,
        fraction: true,
        better: Better::Neither,
        study: true,
        kind: MeasureKind::Sweep(|c| {
            c.mask.iter().filter(|&&m| m).count() as f64 / c.mask.len().max(1) as f64
        }),
    },
    MeasureDef {
        key: "preservation",
        name: "preservation",
        unit: "dB",
        what: "how much of the image survives moving one weight",
        how: "PSNR of the swept image against the original, colours in [0, 1]",
        digits: 1,
        short: 1,
        fraction: false,
        better: Better::Neither,
        study: true,
        kind: MeasureKind::Sweep(|c| {
            if c.mse == 0.0 {
                f64::INFINITY
            } else {
                -10.0 * c.mse.log10()
            }
        }),
    },
];

impl MeasureDef {
    /// Its row in the scorecard table.
    pub fn row(&self) -> String {
        match self.kind {
            MeasureKind::Pca(_) => format!("PCA: {}", self.name),
            MeasureKind::Layer { .. } => format!("mean {}", self.name),
            MeasureKind::Neurons(_) | MeasureKind::Sweep(_) if !self.unit.is_empty() => {
                format!("{} ({})", self.name, self.unit)
            }
            _ => self.name.to_string(),
        }
    }

    /// The one number a network gets (see [`MeasureKind`]); NaN when it has none.
    pub fn headline(&self, card: &Scorecard) -> f64 {
        match self.kind {
            MeasureKind::Neurons(f) => f(&card.neurons).1,
            MeasureKind::Pca(f) => f(&card.pca).1,
            MeasureKind::Layer { .. } => layer_mean(card, self.key),
            MeasureKind::Sweep(_) => card.sweeps.summaries[self.key].median,
        }
    }

    /// Its cell of the scorecard table.
    pub fn cell(&self, card: &Scorecard) -> String {
        let frac = |(k, f): (usize, f64)| {
            if f.is_nan() {
                format!("{k}")
            } else {
                format!("{k} ({:.0}%)", 100.0 * f)
            }
        };
        let d = self.digits;
        match self.kind {
            MeasureKind::Neurons(f) => frac(f(&card.neurons)),
            MeasureKind::Pca(f) => frac(f(&card.pca)),
            MeasureKind::Layer { .. } => {
                let m = layer_mean(card, self.key);
                if m.is_finite() {
                    format!("{m:.d$}")
                } else {
                    "-".into()
                }
            }
            MeasureKind::Sweep(_) => {
                let s = &card.sweeps.summaries[self.key];
                if s.values.is_empty() {
                    "-".to_string()
                } else {
                    format!("{:.d$} [{:.d$}, {:.d$}]", s.median, s.q1, s.q3)
                }
            }
        }
    }

    /// A compact cell (a study's table in the window): a percentage for a fraction,
    /// `short` decimals (at least 2) and the unit otherwise.
    pub fn compact(&self, v: f64) -> String {
        let d = self.short.max(2);
        if self.fraction {
            format!("{:.0}%", 100.0 * v)
        } else if self.unit.is_empty() {
            format!("{v:.d$}")
        } else {
            format!("{v:.d$} {}", self.unit)
        }
    }
}

/// Mean of a layer measure over the layers that have it; NaN when none has.
fn layer_mean(card: &Scorecard, key: &str) -> f64 {
    let d: Vec<f64> = card
        .layers
        .iter()
        .map(|l| l.values[key])
        .filter(|d| d.is_finite())
        .collect();
    if d.is_empty() {
        f64::NAN
    } else {
        d.iter().sum::<f64>() / d.len() as f64
    }
}

/// The measures of a study's results, in order.
pub fn study() -> impl Iterator<Item = &'static MeasureDef> {
    MEASURES.iter().filter(|d| d.study)
}

/// A measure by key.
pub fn by_key(key: &str) -> Option<&'static MeasureDef> {
    MEASURES.iter().find(|d| d.key == key)
}

/// A kind of measure stored per item (a layer, a sweep).
pub trait Family {
    fn has(def: &MeasureDef) -> bool;
    fn defs() -> impl Iterator<Item = &'static MeasureDef> {
        MEASURES.iter().filter(|d| Self::has(d))
    }
}

/// The [`MeasureKind::Layer`] measures.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Layers;
impl Family for Layers {
    fn has(def: &MeasureDef) -> bool {
        matches!(def.kind, MeasureKind::Layer { .. })
    }
}

/// The [`MeasureKind::Sweep`] measures.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Sweeps;
impl Family for Sweeps {
    fn has(def: &MeasureDef) -> bool {
        matches!(def.kind, MeasureKind::Sweep(_))
    }
}

/// What a measure missing from an older file reads as.
pub trait Missing {
    fn missing() -> Self;
}
impl Missing for f64 {
    fn missing() -> f64 {
        f64::NAN
    }
}
impl Missing for Summary {
    fn missing() -> Summary {
        Summary::of(vec![])
    }
}

/// One value per measure of a family, in [`MEASURES`] order. Written as `"key": value`
/// fields (flattened into the item), so files keep the field names they always had; a
/// key missing from an older file reads as [`Missing`], an unknown one is skipped.
#[derive(Clone, Debug, PartialEq)]
pub struct ByMeasure<F, T> {
    pub values: Vec<T>,
    family: PhantomData<F>,
}

impl<F: Family, T> ByMeasure<F, T> {
    pub fn from_fn(f: impl FnMut(&'static MeasureDef) -> T) -> Self {
        ByMeasure {
            values: F::defs().map(f).collect(),
            family: PhantomData,
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = (&'static MeasureDef, &T)> {
        F::defs().zip(&self.values)
    }
}

impl<F: Family, T: Missing> Default for ByMeasure<F, T> {
    fn default() -> Self {
        Self::from_fn(|_| T::missing())
    }
}

impl<F: Family, T> std::ops::Index<&str> for ByMeasure<F, T> {
    type Output = T;
    /// Panics on a key not of this family: a typo in the program, not in a file.
    fn index(&self, key: &str) -> &T {
        let k = F::defs()
            .position(|d| d.key == key)
            .unwrap_or_else(|| panic!("no such measure: {key}"));
        &self.values[k]
    }
}

impl<F: Family, T: Serialize> Serialize for ByMeasure<F, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.values.len()))?;
        for (def, v) in self.iter() {
            map.serialize_entry(def.key, v)?;
        }
        map.end()
    }
}

impl<'de, F: Family, T: DeserializeOwned + Missing> Deserialize<'de> for ByMeasure<F, T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<F, T>(PhantomData<(F, T)>);
        impl<'de, F: Family, T: DeserializeOwned + Missing> Visitor<'de> for V<F, T> {
            type Value = ByMeasure<F, T>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("measures by name")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out: Vec<Option<T>> = F::defs().map(|_| None).collect();
                while let Some(key) = map.next_key::<String>()? {
                    match F::defs().position(|d| d.key == key) {
                        // null (a NaN written) reads as missing.
                        Some(k) => out[k] = map.next_value::<Option<T>>()?,
                        None => {
                            map.next_value::<serde::de::IgnoredAny>()?;
                        }
                    }
                }
                Ok(ByMeasure {
                    values: out
                        .into_iter()
                        .map(|v| v.unwrap_or_else(T::missing))
                        .collect(),
                    family: PhantomData,
                })
            }
        }
        d.deserialize_map(V(PhantomData))
    }
}

/// The measures as a Markdown table (docs/measures.md holds it; a test keeps it so).
pub fn markdown() -> String {
    let mut out = String::from(
        "| key | row in the table | what it measures | how it is computed | digits | better |\n\
         |---|---|---|---|---|---|\n",
    );
    let cell = |s: &str| s.replace('|', "\\|");
    for d in MEASURES {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | {} |\n",
            d.key,
            d.row(),
            cell(d.what),
            cell(d.how),
            d.digits,
            d.better.name()
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_rows_are_unique() {
        for (i, a) in MEASURES.iter().enumerate() {
            for b in &MEASURES[i + 1..] {
                assert_ne!(a.key, b.key);
                assert_ne!(a.row(), b.row());
            }
        }
    }

    #[test]
    fn a_missing_key_reads_as_missing_and_an_unknown_one_is_skipped() {
        let v: ByMeasure<Sweeps, f64> =
            serde_json::from_str(r#"{"reach": 0.5, "fragmentation": null, "new": [1]}"#).unwrap();
        assert_eq!(v["reach"], 0.5);
        assert!(v["fragmentation"].is_nan() && v["change_symmetry"].is_nan());
        let text = serde_json::to_string(&v).unwrap();
        assert_eq!(
            text,
            r#"{"change_symmetry":null,"fragmentation":null,"reach":0.5,"preservation":null}"#
        );
    }

    #[test]
    fn docs_carry_the_table() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/measures.md");
        let doc = std::fs::read_to_string(path).expect("docs/measures.md");
        assert!(
            doc.contains(&markdown()),
            "docs/measures.md's table is not the measures' table; paste:\n{}",
            markdown()
        );
    }
}
