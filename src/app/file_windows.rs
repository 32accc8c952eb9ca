//! The small windows the menus open: the export resolution, and typing a path when no
//! native file dialog can be shown.

use super::Action;
use super::dialogs::Intent;
use eframe::egui;
use egui::Key;

/// Menu UI state: the export and path windows.
pub struct FileWindows {
    /// The export window is open.
    pub export_open: bool,
    /// Side of the exported PNG in pixels.
    pub export_pixels: usize,
    /// Asking for a path by hand (no native dialog): what for, and the text so far.
    pub typed_path: Option<(Intent, String)>,
}

impl Default for FileWindows {
    fn default() -> Self {
        FileWindows {
            export_open: false,
            export_pixels: 1024,
            typed_path: None,
        }
    }
}

impl FileWindows {
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
        Intent::Twin(f) => f.describe(),
    }
}
