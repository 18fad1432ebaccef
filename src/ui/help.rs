//! The help overlay, generated from the keymap so it cannot disagree with it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear};

use crate::app::{HelpRow, help_rows};
use crate::keymap::{Keymap, Mode};
use crate::theme::Theme;

/// The title of a mode's keys, here and in the man page.
#[must_use]
pub fn heading(mode: Mode) -> &'static str {
    match mode {
        Mode::Global => "Everywhere",
        Mode::Comments => "Comments",
        Mode::Article => "Article",
        Mode::Help => "This help",
        Mode::List => "Lists (bookmarks, links)",
        Mode::Prompt => "Prompts (search, note)",
    }
}

/// The help text: a heading per mode, then `keys  action  description` per binding.
#[must_use]
pub fn lines(keymap: &Keymap, styles: &Theme) -> Vec<Line<'static>> {
    let entries = keymap.entries();
    let key_width = entries
        .iter()
        .map(|(_, _, keys)| keys_text(keys).chars().count())
        .max()
        .unwrap_or(0)
        .min(22);
    help_rows(keymap)
        .into_iter()
        .map(|row| match row {
            HelpRow::Blank => Line::default(),
            HelpRow::Heading(mode) => Line::styled(heading(mode), styles.help.title),
            HelpRow::Title(title) => Line::styled(title, styles.help.title),
            HelpRow::Fixed(keys, what) => Line::from(vec![
                Span::styled(format!("  {keys:<key_width$}  "), styles.help.key),
                Span::styled(format!("{:<16} ", ""), styles.tree.meta),
                Span::styled(what, styles.help.text),
            ]),
            HelpRow::Binding(mode, action, keys) => Line::from(vec![
                Span::styled(
                    format!("  {:<key_width$}  ", keys_text(keys)),
                    styles.help.key,
                ),
                Span::styled(format!("{:<16} ", action.name()), styles.tree.meta),
                Span::styled(describe(mode, action), styles.help.text),
            ]),
        })
        .collect()
}

/// What an action does in a mode, when that differs from its general description.
#[must_use]
pub fn describe(mode: Mode, action: crate::action::Action) -> &'static str {
    use crate::action::Action as A;
    match (mode, action) {
        (Mode::List, A::SelectNext) => "Next entry",
        (Mode::List, A::SelectPrev) => "Previous entry",
        (Mode::Article, A::First) => "Top of the article",
        (Mode::Article, A::Last) => "End of the article",
        (Mode::Comments, A::First) => "First comment",
        (Mode::Comments, A::Last) => "Last comment",
        (Mode::Help, A::Cancel) => "Close the help",
        (Mode::Help, A::First) => "Top of the help",
        (Mode::Help, A::Last) => "End of the help",
        (Mode::List, A::Cancel) => "Close the list",
        (Mode::Prompt, A::Cancel) => "Cancel the prompt",
        _ => action.description(),
    }
}

fn keys_text(keys: &[crate::keymap::Key]) -> String {
    keys.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Number of help lines (for scrolling limits): the rows the app scrolls over.
#[must_use]
pub fn line_count(keymap: &Keymap) -> usize {
    help_rows(keymap).len()
}

/// Draws the help over `area`, scrolled to `scroll`.
pub fn draw(frame: &mut Frame, area: Rect, keymap: &Keymap, scroll: usize, styles: &Theme) {
    let w = area.width.min(96);
    let h = area.height;
    let x = area.x + (area.width - w) / 2;
    let rect = Rect::new(x, area.y, w, h);
    frame.render_widget(Clear, rect);
    let block = Block::bordered()
        .title(format!(
            " Keys — {} scroll, {} closes ",
            keymap.keys_for(Mode::Help, crate::action::Action::ScrollDown),
            keymap.key(Mode::Help, crate::action::Action::Cancel)
        ))
        .border_style(styles.border.focused);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    for (i, line) in lines(keymap, styles)
        .into_iter()
        .skip(scroll)
        .take(usize::from(inner.height))
        .enumerate()
    {
        let line = fit(line, usize::from(inner.width));
        frame.render_widget(line, Rect::new(inner.x, inner.y + i as u16, inner.width, 1));
    }
}

/// A help line cut to `width` columns with `…` where it is cut, so a cut line says so.
fn fit(line: Line<'static>, width: usize) -> Line<'static> {
    if line.width() <= width {
        return line;
    }
    let mut left = width;
    let mut spans = Vec::new();
    for span in line.spans {
        if left == 0 {
            break;
        }
        let w = crate::text::display_width(&span.content);
        if w < left {
            left -= w;
            spans.push(span);
        } else {
            // With the `…` appended it is always too wide, so the cut always shows.
            let cut = crate::text::truncate_to_width(&format!("{}…", span.content), left);
            spans.push(Span::styled(cut, span.style));
            left = 0;
        }
    }
    Line::from(spans)
}
