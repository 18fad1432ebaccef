//! Rich-enough text for comment and article bodies.
//!
//! A body is a list of blocks (paragraph, quote, code, list item, heading). Each block's
//! `text` is plain text with `\n` for hard line breaks; styling and links are byte-range
//! [`Span`]s over that text, so a format that knows no markup simply leaves `spans` empty
//! and every caller that only wants text reads `text`.

use thin_vec::ThinVec;

use super::FrozenStr;

/// The text of an article or comment.
///
/// Both lists are [`ThinVec`]s (one pointer, length and capacity in the allocation, no
/// allocation while empty): the body is 16 bytes of every comment record instead of 48,
/// and most comments have no links.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Body {
    /// Blocks in reading order.
    pub blocks: ThinVec<Block>,
    /// Links in order of appearance; [`SpanStyle::Link`] indexes into this.
    pub links: ThinVec<Link>,
}

/// One block of a body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    /// What kind of block this is.
    pub kind: BlockKind,
    /// How many levels of quotation surround it (0: none).
    pub quote_depth: u8,
    /// The text; `\n` is a hard line break.
    pub text: FrozenStr,
    /// Styled byte ranges of `text`, sorted by start, non-overlapping.
    pub spans: Spans,
}

/// The spans of a block: a thin vector (8 bytes, its length and capacity in its one
/// allocation, none when empty), as most blocks have none and a big thread holds hundreds
/// of thousands of blocks (a boxed slice took 16 bytes of each).
pub type Spans = thin_vec::ThinVec<Span>;

/// A list item's marker (`•`, `3.`): a thin pointer to the text (8 bytes where the text
/// inline took 16), so that a block of any kind fits in 48 bytes. List items are few
/// beside paragraphs, which pay nothing for it; the item pays one small allocation more.
#[derive(Clone, PartialEq, Eq)]
pub struct Marker(Box<FrozenStr>);

impl Marker {
    /// The text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl std::ops::Deref for Marker {
    type Target = str;
    fn deref(&self) -> &str {
        self.0.as_str()
    }
}

impl std::fmt::Debug for Marker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl<T: Into<FrozenStr>> From<T> for Marker {
    fn from(text: T) -> Self {
        Self(Box::new(text.into()))
    }
}

/// Kinds of block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BlockKind {
    /// Ordinary text, reflowed to the width.
    Paragraph,
    /// Preformatted text: never reflowed.
    Code,
    /// An item of a list; `marker` is what stands before it (`•`, `3.`).
    ListItem {
        /// The bullet or number as displayed.
        marker: Marker,
        /// Nesting level of the list, 0 for the outermost.
        level: u8,
    },
    /// A heading.
    Heading,
}

/// A styled range of a block's text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    /// Byte range in [`Block::text`].
    pub range: std::ops::Range<usize>,
    /// How it is styled.
    pub style: SpanStyle,
}

/// Inline styles a format can carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpanStyle {
    /// Italic.
    Emphasis,
    /// Bold.
    Strong,
    /// Inline code.
    Code,
    /// Struck through.
    Strike,
    /// A link: index into [`Body::links`].
    Link(usize),
}

/// A hyperlink found in a body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    /// The text it was attached to (may equal the URL).
    pub text: String,
    /// Where it points, as the source gave it (sanitise before showing).
    pub url: String,
}

impl Block {
    /// A paragraph of plain text.
    #[must_use]
    pub fn paragraph(text: impl Into<FrozenStr>) -> Self {
        Self {
            kind: BlockKind::Paragraph,
            quote_depth: 0,
            text: text.into(),
            spans: Spans::new(),
        }
    }
}

impl Body {
    /// A body of plain paragraphs separated by blank lines; `\n` inside one is a hard break.
    #[must_use]
    pub fn from_plain(text: &str) -> Self {
        let text = text.replace("\r\n", "\n");
        let mut blocks = Vec::new();
        let mut current = String::new();
        for line in text.split('\n') {
            if line.trim().is_empty() {
                if !current.is_empty() {
                    blocks.push(Block::paragraph(std::mem::take(&mut current)));
                }
            } else {
                if !current.is_empty() {
                    current.push('\n');
                }
                current.push_str(line);
            }
        }
        if !current.is_empty() {
            blocks.push(Block::paragraph(current));
        }
        Self {
            blocks: blocks.into(),
            links: ThinVec::new(),
        }
    }

    /// The whole text: blocks joined by a blank line, without markers or styling.
    #[must_use]
    pub fn plain_text(&self) -> String {
        let mut out = String::with_capacity(self.blocks.iter().map(|b| b.text.len() + 2).sum());
        for (i, block) in self.blocks.iter().enumerate() {
            if i > 0 {
                out.push_str("\n\n");
            }
            out.push_str(&block.text);
        }
        out
    }

    /// True when there is no text at all.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.blocks.iter().all(|b| b.text.trim().is_empty())
    }

    /// The first words of the text on one line, at most `max_chars` characters.
    #[must_use]
    pub fn snippet(&self, max_chars: usize) -> String {
        snippet_of(self.blocks.iter(), max_chars)
    }

    /// As [`Body::snippet`], leaving out quoted blocks when there is other text: what a reply
    /// says rather than what it quotes (mail replies open with the parent's words).
    #[must_use]
    pub fn reply_snippet(&self, max_chars: usize) -> String {
        let own = || self.blocks.iter().filter(|b| b.quote_depth == 0);
        if own().all(|b| b.text.trim().is_empty()) {
            return self.snippet(max_chars);
        }
        snippet_of(own(), max_chars)
    }
}

fn snippet_of<'a>(blocks: impl Iterator<Item = &'a Block>, max_chars: usize) -> String {
    let mut out = String::new();
    let mut count = 0;
    let mut last_space = true;
    for ch in blocks.flat_map(|b| b.text.chars().chain(std::iter::once(' '))) {
        if count >= max_chars {
            out.push('…');
            return out.trim_end_matches(' ').to_string();
        }
        let ch = if ch.is_whitespace() { ' ' } else { ch };
        if ch == ' ' && last_space {
            continue;
        }
        last_space = ch == ' ';
        out.push(ch);
        count += 1;
    }
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_paragraphs_and_hard_breaks() {
        let body = Body::from_plain("one\ntwo\n\n\nthree\r\n");
        assert_eq!(body.blocks.len(), 2);
        assert_eq!(body.blocks[0].text, "one\ntwo");
        assert_eq!(body.plain_text(), "one\ntwo\n\nthree");
    }

    #[test]
    fn snippet_collapses_space_and_cuts() {
        let body = Body::from_plain("hello   world\nagain");
        assert_eq!(body.snippet(100), "hello world again");
        assert_eq!(body.snippet(5), "hello…");
        let mut reply = Body::from_plain("quoted words\n\nmy answer");
        reply.blocks[0].quote_depth = 1;
        assert_eq!(reply.reply_snippet(100), "my answer");
        reply.blocks.truncate(1);
        assert_eq!(reply.reply_snippet(100), "quoted words");
    }
}
