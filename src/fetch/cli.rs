//! Fetch, merge, save: the one sequence behind `threadr URL`, `threadr dump URL`, `r` and
//! `threadr refresh`, and the `threadr library` listing. Writes only to stdout/stderr.

use std::fmt::Write as _;
use std::io::Write as _;
use std::sync::atomic::AtomicBool;

use anyhow::{Context, bail};

use super::merge::{MergeStats, merge};
use super::saved::{Library, Meta, site_of};
use super::{Client, Control, FetchError, Progress, Target, fetch, route};
use crate::model::Thread;

/// A thread opened from the network (or, failing that, from its saved copy).
#[derive(Debug)]
pub struct Opened {
    /// The thread: fetched and merged with the saved copy.
    pub thread: Thread,
    /// The comment the URL pointed at, by id.
    pub focus: Option<String>,
    /// A line for the reader (offline fallback, save problems).
    pub note: Option<String>,
    /// What the merge found (`None`: first fetch, or the saved copy shown offline).
    pub stats: Option<MergeStats>,
    /// False when this is the saved copy because the fetch failed.
    pub fresh: bool,
}

/// Fetches `input`, merges it into its saved copy and saves the result.
///
/// # Errors
/// The fetch failed (see [`open`] for the offline fallback).
pub fn fetch_and_save(
    input: &str,
    client: &Client,
    library: Option<&Library>,
    ctl: &mut Control<'_>,
) -> Result<Opened, FetchError> {
    let target = route::parse(input)?;
    let fetched = fetch(&target, client, ctl)?;
    let now = crate::store::now_unix();
    let when = crate::model::Timestamp::Unix(now).to_rfc3339();
    let key = fetched.thread.key.clone();
    let saved = library.and_then(|l| l.load(&key).ok().flatten());
    let (thread, stats, mut aliases, removed, unchanged) = match saved {
        Some(s) => {
            let (mut t, stats) = merge(&s.thread, fetched.thread, &s.meta.removed, &when);
            super::article::carry_over(&s.thread, &mut t);
            let removed = stats.removed.clone();
            // Nothing new, nothing gone, no text edited: the saved file already is this.
            let unchanged = t == s.thread;
            (t, Some(stats), s.meta.aliases, removed, unchanged)
        }
        None => (fetched.thread, None, Vec::new(), Vec::new(), false),
    };
    let refetch = match &target {
        Target::Url(u) | Target::Source(u) => u.clone(),
        _ if key.contains(':') && !key.contains("://") => key.clone(),
        _ => input.to_string(),
    };
    if input != refetch && !aliases.iter().any(|a| a == input) {
        aliases.push(input.to_string());
    }
    let mut note = None;
    if let Some(lib) = library {
        let site = site_of(&key, &fetched.source);
        let meta = Meta {
            version: u64::from(crate::store::FORMAT_VERSION),
            key: key.clone(),
            target: refetch,
            source: fetched.source,
            url: thread.url.clone(),
            title: thread.title.clone(),
            site,
            comments: thread.len(),
            fetched: when,
            fetched_unix: now,
            removed,
            aliases,
        };
        let saved = if unchanged {
            lib.save_meta(&meta)
        } else {
            lib.save(&thread, &meta)
        };
        if let Err(e) = saved {
            note = Some(format!("fetched, but the copy could not be saved: {e}"));
        }
    }
    Ok(Opened {
        thread,
        focus: fetched.focus,
        note,
        stats,
        fresh: true,
    })
}

/// [`fetch_and_save`], falling back to the saved copy (with a note saying why and when it was
/// fetched) when the fetch fails for any reason but a bad URL or a cancel.
///
/// # Errors
/// The fetch failed and there is no saved copy.
pub fn open(
    input: &str,
    client: &Client,
    library: Option<&Library>,
    ctl: &mut Control<'_>,
) -> Result<Opened, FetchError> {
    match fetch_and_save(input, client, library, ctl) {
        Ok(o) => Ok(o),
        Err(e @ (FetchError::BadUrl { .. } | FetchError::Cancelled { .. })) => Err(e),
        Err(e) => match library.and_then(|l| saved_copy(l, input)) {
            Some((thread, meta)) => Ok(Opened {
                thread,
                focus: None,
                note: Some(format!(
                    "showing the copy fetched {}: {e}",
                    meta.fetched.replace('T', " ").replace('Z', " UTC")
                )),
                stats: None,
                fresh: false,
            }),
            None => Err(e),
        },
    }
}

/// The saved copy `input` was (or would be) saved under.
#[must_use]
pub fn saved_copy(library: &Library, input: &str) -> Option<(Thread, Meta)> {
    let key = route::parse(input).ok().map(|t| t.key());
    let meta = key
        .as_deref()
        .and_then(|k| library.find(k))
        .or_else(|| library.find(input))?;
    let saved = library.load(&meta.key).ok()??;
    Some((saved.thread, saved.meta))
}

/// A progress callback that prints nothing (for `dump` and `refresh`).
fn quiet(_: Progress) {}

/// Runs `threadr dump URL`.
///
/// # Errors
/// The fetch failed with no saved copy, or stdout failed.
pub fn run_dump_url(
    input: &str,
    client: &Client,
    format: crate::export::DumpFormat,
) -> anyhow::Result<()> {
    let library = Library::open().ok();
    let cancel = AtomicBool::new(false);
    let mut progress = quiet;
    let mut ctl = Control {
        cancel: &cancel,
        progress: &mut progress,
    };
    let opened = open(input, client, library.as_ref(), &mut ctl)?;
    let mut err = std::io::stderr();
    if let Some(note) = &opened.note {
        let _ = writeln!(err, "threadr: note: {}", crate::text::sanitize_line(note));
    }
    for w in &opened.thread.warnings {
        let _ = writeln!(err, "threadr: warning: {}", crate::text::sanitize_line(w));
    }
    crate::cli::write_dump(&opened.thread, format)
}

/// Runs `threadr library [--json]`.
///
/// # Errors
/// When stdout fails.
pub fn run_library(json: bool) -> anyhow::Result<()> {
    let (metas, warnings) = Library::existing().map(|l| l.list()).unwrap_or_default();
    let mut err = std::io::stderr();
    for w in &warnings {
        let _ = writeln!(err, "threadr: warning: {}", crate::text::sanitize_line(w));
    }
    let mut out = String::new();
    if json {
        out = crate::store::json::to_safe_pretty(&metas);
    } else if metas.is_empty() {
        let _ = writeln!(
            err,
            "threadr: the library is empty: open a thread by its URL (threadr URL) to keep a copy"
        );
    } else {
        for line in library_lines(&metas) {
            out.push_str(&line);
            out.push('\n');
        }
    }
    crate::cli::write_stdout(out.as_bytes())
}

/// One line per saved thread: fetched, site, comments, title, what to refresh it by.
#[must_use]
pub fn library_lines(metas: &[Meta]) -> Vec<String> {
    metas
        .iter()
        .map(|m| {
            let title = m.title.as_deref().unwrap_or("(untitled)");
            format!(
                "{}  {:<12} {:>6} comments  {}  ({})",
                m.fetched.get(..16).unwrap_or(&m.fetched).replace('T', " "),
                crate::text::sanitize_line(&m.site),
                m.comments,
                crate::text::sanitize_line(title),
                crate::text::sanitize_line(&m.target)
            )
        })
        .collect()
}

/// Runs `threadr refresh <URL|KEY|--all>`: one line per thread, non-zero exit if any failed.
///
/// # Errors
/// No thread named, or any refresh failed.
pub fn run_refresh(target: Option<&str>, all: bool, client: &Client) -> anyhow::Result<()> {
    let library = Library::open().context("cannot open the library of saved threads")?;
    let inputs: Vec<String> = match (target, all) {
        (Some(_), true) => bail!("refresh takes a URL or key, or --all, not both"),
        (Some(t), false) => vec![t.to_string()],
        (None, true) => library.list().0.into_iter().map(|m| m.target).collect(),
        (None, false) => {
            bail!("refresh what? name a URL or key (threadr refresh hn:8863), or --all")
        }
    };
    let cancel = AtomicBool::new(false);
    let mut failed = 0;
    let mut lines = String::new();
    for input in &inputs {
        let mut progress = quiet;
        let mut ctl = Control {
            cancel: &cancel,
            progress: &mut progress,
        };
        match fetch_and_save(input, client, Some(&library), &mut ctl) {
            Ok(o) => {
                let title = o.thread.title.as_deref().unwrap_or(input);
                let stats = o.stats.unwrap_or_default();
                let mut line = format!(
                    "{}: {} new ({} comments)",
                    crate::text::sanitize_line(title),
                    stats.new,
                    o.thread.len()
                );
                if stats.newly_removed > 0 {
                    let _ = write!(
                        line,
                        ", {} removed at the source (kept)",
                        stats.newly_removed
                    );
                }
                if let Some(note) = o.note {
                    let _ = write!(line, "; {}", crate::text::sanitize_line(&note));
                }
                lines.push_str(&line);
                lines.push('\n');
            }
            Err(e) => {
                failed += 1;
                let _ = writeln!(std::io::stderr(), "threadr: {e}");
            }
        }
    }
    crate::cli::write_stdout(lines.as_bytes())?;
    if failed > 0 {
        bail!(
            "{failed} of {} thread(s) could not be refreshed",
            inputs.len()
        );
    }
    Ok(())
}
