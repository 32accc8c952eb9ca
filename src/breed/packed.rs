//! A generation's genomes as one blob: the first whole, each other as its change from
//! an earlier genome of the same generation ([`crate::cppn::delta`]), the kept parents
//! for a bred generation (its children are their mutations and crossovers). A blob
//! needs no other generation to unpack, so the library writes a generation as one row
//! once, whatever came before it.
//!
//! Sizes and costs (a session bred 1,000 generations with the operators, genomes
//! growing to about 100 kB of JSON each): see `benches/store.rs` and
//! docs/benchmarks.md.

use crate::cppn::Genome;
use crate::cppn::delta::{self, DeltaError, Reader, put_varint};

/// The first byte of a blob: bumped if the layout changes.
const VERSION: u8 = 1;
/// At most this many earlier genomes are tried as a genome's base.
const CANDIDATES: usize = 4;

/// `genomes` as one blob; the first `kept` are the parents carried over, tried first
/// as the others' bases.
pub fn pack(genomes: &[Genome], kept: usize) -> Vec<u8> {
    let one = |(i, g): (usize, &Genome)| {
        // Kept parents are bases; without any, the first genome is.
        let base =
            (0..i.min(kept.max(1)).min(CANDIDATES)).max_by_key(|&b| likeness(g, &genomes[b]));
        let mut bytes = Vec::new();
        delta::encode(g, base.map(|b| &genomes[b]), &mut bytes);
        (base, bytes)
    };
    let changes: Vec<_> = genomes.iter().enumerate().map(one).collect();
    let mut out = vec![VERSION];
    put_varint(&mut out, genomes.len() as u64);
    for (base, bytes) in changes {
        put_varint(&mut out, base.map_or(0, |b| b as u64 + 1));
        put_varint(&mut out, bytes.len() as u64);
        out.extend_from_slice(&bytes);
    }
    out
}

/// How many of `SAMPLES` links spread over `child` its `base` has at the same place
/// with the same weight: a child of a parent shares about 70% of its weights (a
/// perturbation moves 30% of them), another genome of its generation far fewer, so
/// this picks the parent without writing the change against every candidate.
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

/// One packed genome: where its change is, and the earlier genome it is a change from.
struct Entry {
    base: Option<usize>,
    at: usize,
    len: usize,
}

/// The entries of a blob, checked for shape (each base earlier, the lengths inside).
fn entries(bytes: &[u8]) -> Result<Vec<Entry>, DeltaError> {
    let mut r = Reader::new(bytes);
    if r.byte()? != VERSION {
        return Err(r.bad("unknown generation version"));
    }
    let n = r.count(2)?;
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let base = match r.count(0)? {
            0 => None,
            b if b <= i => Some(b - 1),
            _ => return Err(r.bad("a base that is not an earlier genome")),
        };
        let len = r.count(1)?;
        out.push(Entry {
            base,
            at: r.at,
            len,
        });
        r.take(len)?;
    }
    if r.at != bytes.len() {
        return Err(r.bad("bytes after the last genome"));
    }
    Ok(out)
}

fn decode(bytes: &[u8], e: &Entry, base: Option<&Genome>) -> Result<Genome, DeltaError> {
    delta::decode(&bytes[e.at..e.at + e.len], base).map_err(|d| DeltaError {
        at: e.at + d.at,
        what: d.what,
    })
}

/// How many genomes `bytes` holds (its shape checked, nothing unpacked).
pub fn count(bytes: &[u8]) -> Result<usize, DeltaError> {
    Ok(entries(bytes)?.len())
}

/// The genomes [`pack`] packed into `bytes`.
pub fn unpack(bytes: &[u8]) -> Result<Vec<Genome>, DeltaError> {
    let entries = entries(bytes)?;
    let mut genomes: Vec<Genome> = Vec::with_capacity(entries.len());
    for e in &entries {
        let g = decode(bytes, e, e.base.map(|b| &genomes[b]))?;
        genomes.push(g);
    }
    Ok(genomes)
}

/// Genome `index` of `bytes` alone (and the few it is a change from); `None` if there
/// are not that many.
pub fn unpack_one(bytes: &[u8], index: usize) -> Result<Option<Genome>, DeltaError> {
    let entries = entries(bytes)?;
    if index >= entries.len() {
        return Ok(None);
    }
    let mut chain = vec![index];
    while let Some(b) = entries[*chain.last().expect("not empty")].base {
        chain.push(b);
    }
    let mut genome: Option<Genome> = None;
    for &k in chain.iter().rev() {
        genome = Some(decode(bytes, &entries[k], genome.as_ref())?);
    }
    Ok(genome)
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
            let blob = pack(&g.genomes.all(), g.kept);
            assert_eq!(unpack(&blob).unwrap(), g.genomes.all().to_vec());
        }
        let last = s.current();
        // Bred generations come packed (the library's writer only inserts them).
        assert!(last.genomes.is_whole() && last.genomes.is_packed());
        let blob = pack(s.genomes(), last.kept);
        let json: usize = s
            .genomes()
            .iter()
            .map(|g| serde_json::to_string(g).unwrap().len())
            .sum();
        assert!(
            blob.len() * 8 < json,
            "blob {} B, JSON {json} B",
            blob.len()
        );
        for (k, g) in s.genomes().iter().enumerate() {
            assert_eq!(unpack_one(&blob, k).unwrap().as_ref(), Some(g));
        }
        assert_eq!(unpack_one(&blob, 15).unwrap(), None);
        for cut in 0..blob.len() {
            assert!(unpack(&blob[..cut]).is_err());
            assert!(unpack_one(&blob[..cut], 14).is_err());
        }
    }
}
