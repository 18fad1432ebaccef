//! threadr/1 JSON output: what `threadr dump --format json` writes.
//!
//! Flat `comments` in document order (parents before replies), pretty-printed with stable key
//! order, so dumping a dump gives the same bytes. Lossless: every body is written with the
//! exact encoding of [`crate::format::markup`] (paragraphs, quotes, code, lists, styles and
//! links), which [`crate::format::native`] reads back into the same model. Besides the fields
//! of issue 2 it writes `more` and `key` for the thread and `url` for each comment, so those
//! survive a round trip too. Text is written as JSON escapes only; nothing is sanitised here
//! (the file is data, not terminal output).

use std::io::Write;

use serde::Serialize;

use crate::format::markup;
use crate::format::native::FORMAT;
use crate::model::{Thread, Timestamp};

#[derive(Serialize)]
struct OutThread<'a> {
    format: &'static str,
    title: Option<&'a str>,
    url: Option<&'a str>,
    author: Option<&'a str>,
    created: Option<String>,
    score: Option<i64>,
    more: u32,
    key: &'a str,
    body: String,
    comments: Vec<OutComment<'a>>,
}

#[derive(Serialize)]
struct OutComment<'a> {
    id: &'a str,
    parent: Option<&'a str>,
    author: Option<&'a str>,
    created: Option<String>,
    score: Option<i64>,
    body: String,
    deleted: bool,
    more: u32,
    url: Option<&'a str>,
}

/// Writes `thread` as threadr/1 JSON.
///
/// # Errors
/// When writing fails.
pub fn write(thread: &Thread, out: &mut dyn Write) -> std::io::Result<()> {
    let doc = OutThread {
        format: FORMAT,
        title: thread.title.as_deref(),
        url: thread.url.as_deref(),
        author: thread.author.as_deref(),
        created: thread.created.as_ref().map(Timestamp::to_rfc3339),
        score: thread.score,
        more: thread.more,
        key: &thread.key,
        body: markup::encode(&thread.body),
        comments: thread
            .comments
            .iter()
            .map(|c| OutComment {
                id: &c.id.0,
                parent: c.parent.map(|p| thread.comment(p).id.0.as_str()),
                author: c.author.as_deref(),
                created: c.created.as_ref().map(Timestamp::to_rfc3339),
                score: c.score,
                body: markup::encode(&c.body),
                deleted: c.deleted,
                more: c.more,
                url: c.url.as_deref(),
            })
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &doc).map_err(std::io::Error::other)?;
    writeln!(out)
}
