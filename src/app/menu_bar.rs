//! The menu bar (files, breeding, starting points, view).

use super::Action;
use super::dialogs::Intent;
use super::shortcuts::{
    BACK, EVOLVE, EXPORT, FORWARD, HELP, OPEN, REROLL, SAVE_GENOME, SAVE_SESSION,
};
use eframe::egui;
use egui::KeyboardShortcut;

/// What the menus need to know.
pub struct MenuView<'a> {
    pub starters: &'a [picbreeder::breed::Starter],
    pub can_back: bool,
    pub can_forward: bool,
    pub has_parents: bool,
    pub can_reroll: bool,
    pub has_selection: bool,
    pub side_open: bool,
}

/// The menu bar: files, breeding, starting points, view.
pub fn menu_bar(ui: &mut egui::Ui, view: &MenuView<'_>, actions: &mut Vec<Action>) {
    let sc = |s: &KeyboardShortcut| ui.ctx().format_shortcut(s);
    let (open, save_g, save_s, export) =
        (sc(&OPEN), sc(&SAVE_GENOME), sc(&SAVE_SESSION), sc(&EXPORT));
    let (evolve, reroll, back, forward) = (sc(&EVOLVE), sc(&REROLL), sc(&BACK), sc(&FORWARD));
    let help = sc(&HELP);
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button("File", |ui| {
            if ui
                .add(egui::Button::new("Open genome…").shortcut_text(&open))
                .clicked()
            {
                actions.push(Action::Ask(Intent::OpenGenome));
            }
            if ui
                .add_enabled(
                    view.has_selection,
                    egui::Button::new("Save selected genome…").shortcut_text(&save_g),
                )
                .clicked()
            {
                actions.push(Action::Ask(Intent::SaveGenome));
            }
            ui.separator();
            if ui
                .button("Open session…")
                .on_hover_text("Continue a session saved as a file (it joins the library)")
                .clicked()
            {
                actions.push(Action::Ask(Intent::OpenSession));
            }
            if ui
                .add(egui::Button::new("Save session as…").shortcut_text(&save_s))
                .clicked()
            {
                actions.push(Action::Ask(Intent::SaveSession));
            }
            ui.separator();
            if ui
                .add_enabled(
                    view.has_selection,
                    egui::Button::new("Export PNG…").shortcut_text(&export),
                )
                .clicked()
            {
                actions.push(Action::ShowExport);
            }
            ui.separator();
            let quit = ui.ctx().format_shortcut(&super::shortcuts::QUIT);
            if ui
                .add(egui::Button::new("Quit").shortcut_text(quit))
                .clicked()
            {
                actions.push(Action::Quit);
            }
        });
        ui.menu_button("Breed", |ui| {
            let items = [
                ("Evolve", &evolve, view.has_parents, Action::Evolve),
                ("Re-roll children", &reroll, view.can_reroll, Action::Reroll),
                ("Back", &back, view.can_back, Action::Back),
                ("Forward", &forward, view.can_forward, Action::Forward),
            ];
            for (name, key, enabled, action) in items {
                if ui
                    .add_enabled(enabled, egui::Button::new(name).shortcut_text(key))
                    .clicked()
                {
                    actions.push(action);
                }
            }
            ui.separator();
            if ui
                .button("Add colour to selected")
                .on_hover_text(
                    "Breed from the selected genome with hue and saturation outputs added",
                )
                .clicked()
            {
                actions.push(Action::AddColour);
            }
        });
        ui.menu_button("Start from", |ui| {
            if ui.button("New random session").clicked() {
                actions.push(Action::NewSession);
            }
            ui.separator();
            if view.starters.is_empty() {
                ui.weak("(no starter genomes found)");
            }
            for (i, starter) in view.starters.iter().enumerate() {
                if ui
                    .button(starter.name)
                    .on_hover_text(starter.description)
                    .clicked()
                {
                    actions.push(Action::StartFrom(i));
                }
            }
            ui.separator();
            if ui.button("A genome file…").clicked() {
                actions.push(Action::Ask(Intent::OpenGenome));
            }
        });
        ui.menu_button("View", |ui| {
            let mut side = view.side_open;
            if ui.checkbox(&mut side, "Side panel").changed() {
                actions.push(Action::ToggleSide);
            }
            if ui
                .button("Reset large view")
                .on_hover_text("Show the whole picture again (unzoomed, centred)")
                .clicked()
            {
                actions.push(Action::ResetView);
            }
        });
        ui.menu_button("Help", |ui| {
            if ui
                .add(egui::Button::new("Keyboard shortcuts").shortcut_text(&help))
                .clicked()
            {
                actions.push(Action::ShowShortcuts);
            }
            if ui
                .button("About")
                .on_hover_text("The version, and where the library is")
                .clicked()
            {
                actions.push(Action::ShowAbout);
            }
        });
    });
}
