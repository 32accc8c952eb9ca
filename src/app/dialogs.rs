//! Native file dialogs, each a [`Task`]: `rfd`'s `pick_file()` blocks the thread it runs
//! on, and the window must keep drawing meanwhile. The chosen path comes back with the
//! [`Intent`] it was asked for.

use super::task::{Polled, Task, Wake};
use super::twin::files::TwinFile;
use std::path::PathBuf;

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
    showing: Option<Task<(Intent, Option<PathBuf>)>>,
    wake: Wake,
}

impl Dialogs {
    pub fn new(wake: Wake) -> Dialogs {
        Dialogs {
            showing: None,
            wake,
        }
    }

    /// A dialog is showing (only one at a time).
    pub fn is_open(&self) -> bool {
        self.showing.is_some()
    }

    /// Shows a native dialog for `intent` on a new thread; `start` is the folder it opens in.
    pub fn ask(&mut self, intent: Intent, start: Option<PathBuf>, file_name: Option<String>) {
        if self.is_open() {
            return;
        }
        let task = Task::spawn("file-dialog", Some(self.wake.clone()), move |_| {
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
            (intent, path)
        });
        self.showing = Some(task);
    }

    /// A dialog that closed since the last call: its intent and the path (`None` if the
    /// user cancelled or no dialog could be shown).
    pub fn answer(&mut self) -> Option<(Intent, Option<PathBuf>)> {
        let polled = self.showing.as_mut()?.poll();
        match polled {
            Polled::Running => None,
            Polled::Done(answer) => {
                self.showing = None;
                Some(answer)
            }
            // The dialog's thread died: nothing was picked.
            Polled::Lost => {
                self.showing = None;
                None
            }
        }
    }
}
