//! What the help overlay lists, from the keymap: rows without words or styles, so the app
//! can scroll over the help (it needs the length) and `ui/help.rs` words and styles the same
//! rows. No drawing here.

use crate::action::Action;
use crate::keymap::{Key, Keymap, Mode};

/// One line of the help.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HelpRow<'a> {
    /// The gap between two modes.
    Blank,
    /// The title of a mode's section.
    Heading(Mode),
    /// The keys bound to an action in a mode.
    Binding(Mode, Action, &'a [Key]),
}

/// The help: a heading per mode, then one row per binding, a blank row between modes.
#[must_use]
pub fn help_rows(keymap: &Keymap) -> Vec<HelpRow<'_>> {
    let mut out = Vec::new();
    let mut current = None;
    for (mode, action, keys) in keymap.entries() {
        if current != Some(mode) {
            if current.is_some() {
                out.push(HelpRow::Blank);
            }
            out.push(HelpRow::Heading(mode));
            current = Some(mode);
        }
        out.push(HelpRow::Binding(mode, action, keys));
    }
    out
}
