//! Opens any supported file, telling the kind from its content, not its name.

use super::json::{GENOME_FORMAT, NET_FORMAT, genome_from_json, net_from_json};
use super::kind::{Kind, wrong_kind};
use super::xml::{genome_from_xml, unzip_first};
use super::{FileError, Problem, read_bytes};
use crate::cppn::genome::{Genome, GenomeError};
use crate::dense::net::DenseNet;
use crate::dense::paper::PaperNet;
use crate::network::Network;
use std::path::Path;

/// What a file held.
#[derive(Clone, Debug, PartialEq)]
pub enum Loaded {
    Genome(Genome),
    Net(DenseNet),
}

impl Loaded {
    /// The network it holds, ready to render (a genome is compiled).
    pub fn into_network(self) -> Result<Network, GenomeError> {
        match self {
            Loaded::Genome(g) => Network::from_genome(g),
            Loaded::Net(n) => Ok(Network::Net(n)),
        }
    }
}

/// Reads a genome or network file of any supported kind.
pub fn load_any(path: &Path) -> Result<Loaded, FileError> {
    parse_any(&read_bytes(path)?).map_err(|p| p.at(path))
}

/// Native genome JSON, native net JSON, the paper's net JSON, Picbreeder XML (either
/// form), a zip holding Picbreeder XML, or a PNG or GIF carrying a genome.
pub fn parse_any(bytes: &[u8]) -> Result<Loaded, Problem> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return match super::png::carried_genome(bytes)? {
            Some(g) => Ok(Loaded::Genome(g)),
            None => Err(Problem::WrongFormat(format!(
                "this PNG carries no genome (no '{}' text chunk): only pictures this program wrote from a genome do",
                super::png::GENOME_KEY
            ))),
        };
    }
    if bytes.starts_with(b"GIF8") {
        return match super::gif::carried_genome(bytes)? {
            Some(g) => Ok(Loaded::Genome(g)),
            None => Err(Problem::WrongFormat(
                "this GIF carries no genome: only animations this program wrote from a genome do"
                    .into(),
            )),
        };
    }
    if bytes.starts_with(b"PK") {
        let inner = unzip_first(bytes)?;
        return parse_xml(&inner).map(Loaded::Genome);
    }
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace() && *b != 0xEF && *b != 0xBB && *b != 0xBF);
    match start.map(|i| bytes[i]) {
        Some(b'<') => parse_xml(bytes).map(Loaded::Genome),
        Some(b'{') => parse_json(bytes),
        _ => Err(wrong_kind(bytes, &[], "a genome or network").unwrap_or_else(|| {
            Problem::WrongFormat(
                "not a genome or network file (expected Picbreeder XML, a zip of it, or picbreeder JSON)".into(),
            )
        })),
    }
}

fn parse_xml(bytes: &[u8]) -> Result<Genome, Problem> {
    let text =
        std::str::from_utf8(bytes).map_err(|e| Problem::Xml(format!("not UTF-8 text: {e}")))?;
    genome_from_xml(text)
}

fn parse_json(bytes: &[u8]) -> Result<Loaded, Problem> {
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(Problem::Json)?;
    match value.get("format").and_then(|f| f.as_str()) {
        Some(GENOME_FORMAT) => genome_from_json(bytes).map(Loaded::Genome),
        Some(NET_FORMAT) => net_from_json(bytes).map(Loaded::Net),
        Some(other) => Err(
            wrong_kind(bytes, &[], "a genome or network").unwrap_or_else(|| {
                Problem::WrongFormat(format!(
                    "unknown format '{other}' (expected Picbreeder XML, a zip of it, or picbreeder JSON)"
                ))
            }),
        ),
        None if value.get("weights_row_major_in_by_out").is_some()
            || value.get("layers").is_some() =>
        {
            let paper: PaperNet = serde_json::from_value(value).map_err(Problem::Json)?;
            paper
                .into_net()
                .map(Loaded::Net)
                .map_err(|e| Problem::Net(e.to_string()))
        }
        None => Err(Problem::WrongFormat(
            "JSON without a 'format' field, and not a paper network".into(),
        )),
    }
}

/// Reads a file that must hold a genome.
pub fn load_genome(path: &Path) -> Result<Genome, FileError> {
    match load_any(path)? {
        Loaded::Genome(g) => Ok(g),
        Loaded::Net(_) => Err(Problem::WrongKind {
            found: Kind::Net,
            wanted: "a genome",
        }
        .at(path)),
    }
}
