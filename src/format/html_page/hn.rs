//! Hacker News item pages saved as HTML: the current markup (`tr.athing.comtr`,
//! `td.ind[indent]`, `.hnuser`, `.age[title]`, `.commtext`) and the 2012 one (`td.default`
//! cells with an `s.gif` spacer 40 px wide per level, `span.comhead`, `span.comment`).
//!
//! Every comment is a `td.default` cell; its level comes from `indent` or the spacer's
//! width, its parent from the levels seen before it. `[dead]` and `[flagged]` become the
//! comment's markers; `[deleted]` comments are marked deleted. The story (title, link,
//! text, author, points) is the article, and the key is `hn:<id>` as for the API exports, so
//! both share bookmarks. No IO, no recursion.

use scraper::{ElementRef, Html};

use super::dom::{self, Lazy, attr, find, first, own_elements, selector};
use crate::format::json::append_link_paragraph;
use crate::model::{Body, CommentDraft, Marks, ThreadBuilder, Timestamp};

static CELL: Lazy = Lazy::new(|| selector("td.default"));
static FATITEM: Lazy = Lazy::new(|| selector("table.fatitem"));
static ATHING: Lazy = Lazy::new(|| selector("tr.athing[id]"));
static IND: Lazy = Lazy::new(|| selector("td.ind"));
static SPACER: Lazy = Lazy::new(|| selector("img[src$='s.gif'][width]"));
static USER: Lazy = Lazy::new(|| selector(".hnuser, a[href^='user?id='], a[href*='/user?id=']"));
static ITEM_LINK: Lazy = Lazy::new(|| selector(".comhead a[href*='item?id=']"));
static AGE: Lazy = Lazy::new(|| selector(".age[title]"));
static TEXT: Lazy = Lazy::new(|| selector(".commtext, span.comment"));
static COMHEAD: Lazy = Lazy::new(|| selector(".comhead"));
static NOT_TEXT: Lazy = Lazy::new(|| selector(".reply, a[href^='reply?'], a[href*='/reply?']"));
static TITLE: Lazy = Lazy::new(|| selector(".titleline > a, a.storylink, td.title > a"));
static SCORE: Lazy = Lazy::new(|| selector(".score, span[id^=score_]"));
static SCORE_ID: Lazy = Lazy::new(|| selector("span[id^=score_]"));
static TOPTEXT: Lazy = Lazy::new(|| selector(".toptext"));

/// The elements that may show a Hacker News item page (see [`marks_page`]).
pub const LANDMARKS: &str = "td.default, table.fatitem";

/// Whether `el` shows the page is a Hacker News item page: a comment cell (with a
/// `.comhead`) or the story's table.
pub fn marks_page(el: ElementRef<'_>) -> bool {
    FATITEM.matches(&el)
        || CELL.matches(&el) && first(&own_elements(*el, &|_| false), &COMHEAD).is_some()
}

fn item_url(id: &str) -> String {
    format!("https://news.ycombinator.com/item?id={id}")
}

fn id_from_href(href: &str) -> Option<String> {
    let id = href.split("item?id=").nth(1)?;
    let id: String = id.chars().take_while(char::is_ascii_digit).collect();
    (!id.is_empty()).then_some(id)
}

/// `2023-07-21T18:04:01` (UTC, as HN writes it) or `2024-05-01T10:00:00 1714557600`.
fn age(title: &str) -> Timestamp {
    let mut parts = title.split_whitespace();
    let iso = parts.next().unwrap_or("");
    if let Some(unix) = parts.next().and_then(|u| u.parse::<i64>().ok()) {
        return Timestamp::Unix(unix);
    }
    let zoned = if iso.ends_with('Z') || iso.contains('+') {
        iso.to_string()
    } else {
        format!("{iso}Z")
    };
    match Timestamp::parse(&zoned) {
        t @ Timestamp::Unix(_) => t,
        Timestamp::Text(_) => Timestamp::Text(title.to_string()),
    }
}

fn level(cell: ElementRef<'_>) -> usize {
    let Some(row) = cell.parent().and_then(ElementRef::wrap) else {
        return 0;
    };
    let own = own_elements(*row, &|e| e.id() == cell.id());
    if let Some(n) = first(&own, &IND)
        .and_then(|ind| attr(ind, "indent"))
        .and_then(|n| n.parse().ok())
    {
        return n;
    }
    first(&own, &SPACER)
        .and_then(|img| attr(img, "width"))
        .and_then(|w| w.parse::<usize>().ok())
        .map_or(0, |w| w / 40)
}

fn draft(cell: ElementRef<'_>) -> (CommentDraft, Marks) {
    let own = own_elements(*cell, &|_| false);
    let id = cell
        .ancestors()
        .filter_map(ElementRef::wrap)
        .find(|e| ATHING.matches(e))
        .and_then(|e| attr(e, "id"))
        .or_else(|| {
            first(&own, &ITEM_LINK)
                .and_then(|a| attr(a, "href"))
                .and_then(|h| id_from_href(&h))
        });
    let author = first(&own, &USER).map(dom::text).filter(|a| !a.is_empty());
    let created = first(&own, &AGE)
        .and_then(|a| attr(a, "title"))
        .map(|t| age(&t));
    let head = first(&own, &COMHEAD).map(dom::text).unwrap_or_default();
    let mut body = first(&own, &TEXT).map_or_else(Body::default, |t| {
        dom::body(*t, &|e| NOT_TEXT.matches(&e), true)
    });
    let base = id.as_deref().map(item_url);
    dom::resolve_links(
        &mut body,
        Some(base.as_deref().unwrap_or("https://news.ycombinator.com/")),
    );
    let deleted = author.is_none() && body.plain_text().trim() == "[deleted]";
    // In the comment's head, or (2012 pages) opening its text, which is kept as it is.
    let text = body.plain_text();
    let marks = [("[dead]", Marks::DEAD), ("[flagged]", Marks::FLAGGED)]
        .into_iter()
        .filter(|(m, _)| head.contains(m) || text.starts_with(m))
        .fold(Marks::empty(), |acc, (_, m)| acc | m);
    let draft = CommentDraft {
        url: base,
        source_id: id,
        author,
        created,
        body,
        deleted,
        ..CommentDraft::default()
    };
    (draft, marks)
}

/// Reads the story into the builder's article fields and pushes the comments.
pub fn read(doc: &Html, b: &mut ThreadBuilder) {
    let fat = find(doc, &FATITEM);
    // 2012 pages have no `fatitem`: the story is the first table's title and subtext.
    let fat_own = fat.map_or_else(
        || {
            doc.root_element()
                .descendants()
                .filter_map(ElementRef::wrap)
                .take_while(|e| !CELL.matches(e))
                .collect()
        },
        |f| own_elements(*f, &|_| false),
    );
    let id = first(&fat_own, &ATHING)
        .and_then(|e| attr(e, "id"))
        .or_else(|| {
            first(&fat_own, &SCORE_ID)
                .and_then(|e| attr(e, "id"))
                .map(|i| i.trim_start_matches("score_").to_string())
        });
    if let Some(t) = first(&fat_own, &TITLE) {
        b.title = Some(dom::text(t)).filter(|t| !t.is_empty());
        if let Some(href) = attr(t, "href") {
            let link = dom::resolve(Some("https://news.ycombinator.com/"), &href);
            if id_from_href(&link).is_none_or(|i| Some(&i) != id.as_ref()) {
                b.body = first(&fat_own, &TOPTEXT)
                    .map_or_else(Body::default, |t| dom::body(*t, &|_| false, true));
                append_link_paragraph(&mut b.body, &link);
            }
        }
    }
    if b.body.is_empty()
        && let Some(t) = first(&fat_own, &TOPTEXT)
    {
        b.body = dom::body(*t, &|_| false, true);
    }
    b.author = first(&fat_own, &USER).map(dom::text);
    b.score = first(&fat_own, &SCORE).and_then(|s| {
        dom::text(s)
            .split_whitespace()
            .next()
            .and_then(|n| n.parse().ok())
    });
    b.created = first(&fat_own, &AGE)
        .and_then(|a| attr(a, "title"))
        .map(|t| age(&t));
    if let Some(id) = &id {
        b.url = Some(item_url(id));
        b.source_key = Some(format!("hn:{id}"));
    }
    // Parents from levels: the last comment seen at each level.
    let mut path: Vec<usize> = Vec::new();
    for cell in doc.select(&CELL) {
        if fat.is_some_and(|f| cell.ancestors().any(|a| a.id() == f.id())) {
            continue;
        }
        let own = own_elements(*cell, &|_| false);
        if first(&own, &COMHEAD).is_none() {
            continue;
        }
        let lvl = level(cell).min(path.len());
        path.truncate(lvl);
        let parent = path.last().copied();
        let (draft, marks) = draft(cell);
        let handle = b.push(parent, draft);
        b.mark(handle, marks);
        path.push(handle);
    }
}
