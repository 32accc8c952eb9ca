//! The application state: the breeding session, which child is viewed, files and
//! autosave. Plain data and methods, no UI; the breeding itself is `picbreeder::breed`.

use super::library_saver::{self, LibraryReport, LibrarySaver};
use super::saver::{SaveKind, Saver};
use super::task::{LateWake, Polled, Reporter, Task};
pub use picbreeder::breed::Session;
use picbreeder::breed::{Bred, BreedError, Brood, GenerationId, Lineage, Next, Settings};
use picbreeder::budget::MEMORY_BUDGET;
use picbreeder::cppn::Genome;
use picbreeder::cppn::mutate::MutationConfig;
use picbreeder::io::json::genome_to_json;
use picbreeder::store::{SessionId, Study, TwinRecord};
use std::path::{Path, PathBuf};

pub struct AppState {
    pub session: Session,
    /// The child shown in the large view.
    pub viewed: Option<usize>,
    /// The session's number in the library (once the library has it).
    pub library_session: Option<SessionId>,
    /// The library's file, for the Library panel's own connection.
    pub library_path: Option<PathBuf>,
    /// The last problem, shown until dismissed.
    pub error: Option<String>,
    note: Option<String>,
    /// Folder of the last file opened or saved, where dialogs start.
    last_dir: Option<PathBuf>,
    saver: Saver,
    /// The library the session autosaves into, a generation at a time.
    library: Option<LibrarySaver>,
    /// The last autosave failed (or there is no library): work would be lost on quitting.
    pub unsaved: bool,
    /// The library and its last session being read at start.
    starting: Option<Task<Result<library_saver::LibraryOpened, String>, Preview>>,
    /// While starting: the last session's current generation (number, genomes).
    pub preview: Option<(usize, Vec<Genome>)>,
    /// Files being read on worker threads.
    reads: Vec<(PathBuf, Task<Result<FileRead, String>>)>,
    /// The session changed: the experiment study it keeps in the library, for the
    /// side tabs to show (`Some(None)`: it keeps none). Taken by the app each frame.
    pub study_news: Option<Option<Study>>,
    /// The session changed: the SGD twin it keeps in the library (`Some(None)`: none),
    /// for the twin panel. Taken by the app each frame.
    pub twin_news: Option<Option<TwinRecord>>,
    /// A generation being bred on a worker thread, and what follows when it is in.
    breeding: Option<Breeding>,
    /// Wakes the window when background work has news (set on the first frame).
    pub wake: LateWake,
    /// The session shown is written by another window or process: browsed without
    /// saving until the user saves it as a copy.
    pub read_only: Option<ReadOnly>,
    /// The window asks what to do with a session another writes ([`AppState::read_only`]):
    /// open a copy, or browse it read only.
    pub lease_choice: bool,
    /// A library session being resumed whose first pictures are not shown yet: its
    /// resume mark ([`picbreeder::store::Store::mark_resuming`]) goes once they are.
    pub showing: Option<SessionId>,
    /// The last session was not resumed at start, because its resume last time never
    /// showed its first pictures: the window asks (resume it anyway, or keep the new
    /// session started instead).
    pub unfinished: Option<SessionId>,
}

/// A library session shown read only: another window or process writes to it.
#[derive(Clone, Debug)]
pub struct ReadOnly {
    pub id: SessionId,
    /// Who writes to it, as the user is told.
    pub holder: String,
}

/// The task, the genomes it makes, what follows.
type Breeding = (Task<Option<Box<Bred>>>, usize, Then);

/// What the window does once a generation bred on the worker is in the session.
#[derive(Default)]
struct Then {
    /// The generation is the root of a new session ([`Session::from_root`]: an opened,
    /// starter, edited or kept genome), which then replaces the current one.
    root: bool,
    /// The child to show in the large view.
    viewed: Option<usize>,
    note: Option<String>,
    /// Starts a new library session of this name (else the generation is autosaved).
    library: Option<String>,
    clear_error: bool,
    /// Put before the error if the generation cannot go in.
    failed: String,
}

/// What the start sends ahead of the whole session: the current generation's number
/// and genomes.
type Preview = (usize, Vec<Genome>);

/// What a file held.
// Made once per user action, never stored in bulk: a genome inline costs nothing.
#[allow(clippy::large_enum_variant)]
enum FileRead {
    Session(Box<Session>),
    Genome(Genome),
}

/// A time-based seed for a fresh session.
fn fresh_seed() -> u64 {
    use std::time::{SystemTime, UNIX_EPOCH};
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(1, |d| d.as_nanos() as u64 ^ u64::from(std::process::id()))
}

impl AppState {
    /// A state around a session, autosaved as a new session in the library of `saves`
    /// (none if `None`). The window starts with [`AppState::start`]; tests with this.
    #[cfg(test)]
    pub fn with_session(session: Session, saves: Option<PathBuf>) -> AppState {
        let mut st = AppState::bare(session, LateWake::default());
        if let Some(dir) = saves {
            let made = picbreeder::store::Store::open_folder(&dir).and_then(|(mut store, _)| {
                let id = store.create_session("Session", &st.session)?;
                Ok((store, id))
            });
            match made {
                Ok((store, id)) => {
                    st.library_path = Some(store.path().to_path_buf());
                    let len = st.session.generations().len();
                    st.library = Some(LibrarySaver::new(store, Some(id), len, st.wake.wake()));
                    st.library_session = Some(id);
                }
                Err(e) => st.library_failed(e.to_string()),
            }
        }
        st
    }

    fn bare(session: Session, wake: LateWake) -> AppState {
        AppState {
            session,
            viewed: None,
            library_session: None,
            library_path: None,
            error: None,
            note: None,
            last_dir: None,
            saver: Saver::new(wake.wake()),
            library: None,
            unsaved: false,
            starting: None,
            preview: None,
            reads: vec![],
            study_news: None,
            twin_news: None,
            breeding: None,
            wake,
            read_only: None,
            lease_choice: false,
            showing: None,
            unfinished: None,
        }
    }

    /// The session last changed in the library of `saves` if there is one, else a fresh
    /// random session (made a new session in the library). The first start imports an
    /// old `autosave.json` and keeps the file. `seed` fixes the seed of a fresh session
    /// (default: from the clock).
    ///
    /// The library is opened and the session read on a thread of their own (a long
    /// session runs to hundreds of megabytes), so the window shows at once; until it is
    /// in, [`AppState::starting`] is true, the window says so and takes no action.
    pub fn start(saves: Option<PathBuf>, seed: Option<u64>) -> AppState {
        AppState::start_within(saves, seed, MEMORY_BUDGET)
    }

    /// [`AppState::start`] with a session that shows within `budget` bytes resumed
    /// (tests lower it); a bigger one is not read, and a new session starts.
    pub fn start_within(saves: Option<PathBuf>, seed: Option<u64>, budget: u64) -> AppState {
        let fresh = move || {
            let settings = Settings {
                start_colour: picbreeder::cppn::ColourMode::Colour,
                ..Settings::default()
            };
            Session::with_settings(seed.unwrap_or_else(fresh_seed), settings)
        };
        let wake = LateWake::default();
        let Some(dir) = saves else {
            return AppState::bare(fresh(), wake);
        };
        let task = Task::spawn(
            "library start",
            Some(wake.wake()),
            move |r: &Reporter<_, Preview>| {
                library_saver::open(&dir, fresh, |n, genomes| r.news((n, genomes)), budget)
            },
        );
        let mut st = AppState::bare(fresh(), wake);
        st.starting = Some(task);
        st
    }

    /// The library and its last session are still being read.
    pub fn starting(&self) -> bool {
        self.starting.is_some()
    }

    /// Waits until the start is done (tests; the window polls).
    #[cfg(test)]
    pub fn wait_started(&mut self) {
        while self.starting.is_some() {
            self.poll_start();
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
    }

    /// Takes in the start's preview, then what it read.
    fn poll_start(&mut self) {
        let Some(task) = &mut self.starting else {
            return;
        };
        let (news, polled) = task.poll_news();
        if let Some(preview) = news.into_iter().last() {
            self.preview = Some(preview);
        }
        let opened = match polled {
            Polled::Running => return,
            Polled::Done(opened) => opened,
            Polled::Lost => Err("reading it stopped".into()),
        };
        self.starting = None;
        self.preview = None;
        self.started(opened);
    }

    /// Takes in the library and the session the start read.
    fn started(&mut self, opened: Result<library_saver::LibraryOpened, String>) {
        match opened {
            Ok(o) => {
                self.session = o.session;
                self.viewed = None;
                self.library_path = Some(o.store.path().to_path_buf());
                let len = self.session.generations().len();
                self.error = o.problem;
                self.study_news = Some(o.study);
                self.twin_news = Some(o.twin);
                self.unfinished = o.unfinished;
                if o.restored {
                    self.showing = Some(o.id);
                }
                match o.leased {
                    None => {
                        self.library = Some(LibrarySaver::new(
                            o.store,
                            Some(o.id),
                            len,
                            self.wake.wake(),
                        ));
                        self.library_session = Some(o.id);
                        if o.restored {
                            self.note = Some("restored the last session from the library".into());
                        }
                    }
                    Some(holder) => {
                        self.library =
                            Some(LibrarySaver::new(o.store, None, len, self.wake.wake()));
                        self.leased(o.id, holder);
                    }
                }
            }
            Err(e) => self.library_failed(e),
        }
    }

    /// Session `id` shown is written by `holder`: it is browsed read only, and the
    /// window asks whether to open a copy instead.
    fn leased(&mut self, id: SessionId, holder: String) {
        self.library_session = None;
        self.read_only = Some(ReadOnly { id, holder });
        self.lease_choice = true;
    }

    /// The session browsed read only becomes a new library session of its own (all
    /// its generations), saved from now on.
    pub fn save_copy(&mut self) {
        let Some(ro) = self.read_only.clone() else {
            return;
        };
        self.new_library_session(&format!("Copy of session {}", ro.id));
        self.unsaved = false;
        self.note = Some(format!(
            "opened a copy of session {} as a new session",
            ro.id
        ));
    }

    /// The session's first pictures are on screen: a resume in progress is done.
    pub fn first_pictures_shown(&mut self) {
        if let (Some(id), Some(l)) = (self.showing.take(), &self.library) {
            l.shown(id);
        }
    }

    /// Keeps browsing the session read only (nothing is saved).
    pub fn browse_read_only(&mut self) {
        self.lease_choice = false;
    }

    /// The library cannot be written: the banner says so, and quitting asks first.
    fn library_failed(&mut self, e: String) {
        self.unsaved = true;
        self.error = Some(format!(
            "could not save to the library: {e} (this session is not saved)"
        ));
    }

    // ----- what the panels read -----

    pub fn children(&self) -> &[Genome] {
        self.session.genomes()
    }

    pub fn parent_flags(&self) -> Vec<bool> {
        (0..self.children().len())
            .map(|i| self.session.is_selected(i))
            .collect()
    }

    pub fn parent_count(&self) -> usize {
        self.session.selected().len()
    }

    pub fn has_parents(&self) -> bool {
        self.parent_count() > 0
    }

    /// The generation number the user sees (1 for the first).
    pub fn generation(&self) -> usize {
        self.session.generation_number()
    }

    /// Re-roll works from any generation (a random one re-rolls into fresh random
    /// genomes), but not while one is being bred. The toolbar and the Breed menu both
    /// ask here.
    pub fn can_reroll(&self) -> bool {
        self.breeding.is_none()
    }

    pub fn can_back(&self) -> bool {
        self.session.can_back()
    }

    pub fn can_forward(&self) -> bool {
        self.session.can_forward()
    }

    pub fn seed(&self) -> u64 {
        self.session.seed()
    }

    pub fn mutation(&self) -> &MutationConfig {
        &self.session.settings().mutation
    }

    pub fn mutation_mut(&mut self) -> &mut MutationConfig {
        &mut self.session.settings_mut().mutation
    }

    pub fn settings_mut(&mut self) -> &mut Settings {
        self.session.settings_mut()
    }

    pub fn viewed_genome(&self) -> Option<&Genome> {
        self.viewed.and_then(|i| self.children().get(i))
    }

    /// The generation tree, laid out for the lineage panel.
    pub fn lineage(&self) -> Lineage {
        self.session.lineage()
    }

    pub fn note_text(&self) -> Option<&str> {
        self.note.as_deref()
    }

    pub fn note(&mut self, text: String) {
        self.note = Some(text);
    }

    /// No file is being read or written.
    pub fn idle(&self) -> bool {
        !self.saver.busy()
            && self.library.as_ref().is_none_or(|l| !l.busy())
            && self.reads.is_empty()
            && self.starting.is_none()
            && self.breeding.is_none()
    }

    /// Takes in news from background work. Call once a frame.
    pub fn poll(&mut self) {
        // Files opened meanwhile wait: they start a new session in the library.
        if self.starting.is_some() {
            self.poll_start();
            if self.starting.is_some() {
                return;
            }
        }
        self.poll_breeding();
        let mut arrived = vec![];
        // A file that arrives while a generation is bred waits until it is in.
        if self.breeding.is_none() {
            self.reads.retain_mut(|(path, task)| match task.poll() {
                Polled::Running => true,
                Polled::Done(read) => {
                    arrived.push((path.clone(), read));
                    false
                }
                Polled::Lost => {
                    arrived.push((path.clone(), Err("reading it stopped".into())));
                    false
                }
            });
        }
        for (path, opened) in arrived {
            self.opened(&path, opened);
        }
        let reports: Vec<LibraryReport> = self
            .library
            .as_ref()
            .map(|l| l.reports().collect())
            .unwrap_or_default();
        for report in reports {
            match report {
                LibraryReport::Created(id) => self.library_session = Some(id),
                LibraryReport::Leased(id, holder) => self.leased(id, holder),
                LibraryReport::Failed(e) => self.library_failed(e),
                LibraryReport::Recovered => {
                    self.unsaved = false;
                    self.error = None;
                }
            }
        }
        let finished: Vec<_> = self.saver.finished().collect();
        for saved in finished {
            let what = match saved.kind {
                SaveKind::Session => "session",
                SaveKind::Genome => "genome",
            };
            match saved.result {
                Ok(()) => self.note = Some(format!("saved {what} {}", saved.path.display())),
                Err(e) => self.error = Some(format!("could not save the {what}: {e}")),
            }
        }
    }

    // ----- what the user does -----

    pub fn toggle_parent(&mut self, i: usize) {
        if !self.held() {
            self.session.toggle_parent(i);
        }
    }

    /// A new generation (or a whole new population) replaced the children.
    fn new_generation(&mut self) {
        self.viewed = None;
        self.autosave();
    }

    pub fn evolve(&mut self) {
        // The first parent, carried over unchanged, stays in view.
        let then = Then {
            viewed: Some(0),
            ..Then::default()
        };
        if let Err(e) = self.breed(Next::Evolve, then) {
            self.note = Some(e.to_string());
        }
    }

    /// New children in place of the current ones (the current ones stay in the tree).
    pub fn reroll(&mut self) {
        if let Err(e) = self.breed(Next::Reroll, Then::default()) {
            self.note = Some(e.to_string());
        }
    }

    pub fn back(&mut self) {
        if !self.held() && self.session.back() {
            self.new_generation();
        }
    }

    pub fn forward(&mut self) {
        if !self.held() && self.session.forward() {
            self.new_generation();
        }
    }

    pub fn branch_to(&mut self, node: usize) {
        if self.held() {
            return;
        }
        match self.session.branch_to(GenerationId(node)) {
            Ok(()) => {
                self.viewed = None;
                // Every ancestor's "forward" child may have changed.
                if let Some(l) = &self.library {
                    l.save(&self.session, true);
                }
            }
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    /// A fresh random session with the current settings (a new seed).
    pub fn new_session(&mut self) {
        if self.held() {
            return;
        }
        let settings = self.session.settings().clone();
        self.session = Session::with_settings(fresh_seed(), settings);
        self.note = Some("started a new random session (the old one is in the library)".into());
        self.viewed = None;
        self.new_library_session("Session");
    }

    pub fn start_from_starter(&mut self, i: usize) {
        let Some(starter) = picbreeder::breed::STARTERS.get(i) else {
            return;
        };
        let name = starter.name;
        let then = Then {
            viewed: Some(0),
            note: Some(format!("started from {name}")),
            library: Some(name.to_string()),
            failed: format!("starter {name}: "),
            ..Then::default()
        };
        let started = starter
            .genome()
            .map_err(|e| e.to_string())
            .and_then(|g| self.breed_from(g, then).map_err(|e| e.to_string()));
        if let Err(e) = started {
            self.error = Some(format!("starter {name}: {e}"));
        }
    }

    /// Breeds from a hand edit of a child: the single parent of a new generation, a
    /// child of the current one ("back" returns to where the user was).
    pub fn start_from_genome(&mut self, genome: Genome) {
        let then = Then {
            viewed: Some(0),
            note: Some("breeding from the edited genome".into()),
            clear_error: true,
            ..Then::default()
        };
        if let Err(e) = self.breed(Next::Edited(Box::new(genome)), then) {
            self.error = Some(e.to_string());
        }
    }

    /// Opens a colour copy of the viewed grey child (same picture) as a new parent.
    pub fn add_colour(&mut self) {
        let Some(i) = self.viewed else {
            self.note = Some("view a grey child first (right-click it)".into());
            return;
        };
        let then = Then {
            viewed: Some(0),
            ..Then::default()
        };
        if let Err(e) = self.breed(Next::AddColour(i), then) {
            self.note = Some(e.to_string());
        }
    }

    /// Breeds the next generation on a worker thread; [`AppState::poll`] puts it in.
    /// Refused at once if the session cannot breed it (no parents, a bad genome).
    fn breed(&mut self, next: Next, then: Then) -> Result<(), BreedError> {
        if self.held() {
            return Ok(());
        }
        let brood = self.session.brood(next)?;
        // Estimated before anything is bred: a genome too big to breed and show is
        // refused at once, the session as it was.
        brood.within(MEMORY_BUDGET)?;
        self.breed_brood(brood, then);
        Ok(())
    }

    /// Breeds `brood` on a worker thread; [`AppState::poll`] puts it in.
    fn breed_brood(&mut self, brood: Brood, then: Then) {
        let of = brood.work() as u64;
        let task = Task::spawn(
            "breed",
            Some(self.wake.wake()),
            move |r: &Reporter<_, ()>| {
                brood
                    .breed(r.cancel_flag(), &mut |k| r.progress(k as u64, of))
                    .map(Box::new)
            },
        );
        self.breeding = Some((task, of as usize, then));
    }

    /// Starts a new session whose root is `genome` (its first generation is the genome
    /// and its children, bred on a worker thread); the current session is left whole.
    fn breed_from(&mut self, genome: Genome, then: Then) -> Result<(), BreedError> {
        if self.held() {
            return Ok(());
        }
        let settings = self.session.settings().clone();
        let brood = Session::root_brood(fresh_seed(), settings, genome)?;
        brood.within(MEMORY_BUDGET)?;
        self.breed_brood(brood, Then { root: true, ..then });
        Ok(())
    }

    /// While a generation is being bred the session stays as it is: says so.
    fn held(&mut self) -> bool {
        if self.breeding.is_some() {
            self.note = Some("wait: the next generation is being bred (or cancel it)".into());
        }
        self.breeding.is_some()
    }

    /// Genomes of the generation being bred made so far, of how many.
    pub fn breeding(&self) -> Option<(usize, usize)> {
        self.breeding
            .as_ref()
            .map(|(task, of, _)| (task.progress().0 as usize, *of))
    }

    /// Files being read.
    pub fn reading(&self) -> usize {
        self.reads.len()
    }

    pub fn cancel_breeding(&self) {
        if let Some((task, _, _)) = &self.breeding {
            task.cancel();
        }
    }

    /// Puts a generation that finished breeding in the session.
    fn poll_breeding(&mut self) {
        let Some((task, _, _)) = &mut self.breeding else {
            return;
        };
        let bred = match task.poll() {
            Polled::Running => return,
            Polled::Done(bred) => bred,
            Polled::Lost => None,
        };
        let (task, _, then) = self.breeding.take().expect("checked above");
        match bred {
            Some(bred) => self.bred(*bred, then),
            None if task.cancelled() => {
                self.note = Some("breeding cancelled: nothing changed".into())
            }
            None => {
                self.error = Some("breeding stopped with an internal error: nothing changed".into())
            }
        }
    }

    fn bred(&mut self, bred: Bred, then: Then) {
        let accepted = if then.root {
            Session::from_root(bred).map(|s| self.session = s)
        } else {
            self.session.accept(bred).map(|_| ())
        };
        if let Err(e) = accepted {
            self.error = Some(format!("{}{e}", then.failed));
            return;
        }
        self.viewed = then.viewed;
        if then.clear_error {
            self.error = None;
        }
        if then.note.is_some() {
            self.note = then.note;
        }
        match then.library {
            Some(name) => self.new_library_session(&name),
            // Bred on a session browsed read only: lost unless saved as a copy.
            None if self.read_only.is_some() => self.unsaved = true,
            None => self.autosave(),
        }
    }

    // ----- files -----

    pub fn files_dir(&self) -> Option<PathBuf> {
        self.last_dir.clone()
    }

    /// The folder the next file dialog opens in: where the last chosen file was.
    pub fn remember_dir(&mut self, path: &Path) {
        self.last_dir = path.parent().map(Path::to_path_buf);
    }

    /// Opens a genome (native JSON, Picbreeder XML or zip) as the root of a new session;
    /// a session file opens as a session. On error the session is unchanged.
    /// Starts reading a genome, or a session if the file is one, on a worker thread;
    /// [`AppState::poll`] applies it when it arrives (a session file can run to
    /// megabytes). A file that cannot be read changes nothing.
    pub fn open_path(&mut self, path: &Path) {
        let session = is_session_file(path);
        self.read(path, move |p| {
            if session {
                Session::load(p).map(|s| FileRead::Session(Box::new(s)))
            } else {
                picbreeder::io::detect::load_genome(p).map(FileRead::Genome)
            }
        });
    }

    /// Starts reading a session file (see [`AppState::open_path`]).
    pub fn open_session(&mut self, path: &Path) {
        self.read(path, |p| {
            Session::load(p).map(|s| FileRead::Session(Box::new(s)))
        });
    }

    fn read(
        &mut self,
        path: &Path,
        load: impl FnOnce(&Path) -> Result<FileRead, picbreeder::io::FileError> + Send + 'static,
    ) {
        let (path, theirs) = (path.to_path_buf(), path.to_path_buf());
        let task = Task::spawn("open", Some(self.wake.wake()), move |_| {
            load(&theirs).map_err(|e| e.to_string())
        });
        self.reads.push((path, task));
    }

    /// Applies a file that finished reading.
    fn opened(&mut self, path: &Path, opened: Result<FileRead, String>) {
        let opened = match opened {
            Ok(o) => o,
            Err(e) => {
                self.error = Some(format!("could not open {e}"));
                return;
            }
        };
        self.remember_dir(path);
        let name = path
            .file_stem()
            .map_or("Opened".into(), |n| n.to_string_lossy().into_owned());
        match opened {
            FileRead::Session(s) => {
                self.session = *s;
                self.viewed = None;
                self.error = None;
                self.note = Some(format!("opened session {}", path.display()));
                self.new_library_session(&name);
            }
            // A new session whose root is the opened genome, shown first.
            FileRead::Genome(genome) => {
                let then = Then {
                    viewed: Some(0),
                    note: Some(format!("opened {}", path.display())),
                    library: Some(name),
                    clear_error: true,
                    failed: format!("could not open {}: ", path.display()),
                    ..Then::default()
                };
                if let Err(e) = self.breed_from(genome, then) {
                    self.error = Some(format!("could not open {}: {e}", path.display()));
                }
            }
        }
    }

    /// Starts writing the session to `path` (on the saver thread; [`AppState::poll`]
    /// reports how it went).
    pub fn save_session(&mut self, path: &Path) {
        self.remember_dir(path);
        let session = Box::new(self.session.clone());
        self.saver
            .save(SaveKind::Session, path.to_path_buf(), move || {
                session.to_json().into_bytes()
            });
    }

    pub fn save_genome(&mut self, path: &Path) {
        let Some(g) = self.viewed_genome() else {
            self.error = Some("choose a picture to save first".into());
            return;
        };
        let genome = g.clone();
        self.remember_dir(path);
        self.saver
            .save(SaveKind::Genome, path.to_path_buf(), move || {
                genome_to_json(&genome).into_bytes()
            });
    }

    /// Saves the new generation (or the new position) into the library, on its thread;
    /// read only, nothing is saved.
    pub fn autosave(&self) {
        if self.read_only.is_some() {
            return;
        }
        if let Some(l) = &self.library {
            l.save(&self.session, false);
        }
    }

    /// The session was started over: it goes into the library as a new session, and
    /// the one before stays there as it was.
    fn new_library_session(&mut self, name: &str) {
        if let Some(l) = &self.library {
            l.create(name, &self.session);
        }
        self.read_only = None;
        self.lease_choice = false;
        self.study_news = Some(None);
        self.twin_news = Some(None);
    }

    /// Keeps an experiment study with the session in the library (on its thread).
    pub fn save_study(&self, started: i64, at: (GenerationId, usize), jobs: String) {
        if let Some(l) = &self.library {
            l.save_study(started, at, jobs);
        }
    }

    /// Keeps the SGD twin's newest state with the session in the library (on its thread).
    pub fn save_twin(&self, twin: TwinRecord) {
        if self.read_only.is_some() {
            return;
        }
        if let Some(l) = &self.library {
            l.save_twin(twin);
        }
    }

    /// Forgets the SGD twin whose run started at `started` (its run was discarded).
    pub fn forget_twin(&self, started: i64) {
        if self.read_only.is_some() {
            return;
        }
        if let Some(l) = &self.library {
            l.forget_twin(started);
        }
    }

    /// Continues session `id` of the library (read back as `session`, with its newest
    /// experiment study and SGD twin); the one being bred stays in the library as it was
    /// last saved.
    /// `leased`: another window or process writes to it (named): it is browsed read
    /// only and the window asks whether to open a copy.
    pub fn resume(
        &mut self,
        id: SessionId,
        session: Session,
        (study, twin): (Option<Study>, Option<TwinRecord>),
        leased: Option<String>,
    ) {
        if self.held() {
            return;
        }
        self.autosave();
        self.session = session;
        self.study_news = Some(study);
        self.twin_news = Some(twin);
        self.viewed = None;
        self.read_only = None;
        self.lease_choice = false;
        self.showing = Some(id);
        match leased {
            None => {
                self.library_session = Some(id);
                if let Some(l) = &self.library {
                    l.switch(id, &self.session);
                }
                self.note = Some("resumed a session from the library".into());
            }
            Some(holder) => {
                if let Some(l) = &self.library {
                    l.detach();
                }
                self.leased(id, holder);
            }
        }
    }

    /// A new session bred from `genome` (a kept one): its first generation is the
    /// genome's children, the genome itself first.
    pub fn branch_from(&mut self, genome: Genome, name: &str) {
        if self.held() {
            return;
        }
        let then = Then {
            viewed: Some(0),
            note: Some(format!("branched from {name} (a new session)")),
            library: Some(format!("Branch of {name}")),
            failed: format!("cannot branch from {name}: "),
            ..Then::default()
        };
        if let Err(e) = self.breed_from(genome, then) {
            self.error = Some(format!("cannot branch from {name}: {e}"));
        }
    }

    /// Saves and waits until it and every write queued before it are on disk (on exit).
    pub fn autosave_now(&mut self) {
        self.autosave();
        // Quitting normally, the resume did not fail (a killed or aborted window
        // never gets here): its mark goes.
        self.first_pictures_shown();
        if let Some(l) = &mut self.library {
            l.finish();
            for report in l.reports() {
                if let LibraryReport::Failed(e) = report {
                    eprintln!("could not save to the library: {e}");
                }
            }
        }
        self.saver.finish();
        for saved in self.saver.finished() {
            if let Err(e) = saved.result {
                eprintln!("could not save {}: {e}", saved.path.display());
            }
        }
        self.saver = Saver::new(self.wake.wake());
    }
}

/// Whether a file is a session file, by the same content sniffer the CLI uses.
pub fn is_session_file(path: &Path) -> bool {
    picbreeder::io::kind::sniff_file(path).is_ok_and(|k| k == picbreeder::io::kind::Kind::Session)
}
