//! The paper's "layerization": a genome rewritten as a dense layered network that
//! computes exactly the same image, so an SGD network of the same shape can be trained
//! and compared neuron by neuron. It follows the paper's code (`layerize_nn` in the fer
//! repository's `src/process_pb.py`) rule for rule:
//!
//! - Only what the outputs need is layerized: a node that reaches no output (a dead end
//!   that breeding left) is not in the net. The genome's own views still show it.
//! - Every node, outputs included, sits at the length of its longest path from the
//!   inputs (inputs are layer 0; a node with no incoming links is layer 1). The hidden
//!   depth is the deepest node's layer; a linear output layer reads h, s, v from the top
//!   hidden layer.
//! - A value needed more than one layer up is carried by `cache` neurons (identity,
//!   weight 1), one per layer in between; an output is carried up to the top layer.
//! - A grey genome is drawn as h, s, v with `v = ink`: h and s are two identity nodes
//!   one layer above ink, fed by it with weight 0 (so always 0), and ink is cached up
//!   beside them. That is the paper's form: it is where skull's `identity:2` and its
//!   12th hidden layer (ink itself is at layer 11) come from.
//! - Every hidden layer has the same width: for each activation (with `cache` counted
//!   apart from identity), as many slots as the most any layer needs, groups sorted by
//!   name. The paper's code counts the input layer too, its four inputs as `cache`, so
//!   the cache group is never narrower than 4 (only small genomes notice). Unused slots
//!   have zero weights in and out.
//!
//! Where the paper's code fails or reads a stale value we do what it evidently means:
//! a dead end is left out (it raises a KeyError), and an input that no needed node reads
//! is not carried up (it reuses the previous node's cache range). Two links between the
//! same nodes are summed (it keeps the last), so the net computes the genome's function.

use crate::activation::Activation;
use crate::budget::{self, OverBudget};
use crate::cppn::genome::NodeKind;
use crate::cppn::program::{OutputPlanes, Program};
use crate::dense::net::{Dense, DenseNet, NetOutputs};
use crate::dense::paper::{Group, arch_string};
use std::collections::{BTreeMap, HashMap};

/// Inputs x, y, d, bias: the planes before the first step, and the input layer's width.
const INPUTS: usize = 4;

/// The `cache` group's name in architecture strings.
const CACHE: &str = "cache";

/// Longest-path layer of every plane of a program (inputs 0). Steps are in topological
/// order, so one pass suffices.
pub fn node_layers(program: &Program) -> Vec<usize> {
    let mut layer = vec![0usize; program.plane_count()];
    for (i, step) in program.steps.iter().enumerate() {
        layer[INPUTS + i] = 1 + step
            .inputs
            .iter()
            .map(|&(s, _)| layer[s])
            .max()
            .unwrap_or(0);
    }
    layer
}

/// Which planes the outputs need (the inputs always: they are the net's inputs). Steps
/// are in topological order, so one backward pass suffices.
pub fn needed_planes(program: &Program) -> Vec<bool> {
    let mut need = vec![false; program.plane_count()];
    need[..INPUTS].fill(true);
    for o in program.outputs.planes() {
        need[o] = true;
    }
    for (i, step) in program.steps.iter().enumerate().rev() {
        if need[INPUTS + i] {
            for &(s, _) in &step.inputs {
                need[s] = true;
            }
        }
    }
    need
}

/// What a hidden neuron of the layerized net stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Slot {
    /// A program plane computed here.
    Node(usize),
    /// A program plane carried up from the layer below (identity, weight 1).
    Cache(usize),
    /// An always-zero identity neuron standing for a grey genome's hue (0) or
    /// saturation (1).
    Zero(u8),
    /// An unused slot of a group.
    Pad,
}

/// Where a weight sits in a dense net: `layers[layer].weight(i, j)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct WeightAt {
    pub layer: usize,
    pub i: usize,
    pub j: usize,
}

/// The layerized form of a program: the net, its per-layer activation groups, and the
/// paper's architecture string.
pub struct Layerized {
    pub net: DenseNet,
    pub groups: Vec<Group>,
    pub arch: String,
    /// Where the weight of the program's input `(source plane, target plane)` went
    /// (links between the same two nodes are summed into one weight).
    pub weight_of: HashMap<(usize, usize), WeightAt>,
    /// What each hidden neuron stands for, `slots[layer][j]` (layer 0 is the first
    /// hidden layer, `net.layers[0]`'s outputs).
    pub slots: Vec<Vec<Slot>>,
}

/// Where each plane sits in the layerized net: `at[p]` its layer, `top[p]` the highest
/// layer its value must reach (`None`: read by nothing the outputs need), which planes
/// are in the net at all, the hidden depth, and whether the genome is grey (drawn
/// through two zero nodes a layer above ink).
struct Placement {
    at: Vec<usize>,
    top: Vec<Option<usize>>,
    needed: Vec<bool>,
    depth: usize,
    grey: bool,
}

fn placement(program: &Program) -> Placement {
    let at = node_layers(program);
    let needed = needed_planes(program);
    let grey = matches!(program.outputs, OutputPlanes::Grey { .. });
    let deepest = (INPUTS..program.plane_count())
        .filter(|&p| needed[p])
        .map(|p| at[p])
        .max()
        .unwrap_or(0)
        .max(1);
    let depth = deepest + usize::from(grey);
    // A value must be present one layer below the highest needed node that reads it.
    let mut top: Vec<Option<usize>> = vec![None; program.plane_count()];
    for (i, step) in program.steps.iter().enumerate() {
        let reader = INPUTS + i;
        if !needed[reader] {
            continue;
        }
        for &(s, _) in &step.inputs {
            let need = at[reader] - 1;
            top[s] = Some(top[s].map_or(need, |t| t.max(need)));
        }
    }
    for o in program.outputs.planes() {
        top[o] = Some(depth);
    }
    Placement {
        at,
        top,
        needed,
        depth,
        grey,
    }
}

/// Each activation group's width (`cache` apart): the most slots any layer needs, the
/// input layer's four inputs counted as cache as the paper's code counts them. Counted
/// without listing the slots (a big genome's cache lists can be depth x nodes long).
fn group_widths(program: &Program, pl: &Placement) -> BTreeMap<&'static str, usize> {
    let mut per_layer: BTreeMap<&'static str, Vec<usize>> = BTreeMap::new();
    let mut count = |name: &'static str, layer: usize, n: usize| {
        per_layer
            .entry(name)
            .or_insert_with(|| vec![0; pl.depth + 1])[layer] += n;
    };
    for p in INPUTS..program.plane_count() {
        if pl.needed[p] {
            count(program.nodes[p].activation.name(), pl.at[p], 1);
        }
    }
    if pl.grey {
        count(Activation::Identity.name(), pl.depth, 2);
    }
    // Caches of plane p stand in layers at[p] + 1 ..= top[p]: a difference array.
    let mut starts = vec![0isize; pl.depth + 2];
    for (p, top) in pl.top.iter().enumerate() {
        if let Some(t) = *top
            && t > pl.at[p]
        {
            starts[pl.at[p] + 1] += 1;
            starts[t + 1] -= 1;
        }
    }
    let mut running = 0isize;
    let mut cache = INPUTS;
    for s in &starts[1..=pl.depth] {
        running += s;
        cache = cache.max(running as usize);
    }
    let mut widths: BTreeMap<&'static str, usize> = per_layer
        .into_iter()
        .map(|(name, layers)| (name, layers[1..].iter().copied().max().unwrap_or(0)))
        .filter(|&(_, w)| w > 0)
        .collect();
    widths.insert(CACHE, cache);
    widths
}

/// The layerized net's hidden depth and width, counted without building it (a big
/// genome's layerized form can need more memory than the machine has: ask first).
/// Linear in the genome's size and depth.
pub fn layerized_shape(program: &Program) -> (usize, usize) {
    let pl = placement(program);
    (pl.depth, group_widths(program, &pl).values().sum())
}

/// Weights of the layerized net, from [`layerized_shape`]: inputs to the first layer,
/// layer to layer, the top layer to h, s, v.
pub fn layerized_parameters(program: &Program) -> u64 {
    parameters_of(layerized_shape(program))
}

fn parameters_of((depth, width): (usize, usize)) -> u64 {
    let w = width as u64;
    (depth as u64)
        .saturating_sub(1)
        .saturating_mul(w.saturating_mul(w))
        .saturating_add(7 * w)
}

/// Bytes [`layerize`] needs at its peak (an estimate that errs high), from
/// [`layerized_shape`] without building anything: the weights, and for each hidden slot
/// its entry in the slot tables and the position maps.
pub fn layerized_bytes(program: &Program) -> u64 {
    bytes_of(layerized_shape(program), program.plane_count())
}

/// Bytes of a layerized net of `shape` from a program of `planes` planes: the weights,
/// each hidden slot's entries in the tables, each plane's placement, and a fixed part
/// (the group tables, the architecture string).
fn bytes_of(shape: (usize, usize), planes: usize) -> u64 {
    let hidden = shape.0.saturating_mul(shape.1) as u64;
    budget::times(parameters_of(shape), 4)
        .saturating_add(budget::times(hidden, 96))
        .saturating_add(budget::times(planes as u64, 256))
        .saturating_add(64 << 10)
}

/// [`layerize`], refused before anything is built when it would need more than
/// `budget` bytes (a 100k-node genome's layerized net runs to tens of GB): says what it
/// would need and that the genome's own graph is what can be used instead.
pub fn layerize_within(program: &Program, budget: u64) -> Result<Layerized, OverBudget> {
    let (depth, width) = layerized_shape(program);
    let what = format!(
        "the layerized net of a {}-node genome ({depth} layers of {width} neurons)",
        program.nodes.len()
    );
    budget::check(
        &what,
        bytes_of((depth, width), program.plane_count()),
        budget,
        "use the genome as it is (its graph), not its layerized net",
    )?;
    Ok(layerize(program))
}

pub fn layerize(program: &Program) -> Layerized {
    let pl = placement(program);
    let depth = pl.depth;
    // Slots of each hidden layer, keyed by group name.
    let mut layers: Vec<BTreeMap<&str, Vec<Slot>>> = vec![BTreeMap::new(); depth + 1];
    for p in INPUTS..program.plane_count() {
        if pl.needed[p] {
            let act = program.nodes[p].activation;
            layers[pl.at[p]]
                .entry(act.name())
                .or_default()
                .push(Slot::Node(p));
        }
    }
    for (p, top) in pl.top.iter().enumerate() {
        if let Some(top) = *top {
            for slots in layers.iter_mut().take(top + 1).skip(pl.at[p] + 1) {
                slots.entry(CACHE).or_default().push(Slot::Cache(p));
            }
        }
    }
    if pl.grey {
        let id = layers[depth]
            .entry(Activation::Identity.name())
            .or_default();
        id.push(Slot::Zero(0));
        id.push(Slot::Zero(1));
    }
    let groups: Vec<Group> = group_widths(program, &pl)
        .into_iter()
        .map(|(activation, count)| Group {
            activation: activation.to_string(),
            count,
        })
        .collect();
    let width: usize = groups.iter().map(|g| g.count).sum();
    // Lay out each layer: group by group, padded to the group's count.
    let laid: Vec<Vec<Slot>> = layers[1..]
        .iter()
        .map(|l| {
            groups
                .iter()
                .flat_map(|g| {
                    let slots = l.get(g.activation.as_str()).cloned().unwrap_or_default();
                    let pad = g.count - slots.len();
                    slots.into_iter().chain(std::iter::repeat_n(Slot::Pad, pad))
                })
                .collect()
        })
        .collect();
    let activations: Vec<Activation> = groups
        .iter()
        .flat_map(|g| {
            std::iter::repeat_n(
                g.activation.parse().unwrap_or(Activation::Identity),
                g.count,
            )
        })
        .collect();
    // Where plane p's value sits in each layer (layer 0 = the inputs).
    let mut pos: Vec<HashMap<usize, usize>> = vec![(0..INPUTS).map(|p| (p, p)).collect()];
    for slots in &laid {
        pos.push(
            slots
                .iter()
                .enumerate()
                .filter_map(|(j, s)| match s {
                    Slot::Node(p) | Slot::Cache(p) => Some((*p, j)),
                    _ => None,
                })
                .collect(),
        );
    }
    let mut dense = Vec::new();
    let mut weight_of = HashMap::new();
    for (l, slots) in laid.iter().enumerate() {
        let n_in = if l == 0 { INPUTS } else { width };
        let mut d = Dense::zeros(n_in, width);
        for (j, slot) in slots.iter().enumerate() {
            match *slot {
                Slot::Node(p) => {
                    for &(s, w) in &program.steps[p - INPUTS].inputs {
                        *d.weight_mut(pos[l][&s], j) += w;
                        weight_of.insert(
                            (s, p),
                            WeightAt {
                                layer: l,
                                i: pos[l][&s],
                                j,
                            },
                        );
                    }
                }
                Slot::Cache(p) => *d.weight_mut(pos[l][&p], j) = 1.0,
                Slot::Zero(_) | Slot::Pad => {}
            }
        }
        dense.push(d);
    }
    let mut out = Dense::zeros(width, 3);
    let top = &laid[depth - 1];
    let hsv: [Option<usize>; 3] = match program.outputs {
        OutputPlanes::Grey { ink } => [None, None, Some(ink)],
        OutputPlanes::Colour {
            hue,
            saturation,
            brightness,
        } => [hue, saturation, Some(brightness)],
    };
    for (k, plane) in hsv.iter().enumerate() {
        let j = match plane {
            Some(p) => pos[depth].get(p).copied(),
            None => top.iter().position(|s| *s == Slot::Zero(k as u8)),
        };
        if let Some(j) = j {
            *out.weight_mut(j, k) = 1.0;
        }
    }
    dense.push(out);
    let label = |s: &Slot| match *s {
        Slot::Node(p) => node_label(program, p),
        Slot::Cache(p) => format!("cache {}", node_label(program, p)),
        Slot::Zero(k) => ["hue (0)", "saturation (0)"][k as usize].to_string(),
        Slot::Pad => String::new(),
    };
    let labels = laid
        .iter()
        .map(|slots| slots.iter().map(label).collect())
        .collect();
    let arch = arch_string(depth, &groups);
    let net = DenseNet {
        hidden: vec![activations; depth],
        layers: dense,
        outputs: NetOutputs::Hsv,
        labels,
    };
    Layerized {
        net,
        groups,
        arch,
        weight_of,
        slots: laid,
    }
}

/// A short name for a plane: the input or output name, or the node's marking.
pub fn node_label(program: &Program, plane: usize) -> String {
    let node = program.nodes[plane];
    match node.kind {
        NodeKind::Input(i) => i.name().to_string(),
        NodeKind::Output(o) => o.name().to_string(),
        NodeKind::Hidden => node.id.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cppn::genome::tests::tiny;
    use crate::grid::Grid;

    #[test]
    fn the_shape_is_counted_without_building_the_net() {
        let genomes = [
            tiny(),
            crate::cppn::synthetic::synthetic(40, 1),
            crate::cppn::synthetic::synthetic(300, 2),
        ];
        for g in genomes {
            let program = Program::compile(&g).unwrap();
            let net = layerize(&program).net;
            let (depth, width) = layerized_shape(&program);
            assert_eq!(depth, net.hidden.len());
            assert_eq!(width, net.hidden[0].len());
            assert_eq!(layerized_parameters(&program), net.parameter_count() as u64);
        }
    }

    #[test]
    fn tiny_layerizes_and_renders_the_same() {
        let program = Program::compile(&tiny()).unwrap();
        assert_eq!(node_layers(&program), vec![0, 0, 0, 0, 1, 2]);
        let l = layerize(&program);
        // sin at 1 (bias cached beside it), ink at 2, zero h and s at 3 with ink cached;
        // the cache group is as wide as the four inputs, as the paper's code counts it.
        assert_eq!(l.arch, "3;cache:4,gaussian:1,identity:2,sin:1");
        let grid = Grid::square(32);
        let want = crate::cppn::eval::evaluate_outputs(&program, &grid);
        let got = l.net.evaluate_outputs(&grid);
        for (a, b) in want.plane(0).iter().zip(got.plane(2)) {
            assert!((a - b).abs() < 1e-5);
        }
        assert!(got.plane(0).iter().chain(got.plane(1)).all(|&v| v == 0.0));
        // every link's weight sits where weight_of says
        for (&(s, t), &WeightAt { layer, i, j }) in &l.weight_of {
            let w: f32 = program.steps[t - 4]
                .inputs
                .iter()
                .filter(|x| x.0 == s)
                .map(|x| x.1)
                .sum();
            assert_eq!(l.net.layers[layer].weight(i, j), w);
        }
        assert_eq!(l.weight_of.len(), 4);
    }
}
