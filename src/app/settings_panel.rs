//! Settings: mutation strength, operator weights (advanced), grid size, how a new
//! session starts.

use super::Action;
use super::grid_panel::GridPanel;
use super::session_stub::{MutationConfig, Operator};
use eframe::egui;
use picbreeder::cppn::ColourMode;

/// Settings UI state: which sections are open is kept by egui itself.
#[derive(Default)]
pub struct SettingsPanel {}

/// Settings for the next fresh session.
pub struct NewSession {
    pub colour: ColourMode,
    /// Children per generation.
    pub children: usize,
}

impl Default for NewSession {
    fn default() -> Self {
        NewSession {
            colour: ColourMode::Colour,
            children: 15,
        }
    }
}

impl SettingsPanel {
    #[allow(clippy::too_many_arguments)]
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        mutation: &mut MutationConfig,
        grid: &mut GridPanel,
        new: &mut NewSession,
        seed: u64,
        actions: &mut Vec<Action>,
    ) {
        ui.heading("Mutation");
        let before = mutation.clone();
        ui.weak("Strength is on the toolbar.");
        egui::CollapsingHeader::new("Advanced")
            .id_salt("advanced-mutation")
            .show(ui, |ui| {
                ui.label("Operator weights (relative chance):");
                for op in Operator::ALL {
                    let w = match op {
                        Operator::Perturb => &mut mutation.weights.perturb,
                        Operator::AddLink => &mut mutation.weights.add_link,
                        Operator::AddNode => &mut mutation.weights.add_node,
                        Operator::ChangeActivation => &mut mutation.weights.change_activation,
                    };
                    ui.add(
                        egui::Slider::new(w, 0.0..=20.0)
                            .text(op.name())
                            .max_decimals(1),
                    );
                }
                ui.add(
                    egui::Slider::new(&mut mutation.perturb_rate, 0.0..=1.0)
                        .text("perturb rate")
                        .max_decimals(2),
                )
                .on_hover_text("Chance that each link is perturbed by 'perturb weights'");
                if ui.button("Picbreeder defaults").clicked() {
                    *mutation = MutationConfig::default();
                }
            });
        if *mutation != before {
            actions.push(Action::MutationChanged);
        }
        ui.separator();

        ui.heading("Grid");
        ui.add(
            egui::Slider::new(&mut grid.thumb, 48.0..=256.0)
                .text("thumbnail")
                .suffix(" pt"),
        );
        ui.add(egui::Slider::new(&mut grid.columns, 1..=10).text("columns"));
        ui.separator();

        ui.heading("New session");
        ui.horizontal(|ui| {
            ui.radio_value(&mut new.colour, ColourMode::Colour, "colour");
            ui.radio_value(&mut new.colour, ColourMode::Grey, "grey");
        });
        ui.add(egui::Slider::new(&mut new.children, 2..=40).text("children"));
        if ui.button("New random session").clicked() {
            actions.push(Action::NewSession);
        }
        ui.add(egui::Label::new(format!("seed of this session: {seed}")).wrap())
            .on_hover_text("Mutation is seeded: the same seed and choices replay the same run");
    }
}
