//! A generation's genomes, whole in memory or packed ([`super::packed`]) and unpacked
//! when asked. A session keeps only the generation it shows whole
//! ([`super::Session`]'s history is packed), so a long session of large genomes holds
//! its packed changes (tens of megabytes for 1,000 generations of 100 kB genomes)
//! instead of every genome (a gigabyte). The packed blob is made once and shared: the
//! library writes the same bytes.

use super::packed;
use crate::cppn::Genome;
use crate::cppn::delta::DeltaError;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Cow;
use std::fmt;
use std::sync::{Arc, OnceLock};

/// A generation's genomes. Cheap to clone (shared, never copied). Always whole,
/// packed, or both.
#[derive(Clone)]
pub struct Genomes {
    whole: Option<Arc<Vec<Genome>>>,
    /// Shared by every clone, so the blob is made once (by the library's writer or
    /// when the session moves on, whichever comes first).
    packed: Arc<OnceLock<Arc<[u8]>>>,
    len: usize,
}

impl Genomes {
    pub fn whole(genomes: Vec<Genome>) -> Genomes {
        Genomes {
            len: genomes.len(),
            whole: Some(Arc::new(genomes)),
            packed: Arc::default(),
        }
    }

    /// Genomes as [`packed::pack`] wrote them (read back from the library). Only their
    /// shape is checked here: read them with [`Genomes::try_all`] once before anything
    /// else (a session's checks on load do), after which reading them cannot fail.
    pub fn from_packed(blob: Vec<u8>) -> Result<Genomes, DeltaError> {
        let len = packed::count(&blob)?;
        Ok(Genomes {
            whole: None,
            packed: Arc::new(OnceLock::from(Arc::from(blob))),
            len,
        })
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Whether they are in memory whole.
    pub fn is_whole(&self) -> bool {
        self.whole.is_some()
    }

    /// Whether the packed blob is made (a bred generation's is, by `Brood::breed`).
    pub fn is_packed(&self) -> bool {
        self.packed.get().is_some()
    }

    /// Every genome: borrowed when whole, else unpacked.
    pub fn all(&self) -> Cow<'_, [Genome]> {
        self.try_all().expect("checked when loaded")
    }

    /// Every genome, or why the packed blob does not unpack.
    pub fn try_all(&self) -> Result<Cow<'_, [Genome]>, DeltaError> {
        Ok(match &self.whole {
            Some(w) => Cow::Borrowed(&w[..]),
            None => Cow::Owned(packed::unpack(self.blob())?),
        })
    }

    /// The whole genomes, if they are in memory.
    pub fn as_whole(&self) -> Option<&[Genome]> {
        self.whole.as_deref().map(|w| &w[..])
    }

    /// Genome `index`: borrowed when whole, else unpacked alone.
    pub fn at(&self, index: usize) -> Option<Cow<'_, Genome>> {
        match &self.whole {
            Some(w) => w.get(index).map(Cow::Borrowed),
            None => packed::unpack_one(self.blob(), index)
                .expect("checked when packed")
                .map(Cow::Owned),
        }
    }

    /// The packed blob (made now if they were never packed; `kept`: the first genomes
    /// are the parents, the others' bases).
    pub fn packed(&self, kept: usize) -> Arc<[u8]> {
        Arc::clone(self.packed.get_or_init(|| {
            let whole = self.whole.as_ref().expect("either whole or packed");
            Arc::from(packed::pack(whole, kept))
        }))
    }

    fn blob(&self) -> &[u8] {
        self.packed.get().expect("either whole or packed")
    }

    /// Keeps them packed only, dropping the whole copy.
    pub fn pack(&mut self, kept: usize) {
        if self.whole.is_some() {
            self.packed(kept);
            self.whole = None;
        }
    }

    /// Keeps them whole too.
    pub fn unpack(&mut self) {
        if self.whole.is_none() {
            self.whole = Some(Arc::new(self.all().into_owned()));
        }
    }
}

impl PartialEq for Genomes {
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len && self.all() == other.all()
    }
}

impl fmt::Debug for Genomes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.whole {
            Some(w) => f.debug_list().entries(w.iter()).finish(),
            None => write!(f, "{} packed genomes", self.len),
        }
    }
}

/// Written and read as the list of genomes, as session files always held them.
impl Serialize for Genomes {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.all().serialize(s)
    }
}

impl<'de> Deserialize<'de> for Genomes {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Vec::<Genome>::deserialize(d).map(Genomes::whole)
    }
}

#[cfg(test)]
mod tests {
    use crate::breed::{GenerationId, Session};

    fn whole(s: &Session) -> Vec<GenerationId> {
        s.generations()
            .iter()
            .filter(|g| g.genomes.is_whole())
            .map(|g| g.id)
            .collect()
    }

    #[test]
    fn a_session_keeps_only_its_current_generation_whole() {
        let mut s = Session::new(2);
        for k in 0..5 {
            s.set_parent(k, true);
            s.set_parent(k + 6, true);
            s.evolve().unwrap();
        }
        assert_eq!(whole(&s), vec![GenerationId(5)]);
        let third = s
            .generation(GenerationId(2))
            .unwrap()
            .genomes
            .all()
            .into_owned();
        assert!(s.back());
        assert_eq!(whole(&s), vec![GenerationId(4)]);
        s.branch_to(GenerationId(2)).unwrap();
        assert_eq!(whole(&s), vec![GenerationId(2)]);
        assert_eq!(s.genomes(), &third[..]);
        // Written whole, read back with the history packed.
        let back = Session::from_json(s.to_json().as_bytes()).unwrap();
        assert_eq!(back, s);
        assert_eq!(whole(&back), vec![GenerationId(2)]);
        let g = back.generation(GenerationId(4)).unwrap();
        for (k, genome) in g.genomes.all().iter().enumerate() {
            assert_eq!(g.genomes.at(k).unwrap().as_ref(), genome);
        }
    }
}

#[cfg(test)]
mod reading {
    use crate::breed::Session;
    use crate::cppn::Innovations;

    /// A session read with a counter that forgot its markings (an old file) moves the
    /// counter past every marking of its branch, packed generations included.
    #[test]
    fn markings_made_after_reading_do_not_repeat_the_files() {
        let mut s = Session::new(8);
        for k in 0..6 {
            s.set_parent(k, true);
            s.evolve().unwrap();
        }
        let branch = s.innovations().branch();
        let largest = s
            .generations()
            .iter()
            .flat_map(|g| g.genomes.all().into_owned())
            .flat_map(|g| {
                let links = g.links.iter().map(|l| l.id);
                g.nodes
                    .iter()
                    .map(|n| n.id)
                    .chain(links)
                    .collect::<Vec<_>>()
            })
            .filter(|m| m.branch == branch)
            .map(|m| m.id)
            .max()
            .unwrap();
        let read = Session::from_parts(
            s.seed(),
            s.settings().clone(),
            Innovations::for_seed(s.seed()),
            s.generations().to_vec(),
            s.current_id(),
        )
        .unwrap();
        assert!(read.innovations().next_id() > largest);
    }
}
