//! How varied a generation's children are, with and without varied children: 100
//! seeded generations (a random first generation, one or two parents chosen by the
//! seed, the next generation bred both ways from the same parents). Prints the median
//! over generations of the median and of the least pairwise distance among the bred
//! children (RMS pixel difference of 32x32 thumbnails, 0 to 1), and how many pairs
//! were near-duplicates (under 0.05).
//!
//! Run: `cargo run --example variety`

use picbreeder::breed::variety::{distance, look};
use picbreeder::breed::{Session, Settings};

fn median(mut v: Vec<f32>) -> f32 {
    v.sort_by(f32::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let mut rows = vec![];
    for varied in [false, true] {
        let (mut medians, mut least, mut near, mut pairs) = (vec![], vec![], 0usize, 0usize);
        for seed in 0..100u64 {
            let settings = Settings {
                varied,
                ..Settings::default()
            };
            let mut s = Session::with_settings(seed, settings);
            let a = seed as usize % 15;
            s.toggle_parent(a);
            if seed % 2 == 1 {
                s.toggle_parent((a + 1 + seed as usize % 13) % 15);
            }
            s.evolve().expect("parents chosen");
            let kept = s.current().kept;
            let looks: Vec<_> = s.genomes()[kept..].iter().map(look).collect();
            let mut d = vec![];
            for i in 0..looks.len() {
                for j in i + 1..looks.len() {
                    d.push(distance(&looks[i], &looks[j]));
                }
            }
            near += d.iter().filter(|&&x| x < 0.05).count();
            pairs += d.len();
            least.push(d.iter().copied().fold(f32::INFINITY, f32::min));
            medians.push(median(d));
        }
        rows.push((varied, median(medians), median(least), near, pairs));
    }
    println!("100 seeded generations, distance = RMS pixel difference of 32x32 thumbnails");
    for (varied, med, least, near, pairs) in rows {
        let name = if varied { "varied" } else { "first bred" };
        println!(
            "{name:>10}: median pairwise {med:.3}, median least pair {least:.3}, \
             near-duplicate pairs (< 0.05) {near} of {pairs}"
        );
    }
}
