//! The last session is not resumed at start when resuming it last time never showed
//! its first pictures (it failed, or the window was killed for its memory): a new
//! session is started instead, and the window asks whether to resume it anyway.

use super::Action;
use super::state::AppState;
use eframe::egui;

/// The question, while the state asks it. Call once a frame.
pub fn ask(ctx: &egui::Context, st: &AppState, actions: &mut Vec<Action>) {
    let Some(id) = st.unfinished else { return };
    egui::Modal::new(egui::Id::unique("unfinished resume")).show(ctx, |ui| {
        ui.heading(format!("Session {id} did not open last time"));
        ui.label(
            "Resuming it last time never got as far as its first pictures: it failed, or \
             the window was closed or ran out of memory. A new session was started; the \
             old one is in the library as it was.",
        );
        ui.horizontal(|ui| {
            if ui.button("Resume it anyway").clicked() {
                actions.push(Action::ResumeAnyway(id));
            }
            if ui.button("Keep the new session").clicked() {
                actions.push(Action::KeepNewSession);
            }
        });
    });
}
