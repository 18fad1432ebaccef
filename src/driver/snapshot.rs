//! The reading position kept safe: the snapshot the event loop keeps current, saving it
//! (periodically, on quit, on switching threads), and the signal thread that saves it when
//! the terminal goes away (SIGHUP/SIGTERM/SIGINT/SIGQUIT) and exits.
//!
//! Owns only the save; what the position is comes from the app (`App::reading_state`), which
//! `Driver::sync` copies into the snapshot as the reader moves.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context;

use super::leave;
use crate::app::App;
use crate::store::{ReadingState, Store};

/// What the signal thread needs to save the position when the connection drops.
pub(super) struct Snapshot {
    pub(super) store: Store,
    pub(super) key: String,
    pub(super) state: ReadingState,
    pub(super) dirty: bool,
}

pub(super) type Shared = Arc<Mutex<Option<Snapshot>>>;

/// Saves the snapshot if it changed since the last save; a warning or a failure becomes
/// the message to show.
pub(super) fn save_snapshot(shared: &Shared, lock_timeout: Option<Duration>) -> Option<String> {
    try_save_snapshot(shared, lock_timeout).unwrap_or_else(Some)
}

/// Saves the snapshot if it changed: `Ok` with a warning to show, or `Err` when the position
/// could not be saved (the quit path turns that into a non-zero exit).
pub(super) fn try_save_snapshot(
    shared: &Shared,
    lock_timeout: Option<Duration>,
) -> Result<Option<String>, String> {
    let Ok(mut guard) = shared.lock() else {
        return Ok(None);
    };
    let Some(snap) = guard.as_mut() else {
        return Ok(None);
    };
    if !snap.dirty {
        return Ok(None);
    }
    let store = match lock_timeout {
        Some(t) => snap.store.clone().with_lock_timeout(t),
        None => snap.store.clone(),
    };
    match store.save_state(&snap.key, &snap.state) {
        Ok(warnings) => {
            snap.dirty = false;
            Ok(warnings.into_iter().next())
        }
        Err(e) => Err(format!("could not save the reading position: {e}")),
    }
}

/// SIGHUP/SIGTERM/SIGINT/SIGQUIT: save the position, restore the terminal, exit promptly.
pub(super) fn spawn_signal_thread(mouse: bool, shared: Shared) -> anyhow::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGHUP, SIGTERM, SIGINT, SIGQUIT])
        .context("cannot install signal handlers")?;
    std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            if let Some(sig) = signals.forever().next() {
                // Within a second in all: the lock wait is bounded.
                let _ = save_snapshot(&shared, Some(Duration::from_millis(500)));
                // SIGHUP too: it is often sent with the terminal still open (`kill -HUP`,
                // a closing tmux pane), and on a dead terminal the writes just fail.
                leave(mouse);
                std::process::exit(128 + sig);
            }
        })
        .context("cannot start the signal thread")?;
    Ok(())
}

impl super::Driver {
    /// Keeps the signal thread's snapshot current (folds only when they changed).
    pub(super) fn sync(&mut self, app: &App) {
        let Ok(mut guard) = self.shared.lock() else {
            return;
        };
        let Some(snap) = guard.as_mut() else {
            return;
        };
        let Some(fresh) = app.reading_state_light() else {
            return;
        };
        snap.state.focused = fresh.focused;
        snap.state.focused_path = fresh.focused_path;
        snap.state.article_scroll = fresh.article_scroll;
        snap.state.zoom = fresh.zoom;
        snap.state.sort = fresh.sort;
        // The read set only when it changed (one pass over the thread).
        let unread = app.reading.unread();
        if unread != self.unread_seen {
            if let Some(read) = app.read_set() {
                snap.state.read = read;
            }
            self.unread_seen = unread;
        }
        // A first visit by URL opens on a placeholder keyed by what was typed (a comment's
        // `hn:ID`, a forum's URL), and the fetched thread has its own key, by which the next
        // visit opens its copy: the position goes under that key, unless one is saved there
        // already (the same thread read by another of its URLs), which is not overwritten.
        if !self.rekeyed && !app.thread.is_empty() && app.opened_by_url() {
            self.rekeyed = true;
            if snap.key != app.thread.key && !snap.store.state_path(&app.thread.key).exists() {
                snap.key.clone_from(&app.thread.key);
            }
        }
        // The seen set grows when a fetch or refresh replaces the thread (a thread opened
        // by URL starts as an empty placeholder): only then is it copied.
        if let Some(seen) = app.seen_ids()
            && seen.len() != snap.state.seen.len()
        {
            snap.state.seen = seen.clone();
        }
        let generation = app.tree.fold_generation();
        if generation != self.folds_seen {
            snap.state
                .set_folded(&app.thread, app.tree.folded_comments());
            self.folds_seen = generation;
        }
        snap.dirty = true;
    }
}
