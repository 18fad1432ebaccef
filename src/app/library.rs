//! The reader's own data inside the app: bookmarks, "new since last visit", reading state.
//!
//! `update` never touches the disk, and neither does anything here: bookmark actions return
//! [`Effect::Store`] with a [`StoreOp`]; the driver performs it through a [`StoreBackend`]
//! (the disk one is [`super::keeper::DiskStore`]) and hands the result back to
//! [`App::store_done`], which updates the in-memory copy and says what happened in the
//! status bar. The files are read by the driver too and given to [`App::attach_library`].

use super::{App, Effect, Outcome, Pane, StatusKind};
use crate::action::Action;
use crate::keymap::Mode;
use crate::model::{CommentIdx, Thread};
use crate::store::{Attached, BookmarkRef, Bookmarks, IdSet, Loaded, ReadingState, StoreError};

/// What is open for this reader: their bookmarks and the thread's reading state, in memory.
pub struct Library {
    /// All their bookmarks, as last read or written by the driver. Read-only here: every
    /// change goes through a [`StoreOp`].
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
    /// Re-read the bookmarks file (other sessions' changes), then open the list.
    Reload,
}

/// What a [`StoreOp`] did, as the driver reports it to [`App::store_done`].
#[derive(Debug)]
pub struct StoreDone {
    /// Whether it worked: on success, whether the target is bookmarked now and what the
    /// reader should be told (a corrupt file moved aside...).
    pub result: Result<StoreReply, StoreError>,
    /// The bookmarks as they are now (after a re-read or a write), when they may have
    /// changed; `None` keeps the copy in memory.
    pub bookmarks: Option<Bookmarks>,
}

/// A successful [`StoreOp`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StoreReply {
    /// Whether the target is bookmarked after the change.
    pub bookmarked: bool,
    /// Problems the reader should hear about although the change was made.
    pub warnings: Vec<String>,
}

/// Performs [`StoreOp`]s: the driver's disk store, or a test's stand-in.
pub trait StoreBackend {
    /// Performs `op` on the bookmarks of `thread` (read from `source`).
    fn perform(&mut self, thread: &Thread, source: &str, op: &StoreOp) -> StoreDone;
}

/// The reader's files as the driver read them at start, for [`App::attach_library`].
pub struct LibraryFiles {
    /// The bookmarks file (warnings: a corrupt file moved aside, a newer format...).
    pub bookmarks: Loaded<Bookmarks>,
    /// This thread's reading state; `None` on a first visit.
    pub state: Loaded<Option<ReadingState>>,
}

impl Library {
    /// Whether a comment carries the "new" marker.
    #[must_use]
    pub fn is_new(&self, idx: CommentIdx) -> bool {
        self.new.binary_search(&idx).is_ok()
    }
}

impl App {
    /// Attaches the reader's files read by the driver: bookmarks and, unless `fresh`, the
    /// reading position. Returns the warnings to show.
    pub fn attach_library(
        &mut self,
        files: LibraryFiles,
        source: String,
        fresh: bool,
    ) -> Vec<String> {
        let mut warnings = files.bookmarks.warnings;
        let bookmarks = files.bookmarks.value;
        let attached = bookmarks.attach(&self.thread);
        warnings.extend(files.state.warnings);
        let mut new = Vec::new();
        let mut seen = IdSet::new();
        if let Some(state) = files.state.value {
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

    /// The driver performed `op`: keep the bookmarks it read or wrote and say what happened.
    pub fn store_done(&mut self, op: &StoreOp, done: StoreDone) -> Outcome {
        let Some(lib) = self.library.as_mut() else {
            return Outcome::default();
        };
        if let Some(bookmarks) = done.bookmarks {
            lib.bookmarks = bookmarks;
        }
        lib.attached = lib.bookmarks.attach(&self.thread);
        if *op == StoreOp::Reload {
            self.open_bookmark_list();
            let warning = done.result.map_or_else(
                |e| Some(format!("bookmarks: {e}")),
                |r| r.warnings.into_iter().next(),
            );
            if let Some(w) = warning {
                self.set_status(StatusKind::Warning, w);
            }
            return Outcome::changed(true);
        }
        match done.result {
            Ok(reply) => match reply.warnings.into_iter().next() {
                Some(w) => self.set_status(StatusKind::Warning, w),
                None => {
                    let text = self.store_message(op, reply.bookmarked);
                    self.set_status(StatusKind::Info, text);
                }
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

    /// The confirmation for a change that worked.
    fn store_message(&self, op: &StoreOp, bookmarked: bool) -> String {
        match op {
            StoreOp::Toggle(at) => {
                let what = if at.is_some() { "comment" } else { "article" };
                if bookmarked {
                    let note = self.keymap.key(self.mode(), Action::EditNote);
                    format!("Bookmarked this {what} ({note} adds a note)")
                } else {
                    format!("Removed the bookmark on this {what}")
                }
            }
            StoreOp::SetNote(..) | StoreOp::EditNote(..) => "Note saved".to_string(),
            StoreOp::Delete(_) => "Bookmark deleted".to_string(),
            StoreOp::Reload => String::new(),
        }
    }

    /// A store change, or the reason there can be none.
    pub(super) fn store(&mut self, op: StoreOp) -> Outcome {
        if self.library.is_none() {
            self.set_status(
                StatusKind::Error,
                "Bookmarks are off: the data folder could not be opened (see the warning at start)",
            );
            return Outcome::changed(true);
        }
        Outcome::effect(Effect::Store(op))
    }

    /// `m`: bookmark the focused comment, or the article when it has focus.
    pub(super) fn toggle_bookmark(&mut self) -> Outcome {
        let at = self.focused_target();
        self.store(StoreOp::Toggle(at))
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
