//! Mastodon threads: a status (`/api/v1/statuses/ID`) and its context
//! (`/api/v1/statuses/ID/context`), saved together as `{"status": …, "context": …}` (or
//! with `descendants` beside `status`).
//!
//! Fields read: in each status `id`, `url` (else `uri`), `account.acct` (else `username`)
//! as author, `content` (HTML), `spoiler_text` (the content warning, shown as a heading
//! above the text, which becomes a quote), `created_at`, `favourites_count` as score,
//! `in_reply_to_id`; `context.descendants[]` nest by `in_reply_to_id` (a reply to a status
//! not in the file is top level). `context.ancestors` is not read: the status is the
//! article. Key `mastodon:<host>/<id>`, the host from the status URL. No IO, no recursion.

use std::collections::HashMap;

use crate::format::FormatError;
use crate::format::html;
use crate::format::json::{string, text_time};
use crate::format::jsontree::Node;
use crate::model::{Block, BlockKind, Body, CommentDraft, Thread, ThreadBuilder};

/// True when a parsed document is a saved Mastodon status with its context.
#[must_use]
pub fn detect(root: &Node) -> bool {
    root.get("status")
        .is_some_and(|s| s.has("account") || s.has("content"))
        && (root.has("context") || root.has("descendants"))
}

/// The host of an `https://host/...` URL.
fn host_of(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    rest.split(['/', '?', '#']).next().filter(|h| !h.is_empty())
}

fn status_body(s: &Node) -> Body {
    let mut body = html::to_body(s.get("content").and_then(Node::as_str).unwrap_or(""), false);
    if let Some(cw) = string(s.get("spoiler_text")) {
        for block in &mut body.blocks {
            block.quote_depth = block.quote_depth.saturating_add(1);
        }
        let mut heading = Block::paragraph(format!("CW: {cw}"));
        heading.kind = BlockKind::Heading;
        body.blocks.insert(0, heading);
    }
    body
}

fn author(s: &Node) -> Option<String> {
    let a = s.get("account")?;
    string(a.get("acct")).or_else(|| string(a.get("username")))
}

/// Reads a status JSON and a context JSON fetched separately (the URL layer's entry).
///
/// # Errors
/// When either is not JSON of the expected shape.
pub fn from_parts(status: &[u8], context: &[u8], source: &str) -> Result<Thread, FormatError> {
    let mut warnings = Vec::new();
    let s = crate::format::jsontree::parse(
        &crate::format::decode(status, &mut warnings),
        source,
        &mut warnings,
    )?;
    let c = crate::format::jsontree::parse(
        &crate::format::decode(context, &mut warnings),
        source,
        &mut warnings,
    )?;
    let root = Node::Object(vec![("status".into(), s), ("context".into(), c)]);
    from_node(root, source, warnings)
}

/// Builds a thread from a parsed `{"status", "context"}` document.
///
/// # Errors
/// When there is no `status` object.
pub fn from_node(
    mut root: Node,
    source: &str,
    warnings: Vec<String>,
) -> Result<Thread, FormatError> {
    let Some(status) = root.take("status").filter(|s| s.as_object().is_some()) else {
        return Err(FormatError::new(
            source,
            Some("status".into()),
            format!(
                "expected a Mastodon status with its context: an object with \"status\" and \
                 \"context\": {{\"descendants\": [...]}}; found {}",
                root.describe()
            ),
        ));
    };
    let descendants = root
        .take("context")
        .and_then(|mut c| c.take("descendants"))
        .or_else(|| root.take("descendants"))
        .and_then(|mut d| d.take_items())
        .unwrap_or_default();
    let mut b = ThreadBuilder::new();
    b.warnings = warnings;
    let url = string(status.get("url")).or_else(|| string(status.get("uri")));
    let id = string(status.get("id"));
    let host = url.as_deref().and_then(host_of).map(str::to_string);
    b.source_key = id.as_ref().map(|id| match &host {
        Some(h) => format!("mastodon:{h}/{id}"),
        None => format!("mastodon:{id}"),
    });
    b.url = url;
    b.author = author(&status);
    b.created = text_time(status.get("created_at"));
    b.score = status.get("favourites_count").and_then(Node::int);
    b.body = status_body(&status);
    b.title = Some(b.body.snippet(80)).filter(|s| !s.is_empty());

    // Descendants come in thread order, parents first; a parent named later is found on a
    // second pass by pushing in an order where every known parent precedes its replies.
    let ids: Vec<Option<String>> = descendants.iter().map(|d| string(d.get("id"))).collect();
    let index: HashMap<&str, usize> = ids
        .iter()
        .enumerate()
        .filter_map(|(i, id)| Some((id.as_deref()?, i)))
        .collect();
    let parent_of: Vec<Option<usize>> = descendants
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let p = string(d.get("in_reply_to_id"))?;
            index.get(p.as_str()).copied().filter(|&p| p != i)
        })
        .collect();
    let order = parents_first(&parent_of);
    let mut handle: Vec<Option<usize>> = vec![None; descendants.len()];
    for i in order {
        let d = &descendants[i];
        let draft = CommentDraft {
            source_id: ids[i].clone(),
            author: author(d),
            created: text_time(d.get("created_at")),
            score: d.get("favourites_count").and_then(Node::int),
            body: status_body(d),
            deleted: false,
            more: 0,
            url: string(d.get("url")).or_else(|| string(d.get("uri"))),
        };
        let parent = parent_of[i].and_then(|p| handle[p]);
        handle[i] = Some(b.push(parent, draft));
    }
    Ok(b.finish())
}

/// An order of `0..n` in which every parent comes before its children (a parent loop is
/// broken where it is met). Iterative.
pub(crate) fn parents_first(parent: &[Option<usize>]) -> Vec<usize> {
    let n = parent.len();
    let mut placed = vec![false; n];
    let mut order = Vec::with_capacity(n);
    let mut on_chain = vec![false; n];
    let mut chain = Vec::new();
    for start in 0..n {
        let mut at = start;
        // Climb to the highest unplaced ancestor, then place the chain top down.
        while !placed[at] && !on_chain[at] {
            on_chain[at] = true;
            chain.push(at);
            match parent[at] {
                Some(p) if !placed[p] => at = p,
                _ => break,
            }
        }
        while let Some(c) = chain.pop() {
            on_chain[c] = false;
            if !placed[c] {
                placed[c] = true;
                order.push(c);
            }
        }
    }
    order
}
