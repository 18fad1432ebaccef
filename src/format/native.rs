//! threadr's own JSON format, `threadr/1`, read back into a [`Thread`].
//!
//! `comments` is flat, in document order, each naming its `parent` by id (an earlier comment,
//! else an error naming the comment); nested `"replies": [...]` at any depth are accepted too.
//! Bodies are the Markdown-like encoding of [`crate::format::markup`]; a comment's `marks`
//! are marker names (`dead`, `edited`, ...), the thread's `community` where it was posted. Unknown fields are
//! ignored; a field of the wrong type is an error naming the field and the comment. The tree
//! is walked with an explicit stack, taking nodes apart as it goes. No IO.

use std::collections::HashMap;

use crate::format::FormatError;
use crate::format::jsontree::{self, Fields, Node};
use crate::format::markup;
use crate::model::{CommentDraft, Marks, Thread, ThreadBuilder, Timestamp};

/// The `format` value this version writes and reads.
pub const FORMAT: &str = "threadr/1";

/// Parses `threadr/1` JSON.
///
/// # Errors
/// When the text is not JSON, not `threadr/1`, or a field has the wrong type.
pub fn parse(text: &str, source: &str) -> Result<Thread, FormatError> {
    let mut warnings = Vec::new();
    let root = jsontree::parse(text, source, &mut warnings)?;
    from_node(root, source, warnings)
}

/// One array being walked: its remaining items, the parent of those items, where it is.
struct Frame {
    items: std::vec::IntoIter<Node>,
    parent: Option<usize>,
    /// Index of the next item.
    next: usize,
}

/// `comments[3].replies[0]...` for the item just taken from the innermost frame; long paths
/// keep their ends.
fn path(frames: &[Frame]) -> String {
    let parts: Vec<String> = frames
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let name = if i == 0 { "comments" } else { "replies" };
            format!("{name}[{}]", f.next.saturating_sub(1))
        })
        .collect();
    if parts.len() <= 12 {
        return parts.join(".");
    }
    format!(
        "{}.….{} ({} levels deep)",
        parts[..4].join("."),
        parts[parts.len() - 4..].join("."),
        parts.len()
    )
}

fn timestamp(f: &Fields<'_>, node: &Node, key: &str) -> Result<Option<Timestamp>, FormatError> {
    match node.get(key) {
        None | Some(Node::Null) => Ok(None),
        Some(Node::Str(s)) => Ok(Some(Timestamp::parse(s))),
        Some(Node::Int(i)) => Ok(Some(Timestamp::Unix(*i))),
        Some(other) => Err(f.error(
            key,
            format!(
                "expected an RFC 3339 date string or null, found {}",
                other.describe()
            ),
        )),
    }
}

/// `"marks": ["dead", "edited", ...]`: names this version does not know are skipped (a
/// newer threadr may write more); anything but an array of strings is an error.
fn marks(f: &Fields<'_>) -> Result<Marks, FormatError> {
    let mut out = Marks::empty();
    for (i, item) in f.opt_array("marks")?.unwrap_or_default().iter().enumerate() {
        match item {
            Node::Str(name) => out |= Marks::from_marker_name(name).unwrap_or_default(),
            other => {
                return Err(f.error(
                    &format!("marks[{i}]"),
                    format!("expected a marker name string, found {}", other.describe()),
                ));
            }
        }
    }
    Ok(out)
}

fn count(f: &Fields<'_>, key: &str) -> Result<u32, FormatError> {
    match f.opt_int(key)? {
        None => Ok(0),
        Some(n) if n >= 0 => Ok(u32::try_from(n).unwrap_or(u32::MAX)),
        Some(n) => Err(f.error(key, format!("expected a count of 0 or more, found {n}"))),
    }
}

/// Builds a thread from a parsed `threadr/1` document.
///
/// # Errors
/// As [`parse`].
pub fn from_node(
    mut root: Node,
    source: &str,
    warnings: Vec<String>,
) -> Result<Thread, FormatError> {
    let top = String::new;
    let fields = Fields::new(&root, source, &top);
    root.expect_object(
        source,
        "a threadr/1 object {\"format\": \"threadr/1\", ...}",
    )?;
    match fields.opt_str("format")? {
        Some(FORMAT) => {}
        Some(other) => {
            return Err(fields.error(
                "format",
                format!("this threadr reads \"{FORMAT}\", the file says \"{other}\""),
            ));
        }
        None => return Err(fields.error("format", format!("missing: expected \"{FORMAT}\""))),
    }
    let mut b = ThreadBuilder::new();
    b.warnings = warnings;
    b.title = fields.opt_str("title")?.map(str::to_string);
    b.url = fields.opt_str("url")?.map(str::to_string);
    b.author = fields.opt_str("author")?.map(str::to_string);
    b.created = timestamp(&fields, &root, "created")?;
    b.score = fields.opt_int("score")?;
    b.community = fields.opt_str("community")?.map(str::to_string);
    b.body = markup::decode(fields.opt_str("body")?.unwrap_or(""));
    b.source_key = fields.opt_str("key")?.map(str::to_string);
    b.more = count(&fields, "more")?;
    fields.opt_array("comments")?;
    let comments = root
        .take("comments")
        .and_then(|mut c| c.take_items())
        .unwrap_or_default();

    let mut by_id: HashMap<String, usize> = HashMap::with_capacity(comments.len());
    let mut frames = vec![Frame {
        items: comments.into_iter(),
        parent: None,
        next: 0,
    }];
    while let Some(frame) = frames.last_mut() {
        let Some(mut node) = frame.items.next() else {
            frames.pop();
            continue;
        };
        frame.next += 1;
        let nested_parent = frame.parent;
        let top_level = frames.len() == 1;
        let loc = || path(&frames);
        if node.as_object().is_none() {
            return Err(FormatError::new(
                source,
                Some(loc()),
                format!("expected a comment object, found {}", node.describe()),
            ));
        }
        let f = Fields::new(&node, source, &loc);
        let id = f.opt_id("id")?;
        let parent = if top_level {
            match f.opt_id("parent")? {
                None => None,
                Some(p) => match by_id.get(&p) {
                    Some(h) => Some(*h),
                    None => {
                        return Err(f.error(
                            "parent",
                            format!(
                                "\"{p}\" is not the id of an earlier comment (parents come \
                                 before their replies)"
                            ),
                        ));
                    }
                },
            }
        } else {
            nested_parent
        };
        let draft = CommentDraft {
            source_id: id.clone(),
            author: f.opt_str("author")?.map(str::to_string),
            created: timestamp(&f, &node, "created")?,
            score: f.opt_int("score")?,
            body: markup::decode(f.opt_str("body")?.unwrap_or("")),
            deleted: f.bool("deleted")?,
            more: count(&f, "more")?,
            url: f.opt_str("url")?.map(str::to_string),
        };
        f.opt_array("replies")?;
        let marks = marks(&f)?;
        let handle = b.push(parent, draft);
        b.mark(handle, marks);
        if let Some(id) = id {
            by_id.entry(id).or_insert(handle);
        }
        if let Some(replies) = node.take("replies").and_then(|mut r| r.take_items())
            && !replies.is_empty()
        {
            frames.push(Frame {
                items: replies.into_iter(),
                parent: Some(handle),
                next: 0,
            });
        }
    }
    Ok(b.finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fmt::Write as _;

    fn load(text: &str) -> Result<Thread, FormatError> {
        parse(text, "t.json")
    }

    #[test]
    fn flat_comments_with_parents() {
        let t = load(
            r#"{"format":"threadr/1","title":"T","body":"Para one\n\nPara two","extra":1,
            "comments":[{"id":"a","parent":null,"author":"ann","body":"hi","score":3,
              "created":"2017-08-11T14:03:00Z"},
              {"id":"b","parent":"a","author":null,"body":"re","deleted":true,"more":4},
              {"id":"c","body":"top"}]}"#,
        )
        .unwrap();
        assert_eq!(t.title.as_deref(), Some("T"));
        assert_eq!(t.body.blocks.len(), 2);
        assert_eq!(t.len(), 3);
        assert_eq!(t.comments[1].parent, Some(crate::model::CommentIdx(0)));
        assert!(t.comments[1].deleted);
        assert_eq!(t.comments[1].more, 4);
        assert_eq!(t.comments[0].created, Some(Timestamp::Unix(1_502_460_180)));
        assert_eq!(t.roots.len(), 2);
    }

    #[test]
    fn parent_must_be_earlier() {
        let e = load(r#"{"format":"threadr/1","comments":[{"id":"a","parent":"b"},{"id":"b"}]}"#)
            .unwrap_err();
        assert_eq!(e.location.as_deref(), Some("comments[0].parent"));
        assert!(
            e.message
                .contains("\"b\" is not the id of an earlier comment")
        );
    }

    #[test]
    fn wrong_types_name_field_and_comment() {
        let e = load(r#"{"format":"threadr/1","comments":[{},{},{},{"author":12}]}"#).unwrap_err();
        assert_eq!(
            e.to_string(),
            "t.json: comments[3].author: expected a string or null, found 12"
        );
        let e =
            load(r#"{"format":"threadr/1","comments":[{"replies":[{"score":"x"}]}]}"#).unwrap_err();
        assert_eq!(e.location.as_deref(), Some("comments[0].replies[0].score"));
        let e = load(r#"{"format":"threadr/9"}"#).unwrap_err();
        assert!(e.message.contains("threadr/9"), "{e}");
        let e = load(r#"{"format":"threadr/1","comments":[{"more":-1}]}"#).unwrap_err();
        assert_eq!(e.location.as_deref(), Some("comments[0].more"));
    }

    #[test]
    fn nested_replies_any_depth() {
        let depth = 100_000;
        let mut s = String::from(r#"{"format":"threadr/1","comments":["#);
        for i in 0..depth {
            let _ = write!(s, r#"{{"id":"c{i}","body":"level {i}","replies":["#);
        }
        for _ in 0..depth {
            s.push_str("]}");
        }
        s.push_str(r#",{"id":"last"}]}"#);
        let t = load(&s).unwrap();
        assert_eq!(t.len(), depth + 1);
        assert_eq!(t.comments[depth - 1].depth as usize, depth - 1);
        assert_eq!(t.roots.len(), 2);
    }
}
