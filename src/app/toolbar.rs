//! The toolbar: Evolve, Re-roll, Back, Forward, the side panels' toggles, the
//! generation and the mutation strength.

use super::{Action, App};
use eframe::egui;

impl App {
    pub(super) fn toolbar(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let st = &mut self.state;
        let ctx = ui.ctx().clone();
        let key = |s: &egui::KeyboardShortcut| ctx.format_shortcut(s);
        egui::Panel::top("toolbar").show(ui, |ui| {
            ui.horizontal(|ui| {
                let evolve = egui::Button::new(egui::RichText::new("Evolve").strong())
                    .shortcut_text(ui.ctx().format_shortcut(&super::shortcuts::EVOLVE));
                let r = ui
                    .add_enabled(st.has_parents(), evolve)
                    .on_disabled_hover_text("Click one or more children to choose parents");
                super::hotspots::mark(ui.ctx(), "evolve", r.rect);
                // For scripts timing a restart: the whole session is in, breeding works.
                if !st.starting() {
                    super::hotspots::mark(ui.ctx(), "session-ready", r.rect);
                }
                if r.clicked() {
                    actions.push(Action::Evolve);
                }
                if ui
                    .add_enabled(
                        st.can_reroll(),
                        egui::Button::new("Re-roll"),
                    )
                    .on_hover_text(format!(
                        "New children from the same parents (the current ones stay in the lineage) ({})",
                        key(&super::shortcuts::REROLL)
                    ))
                    .clicked()
                {
                    actions.push(Action::Reroll);
                }
                if ui
                    .add_enabled(st.can_back(), egui::Button::new("Back"))
                    .on_hover_text(format!(
                        "The generation before this one ({})",
                        key(&super::shortcuts::BACK)
                    ))
                    .clicked()
                {
                    actions.push(Action::Back);
                }
                if ui
                    .add_enabled(st.can_forward(), egui::Button::new("Forward"))
                    .on_hover_text(format!(
                        "The generation you went back from ({})",
                        key(&super::shortcuts::FORWARD)
                    ))
                    .clicked()
                {
                    actions.push(Action::Forward);
                }
                ui.separator();
                ui.toggle_value(&mut self.settings_open, "Settings")
                    .on_hover_text("Breeding settings: population, mutation rates, colour");
                let library = ui
                    .toggle_value(&mut self.library.open, "Library")
                    .on_hover_text("Every session, and the pictures you kept");
                super::hotspots::mark(ui.ctx(), "library", library.rect);
                let twin = ui
                    .selectable_label(self.side_open, "SGD twin")
                    .on_hover_text(
                        "Train an SGD network on the viewed image and compare the two networks",
                    );
                super::hotspots::mark(ui.ctx(), "twin", twin.rect);
                if twin.clicked() {
                    actions.push(Action::ToggleSide);
                }
                ui.separator();
                ui.label(egui::RichText::new(format!("Generation {}", st.generation())).strong());
                ui.separator();
                let mut strength = st.mutation().strength;
                if ui
                    .add(
                        egui::Slider::new(&mut strength, picbreeder::limits::STRENGTH)
                            .text("mutation strength"),
                    )
                    .on_hover_text("How far children differ from their parents")
                    .changed()
                {
                    st.mutation_mut().strength = strength;
                }
            });
        });
    }
}
