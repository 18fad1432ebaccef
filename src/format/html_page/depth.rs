//! Parses a page into scraper's DOM with its element nesting capped.
//!
//! html5ever's tree builder scans its stack of open elements for many start tags (closing a
//! `<p>` "in button scope"), so building a page of 100,000 nested `<ol>`s takes time
//! quadratic in the depth (minutes). The tokenizer's tags pass through [`Capped`] on their
//! way to the tree builder: it estimates the depth with the same implied closings that
//! matter (`p`, `li`, table cells...) and drops the start and end tags beyond
//! [`MAX_DEPTH`], so the deeper content is kept, flattened into the deepest element allowed.
//! One tokenizer pass: a page is not tokenized a second time to find its depth. No IO, no
//! recursion.

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use html5ever::tree_builder::{TreeBuilder, TreeBuilderOpts, TreeSink};
use html5ever::{LocalName, TokenizerResult};
use scraper::{Html, HtmlTreeSink};

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

/// The estimated stack of open elements.
#[derive(Default)]
struct Depth {
    /// Open elements (estimated) and whether each one was passed on: those opened beyond
    /// the cap are not, nor are their end tags.
    stack: Vec<(LocalName, bool)>,
    /// How many of `stack` were passed on.
    kept: usize,
    deepest: usize,
}

impl Depth {
    fn pop_to(&mut self, len: usize) {
        for (_, kept) in self.stack.drain(len..) {
            self.kept -= usize::from(kept);
        }
    }

    /// Whether the tag goes on to the tree builder.
    fn keep(&mut self, tag: &Tag) -> bool {
        let name = &tag.name;
        if tag.kind == TagKind::EndTag {
            let reach = self.stack.len().saturating_sub(END_TAG_REACH);
            return match self.stack[reach..].iter().rposition(|(n, _)| n == name) {
                Some(at) => {
                    let kept = self.stack[reach + at].1;
                    self.pop_to(reach + at);
                    kept
                }
                None => true,
            };
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
        if is_void(name) {
            return true;
        }
        // A dropped `<script>` or `<style>` never reaches the tree builder, so the
        // tokenizer reads its content as markup, which is capped in turn.
        let keep = self.kept < MAX_DEPTH;
        self.stack.push((name.clone(), keep));
        self.kept += usize::from(keep);
        self.deepest = self.deepest.max(self.stack.len());
        keep
    }
}

/// A token sink between the tokenizer and `inner` (the tree builder) that drops the tags
/// nested beyond [`MAX_DEPTH`].
struct Capped<S> {
    inner: S,
    depth: RefCell<Depth>,
}

impl<S: TokenSink> TokenSink for Capped<S> {
    type Handle = S::Handle;

    fn process_token(&self, token: Token, line: u64) -> TokenSinkResult<S::Handle> {
        if let Token::TagToken(tag) = &token
            && !self.depth.borrow_mut().keep(tag)
        {
            return TokenSinkResult::Continue;
        }
        self.inner.process_token(token, line)
    }

    fn end(&self) {
        self.inner.end();
    }

    fn adjusted_current_node_present_but_not_in_html_namespace(&self) -> bool {
        self.inner
            .adjusted_current_node_present_but_not_in_html_namespace()
    }
}

/// Parses a page as a document (as `Html::parse_document` does) with the tags nested deeper
/// than [`MAX_DEPTH`] left out, and the deepest nesting the page asked for.
#[must_use]
pub fn parse(html: &str) -> (Html, usize) {
    let builder = TreeBuilder::new(
        HtmlTreeSink::new(Html::new_document()),
        TreeBuilderOpts::default(),
    );
    let tok = Tokenizer::new(
        Capped {
            inner: builder,
            depth: RefCell::default(),
        },
        TokenizerOpts::default(),
    );
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    // `feed` stops after each `</script>` for a scripting host to run it; there is none.
    while !matches!(tok.feed(&input), TokenizerResult::Done) {}
    tok.end();
    let deepest = tok.sink.depth.borrow().deepest;
    (tok.sink.inner.sink.finish(), deepest)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The deepest element of the tree, walked with a stack.
    fn tree_depth(doc: &Html) -> usize {
        let mut deepest = 0;
        let mut stack = vec![(doc.tree.root(), 0)];
        while let Some((n, d)) = stack.pop() {
            deepest = deepest.max(d);
            stack.extend(
                n.children()
                    .map(|c| (c, d + usize::from(c.value().is_element()))),
            );
        }
        deepest
    }

    #[test]
    fn shallow_pages_parse_as_scraper_parses_them() {
        let page = "<!DOCTYPE html><p>a<p>b<ul><li>x<li>y</ul><table><tr><td>1<td>2<tr><td>3</table>\
                    <script>if (a<b) x('<div>')</script><svg><title>t</title></svg><b><p>re</b>open";
        let (doc, depth) = parse(page);
        assert!(depth <= 6, "{depth}");
        assert_eq!(doc, Html::parse_document(page));
    }

    #[test]
    fn unclosed_paragraphs_do_not_count_as_nesting() {
        let page = "<div>".to_string() + &"<p>para".repeat(5000) + "</div>";
        assert!(parse(&page).1 < 5);
    }

    #[test]
    fn deep_pages_are_cut_at_the_cap_keeping_the_text() {
        let n = 2000;
        let page = format!(
            "{}<b>deep &amp; last</b>{}<p>after",
            "<ol><li>".repeat(n),
            "</li></ol>".repeat(n)
        );
        let (doc, depth) = parse(&page);
        assert!(depth >= 2 * n, "{depth}");
        let built = tree_depth(&doc);
        // html, body and the <b> come on top of the capped lists.
        assert!((MAX_DEPTH..MAX_DEPTH + 4).contains(&built), "{built}");
        let ol = scraper::Selector::parse("ol").unwrap();
        assert_eq!(doc.select(&ol).count(), MAX_DEPTH / 2);
        let text: String = doc.root_element().text().collect();
        assert!(
            text.contains("deep & last") && text.ends_with("after"),
            "{text}"
        );
    }

    #[test]
    fn dropped_scripts_are_read_as_markup_and_capped_too() {
        let n = 1000;
        let page = format!("{}<script><i>x</i></script>", "<div>".repeat(n));
        let (doc, _) = parse(&page);
        assert!(tree_depth(&doc) < MAX_DEPTH + 4);
        let text: String = doc.root_element().text().collect();
        assert_eq!(text, "x");
    }
}
