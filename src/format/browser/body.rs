//! Turning the lines of an article or a comment into a [`Body`]: paragraphs reflowed from
//! the browser's wrapping, hard breaks kept, list items, quotes, and lynx link marks made
//! into links with the URLs of the References list.

use std::collections::HashMap;

use super::lines::{Item, Line, strip_marks};
use crate::model::{Block, BlockKind, Body, Link, Span, SpanStyle};
use crate::text::display_width;

/// Where the block being filled stands, to decide whether the next line continues it.
#[derive(Debug)]
struct Open {
    /// The block's kind and quotation depth, and its text and spans so far (grown here,
    /// boxed into a [`Block`] when it closes).
    kind: BlockKind,
    quote_depth: u8,
    text: String,
    spans: Vec<Span>,
    /// Column the block's continuation lines start at.
    col: usize,
    /// Column just past the last line added, to tell a wrapped line from a hard break.
    end_col: usize,
}

/// Collects blocks line by line.
#[derive(Debug)]
pub(crate) struct BodyBuilder<'r> {
    urls: &'r HashMap<u32, String>,
    width: usize,
    body: Body,
    open: Option<Open>,
    list_keys: Vec<usize>,
}

impl<'r> BodyBuilder<'r> {
    /// A builder resolving link marks through `urls`; `width` is the dump's wrap width.
    pub fn new(urls: &'r HashMap<u32, String>, width: usize) -> Self {
        Self {
            urls,
            width,
            body: Body::default(),
            open: None,
            list_keys: Vec::new(),
        }
    }

    /// A blank line: ends the block.
    pub fn blank(&mut self) {
        self.flush();
    }

    /// A list item inside the text (not a comment).
    pub fn item(&mut self, line: &Line<'_>, item: &Item<'_>) {
        self.flush();
        while self.list_keys.last().is_some_and(|k| *k > item.key) {
            self.list_keys.pop();
        }
        if self.list_keys.last() != Some(&item.key) {
            self.list_keys.push(item.key);
        }
        let level = u8::try_from(self.list_keys.len() - 1).unwrap_or(u8::MAX);
        let mut open = Open {
            kind: BlockKind::ListItem {
                marker: item.marker_text.into(),
                level,
            },
            quote_depth: 0,
            text: String::new(),
            spans: Vec::new(),
            col: item.key,
            end_col: line.end_col(),
        };
        self.push_text(&mut open, item.rest, None);
        self.open = Some(open);
    }

    /// A line of text; `quote_depth` and `heading` say how it stands out from the text
    /// around it. A line at the text column of an open list item continues that item.
    pub fn text(&mut self, line: &Line<'_>, quote_depth: u8, heading: bool) {
        let kind = if heading {
            BlockKind::Heading
        } else {
            BlockKind::Paragraph
        };
        let continues = self.open.as_ref().is_some_and(|o| match o.kind {
            BlockKind::ListItem { .. } => o.col == line.indent,
            _ => o.kind == kind && o.quote_depth == quote_depth,
        });
        if continues {
            let mut open = self.open.take().expect("checked above");
            let first_word = line.text.split(' ').next().unwrap_or("");
            let fits = open.end_col + 1 + display_width(first_word) <= self.width;
            self.push_text(&mut open, line.text, Some(if fits { '\n' } else { ' ' }));
            open.end_col = line.end_col();
            self.open = Some(open);
            return;
        }
        self.flush();
        self.list_keys.clear();
        let mut open = Open {
            kind,
            quote_depth,
            text: String::new(),
            spans: Vec::new(),
            col: line.indent,
            end_col: line.end_col(),
        };
        self.push_text(&mut open, line.text, None);
        self.open = Some(open);
    }

    /// The finished body.
    pub fn finish(mut self) -> Body {
        self.flush();
        // w3m writes links without marks, and anyone may paste a URL: bare ones are links.
        crate::format::bareurl::link_bare_urls(&mut self.body);
        self.body
    }

    fn flush(&mut self) {
        if let Some(open) = self.open.take() {
            self.body.blocks.push(Block {
                kind: open.kind,
                quote_depth: open.quote_depth,
                text: open.text.into(),
                spans: open.spans.into(),
            });
        }
    }

    /// Appends a line's text to a block, turning link marks into links.
    fn push_text(&mut self, block: &mut Open, text: &str, joiner: Option<char>) {
        let (clean, marks) = strip_marks(text, self.urls);
        if let Some(j) = joiner {
            block.text.push(j);
        }
        let base = block.text.len();
        block.text.push_str(&clean);
        for (i, mark) in marks.iter().enumerate() {
            let Some(url) = self.urls.get(&mark.number) else {
                continue;
            };
            let limit = marks.get(i + 1).map_or(clean.len(), |m| m.at);
            let len = link_text_len(&clean[mark.at..limit], url);
            let index = self.body.links.len();
            let text = &clean[mark.at..mark.at + len];
            self.body.links.push(Link {
                text: if text.is_empty() {
                    url.clone()
                } else {
                    text.to_string()
                },
                url: url.clone(),
            });
            if len > 0 {
                block.spans.push(Span {
                    range: base + mark.at..base + mark.at + len,
                    style: SpanStyle::Link(index),
                });
            }
        }
    }
}

/// How much of the text after a lynx mark is the link's text. lynx marks where a link
/// starts, not where it ends: the URL itself when it is written out, else the first word.
fn link_text_len(tail: &str, url: &str) -> usize {
    let bare = url.split_once("://").map_or(url, |(_, rest)| rest);
    for candidate in [url, bare] {
        if !candidate.is_empty() && tail.starts_with(candidate) {
            return candidate.len();
        }
    }
    let word = tail.split(char::is_whitespace).next().unwrap_or("");
    word.trim_end_matches(['.', ',', ';', ':', '!', '?', ')', '"', '\'', '”', '’'])
        .len()
}

/// The column width the browser wrapped at, estimated as the widest line of running text
/// (a line with a space inside it), at least 40.
pub(crate) fn estimate_width(lines: &[Line<'_>]) -> usize {
    lines
        .iter()
        .filter(|l| l.text.contains(' '))
        .map(Line::end_col)
        .max()
        .unwrap_or(0)
        .max(40)
}

/// The most common indentation among `lines` (ties go to the one nearest `prefer`).
pub(crate) fn common_indent<'a>(lines: impl Iterator<Item = &'a Line<'a>>, prefer: usize) -> usize {
    let mut counts: HashMap<usize, usize> = HashMap::new();
    for line in lines {
        *counts.entry(line.indent).or_default() += 1;
    }
    counts
        .into_iter()
        .max_by_key(|(indent, n)| (*n, std::cmp::Reverse(indent.abs_diff(prefer))))
        .map_or(prefer, |(indent, _)| indent)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_text_is_the_url_or_the_first_word() {
        assert_eq!(
            link_text_len("https://a.example/x and", "https://a.example/x"),
            19
        );
        assert_eq!(link_text_len("a.example/x and", "https://a.example/x"), 11);
        assert_eq!(link_text_len("study or something", "https://s.example/"), 5);
        assert_eq!(link_text_len("thigmo.", "http://g.example/"), 6);
    }
}
