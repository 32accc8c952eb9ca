//! Starter genomes for the "Start from" menu.
//!
//! Stand-in until branch `breed` ships its `assets/` loader: reads every genome file in
//! `assets/` (relative to the working directory), named by file stem, skipping any that
//! do not load.

use picbreeder::cppn::Genome;
use std::path::Path;

pub fn load() -> Vec<(String, Genome)> {
    let Ok(dir) = std::fs::read_dir(Path::new("assets")) else {
        return Vec::new();
    };
    let mut found: Vec<(String, Genome)> = dir
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .filter_map(|p| {
            let name = p.file_stem()?.to_string_lossy().replace(['_', '-'], " ");
            picbreeder::io::detect::load_genome(&p)
                .ok()
                .map(|g| (name, g))
        })
        .collect();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}
