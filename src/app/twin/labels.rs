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

/// WCAG 2 relative luminance of an sRGB colour (0 black, 1 white).
pub fn luminance(c: egui::Color32) -> f32 {
    let lin = |v: u8| {
        let v = f32::from(v) / 255.0;
        if v <= 0.04045 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(c.r()) + 0.7152 * lin(c.g()) + 0.0722 * lin(c.b())
}

/// WCAG 2 contrast ratio of two colours (1 to 21).
pub fn contrast(a: egui::Color32, b: egui::Color32) -> f32 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// Text must read at this contrast against its background (WCAG AA).
pub const MIN_CONTRAST: f32 = 4.5;

/// `c` as text on `background`: its own hue, mixed toward white (or black, whichever
/// stands out more) just enough to read at [`MIN_CONTRAST`]. A label's colour comes
/// from its genome's file (CPPN-X's dark red and dark blue vanish on a dark panel).
pub fn readable(c: egui::Color32, background: egui::Color32) -> egui::Color32 {
    let toward = if contrast(egui::Color32::WHITE, background)
        >= contrast(egui::Color32::BLACK, background)
    {
        egui::Color32::WHITE
    } else {
        egui::Color32::BLACK
    };
    let mix = |t: f32| {
        let m = |a: u8, b: u8| (f32::from(a) + (f32::from(b) - f32::from(a)) * t).round() as u8;
        egui::Color32::from_rgb(
            m(c.r(), toward.r()),
            m(c.g(), toward.g()),
            m(c.b(), toward.b()),
        )
    };
    // Either white or black reads at 4.58:1 or better on any background.
    (0..=20)
        .map(|i| mix(i as f32 / 20.0))
        .find(|&m| contrast(m, background) >= MIN_CONTRAST)
        .unwrap_or(toward)
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
                                        .color(readable(colour(label), ui.visuals().panel_fill)),
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

#[cfg(test)]
mod tests {
    use super::*;
    use egui_kittest::Harness;
    use picbreeder::activation::Activation;

    #[test]
    fn contrast_follows_wcag() {
        let (w, b) = (egui::Color32::WHITE, egui::Color32::BLACK);
        assert!((contrast(w, b) - 21.0).abs() < 1e-3);
        assert!((contrast(b, b) - 1.0).abs() < 1e-6);
        // WCAG's own example: #777777 on white is 4.48:1.
        let grey = egui::Color32::from_gray(0x77);
        assert!((contrast(grey, w) - 4.48).abs() < 0.01);
    }

    /// Every legend text drawn (labels of dark and light colours, the palette's and
    /// CPPN-X's) reads at 4.5:1 or better against the panel, dark theme or light.
    #[test]
    fn legend_text_reads_against_the_panel_in_both_themes() {
        let mut genome = Genome::grey_skeleton(Activation::Sigmoid);
        let colours: Vec<[u8; 3]> = PALETTE
            .iter()
            .copied()
            .chain([
                [139, 0, 0],
                [0, 0, 139],
                [0, 0, 0],
                [255, 255, 255],
                [128, 128, 128],
            ])
            .collect();
        for (i, c) in colours.iter().enumerate() {
            genome.notes.labels.push(Label {
                id: i as u32 + 1,
                text: format!("label {i}"),
                colour: *c,
            });
        }
        for visuals in [egui::Visuals::dark(), egui::Visuals::light()] {
            let background = visuals.panel_fill;
            let mut view = LabelsView::default();
            let g = genome.clone();
            let mut h = Harness::builder()
                .with_size(egui::vec2(900.0, 400.0))
                .build_ui(move |ui| {
                    ui.ctx().set_visuals(visuals.clone());
                    view.ui(ui, &g, None);
                });
            h.step();
            let mut seen = 0;
            for c in &h.output().shapes {
                let egui::Shape::Text(t) = &c.shape else {
                    continue;
                };
                if !t.galley.text().starts_with("label ") {
                    continue;
                }
                for s in &t.galley.job.sections {
                    let ratio = contrast(s.format.color, background);
                    assert!(
                        ratio >= MIN_CONTRAST,
                        "{:?} in {:?} on {background:?}: {ratio:.2}:1",
                        t.galley.text(),
                        s.format.color
                    );
                }
                seen += 1;
            }
            assert_eq!(seen, colours.len(), "every label drawn");
        }
    }

    #[test]
    fn readable_keeps_a_colour_that_already_reads() {
        let bg = egui::Visuals::dark().panel_fill;
        let yellow = egui::Color32::from_rgb(230, 200, 0);
        assert_eq!(readable(yellow, bg), yellow);
        let dark_red = egui::Color32::from_rgb(139, 0, 0);
        let r = readable(dark_red, bg);
        assert!(r.r() > r.g() && r.r() > r.b(), "still red: {r:?}");
    }
}
