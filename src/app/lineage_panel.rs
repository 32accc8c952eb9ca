//! The lineage: every generation ever made, as a tree read left to right, with a
//! thumbnail each. Clicking a node goes back to that generation, to branch from there;
//! nothing is lost, the other branches stay in the tree.

use super::Action;
use super::thumbs::{Thumb, ThumbCache};
use eframe::egui;
use picbreeder::cppn::Genome;
use std::collections::HashMap;

/// One generation in the tree.
pub struct LineageNode<'a> {
    pub id: usize,
    pub parent: Option<usize>,
    /// Shown on hover.
    pub label: String,
    /// The picture standing for the generation (e.g. its first chosen parent).
    pub genome: Option<&'a Genome>,
}

/// Lineage UI state.
pub struct LineagePanel {
    /// Thumbnail side in points.
    pub thumb: f32,
    /// The node last scrolled to, so the view follows the current generation only when
    /// it changes.
    scrolled_to: Option<usize>,
}

impl Default for LineagePanel {
    fn default() -> Self {
        LineagePanel {
            thumb: 44.0,
            scrolled_to: None,
        }
    }
}

/// Column (depth) and row (lane) of every node: a node's first child continues its
/// lane, later children open new lanes below, like a version-control graph.
pub fn layout(nodes: &[LineageNode<'_>]) -> HashMap<usize, (usize, usize)> {
    let known: std::collections::HashSet<usize> = nodes.iter().map(|n| n.id).collect();
    let mut children: HashMap<usize, Vec<usize>> = HashMap::new();
    let mut roots = Vec::new();
    for n in nodes {
        match n.parent.filter(|p| known.contains(p)) {
            Some(p) => children.entry(p).or_default().push(n.id),
            None => roots.push(n.id),
        }
    }
    for kids in children.values_mut() {
        kids.sort_unstable();
    }
    roots.sort_unstable();
    let mut place = HashMap::new();
    let mut next_lane = 0;
    // Depth-first, so a first child's whole subtree is placed before its siblings claim
    // new lanes. (node, depth, lane to continue or None to claim a new one)
    let mut stack: Vec<(usize, usize, Option<usize>)> =
        roots.iter().rev().map(|&r| (r, 0, None)).collect();
    while let Some((id, depth, lane)) = stack.pop() {
        if place.contains_key(&id) {
            continue;
        }
        let lane = lane.unwrap_or_else(|| {
            next_lane += 1;
            next_lane - 1
        });
        place.insert(id, (depth, lane));
        if let Some(kids) = children.get(&id) {
            for (k, &kid) in kids.iter().enumerate().rev() {
                stack.push((kid, depth + 1, (k == 0).then_some(lane)));
            }
        }
    }
    place
}

impl LineagePanel {
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        nodes: &[LineageNode<'_>],
        current: usize,
        thumbs: &mut ThumbCache,
        actions: &mut Vec<Action>,
    ) {
        let place = layout(nodes);
        let step = self.thumb + 14.0;
        let cols = place.values().map(|v| v.0 + 1).max().unwrap_or(0);
        let rows = place.values().map(|v| v.1 + 1).max().unwrap_or(0);
        let pixels = (self.thumb * ui.ctx().pixels_per_point()).round().max(8.0) as usize;
        let parent_of: HashMap<usize, Option<usize>> =
            nodes.iter().map(|n| (n.id, n.parent)).collect();
        let follow = self.scrolled_to != Some(current);
        self.scrolled_to = Some(current);
        egui::ScrollArea::both()
            .id_salt("lineage-scroll")
            .auto_shrink([false, false])
            .show_viewport(ui, |ui, viewport| {
                let total = egui::vec2(cols as f32 * step + 8.0, rows as f32 * step + 8.0);
                let (area, _) = ui.allocate_exact_size(total, egui::Sense::hover());
                let origin = area.min + egui::vec2(4.0, 4.0);
                let cell = |id: usize| {
                    place.get(&id).map(|&(d, l)| {
                        egui::Rect::from_min_size(
                            origin + egui::vec2(d as f32 * step, l as f32 * step),
                            egui::vec2(self.thumb, self.thumb),
                        )
                    })
                };
                let visible = viewport.translate(area.min.to_vec2()).expand(step);
                let line = egui::Stroke::new(1.5, ui.visuals().weak_text_color());
                for n in nodes {
                    if let (Some(r), Some(Some(p))) = (cell(n.id), parent_of.get(&n.id))
                        && let Some(pr) = cell(*p)
                    {
                        let a = pr.right_center();
                        let b = r.left_center();
                        let mid = egui::pos2(a.x + 6.0, a.y);
                        let painter = ui.painter();
                        painter.line_segment([a, mid], line);
                        painter.line_segment([mid, egui::pos2(mid.x, b.y)], line);
                        painter.line_segment([egui::pos2(mid.x, b.y), b], line);
                    }
                }
                for n in nodes {
                    let Some(r) = cell(n.id) else { continue };
                    if n.id == current && follow {
                        ui.scroll_to_rect(r, None);
                    }
                    if !visible.intersects(r) {
                        continue;
                    }
                    let resp = ui.interact(
                        r,
                        ui.scope_id().with(("lineage", n.id)),
                        egui::Sense::click(),
                    );
                    let name = format!("generation node {}", n.id);
                    resp.widget_info(|| {
                        egui::WidgetInfo::selected(egui::Role::Button, true, n.id == current, &name)
                    });
                    let painter = ui.painter();
                    match n.genome.map(|g| thumbs.get(g, pixels)) {
                        Some(Thumb::Ready(tex)) => {
                            let uv = egui::Rect::from_min_max(
                                egui::pos2(0.0, 0.0),
                                egui::pos2(1.0, 1.0),
                            );
                            painter.image(tex.id(), r, uv, egui::Color32::WHITE);
                        }
                        _ => {
                            painter.rect_filled(r, 2.0, ui.visuals().faint_bg_color);
                        }
                    }
                    let stroke = if n.id == current {
                        egui::Stroke::new(3.0, super::grid_panel::VIEWED_COLOUR)
                    } else if resp.hovered() {
                        egui::Stroke::new(2.0, ui.visuals().strong_text_color())
                    } else {
                        egui::Stroke::new(1.0, ui.visuals().weak_text_color())
                    };
                    painter.rect_stroke(r, 2.0, stroke, egui::StrokeKind::Outside);
                    let clicked = resp.clicked();
                    resp.on_hover_text(format!("{}\nclick to go back here and branch", n.label));
                    if clicked && n.id != current {
                        actions.push(Action::BranchTo(n.id));
                    }
                }
            });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(id: usize, parent: Option<usize>) -> LineageNode<'static> {
        LineageNode {
            id,
            parent,
            label: String::new(),
            genome: None,
        }
    }

    #[test]
    fn branches_get_their_own_lanes() {
        // 0 - 1 - 2
        //      \- 3 - 4
        let nodes = [
            node(0, None),
            node(1, Some(0)),
            node(2, Some(1)),
            node(3, Some(1)),
            node(4, Some(3)),
        ];
        let p = layout(&nodes);
        assert_eq!(p[&0], (0, 0));
        assert_eq!(p[&1], (1, 0));
        assert_eq!(p[&2], (2, 0));
        assert_eq!(p[&3], (2, 1));
        assert_eq!(p[&4], (3, 1));
    }
}
