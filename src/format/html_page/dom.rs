//! Small tools over scraper's arena: a subtree's body with some elements left out, the elements
//! of one comment without its replies, collapsed text, URL resolution.
//!
//! Everything walks with an explicit stack (nothing recurses per nesting level). No IO.

use std::sync::LazyLock;

use scraper::node::Node;
use scraper::{ElementRef, Selector};

use crate::format::html;
use crate::model::Body;

/// A node of scraper's tree.
pub type NodeRef<'a> = ego_tree::NodeRef<'a, Node>;

/// Compiles a selector written in this module's source.
pub fn selector(css: &str) -> Selector {
    // The selectors are literals of this crate, checked by the tests: a parse error is a
    // bug in the literal, not in the input.
    Selector::parse(css).unwrap_or_else(|e| panic!("static selector {css:?} does not parse: {e}"))
}

/// A lazily compiled static selector.
pub type Lazy = LazyLock<Selector>;

/// Elements whose content is never text to read.
fn never_text(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "iframe"
            | "svg"
            | "button"
            | "form"
            | "input"
            | "select"
            | "textarea"
            | "object"
            | "embed"
    )
}

/// The void elements (no end tag): one list, the depth pre-pass's.
fn void(name: &str) -> bool {
    super::depth::is_void(name)
}

#[cfg(test)]
fn escape(text: &str, attr: bool, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attr => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
}

/// The HTML of `node`'s children, leaving out elements for which `skip` is true (and
/// scripts, styles, forms and the like): what [`body`] reads, written out, for its tests.
#[cfg(test)]
pub fn inner_html(node: NodeRef<'_>, skip: &dyn Fn(ElementRef<'_>) -> bool) -> String {
    let mut out = String::new();
    let mut stack: Vec<(NodeRef<'_>, bool)> = node.children().rev().map(|c| (c, false)).collect();
    while let Some((n, closing)) = stack.pop() {
        match n.value() {
            Node::Text(t) => escape(t, false, &mut out),
            Node::Element(e) => {
                let name = e.name();
                if closing {
                    out.push_str("</");
                    out.push_str(name);
                    out.push('>');
                    continue;
                }
                if never_text(name) || ElementRef::wrap(n).is_some_and(skip) {
                    continue;
                }
                out.push('<');
                out.push_str(name);
                for (k, v) in e.attrs() {
                    if matches!(k, "href" | "alt" | "start" | "src") {
                        out.push(' ');
                        out.push_str(k);
                        out.push_str("=\"");
                        escape(v, true, &mut out);
                        out.push('"');
                    }
                }
                out.push('>');
                if !void(name) {
                    stack.push((n, true));
                    stack.extend(n.children().rev().map(|c| (c, false)));
                }
            }
            _ => {}
        }
    }
    out
}

/// The body of `node`'s children, leaving out elements for which `skip` is true (and
/// scripts, styles, forms and the like): the same as [`html::to_body`] of [`inner_html`],
/// without writing the markup out and reading it again.
pub fn body(node: NodeRef<'_>, skip: &dyn Fn(ElementRef<'_>) -> bool, gt_quotes: bool) -> Body {
    let mut w = html::BodyWriter::default();
    let mut stack: Vec<(NodeRef<'_>, bool)> = node.children().rev().map(|c| (c, false)).collect();
    while let Some((n, closing)) = stack.pop() {
        match n.value() {
            Node::Text(t) => w.text(t),
            Node::Element(e) => {
                let name = e.name();
                if closing {
                    w.end(name);
                    continue;
                }
                if never_text(name) || ElementRef::wrap(n).is_some_and(skip) {
                    continue;
                }
                w.start(name, &|a| e.attr(a));
                if !void(name) {
                    stack.push((n, true));
                    stack.extend(n.children().rev().map(|c| (c, false)));
                }
            }
            _ => {}
        }
    }
    w.finish(gt_quotes)
}

/// The elements under `root` (itself excluded) in document order, without descending into
/// elements for which `boundary` is true (a comment's replies); boundaries are not listed.
pub fn own_elements<'a>(
    root: NodeRef<'a>,
    boundary: &dyn Fn(ElementRef<'a>) -> bool,
) -> Vec<ElementRef<'a>> {
    split_at_boundaries(root, boundary).0
}

/// [`own_elements`], and the boundaries it stopped at, both in document order.
pub fn split_at_boundaries<'a>(
    root: NodeRef<'a>,
    boundary: &dyn Fn(ElementRef<'a>) -> bool,
) -> (Vec<ElementRef<'a>>, Vec<ElementRef<'a>>) {
    let (mut found, mut boundaries) = (Vec::new(), Vec::new());
    let mut stack: Vec<NodeRef<'a>> = root.children().rev().collect();
    while let Some(n) = stack.pop() {
        let Some(el) = ElementRef::wrap(n) else {
            continue;
        };
        if boundary(el) {
            boundaries.push(el);
            continue;
        }
        found.push(el);
        stack.extend(n.children().rev());
    }
    (found, boundaries)
}

/// The first of `elements` matching `sel`.
pub fn first<'a>(elements: &[ElementRef<'a>], sel: &Selector) -> Option<ElementRef<'a>> {
    elements.iter().copied().find(|e| sel.matches(e))
}

/// The element's text with white space collapsed, scripts and styles left out.
pub fn text(el: ElementRef<'_>) -> String {
    let mut raw = String::new();
    let mut stack: Vec<NodeRef<'_>> = el.children().rev().collect();
    while let Some(n) = stack.pop() {
        match n.value() {
            Node::Text(t) => raw.push_str(t),
            Node::Element(e) if !never_text(e.name()) => {
                if matches!(e.name(), "br" | "p" | "div" | "li") {
                    raw.push(' ');
                }
                stack.extend(n.children().rev());
            }
            _ => {}
        }
    }
    collapse(&raw)
}

/// White space runs to one space, trimmed.
pub fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// An attribute, trimmed, when present and not empty.
pub fn attr(el: ElementRef<'_>, name: &str) -> Option<String> {
    el.value()
        .attr(name)
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
}

/// The first element of the document matching `sel`.
pub fn find<'a>(doc: &'a scraper::Html, sel: &Selector) -> Option<ElementRef<'a>> {
    doc.select(sel).next()
}

/// `href` made absolute against `base` (a page URL): enough of RFC 3986 for the links of
/// saved pages (absolute, scheme-relative, root-relative, fragment, query and relative
/// paths). Without a usable base the link is kept as written.
#[must_use]
pub fn resolve(base: Option<&str>, href: &str) -> String {
    let href = href.trim();
    let has_scheme = href.split_once(':').is_some_and(|(s, _)| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    let Some(base) = base.filter(|b| b.contains("://")) else {
        return href.to_string();
    };
    if has_scheme || href.is_empty() {
        return href.to_string();
    }
    let (scheme, rest) = base.split_once("://").unwrap_or(("https", base));
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let origin = format!("{scheme}://{}", &rest[..host_end]);
    let no_frag = base.split('#').next().unwrap_or(base);
    if let Some(r) = href.strip_prefix("//") {
        format!("{scheme}://{r}")
    } else if href.starts_with('/') {
        format!("{origin}{href}")
    } else if href.starts_with('#') {
        format!("{no_frag}{href}")
    } else if href.starts_with('?') {
        format!("{}{href}", no_frag.split('?').next().unwrap_or(no_frag))
    } else {
        let path = &rest[host_end..];
        let path = path.split(['?', '#']).next().unwrap_or("");
        let dir = path.rfind('/').map_or("/", |i| &path[..=i]);
        format!("{origin}{dir}{href}")
    }
}

/// Makes every link of `body` absolute against `base`.
pub fn resolve_links(body: &mut Body, base: Option<&str>) {
    if base.is_none() {
        return;
    }
    for link in &mut body.links {
        link.url = resolve(base, &link.url);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_the_usual_shapes() {
        let base = Some("https://ex.org/blog/post/?p=1#c");
        assert_eq!(resolve(base, "https://a.b/c"), "https://a.b/c");
        assert_eq!(resolve(base, "mailto:x@y"), "mailto:x@y");
        assert_eq!(resolve(base, "//cdn.x/y"), "https://cdn.x/y");
        assert_eq!(resolve(base, "/about"), "https://ex.org/about");
        assert_eq!(
            resolve(base, "#comment-3"),
            "https://ex.org/blog/post/?p=1#comment-3"
        );
        assert_eq!(resolve(base, "?q=2"), "https://ex.org/blog/post/?q=2");
        assert_eq!(
            resolve(base, "item?id=5"),
            "https://ex.org/blog/post/item?id=5"
        );
        assert_eq!(resolve(None, "item?id=5"), "item?id=5");
    }

    #[test]
    fn body_reads_the_tree_as_to_body_reads_its_markup() {
        let frag = "<div><p>a &amp; <b>b</b> <a href='/x'>l&lt;</a></p><pre>\n  x &lt; 1\n</pre>\
                    <blockquote><p>&gt; q</p></blockquote><ol start=3><li>i<li>j</ol>\
                    <div class=reply>Reply</div><script>x</script><img alt='q\"'><br>t</div>";
        let doc = scraper::Html::parse_fragment(frag);
        let div = doc.select(&selector("div")).next().unwrap();
        let skip_reply = selector(".reply");
        let skip = |e: ElementRef<'_>| skip_reply.matches(&e);
        for gt in [false, true] {
            let direct = body(*div, &skip, gt);
            assert_eq!(direct, html::to_body(&inner_html(*div, &skip), gt));
            assert!(direct.plain_text().contains("x < 1"), "{direct:?}");
            assert!(!direct.plain_text().contains("Reply"));
        }
    }

    #[test]
    fn inner_html_skips_and_escapes() {
        let doc = scraper::Html::parse_fragment(
            "<div><p>a &amp; <b>b</b></p><div class=reply>Reply</div><script>x</script><img alt='q\"'></div>",
        );
        let div = doc.select(&selector("div")).next().unwrap();
        let skip_reply = selector(".reply");
        let html = inner_html(*div, &|e| skip_reply.matches(&e));
        assert_eq!(html, "<p>a &amp; <b>b</b></p><img alt=\"q&quot;\">");
    }
}
