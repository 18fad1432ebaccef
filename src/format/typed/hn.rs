//! The typed fast path for Hacker News items, Algolia (`children`) and HNPWA (`comments`):
//! [`Item`]s deserialized with borrowed strings and turned into the thread with the rules
//! of [`crate::format::hn`], in the same order. The root's fields come from the caller's
//! [`super::ObjectRoot`]. No IO; the nesting is walked with an explicit stack.

use serde::Deserialize;

use super::ObjectRoot;
use super::assemble::{Pending, Source};
use super::field::{Arr, Field, Obj};
use crate::format::html;
use crate::format::json::append_link_paragraph;
use crate::model::{Body, CommentDraft, Marks, Thread, ThreadBuilder, Timestamp};

/// One comment of either shape (each reads only its own keys).
#[derive(Deserialize, Default, Debug)]
#[serde(default)]
pub(super) struct Item<'a> {
    #[serde(borrow)]
    id: Field<'a>,
    #[serde(borrow)]
    author: Field<'a>,
    #[serde(borrow)]
    user: Field<'a>,
    #[serde(borrow)]
    text: Field<'a>,
    #[serde(borrow)]
    content: Field<'a>,
    #[serde(borrow)]
    points: Field<'a>,
    #[serde(borrow)]
    created_at_i: Field<'a>,
    #[serde(borrow)]
    time: Field<'a>,
    #[serde(borrow)]
    created_at: Field<'a>,
    #[serde(borrow)]
    deleted: Field<'a>,
    #[serde(borrow)]
    dead: Field<'a>,
    #[serde(borrow)]
    flagged: Field<'a>,
    #[serde(borrow)]
    children: Arr<'a, Obj<'a, Item<'a>>>,
    #[serde(borrow)]
    comments: Arr<'a, Obj<'a, Item<'a>>>,
}

fn created(
    created_at_i: &Field<'_>,
    time: &Field<'_>,
    created_at: &Field<'_>,
) -> Option<Timestamp> {
    created_at_i
        .unix_time()
        .or_else(|| time.unix_time())
        .or_else(|| created_at.text_time())
}

fn item_url(id: &str) -> String {
    format!("https://news.ycombinator.com/item?id={id}")
}

/// Builds the thread from the root and its deserialized comments (`algolia`: the Algolia
/// shape, else HNPWA); `None` where the general reader reports an error.
pub(super) fn build(
    root: &ObjectRoot<'_>,
    top: Option<Vec<Obj<'_, Item<'_>>>>,
    algolia: bool,
) -> Option<Thread> {
    // Both keys must be there (`null` counts), or this is another object.
    if !root.id.is_present() || top.is_none() {
        return None;
    }
    let (author, text) = if algolia {
        (&root.author, &root.text)
    } else {
        (&root.user, &root.content)
    };
    let mut b = ThreadBuilder::new();
    let id = root.id.string();
    b.title = root.title.string();
    b.author = author.string();
    b.score = root.points.int();
    b.created = created(&root.created_at_i, &root.time, &root.created_at);
    b.body = html::to_body(text.as_str().unwrap_or(""), true);
    if let Some(link) = root.url.string() {
        append_link_paragraph(&mut b.body, &link);
    }
    b.url = id.as_deref().map(item_url);
    b.source_key = id.as_ref().map(|id| format!("hn:{id}"));

    let mut pending = Pending::default();
    let mut stack = vec![(top.unwrap_or_default().into_iter(), None::<usize>)];
    while let Some((items, parent)) = stack.last_mut() {
        let parent = *parent;
        let Some(node) = items.next() else {
            stack.pop();
            continue;
        };
        let Obj::Is(mut node) = node else {
            continue;
        };
        let (author, text) = if algolia {
            (&node.author, &mut node.text)
        } else {
            (&node.user, &mut node.content)
        };
        let id = node.id.string();
        let author = author.string();
        let text = std::mem::take(text).into_str().unwrap_or_default();
        let flagged_deleted = node.deleted.truthy();
        let deleted = flagged_deleted || (author.is_none() && text.trim().is_empty());
        let body = if flagged_deleted && text.trim() == "[deleted]" {
            Source::Empty
        } else {
            Source::Html(text, true)
        };
        let draft = CommentDraft {
            url: id.as_deref().map(item_url),
            source_id: id,
            author,
            created: created(&node.created_at_i, &node.time, &node.created_at),
            score: node.points.int(),
            body: Body::default(),
            deleted,
            more: 0,
        };
        let handle = pending.push(parent, draft, body);
        for (field, mark) in [(&node.dead, Marks::DEAD), (&node.flagged, Marks::FLAGGED)] {
            if field.truthy() {
                pending.mark(handle, mark);
            }
        }
        let kids = if algolia {
            node.children.take_items()
        } else {
            node.comments.take_items()
        };
        if let Some(kids) = kids
            && !kids.is_empty()
        {
            stack.push((kids.into_iter(), Some(handle)));
        }
    }
    pending.finish(&mut b);
    Some(b.finish())
}
