//! The keyboard shortcuts: ONE table of keys, what they do and the action they stand
//! for. The key handler, the menus and Help > Keyboard shortcuts all read it, so the
//! list shown can never drift from the keys that work.

use super::Action;
use super::dialogs::Intent;
use eframe::egui;
use egui::{Key, KeyboardShortcut, Modifiers};

pub const EVOLVE: KeyboardShortcut = KeyboardShortcut::new(Modifiers::NONE, Key::Enter);
pub const EVOLVE_ALT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Enter);
pub const REROLL: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::R);
pub const BACK: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Z);
pub const FORWARD: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::Z);
pub const FORWARD_ALT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Y);
pub const OPEN: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::O);
pub const SAVE_GENOME: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::S);
pub const SAVE_SESSION: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::S);
pub const EXPORT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::E);
pub const HELP: KeyboardShortcut = KeyboardShortcut::new(Modifiers::NONE, Key::F1);
pub const QUIT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Q);

/// One shortcut: its keys, what it does (in the user's words) and the action.
pub struct Shortcut {
    pub keys: KeyboardShortcut,
    pub does: &'static str,
    pub action: Action,
}

/// Every shortcut. Longer combinations come first so Ctrl+Shift+Z is not read as
/// Ctrl+Z.
pub fn table() -> Vec<Shortcut> {
    let s = |keys, does, action| Shortcut { keys, does, action };
    vec![
        s(
            FORWARD,
            "Forward: the generation you went back from",
            Action::Forward,
        ),
        s(
            SAVE_SESSION,
            "Save the session as a file",
            Action::Ask(Intent::SaveSession),
        ),
        s(
            EVOLVE_ALT,
            "Evolve (also while typing in a field)",
            Action::Evolve,
        ),
        s(
            EVOLVE,
            "Evolve: breed the next generation from the chosen parents",
            Action::Evolve,
        ),
        s(
            REROLL,
            "Re-roll: new children from the same parents",
            Action::Reroll,
        ),
        s(BACK, "Back: the generation before this one", Action::Back),
        s(FORWARD_ALT, "Forward (the other key)", Action::Forward),
        s(
            OPEN,
            "Open a genome (starts from it)",
            Action::Ask(Intent::OpenGenome),
        ),
        s(
            SAVE_GENOME,
            "Save the selected genome",
            Action::Ask(Intent::SaveGenome),
        ),
        s(
            EXPORT,
            "Export the selected picture as a PNG",
            Action::ShowExport,
        ),
        s(HELP, "This list of shortcuts", Action::ShowShortcuts),
        s(
            QUIT,
            "Quit (asks first while a training run goes on)",
            Action::Quit,
        ),
    ]
}

/// Carries out the shortcuts pressed: consumed once per frame, before any widget sees
/// the keys.
pub fn shortcuts(ctx: &egui::Context, actions: &mut Vec<Action>) {
    // Plain Enter belongs to a text field that has focus.
    let typing = ctx.text_edit_focused();
    ctx.input_mut(|i| {
        for s in table() {
            if typing && s.keys == EVOLVE {
                continue;
            }
            if i.consume_shortcut(&s.keys) {
                actions.push(s.action);
            }
        }
    });
}
