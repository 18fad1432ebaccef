//! The reader's own data inside the app: bookmarks, "new since last visit", reading state.
//!
//! `update` never touches the disk, and neither does anything here: bookmark actions return
//! [`Effect::Store`] with a [`StoreOp`]; the driver performs it through a [`StoreBackend`]
//! (the disk one is `crate::driver::DiskStore`) and hands the result back to
//! [`App::store_done`], which updates the in-memory copy and says what happened in the
//! status bar. The files are read by the driver too and given to [`App::attach_library`].

use super::{App, Effect, Outcome, Pane, StatusKind};
use crate::action::Action;
use crate::keymap::Mode;
use crate::model::{CommentIdx, Thread};
use crate::store::{
    Attached, BookmarkRef, Bookmarks, IdSet, Loaded, Prefs, ReadingState, StoreError,
};

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
    /// Ids read before this visit (this visit's are in `App::reading`, merged on save).
    pub read: IdSet,
    /// The bookmarks are still being read by a job ([`App::load_bookmarks`]): none are
    /// shown, and changes wait in [`Library::queued`] until they arrive.
    pub loading: bool,
    /// Bookmark changes asked for while loading, performed in order when the job reports
    /// (a `m` typed right after the first screen is not refused).
    pub queued: Vec<StoreOp>,
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
    /// Remember the split (`>`/`<`) for the next run.
    SaveSplit(u16),
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
    /// What the reader changed in an earlier run and wants kept (the split).
    pub prefs: Prefs,
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
        if let Some(split) = files.prefs.split {
            // Remembered from `>`/`<` in an earlier run; it wins over config.toml's start.
            self.split = split.clamp(
                *super::layout::SPLIT_RANGE.start(),
                *super::layout::SPLIT_RANGE.end(),
            );
        }
        let bookmarks = files.bookmarks.value;
        warnings.extend(files.state.warnings);
        let mut new = Vec::new();
        let mut seen = IdSet::new();
        let mut read = IdSet::new();
        if let Some(state) = files.state.value {
            // Read flags first: restoring the focus must not count as reading.
            for i in self.thread.indices() {
                if state.read.contains(&self.thread.comment(i).id) {
                    self.reading.mark(i);
                }
            }
            if !fresh
                && let Some(order) = state
                    .sort
                    .as_deref()
                    .and_then(crate::model::SortOrder::from_name)
            {
                self.set_order(order);
            }
            new = state.new_since(&self.thread);
            new.retain(|i| !self.reading.is_read(*i));
            seen = state.seen.clone();
            read = state.read.clone();
            if !fresh {
                self.restore(&state);
            }
        }
        // After the saved order is applied: bookmarks point at indices.
        let attached = bookmarks.attach(&self.thread);
        seen.extend(self.thread.comments.iter().map(|c| &c.id));
        if !new.is_empty() {
            warnings.push(format!(
                "{} new comment{} since your last visit ({} jumps to {})",
                new.len(),
                if new.len() == 1 { "" } else { "s" },
                // `u` (next unread, new ones first): `next_new` has no key by default.
                self.keymap.keys_for(
                    crate::keymap::Mode::Comments,
                    crate::action::Action::NextUnread
                ),
                if new.len() == 1 { "it" } else { "them" },
            ));
        }
        self.library = Some(Library {
            bookmarks,
            attached,
            source,
            new,
            seen,
            read,
            loading: false,
            queued: Vec::new(),
        });
        warnings
    }

    /// Reads the bookmarks with `load` on a background job (the driver's work: the app does
    /// no IO), so the reader is usable at once on a large bookmarks file; until the job
    /// reports, the list says they are loading and bookmark changes wait.
    pub fn load_bookmarks(
        &mut self,
        load: impl FnOnce() -> crate::store::Loaded<Bookmarks> + Send + 'static,
    ) -> Outcome {
        let Some(lib) = self.library.as_mut() else {
            return Outcome::default();
        };
        lib.loading = true;
        let (_, out) = self.spawn_job("Reading bookmarks", false, move |_| {
            Ok(crate::jobs::JobOutput::Bookmarks(Box::new(load())))
        });
        out
    }

    /// The bookmark job's result: show them (and any warning), and the list if it is open.
    pub(super) fn bookmarks_loaded(&mut self, loaded: crate::store::Loaded<Bookmarks>) -> Outcome {
        let Some(lib) = self.library.as_mut() else {
            return Outcome::default();
        };
        lib.bookmarks = loaded.value;
        lib.attached = lib.bookmarks.attach(&self.thread);
        lib.loading = false;
        let queued = std::mem::take(&mut lib.queued);
        for w in loaded.warnings {
            self.add_warning(w);
        }
        self.refresh_bookmark_list(None);
        Outcome {
            redraw: true,
            effects: queued.into_iter().map(Effect::Store).collect(),
        }
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
        state.read = self.read_set()?;
        state.set_folded(&self.thread, self.tree.folded_comments());
        Some(state)
    }

    /// The ids seen on this visit and before (what the next visit's "new" is counted
    /// against), for saving. It only grows: a refetch adds what it brought.
    #[must_use]
    pub fn seen_ids(&self) -> Option<&IdSet> {
        self.library.as_ref().map(|lib| &lib.seen)
    }

    /// The ids read before this visit and during it, for saving.
    #[must_use]
    pub fn read_set(&self) -> Option<IdSet> {
        let mut read = self.library.as_ref()?.read.clone();
        let ids: Vec<&crate::model::CommentId> = self
            .reading
            .read_comments()
            .map(|i| &self.thread.comment(i).id)
            .collect();
        read.extend(ids);
        Some(read)
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
            focused_path: match self.focus {
                Pane::Article => Vec::new(),
                Pane::Comments => self
                    .selected()
                    .map(|i| thread.position_path(i))
                    .unwrap_or_default(),
            },
            article_scroll: u32::try_from(self.article_scroll).unwrap_or(u32::MAX),
            sort: Some(self.reading.order.name().to_string()),
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
        if let StoreOp::SaveSplit(_) = op {
            // Quietly: the pane moving is the feedback; only a failure is worth a word.
            if let Err(e) = done.result {
                self.set_status(
                    StatusKind::Warning,
                    format!("The split is not remembered: {e}"),
                );
            }
            return Outcome::changed(true);
        }
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
            StoreOp::Reload | StoreOp::SaveSplit(_) => String::new(),
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
        // The driver's copy is empty until the job is done: a change made on it now would
        // be lost from view when the job's copy arrives, so it waits for them.
        if let Some(lib) = self.library.as_mut()
            && lib.loading
            && !matches!(op, StoreOp::SaveSplit(_))
        {
            lib.queued.push(op);
            self.set_status(
                StatusKind::Info,
                "The bookmarks are still loading: done as soon as they are",
            );
            return Outcome::changed(true);
        }
        Outcome::effect(Effect::Store(op))
    }

    /// `m`: bookmark the focused comment, or the article when it has focus.
    pub(super) fn toggle_bookmark(&mut self) -> Outcome {
        if let Some(out) = self.nothing_to_bookmark() {
            return out;
        }
        let at = self.focused_target();
        self.store(StoreOp::Toggle(at))
    }

    /// The page stands in for a thread not fetched yet (or whose first fetch failed): a
    /// bookmark would save the stand-in's title and text under the thread's key.
    pub(super) fn nothing_to_bookmark(&mut self) -> Option<Outcome> {
        self.is_placeholder().then(|| {
            self.set_status(
                StatusKind::Info,
                "Nothing to bookmark yet: the thread has not been fetched",
            );
            Outcome::changed(true)
        })
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
        // The article's bookmark is a stop too, before the first comment.
        let att = &lib.attached;
        let article = att.article_marked();
        let from = match self.focus {
            Pane::Article => None,
            Pane::Comments => self.selected(),
        };
        // `None` in a hit: the article.
        let (hit, wrapped): (Option<Option<CommentIdx>>, bool) = if forward {
            match (att.next_after(from), from) {
                (Some(i), _) => (Some(Some(i)), false),
                (None, _) if article => (Some(None), from.is_some()),
                (None, _) => (att.first().map(Some), true),
            }
        } else {
            match (from, att.prev_before(from)) {
                (Some(_), Some(i)) => (Some(Some(i)), false),
                (Some(_), None) if article => (Some(None), false),
                _ => match att.last() {
                    Some(i) => (Some(Some(i)), true),
                    None if article => (Some(None), from.is_some()),
                    None => (None, false),
                },
            }
        };
        match hit {
            Some(Some(idx)) => {
                self.jump_to(idx);
            }
            Some(None) => {
                self.focus = Pane::Article;
                self.article_scroll = 0;
            }
            None => self.set_status(
                StatusKind::Info,
                format!(
                    "No bookmarks in this thread ({} bookmarks a comment or the article)",
                    self.keymap.key(Mode::Comments, Action::ToggleBookmark)
                ),
            ),
        }
        if hit.is_some() {
            if wrapped {
                self.set_status(StatusKind::Info, "Wrapped around the bookmarks");
            } else if hit == Some(None) {
                self.set_status(StatusKind::Info, "The article is bookmarked");
            }
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
