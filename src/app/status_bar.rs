//! The status bar: what a click does next, a generation being bred (with "Cancel"), files opening,
//! thumbnails rendering, an export's progress (with "Abandon"), and the last note.

use super::App;
use eframe::egui;

impl App {
    pub(super) fn status_bar(&mut self, ui: &mut egui::Ui) {
        let Some(rt) = &self.rt else { return };
        let st = &self.state;
        egui::Panel::bottom("status").show(ui, |ui| {
            ui.horizontal(|ui| {
                let parents = st.parent_count();
                ui.label(match parents {
                    0 => {
                        "Click children to choose parents (right-click: just view one).".to_string()
                    }
                    1 => "1 parent chosen: Evolve makes mutated copies.".to_string(),
                    n => format!("{n} parents chosen: Evolve crosses them over."),
                });
                if let Some((made, of)) = st.breeding() {
                    ui.separator();
                    ui.spinner();
                    ui.label(format!("breeding: {made} of {of} genomes"));
                    if ui.button("Cancel breeding").clicked() {
                        st.cancel_breeding();
                    }
                }
                if st.reading() > 0 {
                    ui.separator();
                    ui.spinner();
                    ui.label(format!("opening {} file(s)", st.reading()));
                }
                if rt.thumbs.pending() > 0 {
                    ui.separator();
                    ui.spinner();
                    ui.label(format!("rendering {} thumbnails", rt.thumbs.pending()));
                }
                if let Some(e) = &self.export {
                    ui.separator();
                    let frac = e.progress.pixels_done() as f32 / (e.pixels * e.pixels) as f32;
                    let name = e.path.file_name().unwrap_or_default().to_string_lossy();
                    ui.add(
                        egui::ProgressBar::new(frac)
                            .desired_width(180.0)
                            .text(format!("{name} {:.0}%", frac * 100.0)),
                    );
                    if ui.button("Abandon export").clicked() {
                        e.progress.cancel();
                    }
                }
                if let Some(n) = &st.note_text() {
                    ui.separator();
                    ui.weak(*n);
                }
            });
        });
    }
}
