//! Picbreeder's genome XML, as picbreeder.org served it (plain, or zipped with one
//! member), read and written. Reading is shared with the CPPN-X form ([`super::cppnx`]).

use super::Problem;
use crate::cppn::genome::{Genome, NodeKind};
use std::fmt::Write;
use std::io::Read;

/// The most a zipped genome may unpack to; real ones are tens of kilobytes.
const MAX_UNZIPPED: u64 = 64 << 20;

/// Reads Picbreeder XML of any form (picbreeder.org's, or CPPN-X's with labels) and
/// validates the genome; warnings about ignored content are dropped (see
/// [`super::cppnx::read`] to get them).
pub fn genome_from_xml(text: &str) -> Result<Genome, Problem> {
    super::cppnx::read(text).map(|r| r.genome)
}

/// Writes a genome as Picbreeder XML (the layout picbreeder.org used).
pub fn genome_to_xml(g: &Genome) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n<data version=\"1.0\">\n    <genome>\n",
    );
    let _ = writeln!(s, "        <nodes count=\"{}\">", g.nodes.len());
    for n in &g.nodes {
        let head = match n.kind {
            NodeKind::Input(i) => format!("label=\"{}\" type=\"in\"", i.name()),
            NodeKind::Output(o) => format!("label=\"{}\" type=\"out\"", o.name()),
            NodeKind::Hidden => "type=\"hidden\"".to_string(),
        };
        let _ = write!(
            s,
            "            <node {head}>\n                <marking branch=\"{}\" id=\"{}\"/>\n                <activation>{}(x)</activation>\n            </node>\n",
            n.id.branch, n.id.id, n.activation
        );
    }
    let _ = writeln!(
        s,
        "        </nodes>\n        <links count=\"{}\">",
        g.links.len()
    );
    for l in &g.links {
        let _ = write!(
            s,
            "            <link>\n                <marking branch=\"{}\" id=\"{}\"/>\n                <source branch=\"{}\" id=\"{}\"/>\n                <target branch=\"{}\" id=\"{}\"/>\n                <weight>{:?}</weight>\n            </link>\n",
            l.id.branch,
            l.id.id,
            l.source.branch,
            l.source.id,
            l.target.branch,
            l.target.id,
            l.weight
        );
    }
    s.push_str("        </links>\n    </genome>\n</data>\n");
    s
}

/// The first member of a zip archive, as picbreeder.org served genomes.
pub fn unzip_first(bytes: &[u8]) -> Result<Vec<u8>, Problem> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| Problem::Zip(e.to_string()))?;
    if archive.is_empty() {
        return Err(Problem::Zip("the archive is empty".into()));
    }
    let file = archive
        .by_index(0)
        .map_err(|e| Problem::Zip(e.to_string()))?;
    let mut out = Vec::new();
    file.take(MAX_UNZIPPED + 1)
        .read_to_end(&mut out)
        .map_err(|e| Problem::Zip(e.to_string()))?;
    if out.len() as u64 > MAX_UNZIPPED {
        return Err(Problem::Zip(format!(
            "its member unpacks to more than {} MiB",
            MAX_UNZIPPED >> 20
        )));
    }
    Ok(out)
}
