//! The typed fast path for the JSON readers: Reddit, Hacker News (Algolia and HNPWA),
//! Lobsters and threadr/1 deserialized with serde derive straight into structs that borrow
//! their strings from the input, then into the thread, with no intermediate JSON tree.
//!
//! Owns deciding whether the fast path can read a text exactly as the general path
//! ([`crate::format::jsontree`] and the readers beside this folder) would, and reading it
//! then. [`read`] returns `None` whenever it cannot be sure, and the caller falls back to
//! the general path, which also gives every error message:
//! - JSON nested past `serde_json`'s recursion limit (128; a derived Reddit comment takes
//!   five levels of it): the attempt stops at the 128th level, so deep input costs what its
//!   first levels cost;
//! - a lone UTF-16 surrogate escape, which `serde_json` rejects and the general parser
//!   shows as U+FFFD with a warning (a fast scan finds possible ones before any parse);
//! - a text that does not end with the bracket that closes its first one (cut off; checked
//!   before any parse), invalid JSON, duplicate keys (the tree reads the first), a value the tree would read
//!   differently (`-0`), any shape other than the four, or any case the shape's reader
//!   reports as an error.
//!
//! Must not: read differently from the general path (`tests/it/typed_json.rs` and this
//! folder's property tests run both), recurse over depth outside `serde_json`'s limit, or
//! do IO.

mod assemble;
mod field;
mod hn;
mod lobsters;
mod native;
pub mod prefix;
mod reddit;
#[cfg(test)]
mod tests;

use serde::Deserialize;

use self::field::{Arr, Field, Obj, Raw};
use crate::format::InputFormat;
use crate::model::Thread;

/// Every field of a top-level object that one of the four shapes, or telling them apart,
/// reads. The comment lists stay unparsed until the shape is known.
#[derive(Deserialize, Default, Debug)]
#[serde(default)]
pub(crate) struct ObjectRoot<'a> {
    #[serde(borrow)]
    format: Field<'a>,
    #[serde(borrow)]
    kind: Field<'a>,
    #[serde(borrow)]
    post_stream: Field<'a>,
    #[serde(borrow)]
    post_view: Field<'a>,
    #[serde(borrow)]
    status: Field<'a>,
    #[serde(borrow)]
    thread: Field<'a>,
    #[serde(borrow)]
    pub(crate) short_id: Field<'a>,
    #[serde(borrow)]
    submitter_user: Obj<'a, lobsters::UserObj<'a>>,
    #[serde(borrow)]
    children: Raw<'a>,
    #[serde(borrow)]
    comments: Raw<'a>,
    #[serde(borrow)]
    created_at_i: Field<'a>,
    #[serde(borrow)]
    story_id: Field<'a>,
    #[serde(borrow)]
    level: Field<'a>,
    #[serde(borrow)]
    user: Field<'a>,
    #[serde(borrow)]
    time_ago: Field<'a>,
    #[serde(borrow)]
    timeago: Field<'a>,
    #[serde(borrow)]
    comments_count: Field<'a>,
    #[serde(borrow)]
    commentscount: Field<'a>,
    #[serde(borrow)]
    content: Field<'a>,
    #[serde(borrow)]
    title: Field<'a>,
    #[serde(borrow)]
    url: Field<'a>,
    #[serde(borrow)]
    author: Field<'a>,
    #[serde(borrow)]
    created: Field<'a>,
    #[serde(borrow)]
    score: Field<'a>,
    #[serde(borrow)]
    community: Field<'a>,
    #[serde(borrow)]
    body: Field<'a>,
    #[serde(borrow)]
    key: Field<'a>,
    #[serde(borrow)]
    more: Field<'a>,
    #[serde(borrow)]
    id: Field<'a>,
    #[serde(borrow)]
    points: Field<'a>,
    #[serde(borrow)]
    time: Field<'a>,
    #[serde(borrow)]
    created_at: Field<'a>,
    #[serde(borrow)]
    text: Field<'a>,
    #[serde(borrow)]
    description: Field<'a>,
    #[serde(borrow)]
    short_id_url: Field<'a>,
    #[serde(borrow)]
    comments_url: Field<'a>,
}

/// What the first item of a comment list says about the shape.
#[derive(Deserialize, Default, Debug)]
#[serde(default)]
struct FirstProbe<'a> {
    #[serde(borrow)]
    short_id: Field<'a>,
    #[serde(borrow)]
    comment: Field<'a>,
}

/// The first item of the JSON array `raw`, parsed alone (the rest is not read): `Ok(None)`
/// for an empty array, `Err` when the first item does not parse (a duplicate key, a number
/// serde reads differently), which the general path may still read as a shape.
fn first_item(raw: &str) -> Result<Option<Obj<'_, FirstProbe<'_>>>, ()> {
    use serde::de::{Deserializer as _, SeqAccess, Visitor};
    struct First<'s, 'a>(&'s mut Option<Obj<'a, FirstProbe<'a>>>);
    impl<'de: 'a, 'a> Visitor<'de> for First<'_, 'a> {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("an array")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            *self.0 = seq.next_element()?;
            Ok(())
        }
    }
    let mut out = None;
    // Stopping after one item makes the deserializer report trailing items: ignored, the
    // item is already out.
    let read = serde_json::Deserializer::from_str(raw).deserialize_seq(First(&mut out));
    match (read, out) {
        (_, Some(first)) => Ok(Some(first)),
        (Ok(()), None) => Ok(None),
        (Err(_), None) => Err(()),
    }
}

/// Which of the four shapes an object is, as `json::detect_node` decides it; `None` for
/// the other shapes (or when unsure), which the general path reads.
fn detect(root: &ObjectRoot<'_>) -> Option<InputFormat> {
    if root
        .format
        .as_str()
        .is_some_and(|f| f.starts_with("threadr/"))
    {
        return Some(InputFormat::Threadr);
    }
    // A lone Reddit Listing, Discourse, Lemmy, Mastodon, Bluesky: the general path.
    if root.kind.as_str() == Some("Listing")
        || [
            &root.post_stream,
            &root.post_view,
            &root.status,
            &root.thread,
        ]
        .iter()
        .any(|f| f.is_present())
    {
        return None;
    }
    let first = match root.comments.0.filter(|_| root.comments.is_array()) {
        Some(list) => first_item(list.get()).ok()?,
        None => None,
    };
    let first = first.as_ref().and_then(Obj::get);
    // A Lemmy comment list (`comment` is an object there).
    if first.is_some_and(|c| c.comment == Field::Object) {
        return None;
    }
    if root.short_id.is_present()
        || !matches!(root.submitter_user, Obj::Missing)
        || first.is_some_and(|c| c.short_id.is_present())
    {
        return Some(InputFormat::Lobsters);
    }
    if root.children.is_array() || root.created_at_i.is_present() || root.story_id.is_present() {
        return Some(InputFormat::Hn);
    }
    // The keys that make an object with `comments` an HNPWA item.
    let hnpwa = [
        &root.level,
        &root.user,
        &root.time_ago,
        &root.timeago,
        &root.comments_count,
        &root.commentscount,
        &root.content,
    ];
    (root.comments.is_array() && hnpwa.iter().any(|f| f.is_present())).then_some(InputFormat::Hnpwa)
}

/// True when `text` may hold a lone UTF-16 surrogate escape (`"\ud83d"` alone), which the
/// general parser turns into U+FFFD with a warning and `serde_json` rejects (or, in a field
/// it skips, does not look at). Pairs are fine; anything unclear counts as lone. Escapes are
/// walked from backslash to backslash, so the `\u` of an escaped backslash followed by `u`
/// (`"\\ud800"`, the text `\ud800`) is not taken for one, nor hides the escape after it.
fn may_have_lone_surrogate(text: &str) -> bool {
    let b = text.as_bytes();
    let hex = |at: usize| -> Option<u16> {
        let digits = b.get(at..at + 4)?;
        u16::from_str_radix(std::str::from_utf8(digits).ok()?, 16).ok()
    };
    let mut from = 0;
    while let Some(off) = memchr::memchr(b'\\', &b[from..]) {
        let at = from + off;
        match b.get(at + 1) {
            Some(b'u') => match hex(at + 2) {
                Some(0xD800..=0xDBFF) => {
                    let low = (b.get(at + 6..at + 8) == Some(b"\\u"))
                        .then(|| hex(at + 8))
                        .flatten();
                    if !low.is_some_and(|u| (0xDC00..=0xDFFF).contains(&u)) {
                        return true;
                    }
                    from = at + 12;
                }
                Some(0xDC00..=0xDFFF) => return true,
                // Another escape (or a `\u` without four hex digits, which the parser refuses).
                _ => from = at + 2,
            },
            // `\\`, `\"`, `\n`...: the escaped byte is not the start of an escape.
            Some(_) => from = at + 2,
            None => break,
        }
    }
    false
}

/// A comment list's JSON text; `null` when the key is absent.
fn list(raw: Raw<'_>) -> &str {
    raw.0.map_or("null", serde_json::value::RawValue::get)
}

/// The text's first non-blank byte.
fn first_byte(text: &str) -> Option<u8> {
    text.bytes().find(|b| !b.is_ascii_whitespace())
}

/// Reads `text` as `forced` or as the shape its keys say, exactly as the general path
/// would; `None` when it is not sure it can (see the module header), for the caller to
/// fall back. Public so tests and benchmarks can compare the two paths.
#[must_use]
pub fn read(text: &str, forced: Option<InputFormat>) -> Option<Thread> {
    // A document cut off (a download that stopped) fails to parse only at its end: seen
    // here, it costs the general path's time alone instead of a typed attempt as well.
    let last = text.bytes().rev().find(|b| !b.is_ascii_whitespace());
    let first = first_byte(text)?;
    if last != Some(if first == b'[' { b']' } else { b'}' }) || may_have_lone_surrogate(text) {
        return None;
    }
    match first {
        b'[' => {
            if !matches!(forced, None | Some(InputFormat::Reddit)) {
                return None;
            }
            let listings: Vec<Obj<'_, reddit::Thing<'_>>> = serde_json::from_str(text).ok()?;
            reddit::build(listings)
        }
        b'{' => {
            let root: ObjectRoot<'_> = serde_json::from_str(text).ok()?;
            let format = match forced {
                Some(f) => f,
                None => detect(&root)?,
            };
            match format {
                InputFormat::Threadr => {
                    let comments = serde_json::from_str(list(root.comments)).ok()?;
                    native::build(&root, comments)
                }
                InputFormat::Lobsters => {
                    let mut comments: Arr<'_, Obj<'_, lobsters::Comment<'_>>> =
                        serde_json::from_str(list(root.comments)).ok()?;
                    let comments = comments.take_items().unwrap_or_default();
                    // Forced on a Lemmy list, it still reads as Lobsters; detected, it
                    // was ruled out above.
                    lobsters::build(&root, comments)
                }
                InputFormat::Hn | InputFormat::Hnpwa => {
                    let algolia = format == InputFormat::Hn;
                    let raw = if algolia {
                        root.children
                    } else {
                        root.comments
                    };
                    let mut top: Arr<'_, Obj<'_, hn::Item<'_>>> =
                        serde_json::from_str(list(raw)).ok()?;
                    let top = if raw.is_present() {
                        Some(top.take_items().unwrap_or_default())
                    } else {
                        None
                    };
                    hn::build(&root, top, algolia)
                }
                _ => None,
            }
        }
        _ => None,
    }
}
