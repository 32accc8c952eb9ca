//! Breeds the starter genomes in `assets/` by seeded evolution, with a simple stand-in
//! for the user's eye: each generation keeps the child whose picture has the most
//! structure (contrast times edge density, edges capped so noise does not win).
//!
//! `cargo run --release --example make_starters -- preview DIR` writes candidates for
//! many seeds as PNG + JSON into DIR to look at; `cargo run --release --example
//! make_starters -- assets` rewrites the chosen ones (the `STARTERS` table) into
//! `assets/`.

use picbreeder::breed::random::spread;
use picbreeder::breed::{Session, Settings, render_thumbnail};
use picbreeder::cppn::{ColourMode, Genome};
use picbreeder::image::Image;
use picbreeder::io::json::genome_to_json;
use picbreeder::io::{png, write_atomic};
use std::path::Path;

/// (name, seed, colour, generations): the starters kept, chosen by eye from previews.
const STARTERS: &[(&str, u64, ColourMode, usize)] = &[
    ("eye", 1, ColourMode::Grey, 30),
    ("ripple", 2, ColourMode::Grey, 30),
    ("moon", 15, ColourMode::Grey, 30),
    ("swirl", 3, ColourMode::Colour, 30),
    ("bloom", 8, ColourMode::Colour, 30),
    ("mask", 12, ColourMode::Colour, 30),
];

fn edges(img: &Image) -> f64 {
    let (w, h) = (img.width, img.height);
    let mut total = 0.0;
    for y in 0..h {
        for x in 1..w {
            let (a, b) = (img.pixel(x, y), img.pixel(x - 1, y));
            total += (0..3)
                .map(|c| (f64::from(a[c]) - f64::from(b[c])).abs())
                .sum::<f64>()
                / 765.0;
        }
    }
    total / ((w - 1) * h) as f64
}

fn score(g: &Genome) -> f64 {
    let img = render_thumbnail(g, 64).expect("session genomes are valid");
    spread(&img) * edges(&img).min(0.12)
}

fn breed(seed: u64, colour: ColourMode, generations: usize) -> Genome {
    let settings = Settings {
        start_colour: colour,
        ..Settings::default()
    };
    let mut s = Session::with_settings(seed, settings);
    for _ in 0..generations {
        let best = (0..s.genomes().len())
            .max_by(|&a, &b| score(&s.genomes()[a]).total_cmp(&score(&s.genomes()[b])))
            .expect("not empty");
        s.clear_selection();
        s.toggle_parent(best);
        s.evolve().expect("a parent is chosen");
    }
    let g = s.genomes();
    let best = (0..g.len())
        .max_by(|&a, &b| score(&g[a]).total_cmp(&score(&g[b])))
        .expect("not empty");
    g[best].clone()
}

fn write(dir: &Path, name: &str, g: &Genome) {
    write_atomic(
        &dir.join(format!("{name}.json")),
        genome_to_json(g).as_bytes(),
    )
    .unwrap();
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("preview") => {
            let dir = Path::new(args.get(1).map_or("target/starters", String::as_str));
            std::fs::create_dir_all(dir).unwrap();
            for seed in 0..16u64 {
                for (mode, tag) in [(ColourMode::Grey, "grey"), (ColourMode::Colour, "colour")] {
                    let g = breed(seed, mode, 30);
                    let name = format!("{tag}-{seed}");
                    write(dir, &name, &g);
                    let img = render_thumbnail(&g, 192).unwrap();
                    png::save(&img, &dir.join(format!("{name}.png"))).unwrap();
                    println!("{name}: {} nodes, {} links", g.nodes.len(), g.links.len());
                }
            }
        }
        Some("assets") => {
            let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets");
            std::fs::create_dir_all(&dir).unwrap();
            for &(name, seed, mode, gens) in STARTERS {
                let g = breed(seed, mode, gens);
                write(&dir, name, &g);
                println!("{name}: {} nodes, {} links", g.nodes.len(), g.links.len());
            }
        }
        _ => eprintln!("usage: make_starters preview [DIR] | make_starters assets"),
    }
}
