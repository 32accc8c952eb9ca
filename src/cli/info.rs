//! `picbreeder info`: what a genome or network is made of.

use picbreeder::cppn::{Genome, NodeKind, Program};
use picbreeder::dense::net::DenseNet;
use picbreeder::io::{Loaded, parse_any};
use picbreeder::layerize::layerize_within;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Describe a genome (nodes by kind and activation, links, cycles, the layerized
/// architecture) or a network (layers, widths, parameters).
#[derive(clap::Args)]
pub struct Args {
    /// Genome or network file.
    input: PathBuf,
}

pub fn run(args: Args) -> Result<(), String> {
    let bytes = picbreeder::io::read_bytes(&args.input).map_err(|e| e.to_string())?;
    let loaded = parse_any(&bytes).map_err(|p| p.at(&args.input).to_string())?;
    if bytes.starts_with(b"\x89PNG") {
        // Only once the genome is read: one that carries none is said once, as an error.
        outln!(
            "a PNG carrying its genome ('{}' chunk):",
            picbreeder::io::png::GENOME_KEY
        );
    }
    if bytes.trim_ascii_start().starts_with(b"<")
        && let Ok(read) = picbreeder::io::cppnx::read(&String::from_utf8_lossy(&bytes))
    {
        for w in &read.warnings {
            errln!("warning: {}: {w}", args.input.display());
        }
    }
    let text = match loaded {
        Loaded::Genome(g) => {
            describe_genome(&g).map_err(|e| format!("{}: {e}", args.input.display()))?
        }
        Loaded::Net(net) => describe_net(&net),
    };
    out!("{text}");
    Ok(())
}

/// The `info` text of a genome.
pub fn describe_genome(g: &Genome) -> Result<String, String> {
    let program = Program::compile(g).map_err(|e| e.to_string())?;
    let count = |f: &dyn Fn(&NodeKind) -> bool| g.nodes.iter().filter(|n| f(&n.kind)).count();
    let mut acts: BTreeMap<&str, usize> = BTreeMap::new();
    for n in g.nodes.iter().filter(|n| n.kind == NodeKind::Hidden) {
        *acts.entry(n.activation.name()).or_default() += 1;
    }
    let outputs: Vec<String> = g
        .nodes
        .iter()
        .filter_map(|n| match n.kind {
            NodeKind::Output(o) => Some(format!("{} ({})", o.name(), n.activation)),
            _ => None,
        })
        .collect();
    let acts: Vec<String> = acts.iter().map(|(a, n)| format!("{a} {n}")).collect();
    let zero = g.links.iter().filter(|l| l.weight == 0.0).count();
    // A genome too big to layerize is still described; the line says why not.
    let layerized = match layerize_within(&program, picbreeder::budget::MEMORY_BUDGET) {
        Ok(l) => format!("{} ({} parameters)", l.arch, l.net.parameter_count()),
        Err(e) => format!("not built: {e}"),
    };
    let mut s = format!(
        "genome: {} nodes ({} in, {} out, {} hidden), {} links ({} with weight 0)\n",
        g.nodes.len(),
        count(&|k| matches!(k, NodeKind::Input(_))),
        count(&|k| matches!(k, NodeKind::Output(_))),
        count(&|k| *k == NodeKind::Hidden),
        g.links.len(),
        zero
    );
    s += &format!(
        "colour: {:?}; outputs: {}\n",
        g.colour_mode(),
        outputs.join(", ")
    );
    s += &format!(
        "hidden activations: {}\n",
        if acts.is_empty() {
            "none".into()
        } else {
            acts.join(", ")
        }
    );
    s += &format!("cycles: {} link(s) close a cycle\n", program.warnings.len());
    for w in &program.warnings {
        s += &format!("  {w}\n");
    }
    s += &format!("layerized: {layerized}\n");
    if !g.notes.labels.is_empty() {
        s += &format!("labels: {}\n", g.notes.labels.len());
        for (label, links) in g.notes.link_counts() {
            let [r, gr, b] = label.colour;
            s += &format!(
                "  {:>3} {:<32} #{r:02x}{gr:02x}{b:02x}  {links} link(s)\n",
                label.id, label.text
            );
        }
    }
    Ok(s)
}

/// The `info` text of a network.
pub fn describe_net(net: &DenseNet) -> String {
    let widths: Vec<String> = net.widths().iter().map(usize::to_string).collect();
    let mut s = format!(
        "network: {} hidden layers, widths {}, {} parameters, outputs {:?}, biases {}\n",
        net.hidden.len(),
        widths.join("-"),
        net.parameter_count(),
        net.outputs,
        if net.layers.iter().any(|l| l.bias.is_some()) {
            "yes"
        } else {
            "no"
        }
    );
    if let Some(p) = picbreeder::dense::paper::PaperNet::from_net(net, true) {
        s += &format!("architecture: {}\n", p.arch);
    }
    s
}
