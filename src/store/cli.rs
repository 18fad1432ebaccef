//! `threadr bookmarks`: print a reader's bookmarks as Markdown or JSON, changing nothing.

use std::io::Write;

use super::json::to_safe_pretty;
use super::{Bookmarks, FORMAT_VERSION, Reader, Store, ThreadBookmarks, resolve_reader};
use crate::text::sanitize_line;

#[derive(serde::Serialize)]
struct Export<'a> {
    version: u32,
    reader: &'a str,
    threads: &'a [ThreadBookmarks],
}

/// Runs `threadr bookmarks [--reader NAME] [--json]`: warnings go to stderr, the bookmarks
/// to stdout. Creates no files; a corrupt bookmarks file is an error (the reader moves it
/// aside when opened).
pub fn run_bookmarks(
    reader: Option<&str>,
    env: &crate::config::Env,
    json: bool,
) -> anyhow::Result<()> {
    let reader = resolve_reader(reader, env)?;
    let threads = match Store::existing(reader.clone())? {
        Some(store) => {
            let loaded = Bookmarks::peek(&store)?;
            for w in &loaded.warnings {
                eprintln!("threadr: warning: {}", sanitize_line(w));
            }
            loaded.value.threads().into_iter().cloned().collect()
        }
        None => Vec::new(),
    };
    let text = if json {
        to_safe_pretty(&Export {
            version: FORMAT_VERSION,
            reader: reader.as_str(),
            threads: &threads,
        })
    } else {
        render_markdown(&reader, &threads)
    };
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(anyhow::Error::new(e).context("cannot write to standard output"))
        }
        _ => Ok(()),
    }
}

/// The Markdown export: a heading per thread (title; source, URL and key), then one list item per
/// bookmark (author, where, when, snippet, note). Every text from a thread or a note is
/// sanitised to one visible line.
#[must_use]
pub fn render_markdown(reader: &Reader, threads: &[ThreadBookmarks]) -> String {
    use std::fmt::Write as _;
    let line = |s: &str| sanitize_line(s).into_owned();
    let mut out = format!("# Bookmarks of {}\n", reader.as_str());
    if threads.is_empty() {
        out.push_str("\nNo bookmarks yet.\n");
        return out;
    }
    // Writing to a String cannot fail.
    for t in threads {
        let title = t.title.as_deref().filter(|s| !s.trim().is_empty());
        let _ = write!(
            out,
            "\n## {}\n\n",
            line(title.unwrap_or("(untitled thread)"))
        );
        // One line: a trailing-backslash hard break read like a typo in plain text.
        let mut meta = Vec::new();
        if !t.source.is_empty() {
            meta.push(format!("Source: {}", line(&t.source)));
        }
        if let Some(url) = t.url.as_deref().filter(|u| *u != t.source) {
            meta.push(format!("URL: {}", line(url)));
        }
        meta.push(format!("Key: {}", line(&t.key)));
        let _ = writeln!(out, "{}\n", meta.join(" · "));
        for b in &t.bookmarks {
            // The reader's own labels: the position (`comment 3.1.2`), the source's id only
            // when it means something (not a fingerprint), no author when there is none.
            let place = match (&b.comment, b.position.as_deref()) {
                (None, _) => "the article".to_string(),
                (Some(id), Some(pos)) if is_fingerprint(&id.0) => format!("comment {}", line(pos)),
                (Some(id), Some(pos)) => format!("comment {} (id {})", line(pos), line(&id.0)),
                (Some(id), None) if is_fingerprint(&id.0) => "a comment".to_string(),
                (Some(id), None) => format!("comment {}", line(&id.0)),
            };
            match b.author.as_deref() {
                Some(a) => {
                    let _ = writeln!(out, "- **{}**, {place}, {}", line(a), line(&b.created));
                }
                None => {
                    let _ = writeln!(out, "- {}, {}", capitalised(&place), line(&b.created));
                }
            }
            if !b.snippet.is_empty() {
                let _ = writeln!(out, "  - Snippet: {}", line(&b.snippet));
            }
            if !b.note.is_empty() {
                let _ = writeln!(out, "  - Note: {}", line(&b.note));
            }
        }
    }
    out
}

/// Whether an id is one threadr made (16 hex digits, maybe `~N`), not the source's own.
fn is_fingerprint(id: &str) -> bool {
    let base = id.split_once('~').map_or(id, |(b, _)| b);
    base.len() == 16 && base.bytes().all(|b| b.is_ascii_hexdigit())
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}
