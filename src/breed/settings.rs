//! What a breeding session is set to: population size, thumbnail size, how genomes
//! vary. Saved with the session.

use crate::breed::random::RandomGenomeConfig;
use crate::cppn::crossover::CrossoverConfig;
use crate::cppn::genome::ColourMode;
use crate::cppn::mutate::MutationConfig;
use crate::io::Problem;
use serde::{Deserialize, Serialize};

/// A session's settings, with Picbreeder's defaults. Changing them affects generations
/// made afterwards only; replaying a run needs the same settings at the same steps.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Genomes per generation, kept parents included. Default 15 (a 3x5 grid).
    pub population: usize,
    /// Side of a thumbnail in pixels. Default 128.
    pub thumbnail: usize,
    /// Whether fresh random genomes are grey or colour. Default grey (Picbreeder began
    /// grey; "add colour" brings colour in without changing the picture).
    pub start_colour: ColourMode,
    pub mutation: MutationConfig,
    pub crossover: CrossoverConfig,
    pub random: RandomGenomeConfig,
    /// Varied children: breed [`super::variety::CANDIDATES_PER_CHILD`] times the children
    /// shown and keep the most mutually different ([`super::variety`]). Default on; off
    /// in files from before it (their generations were bred without it).
    #[serde(default)]
    pub varied: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            population: 15,
            thumbnail: 128,
            start_colour: ColourMode::Grey,
            mutation: MutationConfig::default(),
            crossover: CrossoverConfig::default(),
            random: RandomGenomeConfig::default(),
            varied: true,
        }
    }
}

impl Settings {
    /// Checks every setting against its limit ([`crate::limits`]), naming the first field
    /// out of range: a session file's settings are a file's input like any other.
    pub fn validate(&self) -> Result<(), Problem> {
        use crate::limits::{POPULATION, STRENGTH, THUMBNAIL};
        let bad = |field: &'static str, value: String, allowed: String| {
            Err(Problem::BadSetting {
                field,
                value,
                allowed,
            })
        };
        let within =
            |r: &std::ops::RangeInclusive<usize>| format!("allowed {}..={}", r.start(), r.end());
        if !POPULATION.contains(&self.population) {
            return bad(
                "population",
                self.population.to_string(),
                within(&POPULATION),
            );
        }
        if !THUMBNAIL.contains(&self.thumbnail) {
            return bad("thumbnail", self.thumbnail.to_string(), within(&THUMBNAIL));
        }
        let m = &self.mutation;
        if !STRENGTH.contains(&m.strength) {
            let allowed = format!("allowed {}..={}", STRENGTH.start(), STRENGTH.end());
            return bad("mutation.strength", m.strength.to_string(), allowed);
        }
        let rates = [
            ("mutation.perturb_rate", m.perturb_rate),
            ("crossover.disjoint_rate", self.crossover.disjoint_rate),
        ];
        for (field, v) in rates {
            if !(0.0..=1.0).contains(&v) {
                return bad(field, v.to_string(), "allowed 0..=1".into());
            }
        }
        let w = &m.weights;
        let weights = [
            ("mutation.weights.perturb", w.perturb),
            ("mutation.weights.add_link", w.add_link),
            ("mutation.weights.add_node", w.add_node),
            ("mutation.weights.change_activation", w.change_activation),
        ];
        for (field, v) in weights {
            if !(v.is_finite() && v >= 0.0) {
                return bad(field, v.to_string(), "a finite number >= 0".into());
            }
        }
        let r = &self.random;
        if r.hidden.0 > r.hidden.1 || r.hidden.1 > RANDOM_HIDDEN_MAX {
            let value = format!("{}..{}", r.hidden.0, r.hidden.1);
            return bad(
                "random.hidden",
                value,
                format!("a range within 0..={RANDOM_HIDDEN_MAX}"),
            );
        }
        if !(1..=RANDOM_ATTEMPTS_MAX).contains(&r.attempts) {
            let allowed = format!("allowed 1..={RANDOM_ATTEMPTS_MAX}");
            return bad("random.attempts", r.attempts.to_string(), allowed);
        }
        if !(1..=*THUMBNAIL.end()).contains(&r.probe_size) {
            let allowed = format!("allowed 1..={}", THUMBNAIL.end());
            return bad("random.probe_size", r.probe_size.to_string(), allowed);
        }
        Ok(())
    }
}

/// Most hidden nodes a fresh random genome may start with.
const RANDOM_HIDDEN_MAX: usize = 64;
/// Most draws of a fresh random genome.
const RANDOM_ATTEMPTS_MAX: usize = 1000;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_from_before_varied_children_read_as_not_varied() {
        let old: Settings = serde_json::from_str(r#"{"population": 9}"#).unwrap();
        assert_eq!(old.population, 9);
        assert!(!old.varied, "their generations were bred without it");
        assert!(Settings::default().varied);
        let json = serde_json::to_string(&Settings::default()).unwrap();
        assert!(serde_json::from_str::<Settings>(&json).unwrap().varied);
    }

    #[test]
    fn settings_out_of_range_are_named() {
        assert!(Settings::default().validate().is_ok());
        let s = Settings {
            population: 100_000_000,
            ..Settings::default()
        };
        let e = s.validate().unwrap_err().to_string();
        assert_eq!(e, "setting 'population' is 100000000: allowed 2..=60");
        let mut s = Settings::default();
        s.mutation.strength = f64::NAN;
        assert!(
            s.validate()
                .unwrap_err()
                .to_string()
                .contains("mutation.strength")
        );
        let mut s = Settings::default();
        s.random.hidden = (5, 2);
        assert!(
            s.validate()
                .unwrap_err()
                .to_string()
                .contains("random.hidden")
        );
    }
}
