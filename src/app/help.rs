//! The Help menu's windows: the keyboard shortcuts (from the one table in
//! [`super::shortcuts`]) and About (the version, and where the library is).

use super::shortcuts;
use eframe::egui;
use std::path::Path;

#[derive(Default)]
pub struct Help {
    pub shortcuts_open: bool,
    pub about_open: bool,
}

impl Help {
    pub fn windows(&mut self, ctx: &egui::Context, library: Option<&Path>) {
        // In the middle, clear of the menu bar and the toolbar.
        let centre = ctx.content_rect().center();
        egui::Window::new("Keyboard shortcuts")
            .open(&mut self.shortcuts_open)
            .pivot(egui::Align2::CENTER_CENTER)
            .default_pos(centre)
            .resizable(false)
            .collapsible(false)
            .show(ctx, |ui| {
                egui::Grid::new("shortcuts")
                    .striped(true)
                    .num_columns(2)
                    .show(ui, |ui| {
                        for s in shortcuts::table() {
                            ui.strong(ctx.format_shortcut(&s.keys));
                            ui.label(s.does);
                            ui.end_row();
                        }
                    });
                ui.separator();
                ui.weak("With the mouse: click a child to choose it as a parent, right-click to view it; scroll over the large view to zoom, drag to pan, double-click to reset.");
            });
        egui::Window::new("About picbreeder")
            .open(&mut self.about_open)
            .pivot(egui::Align2::CENTER_CENTER)
            .default_pos(centre)
            .resizable(false)
            .collapsible(false)
            .show(ctx, |ui| {
                ui.strong(about_version());
                ui.label("Breed CPPN pictures, train an SGD twin on one, compare their neurons (Kumar, Clune, Lehman, Stanley 2025).");
                ui.label(match library {
                    Some(p) => format!("Library: {}", p.display()),
                    None => "Library: none (sessions are not kept)".to_string(),
                });
            });
    }
}

/// "picbreeder 0.1.0": the version the window was built as.
pub fn about_version() -> String {
    format!("picbreeder {}", env!("CARGO_PKG_VERSION"))
}
