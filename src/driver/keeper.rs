//! The disk side of the reader's files: the one place the app's store effects touch disk.
//!
//! The driver owns a [`DiskStore`]: it reads the files at start ([`DiskStore::open`]) and
//! performs each [`StoreOp`] the app returns, with the locked, atomic writes of
//! `crate::store`, handing the result to [`crate::app::App::store_done`]. It never decides what
//! the reader is told (that is `App::store_done`) and never draws.

use crate::app::{LibraryFiles, StoreBackend, StoreDone, StoreOp, StoreReply};
use crate::model::Thread;
use crate::store::{Bookmarks, Change, Store};

/// The reader's store and their bookmarks bound to it.
pub struct DiskStore {
    store: Store,
    bookmarks: Bookmarks,
}

impl DiskStore {
    /// Reads the reader's bookmarks, the reading state of `thread` and the remembered
    /// preferences. Bookmarks of `thread` found again by old id or similarity (see
    /// [`crate::store::Attached::moved`]) are pointed at today's ids here, once, so that
    /// `m`, `M` and `d` on those comments find them.
    #[must_use]
    pub fn open(store: Store, thread: &Thread) -> (Self, LibraryFiles) {
        let mut bookmarks = Bookmarks::load(&store);
        let moved = bookmarks.value.attach(thread).moved().to_vec();
        if !moved.is_empty() {
            match bookmarks.value.rekey(thread, &moved) {
                Ok(change) => bookmarks.warnings.extend(change.warnings),
                Err(e) => bookmarks.warnings.push(format!("bookmarks: {e}")),
            }
        }
        let state = store.load_state(&thread.key);
        let prefs = store.load_prefs();
        let me = Self {
            store,
            bookmarks: bookmarks.value.clone(),
        };
        (
            me,
            LibraryFiles {
                bookmarks,
                state,
                prefs,
            },
        )
    }

    /// The store, for the reading-state saves the driver does itself.
    #[must_use]
    pub fn store(&self) -> &Store {
        &self.store
    }
}

impl StoreBackend for DiskStore {
    fn perform(&mut self, thread: &Thread, source: &str, op: &StoreOp) -> StoreDone {
        let b = &mut self.bookmarks;
        let changed = match op {
            StoreOp::Toggle(at) => b.toggle(thread, source, *at),
            StoreOp::SetNote(at, note) => b.set_note(thread, source, *at, note),
            StoreOp::EditNote(target, note) => b.edit_note(target, note),
            StoreOp::Delete(target) => b.delete(target),
            StoreOp::Reload => Ok(Change {
                bookmarked: false,
                warnings: b.reload(),
            }),
            StoreOp::SaveSplit(split) => {
                return StoreDone {
                    result: self
                        .store
                        .save_split(*split)
                        .map(|()| StoreReply::default()),
                    bookmarks: None,
                };
            }
        };
        StoreDone {
            result: changed.map(|c| StoreReply {
                bookmarked: c.bookmarked,
                warnings: c.warnings,
            }),
            // A mutator leaves the bookmarks as on disk even when it fails (it re-read them).
            bookmarks: Some(self.bookmarks.clone()),
        }
    }
}
