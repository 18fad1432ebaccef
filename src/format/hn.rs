//! Hacker News JSON: the Algolia items API (`/api/v1/items/<id>`, nested `children`) and the
//! HNPWA item shape (nested `comments`, `level`, `user`, `time`, `content`).
//!
//! Bodies are HTML (bare first paragraph, later ones opened by unclosed `<p>`; `> ` paragraphs
//! read as quotes). Deleted items cut down to `{id, children}` (Algolia) or marked `deleted`
//! (HNPWA) keep their place and are marked deleted, with no author. Dead items keep their
//! text; `dead` and `flagged` become the comment's markers. Renamed HNPWA keys (`timeago`, `commentscount`) are accepted. Comments keep the
//! order the file gives. Walked with an explicit stack; no IO.

use crate::format::FormatError;
use crate::format::html;
use crate::format::json::{append_link_paragraph, string, text_time, unix_time};
use crate::format::jsontree::Node;
use crate::model::{CommentDraft, Marks, Thread, ThreadBuilder};

fn item_url(id: &str) -> String {
    format!("https://news.ycombinator.com/item?id={id}")
}

/// Which of the two shapes is being read, and its key names.
#[derive(Clone, Copy)]
struct Keys {
    children: &'static str,
    author: &'static str,
    text: &'static str,
    score: &'static str,
}

const ALGOLIA: Keys = Keys {
    children: "children",
    author: "author",
    text: "text",
    score: "points",
};

const HNPWA: Keys = Keys {
    children: "comments",
    author: "user",
    text: "content",
    score: "points",
};

fn created(n: &Node) -> Option<crate::model::Timestamp> {
    unix_time(n.get("created_at_i"))
        .or_else(|| unix_time(n.get("time")))
        .or_else(|| text_time(n.get("created_at")))
}

fn read(
    mut root: Node,
    source: &str,
    warnings: Vec<String>,
    keys: Keys,
) -> Result<Thread, FormatError> {
    root.expect_object(
        source,
        &format!("a Hacker News item object with \"{}\"", keys.children),
    )?;
    // The other HN shape (or another site's object) must not read as an empty thread.
    if let Some(missing) = ["id", keys.children]
        .into_iter()
        .find(|k| root.get(k).is_none())
    {
        return Err(FormatError::new(
            source,
            None,
            format!(
                "expected a Hacker News item object with \"id\" and \"{}\", found an object \
                 without \"{missing}\"",
                keys.children
            ),
        ));
    }
    let mut b = ThreadBuilder::new();
    b.warnings = warnings;
    let id = string(root.get("id"));
    b.title = string(root.get("title"));
    b.author = string(root.get(keys.author));
    b.score = root.get(keys.score).and_then(Node::int);
    b.created = created(&root);
    b.body = html::to_body(
        root.get(keys.text).and_then(Node::as_str).unwrap_or(""),
        true,
    );
    if let Some(link) = string(root.get("url")) {
        append_link_paragraph(&mut b.body, &link);
    }
    b.url = id.as_deref().map(item_url);
    b.source_key = id.as_ref().map(|id| format!("hn:{id}"));

    let mut top = root
        .take(keys.children)
        .and_then(|mut c| c.take_items())
        .unwrap_or_default();
    top.reverse();
    let mut stack: Vec<(Vec<Node>, Option<usize>)> = vec![(top, None)];
    while let Some((items, parent)) = stack.last_mut() {
        let parent = *parent;
        let Some(mut node) = items.pop() else {
            stack.pop();
            continue;
        };
        if node.as_object().is_none() {
            continue;
        }
        let id = string(node.get("id"));
        let author = string(node.get(keys.author));
        let text = node.get(keys.text).and_then(Node::as_str).unwrap_or("");
        let flagged_deleted = node.get("deleted").is_some_and(Node::truthy);
        let deleted = flagged_deleted || (author.is_none() && text.trim().is_empty());
        let body = if flagged_deleted && text.trim() == "[deleted]" {
            crate::model::Body::default()
        } else {
            html::to_body(text, true)
        };
        let draft = CommentDraft {
            url: id.as_deref().map(item_url),
            source_id: id,
            author,
            created: created(&node),
            score: node.get(keys.score).and_then(Node::int),
            body,
            deleted,
            more: 0,
        };
        let handle = b.push(parent, draft);
        for (key, mark) in [("dead", Marks::DEAD), ("flagged", Marks::FLAGGED)] {
            if node.get(key).is_some_and(Node::truthy) {
                b.mark(handle, mark);
            }
        }
        if let Some(mut kids) = node.take(keys.children).and_then(|mut c| c.take_items())
            && !kids.is_empty()
        {
            kids.reverse();
            stack.push((kids, Some(handle)));
        }
    }
    Ok(b.finish())
}

/// Builds a thread from a parsed Algolia item.
///
/// # Errors
/// When the document is not an object.
pub fn from_algolia(
    root: Node,
    source: &str,
    warnings: Vec<String>,
) -> Result<Thread, FormatError> {
    read(root, source, warnings, ALGOLIA)
}

/// Builds a thread from a parsed HNPWA item.
///
/// # Errors
/// When the document is not an object.
pub fn from_hnpwa(root: Node, source: &str, warnings: Vec<String>) -> Result<Thread, FormatError> {
    read(root, source, warnings, HNPWA)
}
