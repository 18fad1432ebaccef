//! Caps how deep a page's elements nest before the DOM is built.
//!
//! html5ever's tree builder scans its stack of open elements for many start tags (closing a
//! `<p>` "in button scope"), so building a page of 100,000 nested `<ol>`s takes time
//! quadratic in the depth (minutes). One linear pass of the tokenizer first estimates the
//! depth with the same implied closings that matter (`p`, `li`, table cells...); only when
//! it passes [`MAX_DEPTH`] is the page written out again without the start and end tags
//! beyond it, so the deeper content is kept, flattened into the deepest element allowed.
//! No IO, no recursion.

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

/// The deepest element nesting kept. Real comment pages stay under 150 (`WordPress` adds
/// about five elements per reply level, old.reddit four); beyond this the tree builder's
/// scans start to cost more than the page.
pub const MAX_DEPTH: usize = 512;

/// How far down the stack an end tag looks for its element; an end tag whose element is
/// further down is ignored here (the tree builder then deals with it), so a page of stray
/// end tags stays linear.
const END_TAG_REACH: usize = 32;

/// HTML's void elements (no end tag, nothing inside), as the spec lists them.
pub(super) fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
            | "basefont"
            | "bgsound"
            | "frame"
            | "keygen"
    )
}

/// Start tags that close an open element of the same kind (or a `<p>`), as the HTML tree
/// builder would.
fn closes(open: &str, start: &str) -> bool {
    match start {
        "li" => matches!(open, "li" | "p"),
        "dt" | "dd" => matches!(open, "dt" | "dd" | "p"),
        "tr" => matches!(open, "tr" | "td" | "th"),
        "td" | "th" => matches!(open, "td" | "th"),
        "option" => open == "option",
        "p" | "div" | "ol" | "ul" | "table" | "blockquote" | "pre" | "h1" | "h2" | "h3" | "h4"
        | "h5" | "h6" | "section" | "article" | "header" | "footer" | "nav" | "aside" | "form"
        | "hr" | "dl" | "figure" | "main" | "address" | "details" | "fieldset" => open == "p",
        _ => false,
    }
}

#[derive(Default)]
struct State {
    /// Open elements (estimated) and whether each one is written out: those opened beyond
    /// the cap are not, nor are their end tags.
    stack: Vec<(String, bool)>,
    /// How many of `stack` are written out.
    kept: usize,
    deepest: usize,
    /// `Some` on the second pass: the page written out without the tags beyond the cap.
    out: Option<String>,
    raw: bool,
}

struct Sink {
    state: RefCell<State>,
}

fn escape_into(out: &mut String, text: &str, attr: bool) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' if !attr => out.push_str("&gt;"),
            '"' if attr => out.push_str("&quot;"),
            '\u{a0}' => out.push_str("&nbsp;"),
            _ => out.push(c),
        }
    }
}

impl State {
    fn pop_to(&mut self, len: usize) {
        for (_, kept) in self.stack.drain(len..) {
            self.kept -= usize::from(kept);
        }
    }

    fn tag(&mut self, tag: &Tag) -> TokenSinkResult<()> {
        let name: &str = &tag.name;
        if tag.kind == TagKind::EndTag {
            let reach = self.stack.len().saturating_sub(END_TAG_REACH);
            let mut kept = true;
            if let Some(at) = self.stack[reach..].iter().rposition(|(n, _)| n == name) {
                kept = self.stack[reach + at].1;
                self.pop_to(reach + at);
            }
            if let Some(out) = self.out.as_mut().filter(|_| kept) {
                out.push_str("</");
                out.push_str(name);
                out.push('>');
            }
            return TokenSinkResult::Continue;
        }
        while self
            .stack
            .last()
            .is_some_and(|(open, _)| closes(open, name))
        {
            self.pop_to(self.stack.len() - 1);
        }
        // `<div/>` opens a div in HTML (only void elements have no content), so a
        // self-closing tag counts as opening; `</svg>` and the like close what it left.
        if !is_void(name) {
            let keep = self.kept < MAX_DEPTH;
            self.stack.push((name.to_string(), keep));
            self.kept += usize::from(keep);
            self.deepest = self.deepest.max(self.stack.len());
            if !keep {
                return TokenSinkResult::Continue;
            }
        }
        if let Some(out) = &mut self.out {
            out.push('<');
            out.push_str(name);
            for a in &tag.attrs {
                out.push(' ');
                out.push_str(&a.name.local);
                out.push_str("=\"");
                escape_into(out, &a.value, true);
                out.push('"');
            }
            out.push('>');
        }
        let raw = match name {
            "script" => Some(RawKind::ScriptData),
            "style" | "xmp" | "iframe" | "noembed" | "noframes" => Some(RawKind::Rawtext),
            "textarea" | "title" => Some(RawKind::Rcdata),
            _ => None,
        };
        match raw {
            Some(kind) if !tag.self_closing => {
                // Raw text ends at its end tag: the element is closed there.
                self.raw = kind != RawKind::Rcdata;
                TokenSinkResult::RawData(kind)
            }
            _ => TokenSinkResult::Continue,
        }
    }
}

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut st = self.state.borrow_mut();
        match token {
            Token::TagToken(tag) => {
                st.raw = false;
                return st.tag(&tag);
            }
            Token::CharacterTokens(t) => {
                let raw = st.raw;
                if let Some(out) = &mut st.out {
                    if raw {
                        out.push_str(&t);
                    } else {
                        escape_into(out, &t, false);
                    }
                }
            }
            Token::DoctypeToken(_) => {
                if let Some(out) = &mut st.out {
                    out.push_str("<!DOCTYPE html>");
                }
            }
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

fn run(html: &str, out: Option<String>) -> State {
    let sink = Sink {
        state: RefCell::new(State {
            out,
            ..State::default()
        }),
    };
    let tok = Tokenizer::new(sink, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let _ = tok.feed(&input);
    tok.end();
    tok.sink.state.take()
}

/// The page itself when it nests no deeper than [`MAX_DEPTH`], else a copy without the
/// tags beyond that depth, and the depth found.
#[must_use]
pub fn capped(html: &str) -> (std::borrow::Cow<'_, str>, usize) {
    let first = run(html, None);
    if first.deepest < MAX_DEPTH {
        return (std::borrow::Cow::Borrowed(html), first.deepest);
    }
    let second = run(html, Some(String::with_capacity(html.len())));
    (
        std::borrow::Cow::Owned(second.out.unwrap_or_default()),
        first.deepest,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shallow_pages_pass_through_unchanged() {
        let page = "<p>a<p>b<ul><li>x<li>y</ul><table><tr><td>1<td>2<tr><td>3</table>";
        let (out, depth) = capped(page);
        assert!(matches!(out, std::borrow::Cow::Borrowed(_)));
        assert!(depth <= 4, "{depth}");
    }

    #[test]
    fn unclosed_paragraphs_do_not_count_as_nesting() {
        let page = "<div>".to_string() + &"<p>para".repeat(5000) + "</div>";
        assert!(capped(&page).1 < 5);
    }

    #[test]
    fn deep_pages_are_cut_at_the_cap_keeping_the_text() {
        let n = 2000;
        let page = format!(
            "{}<b>deep &amp; last</b>{}",
            "<ol><li>".repeat(n),
            "</li></ol>".repeat(n)
        );
        let (out, depth) = capped(&page);
        assert!(depth >= MAX_DEPTH);
        assert_eq!(out.matches("<ol>").count(), MAX_DEPTH / 2);
        assert_eq!(out.matches("<li>").count(), MAX_DEPTH / 2);
        assert_eq!(out.matches("</ol>").count(), MAX_DEPTH / 2);
        assert!(capped(&out).1 <= MAX_DEPTH);
        assert!(
            out.contains("deep &amp; last"),
            "{}",
            &out[out.len() - 200..]
        );
    }
}
