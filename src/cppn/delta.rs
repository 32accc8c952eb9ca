//! A genome written as its change from another genome (its parent), in a compact binary
//! form: how a generation is kept in the library and in memory without a full copy of
//! every child (`breed::packed`).
//!
//! A child made by mutation or crossover keeps its parent's genes in their order, so
//! the change is a few runs over each gene list: copy the next n genes, skip n, the next
//! n links with new weights, n new genes. Any genome against any base (or none) encodes
//! exactly, weights bit for bit; a base it shares little with only makes a longer
//! change. Bytes that are not a change this module wrote give a [`DeltaError`], never a
//! panic.

use super::genome::{Genome, Link, Marking, Node, NodeKind, Output};
use super::notes::Notes;
use crate::activation::Activation;
use crate::grid::Input;

/// The first byte of every change: bumped if the layout below changes.
const VERSION: u8 = 2;
/// How far ahead in the base a gene is looked for when the next one is not it (a gene
/// the child dropped; farther than this it is written as new, which is still exact).
const LOOKAHEAD: usize = 16;

const END: u8 = 0;
const COPY: u8 = 1;
const SKIP: u8 = 2;
const WEIGHTS: u8 = 3;
const NEW: u8 = 4;

/// Bytes that are not a genome change (a damaged library, another program's data).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("damaged genome change at byte {at}: {what}")]
pub struct DeltaError {
    pub at: usize,
    pub what: &'static str,
}

/// Appends `child` as its change from `base` (`None`: from an empty genome) to `out`.
pub fn encode(child: &Genome, base: Option<&Genome>, out: &mut Vec<u8>) {
    out.push(VERSION);
    diff(&child.nodes, base.map_or(&[], |b| &b.nodes), out);
    diff(&child.links, base.map_or(&[], |b| &b.links), out);
    let base_notes = base.map(|b| &b.notes);
    if base_notes == Some(&child.notes) || (base.is_none() && child.notes.is_empty()) {
        out.push(0);
    } else {
        out.push(1);
        let json = serde_json::to_vec(&child.notes).expect("notes always serialize");
        put_varint(out, json.len() as u64);
        out.extend_from_slice(&json);
    }
}

/// The genome `bytes` (written by [`encode`] against the same `base`) describes.
pub fn decode(bytes: &[u8], base: Option<&Genome>) -> Result<Genome, DeltaError> {
    let mut r = Reader::new(bytes);
    if r.byte()? != VERSION {
        return Err(r.bad("unknown version"));
    }
    let nodes = apply(&mut r, base.map_or(&[], |b| &b.nodes))?;
    let links = apply(&mut r, base.map_or(&[], |b| &b.links))?;
    let notes = match r.byte()? {
        0 => base.map(|b| b.notes.clone()).unwrap_or_default(),
        1 => {
            let n = r.count(1)?;
            let json = r.take(n)?;
            serde_json::from_slice::<Notes>(json).map_err(|_| r.bad("notes are not JSON"))?
        }
        _ => return Err(r.bad("unknown notes mark")),
    };
    if r.at != bytes.len() {
        return Err(r.bad("bytes after the end"));
    }
    Ok(Genome {
        nodes,
        links,
        notes,
    })
}

/// A node or a link, as the change sees it.
trait Gene: Clone {
    fn mark(&self) -> Marking;
    /// Equal to `base`, weights bit for bit.
    fn same(&self, base: &Self) -> bool;
    /// This gene's weight, when it is `base` with only its weight changed.
    fn reweighs(&self, _base: &Self) -> Option<f64> {
        None
    }
    /// This gene with weight `w` (`None`: it has no weight).
    fn with_weight(&self, _w: f64) -> Option<Self> {
        None
    }
    /// Writes the gene; `branch`: the last marking's branch written (see [`put_marking`]).
    fn put(&self, out: &mut Vec<u8>, branch: &mut u64);
    fn get(r: &mut Reader) -> Result<Self, DeltaError>;
}

impl Gene for Node {
    fn mark(&self) -> Marking {
        self.id
    }
    fn same(&self, base: &Self) -> bool {
        self == base
    }
    fn put(&self, out: &mut Vec<u8>, branch: &mut u64) {
        put_marking(out, self.id, branch);
        out.push(match self.kind {
            NodeKind::Hidden => 0,
            NodeKind::Input(i) => {
                1 + Input::ALL.iter().position(|&x| x == i).expect("in ALL") as u8
            }
            NodeKind::Output(o) => {
                5 + Output::ALL.iter().position(|&x| x == o).expect("in ALL") as u8
            }
        });
        out.push(
            Activation::ALL
                .iter()
                .position(|&a| a == self.activation)
                .expect("in ALL") as u8,
        );
    }
    fn get(r: &mut Reader) -> Result<Self, DeltaError> {
        let id = r.marking()?;
        let kind = match r.byte()? {
            0 => NodeKind::Hidden,
            k @ 1..=4 => NodeKind::Input(Input::ALL[usize::from(k - 1)]),
            k @ 5..=8 => NodeKind::Output(Output::ALL[usize::from(k - 5)]),
            _ => return Err(r.bad("unknown node kind")),
        };
        let activation = *Activation::ALL
            .get(usize::from(r.byte()?))
            .ok_or_else(|| r.bad("unknown activation"))?;
        Ok(Node {
            id,
            kind,
            activation,
        })
    }
}

impl Gene for Link {
    fn mark(&self) -> Marking {
        self.id
    }
    fn same(&self, base: &Self) -> bool {
        self.weight.to_bits() == base.weight.to_bits() && self.reweighs(base).is_some()
    }
    fn reweighs(&self, base: &Self) -> Option<f64> {
        (self.id == base.id && self.source == base.source && self.target == base.target)
            .then_some(self.weight)
    }
    fn with_weight(&self, w: f64) -> Option<Self> {
        Some(Link {
            weight: w,
            ..self.clone()
        })
    }
    fn put(&self, out: &mut Vec<u8>, branch: &mut u64) {
        put_marking(out, self.id, branch);
        put_marking(out, self.source, branch);
        put_marking(out, self.target, branch);
        out.extend_from_slice(&self.weight.to_le_bytes());
    }
    fn get(r: &mut Reader) -> Result<Self, DeltaError> {
        Ok(Link {
            id: r.marking()?,
            source: r.marking()?,
            target: r.marking()?,
            weight: r.f64()?,
        })
    }
}

/// Writes runs: a run of one kind grows until a gene of another kind comes.
struct Runs<'a> {
    out: &'a mut Vec<u8>,
    kind: u8,
    n: usize,
    /// The run's weights or new genes, written after its kind and length.
    payload: Vec<u8>,
    /// The last marking's branch written.
    branch: u64,
}

impl Runs<'_> {
    fn add(&mut self, kind: u8, n: usize) {
        if kind != self.kind {
            self.flush();
            self.kind = kind;
        }
        self.n += n;
    }

    fn flush(&mut self) {
        if self.n > 0 {
            self.out.push(self.kind);
            put_varint(self.out, self.n as u64);
            self.out.extend_from_slice(&self.payload);
        }
        self.payload.clear();
        self.n = 0;
    }
}

/// Writes `child` as runs over `base`.
fn diff<T: Gene>(child: &[T], base: &[T], out: &mut Vec<u8>) {
    let mut runs = Runs {
        out,
        kind: END,
        n: 0,
        payload: Vec::new(),
        branch: 0,
    };
    let mut j = 0;
    let mut i = 0;
    while let Some(c) = child.get(i) {
        // Most genes are their base's next, unchanged: counted as one run.
        let same = child[i..]
            .iter()
            .zip(base.get(j..).unwrap_or_default())
            .take_while(|(c, b)| c.same(b))
            .count();
        if same > 0 {
            runs.add(COPY, same);
            i += same;
            j += same;
            continue;
        }
        i += 1;
        let ahead = j..base.len().min(j + LOOKAHEAD);
        match ahead.into_iter().find(|&k| base[k].mark() == c.mark()) {
            Some(k) => {
                if k > j {
                    runs.add(SKIP, k - j);
                }
                let b = &base[k];
                if c.same(b) {
                    runs.add(COPY, 1);
                } else if let Some(w) = c.reweighs(b) {
                    runs.add(WEIGHTS, 1);
                    runs.payload.extend_from_slice(&w.to_le_bytes());
                } else {
                    runs.add(SKIP, 1);
                    runs.add(NEW, 1);
                    c.put(&mut runs.payload, &mut runs.branch);
                }
                j = k + 1;
            }
            None => {
                runs.add(NEW, 1);
                c.put(&mut runs.payload, &mut runs.branch);
            }
        }
    }
    runs.flush();
    runs.out.push(END);
}

/// Reads runs written by [`diff`] over `base`.
fn apply<T: Gene>(r: &mut Reader, base: &[T]) -> Result<Vec<T>, DeltaError> {
    // Each list's markings start from branch 0, as [`diff`] writes them.
    r.branch = 0;
    let mut out = Vec::with_capacity(base.len() + 4);
    let mut j: usize = 0;
    loop {
        match r.byte()? {
            END => return Ok(out),
            COPY => {
                let n = r.count(0)?;
                let genes = base
                    .get(j..j.saturating_add(n))
                    .ok_or_else(|| r.bad("copies past the base's end"))?;
                out.extend_from_slice(genes);
                j += n;
            }
            SKIP => {
                let n = r.count(0)?;
                if j.saturating_add(n) > base.len() {
                    return Err(r.bad("skips past the base's end"));
                }
                j += n;
            }
            WEIGHTS => {
                let n = r.count(8)?;
                for _ in 0..n {
                    let w = r.f64()?;
                    let g = base
                        .get(j)
                        .ok_or_else(|| r.bad("reweighs past the base's end"))?;
                    out.push(
                        g.with_weight(w)
                            .ok_or_else(|| r.bad("a weight for a node"))?,
                    );
                    j += 1;
                }
            }
            NEW => {
                let n = r.count(1)?;
                for _ in 0..n {
                    out.push(T::get(r)?);
                }
            }
            _ => return Err(r.bad("unknown run")),
        }
    }
}

pub(crate) fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// A marking: its branch as the change from the last one written (a genome's markings
/// mostly share their session's branch, a 10-digit number: 5 bytes as it is, 1 as a
/// change of 0; a 796-link genome whole took 26.0 kB, now 15.1 kB), then its id.
fn put_marking(out: &mut Vec<u8>, m: Marking, branch: &mut u64) {
    let d = m.branch.wrapping_sub(*branch) as i64;
    put_varint(out, ((d << 1) ^ (d >> 63)) as u64);
    *branch = m.branch;
    put_varint(out, m.id);
}

/// Reads bytes front to back, every read checked.
pub(crate) struct Reader<'a> {
    pub bytes: &'a [u8],
    pub at: usize,
    /// The last marking's branch read.
    branch: u64,
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader {
            bytes,
            at: 0,
            branch: 0,
        }
    }

    pub fn bad(&self, what: &'static str) -> DeltaError {
        DeltaError { at: self.at, what }
    }

    pub fn byte(&mut self) -> Result<u8, DeltaError> {
        let b = *self
            .bytes
            .get(self.at)
            .ok_or_else(|| self.bad("ends early"))?;
        self.at += 1;
        Ok(b)
    }

    pub fn take(&mut self, n: usize) -> Result<&[u8], DeltaError> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.bytes.len());
        let end = end.ok_or_else(|| self.bad("ends early"))?;
        let s = &self.bytes[self.at..end];
        self.at = end;
        Ok(s)
    }

    pub fn varint(&mut self) -> Result<u64, DeltaError> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Ok(v);
            }
        }
        Err(self.bad("a number longer than 64 bits"))
    }

    /// A count of things each at least `each` bytes long (0: not read from here), so a
    /// damaged count cannot ask for more than the bytes could hold.
    pub fn count(&mut self, each: usize) -> Result<usize, DeltaError> {
        let n = usize::try_from(self.varint()?).map_err(|_| self.bad("a count too large"))?;
        if each > 0 && n.saturating_mul(each) > self.bytes.len() - self.at {
            return Err(self.bad("a count larger than the bytes left"));
        }
        Ok(n)
    }

    fn marking(&mut self) -> Result<Marking, DeltaError> {
        let z = self.varint()?;
        let d = ((z >> 1) as i64) ^ -((z & 1) as i64);
        self.branch = self.branch.wrapping_add(d as u64);
        Ok(Marking::new(self.branch, self.varint()?))
    }

    fn f64(&mut self) -> Result<f64, DeltaError> {
        let b = self.take(8)?;
        Ok(f64::from_le_bytes(b.try_into().expect("eight bytes")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cppn::crossover::{CrossoverConfig, crossover};
    use crate::cppn::genome::tests::tiny;
    use crate::cppn::innovation::Innovations;
    use crate::cppn::mutate::{MutationConfig, mutate};
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    fn round_trip(child: &Genome, base: Option<&Genome>) -> usize {
        let mut bytes = Vec::new();
        encode(child, base, &mut bytes);
        let back = decode(&bytes, base).expect("decodes");
        assert_eq!(&back, child);
        for (a, b) in back.links.iter().zip(&child.links) {
            assert_eq!(a.weight.to_bits(), b.weight.to_bits());
        }
        bytes.len()
    }

    /// A line of 300 mutations (genomes that grow), each child against its parent, and
    /// crossovers of relatives against either parent.
    #[test]
    fn children_of_every_operator_come_back_exactly() {
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let mut inn = Innovations::for_seed(5);
        inn.observe(&tiny());
        let config = MutationConfig::default();
        let mut line = vec![tiny()];
        for _ in 0..300 {
            let parent = line.last().unwrap().clone();
            inn.start_generation();
            let child = mutate(&parent, &config, &mut inn, &mut rng).0;
            round_trip(&child, Some(&parent));
            round_trip(&child, None);
            line.push(child);
        }
        let last = line.last().unwrap();
        let full = round_trip(last, None);
        let child = mutate(last, &config, &mut inn, &mut rng).0;
        let change = round_trip(&child, Some(last));
        assert!(
            change * 3 < full,
            "a child's change {change} B, whole {full} B"
        );
        // Crossover of cousins; against either parent and against an unrelated genome.
        for k in 0..20 {
            let (a, b) = (&line[300 - k], &line[280 - k]);
            let c = crossover(&[a, b], &CrossoverConfig::default(), &mut rng);
            round_trip(&c, Some(a));
            round_trip(&c, Some(b));
            round_trip(&c, Some(&tiny()));
        }
        // Notes that change, and notes kept.
        let mut labelled = last.clone();
        labelled
            .notes
            .texts
            .insert(last.links[0].id, "mouth".into());
        round_trip(&labelled, Some(last));
        round_trip(&labelled, None);
        round_trip(last, Some(&labelled));
    }

    #[test]
    fn damaged_bytes_are_an_error_not_a_panic() {
        let mut rng = ChaCha8Rng::seed_from_u64(9);
        let mut inn = Innovations::for_seed(9);
        inn.observe(&tiny());
        let base = tiny();
        let mut child = base.clone();
        for _ in 0..20 {
            inn.start_generation();
            child = mutate(&child, &MutationConfig::default(), &mut inn, &mut rng).0;
        }
        let mut bytes = Vec::new();
        encode(&child, Some(&base), &mut bytes);
        for cut in 0..bytes.len() {
            assert!(decode(&bytes[..cut], Some(&base)).is_err(), "cut at {cut}");
        }
        for at in 0..bytes.len() {
            for flip in [0x01u8, 0x80, 0xff] {
                let mut b = bytes.clone();
                b[at] ^= flip;
                // Either an error or some genome; never a panic.
                let _ = decode(&b, Some(&base));
            }
        }
        // Against the wrong base: the copies have nothing to copy.
        assert!(decode(&bytes, None).is_err());
    }
}
