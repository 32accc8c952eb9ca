//! A long session for measuring the library: `cargo run --example long_session -- DIR
//! [GENERATIONS]` breeds GENERATIONS (default 1,000) generations choosing two parents
//! each time (genomes grow, as in `benches/store.rs`), puts the session in
//! `DIR/library.sqlite` (the window's library when `PICBREEDER_SAVES=DIR`) and writes it
//! as `DIR/long.json` too, for the old single-file path. `scripts/reopen.sh DIR` then
//! times the window reopening it.

use picbreeder::breed::Session;
use picbreeder::store::Store;
use std::path::PathBuf;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().ok_or("usage: long_session DIR [GENERATIONS]")?);
    let n: usize = args.next().map_or(Ok(1000), |a| a.parse())?;
    std::fs::create_dir_all(&dir)?;
    let t = Instant::now();
    let mut s = Session::new(11);
    for k in 1..n {
        s.clear_selection();
        s.set_parent(k % 15, true);
        s.set_parent((k * 7 + 3) % 15, true);
        s.evolve()?;
    }
    eprintln!("bred {n} generations in {:.1} s", t.elapsed().as_secs_f64());
    let (mut store, _) = Store::open_folder(&dir)?;
    let t = Instant::now();
    let id = store.create_session("long session", &s)?;
    eprintln!(
        "library session {id} written in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    s.save(&dir.join("long.json"))?;
    for f in ["library.sqlite", "long.json"] {
        let len = std::fs::metadata(dir.join(f))?.len();
        eprintln!("{f}: {:.1} MB", len as f64 / 1e6);
    }
    Ok(())
}
