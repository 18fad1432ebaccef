//! The focused comment's header: author, age, score, replies, markers, the bookmark's note
//! and the `[x/y lines]` position, wrapped at field boundaries so that nothing is cut at any
//! width (a long note wraps inside its field). The layout asks [`shape`] how many rows the
//! header takes, so paging knows the body's real height. Reads state, never changes it.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::cache::Doc;
use super::highlight;
use crate::app::App;
use crate::model::CommentIdx;
use crate::text::{display_width, sanitize_line, wrap_ranges};
use crate::theme::Theme;

/// What a header field is, for the theme to colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Part {
    Author,
    Op,
    Meta,
    Deleted,
    More,
    New,
    Bookmark,
}

/// One field: its text (with its leading ` · ` when it is not the first) and what it is.
#[derive(Clone, Debug)]
struct Field {
    text: String,
    part: Part,
}

fn field(text: impl Into<String>, part: Part) -> Field {
    Field {
        text: text.into(),
        part,
    }
}

/// The fields of the header of comment `idx`, without the lines indicator.
fn fields(app: &App, idx: CommentIdx) -> Vec<Field> {
    let thread = &app.thread;
    let c = thread.comment(idx);
    let op = super::tree::is_op(thread, idx);
    let mut out = Vec::new();
    match &c.author {
        Some(a) => out.push(field(
            sanitize_line(a).into_owned(),
            if op { Part::Op } else { Part::Author },
        )),
        None if app.authors_known && !c.marks.contains(crate::model::Marks::PINGBACK) => {
            out.push(field("[deleted author]", Part::Deleted));
        }
        None => out.push(field(
            format!("comment {}", super::tree::position_label(thread, idx)),
            Part::Meta,
        )),
    }
    if op {
        out.push(field(" (OP)", Part::Op));
    }
    if let Some(t) = &c.created {
        out.push(field(
            match t.unix() {
                Some(_) => format!(" · {} ago · {}", t.age(app.now), t.to_rfc3339()),
                None => format!(" · {}", sanitize_line(&t.to_rfc3339())),
            },
            Part::Meta,
        ));
    }
    if let Some(s) = c.score {
        let unit = if s.abs() == 1 { "point" } else { "points" };
        out.push(field(format!(" · {s} {unit}"), Part::Meta));
    }
    if thread.has_replies(idx) {
        // The tree's ↩ counts direct replies; say both when they differ.
        out.push(field(
            match (c.descendants(idx), thread.children(idx).len()) {
                (1, _) => " · 1 reply".to_string(),
                (n, d) if n == d => format!(" · {n} replies"),
                (n, d) => format!(" · {n} replies ({d} direct)"),
            },
            Part::Meta,
        ));
    }
    if c.deleted {
        out.push(field(" · deleted", Part::Deleted));
    }
    for word in c.marks.describe() {
        out.push(field(format!(" · {word}"), Part::Deleted));
    }
    if c.more > 0 {
        out.push(field(
            format!(" · {} more replies not saved", c.more),
            Part::More,
        ));
    }
    if let Some(lib) = &app.library {
        if lib.is_new(idx) {
            out.push(field(" · new", Part::New));
        }
        if lib.attached.is_marked(idx) {
            let note = lib
                .bookmarks
                .note(&thread.key, Some(&c.id))
                .filter(|n| !n.is_empty())
                .map(|n| format!(": {}", sanitize_line(n)))
                .unwrap_or_default();
            out.push(field(format!(" · ★ bookmarked{note}"), Part::Bookmark));
        }
    }
    out
}

/// Packs fields into rows of at most `width` columns: a field that does not fit starts a
/// new row (without its ` · `); one wider than a row is wrapped on its own rows.
fn pack(fields: &[Field], width: usize) -> Vec<Vec<Field>> {
    let width = width.max(1);
    let mut rows: Vec<Vec<Field>> = Vec::new();
    let mut used = 0usize;
    for f in fields {
        let w = display_width(&f.text);
        if let Some(row) = rows.last_mut()
            && used + w <= width
        {
            row.push(f.clone());
            used += w;
            continue;
        }
        let text = if rows.is_empty() {
            f.text.as_str()
        } else {
            f.text
                .strip_prefix(" · ")
                .or_else(|| f.text.strip_prefix(' '))
                .unwrap_or(&f.text)
        };
        for r in wrap_ranges(text, width) {
            rows.push(vec![field(&text[r], f.part)]);
        }
        used = rows
            .last()
            .map_or(0, |row| row.iter().map(|f| display_width(&f.text)).sum());
    }
    rows
}

/// The header's rows for comment `idx` in a detail area of `width` x `height` (breadcrumb
/// included), and the body height left below it. At least one body row is kept when the
/// area has room for one.
fn rows_for(app: &App, idx: CommentIdx, width: usize, height: usize) -> (Vec<Vec<Field>>, usize) {
    let cap = height.saturating_sub(2).max(1);
    let base = fields(app, idx);
    let total = app
        .cache
        .borrow_mut()
        .lines(&app.thread, Doc::Comment(idx), app.text_cols(width))
        .len();
    let mut rows = pack(&base, width);
    rows.truncate(cap);
    let body = height.saturating_sub(1 + rows.len());
    if total > body {
        // Reserve the widest indicator first, then fill in the real numbers.
        let widest = field(format!("  [{total}/{total} lines]"), Part::Meta);
        let probe_fields: Vec<Field> = base.iter().cloned().chain([widest]).collect();
        let mut probe = pack(&probe_fields, width);
        probe.truncate(cap);
        let body = height.saturating_sub(1 + probe.len());
        let end = (app.detail_scroll + body).min(total);
        let real = field(format!("  [{end}/{total} lines]"), Part::Meta);
        let final_fields: Vec<Field> = base.into_iter().chain([real]).collect();
        rows = pack(&final_fields, width);
        rows.truncate(cap);
    }
    let body = height.saturating_sub(1 + rows.len());
    (rows, body)
}

/// Rows the header of the selected comment takes and the body height below it, for a
/// detail area of `width` x `height` (1 header row and `height - 2` when nothing is selected).
#[must_use]
pub fn shape(app: &App, width: usize, height: usize) -> (usize, usize) {
    match app.selected() {
        Some(idx) if width > 0 && height > 1 => {
            let (rows, body) = rows_for(app, idx, width, height);
            (rows.len(), body)
        }
        _ => (1, height.saturating_sub(2)),
    }
}

fn style(part: Part, styles: &Theme) -> Style {
    match part {
        Part::Author => styles.comment.header,
        Part::Op => styles.tree.op,
        Part::Meta => styles.tree.meta,
        Part::Deleted => styles.tree.deleted,
        Part::More => styles.tree.more,
        Part::New => styles.new.marker,
        Part::Bookmark => styles.bookmark.marker,
    }
}

/// The header's lines, styled (the author highlighted when the search matches it), and
/// the body height left below them.
pub fn lines(
    app: &App,
    idx: CommentIdx,
    width: usize,
    height: usize,
    styles: &Theme,
) -> (Vec<Line<'static>>, usize) {
    let (rows, body) = rows_for(app, idx, width, height);
    let lines = rows
        .into_iter()
        .map(|row| {
            let mut spans: Vec<Span<'static>> = Vec::new();
            for f in row {
                let span = Span::styled(f.text, style(f.part, styles));
                match (f.part, app.search.matches.as_ref()) {
                    (Part::Author | Part::Op, Some(m)) if spans.is_empty() => {
                        let name = Line::from(span);
                        let lit = highlight::paint_query(name, m.query(), styles.search.matched);
                        spans.extend(lit.spans);
                    }
                    _ => spans.push(span),
                }
            }
            Line::from(spans)
        })
        .collect();
    (lines, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(rows: &[Vec<Field>]) -> Vec<String> {
        rows.iter()
            .map(|r| r.iter().map(|f| f.text.as_str()).collect())
            .collect()
    }

    #[test]
    fn fields_wrap_at_their_boundaries_and_long_ones_wrap_inside() {
        let fs = [
            field("alice", Part::Author),
            field(" · 3h ago", Part::Meta),
            field(" · ★ bookmarked: a note that is long", Part::Bookmark),
        ];
        assert_eq!(
            texts(&pack(&fs, 80)),
            ["alice · 3h ago · ★ bookmarked: a note that is long"]
        );
        assert_eq!(
            texts(&pack(&fs, 20)),
            ["alice · 3h ago", "★ bookmarked: a note", "that is long"]
        );
        // Nothing is lost at any width.
        for w in 1..60 {
            let joined: String = texts(&pack(&fs, w)).concat();
            for word in ["alice", "3h", "ago", "bookmarked:", "note", "long"] {
                assert!(joined.contains(word), "{w}: {joined}");
            }
        }
    }
}
