//! A genome written as its change from another genome (its parent), in a compact binary
//! form: how a generation is kept in the library and in memory without a full copy of
//! every child (`breed::packed`).
//!
//! A child made by mutation or crossover keeps its parent's genes in their order, so
//! the change is a few runs over each gene list: copy the next n genes, skip n, the next
//! n links with new weights, n new genes. A weight that is an `f32` (what breeding
//! makes, [`super::mutate::bred_weight`]) takes 4 bytes, any other 8. Any genome against
//! any base (or none) encodes exactly, weights bit for bit; a base it shares little with
//! only makes a longer change. Bytes that are not a change this module wrote give a
//! [`DeltaError`], never a panic.

use super::genome::{Genome, Link, Marking, Node, NodeKind, Output};
use super::notes::Notes;
use crate::activation::Activation;
use crate::grid::Input;

/// The first byte of every change: bumped if the layout below changes. Version 2 (read
/// still) had every weight in 8 bytes, without the `*32` runs.
const VERSION: u8 = 3;
/// How far ahead in the base a gene is looked for when the next one is not it (a gene
/// the child dropped; farther than this it is written as new, which is still exact).
const LOOKAHEAD: usize = 16;

const END: u8 = 0;
const COPY: u8 = 1;
const SKIP: u8 = 2;
const WEIGHTS: u8 = 3;
const NEW: u8 = 4;
/// [`WEIGHTS`] and [`NEW`] with each weight an `f32`.
const WEIGHTS32: u8 = 5;
const NEW32: u8 = 6;
/// The next n (at most 64) genes: a bit each, little-endian in (n + 7) / 8 bytes, then
/// an `f32` weight for each bit set (that gene reweighed; the others copied). A
/// perturbed child's change is mostly this: 30% of its weights, at random places.
const MASKED32: u8 = 7;
/// A block of 64 genes with at least this many new weights is written [`MASKED32`]
/// (its 10 bytes of head against about 4 per weight in [`COPY`] and [`WEIGHTS32`] runs).
const MASK_FROM: u32 = 3;

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
    let version = r.byte()?;
    if version != VERSION && version != 2 {
        return Err(r.bad("unknown version"));
    }
    r.narrow_runs = version >= 3;
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
    /// Equal to `base` but perhaps for the weight. Compares every field without a branch
    /// (see [`diff`]).
    fn kin(&self, base: &Self) -> bool;
    /// The weight's bits (0 for a node).
    fn weight_bits(&self) -> u64 {
        0
    }
    /// Equal to `base`, weights bit for bit.
    fn same(&self, base: &Self) -> bool {
        self.kin(base) & (self.weight_bits() == base.weight_bits())
    }
    /// Whether its weight (if it has one) is an `f32`.
    fn narrow(&self) -> bool {
        false
    }
    /// This gene with weight `w` (`None`: it has no weight).
    fn with_weight(&self, _w: f64) -> Option<Self> {
        None
    }
    /// Writes the gene, its weight as an `f32` if `narrow`; `branch`: the last marking's
    /// branch written (see [`put_marking`]).
    fn put(&self, out: &mut Vec<u8>, branch: &mut u64, narrow: bool);
    fn get(r: &mut Reader, narrow: bool) -> Result<Self, DeltaError>;
}

/// A node kind's stored code: fixed numbers, never a position in a list (a list's order
/// may change; stored libraries must still read). Pinned by a test.
fn kind_code(kind: NodeKind) -> u8 {
    match kind {
        NodeKind::Hidden => 0,
        NodeKind::Input(Input::X) => 1,
        NodeKind::Input(Input::Y) => 2,
        NodeKind::Input(Input::D) => 3,
        NodeKind::Input(Input::Bias) => 4,
        NodeKind::Output(Output::Ink) => 5,
        NodeKind::Output(Output::Hue) => 6,
        NodeKind::Output(Output::Saturation) => 7,
        NodeKind::Output(Output::Brightness) => 8,
    }
}

/// The node kind stored as `code` ([`kind_code`]).
fn kind_of_code(code: u8) -> Option<NodeKind> {
    Some(match code {
        0 => NodeKind::Hidden,
        1 => NodeKind::Input(Input::X),
        2 => NodeKind::Input(Input::Y),
        3 => NodeKind::Input(Input::D),
        4 => NodeKind::Input(Input::Bias),
        5 => NodeKind::Output(Output::Ink),
        6 => NodeKind::Output(Output::Hue),
        7 => NodeKind::Output(Output::Saturation),
        8 => NodeKind::Output(Output::Brightness),
        _ => return None,
    })
}

impl Gene for Node {
    fn mark(&self) -> Marking {
        self.id
    }
    fn kin(&self, base: &Self) -> bool {
        self == base
    }
    fn put(&self, out: &mut Vec<u8>, branch: &mut u64, _narrow: bool) {
        put_marking(out, self.id, branch);
        out.push(kind_code(self.kind));
        out.push(self.activation.code());
    }
    fn get(r: &mut Reader, _narrow: bool) -> Result<Self, DeltaError> {
        let id = r.marking()?;
        let kind = kind_of_code(r.byte()?).ok_or_else(|| r.bad("unknown node kind"))?;
        let activation =
            Activation::from_code(r.byte()?).ok_or_else(|| r.bad("unknown activation"))?;
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
    fn kin(&self, base: &Self) -> bool {
        let d = |a: Marking, b: Marking| (a.branch ^ b.branch) | (a.id ^ b.id);
        (d(self.id, base.id) | d(self.source, base.source) | d(self.target, base.target)) == 0
    }
    fn weight_bits(&self) -> u64 {
        self.weight.to_bits()
    }
    fn narrow(&self) -> bool {
        is_f32(self.weight)
    }
    fn with_weight(&self, w: f64) -> Option<Self> {
        Some(Link {
            weight: w,
            ..self.clone()
        })
    }
    fn put(&self, out: &mut Vec<u8>, branch: &mut u64, narrow: bool) {
        put_marking(out, self.id, branch);
        put_marking(out, self.source, branch);
        put_marking(out, self.target, branch);
        put_weight(out, self.weight, narrow);
    }
    fn get(r: &mut Reader, narrow: bool) -> Result<Self, DeltaError> {
        Ok(Link {
            id: r.marking()?,
            source: r.marking()?,
            target: r.marking()?,
            weight: r.weight(narrow)?,
        })
    }
}

/// Whether `w` is an `f32` exactly (so 4 bytes hold it).
fn is_f32(w: f64) -> bool {
    (w as f32 as f64).to_bits() == w.to_bits()
}

fn put_weight(out: &mut Vec<u8>, w: f64, narrow: bool) {
    if narrow {
        out.extend_from_slice(&(w as f32).to_le_bytes());
    } else {
        out.extend_from_slice(&w.to_le_bytes());
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

    /// The new weights of `genes` (their base's next genes), as runs of their own,
    /// written straight out.
    fn weights<T: Gene>(&mut self, genes: &[T]) {
        let mut rest = genes;
        while let Some(first) = rest.first() {
            let narrow = first.narrow();
            let n = rest.iter().take_while(|g| g.narrow() == narrow).count();
            self.flush();
            self.kind = END;
            self.out.push(if narrow { WEIGHTS32 } else { WEIGHTS });
            put_varint(self.out, n as u64);
            for g in &rest[..n] {
                put_weight(self.out, f64::from_bits(g.weight_bits()), narrow);
            }
            rest = &rest[n..];
        }
    }

    /// `genes`, their base's next, as one [`MASKED32`] run: copied but where `reweighed`
    /// has a bit, each an `f32`.
    fn masked<T: Gene>(&mut self, genes: &[T], reweighed: u64) {
        self.flush();
        self.kind = END;
        self.out.push(MASKED32);
        put_varint(self.out, genes.len() as u64);
        self.out
            .extend_from_slice(&reweighed.to_le_bytes()[..genes.len().div_ceil(8)]);
        for t in ones(reweighed) {
            put_weight(self.out, f64::from_bits(genes[t].weight_bits()), true);
        }
    }

    /// A gene written whole, in a run of its weight's width.
    fn new_gene<T: Gene>(&mut self, g: &T) {
        let narrow = g.narrow();
        self.add(if narrow { NEW32 } else { NEW }, 1);
        g.put(&mut self.payload, &mut self.branch, narrow);
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
    while i < child.len() {
        // Most genes are their base's next, unchanged or with a new weight. They are
        // sorted 64 at a time into two masks without a branch per gene (perturbed
        // weights fall at random, so such a branch mispredicts), then written as one
        // masked run or as runs found from the masks.
        let n = (child.len() - i).min(base.len() - j).min(64);
        let (mut same, mut kin) = (0u64, 0u64);
        for (t, (c, b)) in child[i..i + n].iter().zip(&base[j..j + n]).enumerate() {
            same |= u64::from(c.same(b)) << t;
            kin |= u64::from(c.kin(b)) << t;
        }
        let aligned = (kin.trailing_ones() as usize).min(n);
        let reweighed = !same & low_bits(aligned);
        if reweighed.count_ones() >= MASK_FROM && ones(reweighed).all(|t| child[i + t].narrow()) {
            runs.masked(&child[i..i + aligned], reweighed);
            i += aligned;
            j += aligned;
            continue;
        }
        let mut t = 0;
        while t < aligned {
            let copied = ((same >> t).trailing_ones() as usize).min(aligned - t);
            runs.add(COPY, copied);
            t += copied;
            if t < aligned {
                let reweighed = ((same >> t).trailing_zeros() as usize).min(aligned - t);
                runs.weights(&child[i + t..i + t + reweighed]);
                t += reweighed;
            }
        }
        i += aligned;
        j += aligned;
        if aligned == n && n > 0 {
            continue;
        }
        let Some(c) = child.get(i) else { break };
        // A gene that is not its base's next: dropped genes before it, or new.
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
                } else if c.kin(b) {
                    runs.weights(std::slice::from_ref(c));
                } else {
                    runs.add(SKIP, 1);
                    runs.new_gene(c);
                }
                j = k + 1;
            }
            None => runs.new_gene(c),
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
        let kind = r.byte()?;
        if matches!(kind, WEIGHTS32 | NEW32 | MASKED32) && !r.narrow_runs {
            return Err(r.bad("unknown run"));
        }
        match kind {
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
            WEIGHTS | WEIGHTS32 => {
                let narrow = kind == WEIGHTS32;
                let n = r.count(if narrow { 4 } else { 8 })?;
                for _ in 0..n {
                    let w = r.weight(narrow)?;
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
            MASKED32 => {
                let n = r.count(0)?;
                if n > 64 {
                    return Err(r.bad("a masked run longer than 64"));
                }
                let mut bits = [0u8; 8];
                bits[..n.div_ceil(8)].copy_from_slice(r.take(n.div_ceil(8))?);
                let bits = u64::from_le_bytes(bits);
                if bits & !low_bits(n) != 0 {
                    return Err(r.bad("a mask bit past its run"));
                }
                let genes = base
                    .get(j..j + n)
                    .ok_or_else(|| r.bad("a masked run past the base's end"))?;
                for (t, g) in genes.iter().enumerate() {
                    out.push(if bits >> t & 1 == 1 {
                        g.with_weight(r.weight(true)?)
                            .ok_or_else(|| r.bad("a weight for a node"))?
                    } else {
                        g.clone()
                    });
                }
                j += n;
            }
            NEW | NEW32 => {
                let n = r.count(1)?;
                for _ in 0..n {
                    out.push(T::get(r, kind == NEW32)?);
                }
            }
            _ => return Err(r.bad("unknown run")),
        }
    }
}

/// The lowest `n` bits set (`n` at most 64).
fn low_bits(n: usize) -> u64 {
    if n >= 64 { u64::MAX } else { (1u64 << n) - 1 }
}

/// The places of `bits`' ones, lowest first.
fn ones(mut bits: u64) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        (bits != 0).then(|| {
            let t = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            t
        })
    })
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
    /// Whether the `*32` runs may come (version 3 on).
    narrow_runs: bool,
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader {
            bytes,
            at: 0,
            branch: 0,
            narrow_runs: true,
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

    /// A weight: an `f32` in 4 bytes if `narrow`, else an `f64` in 8.
    fn weight(&mut self, narrow: bool) -> Result<f64, DeltaError> {
        Ok(if narrow {
            let b = self.take(4)?;
            f64::from(f32::from_le_bytes(b.try_into().expect("four bytes")))
        } else {
            let b = self.take(8)?;
            f64::from_le_bytes(b.try_into().expect("eight bytes"))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cppn::crossover::{CrossoverConfig, crossover};
    use crate::cppn::genome::tests::tiny;
    use crate::cppn::innovation::Innovations;
    use crate::cppn::mutate::{MutationConfig, bred_weight, mutate};
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

    /// Bred weights (`f32`s) take 4 bytes, any other weight 8 and comes back bit for
    /// bit; a version-2 change (every weight in 8 bytes) still reads.
    #[test]
    fn f32_weights_are_narrow_others_exact_and_version_2_reads() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let mut inn = Innovations::for_seed(3);
        inn.observe(&tiny());
        let mut g = tiny();
        for _ in 0..40 {
            inn.start_generation();
            g = mutate(&g, &MutationConfig::default(), &mut inn, &mut rng).0;
        }
        let mut narrow = g.clone();
        let mut wide = g.clone();
        for (k, (a, b)) in narrow.links.iter_mut().zip(&mut wide.links).enumerate() {
            a.weight = (k as f64 * 0.37 - 2.0) as f32 as f64;
            b.weight = k as f64 * 0.37 - 2.0 + 1e-12;
        }
        let links = g.links.len();
        assert_eq!(
            round_trip(&wide, None),
            round_trip(&narrow, None) + 4 * links
        );
        // Half the weights changed, alternately to an f32 and to an f64.
        let mut mixed = narrow.clone();
        for (k, l) in mixed
            .links
            .iter_mut()
            .enumerate()
            .filter(|(k, _)| k % 2 == 0)
        {
            l.weight = if k % 4 == 0 { 0.25 } else { 0.1 };
        }
        round_trip(&mixed, Some(&narrow));
        round_trip(&narrow, Some(&mixed));
        round_trip(&wide, Some(&mixed));
        // Every third weight perturbed, as breeding does: a bit a link and 4 bytes a new
        // weight (runs took about 8 bytes a weight).
        let mut perturbed = narrow.clone();
        let mut changed = 0;
        for l in perturbed.links.iter_mut().step_by(3) {
            l.weight = bred_weight(l.weight * 0.9 + 0.1);
            changed += 1;
        }
        let bytes = round_trip(&perturbed, Some(&narrow));
        assert!(
            bytes <= 16 + links.div_ceil(64) * 10 + 4 * changed,
            "{bytes} B for {changed} of {links} weights"
        );

        // Version 2's layout: whole genes, weights in 8 bytes.
        let mut v2 = vec![2];
        let mut branch = 0;
        v2.push(NEW);
        put_varint(&mut v2, g.nodes.len() as u64);
        for n in &g.nodes {
            n.put(&mut v2, &mut branch, false);
        }
        v2.push(END);
        branch = 0;
        let links_run = v2.len();
        v2.push(NEW);
        put_varint(&mut v2, g.links.len() as u64);
        for l in &wide.links {
            l.put(&mut v2, &mut branch, false);
        }
        v2.extend([END, 0]);
        let back = decode(&v2, None).unwrap();
        assert_eq!(back.nodes, g.nodes);
        assert_eq!(back.links, wide.links);
        // Version 2 had no 4-byte runs.
        let mut bad = v2.clone();
        bad[links_run] = NEW32;
        assert_eq!(decode(&bad, None).unwrap_err().what, "unknown run");
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

    /// The stored codes are pinned: a generation written before the codes were spelled
    /// out (when they were positions in `Input::ALL`, `Output::ALL` and
    /// `Activation::ALL`) reads as it was, and writing gives the same bytes.
    #[test]
    fn stored_codes_are_pinned() {
        #[rustfmt::skip]
        let stored: [u8; 70] = [
            3, 4, 16,
            0, 0, 1, 0, 0, 1, 2, 0, 0, 2, 3, 0, 0, 3, 4, 0,
            0, 4, 5, 0, 0, 5, 6, 0, 0, 6, 7, 0, 0, 7, 8, 0,
            0, 8, 0, 0, 0, 9, 0, 1, 0, 10, 0, 2, 0, 11, 0, 3,
            0, 12, 0, 4, 0, 13, 0, 5, 0, 14, 0, 6, 0, 15, 0, 7,
            0, 0, 0,
        ];
        let kinds = [
            NodeKind::Input(Input::X),
            NodeKind::Input(Input::Y),
            NodeKind::Input(Input::D),
            NodeKind::Input(Input::Bias),
            NodeKind::Output(Output::Ink),
            NodeKind::Output(Output::Hue),
            NodeKind::Output(Output::Saturation),
            NodeKind::Output(Output::Brightness),
        ];
        let activations = [
            Activation::Identity,
            Activation::Sigmoid,
            Activation::Gaussian,
            Activation::Sin,
            Activation::Cos,
            Activation::Tanh,
            Activation::Relu,
            Activation::Abs,
        ];
        let node = |i: usize, kind, activation| Node {
            id: Marking::new(0, i as u64),
            kind,
            activation,
        };
        let mut nodes: Vec<Node> = (kinds.iter().enumerate())
            .map(|(i, &k)| node(i, k, Activation::Identity))
            .collect();
        nodes.extend(
            (activations.iter().enumerate()).map(|(i, &a)| node(8 + i, NodeKind::Hidden, a)),
        );
        let g = Genome {
            nodes,
            links: vec![],
            notes: Notes::default(),
        };
        assert_eq!(decode(&stored, None).unwrap(), g);
        let mut written = Vec::new();
        encode(&g, None, &mut written);
        assert_eq!(written, stored);
        // Every kind has a code, and only those codes read.
        for code in 0..=u8::MAX {
            match kind_of_code(code) {
                Some(k) => assert_eq!(kind_code(k), code),
                None => assert!(code > 8, "{code}"),
            }
        }
    }
}
