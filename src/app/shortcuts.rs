//! The keyboard shortcut table: the keys, and the actions they stand for.

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

/// The shortcut table: consumed once per frame, before any widget sees the keys.
/// Longer combinations come first so Ctrl+Shift+Z is not read as Ctrl+Z.
pub fn shortcuts(ctx: &egui::Context, actions: &mut Vec<Action>) {
    let table: [(KeyboardShortcut, Action); 10] = [
        (FORWARD, Action::Forward),
        (SAVE_SESSION, Action::Ask(Intent::SaveSession)),
        (EVOLVE_ALT, Action::Evolve),
        (EVOLVE, Action::Evolve),
        (REROLL, Action::Reroll),
        (BACK, Action::Back),
        (FORWARD_ALT, Action::Forward),
        (OPEN, Action::Ask(Intent::OpenGenome)),
        (SAVE_GENOME, Action::Ask(Intent::SaveGenome)),
        (EXPORT, Action::ShowExport),
    ];
    // Plain Enter belongs to a text field that has focus.
    let typing = ctx.text_edit_focused();
    ctx.input_mut(|i| {
        for (shortcut, action) in table {
            if typing && shortcut == EVOLVE {
                continue;
            }
            if i.consume_shortcut(&shortcut) {
                actions.push(action);
            }
        }
    });
}
