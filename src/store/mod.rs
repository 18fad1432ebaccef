//! Bookmarks and reading state on disk: one folder per reader, every change saved at once.
//!
//! Owns the data folder, reader names, locking and atomic writes, the bookmarks files (one
//! per thread), the per-thread reading state and the `threadr bookmarks` subcommand. No
//! ratatui, no terminal IO (the subcommand writes to stdout/stderr only). Nothing here
//! panics on a bad file: a problem becomes a [`StoreError`] or a warning string the caller
//! shows.
//!
//! # Layout
//!
//! ```text
//! <data dir>/                       THREADR_DATA_DIR, else directories' data dir
//!   <reader>/                       0700, one per reader (see `reader`)
//!     .lock                         0600, held exclusively around every write
//!     bookmarks/                    0700
//!       <xxh3-64 of thread key>.json  0600, the bookmarks of one thread
//!       <hash>.json.corrupt-<time>  a broken file moved aside, never overwritten
//!     bookmarks.json.migrated-<time> the single file of older versions, kept after
//!                                   its threads moved to bookmarks/ (done once, on load)
//!     state/                        0700
//!       <xxh3-64 of thread key>.json  reading state of one thread
//! ```
//!
//! Every write is: take the exclusive lock on `.lock` (waiting at most
//! [`Store::lock_timeout`]), read the current file, apply the change, write
//! `.<name>.tmp` in the same folder (0600), fsync it, rename it over `<name>`, fsync the
//! folder, release. Because a temp file only exists while its writer holds the lock, a
//! stale one (from a process killed mid-save) is simply replaced by the next save of the
//! same file, so at most one can ever exist per file. Readers never lock: a rename is atomic,
//! so they see the old or the new file.
//!
//! # API for the UI
//!
//! Startup (`reader` is `--reader`, `None` when not given):
//! ```no_run
//! # fn demo(thread: &threadr::model::Thread) -> Result<(), threadr::store::StoreError> {
//! use threadr::store::{Bookmarks, ReadingState, Store, resolve_reader};
//! let store = Store::open(resolve_reader(None, &threadr::config::Env::from_process())?)?; // makes the folders (0700)
//! let loaded = Bookmarks::load(&store);                       // never fails: warnings instead
//! let (bookmarks, warnings) = (loaded.value, loaded.warnings); // warnings -> status bar
//! let attached = bookmarks.attach(thread);                    // markers, `]`/`[`, count
//! let state = store.load_state(&thread.key);                  // Loaded<Option<ReadingState>>
//! # Ok(()) }
//! ```
//!
//! Keys. `bookmarks` holds a clone of the store; every mutator re-reads the file of its
//! thread under the lock, applies the change, saves it (two fsyncs, ~20 ms on a slow disk),
//! and leaves that thread's bookmarks equal to what is now on disk, so other sessions'
//! bookmarks on it appear too. A change never reads or writes another thread's file, and a
//! clone of [`Bookmarks`] shares everything read in full, so `m` with 100,000 threads costs
//! what it costs with one (`examples/bookmarks_scale.rs`). Call
//! [`Bookmarks::attach`] again after each one, and show [`Change::warnings`] / the error text
//! in the status bar:
//! - `m`: `bookmarks.toggle(thread, source, at)` ([`Bookmarks::toggle`]); `at` is
//!   `Some(CommentIdx)` for a comment, `None` for the article. [`Change::bookmarked`] says
//!   whether it is on now.
//! - `M`: prefill the prompt with [`Bookmarks::note`], then [`Bookmarks::set_note`] (creates
//!   the bookmark when there was none; line breaks become spaces).
//! - `]` / `[`: [`Attached::next_after`] / [`Attached::prev_before`] (no wrap; use
//!   [`Attached::first`] / [`Attached::last`] to wrap). Markers: [`Attached::is_marked`],
//!   [`Attached::article_marked`]; status bar count: [`Attached::count`].
//! - `'` list: [`Attached::entries`] (this thread: article, then comments in document order,
//!   then those [`Place::NotInThisCopy`]) and [`Bookmarks::others`] (other threads, each with
//!   its title, source and bookmarks). In the list `d` is [`Bookmarks::delete`], `M` is
//!   [`Bookmarks::edit_note`], both by a [`BookmarkRef`] from [`AttachedBookmark::target`] or
//!   [`ThreadBookmarks::target`]. `Enter` on a [`Place::Comment`] jumps to that index.
//! - Before opening the list, [`Bookmarks::reload`] picks up other sessions' changes.
//! - [`Bookmarks::is_read_only`]: some file is from a newer threadr; mutators on its thread
//!   return [`StoreError::ReadOnly`].
//!
//! All text in a [`Bookmark`] comes from the thread or the reader: sanitise it before drawing.
//!
//! Reading state: [`Store::load_state`] on open (skip it for `--fresh`); `None` is a first
//! visit (no "new" markers). Otherwise restore with [`ReadingState::focused_in`],
//! [`ReadingState::folded_in`], [`ReadingState::zoom_in`] and `article_scroll`, take
//! [`ReadingState::new_since`] for the "new" markers, then [`ReadingState::mark_seen`].
//! Keep the state current ([`ReadingState::set_folded`], `focused`...) and call
//! [`Store::save_state`] on quit, periodically, and from the signal thread: [`Store`] is
//! `Clone + Send + Sync`, so give the signal thread a clone (with a shorter
//! [`Store::with_lock_timeout`], say 500 ms) and a snapshot of the state behind a mutex.
//! Saving a 100,000-comment thread's state took 84 ms in a debug build, most of it fsync.
//!
//! `source` for bookmarks is what the reader can use to reopen the thread: use
//! [`source_of`] on the file argument (an absolute path, or `<stdin>`).

pub(crate) mod atomic;
mod attach;
mod bookmark_files;
mod bookmarks;
mod cli;
mod idset;
pub(crate) mod json;
pub(crate) mod paths;
mod prefs;
mod reader;
mod state;

use std::path::{Path, PathBuf};
use std::time::Duration;

pub use attach::{Attached, AttachedBookmark, Place};
pub use bookmarks::{Bookmark, BookmarkRef, Bookmarks, Change, ThreadBookmarks};
pub use cli::{render_markdown, run_bookmarks};
pub use idset::IdSet;
pub use paths::{DATA_DIR_ENV, data_dir};
pub use prefs::Prefs;
pub use reader::{MAX_READER_LEN, READER_ENV, Reader, resolve_reader};
pub use state::ReadingState;

/// Version of the files this threadr writes; a file with a larger one is left alone.
pub const FORMAT_VERSION: u32 = 1;

/// How long a save waits for another threadr process to release the lock by default.
pub const DEFAULT_LOCK_TIMEOUT: Duration = Duration::from_secs(5);

/// A value read from disk, with the things the reader should be told (already one line each,
/// sanitised, ready for the status bar).
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded<T> {
    /// What was read (a fresh default when the file was missing or broken).
    pub value: T,
    /// Problems found and what was done about them.
    pub warnings: Vec<String>,
}

/// What can go wrong in the store. Messages name the file and say what to do.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A reader name that could be a path or hide text.
    #[error(
        "reader name \"{shown}\" is not allowed: {reason}; use letters, digits, '-', '_' and '.', at most {MAX_READER_LEN} characters"
    )]
    BadReader {
        /// The name, sanitised and shortened for display.
        shown: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// Neither `THREADR_DATA_DIR` nor a home folder.
    #[error("cannot find a folder for threadr's data (no home folder); set {DATA_DIR_ENV}")]
    NoDataDir,
    /// A file or folder operation failed.
    #[error("{action} {}: {source}", shown(path))]
    Io {
        /// What was being done ("cannot write").
        action: &'static str,
        /// The file or folder.
        path: PathBuf,
        /// The error from the system.
        source: std::io::Error,
    },
    /// Another process kept the lock for longer than the timeout.
    #[error("{} is locked by another threadr process (waited {:.1} s); try again", shown(path), waited.as_secs_f64())]
    Locked {
        /// The lock file.
        path: PathBuf,
        /// How long we waited.
        waited: Duration,
    },
    /// The file comes from a newer threadr; it is left untouched.
    #[error(
        "{} is from a newer threadr (format {found}, this one writes {FORMAT_VERSION}); it is read-only here, upgrade threadr to change it",
        shown(path)
    )]
    ReadOnly {
        /// The file.
        path: PathBuf,
        /// Its version.
        found: u64,
    },
    /// A file that does not parse, when the caller asked not to repair it.
    #[error(
        "{} is not a valid threadr file ({detail}); open threadr to move it aside, or fix it by hand",
        shown(path)
    )]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What the parser said.
        detail: String,
    },
    /// A reader or state folder that is a symbolic link threadr will not follow.
    #[error(
        "{} is a symbolic link {why}; threadr will not write through it (remove the link, or set {DATA_DIR_ENV} to a folder of your own)",
        shown(path)
    )]
    Symlink {
        /// The link.
        path: PathBuf,
        /// Why it is refused ("to a folder owned by someone else").
        why: &'static str,
    },
    /// A bookmark named by a list entry is gone (deleted in another session).
    #[error("that bookmark no longer exists (removed in another session?)")]
    NoSuchBookmark,
}

/// A path for a message: one line, no terminal control.
pub(crate) fn shown(path: &Path) -> String {
    crate::text::sanitize_line(&path.display().to_string()).into_owned()
}

/// The place a reader's files live, ready to read and write. Cheap to clone; `Send + Sync`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Store {
    reader: Reader,
    dir: PathBuf,
    lock_timeout: Duration,
}

impl Store {
    /// Opens (creating, 0700) the folder of `reader` under [`data_dir`].
    pub fn open(reader: Reader) -> Result<Self, StoreError> {
        let root = data_dir()?;
        Self::open_in(&root, reader)
    }

    /// Opens (creating, 0700) the folder of `reader` under `root`.
    pub fn open_in(root: &Path, reader: Reader) -> Result<Self, StoreError> {
        let dir = root.join(reader.as_str());
        paths::create_private_dir(&dir)?;
        paths::create_private_dir(&dir.join(state::STATE_DIR))?;
        paths::create_private_dir(&dir.join(bookmark_files::BOOKMARKS_DIR))?;
        Ok(Self {
            reader,
            dir,
            lock_timeout: DEFAULT_LOCK_TIMEOUT,
        })
    }

    /// The store of `reader` under [`data_dir`] if its folder exists; creates nothing.
    pub fn existing(reader: Reader) -> Result<Option<Self>, StoreError> {
        let dir = data_dir()?.join(reader.as_str());
        Ok(dir.is_dir().then_some(Self {
            reader,
            dir,
            lock_timeout: DEFAULT_LOCK_TIMEOUT,
        }))
    }

    /// The same store, waiting at most `timeout` for the lock (for the signal thread).
    #[must_use]
    pub fn with_lock_timeout(mut self, timeout: Duration) -> Self {
        self.lock_timeout = timeout;
        self
    }

    /// How long a save waits for the lock.
    #[must_use]
    pub fn lock_timeout(&self) -> Duration {
        self.lock_timeout
    }

    /// Whose files these are.
    #[must_use]
    pub fn reader(&self) -> &Reader {
        &self.reader
    }

    /// The reader's folder.
    #[must_use]
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The single bookmarks file of older versions; when present, its threads are moved
    /// into [`Store::bookmarks_dir`] on load (and before any change), under the lock.
    #[must_use]
    pub fn bookmarks_path(&self) -> PathBuf {
        self.dir.join(bookmark_files::LEGACY_FILE)
    }

    /// The folder of the bookmarks files, one per thread.
    #[must_use]
    pub fn bookmarks_dir(&self) -> PathBuf {
        self.dir.join(bookmark_files::BOOKMARKS_DIR)
    }

    /// The bookmarks file of a thread (named by a hash of its key).
    #[must_use]
    pub fn bookmarks_file(&self, thread_key: &str) -> PathBuf {
        bookmark_files::file_path(&self.dir, thread_key)
    }

    /// The reading-state file of a thread (named by a hash of its key).
    #[must_use]
    pub fn state_path(&self, thread_key: &str) -> PathBuf {
        state::state_path(&self.dir, thread_key)
    }

    /// Takes the reader's exclusive lock, released when the guard drops.
    pub(crate) fn lock(&self) -> Result<atomic::LockGuard, StoreError> {
        atomic::LockGuard::acquire(&self.dir.join(atomic::LOCK_FILE), self.lock_timeout)
    }
}

/// The source recorded for a thread read from standard input. It never replaces a real path
/// or URL already recorded for the thread: a pipe says nothing about where the thread lives.
pub const STDIN_SOURCE: &str = "<stdin>";

/// What to record as a bookmark's source for a file argument: the absolute path, `<stdin>`
/// for `-`, or the text unchanged when it looks like a URL.
#[must_use]
pub fn source_of(path: &Path) -> String {
    let text = path.to_string_lossy();
    if text == "-" {
        return STDIN_SOURCE.to_string();
    }
    if text.contains("://") {
        return text.into_owned();
    }
    std::path::absolute(path).map_or_else(|_| text.into_owned(), |p| p.display().to_string())
}

/// Seconds since the epoch now (0 if the clock is before 1970).
pub(crate) fn now_unix() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// Now as RFC 3339 UTC (`2026-01-02T03:04:05Z`).
pub(crate) fn now_rfc3339() -> String {
    crate::model::Timestamp::Unix(now_unix()).to_rfc3339()
}
