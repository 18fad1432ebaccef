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
    /// The title of a section that is not a mode's.
    Title(&'static str),
    /// Keys that are fixed, not from the keymap, and what they do.
    Fixed(&'static str, &'static str),
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
    // The prompts' line editing is fixed (it takes the keys the [prompt] table leaves
    // free), so it is listed here rather than generated from the keymap.
    out.push(HelpRow::Blank);
    out.push(HelpRow::Title("Editing in prompts"));
    out.extend(PROMPT_EDITING.iter().map(|(k, w)| HelpRow::Fixed(k, w)));
    out
}

/// The fixed line-editing keys of prompts (see `crate::text::edit`).
const PROMPT_EDITING: &[(&str, &str)] = &[
    ("Left Right Ctrl-b Ctrl-f", "A character left / right"),
    (
        "Alt-b Alt-f",
        "A word left / right (also Ctrl-Left, Ctrl-Right)",
    ),
    ("Home End Ctrl-a Ctrl-e", "To the start / end"),
    (
        "Backspace Delete",
        "Delete before / under the cursor (also Ctrl-h, Ctrl-d)",
    ),
    ("Ctrl-w Alt-Backspace", "Delete the word before the cursor"),
    ("Ctrl-u Ctrl-k", "Delete to the start / to the end"),
];
