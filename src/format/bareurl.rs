//! Bare URLs in plain text (`https://example.net/page`, `<https://example.net/>`,
//! `www.example.net/x`) become links of the body, so `o` lists them.
//!
//! For the text readers (plain text, lynx and w3m dumps), whose bodies have no markup for
//! links. The text is not changed; a URL becomes a link span unless it overlaps a span the
//! reader already made. Code blocks are left alone. No IO.

use std::sync::LazyLock;

use regex::Regex;

use crate::model::{BlockKind, Body, Link, Span, SpanStyle};

static URL: LazyLock<Regex> = LazyLock::new(|| {
    // A literal pattern of this crate: it compiles (the tests use it).
    Regex::new(r"(?i)\b(?:(?:https?|ftp)://|www\.)[^\s<>\x22`]+")
        .unwrap_or_else(|e| panic!("static URL pattern: {e}"))
});

/// Trailing characters that end a sentence rather than a URL; a closing bracket stays when
/// the URL opened one (`https://en.wikipedia.org/wiki/Rust_(language)`).
fn trim_end(url: &str) -> &str {
    let mut url = url;
    loop {
        let Some(last) = url.chars().last() else {
            return url;
        };
        let keep = match last {
            ')' => url.matches('(').count() >= url.matches(')').count(),
            ']' => url.matches('[').count() >= url.matches(']').count(),
            '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '*' | '>' => false,
            _ => true,
        };
        if keep {
            return url;
        }
        url = &url[..url.len() - last.len_utf8()];
    }
}

/// The two quick tests for a block that may hold a URL, built once (building a searcher
/// for each block cost more than the search).
static SCHEME: LazyLock<memchr::memmem::Finder<'static>> =
    LazyLock::new(|| memchr::memmem::Finder::new(b"://"));
static WWW: LazyLock<memchr::memmem::Finder<'static>> =
    LazyLock::new(|| memchr::memmem::Finder::new(b"www."));

/// Adds a link for every bare URL in `body`'s text blocks.
pub fn link_bare_urls(body: &mut Body) {
    for block in &mut body.blocks {
        if matches!(block.kind, BlockKind::Code)
            || (SCHEME.find(block.text.as_bytes()).is_none()
                && WWW.find(block.text.as_bytes()).is_none())
        {
            continue;
        }
        let mut spans: Vec<Span> = block.spans.to_vec();
        let mut added = false;
        for m in URL.find_iter(&block.text) {
            let text = trim_end(m.as_str());
            let range = m.start()..m.start() + text.len();
            if text.len() < 8
                || spans
                    .iter()
                    .any(|s| s.range.start < range.end && range.start < s.range.end)
            {
                continue;
            }
            let url = if text.len() >= 4 && text[..4].eq_ignore_ascii_case("www.") {
                format!("https://{text}")
            } else {
                text.to_string()
            };
            spans.push(Span {
                range,
                style: SpanStyle::Link(body.links.len()),
            });
            body.links.push(Link {
                text: text.to_string(),
                url,
            });
            added = true;
        }
        if added {
            spans.sort_by_key(|s| s.range.start);
            block.spans = spans.into();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(text: &str) -> Vec<String> {
        let mut b = Body::from_plain(text);
        link_bare_urls(&mut b);
        b.links.into_iter().map(|l| l.url).collect()
    }

    #[test]
    fn bare_and_bracketed_urls_become_links() {
        assert_eq!(
            urls(
                "See https://example.net/page. Or <https://example.org/a?b=1&c=2>, and www.x.example/y!"
            ),
            [
                "https://example.net/page",
                "https://example.org/a?b=1&c=2",
                "https://www.x.example/y"
            ]
        );
        assert_eq!(
            urls("(https://en.wikipedia.org/wiki/Rust_(language))"),
            ["https://en.wikipedia.org/wiki/Rust_(language)"]
        );
        assert!(urls("no links: http:// alone, a.b.c, mailto").is_empty());
    }

    #[test]
    fn spans_point_at_the_url_text() {
        let mut b = Body::from_plain("x https://a.example/p y");
        link_bare_urls(&mut b);
        let span = &b.blocks[0].spans[0];
        assert_eq!(&b.blocks[0].text[span.range.clone()], "https://a.example/p");
        assert_eq!(span.style, SpanStyle::Link(0));
    }
}
