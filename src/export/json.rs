//! threadr/1 JSON output: what `threadr dump --format json` writes.
//!
//! Flat `comments` in document order (parents before replies), pretty-printed with stable key
//! order, so dumping a dump gives the same bytes. Lossless: every body is written with the
//! exact encoding of [`crate::format::markup`] (paragraphs, quotes, code, lists, styles and
//! links), which [`crate::format::native`] reads back into the same model. Besides the fields
//! of issue 2 it writes `more` and `key` for the thread and `url` for each comment, so those
//! survive a round trip too, and, only when present, the thread's `community` and each
//! comment's `marks` (so files without them keep their old bytes). Text is written as JSON escapes only; nothing is sanitised here
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
    #[serde(skip_serializing_if = "Option::is_none")]
    community: Option<&'a str>,
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
    #[serde(skip_serializing_if = "Vec::is_empty")]
    marks: Vec<&'static str>,
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
        community: thread.community.as_deref(),
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
                marks: c.marks.names(),
            })
            .collect(),
    };
    let mut safe = EscapeUnsafe(&mut *out, crate::text::JsonEscaper::new());
    // `From` keeps the io error's kind (a closed pipe stays `BrokenPipe` for the caller).
    serde_json::to_writer_pretty(&mut safe, &doc).map_err(std::io::Error::from)?;
    writeln!(out)
}

/// Writes JSON through [`crate::text::JsonEscaper`]: the characters that could affect a
/// terminal (DEL, C1, bidi, invisible, combining runs past the screen's cap) become `\u`
/// escapes, so `threadr dump` on a terminal is as safe as the screen. The JSON means the
/// same, so reading it back is unchanged. `serde_json` hands over whole UTF-8 fragments of
/// its output, so each write can be scanned as text.
struct EscapeUnsafe<'a>(&'a mut dyn Write, crate::text::JsonEscaper);

impl Write for EscapeUnsafe<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match std::str::from_utf8(buf).map(|text| self.1.escape(text)) {
            Ok(Some(escaped)) => self.0.write_all(escaped.as_bytes())?,
            _ => self.0.write_all(buf)?,
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}
