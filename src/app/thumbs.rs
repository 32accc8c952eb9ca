//! Thumbnails: a texture cache driven by what the UI asks for each frame.
//!
//! Every frame the panels ask for the thumbnails they show ([`ThumbCache::get`]). A
//! thumbnail that is not ready yet is rendered on the worker pool and appears when it
//! finishes; a pending render that nobody asked for in the last frame is stale (the
//! generation changed, the lineage scrolled) and is cancelled. Finished textures are
//! kept, keyed by genome content and size, so going back and forward shows them at once.

use super::worker::{Done, Purpose, RenderJob, RenderPool, Wake};
use eframe::egui;
use picbreeder::cppn::{Genome, Program};
use picbreeder::grid::Grid;
use picbreeder::image::Image;
use picbreeder::steps::PixelProgress;
use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;

/// A content hash of a genome: equal genomes share thumbnails.
pub fn genome_key(g: &Genome) -> u64 {
    let mut h = DefaultHasher::new();
    for n in &g.nodes {
        n.id.hash(&mut h);
        n.kind.hash(&mut h);
        n.activation.hash(&mut h);
    }
    g.links.len().hash(&mut h);
    for l in &g.links {
        l.id.hash(&mut h);
        l.source.hash(&mut h);
        l.target.hash(&mut h);
        l.weight.to_bits().hash(&mut h);
    }
    h.finish()
}

fn sized_key(genome: u64, pixels: usize) -> u64 {
    let mut h = DefaultHasher::new();
    (genome, pixels).hash(&mut h);
    h.finish()
}

/// A thumbnail as the UI sees it.
#[derive(Clone)]
pub enum Thumb {
    Ready(egui::TextureHandle),
    Pending,
    /// The genome cannot be compiled; the message says why.
    Broken(String),
}

struct Pending {
    progress: Arc<PixelProgress>,
    wanted_in: u64,
}

struct Ready {
    thumb: Thumb,
    used_in: u64,
}

/// Keeps at most this many finished thumbnails that were not used recently.
const KEEP: usize = 600;

pub struct ThumbCache {
    pool: RenderPool,
    ready: HashMap<u64, Ready>,
    pending: HashMap<u64, Pending>,
    frame: u64,
}

impl ThumbCache {
    pub fn new(wake: Wake) -> ThumbCache {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        ThumbCache {
            pool: RenderPool::new("thumbs", cores.clamp(1, 4), cores, wake),
            ready: HashMap::new(),
            pending: HashMap::new(),
            frame: 0,
        }
    }

    /// The thumbnail of `genome`, `pixels` square, starting its render if needed.
    pub fn get(&mut self, genome: &Genome, pixels: usize) -> Thumb {
        let key = sized_key(genome_key(genome), pixels);
        if let Some(r) = self.ready.get_mut(&key) {
            r.used_in = self.frame;
            return r.thumb.clone();
        }
        if let Some(p) = self.pending.get_mut(&key) {
            p.wanted_in = self.frame;
            return Thumb::Pending;
        }
        match Program::compile(genome) {
            Ok(program) => {
                let progress = Arc::new(PixelProgress::default());
                self.pool.submit(RenderJob {
                    purpose: Purpose::Show(key),
                    program: Arc::new(program),
                    grid: Grid::square(pixels),
                    progress: Arc::clone(&progress),
                });
                self.pending.insert(
                    key,
                    Pending {
                        progress,
                        wanted_in: self.frame,
                    },
                );
                Thumb::Pending
            }
            Err(e) => {
                let thumb = Thumb::Broken(e.to_string());
                self.ready.insert(
                    key,
                    Ready {
                        thumb: thumb.clone(),
                        used_in: self.frame,
                    },
                );
                thumb
            }
        }
    }

    /// Takes in finished renders. Call once at the start of a frame.
    pub fn begin_frame(&mut self, ctx: &egui::Context) {
        self.frame += 1;
        for Done {
            purpose, result, ..
        } in self.pool.finished()
        {
            let Purpose::Show(key) = purpose else {
                continue;
            };
            if self.pending.remove(&key).is_none() {
                continue;
            }
            let thumb = match result {
                None => continue,
                Some(Ok(img)) => Thumb::Ready(ctx.load_texture(
                    format!("thumb-{key:016x}"),
                    to_color_image(&img),
                    egui::TextureOptions::LINEAR,
                )),
                Some(Err(e)) => Thumb::Broken(e),
            };
            self.ready.insert(
                key,
                Ready {
                    thumb,
                    used_in: self.frame,
                },
            );
        }
    }

    /// Cancels renders nobody asked for this frame; forgets old thumbnails beyond
    /// [`KEEP`]. Call once at the end of a frame.
    pub fn end_frame(&mut self) {
        let frame = self.frame;
        self.pending.retain(|_, p| {
            let wanted = p.wanted_in == frame;
            if !wanted {
                p.progress.cancel();
            }
            wanted
        });
        if self.ready.len() > KEEP {
            let mut ages: Vec<(u64, u64)> =
                self.ready.iter().map(|(&k, r)| (r.used_in, k)).collect();
            ages.sort_unstable();
            let drop = self.ready.len() - KEEP / 2;
            for &(used_in, k) in ages.iter().take(drop) {
                if used_in != frame {
                    self.ready.remove(&k);
                }
            }
        }
    }

    /// Thumbnails still rendering.
    pub fn pending(&self) -> usize {
        self.pending.len()
    }
}

pub fn to_color_image(img: &Image) -> egui::ColorImage {
    egui::ColorImage::from_rgba_unmultiplied([img.width, img.height], &img.rgba)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_follows_content() {
        let g = super::super::worker::tests::ring();
        let mut h = g.clone();
        assert_eq!(genome_key(&g), genome_key(&h));
        h.links[0].weight = 2.5;
        assert_ne!(genome_key(&g), genome_key(&h));
    }

    /// Runs frames until nothing is pending (at most 10 s).
    fn drain(cache: &mut ThumbCache, ctx: &egui::Context, g: &Genome, px: usize) -> Thumb {
        let start = std::time::Instant::now();
        loop {
            cache.begin_frame(ctx);
            let t = cache.get(g, px);
            cache.end_frame();
            if !matches!(t, Thumb::Pending) {
                return t;
            }
            assert!(start.elapsed().as_secs() < 10, "never rendered");
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
    }

    #[test]
    fn renders_once_and_cancels_what_nobody_wants() {
        let ctx = egui::Context::default();
        let mut cache = ThumbCache::new(Arc::new(|| {}));
        let g = super::super::worker::tests::ring();
        assert!(matches!(drain(&mut cache, &ctx, &g, 32), Thumb::Ready(_)));
        // Cached: ready at once, nothing pending.
        cache.begin_frame(&ctx);
        assert!(matches!(cache.get(&g, 32), Thumb::Ready(_)));
        cache.end_frame();
        assert_eq!(cache.pending(), 0);
        // Asked for once and then not any more: the render is dropped.
        let mut other = g.clone();
        other.links[0].weight = -1.0;
        cache.begin_frame(&ctx);
        assert!(matches!(cache.get(&other, 2048), Thumb::Pending));
        cache.end_frame();
        assert_eq!(cache.pending(), 1);
        cache.begin_frame(&ctx);
        cache.end_frame();
        assert_eq!(cache.pending(), 0, "stale render cancelled");
    }
}
