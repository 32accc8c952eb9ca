//! Animation files: what is written reads back through the `image` and `png` decoders
//! with the right frame count, size and delays; a cancelled export leaves nothing.

use image::AnimationDecoder;
use picbreeder::animate::sweep::{Panel, SweepFrames, counterpart};
use picbreeder::animate::zoom::ZoomFrames;
use picbreeder::animate::{
    ExportProgress, Format, Frames, Palette, Timing, crop, export, render_banded,
};
use picbreeder::compare::Twin;
use picbreeder::cppn::{Activation, Genome, Link, Marking, Node, NodeKind};
use picbreeder::grid::{Grid, Window};
use picbreeder::network::{Network, Param};
use picbreeder::render::sweep::Direction;
use picbreeder::steps::PixelProgress;
use std::path::{Path, PathBuf};

/// A small grey genome made here: ink = gaussian(2 sin(2d + x) - 0.5 bias + y).
fn genome() -> Genome {
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
        link(10, 2, 5, 2.0),
        link(11, 5, 4, 2.0),
        link(12, 3, 4, -0.5),
        link(13, 0, 5, 1.0),
        link(14, 1, 4, 1.0),
    ];
    g
}

fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("pb-animate-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn zoom(size: usize, frames: usize) -> ZoomFrames {
    let net = Network::from_genome(genome()).unwrap();
    ZoomFrames::new(
        net,
        Window::default(),
        (0.2, 0.1),
        8.0,
        (size, size),
        frames,
    )
    .unwrap()
}

/// The animation opens as the genome it was made from (as any genome file does).
fn assert_carries_genome(path: &Path) {
    match picbreeder::io::load_any(path).unwrap() {
        picbreeder::io::Loaded::Genome(g) => assert_eq!(g, genome(), "{}", path.display()),
        other => panic!("{}: {other:?}", path.display()),
    }
}

fn files_in(d: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(d)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn gif_reads_back_with_its_frames_size_and_delays() {
    let d = dir("gif");
    for palette in [Palette::PerFrame, Palette::Global] {
        let path = d.join("zoom.gif");
        let mut z = zoom(48, 7);
        let progress = ExportProgress::default();
        let timing = Timing {
            fps: 25.0,
            loops: 0,
        };
        export(&mut z, Format::Gif(palette), timing, &path, &progress)
            .expect("not cancelled")
            .unwrap();
        assert_eq!(progress.frames_done(), 7);
        assert_carries_genome(&path);
        let file = std::io::BufReader::new(std::fs::File::open(&path).unwrap());
        let dec = image::codecs::gif::GifDecoder::new(file).unwrap();
        let frames = dec.into_frames().collect_frames().unwrap();
        assert_eq!(frames.len(), 7, "{palette:?}");
        for (k, f) in frames.iter().enumerate() {
            assert_eq!(f.buffer().dimensions(), (48, 48));
            let (num, den) = f.delay().numer_denom_ms();
            assert_eq!(num / den, 40, "frame {k}: 1/25 s");
            // Quantized to 256 colours, still close to the frame.
            let want = z.frame(k, &PixelProgress::default()).unwrap();
            let got = picbreeder::image::Image {
                width: 48,
                height: 48,
                rgba: f.buffer().as_raw().clone(),
            };
            let db = picbreeder::image::psnr(&want, &got).unwrap();
            assert!(db > 30.0, "{palette:?} frame {k}: {db:.1} dB");
        }
    }
    assert_eq!(files_in(&d), vec!["zoom.gif"]);
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn apng_reads_back_losslessly_with_its_frames_and_delays() {
    let d = dir("apng");
    let path = d.join("zoom.apng");
    let mut z = zoom(40, 5);
    let timing = Timing {
        fps: 30.0,
        loops: 2,
    };
    export(
        &mut z,
        Format::Apng,
        timing,
        &path,
        &ExportProgress::default(),
    )
    .unwrap()
    .unwrap();
    assert_carries_genome(&path);
    // The png crate: animation control, every frame's delay, pixels exact.
    let dec = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&path).unwrap()));
    let mut reader = dec.read_info().unwrap();
    let actl = reader.info().animation_control.unwrap();
    assert_eq!((actl.num_frames, actl.num_plays), (5, 2));
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    for k in 0..5 {
        let info = reader.next_frame(&mut buf).unwrap();
        assert_eq!((info.width, info.height), (40, 40));
        let fc = reader.info().frame_control.unwrap();
        assert_eq!((fc.delay_num, fc.delay_den), (1, 30));
        let want = z.frame(k, &PixelProgress::default()).unwrap();
        assert_eq!(&buf[..info.buffer_size()], &want.rgba[..], "frame {k}");
    }
    // The image crate reads it as an animation too.
    let file = std::io::BufReader::new(std::fs::File::open(&path).unwrap());
    let frames = image::codecs::png::PngDecoder::new(file)
        .unwrap()
        .apng()
        .unwrap()
        .into_frames()
        .collect_frames()
        .unwrap();
    assert_eq!(frames.len(), 5);
    assert!(frames.iter().all(|f| f.buffer().dimensions() == (40, 40)));
    std::fs::remove_dir_all(&d).unwrap();
}

/// Frames that cancel the export when frame `at` is asked for.
struct CancelAt<'a> {
    inner: ZoomFrames,
    at: usize,
    progress: &'a ExportProgress,
}

impl Frames for CancelAt<'_> {
    fn count(&self) -> usize {
        self.inner.count()
    }
    fn size(&self) -> (usize, usize) {
        self.inner.size()
    }
    fn frame(&mut self, k: usize, progress: &PixelProgress) -> Option<picbreeder::image::Image> {
        if k == self.at {
            self.progress.cancel();
        }
        self.inner.frame(k, progress)
    }
}

#[test]
fn a_cancelled_export_leaves_no_file_and_no_temporary_file() {
    let d = dir("cancel");
    for format in [Format::Gif(Palette::PerFrame), Format::Apng] {
        let path = d.join(format!("zoom.{}", format.extension()));
        let progress = ExportProgress::default();
        let mut frames = CancelAt {
            inner: zoom(32, 20),
            at: 6,
            progress: &progress,
        };
        let result = export(&mut frames, format, Timing::default(), &path, &progress);
        assert!(result.is_none(), "{format:?}: reported as cancelled");
        assert!(progress.frames_done() < 20);
        assert_eq!(files_in(&d), Vec::<String>::new(), "{format:?}");
    }
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn an_unwritable_place_is_one_error_naming_the_file() {
    let path = Path::new("/nonexistent-dir/a.gif");
    let err = export(
        &mut zoom(8, 2),
        Format::Gif(Palette::PerFrame),
        Timing::default(),
        path,
        &ExportProgress::default(),
    )
    .unwrap()
    .unwrap_err();
    assert!(err.to_string().contains("a.gif"), "{err}");
}

/// The paper's figure in motion: skull's mouth link swept beside the paper's SGD net.
#[test]
fn skull_sweep_loop_starts_and_ends_on_both_originals() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/picbreeder");
    if !root.join("skull.zip").exists() {
        eprintln!("*** SKIPPED: ../shared/picbreeder not found ***");
        return;
    }
    let genome = picbreeder::io::detect::load_genome(&root.join("skull.zip")).unwrap();
    let picbreeder::io::Loaded::Net(sgd) =
        picbreeder::io::load_any(&root.join("sgd/skull.json")).unwrap()
    else {
        panic!("a net")
    };
    let twin = Twin::new(genome.clone()).unwrap();
    let link = Direction::single(Param::Link(Marking::new(576, 224)));
    let panels = vec![
        Panel {
            net: Network::from_genome(genome).unwrap(),
            direction: link.clone(),
            title: "evolved".into(),
        },
        Panel {
            direction: counterpart(&twin, &link, &sgd).expect("same shape"),
            net: Network::Net(sgd),
            title: "SGD".into(),
        },
    ];
    let mut s = SweepFrames::new(panels.clone(), "link 576:224".into(), 1.0, (64, 64), 12).unwrap();
    let p = PixelProgress::default();
    let grid = Grid::square(64);
    for k in [0, 11] {
        let f = s.frame(k, &p).unwrap();
        for (i, panel) in panels.iter().enumerate() {
            let (x, y) = s.panel_at(i);
            let original = render_banded(&panel.net, &grid, &p).unwrap();
            assert_eq!(crop(&f, x, y, 64, 64), original, "frame {k} panel {i}");
            // The SGD net through the matrix products: the step evaluator's picture
            // to rounding.
            let db = picbreeder::image::psnr(&original, &panel.net.render(&grid)).unwrap();
            assert!(db > 50.0, "panel {i}: {db:.1} dB");
        }
    }
}
