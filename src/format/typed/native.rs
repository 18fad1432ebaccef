//! The typed fast path for threadr/1: [`Comment`]s deserialized with borrowed strings and
//! read with the strict rules of [`crate::format::native`] (a field of the wrong type, a
//! parent that is not an earlier comment). Every such case returns `None`, so the
//! general reader reports it with the field and the comment named. No IO; nested
//! `replies` are walked with an explicit stack.

use std::collections::HashMap;

use serde::Deserialize;

use super::ObjectRoot;
use super::assemble::{Pending, Source};
use super::field::{Arr, Field, Obj};
use crate::format::markup;
use crate::format::native::FORMAT;
use crate::model::{CommentDraft, Marks, Thread, ThreadBuilder, Timestamp};

/// One comment, flat (with `parent`) or nested in `replies`.
#[derive(Deserialize, Default, Debug)]
#[serde(default)]
pub(super) struct Comment<'a> {
    #[serde(borrow)]
    id: Field<'a>,
    #[serde(borrow)]
    parent: Field<'a>,
    #[serde(borrow)]
    author: Field<'a>,
    #[serde(borrow)]
    created: Field<'a>,
    #[serde(borrow)]
    score: Field<'a>,
    #[serde(borrow)]
    body: Field<'a>,
    #[serde(borrow)]
    deleted: Field<'a>,
    #[serde(borrow)]
    more: Field<'a>,
    #[serde(borrow)]
    url: Field<'a>,
    #[serde(borrow)]
    marks: Arr<'a, Field<'a>>,
    #[serde(borrow)]
    replies: Arr<'a, Obj<'a, Comment<'a>>>,
}

/// A field of the wrong type: the general reader says which.
struct Wrong;

/// As `Fields::opt_str`.
fn opt_str<'f>(f: &'f Field<'_>) -> Result<Option<&'f str>, Wrong> {
    match f {
        Field::Missing | Field::Null => Ok(None),
        Field::Str(s) => Ok(Some(s)),
        _ => Err(Wrong),
    }
}

/// As `Fields::opt_int`.
fn opt_int(f: &Field<'_>) -> Result<Option<i64>, Wrong> {
    match f {
        Field::Missing | Field::Null => Ok(None),
        Field::Int(i) => Ok(Some(*i)),
        Field::Float(x) if x.fract() == 0.0 && x.abs() < 9.0e18 => Ok(Some(*x as i64)),
        _ => Err(Wrong),
    }
}

/// As `Fields::bool`.
fn flag(f: &Field<'_>) -> Result<bool, Wrong> {
    match f {
        Field::Missing | Field::Null => Ok(false),
        Field::Bool(b) => Ok(*b),
        _ => Err(Wrong),
    }
}

/// As `Fields::opt_id`.
fn opt_id(f: &Field<'_>) -> Result<Option<String>, Wrong> {
    match f {
        Field::Missing | Field::Null => Ok(None),
        Field::Str(s) => Ok(Some(s.to_string())),
        Field::Int(i) => Ok(Some(i.to_string())),
        _ => Err(Wrong),
    }
}

/// As `native::timestamp`.
fn timestamp(f: &Field<'_>) -> Result<Option<Timestamp>, Wrong> {
    match f {
        Field::Missing | Field::Null => Ok(None),
        Field::Str(s) => Ok(Some(Timestamp::parse(s))),
        Field::Int(i) => Ok(Some(Timestamp::Unix(*i))),
        _ => Err(Wrong),
    }
}

/// As `native::count`.
fn count(f: &Field<'_>) -> Result<u32, Wrong> {
    match opt_int(f)? {
        None => Ok(0),
        Some(n) if n >= 0 => Ok(u32::try_from(n).unwrap_or(u32::MAX)),
        Some(_) => Err(Wrong),
    }
}

/// As `native::marks`: names this version does not know are skipped.
fn marks(arr: &Arr<'_, Field<'_>>) -> Result<Marks, Wrong> {
    let mut out = Marks::empty();
    match arr {
        Arr::Missing | Arr::Not(Field::Null) => {}
        Arr::Is(items) => {
            for item in items {
                let Field::Str(name) = item else {
                    return Err(Wrong);
                };
                out |= Marks::from_marker_name(name).unwrap_or_default();
            }
        }
        Arr::Not(_) => return Err(Wrong),
    }
    Ok(out)
}

/// As `Fields::opt_array` on a list of comments: missing or `null` is none; the items
/// must be objects.
fn comment_list<'a>(arr: Arr<'a, Obj<'a, Comment<'a>>>) -> Result<Vec<Comment<'a>>, Wrong> {
    match arr {
        Arr::Missing | Arr::Not(Field::Null) => Ok(Vec::new()),
        Arr::Is(items) => items
            .into_iter()
            .map(|c| match c {
                Obj::Is(c) => Ok(c),
                _ => Err(Wrong),
            })
            .collect(),
        Arr::Not(_) => Err(Wrong),
    }
}

/// Builds the thread from the root and its deserialized `comments`; `None` where the
/// general reader reports an error.
pub(super) fn build<'a>(
    root: &ObjectRoot<'a>,
    comments: Arr<'a, Obj<'a, Comment<'a>>>,
) -> Option<Thread> {
    read(root, comments).ok()
}

fn read<'a>(
    root: &ObjectRoot<'a>,
    comments: Arr<'a, Obj<'a, Comment<'a>>>,
) -> Result<Thread, Wrong> {
    if opt_str(&root.format)? != Some(FORMAT) {
        return Err(Wrong);
    }
    let mut b = ThreadBuilder::new();
    b.title = opt_str(&root.title)?.map(str::to_string);
    b.url = opt_str(&root.url)?.map(str::to_string);
    b.author = opt_str(&root.author)?.map(str::to_string);
    b.created = timestamp(&root.created)?;
    b.score = opt_int(&root.score)?;
    b.community = opt_str(&root.community)?.map(str::to_string);
    b.body = markup::decode(opt_str(&root.body)?.unwrap_or(""));
    b.source_key = opt_str(&root.key)?.map(str::to_string);
    b.more = count(&root.more)?;
    let comments = comment_list(comments)?;

    let mut by_id: HashMap<String, usize> = HashMap::with_capacity(comments.len());
    let mut pending = Pending::default();
    let mut frames = vec![(comments.into_iter(), None::<usize>)];
    while let Some((items, nested_parent)) = frames.last_mut() {
        let nested_parent = *nested_parent;
        let Some(mut c) = items.next() else {
            frames.pop();
            continue;
        };
        let id = opt_id(&c.id)?;
        let parent = if frames.len() == 1 {
            match opt_id(&c.parent)? {
                None => None,
                Some(p) => Some(*by_id.get(&p).ok_or(Wrong)?),
            }
        } else {
            nested_parent
        };
        let draft = CommentDraft {
            source_id: id.clone(),
            author: opt_str(&c.author)?.map(str::to_string),
            created: timestamp(&c.created)?,
            score: opt_int(&c.score)?,
            body: crate::model::Body::default(),
            deleted: flag(&c.deleted)?,
            more: count(&c.more)?,
            url: opt_str(&c.url)?.map(str::to_string),
        };
        opt_str(&c.body)?;
        let body = std::mem::take(&mut c.body).into_str().unwrap_or_default();
        let replies = comment_list(std::mem::take(&mut c.replies))?;
        let marks = marks(&c.marks)?;
        let handle = pending.push(parent, draft, Source::Markup(body));
        pending.mark(handle, marks);
        if let Some(id) = id {
            by_id.entry(id).or_insert(handle);
        }
        if !replies.is_empty() {
            frames.push((replies.into_iter(), Some(handle)));
        }
    }
    pending.finish(&mut b);
    Ok(b.finish())
}
