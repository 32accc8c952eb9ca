//! Animation speed: a 120-frame 256x256 weight sweep of apple, the evolved genome beside
//! an SGD net of its layerized shape (46,474 weights; fresh weights cost the same to
//! render as trained ones), written as GIF (as `.gif` writes it: `Palette::Auto`; and
//! with a palette per frame, and one palette), and as APNG.
//!
//! Run: `cargo bench --bench animate`. Memory of a big zoom is measured apart:
//! `/usr/bin/time -v picbreeder animate zoom ../shared/picbreeder/apple.zip -s 2048
//! --fps 30 --seconds 10 -o zoom.gif` (figures in docs/benchmarks.md).

use criterion::{Criterion, criterion_group, criterion_main};
use picbreeder::animate::sweep::{Panel, SweepFrames, counterpart};
use picbreeder::animate::{ExportProgress, Format, Frames, Palette, Timing, export};
use picbreeder::compare::Twin;
use picbreeder::image::Image;
use picbreeder::io::detect::load_genome;
use picbreeder::network::{Network, Param};
use picbreeder::render::sweep::Direction;
use picbreeder::sgd::backprop::matmul;
use picbreeder::sgd::init::reinit;
use picbreeder::sgd::narrow;
use picbreeder::steps::PixelProgress;
use std::path::PathBuf;

fn sweep_frames() -> Option<SweepFrames> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/picbreeder/apple.zip");
    let genome = match load_genome(&path) {
        Ok(g) => g,
        Err(e) => {
            eprintln!("*** SKIPPED animate bench: {e} ***");
            return None;
        }
    };
    let twin = Twin::new(genome.clone()).expect("apple compiles");
    let sgd = reinit(&twin.layered, 0);
    // The middle link: its layerized weight is in layer 15 of 34, so the SGD panel
    // re-runs 19 of its 34 layers per frame (a later link costs less, an earlier more).
    let link = Param::Link(genome.links[genome.links.len() / 2].id);
    let dir = Direction::single(link);
    let panels = vec![
        Panel {
            net: Network::from_genome(genome).unwrap(),
            direction: dir.clone(),
            title: "evolved".into(),
        },
        Panel {
            direction: counterpart(&twin, &dir, &sgd).expect("same shape"),
            net: Network::Net(sgd),
            title: "SGD".into(),
        },
    ];
    SweepFrames::new(panels, link.to_string(), 1.0, (256, 256), 120)
}

fn bench(c: &mut Criterion) {
    let Some(frames) = sweep_frames() else { return };
    let dir = std::env::temp_dir().join(format!("pb-bench-animate-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut g = c.benchmark_group("animate");
    g.sample_size(10);
    for (name, format) in [
        (
            "apple_sweep_120x256_side_by_side_gif",
            Format::Gif(Palette::Auto),
        ),
        (
            "apple_sweep_120x256_side_by_side_gif_per_frame",
            Format::Gif(Palette::PerFrame),
        ),
        (
            "apple_sweep_120x256_side_by_side_gif_global",
            Format::Gif(Palette::Global),
        ),
        ("apple_sweep_120x256_side_by_side_apng", Format::Apng),
    ] {
        let path = dir.join(format!("{name}.{}", format.extension()));
        g.bench_function(name, |b| {
            b.iter(|| write(&mut frames.clone(), format, &path))
        });
    }
    // The frames alone, not encoded: what the encoders have to keep up with.
    g.bench_function("apple_sweep_120x256_side_by_side_frames_only", |b| {
        b.iter(|| {
            let mut f = frames.clone();
            let p = PixelProgress::default();
            (0..f.count())
                .map(|k| f.frame(k, &p).unwrap().width)
                .sum::<usize>()
        })
    });
    g.finish();
    encode_only(c, &frames, &dir);
    let _ = std::fs::remove_dir_all(&dir);
    narrow_layer(c);
}

/// Writes every frame of `frames` to `path` as `format`.
fn write(frames: &mut dyn Frames, format: Format, path: &std::path::Path) {
    export(
        frames,
        format,
        Timing::default(),
        path,
        &ExportProgress::default(),
    )
    .unwrap()
    .unwrap()
}

/// Frames made beforehand, handed out again: the encoders' own cost.
struct Made(Vec<Image>);

impl Frames for Made {
    fn count(&self) -> usize {
        self.0.len()
    }
    fn size(&self) -> (usize, usize) {
        (self.0[0].width, self.0[0].height)
    }
    fn frame(&mut self, k: usize, _: &PixelProgress) -> Option<Image> {
        Some(self.0[k].clone())
    }
}

/// The sweep's 120 frames encoded, each way, without making them.
fn encode_only(c: &mut Criterion, frames: &SweepFrames, dir: &std::path::Path) {
    let mut f = frames.clone();
    let p = PixelProgress::default();
    let made: Vec<Image> = (0..f.count()).map(|k| f.frame(k, &p).unwrap()).collect();
    let mut g = c.benchmark_group("encode_120_sweep_frames");
    g.sample_size(10);
    for (name, format) in [
        ("gif", Format::Gif(Palette::Auto)),
        ("gif_per_frame", Format::Gif(Palette::PerFrame)),
        ("gif_global", Format::Gif(Palette::Global)),
        ("apng", Format::Apng),
    ] {
        let path = dir.join(format!("encode-{name}.{}", format.extension()));
        g.bench_function(name, |b| {
            b.iter(|| write(&mut Made(made.clone()), format, &path))
        });
    }
    g.finish();
}

/// One 38-wide layer over a 512-pixel block (the shape of apple's layerized net, the
/// block the renderer uses): gemm against the hand-tiled kernel that inference uses.
fn narrow_layer(c: &mut Criterion) {
    let (len, width, ld) = (512, 38, 528);
    let a: Vec<f32> = (0..width * ld).map(|i| (i % 97) as f32 / 97.0).collect();
    let w: Vec<f32> = (0..width * width)
        .map(|i| (i % 31) as f32 / 31.0 - 0.5)
        .collect();
    let mut z = vec![0.0f32; width * ld];
    let mut g = c.benchmark_group("layer_38x38_512px");
    g.bench_function("gemm", |b| {
        b.iter(|| {
            matmul(
                (len, width, width),
                &mut z,
                (1, ld),
                false,
                &a,
                (1, ld),
                &w,
                (width, 1),
            )
        })
    });
    g.bench_function("narrow", |b| {
        b.iter(|| {
            assert!(narrow::layer(
                (len, width, width),
                &mut z,
                false,
                &a,
                &w,
                ld
            ))
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
