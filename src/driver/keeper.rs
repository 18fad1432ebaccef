//! The disk side of the reader's files: the one place the app's store effects touch disk.
//!
//! The driver owns a [`DiskStore`]: it reads the files at start ([`DiskStore::open`], or
//! [`DiskStore::open_deferred`] with the bookmarks read by a job) and performs each
//! [`StoreOp`] the app returns, with the locked, atomic writes of
//! `crate::store`, handing the result to [`crate::app::App::store_done`]. It never decides what
//! the reader is told (that is `App::store_done`) and never draws.

use std::sync::{Arc, Mutex, PoisonError};

use crate::app::{LibraryFiles, StoreBackend, StoreDone, StoreOp, StoreReply};
use crate::model::Thread;
use crate::store::{Bookmarks, Change, Loaded, Store};

/// Where the bookmark job leaves the driver's copy of what it read.
type Pending = Arc<Mutex<Option<Bookmarks>>>;

/// The reader's store and their bookmarks bound to it.
pub struct DiskStore {
    store: Store,
    bookmarks: Bookmarks,
    /// While the bookmark job runs: where it puts the driver's copy.
    pending: Option<Pending>,
}

/// Reads the bookmarks for `thread`, pointing the ones found again by old id or similarity
/// at today's ids (see [`DiskStore::open`]).
fn read_bookmarks(store: &Store, thread: &Thread) -> Loaded<Bookmarks> {
    let mut bookmarks = Bookmarks::load(store);
    let moved = bookmarks.value.attach(thread).moved().to_vec();
    if !moved.is_empty() {
        match bookmarks.value.rekey(thread, &moved) {
            Ok(change) => bookmarks.warnings.extend(change.warnings),
            Err(e) => bookmarks.warnings.push(format!("bookmarks: {e}")),
        }
    }
    bookmarks
}

impl DiskStore {
    /// Reads the reader's bookmarks, the reading state of `thread` and the remembered
    /// preferences. Bookmarks of `thread` found again by old id or similarity (see
    /// [`crate::store::Attached::moved`]) are pointed at today's ids here, once, so that
    /// `m`, `M` and `d` on those comments find them.
    #[must_use]
    pub fn open(store: Store, thread: &Thread) -> (Self, LibraryFiles) {
        let bookmarks = read_bookmarks(&store, thread);
        let state = store.load_state(&thread.key);
        let prefs = store.load_prefs();
        let me = Self {
            store,
            bookmarks: bookmarks.value.clone(),
            pending: None,
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

    /// As [`DiskStore::open`], but reads only this thread's state and the preferences now
    /// (small files, needed for the first screen); the bookmarks file, which grows with
    /// every saved thread (seconds at 100,000), is read by the returned work on a job
    /// (see [`crate::app::App::load_bookmarks`]). Until it is done the files hold no
    /// bookmarks and the app makes no bookmark change.
    pub fn open_deferred(
        store: Store,
        thread: Arc<Thread>,
    ) -> (
        Self,
        LibraryFiles,
        impl FnOnce() -> Loaded<Bookmarks> + Send + 'static,
    ) {
        let state = store.load_state(&thread.key);
        let prefs = store.load_prefs();
        let pending = Pending::default();
        let me = Self {
            store: store.clone(),
            bookmarks: Bookmarks::unloaded(&store),
            pending: Some(Arc::clone(&pending)),
        };
        let files = LibraryFiles {
            bookmarks: Loaded {
                value: Bookmarks::unloaded(&store),
                warnings: Vec::new(),
            },
            state,
            prefs,
        };
        let work = move || {
            let loaded = read_bookmarks(&store, &thread);
            *pending.lock().unwrap_or_else(PoisonError::into_inner) = Some(loaded.value.clone());
            loaded
        };
        (me, files, work)
    }

    /// Takes the bookmarks the job read, once it has.
    fn adopt(&mut self) {
        let Some(pending) = &self.pending else {
            return;
        };
        let ready = pending
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(bookmarks) = ready {
            self.bookmarks = bookmarks;
            self.pending = None;
        }
    }

    /// The store, for the reading-state saves the driver does itself.
    #[must_use]
    pub fn store(&self) -> &Store {
        &self.store
    }
}

impl StoreBackend for DiskStore {
    fn perform(&mut self, thread: &Thread, source: &str, op: &StoreOp) -> StoreDone {
        self.adopt();
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
