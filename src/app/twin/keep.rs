//! The SGD twin kept in the library while it trains: the settings a run was started
//! with (as JSON, to continue it after a restart), which part of the run the library
//! already has, and how fast the run goes (steps/s smoothed, and the time left).

use picbreeder::breed::GenerationId;
use picbreeder::cppn::Genome;
use picbreeder::sgd::run::RunProgress;
use serde::{Deserialize, Serialize};
use std::time::{Duration, Instant};

/// Least time between two saves of a running twin: the library gets the newest net
/// and the new curve points this often (and once more when the run ends).
pub const SAVE_EVERY: Duration = Duration::from_secs(3);

/// A genome's name in the library's twins: the content hash of its JSON.
pub fn genome_hash(genome: &Genome) -> String {
    let json = serde_json::to_string(genome).expect("a genome always serializes");
    picbreeder::store::content_hash(json.as_bytes())
}

/// The SGD panel's settings a run was made with, as stored with its twin. Codes are
/// the CLI's own (`--arch`, `--method`), never a menu position.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrainSettings {
    pub arch: String,
    pub method: String,
    pub resolution: usize,
    pub lr: f32,
    pub unit_norm: bool,
    pub minibatch: Option<usize>,
    pub seed: u64,
    pub straight_through: bool,
    pub steps: u64,
}

/// Where a run's twin goes in the library and what of it the library has.
#[derive(Clone, Debug)]
pub struct Keeper {
    pub started: i64,
    pub genome: String,
    pub generation: GenerationId,
    pub child: usize,
    pub setup: String,
    /// Curve points and path snapshots already saved, and the step of the net saved.
    pub curve_sent: usize,
    pub snaps_sent: usize,
    pub saved_step: Option<u64>,
    pub last_save: Option<Instant>,
    /// False once the session changed: the run goes on but is no longer kept.
    pub kept: bool,
}

impl Keeper {
    pub fn new(genome: String, (generation, child): (GenerationId, usize), setup: String) -> Self {
        let started = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as i64);
        Keeper {
            started,
            genome,
            generation,
            child,
            setup,
            curve_sent: 0,
            snaps_sent: 0,
            saved_step: None,
            last_save: None,
            kept: true,
        }
    }

    /// A save is due: something new, and [`SAVE_EVERY`] passed since the last save
    /// (or `now_anyway`: the run ended).
    pub fn due(&self, step: u64, now: Instant, now_anyway: bool) -> bool {
        self.kept
            && self.saved_step != Some(step)
            && (now_anyway || self.last_save.is_none_or(|t| now - t >= SAVE_EVERY))
    }
}

/// A run's speed, smoothed over the last second or so of reports, and the time left.
#[derive(Clone, Debug, Default)]
pub struct Pace {
    rate: Option<f64>,
}

impl Pace {
    /// Takes in a progress report (a paused one says nothing about speed).
    pub fn observe(&mut self, p: &RunProgress) {
        let r = p.steps_per_sec;
        if p.paused || !(r.is_finite() && r > 0.0) {
            return;
        }
        // Reports come every 100 ms: a tenth of the way each time is a second's memory.
        self.rate = Some(self.rate.map_or(r, |old| old + 0.1 * (r - old)));
    }

    pub fn reset(&mut self) {
        self.rate = None;
    }

    /// Steps a second, once the run has gone some.
    pub fn rate(&self) -> Option<f64> {
        self.rate
    }

    /// Time to step `goal` from `step` at the smoothed rate.
    pub fn time_left(&self, step: u64, goal: u64) -> Option<Duration> {
        let rate = self.rate?;
        Some(Duration::from_secs_f64(
            goal.saturating_sub(step) as f64 / rate,
        ))
    }
}

/// "2 h 05 min", "3 min 07 s", "12 s".
pub fn duration_text(d: Duration) -> String {
    let s = d.as_secs();
    if s >= 3600 {
        format!("{} h {:02} min", s / 3600, s % 3600 / 60)
    } else if s >= 60 {
        format!("{} min {:02} s", s / 60, s % 60)
    } else {
        format!("{s} s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(step: u64, rate: f64, paused: bool) -> RunProgress {
        RunProgress {
            step,
            loss: 0.1,
            psnr: 10.0,
            steps_per_sec: rate,
            forward_passes: step * 3,
            lr: 3e-3,
            paused,
            losses: vec![],
        }
    }

    /// A running twin is saved at once, then at most every [`SAVE_EVERY`] (at once
    /// when its run ended), only when its net moved on, and never once unkept.
    #[test]
    fn saves_come_at_most_every_few_seconds() {
        let mut k = Keeper::new("g".into(), (GenerationId(0), 0), "{}".into());
        let t0 = Instant::now();
        assert!(k.due(0, t0, false), "the first at once");
        (k.saved_step, k.last_save) = (Some(0), Some(t0));
        assert!(!k.due(0, t0 + SAVE_EVERY * 2, false), "nothing new");
        assert!(!k.due(50, t0 + SAVE_EVERY / 2, false), "too soon");
        assert!(k.due(50, t0 + SAVE_EVERY / 2, true), "the run ended");
        assert!(k.due(50, t0 + SAVE_EVERY, false));
        k.kept = false;
        assert!(!k.due(50, t0 + SAVE_EVERY * 2, true), "no longer kept");
    }

    /// At a steady rate the time left is the remaining steps over it, and falls as the
    /// steps go; a pause says nothing about speed; a burst moves the rate only a
    /// tenth of the way.
    #[test]
    fn time_left_follows_the_smoothed_rate() {
        let mut pace = Pace::default();
        assert_eq!(pace.time_left(0, 1000), None, "no rate before a report");
        let mut left = vec![];
        for k in 1..=10 {
            pace.observe(&report(k * 50, 50.0, false));
            left.push(pace.time_left(k * 50, 1000).unwrap());
        }
        assert_eq!(left[0], Duration::from_secs(19));
        assert_eq!(left[9], Duration::from_secs(10));
        assert!(left.windows(2).all(|w| w[1] < w[0]), "{left:?}");
        pace.observe(&report(500, 0.0, true));
        assert_eq!(pace.rate(), Some(50.0));
        pace.observe(&report(510, 550.0, false));
        assert_eq!(pace.rate(), Some(100.0));
        assert_eq!(pace.time_left(2000, 1000), Some(Duration::ZERO));
        assert_eq!(duration_text(Duration::from_secs(7507)), "2 h 05 min");
        assert_eq!(duration_text(Duration::from_secs(187)), "3 min 07 s");
        assert_eq!(duration_text(Duration::from_secs(12)), "12 s");
    }
}
