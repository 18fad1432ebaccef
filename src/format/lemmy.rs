//! Lemmy threads: a post (`/api/v3/post?id=`, `post_view`) and its comments
//! (`/api/v3/comment/list?post_id=…`, `comments[]`), saved together as one object with
//! both keys (a comments page alone reads too).
//!
//! Fields read: `post_view.post` `id`, `name` (title), `body` (Markdown), `url`, `ap_id`,
//! `published`; `post_view.creator.name`; `post_view.counts.score`. Each comment view:
//! `comment.id`, `comment.path` (`0.12.34`: its ancestors' ids, then its own), `content`
//! (Markdown), `published`, `deleted`, `removed`, `ap_id`; `creator.name`; `counts.score`.
//! The tree comes from `path` only, so pages in any order read the same; a comment whose
//! parent is not in the file is top level. Key `lemmy:<host>/<post id>`, the host from the
//! post's `ap_id`. No IO, no recursion over depth.

use std::collections::HashMap;

use crate::format::FormatError;
use crate::format::json::{append_link_paragraph, string, text_time};
use crate::format::jsontree::{self, Node};
use crate::format::markdown;
use crate::model::{CommentDraft, Thread, ThreadBuilder};

/// True when a parsed document is a Lemmy post and/or comment list.
#[must_use]
pub fn detect(root: &Node) -> bool {
    root.get("post_view").is_some_and(|p| p.has("post"))
        || root
            .get("comments")
            .and_then(Node::as_array)
            .and_then(|c| c.first())
            .is_some_and(|c| c.get("comment").is_some_and(|c| c.has("path")))
}

fn host_of(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    rest.split(['/', '?', '#']).next().filter(|h| !h.is_empty())
}

/// Reads a post JSON and any number of comment-list pages (the URL layer's entry).
///
/// # Errors
/// When a page is not JSON.
pub fn from_pages(
    post: &[u8],
    comment_pages: &[&[u8]],
    source: &str,
) -> Result<Thread, FormatError> {
    let mut warnings = Vec::new();
    let mut root = jsontree::parse(
        &crate::format::decode(post, &mut warnings),
        source,
        &mut warnings,
    )?;
    let mut comments = root
        .take("comments")
        .and_then(|mut c| c.take_items())
        .unwrap_or_default();
    for page in comment_pages {
        let mut p = jsontree::parse(
            &crate::format::decode(page, &mut warnings),
            source,
            &mut warnings,
        )?;
        comments.extend(
            p.take("comments")
                .and_then(|mut c| c.take_items())
                .unwrap_or_default(),
        );
    }
    read(root, comments, source, warnings)
}

/// Builds a thread from a parsed `{post_view, comments}` document.
///
/// # Errors
/// When it is neither a post nor a comment list.
pub fn from_node(
    mut root: Node,
    source: &str,
    warnings: Vec<String>,
) -> Result<Thread, FormatError> {
    let comments = root
        .take("comments")
        .and_then(|mut c| c.take_items())
        .unwrap_or_default();
    read(root, comments, source, warnings)
}

fn read(
    mut root: Node,
    mut comments: Vec<Node>,
    source: &str,
    warnings: Vec<String>,
) -> Result<Thread, FormatError> {
    let is_comment = |c: &Node| c.get("comment").is_some_and(|c| c.has("path"));
    if root.get("post_view").is_none_or(|p| !p.has("post"))
        && !comments.first().is_some_and(is_comment)
    {
        return Err(FormatError::new(
            source,
            None,
            format!(
                "expected a Lemmy post: an object with \"post_view\": {{\"post\": ...}} and/or \
                 \"comments\": [{{\"comment\": {{\"path\": ...}}}}]; found {}",
                root.describe()
            ),
        ));
    }
    let mut b = ThreadBuilder::new();
    b.warnings = warnings;
    let view = root.take("post_view");
    let post = view.as_ref().and_then(|v| v.get("post"));
    let post_id = post.and_then(|p| string(p.get("id")));
    let ap_id = post.and_then(|p| string(p.get("ap_id")));
    let host = ap_id.as_deref().and_then(host_of).map(str::to_string);
    if let (Some(p), Some(v)) = (post, view.as_ref()) {
        b.title = string(p.get("name"));
        b.author = v.get("creator").and_then(|c| string(c.get("name")));
        b.created = text_time(p.get("published"));
        b.score = v
            .get("counts")
            .and_then(|c| c.get("score"))
            .and_then(Node::int);
        b.body = markdown::to_body(p.get("body").and_then(Node::as_str).unwrap_or(""));
        if let Some(link) = string(p.get("url")) {
            append_link_paragraph(&mut b.body, &link);
        }
        b.url.clone_from(&ap_id);
    }
    b.source_key = post_id.as_ref().map(|id| match &host {
        Some(h) => format!("lemmy:{h}/{id}"),
        None => format!("lemmy:{id}"),
    });

    // A comment once, parents before children: by the length of the path, then file order.
    let path_of = |c: &Node| -> Vec<String> {
        c.get("comment")
            .and_then(|c| c.get("path"))
            .and_then(Node::as_str)
            .unwrap_or("")
            .split('.')
            .map(str::to_string)
            .collect()
    };
    let mut keyed: Vec<(Vec<String>, Node)> =
        comments.drain(..).map(|c| (path_of(&c), c)).collect();
    keyed.sort_by_key(|(path, _)| path.len());
    let mut by_id: HashMap<String, usize> = HashMap::new();
    for (path, view) in &keyed {
        let Some(c) = view.get("comment") else {
            continue;
        };
        let Some(id) = string(c.get("id")) else {
            continue;
        };
        if by_id.contains_key(&id) {
            continue;
        }
        // The path ends with the comment's own id; the one before it is the parent ("0" is
        // the post).
        let parent = path
            .len()
            .checked_sub(2)
            .map(|i| path[i].as_str())
            .filter(|p| *p != "0")
            .and_then(|p| by_id.get(p).copied());
        let deleted = c.get("deleted").is_some_and(Node::truthy)
            || c.get("removed").is_some_and(Node::truthy);
        let draft = CommentDraft {
            url: string(c.get("ap_id"))
                .or_else(|| host.as_ref().map(|h| format!("https://{h}/comment/{id}"))),
            source_id: Some(id.clone()),
            author: view.get("creator").and_then(|c| string(c.get("name"))),
            created: text_time(c.get("published")),
            score: view
                .get("counts")
                .and_then(|c| c.get("score"))
                .and_then(Node::int),
            body: markdown::to_body(c.get("content").and_then(Node::as_str).unwrap_or("")),
            deleted,
            more: 0,
        };
        let handle = b.push(parent, draft);
        by_id.insert(id, handle);
    }
    Ok(b.finish())
}
