//! `WordPress` comment lists and lookalikes: `ol.comment-list` / `ol.commentlist` /
//! `ul.comment-list`, each comment an `li.comment` / `li.pingback` / `li.trackback` with an
//! `id="comment-N"`, replies in `ol.children` / `ul.children`.
//!
//! Both the HTML5 markup (`article.comment-body`, `footer.comment-meta`, `.comment-author
//! .fn`, `time[datetime]`, `.comment-content`) and the older one (`div.comment-author
//! vcard`, `cite.fn`, `div.comment-meta`, the text in `p`s after it). The author is the
//! `.fn` element, else the `.comment-author` text without a trailing "says:"-like word in any
//! language; avatar alt text is never read. Pingbacks and trackbacks have no author and
//! keep their "Pingback:" line. No IO, no recursion.

use scraper::{ElementRef, Html};

use super::dom::{self, Lazy, NodeRef, attr, first, selector, split_at_boundaries};
use crate::model::{CommentDraft, ThreadBuilder, Timestamp};

static COMMENT: Lazy = Lazy::new(|| {
    selector(
        ".comment-list li.comment, .comment-list li.pingback, .comment-list li.trackback, \
         .commentlist li.comment, .commentlist li.pingback, .commentlist li.trackback",
    )
});
static LIST: Lazy = Lazy::new(|| selector(".comment-list, .commentlist"));
static COMMENT_EL: Lazy = Lazy::new(|| selector("li.comment, li.pingback, li.trackback"));
/// Where a comment's own elements end: its replies.
static REPLIES: Lazy = Lazy::new(|| selector(".children, li.comment, li.pingback, li.trackback"));
static PING: Lazy = Lazy::new(|| selector(".pingback, .trackback"));
static FN: Lazy = Lazy::new(|| selector(".fn"));
static AUTHOR: Lazy = Lazy::new(|| selector(".comment-author, .comment-author-name"));
static TIME: Lazy = Lazy::new(|| selector("time"));
static META_LINK: Lazy = Lazy::new(|| {
    selector(".comment-metadata a, .comment-meta a, .commentmetadata a, .comment-date")
});
static CONTENT: Lazy = Lazy::new(|| selector(".comment-content, .comment-text, .comment-entry"));
static BODY: Lazy = Lazy::new(|| selector(".comment-body"));
static NOT_TEXT: Lazy = Lazy::new(|| {
    selector(
        ".reply, .comment-reply-link, .edit-link, .comment-edit-link, .comment-author, \
         .comment-meta, .comment-metadata, .commentmetadata, .comment-awaiting-moderation, \
         footer, .says, .children, li.comment, li.pingback, li.trackback",
    )
});

/// The comment lists and the elements that may be their comments (see [`landmark`]).
pub const LANDMARKS: &str = ".comment-list, .commentlist, li.comment, li.pingback, li.trackback";

/// What `el` shows of a `WordPress` comment section, if anything.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Landmark {
    /// A comment list, perhaps still empty.
    List,
    /// A comment inside a list.
    Comment,
}

/// What `el` shows of a `WordPress` comment section, if anything.
pub fn landmark(el: ElementRef<'_>) -> Option<Landmark> {
    if LIST.matches(&el) {
        Some(Landmark::List)
    } else {
        COMMENT.matches(&el).then_some(Landmark::Comment)
    }
}

/// The author shown in `.comment-author` when there is no `.fn`: its text without a
/// trailing "says:" (`sagt:`, `dit :`...).
fn author_from_block(text: &str) -> Option<String> {
    let mut words: Vec<&str> = text.split_whitespace().collect();
    if words.len() > 2 && words.last() == Some(&":") {
        words.truncate(words.len() - 2);
    } else if words.len() > 1 && words.last().is_some_and(|w| w.ends_with(':')) {
        words.pop();
    } else if let Some(last) = words.last_mut() {
        *last = last.trim_end_matches(':');
    }
    let name = words.join(" ");
    (!name.is_empty()).then_some(name)
}

/// The comment `li` is, and where its replies are (its own elements end there).
fn draft<'a>(li: ElementRef<'a>, page_url: Option<&str>) -> (CommentDraft, Vec<ElementRef<'a>>) {
    let (own, replies) = split_at_boundaries(*li, &|e| REPLIES.matches(&e));
    let ping = PING.matches(&li);
    let author = if ping {
        None
    } else {
        first(&own, &FN)
            .map(dom::text)
            .filter(|a| !a.is_empty())
            .or_else(|| first(&own, &AUTHOR).and_then(|a| author_from_block(&dom::text(a))))
    };
    let created = first(&own, &TIME)
        .and_then(|t| attr(t, "datetime").or_else(|| Some(dom::text(t))))
        .or_else(|| first(&own, &META_LINK).map(dom::text))
        .filter(|d| !d.is_empty())
        .map(|d| Timestamp::parse(&d));
    let container = first(&own, &CONTENT)
        .or_else(|| first(&own, &BODY))
        .unwrap_or(li);
    let skip = |e: ElementRef<'_>| NOT_TEXT.matches(&e);
    let mut body = dom::body(*container, &skip, false);
    dom::resolve_links(&mut body, page_url);
    let id = attr(li, "id");
    let url = match (page_url, &id) {
        (Some(page), Some(id)) => Some(format!("{}#{id}", page.split('#').next().unwrap_or(page))),
        _ => None,
    };
    let draft = CommentDraft {
        source_id: id,
        author,
        created,
        body,
        url,
        ..CommentDraft::default()
    };
    (draft, replies)
}

/// Pushes the page's comments (the comment elements inside a comment list), in document
/// order, each under its nearest comment ancestor. One walk over the page's elements,
/// which knows at each one whether it is inside a list and under which comment; a
/// comment's own elements are read by [`draft`], and the walk goes on from its replies.
pub fn read(doc: &Html, page_url: Option<&str>, b: &mut ThreadBuilder) {
    // (node, inside a comment list, the nearest comment above it)
    let mut stack: Vec<(NodeRef<'_>, bool, Option<usize>)> = vec![(doc.tree.root(), false, None)];
    while let Some((node, mut in_list, parent)) = stack.pop() {
        if let Some(el) = ElementRef::wrap(node) {
            if in_list && COMMENT_EL.matches(&el) {
                let (draft, replies) = draft(el, page_url);
                let handle = b.push(parent, draft);
                if PING.matches(&el) {
                    b.mark(handle, crate::model::Marks::PINGBACK);
                }
                stack.extend(replies.iter().rev().map(|r| (**r, true, Some(handle))));
                continue;
            }
            in_list = in_list || LIST.matches(&el);
        }
        stack.extend(
            node.children()
                .rev()
                .filter(|c| c.value().is_element())
                .map(|c| (c, in_list, parent)),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn says_words_are_dropped_in_any_language() {
        assert_eq!(
            author_from_block("Kristine says:").as_deref(),
            Some("Kristine")
        );
        assert_eq!(
            author_from_block("Jörg Müller sagt:").as_deref(),
            Some("Jörg Müller")
        );
        assert_eq!(author_from_block("Anne dit :").as_deref(), Some("Anne"));
        assert_eq!(author_from_block("Bob").as_deref(), Some("Bob"));
        assert_eq!(author_from_block("").as_deref(), None);
    }
}
