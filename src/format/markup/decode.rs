//! Reading the threadr/1 `body` string back into a [`Body`] (the rules are in the parent
//! module's header); [`super::encode`] is its inverse.

use super::BULLETS;
use crate::model::{Block, BlockKind, Body, Link, Span, SpanStyle};

pub(super) fn is_plain_marker(marker: &str) -> bool {
    let mut chars = marker.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => BULLETS.contains(&c),
        _ => match marker.strip_suffix(['.', ')']) {
            Some(digits) => {
                (1..=9).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
            }
            None => false,
        },
    }
}

/// What a block's first line (quote prefixes removed) opens, when it is not a paragraph.
pub(super) enum Opener {
    Fence,
    Heading,
    Definition,
    /// A list item: marker, level, byte offset of the text.
    Item(String, u8, usize),
}

fn is_fence(line: &str) -> bool {
    line.len() >= 3 && line.bytes().all(|b| b == b'`')
}

fn definition_number(line: &str) -> Option<(usize, &str)> {
    let rest = line.strip_prefix('[')?;
    let close = rest.find("]: ")?;
    let n: usize = rest[..close].parse().ok()?;
    Some((n, &rest[close + 3..]))
}

pub(super) fn classify(line: &str) -> Option<Opener> {
    if is_fence(line) {
        return Some(Opener::Fence);
    }
    if line.starts_with("# ") {
        return Some(Opener::Heading);
    }
    if definition_number(line).is_some() {
        return Some(Opener::Definition);
    }
    let spaces = line.len() - line.trim_start_matches(' ').len();
    if !spaces.is_multiple_of(2) || spaces / 2 > usize::from(u8::MAX) {
        return None;
    }
    let rest = &line[spaces..];
    let level = (spaces / 2) as u8;
    if let Some(generic) = rest.strip_prefix('⟦') {
        let mut marker = String::new();
        let mut chars = generic.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => marker.push(chars.next()?.1),
                '⟧' => {
                    let after = &generic[i + '⟧'.len_utf8()..];
                    return after
                        .strip_prefix(' ')
                        .map(|_| Opener::Item(marker, level, line.len() - after.len() + 1));
                }
                _ => marker.push(c),
            }
        }
        return None;
    }
    let token = rest.split(' ').next().unwrap_or("");
    if !token.is_empty() && rest.len() > token.len() && is_plain_marker(token) {
        return Some(Opener::Item(
            token.to_string(),
            level,
            spaces + token.len() + 1,
        ));
    }
    None
}

/// Removes up to `depth` quote prefixes (`> `, or a bare `>` ending the line).
fn strip_quotes(mut line: &str, depth: usize) -> &str {
    for _ in 0..depth {
        if let Some(rest) = line.strip_prefix("> ") {
            line = rest;
        } else if line == ">" {
            return "";
        } else {
            break;
        }
    }
    line
}

struct RawBlock {
    kind: BlockKind,
    depth: u8,
    content: String,
}

/// Decodes a threadr/1 `body` string. Never fails: malformed markup reads as literal text.
#[must_use]
pub fn decode(text: &str) -> Body {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut raw: Vec<RawBlock> = Vec::new();
    let mut defs: Vec<(usize, Link)> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if line.is_empty() {
            i += 1;
            continue;
        }
        let mut depth = 0usize;
        let mut rest = line;
        while let Some(r) = rest.strip_prefix("> ") {
            rest = r;
            depth += 1;
        }
        let depth_u8 = depth.min(usize::from(u8::MAX)) as u8;
        i += 1;
        let opener = if rest.starts_with('\\') {
            None
        } else {
            classify(rest)
        };
        if let Some(Opener::Fence) = opener {
            let fence = rest;
            let mut code: Vec<&str> = Vec::new();
            while i < lines.len() {
                let l = strip_quotes(lines[i], depth);
                i += 1;
                if l == fence {
                    break;
                }
                code.push(l);
            }
            raw.push(RawBlock {
                kind: BlockKind::Code,
                depth: depth_u8,
                content: code.join("\n"),
            });
            continue;
        }
        // Gather the block's lines up to the next separator.
        let mut block_lines = vec![rest];
        while i < lines.len() && !lines[i].is_empty() {
            block_lines.push(strip_quotes(lines[i], depth));
            i += 1;
        }
        if let Some(Opener::Definition) = opener {
            for l in block_lines {
                if let Some((n, def)) = definition_number(l) {
                    let mut strings = serde_json::Deserializer::from_str(def).into_iter::<String>();
                    let url = strings.next().and_then(Result::ok).unwrap_or_default();
                    let text = strings.next().and_then(Result::ok).unwrap_or_default();
                    defs.push((n, Link { text, url }));
                }
            }
            continue;
        }
        let (kind, skip) = match opener {
            Some(Opener::Heading) => (BlockKind::Heading, 2),
            Some(Opener::Item(marker, level, at)) => (
                BlockKind::ListItem {
                    marker: marker.into(),
                    level,
                },
                at,
            ),
            _ => (BlockKind::Paragraph, 0),
        };
        let mut content = String::new();
        for (n, l) in block_lines.iter().enumerate() {
            let l = if n == 0 {
                l.get(skip..).unwrap_or("")
            } else {
                l
            };
            if n > 0 {
                content.push('\n');
            }
            if l != "\\" {
                content.push_str(l);
            }
        }
        raw.push(RawBlock {
            kind,
            depth: depth_u8,
            content,
        });
    }

    defs.sort_by_key(|(n, _)| *n);
    let mut all_links: Vec<Link> = defs.into_iter().map(|(_, l)| l).collect();
    let reference_mode = !all_links.is_empty();
    let mut blocks = Vec::with_capacity(raw.len());
    for rb in raw {
        let (text, spans) = if rb.kind == BlockKind::Code {
            (rb.content, Vec::new())
        } else {
            parse_inline(&rb.content, &mut all_links, reference_mode)
        };
        blocks.push(Block {
            kind: rb.kind,
            quote_depth: rb.depth,
            text: text.into(),
            spans: spans.into(),
        });
    }
    Body {
        blocks: blocks.into(),
        links: all_links.into(),
    }
}

/// Parses inline markup. Links found inline are appended to `links`; `[text][n]` points at
/// link `n` (1-based), creating empty ones when a hand-written file forgot a definition.
fn parse_inline(s: &str, links: &mut Vec<Link>, _reference_mode: bool) -> (String, Vec<Span>) {
    let mut text = String::with_capacity(s.len());
    let mut spans = Vec::new();
    // The open span: style, start in `text`, and the marker to restore if it never closes.
    let mut open: Option<(Option<SpanStyle>, usize, &'static str)> = None;
    let mut chars = s.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some((_, next)) => text.push(next),
                None => text.push('\\'),
            },
            '*' | '`' | '~' => {
                // `***` inside emphasis closes it and opens strong: that is how an emphasis
                // followed at once by strong text is written (`*a***b**`).
                let closes_emphasis = matches!(open, Some((Some(SpanStyle::Emphasis), _, _)))
                    && s[at..].starts_with("***");
                let (style, marker) = match c {
                    '*' if !closes_emphasis && chars.peek().map(|p| p.1) == Some('*') => {
                        chars.next();
                        (SpanStyle::Strong, "**")
                    }
                    '*' => (SpanStyle::Emphasis, "*"),
                    '`' => (SpanStyle::Code, "`"),
                    _ if chars.peek().map(|p| p.1) == Some('~') => {
                        chars.next();
                        (SpanStyle::Strike, "~~")
                    }
                    _ => {
                        text.push('~');
                        continue;
                    }
                };
                match open {
                    None => open = Some((Some(style), text.len(), marker)),
                    Some((Some(st), start, _)) if st == style => {
                        if start < text.len() {
                            spans.push(Span {
                                range: start..text.len(),
                                style,
                            });
                        } else {
                            // An empty span (`` `` ``, `****`) styles nothing: keep its
                            // characters as text rather than lose them.
                            text.push_str(marker);
                            text.push_str(marker);
                        }
                        open = None;
                    }
                    Some(_) => text.push_str(marker),
                }
            }
            '[' if open.is_none() => open = Some((None, text.len(), "[")),
            ']' if matches!(open, Some((None, _, _))) => {
                let start = open.map_or(0, |o| o.1);
                let after = &s[at + 1..];
                if let Some(url_part) = after.strip_prefix('(') {
                    let mut url = String::new();
                    let mut consumed = 1;
                    let mut url_chars = url_part.chars();
                    while let Some(u) = url_chars.next() {
                        consumed += u.len_utf8();
                        match u {
                            '\\' => {
                                if let Some(e) = url_chars.next() {
                                    consumed += e.len_utf8();
                                    url.push(e);
                                }
                            }
                            ')' => break,
                            _ => url.push(u),
                        }
                    }
                    for _ in 0..=url_part[..consumed - 1].chars().count() {
                        chars.next();
                    }
                    spans.push(Span {
                        range: start..text.len(),
                        style: SpanStyle::Link(links.len()),
                    });
                    links.push(Link {
                        text: text[start..].to_string(),
                        url,
                    });
                    open = None;
                } else if let Some((n, len)) = reference(after) {
                    for _ in 0..len {
                        chars.next();
                    }
                    while links.len() < n {
                        links.push(Link {
                            text: String::new(),
                            url: String::new(),
                        });
                    }
                    spans.push(Span {
                        range: start..text.len(),
                        style: SpanStyle::Link(n - 1),
                    });
                    open = None;
                } else {
                    text.insert(start, '[');
                    text.push(']');
                    open = None;
                }
            }
            _ => text.push(c),
        }
    }
    if let Some((_, start, marker)) = open {
        text.insert_str(start, marker);
    }
    (text, spans)
}

/// `[n]` at the start of `s`: the number (at least 1) and the length in characters.
fn reference(s: &str) -> Option<(usize, usize)> {
    let rest = s.strip_prefix('[')?;
    let close = rest.find(']')?;
    let n: usize = rest[..close].parse().ok()?;
    (1..=1_000_000).contains(&n).then_some((n, close + 2))
}
