//! The egui face: the breeding window.
//!
//! [`App`] holds the application state ([`state::AppState`]: the breeding session and
//! files) and one small struct per panel, each with a `ui` method that holds UI state
//! only. Panels change nothing but their own state and the session's settings; what
//! the user does they push as [`Action`]s, which the app applies after drawing. Rendering runs on worker threads ([`worker`]): panels ask the
//! [`thumbs::ThumbCache`] or the large view for pictures, which arrive a few frames later.
//! [`App::show`] draws one frame into any `Ui`, so the tests drive the real app with
//! `egui_kittest` and no display.

mod animation;
mod background;
mod dialogs;
mod file_windows;
mod grid_panel;
mod help;
pub mod hotspots;
mod large_view;
mod lease_choice;
mod library;
mod library_saver;
mod lineage_panel;
mod menu_bar;
mod quit;
mod resume_choice;
mod saver;
mod settings_panel;
mod shortcuts;
pub mod state;
mod status_bar;
mod task;
mod thumbs;
mod toolbar;
pub mod twin;
mod worker;
mod writer;

#[cfg(test)]
mod tests;

use dialogs::{Dialogs, Intent};
use eframe::egui;
use file_windows::FileWindows;
use grid_panel::{GridPanel, GridView};
use large_view::LargeView;
use lineage_panel::LineagePanel;
use menu_bar::MenuView;
use picbreeder::cppn::Genome;
use settings_panel::SettingsPanel;
use state::AppState;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};
use thumbs::ThumbCache;
use twin::files::TwinFile;
use worker::{Purpose, RenderPool};

/// Something the user asked for; panels push these, [`App::apply`] carries them out.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    ToggleParent(usize),
    View(usize),
    Evolve,
    Reroll,
    Back,
    Forward,
    BranchTo(usize),
    NewSession,
    StartFrom(usize),
    AddColour,
    /// Breed from this genome: a new generation of its children.
    StartFromGenome(Box<Genome>),
    /// Show a file dialog.
    Ask(Intent),
    /// A path chosen for an intent.
    Path(Intent, PathBuf),
    ShowExport,
    ToggleSide,
    ResetView,
    DismissError,
    /// Help > Keyboard shortcuts (F1).
    ShowShortcuts,
    ShowAbout,
    /// The session another writes to becomes a copy of its own, saved from now on.
    SaveCopy,
    /// Browse the session another writes to without saving.
    BrowseReadOnly,
    /// Quit (Ctrl+Q): as closing the window.
    Quit,
    /// Quitting while a run trains: keep its state in the library (true) or discard it.
    EndTraining(bool),
    /// Resume this library session although its resume last time never showed it.
    ResumeAnyway(picbreeder::store::SessionId),
    /// Keep the session started instead of the one that did not show last time.
    KeepNewSession,
}

/// A view that can live in the right-hand side panel (the SGD panel and neuron
/// galleries plug in here).
pub trait SideTab {
    fn title(&self) -> &str;
    /// `selected` is the genome shown in the large view, if any. What the user asks of
    /// the app (a new parent, a file dialog) the tab pushes to `actions`.
    fn ui(&mut self, ui: &mut egui::Ui, selected: Option<&Genome>, actions: &mut Vec<Action>);
    /// A tab that needs the whole session (the Experiment view) draws itself here,
    /// given the viewed child's index, and returns true; others leave it.
    fn session_ui(
        &mut self,
        _ui: &mut egui::Ui,
        _session: &picbreeder::breed::Session,
        _viewed: Option<usize>,
        _actions: &mut Vec<Action>,
    ) -> bool {
        false
    }
    /// The app's dialog answered a tab's [`Intent::Twin`] with `path`.
    fn file_chosen(&mut self, _ctx: &egui::Context, _file: TwinFile, _path: &std::path::Path) {}
    /// An experiment study with jobs finished since the last call, to keep with the
    /// session in the library: (its start, (generation, child), jobs as JSON).
    fn study_to_save(&mut self) -> Option<(i64, (picbreeder::breed::GenerationId, usize), String)> {
        None
    }
    /// The session changed: the study it keeps (none: show none).
    fn restore_study(&mut self, _study: Option<&picbreeder::store::Study>) {}
    /// What the tab asks the library to do with its SGD twin since the last call.
    fn twin_jobs(&mut self) -> Vec<TwinJob> {
        vec![]
    }
    /// The session changed: the SGD twin it keeps (none: show none).
    fn restore_twin(&mut self, _twin: Option<&picbreeder::store::TwinRecord>) {}
    /// A training run is going (quitting asks first).
    fn training(&self) -> bool {
        false
    }
    /// Ends the training run on quitting: `keep` its state in the library, or discard it.
    fn end_training(&mut self, _keep: bool) {}
    /// The SGD twin panel, for tests to look inside.
    #[cfg(test)]
    fn as_twin(&mut self) -> Option<&mut twin::TwinTab> {
        None
    }
}

/// What the twin panel asks the library to do with its SGD twin.
pub enum TwinJob {
    /// Keep its newest state (what is new since the last save).
    Save(Box<picbreeder::store::TwinRecord>),
    /// Forget the twin whose run started then (reset or discarded).
    Forget(i64),
}

/// Things that need the egui context: made on the first frame.
struct Runtime {
    thumbs: ThumbCache,
    /// Large-view renders.
    big: RenderPool,
    /// PNG exports, apart so a long export never holds up the large view.
    exports: RenderPool,
    dialogs: Dialogs,
}

/// An export in progress.
struct Export {
    path: PathBuf,
    progress: Arc<picbreeder::steps::PixelProgress>,
    pixels: usize,
}

/// The whole window.
pub struct App {
    pub state: AppState,
    grid: GridPanel,
    large: LargeView,
    lineage: LineagePanel,
    settings: SettingsPanel,
    files: FileWindows,
    pub side: Vec<Box<dyn SideTab>>,
    side_open: bool,
    side_tab: usize,
    settings_open: bool,
    rt: Option<Runtime>,
    export: Option<Export>,
    /// When the last dialog was asked for: a dialog that answers "nothing" at once could
    /// not be shown, and the user is offered to type a path instead.
    asked_at: Option<Instant>,
    /// Where scripts driving the real window read where the widgets are
    /// (`$PICBREEDER_LAYOUT`; see [`hotspots`]).
    pub layout: hotspots::LayoutFile,
    /// Asks before quitting while the library cannot be written.
    pub quit: quit::QuitGuard,
    /// The Library window (sessions, kept genomes).
    pub library: library::LibraryPanel,
    /// The Help menu's windows.
    help: help::Help,
}

impl App {
    pub fn new(state: AppState) -> App {
        App {
            state,
            grid: GridPanel::default(),
            large: LargeView::default(),
            lineage: LineagePanel::default(),
            settings: SettingsPanel::default(),
            files: FileWindows::default(),
            side: vec![
                Box::new(twin::TwinTab::default()),
                Box::new(twin::experiment::ExperimentView::default()),
            ],
            side_open: false,
            side_tab: 0,
            settings_open: false,
            rt: None,
            export: None,
            asked_at: None,
            layout: hotspots::LayoutFile::default(),
            quit: quit::QuitGuard::default(),
            library: library::LibraryPanel::default(),
            help: help::Help::default(),
        }
    }

    /// Nothing is rendering, no dialog or file operation is pending.
    pub fn idle(&self) -> bool {
        let rt_idle = self
            .rt
            .as_ref()
            .is_none_or(|rt| rt.thumbs.pending() == 0 && !rt.dialogs.is_open());
        rt_idle
            && !self.large.busy()
            && self.export.is_none()
            && self.state.idle()
            && !self.library.busy()
    }

    /// Draws one frame and applies what the user did.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        hotspots::clear(&ctx);
        let rt = self.rt.get_or_insert_with(|| {
            let wake = worker::repaint(&ctx);
            self.state.wake.set(wake.clone());
            let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
            Runtime {
                thumbs: ThumbCache::new(wake.clone()),
                big: RenderPool::new("big", 1, cores, wake.clone()),
                exports: RenderPool::new("export", 1, cores, wake.clone()),
                dialogs: Dialogs::new(wake),
            }
        });
        rt.thumbs.begin_frame(&ctx);
        for done in rt.big.finished().into_iter().chain(rt.exports.finished()) {
            match done.purpose {
                Purpose::Show(key) => self.large.accept(&ctx, key, done.result),
                Purpose::Export(path, _) => {
                    self.export = None;
                    match done.result {
                        Some(Ok(_)) => self.state.note(format!("exported {}", path.display())),
                        Some(Err(e)) => self.state.error = Some(e),
                        None => self.state.note("export abandoned".into()),
                    }
                }
            }
        }
        let mut actions = Vec::new();
        if let Some((intent, path)) = rt.dialogs.answer() {
            match path {
                Some(p) => actions.push(Action::Path(intent, p)),
                None => {
                    let quick = self
                        .asked_at
                        .is_some_and(|t| t.elapsed() < Duration::from_millis(400));
                    if quick {
                        self.files.typed_path = Some((intent, String::new()));
                    }
                }
            }
        }
        self.state.poll();
        if self.state.starting() {
            let rt = self.rt.as_mut().expect("made above");
            library::starting_screen(ui, &self.state, &mut rt.thumbs);
            rt.thumbs.end_frame();
            self.layout.write(&ctx);
            ctx.request_repaint_after(Duration::from_millis(50));
            return;
        }
        shortcuts::shortcuts(&ctx, &mut actions);
        for path in ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .collect::<Vec<_>>()
        }) {
            actions.push(Action::Path(Intent::OpenGenome, path));
        }

        self.panels(ui, &mut actions);
        let training = self.side.iter().any(|t| t.training());
        self.quit
            .show(&ctx, self.state.unsaved, training, &mut actions);
        lease_choice::ask(&ctx, &self.state, &mut actions);
        resume_choice::ask(&ctx, &self.state, &mut actions);

        if let Some(rt) = &mut self.rt {
            rt.thumbs.end_frame();
            // A resumed session's first pictures are drawn: its resume is done.
            if self.state.showing.is_some() && rt.thumbs.pending() == 0 && self.state.idle() {
                self.state.first_pictures_shown();
            }
        }
        for a in actions {
            self.apply(&ctx, a);
        }
        self.studies();
        self.twins();
        if !self.idle() {
            ctx.request_repaint_after(Duration::from_millis(50));
        }
        self.layout.write(&ctx);
    }

    /// Hands a changed session's kept study to the side tabs, and their newly finished
    /// study jobs to the library.
    fn studies(&mut self) {
        if let Some(study) = self.state.study_news.take() {
            for tab in &mut self.side {
                tab.restore_study(study.as_ref());
            }
        }
        for tab in &mut self.side {
            if let Some((started, at, jobs)) = tab.study_to_save() {
                self.state.save_study(started, at, jobs);
            }
        }
    }

    /// Hands a changed session's SGD twin to the side tabs (and views its child when it
    /// is in the generation shown and nothing is viewed), and their twins' news to the
    /// library.
    fn twins(&mut self) {
        if let Some(twin) = self.state.twin_news.take() {
            let st = &mut self.state;
            if let Some(t) = &twin
                && st.viewed.is_none()
                && t.generation == st.session.current_id()
                && st
                    .children()
                    .get(t.child)
                    .is_some_and(|g| twin::keep::genome_hash(g) == t.genome)
            {
                st.viewed = Some(t.child);
            }
            for tab in &mut self.side {
                tab.restore_twin(twin.as_ref());
            }
        }
        for tab in &mut self.side {
            for job in tab.twin_jobs() {
                match job {
                    TwinJob::Save(t) => self.state.save_twin(*t),
                    TwinJob::Forget(started) => self.state.forget_twin(started),
                }
            }
        }
    }

    fn panels(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        if self.rt.is_none() {
            return;
        }
        let st = &self.state;
        egui::Panel::top("menu").show(ui, |ui| {
            menu_bar::menu_bar(
                ui,
                &MenuView {
                    starters: picbreeder::breed::STARTERS,
                    can_back: st.can_back(),
                    can_forward: st.can_forward(),
                    has_parents: st.has_parents(),
                    can_reroll: st.can_reroll(),
                    has_selection: st.viewed_genome().is_some(),
                    side_open: self.side_open,
                },
                actions,
            );
        });
        self.toolbar(ui, actions);
        self.status_bar(ui);
        let Some(rt) = self.rt.as_mut() else { return };
        let st = &mut self.state;
        self.library.ui(ui.ctx(), st, &mut rt.thumbs);
        egui::Panel::bottom("lineage")
            .resizable(true)
            .default_size(170.0)
            .show(ui, |ui| {
                ui.horizontal(|ui| {
                    ui.strong("Lineage");
                    ui.weak("click a generation to go back to it and branch from there");
                });
                let lineage = st.lineage();
                self.lineage
                    .ui(ui, &lineage, &st.session, &mut rt.thumbs, actions);
            });
        egui::Panel::left("settings")
            .resizable(true)
            .default_size(200.0)
            .show_collapsible(ui, &mut self.settings_open, |ui| {
                egui::ScrollArea::vertical().show(ui, |ui| {
                    let seed = st.seed();
                    self.settings
                        .ui(ui, st.settings_mut(), &mut self.grid, seed, actions);
                });
            });
        if self.side_open {
            egui::Panel::right("side")
                .resizable(true)
                .default_size(560.0)
                .show(ui, |ui| {
                    if self.side.is_empty() {
                        ui.weak("Nothing here yet: the SGD panel and neuron galleries go here.");
                        return;
                    }
                    ui.horizontal(|ui| {
                        for (i, tab) in self.side.iter().enumerate() {
                            let r = ui.selectable_value(&mut self.side_tab, i, tab.title());
                            let name = format!("tab-{}", tab.title().replace(' ', "-"));
                            hotspots::mark(ui.ctx(), name, r.rect);
                        }
                    });
                    ui.separator();
                    let i = self.side_tab.min(self.side.len() - 1);
                    if !self.side[i].session_ui(ui, &st.session, st.viewed, actions) {
                        self.side[i].ui(ui, st.viewed_genome(), actions);
                    }
                });
        }
        egui::CentralPanel::default().show(ui, |ui| {
            if let Some(e) = st.error.clone() {
                egui::Frame::new()
                    .fill(ui.visuals().error_fg_color.gamma_multiply(0.25))
                    .inner_margin(6.0)
                    .show(ui, |ui| {
                        ui.horizontal(|ui| {
                            ui.colored_label(ui.visuals().error_fg_color, e);
                            if ui.small_button("Dismiss").clicked() {
                                actions.push(Action::DismissError);
                            }
                        });
                    });
            }
            lease_choice::banner(ui, st, actions);
            // The grid gets the width its columns need; the large view takes the rest.
            let grid_w = self.grid.fit((ui.available_width() - 160.0).max(200.0));
            egui::Panel::left("grid")
                .resizable(false)
                .exact_size(grid_w)
                .show_separator_line(true)
                .show(ui, |ui| {
                    let parents = st.parent_flags();
                    self.grid.ui(
                        ui,
                        GridView {
                            children: st.children(),
                            parents: &parents,
                            viewed: st.viewed,
                            thumb: st.session.settings().thumbnail as f32,
                        },
                        &mut rt.thumbs,
                        actions,
                    );
                });
            egui::CentralPanel::default().show(ui, |ui| {
                self.large.ui(ui, st.viewed_genome(), &rt.big);
            });
        });
        self.files.windows(ui.ctx(), actions);
        self.help
            .windows(ui.ctx(), self.state.library_path.as_deref());
    }

    /// Carries out one action.
    pub fn apply(&mut self, ctx: &egui::Context, action: Action) {
        let st = &mut self.state;
        match action {
            Action::ToggleParent(i) => st.toggle_parent(i),
            Action::View(i) => st.viewed = Some(i),
            Action::Evolve => st.evolve(),
            Action::Reroll => st.reroll(),
            Action::Back => st.back(),
            Action::Forward => st.forward(),
            Action::BranchTo(id) => st.branch_to(id),
            Action::NewSession => st.new_session(),
            Action::StartFrom(i) => st.start_from_starter(i),
            Action::AddColour => st.add_colour(),
            Action::StartFromGenome(g) => st.start_from_genome(*g),
            Action::Ask(Intent::SaveGenome | Intent::ExportPng { .. }) | Action::ShowExport
                if st.viewed_genome().is_none() =>
            {
                st.note("click or right-click a child first: that is the picture saved".into());
            }
            Action::Ask(intent) => {
                let start = st.files_dir();
                let name = match intent {
                    Intent::SaveGenome => Some("genome.json".to_string()),
                    Intent::SaveSession => Some("session.json".to_string()),
                    Intent::ExportPng { .. } => Some("picture.png".to_string()),
                    Intent::Twin(f) => f.file_name().map(str::to_string),
                    _ => None,
                };
                if let Some(rt) = &mut self.rt {
                    self.asked_at = Some(Instant::now());
                    rt.dialogs.ask(intent, start, name);
                }
            }
            Action::Path(intent, path) => match intent {
                Intent::OpenGenome => st.open_path(&path),
                Intent::OpenSession => st.open_session(&path),
                Intent::SaveGenome => st.save_genome(&path),
                Intent::SaveSession => st.save_session(&path),
                Intent::ExportPng { pixels } => self.start_export(path, pixels),
                Intent::Twin(file) => {
                    st.remember_dir(&path);
                    // Only the twin panel asks for these; other tabs ignore them.
                    for tab in &mut self.side {
                        tab.file_chosen(ctx, file, &path);
                    }
                }
            },
            Action::ShowExport => self.files.export_open = true,
            Action::ToggleSide => self.side_open = !self.side_open,
            Action::ResetView => self.large.reset(),
            Action::DismissError => st.error = None,
            Action::ShowShortcuts => self.help.shortcuts_open = true,
            Action::ShowAbout => self.help.about_open = true,
            Action::SaveCopy => st.save_copy(),
            Action::BrowseReadOnly => st.browse_read_only(),
            Action::Quit => ctx.send_viewport_cmd(egui::ViewportCommand::Close),
            Action::EndTraining(keep) => {
                for tab in &mut self.side {
                    tab.end_training(keep);
                }
            }
            Action::ResumeAnyway(id) => {
                st.unfinished = None;
                self.library.start_resume(st, id);
            }
            Action::KeepNewSession => st.unfinished = None,
        }
        ctx.request_repaint();
    }

    fn start_export(&mut self, path: PathBuf, pixels: usize) {
        let Some(genome) = self.state.viewed_genome() else {
            self.state.error = Some("choose a picture to export first".into());
            return;
        };
        let program = match picbreeder::cppn::Program::compile(genome) {
            Ok(p) => Arc::new(p),
            Err(e) => {
                self.state.error = Some(format!("cannot export this genome: {e}"));
                return;
            }
        };
        let Some(rt) = &self.rt else { return };
        if self.export.is_some() {
            self.state
                .note("an export is still running: abandon it or wait for it first".into());
            return;
        }
        let pixels = pixels.clamp(1, picbreeder::limits::MAX_IMAGE_SIDE);
        let progress = Arc::new(picbreeder::steps::PixelProgress::default());
        rt.exports.submit(worker::RenderJob {
            purpose: Purpose::Export(path.clone(), Arc::new(genome.clone())),
            program,
            grid: picbreeder::grid::Grid::square(pixels).with_window(self.large.window),
            progress: Arc::clone(&progress),
        });
        self.export = Some(Export {
            path,
            progress,
            pixels,
        });
    }
}

impl eframe::App for App {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.state.autosave_now();
    }
}

/// Opens the window. The session autosaves to `saves/` (or `$PICBREEDER_SAVES`);
/// `$PICBREEDER_SEED` fixes the seed of a fresh session, and `$PICBREEDER_LAYOUT` names
/// a file where scripts can read where the widgets are. `open`, if given, is a genome or
/// session file opened as soon as the window is up (as if dropped on it).
pub fn run(open: Option<PathBuf>) -> ExitCode {
    let saves = match picbreeder::store::saves_folder() {
        Ok(dir) => dir,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let seed = std::env::var("PICBREEDER_SEED")
        .ok()
        .and_then(|s| s.parse().ok());
    let mut state = AppState::start(Some(saves), seed);
    if let Some(path) = open {
        state.open_path(&path);
    }
    let layout_file = std::env::var_os("PICBREEDER_LAYOUT").map(PathBuf::from);
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("picbreeder")
            .with_inner_size([1280.0, 800.0])
            .with_drag_and_drop(true),
        ..Default::default()
    };
    match eframe::run_native(
        "picbreeder",
        options,
        Box::new(move |_cc| {
            let mut app = App::new(state);
            app.layout.path = layout_file;
            Ok(Box::new(app))
        }),
    ) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: cannot open the window: {e}");
            ExitCode::FAILURE
        }
    }
}
