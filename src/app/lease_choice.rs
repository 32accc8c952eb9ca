//! A session another window or process writes to (its lease in the library) is never
//! written from here: the window asks whether to open a copy (a new session of its
//! own, saved from then on) or to browse it read only, and while read only a banner
//! says so and offers the copy again.

use super::Action;
use super::state::AppState;
use eframe::egui;

/// The question, while the state asks it. Call once a frame.
pub fn ask(ctx: &egui::Context, st: &AppState, actions: &mut Vec<Action>) {
    let Some(ro) = st.read_only.as_ref().filter(|_| st.lease_choice) else {
        return;
    };
    egui::Modal::new(egui::Id::unique("session leased")).show(ctx, |ui| {
        ui.heading(format!("Session {} is open elsewhere", ro.id));
        ui.label(format!(
            "Another window or process breeds in it ({}). Two writers would lose one \
             lineage, so this window does not write to it.",
            ro.holder
        ));
        ui.horizontal(|ui| {
            if ui.button("Open a copy").clicked() {
                actions.push(Action::SaveCopy);
            }
            if ui.button("Open read only").clicked() {
                actions.push(Action::BrowseReadOnly);
            }
        });
    });
}

/// The banner over the grid while the session is browsed read only.
pub fn banner(ui: &mut egui::Ui, st: &AppState, actions: &mut Vec<Action>) {
    let Some(ro) = &st.read_only else { return };
    egui::Frame::new()
        .fill(ui.visuals().warn_fg_color.gamma_multiply(0.2))
        .inner_margin(6.0)
        .show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.label(format!(
                    "Read only: session {} is open in another window or process; nothing \
                     here is saved.",
                    ro.id
                ));
                if ui.small_button("Save as a copy").clicked() {
                    actions.push(Action::SaveCopy);
                }
            });
        });
}
