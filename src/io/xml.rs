//! Picbreeder's genome XML, as picbreeder.org served it (plain, or zipped with one
//! member), read and written.

use super::Problem;
use crate::activation::Activation;
use crate::cppn::genome::{Genome, Input, Link, Marking, Node, NodeKind, Output};
use std::fmt::Write;
use std::io::Read;

/// The most a zipped genome may unpack to; real ones are tens of kilobytes.
const MAX_UNZIPPED: u64 = 64 << 20;

/// Reads Picbreeder XML and validates the genome.
pub fn genome_from_xml(text: &str) -> Result<Genome, Problem> {
    let doc = roxmltree::Document::parse(text).map_err(|e| Problem::Xml(e.to_string()))?;
    let genome_el = doc
        .descendants()
        .find(|n| n.has_tag_name("genome"))
        .ok_or_else(|| Problem::Xml("no <genome> element".into()))?;
    let mut g = Genome {
        nodes: Vec::new(),
        links: Vec::new(),
    };
    for el in genome_el.descendants().filter(|n| n.has_tag_name("node")) {
        g.nodes.push(read_node(el)?);
    }
    for el in genome_el.descendants().filter(|n| n.has_tag_name("link")) {
        g.links.push(read_link(el)?);
    }
    g.validate()?;
    Ok(g)
}

fn pos(el: roxmltree::Node) -> String {
    let p = el.document().text_pos_at(el.range().start);
    format!("line {}", p.row)
}

fn child<'a, 'i>(
    el: roxmltree::Node<'a, 'i>,
    tag: &str,
) -> Result<roxmltree::Node<'a, 'i>, Problem> {
    el.children().find(|c| c.has_tag_name(tag)).ok_or_else(|| {
        Problem::Xml(format!(
            "<{}> at {} has no <{tag}>",
            el.tag_name().name(),
            pos(el)
        ))
    })
}

fn marking(el: roxmltree::Node) -> Result<Marking, Problem> {
    let num = |attr: &str| -> Result<u64, Problem> {
        let v = el.attribute(attr).ok_or_else(|| {
            Problem::Xml(format!(
                "<{}> at {} has no '{attr}'",
                el.tag_name().name(),
                pos(el)
            ))
        })?;
        v.trim().parse().map_err(|_| {
            Problem::Xml(format!(
                "<{}> at {}: '{attr}' is '{v}', not a whole number",
                el.tag_name().name(),
                pos(el)
            ))
        })
    };
    Ok(Marking::new(num("branch")?, num("id")?))
}

fn read_node(el: roxmltree::Node) -> Result<Node, Problem> {
    let id = marking(child(el, "marking")?)?;
    let label = el.attribute("label").unwrap_or("");
    let kind = match el.attribute("type").unwrap_or("") {
        "in" => NodeKind::Input(Input::from_name(label).ok_or_else(|| {
            Problem::Xml(format!(
                "input node {id} at {} has unknown label '{label}'",
                pos(el)
            ))
        })?),
        "out" => NodeKind::Output(Output::from_name(label).ok_or_else(|| {
            Problem::Xml(format!(
                "output node {id} at {} has unknown label '{label}'",
                pos(el)
            ))
        })?),
        "hidden" => NodeKind::Hidden,
        other => {
            return Err(Problem::Xml(format!(
                "node {id} at {} has unknown type '{other}'",
                pos(el)
            )));
        }
    };
    let act_text = child(el, "activation")?.text().unwrap_or("");
    let activation: Activation = act_text
        .parse()
        .map_err(|e| Problem::Xml(format!("node {id} at {}: {e}", pos(el))))?;
    Ok(Node {
        id,
        kind,
        activation,
    })
}

fn read_link(el: roxmltree::Node) -> Result<Link, Problem> {
    let id = marking(child(el, "marking")?)?;
    let text = child(el, "weight")?.text().unwrap_or("").trim();
    let weight: f64 = text.parse().map_err(|_| {
        Problem::Xml(format!(
            "link {id} at {}: weight '{text}' is not a number",
            pos(el)
        ))
    })?;
    Ok(Link {
        id,
        source: marking(child(el, "source")?)?,
        target: marking(child(el, "target")?)?,
        weight,
    })
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
