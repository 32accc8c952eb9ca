//! Settings: operator weights (advanced), grid and population size, how a new session
//! starts. Mutation strength is on the toolbar. Everything but the column count is a
//! session setting, saved with the session; changes apply to generations made after.

use super::Action;
use super::grid_panel::GridPanel;
use eframe::egui;
use picbreeder::breed::Settings;
use picbreeder::cppn::ColourMode;
use picbreeder::cppn::mutate::{MutationConfig, Operator};
use picbreeder::limits::{POPULATION, THUMBNAIL};

/// Settings UI state: which sections are open is kept by egui itself.
#[derive(Default)]
pub struct SettingsPanel {}

impl SettingsPanel {
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        settings: &mut Settings,
        grid: &mut GridPanel,
        seed: u64,
        actions: &mut Vec<Action>,
    ) {
        ui.heading("Mutation");
        let mutation = &mut settings.mutation;
        ui.label("Operator weights (relative chance of each):");
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
            )
            .on_hover_text(
                "How often a child is made by this kind of change, against the others (0: never)",
            );
        }
        egui::CollapsingHeader::new("Advanced")
            .id_salt("advanced-mutation")
            .show(ui, |ui| {
                ui.add(
                    egui::Slider::new(&mut mutation.perturb_rate, 0.0..=1.0)
                        .text("perturb rate")
                        .max_decimals(2),
                )
                .on_hover_text("Chance that each link is perturbed by 'perturb weights'");
                ui.add(
                    egui::Slider::new(&mut settings.crossover.disjoint_rate, 0.0..=1.0)
                        .text("crossover disjoint rate")
                        .max_decimals(2),
                )
                .on_hover_text("Chance that a gene only one parent has is inherited");
            });
        if ui
            .button("Picbreeder defaults")
            .on_hover_text("Set every mutation and crossover setting back to Picbreeder's")
            .clicked()
        {
            settings.mutation = MutationConfig::default();
            settings.crossover = Default::default();
        }
        ui.separator();

        ui.heading("Grid");
        let mut thumb = settings.thumbnail as f32;
        if ui
            .add(
                egui::Slider::new(
                    &mut thumb,
                    *THUMBNAIL.start() as f32..=*THUMBNAIL.end() as f32,
                )
                .text("thumbnail")
                .suffix(" px"),
            )
            .on_hover_text("Size of each child in the grid")
            .changed()
        {
            settings.thumbnail = thumb.round() as usize;
        }
        ui.add(egui::Slider::new(&mut grid.columns, 1..=10).text("columns"))
            .on_hover_text("Children per row of the grid (at most; a narrow window wraps)");
        ui.add(egui::Slider::new(&mut settings.population, POPULATION).text("children"))
            .on_hover_text("Genomes per generation, from the next one on");
        ui.checkbox(&mut settings.varied, "varied children")
            .on_hover_text(
                "Breed three times as many children and show the most different ones, \
                 so no two look alike (off: the first ones bred)",
            );
        ui.separator();

        ui.heading("New session");
        ui.horizontal(|ui| {
            ui.radio_value(&mut settings.start_colour, ColourMode::Colour, "colour")
                .on_hover_text("New random genomes have hue, saturation and brightness outputs");
            ui.radio_value(&mut settings.start_colour, ColourMode::Grey, "grey")
                .on_hover_text("New random genomes have one brightness output, as Picbreeder's");
        });
        if ui
            .button("New random session")
            .on_hover_text("Start over from random genomes (this session stays in the library)")
            .clicked()
        {
            actions.push(Action::NewSession);
        }
        ui.add(egui::Label::new(format!("seed of this session: {seed}")).wrap())
            .on_hover_text("Mutation is seeded: the same seed and choices replay the same run");
    }
}
