//! Plain-text output, sanitised for a terminal: the shape `format::plain` reads.
//!
//! Owns `threadr dump --format text`. Every string from the thread passes through
//! [`sanitize`] / [`sanitize_line`] before it is written, so no control, C1 or bidi
//! character reaches the output (they show as `␛`, `<U+202E>`...). No terminal handling.
//!
//! Indentation is capped: a reply deeper than [`MAX_INDENT_DEPTH`] is written at that
//! depth's indent with a `[depth N]` field in its metadata line, which `format::plain`
//! reads back as the real depth. Without the cap a 100,000-deep chain would need about
//! 10 GB of leading spaces; with it every line starts with at most 64 columns of indent.

use std::borrow::Cow;
use std::io::{self, Write};

use crate::format::plain::{FIELD_SEP, looks_like_marker, parse_header};
use crate::model::{Block, BlockKind, Body, Comment, Thread, Timestamp};
use crate::text::{sanitize, sanitize_line};

/// Deepest reply level that gets its own indentation (its bullet stands at column
/// `2 + 2 * MAX_INDENT_DEPTH`); deeper replies carry `[depth N]` instead.
pub const MAX_INDENT_DEPTH: u32 = 30;

/// Writes `thread` in the plain-text shape.
///
/// # Errors
/// When writing fails.
pub fn write(thread: &Thread, out: &mut dyn Write) -> io::Result<()> {
    let mut w = Writer {
        out,
        pad: String::new(),
        escape_first: false,
    };
    let mut wrote = false;
    if let Some(title) = thread.title.as_deref().filter(|t| !t.trim().is_empty()) {
        let title = sanitize_line(title);
        writeln!(w.out, "{title}")?;
        let underline = "=".repeat(crate::text::display_width(&title).clamp(3, 80));
        writeln!(w.out, "{underline}")?;
        wrote = true;
    }
    let mut fields = Vec::new();
    meta_fields(
        &mut fields,
        thread.author.as_deref(),
        thread.created.as_ref(),
        thread.score,
    );
    if thread.more > 0 {
        fields.push(format!("{} more", thread.more));
    }
    if let Some(url) = thread.url.as_deref().filter(|u| !u.trim().is_empty()) {
        fields.push(format!("<{}>", sanitize_line(url)));
    }
    if !fields.is_empty() {
        if wrote {
            writeln!(w.out)?;
        }
        writeln!(w.out, "[{}]", fields.join(FIELD_SEP))?;
        wrote = true;
    }
    if !thread.body.is_empty() {
        if wrote {
            writeln!(w.out)?;
        }
        // Without a title line above it, a first article line that would read as the
        // title (or starts with `\\`) is escaped; the reader strips that one `\\`.
        w.escape_first = !wrote;
        w.body(&thread.body, 0, false)?;
        w.escape_first = false;
        wrote = true;
    }

    let mut number = 0u64;
    for (i, c) in thread.comments.iter().enumerate() {
        if wrote || i > 0 {
            writeln!(w.out)?;
        }
        wrote = true;
        let marker_col = 2 + 2 * c.depth.min(MAX_INDENT_DEPTH) as usize;
        let marker = if c.depth == 0 {
            number += 1;
            Cow::Owned(format!("{number}."))
        } else {
            Cow::Borrowed("•")
        };
        w.comment(c, marker_col, &marker)?;
    }
    Ok(())
}

/// `by NAME`, the date and the score, as `format::plain::parse_header` reads them.
fn meta_fields(
    fields: &mut Vec<String>,
    author: Option<&str>,
    created: Option<&Timestamp>,
    score: Option<i64>,
) {
    if let Some(a) = author.filter(|a| !a.trim().is_empty()) {
        fields.push(format!("by {}", sanitize_line(a)));
    }
    match created {
        Some(t @ Timestamp::Unix(_)) => fields.push(t.to_rfc3339()),
        Some(Timestamp::Text(t)) if !t.trim().is_empty() => {
            fields.push(format!("on {}", sanitize_line(t)));
        }
        _ => {}
    }
    match score {
        Some(1) => fields.push("1 point".to_string()),
        Some(n) => fields.push(format!("{n} points")),
        None => {}
    }
}

struct Writer<'o> {
    out: &'o mut dyn Write,
    /// Reused indentation buffer.
    pad: String,
    /// Escape the next body line with `\\` whatever it says (a title-less thread's first
    /// article line, which the reader would otherwise take for the title).
    escape_first: bool,
}

impl Writer<'_> {
    fn indent(&mut self, col: usize) -> io::Result<()> {
        if self.pad.len() < col {
            self.pad = " ".repeat(col.max(64));
        }
        self.out.write_all(&self.pad.as_bytes()[..col])
    }

    /// One comment: marker line (metadata or first text line), then its body.
    fn comment(&mut self, c: &Comment, marker_col: usize, marker: &str) -> io::Result<()> {
        let mut fields = Vec::new();
        if c.depth > MAX_INDENT_DEPTH {
            fields.push(format!("depth {}", c.depth));
        }
        meta_fields(
            &mut fields,
            c.author.as_deref(),
            c.created.as_ref(),
            c.score,
        );
        if c.deleted {
            fields.push("deleted".to_string());
        }
        if c.more > 0 {
            fields.push(format!("{} more", c.more));
        }
        if let Some(url) = c.url.as_deref().filter(|u| !u.trim().is_empty()) {
            fields.push(format!("<{}>", sanitize_line(url)));
        }
        self.indent(marker_col)?;
        let content = marker_col + 2;
        if !fields.is_empty() {
            writeln!(self.out, "{marker} [{}]", fields.join(FIELD_SEP))?;
            return self.body(&c.body, content, false);
        }
        if starts_inline(&c.body) {
            write!(self.out, "{marker} ")?;
            self.body(&c.body, content, true)
        } else {
            // Empty, or a first line the reader would trim or take for metadata.
            writeln!(self.out, "{marker}")?;
            self.body(&c.body, content, false)
        }
    }

    /// Writes a body at column `col`. With `first_inline`, the first line continues the
    /// line already started (the comment's marker line).
    fn body(&mut self, body: &Body, col: usize, first_inline: bool) -> io::Result<()> {
        let mut inline = first_inline;
        let mut first_block = true;
        for block in &body.blocks {
            if block.text.trim().is_empty() {
                continue;
            }
            if !first_block {
                writeln!(self.out)?;
            }
            first_block = false;
            self.block(block, col, &mut inline)?;
        }
        let shown_links = body
            .links
            .iter()
            .filter(|l| !l.url.is_empty() && l.url != l.text);
        for (n, link) in shown_links.enumerate() {
            if n == 0 && !first_block {
                writeln!(self.out)?;
            }
            self.indent(col)?;
            writeln!(self.out, "[{}] {}", n + 1, sanitize_line(&link.url))?;
        }
        Ok(())
    }

    fn block(&mut self, block: &Block, col: usize, inline: &mut bool) -> io::Result<()> {
        let quote = "> ".repeat(usize::from(block.quote_depth));
        let (first_prefix, rest_prefix) = match &block.kind {
            BlockKind::ListItem { marker, level } => {
                let lead = "  ".repeat(usize::from(*level));
                let marker = sanitize_line(marker);
                let hang = " ".repeat(crate::text::display_width(&marker) + 1);
                (format!("{lead}{marker} "), format!("{lead}{hang}"))
            }
            BlockKind::Heading | BlockKind::Paragraph | BlockKind::Code => {
                (String::new(), String::new())
            }
        };
        let text = sanitize(&block.text);
        for (i, line) in text.split('\n').enumerate() {
            let prefix = if i == 0 { &first_prefix } else { &rest_prefix };
            let line = line.trim_end();
            let full = if quote.is_empty() && prefix.is_empty() {
                Cow::Borrowed(line)
            } else {
                Cow::Owned(format!("{quote}{prefix}{line}"))
            };
            if std::mem::take(inline) {
                writeln!(self.out, "{full}")?;
                continue;
            }
            self.indent(col)?;
            // A body line that would read as a new comment or a metadata line is escaped.
            let (lead, rest) = full.split_at(full.len() - full.trim_start().len());
            if std::mem::take(&mut self.escape_first) {
                if crate::format::plain::first_line_needs_escape(rest) {
                    writeln!(self.out, "{lead}\\{rest}")?;
                } else {
                    writeln!(self.out, "{full}")?;
                }
            } else if looks_like_marker(rest.trim_start_matches('\\')) {
                writeln!(self.out, "{lead}\\{rest}")?;
            } else {
                writeln!(self.out, "{full}")?;
            }
        }
        Ok(())
    }
}

/// Can the body's first line share the marker line? Not when it is missing, starts with
/// blanks (the reader trims them there), is quoted or a list item, or reads as metadata.
fn starts_inline(body: &Body) -> bool {
    let Some(block) = body.blocks.iter().find(|b| !b.text.trim().is_empty()) else {
        return false;
    };
    if block.quote_depth > 0 || !matches!(block.kind, BlockKind::Paragraph) {
        return false;
    }
    let text = sanitize(&block.text);
    let first = text.split('\n').next().unwrap_or("").trim_end();
    !first.is_empty() && !first.starts_with(char::is_whitespace) && parse_header(first).is_none()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CommentDraft, ThreadBuilder};

    fn dump(t: &Thread) -> String {
        let mut out = Vec::new();
        write(t, &mut out).expect("writing to a Vec cannot fail");
        String::from_utf8(out).expect("the writer writes UTF-8")
    }

    fn draft(text: &str) -> CommentDraft {
        CommentDraft {
            body: Body::from_plain(text),
            ..CommentDraft::default()
        }
    }

    #[test]
    fn writes_the_plain_shape() {
        let mut b = ThreadBuilder::new();
        b.title = Some("On trains".into());
        b.body = Body::from_plain("First.\n\nSecond,\nbroken.");
        let a = b.push(None, draft("Top\nline two\n\nmore"));
        let r = b.push(Some(a), draft("reply"));
        b.push(Some(r), draft("deeper"));
        b.push(None, draft("next"));
        let t = b.finish();
        assert_eq!(
            dump(&t),
            "On trains\n=========\n\nFirst.\n\nSecond,\nbroken.\n\n\
             \x20 1. Top\n    line two\n\n    more\n\n    • reply\n\n      • deeper\n\n  2. next\n"
        );
    }

    #[test]
    fn blank_line_between_article_and_comments() {
        let mut b = ThreadBuilder::new();
        b.body = Body::from_plain("An article that is a full sentence.");
        b.push(None, draft("c"));
        assert_eq!(
            dump(&b.finish()),
            "An article that is a full sentence.\n\n  1. c\n"
        );
    }

    #[test]
    fn a_title_less_short_first_paragraph_does_not_become_the_title() {
        for first in [
            "Short first line",
            "\\starts with a backslash",
            "1. looks numbered",
        ] {
            let mut b = ThreadBuilder::new();
            b.body = Body::from_plain(&format!("{first}\n\nMore text."));
            b.push(None, draft("c"));
            let thread = b.finish();
            let text = dump(&thread);
            let back = crate::format::plain::parse(&text, "t").unwrap();
            assert_eq!(back.title, None, "{text}");
            assert_eq!(back.body.blocks[0].text, first, "{text}");
        }
    }

    #[test]
    fn metadata_line_when_known() {
        let mut b = ThreadBuilder::new();
        b.url = Some("https://example.test/x".into());
        b.push(
            None,
            CommentDraft {
                author: Some("zoé".into()),
                created: Some(Timestamp::Unix(0)),
                score: Some(1),
                ..draft("hi")
            },
        );
        let t = b.finish();
        assert_eq!(
            dump(&t),
            "[<https://example.test/x>]\n\n  1. [by zoé · 1970-01-01T00:00:00Z · 1 point]\n    hi\n"
        );
    }

    #[test]
    fn hostile_characters_are_visible_and_harmless() {
        let mut b = ThreadBuilder::new();
        b.title = Some("t\x1b]0;pwned\x07".into());
        b.push(
            None,
            CommentDraft {
                author: Some("ev\u{202e}il".into()),
                ..draft("safe\x08\x08\x08\x08evil \x1b[2J \u{9b}31m \u{2066}x\u{2069} \x07")
            },
        );
        let out = dump(&b.finish());
        assert!(out.contains("t␛]0;pwned␇"), "{out}");
        assert!(out.contains("safe␈␈␈␈evil ␛[2J <U+009B>31m <U+2066>x<U+2069> ␇"));
        assert!(out.contains("by ev<U+202E>il"));
        assert!(
            out.chars().all(|c| c == '\n'
                || !(c.is_control()
                    || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'))),
            "{out:?}"
        );
    }

    #[test]
    fn indentation_is_capped_with_depth_fields() {
        let mut b = ThreadBuilder::new();
        let mut parent = None;
        for i in 0..40 {
            parent = Some(b.push(parent, draft(&format!("level {i}"))));
        }
        let out = dump(&b.finish());
        let max_indent = out
            .lines()
            .map(|l| l.len() - l.trim_start().len())
            .max()
            .unwrap_or(0);
        assert_eq!(max_indent, 2 + 2 * MAX_INDENT_DEPTH as usize + 2);
        assert!(out.contains("• [depth 31]\n"));
        assert!(!out.contains("[depth 30]"));
    }
}
