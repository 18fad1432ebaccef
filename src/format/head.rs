//! The first screen of a large file: a thread read from the file's first bytes only, shown
//! while the whole file is read on a job (see `crate::app::stream`).
//!
//! Owns deciding whether a file's start can stand for it (plain text and the Reddit,
//! Hacker News, Lobsters and threadr/1 JSON readers; not compressed, binary or other
//! shapes) and reading that start: plain text up to the last top-level comment that begins
//! in it, JSON with what is open at the cut closed there. The whole file's thread replaces
//! this one when it is read, so a head only has to be a faithful start, never the answer.
//! JSON heads are read on the typed fast path when it can (`crate::format::typed::prefix`
//! closes the cut text for it), else on the general one. No IO: the caller reads the bytes.

use super::{InputFormat, Shape, gzip, json, jsonparse, looks_binary, plain, shape, typed};
use crate::model::Thread;

/// How much of a large file the first screen is read from: a few hundred comments, many
/// screens' worth. 1 MiB took twice as long to the first screen on a 100,000-comment file
/// (24 ms against 12 ms, `cargo bench --bench versus`, same run), most of it in parsing
/// the extra comments nobody sees before the whole file has been read.
pub const HEAD_BYTES: usize = 256 << 10;

/// Files at least this large open on their first bytes while the rest is read.
pub const STREAM_FROM: u64 = 4 << 20;

/// The thread the first bytes of a longer file hold, or `None` when that file must be read
/// whole before anything shows (another shape, compressed, binary, not UTF-8 at the start,
/// a syntax error before the cut, or no whole comment in `bytes`).
#[must_use]
pub fn read(bytes: &[u8], source: &str, forced: Option<InputFormat>) -> Option<Thread> {
    if gzip::is_gzip(bytes) || looks_binary(bytes) {
        return None;
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        // A character cut by the end of the head is fine; bad bytes inside are for the
        // whole-file reader to warn about.
        Err(e) if e.error_len().is_none() => std::str::from_utf8(&bytes[..e.valid_up_to()]).ok()?,
        Err(_) => return None,
    };
    let format = match forced {
        Some(f) => Some(f),
        None => match shape(text) {
            Shape::Json => None,
            Shape::Text(f) => Some(f),
        },
    };
    match format {
        Some(InputFormat::Text) => {
            let thread = plain::parse(plain::head(text)?, source).ok()?;
            (!thread.is_empty()).then_some(thread)
        }
        Some(
            f @ (InputFormat::Reddit
            | InputFormat::Hn
            | InputFormat::Hnpwa
            | InputFormat::Lobsters
            | InputFormat::Threadr),
        ) => json_head(text, source, Some(f)),
        None => json_head(text, source, None),
        Some(_) => None,
    }
}

/// The JSON readers on a document cut short and closed where it stops: the typed fast
/// path when it can read it, else the general one.
fn json_head(text: &str, source: &str, forced: Option<InputFormat>) -> Option<Thread> {
    match json_head_typed(text, forced) {
        Some(thread) => (!thread.is_empty()).then_some(thread),
        None => json_head_general(text, source, forced),
    }
}

/// [`json_head`] on the typed path only (`None`: it declined); for the tests comparing the
/// paths.
pub fn json_head_typed(text: &str, forced: Option<InputFormat>) -> Option<Thread> {
    typed::read(&typed::prefix::close(text)?, forced)
}

/// [`json_head`] on the general path only.
pub fn json_head_general(text: &str, source: &str, forced: Option<InputFormat>) -> Option<Thread> {
    let parsed = jsonparse::parse_prefix(text)?;
    let format = forced.or_else(|| json::detect_node(&parsed.node))?;
    if !matches!(
        format,
        InputFormat::Reddit
            | InputFormat::Hn
            | InputFormat::Hnpwa
            | InputFormat::Lobsters
            | InputFormat::Threadr
    ) {
        return None;
    }
    let thread = json::from_root(parsed.node, source, Some(format), Vec::new()).ok()?;
    (!thread.is_empty()).then_some(thread)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Comment;

    /// What must agree between a head and the whole file: the comment and where it sits.
    fn same(a: &Comment, b: &Comment) -> bool {
        a.id == b.id
            && a.parent == b.parent
            && a.depth == b.depth
            && a.author == b.author
            && a.body.plain_text() == b.body.plain_text()
    }

    /// Every comment of the head but the last (which the cut may shorten, in JSON) is the
    /// whole file's comment at the same place; the article and key are the same.
    fn agrees(head: &Thread, whole: &Thread, last_may_differ: bool) {
        assert_eq!(head.key, whole.key);
        assert_eq!(head.title, whole.title);
        assert_eq!(head.body.plain_text(), whole.body.plain_text());
        assert!(head.len() <= whole.len());
        let n = head.len() - usize::from(last_may_differ);
        for (i, (a, b)) in head
            .comments
            .iter()
            .zip(&whole.comments)
            .take(n)
            .enumerate()
        {
            assert!(same(a, b), "comment {i} differs: {:?} vs {:?}", a.id, b.id);
        }
    }

    #[test]
    fn plain_head_is_the_start_of_the_whole_thread() {
        for seed in 0..6 {
            let text = crate::synth::plain_thread(3_000, seed);
            let whole = crate::format::load(text.as_bytes(), "t", None).unwrap();
            // Big enough for two top-level comments (one in six starts a subthread).
            for cut in [60_000, 150_000, 333_333] {
                let head = read(&text.as_bytes()[..cut], "t", None)
                    .unwrap_or_else(|| panic!("a head at {cut}, seed {seed}"));
                assert!(head.len() > 5 && head.len() < whole.len(), "{}", head.len());
                // Plain text is cut at a comment boundary: even the last one is whole.
                agrees(&head, &whole, false);
            }
        }
    }

    #[test]
    fn reddit_head_is_the_start_of_the_whole_thread() {
        for seed in 0..4 {
            let json = crate::synth::reddit_thread(2_000, seed);
            let whole = crate::format::load(json.as_bytes(), "t", None).unwrap();
            for cut in [30_000, 99_999, 400_001] {
                let head = read(&json.as_bytes()[..cut], "t", None).expect("a head");
                assert!(head.len() > 5 && head.len() < whole.len(), "{}", head.len());
                agrees(&head, &whole, true);
            }
        }
    }

    #[test]
    fn a_cut_inside_a_character_still_reads() {
        let text = crate::synth::plain_thread(500, 3);
        // Find a multi-byte character and cut through it.
        let at = text
            .char_indices()
            .find(|(i, c)| *i > 50_000 && c.len_utf8() > 1)
            .unwrap()
            .0;
        assert!(read(&text.as_bytes()[..=at], "t", None).is_some());
    }

    #[test]
    fn other_shapes_and_broken_starts_are_read_whole() {
        // No second top-level comment: the first one may go on past the cut.
        assert!(read(b"Title\n\nSome article.\n\n  1. one comment", "t", None).is_none());
        // A syntax error well before the cut.
        let bad = format!("[{{\"kind\": \"Listing\" x {}", " ".repeat(100));
        assert!(read(bad.as_bytes(), "t", None).is_none());
        // Compressed, binary, HTML, mail.
        assert!(read(&[0x1f, 0x8b, 8, 0, 0, 0], "t", None).is_none());
        assert!(read(&[0u8; 64], "t", None).is_none());
        assert!(read(b"<!DOCTYPE html><html><body><p>x</p>", "t", None).is_none());
        assert!(
            read(
                b"From a@b Mon Jan 1 00:00:00 2024\nSubject: x\n\nbody\n",
                "t",
                None
            )
            .is_none()
        );
        // Bad UTF-8 inside the head.
        let mut bytes = crate::synth::plain_thread(200, 1).into_bytes();
        bytes[5_000] = 0xff;
        assert!(read(&bytes, "t", None).is_none());
    }

    #[test]
    fn a_prefix_closes_what_is_open() {
        let p = jsonparse::parse_prefix(r#"{"a": [1, 2, {"b": "cut he"#).unwrap();
        let a = p.node.get("a").and_then(|a| a.as_array()).unwrap();
        assert_eq!(a.len(), 3);
        assert!(a[2].get("b").is_none());
        // A whole document reads as itself.
        let p = jsonparse::parse_prefix(r#"{"a": 1}"#).unwrap();
        assert!(p.node.get("a").is_some());
        // An error far from the end is an error.
        let text = format!("{{\"a\": tru, {}", "\"x\": 1, ".repeat(20));
        assert!(jsonparse::parse_prefix(&text).is_none());
    }
}
