//! `picbreeder convert`: between Picbreeder XML (or its zip), native JSON, and the
//! paper's network JSON.

use picbreeder::dense::paper::PaperNet;
use picbreeder::io::json::{genome_to_json, net_to_json};
use picbreeder::io::xml::genome_to_xml;
use picbreeder::io::{Loaded, load_any, write_atomic};
use std::path::{Path, PathBuf};

/// Convert a genome between Picbreeder XML/zip and native JSON, or a network between
/// the paper's JSON and native JSON. The output kind comes from OUT's extension:
/// `.xml` writes Picbreeder XML, `.cppnx.xml` (or `.cppnx`) CPPN-X's form with labels,
/// `.json` native JSON, `.paper.json` the paper's format.
#[derive(clap::Args)]
pub struct Args {
    /// Genome or network file of any supported kind.
    input: PathBuf,
    /// Output file (.json, .xml, .cppnx.xml, or .paper.json for a network).
    output: PathBuf,
}

pub fn run(args: Args) -> Result<(), String> {
    let ext = extension(&args.output);
    let loaded = load_any(&args.input).map_err(|e| e.to_string())?;
    let writes = match loaded {
        Loaded::Genome(_) => super::guard::OutputKind::Genome,
        _ => super::guard::OutputKind::Net,
    };
    super::guard::output(&args.output, &[&args.input], writes)?;
    let text = match (loaded, ext.as_str()) {
        (Loaded::Genome(g), "json") => genome_to_json(&g),
        (Loaded::Genome(g), "cppnx") => picbreeder::io::cppnx::write(&g),
        (Loaded::Genome(g), "xml") => {
            if !g.notes.is_empty() {
                errln!(
                    "warning: plain Picbreeder XML drops the genome's labels and notes; name the output .cppnx.xml to keep them"
                );
            }
            genome_to_xml(&g)
        }
        (Loaded::Net(net), "paper.json") => {
            let p = PaperNet::from_net(&net, true)
                .ok_or("this network's hidden layers differ in activations, which the paper's format cannot hold")?;
            serde_json::to_string(&p).map_err(|e| e.to_string())?
        }
        (Loaded::Net(net), "json") => net_to_json(&net),
        (Loaded::Genome(_), _) => {
            return Err(format!(
                "{}: a genome converts to .json, .xml, or .cppnx.xml (CPPN-X's form, with labels)",
                args.output.display()
            ));
        }
        (Loaded::Net(_), _) => {
            return Err(format!(
                "{}: a network converts to .json or .paper.json",
                args.output.display()
            ));
        }
    };
    write_atomic(&args.output, text.as_bytes()).map_err(|e| e.to_string())?;
    outln!("wrote {}", args.output.display());
    Ok(())
}

/// `json`, `xml`, or `paper.json`, lowercased.
fn extension(p: &Path) -> String {
    let name = p
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if name.ends_with(".paper.json") {
        "paper.json".into()
    } else if name.ends_with(".cppnx.xml") || name.ends_with(".cppnx") {
        "cppnx".into()
    } else {
        p.extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default()
    }
}
