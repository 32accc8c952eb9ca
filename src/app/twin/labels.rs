//! Labels in the window: the legend under the graph, and the controls to add, rename,
//! recolour and assign a label to the picked link or node, as CPPN-X has them. Every
//! change comes back as new [`Notes`], which the owner applies as an undoable edit.

use super::graph::Pick;
use eframe::egui;
use picbreeder::cppn::{Genome, Label, Marking, Notes};

/// A label's colour for painting.
pub fn colour(label: &Label) -> egui::Color32 {
    let [r, g, b] = label.colour;
    egui::Color32::from_rgb(r, g, b)
}

/// The label a link or node carries, for titles: "576:224 - Mouth and eye".
pub fn titled(notes: &Notes, pick: Pick) -> String {
    let (m, label): (Marking, Option<&Label>) = match pick {
        Pick::Link(m) => (m, notes.link_label(m)),
        Pick::Node(m) => (m, notes.node_label(m)),
    };
    match label {
        Some(l) => format!("{m} - {}", l.text),
        None => m.to_string(),
    }
}

/// Colours new labels get, in turn.
const PALETTE: [[u8; 3]; 6] = [
    [200, 40, 40],
    [40, 160, 60],
    [230, 150, 0],
    [150, 60, 200],
    [0, 150, 170],
    [201, 201, 0],
];

/// A rename in progress: the label and the text being typed.
#[derive(Default)]
pub struct LabelsView {
    renaming: Option<(u32, String)>,
}

impl LabelsView {
    /// The legend (each label's colour, text and link count) with its edit controls,
    /// and the picked gene's label chooser. Returns the notes after a change.
    pub fn ui(&mut self, ui: &mut egui::Ui, genome: &Genome, pick: Option<Pick>) -> Option<Notes> {
        let notes = &genome.notes;
        let mut out: Option<Notes> = None;
        ui.horizontal_wrapped(|ui| {
            ui.strong("Labels:");
            if notes.labels.is_empty() {
                ui.weak("none");
            }
            for (label, links) in notes.link_counts() {
                let mut c = label.colour;
                if ui
                    .color_edit_button_srgb(&mut c)
                    .on_hover_text("recolour")
                    .changed()
                {
                    let mut n = notes.clone();
                    if let Some(l) = n.labels.iter_mut().find(|l| l.id == label.id) {
                        l.colour = c;
                    }
                    out = Some(n);
                }
                match &mut self.renaming {
                    Some((id, text)) if *id == label.id => {
                        let r = ui.add(egui::TextEdit::singleline(text).desired_width(120.0));
                        r.request_focus();
                        if r.lost_focus() {
                            let mut n = notes.clone();
                            let text = text.trim().to_string();
                            if let Some(l) = n.labels.iter_mut().find(|l| l.id == label.id)
                                && !text.is_empty()
                                && l.text != text
                            {
                                l.text = text;
                                out = Some(n);
                            }
                            self.renaming = None;
                        }
                    }
                    _ => {
                        let r = ui
                            .add(
                                egui::Label::new(
                                    egui::RichText::new(format!("{} ({links})", label.text))
                                        .color(colour(label)),
                                )
                                .sense(egui::Sense::click()),
                            )
                            .on_hover_text("double-click to rename");
                        if r.double_clicked() {
                            self.renaming = Some((label.id, label.text.clone()));
                        }
                    }
                }
            }
            if ui
                .small_button("+ label")
                .on_hover_text("add a label")
                .clicked()
            {
                let mut n = notes.clone();
                let id = n.next_label_id();
                n.labels.push(Label {
                    id,
                    text: format!("Label {id}"),
                    colour: PALETTE[(id as usize - 1) % PALETTE.len()],
                });
                out = Some(n);
            }
        });
        if let Some(pick) = pick
            && !notes.labels.is_empty()
        {
            let (what, current) = match pick {
                Pick::Link(m) => ("link", notes.link_labels.get(&m).copied()),
                Pick::Node(m) => ("node", notes.node_labels.get(&m).copied()),
            };
            let name = |id: Option<u32>| {
                id.and_then(|i| notes.label(i))
                    .map_or("(no label)".to_string(), |l| l.text.clone())
            };
            let mut chosen = current;
            ui.horizontal_wrapped(|ui| {
                ui.label(format!("This {what}'s label ({}):", name(current)));
                ui.selectable_value(&mut chosen, None, "(no label)");
                for l in &notes.labels {
                    ui.selectable_value(&mut chosen, Some(l.id), &l.text);
                }
            });
            if chosen != current {
                let mut n = out.take().unwrap_or_else(|| notes.clone());
                let map = match pick {
                    Pick::Link(_) => &mut n.link_labels,
                    Pick::Node(_) => &mut n.node_labels,
                };
                let m = match pick {
                    Pick::Link(m) | Pick::Node(m) => m,
                };
                match chosen {
                    Some(id) => map.insert(m, id),
                    None => map.remove(&m),
                };
                out = Some(n);
            }
        }
        out
    }
}
