//! The native JSON formats: a `format` tag and a `version`, then the data.

use super::Problem;
use super::kind::{Kind, wrong_kind};
use crate::cppn::genome::{Genome, Link, Node};
use crate::cppn::notes::Notes;
use crate::dense::net::DenseNet;
use serde::{Deserialize, Serialize};

pub const GENOME_FORMAT: &str = "picbreeder-genome";
pub const NET_FORMAT: &str = "picbreeder-net";
/// The network format's version.
pub const VERSION: u32 = 1;
/// The genome format's version: 2 added `notes` (labels and CPPN-X extras); files of
/// version 1 are version 2 files without notes and open unchanged.
pub const GENOME_VERSION: u32 = 2;

#[derive(Serialize, Deserialize)]
struct GenomeFile {
    format: String,
    version: u32,
    nodes: Vec<Node>,
    links: Vec<Link>,
    #[serde(default, skip_serializing_if = "Notes::is_empty")]
    notes: Notes,
}

#[derive(Serialize, Deserialize)]
struct NetFile {
    format: String,
    version: u32,
    #[serde(flatten)]
    net: DenseNet,
}

fn check_version(format: &str, version: u32, newest: u32) -> Result<(), Problem> {
    if version > newest {
        return Err(Problem::NewerVersion {
            format: format.to_string(),
            version: version.into(),
            newest: newest.into(),
        });
    }
    Ok(())
}

pub fn genome_to_json(g: &Genome) -> String {
    let file = GenomeFile {
        format: GENOME_FORMAT.into(),
        version: GENOME_VERSION,
        nodes: g.nodes.clone(),
        links: g.links.clone(),
        notes: g.notes.clone(),
    };
    serde_json::to_string_pretty(&file).expect("a genome always serializes")
}

/// Reads a native genome and validates it.
pub fn genome_from_json(bytes: &[u8]) -> Result<Genome, Problem> {
    let wrong = || wrong_kind(bytes, &[Kind::Genome], "a genome");
    let file: GenomeFile =
        serde_json::from_slice(bytes).map_err(|e| wrong().unwrap_or(Problem::Json(e)))?;
    if file.format != GENOME_FORMAT {
        return Err(wrong().unwrap_or_else(|| {
            Problem::WrongFormat(format!(
                "format is '{}', expected '{GENOME_FORMAT}'",
                file.format
            ))
        }));
    }
    check_version(GENOME_FORMAT, file.version, GENOME_VERSION)?;
    let g = Genome {
        nodes: file.nodes,
        links: file.links,
        notes: file.notes,
    };
    g.validate()?;
    Ok(g)
}

pub fn net_to_json(net: &DenseNet) -> String {
    let file = NetFile {
        format: NET_FORMAT.into(),
        version: VERSION,
        net: net.clone(),
    };
    serde_json::to_string(&file).expect("a net always serializes")
}

/// Reads a native network and checks its shapes.
pub fn net_from_json(bytes: &[u8]) -> Result<DenseNet, Problem> {
    let file: NetFile = serde_json::from_slice(bytes)
        .map_err(|e| wrong_kind(bytes, &[Kind::Net], "a network").unwrap_or(Problem::Json(e)))?;
    if file.format != NET_FORMAT {
        return Err(
            wrong_kind(bytes, &[Kind::Net], "a network").unwrap_or_else(|| {
                Problem::WrongFormat(format!(
                    "format is '{}', expected '{NET_FORMAT}'",
                    file.format
                ))
            }),
        );
    }
    check_version(NET_FORMAT, file.version, VERSION)?;
    file.net.check().map_err(Problem::Net)?;
    Ok(file.net)
}
