//! The native JSON formats: a `format` tag and a `version`, then the data.

use super::Problem;
use crate::cppn::genome::{Genome, Link, Node};
use crate::dense::net::DenseNet;
use serde::{Deserialize, Serialize};

pub const GENOME_FORMAT: &str = "picbreeder-genome";
pub const NET_FORMAT: &str = "picbreeder-net";
pub const VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
struct GenomeFile {
    format: String,
    version: u32,
    nodes: Vec<Node>,
    links: Vec<Link>,
}

#[derive(Serialize, Deserialize)]
struct NetFile {
    format: String,
    version: u32,
    #[serde(flatten)]
    net: DenseNet,
}

fn check_version(format: &str, version: u32) -> Result<(), Problem> {
    if version > VERSION {
        return Err(Problem::Unknown(format!(
            "{format} version {version} is newer than this program reads (up to {VERSION})"
        )));
    }
    Ok(())
}

pub fn genome_to_json(g: &Genome) -> String {
    let file = GenomeFile {
        format: GENOME_FORMAT.into(),
        version: VERSION,
        nodes: g.nodes.clone(),
        links: g.links.clone(),
    };
    serde_json::to_string_pretty(&file).expect("a genome always serializes")
}

/// Reads a native genome and validates it.
pub fn genome_from_json(bytes: &[u8]) -> Result<Genome, Problem> {
    let file: GenomeFile = serde_json::from_slice(bytes).map_err(Problem::Json)?;
    if file.format != GENOME_FORMAT {
        return Err(Problem::Unknown(format!(
            "format is '{}', expected '{GENOME_FORMAT}'",
            file.format
        )));
    }
    check_version(GENOME_FORMAT, file.version)?;
    let g = Genome {
        nodes: file.nodes,
        links: file.links,
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
    let file: NetFile = serde_json::from_slice(bytes).map_err(Problem::Json)?;
    check_version(NET_FORMAT, file.version)?;
    file.net.check().map_err(|e| Problem::Net(e.to_string()))?;
    Ok(file.net)
}
