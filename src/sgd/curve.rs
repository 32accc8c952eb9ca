//! A training run's loss curve: step, loss and PSNR, every step or every k-th, written
//! as CSV (`picbreeder train --curve`, the SGD panel's export, the experiments).

use super::trainer::psnr_of_mse;

/// One point of a curve.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CurvePoint {
    pub step: u64,
    /// Mean squared error (RGB in [0, 1]) of the step's batch, before its update.
    pub loss: f64,
    /// `10 log10(1 / loss)`.
    pub psnr: f64,
}

/// Keeps every `every`-th step's loss (steps 1, 1 + k, 1 + 2k, ...) and the last one
/// pushed, so a curve always ends where the run did.
#[derive(Clone, Debug, PartialEq)]
pub struct Curve {
    every: u64,
    points: Vec<CurvePoint>,
    last: Option<CurvePoint>,
}

impl Curve {
    /// A curve keeping every `every`-th step (0 counts as 1).
    pub fn new(every: u64) -> Curve {
        Curve {
            every: every.max(1),
            points: vec![],
            last: None,
        }
    }

    pub fn push(&mut self, step: u64, loss: f64) {
        let p = CurvePoint {
            step,
            loss,
            psnr: psnr_of_mse(loss),
        };
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

    /// `step,loss,psnr_db` and a line per point.
    pub fn to_csv(&self) -> String {
        curve_csv(&self.points())
    }
}

/// Points as CSV with a header line.
pub fn curve_csv(points: &[CurvePoint]) -> String {
    let mut s = String::from("step,loss,psnr_db\n");
    for p in points {
        s.push_str(&format!("{},{:.6e},{:.4}\n", p.step, p.loss, p.psnr));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_every_kth_and_the_last() {
        let mut c = Curve::new(10);
        for s in 1..=25 {
            c.push(s, 0.1);
        }
        let steps: Vec<u64> = c.points().iter().map(|p| p.step).collect();
        assert_eq!(steps, [1, 11, 21, 25]);
        let csv = c.to_csv();
        assert!(csv.starts_with("step,loss,psnr_db\n1,1.000000e-1,10.0000\n"));
        assert_eq!(csv.lines().count(), 5);
    }
}
