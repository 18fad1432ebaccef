//! Reddit comments page JSON (`/comments/<id>.json`): an array of two Listings, the post
//! (`t3`) then the comments (`t1`, replies as a nested Listing or `""`).
//!
//! - `more` stubs add their count to the parent's `more` (a "continue this thread" stub, id
//!   `_` with count 0, counts as at least one reply).
//! - `[deleted]`/`[removed]` comments keep their place and their replies; they are marked
//!   `deleted`, and the marker stays as the body so "deleted by its author" and "removed by
//!   moderators" remain distinct. An author of `[deleted]` becomes no author.
//! - Files saved without `raw_json=1` have `&`, `<`, `>` entity-escaped in every text field;
//!   that is detected from the `*_html` fields and undone before reading the Markdown.
//! - `edited` and `distinguished` become the comment's markers, the post's
//!   `subreddit_name_prefixed` the thread's community.
//! - Nesting comes from the Listings, not from `depth` (older files have none).
//!
//! Walked with an explicit stack; no recursion over depth. No IO.

use std::borrow::Cow;

use crate::format::FormatError;
use crate::format::json::{append_link_paragraph, string, unix_time};
use crate::format::jsontree::Node;
use crate::format::markdown;
use crate::model::{CommentDraft, Marks, Thread, ThreadBuilder};

pub(crate) const SITE: &str = "https://www.reddit.com";

/// Undoes Reddit's escaping of `&`, `<`, `>` (one pass, so `&amp;lt;` becomes `&lt;`).
pub(crate) fn unescape(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let (ch, len) = if rest.starts_with("&amp;") {
            ('&', 5)
        } else if rest.starts_with("&lt;") {
            ('<', 4)
        } else if rest.starts_with("&gt;") {
            ('>', 4)
        } else {
            ('&', 1)
        };
        out.push(ch);
        rest = &rest[len..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// True when the file's HTML fields are entity-escaped (saved without `raw_json=1`).
fn is_escaped(post: Option<&Node>, comments: &[Node]) -> bool {
    let html_escaped = |n: Option<&Node>, key: &str| {
        n.and_then(|n| n.get(key))
            .and_then(Node::as_str)
            .map(|s| s.starts_with("&lt;"))
    };
    if let Some(v) = html_escaped(post, "selftext_html") {
        return v;
    }
    comments
        .iter()
        .find_map(|c| html_escaped(c.get("data"), "body_html"))
        .unwrap_or(false)
}

fn listing_children(listing: &mut Node) -> Vec<Node> {
    listing
        .take("data")
        .and_then(|mut d| d.take("children"))
        .and_then(|mut c| c.take_items())
        .unwrap_or_default()
}

/// Builds a thread from a parsed Reddit comments page.
///
/// # Errors
/// When the document is not an array of Listings.
pub fn from_node(
    mut root: Node,
    source: &str,
    warnings: Vec<String>,
) -> Result<Thread, FormatError> {
    let mut b = ThreadBuilder::new();
    b.warnings = warnings;
    let mut lone = false;
    let mut listings = match root.take_items() {
        Some(items) => items,
        // A lone comments Listing (some tools save only that).
        None if root.get("kind").and_then(Node::as_str) == Some("Listing") => {
            lone = true;
            vec![Node::Null, std::mem::take(&mut root)]
        }
        None => {
            return Err(FormatError::new(
                source,
                None,
                format!(
                    "expected a Reddit comments page: an array of two Listings (post, \
                     comments), found {}",
                    root.describe()
                ),
            ));
        }
    };
    if listings.is_empty() {
        return Err(FormatError::new(
            source,
            None,
            "expected a Reddit comments page: the array of Listings is empty",
        ));
    }
    // Any other array (a flat list of comments from another site, `[1,2]`) must not read
    // as an empty thread: every item is a Listing (the placeholder above aside).
    let placeholder = usize::from(matches!(listings.first(), Some(Node::Null)) && lone);
    if let Some((i, item)) = listings
        .iter()
        .enumerate()
        .skip(placeholder)
        .find(|(_, l)| l.get("kind").and_then(Node::as_str) != Some("Listing"))
    {
        return Err(FormatError::new(
            source,
            Some(format!("[{i}]")),
            format!(
                "expected a Reddit comments page: an array of two Listings (post, \
                 comments), found {} where a Listing (\"kind\": \"Listing\") should be",
                item.describe()
            ),
        ));
    }
    let mut comments = if listings.len() > 1 {
        listing_children(&mut listings[1])
    } else {
        Vec::new()
    };
    let post = listing_children(&mut listings[0])
        .into_iter()
        .next()
        .and_then(|mut p| p.take("data"));
    let escaped = is_escaped(post.as_ref(), &comments);
    let text = |n: &Node, key: &str| -> Option<String> {
        let s = string(n.get(key))?;
        Some(if escaped {
            unescape(&s).into_owned()
        } else {
            s
        })
    };
    let post_id = post.as_ref().and_then(|p| string(p.get("id")));
    if let Some(p) = &post {
        b.title = text(p, "title");
        b.author = text(p, "author").filter(|a| a != "[deleted]");
        b.score = p.get("score").and_then(Node::int);
        b.created = unix_time(p.get("created_utc"));
        b.body = markdown::to_body(&text(p, "selftext").unwrap_or_default());
        let permalink = text(p, "permalink").map(|l| absolute(&l));
        let link = text(p, "url");
        let is_self = p.get("is_self").is_some_and(Node::truthy);
        if let Some(link) = &link
            && !is_self
            && Some(link) != permalink.as_ref()
        {
            append_link_paragraph(&mut b.body, link);
        }
        b.url = permalink.or(link);
        b.community = text(p, "subreddit_name_prefixed")
            .or_else(|| text(p, "subreddit").map(|s| format!("r/{s}")))
            .filter(|s| !s.trim().is_empty());
    }
    b.source_key = post_id.as_ref().map(|id| format!("reddit:{id}"));

    // Walk the comment Listings with an explicit stack of (items, parent).
    comments.reverse();
    let mut stack: Vec<(Vec<Node>, Option<usize>)> = vec![(comments, None)];
    while let Some((items, parent)) = stack.last_mut() {
        let parent = *parent;
        let Some(mut child) = items.pop() else {
            stack.pop();
            continue;
        };
        let kind = child.get("kind").and_then(Node::as_str).map(str::to_string);
        let Some(mut data) = child.take("data") else {
            continue;
        };
        match kind.as_deref() {
            Some("t1") => {
                let body_text = text(&data, "body").unwrap_or_default();
                let deleted = matches!(body_text.trim(), "[deleted]" | "[removed]");
                let id = string(data.get("id"));
                let url = text(&data, "permalink").map(|l| absolute(&l)).or_else(|| {
                    Some(format!(
                        "{SITE}/comments/{}/_/{}/",
                        post_id.as_deref()?,
                        id.as_deref()?
                    ))
                });
                let draft = CommentDraft {
                    source_id: id,
                    author: text(&data, "author").filter(|a| a != "[deleted]"),
                    created: unix_time(data.get("created_utc")),
                    score: data.get("score").and_then(Node::int),
                    body: markdown::to_body(&body_text),
                    deleted,
                    more: 0,
                    url,
                };
                let handle = b.push(parent, draft);
                b.mark(handle, marks(&data));
                if let Some(mut replies) = data.take("replies") {
                    let mut kids = listing_children(&mut replies);
                    if !kids.is_empty() {
                        kids.reverse();
                        stack.push((kids, Some(handle)));
                    }
                }
            }
            Some("more") => {
                let count = data.get("count").and_then(Node::int).unwrap_or(0);
                let listed = data
                    .get("children")
                    .and_then(Node::as_array)
                    .map_or(0, <[Node]>::len);
                b.add_more(parent, more_count(count, listed));
            }
            _ => {}
        }
    }
    Ok(b.finish())
}

/// `edited` (false, or when) and `distinguished` (`moderator`, `admin`, `special`).
fn marks(data: &Node) -> Marks {
    let edited = data
        .get("edited")
        .is_some_and(|e| e.truthy() || e.int().is_some_and(|t| t > 0));
    marks_of(edited, data.get("distinguished").and_then(Node::as_str))
}

/// The markers of a comment edited or not, distinguished as `distinguished` says (shared
/// with the typed reader, `crate::format::typed::reddit`).
pub(crate) fn marks_of(edited: bool, distinguished: Option<&str>) -> Marks {
    let mut m = Marks::empty();
    if edited {
        m |= Marks::EDITED;
    }
    m |= match distinguished {
        Some("moderator") => Marks::MODERATOR,
        Some("admin") => Marks::ADMIN,
        Some("special") => Marks::SPECIAL,
        _ => Marks::empty(),
    };
    m
}

/// The replies a `more` stub stands for: its `count`, else its listed ids, at least one (a
/// "continue this thread" stub has id `_` and count 0).
pub(crate) fn more_count(count: i64, listed: usize) -> u32 {
    if count > 0 {
        u32::try_from(count).unwrap_or(u32::MAX)
    } else {
        u32::try_from(listed).unwrap_or(u32::MAX).max(1)
    }
}

/// A permalink made absolute (Reddit gives them from `/r/...`).
pub(crate) fn absolute(link: &str) -> String {
    if link.starts_with('/') {
        format!("{SITE}{link}")
    } else {
        link.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unescape_one_pass() {
        assert_eq!(unescape("a &amp;lt; b &gt; c &lt; &x"), "a &lt; b > c < &x");
    }
}
