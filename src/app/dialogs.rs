//! Native file dialogs, each on its own thread: `rfd`'s `pick_file()` blocks the thread it
//! runs on, and the window must keep drawing meanwhile. The chosen path comes back over a
//! channel with the [`Intent`] it was asked for.

use super::twin::files::TwinFile;
use super::worker::Wake;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, channel};

/// Why a dialog was opened: what to do with the path the user picks.
#[derive(Clone, Debug, PartialEq)]
pub enum Intent {
    OpenGenome,
    SaveGenome,
    OpenSession,
    SaveSession,
    /// Export the selected image as a PNG of this many pixels square.
    ExportPng {
        pixels: usize,
    },
    /// A file of the SGD twin panel.
    Twin(TwinFile),
}

impl Intent {
    fn saves(&self) -> bool {
        matches!(
            self,
            Intent::SaveGenome | Intent::SaveSession | Intent::ExportPng { .. }
        ) || matches!(self, Intent::Twin(f) if f.saves())
    }

    fn title(&self) -> &'static str {
        match self {
            Intent::OpenGenome => "Open a genome",
            Intent::SaveGenome => "Save the selected genome",
            Intent::OpenSession => "Open a session",
            Intent::SaveSession => "Save the session",
            Intent::ExportPng { .. } => "Export PNG",
            Intent::Twin(f) => f.title(),
        }
    }
}

pub struct Dialogs {
    tx: Sender<(Intent, Option<PathBuf>)>,
    rx: Receiver<(Intent, Option<PathBuf>)>,
    open: bool,
    wake: Wake,
}

impl Dialogs {
    pub fn new(wake: Wake) -> Dialogs {
        let (tx, rx) = channel();
        Dialogs {
            tx,
            rx,
            open: false,
            wake,
        }
    }

    /// A dialog is showing (only one at a time).
    pub fn is_open(&self) -> bool {
        self.open
    }

    /// Shows a native dialog for `intent` on a new thread; `start` is the folder it opens in.
    pub fn ask(&mut self, intent: Intent, start: Option<PathBuf>, file_name: Option<String>) {
        if self.open {
            return;
        }
        self.open = true;
        let tx = self.tx.clone();
        let wake = self.wake.clone();
        let spawned = std::thread::Builder::new()
            .name("file-dialog".into())
            .spawn(move || {
                let mut d = rfd::FileDialog::new().set_title(intent.title());
                if let Some(dir) = start {
                    d = d.set_directory(dir);
                }
                if let Some(name) = file_name {
                    d = d.set_file_name(name);
                }
                d = match &intent {
                    Intent::OpenGenome => d
                        .add_filter(
                            "Genome (JSON, Picbreeder XML or zip)",
                            &["json", "xml", "zip"],
                        )
                        .add_filter("Any file", &["*"]),
                    Intent::SaveGenome | Intent::OpenSession | Intent::SaveSession => {
                        d.add_filter("JSON", &["json"])
                    }
                    Intent::ExportPng { .. } => d.add_filter("PNG image", &["png"]),
                    Intent::Twin(f) => {
                        let (name, exts) = f.filter();
                        d.add_filter(name, exts)
                    }
                };
                let path = if intent.saves() {
                    d.save_file()
                } else {
                    d.pick_file()
                };
                let _ = tx.send((intent, path));
                wake();
            });
        if spawned.is_err() {
            self.open = false;
        }
    }

    /// A dialog that closed since the last call: its intent and the path (`None` if the
    /// user cancelled or no dialog could be shown).
    pub fn answer(&mut self) -> Option<(Intent, Option<PathBuf>)> {
        let got = self.rx.try_recv().ok();
        if got.is_some() {
            self.open = false;
        }
        got
    }
}
