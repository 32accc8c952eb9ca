//! The panel's files: opening and saving the SGD network, and exporting what a view
//! shows. The paths come from the app's own dialogs ([`super::super::dialogs`]: the same
//! remembered folder and "type a path" fallback as every other file); the reads and
//! writes run on worker threads.

use super::super::background::{Latest, Writes};
use super::{SgdNet, TwinTab, View};
use eframe::egui;
use picbreeder::dense::net::DenseNet;
use picbreeder::image::Image;
use picbreeder::network::Network;
use picbreeder::render::sweep::sheet;
use std::path::Path;
use std::sync::Arc;

/// A file the panel asks the app's dialogs for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TwinFile {
    /// A trained network to compare with.
    OpenNet,
    /// Where to write the SGD network.
    SaveNet,
    /// Where to write the view's picture (the name is the suggested file name).
    Figure(&'static str),
    /// Where to write the scorecard table (Measure view).
    ScorecardCsv,
    /// Where to write the Measure view as a picture.
    ScorecardPng,
    /// Where to write the SGD run's loss curve (CSV).
    CurveCsv,
    /// Where to write an animation (the open "Export animation" window's file).
    Animation,
}

impl TwinFile {
    /// The file is written (a save dialog), not read.
    pub fn saves(self) -> bool {
        !matches!(self, TwinFile::OpenNet)
    }

    pub fn title(self) -> &'static str {
        match self {
            TwinFile::OpenNet => "Open a network",
            TwinFile::SaveNet => "Save the SGD network",
            TwinFile::Figure(_) | TwinFile::ScorecardPng => "Export the view as PNG",
            TwinFile::ScorecardCsv => "Export the scorecard as CSV",
            TwinFile::CurveCsv => "Export the loss curve as CSV",
            TwinFile::Animation => "Export the animation",
        }
    }

    /// What the "type a path" fallback asks for.
    pub fn describe(self) -> &'static str {
        match self {
            TwinFile::OpenNet => "the network to open",
            TwinFile::SaveNet => "save the network to",
            TwinFile::Figure(_) | TwinFile::ScorecardPng => "the PNG to write",
            TwinFile::ScorecardCsv | TwinFile::CurveCsv => "the CSV to write",
            TwinFile::Animation => "the GIF or APNG to write",
        }
    }

    /// The dialog's file filter: a name and the extensions.
    pub fn filter(self) -> (&'static str, &'static [&'static str]) {
        match self {
            TwinFile::OpenNet | TwinFile::SaveNet => ("network", &["json"]),
            TwinFile::Figure(_) | TwinFile::ScorecardPng => ("PNG", &["png"]),
            TwinFile::ScorecardCsv | TwinFile::CurveCsv => ("CSV", &["csv"]),
            TwinFile::Animation => ("animation", &["gif", "apng", "png"]),
        }
    }

    /// The file name a save dialog suggests.
    pub fn file_name(self) -> Option<&'static str> {
        match self {
            TwinFile::OpenNet => None,
            TwinFile::SaveNet => Some("network.json"),
            TwinFile::Figure(name) => Some(name),
            TwinFile::ScorecardCsv => Some("scorecard.csv"),
            TwinFile::ScorecardPng => Some("scorecard.png"),
            TwinFile::CurveCsv => Some("curve.csv"),
            TwinFile::Animation => Some("animation.gif"),
        }
    }
}

/// Reads and writes in flight.
#[derive(Default)]
pub struct NetFiles {
    /// A network file being read: the net and its name, or what is wrong.
    read: Latest<Result<(DenseNet, String), String>>,
    /// Networks and pictures being written.
    written: Writes,
}

impl NetFiles {
    pub fn busy(&self) -> bool {
        self.read.busy() || self.written.busy()
    }
}

impl TwinTab {
    /// The app's dialog answered with `path` for `file`.
    pub fn file_chosen(&mut self, ctx: &egui::Context, file: TwinFile, path: &Path) {
        match file {
            TwinFile::OpenNet => self.open_net(ctx, path),
            TwinFile::SaveNet => self.save_net(ctx, path),
            TwinFile::Figure(_) => self.export_png(ctx, path),
            TwinFile::ScorecardCsv => self.export_scorecard_csv(ctx, path),
            TwinFile::ScorecardPng => self.export_scorecard_png(ctx, path),
            TwinFile::CurveCsv => {
                let losses = self.train.losses.clone();
                let passes = self.train.passes_per_step;
                self.train.curve_export.write(ctx, path, &losses, passes);
            }
            TwinFile::Animation => {
                self.sweep.animation.chosen(path);
                self.train.animation.chosen(path);
            }
        }
    }

    /// Opens a trained network file as the SGD side, reading it on a worker thread (a
    /// wide MLP's JSON runs to tens of megabytes); a bad file leaves it unchanged.
    pub fn open_net(&mut self, ctx: &egui::Context, path: &Path) {
        let path = path.to_path_buf();
        self.files.read.request(ctx, move || {
            let name = path
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
            match picbreeder::io::load_any(&path) {
                Ok(picbreeder::io::Loaded::Net(net)) => Ok((net, name)),
                Ok(picbreeder::io::Loaded::Genome(_)) => Err(format!(
                    "{}: this is a genome, not a trained network",
                    path.display()
                )),
                Err(e) => Err(e.to_string()),
            }
        });
    }

    /// Writes the SGD net as native JSON (atomically, on a worker thread).
    pub fn save_net(&mut self, ctx: &egui::Context, path: &Path) {
        let Some(SgdNet { net, .. }) = &self.sgd else {
            return;
        };
        let (net, path) = (Arc::clone(net), path.to_path_buf());
        self.files.written.request(ctx, move || {
            let Network::Net(net) = &*net else {
                return Err("the SGD side holds no trained network".into());
            };
            let text = picbreeder::io::json::net_to_json(net);
            picbreeder::io::write_atomic(&path, text.as_bytes())
                .map(|()| format!("saved {}", path.display()))
                .map_err(|e| e.to_string())
        });
    }

    /// What the view shows as one picture: both galleries side by side (Neurons), or
    /// the sweep strips (Sweep).
    fn figure(&self) -> Option<Image> {
        match self.view {
            View::Neurons => {
                let row: Vec<Image> = [self.neurons.evolved.image(), self.neurons.sgd.image()]
                    .into_iter()
                    .flatten()
                    .cloned()
                    .collect();
                (!row.is_empty()).then(|| sheet(&[row]))
            }
            View::Sweep => self.sweep.figure(),
            View::Path => self.path.figure.clone(),
            View::Train | View::Graph | View::Measure => None,
        }
    }

    /// Writes the view's picture ([`TwinTab::figure`]) as a PNG, on a worker thread,
    /// carrying the evolved genome (as edited) it was drawn from.
    pub fn export_png(&mut self, ctx: &egui::Context, path: &Path) {
        let Some(img) = self.figure() else {
            self.message = Some("nothing to export in this view yet".into());
            return;
        };
        let path = path.to_path_buf();
        let genome = self.history.evolved.as_ref().map(|e| e.genome.clone());
        self.files.written.request(ctx, move || {
            picbreeder::io::png::save_with_genome(&img, genome.as_ref(), &path)
                .map(|()| format!("wrote {} ({}x{})", path.display(), img.width, img.height))
                .map_err(|e| e.to_string())
        });
    }

    /// Takes in finished reads and writes.
    pub(super) fn poll_files(&mut self) {
        match self.files.read.take() {
            Some(Ok((net, name))) => {
                self.set_sgd(net, name);
                self.message = None;
            }
            Some(Err(e)) => self.message = Some(e),
            None => {}
        }
        if let Some(m) = self.files.written.take() {
            self.message = Some(m.unwrap_or_else(|e| e));
        }
    }
}
