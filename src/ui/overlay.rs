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

/// The prompt as shown in the status bar: `(left text, right text, is error)`.
#[must_use]
pub fn prompt_line(
    prompt: &Prompt,
    search: &SearchState,
    keymap: &Keymap,
) -> (String, String, bool) {
    let key = |a: Action| keymap.key(Mode::Prompt, a);
    let (enter, esc) = (key(Action::Submit), key(Action::Cancel));
    match &prompt.kind {
        PromptKind::Search(s) => {
            let mode = if s.regex { " [regex]" } else { "" };
            let left = format!("/{}█{mode}", sanitize_line(&prompt.input));
            match &s.error {
                Some(e) => (left, sanitize_line(e).into_owned(), true),
                None => {
                    let right = match search.position() {
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
                    (left, right, false)
                }
            }
        }
        PromptKind::Note(_) | PromptKind::ListNote(_) => (
            format!("Note: {}█", sanitize_line(&prompt.input)),
            format!("{enter} saves · {esc} cancels"),
            false,
        ),
    }
}
