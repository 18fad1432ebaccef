//! JSON input: detecting the shape by its keys and dispatching to the readers of
//! threadr/1 ([`crate::format::native`]), Reddit ([`crate::format::reddit`]), Hacker News
//! Algolia and HNPWA ([`crate::format::hn`]) and Lobsters ([`crate::format::lobsters`]).
//!
//! Reddit, Hacker News, Lobsters and threadr/1 are read first on the typed fast path
//! ([`crate::format::typed`]: serde derive, strings borrowed, no tree); whatever it is not
//! sure of, and every other shape, is parsed once into a depth-proof [`Node`] tree that the
//! readers walk with an explicit stack. Helpers shared by the site readers live here. No IO.

use crate::format::jsontree::{self, Node};
use crate::format::{
    FormatError, InputFormat, bluesky, discourse, hn, lemmy, lobsters, mastodon, native, reddit,
    typed,
};
use crate::model::{Block, Body, Link, Span, SpanStyle, Timestamp};

/// The shapes tried, for the message when none fits.
const TRIED: &str = "threadr/1 (an object with \"format\": \"threadr/1\"), Reddit (an array \
     of two Listings), Hacker News Algolia (an object with \"children\"), HNPWA (an object \
     with \"comments\" and \"user\"/\"level\"), Lobsters (an object with \"short_id\" and \
     \"comments\"), Discourse (an object with \"post_stream\"), Lemmy (\"post_view\" or \
     \"comments\" with \"path\"), Mastodon (\"status\" and \"context\"), Bluesky (\"thread\" \
     with \"post\")";

/// True when the first non-blank characters look like the start of JSON rather than text
/// that happens to begin with a bracket (`[deleted] said...`).
#[must_use]
pub fn looks_like_json(text: &str) -> bool {
    let t = text.trim_start();
    let mut chars = t.chars();
    let first = chars.next();
    let next = chars.find(|c| !c.is_whitespace());
    match (first, next) {
        (Some('{'), Some('"' | '}')) => true,
        (Some('['), Some(c)) => matches!(c, '{' | '[' | ']' | '"') || c.is_ascii_digit(),
        _ => false,
    }
}

/// Which JSON shape a parsed document is, by its keys.
#[must_use]
pub fn detect_node(root: &Node) -> Option<InputFormat> {
    if let Some(items) = root.as_array() {
        let first = items.first()?;
        return (first.get("kind").and_then(Node::as_str) == Some("Listing"))
            .then_some(InputFormat::Reddit);
    }
    root.as_object()?;
    if root
        .get("format")
        .and_then(Node::as_str)
        .is_some_and(|f| f.starts_with("threadr/"))
    {
        return Some(InputFormat::Threadr);
    }
    if root.get("kind").and_then(Node::as_str) == Some("Listing") {
        return Some(InputFormat::Reddit);
    }
    // Any `post_stream` is Discourse: its reader says what is missing when the posts are not.
    if root.has("post_stream") {
        return Some(InputFormat::Discourse);
    }
    if lemmy::detect(root) || root.has("post_view") {
        return Some(InputFormat::Lemmy);
    }
    if mastodon::detect(root) {
        return Some(InputFormat::Mastodon);
    }
    if bluesky::detect(root) {
        return Some(InputFormat::Bluesky);
    }
    let first_comment = root
        .get("comments")
        .and_then(Node::as_array)
        .and_then(|c| c.first());
    if root.has("short_id")
        || root.has("submitter_user")
        || first_comment.is_some_and(|c| c.has("short_id"))
    {
        return Some(InputFormat::Lobsters);
    }
    if root.get("children").is_some_and(|c| c.as_array().is_some())
        || root.has("created_at_i")
        || root.has("story_id")
    {
        return Some(InputFormat::Hn);
    }
    let hnpwa_keys = [
        "level",
        "user",
        "time_ago",
        "timeago",
        "comments_count",
        "commentscount",
        "content",
    ];
    if root.get("comments").is_some_and(|c| c.as_array().is_some())
        && hnpwa_keys.iter().any(|k| root.has(k))
    {
        return Some(InputFormat::Hnpwa);
    }
    None
}

/// Which JSON shape `text` is (parses it; [`load`] avoids parsing twice).
#[must_use]
pub fn detect(text: &str) -> Option<InputFormat> {
    let root = jsontree::parse(text, "", &mut Vec::new()).ok()?;
    detect_node(&root)
}

/// Parses JSON `text` as `forced`, or as the shape its keys say.
///
/// # Errors
/// When it is not JSON, none of the known shapes, or malformed for its shape.
pub fn load(
    text: &str,
    source: &str,
    forced: Option<InputFormat>,
) -> Result<crate::model::Thread, FormatError> {
    load_with(text, source, forced, &mut |_| {})
}

/// [`load`], reporting the bytes read to `progress` as it goes.
///
/// # Errors
/// As [`load`].
pub fn load_with(
    text: &str,
    source: &str,
    forced: Option<InputFormat>,
    progress: &mut dyn FnMut(usize),
) -> Result<crate::model::Thread, FormatError> {
    if let Some(thread) = typed::read(text, forced) {
        progress(text.len());
        return Ok(thread);
    }
    load_general(text, source, forced, progress)
}

/// [`load_with`] on the general path only: the depth-proof tree, then the shape's reader
/// (what the typed fast path, [`typed::read`], falls back to; public so tests and
/// benchmarks can compare the two).
///
/// # Errors
/// As [`load`].
pub fn load_general(
    text: &str,
    source: &str,
    forced: Option<InputFormat>,
    progress: &mut dyn FnMut(usize),
) -> Result<crate::model::Thread, FormatError> {
    let mut warnings = Vec::new();
    let root = jsontree::parse_with(text, source, &mut warnings, progress)?;
    from_root(root, source, forced, warnings)
}

/// Reads a parsed document as `forced`, or as the shape its keys say.
///
/// # Errors
/// When the document is none of the shapes, or not a thread in the forced one.
pub fn from_root(
    root: Node,
    source: &str,
    forced: Option<InputFormat>,
    warnings: Vec<String>,
) -> Result<crate::model::Thread, FormatError> {
    let Some(format) = forced.or_else(|| detect_node(&root)) else {
        return Err(FormatError::new(
            source,
            None,
            format!(
                "this JSON is none of the thread shapes threadr knows; tried {TRIED}. \
                 Use --input-format to force one"
            ),
        ));
    };
    match format {
        InputFormat::Threadr => native::from_node(root, source, warnings),
        InputFormat::Reddit => reddit::from_node(root, source, warnings),
        InputFormat::Hn => hn::from_algolia(root, source, warnings),
        InputFormat::Hnpwa => hn::from_hnpwa(root, source, warnings),
        InputFormat::Lobsters => lobsters::from_node(root, source, warnings),
        InputFormat::Discourse => discourse::from_node(root, source, warnings),
        InputFormat::Lemmy => lemmy::from_node(root, source, warnings),
        InputFormat::Mastodon => mastodon::from_node(root, source, warnings),
        InputFormat::Bluesky => bluesky::from_node(root, source, warnings),
        other => Err(FormatError::new(
            source,
            None,
            format!("{} is not a JSON format", other.name()),
        )),
    }
}

/// Parses a site's JSON export as `format`.
///
/// # Errors
/// As [`load`].
pub fn parse(
    text: &str,
    source: &str,
    format: InputFormat,
) -> Result<crate::model::Thread, FormatError> {
    load(text, source, Some(format))
}

/// Seconds since the epoch from a number (or numeric string) field.
pub(crate) fn unix_time(node: Option<&Node>) -> Option<Timestamp> {
    node.and_then(Node::int).map(Timestamp::Unix)
}

/// A date from an RFC 3339 string field.
pub(crate) fn text_time(node: Option<&Node>) -> Option<Timestamp> {
    node.and_then(Node::as_str)
        .filter(|s| !s.trim().is_empty())
        .map(Timestamp::parse)
}

/// A non-empty string field.
pub(crate) fn string(node: Option<&Node>) -> Option<String> {
    node.and_then(Node::text)
        .filter(|s| !s.trim().is_empty())
        .map(std::borrow::Cow::into_owned)
}

/// Adds a paragraph holding the story's link (for link posts, whose body is otherwise empty).
pub(crate) fn append_link_paragraph(body: &mut Body, url: &str) {
    let index = body.links.len();
    body.links.push(Link {
        text: url.to_string(),
        url: url.to_string(),
    });
    let mut block = Block::paragraph(url);
    block.spans = thin_vec::thin_vec![Span {
        range: 0..url.len(),
        style: SpanStyle::Link(index),
    }];
    body.blocks.push(block);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_or_text() {
        assert!(looks_like_json(" {\"a\":1}"));
        assert!(looks_like_json("[\n {\"kind\""));
        assert!(!looks_like_json("[deleted] wrote this"));
        assert!(!looks_like_json("{ not json }"));
    }

    #[test]
    fn unknown_shape_says_what_was_tried() {
        let e = load(r#"{"hello": "world"}"#, "x.json", None).unwrap_err();
        assert!(e.message.contains("tried threadr/1"), "{e}");
        assert!(e.message.contains("Lobsters"), "{e}");
        let e = load("[1,2,3]", "x.json", None).unwrap_err();
        assert!(e.message.contains("Reddit"), "{e}");
    }
}
