//! What a publish asks for, checked the way files are (the same genome loader), with
//! the pictures rendered here: a client's pictures are never trusted.

use super::{ArchiveError, ItemId};
use crate::budget;
use crate::cppn::Program;
use crate::cppn::genome::Genome;
use crate::grid::Grid;
use crate::limits::{MAX_ARCHIVE_CHAIN, MAX_ARCHIVE_LINKS, MAX_ARCHIVE_NODES};
use serde::{Deserialize, Serialize};

/// Side of the thumbnail listings show.
pub const THUMBNAIL_SIDE: usize = 128;
/// Side of the picture an item's page shows and the PNG download.
pub const PICTURE_SIDE: usize = 512;

/// Longest title, in characters.
const MAX_TITLE: usize = 120;
/// Most tags on one item, and the longest tag.
const MAX_TAGS: usize = 12;
const MAX_TAG: usize = 32;

/// A publish as a client sends it (the body of `POST /api/items`).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Draft {
    /// The genome, native JSON (`{"format": "picbreeder-genome", ...}`).
    pub genome: serde_json::Value,
    /// The item it was bred from, if any.
    #[serde(default)]
    pub branched_from: Option<ItemId>,
    /// The generations between `branched_from` (or the session's root) and this genome,
    /// oldest first: the stepping stones, kept.
    #[serde(default)]
    pub chain: Vec<serde_json::Value>,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub tags: Vec<String>,
}

/// A publish checked and rendered, ready to store.
#[derive(Clone, Debug)]
pub struct Publishable {
    pub branched_from: Option<ItemId>,
    pub title: String,
    pub tags: Vec<String>,
    /// The genome as native JSON, written by this program (not the client's text).
    pub genome_json: String,
    pub chain: Vec<String>,
    /// PNGs carrying the genome.
    pub thumbnail: Vec<u8>,
    pub picture: Vec<u8>,
}

/// A title: 1 to 120 characters, no control characters, trimmed.
pub fn check_title(title: &str) -> Result<String, ArchiveError> {
    let t = title.trim();
    if t.is_empty() || t.chars().count() > MAX_TITLE || t.chars().any(char::is_control) {
        return Err(ArchiveError::Invalid(format!(
            "title: 1 to {MAX_TITLE} characters without control characters, got {} characters",
            t.chars().count()
        )));
    }
    Ok(t.to_string())
}

/// Tags: at most 12, each 1 to 32 letters, digits, `-` or `_`, kept lowercase, each once.
pub fn check_tags(tags: &[String]) -> Result<Vec<String>, ArchiveError> {
    if tags.len() > MAX_TAGS {
        return Err(ArchiveError::Invalid(format!(
            "tags: at most {MAX_TAGS}, got {}",
            tags.len()
        )));
    }
    let mut out: Vec<String> = Vec::new();
    for tag in tags {
        let t = tag.trim().to_lowercase();
        let ok = (1..=MAX_TAG).contains(&t.chars().count())
            && t.chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_'));
        if !ok {
            return Err(ArchiveError::Invalid(format!(
                "tag '{}' is not allowed: 1 to {MAX_TAG} letters, digits, '-' or '_'",
                tag.chars().take(40).collect::<String>()
            )));
        }
        if !out.contains(&t) {
            out.push(t);
        }
    }
    Ok(out)
}

/// A genome sent as JSON, read by the file loader and held to the archive's limits.
fn genome_of(value: &serde_json::Value, what: &str) -> Result<Genome, ArchiveError> {
    let bytes =
        serde_json::to_vec(value).map_err(|e| ArchiveError::Invalid(format!("{what}: {e}")))?;
    let g = crate::io::json::genome_from_json(&bytes)
        .map_err(|e| ArchiveError::Invalid(format!("{what}: {e}")))?;
    if g.nodes.len() > MAX_ARCHIVE_NODES || g.links.len() > MAX_ARCHIVE_LINKS {
        return Err(ArchiveError::TooLarge(format!(
            "{what}: {} nodes and {} links, over the archive's {MAX_ARCHIVE_NODES} nodes and {MAX_ARCHIVE_LINKS} links",
            g.nodes.len(),
            g.links.len()
        )));
    }
    Ok(g)
}

/// Memory a genome takes once read (its genes and their markings), for the budget.
fn genome_bytes(v: &serde_json::Value) -> u64 {
    let count = |k: &str| v.get(k).and_then(|a| a.as_array()).map_or(0, Vec::len) as u64;
    budget::times(count("nodes") + count("links"), 96)
}

impl Draft {
    /// Checks everything and renders the pictures; nothing is stored.
    pub fn prepare(&self) -> Result<Publishable, ArchiveError> {
        let title = check_title(&self.title)?;
        let tags = check_tags(&self.tags)?;
        if self.chain.len() > MAX_ARCHIVE_CHAIN {
            return Err(ArchiveError::TooLarge(format!(
                "chain: {} generations, over the {MAX_ARCHIVE_CHAIN} one item may record",
                self.chain.len()
            )));
        }
        let need = self
            .chain
            .iter()
            .chain(std::iter::once(&self.genome))
            .map(genome_bytes)
            .fold(0u64, u64::saturating_add);
        budget::check(
            "the published genomes",
            need,
            budget::MEMORY_BUDGET,
            "record fewer generations in the chain",
        )
        .map_err(|e| ArchiveError::TooLarge(e.to_string()))?;
        let genome = genome_of(&self.genome, "genome")?;
        let chain = self
            .chain
            .iter()
            .enumerate()
            .map(|(i, v)| {
                genome_of(v, &format!("chain[{i}]")).map(|g| crate::io::json::genome_to_json(&g))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let program =
            Program::compile(&genome).map_err(|e| ArchiveError::Invalid(format!("genome: {e}")))?;
        let png = |side: usize| {
            let img = program.render(&Grid::square(side));
            crate::io::png::encode_with_genome(&img, Some(&genome))
                .map_err(|e| ArchiveError::Invalid(format!("genome's picture: {e}")))
        };
        Ok(Publishable {
            branched_from: self.branched_from,
            title,
            tags,
            genome_json: crate::io::json::genome_to_json(&genome),
            chain,
            thumbnail: png(THUMBNAIL_SIDE)?,
            picture: png(PICTURE_SIDE)?,
        })
    }
}
