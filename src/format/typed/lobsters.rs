//! The typed fast path for Lobsters stories: the flat `comments[]` deserialized into
//! [`Comment`]s with borrowed strings and placed with the rules of
//! [`crate::format::lobsters`] (the named parent when it is an earlier comment, else the
//! depth). The story's fields come from the caller's [`super::ObjectRoot`]. No IO.

use std::collections::HashMap;

use serde::Deserialize;

use super::ObjectRoot;
use super::assemble::{Pending, Source};
use super::field::{Field, Obj};
use crate::format::html;
use crate::format::json::append_link_paragraph;
use crate::model::{CommentDraft, Thread, ThreadBuilder};

/// A user given as an object (`{"username": ...}`).
#[derive(Deserialize, Default, Debug)]
#[serde(default)]
pub(super) struct UserObj<'a> {
    #[serde(borrow)]
    username: Field<'a>,
}

/// A user field: a name, or an object with `username` (as `lobsters::user`).
pub(super) fn user(field: &Obj<'_, UserObj<'_>>) -> Option<String> {
    match field {
        Obj::Missing => None,
        Obj::Is(u) => u.username.string(),
        Obj::Not(f) => f.string(),
    }
}

/// One comment of the flat list (the field names are the site's).
#[allow(clippy::struct_field_names)]
#[derive(Deserialize, Default, Debug)]
#[serde(default)]
pub(super) struct Comment<'a> {
    #[serde(borrow)]
    pub(super) short_id: Field<'a>,
    #[serde(borrow)]
    depth: Field<'a>,
    #[serde(borrow)]
    indent_level: Field<'a>,
    #[serde(borrow)]
    parent_comment: Field<'a>,
    #[serde(borrow)]
    is_deleted: Field<'a>,
    #[serde(borrow)]
    is_moderated: Field<'a>,
    #[serde(borrow)]
    short_id_url: Field<'a>,
    #[serde(borrow)]
    url: Field<'a>,
    #[serde(borrow)]
    commenting_user: Obj<'a, UserObj<'a>>,
    #[serde(borrow)]
    created_at: Field<'a>,
    #[serde(borrow)]
    score: Field<'a>,
    #[serde(borrow)]
    pub(super) comment: Field<'a>,
}

/// Builds the thread from the story and its deserialized comments; `None` where the
/// general reader reports an error.
pub(super) fn build(root: &ObjectRoot<'_>, comments: Vec<Obj<'_, Comment<'_>>>) -> Option<Thread> {
    if !root.short_id.is_present() {
        return None;
    }
    let mut b = ThreadBuilder::new();
    b.title = root.title.string();
    b.author = user(&root.submitter_user);
    b.score = root.score.int();
    b.created = root.created_at.text_time();
    b.body = html::to_body(root.description.as_str().unwrap_or(""), false);
    if let Some(link) = root.url.string() {
        append_link_paragraph(&mut b.body, &link);
    }
    b.url = root
        .short_id_url
        .string()
        .or_else(|| root.comments_url.string());
    b.source_key = root.short_id.string().map(|id| format!("lobsters:{id}"));

    let mut by_id: HashMap<String, (usize, usize)> = HashMap::new();
    let mut path: Vec<usize> = Vec::new();
    let mut bad_parents = 0usize;
    let mut pending = Pending::default();
    for c in comments {
        let Obj::Is(mut c) = c else {
            continue;
        };
        let id = c.short_id.string();
        let depth_field = c
            .depth
            .int()
            .or_else(|| c.indent_level.int().map(|l| l - 1))
            .map(|d| usize::try_from(d).unwrap_or(0));
        let named = c.parent_comment.string();
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
        let deleted = c.is_deleted.truthy() || c.is_moderated.truthy();
        let draft = CommentDraft {
            url: c.short_id_url.string().or_else(|| c.url.string()),
            source_id: id.clone(),
            author: user(&c.commenting_user),
            created: c.created_at.text_time(),
            score: c.score.int(),
            body: crate::model::Body::default(),
            deleted,
            more: 0,
        };
        let text = std::mem::take(&mut c.comment)
            .into_str()
            .unwrap_or_default();
        let handle = pending.push(parent, draft, Source::Html(text, false));
        path.truncate(depth);
        path.push(handle);
        if let Some(id) = id {
            by_id.entry(id).or_insert((handle, depth));
        }
    }
    pending.finish(&mut b);
    if bad_parents > 0 {
        b.warnings.push(format!(
            "{bad_parents} comment(s) name a parent_comment that is not an earlier comment; \
             placed by their depth instead"
        ));
    }
    Some(b.finish())
}
