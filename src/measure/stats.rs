//! A distribution in brief: median and quartiles, with every value kept.

use serde::{Deserialize, Serialize};

/// Median, first and third quartiles (linear interpolation, as numpy's default) and the
/// values themselves, in the order they were measured.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    #[serde(deserialize_with = "nan_from_null")]
    pub median: f64,
    #[serde(deserialize_with = "nan_from_null")]
    pub q1: f64,
    #[serde(deserialize_with = "nan_from_null")]
    pub q3: f64,
    pub values: Vec<f64>,
}

impl Summary {
    /// NaN quartiles for no values (JSON `null`).
    pub fn of(values: Vec<f64>) -> Summary {
        let mut sorted: Vec<f64> = values.iter().copied().filter(|v| !v.is_nan()).collect();
        sorted.sort_by(f64::total_cmp);
        Summary {
            median: quantile(&sorted, 0.5),
            q1: quantile(&sorted, 0.25),
            q3: quantile(&sorted, 0.75),
            values,
        }
    }
}

/// JSON writes a NaN ("not measured") as `null`; read it back as NaN.
pub fn nan_from_null<'de, D: serde::Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::NAN))
}

/// The `q` quantile of sorted values by linear interpolation; NaN when empty.
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    match sorted.len() {
        0 => f64::NAN,
        n => {
            let pos = q * (n - 1) as f64;
            let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
            sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quartiles_as_numpy() {
        let s = Summary::of(vec![4.0, 1.0, 3.0, 2.0, 5.0]);
        assert_eq!((s.q1, s.median, s.q3), (2.0, 3.0, 4.0));
        let s = Summary::of(vec![1.0, 2.0, 3.0, 4.0]);
        assert_eq!((s.q1, s.median, s.q3), (1.75, 2.5, 3.25));
        assert!(Summary::of(vec![]).median.is_nan());
    }
}
