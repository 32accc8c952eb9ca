//! Quitting asks first when it would lose something. While a training run goes on:
//! keep its state in the library and quit, quit and discard the run, or stay. While
//! the library cannot be written (every generation since the last good save would be
//! lost): export the session to a file, quit anyway, or stay. Otherwise quitting is
//! never held up.

use super::Action;
use super::dialogs::Intent;
use eframe::egui;

#[derive(Default)]
pub struct QuitGuard {
    /// The question about the unsaved session is on screen.
    pub asking: bool,
    /// The question about the training run is on screen.
    pub asking_training: bool,
    /// The user chose to quit without saving: the next close goes through.
    allowed: bool,
    /// The user chose what becomes of the run: the next close does not ask again.
    training_settled: bool,
}

impl QuitGuard {
    /// Call once a frame. `unsaved`: the library has not got the session's latest
    /// state; `training`: a training run goes on.
    pub fn show(
        &mut self,
        ctx: &egui::Context,
        unsaved: bool,
        training: bool,
        actions: &mut Vec<Action>,
    ) {
        if ctx.input(|i| i.viewport().close_requested()) {
            if training && !self.training_settled {
                ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
                self.asking_training = true;
            } else if unsaved && !self.allowed {
                ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
                self.asking = true;
            }
        }
        if self.asking_training {
            self.training_ui(ctx, actions);
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

    fn training_ui(&mut self, ctx: &egui::Context, actions: &mut Vec<Action>) {
        egui::Modal::new(egui::Id::unique("quit training")).show(ctx, |ui| {
            ui.heading("A training run is going");
            ui.label(
                "The SGD twin is still training. Its net, loss curve and snapshots so far \
                 can stay in the library with the session: they come back when the \
                 window starts again, and Keep training goes on from them (the \
                 optimizer's moments start afresh).",
            );
            ui.horizontal(|ui| {
                let mut quit = |keep: bool, this: &mut QuitGuard| {
                    this.asking_training = false;
                    this.training_settled = true;
                    actions.push(Action::EndTraining(keep));
                    ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                };
                let b = ui.button("Keep the training state and quit");
                super::hotspots::mark(ui.ctx(), "quit-keep", b.rect);
                if b.clicked() {
                    quit(true, self);
                }
                let b = ui.button("Quit anyway (discard the run)");
                super::hotspots::mark(ui.ctx(), "quit-discard", b.rect);
                if b.clicked() {
                    quit(false, self);
                }
                let b = ui.button("Stay");
                super::hotspots::mark(ui.ctx(), "quit-stay", b.rect);
                if b.clicked() {
                    self.asking_training = false;
                }
            });
        });
    }
}
