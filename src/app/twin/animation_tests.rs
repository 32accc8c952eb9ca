//! "Export animation..." from the Sweep view, driven as a user would: open it, see the
//! progress of an export, cancel it (no file left), export a short one and read it.

use super::*;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::time::{Duration, Instant};

struct Rig {
    tab: TwinTab,
    genome: Genome,
    /// What the panel asked of the app.
    actions: Vec<Action>,
}

/// A small grey genome made here, so the test needs no shared files.
fn genome() -> Genome {
    use picbreeder::cppn::{Activation, Link, Marking, Node, NodeKind};
    let mut g = Genome::grey_skeleton(Activation::Gaussian);
    g.nodes.push(Node {
        id: Marking::new(0, 5),
        kind: NodeKind::Hidden,
        activation: Activation::Sin,
    });
    let link = |id, s, t, w| Link {
        id: Marking::new(0, id),
        source: Marking::new(0, s),
        target: Marking::new(0, t),
        weight: w,
    };
    g.links = vec![
        link(10, 2, 5, 2.5),
        link(11, 5, 4, 1.5),
        link(12, 3, 4, -0.5),
        link(13, 0, 5, 1.0),
    ];
    g
}

fn run_until(h: &mut Harness<'static, Rig>, what: &str, done: impl Fn(&Rig) -> bool) {
    let start = Instant::now();
    while !done(h.state()) {
        h.step();
        assert!(start.elapsed() < Duration::from_secs(60), "never: {what}");
        std::thread::sleep(Duration::from_millis(10));
    }
    h.step();
}

#[test]
fn export_an_animation_from_the_sweep_view_see_progress_and_cancel() {
    let mut h = Harness::builder()
        .with_size(egui::vec2(900.0, 1400.0))
        .build_ui_state(
            |ui, rig: &mut Rig| {
                let Rig {
                    tab,
                    genome,
                    actions,
                } = rig;
                tab.ui(ui, Some(genome), actions)
            },
            Rig {
                tab: TwinTab::default(),
                genome: genome(),
                actions: vec![],
            },
        );
    h.step();
    h.get_by_label("Sweep").click();
    h.step();
    let link = h.state().tab.genome().unwrap().links[0].id;
    h.state_mut().tab.sweep.choose(Param::Link(link), &|_| None);
    run_until(&mut h, "strips", |r| !r.tab.sweep.busy());
    h.get_by_label("Export animation...").click();
    // A new window sizes itself on its first frame and shows on the next.
    for _ in 0..3 {
        h.step();
    }
    assert!(h.state().tab.sweep.animation.open);
    let dir = std::env::temp_dir().join(format!("pb-anim-ui-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    // Browse... asks the app's file dialog; its answer becomes the file to write.
    h.get_by_label("Browse...").click();
    h.step();
    assert!(
        h.state()
            .actions
            .iter()
            .any(|a| matches!(a, Action::Ask(Intent::Twin(TwinFile::Animation))))
    );
    let ctx = h.ctx.clone();
    let picked = dir.join("picked.gif");
    h.state_mut()
        .tab
        .file_chosen(&ctx, TwinFile::Animation, &picked);
    assert_eq!(
        h.state().tab.sweep.animation.path,
        picked.display().to_string()
    );
    // An answer nobody here asked for changes nothing.
    h.state_mut()
        .tab
        .file_chosen(&ctx, TwinFile::Animation, &dir.join("other.gif"));
    assert_eq!(
        h.state().tab.sweep.animation.path,
        picked.display().to_string()
    );
    // A long one (30 s at 30 fps, 512 pixels), cancelled part way.
    {
        let a = &mut h.state_mut().tab.sweep.animation;
        a.path = dir.join("long.gif").display().to_string();
        a.seconds = 30.0;
        a.size = 512;
    }
    h.get_by_label("Export").click();
    h.step();
    run_until(&mut h, "some frames written", |r| {
        r.tab
            .sweep
            .animation
            .export_progress()
            .is_some_and(|(done, _)| done >= 2)
    });
    let (done, total) = h.state().tab.sweep.animation.export_progress().unwrap();
    assert_eq!(total, 900);
    assert!(done < total);
    // The progress bar says how far it is.
    let shown = h.query_by_label_contains("/ 900 frames");
    assert!(shown.is_some(), "a progress bar with the frame count");
    h.get_by_label("Cancel").click();
    run_until(&mut h, "cancelled", |r| !r.tab.sweep.animation.exporting());
    assert_eq!(
        h.state().tab.sweep.animation.message.as_deref(),
        Some("cancelled: nothing written")
    );
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        0,
        "no file, no temporary"
    );
    // A short one runs to the end and reads back.
    {
        let a = &mut h.state_mut().tab.sweep.animation;
        a.path = dir.join("short.gif").display().to_string();
        a.seconds = 1.0;
        a.fps = 10.0;
        a.size = 48;
    }
    h.get_by_label("Preview").click();
    run_until(&mut h, "preview", |r| {
        r.tab.sweep.animation.preview_frames() == 10
    });
    h.get_by_label("Export").click();
    h.step();
    assert!(h.state().tab.sweep.animation.exporting());
    run_until(&mut h, "written", |r| !r.tab.sweep.animation.exporting());
    let msg = h.state().tab.sweep.animation.message.clone().unwrap();
    assert!(msg.starts_with("wrote "), "{msg}");
    let bytes = std::fs::read(dir.join("short.gif")).unwrap();
    assert_eq!(gif_frames(&bytes), 10);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Frames in a GIF, counted by the `image` crate's decoder.
fn gif_frames(bytes: &[u8]) -> usize {
    use image::AnimationDecoder;
    image::codecs::gif::GifDecoder::new(std::io::Cursor::new(bytes))
        .unwrap()
        .into_frames()
        .count()
}
