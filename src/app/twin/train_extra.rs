//! The SGD panel's additions: what it says when a run collapses, and the loss curve's
//! CSV export (the same file as `picbreeder train --curve`).

use super::super::background::Latest;
use eframe::egui;
use picbreeder::sgd::curve::{CurvePoint, curve_csv};
use picbreeder::sgd::run::EndReason;
use picbreeder::sgd::trainer::psnr_of_mse;

/// Tells the user a run collapsed, why, and what to do; nothing otherwise.
pub fn collapse_ui(ui: &mut egui::Ui, ended: Option<EndReason>) {
    if let Some(EndReason::Collapsed(c)) = ended {
        ui.colored_label(ui.visuals().error_fg_color, format!("Stopped: {c}."));
    }
}

/// The curve as CSV points from the panel's `[step, log10 loss]` pairs.
pub fn points(losses: &[[f64; 2]]) -> Vec<CurvePoint> {
    losses
        .iter()
        .map(|&[step, log_loss]| {
            let loss = 10f64.powf(log_loss);
            CurvePoint {
                step: step as u64,
                loss,
                psnr: psnr_of_mse(loss),
            }
        })
        .collect()
}

/// "Export curve...": asks for a file and writes the CSV on a worker thread.
#[derive(Default)]
pub struct CurveExport {
    job: Latest<Option<Result<String, String>>>,
    message: Option<Result<String, String>>,
}

impl CurveExport {
    pub fn button(&mut self, ui: &mut egui::Ui, losses: &[[f64; 2]]) {
        if let Some(done) = self.job.take() {
            self.message = done;
        }
        let clicked = ui
            .add_enabled(!self.job.busy(), egui::Button::new("Export curve..."))
            .on_hover_text("step, loss and PSNR of every step as CSV")
            .clicked();
        if clicked {
            let csv = curve_csv(&points(losses));
            self.job.request(ui.ctx(), move || {
                let path = rfd::FileDialog::new()
                    .add_filter("CSV", &["csv"])
                    .set_file_name("curve.csv")
                    .save_file()?;
                Some(
                    picbreeder::io::write_atomic(&path, csv.as_bytes())
                        .map(|()| format!("wrote {}", path.display()))
                        .map_err(|e| e.to_string()),
                )
            });
        }
        match &self.message {
            Some(Ok(m)) => {
                ui.weak(m);
            }
            Some(Err(e)) => {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
            None => {}
        }
    }
}
