//! The evolved network drawn as a layered graph: every node its own thumbnail, links
//! coloured by sign (blue +, red -) or by their label's colour, and as thick as their
//! weight; the label legend above. Hover a node to see its
//! inputs and outputs; click a node or a link to pick it and edit it.

use super::super::background::{Latest, texture};
use super::labels::{self, LabelsView};
use eframe::egui;
use picbreeder::cppn::program::PlaneNode;
use picbreeder::cppn::{Activation, Genome, Marking, NodeKind, Notes, Program};
use picbreeder::grid::{Grid, Planes};
use picbreeder::image::Image;
use picbreeder::layerize::{node_label, node_layers};
use std::sync::Arc;

/// What is picked in the graph.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Pick {
    Node(Marking),
    Link(Marking),
}

/// An edit or request the graph asks its owner to carry out.
#[derive(Clone, Debug, PartialEq)]
pub enum GraphAction {
    SetWeight(Marking, f64),
    SetActivation(Marking, Activation),
    DeleteLink(Marking),
    DeleteNode(Marking),
    AddLink(Marking, Marking),
    Sweep(Marking),
    /// New labels (added, renamed, recoloured or assigned).
    SetNotes(Notes),
}

/// Largest and smallest node side in points: nodes shrink so a deep genome fits.
const NODE: f32 = 36.0;
const NODE_MIN: f32 = 20.0;
const THUMB: usize = 36;

#[derive(Default)]
pub struct GraphView {
    job: Latest<Planes>,
    key: Option<u64>,
    textures: Vec<egui::TextureHandle>,
    pub pick: Option<Pick>,
    /// "Add link" waiting for its target.
    pub connect_from: Option<Marking>,
    /// Weight shown on the picked link's slider, and whether the user is moving it.
    weight: f64,
    dragging: bool,
    /// Where the graph was drawn last frame (tests check it is in view).
    pub drawn: Option<egui::Rect>,
    /// Zoom as a power of [`ZOOM_STEP`]: 0 fits the panel.
    pub zoom_steps: i32,
    /// The legend and label controls.
    pub labels: LabelsView,
}

/// Each zoom step enlarges the graph by this much, up to [`MAX_ZOOM_STEPS`] steps (4x).
const ZOOM_STEP: f32 = 1.25;
const MAX_ZOOM_STEPS: i32 = 6;

impl GraphView {
    fn zoom(&self) -> f32 {
        ZOOM_STEP.powi(self.zoom_steps)
    }

    pub fn busy(&self) -> bool {
        self.job.busy()
    }

    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        genome: &Genome,
        program: &Arc<Program>,
        key: u64,
    ) -> Vec<GraphAction> {
        let mut actions = Vec::new();
        if self.key != Some(key) {
            self.key = Some(key);
            let p = program.clone();
            self.job.request(ui.ctx(), move || {
                picbreeder::cppn::eval::evaluate(&p, &Grid::square(THUMB))
            });
        }
        if let Some(planes) = self.job.take() {
            self.textures = (0..planes.count())
                .map(|i| {
                    texture(
                        ui.ctx(),
                        &format!("graph-node-{i}"),
                        &Image::from_neuron(planes.plane(i), THUMB, THUMB),
                    )
                })
                .collect();
        }
        if self.textures.len() != program.plane_count() {
            ui.spinner();
            return actions;
        }
        // The edit controls first, so what a click picks is edited without scrolling.
        self.editor(ui, genome, program, &mut actions);
        if let Some(notes) = self.labels.ui(ui, genome, self.pick) {
            actions.push(GraphAction::SetNotes(notes));
        }
        ui.separator();
        ui.horizontal(|ui| {
            if ui.small_button("-").on_hover_text("zoom out").clicked() {
                self.zoom_steps = (self.zoom_steps - 1).max(0);
            }
            ui.label(format!("{:.0}%", 100.0 * self.zoom()));
            if ui.small_button("+").on_hover_text("zoom in").clicked() {
                self.zoom_steps = (self.zoom_steps + 1).min(MAX_ZOOM_STEPS);
            }
            ui.weak("(or Ctrl + scroll over the graph)");
        });
        // At 100% the graph fits the visible part of the panel where it can (rows no
        // closer than a node and a bit); zoomed, it grows and the panel scrolls.
        let visible = ui.clip_rect();
        let room = egui::vec2(
            visible.right() - ui.cursor().left(),
            visible.bottom() - ui.cursor().top(),
        ) * self.zoom();
        let (positions, node) = place(program, room.x, room.y);
        let height = positions.iter().map(|p| p.y).fold(0.0, f32::max) + node;
        let (resp, painter) = ui.allocate_painter(egui::vec2(room.x, height), egui::Sense::click());
        if resp.hovered() {
            let factor = ui.input(|i| i.zoom_delta());
            if factor > 1.0 {
                self.zoom_steps = (self.zoom_steps + 1).min(MAX_ZOOM_STEPS);
            } else if factor < 1.0 {
                self.zoom_steps = (self.zoom_steps - 1).max(0);
            }
        }
        self.drawn = Some(resp.rect);
        let origin = resp.rect.min.to_vec2();
        let at = |p: usize| positions[p] + origin;
        let pointer = resp.hover_pos();
        let node_under = pointer
            .and_then(|m| (0..positions.len()).find(|&p| node_rect(at(p), node).contains(m)));
        let plane_of = |id: Marking| program.plane_of(id);
        // Links first, under the nodes.
        let mut link_under = None;
        let mut best = 6.0f32;
        for l in &genome.links {
            let (Some(s), Some(t)) = (plane_of(l.source), plane_of(l.target)) else {
                continue;
            };
            let (a, b) = (
                at(s) + egui::vec2(0.0, -node / 2.0),
                at(t) + egui::vec2(0.0, node / 2.0),
            );
            if node_under.is_none()
                && let Some(m) = pointer
            {
                let d = distance_to_segment(m, a, b);
                if d < best {
                    best = d;
                    link_under = Some(l.id);
                }
            }
            let touches_hover = node_under.is_some_and(|h| h == s || h == t);
            let picked = self.pick == Some(Pick::Link(l.id));
            let base = if let Some(label) = genome.notes.link_label(l.id) {
                labels::colour(label)
            } else if l.weight >= 0.0 {
                egui::Color32::from_rgb(40, 90, 230)
            } else {
                egui::Color32::from_rgb(220, 50, 40)
            };
            let colour = if picked {
                egui::Color32::YELLOW
            } else if node_under.is_some() && !touches_hover {
                base.gamma_multiply(0.15)
            } else {
                base
            };
            let width = 0.5 + l.weight.abs().min(3.0) as f32 + if picked { 1.5 } else { 0.0 };
            painter.line_segment([a, b], (width, colour));
        }
        for (p, tex) in self.textures.iter().enumerate() {
            let r = node_rect(at(p), node);
            painter.image(
                tex.id(),
                r,
                egui::Rect::from_min_max(egui::pos2(0.0, 0.0), egui::pos2(1.0, 1.0)),
                egui::Color32::WHITE,
            );
            let id = program.nodes[p].id;
            let stroke = if self.pick == Some(Pick::Node(id)) {
                (3.0, egui::Color32::YELLOW)
            } else if self.connect_from == Some(id) {
                (3.0, egui::Color32::GREEN)
            } else if node_under == Some(p) {
                (2.0, ui.visuals().strong_text_color())
            } else {
                (1.0, egui::Color32::GRAY)
            };
            painter.rect_stroke(r, 2.0, stroke, egui::StrokeKind::Outside);
        }
        if let Some(p) = node_under {
            let PlaneNode {
                id,
                activation: act,
                ..
            } = program.nodes[p];
            resp.clone()
                .on_hover_text_at_pointer(format!("{} ({act}), node {id}", node_label(program, p)));
        } else if let Some(l) = link_under.and_then(|id| genome.link(id)) {
            resp.clone().on_hover_text_at_pointer(format!(
                "link {}: weight {:.3}",
                labels::titled(&genome.notes, Pick::Link(l.id)),
                l.weight
            ));
        }
        if resp.clicked() {
            match (node_under, link_under, self.connect_from) {
                (Some(p), _, Some(from)) => {
                    actions.push(GraphAction::AddLink(from, program.nodes[p].id));
                    self.connect_from = None;
                }
                (Some(p), _, None) => self.pick = Some(Pick::Node(program.nodes[p].id)),
                (None, Some(l), _) => self.pick = Some(Pick::Link(l)),
                _ => self.connect_from = None,
            }
        }
        actions
    }

    /// The edit controls for what is picked.
    fn editor(
        &mut self,
        ui: &mut egui::Ui,
        genome: &Genome,
        program: &Program,
        actions: &mut Vec<GraphAction>,
    ) {
        if let Some(from) = self.connect_from {
            ui.colored_label(
                egui::Color32::GREEN,
                format!("Click the node that {from} should link to (click empty space to cancel)."),
            );
        }
        match self.pick {
            Some(Pick::Link(id)) => {
                let Some(link) = genome.link(id) else {
                    self.pick = None;
                    return;
                };
                ui.label(format!("Link {id}: {} -> {}", link.source, link.target));
                if !self.dragging {
                    self.weight = link.weight;
                }
                ui.horizontal(|ui| {
                    let slider = egui::Slider::new(&mut self.weight, -3.0..=3.0)
                        .text("weight")
                        .clamping(egui::SliderClamping::Never);
                    let r = ui.add(slider);
                    self.dragging = r.dragged() || r.has_focus();
                    if r.drag_stopped() || (r.changed() && !r.dragged()) {
                        actions.push(GraphAction::SetWeight(id, self.weight));
                    }
                });
                ui.horizontal(|ui| {
                    if ui.button("Sweep this link").clicked() {
                        actions.push(GraphAction::Sweep(id));
                    }
                    if ui.button("Delete link").clicked() {
                        actions.push(GraphAction::DeleteLink(id));
                        self.pick = None;
                    }
                });
            }
            Some(Pick::Node(id)) => {
                let (Some(node), Some(p)) = (genome.node(id), program.plane_of(id)) else {
                    self.pick = None;
                    return;
                };
                ui.label(format!(
                    "Node {id}: {} ({})",
                    node_label(program, p),
                    node.activation
                ));
                if !matches!(node.kind, NodeKind::Input(_)) {
                    let mut act = node.activation;
                    egui::ComboBox::from_label("activation")
                        .selected_text(act.name())
                        .show_ui(ui, |ui| {
                            for a in Activation::ALL {
                                ui.selectable_value(&mut act, a, a.name());
                            }
                        });
                    if act != node.activation {
                        actions.push(GraphAction::SetActivation(id, act));
                    }
                }
                ui.horizontal(|ui| {
                    if ui.button("Add link from here").clicked() {
                        self.connect_from = Some(id);
                    }
                    if node.kind == NodeKind::Hidden && ui.button("Delete node").clicked() {
                        actions.push(GraphAction::DeleteNode(id));
                        self.pick = None;
                    }
                });
                if let Some(tex) = self.textures.get(p) {
                    ui.image((tex.id(), egui::vec2(192.0, 192.0)));
                }
            }
            None => {
                ui.weak(
                    "Click a node to see it large or edit it; click a link to edit or sweep it.",
                );
            }
        }
    }
}

/// Node centres and the node side: longest-path layers as rows (outputs on top), each
/// row spread evenly across `width`. Row by row from the inputs up, nodes are ordered by
/// the mean x of their inputs (the barycenter heuristic), so fewer links cross. Nodes
/// shrink (down to [`NODE_MIN`]) and rows close up (to 1.15 node sides apart) so that
/// the graph fits in `height` and its widest row in `width` where they can.
pub(super) fn place(program: &Program, width: f32, height: f32) -> (Vec<egui::Pos2>, f32) {
    let layers = node_layers(program);
    let top = layers.iter().copied().max().unwrap_or(0) + 1;
    let row_of = |p: usize| match program.nodes[p].kind {
        NodeKind::Output(_) => top,
        _ => layers[p],
    };
    let rows = top + 1;
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); rows];
    for p in 0..program.plane_count() {
        members[row_of(p)].push(p);
    }
    let widest = members.iter().map(Vec::len).max().unwrap_or(1) as f32;
    let gaps = (rows - 1).max(1) as f32;
    let node = ((height - 8.0) / (gaps * 1.5 + 1.0))
        .min(width / (widest * 1.3))
        .clamp(NODE_MIN, NODE);
    let row_h = ((height - node - 8.0) / gaps).clamp(node * 1.15, node * 1.9);
    let (lo, hi) = (node / 2.0, (width - node / 2.0).max(node / 2.0));
    let spread = |i: usize, n: usize| lo + (hi - lo) * (i as f32 + 0.5) / n as f32;
    let mut x = vec![0.0f32; program.plane_count()];
    for (r, row) in members.iter_mut().enumerate() {
        let n = row.len();
        for (i, &p) in row.iter().enumerate() {
            let inputs = p
                .checked_sub(4)
                .map_or(&[][..], |s| &program.steps[s].inputs[..]);
            x[p] = if r == 0 || inputs.is_empty() {
                spread(i, n)
            } else {
                inputs.iter().map(|&(s, _)| x[s]).sum::<f32>() / inputs.len() as f32
            };
        }
        row.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
        for (i, &p) in row.iter().enumerate() {
            x[p] = spread(i, n);
        }
    }
    let centres = (0..program.plane_count())
        .map(|p| {
            let y = (rows - 1 - row_of(p)) as f32 * row_h + node / 2.0 + 2.0;
            egui::pos2(x[p], y)
        })
        .collect();
    (centres, node)
}

fn node_rect(centre: egui::Pos2, side: f32) -> egui::Rect {
    egui::Rect::from_center_size(centre, egui::vec2(side, side))
}

fn distance_to_segment(p: egui::Pos2, a: egui::Pos2, b: egui::Pos2) -> f32 {
    let ab = b - a;
    let t = ((p - a).dot(ab) / ab.length_sq().max(1e-6)).clamp(0.0, 1.0);
    (a + ab * t).distance(p)
}
