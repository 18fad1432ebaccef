//! List overlays (bookmarks, links) and the prompt line.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear};

use crate::action::Action;
use crate::app::{ListKind, ListTarget, ListView, Prompt, PromptKind, SearchState};
use crate::keymap::{Keymap, Mode};
use crate::text::{display_width, sanitize_line, truncate_to_width, wrap_ranges};
use crate::theme::Theme;

/// Draws a list overlay centred in `area`.
pub fn draw_list(frame: &mut Frame, area: Rect, view: &ListView, keymap: &Keymap, theme: &Theme) {
    let w = area.width.min(110);
    let h = area.height;
    if w < 4 || h < 3 {
        return;
    }
    let rect = Rect::new(area.x + (area.width - w) / 2, area.y, w, h);
    frame.render_widget(Clear, rect);
    let key = |a: Action| keymap.key(Mode::List, a);
    let title = match view.kind {
        ListKind::Bookmarks => format!(
            " Bookmarks — {} jumps, {} deletes, {} edits the note, {} closes ",
            key(Action::Activate),
            key(Action::Delete),
            key(Action::EditNote),
            key(Action::Cancel)
        ),
        ListKind::Links => format!(
            " Links — {} chooses, {} closes ",
            key(Action::Activate),
            key(Action::Cancel)
        ),
        ListKind::Library => format!(
            " Saved threads, newest first — {} opens, {} closes ",
            key(Action::Activate),
            key(Action::Cancel)
        ),
        ListKind::Messages => format!(
            " Messages, newest first — {}/{} move, {} closes ",
            key(Action::SelectNext),
            key(Action::SelectPrev),
            key(Action::Cancel)
        ),
    };
    let block = Block::bordered()
        .title(truncate_to_width(&title, usize::from(w.saturating_sub(2))))
        .border_style(theme.border.focused)
        .style(theme.list.text);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let width = usize::from(inner.width);
    // Lines per entry: text, then its detail.
    let mut lines: Vec<(Line, usize)> = Vec::new();
    for (i, e) in view.entries.iter().enumerate() {
        let selected = i == view.selected && e.target != ListTarget::Heading;
        let base = match (&e.target, selected) {
            (_, true) => theme.list.text.patch(theme.list.selected),
            (ListTarget::Heading, _) => theme.list.text.patch(theme.help.title),
            _ => theme.list.text,
        };
        // Entries wrap rather than cut: a long URL, note or message is read here whole.
        let text = sanitize_line(&e.text);
        for r in wrap_ranges(&text, width.max(1)) {
            let piece = text[r].to_string();
            let pad = width.saturating_sub(display_width(&piece));
            lines.push((
                Line::from(vec![
                    Span::styled(piece, base),
                    Span::styled(" ".repeat(pad), base),
                ]),
                i,
            ));
        }
        if let Some(d) = &e.detail {
            const INDENT: usize = 6;
            let detail = sanitize_line(d);
            for r in wrap_ranges(&detail, width.saturating_sub(INDENT).max(1)) {
                let piece = format!("{}{}", " ".repeat(INDENT), &detail[r]);
                lines.push((
                    Line::styled(truncate_to_width(&piece, width), theme.tree.meta),
                    i,
                ));
            }
        }
    }
    let height = usize::from(inner.height);
    let sel_line = lines
        .iter()
        .position(|(_, i)| *i == view.selected)
        .unwrap_or(0);
    let sel_end = lines
        .iter()
        .rposition(|(_, i)| *i == view.selected)
        .unwrap_or(0);
    // The whole selected entry in view when it fits, else its start.
    let top = (sel_end + 2).saturating_sub(height).min(sel_line);
    for (row, (line, _)) in lines.into_iter().skip(top).take(height).enumerate() {
        frame.render_widget(
            line,
            Rect::new(inner.x, inner.y + row as u16, inner.width, 1),
        );
    }
}

/// The parts of a prompt line around the text being edited.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PromptParts {
    /// Before the text (`/`, `Note: `).
    pub prefix: String,
    /// After the text (` [regex]`).
    pub suffix: String,
    /// The hints (or the error) on the right.
    pub right: String,
    /// Whether `right` is an error.
    pub error: bool,
}

/// The prompt's fixed parts: prefix, suffix, and hints or error.
#[must_use]
pub fn prompt_parts(prompt: &Prompt, search: &SearchState, keymap: &Keymap) -> PromptParts {
    let key = |a: Action| keymap.key(Mode::Prompt, a);
    let (enter, esc) = (key(Action::Submit), key(Action::Cancel));
    let parts = |prefix: &str, suffix: &str, right: String, error: bool| PromptParts {
        prefix: prefix.to_string(),
        suffix: suffix.to_string(),
        right,
        error,
    };
    match &prompt.kind {
        PromptKind::Search(s) => {
            let mode = if s.regex { " [regex]" } else { "" };
            match &s.error {
                Some(e) => parts("/", mode, sanitize_line(e).into_owned(), true),
                None => {
                    let right = match search.position() {
                        None if search.waiting() => {
                            format!(
                                "preparing search: what you type runs when it is ready · {esc} cancels"
                            )
                        }
                        Some(p) => format!(
                            "{p} · {} regex · {enter} keeps · {esc} cancels",
                            key(Action::ToggleRegex)
                        ),
                        None => format!(
                            "{} regex · {}/{} history · {esc} cancels",
                            key(Action::ToggleRegex),
                            key(Action::HistoryPrev),
                            key(Action::HistoryNext)
                        ),
                    };
                    parts("/", mode, right, false)
                }
            }
        }
        PromptKind::Author => parts(
            "Author: ",
            "",
            format!("{enter} filters to this author · {esc} cancels"),
            false,
        ),
        PromptKind::Note(_) | PromptKind::ListNote(_) => parts(
            "Note: ",
            "",
            format!("{enter} saves · {esc} cancels"),
            false,
        ),
    }
}

/// Draws a prompt in the status bar: the text scrolled so the insertion point is always
/// visible (`…` where it is cut), the hints on the right while there is room for them.
/// Returns the screen position of the insertion point.
pub fn draw_prompt(
    frame: &mut Frame,
    area: Rect,
    prompt: &Prompt,
    parts: &PromptParts,
    theme: &Theme,
) -> (u16, u16) {
    let width = usize::from(area.width);
    let bar = theme.status.bar;
    let style = bar.patch(theme.status.prompt);
    let right_style = if parts.error {
        bar.patch(theme.status.error)
    } else {
        bar.patch(theme.status.hint)
    };
    let mut cur = prompt.cursor.min(prompt.input.len());
    while !prompt.input.is_char_boundary(cur) {
        cur -= 1;
    }
    // Sanitised in two halves so the insertion point stays between the same characters.
    let before = sanitize_line(&prompt.input[..cur]);
    let after = sanitize_line(&prompt.input[cur..]);
    let text = format!("{before}{after}");
    let fixed = 1 + display_width(&parts.prefix) + display_width(&parts.suffix);
    let field = width.saturating_sub(fixed);
    let need = display_width(&text) + 1;
    // The hints take what the text leaves, with a space before them.
    let right_w = display_width(&parts.right).min(field.saturating_sub(need + 1));
    let right_w = if right_w < 4 { 0 } else { right_w };
    let text_w = field.saturating_sub(if right_w > 0 { right_w + 1 } else { 0 });
    let win = crate::text::edit::window(&text, before.len(), text_w);
    let cursor_cell = if win.at.is_empty() {
        "█".to_string()
    } else {
        win.at.clone()
    };
    let cursor_style = if win.at.is_empty() {
        style
    } else {
        style.add_modifier(ratatui::style::Modifier::REVERSED)
    };
    let ell = |on: bool| if on { "…" } else { "" };
    let head = format!(" {}{}{}", parts.prefix, ell(win.cut_left), win.before);
    let x = area.x + u16::try_from(display_width(&head)).unwrap_or(u16::MAX);
    let tail = format!("{}{}{}", win.after, ell(win.cut_right), parts.suffix);
    let used = display_width(&head) + display_width(&cursor_cell) + display_width(&tail);
    let pad = width.saturating_sub(used + right_w);
    let line = Line::from(vec![
        Span::styled(head, style),
        Span::styled(cursor_cell, cursor_style),
        Span::styled(tail, style),
        Span::styled(" ".repeat(pad), bar),
        Span::styled(truncate_to_width(&parts.right, right_w), right_style),
    ]);
    frame.render_widget(line, area);
    (x.min(area.right().saturating_sub(1)), area.y)
}
