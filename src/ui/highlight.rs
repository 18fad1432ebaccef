//! Search matches painted over text that is already on its way to the screen.

use std::ops::Range;

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::search::Query;

/// Re-styles the parts of `line` that `ranges` (byte ranges of the line's whole text) cover;
/// `current` is the index of the range to draw as the current match.
#[must_use]
pub fn paint<'a>(
    line: Line<'a>,
    ranges: &[Range<usize>],
    current: Option<usize>,
    matched: Style,
    current_style: Style,
) -> Line<'a> {
    if ranges.is_empty() {
        return line;
    }
    let mut out: Vec<Span<'a>> = Vec::with_capacity(line.spans.len() + 2 * ranges.len());
    let mut pos = 0usize;
    for span in line.spans {
        let text = span.content.as_ref();
        let (start, end) = (pos, pos + text.len());
        pos = end;
        let mut cut = start;
        for (i, r) in ranges.iter().enumerate() {
            let (s, e) = (r.start.max(start), r.end.min(end));
            if s >= e {
                continue;
            }
            if !text.is_char_boundary(s - start) || !text.is_char_boundary(e - start) {
                continue;
            }
            if s > cut {
                out.push(Span::styled(
                    text[cut - start..s - start].to_string(),
                    span.style,
                ));
            }
            let style = if Some(i) == current {
                current_style
            } else {
                matched
            };
            out.push(Span::styled(
                text[s - start..e - start].to_string(),
                span.style.patch(style),
            ));
            cut = e;
        }
        if cut < end {
            out.push(Span::styled(text[cut - start..].to_string(), span.style));
        }
    }
    Line::from(out).style(line.style)
}

/// Highlights every match of `query` in `line`.
#[must_use]
pub fn paint_query<'a>(line: Line<'a>, query: &Query, matched: Style) -> Line<'a> {
    let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
    let ranges = query.highlight_line(&text);
    paint(line, &ranges, None, matched, matched)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::{Color, Modifier};

    #[test]
    fn paints_across_spans() {
        let line = Line::from(vec![Span::raw("hello wo"), Span::raw("rld")]);
        let m = Style::default().bg(Color::Yellow);
        let c = Style::default().add_modifier(Modifier::BOLD);
        let out = paint(line, &[0..2, 6..11], Some(1), m, c);
        let texts: Vec<_> = out.spans.iter().map(|s| s.content.to_string()).collect();
        assert_eq!(texts, ["he", "llo ", "wo", "rld"]);
        assert_eq!(out.spans[0].style.bg, Some(Color::Yellow));
        assert!(out.spans[3].style.add_modifier.contains(Modifier::BOLD));
    }
}
