//! A generation's genomes as one blob: the first whole, each other as its change from
//! an earlier genome of the same generation ([`crate::cppn::delta`]), the kept parents
//! for a bred generation (its children are their mutations and crossovers). A blob
//! needs no other generation to unpack, so the library writes a generation as one row
//! once, whatever came before it.
//!
//! Sizes and costs (a session bred 1,000 generations with the operators, genomes
//! growing to about 100 kB of JSON each): see `benches/store.rs` and README.md.

use crate::cppn::Genome;
use crate::cppn::delta::{self, DeltaError, Reader, put_varint};

/// The first byte of a blob: bumped if the layout changes.
const VERSION: u8 = 1;
/// At most this many earlier genomes are tried as a genome's base.
const CANDIDATES: usize = 4;

/// `genomes` as one blob; the first `kept` are the parents carried over, tried first
/// as the others' bases.
pub fn pack(genomes: &[Genome], kept: usize) -> Vec<u8> {
    let mut out = vec![VERSION];
    put_varint(&mut out, genomes.len() as u64);
    let mut scratch = Vec::new();
    for (i, g) in genomes.iter().enumerate() {
        // Kept parents are bases; without any, the first genome is.
        let base =
            (0..i.min(kept.max(1)).min(CANDIDATES)).max_by_key(|&b| likeness(g, &genomes[b]));
        put_varint(&mut out, base.map_or(0, |b| b as u64 + 1));
        delta::encode(g, base.map(|b| &genomes[b]), &mut scratch);
        put_varint(&mut out, scratch.len() as u64);
        out.extend_from_slice(&scratch);
        scratch.clear();
    }
    out
}

/// How many of `SAMPLES` links spread over `child` its `base` has at the same place
/// with the same weight: a child of a parent shares about 70% of its weights (a
/// perturbation moves 30% of them), another genome of its generation far fewer, so
/// this picks the parent without writing the change against every candidate (which
/// took 2.6x longer at generation 1,000 of `benches/store.rs`).
fn likeness(child: &Genome, base: &Genome) -> usize {
    const SAMPLES: usize = 64;
    let n = child.links.len().min(base.links.len());
    let step = (n / SAMPLES).max(1);
    (0..n)
        .step_by(step)
        .filter(|&k| {
            let (c, b) = (&child.links[k], &base.links[k]);
            c.id == b.id && c.weight.to_bits() == b.weight.to_bits()
        })
        .count()
}

/// The genomes [`pack`] packed into `bytes`.
pub fn unpack(bytes: &[u8]) -> Result<Vec<Genome>, DeltaError> {
    let mut r = Reader { bytes, at: 0 };
    if r.byte()? != VERSION {
        return Err(r.bad("unknown generation version"));
    }
    let n = r.count(2)?;
    let mut genomes: Vec<Genome> = Vec::with_capacity(n);
    for _ in 0..n {
        let base = r.count(0)?;
        let base = match base {
            0 => None,
            b => Some(
                genomes
                    .get(b - 1)
                    .ok_or_else(|| r.bad("a base that is not an earlier genome"))?,
            ),
        };
        let len = r.count(1)?;
        let at = r.at;
        let g = delta::decode(r.take(len)?, base).map_err(|e| DeltaError {
            at: at + e.at,
            what: e.what,
        })?;
        genomes.push(g);
    }
    if r.at != bytes.len() {
        return Err(r.bad("bytes after the last genome"));
    }
    Ok(genomes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::breed::Session;

    #[test]
    fn generations_of_a_bred_session_come_back_exactly_and_small() {
        let mut s = Session::new(3);
        for k in 1..60 {
            s.clear_selection();
            s.set_parent(k % 15, true);
            s.set_parent((k * 7 + 3) % 15, true);
            s.evolve().unwrap();
        }
        for g in s.generations() {
            let blob = pack(&g.genomes, g.kept);
            assert_eq!(unpack(&blob).unwrap(), g.genomes);
        }
        let last = s.current();
        let blob = pack(&last.genomes, last.kept);
        let json: usize = last
            .genomes
            .iter()
            .map(|g| serde_json::to_string(g).unwrap().len())
            .sum();
        assert!(
            blob.len() * 8 < json,
            "blob {} B, JSON {json} B",
            blob.len()
        );
        for cut in 0..blob.len() {
            assert!(unpack(&blob[..cut]).is_err());
        }
    }
}
