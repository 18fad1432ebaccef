//! The article pane and the focused-comment pane: wrapped text from the cache, scrolled.

use ratatui::Frame;
use ratatui::buffer::{Buffer, CellDiffOption};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::cache::{Doc, RichLine, TextStyle};
use super::highlight;
use super::text_style;
use crate::app::App;
use crate::model::{Body, CommentIdx};
use crate::text::{sanitize_line, truncate_to_width};
use crate::theme::Theme;

/// Turns cached lines `[from, from + count)` into ratatui lines with theme styles, search
/// matches highlighted and the current match (`(block, offset)` in `doc`) standing out.
fn styled_lines<'a>(
    app: &App,
    lines: &'a [RichLine],
    from: usize,
    count: usize,
    base: Style,
    styles: &Theme,
    doc: usize,
) -> Vec<Line<'a>> {
    let query = app.search.matches.as_ref().map(|m| m.query());
    // In the drawn text's coordinates, like `RichLine::offset` (the app converts).
    let current = app
        .current_on_screen()
        .filter(|(d, ..)| *d == doc)
        .map(|(_, block, offset)| (block, offset));
    (from..lines.len().min(from + count))
        .map(|i| {
            let l = &lines[i];
            let line = Line::from(
                l.segments
                    .iter()
                    .map(|(t, s)| Span::styled(t.as_str(), text_style(styles, *s, base)))
                    .collect::<Vec<_>>(),
            );
            // Only body text is searched (titles and bylines are not counted), so only
            // body text is highlighted: what `n` can reach is what lights up.
            let Some(query) = query.filter(|_| l.block.is_some()) else {
                return line;
            };
            let text: String = l.segments.iter().map(|(t, _)| t.as_str()).collect();
            let ranges = query.highlight_line(&text);
            if ranges.is_empty() {
                return line;
            }
            // Is the current match on this line? Then the range nearest its offset.
            let cur = current.and_then(|(block, offset)| {
                let next = lines[i + 1..]
                    .iter()
                    .find(|n| n.block == Some(block))
                    .map_or(usize::MAX, |n| n.offset);
                if l.block != Some(block) || offset < l.offset || offset >= next {
                    return None;
                }
                let prefix: usize = l
                    .segments
                    .iter()
                    .take_while(|(_, st)| matches!(st, TextStyle::Quote | TextStyle::Meta))
                    .map(|(t, _)| t.len())
                    .sum();
                let want = offset - l.offset + prefix;
                ranges
                    .iter()
                    .enumerate()
                    .min_by_key(|(_, r)| r.start.abs_diff(want))
                    .map(|(k, _)| k)
            });
            highlight::paint(
                line,
                &ranges,
                cur,
                styles.search.matched,
                styles.search.current,
            )
        })
        .collect()
}

/// Draws the article text, scrolled.
pub fn draw_article(frame: &mut Frame, area: Rect, app: &App, styles: &Theme) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let lines = app.cache.borrow_mut().lines(
        &app.thread,
        Doc::Article,
        app.text_cols(usize::from(area.width)),
    );
    draw_text(
        frame,
        area,
        app,
        &lines,
        app.article_scroll,
        styles.article.text,
        styles,
        crate::search::ARTICLE,
        &app.thread.body,
    );
}

/// Turns the link text on a drawn row into OSC 8 hyperlinks: the first cell of each link
/// carries the whole sequence (with its width forced to the text's), the rest are skipped,
/// so an unchanged link is never sent again. URLs are made safe by
/// [`crate::terminal::osc8_url`]; text was sanitised before it was drawn.
fn hyperlinks(buf: &mut Buffer, row: Rect, line: &RichLine, body: &Body) {
    let mut x = row.x;
    for (text, style) in &line.segments {
        let w = crate::text::display_width(text) as u16;
        let start = x;
        x = x.saturating_add(w);
        let TextStyle::Link(n) = style else { continue };
        let Some(url) = body
            .links
            .get(*n as usize)
            .and_then(|l| crate::terminal::osc8_url(&l.url))
        else {
            continue;
        };
        let end = x.min(row.right());
        let Some(width) = std::num::NonZeroU16::new(end.saturating_sub(start)) else {
            continue;
        };
        let mut shown = String::new();
        let mut cx = start;
        while cx < end {
            let symbol = buf[(cx, row.y)].symbol();
            shown.push_str(symbol);
            cx += (crate::text::display_width(symbol) as u16).max(1);
        }
        let cell = &mut buf[(start, row.y)];
        cell.set_symbol(&crate::terminal::osc8(&url, &shown));
        cell.set_diff_option(CellDiffOption::ForcedWidth(width));
        for cx in start + 1..end {
            buf[(cx, row.y)].set_diff_option(CellDiffOption::Skip);
        }
    }
}

/// The breadcrumb of a comment's ancestors: `#3 alice › bob › carol`, where `#3` is the
/// top-level comment's number; the middle is elided when the chain is deep.
#[must_use]
pub fn breadcrumb(app: &App, idx: CommentIdx) -> String {
    let thread = &app.thread;
    let mut nearest: Vec<CommentIdx> = Vec::new();
    let mut root = idx;
    let mut count = 0usize;
    for a in thread.ancestors(idx) {
        count += 1;
        if nearest.len() < 3 {
            nearest.push(a);
        }
        root = a;
    }
    let top = thread.roots.binary_search(&root).map_or(0, |p| p + 1);
    let mut parts = vec![match &thread.comment(root).author {
        Some(a) => format!("#{top} {}", truncate_to_width(&sanitize_line(a), 24)),
        None => format!("#{top}"),
    }];
    if count == 0 {
        return parts.remove(0);
    }
    nearest.retain(|a| *a != root);
    if count - 1 > nearest.len() {
        parts.push("…".to_string());
    }
    parts.extend(nearest.iter().rev().map(|a| name_of(app, *a)));
    parts.push(name_of(app, idx));
    parts.join(" › ")
}

fn name_of(app: &App, idx: CommentIdx) -> String {
    let c = app.thread.comment(idx);
    match &c.author {
        Some(a) => truncate_to_width(&sanitize_line(a), 24),
        // Positions say where a comment is (`3.1.2`); a bare level (`L3`) said less.
        None => crate::ui::tree::position_label(&app.thread, idx),
    }
}

/// Draws the focused comment: breadcrumb, header, then its body scrolled.
pub fn draw_detail(frame: &mut Frame, area: Rect, app: &App, styles: &Theme) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let Some(idx) = app.selected() else {
        return;
    };
    let thread = &app.thread;
    let c = thread.comment(idx);
    let width = usize::from(area.width);
    let crumb = truncate_to_width(&breadcrumb(app, idx), width);
    frame.render_widget(
        Line::styled(crumb, styles.comment.breadcrumb),
        Rect::new(area.x, area.y, area.width, 1),
    );
    if area.height < 2 {
        return;
    }
    let (header, body_height) =
        super::header::lines(app, idx, width, usize::from(area.height), styles);
    let header_rows = header.len() as u16;
    for (i, line) in header.into_iter().enumerate() {
        frame.render_widget(
            line,
            Rect::new(area.x, area.y + 1 + i as u16, area.width, 1),
        );
    }
    let lines = app
        .cache
        .borrow_mut()
        .lines(thread, Doc::Comment(idx), app.text_cols(width));
    let base = if c.deleted {
        styles.comment.text.patch(styles.tree.deleted)
    } else {
        styles.comment.text
    };
    let top = 1 + header_rows;
    let body = Rect::new(area.x, area.y + top, area.width, body_height as u16);
    draw_text(
        frame,
        body,
        app,
        &lines,
        app.detail_scroll,
        base,
        styles,
        crate::search::doc_of(idx),
        &c.body,
    );
}

/// Draws wrapped lines from `from` into `area`, highlighted, with hyperlinks when enabled.
#[allow(clippy::too_many_arguments)]
fn draw_text(
    frame: &mut Frame,
    area: Rect,
    app: &App,
    lines: &[RichLine],
    from: usize,
    base: Style,
    styles: &Theme,
    doc: usize,
    body: &Body,
) {
    let shown = styled_lines(
        app,
        lines,
        from,
        usize::from(area.height),
        base,
        styles,
        doc,
    );
    for (i, line) in shown.into_iter().enumerate() {
        let row = Rect::new(area.x, area.y + i as u16, area.width, 1);
        frame.render_widget(line, row);
        if app.hyperlinks {
            hyperlinks(frame.buffer_mut(), row, &lines[from + i], body);
        }
    }
}
