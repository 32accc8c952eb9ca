//! Starter genomes offered by a "Start from" menu: bred with this program's own code
//! (`examples/make_starters.rs`, seeded, so they can be made again) and embedded in the
//! binary, so it works from any directory.

use crate::cppn::genome::Genome;
use crate::io::Problem;
use crate::io::json::genome_from_json;

/// One starter: a name for the menu, what it looks like, and its native JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Starter {
    pub name: &'static str,
    pub description: &'static str,
    pub json: &'static str,
}

impl Starter {
    /// The genome (the embedded files are checked by tests, so this does not fail in a
    /// released build).
    pub fn genome(&self) -> Result<Genome, Problem> {
        genome_from_json(self.json.as_bytes())
    }
}

/// Every starter, grey ones first.
pub const STARTERS: &[Starter] = &[
    Starter {
        name: "eye",
        description: "grey: an eye in nested rings",
        json: include_str!("../../assets/eye.json"),
    },
    Starter {
        name: "ripple",
        description: "grey: a target of ripples around a dot",
        json: include_str!("../../assets/ripple.json"),
    },
    Starter {
        name: "moon",
        description: "grey: a crescent over rings",
        json: include_str!("../../assets/moon.json"),
    },
    Starter {
        name: "swirl",
        description: "colour: a white swirl in bright bands",
        json: include_str!("../../assets/swirl.json"),
    },
    Starter {
        name: "bloom",
        description: "colour: rainbow rings around a magenta dot",
        json: include_str!("../../assets/bloom.json"),
    },
    Starter {
        name: "mask",
        description: "colour: a white egg with one dark dot, on red",
        json: include_str!("../../assets/mask.json"),
    },
];

/// The starters' names, in menu order.
pub fn starter_names() -> impl Iterator<Item = &'static str> {
    STARTERS.iter().map(|s| s.name)
}

/// The starter genome with this name.
pub fn starter(name: &str) -> Result<Genome, Problem> {
    STARTERS
        .iter()
        .find(|s| s.name == name)
        .ok_or_else(|| {
            let known: Vec<&str> = starter_names().collect();
            Problem::UnknownStarter {
                name: name.to_string(),
                known: known.join(", "),
            }
        })?
        .genome()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::breed::random::spread;
    use crate::breed::render_thumbnail;
    use crate::cppn::genome::ColourMode;

    #[test]
    fn every_starter_loads_and_draws_something() {
        let mut modes = Vec::new();
        for s in STARTERS {
            let g = s.genome().unwrap_or_else(|e| panic!("{}: {e}", s.name));
            assert!(g.validate().is_ok());
            let img = render_thumbnail(&g, 64).unwrap();
            let sp = spread(&img);
            assert!(sp > 0.15, "{} is nearly blank: spread {sp}", s.name);
            modes.push(g.colour_mode());
        }
        assert!(modes.contains(&ColourMode::Grey) && modes.contains(&ColourMode::Colour));
        assert!((3..=6).contains(&STARTERS.len()));
        assert!(starter("eye").is_ok());
        assert!(starter("nope").unwrap_err().to_string().contains("eye"));
    }
}
