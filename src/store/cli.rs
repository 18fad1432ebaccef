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
pub fn run_bookmarks(reader: Option<&str>, json: bool) -> anyhow::Result<()> {
    let reader = resolve_reader(reader)?;
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
        // One paragraph, lines joined by CommonMark hard breaks (a trailing backslash).
        let mut meta = Vec::new();
        if !t.source.is_empty() {
            meta.push(format!("Source: {}", line(&t.source)));
        }
        if let Some(url) = t.url.as_deref().filter(|u| *u != t.source) {
            meta.push(format!("URL: {}", line(url)));
        }
        meta.push(format!("Key: {}", line(&t.key)));
        let _ = writeln!(out, "{}\n", meta.join("\\\n"));
        for b in &t.bookmarks {
            let author = line(b.author.as_deref().unwrap_or("(unknown)"));
            let place = match &b.comment {
                Some(id) => format!("comment {}", line(&id.0)),
                None => "the article".to_string(),
            };
            let _ = writeln!(out, "- **{author}**, {place}, {}", line(&b.created));
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
