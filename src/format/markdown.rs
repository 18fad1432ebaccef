//! Markdown bodies (Reddit) to [`crate::model::Body`], with pulldown-cmark.
//!
//! `CommonMark` plus strikethrough and tables, as Reddit writes them. A soft line break (a
//! single newline inside a paragraph) reads as a space, as Markdown renders it; two trailing
//! spaces or a backslash make a hard break. Raw HTML is not rendered by Reddit, so it is kept
//! as literal text. Reddit's own extensions (`^superscript`, `>!spoilers!<`) stay as text.
//! No IO.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use crate::format::bodybuild::BodyBuilder;
use crate::model::{BlockKind, Body, SpanStyle};

/// Converts Markdown to a body.
#[must_use]
pub fn to_body(markdown: &str) -> Body {
    if markdown.is_empty() {
        return Body::default();
    }
    let mut b = BodyBuilder::new();
    let mut row_cells = 0usize;
    let options = Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES;
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Start(tag) => match tag {
                Tag::Paragraph | Tag::HtmlBlock | Tag::Table(_) => b.flush(),
                Tag::Heading { .. } => b.start_block(BlockKind::Heading),
                Tag::BlockQuote(_) => b.quote_in(),
                Tag::CodeBlock(_) => b.code_in(),
                Tag::List(start) => b.list_in(start.is_some(), start.unwrap_or(1)),
                Tag::Item => b.item(),
                Tag::Emphasis => b.push_style(SpanStyle::Emphasis),
                Tag::Strong => b.push_style(SpanStyle::Strong),
                Tag::Strikethrough => b.push_style(SpanStyle::Strike),
                Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } => {
                    b.open_link(&dest_url);
                }
                Tag::TableHead | Tag::TableRow => row_cells = 0,
                Tag::TableCell => {
                    if row_cells > 0 {
                        b.text_raw(" | ");
                    }
                    row_cells += 1;
                }
                _ => {}
            },
            Event::End(end) => match end {
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::HtmlBlock | TagEnd::Table => {
                    b.flush();
                }
                TagEnd::Item => b.flush(),
                TagEnd::BlockQuote(_) => b.quote_out(),
                TagEnd::CodeBlock => b.code_out(),
                TagEnd::List(_) => b.list_out(),
                TagEnd::Emphasis => b.pop_style(SpanStyle::Emphasis),
                TagEnd::Strong => b.pop_style(SpanStyle::Strong),
                TagEnd::Strikethrough => b.pop_style(SpanStyle::Strike),
                TagEnd::Link | TagEnd::Image => b.close_link(),
                TagEnd::TableHead | TagEnd::TableRow => b.hard_break(),
                _ => {}
            },
            Event::Text(t) => b.text_raw(&t),
            Event::Code(t) => {
                b.push_style(SpanStyle::Code);
                b.text_raw(&t);
                b.pop_style(SpanStyle::Code);
            }
            Event::Html(t)
            | Event::InlineHtml(t)
            | Event::InlineMath(t)
            | Event::DisplayMath(t) => {
                b.text_raw(&t);
            }
            Event::FootnoteReference(t) => b.text_raw(&format!("[^{t}]")),
            Event::SoftBreak => b.text_collapsed(" "),
            Event::HardBreak => b.hard_break(),
            Event::Rule => b.flush(),
            Event::TaskListMarker(done) => b.text_raw(if done { "[x] " } else { "[ ] " }),
        }
    }
    b.finish(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Link, Span};

    #[test]
    fn paragraphs_breaks_and_styles() {
        let b = to_body("Hello *you*\nthere  \nnext **bold** `x` ~~no~~\n\nSecond");
        assert_eq!(b.blocks.len(), 2);
        assert_eq!(b.blocks[0].text, "Hello you there\nnext bold x no");
        let styles: Vec<_> = b.blocks[0].spans.iter().map(|s| s.style).collect();
        assert_eq!(
            styles,
            [
                SpanStyle::Emphasis,
                SpanStyle::Strong,
                SpanStyle::Code,
                SpanStyle::Strike
            ]
        );
        assert_eq!(b.blocks[1].text, "Second");
    }

    #[test]
    fn quotes_code_lists_links() {
        let b = to_body(
            "> quoted\n>> deeper\n\n    code  kept\n    line\n\n1. one\n2. [two](https://e.x/2)\n   - sub\n",
        );
        let view: Vec<_> = b
            .blocks
            .iter()
            .map(|b| (b.quote_depth, b.kind.clone(), b.text.as_str()))
            .collect();
        assert_eq!(view[0], (1, BlockKind::Paragraph, "quoted"));
        assert_eq!(view[1], (2, BlockKind::Paragraph, "deeper"));
        assert_eq!(view[2], (0, BlockKind::Code, "code  kept\nline"));
        assert_eq!(
            view[3].1,
            BlockKind::ListItem {
                marker: "1.".into(),
                level: 0
            }
        );
        assert_eq!(view[4].2, "two");
        assert_eq!(
            view[5].1,
            BlockKind::ListItem {
                marker: "•".into(),
                level: 1
            }
        );
        assert_eq!(
            b.links,
            [Link {
                text: "two".into(),
                url: "https://e.x/2".into()
            }]
        );
        assert_eq!(
            *b.blocks[4].spans,
            [Span {
                range: 0..3,
                style: SpanStyle::Link(0)
            }]
        );
    }

    #[test]
    fn entities_decoded_html_kept_literal() {
        let b = to_body("a &amp; b &#27;[2J <b>not bold</b>");
        assert_eq!(b.blocks[0].text, "a & b \u{1b}[2J <b>not bold</b>");
        assert!(b.blocks[0].spans.is_empty());
    }

    #[test]
    fn deep_quotes_do_not_overflow() {
        let md = format!("{} deep", ">".repeat(20_000));
        let b = to_body(&md);
        assert_eq!(b.blocks[0].text, "deep");
        assert_eq!(b.blocks[0].quote_depth, 255);
    }
}
