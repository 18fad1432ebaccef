//! Lobsters story JSON: `title`, `url`, `description` (HTML), `submitter_user`, and a flat
//! `comments[]` in thread order with `short_id`, `parent_comment`, `depth` (older files:
//! 1-based `indent_level`), `commenting_user` (a string or an object with `username`),
//! `comment` (HTML), `score`, `created_at`, `is_deleted`, `is_moderated`.
//!
//! The parent is `parent_comment` when it names an earlier comment; otherwise the depth
//! decides (the nearest earlier comment one level up). No IO.

use std::collections::HashMap;

use crate::format::FormatError;
use crate::format::html;
use crate::format::json::{append_link_paragraph, string, text_time};
use crate::format::jsontree::Node;
use crate::model::{CommentDraft, Thread, ThreadBuilder};

fn user(node: Option<&Node>) -> Option<String> {
    match node? {
        Node::Object(_) => string(node?.get("username")),
        other => string(Some(other)),
    }
}

/// Builds a thread from a parsed Lobsters story.
///
/// # Errors
/// When the document is not an object.
pub fn from_node(
    mut root: Node,
    source: &str,
    warnings: Vec<String>,
) -> Result<Thread, FormatError> {
    root.expect_object(source, "a Lobsters story object")?;
    // Another site's object (an HN item, a threadr file) must not read as an empty story.
    if root.get("short_id").is_none() {
        return Err(FormatError::new(
            source,
            None,
            "expected a Lobsters story object (with \"short_id\" and \"comments\"), \
             found an object without \"short_id\"",
        ));
    }
    let mut b = ThreadBuilder::new();
    b.warnings = warnings;
    b.title = string(root.get("title"));
    b.author = user(root.get("submitter_user"));
    b.score = root.get("score").and_then(Node::int);
    b.created = text_time(root.get("created_at"));
    b.body = html::to_body(
        root.get("description").and_then(Node::as_str).unwrap_or(""),
        false,
    );
    if let Some(link) = string(root.get("url")) {
        append_link_paragraph(&mut b.body, &link);
    }
    b.url = string(root.get("short_id_url")).or_else(|| string(root.get("comments_url")));
    b.source_key = string(root.get("short_id")).map(|id| format!("lobsters:{id}"));

    let comments = root
        .take("comments")
        .and_then(|mut c| c.take_items())
        .unwrap_or_default();
    let mut by_id: HashMap<String, (usize, usize)> = HashMap::new();
    // Handles of the latest comment at each depth.
    let mut path: Vec<usize> = Vec::new();
    let mut bad_parents = 0usize;
    for c in &comments {
        if c.as_object().is_none() {
            continue;
        }
        let id = string(c.get("short_id"));
        let depth_field = c
            .get("depth")
            .and_then(Node::int)
            .or_else(|| c.get("indent_level").and_then(Node::int).map(|l| l - 1))
            .map(|d| usize::try_from(d).unwrap_or(0));
        let named = string(c.get("parent_comment"));
        let (parent, depth) = if let Some(&(handle, d)) = named.as_ref().and_then(|p| by_id.get(p))
        {
            (Some(handle), d + 1)
        } else {
            if named.is_some() {
                bad_parents += 1;
            }
            let d = depth_field.unwrap_or(0).min(path.len());
            (d.checked_sub(1).map(|up| path[up]), d)
        };
        let deleted = c.get("is_deleted").is_some_and(Node::truthy)
            || c.get("is_moderated").is_some_and(Node::truthy);
        let draft = CommentDraft {
            url: string(c.get("short_id_url")).or_else(|| string(c.get("url"))),
            source_id: id.clone(),
            author: user(c.get("commenting_user")),
            created: text_time(c.get("created_at")),
            score: c.get("score").and_then(Node::int),
            body: html::to_body(c.get("comment").and_then(Node::as_str).unwrap_or(""), false),
            deleted,
            more: 0,
        };
        let handle = b.push(parent, draft);
        path.truncate(depth);
        path.push(handle);
        if let Some(id) = id {
            by_id.entry(id).or_insert((handle, depth));
        }
    }
    if bad_parents > 0 {
        b.warnings.push(format!(
            "{bad_parents} comment(s) name a parent_comment that is not an earlier comment; \
             placed by their depth instead"
        ));
    }
    Ok(b.finish())
}
