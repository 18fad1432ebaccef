//! Bodies turned into wrapped, styled lines, memoised per (document, width).
//!
//! Wrapping is the costly part of drawing text, so it happens once per comment and width and
//! is reused for every frame and for the paging maths in `app`. Lines carry semantic styles
//! ([`TextStyle`]), which the theme turns into colours at draw time.

use std::collections::HashMap;
use std::rc::Rc;

use crate::model::{Block, BlockKind, Body, CommentIdx, SpanStyle, Thread};
use crate::text::{display_width, sanitize, sanitize_line, wrap_hard, wrap_ranges};

/// A document that can be shown in full: the article or one comment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Doc {
    /// The article, with its title and byline.
    Article,
    /// One comment's body.
    Comment(CommentIdx),
}

/// What a piece of text is, for the theme to colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TextStyle {
    /// Ordinary text.
    Text,
    /// Quoted text and the quote bar.
    Quote,
    /// Code.
    Code,
    /// Link text: index into the body's links.
    Link(u32),
    /// The `[n]` after a link.
    LinkMarker,
    /// Italic.
    Emphasis,
    /// Bold.
    Strong,
    /// Struck through.
    Strike,
    /// A title or heading.
    Heading,
    /// Bylines, list markers and similar.
    Meta,
    /// A mail signature (see [`crate::format::mail::body::is_signature`]).
    Signature,
}

/// One screen line of wrapped text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RichLine {
    /// Sanitised pieces with their styles, left to right.
    pub segments: Vec<(String, TextStyle)>,
    /// The body block this line shows (`None` for titles, bylines and blank lines).
    pub block: Option<usize>,
    /// Byte offset in the block's (sanitised) text where this line starts.
    pub offset: usize,
}

impl RichLine {
    fn plain(text: String, style: TextStyle) -> Self {
        Self {
            segments: vec![(text, style)],
            block: None,
            offset: 0,
        }
    }

    /// The line's text without styles.
    #[must_use]
    pub fn text(&self) -> String {
        self.segments.iter().map(|(s, _)| s.as_str()).collect()
    }
}

/// Memo of wrapped documents. Bounded: cleared when it grows past a few hundred entries.
#[derive(Debug, Default)]
pub struct TextCache {
    map: HashMap<(Doc, usize), Rc<Vec<RichLine>>>,
    /// Show long quotes of the parent in full instead of folded to one line.
    show_quotes: bool,
}

/// How a content warning heading starts (written by [`crate::format::mastodon`]).
pub const CONTENT_WARNING: &str = crate::format::mastodon::CONTENT_WARNING;

/// A run of quoted blocks longer than this many wrapped lines folds, when it quotes the
/// comment's parent.
pub const QUOTE_FOLD_LINES: usize = 4;

const CACHE_LIMIT: usize = 512;

impl TextCache {
    /// Whether long quotes of the parent are shown in full.
    #[must_use]
    pub fn show_quotes(&self) -> bool {
        self.show_quotes
    }

    /// Shows long quotes of the parent in full (`true`) or folded to one line; the memo is
    /// dropped when this changes.
    pub fn set_show_quotes(&mut self, show: bool) {
        if show != self.show_quotes {
            self.show_quotes = show;
            self.map.clear();
        }
    }

    /// The wrapped lines of `doc` at `width` columns.
    pub fn lines(&mut self, thread: &Thread, doc: Doc, width: usize) -> Rc<Vec<RichLine>> {
        if let Some(lines) = self.map.get(&(doc, width)) {
            return Rc::clone(lines);
        }
        if self.map.len() >= CACHE_LIMIT {
            self.map.clear();
        }
        let lines = Rc::new(match doc {
            Doc::Article => article_lines(thread, width),
            Doc::Comment(idx) if self.show_quotes => body_lines(&thread.comment(idx).body, width),
            Doc::Comment(idx) => {
                let parent = thread
                    .comment(idx)
                    .parent
                    .map_or(&thread.body, |p| &thread.comment(p).body);
                folded_body_lines(&thread.comment(idx).body, parent, width)
            }
        });
        self.map.insert((doc, width), Rc::clone(&lines));
        lines
    }
}

fn article_lines(thread: &Thread, width: usize) -> Vec<RichLine> {
    let mut out = Vec::new();
    if let Some(title) = &thread.title {
        for r in wrap_ranges(&sanitize_line(title), width) {
            out.push(RichLine::plain(
                sanitize_line(title)[r].to_string(),
                TextStyle::Heading,
            ));
        }
    }
    let mut meta = Vec::new();
    if let Some(place) = &thread.community {
        meta.push(format!("in {}", sanitize_line(place)));
    }
    if let Some(a) = &thread.author {
        meta.push(format!("by {}", sanitize_line(a)));
    }
    if let Some(c) = &thread.created {
        meta.push(sanitize_line(&c.to_rfc3339()).into_owned());
    }
    if let Some(s) = thread.score {
        meta.push(format!(
            "{s} {}",
            if s.abs() == 1 { "point" } else { "points" }
        ));
    }
    if let Some(u) = &thread.url {
        meta.push(sanitize_line(u).into_owned());
    }
    out.extend(
        byline_rows(&meta, width)
            .into_iter()
            .map(|row| RichLine::plain(row, TextStyle::Meta)),
    );
    if !out.is_empty() {
        out.push(RichLine::default());
    }
    out.extend(body_lines(&thread.body, width));
    if thread.body.is_empty() && thread.title.is_none() {
        out.push(RichLine::plain(
            "(This thread has no article text.)".into(),
            TextStyle::Meta,
        ));
    }
    out
}

/// The byline's parts joined by ` · ` in rows of at most `width` columns, wrapped between
/// parts: a part that does not fit starts a row, so no row ends or starts with the
/// separator, and one wider than a row (a long URL) is wrapped on rows of its own.
fn byline_rows(parts: &[String], width: usize) -> Vec<String> {
    const SEP: &str = " · ";
    let width = width.max(1);
    let mut rows: Vec<String> = Vec::new();
    let mut open = false;
    for part in parts {
        if let Some(row) = rows.last_mut().filter(|_| open)
            && display_width(row) + display_width(SEP) + display_width(part) <= width
        {
            row.push_str(SEP);
            row.push_str(part);
            continue;
        }
        let pieces = wrap_ranges(part, width);
        open = pieces.len() == 1;
        rows.extend(pieces.into_iter().map(|r| part[r].to_string()));
    }
    rows
}

/// Wraps a body to `width` columns: blocks separated by a blank line, quotes with a bar,
/// list items with a hanging indent, code unreflowed, links followed by their number.
#[must_use]
pub fn body_lines(body: &Body, width: usize) -> Vec<RichLine> {
    let mut out = Vec::new();
    for (i, block) in body.blocks.iter().enumerate() {
        if i > 0 && !tight(&body.blocks[i - 1], block) {
            out.push(RichLine::default());
        }
        block_lines(i, block, width, &mut out);
    }
    out
}

/// Items of one list stand on consecutive lines, as browsers draw a list (a blank line
/// between every item read as loose paragraphs, issue 15 #22).
fn tight(before: &Block, block: &Block) -> bool {
    matches!(before.kind, BlockKind::ListItem { .. })
        && matches!(block.kind, BlockKind::ListItem { .. })
        && before.quote_depth == block.quote_depth
}

/// Whitespace runs as one space, for comparing quoted text with its source.
fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// True when most of the quoted blocks' text (attribution lines aside) is found in the
/// parent's text.
fn quotes_parent(blocks: &[Block], parent_text: &str) -> bool {
    let (mut total, mut found) = (0, 0);
    for block in blocks {
        let text = collapse(&block.text);
        if text.ends_with("wrote:") || text.ends_with("writes:") {
            continue;
        }
        total += text.len();
        if memchr::memmem::find(parent_text.as_bytes(), text.as_bytes()).is_some() {
            found += text.len();
        }
    }
    total > 0 && found * 2 >= total
}

/// As [`body_lines`], with each run of quoted blocks that quotes `parent` and would take
/// more than [`QUOTE_FOLD_LINES`] lines folded to one line saying how many it hides.
#[must_use]
pub fn folded_body_lines(body: &Body, parent: &Body, width: usize) -> Vec<RichLine> {
    let mut out = Vec::new();
    let mut parent_text: Option<String> = None;
    let mut i = 0;
    while i < body.blocks.len() {
        if i > 0 {
            out.push(RichLine::default());
        }
        let run_end = if body.blocks[i].quote_depth > 0 {
            body.blocks[i..]
                .iter()
                .position(|b| b.quote_depth == 0)
                .map_or(body.blocks.len(), |p| i + p)
        } else {
            i + 1
        };
        if body.blocks[i].quote_depth > 0 {
            let mut run = Vec::new();
            for (n, block) in body.blocks[i..run_end].iter().enumerate() {
                if n > 0 {
                    run.push(RichLine::default());
                }
                block_lines(i + n, block, width, &mut run);
            }
            let parent_text = parent_text.get_or_insert_with(|| collapse(&parent.plain_text()));
            // Text under a content warning (`CW: …` heading, see the Mastodon reader) folds
            // whatever its length.
            let warned = i > 0
                && body.blocks[i - 1].kind == BlockKind::Heading
                && body.blocks[i - 1].text.starts_with(CONTENT_WARNING);
            if warned
                || (run.len() > QUOTE_FOLD_LINES
                    && quotes_parent(&body.blocks[i..run_end], parent_text))
            {
                let hidden = run.iter().filter(|l| l.block.is_some()).count();
                let lines = if hidden == 1 { "line" } else { "lines" };
                let text = if warned {
                    format!("▸ {hidden} {lines} under the content warning")
                } else {
                    format!("▸ {hidden} {lines} quoted from the parent")
                };
                for r in wrap_ranges(&text, width.saturating_sub(2).max(1)) {
                    out.push(RichLine {
                        segments: vec![
                            ("│ ".to_string(), TextStyle::Quote),
                            (text[r].to_string(), TextStyle::Meta),
                        ],
                        block: Some(i),
                        offset: 0,
                    });
                }
            } else {
                out.append(&mut run);
            }
        } else {
            block_lines(i, &body.blocks[i], width, &mut out);
        }
        i = run_end;
    }
    out
}

fn block_lines(index: usize, block: &Block, width: usize, out: &mut Vec<RichLine>) {
    let quote = "│ ".repeat(usize::from(block.quote_depth));
    let (first_prefix, rest_prefix) = match &block.kind {
        BlockKind::ListItem { marker, level } => {
            let pad = "  ".repeat(usize::from(*level));
            let marker = format!("{pad}{} ", sanitize_line(marker));
            let hang = " ".repeat(display_width(&marker));
            (marker, hang)
        }
        _ => (String::new(), String::new()),
    };
    let prefix_width = display_width(&quote) + display_width(&first_prefix);
    let inner = width.saturating_sub(prefix_width).max(1);
    let base_style = match block.kind {
        BlockKind::Code => TextStyle::Code,
        BlockKind::Heading => TextStyle::Heading,
        _ if block.quote_depth > 0 => TextStyle::Quote,
        _ if crate::format::mail::body::is_signature(block) => TextStyle::Signature,
        _ => TextStyle::Text,
    };
    let (text, styles) = styled_text(block, base_style);
    let pieces: Vec<(usize, usize)> = if block.kind == BlockKind::Code {
        // Code keeps its lines; long ones are cut at the width rather than reflowed.
        let mut pos = 0;
        let mut v = Vec::new();
        for piece in wrap_hard(&text, inner) {
            let start = text[pos..].find(piece.as_str()).map_or(pos, |p| p + pos);
            v.push((start, start + piece.len()));
            pos = start + piece.len();
        }
        v
    } else {
        wrap_ranges(&text, inner)
            .into_iter()
            .map(|r| (r.start, r.end))
            .collect()
    };
    for (n, (start, end)) in pieces.into_iter().enumerate() {
        let mut line = RichLine {
            block: Some(index),
            offset: start,
            ..RichLine::default()
        };
        if !quote.is_empty() {
            line.segments.push((quote.clone(), TextStyle::Quote));
        }
        let prefix = if n == 0 { &first_prefix } else { &rest_prefix };
        if !prefix.is_empty() {
            line.segments.push((prefix.clone(), TextStyle::Meta));
        }
        push_styled(&mut line, &text, start, end, &styles);
        out.push(line);
    }
}

/// Visits the pieces a block is drawn from, in order: each with the byte range of
/// [`Block::text`] it shows (empty for the `[n]` after a link, which the source does not
/// have), its raw text and its style. Drawing ([`styled_text`]) and the mapping from source
/// offsets to screen offsets ([`screen_offset`]) walk the same pieces, so they agree.
fn for_each_piece(
    block: &Block,
    base: TextStyle,
    mut visit: impl FnMut(std::ops::Range<usize>, &str, TextStyle),
) {
    let mut pos = 0;
    for span in &block.spans {
        let (s, e) = (span.range.start, span.range.end);
        if s < pos
            || e > block.text.len()
            || !block.text.is_char_boundary(s)
            || !block.text.is_char_boundary(e)
        {
            continue;
        }
        visit(pos..s, &block.text[pos..s], base);
        let style = match span.style {
            SpanStyle::Emphasis => TextStyle::Emphasis,
            SpanStyle::Strong => TextStyle::Strong,
            SpanStyle::Code => TextStyle::Code,
            SpanStyle::Strike => TextStyle::Strike,
            SpanStyle::Link(n) => TextStyle::Link(u32::try_from(n).unwrap_or(u32::MAX)),
        };
        visit(s..e, &block.text[s..e], style);
        if let SpanStyle::Link(n) = span.style {
            visit(e..e, &format!("[{}]", n + 1), TextStyle::LinkMarker);
        }
        pos = e;
    }
    visit(pos..block.text.len(), &block.text[pos..], base);
}

/// Sanitised block text plus style runs `(start, end, style)` over it.
fn styled_text(block: &Block, base: TextStyle) -> (String, Vec<(usize, usize, TextStyle)>) {
    let mut text = String::with_capacity(block.text.len());
    let mut runs = Vec::new();
    for_each_piece(block, base, |_, raw, style| {
        let start = text.len();
        text.push_str(&sanitize(raw));
        runs.push((start, text.len(), style));
    });
    (text, runs)
}

/// Where byte `offset` of [`Block::text`] (the search's coordinates) is in the block's
/// drawn text (the coordinates of [`RichLine::offset`]: sanitised, with a `[n]` after each
/// link). A match right after a link starts after its `[n]`.
#[must_use]
pub fn screen_offset(block: &Block, offset: usize) -> usize {
    let mut out = 0;
    let mut done = false;
    for_each_piece(block, TextStyle::Text, |range, raw, _| {
        if done {
            return;
        }
        if range.end <= offset {
            out += sanitize(raw).len();
        } else {
            let cut = offset.saturating_sub(range.start);
            if raw.is_char_boundary(cut) {
                out += sanitize(&raw[..cut]).len();
            }
            done = true;
        }
    });
    out
}

fn push_styled(
    line: &mut RichLine,
    text: &str,
    start: usize,
    end: usize,
    runs: &[(usize, usize, TextStyle)],
) {
    for &(rs, re, style) in runs {
        let (s, e) = (rs.max(start), re.min(end));
        if s < e {
            line.segments.push((text[s..e].to_string(), style));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Link, Span};

    fn texts(lines: &[RichLine]) -> Vec<String> {
        lines.iter().map(RichLine::text).collect()
    }

    #[test]
    fn the_byline_wraps_between_its_parts_never_after_a_separator() {
        let parts = |p: &[&str]| p.iter().map(ToString::to_string).collect::<Vec<_>>();
        let date_url = parts(&[
            "2018-01-28T11:38:45Z",
            "https://blog.example/a-long-post-slug/",
        ]);
        assert_eq!(
            byline_rows(&date_url, 30),
            [
                "2018-01-28T11:38:45Z",
                "https://blog.example/a-long-po",
                "st-slug/"
            ]
        );
        assert_eq!(
            byline_rows(
                &parts(&["by Ada", "2018-01-28", "https://b.example/", "x"]),
                26
            ),
            ["by Ada · 2018-01-28", "https://b.example/ · x"]
        );
        for width in 1..60 {
            for row in byline_rows(&date_url, width) {
                assert!(
                    !row.ends_with('·') && !row.starts_with(" ·"),
                    "{row:?} at {width}"
                );
            }
        }
        assert!(byline_rows(&[], 10).is_empty());
        // The article's header: a date and a long URL, no author.
        let mut b = crate::model::ThreadBuilder::new();
        b.created = Some(crate::model::Timestamp::parse("2018-01-28T11:38:45Z"));
        b.url = Some("https://blog.example/a-long-post-slug/".into());
        b.body = Body::from_plain("Text.");
        let lines = texts(&article_lines(&b.finish(), 30));
        assert_eq!(
            lines[..3],
            [
                "2018-01-28T11:38:45Z",
                "https://blog.example/a-long-po",
                "st-slug/"
            ]
        );
    }

    #[test]
    fn paragraphs_quotes_and_lists() {
        let mut body = Body::from_plain("one two three\n\nfour");
        body.blocks.push(Block {
            kind: BlockKind::Paragraph,
            quote_depth: 1,
            text: "quoted words here".into(),
            spans: crate::model::Spans::new(),
        });
        body.blocks.push(Block {
            kind: BlockKind::ListItem {
                marker: "•".into(),
                level: 0,
            },
            quote_depth: 0,
            text: "item with words".into(),
            spans: crate::model::Spans::new(),
        });
        let lines = body_lines(&body, 9);
        assert_eq!(
            texts(&lines),
            [
                "one two",
                "three",
                "",
                "four",
                "",
                "│ quoted",
                "│ words",
                "│ here",
                "",
                "• item",
                "  with",
                "  words"
            ]
        );
        assert_eq!(lines[5].segments[1].1, TextStyle::Quote);
    }

    #[test]
    fn links_get_numbers_and_styles_survive_wrapping() {
        let body = Body {
            blocks: thin_vec::thin_vec![Block {
                kind: BlockKind::Paragraph,
                quote_depth: 0,
                text: "see the docs now".into(),
                spans: thin_vec::thin_vec![Span {
                    range: 4..12,
                    style: SpanStyle::Link(0),
                }],
            }],
            links: thin_vec::thin_vec![Link {
                text: "the docs".into(),
                url: "https://example.org".into(),
            }],
        };
        let lines = body_lines(&body, 80);
        assert_eq!(lines[0].text(), "see the docs[1] now");
        assert!(
            lines[0]
                .segments
                .contains(&("the docs".to_string(), TextStyle::Link(0)))
        );
    }

    #[test]
    fn source_offsets_map_to_drawn_offsets_past_marks_and_controls() {
        // "a " link "b" ESC tab "needle": the drawn text has "[1]" after the link, the
        // ESC made visible and the tab expanded, so "needle" moves right.
        let text = "a link b\x1b\tneedle";
        let block = Block {
            kind: BlockKind::Paragraph,
            quote_depth: 0,
            text: text.into(),
            spans: thin_vec::thin_vec![Span {
                range: 2..6,
                style: SpanStyle::Link(0),
            }],
        };
        let (drawn, _) = styled_text(&block, TextStyle::Text);
        let raw = text.find("needle").unwrap();
        let at = screen_offset(&block, raw);
        assert!(at > raw + 3, "{drawn:?}");
        assert!(drawn[at..].starts_with("needle"), "{drawn:?} at {at}");
        // Right after a link is after its mark; inside the link, inside its text.
        assert!(
            drawn[screen_offset(&block, 6)..].starts_with(" b"),
            "{drawn:?}"
        );
        assert_eq!(screen_offset(&block, 3), 3);
        assert_eq!(screen_offset(&block, 0), 0);
        assert_eq!(screen_offset(&block, text.len()), drawn.len());
        // Every source character boundary lands on a drawn one.
        for (i, _) in text.char_indices() {
            assert!(drawn.is_char_boundary(screen_offset(&block, i)));
        }
    }

    #[test]
    fn hostile_text_is_sanitised_and_code_is_not_reflowed() {
        let mut body = Body::from_plain("evil\x1b[2J\u{202e}");
        body.blocks.push(Block {
            kind: BlockKind::Code,
            quote_depth: 0,
            text: "fn  main() {}\n  x".into(),
            spans: crate::model::Spans::new(),
        });
        let lines = body_lines(&body, 8);
        assert_eq!(texts(&lines)[..2], ["evil␛[2J", "<U+202E>"]);
        assert_eq!(texts(&lines)[3..], ["fn  main", "() {}", "  x"]);
    }

    fn quoting(quoted: &[&str], own: &str) -> Body {
        let mut body = Body::default();
        for q in quoted {
            let mut b = Block::paragraph(*q);
            b.quote_depth = 1;
            body.blocks.push(b);
        }
        body.blocks.push(Block::paragraph(own));
        body
    }

    #[test]
    fn long_quotes_of_the_parent_fold_to_one_line() {
        let parent = Body::from_plain(
            "first paragraph of the parent\n\nsecond paragraph of the parent\n\nthird one",
        );
        let quotes = [
            "On Monday, A wrote:",
            "first paragraph of the parent",
            "second paragraph of the parent",
            "third one",
        ];
        let reply = quoting(&quotes, "my answer");
        let lines = folded_body_lines(&reply, &parent, 40);
        assert_eq!(
            texts(&lines),
            ["│ ▸ 4 lines quoted from the parent", "", "my answer"]
        );
        assert_eq!(lines[0].block, Some(0));
        // Shown in full: the ordinary wrapping.
        assert_eq!(body_lines(&reply, 40).len(), 9);
        // Short, or not the parent's words: not folded.
        let short = quoting(&quotes[1..2], "my answer");
        assert_eq!(
            folded_body_lines(&short, &parent, 40),
            body_lines(&short, 40)
        );
        let other = quoting(
            &["alpha beta", "gamma delta", "epsilon", "zeta eta"],
            "mine",
        );
        assert_eq!(
            folded_body_lines(&other, &parent, 40),
            body_lines(&other, 40)
        );
    }

    #[test]
    fn the_cache_folds_until_told_to_show_quotes() {
        let mut b = crate::model::ThreadBuilder::new();
        b.body = Body::from_plain("one\n\ntwo\n\nthree\n\nfour");
        b.push(
            None,
            crate::model::CommentDraft {
                body: quoting(&["one", "two", "three", "four"], "reply"),
                ..Default::default()
            },
        );
        let thread = b.finish();
        let mut cache = TextCache::default();
        let doc = Doc::Comment(crate::model::CommentIdx(0));
        assert_eq!(cache.lines(&thread, doc, 40).len(), 3);
        cache.set_show_quotes(true);
        assert!(cache.show_quotes());
        assert_eq!(cache.lines(&thread, doc, 40).len(), 9);
    }

    #[test]
    fn text_under_a_content_warning_folds() {
        let mut body = quoting(&["spoiler"], "after");
        let mut cw = Block::paragraph("CW: the ending");
        cw.kind = BlockKind::Heading;
        body.blocks.insert(0, cw);
        let lines = folded_body_lines(&body, &Body::default(), 40);
        assert_eq!(
            texts(&lines),
            [
                "CW: the ending",
                "",
                "│ ▸ 1 line under the content warning",
                "",
                "after"
            ]
        );
        assert_eq!(texts(&body_lines(&body, 40))[2], "│ spoiler");
    }

    #[test]
    fn signatures_are_styled_as_such() {
        let body = crate::format::mail::body::to_body("text\n\n-- \nAlice\n");
        let lines = body_lines(&body, 40);
        assert_eq!(texts(&lines), ["text", "", "-- ", "Alice"]);
        assert_eq!(lines[3].segments[0].1, TextStyle::Signature);
        assert_eq!(lines[0].segments[0].1, TextStyle::Text);
    }
}
