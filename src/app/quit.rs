//! Quitting while the library cannot be written would lose every generation since the
//! last good save, so the window asks first: export the session to a file, quit anyway,
//! or stay. With the library working, quitting is never held up.

use super::Action;
use super::dialogs::Intent;
use eframe::egui;

#[derive(Default)]
pub struct QuitGuard {
    /// The question is on screen.
    pub asking: bool,
    /// The user chose to quit without saving: the next close goes through.
    allowed: bool,
}

impl QuitGuard {
    /// Call once a frame. `unsaved`: the library has not got the session's latest state.
    pub fn show(&mut self, ctx: &egui::Context, unsaved: bool, actions: &mut Vec<Action>) {
        if ctx.input(|i| i.viewport().close_requested()) && unsaved && !self.allowed {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.asking = true;
        }
        if !self.asking {
            return;
        }
        egui::Modal::new(egui::Id::unique("quit unsaved")).show(ctx, |ui| {
            ui.heading("Quit without saving?");
            ui.label(
                "The library cannot be written (see the red banner): the generations \
                 since the last good save are only in this window.",
            );
            ui.horizontal(|ui| {
                if ui.button("Export session…").clicked() {
                    self.asking = false;
                    actions.push(Action::Ask(Intent::SaveSession));
                }
                if ui.button("Quit without saving").clicked() {
                    self.asking = false;
                    self.allowed = true;
                    ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                }
                if ui.button("Cancel").clicked() {
                    self.asking = false;
                }
            });
        });
    }
}
