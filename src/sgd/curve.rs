//! A training run's loss curve: step, loss, PSNR and the forward passes spent, every
//! step or every k-th, written as CSV (`picbreeder train --curve`, the SGD panel's
//! export, the experiments). The forward passes put every method on one budget axis
//! ([`super::trainer::TrainConfig::passes_per_step`]).

use super::trainer::psnr_of_mse;

/// One point of a curve.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CurvePoint {
    pub step: u64,
    /// Mean squared error (RGB in [0, 1]) of the step's batch, before its update.
    pub loss: f64,
    /// `10 log10(1 / loss)`.
    pub psnr: f64,
    /// Forward passes over the batch spent by the end of this step (0 in files written
    /// before it was kept).
    #[serde(default)]
    pub forward_passes: u64,
}

impl CurvePoint {
    /// Step `step`'s point of a run whose every step costs `passes_per_step`.
    pub fn new(step: u64, loss: f64, passes_per_step: u64) -> CurvePoint {
        CurvePoint {
            step,
            loss,
            psnr: psnr_of_mse(loss),
            forward_passes: step * passes_per_step,
        }
    }
}

/// Keeps every `every`-th step's loss (steps 1, 1 + k, 1 + 2k, ...) and the last one
/// pushed, so a curve always ends where the run did.
#[derive(Clone, Debug, PartialEq)]
pub struct Curve {
    every: u64,
    passes_per_step: u64,
    points: Vec<CurvePoint>,
    last: Option<CurvePoint>,
}

impl Curve {
    /// A curve keeping every `every`-th step (0 counts as 1) of a run whose every step
    /// costs `passes_per_step` forward passes.
    pub fn new(every: u64, passes_per_step: u64) -> Curve {
        Curve {
            every: every.max(1),
            passes_per_step,
            points: vec![],
            last: None,
        }
    }

    pub fn push(&mut self, step: u64, loss: f64) {
        let p = CurvePoint::new(step, loss, self.passes_per_step);
        if step.saturating_sub(1).is_multiple_of(self.every) {
            self.points.push(p);
            self.last = None;
        } else {
            self.last = Some(p);
        }
    }

    /// The kept points, the last pushed one included.
    pub fn points(&self) -> Vec<CurvePoint> {
        let mut out = self.points.clone();
        out.extend(self.last);
        out
    }

    /// `step,loss,psnr_db,forward_passes` and a line per point.
    pub fn to_csv(&self) -> String {
        curve_csv(&self.points())
    }
}

/// Points as CSV with a header line.
pub fn curve_csv(points: &[CurvePoint]) -> String {
    let mut s = String::from("step,loss,psnr_db,forward_passes\n");
    for p in points {
        s.push_str(&format!(
            "{},{:.6e},{:.4},{}\n",
            p.step, p.loss, p.psnr, p.forward_passes
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_every_kth_and_the_last() {
        let mut c = Curve::new(10, 17);
        for s in 1..=25 {
            c.push(s, 0.1);
        }
        let steps: Vec<u64> = c.points().iter().map(|p| p.step).collect();
        assert_eq!(steps, [1, 11, 21, 25]);
        let passes: Vec<u64> = c.points().iter().map(|p| p.forward_passes).collect();
        assert_eq!(passes, [17, 187, 357, 425]);
        let csv = c.to_csv();
        assert!(csv.starts_with("step,loss,psnr_db,forward_passes\n1,1.000000e-1,10.0000,17\n"));
        assert_eq!(csv.lines().count(), 5);
    }
}
