//! The Neurons view: both networks' neuron galleries side by side, and the picked
//! neuron's incoming weights, each a sweep away.

use super::super::Action;
use super::gallery::GalleryView;
use super::history::Evolved;
use super::side::Side;
use super::sweep::SweepTarget;
use super::{SgdNet, export_button};
use eframe::egui;
use picbreeder::network::{Network, Param};
use picbreeder::render::gallery::Cell;
use picbreeder::render::sweep::Direction;
use std::sync::Arc;

/// What the user asked of the view; the panel carries it out.
pub enum NeuronsAction {
    /// Sweep a random direction over a clicked neuron's incoming weights.
    Direction(Side, SweepTarget),
    /// Sweep one incoming weight (on the evolved side, the genome link it came from;
    /// `None`: a cache neuron's weight, which no link stands for).
    Weight(Side, Option<Param>),
}

pub struct NeuronsView {
    pub evolved: GalleryView,
    pub sgd: GalleryView,
    /// Show the evolved network in the paper's layerized form.
    pub layerized: bool,
    /// Galleries scaled to fit the panel (else one pixel per pixel, scrolling).
    pub fit: bool,
}

impl Default for NeuronsView {
    fn default() -> Self {
        NeuronsView {
            evolved: GalleryView::default(),
            sgd: GalleryView::default(),
            layerized: true,
            fit: true,
        }
    }
}

impl NeuronsView {
    pub fn gallery(&self, side: Side) -> &GalleryView {
        match side {
            Side::Evolved => &self.evolved,
            Side::Sgd => &self.sgd,
        }
    }

    pub fn busy(&self) -> bool {
        self.evolved.busy() || self.sgd.busy()
    }

    /// The evolved network as the galleries show it (layerized or graph).
    pub fn shown_cppn(&self, evolved: Option<&Evolved>) -> Option<Arc<Network>> {
        let e = evolved?;
        Some(if self.layerized {
            e.layered.clone()
        } else {
            e.graph.clone()
        })
    }

    /// The network drawn on `side`.
    fn net(
        &self,
        side: Side,
        evolved: Option<&Evolved>,
        sgd: Option<&SgdNet>,
    ) -> Option<Arc<Network>> {
        match side {
            Side::Evolved => self.shown_cppn(evolved),
            Side::Sgd => sgd.map(|s| s.net.clone()),
        }
    }

    /// One network's gallery under its title; a neuron clicked.
    fn gallery_side(&mut self, ui: &mut egui::Ui, side: Side, shown: bool) -> Option<Cell> {
        let fit = self.fit;
        match side {
            Side::Evolved => {
                ui.label(egui::RichText::new("Evolved (CPPN)").strong());
                if !shown {
                    return None;
                }
                self.evolved.ui(ui, "gallery-cppn", fit)
            }
            Side::Sgd => {
                ui.label(egui::RichText::new("SGD network").strong());
                if !shown {
                    ui.weak("Train a network in the SGD panel, or open one above.");
                    return None;
                }
                self.sgd.ui(ui, "gallery-sgd", fit)
            }
        }
    }

    /// Draws the view; `seed` seeds the random directions. `source` draws the SGD
    /// network's source line (which file or run) above the galleries.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        evolved: Option<&Evolved>,
        sgd: Option<&SgdNet>,
        seed: u64,
        actions: &mut Vec<Action>,
        source: impl FnOnce(&mut egui::Ui, &mut Vec<Action>),
    ) -> Vec<NeuronsAction> {
        let mut asked = vec![];
        ui.horizontal(|ui| {
            ui.checkbox(
                &mut self.layerized,
                "evolved net layerized (neuron (layer i, j) comparable)",
            )
            .on_hover_text(
                "as the paper draws it: every layer as wide as the widest, links that skip \
                 layers carried by cache neurons (framed green: the genome's own nodes)",
            );
        });
        ui.checkbox(&mut self.evolved.pca, "PCA: layers rotated")
            .on_hover_text("each hidden layer rotated onto its principal components");
        ui.horizontal(|ui| {
            export_button(ui, "galleries.png", actions);
            ui.checkbox(&mut self.fit, "fit to panel")
                .on_hover_text("size the neurons so both galleries fit side by side");
            ui.add_enabled(
                !self.fit,
                egui::Slider::new(&mut self.evolved.thumb, 16..=96).text("neuron size"),
            )
            .on_hover_text("pixels per neuron, one screen pixel each (turn off fit to panel)");
        });
        self.sgd.thumb = self.evolved.thumb;
        self.evolved.frame_own = self.layerized;
        self.sgd.pca = self.evolved.pca;
        source(ui, actions);
        let ctx = ui.ctx().clone();
        if let Some(ev) = evolved {
            let (net, key) = if self.layerized {
                (&ev.layered, ev.key ^ 1)
            } else {
                (&ev.graph, ev.key)
            };
            self.evolved.set(&ctx, net, key);
        } else {
            self.evolved.clear();
        }
        match sgd {
            Some(s) => self.sgd.set(&ctx, &s.net, s.key),
            None => self.sgd.clear(),
        }
        let shown = [evolved.is_some(), sgd.is_some()];
        // Fitted, the two sit side by side as in the paper's figures; at full size they
        // stack, each scrolling sideways.
        let clicked = if self.fit {
            let mut clicked = [None, None];
            ui.columns(2, |cols| {
                for (side, col) in Side::BOTH.into_iter().zip(cols.iter_mut()) {
                    clicked[side.index()] = self.gallery_side(col, side, shown[side.index()]);
                }
            });
            clicked
        } else {
            Side::BOTH.map(|side| {
                egui::ScrollArea::horizontal()
                    .id_salt(("gallery-scroll", side.index()))
                    .show(ui, |ui| self.gallery_side(ui, side, shown[side.index()]))
                    .inner
            })
        };
        // The picked neuron's incoming weights, each a sweep away.
        for (side, cell) in Side::BOTH.into_iter().zip(clicked) {
            let Some(cell) = cell else { continue };
            let Some(net) = self.net(side, evolved, sgd) else {
                continue;
            };
            // On the evolved side, sweep genome links (a layerized neuron's weights map
            // back to the links they came from; cache weights have none).
            let incoming: Vec<Param> = net
                .incoming(cell.plane)
                .into_iter()
                .filter_map(|q| match side {
                    Side::Evolved => evolved?.as_link(q),
                    Side::Sgd => Some(q),
                })
                .collect();
            if !incoming.is_empty() {
                let dir = Direction::random(&incoming, seed);
                let label = format!(
                    "random direction over neuron {} ({}), seed {seed}",
                    cell.plane, cell.label
                );
                asked.push(NeuronsAction::Direction(side, SweepTarget { label, dir }));
            }
        }
        let mut sweep_one = None;
        for side in Side::BOTH {
            let g = self.gallery(side);
            let (Some(p), Some(layout)) = (g.picked, g.layout()) else {
                continue;
            };
            let label = layout
                .rows
                .iter()
                .flatten()
                .find(|c| c.plane == p)
                .map_or("", |c| c.label.as_str());
            ui.label(
                egui::RichText::new(format!(
                    "{} neuron {p}: {label}, incoming weights",
                    side.name()
                ))
                .strong(),
            );
            let Some(net) = self.net(side, evolved, sgd) else {
                continue;
            };
            // The strongest first; each can be swept.
            let mut incoming: Vec<(Param, f64)> = net
                .incoming(p)
                .into_iter()
                .filter_map(|q| Some((q, net.param(q)?)))
                .collect();
            incoming.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()));
            egui::Grid::new(("incoming", side.index()))
                .striped(true)
                .show(ui, |ui| {
                    for (q, w) in incoming.iter().take(12) {
                        ui.label(q.to_string());
                        ui.label(format!("{w:+.3}"));
                        if ui.small_button("sweep").clicked() {
                            sweep_one = Some((side, *q));
                        }
                        ui.end_row();
                    }
                });
            if incoming.len() > 12 {
                ui.weak(format!("and {} smaller", incoming.len() - 12));
            }
        }
        if let Some((side, q)) = sweep_one {
            let q = match side {
                Side::Evolved => evolved.and_then(|e| e.as_link(q)),
                Side::Sgd => Some(q),
            };
            asked.push(NeuronsAction::Weight(side, q));
        }
        asked
    }
}
