//! The menu bar (files, breeding, starting points, view) and the small windows it opens:
//! export resolution, and typing a path when no native file dialog can be shown.

use super::Action;
use super::dialogs::Intent;
use eframe::egui;
use egui::{Key, KeyboardShortcut, Modifiers};

pub const EVOLVE: KeyboardShortcut = KeyboardShortcut::new(Modifiers::NONE, Key::Enter);
pub const EVOLVE_ALT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Enter);
pub const REROLL: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::R);
pub const BACK: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Z);
pub const FORWARD: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::Z);
pub const FORWARD_ALT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Y);
pub const OPEN: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::O);
pub const SAVE_GENOME: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::S);
pub const SAVE_SESSION: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::S);
pub const EXPORT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::E);

/// The shortcut table: consumed once per frame, before any widget sees the keys.
/// Longer combinations come first so Ctrl+Shift+Z is not read as Ctrl+Z.
pub fn shortcuts(ctx: &egui::Context, actions: &mut Vec<Action>) {
    let table: [(KeyboardShortcut, Action); 10] = [
        (FORWARD, Action::Forward),
        (SAVE_SESSION, Action::Ask(Intent::SaveSession)),
        (EVOLVE_ALT, Action::Evolve),
        (EVOLVE, Action::Evolve),
        (REROLL, Action::Reroll),
        (BACK, Action::Back),
        (FORWARD_ALT, Action::Forward),
        (OPEN, Action::Ask(Intent::OpenGenome)),
        (SAVE_GENOME, Action::Ask(Intent::SaveGenome)),
        (EXPORT, Action::ShowExport),
    ];
    // Plain Enter belongs to a text field that has focus.
    let typing = ctx.text_edit_focused();
    ctx.input_mut(|i| {
        for (shortcut, action) in table {
            if typing && shortcut == EVOLVE {
                continue;
            }
            if i.consume_shortcut(&shortcut) {
                actions.push(action);
            }
        }
    });
}

/// Menu UI state: the export and path windows.
pub struct FilesPanel {
    /// The export window is open.
    pub export_open: bool,
    /// Side of the exported PNG in pixels.
    pub export_pixels: usize,
    /// Asking for a path by hand (no native dialog): what for, and the text so far.
    pub typed_path: Option<(Intent, String)>,
}

impl Default for FilesPanel {
    fn default() -> Self {
        FilesPanel {
            export_open: false,
            export_pixels: 1024,
            typed_path: None,
        }
    }
}

/// What the menus need to know.
pub struct MenuView<'a> {
    pub starters: &'a [picbreeder::breed::Starter],
    pub can_back: bool,
    pub can_forward: bool,
    pub has_parents: bool,
    pub has_selection: bool,
    pub side_open: bool,
}

impl FilesPanel {
    pub fn menu_bar(&mut self, ui: &mut egui::Ui, view: &MenuView<'_>, actions: &mut Vec<Action>) {
        let sc = |s: &KeyboardShortcut| ui.ctx().format_shortcut(s);
        let (open, save_g, save_s, export) =
            (sc(&OPEN), sc(&SAVE_GENOME), sc(&SAVE_SESSION), sc(&EXPORT));
        let (evolve, reroll, back, forward) = (sc(&EVOLVE), sc(&REROLL), sc(&BACK), sc(&FORWARD));
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
                if ui.button("Open session…").clicked() {
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
                if ui.button("Quit").clicked() {
                    ui.send_viewport_cmd(egui::ViewportCommand::Close);
                }
            });
            ui.menu_button("Breed", |ui| {
                let items = [
                    ("Evolve", &evolve, view.has_parents, Action::Evolve),
                    (
                        "Re-roll children",
                        &reroll,
                        view.has_parents,
                        Action::Reroll,
                    ),
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
                if ui.button("Add colour to selected").clicked() {
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
                if ui.button("Reset large view").clicked() {
                    actions.push(Action::ResetView);
                }
            });
        });
    }

    /// The export and typed-path windows, when open.
    pub fn windows(&mut self, ctx: &egui::Context, actions: &mut Vec<Action>) {
        if self.export_open {
            let mut open = true;
            egui::Window::new("Export PNG")
                .open(&mut open)
                .pivot(egui::Align2::CENTER_CENTER)
                .default_pos(ctx.content_rect().center())
                .collapsible(false)
                .resizable(false)
                .show(ctx, |ui| {
                    ui.horizontal(|ui| {
                        ui.label("Size");
                        ui.add(
                            egui::DragValue::new(&mut self.export_pixels)
                                .range(16..=picbreeder::limits::MAX_IMAGE_SIDE)
                                .suffix(" px"),
                        );
                        for p in [512, 1024, 2048, 4096, 8192] {
                            if ui.small_button(p.to_string()).clicked() {
                                self.export_pixels = p;
                            }
                        }
                    });
                    ui.weak("Exports what the large view shows, rendered afresh.");
                    if ui.button("Choose file and export…").clicked() {
                        actions.push(Action::Ask(Intent::ExportPng {
                            pixels: self.export_pixels,
                        }));
                        self.export_open = false;
                    }
                });
            self.export_open &= open;
        }
        if let Some((intent, text)) = &mut self.typed_path {
            let mut open = true;
            let mut go = false;
            egui::Window::new("Type a path")
                .open(&mut open)
                .collapsible(false)
                .pivot(egui::Align2::CENTER_CENTER)
                .default_pos(ctx.content_rect().center())
                .show(ctx, |ui| {
                    ui.label(format!(
                        "No file dialog could be shown. Path to {}:",
                        describe(intent)
                    ));
                    let r = ui.add(egui::TextEdit::singleline(text).desired_width(360.0));
                    if !r.has_focus() && !r.lost_focus() && text.is_empty() {
                        r.request_focus();
                    }
                    go = ui.button("OK").clicked()
                        || (r.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter)));
                });
            if go && !text.trim().is_empty() {
                actions.push(Action::Path(
                    intent.clone(),
                    std::path::PathBuf::from(text.trim()),
                ));
                open = false;
            }
            if !open {
                self.typed_path = None;
            }
        }
    }
}

fn describe(intent: &Intent) -> &'static str {
    match intent {
        Intent::OpenGenome => "the genome to open",
        Intent::SaveGenome => "save the genome to",
        Intent::OpenSession => "the session to open",
        Intent::SaveSession => "save the session to",
        Intent::ExportPng { .. } => "the PNG to write",
    }
}
