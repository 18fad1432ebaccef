//! Bluesky threads: the answer of `app.bsky.feed.getPostThread` (the public `AppView`'s
//! `/xrpc/app.bsky.feed.getPostThread?uri=at://…`).
//!
//! Fields read: `thread` (a `threadViewPost`) with `post` and nested `replies[]`; in each
//! post, `uri` (`at://<did>/app.bsky.feed.post/<rkey>`), `author.handle` (else `did`),
//! `record.text`, `record.createdAt`, `record.facets[]` (`index.byteStart`/`byteEnd` over
//! the UTF-8 text, `features[]`: `#link` `uri`, `#mention` `did`, `#tag` `tag`) as links,
//! `likeCount` as score. `notFoundPost` and `blockedPost` replies keep their place, marked
//! deleted. The thread's root post is the article; `parent` (the posts above it) is not
//! read. Key `bsky:<did>/<rkey>`, permalinks `https://bsky.app/profile/<handle>/post/<rkey>`.
//!
//! Walked with an explicit stack; no recursion over depth. No IO.

use crate::format::FormatError;
use crate::format::json::{string, text_time};
use crate::format::jsontree::Node;
use crate::model::{Block, Body, CommentDraft, Link, Span, SpanStyle, Thread, ThreadBuilder};

/// True when a parsed document is a getPostThread answer.
#[must_use]
pub fn detect(root: &Node) -> bool {
    root.get("thread").is_some_and(|t| {
        t.get("$type")
            .and_then(Node::as_str)
            .is_some_and(|k| k.starts_with("app.bsky.feed.defs#"))
            || t.get("post").is_some_and(|p| p.has("record"))
    })
}

/// `(did, rkey)` of an `at://did/collection/rkey` URI.
fn at_parts(uri: &str) -> Option<(&str, &str)> {
    let rest = uri.strip_prefix("at://")?;
    let mut parts = rest.split('/');
    let did = parts.next().filter(|s| !s.is_empty())?;
    let _collection = parts.next()?;
    let rkey = parts.next().filter(|s| !s.is_empty())?;
    Some((did, rkey))
}

/// The post's text with its facets as links.
fn post_body(record: Option<&Node>) -> Body {
    let text = record
        .and_then(|r| r.get("text"))
        .and_then(Node::as_str)
        .unwrap_or("");
    let mut facets: Vec<(usize, usize, String)> = record
        .and_then(|r| r.get("facets"))
        .and_then(Node::as_array)
        .unwrap_or_default()
        .iter()
        .filter_map(|f| {
            let index = f.get("index")?;
            let start = usize::try_from(index.get("byteStart")?.int()?).ok()?;
            let end = usize::try_from(index.get("byteEnd")?.int()?).ok()?;
            let feature = f.get("features")?.as_array()?.first()?;
            let kind = feature.get("$type").and_then(Node::as_str).unwrap_or("");
            let target = if kind.ends_with("#link") {
                string(feature.get("uri"))?
            } else if kind.ends_with("#mention") {
                format!("https://bsky.app/profile/{}", string(feature.get("did"))?)
            } else if kind.ends_with("#tag") {
                format!("https://bsky.app/hashtag/{}", string(feature.get("tag"))?)
            } else {
                return None;
            };
            (start < end && text.is_char_boundary(start) && text.is_char_boundary(end))
                .then_some((start, end, target))
        })
        .collect();
    facets.sort_by_key(|f| f.0);
    // Paragraphs split at blank lines; facet offsets are mapped into each paragraph.
    let mut body = Body::default();
    let mut at = 0;
    for piece in text.split("\n\n") {
        let start = at;
        at += piece.len() + 2;
        let trimmed = piece.trim_end();
        if trimmed.trim().is_empty() {
            continue;
        }
        let mut spans = Vec::new();
        let mut last_end = 0;
        for (s, e, target) in &facets {
            if *s < start || *e > start + trimmed.len() || s - start < last_end {
                continue;
            }
            body.links.push(Link {
                text: text[*s..*e].to_string(),
                url: target.clone(),
            });
            spans.push(Span {
                range: s - start..e - start,
                style: SpanStyle::Link(body.links.len() - 1),
            });
            last_end = e - start;
        }
        let mut block = Block::paragraph(trimmed);
        block.spans = spans.into();
        body.blocks.push(block);
    }
    body
}

/// Builds a thread from a parsed getPostThread answer.
///
/// # Errors
/// When the document has no `thread.post`.
pub fn from_node(
    mut root: Node,
    source: &str,
    warnings: Vec<String>,
) -> Result<Thread, FormatError> {
    let Some(mut top) = root.take("thread").filter(|t| t.get("post").is_some()) else {
        return Err(FormatError::new(
            source,
            Some("thread".into()),
            format!(
                "expected a Bluesky getPostThread answer: an object with \"thread\": {{\"post\": \
                 ..., \"replies\": [...]}}; found {}",
                root.describe()
            ),
        ));
    };
    let mut b = ThreadBuilder::new();
    b.warnings = warnings;
    let post = top.get("post");
    let uri = post.and_then(|p| string(p.get("uri")));
    let handle = post
        .and_then(|p| p.get("author"))
        .and_then(|a| string(a.get("handle")).or_else(|| string(a.get("did"))));
    let link = |uri: Option<&str>, handle: Option<&str>| -> Option<String> {
        let (did, rkey) = at_parts(uri?)?;
        Some(format!(
            "https://bsky.app/profile/{}/post/{rkey}",
            handle.unwrap_or(did)
        ))
    };
    b.url = link(uri.as_deref(), handle.as_deref());
    b.source_key = uri
        .as_deref()
        .and_then(at_parts)
        .map(|(did, rkey)| format!("bsky:{did}/{rkey}"));
    b.author.clone_from(&handle);
    b.created = post.and_then(|p| text_time(p.get("record")?.get("createdAt")));
    b.score = post.and_then(|p| p.get("likeCount")).and_then(Node::int);
    b.body = post_body(post.and_then(|p| p.get("record")));
    b.title = Some(b.body.snippet(80)).filter(|s| !s.is_empty());

    let replies = |node: &mut Node| -> Vec<Node> {
        let mut r = node
            .take("replies")
            .and_then(|mut r| r.take_items())
            .unwrap_or_default();
        r.reverse();
        r
    };
    let mut stack: Vec<(Vec<Node>, Option<usize>)> = vec![(replies(&mut top), None)];
    while let Some((items, parent)) = stack.last_mut() {
        let parent = *parent;
        let Some(mut item) = items.pop() else {
            stack.pop();
            continue;
        };
        let kind = item
            .get("$type")
            .and_then(Node::as_str)
            .unwrap_or("")
            .to_string();
        let draft = if let Some(p) = item.get("post") {
            let author = p
                .get("author")
                .and_then(|a| string(a.get("handle")).or_else(|| string(a.get("did"))));
            let uri = string(p.get("uri"));
            CommentDraft {
                url: link(uri.as_deref(), author.as_deref()),
                source_id: uri
                    .as_deref()
                    .and_then(at_parts)
                    .map(|(_, rkey)| rkey.to_string())
                    .or(uri),
                author,
                created: text_time(p.get("record").and_then(|r| r.get("createdAt"))),
                score: p.get("likeCount").and_then(Node::int),
                body: post_body(p.get("record")),
                deleted: false,
                more: 0,
            }
        } else {
            let what = if kind.ends_with("#blockedPost")
                || item.get("blocked").is_some_and(Node::truthy)
            {
                "[blocked]"
            } else {
                "[not found]"
            };
            CommentDraft {
                source_id: string(item.get("uri"))
                    .as_deref()
                    .and_then(at_parts)
                    .map(|(_, r)| r.to_string()),
                body: Body::from_plain(what),
                deleted: true,
                ..CommentDraft::default()
            }
        };
        let handle = b.push(parent, draft);
        let kids = replies(&mut item);
        if !kids.is_empty() {
            stack.push((kids, Some(handle)));
        }
    }
    Ok(b.finish())
}
