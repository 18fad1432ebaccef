//! HTML bodies (Hacker News, Lobsters) to [`crate::model::Body`].
//!
//! Uses html5ever's tokenizer (the HTML5 spec's tokenization: entities, attributes, broken
//! markup) and builds the body from the token stream with flat stacks, so no DOM tree is
//! built and nothing recurses over nesting depth. The structure that matters for comments is
//! simple: `<p>` (also unclosed, as Hacker News writes it), `<br>`, `<blockquote>`,
//! `<pre>`, lists, headings, inline styles and links. Decoded text is kept as is, control
//! characters included; the UI's sanitiser makes it safe to show. No IO.

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

use crate::format::bodybuild::BodyBuilder;
use crate::model::{BlockKind, Body, SpanStyle};

struct Sink {
    state: RefCell<State>,
}

#[derive(Default)]
struct State {
    body: BodyBuilder,
    /// Inside `<script>`, `<style>`...: text is dropped until this end tag.
    skipping: Option<String>,
    /// The next newline right after `<pre>` is not content (HTML rule).
    after_pre: bool,
    /// Open `<a>` elements: whether each one opened a link (had an `href`).
    anchors: Vec<bool>,
}

fn inline_style(name: &str) -> Option<SpanStyle> {
    Some(match name {
        "i" | "em" | "cite" | "var" | "dfn" => SpanStyle::Emphasis,
        "b" | "strong" => SpanStyle::Strong,
        "code" | "tt" | "kbd" | "samp" => SpanStyle::Code,
        "s" | "strike" | "del" => SpanStyle::Strike,
        _ => return None,
    })
}

fn is_block_boundary(name: &str) -> bool {
    matches!(
        name,
        "div"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "main"
            | "nav"
            | "aside"
            | "figure"
            | "figcaption"
            | "table"
            | "tr"
            | "hr"
            | "dl"
            | "dt"
            | "dd"
            | "details"
            | "summary"
            | "address"
            | "center"
    )
}

fn attr<'t>(tag: &'t Tag, name: &str) -> Option<&'t str> {
    tag.attrs
        .iter()
        .find(|a| &*a.name.local == name)
        .map(|a| &*a.value)
}

impl State {
    fn tag(&mut self, tag: &Tag) -> TokenSinkResult<()> {
        let start = tag.kind == TagKind::StartTag;
        self.element(&tag.name, start, tag.self_closing, &|name| attr(tag, name))
    }

    /// One start or end tag, from the tokenizer or from a walk over a DOM; `attr` looks up
    /// the start tag's attributes.
    fn element<'t>(
        &mut self,
        name: &str,
        start: bool,
        self_closing: bool,
        attr: &dyn Fn(&str) -> Option<&'t str>,
    ) -> TokenSinkResult<()> {
        if let Some(skip) = &self.skipping {
            if !start && skip == name {
                self.skipping = None;
            }
            return TokenSinkResult::Continue;
        }
        self.after_pre = false;
        match (name, start) {
            ("script" | "style" | "template" | "title" | "textarea" | "noscript", true) => {
                if !self_closing {
                    self.skipping = Some(name.to_string());
                    return TokenSinkResult::RawData(if name == "script" {
                        RawKind::ScriptData
                    } else if name == "textarea" || name == "title" {
                        RawKind::Rcdata
                    } else {
                        RawKind::Rawtext
                    });
                }
            }
            ("pre" | "listing" | "xmp", true) => {
                self.body.code_in();
                self.after_pre = true;
            }
            ("pre" | "listing" | "xmp", false) => self.body.code_out(),
            _ if self.body.in_code() => {
                // Inside <pre> only line breaks and links matter.
                match (name, start) {
                    ("br", _) => self.body.text_raw("\n"),
                    ("a", true) => {
                        let href = attr("href");
                        if let Some(url) = href {
                            self.body.open_link(url);
                        }
                        self.anchors.push(href.is_some());
                    }
                    ("a", false) if self.anchors.pop() == Some(true) => self.body.close_link(),
                    _ => {}
                }
            }
            (
                "p" | "ul" | "ol" | "menu" | "dir" | "li" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6",
                false,
            )
            | ("p", true) => self.body.flush(),
            ("br", _) => self.body.hard_break(),
            ("blockquote", true) => self.body.quote_in(),
            ("blockquote", false) => self.body.quote_out(),
            ("ul" | "menu" | "dir", true) => self.body.list_in(false, 1),
            ("ol", true) => {
                let first = attr("start").and_then(|s| s.trim().parse().ok());
                self.body.list_in(true, first.unwrap_or(1));
            }
            ("li", true) => self.body.item(),
            ("h1" | "h2" | "h3" | "h4" | "h5" | "h6", true) => {
                self.body.start_block(BlockKind::Heading);
            }
            ("a", true) => {
                let href = attr("href");
                if let Some(url) = href {
                    self.body.open_link(url);
                }
                self.anchors.push(href.is_some());
            }
            ("a", false) => {
                if self.anchors.pop() == Some(true) {
                    self.body.close_link();
                }
            }
            // An image gives no text: its alt text is a description for screen readers
            // (often a Pinterest caption or the post's summary again), and written into a
            // paragraph it reads as the author's words, glued to them.
            ("img", true) => {}
            ("td" | "th", true) => self.body.text_collapsed(" "),
            (other, _) if is_block_boundary(other) => self.body.flush(),
            (other, true) => {
                if let Some(style) = inline_style(other) {
                    self.body.push_style(style);
                }
            }
            (other, false) => {
                if let Some(style) = inline_style(other) {
                    self.body.pop_style(style);
                }
            }
        }
        // List ends also close the list itself.
        if !start && matches!(name, "ul" | "ol" | "menu" | "dir") && !self.body.in_code() {
            self.body.list_out();
        }
        TokenSinkResult::Continue
    }

    fn characters(&mut self, s: &str) {
        if self.skipping.is_some() {
            return;
        }
        let s = if std::mem::take(&mut self.after_pre) {
            s.strip_prefix('\n').unwrap_or(s)
        } else {
            s
        };
        self.body.text_collapsed(s);
    }
}

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut st = self.state.borrow_mut();
        match token {
            Token::TagToken(tag) => return st.tag(&tag),
            Token::CharacterTokens(t) => st.characters(&t),
            // The tokenizer passes U+0000 through; the HTML spec shows it as U+FFFD.
            Token::NullCharacterToken => st.characters("\u{fffd}"),
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

/// Builds a body from a walk over an already parsed tree (the HTML page reader's DOM), so a
/// comment's markup is neither written out again nor tokenized a second time. Feed it the
/// elements and text in document order; scripts, styles and forms are the walker's to skip.
#[derive(Default)]
pub struct BodyWriter {
    state: State,
}

impl BodyWriter {
    /// A start tag; `attr` looks up its attributes.
    pub fn start<'t>(&mut self, name: &str, attr: &dyn Fn(&str) -> Option<&'t str>) {
        let _ = self.state.element(name, true, false, attr);
    }

    /// An end tag.
    pub fn end(&mut self, name: &str) {
        let _ = self.state.element(name, false, false, &|_| None);
    }

    /// Decoded text (a DOM's text node: its entities are already read, and the parser has
    /// already dropped the newline that opens a `<pre>`).
    pub fn text(&mut self, s: &str) {
        self.state.after_pre = false;
        self.state.characters(s);
    }

    /// The body; `gt_quotes` as for [`to_body`].
    #[must_use]
    pub fn finish(self, gt_quotes: bool) -> Body {
        self.state.body.finish(gt_quotes)
    }
}

/// Converts an HTML fragment to a body. `gt_quotes` reads paragraphs that start with `>` as
/// quotations (how Hacker News users quote).
#[must_use]
pub fn to_body(html: &str, gt_quotes: bool) -> Body {
    if html.is_empty() {
        return Body::default();
    }
    let sink = Sink {
        state: RefCell::new(State::default()),
    };
    let tok = Tokenizer::new(sink, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let _ = tok.feed(&input);
    tok.end();
    let state = tok.sink.state.take();
    state.body.finish(gt_quotes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Link, Span};

    fn texts(b: &Body) -> Vec<&str> {
        b.blocks.iter().map(|b| b.text.as_str()).collect()
    }

    #[test]
    fn images_give_no_text() {
        let b = to_body(
            "<p>Best I've tried.<img src='a.jpg' alt='Try this: the pin caption'></p>\
             <p><img alt='a photo'></p><p>Next <a href='big.jpg'><img alt='zoom'></a></p>",
            false,
        );
        assert_eq!(texts(&b), ["Best I've tried.", "Next big.jpg"]);
    }

    #[test]
    fn hn_bare_first_paragraph_and_unclosed_p() {
        let b = to_body("First one.<p>Second &amp; more.<p>Third", true);
        assert_eq!(texts(&b), ["First one.", "Second & more.", "Third"]);
    }

    #[test]
    fn entities_decoded_links_captured() {
        let b = to_body(
            "It&#x27;s at <a href=\"https:&#x2F;&#x2F;example.org&#x2F;a?b=1&amp;c=2\" \
             rel=\"nofollow\">https:&#x2F;&#x2F;example.org&#x2F;a</a> ok",
            true,
        );
        assert_eq!(texts(&b), ["It's at https://example.org/a ok"]);
        assert_eq!(
            b.links,
            [Link {
                text: "https://example.org/a".into(),
                url: "https://example.org/a?b=1&c=2".into()
            }]
        );
        assert_eq!(
            *b.blocks[0].spans,
            [Span {
                range: 8..29,
                style: SpanStyle::Link(0)
            }]
        );
    }

    #[test]
    fn code_blocks_verbatim_and_styles() {
        let b = to_body(
            "<p>Try <i>this</i> and <b>that</b>:<pre><code>  fn main() {\n    x &lt; 1;\n  }\n</code></pre>after",
            false,
        );
        assert_eq!(b.blocks.len(), 3);
        assert_eq!(b.blocks[0].text, "Try this and that:");
        assert_eq!(
            *b.blocks[0].spans,
            [
                Span {
                    range: 4..8,
                    style: SpanStyle::Emphasis
                },
                Span {
                    range: 13..17,
                    style: SpanStyle::Strong
                }
            ]
        );
        assert_eq!(b.blocks[1].kind, BlockKind::Code);
        assert_eq!(b.blocks[1].text, "  fn main() {\n    x < 1;\n  }");
        assert_eq!(b.blocks[2].text, "after");
    }

    #[test]
    fn quotes_from_blockquote_and_gt() {
        let b = to_body(
            "<blockquote><p>quoted</p><blockquote>deeper</blockquote></blockquote><p>&gt; hn style<p>plain",
            true,
        );
        let depths: Vec<_> = b
            .blocks
            .iter()
            .map(|b| (b.quote_depth, b.text.as_str()))
            .collect();
        assert_eq!(
            depths,
            [(1, "quoted"), (2, "deeper"), (1, "hn style"), (0, "plain")]
        );
    }

    #[test]
    fn lists_numbered_and_nested() {
        let b = to_body(
            "<ol start=\"3\"><li>a</li><li><p>b</p><ul><li>c</li></ul></li></ol>",
            false,
        );
        let items: Vec<_> = b
            .blocks
            .iter()
            .map(|b| match &b.kind {
                BlockKind::ListItem { marker, level } => (marker.as_str(), *level, b.text.as_str()),
                _ => ("", 99, b.text.as_str()),
            })
            .collect();
        assert_eq!(items, [("3.", 0, "a"), ("4.", 0, "b"), ("•", 1, "c")]);
    }

    #[test]
    fn hostile_entities_stay_decoded_in_the_model() {
        let b = to_body(
            "evil&#27;[2J and &#x202e;rtl <a href=\"javascript:&#27;]0;x\">x</a>",
            true,
        );
        assert!(b.blocks[0].text.contains('\u{1b}'));
        assert!(b.blocks[0].text.contains('\u{202e}'));
        assert_eq!(b.links[0].url, "javascript:\u{1b}]0;x");
        let plain = b.plain_text();
        let shown = crate::text::sanitize(&plain);
        assert!(
            !shown.contains('\u{1b}') && !shown.contains('\u{202e}'),
            "{shown}"
        );
    }

    #[test]
    fn scripts_dropped_whitespace_collapsed_brs_kept() {
        let b = to_body(
            "<script>alert('<p>x')</script>  a \n\t b<br>  c<br><br>",
            false,
        );
        assert_eq!(texts(&b), ["a b\nc"]);
    }

    #[test]
    fn deep_nesting_does_not_recurse() {
        let n = 100_000;
        let html = format!(
            "{}deep{}",
            "<blockquote><i>".repeat(n),
            "</i></blockquote>".repeat(n)
        );
        let b = to_body(&html, false);
        assert_eq!(b.blocks[0].text, "deep");
        assert_eq!(b.blocks[0].quote_depth, 255);
    }

    #[test]
    fn empty_anchor_shows_url() {
        let b = to_body("see <a href=\"https://x.y/\"></a>.", false);
        assert_eq!(texts(&b), ["see https://x.y/."]);
        assert_eq!(b.links[0].text, "https://x.y/");
    }
}
