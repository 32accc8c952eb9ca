//! The real window, driven headless with `egui_kittest`: clicks on the widgets, keys,
//! files dropped on the window. Renders finish on worker threads, so [`settle`] runs
//! frames until the app is idle.

use super::state::AppState;
use super::*;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use picbreeder::store::OLD_AUTOSAVE as AUTOSAVE;
use std::path::Path;
use std::time::{Duration, Instant};

/// A scratch folder for one test (autosaves and files), emptied first.
#[path = "twin_keep_tests.rs"]
mod twin_keep;

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("picbreeder-app-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn session(seed: u64) -> state::Session {
    let settings = picbreeder::breed::Settings {
        start_colour: picbreeder::cppn::ColourMode::Colour,
        ..Default::default()
    };
    state::Session::with_settings(seed, settings)
}

fn harness(state: AppState) -> Harness<'static, App> {
    Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(|ui, app: &mut App| app.show(ui), App::new(state))
}

/// Runs frames until nothing renders or saves any more (at most 30 s).
fn settle(h: &mut Harness<'static, App>) {
    let start = Instant::now();
    loop {
        h.step();
        if h.state().idle() {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the app never became idle"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    // One more frame shows what the last results brought.
    h.step();
}

fn children(h: &Harness<'static, App>) -> Vec<Genome> {
    h.state().state.children().to_vec()
}

/// A file dropped onto the window.
#[derive(Debug)]
struct Dropped(PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }
    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

fn drop_file(h: &mut Harness<'static, App>, path: &Path) {
    h.input_mut()
        .dropped_files
        .push(Arc::new(Dropped(path.to_path_buf())));
    settle(h);
}

/// Clicks children `picks` (0-based) and presses Evolve.
fn evolve(h: &mut Harness<'static, App>, picks: &[usize]) {
    for &i in picks {
        h.get_by_label(&format!("child {}", i + 1)).click();
        h.step();
    }
    h.get_by_label("Evolve Enter").click();
    settle(h);
}

#[test]
fn thumbnails_render_and_parents_are_marked() {
    let dir = scratch("thumbs");
    let mut h = harness(AppState::with_session(session(7), Some(dir.clone())));
    settle(&mut h);
    h.get_by_label("child 3").click();
    settle(&mut h);
    let flags = h.state().state.parent_flags();
    assert_eq!(flags.iter().filter(|&&p| p).count(), 1);
    assert!(flags[2]);
    // Clicking again unmarks.
    h.get_by_label("child 3").click();
    settle(&mut h);
    assert!(!h.state().state.has_parents());
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn evolve_makes_a_new_generation_of_changed_children() {
    let dir = scratch("evolve");
    let mut h = harness(AppState::with_session(session(11), Some(dir.clone())));
    settle(&mut h);
    let before = children(&h);
    assert_eq!(h.state().state.generation(), 1);
    evolve(&mut h, &[1, 4]);
    assert_eq!(h.state().state.generation(), 2);
    h.get_by_label("Generation 2");
    let after = children(&h);
    assert_eq!(after.len(), before.len());
    let parents = [&before[1], &before[4]];
    // The parents stay; every other child differs from both.
    for p in parents {
        assert!(after.contains(p), "a parent is kept unchanged");
    }
    let new: Vec<&Genome> = after.iter().filter(|g| !parents.contains(g)).collect();
    assert!(new.len() >= after.len() - 2, "children are new genomes");
    // The generation was autosaved into the library.
    let id = h.state().state.library_session.expect("in the library");
    let stored = library(&dir).load_session(id).unwrap();
    assert!(
        stored == h.state().state.session,
        "the library has generation 2"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn keyboard_evolves_and_undo_redo_restore_generations_exactly() {
    let dir = scratch("undo");
    let mut h = harness(AppState::with_session(session(5), Some(dir.clone())));
    settle(&mut h);
    let gen0 = children(&h);
    h.get_by_label("child 1").click();
    h.step();
    h.key_press(egui::Key::Enter);
    settle(&mut h);
    assert_eq!(h.state().state.generation(), 2);
    let gen1 = children(&h);
    assert_ne!(gen0, gen1);

    h.get_by_label("Back").click();
    settle(&mut h);
    assert_eq!(h.state().state.generation(), 1);
    assert_eq!(children(&h), gen0);
    h.get_by_label("Forward").click();
    settle(&mut h);
    assert_eq!(h.state().state.generation(), 2);
    assert_eq!(children(&h), gen1);

    // The same with the keyboard.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    settle(&mut h);
    assert_eq!(children(&h), gen0);
    h.key_press_modifiers(
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::Z,
    );
    settle(&mut h);
    assert_eq!(children(&h), gen1);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn branching_from_an_ancestor_keeps_the_old_branch() {
    let dir = scratch("branch");
    let mut h = harness(AppState::with_session(session(3), Some(dir.clone())));
    settle(&mut h);
    let gen0 = children(&h);
    evolve(&mut h, &[0]);
    let gen1 = children(&h);
    evolve(&mut h, &[2]);
    assert_eq!(h.state().state.generation(), 3);

    // Click the first generation in the lineage and breed differently from there.
    let root = h.state().state.lineage().roots[0].0;
    h.get_by_label(&format!("generation node {root}")).click();
    settle(&mut h);
    assert_eq!(h.state().state.generation(), 1);
    assert_eq!(children(&h), gen0);
    evolve(&mut h, &[6]);
    assert_eq!(h.state().state.generation(), 2);
    assert_ne!(children(&h), gen1);

    // Both branches are in the tree: the root has two children, nothing was lost.
    let lineage = h.state().state.lineage();
    assert_eq!(lineage.nodes.len(), 4);
    assert_eq!(lineage.nodes[root].children.len(), 2);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn session_saved_then_opened_gives_the_same_tree() {
    let dir = scratch("session");
    let mut h = harness(AppState::with_session(session(21), Some(dir.clone())));
    settle(&mut h);
    evolve(&mut h, &[0, 3]);
    evolve(&mut h, &[5]);
    h.get_by_label("Back").click();
    settle(&mut h);
    let saved = h.state().state.session.clone();
    let path = dir.join("my session.json");
    let ctx = h.ctx.clone();
    h.state_mut()
        .apply(&ctx, Action::Path(Intent::SaveSession, path.clone()));
    settle(&mut h);
    assert!(path.exists());

    // Change the session, then open the saved one by dropping it on the window.
    evolve(&mut h, &[1]);
    assert!(h.state().state.session != saved);
    drop_file(&mut h, &path);
    assert_eq!(h.state().state.error, None);
    assert!(h.state().state.session == saved, "same tree");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_corrupt_file_shows_an_error_and_changes_nothing() {
    let dir = scratch("corrupt");
    let mut h = harness(AppState::with_session(session(8), Some(dir.clone())));
    settle(&mut h);
    evolve(&mut h, &[2]);
    let before = h.state().state.session.clone();
    for (name, bytes) in [
        (
            "corrupt.json",
            &b"{ \"format\": \"picbreeder-genome\", \"nodes\": [ oops"[..],
        ),
        ("garbage.zip", &b"PK\x03\x04 not really a zip"[..]),
        ("notes.txt", &b"hello"[..]),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        drop_file(&mut h, &path);
        let err = h.state().state.error.clone().expect("an error is shown");
        assert!(err.contains(name), "the error names the file: {err}");
        h.get_by_label_contains(name);
        assert!(h.state().state.session == before, "session unchanged");
        h.get_by_label("Dismiss").click();
        settle(&mut h);
        assert_eq!(h.state().state.error, None);
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn autosave_is_restored_on_the_next_start() {
    let dir = scratch("restore");
    let mut h = harness(AppState::with_session(session(13), Some(dir.clone())));
    settle(&mut h);
    evolve(&mut h, &[4]);
    let session = h.state().state.session.clone();
    drop(h);
    let mut st = AppState::start(Some(dir.clone()), None);
    st.wait_started();
    assert!(st.session == session, "restored: {:?}", st.error);
    // Quit as the window does (a window killed before its first pictures would be
    // asked about at the next start).
    st.autosave_now();
    drop(st);
    // An old autosave that cannot be imported is reported and left as it is; the
    // library's session still comes back.
    std::fs::write(dir.join(AUTOSAVE), b"{ broken").unwrap();
    let mut st = AppState::start(Some(dir.clone()), None);
    st.wait_started();
    assert!(st.error.as_deref().is_some_and(|e| e.contains(AUTOSAVE)));
    assert_eq!(std::fs::read(dir.join(AUTOSAVE)).unwrap(), b"{ broken");
    assert!(st.session == session);
    let _ = std::fs::remove_dir_all(dir);
}

/// The library in a test's saves folder.
fn library(dir: &Path) -> picbreeder::store::Store {
    picbreeder::store::Store::open(&dir.join(picbreeder::store::LIBRARY_FILE)).unwrap()
}

#[test]
fn an_old_autosave_is_imported_on_the_first_start_and_kept() {
    let dir = scratch("import");
    let mut old = session(21);
    old.set_parent(2, true);
    old.evolve().unwrap();
    std::fs::write(dir.join(AUTOSAVE), old.to_json()).unwrap();
    let mut st = AppState::start(Some(dir.clone()), None);
    st.wait_started();
    assert_eq!(st.error, None);
    assert!(st.session == old, "the old autosave is continued");
    assert!(dir.join(AUTOSAVE).exists(), "the old file is kept");
    st.autosave_now();
    drop(st);
    // Not imported a second time.
    let mut st = AppState::start(Some(dir.clone()), None);
    st.wait_started();
    assert_eq!(library(&dir).sessions().unwrap().len(), 1);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_new_session_keeps_the_old_one_in_the_library() {
    let dir = scratch("newkeeps");
    let mut h = harness(AppState::with_session(session(23), Some(dir.clone())));
    settle(&mut h);
    evolve(&mut h, &[3]);
    let old = h.state().state.session.clone();
    let old_id = h.state().state.library_session.unwrap();
    let ctx = h.ctx.clone();
    h.state_mut().apply(&ctx, Action::NewSession);
    settle(&mut h);
    let new_id = h.state().state.library_session.unwrap();
    assert_ne!(new_id, old_id, "a new library session");
    assert_eq!(h.state().state.generation(), 1);
    let lib = library(&dir);
    assert_eq!(lib.sessions().unwrap().len(), 2);
    assert!(
        lib.load_session(old_id).unwrap() == old,
        "the old one is whole"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_library_that_cannot_be_written_says_so() {
    let dir = scratch("nolib");
    // A file where the saves folder should be: the library cannot be made.
    let saves = dir.join("saves");
    std::fs::write(&saves, b"not a folder").unwrap();
    let mut h = harness(AppState::with_session(session(25), Some(saves)));
    settle(&mut h);
    assert!(h.state().state.unsaved);
    let banner = h.state().state.error.clone().unwrap_or_default();
    assert!(banner.contains("not saved"), "{banner}");
    h.get_by_label_contains("not saved");
    // Closing the window asks first, and offers to export the session.
    h.input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
    h.step();
    h.step();
    assert!(h.state().quit.asking, "quitting asks first");
    h.get_by_label("Quit without saving?");
    h.get_by_label("Export session…").click();
    h.step();
    assert!(!h.state().quit.asking);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn large_view_renders_and_zooms_by_re_rendering() {
    let dir = scratch("large");
    let mut h = harness(AppState::with_session(session(17), Some(dir.clone())));
    settle(&mut h);
    h.get_by_label("child 2").click_secondary();
    settle(&mut h);
    assert_eq!(h.state().state.viewed, Some(1));
    assert!(!h.state().state.has_parents(), "right-click only views");
    let before = h.state().large.window;
    let ctx = h.ctx.clone();
    h.state_mut().apply(&ctx, Action::ResetView);
    // Zoom with the wheel over the picture.
    let centre = h.state().large.last_rect().expect("picture shown").center();
    h.hover_at(centre);
    h.event(egui::Event::MouseWheel {
        unit: egui::MouseWheelUnit::Point,
        delta: egui::vec2(0.0, 120.0),
        modifiers: egui::Modifiers::NONE,
        phase: egui::TouchPhase::Move,
        source: egui::MouseWheelSource::Wheel,
    });
    settle(&mut h);
    let after = h.state().large.window;
    assert!(
        after.x1 - after.x0 < before.x1 - before.x0,
        "zoomed in: {after:?}"
    );
    assert!(
        h.state().large.shows_window(after),
        "re-rendered at the new window"
    );

    // Drag to pan: the picture follows the pointer, so the window moves the other way.
    h.drag_at(centre);
    h.step();
    h.hover_at(centre + egui::vec2(60.0, 0.0));
    h.step();
    h.drop_at(centre + egui::vec2(60.0, 0.0));
    settle(&mut h);
    let panned = h.state().large.window;
    assert!(panned.x0 < after.x0, "panned: {panned:?}");
    assert!(
        (panned.x1 - panned.x0 - (after.x1 - after.x0)).abs() < 1e-9,
        "same zoom"
    );
    assert!(h.state().large.shows_window(panned));

    // Reset shows the whole picture again.
    h.get_by_label("Reset view").click();
    settle(&mut h);
    assert_eq!(h.state().large.window, picbreeder::grid::Window::default());
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn export_writes_a_png_and_a_huge_one_can_be_abandoned() {
    let dir = scratch("export");
    // A slow genome, so the big export is surely still running when abandoned.
    let settings = picbreeder::breed::Settings {
        population: 2,
        ..Default::default()
    };
    let session =
        state::Session::starting_from(41, settings, huge_genome(3000)).expect("valid genome");
    let mut h = harness(AppState::with_session(session, Some(dir.clone())));
    settle(&mut h);
    h.get_by_label("child 1").click_secondary();
    settle(&mut h);
    let ctx = h.ctx.clone();
    let small = dir.join("small.png");
    h.state_mut().apply(
        &ctx,
        Action::Path(Intent::ExportPng { pixels: 64 }, small.clone()),
    );
    settle(&mut h);
    let img = picbreeder::io::png::load(&small).expect("exported PNG reads back");
    assert_eq!((img.width, img.height), (64, 64));
    // The picture carries the genome it shows (opening it opens that genome).
    let carried = picbreeder::io::png::carried_genome(&std::fs::read(&small).unwrap())
        .unwrap()
        .expect("the exported PNG carries its genome");
    assert_eq!(Some(&carried), h.state().state.viewed_genome());
    // Dropping the picture on the window opens its genome, as a new session.
    drop_file(&mut h, &small);
    assert_eq!(h.state().state.error, None);
    assert_eq!(h.state().state.generation(), 1);
    assert_eq!(children(&h)[0], carried);

    let huge = dir.join("huge.png");
    h.state_mut().apply(
        &ctx,
        Action::Path(Intent::ExportPng { pixels: 4096 }, huge.clone()),
    );
    h.step();
    h.get_by_label("Abandon export").click();
    settle(&mut h);
    assert!(!huge.exists(), "an abandoned export writes nothing");
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("huge"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
    assert_eq!(h.state().state.note_text(), Some("export abandoned"));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_saved_genome_opens_as_the_root_of_a_new_session() {
    let dir = scratch("genome");
    let mut h = harness(AppState::with_session(session(23), Some(dir.clone())));
    settle(&mut h);
    h.get_by_label("child 6").click_secondary();
    settle(&mut h);
    let picked = children(&h)[5].clone();
    let path = dir.join("picked.json");
    let ctx = h.ctx.clone();
    h.state_mut()
        .apply(&ctx, Action::Path(Intent::SaveGenome, path.clone()));
    settle(&mut h);
    assert_eq!(
        picbreeder::io::detect::load_genome(&path).expect("saved genome loads"),
        picked
    );

    // Open it (dropped on the window) after a few generations: a new session whose
    // root is the genome; the old one stays whole in the library, nothing copied.
    evolve(&mut h, &[0]);
    evolve(&mut h, &[2, 4]);
    let old = h.state().state.session.clone();
    let old_id = h.state().state.library_session.unwrap();
    drop_file(&mut h, &path);
    assert_eq!(h.state().state.error, None);
    let new = h.state().state.session.clone();
    assert_eq!(new.generations().len(), 1, "no generations copied");
    assert_eq!(h.state().state.generation(), 1);
    assert_eq!(new.current().parent, None, "the opened genome is a root");
    assert_eq!(children(&h)[0], picked);
    assert!(children(&h)[1..].iter().all(|g| *g != picked));
    assert_eq!(
        h.state().state.viewed,
        Some(0),
        "the opened genome is shown"
    );
    h.get_by_label("Generation 1");
    assert!(!new.can_back(), "nothing before the opened genome");
    let new_id = h.state().state.library_session.unwrap();
    assert_ne!(new_id, old_id, "a new library session");
    let lib = library(&dir);
    assert_eq!(lib.sessions().unwrap().len(), 2);
    assert!(
        lib.load_session(old_id).unwrap() == old,
        "the old one is whole"
    );
    assert!(
        lib.load_session(new_id).unwrap() == new,
        "the new one alone"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_real_picbreeder_zip_opens() {
    let zip = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/picbreeder/skull.zip");
    if !zip.exists() {
        eprintln!("SKIPPED: {} is missing", zip.display());
        return;
    }
    let dir = scratch("zip");
    let mut h = harness(AppState::with_session(session(29), Some(dir.clone())));
    settle(&mut h);
    drop_file(&mut h, &zip);
    assert_eq!(h.state().state.error, None);
    let skull = picbreeder::io::detect::load_genome(&zip).unwrap();
    assert_eq!(children(&h)[0], skull);
    let _ = std::fs::remove_dir_all(dir);
}

/// A grey genome with a chain of `n` hidden nodes: slow to render on purpose.
fn huge_genome(n: u64) -> Genome {
    use picbreeder::cppn::{Activation, Link, Marking, Node, NodeKind};
    let Genome { mut nodes, .. } = Genome::grey_skeleton(Activation::Sin);
    let mut links = Vec::new();
    let mut prev = Marking::new(0, 0);
    for k in 0..n {
        let id = Marking::new(1, k);
        nodes.push(Node {
            id,
            kind: NodeKind::Hidden,
            activation: Activation::Sin,
        });
        for (j, source) in [prev, Marking::new(0, 2)].into_iter().enumerate() {
            links.push(Link {
                id: Marking::new(2, 2 * k + j as u64),
                source,
                target: id,
                weight: 0.9,
            });
        }
        prev = id;
    }
    links.push(Link {
        id: Marking::new(3, 0),
        source: prev,
        target: Marking::new(0, 4),
        weight: 1.0,
    });
    Genome {
        nodes,
        links,
        notes: Default::default(),
    }
}

#[test]
fn a_huge_render_shows_progress_and_can_be_abandoned() {
    let dir = scratch("huge");
    let settings = picbreeder::breed::Settings {
        population: 2,
        ..Default::default()
    };
    let session =
        state::Session::starting_from(31, settings, huge_genome(6000)).expect("valid genome");
    let mut h = harness(AppState::with_session(session, Some(dir.clone())));
    // Show progress at once, so the test does not depend on how fast this machine is.
    h.state_mut().large.progress_after = Some(Duration::ZERO);
    h.get_by_label("child 1").click_secondary();
    h.step();
    h.step();
    // The frames keep coming while it renders; the progress bar offers to abandon.
    let start = Instant::now();
    while h.query_by_label("Abandon").is_none() {
        assert!(start.elapsed() < Duration::from_secs(20), "no progress bar");
        assert!(
            h.state().large.busy(),
            "the large render finished too soon to test"
        );
        h.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    h.get_by_label("Abandon").click();
    h.step();
    assert!(!h.state().large.busy(), "abandoned");
    settle(&mut h);
    assert!(!h.state().large.busy(), "not restarted by itself");
    let _ = std::fs::remove_dir_all(dir);
}

/// A side tab for the test: says how many nodes the viewed genome has.
struct Counter;

impl SideTab for Counter {
    fn title(&self) -> &str {
        "Counter"
    }
    fn ui(&mut self, ui: &mut egui::Ui, selected: Option<&Genome>, _: &mut Vec<Action>) {
        match selected {
            Some(g) => ui.label(format!("viewed genome has {} nodes", g.nodes.len())),
            None => ui.label("nothing viewed"),
        };
    }
}

#[test]
fn side_panel_hosts_tabs_that_see_the_viewed_genome() {
    let dir = scratch("side");
    let mut app = App::new(AppState::with_session(session(37), Some(dir.clone())));
    app.side.push(Box::new(Counter));
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(|ui, app: &mut App| app.show(ui), app);
    settle(&mut h);
    assert!(
        h.query_by_label("nothing viewed").is_none(),
        "closed at first"
    );
    let ctx = h.ctx.clone();
    h.state_mut().apply(&ctx, Action::ToggleSide);
    settle(&mut h);
    // The SGD twin is the first tab; the test's tab comes after it.
    h.get_by_label("Counter").click();
    settle(&mut h);
    h.get_by_label("nothing viewed");
    h.get_by_label("child 2").click_secondary();
    settle(&mut h);
    let n = children(&h)[1].nodes.len();
    h.get_by_label(&format!("viewed genome has {n} nodes"));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_hand_edited_genome_becomes_a_parent_in_the_grid() {
    let dir = scratch("edit-parent");
    let mut h = harness(AppState::with_session(session(41), Some(dir.clone())));
    settle(&mut h);
    h.get_by_label("SGD twin").click();
    settle(&mut h);
    h.get_by_label("child 3").click_secondary();
    settle(&mut h);
    h.get_by_label("Graph").click();
    settle(&mut h);
    let before = h.state().state.generation();
    let chosen = children(&h)[2].clone();
    h.get_by_label("Use as parent").click();
    settle(&mut h);
    assert_eq!(h.state().state.generation(), before + 1);
    let now = children(&h);
    assert_eq!(
        now[0], chosen,
        "the genome from the graph view is the new parent"
    );
    assert!(
        now[1..].iter().all(|c| *c != chosen),
        "its children are mutated copies"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn start_from_menu_opens_a_starter_genome() {
    let dir = scratch("starter");
    let mut h = harness(AppState::with_session(session(43), Some(dir.clone())));
    settle(&mut h);
    evolve(&mut h, &[1]);
    h.get_by_label("Start from").click();
    settle(&mut h);
    h.get_by_label("moon").click();
    settle(&mut h);
    assert_eq!(h.state().state.generation(), 1);
    assert_eq!(h.state().state.session.generations().len(), 1);
    let moon = picbreeder::breed::starter("moon").unwrap();
    assert_eq!(children(&h)[0], moon);
    assert_eq!(h.state().state.viewed, Some(0));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn every_child_stays_in_view_when_the_side_panel_narrows_the_grid() {
    let dir = scratch("narrow");
    let mut h = harness(AppState::with_session(session(41), Some(dir.clone())));
    settle(&mut h);
    h.get_by_label("child 1").click_secondary();
    settle(&mut h);
    let ctx = h.ctx.clone();
    h.state_mut().apply(&ctx, Action::ToggleSide);
    settle(&mut h);
    let app = h.state();
    let large = app.large.last_rect().expect("the large view is drawn");
    let rects = &app.grid.rects;
    assert_eq!(rects.len(), 15);
    assert!(
        rects.iter().all(|r| r.right() <= large.left()),
        "a child lies under the large view: {rects:?} vs {large:?}"
    );
    // The grid wrapped into more rows instead.
    let rows = rects.iter().filter(|r| r.left() == rects[0].left()).count();
    assert!(rows > 3, "{rows} rows");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn the_layout_file_names_the_children_the_buttons_and_the_side_tabs() {
    let dir = scratch("layout");
    let mut app = App::new(AppState::with_session(session(41), Some(dir.clone())));
    let file = dir.join("layout.txt");
    app.layout.path = Some(file.clone());
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(|ui, app: &mut App| app.show(ui), app);
    settle(&mut h);
    let ctx = h.ctx.clone();
    h.state_mut().apply(&ctx, Action::ToggleSide);
    settle(&mut h);
    let text = std::fs::read_to_string(&file).expect("the layout file is written");
    let names: Vec<&str> = text
        .lines()
        .map(|l| l.rsplitn(3, ' ').nth(2).unwrap_or(""))
        .collect();
    for want in [
        "child 1",
        "evolve",
        "twin",
        "tab-SGD-twin",
        "tab-Experiment",
        "SGD",
        "train",
    ] {
        assert!(names.contains(&want), "no '{want}' in:\n{text}");
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn library_resumes_keeps_finds_by_tag_branches_and_undoes_a_delete() {
    let dir = scratch("library");
    let mut h = harness(AppState::with_session(session(27), Some(dir.clone())));
    settle(&mut h);
    evolve(&mut h, &[2]);
    let old = h.state().state.session.clone();
    let old_id = h.state().state.library_session.unwrap();
    let ctx = h.ctx.clone();
    h.state_mut().apply(&ctx, Action::NewSession);
    settle(&mut h);
    let new_id = h.state().state.library_session.unwrap();

    // The old session is in the Library: resume it.
    h.get_by_label("Library").click();
    settle(&mut h);
    h.get_by_label(&format!("Resume #{old_id}")).click();
    settle(&mut h);
    assert_eq!(h.state().state.library_session, Some(old_id));
    assert!(h.state().state.session == old, "resumed whole");
    // Breeding on goes into the resumed session.
    // (The Library window covers the grid: close it to click the children.)
    h.state_mut().library.open = false;
    evolve(&mut h, &[1]);
    assert_eq!(h.state().state.generation(), 3);
    let stored = library(&dir).load_session(old_id).unwrap();
    assert_eq!(stored.generation_number(), 3);

    // Keep the viewed child with a name and tags, find it by a tag.
    h.get_by_label("child 3").click_secondary();
    settle(&mut h);
    let kept = h.state().state.viewed_genome().unwrap().clone();
    h.state_mut().library.open = true;
    settle(&mut h);
    h.state_mut().library.keep_name = "swirl".into();
    h.state_mut().library.keep_tags = "red, round".into();
    h.get_by_label("Keep").click();
    settle(&mut h);
    h.state_mut().library.set_search("nothing-like-it");
    settle(&mut h);
    assert!(h.query_by_label("Branch from swirl").is_none());
    h.get_by_label("Nothing kept matches.");
    h.state_mut().library.set_search("round");
    settle(&mut h);
    // Exported as a picture that carries its genome, and as JSON.
    h.get_by_label("PNG").click();
    h.get_by_label("JSON").click();
    settle(&mut h);
    let png = std::fs::read(dir.join("kept/swirl-1.png")).expect("PNG written");
    let carried = picbreeder::io::png::carried_genome(&png).unwrap();
    assert_eq!(carried.as_ref(), Some(&kept));
    let json = picbreeder::io::detect::load_genome(&dir.join("kept/swirl-1.json")).unwrap();
    assert_eq!(json, kept);
    h.get_by_label("Branch from swirl").click();
    settle(&mut h);
    let branch = h.state().state.library_session.unwrap();
    assert!(branch != old_id && branch != new_id, "a new session");
    assert_eq!(
        h.state().state.children()[0],
        kept,
        "bred from the kept one"
    );
    let branched = &h.state().state.session;
    assert_eq!(
        branched.generations().len(),
        1,
        "the kept genome is its root"
    );
    assert_eq!(branched.current().parent, None);
    assert_eq!(library(&dir).sessions().unwrap().len(), 3);

    // Delete asks, and can be undone.
    h.get_by_label(&format!("Delete #{new_id}")).click();
    settle(&mut h);
    h.get_by_label(&format!("Yes, delete #{new_id}")).click();
    settle(&mut h);
    assert_eq!(library(&dir).sessions().unwrap().len(), 2);
    h.get_by_label("Undo delete").click();
    settle(&mut h);
    assert_eq!(library(&dir).sessions().unwrap().len(), 3);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn the_window_shows_at_once_and_the_last_session_when_it_is_read() {
    let dir = scratch("startlate");
    let mut h = harness(AppState::with_session(session(29), Some(dir.clone())));
    settle(&mut h);
    evolve(&mut h, &[6]);
    evolve(&mut h, &[2]);
    let bred = h.state().state.session.clone();
    drop(h);
    let mut h = harness(AppState::start(Some(dir.clone()), None));
    // The first frame does not wait for the library.
    h.step();
    settle(&mut h);
    assert!(!h.state().state.starting());
    assert!(
        h.state().state.session == bred,
        "{:?}",
        h.state().state.error
    );
    h.get_by_label("Generation 3");
    let _ = std::fs::remove_dir_all(dir);
}

/// A side tab that hands over one study and records what it is shown.
struct StudyTab {
    to_save: Option<(i64, (picbreeder::breed::GenerationId, usize), String)>,
    shown: Arc<std::sync::Mutex<Vec<Option<i64>>>>,
}

impl SideTab for StudyTab {
    fn title(&self) -> &'static str {
        "Study"
    }
    fn ui(&mut self, _: &mut egui::Ui, _: Option<&Genome>, _: &mut Vec<Action>) {}
    fn study_to_save(&mut self) -> Option<(i64, (picbreeder::breed::GenerationId, usize), String)> {
        self.to_save.take()
    }
    fn restore_study(&mut self, study: Option<&picbreeder::store::Study>) {
        self.shown.lock().unwrap().push(study.map(|s| s.started));
    }
}

#[test]
fn a_study_is_kept_with_its_session_and_shown_when_it_comes_back() {
    let dir = scratch("study");
    let mut h = harness(AppState::with_session(session(31), Some(dir.clone())));
    settle(&mut h);
    let shown = Arc::new(std::sync::Mutex::new(vec![]));
    let jobs = "[]".to_string();
    h.state_mut().side.push(Box::new(StudyTab {
        to_save: Some((5, (picbreeder::breed::GenerationId(0), 2), jobs)),
        shown: Arc::clone(&shown),
    }));
    settle(&mut h);
    let id = h.state().state.library_session.unwrap();
    let kept = library(&dir).latest_study(id).unwrap().expect("kept");
    assert_eq!((kept.started, kept.child), (5, 2));
    drop(h);
    // The harness runs a frame as it is built: the tab goes in before.
    let mut app = App::new(AppState::start(Some(dir.clone()), None));
    app.side.push(Box::new(StudyTab {
        to_save: None,
        shown: Arc::clone(&shown),
    }));
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(|ui, app: &mut App| app.show(ui), app);
    settle(&mut h);
    assert_eq!(*shown.lock().unwrap(), [Some(5)], "shown on the next start");
    h.state_mut().state.new_session();
    settle(&mut h);
    assert_eq!(
        shown.lock().unwrap().last(),
        Some(&None),
        "a new session has none"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn breeding_from_a_20000_node_genome_keeps_frames_coming_and_can_be_cancelled() {
    let mut h = harness(AppState::with_session(session(41), None));
    settle(&mut h);
    let before = h.state().state.session.clone();
    let big = picbreeder::cppn::synthetic::synthetic(20_000, 1);
    h.state_mut().state.start_from_genome(big);
    // The window draws while the children are made, and says so.
    for _ in 0..2 {
        h.step();
        assert!(h.state().state.breeding().is_some(), "bred within a frame");
    }
    h.get_by_label_contains("breeding: ");
    // Breeding again meanwhile is refused, not queued.
    h.state_mut().state.reroll();
    assert!(h.state().state.note_text().unwrap().starts_with("wait"));
    h.get_by_label("Cancel breeding").click();
    settle(&mut h);
    assert!(h.state().state.breeding().is_none());
    assert!(
        h.state().state.session == before,
        "cancelled: nothing changed"
    );
    assert_eq!(
        h.state().state.note_text(),
        Some("breeding cancelled: nothing changed")
    );
    // A smaller one goes in, the genome first.
    let small = picbreeder::cppn::synthetic::synthetic(50, 2);
    h.state_mut().state.start_from_genome(small.clone());
    settle(&mut h);
    assert_eq!(h.state().state.children()[0], small);
    assert_eq!(h.state().state.session.generations().len(), 2);
}

#[test]
fn a_dropped_animation_opens_the_genome_it_carries() {
    use picbreeder::animate::{ExportProgress, Format, Palette, Timing, export, zoom::ZoomFrames};
    let dir = scratch("gifdrop");
    let genome = session(43).genomes()[3].clone();
    let net = picbreeder::network::Network::from_genome(genome.clone()).unwrap();
    let window = picbreeder::grid::Window::default();
    let mut frames = ZoomFrames::new(net, window, (0.0, 0.0), 2.0, (24, 24), 3).unwrap();
    let gif = dir.join("zoom.gif");
    let progress = ExportProgress::default();
    let format = Format::Gif(Palette::PerFrame);
    export(&mut frames, format, Timing::default(), &gif, &progress)
        .unwrap()
        .unwrap();
    let mut h = harness(AppState::with_session(session(44), None));
    settle(&mut h);
    drop_file(&mut h, &gif);
    assert_eq!(h.state().state.error, None);
    assert_eq!(children(&h)[0], genome);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn large_view_starts_from_the_whole_picture_for_another_genome() {
    let dir = scratch("large-next");
    let mut h = harness(AppState::with_session(session(17), Some(dir.clone())));
    settle(&mut h);
    h.get_by_label("child 2").click_secondary();
    settle(&mut h);
    let zoomed = picbreeder::grid::Window::default().zoomed(0.25, 0.3, -0.2);
    h.state_mut().large.window = zoomed;
    settle(&mut h);
    assert_eq!(
        h.state().large.window,
        zoomed,
        "the same genome keeps its zoom"
    );
    h.get_by_label("child 3").click_secondary();
    settle(&mut h);
    // The new genome's render starts the frame after it is viewed.
    settle(&mut h);
    assert_eq!(h.state().state.viewed, Some(2));
    assert_eq!(
        h.state().large.window,
        picbreeder::grid::Window::default(),
        "the next genome starts unzoomed"
    );
    assert!(
        h.state()
            .large
            .shows_window(picbreeder::grid::Window::default())
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn re_roll_is_enabled_alike_in_the_toolbar_and_the_breed_menu() {
    use egui_kittest::kittest::NodeT;
    let dir = scratch("reroll");
    let mut h = harness(AppState::with_session(session(44), Some(dir.clone())));
    settle(&mut h);
    assert!(!h.state().state.has_parents(), "nothing chosen");
    assert!(h.state().state.can_reroll());
    assert!(!h.get_by_label("Re-roll").accesskit_node().is_disabled());
    h.get_by_label("Breed").click();
    settle(&mut h);
    let item = h.get_by_label_contains("Re-roll children");
    assert!(!item.accesskit_node().is_disabled(), "greyed in the menu");
    let before = children(&h);
    item.click();
    settle(&mut h);
    let rolled = children(&h);
    assert_ne!(rolled, before, "the menu re-rolled");
    // The toolbar's button does the same.
    h.get_by_label("Re-roll").click();
    settle(&mut h);
    assert_ne!(children(&h), rolled);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn f1_lists_every_shortcut_and_about_names_the_version_and_the_library() {
    let dir = scratch("help");
    let mut h = harness(AppState::with_session(session(45), Some(dir.clone())));
    settle(&mut h);
    // Help > About: the version, and where the library is.
    h.get_by_label("Help").click();
    settle(&mut h);
    h.get_by_label("About").click();
    // A window is laid out unseen in its first frame.
    h.step();
    settle(&mut h);
    h.get_by_label(&format!("picbreeder {}", env!("CARGO_PKG_VERSION")));
    let library = h.state().state.library_path.clone().expect("a library");
    h.get_by_label(&format!("Library: {}", library.display()));
    // F1: the shortcuts, every one in the table with its keys.
    assert!(h.query_by_label("Keyboard shortcuts").is_none());
    h.key_press(egui::Key::F1);
    settle(&mut h);
    h.get_by_label("Keyboard shortcuts");
    let ctx = h.ctx.clone();
    let table = shortcuts::table();
    assert!(table.len() >= 11);
    assert!(table.iter().any(|s| s.keys == shortcuts::HELP));
    for s in &table {
        h.get_by_label(s.does);
        let keys = ctx.format_shortcut(&s.keys);
        assert!(
            h.query_all_by_label(&keys).next().is_some(),
            "{keys} is not listed"
        );
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_kept_genome_is_renamed_and_deleted_with_undo_in_the_library() {
    let dir = scratch("kept-edit");
    let mut h = harness(AppState::with_session(session(46), Some(dir.clone())));
    settle(&mut h);
    h.get_by_label("child 2").click_secondary();
    settle(&mut h);
    h.state_mut().library.open = true;
    settle(&mut h);
    h.state_mut().library.keep_name = "swirl".into();
    h.state_mut().library.keep_tags = "round".into();
    h.get_by_label("Keep").click();
    settle(&mut h);
    let stored = |dir: &Path| library(dir).kept("").unwrap();
    assert_eq!(stored(&dir).len(), 1);
    // Rename: type a new name into its field and leave it.
    let field = |h: &Harness<'static, App>, value: &str| {
        h.get_all_by_role(egui::accesskit::Role::TextInput)
            .find(|n| n.value().as_deref() == Some(value))
            .map(|n| n.rect())
    };
    let at = field(&h, "swirl").expect("the kept name is a field");
    h.get_all_by_role(egui::accesskit::Role::TextInput)
        .find(|n| n.rect() == at)
        .unwrap()
        .focus();
    h.step();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_all_by_role(egui::accesskit::Role::TextInput)
        .find(|n| n.rect() == at)
        .unwrap()
        .type_text("spiral");
    h.key_press(egui::Key::Enter);
    settle(&mut h);
    let kept = stored(&dir);
    assert_eq!(kept[0].name, "spiral", "renamed in the library");
    assert_eq!(kept[0].tags, ["round"], "tags kept");
    assert_eq!(
        h.state().state.generation(),
        1,
        "Enter in the field did not evolve"
    );
    // Delete, then Undo.
    h.get_by_label(&format!("Delete kept #{}", kept[0].id))
        .click();
    settle(&mut h);
    assert!(stored(&dir).is_empty(), "deleted from the library");
    h.get_by_label("Nothing kept matches.");
    h.get_by_label("Undo delete kept").click();
    settle(&mut h);
    assert_eq!(stored(&dir), kept, "back as it was");
    assert!(h.query_by_label("Undo delete kept").is_none());
    let _ = std::fs::remove_dir_all(dir);
}

/// A background job wakes the window when it has news, with no input: the breeding
/// thread asks for a repaint itself, and the next frame (no pointer, no key) shows the
/// new progress.
#[test]
fn a_background_job_wakes_the_window_and_the_next_frame_shows_its_progress() {
    let mut h = harness(AppState::with_session(session(41), None));
    settle(&mut h);
    let askers = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let seen = Arc::clone(&askers);
    h.ctx.set_repaint_observer(move |_| {
        let name = std::thread::current().name().unwrap_or("").to_string();
        seen.lock().unwrap().push(name);
    });
    let big = picbreeder::cppn::synthetic::synthetic(20_000, 1);
    h.state_mut().state.start_from_genome(big);
    h.step();
    // The count the status bar shows.
    let made = |h: &Harness<'static, App>| -> usize {
        (0..=100)
            .find(|k| {
                h.query_by_label_contains(&format!("breeding: {k} of"))
                    .is_some()
            })
            .expect("the status bar shows the breeding")
    };
    let shown = made(&h);
    askers.lock().unwrap().clear();
    // No frame runs meanwhile: the worker asks for one when it has made a child.
    let t = Instant::now();
    while !askers.lock().unwrap().iter().any(|n| n == "breed") {
        assert!(
            t.elapsed() < Duration::from_secs(20),
            "the window was never woken"
        );
        std::thread::sleep(Duration::from_millis(1));
    }
    while h.state().state.breeding().is_some_and(|(k, _)| k <= shown) {
        assert!(t.elapsed() < Duration::from_secs(20), "no progress");
        std::thread::sleep(Duration::from_millis(1));
    }
    h.step();
    if h.state().state.breeding().is_some() {
        assert!(made(&h) > shown, "the frame shows the new progress");
    }
    h.state().state.cancel_breeding();
    settle(&mut h);
}

/// Two windows on one saves folder: the second starts on the session the first is
/// breeding in, asks (a copy, or read only), and never writes to it. Each window's
/// lineage stays whole in the library; a third window opens a copy from the question.
#[test]
fn a_second_window_on_one_session_asks_and_never_overwrites_it() {
    let dir = scratch("twowindows");
    let mut a = harness(AppState::with_session(session(33), Some(dir.clone())));
    settle(&mut a);
    evolve(&mut a, &[2]);
    let id = a.state().state.library_session.unwrap();
    let mut b = harness(AppState::start(Some(dir.clone()), None));
    settle(&mut b);
    assert!(b.state().state.session == a.state().state.session);
    assert_eq!(b.state().state.library_session, None, "not b's to write");
    b.get_by_label(&format!("Session {id} is open elsewhere"));
    b.get_by_label("Open read only").click();
    settle(&mut b);
    assert!(b.query_by_label("Open read only").is_none(), "answered");
    b.get_by_label_contains("Read only: session");
    // Both breed: b's generations stay in b, a's lineage is whole in the library.
    evolve(&mut a, &[1]);
    evolve(&mut b, &[4]);
    evolve(&mut b, &[0]);
    evolve(&mut a, &[3]);
    let lib = library(&dir);
    assert!(lib.load_session(id).unwrap() == a.state().state.session);
    assert!(b.state().state.unsaved, "quitting b asks first");
    assert_eq!(lib.sessions().unwrap().len(), 1);
    // b keeps its work as a copy of its own, saved from then on.
    b.get_by_label("Save as a copy").click();
    settle(&mut b);
    let copy = b
        .state()
        .state
        .library_session
        .expect("a session of its own");
    assert_ne!(copy, id);
    assert!(b.state().state.read_only.is_none() && !b.state().state.unsaved);
    evolve(&mut b, &[5]);
    let lib = library(&dir);
    assert!(lib.load_session(copy).unwrap() == b.state().state.session);
    assert!(lib.load_session(id).unwrap() == a.state().state.session);
    // A third window starts on the last changed session (b's copy, held by b) and
    // opens a copy of it at once.
    let mut c = harness(AppState::start(Some(dir.clone()), None));
    settle(&mut c);
    assert!(c.state().state.session == b.state().state.session);
    c.get_by_label("Open a copy").click();
    settle(&mut c);
    let third = c
        .state()
        .state
        .library_session
        .expect("a session of its own");
    assert!(third != id && third != copy);
    evolve(&mut c, &[1]);
    let lib = library(&dir);
    assert!(lib.load_session(third).unwrap() == c.state().state.session);
    assert!(lib.load_session(copy).unwrap() == b.state().state.session);
    assert!(lib.load_session(id).unwrap() == a.state().state.session);
    // Once a window closes, its session is free for the next.
    drop(a);
    let mut d = AppState::start(Some(dir.clone()), None);
    d.wait_started();
    assert!(d.read_only.is_some(), "the last changed is c's");
    // Resuming from the Library a session another window writes asks the same.
    c.get_by_label("Library").click();
    settle(&mut c);
    c.get_by_label(&format!("Resume #{copy}")).click();
    settle(&mut c);
    c.get_by_label(&format!("Session {copy} is open elsewhere"));
    c.get_by_label("Open read only").click();
    settle(&mut c);
    assert_eq!(c.state().state.read_only.as_ref().map(|r| r.id), Some(copy));
    assert!(c.state().state.session == b.state().state.session);
    assert_eq!(c.state().state.library_session, None);
    drop((b, c, d));
    let mut e = AppState::start(Some(dir.clone()), None);
    e.wait_started();
    assert!(
        e.read_only.is_none(),
        "every window closed: {:?}",
        e.read_only
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_genome_too_big_to_breed_is_refused_at_once_and_the_session_kept() {
    let dir = scratch("huge-open");
    let mut h = harness(AppState::with_session(session(21), Some(dir.clone())));
    settle(&mut h);
    let before = children(&h);
    // A 100,000-node genome (the 150k-node GIF took 1.35 GB within 12 s).
    let huge = dir.join("huge.json");
    let genome = picbreeder::cppn::synthetic::synthetic(100_000, 3);
    std::fs::write(&huge, picbreeder::io::json::genome_to_json(&genome)).unwrap();
    drop(genome);
    let started = Instant::now();
    drop_file(&mut h, &huge);
    assert!(started.elapsed() < Duration::from_secs(20));
    let st = &h.state().state;
    let e = st.error.clone().expect("refused");
    assert!(
        e.starts_with("could not open")
            && e.contains("100005 nodes")
            && e.contains("would need")
            && e.contains("smaller genome"),
        "{e}"
    );
    assert!(!e.contains('\n'), "{e}");
    assert_eq!(st.generation(), 1);
    assert_eq!(children(&h), before, "the session is as it was");
    h.get_by_label(&e);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_last_session_too_big_to_show_is_not_resumed_and_stays_in_the_library() {
    let dir = scratch("huge-resume");
    let mut h = harness(AppState::with_session(session(22), Some(dir.clone())));
    settle(&mut h);
    let old = h.state().state.session.clone();
    h.state_mut().state.autosave_now();
    drop(h);
    // The same library, at a budget its last session's generation does not fit in.
    let mut st = AppState::start_within(Some(dir.clone()), Some(5), 1000);
    st.wait_started();
    let e = st.error.clone().expect("said why");
    assert!(
        e.contains("showing session 1 would need") && e.contains("stays in the library"),
        "{e}"
    );
    assert_ne!(st.session, old, "a new session instead");
    assert_eq!(st.library_session, Some(2));
    let kept = picbreeder::store::Store::open(&dir.join(picbreeder::store::LIBRARY_FILE))
        .unwrap()
        .load_session(1)
        .unwrap();
    assert_eq!(kept, old, "the big one is left as it was");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_resume_that_never_showed_its_pictures_is_asked_about_at_the_next_start() {
    let dir = scratch("unfinished");
    let mut h = harness(AppState::with_session(session(31), Some(dir.clone())));
    settle(&mut h);
    let old = h.state().state.session.clone();
    h.state_mut().state.autosave_now();
    drop(h);
    let store = || picbreeder::store::Store::open(&dir.join(picbreeder::store::LIBRARY_FILE));
    // A start that reads session 1 and ends before its first pictures are drawn (as
    // when the window is killed for its memory).
    let mut st = AppState::start(Some(dir.clone()), None);
    st.wait_started();
    assert_eq!(st.library_session, Some(1));
    drop(st);
    assert!(store().unwrap().resuming(1).unwrap(), "the mark stays");
    // The next start does not resume it: a new session, and the window asks.
    let mut h = harness(AppState::start(Some(dir.clone()), None));
    settle(&mut h);
    assert_eq!(h.state().state.unfinished, Some(1));
    assert_ne!(h.state().state.session, old);
    assert_eq!(h.state().state.library_session, Some(2));
    h.get_by_label("Session 1 did not open last time");
    h.get_by_label("Resume it anyway").click();
    settle(&mut h);
    settle(&mut h);
    assert_eq!(h.state().state.unfinished, None);
    assert_eq!(h.state().state.library_session, Some(1));
    assert_eq!(h.state().state.session, old, "resumed as it was");
    // Its pictures drawn, the mark is gone: the next start resumes it unasked.
    h.state_mut().state.autosave_now();
    assert!(!store().unwrap().resuming(1).unwrap());
    drop(h);
    let mut h = harness(AppState::start(Some(dir.clone()), None));
    settle(&mut h);
    // (The last changed is session 2, the one started instead.)
    assert_eq!(h.state().state.unfinished, None);
    assert_eq!(h.state().state.library_session, Some(2));
    assert!(h.query_by_label("Resume it anyway").is_none());
    drop(h);
    // Killed again before its pictures: asked again; keeping the new session.
    let mut st = AppState::start(Some(dir.clone()), None);
    st.wait_started();
    drop(st);
    let mut h = harness(AppState::start(Some(dir.clone()), None));
    settle(&mut h);
    h.get_by_label("Session 2 did not open last time");
    h.get_by_label("Keep the new session").click();
    settle(&mut h);
    assert_eq!(h.state().state.unfinished, None);
    assert_eq!(h.state().state.library_session, Some(3));
    let _ = std::fs::remove_dir_all(dir);
}
