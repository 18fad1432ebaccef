//! Web pages saved as HTML ("Save page as", `curl URL > page.html`): the article and, when
//! the page has one of the known shapes, its comment tree.
//!
//! Shapes, tried in this order: Hacker News item pages ([`hn`]), old.reddit comment pages
//! ([`reddit`]), `WordPress` comment lists and lookalikes ([`wordpress`]). A page with none
//! of them is its article alone, with a one-line note; it is never its raw markup. The DOM
//! is scraper's (html5ever's tree builder into an arena), built through [`depth`], which caps
//! how deep elements nest, because the tree builder's time grows with the square of the depth.
//! Bodies go through the HTML body reader ([`crate::format::html`]); links become the
//! comment's links. No IO, no terminal, no recursion over depth.

mod article;
mod depth;
mod dom;
mod hn;
mod reddit;
mod wordpress;

pub use article::{Article, extract_article};
pub use depth::MAX_DEPTH;

use scraper::Html;

use crate::format::FormatError;
use crate::model::{Thread, ThreadBuilder};

/// The note a page without comments gets.
pub const NO_COMMENTS: &str = "this page has no comments threadr can read: showing its article";

/// Whether text is an HTML page rather than a text dump: it opens with a doctype, `<html>`,
/// `<head>` or a comment/XML declaration followed by one of them.
#[must_use]
pub fn looks_like_html(text: &str) -> bool {
    let mut rest = text.trim_start();
    // Skip an XML declaration and leading comments (`<!-- saved from url=... -->`).
    for _ in 0..8 {
        if rest.starts_with("<?") {
            rest = rest.find("?>").map_or("", |i| &rest[i + 2..]).trim_start();
        } else if rest.starts_with("<!--") {
            rest = rest.find("-->").map_or("", |i| &rest[i + 3..]).trim_start();
        } else {
            break;
        }
    }
    let head: String = rest
        .chars()
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    [
        "<!doctype html",
        "<html",
        "<head",
        "<body",
        "<meta ",
        "<title",
    ]
    .iter()
    .any(|p| head.starts_with(p))
}

/// Which reader a page is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    Hn,
    Reddit,
    WordPress,
    /// A `WordPress` comment list without comments yet.
    EmptyList,
    None,
}

static LANDMARKS: dom::Lazy = dom::Lazy::new(|| {
    dom::selector(&[hn::LANDMARKS, reddit::LANDMARKS, wordpress::LANDMARKS].join(", "))
});

/// The page's shape, found in one walk over its elements (each shape's own search would
/// walk all of a big page's elements again). The order of preference is Hacker News,
/// old.reddit, `WordPress`. The walk does not go into `WordPress` comments: their content
/// is their commenters' text, not the page's shape, and on a big page it is nearly all of it.
fn shape(doc: &Html) -> Shape {
    let (mut area, mut post, mut list, mut comments) = (false, false, false, false);
    let mut stack = vec![doc.tree.root()];
    while let Some(node) = stack.pop() {
        if let Some(el) = scraper::ElementRef::wrap(node)
            && LANDMARKS.matches(&el)
        {
            if hn::marks_page(el) {
                return Shape::Hn;
            }
            match reddit::landmark(el) {
                Some(reddit::Landmark::Area) => area = true,
                Some(reddit::Landmark::Post) => post = true,
                None => {}
            }
            match wordpress::landmark(el) {
                Some(wordpress::Landmark::List) => list = true,
                Some(wordpress::Landmark::Comment) => {
                    comments = true;
                    continue;
                }
                None => {}
            }
        }
        stack.extend(node.children().filter(|c| c.value().is_element()).rev());
    }
    match (area && post, comments, list) {
        (true, _, _) => Shape::Reddit,
        (_, true, _) => Shape::WordPress,
        (_, _, true) => Shape::EmptyList,
        _ => Shape::None,
    }
}

/// Reads an HTML page. The thread's key is the page's canonical URL (or `hn:<id>` /
/// `reddit:<id>` for those sites), so the same post saved twice is the same thread.
///
/// # Errors
/// Never for markup (any text is some page); the signature matches the other readers.
pub fn parse(text: &str, source: &str) -> Result<Thread, FormatError> {
    let _ = source;
    let mut b = ThreadBuilder::new();
    let (doc, deepest) = depth::parse(text);
    if deepest >= MAX_DEPTH {
        b.warnings.push(format!(
            "the page nests elements deeper than {MAX_DEPTH} levels; deeper ones were flattened"
        ));
    }
    let shape = shape(&doc);
    if shape == Shape::Hn {
        hn::read(&doc, &mut b);
    } else if shape == Shape::Reddit {
        reddit::read(&doc, &mut b);
    } else {
        let a = article::article_of(&doc, None);
        b.title = a.title;
        b.author = a.author;
        b.created = a.created;
        b.url.clone_from(&a.url);
        b.body = a.body;
        if shape == Shape::WordPress {
            wordpress::read(&doc, a.url.as_deref(), &mut b);
        } else if shape == Shape::None {
            b.warnings.push(NO_COMMENTS.to_string());
        }
    }
    Ok(b.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_is_told_from_text() {
        assert!(looks_like_html("<!DOCTYPE html>\n<html>"));
        assert!(looks_like_html("  <!doctype HTML PUBLIC \"-//W3C//DTD\">"));
        assert!(looks_like_html(
            "<?xml version=\"1.0\"?>\n<!-- saved -->\n<html lang=en>"
        ));
        assert!(looks_like_html("<html><body>x"));
        assert!(!looks_like_html("[1]Skip to content\n"));
        assert!(!looks_like_html("A post\n\n1. ana\n"));
        assert!(!looks_like_html("<b>not a page</b>"));
    }

    #[test]
    fn a_page_without_comments_is_its_article_with_a_note() {
        let t = parse(
            "<!doctype html><title>T</title><body><nav>menu</nav><p>Just text.</p></body>",
            "p.html",
        )
        .unwrap();
        assert!(t.comments.is_empty());
        assert_eq!(t.title.as_deref(), Some("T"));
        assert_eq!(t.body.plain_text(), "Just text.");
        assert_eq!(t.warnings, [NO_COMMENTS]);
    }

    #[test]
    fn shapes_are_found_in_one_pass_in_order_of_preference() {
        let shape_of = |body: &str| shape(&depth::parse(&format!("<!doctype html><body>{body}")).0);
        let wp = "<ol class=comment-list><li class=comment id=comment-1>c</li></ol>";
        assert_eq!(shape_of(wp), Shape::WordPress);
        assert_eq!(shape_of("<ul class=commentlist></ul>"), Shape::EmptyList);
        assert_eq!(
            shape_of("<ul><li class=comment>not in a list</ul>"),
            Shape::None
        );
        let reddit = "<div class='thing link'></div><div class=commentarea></div>";
        assert_eq!(shape_of(&format!("{wp}{reddit}")), Shape::Reddit);
        assert_eq!(
            shape_of(&format!("{wp}<div class=commentarea></div>")),
            Shape::WordPress
        );
        let hn = "<table class=fatitem><tr><td>story</td></tr></table>";
        assert_eq!(shape_of(&format!("{reddit}{wp}{hn}")), Shape::Hn);
        let cell = "<table><tr><td class=default><span class=comhead>x</span></td></tr></table>";
        assert_eq!(shape_of(&format!("{wp}{cell}")), Shape::Hn);
        let quoted = format!("<ol class=comment-list><li class=comment>{hn}</li></ol>");
        assert_eq!(shape_of(&quoted), Shape::WordPress);
        let bare_cell = "<table><tr><td class=default>x</td></tr></table>";
        assert_eq!(shape_of(&format!("{wp}{bare_cell}")), Shape::WordPress);
    }
}
