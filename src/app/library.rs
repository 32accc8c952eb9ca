//! The Library window (the Picbreeder "browse" page, offline): every session in the
//! library with its picture, name (editable), dates and generation count, to resume or
//! delete (undoably); "keep" the viewed child with a name and tags; the kept genomes as
//! a grid with search, each one a place to branch a new session from.
//!
//! The panel reads through a connection of its own (the autosave thread has the other).
//! Lists are small queries; a session to resume is read on a worker thread, and pictures
//! render on the thumbnail pool, so no frame waits for them.

use super::state::AppState;
use super::task::{Polled, Task};
use super::thumbs::{Thumb, ThumbCache};
use eframe::egui;
use picbreeder::breed::Session;
use picbreeder::cppn::Genome;
use picbreeder::store::{Kept, SessionId, SessionInfo, Store, Study, TwinRecord, date, parse_tags};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Thumbnail side in points.
const THUMB: f32 = 72.0;
/// How often the lists are read again while the window is open.
const REFRESH: Duration = Duration::from_secs(2);

#[derive(Default)]
pub struct LibraryPanel {
    pub open: bool,
    store: Option<Store>,
    sessions: Vec<(SessionInfo, Option<Genome>)>,
    kept: Vec<Kept>,
    read_at: Option<Instant>,
    /// Names being edited, by session.
    editing: Option<(SessionId, String)>,
    /// A delete waiting for "yes".
    confirm_delete: Option<SessionId>,
    /// The last deleted session, for Undo.
    deleted: Option<SessionInfo>,
    /// A kept genome's name being edited.
    editing_kept: Option<(i64, String)>,
    /// The last deleted kept genome, for Undo.
    deleted_kept: Option<Kept>,
    /// The keep form: name and tags of the viewed child.
    pub keep_name: String,
    pub keep_tags: String,
    /// Search over kept genomes by name and tag.
    pub search: String,
    /// A session being read to resume.
    loading: Option<(SessionId, Task<Result<Resumed, String>>)>,
    /// Kept genomes being exported: where to, or why not.
    exports: Vec<Task<Result<PathBuf, String>>>,
}

/// A session read back, its newest study and SGD twin, and who else writes to it (if
/// another does).
type Resumed = (Session, Option<Study>, Option<TwinRecord>, Option<String>);

/// Side of an exported kept picture, in pixels.
const EXPORT_PIXELS: usize = 512;

impl LibraryPanel {
    /// A session is being read.
    pub fn busy(&self) -> bool {
        self.loading.is_some() || !self.exports.is_empty()
    }

    /// Shows the kept genomes matching `query` (as typing in the search box does).
    #[cfg(test)]
    pub fn set_search(&mut self, query: &str) {
        self.search = query.to_string();
        self.stale();
    }

    /// Reads the lists again at the next frame (after something changed).
    fn stale(&mut self) {
        self.read_at = None;
    }

    fn refresh(&mut self, st: &mut AppState) {
        if self.read_at.is_some_and(|t| t.elapsed() < REFRESH) {
            return;
        }
        self.read_at = Some(Instant::now());
        if self.store.is_none() {
            let Some(path) = &st.library_path else {
                return;
            };
            match Store::open(path) {
                Ok(s) => self.store = Some(s),
                Err(e) => {
                    st.error = Some(e.to_string());
                    return;
                }
            }
        }
        let Some(store) = &self.store else { return };
        match store.sessions() {
            Ok(list) => {
                self.sessions = list
                    .into_iter()
                    .map(|info| {
                        let g = store.session_thumbnail(info.id).ok();
                        (info, g)
                    })
                    .collect();
            }
            Err(e) => st.error = Some(e.to_string()),
        }
        match store.kept(&self.search) {
            Ok(k) => self.kept = k,
            Err(e) => st.error = Some(e.to_string()),
        }
    }

    /// Takes in a session that finished reading and exports that finished. Call once a
    /// frame.
    pub fn poll(&mut self, st: &mut AppState) {
        self.exports.retain_mut(|task| match task.poll() {
            Polled::Running => true,
            Polled::Done(Ok(path)) => {
                st.note(format!("exported {}", path.display()));
                false
            }
            Polled::Done(Err(e)) => {
                st.error = Some(e);
                false
            }
            Polled::Lost => {
                st.error = Some("the export stopped with an internal error".into());
                false
            }
        });
        let Some((id, task)) = &mut self.loading else {
            return;
        };
        let read = match task.poll() {
            Polled::Running => return,
            Polled::Done(read) => read,
            Polled::Lost => Err("reading it stopped".into()),
        };
        let id = *id;
        self.loading = None;
        match read {
            Ok((session, study, twin, leased)) => {
                st.resume(id, session, (study, twin), leased);
                self.stale();
            }
            Err(e) => st.error = Some(format!("cannot resume: {e}")),
        }
    }

    pub fn start_resume(&mut self, st: &mut AppState, id: SessionId) {
        let Some(path) = st.library_path.clone() else {
            return;
        };
        // The window's own session is leased by its writer, not by another.
        let own = st.library_session == Some(id);
        let task = Task::spawn("resume", Some(st.wake.wake()), move |_| {
            Store::open(&path)
                .and_then(|s| {
                    s.session_within(id, picbreeder::budget::MEMORY_BUDGET)?;
                    // Cleared once its first pictures are shown (a resume that never
                    // gets there is not repeated at the next start unasked).
                    s.mark_resuming(id)?;
                    let leased = if own { None } else { s.lease_holder(id)? };
                    let session = s.load_session(id)?;
                    // A study or twin that cannot be read costs only itself.
                    let study = s.latest_study(id).ok().flatten();
                    let twin = s.latest_twin(id).ok().flatten();
                    Ok((session, study, twin, leased))
                })
                .map_err(|e| e.to_string())
        });
        self.loading = Some((id, task));
    }

    pub fn ui(&mut self, ctx: &egui::Context, st: &mut AppState, thumbs: &mut ThumbCache) {
        self.poll(st);
        if !self.open {
            return;
        }
        self.refresh(st);
        let mut open = self.open;
        // On the right, over the large view, so the grid stays in reach (keep a child).
        let right_top = ctx.content_rect().right_top() + egui::vec2(-8.0, 60.0);
        egui::Window::new("Library")
            .open(&mut open)
            .pivot(egui::Align2::RIGHT_TOP)
            .default_pos(right_top)
            .default_size([560.0, 620.0])
            .show(ctx, |ui| {
                if st.library_path.is_none() {
                    ui.colored_label(ui.visuals().error_fg_color, "There is no library.");
                    return;
                }
                egui::ScrollArea::vertical().show(ui, |ui| {
                    self.sessions_ui(ui, st, thumbs);
                    ui.separator();
                    self.keep_ui(ui, st);
                    ui.separator();
                    self.kept_ui(ui, st, thumbs);
                });
            });
        self.open = open;
    }

    fn sessions_ui(&mut self, ui: &mut egui::Ui, st: &mut AppState, thumbs: &mut ThumbCache) {
        ui.heading("Sessions");
        if let Some(info) = self.deleted.clone() {
            ui.horizontal(|ui| {
                ui.label(format!("Deleted \"{}\".", info.name));
                if ui.button("Undo delete").clicked() {
                    if let Some(store) = &mut self.store {
                        match store.restore_session(info.id) {
                            Ok(()) => self.deleted = None,
                            Err(e) => st.error = Some(e.to_string()),
                        }
                    }
                    self.stale();
                }
            });
        }
        if self.loading.is_some() {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("reading the session…");
            });
        }
        let rows = self.sessions.clone();
        for (info, genome) in rows {
            ui.horizontal(|ui| {
                thumb(ui, thumbs, genome.as_ref());
                ui.vertical(|ui| {
                    let current = st.library_session == Some(info.id);
                    let mut name = match &self.editing {
                        Some((id, n)) if *id == info.id => n.clone(),
                        _ => info.name.clone(),
                    };
                    let edit = ui.add(
                        egui::TextEdit::singleline(&mut name)
                            .desired_width(220.0)
                            .id_salt(("session name", info.id)),
                    );
                    if edit.changed() {
                        self.editing = Some((info.id, name.clone()));
                    }
                    if edit.lost_focus() && name != info.name {
                        if let Some(store) = &mut self.store
                            && let Err(e) = store.rename_session(info.id, &name)
                        {
                            st.error = Some(e.to_string());
                        }
                        self.editing = None;
                        self.stale();
                    }
                    ui.weak(format!(
                        "#{} · generation {} of {} · made {} · changed {}",
                        info.id,
                        info.generation_number,
                        info.generations,
                        date(info.created),
                        date(info.updated)
                    ));
                    ui.horizontal(|ui| {
                        if current {
                            ui.strong("(this window)");
                        } else {
                            let resume = ui.add_enabled(
                                self.loading.is_none(),
                                egui::Button::new(format!("Resume #{}", info.id)),
                            );
                            if resume.clicked() {
                                self.start_resume(st, info.id);
                            }
                            if self.confirm_delete == Some(info.id) {
                                ui.label("Delete it?");
                                if ui.button(format!("Yes, delete #{}", info.id)).clicked() {
                                    if let Some(store) = &mut self.store {
                                        match store.delete_session(info.id) {
                                            Ok(()) => self.deleted = Some(info.clone()),
                                            Err(e) => st.error = Some(e.to_string()),
                                        }
                                    }
                                    self.confirm_delete = None;
                                    self.stale();
                                }
                                if ui.button("No").clicked() {
                                    self.confirm_delete = None;
                                }
                            } else if ui.button(format!("Delete #{}", info.id)).clicked() {
                                self.confirm_delete = Some(info.id);
                            }
                        }
                    });
                });
            });
        }
    }

    fn keep_ui(&mut self, ui: &mut egui::Ui, st: &mut AppState) {
        ui.heading("Keep the viewed child");
        let viewed = st.viewed_genome().cloned();
        ui.horizontal(|ui| {
            ui.label("name");
            let name = ui.add(
                egui::TextEdit::singleline(&mut self.keep_name)
                    .desired_width(140.0)
                    .id_salt("keep name"),
            );
            super::hotspots::mark(ui.ctx(), "keep-name", name.rect);
            ui.label("tags");
            let tags = ui.add(
                egui::TextEdit::singleline(&mut self.keep_tags)
                    .desired_width(140.0)
                    .hint_text("comma separated")
                    .id_salt("keep tags"),
            );
            super::hotspots::mark(ui.ctx(), "keep-tags", tags.rect);
            let keep = ui
                .add_enabled(viewed.is_some(), egui::Button::new("Keep"))
                .on_disabled_hover_text("right-click a child to view it first");
            super::hotspots::mark(ui.ctx(), "keep", keep.rect);
            if keep.clicked()
                && let (Some(g), Some(store)) = (viewed, &mut self.store)
            {
                let name = if self.keep_name.trim().is_empty() {
                    "Untitled".to_string()
                } else {
                    self.keep_name.trim().to_string()
                };
                let from = st.library_session.map(|id| (id, st.session.current_id()));
                match store.keep(&g, &name, &parse_tags(&self.keep_tags), from) {
                    Ok(_) => {
                        st.note(format!("kept {name}"));
                        self.keep_name.clear();
                        self.keep_tags.clear();
                    }
                    Err(e) => st.error = Some(e.to_string()),
                }
                self.stale();
            }
        });
    }

    fn kept_ui(&mut self, ui: &mut egui::Ui, st: &mut AppState, thumbs: &mut ThumbCache) {
        ui.heading("Kept");
        ui.horizontal(|ui| {
            ui.label("search");
            let r = ui.add(
                egui::TextEdit::singleline(&mut self.search)
                    .hint_text("name or tag")
                    .id_salt("kept search"),
            );
            if r.changed() {
                self.stale();
            }
        });
        if let Some(k) = self.deleted_kept.clone() {
            ui.horizontal(|ui| {
                ui.label(format!("Deleted kept \"{}\".", k.name));
                if ui.button("Undo delete kept").clicked() {
                    if let Some(store) = &mut self.store {
                        match store.restore_kept(&k) {
                            Ok(()) => self.deleted_kept = None,
                            Err(e) => st.error = Some(e.to_string()),
                        }
                    }
                    self.stale();
                }
            });
        }
        if self.kept.is_empty() {
            ui.weak("Nothing kept matches.");
        }
        let kept = self.kept.clone();
        ui.horizontal_wrapped(|ui| {
            for k in &kept {
                ui.vertical(|ui| {
                    ui.set_width(THUMB + 40.0);
                    thumb(ui, thumbs, Some(&k.genome));
                    self.kept_name_ui(ui, st, k);
                    if !k.tags.is_empty() {
                        ui.weak(k.tags.join(", "));
                    }
                    if ui.button(format!("Branch from {}", k.name)).clicked() {
                        st.branch_from(k.genome.clone(), &k.name);
                        self.stale();
                    }
                    ui.horizontal(|ui| {
                        let delete = ui
                            .small_button(format!("Delete kept #{}", k.id))
                            .on_hover_text("Forget it (Undo brings it back)");
                        if delete.clicked() {
                            self.delete_kept(st, k);
                        }
                        for (png, text) in [(true, "PNG"), (false, "JSON")] {
                            let b = ui.small_button(text).on_hover_text(if png {
                                "Export as a picture that carries its genome"
                            } else {
                                "Export the genome as JSON"
                            });
                            if b.clicked() {
                                self.export(st, k, png);
                            }
                        }
                    });
                });
            }
        });
    }
}

impl LibraryPanel {
    /// A kept genome's name, editable: typed, then stored when the field is left (an
    /// empty name keeps the old one).
    fn kept_name_ui(&mut self, ui: &mut egui::Ui, st: &mut AppState, k: &Kept) {
        let mut name = match &self.editing_kept {
            Some((id, n)) if *id == k.id => n.clone(),
            _ => k.name.clone(),
        };
        let edit = ui
            .add(
                egui::TextEdit::singleline(&mut name)
                    .desired_width(THUMB + 32.0)
                    .id_salt(("kept name", k.id)),
            )
            .on_hover_text("Type a new name to rename it");
        if edit.changed() {
            self.editing_kept = Some((k.id, name.clone()));
        }
        if edit.lost_focus() {
            let name = name.trim();
            if !name.is_empty()
                && name != k.name
                && let Some(store) = &mut self.store
                && let Err(e) = store.label_kept(k.id, name, &k.tags)
            {
                st.error = Some(e.to_string());
            }
            self.editing_kept = None;
            self.stale();
        }
    }

    /// Forgets kept genome `k`, holding on to it for Undo.
    fn delete_kept(&mut self, st: &mut AppState, k: &Kept) {
        let Some(store) = &mut self.store else { return };
        match store.unkeep(k.id) {
            Ok(()) => {
                self.deleted_kept = Some(k.clone());
                st.note(format!("deleted kept {}", k.name));
            }
            Err(e) => st.error = Some(e.to_string()),
        }
        self.stale();
    }

    /// Writes kept genome `k` into `kept/` beside the library, as a PNG that carries it
    /// or as JSON, on a thread of its own.
    fn export(&mut self, st: &mut AppState, k: &Kept, png: bool) {
        let Some(dir) = st
            .library_path
            .as_deref()
            .and_then(Path::parent)
            .map(|d| d.join("kept"))
        else {
            return;
        };
        let path = dir.join(export_name(k, png));
        let genome = k.genome.clone();
        self.exports.push(Task::spawn(
            "export kept",
            Some(st.wake.wake()),
            move |_| write_kept(&dir, &path, &genome, png).map(|()| path),
        ));
    }
}

/// `NAME-ID.png` (or `.json`), the name kept to letters, digits, `-` and `_`.
fn export_name(k: &Kept, png: bool) -> String {
    let name: String = k
        .name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{name}-{}.{}", k.id, if png { "png" } else { "json" })
}

fn write_kept(dir: &Path, path: &Path, genome: &Genome, png: bool) -> Result<(), String> {
    std::fs::create_dir_all(dir)
        .map_err(|e| format!("{}: cannot make the folder: {e}", dir.display()))?;
    if png {
        let program = picbreeder::cppn::Program::compile(genome).map_err(|e| e.to_string())?;
        let img = program.render(&picbreeder::grid::Grid::square(EXPORT_PIXELS));
        picbreeder::io::png::save_with_genome(&img, Some(genome), path).map_err(|e| e.to_string())
    } else {
        let json = picbreeder::io::json::genome_to_json(genome);
        picbreeder::io::write_atomic(path, json.as_bytes()).map_err(|e| e.to_string())
    }
}

/// What the window shows while the library and its last session are read: the current
/// generation's pictures as soon as they are in, and that the rest is coming.
pub fn starting_screen(ui: &mut egui::Ui, st: &AppState, thumbs: &mut ThumbCache) {
    egui::CentralPanel::default().show(ui, |ui| {
        let r = ui.horizontal(|ui| {
            ui.spinner();
            ui.label("Reading the last session from the library…");
        });
        // For scripts that time the start: the window is up.
        super::hotspots::mark(ui.ctx(), "starting", r.response.rect);
        if let Some((number, genomes)) = &st.preview {
            ui.label(egui::RichText::new(format!("Generation {number}")).strong());
            let r = ui.horizontal_wrapped(|ui| {
                let mut ready = true;
                for g in genomes {
                    ready &= sized_thumb(ui, thumbs, Some(g), 128.0);
                }
                ready
            });
            // For scripts that time the start: every picture drawn.
            if r.inner {
                super::hotspots::mark(ui.ctx(), "preview-ready", r.response.rect);
            }
        }
    });
}

fn thumb(ui: &mut egui::Ui, thumbs: &mut ThumbCache, genome: Option<&Genome>) {
    let _ = sized_thumb(ui, thumbs, genome, THUMB);
}

/// Draws a thumbnail; true once its picture is in (or cannot be made).
fn sized_thumb(
    ui: &mut egui::Ui,
    thumbs: &mut ThumbCache,
    genome: Option<&Genome>,
    side: f32,
) -> bool {
    let size = egui::vec2(side, side);
    let (rect, _) = ui.allocate_exact_size(size, egui::Sense::hover());
    let t = genome.map(|g| thumbs.get(g, side as usize));
    match t {
        Some(Thumb::Ready(tex)) => {
            let uv = egui::Rect::from_min_max(egui::pos2(0.0, 0.0), egui::pos2(1.0, 1.0));
            ui.painter().image(tex.id(), rect, uv, egui::Color32::WHITE);
            true
        }
        Some(Thumb::Pending) => {
            ui.painter()
                .rect_filled(rect, 2.0, ui.visuals().faint_bg_color);
            false
        }
        Some(Thumb::Broken(_)) | None => {
            ui.painter()
                .rect_filled(rect, 2.0, egui::Color32::from_rgb(60, 20, 20));
            true
        }
    }
}
