//! What the reader opens: the thread the command line names (a file, a pipe, a URL or key
//! whose saved copy or placeholder shows while it is fetched), a thread chosen in the
//! library list, or the bundled tour; for a large file only its first part, with the rest
//! left to a job; the reader's library (bookmarks, saved position) attached to the thread,
//! at once or once the whole file is read; and the library list's entries, read from disk.

use std::io::IsTerminal;
use std::sync::Arc;

use super::Snapshot;
use super::TOUR;
use crate::app::App;
use crate::cli::{Cli, load_thread, source_name};
use crate::driver::keeper::DiskStore;
use crate::model::Thread;
use crate::store::{Store, resolve_reader, source_of};

/// The thread to show while `input` is fetched: its saved copy, else an empty placeholder.
fn remote_start(input: &str, library: Option<&crate::fetch::saved::Library>) -> Thread {
    if let Some((thread, _)) = library.and_then(|l| crate::fetch::cli::saved_copy(l, input)) {
        return thread;
    }
    let mut b = crate::model::ThreadBuilder::new();
    b.title = Some(format!("Fetching {input}"));
    b.source_key =
        Some(crate::fetch::route::parse(input).map_or_else(|_| input.to_string(), |t| t.key()));
    b.finish()
}

/// The URL or key to open: `chosen` (a thread picked in the library list), else what the
/// command line names, when it is one.
pub(super) fn remote_input(cli: &Cli, chosen: Option<&str>) -> Option<String> {
    if let Some(c) = chosen {
        return Some(c.to_string());
    }
    let text = cli.file.as_ref()?.to_str()?;
    (crate::fetch::is_remote(text) && cli.input_format.is_none()).then(|| text.to_string())
}

/// True when the reader opens with nothing named (no file, no pipe): the tour, with the
/// library list over it when threads have been saved.
pub(super) fn bare(cli: &Cli) -> bool {
    cli.file.is_none() && std::io::stdin().is_terminal()
}

/// Loads the thread to open: `chosen` from the library list, else what the command line
/// names, else the tour.
/// For a large file, only its first part, with what the job that reads the rest needs.
pub(super) fn load(
    cli: &Cli,
    chosen: Option<&str>,
) -> anyhow::Result<(Thread, String, String, Option<Rest>)> {
    if let Some(input) = remote_input(cli, chosen) {
        // A bad URL is refused before any screen opens.
        crate::fetch::route::parse(&input)?;
        let library = crate::fetch::saved::Library::existing();
        return Ok((
            remote_start(&input, library.as_ref()),
            input.clone(),
            input,
            None,
        ));
    }
    // `cat FILE | threadr` means the pipe, as with `less`: only a terminal on stdin (nothing
    // piped) opens the tour.
    let piped = std::path::PathBuf::from("-");
    let file = cli
        .file
        .as_ref()
        .or_else(|| (!std::io::stdin().is_terminal()).then_some(&piped));
    match file {
        Some(path) => {
            let name = source_name(path);
            if let Some(thread) = head(path, cli.input_format, &name) {
                let rest = Rest {
                    path: path.clone(),
                    forced: cli.input_format,
                    name: name.clone(),
                };
                return Ok((thread, name, source_of(path), Some(rest)));
            }
            let thread = load_thread(path, cli.input_format)?;
            Ok((thread, name, source_of(path), None))
        }
        None => Ok((
            crate::format::load(TOUR.as_bytes(), "the threadr tour", None)?,
            "the threadr tour".to_string(),
            "(bundled tour: run threadr with no file)".to_string(),
            None,
        )),
    }
}

/// The rest of a large file, which a job reads after the first screen (see `app::stream`).
pub(super) struct Rest {
    /// The file.
    pub path: std::path::PathBuf,
    /// `--input-format`, if given.
    pub forced: Option<crate::format::InputFormat>,
    /// Its name in messages.
    pub name: String,
}

/// The first part of a large regular file, when its first bytes can stand for it.
fn head(
    path: &std::path::Path,
    forced: Option<crate::format::InputFormat>,
    name: &str,
) -> Option<Thread> {
    use crate::format::head;
    use std::io::Read;
    if path.as_os_str() == "-" {
        return None;
    }
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() < head::STREAM_FROM {
        return None;
    }
    let mut bytes = Vec::with_capacity(head::HEAD_BYTES);
    std::fs::File::open(path)
        .ok()?
        .take(head::HEAD_BYTES as u64)
        .read_to_end(&mut bytes)
        .ok()?;
    head::read(&bytes, name, forced)
}

/// What waits for the whole of a large file (see `app::stream`).
pub(super) struct Pending {
    /// `--reader` or the config's reader.
    pub reader: Option<String>,
    /// The file as the library names it.
    pub source: String,
    /// `--fresh`.
    pub fresh: bool,
    /// `hide_read = true` in the config.
    pub hide_read: bool,
    /// The file.
    pub rest: Rest,
}

/// Opens the store of `reader` (else the default reader), reads its files and attaches them;
/// problems become status messages. The outcome holds the job that reads the bookmarks.
pub(super) fn open_library(
    app: &mut App,
    reader: Option<&str>,
    env: &crate::config::Env,
    fresh: bool,
    source: String,
) -> Option<(DiskStore, Snapshot, crate::app::Outcome)> {
    let store = match resolve_reader(reader, env).and_then(Store::open) {
        Ok(s) => s,
        Err(e) => {
            app.add_warning(format!("bookmarks and reading position are off: {e}"));
            return None;
        }
    };
    let (disk, files, load) = DiskStore::open_deferred(store.clone(), Arc::clone(&app.thread));
    let warnings = app.attach_library(files, source, fresh);
    for w in warnings {
        app.add_warning(w);
    }
    // The spawn effect is performed by the caller (the runner is the loop's).
    let out = app.load_bookmarks(load);
    let state = app.reading_state()?;
    Some((
        disk,
        Snapshot {
            store,
            key: app.thread.key.clone(),
            state,
            dirty: true,
        },
        out,
    ))
}

/// Attaches the library now, or, for a large file opened on its first part, leaves it
/// [`Pending`]: bookmarks and the saved position only ever meet the whole thread.
/// `(fresh, hide_read)` are `--fresh` and the config's `hide_read`.
pub(super) fn attach_or_defer(
    app: &mut App,
    rest: Option<Rest>,
    reader: Option<&str>,
    env: &crate::config::Env,
    (fresh, hide_read): (bool, bool),
    source: String,
) -> (
    Option<Pending>,
    Option<DiskStore>,
    Option<Snapshot>,
    crate::app::Outcome,
) {
    if let Some(rest) = rest {
        let pending = Pending {
            reader: reader.map(str::to_string),
            source,
            fresh,
            hide_read,
            rest,
        };
        return (Some(pending), None, None, crate::app::Outcome::default());
    }
    match open_library(app, reader, env, fresh, source) {
        Some((disk, snapshot, out)) => (None, Some(disk), Some(snapshot), out),
        None => (None, None, None, crate::app::Outcome::default()),
    }
}

/// The whole of a large file was read (or could not be): the bookmarks and the saved
/// reading position meet the whole thread now.
pub(super) fn attach_whole(
    p: Pending,
    app: &mut App,
) -> Option<(DiskStore, Snapshot, crate::app::Outcome)> {
    if app.stream != crate::app::Streaming::Whole {
        app.add_warning("bookmarks and reading position are off: the whole file could not be read");
        return None;
    }
    // Where the reader went while the rest was read wins over where they were last time.
    let fresh = p.fresh || app.moved_while_reading;
    let env = crate::config::Env::from_process();
    let attached = open_library(app, p.reader.as_deref(), &env, fresh, p.source);
    if p.hide_read {
        app.hide_read_on_open();
    }
    app.mark_focused_read();
    attached
}

/// The library of saved threads for the list, newest first, each with how many of its
/// comments the reader has not seen (from their reading state: the saved copy's count less
/// the comments seen; `None` when never opened in the reader).
pub(super) fn saved_threads(store: Option<&Store>) -> Vec<crate::app::SavedThread> {
    let Some(library) = crate::fetch::saved::Library::existing() else {
        return Vec::new();
    };
    library
        .list()
        .0
        .into_iter()
        .map(|m| {
            let new = store
                .and_then(|s| s.load_state(&m.key).value)
                .map(|state| m.comments.saturating_sub(state.seen.len()));
            crate::app::SavedThread {
                title: m.title,
                site: m.site,
                comments: m.comments,
                new,
                fetched: m.fetched,
                target: m.target,
            }
        })
        .collect()
}
