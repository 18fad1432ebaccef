//! The linked article of a link post (`O`): which page a Hacker News, Reddit or Lobsters
//! story links to, fetching it and extracting its readable text
//! ([`crate::format::html_page::extract_article`]), and keeping that text in the thread's
//! article (so it is saved with the copy and survives a refresh).
//!
//! The article is kept after the thread's own text, from a heading block
//! `Article fetched from URL` on: one place, found again by that heading, replaced when
//! fetched again. Fetching is a blocking function like every fetch here; the rest is pure.

use super::{Client, Control, FetchError};
use crate::model::{Block, BlockKind, Body, Span, SpanStyle, Thread};

/// The heading that starts a fetched article inside the thread's body.
pub const HEADING: &str = "Article fetched from ";

/// When the linked article is fetched (`[fetch] articles`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Articles {
    /// Only when `O` asks (the default).
    #[default]
    Ask,
    /// Also on opening a link post whose copy has no article yet.
    Always,
}

impl Articles {
    /// The value as `config.toml` spells it.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Ask => "ask",
            Self::Always => "always",
        }
    }

    /// The setting spelled `name`, if it is one.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        [Self::Ask, Self::Always]
            .into_iter()
            .find(|a| a.name() == name)
    }
}

/// The page a link post links to: the link paragraph the Hacker News, Reddit and Lobsters
/// readers put after the story's own text (a block that is exactly one link).
#[must_use]
pub fn story_link(thread: &Thread) -> Option<String> {
    let site = thread.key.split_once(':').map(|(s, _)| s)?;
    if !matches!(site, "hn" | "reddit" | "lobsters") {
        return None;
    }
    let end = article_start(&thread.body).unwrap_or(thread.body.blocks.len());
    thread.body.blocks[..end].iter().rev().find_map(|b| {
        let [span] = &*b.spans else { return None };
        let SpanStyle::Link(i) = span.style else {
            return None;
        };
        let link = thread.body.links.get(i)?;
        (span.range == (0..b.text.len()) && *b.text == *link.url).then(|| link.url.clone())
    })
}

/// Whether a fetched article is attached to the thread (kept with its copy).
#[must_use]
pub fn is_attached(thread: &Thread) -> bool {
    article_start(&thread.body).is_some()
}

/// Where a fetched article starts in `body`, if one was attached.
fn article_start(body: &Body) -> Option<usize> {
    body.blocks
        .iter()
        .position(|b| b.kind == BlockKind::Heading && b.text.starts_with(HEADING))
}

/// Fetches `url` and extracts its article.
///
/// # Errors
/// The fetch failed, or the page is a PDF, an image, or has no readable text.
pub fn fetch_article(
    url: &str,
    client: &Client,
    ctl: &mut Control<'_>,
) -> Result<Body, FetchError> {
    let response = client.get(url, None, ctl)?;
    let not_article = |what: &str| FetchError::Other {
        url: url.to_string(),
        message: format!("{what}; the link stays in the article"),
    };
    if let Some(kind) = response.content_type.as_deref().and_then(super::not_text) {
        return Err(not_article(&format!(
            "it is {}",
            kind.trim_end_matches(", not a thread")
        )));
    }
    let body = super::unpack(response.body, url, client)?;
    let mut warnings = Vec::new();
    let html = crate::format::decode(&body, &mut warnings);
    let article = crate::format::html_page::extract_article(&html, Some(&response.url));
    if article.body.blocks.iter().all(|b| b.text.trim().is_empty()) {
        return Err(not_article("the page has no readable text"));
    }
    Ok(with_byline(article))
}

/// The article's text, after its own title and a `by AUTHOR · DATE` line where the page
/// gives them (the story's title above is the poster's, which often differs).
fn with_byline(article: crate::format::html_page::Article) -> Body {
    let mut body = article.body;
    let mut front = Vec::new();
    if let Some(title) = article.title.filter(|t| !t.trim().is_empty()) {
        // Not a heading block: the attached article is found again by its one heading.
        let mut b = Block::paragraph(title.trim().to_string());
        b.spans = vec![Span {
            range: 0..b.text.len(),
            style: SpanStyle::Strong,
        }]
        .into();
        front.push(b);
    }
    let by = article.author.filter(|a| !a.trim().is_empty());
    // The day is enough for an article; a date given only as text is shown as given.
    let date = article.created.map(|d| {
        let text = d.to_rfc3339();
        match d.unix() {
            Some(_) => text.get(..10).unwrap_or(&text).to_string(),
            None => text,
        }
    });
    let byline = match (by, date) {
        (Some(a), Some(d)) => Some(format!("by {} · {d}", a.trim())),
        (Some(a), None) => Some(format!("by {}", a.trim())),
        (None, Some(d)) => Some(d),
        (None, None) => None,
    };
    front.extend(byline.map(Block::paragraph));
    body.blocks.splice(0..0, front);
    body
}

/// Puts `article` (fetched from `url`) in the thread's body after its own text, replacing
/// an article attached before.
pub fn attach(thread: &mut Thread, url: &str, article: &Body) {
    let body = &mut thread.body;
    if let Some(start) = article_start(body) {
        body.blocks.truncate(start);
        // Links only the old article used go too (they come after the thread's own).
        let used = body
            .blocks
            .iter()
            .flat_map(|b| b.spans.iter())
            .filter_map(|s| match s.style {
                SpanStyle::Link(i) => Some(i + 1),
                _ => None,
            })
            .max()
            .unwrap_or(0);
        body.links.truncate(used);
    }
    let mut heading = Block::paragraph(format!("{HEADING}{url}"));
    heading.kind = BlockKind::Heading;
    body.blocks.push(heading);
    let offset = body.links.len();
    body.links.extend(article.links.iter().cloned());
    body.blocks.extend(article.blocks.iter().map(|b| {
        let mut b = b.clone();
        b.spans = b
            .spans
            .iter()
            .map(|s| Span {
                range: s.range.clone(),
                style: match s.style {
                    SpanStyle::Link(i) => SpanStyle::Link(i + offset),
                    other => other,
                },
            })
            .collect();
        b
    }));
}

/// The article attached to `saved`, as a body of its own (only the links it uses) with the
/// URL it came from.
fn attached(saved: &Thread) -> Option<(String, Body)> {
    let start = article_start(&saved.body)?;
    let url = saved.body.blocks[start]
        .text
        .strip_prefix(HEADING)?
        .to_string();
    let mut links = Vec::new();
    let mut index = std::collections::HashMap::new();
    let blocks: thin_vec::ThinVec<Block> = saved.body.blocks[start + 1..]
        .iter()
        .map(|b| {
            let mut b = b.clone();
            b.spans = b
                .spans
                .iter()
                .filter_map(|s| {
                    let style = match s.style {
                        SpanStyle::Link(i) => {
                            let link = saved.body.links.get(i)?;
                            SpanStyle::Link(*index.entry(i).or_insert_with(|| {
                                links.push(link.clone());
                                links.len() - 1
                            }))
                        }
                        other => other,
                    };
                    Some(Span {
                        range: s.range.clone(),
                        style,
                    })
                })
                .collect();
            b
        })
        .collect();
    Some((
        url,
        Body {
            blocks,
            links: links.into(),
        },
    ))
}

/// Keeps a fetched article across a refresh: the refetched thread's body is the site's, so
/// the article the saved copy had is attached to it again.
pub fn carry_over(saved: &Thread, merged: &mut Thread) {
    if article_start(&merged.body).is_some() {
        return;
    }
    if let Some((url, body)) = attached(saved) {
        attach(merged, &url, &body);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link_post() -> Thread {
        crate::format::load(
            br#"{"id": 1, "type": "story", "title": "T", "author": "op",
                "url": "https://example.org/post", "text": "<p>Own words.", "children": []}"#,
            "hn.json",
            None,
        )
        .unwrap()
    }

    fn article() -> Body {
        crate::format::html_page::extract_article(
            "<html><body><article><h1>Post</h1><p>The body with <a href=\"https://example.org/x\">a link</a>.</p></article></body></html>",
            Some("https://example.org/post"),
        )
        .body
    }

    #[test]
    fn the_article_starts_with_its_own_title_and_byline() {
        let page = r#"<html><head><meta name="author" content="Ada Writer">
            <meta property="article:published_time" content="2024-03-01T10:00:00+00:00">
            </head><body><article><h1>Post</h1><p>Text.</p></article></body></html>"#;
        let body = with_byline(crate::format::html_page::extract_article(page, None));
        let texts: Vec<&str> = body.blocks.iter().map(|b| &*b.text).collect();
        assert_eq!(texts[..2], ["Post", "by Ada Writer · 2024-03-01"]);
        assert!(texts.contains(&"Text."));
        assert_eq!(body.blocks[0].kind, BlockKind::Paragraph);
        // No title, author or date: the text alone.
        let bare = with_byline(crate::format::html_page::extract_article(
            "<html><body><article><p>Only text.</p></article></body></html>",
            None,
        ));
        assert_eq!(&*bare.blocks[0].text, "Only text.");
    }

    #[test]
    fn the_link_is_found_and_the_article_attached_once_with_its_links() {
        let mut t = link_post();
        assert_eq!(story_link(&t).as_deref(), Some("https://example.org/post"));
        let own = t.body.blocks.len();
        attach(&mut t, "https://example.org/post", &article());
        attach(&mut t, "https://example.org/post", &article());
        assert_eq!(
            t.body
                .blocks
                .iter()
                .filter(|b| b.text.starts_with(HEADING))
                .count(),
            1
        );
        assert!(t.body.blocks.len() > own + 1);
        let linked: Vec<&str> = t
            .body
            .blocks
            .iter()
            .flat_map(|b| b.spans.iter())
            .filter_map(|s| match s.style {
                SpanStyle::Link(i) => Some(t.body.links[i].url.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(
            linked,
            ["https://example.org/post", "https://example.org/x"]
        );
        // Still the story's link, not one inside the article.
        assert_eq!(story_link(&t).as_deref(), Some("https://example.org/post"));
    }

    #[test]
    fn a_refresh_keeps_the_article() {
        let mut saved = link_post();
        attach(&mut saved, "https://example.org/post", &article());
        let mut fresh = link_post();
        carry_over(&saved, &mut fresh);
        assert_eq!(fresh.body, saved.body);
        assert_eq!(
            story_link(&crate::model::ThreadBuilder::new().finish()),
            None
        );
    }
}
