//! The typed fast path for Reddit comments pages: the array of Listings deserialized into
//! [`Thing`]s (strings borrowed from the input) and turned into the thread with the same
//! rules, in the same order, as [`crate::format::reddit`]; see that module for the rules.
//!
//! Returns `None` wherever the general reader would report an error (an item that is not a
//! Listing, an empty array), so the caller's fallback gives that reader's message. The
//! nesting of replies is walked with an explicit stack. No IO.

use std::borrow::Cow;

use serde::Deserialize;

use super::assemble::{Pending, Source};
use super::field::{Arr, Field, HtmlProbe, Obj};
use crate::format::markdown;
use crate::format::reddit::{SITE, absolute, marks_of, more_count, unescape};
use crate::model::{CommentDraft, Thread, ThreadBuilder};

/// A `{kind, data}` item: a Listing, a post (`t3`), a comment (`t1`) or a `more` stub.
#[derive(Deserialize, Default, Debug)]
#[serde(default)]
pub(super) struct Thing<'a> {
    #[serde(borrow)]
    kind: Field<'a>,
    #[serde(borrow)]
    data: Obj<'a, Data<'a>>,
}

/// The fields of any thing's `data` that the reader uses (the others are skipped).
#[derive(Deserialize, Default, Debug)]
#[serde(default)]
struct Data<'a> {
    /// A Listing's things, or a `more` stub's ids.
    #[serde(borrow)]
    children: Arr<'a, Obj<'a, Thing<'a>>>,
    #[serde(borrow)]
    id: Field<'a>,
    #[serde(borrow)]
    author: Field<'a>,
    #[serde(borrow)]
    score: Field<'a>,
    #[serde(borrow)]
    created_utc: Field<'a>,
    #[serde(borrow)]
    permalink: Field<'a>,
    #[serde(borrow)]
    title: Field<'a>,
    #[serde(borrow)]
    selftext: Field<'a>,
    selftext_html: HtmlProbe,
    #[serde(borrow)]
    url: Field<'a>,
    #[serde(borrow)]
    is_self: Field<'a>,
    #[serde(borrow)]
    subreddit_name_prefixed: Field<'a>,
    #[serde(borrow)]
    subreddit: Field<'a>,
    #[serde(borrow)]
    body: Field<'a>,
    body_html: HtmlProbe,
    #[serde(borrow)]
    replies: Obj<'a, Box<Thing<'a>>>,
    #[serde(borrow)]
    edited: Field<'a>,
    #[serde(borrow)]
    distinguished: Field<'a>,
    #[serde(borrow)]
    count: Field<'a>,
}

/// A thing's data as the tree reader takes it: absent is `None`, not an object reads as an
/// object without fields.
fn take_data(thing: Thing<'_>) -> Option<Data<'_>> {
    match thing.data {
        Obj::Missing => None,
        Obj::Not(_) => Some(Data::default()),
        Obj::Is(d) => Some(d),
    }
}

/// A Listing's things (none when it is not one, as `reddit::listing_children`).
fn listing_children<'a>(listing: Obj<'a, Thing<'a>>) -> Vec<Obj<'a, Thing<'a>>> {
    match listing {
        Obj::Is(thing) => match thing.data {
            Obj::Is(mut d) => d.children.take_items().unwrap_or_default(),
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// True when the file's HTML fields are entity-escaped (as `reddit::is_escaped`).
fn is_escaped(post: Option<&Data<'_>>, comments: &[Obj<'_, Thing<'_>>]) -> bool {
    if let Some(v) = post.and_then(|p| p.selftext_html.0) {
        return v;
    }
    comments
        .iter()
        .find_map(|c| c.get()?.data.get()?.body_html.0)
        .unwrap_or(false)
}

/// Builds the thread from a deserialized comments page, or `None` where the general
/// reader reports an error.
pub(super) fn build(listings: Vec<Obj<'_, Thing<'_>>>) -> Option<Thread> {
    if listings.is_empty()
        || listings
            .iter()
            .any(|l| l.get().and_then(|t| t.kind.as_str()) != Some("Listing"))
    {
        return None;
    }
    let mut listings = listings.into_iter();
    let first = listings.next().unwrap_or_default();
    let comments = listings.next().map(listing_children).unwrap_or_default();
    let post = listing_children(first)
        .into_iter()
        .next()
        .and_then(|p| match p {
            Obj::Is(thing) => take_data(thing),
            _ => None,
        });
    let escaped = is_escaped(post.as_ref(), &comments);
    let text = |f: &Field<'_>| -> Option<String> {
        let s = f.string()?;
        Some(if escaped {
            unescape(&s).into_owned()
        } else {
            s
        })
    };
    let mut b = ThreadBuilder::new();
    let post_id = post.as_ref().and_then(|p| p.id.string());
    if let Some(p) = &post {
        b.title = text(&p.title);
        b.author = text(&p.author).filter(|a| a != "[deleted]");
        b.score = p.score.int();
        b.created = p.created_utc.unix_time();
        b.body = markdown::to_body(&text(&p.selftext).unwrap_or_default());
        let permalink = text(&p.permalink).map(|l| absolute(&l));
        let link = text(&p.url);
        if let Some(link) = &link
            && !p.is_self.truthy()
            && Some(link) != permalink.as_ref()
        {
            crate::format::json::append_link_paragraph(&mut b.body, link);
        }
        b.url = permalink.or(link);
        b.community = text(&p.subreddit_name_prefixed)
            .or_else(|| text(&p.subreddit).map(|s| format!("r/{s}")))
            .filter(|s| !s.trim().is_empty());
    }
    b.source_key = post_id.as_ref().map(|id| format!("reddit:{id}"));

    let mut pending = Pending::default();
    let mut stack = vec![(comments.into_iter(), None::<usize>)];
    while let Some((items, parent)) = stack.last_mut() {
        let parent = *parent;
        let Some(child) = items.next() else {
            stack.pop();
            continue;
        };
        let Obj::Is(thing) = child else {
            continue;
        };
        let kind = thing.kind.as_str().map(str::to_string);
        let Some(mut data) = take_data(thing) else {
            continue;
        };
        match kind.as_deref() {
            Some("t1") => {
                // The body moved out of the input, unescaped only when it needs it.
                let body_text = match std::mem::take(&mut data.body).into_string() {
                    Some(s) if escaped => match unescape(&s) {
                        Cow::Owned(o) => Cow::Owned(o),
                        Cow::Borrowed(_) => s,
                    },
                    Some(s) => s,
                    None => Cow::Borrowed(""),
                };
                let deleted = matches!(body_text.trim(), "[deleted]" | "[removed]");
                let id = data.id.string();
                let url = text(&data.permalink).map(|l| absolute(&l)).or_else(|| {
                    Some(format!(
                        "{SITE}/comments/{}/_/{}/",
                        post_id.as_deref()?,
                        id.as_deref()?
                    ))
                });
                let draft = CommentDraft {
                    source_id: id,
                    author: text(&data.author).filter(|a| a != "[deleted]"),
                    created: data.created_utc.unix_time(),
                    score: data.score.int(),
                    body: crate::model::Body::default(),
                    deleted,
                    more: 0,
                    url,
                };
                let handle = pending.push(parent, draft, Source::Markdown(body_text));
                let edited = data.edited.truthy() || data.edited.int().is_some_and(|t| t > 0);
                pending.mark(handle, marks_of(edited, data.distinguished.as_str()));
                if let Obj::Is(replies) = std::mem::take(&mut data.replies) {
                    let kids = listing_children(Obj::Is(*replies));
                    if !kids.is_empty() {
                        stack.push((kids.into_iter(), Some(handle)));
                    }
                }
            }
            Some("more") => {
                let listed = data.children.items().map_or(0, <[_]>::len);
                pending.add_more(parent, more_count(data.count.int().unwrap_or(0), listed));
            }
            _ => {}
        }
    }
    pending.finish(&mut b);
    Some(b.finish())
}
