//! What the reader opens: the thread the command line names (a file, a pipe, a URL or key
//! whose saved copy or placeholder shows while it is fetched), a thread chosen in the
//! library list, or the bundled tour; and the library list's entries, read from disk.

use std::io::IsTerminal;

use super::TOUR;
use crate::cli::{Cli, load_thread, source_name};
use crate::model::Thread;
use crate::store::{Store, source_of};

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
pub(super) fn load(cli: &Cli, chosen: Option<&str>) -> anyhow::Result<(Thread, String, String)> {
    if let Some(input) = remote_input(cli, chosen) {
        // A bad URL is refused before any screen opens.
        crate::fetch::route::parse(&input)?;
        let library = crate::fetch::saved::Library::existing();
        return Ok((remote_start(&input, library.as_ref()), input.clone(), input));
    }
    // `cat FILE | threadr` means the pipe, as with `less`: only a terminal on stdin (nothing
    // piped) opens the tour.
    let piped = std::path::PathBuf::from("-");
    let file = cli
        .file
        .as_ref()
        .or_else(|| (!std::io::stdin().is_terminal()).then_some(&piped));
    match file {
        Some(path) => Ok((
            load_thread(path, cli.input_format)?,
            source_name(path),
            source_of(path),
        )),
        None => Ok((
            crate::format::load(TOUR.as_bytes(), "the threadr tour", None)?,
            "the threadr tour".to_string(),
            "(bundled tour: run threadr with no file)".to_string(),
        )),
    }
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
