//! The CPPN-X / MM-NEAT form of Picbreeder XML (Huizinga, Stanley, Clune 2017), in which
//! the most widely shared Picbreeder genomes circulate: a `<cppn-data version>` element
//! before the `<data>` root (two top-level elements, which strict XML rejects), a
//! `phenotype` on `<genome>`, a `<buttons>` list of labels, and per-gene extras (label,
//! position, note, original weight, slider bookends). The plain picbreeder.org form is
//! the same without the extras, so this reader reads both.
//!
//! The writer follows CPPN-X's own `CppnWriter` (version 1.2) line for line: CPPN-X's
//! parser matches each line against a template, so element order, attribute order, one
//! element per line and single-line `<text>` all matter.

use super::Problem;
use crate::activation::Activation;
use crate::cppn::genome::{ColourMode, Genome, Input, Link, Marking, Node, NodeKind, Output};
use crate::cppn::notes::{Bookends, Label, Notes};
use std::fmt::Write;

/// The CPPN-X data version the writer produces.
pub const CPPNX_VERSION: &str = "1.2";

/// A genome read from XML, with what was odd but harmless about the file.
#[derive(Clone, Debug, PartialEq)]
pub struct Read {
    pub genome: Genome,
    /// One line each: unknown elements or values that were ignored.
    pub warnings: Vec<String>,
}

/// Reads Picbreeder XML of either form and validates the genome.
pub fn read(text: &str) -> Result<Read, Problem> {
    let wrapped = wrap(text);
    let doc = roxmltree::Document::parse(&wrapped).map_err(|e| Problem::Xml(e.to_string()))?;
    let mut warnings = Vec::new();
    let root = doc.root_element();
    for top in root.children().filter(|n| n.is_element()) {
        match top.tag_name().name() {
            "cppn-data" | "data" => {}
            other => warnings.push(format!(
                "unknown top-level <{other}> at {} ignored",
                pos(top)
            )),
        }
    }
    let genome_el = root
        .descendants()
        .find(|n| n.has_tag_name("genome"))
        .ok_or_else(|| Problem::Xml("no <genome> element".into()))?;
    let mut g = Genome {
        nodes: Vec::new(),
        links: Vec::new(),
        notes: Notes::default(),
    };
    for el in genome_el.children().filter(|n| n.is_element()) {
        match el.tag_name().name() {
            "buttons" => {
                for b in elements(el, "colorButton", &mut warnings) {
                    g.notes.labels.push(read_button(b, &mut warnings)?);
                }
            }
            "nodes" => {
                for n in elements(el, "node", &mut warnings) {
                    g.nodes.push(read_node(n, &mut g.notes, &mut warnings)?);
                }
            }
            "links" => {
                for l in elements(el, "link", &mut warnings) {
                    g.links.push(read_link(l, &mut g.notes, &mut warnings)?);
                }
            }
            "identifier" | "parents" | "nodeviews" => {}
            other => warnings.push(format!("unknown <{other}> at {} ignored", pos(el))),
        }
    }
    g.validate()?;
    if let Some(p) = genome_el.attribute("phenotype") {
        let expected = match g.colour_mode() {
            ColourMode::Grey => "grey",
            ColourMode::Colour => "color",
        };
        if p != expected {
            warnings.push(format!(
                "<genome> says phenotype '{p}' but its outputs are {expected}; drawn as {expected}"
            ));
        }
    }
    for (m, id) in g.notes.link_labels.iter().chain(&g.notes.node_labels) {
        if g.notes.label(*id).is_none() {
            warnings.push(format!(
                "gene {m} has label {id}, which no <colorButton> defines"
            ));
        }
    }
    Ok(Read {
        genome: g,
        warnings,
    })
}

/// Puts the document under one synthetic root, after the XML declaration and on the
/// same line, so a `<cppn-data/>` before `<data>` parses and line numbers stay true.
fn wrap(text: &str) -> String {
    let start = text.len()
        - text
            .trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n'])
            .len();
    let after_decl = if text[start..].starts_with("<?xml") {
        text[start..]
            .find("?>")
            .map(|i| start + i + 2)
            .unwrap_or(start)
    } else {
        start
    };
    format!(
        "{}<picbreeder-file>{}</picbreeder-file>",
        &text[..after_decl],
        &text[after_decl..]
    )
}

/// The `tag` children of a list element; other element children are warned about.
fn elements<'a, 'i>(
    list: roxmltree::Node<'a, 'i>,
    tag: &str,
    warnings: &mut Vec<String>,
) -> Vec<roxmltree::Node<'a, 'i>> {
    let mut out = Vec::new();
    for c in list.children().filter(|n| n.is_element()) {
        if c.has_tag_name(tag) {
            out.push(c);
        } else {
            warnings.push(format!(
                "unknown <{}> in <{}> at {} ignored",
                c.tag_name().name(),
                list.tag_name().name(),
                pos(c)
            ));
        }
    }
    out
}

fn pos(el: roxmltree::Node) -> String {
    let p = el.document().text_pos_at(el.range().start);
    format!("line {}", p.row)
}

fn bad(el: roxmltree::Node, what: String) -> Problem {
    Problem::Xml(format!("<{}> at {}: {what}", el.tag_name().name(), pos(el)))
}

fn child<'a, 'i>(
    el: roxmltree::Node<'a, 'i>,
    tag: &str,
) -> Result<roxmltree::Node<'a, 'i>, Problem> {
    el.children()
        .find(|c| c.has_tag_name(tag))
        .ok_or_else(|| bad(el, format!("has no <{tag}>")))
}

fn attr<'a>(el: roxmltree::Node<'a, '_>, name: &str) -> Result<&'a str, Problem> {
    el.attribute(name)
        .ok_or_else(|| bad(el, format!("has no '{name}'")))
}

fn number<T: std::str::FromStr>(el: roxmltree::Node, name: &str, what: &str) -> Result<T, Problem> {
    let v = attr(el, name)?;
    v.trim()
        .parse()
        .map_err(|_| bad(el, format!("'{name}' is '{v}', not {what}")))
}

fn marking(el: roxmltree::Node) -> Result<Marking, Problem> {
    Ok(Marking::new(
        number(el, "branch", "a whole number")?,
        number(el, "id", "a whole number")?,
    ))
}

fn float_text(el: roxmltree::Node) -> Result<f64, Problem> {
    let text = el.text().unwrap_or("").trim();
    text.parse()
        .map_err(|_| bad(el, format!("'{text}' is not a number")))
}

/// A note as CPPN-X writes it: empty notes may read `""`.
fn note(el: roxmltree::Node) -> Option<String> {
    let t = el.text().unwrap_or("").trim();
    let t = if t == "\"\"" { "" } else { t };
    (!t.is_empty()).then(|| t.to_string())
}

/// A `<color-label id>`: 0 or empty means none.
fn label_id(el: roxmltree::Node) -> Result<Option<u32>, Problem> {
    let v = attr(el, "id")?.trim();
    if v.is_empty() || v == "0" {
        return Ok(None);
    }
    v.parse()
        .map(Some)
        .map_err(|_| bad(el, format!("'id' is '{v}', not a whole number")))
}

fn read_button(el: roxmltree::Node, warnings: &mut Vec<String>) -> Result<Label, Problem> {
    let mut label = Label {
        id: 0,
        text: String::new(),
        colour: [255, 255, 255],
    };
    for c in el.children().filter(|n| n.is_element()) {
        match c.tag_name().name() {
            "color-label" => {
                label.id =
                    label_id(c)?.ok_or_else(|| bad(c, "a label needs an id above 0".into()))?
            }
            "text" => label.text = note(c).unwrap_or_default(),
            "color" => {
                for (i, ch) in ["r", "g", "b"].into_iter().enumerate() {
                    label.colour[i] = number(c, ch, "a whole number from 0 to 255")?;
                }
            }
            other => warnings.push(format!("unknown <{other}> at {} ignored", pos(c))),
        }
    }
    if label.id == 0 {
        return Err(bad(el, "has no <color-label id>".into()));
    }
    Ok(label)
}

fn read_node(
    el: roxmltree::Node,
    notes: &mut Notes,
    warnings: &mut Vec<String>,
) -> Result<Node, Problem> {
    let id = marking(child(el, "marking")?)?;
    let label = el.attribute("label").unwrap_or("");
    let kind = match el.attribute("type").unwrap_or("hidden") {
        "in" => NodeKind::Input(
            Input::from_name(label)
                .ok_or_else(|| bad(el, format!("input node {id} has unknown label '{label}'")))?,
        ),
        "out" => NodeKind::Output(
            Output::from_name(label)
                .ok_or_else(|| bad(el, format!("output node {id} has unknown label '{label}'")))?,
        ),
        "hidden" => NodeKind::Hidden,
        other => return Err(bad(el, format!("node {id} has unknown type '{other}'"))),
    };
    if let Some(b) = el.attribute("bias")
        && b.trim().parse::<f64>().is_ok_and(|b| b != 0.0)
    {
        warnings.push(format!(
            "node {id} at {} has bias {b}, which Picbreeder genomes do not use; ignored",
            pos(el)
        ));
    }
    let mut activation = None;
    for c in el.children().filter(|n| n.is_element()) {
        match c.tag_name().name() {
            "marking" => {}
            "activation" => {
                let text = c.text().unwrap_or("");
                activation = Some(
                    text.parse::<Activation>()
                        .map_err(|e| bad(c, format!("node {id}: {e}")))?,
                );
            }
            "color-label" => {
                if let Some(l) = label_id(c)? {
                    notes.node_labels.insert(id, l);
                }
            }
            "position" => {
                let p = [number(c, "x", "a number")?, number(c, "y", "a number")?];
                notes.positions.insert(id, p);
            }
            "text" => {
                if let Some(t) = note(c) {
                    notes.texts.insert(id, t);
                }
            }
            "color" => {} // CPPN-X 1.0's label colour, superseded by <color-label>
            other => warnings.push(format!("unknown <{other}> at {} ignored", pos(c))),
        }
    }
    let activation = activation.ok_or_else(|| bad(el, "has no <activation>".into()))?;
    Ok(Node {
        id,
        kind,
        activation,
    })
}

fn read_link(
    el: roxmltree::Node,
    notes: &mut Notes,
    warnings: &mut Vec<String>,
) -> Result<Link, Problem> {
    let id = marking(child(el, "marking")?)?;
    let link = Link {
        id,
        source: marking(child(el, "source")?)?,
        target: marking(child(el, "target")?)?,
        weight: float_text(child(el, "weight")?)?,
    };
    for c in el.children().filter(|n| n.is_element()) {
        match c.tag_name().name() {
            "marking" | "source" | "target" | "weight" | "color" => {}
            "original-weight" => {
                notes.original_weights.insert(id, float_text(c)?);
            }
            "color-label" => {
                if let Some(l) = label_id(c)? {
                    notes.link_labels.insert(id, l);
                }
            }
            "text" => {
                if let Some(t) = note(c) {
                    notes.texts.insert(id, t);
                }
            }
            "bookends" => {
                let b = Bookends {
                    start: number(c, "start", "a number")?,
                    end: number(c, "end", "a number")?,
                    step: number(c, "step", "a number")?,
                };
                notes.bookends.insert(id, b);
            }
            other => warnings.push(format!("unknown <{other}> at {} ignored", pos(c))),
        }
    }
    Ok(link)
}

/// Escapes text for one line of CPPN-X: its parser reads `<text>` up to the next `<`
/// and one line at a time, so markup characters and line breaks must not appear raw.
fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace(['\n', '\r'], " ")
}

/// Writes a genome in CPPN-X's form (data version 1.2), as its `CppnWriter` does.
pub fn write(g: &Genome) -> String {
    let notes = &g.notes;
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n");
    let _ = writeln!(s, "<cppn-data version=\"{CPPNX_VERSION}\"/>");
    s.push_str("<data version=\"1.0\">\n");
    let phenotype = match g.colour_mode() {
        ColourMode::Grey => "grey",
        ColourMode::Colour => "color",
    };
    let _ = writeln!(s, "    <genome age=\"0\" phenotype=\"{phenotype}\">");
    s.push_str("        <identifier branch=\"0\" id=\"0\"/>\n");
    s.push_str("        <parents count=\"0\">\n        </parents>\n");
    let _ = writeln!(s, "        <buttons count=\"{}\">", notes.labels.len());
    for l in &notes.labels {
        let [r, gr, b] = l.colour;
        let _ = write!(
            s,
            "            <colorButton>\n                <color-label id=\"{}\"/>\n                <text>{}</text>\n                <color r=\"{r}\" g=\"{gr}\" b=\"{b}\"/>\n            </colorButton>\n",
            l.id,
            escape(&l.text)
        );
    }
    s.push_str("        </buttons>\n");
    let _ = writeln!(s, "        <nodes count=\"{}\">", g.nodes.len());
    for (i, n) in g.nodes.iter().enumerate() {
        let (label, kind) = match n.kind {
            NodeKind::Input(k) => (k.name(), "in"),
            NodeKind::Output(o) => (o.name(), "out"),
            NodeKind::Hidden => ("", "hidden"),
        };
        // Without a kept position, a plain row keeps nodes apart in CPPN-X's view.
        let [x, y] = notes
            .positions
            .get(&n.id)
            .copied()
            .unwrap_or([100.0 * i as f64, 0.0]);
        let _ = write!(
            s,
            "            <node affinity=\"grey\" bias=\"0.0\" label=\"{label}\" type=\"{kind}\">\n                <marking branch=\"{}\" id=\"{}\"/>\n                <activation>{}(x)</activation>\n                <color-label id=\"{}\"/>\n                <position x=\"{x}\" y=\"{y}\"/>\n                <text>{}</text>\n            </node>\n",
            n.id.branch,
            n.id.id,
            n.activation,
            notes.node_labels.get(&n.id).copied().unwrap_or(0),
            escape(notes.texts.get(&n.id).map_or("", |t| t.as_str()))
        );
    }
    s.push_str("        </nodes>\n");
    let _ = writeln!(s, "        <links count=\"{}\">", g.links.len());
    for l in &g.links {
        let original = notes
            .original_weights
            .get(&l.id)
            .copied()
            .unwrap_or(l.weight);
        let b = notes.bookends.get(&l.id).copied().unwrap_or(Bookends {
            start: -3.0,
            end: 3.0,
            step: 0.1,
        });
        let _ = write!(
            s,
            "            <link>\n                <marking branch=\"{}\" id=\"{}\"/>\n                <source branch=\"{}\" id=\"{}\"/>\n                <target branch=\"{}\" id=\"{}\"/>\n                <weight>{:?}</weight>\n                <original-weight>{original:?}</original-weight>\n                <color-label id=\"{}\"/>\n                <text>{}</text>\n                <bookends start=\"{}\" end=\"{}\" step=\"{}\"/>\n            </link>\n",
            l.id.branch,
            l.id.id,
            l.source.branch,
            l.source.id,
            l.target.branch,
            l.target.id,
            l.weight,
            notes.link_labels.get(&l.id).copied().unwrap_or(0),
            escape(notes.texts.get(&l.id).map_or("", |t| t.as_str())),
            b.start,
            b.end,
            b.step
        );
    }
    s.push_str("        </links>\n");
    s.push_str("        <nodeviews count=\"1\">\n            <nodeview>\n                <identifier branch=\"\" id=\"final\"/>\n            </nodeview>\n        </nodeviews>\n");
    s.push_str("    </genome>\n</data>\n");
    s
}
