//! The `body` string of threadr/1: a small, exact Markdown-like encoding of [`Body`].
//!
//! [`encode`] and [`decode`] are inverses: `decode(&encode(b)) == b` for every body whose
//! non-link spans are non-empty and whose code blocks carry no spans (what every reader
//! produces). Plain text stays plain text except for a backslash before the few characters
//! that mean something; a hand-written body of paragraphs separated by blank lines reads as
//! those paragraphs.
//!
//! The rules (also in the README):
//! - Blocks are separated by one empty line. Every line of a quoted block starts with `> `
//!   once per level.
//! - A block's first line decides its kind: a line of three or more backticks opens a code
//!   block that runs verbatim to the same fence; `# ` is a heading; two spaces per level, a
//!   list marker (`-`, `+`, `•`, `–`, `1.`, `2)`... or any marker written as `⟦marker⟧`) and a
//!   space is a list item; anything else is a paragraph. A paragraph whose first line would
//!   read as something else starts with `\`.
//! - Inside a block, `\n` is a hard line break; an empty line inside a block is written `\`.
//! - Inline: `*emphasis*`, `**strong**`, `` `code` ``, `~~strike~~`, `[text](url)`. A backslash
//!   makes the next character literal; `\`, `*`, `` ` ``, `~`, `[`, `]` in text are always
//!   escaped (and `\`, `)` in a URL).
//! - Links are inline when each link is used once, in order, with its own text. Otherwise every
//!   link span is written `[text][n]` and the body ends with a block of definitions
//!   `[n]: "url" "text"` (JSON strings), one per link, so nothing is lost.
//!
//! Pure string functions; no IO.

use std::fmt::Write as _;

use crate::model::{Block, BlockKind, Body, Span, SpanStyle};

mod decode;

pub use decode::decode;
use decode::{classify, is_plain_marker};

/// Bullets written as themselves; any other marker is written `⟦marker⟧`.
const BULLETS: &[char] = &[
    '-', '+', '•', '◦', '▪', '‣', '–', '—', '○', '●', '■', '□', '☆', '★', '◎', '△',
];

/// Encodes a body as the threadr/1 `body` string.
#[must_use]
pub fn encode(body: &Body) -> String {
    let mut out = String::new();
    encode_into(body, &mut out);
    out
}

/// [`encode`] appended to `out` (so a writer can reuse one string for every body).
pub fn encode_into(body: &Body, out: &mut String) {
    let start = out.len();
    let inline_links = links_are_canonical(body);
    for block in &body.blocks {
        if out.len() > start {
            out.push_str("\n\n");
        }
        encode_block(block, body, inline_links, out);
    }
    if !inline_links && !body.links.is_empty() {
        if out.len() > start {
            out.push_str("\n\n");
        }
        for (i, link) in body.links.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            let _ = write!(
                out,
                "[{}]: {} {}",
                i + 1,
                json_string(&link.url),
                json_string(&link.text)
            );
        }
    }
}

fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string())
}

/// Inline links work when the k-th link span (outside code blocks) points at link k with the
/// same text, and every link has exactly one span.
fn links_are_canonical(body: &Body) -> bool {
    let mut k = 0;
    for block in body.blocks.iter().filter(|b| b.kind != BlockKind::Code) {
        for span in &block.spans {
            if let SpanStyle::Link(i) = span.style {
                let text = block.text.get(span.range.clone());
                match body.links.get(k) {
                    Some(link) if i == k && text == Some(link.text.as_str()) => k += 1,
                    _ => return false,
                }
            }
        }
    }
    k == body.links.len()
}

/// `text` with a backslash before each character the markup gives a meaning to
/// (backslash, `*`, backtick, `~`, `[`, `]`).
fn push_escaped(out: &mut String, text: &str) {
    // Every special character is ASCII, so a byte scan finds them and the text between
    // them is copied whole (a character at a time was most of a dump's time).
    use crate::text::bytescan::{byte_mask, first, word};
    const SPECIAL: [u8; 6] = [b'\\', b'*', b'`', b'~', b'[', b']'];
    let bytes = text.as_bytes();
    let (mut start, mut at) = (0, 0);
    while at < bytes.len() {
        let stops = match word(bytes, at) {
            Some(w) => SPECIAL.iter().fold(0, |m, &b| m | byte_mask(w, b)),
            None => {
                // The last few bytes, one at a time.
                if SPECIAL.contains(&bytes[at]) {
                    out.push_str(&text[start..at]);
                    out.push('\\');
                    start = at;
                }
                at += 1;
                continue;
            }
        };
        if stops == 0 {
            at += 8;
            continue;
        }
        at += first(stops);
        out.push_str(&text[start..at]);
        out.push('\\');
        start = at;
        at += 1;
    }
    out.push_str(&text[start..]);
}

fn encode_inline(block: &Block, body: &Body, inline_links: bool) -> String {
    let text = &block.text;
    let mut out = String::with_capacity(text.len() + 8);
    let mut pos = 0;
    for span in merged_spans(&block.spans) {
        let r = span.range.clone();
        let Some(inner) = text.get(r.clone()) else {
            continue;
        };
        if r.start < pos || (inner.is_empty() && !matches!(span.style, SpanStyle::Link(_))) {
            continue;
        }
        push_escaped(&mut out, &text[pos..r.start]);
        let (open, close) = match span.style {
            SpanStyle::Emphasis => ("*", "*"),
            SpanStyle::Strong => ("**", "**"),
            SpanStyle::Code => ("`", "`"),
            SpanStyle::Strike => ("~~", "~~"),
            SpanStyle::Link(_) => ("[", "]"),
        };
        out.push_str(open);
        push_escaped(&mut out, inner);
        out.push_str(close);
        if let SpanStyle::Link(i) = span.style {
            if inline_links {
                out.push('(');
                let url = body.links.get(i).map_or("", |l| l.url.as_str());
                for c in url.chars() {
                    if matches!(c, '\\' | ')') {
                        out.push('\\');
                    }
                    out.push(c);
                }
                out.push(')');
            } else {
                let _ = write!(out, "[{}]", i + 1);
            }
        }
        pos = r.end;
    }
    push_escaped(&mut out, &text[pos.min(text.len())..]);
    out
}

/// The spans with each run of same-styled spans that touch (`*a*` right after `*b*`) merged
/// into one: written apart, their markers would read as another style (`*a**b*`).
fn merged_spans(spans: &[Span]) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::with_capacity(spans.len());
    for span in spans {
        if let Some(last) = out.last_mut()
            && last.style == span.style
            && !matches!(span.style, SpanStyle::Link(_))
            && last.range.end == span.range.start
        {
            last.range.end = span.range.end;
            continue;
        }
        out.push(span.clone());
    }
    out
}

fn encode_block(block: &Block, body: &Body, inline_links: bool, out: &mut String) {
    let prefix = "> ".repeat(usize::from(block.quote_depth));
    let mut content = String::new();
    let code = block.kind == BlockKind::Code;
    match &block.kind {
        BlockKind::Code => {
            let longest = block
                .text
                .split('\n')
                .filter(|l| !l.is_empty() && l.chars().all(|c| c == '`'))
                .map(str::len)
                .max()
                .unwrap_or(0);
            let fence = "`".repeat(longest.max(2) + 1);
            content.push_str(&fence);
            content.push('\n');
            content.push_str(&block.text);
            content.push('\n');
            content.push_str(&fence);
        }
        BlockKind::Heading => {
            content.push_str("# ");
            content.push_str(&encode_inline(block, body, inline_links));
        }
        BlockKind::ListItem { marker, level } => {
            content.push_str(&"  ".repeat(usize::from(*level)));
            if is_plain_marker(marker) {
                content.push_str(marker);
            } else {
                content.push('⟦');
                for c in marker.chars() {
                    if matches!(c, '\\' | '⟧') {
                        content.push('\\');
                    }
                    content.push(c);
                }
                content.push('⟧');
            }
            content.push(' ');
            content.push_str(&encode_inline(block, body, inline_links));
        }
        BlockKind::Paragraph => {
            let inline = encode_inline(block, body, inline_links);
            let first = inline.split('\n').next().unwrap_or("");
            let escaped = first.starts_with("> ") || first == ">" || classify(first).is_some();
            // Most blocks: no quote prefix and no empty line to mark, so the lines below
            // would copy the text as it is; copy it straight to `out`.
            if prefix.is_empty()
                && (escaped || !inline.is_empty() && !inline.starts_with('\n'))
                && !inline.ends_with('\n')
                && !inline.contains("\n\n")
            {
                if escaped {
                    out.push('\\');
                }
                out.push_str(&inline);
                return;
            }
            if escaped {
                content.push('\\');
            }
            content.push_str(&inline);
        }
    }
    for (i, line) in content.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&prefix);
        if line.is_empty() && !code {
            out.push('\\');
        } else {
            out.push_str(line);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Link;
    use proptest::prelude::*;

    fn para(text: &str) -> Block {
        Block::paragraph(text)
    }

    fn roundtrip(body: &Body) -> String {
        let s = encode(body);
        assert_eq!(&decode(&s), body, "encoded as {s:?}");
        s
    }

    #[test]
    fn plain_paragraphs_stay_readable() {
        let body = Body::from_plain("Hello world.\nSecond line.\n\nNext paragraph");
        assert_eq!(
            roundtrip(&body),
            "Hello world.\nSecond line.\n\nNext paragraph"
        );
    }

    #[test]
    fn lookalikes_are_escaped() {
        for text in [
            "> not a quote",
            "# not a heading",
            "- not a list",
            "1999. a year",
            "```",
            "  - indented",
            "[1]: x",
            "⟦x⟧ y",
            "a \\ b * c ` d ~ e [ f ] g",
            "",
            "\n\nblank lines inside\n",
            "\\",
        ] {
            roundtrip(&Body {
                blocks: thin_vec::thin_vec![para(text)],
                links: thin_vec::thin_vec![],
            });
        }
    }

    #[test]
    fn blocks_spans_and_links() {
        let mut quote = para("quoted *text*\n> inner");
        quote.quote_depth = 2;
        let body = Body {
            blocks: thin_vec::thin_vec![
                Block {
                    kind: BlockKind::Heading,
                    ..para("Title")
                },
                Block {
                    spans: thin_vec::thin_vec![
                        Span {
                            range: 0..4,
                            style: SpanStyle::Strong,
                        },
                        Span {
                            range: 5..9,
                            style: SpanStyle::Link(0),
                        },
                        Span {
                            range: 10..14,
                            style: SpanStyle::Code,
                        },
                    ],
                    ..para("bold link code")
                },
                quote,
                Block {
                    kind: BlockKind::Code,
                    quote_depth: 1,
                    text: "fn main() {\n\n    ```\n}\n".into(),
                    spans: crate::model::Spans::new(),
                },
                Block {
                    kind: BlockKind::ListItem {
                        marker: "3.".into(),
                        level: 1,
                    },
                    ..para("item")
                },
                Block {
                    kind: BlockKind::ListItem {
                        marker: "(iv) x".into(),
                        level: 0,
                    },
                    ..para("odd marker")
                },
            ],
            links: thin_vec::thin_vec![Link {
                text: "link".into(),
                url: "https://e.x/a_(b)\\c".into(),
            }],
        };
        let s = roundtrip(&body);
        assert!(
            s.contains("**bold** [link](https://e.x/a_(b\\)\\\\c) `code`"),
            "{s}"
        );
        assert!(s.contains("> > quoted \\*text\\*\n> > > inner"), "{s}");
    }

    #[test]
    fn non_canonical_links_use_definitions() {
        let body = Body {
            blocks: thin_vec::thin_vec![Block {
                spans: thin_vec::thin_vec![Span {
                    range: 0..2,
                    style: SpanStyle::Link(1),
                }],
                ..para("ab")
            }],
            links: thin_vec::thin_vec![
                Link {
                    text: "unused".into(),
                    url: "u1\nx".into(),
                },
                Link {
                    text: "not ab".into(),
                    url: "u2".into(),
                },
            ],
        };
        let s = roundtrip(&body);
        assert!(
            s.ends_with("[1]: \"u1\\nx\" \"unused\"\n[2]: \"u2\" \"not ab\""),
            "{s}"
        );
    }

    #[test]
    fn hand_written_markup_is_lenient() {
        let b = decode("a * b and [x] and `open");
        assert_eq!(b.blocks[0].text, "a * b and [x] and `open");
        let b = decode("> quoted\n\n```\ncode\n");
        assert_eq!(b.blocks[0].quote_depth, 1);
        assert_eq!(b.blocks[1].kind, BlockKind::Code);
        assert_eq!(b.blocks[1].text, "code\n");
        assert_eq!(decode(""), Body::default());
    }

    /// Dumping a dump: the second encoding equals the first.
    fn stable(hand_written: &str) -> String {
        let first = encode(&decode(hand_written));
        assert_eq!(encode(&decode(&first)), first, "from {hand_written:?}");
        first
    }

    #[test]
    fn empty_spans_stay_as_text_and_dumps_are_stable() {
        // An empty code span between two emphases used to vanish, gluing `*x*` to `*y*`.
        assert_eq!(stable("*x*``*y*"), "*x*\\`\\`*y*");
        assert_eq!(decode("a****b").blocks[0].text, "a****b");
        assert_eq!(decode("~~~~").blocks[0].text, "~~~~");
        for s in [
            "*(*``*#*",
            "**a**``**b**",
            "*a***b**",
            "**a***b*",
            "`a``b`",
            "*a**b*",
        ] {
            stable(s);
        }
    }

    #[test]
    fn touching_spans_round_trip() {
        let block = |spans: Vec<(std::ops::Range<usize>, SpanStyle)>| Body {
            blocks: thin_vec::thin_vec![Block {
                kind: BlockKind::Paragraph,
                quote_depth: 0,
                text: "abcd".into(),
                spans: spans
                    .into_iter()
                    .map(|(range, style)| Span { range, style })
                    .collect(),
            }],
            links: thin_vec::thin_vec![],
        };
        // Different styles side by side keep both.
        for (a, b) in [
            (SpanStyle::Emphasis, SpanStyle::Strong),
            (SpanStyle::Strong, SpanStyle::Emphasis),
            (SpanStyle::Emphasis, SpanStyle::Code),
            (SpanStyle::Strike, SpanStyle::Emphasis),
        ] {
            roundtrip(&block(vec![(0..2, a), (2..4, b)]));
        }
        // The same style side by side is one span.
        let two = block(vec![
            (0..2, SpanStyle::Emphasis),
            (2..4, SpanStyle::Emphasis),
        ]);
        assert_eq!(encode(&two), "*abcd*");
        assert_eq!(decode("*abcd*"), block(vec![(0..4, SpanStyle::Emphasis)]));
    }

    fn arb_block() -> impl Strategy<Value = Block> {
        let text = "[a-c \\\\*`~\\[\\]()>#⟦⟧\n1.-]{0,12}|\\PC{0,8}";
        let marker = prop_oneof![
            Just("•".to_string()),
            Just("12.".to_string()),
            Just("#".to_string()),
            "\\PC{0,4}"
        ];
        (0u8..4, text, 0u8..5, 0u8..3, marker).prop_map(|(kind, text, depth, level, marker)| {
            let kind = match kind {
                0 => BlockKind::Paragraph,
                1 => BlockKind::Code,
                2 => BlockKind::Heading,
                _ => BlockKind::ListItem {
                    marker: marker.into(),
                    level,
                },
            };
            let mut spans = Vec::new();
            if kind != BlockKind::Code {
                let bounds: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
                let styles = [
                    SpanStyle::Emphasis,
                    SpanStyle::Strong,
                    SpanStyle::Code,
                    SpanStyle::Strike,
                ];
                for (n, pair) in bounds.chunks(3).enumerate() {
                    if pair.len() == 3 {
                        spans.push(Span {
                            range: pair[0]..pair[2],
                            style: styles[n % 4],
                        });
                    }
                }
            }
            Block {
                kind,
                quote_depth: depth,
                text: text.into(),
                spans: spans.into(),
            }
        })
    }

    proptest! {
        #[test]
        fn any_body_round_trips(blocks in prop::collection::vec(arb_block(), 0..5), link_every in 0usize..3, url in "\\PC{0,6}") {
            let mut body = Body { blocks: blocks.into(), links: thin_vec::thin_vec![] };
            // Turn some spans into links, canonical or not.
            for block in &mut body.blocks {
                for (n, span) in block.spans.iter_mut().enumerate() {
                    if link_every > 0 && n % link_every == 0 {
                        let text = block.text[span.range.clone()].to_string();
                        span.style = SpanStyle::Link(body.links.len());
                        body.links.push(Link { text, url: url.clone() });
                    }
                }
            }
            if link_every == 2 {
                body.links.push(Link { text: "extra".into(), url: url.clone() });
            }
            let s = encode(&body);
            prop_assert_eq!(decode(&s), body);
            prop_assert_eq!(encode(&decode(&s)), s);
        }

        #[test]
        fn a_paragraph_copied_whole_is_what_the_line_by_line_path_writes(s in "[a>#1. \n-]{0,12}|\\PC{0,20}") {
            // The line-by-line path, as it was before plain paragraphs were copied whole.
            let block = Block::paragraph(s.clone());
            let body = Body { blocks: thin_vec::thin_vec![block.clone()], links: thin_vec::thin_vec![] };
            let inline = encode_inline(&block, &body, true);
            let first = inline.split('\n').next().unwrap_or("");
            let mut content = String::new();
            if first.starts_with("> ") || first == ">" || classify(first).is_some() {
                content.push('\\');
            }
            content.push_str(&inline);
            let lines: Vec<&str> = content
                .split('\n')
                .map(|l| if l.is_empty() { "\\" } else { l })
                .collect();
            let mut out = String::new();
            encode_block(&block, &body, true, &mut out);
            prop_assert_eq!(out, lines.join("\n"));
        }

        #[test]
        fn escaping_by_words_is_escaping_by_characters(s in "[a-z*`~\\[\\]\\\\é漢 ]{0,40}|\\PC{0,40}") {
            let by_char: String = s
                .chars()
                .flat_map(|c| {
                    let special = matches!(c, '\\' | '*' | '`' | '~' | '[' | ']');
                    special.then_some('\\').into_iter().chain([c])
                })
                .collect();
            let mut out = String::from("kept");
            push_escaped(&mut out, &s);
            prop_assert_eq!(out, format!("kept{by_char}"));
        }

        #[test]
        fn decode_never_panics(s in "\\PC{0,40}|[>#` \\[\\]\\\\*~(\n⟦⟧1.-]{0,30}") {
            let b = decode(&s);
            // Whatever it reads, writing it again is stable.
            let again = encode(&b);
            prop_assert_eq!(encode(&decode(&again)), again);
        }
    }
}
