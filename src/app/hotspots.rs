//! Hooks for scripts that drive the real window (`scripts/screenshot*.sh`): widgets
//! name their rectangle with [`mark`] as they are drawn, and the app writes the named
//! centres each frame to the file `$PICBREEDER_LAYOUT` names ([`write`]). The names live
//! in the egui context for one frame, so no panel keeps a `*_rect` field for scripts.

use eframe::egui;

/// This frame's named rectangles, in the order they were drawn.
#[derive(Clone, Default)]
struct Marked(Vec<(String, egui::Rect)>);

fn id() -> egui::Id {
    egui::Id::NULL.with("picbreeder-hotspots")
}

/// Names `rect` for scripts (e.g. `evolve`, `child 3`, `tab-Experiment`).
pub fn mark(ctx: &egui::Context, name: impl Into<String>, rect: egui::Rect) {
    let name = name.into();
    ctx.data_mut(|d| {
        d.get_temp_mut_or_default::<Marked>(id())
            .0
            .push((name, rect))
    });
}

/// Forgets the last frame's names (called as a frame starts).
pub fn clear(ctx: &egui::Context) {
    ctx.data_mut(|d| d.remove::<Marked>(id()));
}

/// This frame's names as `NAME X Y` lines, centres in physical pixels.
pub fn lines(ctx: &egui::Context) -> String {
    let ppp = ctx.pixels_per_point();
    let marked = ctx.data(|d| d.get_temp::<Marked>(id())).unwrap_or_default();
    marked
        .0
        .iter()
        .map(|(name, r)| {
            let c = r.center();
            format!("{name} {} {}\n", (c.x * ppp).round(), (c.y * ppp).round())
        })
        .collect()
}

/// Where the lines go, and what was last written there (to write only changes).
#[derive(Default)]
pub struct LayoutFile {
    pub path: Option<std::path::PathBuf>,
    written: String,
}

impl LayoutFile {
    /// Writes this frame's names if a file is set and they changed.
    pub fn write(&mut self, ctx: &egui::Context) {
        let Some(path) = &self.path else { return };
        let text = lines(ctx);
        if text != self.written {
            let _ = picbreeder::io::write_atomic(path, text.as_bytes());
            self.written = text;
        }
    }
}
