//! How close a GIF's frames are to a lossless APNG of the same animation: PSNR per
//! frame (worst, median, mean) and the file's size, for comparing GIF palettes.
//!
//! Run: `cargo run --release --example gif_quality -- REF.apng A.gif [B.gif ...]`
//! (write each with `picbreeder animate ... -o` and the same frames).

use image::AnimationDecoder;
use std::fs::File;
use std::io::BufReader;
use std::path::Path;

fn frames(path: &Path) -> Result<Vec<image::RgbaImage>, String> {
    let f = BufReader::new(File::open(path).map_err(|e| format!("{}: {e}", path.display()))?);
    let err = |e: image::ImageError| format!("{}: {e}", path.display());
    let frames = if path.extension().is_some_and(|e| e == "gif") {
        image::codecs::gif::GifDecoder::new(f)
            .map_err(err)?
            .into_frames()
            .collect_frames()
    } else {
        image::codecs::png::PngDecoder::new(f)
            .map_err(err)?
            .apng()
            .map_err(err)?
            .into_frames()
            .collect_frames()
    };
    Ok(frames
        .map_err(err)?
        .into_iter()
        .map(|f| f.into_buffer())
        .collect())
}

fn psnr(a: &image::RgbaImage, b: &image::RgbaImage) -> f64 {
    let mut sum = 0.0;
    let mut n = 0.0;
    for (p, q) in a.pixels().zip(b.pixels()) {
        for ch in 0..3 {
            let d = f64::from(p[ch]) - f64::from(q[ch]);
            sum += d * d;
            n += 1.0;
        }
    }
    let mse = sum / n;
    if mse == 0.0 {
        f64::INFINITY
    } else {
        10.0 * (255.0f64 * 255.0 / mse).log10()
    }
}

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((reference, others)) = args.split_first() else {
        return Err("usage: gif_quality REF.apng A.gif [B.gif ...]".into());
    };
    let want = frames(Path::new(reference))?;
    for other in others {
        let got = frames(Path::new(other))?;
        if got.len() != want.len() {
            return Err(format!("{other}: {} frames, not {}", got.len(), want.len()));
        }
        let mut db: Vec<f64> = got.iter().zip(&want).map(|(a, b)| psnr(a, b)).collect();
        let mean = db.iter().sum::<f64>() / db.len() as f64;
        db.sort_by(f64::total_cmp);
        let size = std::fs::metadata(other).map_err(|e| e.to_string())?.len();
        println!(
            "{other}: PSNR worst {:.2} dB, median {:.2}, mean {mean:.2}; {} kB",
            db[0],
            db[db.len() / 2],
            size / 1000
        );
    }
    Ok(())
}
