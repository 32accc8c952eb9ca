//! The SGD panel's additions: what it says when a run collapses, and the loss curve's
//! CSV export (the same file as `picbreeder train --curve`).

use super::super::background::Writes;
use eframe::egui;
use picbreeder::sgd::curve::{CurvePoint, curve_csv};
use picbreeder::sgd::run::EndReason;

/// Tells the user a run collapsed, why, and what to do; nothing otherwise.
pub fn collapse_ui(ui: &mut egui::Ui, ended: Option<EndReason>) {
    if let Some(EndReason::Collapsed(c)) = ended {
        ui.colored_label(ui.visuals().error_fg_color, format!("Stopped: {c}."));
    }
}

/// The curve as CSV points from the panel's `[step, log10 loss]` pairs, each step
/// costing `passes_per_step` forward passes.
pub fn points(losses: &[[f64; 2]], passes_per_step: u64) -> Vec<CurvePoint> {
    losses
        .iter()
        .map(|&[step, log_loss]| {
            CurvePoint::new(step as u64, 10f64.powf(log_loss), passes_per_step)
        })
        .collect()
}

/// "Export curve...": the app's file dialog asks where ([`TwinFile::CurveCsv`]), then
/// the CSV is written on a worker thread.
///
/// [`TwinFile::CurveCsv`]: super::files::TwinFile::CurveCsv
#[derive(Default)]
pub struct CurveExport {
    job: Writes,
    message: Option<Result<String, String>>,
    /// The button was pressed: the tab asks the app for a path.
    asked: bool,
}

impl CurveExport {
    pub fn button(&mut self, ui: &mut egui::Ui) {
        if let Some(done) = self.job.take() {
            self.message = Some(done);
        }
        self.asked |= ui
            .add_enabled(!self.job.busy(), egui::Button::new("Export curve..."))
            .on_hover_text("step, loss and PSNR of every step as CSV")
            .clicked();
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

    /// A curve is being written.
    pub fn busy(&self) -> bool {
        self.job.busy()
    }

    /// Whether the button was pressed since the last call.
    pub fn take_asked(&mut self) -> bool {
        std::mem::take(&mut self.asked)
    }

    /// Writes the curve of `losses` (steps of `passes_per_step` forward passes) to
    /// `path`.
    pub fn write(
        &mut self,
        ctx: &egui::Context,
        path: &std::path::Path,
        losses: &[[f64; 2]],
        passes_per_step: u64,
    ) {
        let csv = curve_csv(&points(losses, passes_per_step));
        let path = path.to_path_buf();
        self.job.request(ctx, move || {
            picbreeder::io::write_atomic(&path, csv.as_bytes())
                .map(|()| format!("wrote {}", path.display()))
                .map_err(|e| e.to_string())
        });
    }
}
