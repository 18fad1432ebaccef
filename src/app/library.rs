//! The reader's own data inside the app: bookmarks, "new since last visit", reading state.
//!
//! `update` never touches the disk: bookmark actions return [`Effect::Store`] with a
//! [`StoreOp`], and the driver calls [`App::perform_store`], which does the locked,
//! atomic save through `crate::store` and turns the result into status-bar text.

use super::{App, Effect, Outcome, Pane, StatusKind};
use crate::action::Action;
use crate::keymap::Mode;
use crate::model::CommentIdx;
use crate::store::{Attached, BookmarkRef, Bookmarks, IdSet, ReadingState, Store, StoreError};

/// What is open for this reader: their store, bookmarks and the thread's reading state.
pub struct Library {
    /// The reader's folder.
    pub store: Store,
    /// All their bookmarks, as on disk.
    pub bookmarks: Bookmarks,
    /// This thread's bookmarks resolved to comments.
    pub attached: Attached,
    /// The file or URL the thread was read from, recorded with bookmarks.
    pub source: String,
    /// Comments new since the last visit, in document order.
    pub new: Vec<CommentIdx>,
    /// Ids seen up to and including this visit (saved with the state).
    pub seen: IdSet,
}

/// A change to the reader's files, performed by the driver.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoreOp {
    /// Bookmark or un-bookmark a comment (`None`: the article).
    Toggle(Option<CommentIdx>),
    /// Set the note of a comment's (or the article's) bookmark, creating it if needed.
    SetNote(Option<CommentIdx>, String),
    /// Change the note of a bookmark from the list (any thread).
    EditNote(BookmarkRef, String),
    /// Delete a bookmark from the list.
    Delete(BookmarkRef),
    /// Save the reading position now.
    SaveState,
    /// Re-read the bookmarks file (other sessions' changes), then open the list.
    Reload,
}

impl Library {
    /// Whether a comment carries the "new" marker.
    #[must_use]
    pub fn is_new(&self, idx: CommentIdx) -> bool {
        self.new.binary_search(&idx).is_ok()
    }
}

impl App {
    /// Attaches the reader's store: loads bookmarks and, unless `fresh`, restores the
    /// reading position. Returns the warnings to show.
    pub fn attach_library(&mut self, store: Store, source: String, fresh: bool) -> Vec<String> {
        let loaded = Bookmarks::load(&store);
        let mut warnings = loaded.warnings;
        let bookmarks = loaded.value;
        let attached = bookmarks.attach(&self.thread);
        let state = store.load_state(&self.thread.key);
        warnings.extend(state.warnings);
        let mut new = Vec::new();
        let mut seen = IdSet::new();
        if let Some(state) = state.value {
            new = state.new_since(&self.thread);
            seen = state.seen.clone();
            if !fresh {
                self.restore(&state);
            }
        }
        seen.extend(self.thread.comments.iter().map(|c| &c.id));
        if !new.is_empty() {
            warnings.push(format!(
                "{} new comment{} since your last visit ({} jumps to them)",
                new.len(),
                if new.len() == 1 { "" } else { "s" },
                self.keymap.keys_for(
                    crate::keymap::Mode::Comments,
                    crate::action::Action::NextNew
                )
            ));
        }
        self.library = Some(Library {
            store,
            bookmarks,
            attached,
            source,
            new,
            seen,
        });
        warnings
    }

    pub(super) fn restore(&mut self, state: &ReadingState) {
        let thread = &self.thread;
        self.tree.restore_folds(thread, state.folded_in(thread));
        for z in state.zoom_in(thread) {
            if self.tree.reveal(thread, z) || self.tree.selected() == Some(z) {
                self.tree.zoom_in(thread);
            }
        }
        match state.focused_in(thread) {
            Some(idx) => {
                self.tree.reveal(thread, idx);
            }
            None if state.focused.is_none() && !thread.body.is_empty() => {
                self.focus = Pane::Article;
            }
            None => {}
        }
        self.article_scroll = state.article_scroll as usize;
    }

    /// The reading position as it stands, for saving.
    #[must_use]
    pub fn reading_state(&self) -> Option<ReadingState> {
        let lib = self.library.as_ref()?;
        let mut state = self.reading_state_light()?;
        state.seen = lib.seen.clone();
        state.set_folded(&self.thread, self.tree.folded_comments());
        Some(state)
    }

    /// The cheap part of the reading position (no folds, no seen set), for every keystroke.
    #[must_use]
    pub fn reading_state_light(&self) -> Option<ReadingState> {
        self.library.as_ref()?;
        let thread = &self.thread;
        Some(ReadingState {
            focused: match self.focus {
                Pane::Article => None,
                Pane::Comments => self.selected().map(|i| thread.comment(i).id.clone()),
            },
            article_scroll: u32::try_from(self.article_scroll).unwrap_or(u32::MAX),
            zoom: self
                .tree
                .zoom_stack()
                .iter()
                .map(|z| thread.comment(*z).id.clone())
                .collect(),
            ..ReadingState::default()
        })
    }

    /// Performs a change to the reader's files and reports it in the status bar.
    pub fn perform_store(&mut self, op: &StoreOp) -> Outcome {
        let Some(lib) = self.library.as_mut() else {
            self.set_status(
                StatusKind::Error,
                "Bookmarks are off: the data folder could not be opened (see the warning at start)",
            );
            return Outcome::changed(true);
        };
        let note = self.keymap.key(Mode::Comments, Action::EditNote);
        let thread = &self.thread;
        let result = match op {
            StoreOp::Toggle(at) => lib.bookmarks.toggle(thread, &lib.source, *at).map(|c| {
                let what = if at.is_some() { "comment" } else { "article" };
                let text = if c.bookmarked {
                    format!("Bookmarked this {what} ({note} adds a note)")
                } else {
                    format!("Removed the bookmark on this {what}")
                };
                (text, c.warnings)
            }),
            StoreOp::SetNote(at, note) => lib
                .bookmarks
                .set_note(thread, &lib.source, *at, note)
                .map(|c| ("Note saved".to_string(), c.warnings)),
            StoreOp::EditNote(target, note) => lib
                .bookmarks
                .edit_note(target, note)
                .map(|c| ("Note saved".to_string(), c.warnings)),
            StoreOp::Delete(target) => lib
                .bookmarks
                .delete(target)
                .map(|c| ("Bookmark deleted".to_string(), c.warnings)),
            StoreOp::Reload => {
                let warnings = lib.bookmarks.reload();
                lib.attached = lib.bookmarks.attach(thread);
                self.open_bookmark_list();
                if let Some(w) = warnings.into_iter().next() {
                    self.set_status(StatusKind::Warning, w);
                }
                return Outcome::changed(true);
            }
            StoreOp::SaveState => {
                let Some(state) = self.reading_state() else {
                    return Outcome::default();
                };
                let lib = self.library.as_ref().expect("checked above");
                lib.store
                    .save_state(&self.thread.key, &state)
                    .map(|w| ("Reading position saved".to_string(), w))
            }
        };
        if let Some(lib) = self.library.as_mut() {
            lib.attached = lib.bookmarks.attach(&self.thread);
        }
        match result {
            Ok((text, warnings)) => match warnings.into_iter().next() {
                Some(w) => self.set_status(StatusKind::Warning, w),
                None if *op == StoreOp::SaveState => {}
                None => self.set_status(StatusKind::Info, text),
            },
            Err(StoreError::ReadOnly { .. }) => self.set_status(
                StatusKind::Warning,
                "Bookmarks are read-only: the file is from a newer threadr",
            ),
            Err(e) => self.set_status(StatusKind::Error, format!("Could not save: {e}")),
        }
        if let super::Overlay::List(_) = self.overlay {
            let keep = match op {
                StoreOp::EditNote(target, _) => Some(target),
                _ => None,
            };
            self.refresh_bookmark_list(keep);
        }
        Outcome::changed(true)
    }

    /// `m`: bookmark the focused comment, or the article when it has focus.
    pub(super) fn toggle_bookmark(&mut self) -> Outcome {
        let at = self.focused_target();
        Outcome::effect(Effect::Store(StoreOp::Toggle(at)))
    }

    /// The comment the reader is on (`None`: the article).
    pub(super) fn focused_target(&self) -> Option<CommentIdx> {
        match self.focus {
            Pane::Article => None,
            Pane::Comments => self.selected(),
        }
    }

    /// `]` / `[`: the next or previous bookmarked comment, wrapping around.
    pub(super) fn jump_bookmark(&mut self, forward: bool) -> Outcome {
        let Some(lib) = &self.library else {
            return Outcome::default();
        };
        let from = self.selected();
        let att = &lib.attached;
        let (hit, wrapped) = if forward {
            match att.next_after(from) {
                Some(i) => (Some(i), false),
                None => (att.first(), true),
            }
        } else {
            match att.prev_before(from) {
                Some(i) => (Some(i), false),
                None => (att.last(), true),
            }
        };
        match hit {
            Some(idx) => {
                self.jump_to(idx);
                if wrapped {
                    self.set_status(StatusKind::Info, "Wrapped around the bookmarks");
                }
            }
            None => self.set_status(
                StatusKind::Info,
                format!(
                    "No bookmarked comments in this thread ({} bookmarks one)",
                    self.keymap.key(Mode::Comments, Action::ToggleBookmark)
                ),
            ),
        }
        Outcome::changed(true)
    }

    /// `u`: the next comment new since the last visit, wrapping around.
    pub(super) fn jump_new(&mut self) -> Outcome {
        let Some(lib) = &self.library else {
            return Outcome::default();
        };
        if lib.new.is_empty() {
            self.set_status(StatusKind::Info, "No new comments since your last visit");
            return Outcome::changed(true);
        }
        let from = self.selected().map_or(0, |s| s.0 + 1);
        let pos = lib.new.partition_point(|n| n.0 < from);
        let (idx, wrapped) = match lib.new.get(pos) {
            Some(i) => (*i, false),
            None => (lib.new[0], true),
        };
        let ordinal = lib.new.binary_search(&idx).map_or(0, |p| p + 1);
        let total = lib.new.len();
        self.jump_to(idx);
        let wrap = if wrapped { " (wrapped)" } else { "" };
        self.set_status(
            StatusKind::Info,
            format!("New comment {ordinal}/{total}{wrap}"),
        );
        Outcome::changed(true)
    }
}
