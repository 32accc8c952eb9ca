//! A whole session in one JSON file: format tag and version (as the other native files),
//! seed, settings, innovation counter, the current generation and every generation.
//! Loading checks everything before handing a session back, so a bad file never
//! replaces a good session.

use super::generation::{Generation, GenerationId, Origin};
use super::session::Session;
use super::settings::Settings;
use crate::cppn::innovation::Innovations;
use crate::io::kind::{Kind, wrong_kind};
use crate::io::{FileError, Problem, read_bytes, write_atomic};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::path::Path;

pub use crate::io::kind::SESSION_FORMAT;
pub const SESSION_VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
struct SessionFile {
    format: String,
    version: u32,
    seed: u64,
    settings: Settings,
    innovations: Innovations,
    current: GenerationId,
    generations: Vec<Generation>,
}

impl Session {
    /// The session as the text of a session file.
    pub fn to_json(&self) -> String {
        let file = SessionFile {
            format: SESSION_FORMAT.into(),
            version: SESSION_VERSION,
            seed: self.seed,
            settings: self.settings.clone(),
            innovations: self.innovations.clone(),
            current: self.current,
            generations: self.generations.clone(),
        };
        serde_json::to_string(&file).expect("a session always serializes")
    }

    /// Reads a session file's text, checking that it is whole and consistent.
    pub fn from_json(bytes: &[u8]) -> Result<Session, Problem> {
        if let Some(wrong) = wrong_kind(bytes, &[Kind::Session], "a session") {
            return Err(wrong);
        }
        let value: serde_json::Value = serde_json::from_slice(bytes).map_err(Problem::Json)?;
        match value.get("format").and_then(|f| f.as_str()) {
            Some(SESSION_FORMAT) => {}
            Some(other) => {
                return Err(Problem::WrongFormat(format!(
                    "format is '{other}', expected '{SESSION_FORMAT}'"
                )));
            }
            None => {
                return Err(Problem::WrongFormat(format!(
                    "no 'format' field: not a {SESSION_FORMAT} file"
                )));
            }
        }
        let file: SessionFile = serde_json::from_value(value).map_err(Problem::Json)?;
        if file.version > SESSION_VERSION {
            return Err(Problem::NewerVersion {
                format: SESSION_FORMAT.into(),
                version: file.version.into(),
                newest: SESSION_VERSION.into(),
            });
        }
        let mut session = Session {
            seed: file.seed,
            settings: file.settings,
            innovations: file.innovations,
            generations: file.generations,
            current: file.current,
        };
        check(&mut session)?;
        Ok(session)
    }

    /// Writes the session to `path` atomically: the file is the old one or the whole
    /// new one.
    pub fn save(&self, path: &Path) -> Result<(), FileError> {
        write_atomic(path, self.to_json().as_bytes())
    }

    /// Reads a session file. Errors name the file and what is wrong with it.
    pub fn load(path: &Path) -> Result<Session, FileError> {
        Session::from_json(&read_bytes(path)?).map_err(|p| p.at(path))
    }
}

impl Session {
    /// A session from its parts as a store keeps them, checked as a session file is.
    pub fn from_parts(
        seed: u64,
        settings: Settings,
        innovations: Innovations,
        generations: Vec<Generation>,
        current: GenerationId,
    ) -> Result<Session, Problem> {
        let mut session = Session {
            seed,
            settings,
            innovations,
            generations,
            current,
        };
        check(&mut session)?;
        Ok(session)
    }
}

fn bad(msg: String) -> Problem {
    Problem::InconsistentSession(msg)
}

/// Checks a session read from a file, and rebuilds each generation's children list
/// from the parents (the parents are the truth).
fn check(s: &mut Session) -> Result<(), Problem> {
    s.settings.validate()?;
    let counter = |field: &'static str, value: u64| {
        let max = crate::cppn::innovation::MAX_COUNTER;
        if value > max {
            return Err(Problem::BadSetting {
                field,
                value: value.to_string(),
                allowed: format!("the innovation counter goes up to {max}"),
            });
        }
        Ok(())
    };
    counter("innovations.next", s.innovations.next_id())?;
    let n = s.generations.len();
    if n == 0 {
        return Err(bad("it has no generations".into()));
    }
    if s.current.0 >= n {
        return Err(bad(format!(
            "current generation {} does not exist",
            s.current
        )));
    }
    // Every genome first, on every core, each unpacked once: checked, and its markings
    // noted so markings made from here on do not repeat them. Most of reading a long
    // session (scripts/reopen.sh). The first bad one is named.
    let innovations = &s.innovations;
    let next = s
        .generations
        .par_iter()
        .map(|g| {
            let at = g.id;
            let genomes = g
                .genomes
                .try_all()
                .map_err(|e| bad(format!("generation {at}: {e}")))?;
            let mut next = 0;
            for (k, genome) in genomes.iter().enumerate() {
                genome
                    .validate()
                    .map_err(|e| bad(format!("generation {at}, genome {k}: {e}")))?;
                next = next.max(innovations.first_free(genome));
            }
            Ok(next)
        })
        .collect::<Vec<Result<u64, Problem>>>()
        .into_iter()
        .try_fold(0, |a, r| r.map(|b| a.max(b)))?;
    s.innovations.skip_to(next);
    // A genome of the session's own branch may carry the counter past its limit.
    counter(
        "innovations.next (after the session's own markings)",
        s.innovations.next_id(),
    )?;
    for i in 0..n {
        let g = &s.generations[i];
        let at = GenerationId(i);
        if g.id != at {
            return Err(bad(format!("generation {at} is numbered {}", g.id)));
        }
        if g.genomes.is_empty() {
            return Err(bad(format!("generation {at} has no genomes")));
        }
        if g.kept > g.genomes.len() {
            return Err(bad(format!(
                "generation {at} keeps more parents than it has genomes"
            )));
        }
        if g.selected.windows(2).any(|w| w[0] >= w[1])
            || g.selected.iter().any(|&k| k >= g.genomes.len())
        {
            return Err(bad(format!("generation {at} has an invalid selection")));
        }
        let depth = match g.parent {
            None => 0,
            Some(p) if p.0 < i => s.generations[p.0].depth + 1,
            Some(p) => {
                return Err(bad(format!(
                    "generation {at} has parent {p}, which is not older"
                )));
            }
        };
        if g.depth != depth {
            return Err(bad(format!(
                "generation {at} has depth {} (should be {depth})",
                g.depth
            )));
        }
        if let Origin::Evolved { chosen } = &g.origin {
            let Some(p) = g.parent else {
                return Err(bad(format!("generation {at} is evolved but has no parent")));
            };
            let len = s.generations[p.0].genomes.len();
            if chosen.is_empty() || chosen.iter().any(|&k| k >= len) {
                return Err(bad(format!(
                    "generation {at} names parents that do not exist"
                )));
            }
        }
        if let Some(c) = g.last_child
            && s.generations.get(c.0).and_then(|c| c.parent) != Some(at)
        {
            return Err(bad(format!(
                "generation {at} remembers {c}, which is not its child"
            )));
        }
    }
    for g in &mut s.generations {
        g.children.clear();
    }
    for i in 0..n {
        if let Some(p) = s.generations[i].parent {
            s.generations[p.0].children.push(GenerationId(i));
        }
    }
    s.pack_history();
    Ok(())
}
