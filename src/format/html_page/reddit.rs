//! old.reddit.com comment pages: `.commentarea` with `div.thing.comment` elements, replies
//! in each one's `div.child`; the post (`div.thing.link`) is the article, the key
//! `reddit:<id>` as for the JSON exports. Author `.tagline .author`, score `.score.unvoted
//! [title]`, date `time[datetime]`, text `.usertext-body .md`; deleted comments keep their
//! place, marked deleted. "load more comments" stubs are counted as replies not saved.
//! No IO, no recursion.

use std::collections::HashMap;

use scraper::{ElementRef, Html};

use super::dom::{self, Lazy, attr, find, first, own_elements, selector};
use crate::format::json::append_link_paragraph;
use crate::model::{Body, CommentDraft, ThreadBuilder, Timestamp};

const ORIGIN: &str = "https://old.reddit.com";

static COMMENT: Lazy = Lazy::new(|| selector(".commentarea div.thing.comment"));
static THING: Lazy = Lazy::new(|| selector("div.thing"));
static CHILD: Lazy = Lazy::new(|| selector("div.child"));
static LINK: Lazy = Lazy::new(|| selector("div.thing.link"));
static AUTHOR: Lazy = Lazy::new(|| selector(".tagline .author"));
static SCORE: Lazy =
    Lazy::new(|| selector(".tagline .score.unvoted[title], .score.unvoted[title]"));
static TIME: Lazy = Lazy::new(|| selector(".tagline time[datetime]"));
static TEXT: Lazy = Lazy::new(|| selector(".usertext-body .md"));
static TITLE: Lazy = Lazy::new(|| selector("a.title"));
static MORE: Lazy = Lazy::new(|| selector(".commentarea div.thing.morechildren"));

/// The elements that together show an old.reddit comment page: its comment area and its
/// post (see [`Landmark`]).
pub const LANDMARKS: &str = ".commentarea, div.thing.link";

static AREA: Lazy = Lazy::new(|| selector(".commentarea"));

/// Which half of an old.reddit page an element is: the page is one when it has both.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Landmark {
    /// `.commentarea`.
    Area,
    /// The post, `div.thing.link`.
    Post,
}

/// What `el` shows of an old.reddit page, if anything.
pub fn landmark(el: ElementRef<'_>) -> Option<Landmark> {
    if AREA.matches(&el) {
        Some(Landmark::Area)
    } else {
        LINK.matches(&el).then_some(Landmark::Post)
    }
}

fn fullname_id(el: ElementRef<'_>) -> Option<String> {
    attr(el, "data-fullname").map(|f| {
        f.split_once('_')
            .map_or(f.clone(), |(_, id)| id.to_string())
    })
}

fn entry(thing: ElementRef<'_>) -> Vec<ElementRef<'_>> {
    own_elements(*thing, &|e| CHILD.matches(&e) || THING.matches(&e))
}

fn md_body(own: &[ElementRef<'_>]) -> Body {
    let mut body =
        first(own, &TEXT).map_or_else(Body::default, |t| dom::body(*t, &|_| false, false));
    dom::resolve_links(&mut body, Some(ORIGIN));
    body
}

fn score(own: &[ElementRef<'_>]) -> Option<i64> {
    first(own, &SCORE)
        .and_then(|s| attr(s, "title"))
        .and_then(|t| t.parse().ok())
}

fn draft(thing: ElementRef<'_>) -> CommentDraft {
    let own = entry(thing);
    let author = first(&own, &AUTHOR)
        .map(dom::text)
        .filter(|a| !a.is_empty() && a != "[deleted]");
    let body = md_body(&own);
    let deleted = thing
        .value()
        .has_class("deleted", scraper::CaseSensitivity::AsciiCaseInsensitive)
        || (author.is_none() && matches!(body.plain_text().trim(), "[deleted]" | "[removed]" | ""));
    CommentDraft {
        source_id: fullname_id(thing),
        author,
        created: first(&own, &TIME)
            .and_then(|t| attr(t, "datetime"))
            .map(|d| Timestamp::parse(&d)),
        score: score(&own),
        body,
        deleted,
        url: attr(thing, "data-permalink").map(|p| dom::resolve(Some(ORIGIN), &p)),
        ..CommentDraft::default()
    }
}

/// Reads the post into the builder's article fields and pushes the comments.
pub fn read(doc: &Html, b: &mut ThreadBuilder) {
    if let Some(post) = find(doc, &LINK) {
        let own = entry(post);
        b.title = first(&own, &TITLE).map(dom::text).filter(|t| !t.is_empty());
        b.author = first(&own, &AUTHOR)
            .map(dom::text)
            .filter(|a| a != "[deleted]");
        b.score = score(&own);
        b.created = first(&own, &TIME)
            .and_then(|t| attr(t, "datetime"))
            .map(|d| Timestamp::parse(&d));
        b.body = md_body(&own);
        let permalink = attr(post, "data-permalink").map(|p| dom::resolve(Some(ORIGIN), &p));
        if let Some(url) = attr(post, "data-url").map(|u| dom::resolve(Some(ORIGIN), &u))
            && permalink.as_deref().is_none_or(|p| p != url)
        {
            append_link_paragraph(&mut b.body, &url);
        }
        b.url = permalink;
        b.source_key = fullname_id(post).map(|id| format!("reddit:{id}"));
    }
    let mut handles: HashMap<ego_tree::NodeId, usize> = HashMap::new();
    for thing in doc.select(&COMMENT) {
        let parent = thing
            .ancestors()
            .find_map(|a| handles.get(&a.id()).copied());
        let handle = b.push(parent, draft(thing));
        handles.insert(thing.id(), handle);
    }
    for more in doc.select(&MORE) {
        let parent = more.ancestors().find_map(|a| handles.get(&a.id()).copied());
        let n = dom::text(more)
            .split(|c: char| !c.is_ascii_digit())
            .find(|s| !s.is_empty())
            .and_then(|n| n.parse().ok())
            .unwrap_or(1);
        b.add_more(parent, n);
    }
}
