//! Shared assembly of a [`Body`] for the HTML and Markdown converters.
//!
//! The converters feed events (text, breaks, block starts, style pushes and pops); this keeps
//! the bookkeeping: whitespace collapsing, one style per character (a link wins over the
//! styles inside it, otherwise the innermost style), spans that are sorted and never overlap,
//! links numbered per body in order of appearance, quote depth, list markers and levels.
//! Everything is a loop over flat stacks; nothing recurses over nesting depth. No IO.

use crate::model::{Block, BlockKind, Body, Link, Span, SpanStyle};

/// One open list: ordered lists count their items.
struct List {
    ordered: bool,
    next: u64,
}

/// Builds a [`Body`] from a stream of structural events.
#[derive(Default)]
pub struct BodyBuilder {
    blocks: Vec<Block>,
    links: Vec<Link>,
    text: String,
    spans: Vec<Span>,
    kind: Option<BlockKind>,
    quote: u8,
    lists: Vec<List>,
    code: u32,
    styles: Vec<SpanStyle>,
    /// The links among `styles`, innermost last (a link wins over other styles).
    link_styles: Vec<SpanStyle>,
    run: Option<(SpanStyle, usize)>,
    pending_space: bool,
    /// Open links: index into `links`, and where its text starts (block number, byte).
    open_links: Vec<(usize, usize, usize)>,
}

fn is_html_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{c}')
}

impl BodyBuilder {
    /// An empty builder.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// True inside a code block (text is kept verbatim there).
    #[must_use]
    pub fn in_code(&self) -> bool {
        self.code > 0
    }

    fn effective_style(&self) -> Option<SpanStyle> {
        if self.code > 0 {
            return None;
        }
        self.link_styles
            .last()
            .or_else(|| self.styles.last())
            .copied()
    }

    fn close_run(&mut self) {
        if let Some((style, start)) = self.run.take() {
            let end = self.text.len();
            if start < end {
                match self.spans.last_mut() {
                    Some(last) if last.style == style && last.range.end == start => {
                        last.range.end = end;
                    }
                    _ => self.spans.push(Span {
                        range: start..end,
                        style,
                    }),
                }
            }
        }
    }

    fn restyle(&mut self) {
        let want = self.effective_style();
        if self.run.map(|r| r.0) != want {
            self.close_run();
            self.run = want.map(|s| (s, self.text.len()));
        }
    }

    fn emit_pending_space(&mut self) {
        if self.pending_space {
            self.pending_space = false;
            self.text.push(' ');
            // A space that only separates words belongs to no span that starts here.
            if let Some((_, start)) = &mut self.run
                && *start + 1 == self.text.len()
            {
                *start += 1;
            }
        }
    }

    fn push_visible(&mut self, c: char) {
        self.emit_pending_space();
        self.text.push(c);
    }

    /// Appends text, collapsing runs of HTML whitespace to one space (none at a line start).
    pub fn text_collapsed(&mut self, s: &str) {
        if self.code > 0 {
            self.text_raw(s);
            return;
        }
        for c in s.chars() {
            if is_html_space(c) {
                if !self.text.is_empty() && !self.text.ends_with('\n') {
                    self.pending_space = true;
                }
            } else {
                self.push_visible(c);
            }
        }
    }

    /// Appends text as it is (code, Markdown text events).
    pub fn text_raw(&mut self, s: &str) {
        if !s.is_empty() {
            self.emit_pending_space();
        }
        self.text.push_str(s);
    }

    /// A hard line break.
    pub fn hard_break(&mut self) {
        self.pending_space = false;
        self.text.push('\n');
    }

    /// Starts an inline style.
    pub fn push_style(&mut self, style: SpanStyle) {
        if matches!(style, SpanStyle::Link(_)) {
            self.link_styles.push(style);
        }
        self.styles.push(style);
        self.restyle();
    }

    /// Ends the innermost open instance of `style` (ignored when none is open).
    pub fn pop_style(&mut self, style: SpanStyle) {
        if let Some(i) = self.styles.iter().rposition(|s| *s == style) {
            if let Some(j) = self.link_styles.iter().rposition(|s| *s == style) {
                self.link_styles.remove(j);
            }
            self.styles.remove(i);
            self.restyle();
        }
    }

    /// Opens a link to `url`; its text is what comes until [`Self::close_link`].
    pub fn open_link(&mut self, url: &str) {
        let idx = self.links.len();
        self.links.push(Link {
            text: String::new(),
            url: url.to_string(),
        });
        self.open_links
            .push((idx, self.blocks.len(), self.text.len()));
        self.push_style(SpanStyle::Link(idx));
    }

    /// Closes the innermost open link. A link with no text shows its URL.
    pub fn close_link(&mut self) {
        let Some((idx, block, start)) = self.open_links.pop() else {
            return;
        };
        if self.code == 0 && block == self.blocks.len() && start == self.text.len() {
            let url = self.links[idx].url.clone();
            self.text_collapsed(&url);
        }
        let text = if block == self.blocks.len() {
            self.text.get(start..).unwrap_or("")
        } else {
            self.text.as_str()
        };
        self.links[idx].text = text.trim().to_string();
        self.pop_style(SpanStyle::Link(idx));
    }

    /// Ends the current block (if it has text) so the next text starts a new one.
    pub fn flush(&mut self) {
        self.close_run();
        self.pending_space = false;
        let code = self.code > 0;
        let mut text = std::mem::take(&mut self.text);
        let mut spans = std::mem::take(&mut self.spans);
        if code {
            if text.ends_with('\n') {
                text.pop();
            }
        } else {
            let trimmed = text.trim_end_matches(['\n', ' ']).len();
            text.truncate(trimmed);
            for s in &mut spans {
                s.range.end = s.range.end.min(trimmed);
            }
            spans.retain(|s| s.range.start < s.range.end);
        }
        if (code && !text.is_empty()) || !text.trim().is_empty() {
            let kind = if code {
                BlockKind::Code
            } else {
                self.kind.take().unwrap_or(BlockKind::Paragraph)
            };
            self.blocks.push(Block {
                kind,
                quote_depth: self.quote,
                text: text.into(),
                spans: spans.into(),
            });
        }
        // Styles still open continue in the next block.
        self.run = self.effective_style().map(|s| (s, 0));
    }

    /// Starts a block of `kind` (a heading); the current one ends first.
    pub fn start_block(&mut self, kind: BlockKind) {
        self.flush();
        self.kind = Some(kind);
    }

    /// Enters a quotation.
    pub fn quote_in(&mut self) {
        self.flush();
        self.quote = self.quote.saturating_add(1);
    }

    /// Leaves a quotation.
    pub fn quote_out(&mut self) {
        self.flush();
        self.quote = self.quote.saturating_sub(1);
    }

    /// Enters a code block: text is kept verbatim, without styles.
    pub fn code_in(&mut self) {
        self.flush();
        self.code += 1;
        self.restyle();
    }

    /// Leaves a code block.
    pub fn code_out(&mut self) {
        if self.code > 0 {
            self.flush();
            self.code -= 1;
            self.restyle();
        }
    }

    /// Opens a list; ordered lists number their items from `start`.
    pub fn list_in(&mut self, ordered: bool, start: u64) {
        self.flush();
        self.lists.push(List {
            ordered,
            next: start,
        });
    }

    /// Closes the innermost list.
    pub fn list_out(&mut self) {
        self.flush();
        self.lists.pop();
    }

    /// Starts a list item with the next marker of the innermost list (a bullet outside one).
    pub fn item(&mut self) {
        let level = self.lists.len().saturating_sub(1).min(255) as u8;
        let marker = match self.lists.last_mut() {
            Some(l) if l.ordered => {
                let n = l.next;
                l.next = l.next.saturating_add(1);
                format!("{n}.").into()
            }
            _ => "•".into(),
        };
        self.start_block(BlockKind::ListItem { marker, level });
    }

    /// Moves leading `>` marks of each paragraph into its quote depth (Hacker News writes
    /// quotes as `> text` paragraphs).
    fn lift_gt_quotes(&mut self) {
        for block in &mut self.blocks {
            if block.kind != BlockKind::Paragraph {
                continue;
            }
            let mut depth = 0u8;
            let mut cut = 0;
            let bytes = block.text.as_bytes();
            while cut < bytes.len() && bytes[cut] == b'>' {
                depth = depth.saturating_add(1);
                cut += 1;
                while cut < bytes.len() && bytes[cut] == b' ' {
                    cut += 1;
                }
            }
            if depth == 0 {
                continue;
            }
            block.text = block.text[cut..].into();
            block.quote_depth = block.quote_depth.saturating_add(depth);
            let mut spans = Vec::from(std::mem::take(&mut block.spans));
            for s in &mut spans {
                s.range.start = s.range.start.saturating_sub(cut);
                s.range.end = s.range.end.saturating_sub(cut);
            }
            spans.retain(|s| s.range.start < s.range.end || matches!(s.style, SpanStyle::Link(_)));
            block.spans = spans.into();
        }
    }

    /// The body so far; `gt_quotes` turns `> ` paragraphs into quotes.
    #[must_use]
    pub fn finish(mut self, gt_quotes: bool) -> Body {
        while self.code > 0 {
            self.code_out();
        }
        self.flush();
        if gt_quotes {
            self.lift_gt_quotes();
        }
        Body {
            blocks: self.blocks.into(),
            links: self.links.into(),
        }
    }
}
