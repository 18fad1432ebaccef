//! What the reader opens: the thread the command line names (a file, a pipe, a URL or key
//! whose saved copy or placeholder shows while it is fetched), or the bundled tour.

use std::io::IsTerminal;

use super::TOUR;
use crate::cli::{Cli, load_thread, source_name};
use crate::model::Thread;
use crate::store::source_of;

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

/// The URL or key the command line names, when it is one.
pub(super) fn remote_input(cli: &Cli) -> Option<String> {
    let text = cli.file.as_ref()?.to_str()?;
    (crate::fetch::is_remote(text) && cli.input_format.is_none()).then(|| text.to_string())
}

/// Loads the thread the command line names, or the tour.
pub(super) fn load(cli: &Cli) -> anyhow::Result<(Thread, String, String)> {
    if let Some(input) = remote_input(cli) {
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
