//! A reader's bookmarks: one small JSON file per thread, so a change costs in proportion to
//! its thread, never to the whole collection. Reading every file (at start, for the list)
//! and the files themselves live in `bookmark_files`.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::bookmark_files as files;
use super::{Loaded, Store, StoreError, now_rfc3339};
use crate::model::{CommentId, CommentIdx, Thread};

/// Longest snippet recorded, in characters.
pub(super) const SNIPPET_CHARS: usize = 120;

/// One bookmark: a comment of a thread, or its article.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bookmark {
    /// The comment's stable id; `null` (None) for the article.
    pub comment: Option<CommentId>,
    /// The comment's (or article's) author when bookmarked.
    #[serde(default)]
    pub author: Option<String>,
    /// The first words of its text when bookmarked, on one line.
    #[serde(default)]
    pub snippet: String,
    /// The reader's note; empty for none.
    #[serde(default)]
    pub note: String,
    /// When it was bookmarked (RFC 3339, UTC).
    #[serde(default)]
    pub created: String,
    /// The comment's position when bookmarked (`3.1.2`), to find it again by position and
    /// similarity when its id is gone (the comment was edited). Absent in older files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<String>,
}

/// The bookmarks of one thread, with what is needed to find the thread again.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadBookmarks {
    /// The thread's stable key ([`Thread::key`]).
    pub key: String,
    /// Its title when last bookmarked.
    #[serde(default)]
    pub title: Option<String>,
    /// The file (absolute path) or URL it was read from when last bookmarked.
    #[serde(default)]
    pub source: String,
    /// Where the thread was published, when known.
    #[serde(default)]
    pub url: Option<String>,
    /// Bookmarks in the order they were made.
    #[serde(default)]
    pub bookmarks: Vec<Bookmark>,
}

impl ThreadBookmarks {
    /// A reference to bookmark `i` of this thread, for [`Bookmarks::delete`] and
    /// [`Bookmarks::edit_note`].
    #[must_use]
    pub fn target(&self, i: usize) -> Option<BookmarkRef> {
        self.bookmarks.get(i).map(|b| BookmarkRef {
            key: self.key.clone(),
            comment: b.comment.clone(),
        })
    }
}

/// Names one bookmark: thread key and comment id (`None`: the article).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct BookmarkRef {
    /// The thread's key.
    pub key: String,
    /// The comment's id, `None` for the article.
    pub comment: Option<CommentId>,
}

/// The outcome of a change to the bookmarks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// Whether the target is bookmarked now.
    pub bookmarked: bool,
    /// Things the reader should be told (a corrupt file moved aside while saving...).
    pub warnings: Vec<String>,
}

/// A reader's bookmarks as last read from (or written to) disk, bound to the store.
///
/// Cheap to clone whatever the number of threads (the driver hands a copy to the app after
/// every change): everything read in full is shared, and only the files changed since are
/// held apart.
#[derive(Clone, Debug)]
pub struct Bookmarks {
    store: Store,
    /// Every thread as last read in full ([`Bookmarks::reload`]), sorted by key.
    base: Arc<Vec<ThreadBookmarks>>,
    /// The files changed since, by the hash naming them: what each holds now (empty when
    /// removed). They hide the threads of `base` with the same hash.
    changed: BTreeMap<u64, Vec<ThreadBookmarks>>,
    newer: Option<u64>,
}

impl Bookmarks {
    /// No bookmarks yet, for `store`: what the driver holds while a job reads the files
    /// (no change is made to it before they arrive).
    #[must_use]
    pub fn unloaded(store: &Store) -> Self {
        Self {
            store: store.clone(),
            base: Arc::default(),
            changed: BTreeMap::new(),
            newer: None,
        }
    }

    /// Reads the reader's bookmarks. Never fails: a missing file is empty; a corrupt one is
    /// moved aside (under the lock) and reported; a newer one is read as far as possible and
    /// made read-only. Every problem is a warning in the result.
    #[must_use]
    pub fn load(store: &Store) -> Loaded<Self> {
        let mut me = Self::unloaded(store);
        let warnings = me.reload();
        Loaded {
            value: me,
            warnings,
        }
    }

    /// Reads the bookmarks without repairing anything (for `threadr bookmarks`): a corrupt
    /// file is an error, a newer one is read as far as possible with a warning. An old
    /// single `bookmarks.json` not migrated yet is read too.
    pub fn peek(store: &Store) -> Result<Loaded<Self>, StoreError> {
        let scan = files::scan(store)?;
        if let Some((path, detail)) = scan.corrupt.into_iter().next() {
            return Err(StoreError::Corrupt { path, detail });
        }
        Ok(Loaded {
            value: Self {
                store: store.clone(),
                base: Arc::new(scan.threads),
                changed: BTreeMap::new(),
                newer: scan.newer,
            },
            warnings: scan.warnings,
        })
    }

    /// Re-reads every file (other sessions' changes), repairing as [`Bookmarks::load`] does:
    /// migrates an old single file and moves corrupt ones aside, under the lock.
    pub fn reload(&mut self) -> Vec<String> {
        let mut warnings = Vec::new();
        if self.store.bookmarks_path().exists() {
            match self.store.lock() {
                Ok(lock) => match files::migrate(&lock, &self.store) {
                    Ok(w) => warnings.extend(w),
                    Err(e) => warnings.push(format!("bookmarks: {e}")),
                },
                Err(e) => warnings.push(format!(
                    "bookmarks not moved to one file per thread yet: {e}"
                )),
            }
        }
        let scan = match files::scan(&self.store) {
            Ok(scan) => scan,
            Err(e) => {
                warnings.push(format!("bookmarks: {e}"));
                return warnings;
            }
        };
        warnings.extend(scan.warnings);
        if !scan.corrupt.is_empty() {
            match self.store.lock() {
                Ok(lock) => {
                    for (path, detail) in &scan.corrupt {
                        warnings.push(files::repair(&lock, path, detail));
                    }
                }
                Err(e) => warnings.extend(scan.corrupt.iter().map(|(path, _)| {
                    format!(
                        "{} is corrupt and could not be moved aside yet: {e}",
                        super::shown(path)
                    )
                })),
            }
        }
        self.base = Arc::new(scan.threads);
        self.changed.clear();
        self.newer = scan.newer;
        warnings
    }

    /// True when some bookmarks file is from a newer threadr: its bookmarks can be seen but
    /// not changed (mutators on its thread return [`StoreError::ReadOnly`]).
    #[must_use]
    pub fn is_read_only(&self) -> bool {
        self.newer.is_some()
    }

    /// The folder these bookmarks live in (one file per thread).
    #[must_use]
    pub fn path(&self) -> PathBuf {
        self.store.bookmarks_dir()
    }

    /// Every thread with bookmarks, sorted by key.
    #[must_use]
    pub fn threads(&self) -> Vec<&ThreadBookmarks> {
        if self.changed.is_empty() {
            return self.base.iter().collect();
        }
        let mut fresh: Vec<&ThreadBookmarks> = self.changed.values().flatten().collect();
        fresh.sort_by(|a, b| a.key.cmp(&b.key));
        let kept = self
            .base
            .iter()
            .filter(|t| !self.changed.contains_key(&files::key_hash(&t.key)));
        // Merge two sorted runs.
        let mut out = Vec::with_capacity(self.base.len() + fresh.len());
        let mut fresh = fresh.into_iter().peekable();
        for t in kept {
            while let Some(f) = fresh.next_if(|f| f.key < t.key) {
                out.push(f);
            }
            out.push(t);
        }
        out.extend(fresh);
        out
    }

    /// The bookmarks of the thread with `key`.
    #[must_use]
    pub fn for_thread(&self, key: &str) -> Option<&ThreadBookmarks> {
        if let Some(file) = self.changed.get(&files::key_hash(key)) {
            return file.iter().find(|t| t.key == key);
        }
        self.base
            .binary_search_by(|t| t.key.as_str().cmp(key))
            .ok()
            .map(|i| &self.base[i])
    }

    /// Every other thread's bookmarks (for the second part of the list), sorted by key.
    pub fn others<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a ThreadBookmarks> {
        self.threads().into_iter().filter(move |t| t.key != key)
    }

    /// Total number of bookmarks, all threads.
    #[must_use]
    pub fn len(&self) -> usize {
        self.threads().iter().map(|t| t.bookmarks.len()).sum()
    }

    /// True when there are no bookmarks at all.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.threads().is_empty()
    }

    /// The note on a bookmark, if it exists (to prefill the `M` prompt).
    #[must_use]
    pub fn note(&self, key: &str, comment: Option<&CommentId>) -> Option<&str> {
        self.for_thread(key)?
            .bookmarks
            .iter()
            .find(|b| b.comment.as_ref() == comment)
            .map(|b| b.note.as_str())
    }

    /// Bookmarks the comment `at` (the article for `None`) of `thread`, or removes the
    /// bookmark if it has one. `source` is the file or URL (see [`super::source_of`]).
    pub fn toggle(
        &mut self,
        thread: &Thread,
        source: &str,
        at: Option<CommentIdx>,
    ) -> Result<Change, StoreError> {
        let new = new_bookmark(thread, at);
        self.mutate(&thread.key, |threads| {
            let tb = entry(threads, thread, source);
            if let Some(i) = tb.bookmarks.iter().position(|b| b.comment == new.comment) {
                tb.bookmarks.remove(i);
                threads.retain(|t| !t.bookmarks.is_empty());
                Ok(false)
            } else {
                tb.bookmarks.push(new);
                Ok(true)
            }
        })
    }

    /// Sets the note on `at` (the article for `None`), bookmarking it first if needed.
    pub fn set_note(
        &mut self,
        thread: &Thread,
        source: &str,
        at: Option<CommentIdx>,
        note: &str,
    ) -> Result<Change, StoreError> {
        let new = new_bookmark(thread, at);
        let note = clean_note(note);
        self.mutate(&thread.key, |threads| {
            let tb = entry(threads, thread, source);
            match tb.bookmarks.iter_mut().find(|b| b.comment == new.comment) {
                Some(b) => b.note = note,
                None => tb.bookmarks.push(Bookmark { note, ..new }),
            }
            Ok(true)
        })
    }

    /// Changes the note of an existing bookmark (from the list, any thread).
    pub fn edit_note(&mut self, target: &BookmarkRef, note: &str) -> Result<Change, StoreError> {
        let note = clean_note(note);
        self.mutate(&target.key, |threads| {
            let b = threads
                .iter_mut()
                .find(|t| t.key == target.key)
                .and_then(|t| t.bookmarks.iter_mut().find(|b| b.comment == target.comment))
                .ok_or(StoreError::NoSuchBookmark)?;
            b.note = note;
            Ok(true)
        })
    }

    /// Points bookmarks of `thread` found again by old id or similarity
    /// ([`super::Attached::moved`]) at their comments' current ids, so `m`, `M` and `d` find them.
    /// Nothing to do is not a write.
    pub fn rekey(
        &mut self,
        thread: &Thread,
        moved: &[(CommentId, CommentIdx)],
    ) -> Result<Change, StoreError> {
        if moved.is_empty() || self.is_read_only() {
            return Ok(Change {
                bookmarked: true,
                warnings: Vec::new(),
            });
        }
        self.mutate(&thread.key, |threads| {
            if let Some(t) = threads.iter_mut().find(|t| t.key == thread.key) {
                for (old, idx) in moved {
                    let c = thread.comment(*idx);
                    let taken = t
                        .bookmarks
                        .iter()
                        .any(|b| b.comment.as_ref() == Some(&c.id));
                    if let Some(b) = t
                        .bookmarks
                        .iter_mut()
                        .find(|b| b.comment.as_ref() == Some(old))
                        .filter(|_| !taken)
                    {
                        b.comment = Some(c.id.clone());
                        b.snippet = c.body.snippet(SNIPPET_CHARS);
                        b.position = Some(position_text(thread, *idx));
                    }
                }
            }
            Ok(true)
        })
    }

    /// Deletes a bookmark (from the list, any thread). Deleting one that is already gone
    /// is not an error.
    pub fn delete(&mut self, target: &BookmarkRef) -> Result<Change, StoreError> {
        self.mutate(&target.key, |threads| {
            if let Some(t) = threads.iter_mut().find(|t| t.key == target.key) {
                t.bookmarks.retain(|b| b.comment != target.comment);
            }
            threads.retain(|t| !t.bookmarks.is_empty());
            Ok(false)
        })
    }

    /// Read-modify-write of the one file holding thread `key`, under the lock; `change`
    /// returns whether the target is bookmarked afterwards. On success (and on a failed
    /// change) that thread's part of `self` is what is now on disk; other threads are left
    /// as last read (see [`Bookmarks::reload`]).
    fn mutate(
        &mut self,
        key: &str,
        change: impl FnOnce(&mut Vec<ThreadBookmarks>) -> Result<bool, StoreError>,
    ) -> Result<Change, StoreError> {
        let path = self.store.bookmarks_file(key);
        let lock = self.store.lock()?;
        let mut warnings = Vec::new();
        if self.store.bookmarks_path().exists() {
            // A single file left by an older threadr: its bookmarks first, or they would
            // be shadowed by the new file of this thread.
            warnings.extend(files::migrate(&lock, &self.store).inspect_err(|e| {
                if let StoreError::ReadOnly { found, .. } = e {
                    self.newer = Some(*found);
                }
            })?);
        }
        let (mut threads, w) = match files::read_locked(&lock, &path) {
            Ok(read) => read,
            Err(e) => {
                if let StoreError::ReadOnly { found, .. } = e {
                    self.newer = Some(found);
                }
                return Err(e);
            }
        };
        warnings.extend(w);
        let result = change(&mut threads);
        let bookmarked = match result {
            Ok(b) => b,
            Err(e) => {
                self.replace_file_part(key, threads);
                return Err(e);
            }
        };
        let threads = normalise(threads);
        files::write_locked(&lock, &path, &threads)?;
        self.replace_file_part(key, threads);
        Ok(Change {
            bookmarked,
            warnings,
        })
    }

    /// Records what the file of `key` (itself and any key with the same hash) holds now:
    /// `threads`, sorted.
    fn replace_file_part(&mut self, key: &str, threads: Vec<ThreadBookmarks>) {
        self.changed.insert(files::key_hash(key), threads);
    }
}

/// Sorted by key, one entry per key, one bookmark per target, no empty threads: the stable
/// order of the file whatever a hand edit did to it.
pub(crate) fn normalise(mut threads: Vec<ThreadBookmarks>) -> Vec<ThreadBookmarks> {
    threads.sort_by(|a, b| a.key.cmp(&b.key));
    let mut out: Vec<ThreadBookmarks> = Vec::with_capacity(threads.len());
    for t in threads {
        match out.last_mut() {
            Some(last) if last.key == t.key => last.bookmarks.extend(t.bookmarks),
            _ => out.push(t),
        }
    }
    for t in &mut out {
        let mut seen = std::collections::HashSet::new();
        t.bookmarks.retain(|b| seen.insert(b.comment.clone()));
    }
    out.retain(|t| !t.bookmarks.is_empty());
    out
}

/// The thread's entry, created in key order when missing, with title and source refreshed.
fn entry<'a>(
    threads: &'a mut Vec<ThreadBookmarks>,
    thread: &Thread,
    source: &str,
) -> &'a mut ThreadBookmarks {
    let i = match threads.binary_search_by(|t| t.key.as_str().cmp(&thread.key)) {
        Ok(i) => i,
        Err(i) => {
            threads.insert(
                i,
                ThreadBookmarks {
                    key: thread.key.clone(),
                    title: None,
                    source: String::new(),
                    url: None,
                    bookmarks: Vec::new(),
                },
            );
            i
        }
    };
    let tb = &mut threads[i];
    tb.title.clone_from(&thread.title);
    tb.url.clone_from(&thread.url);
    if source != super::STDIN_SOURCE || tb.source.is_empty() {
        source.clone_into(&mut tb.source);
    }
    tb
}

fn new_bookmark(thread: &Thread, at: Option<CommentIdx>) -> Bookmark {
    let (comment, author, snippet, position) = if let Some(idx) = at {
        let c = thread.comment(idx);
        (
            Some(c.id.clone()),
            c.author.clone().map(String::from),
            c.body.snippet(SNIPPET_CHARS),
            Some(position_text(thread, idx)),
        )
    } else {
        let snippet = if thread.body.is_empty() {
            thread.title.clone().unwrap_or_default()
        } else {
            thread.body.snippet(SNIPPET_CHARS)
        };
        (None, thread.author.clone(), snippet, None)
    };
    Bookmark {
        comment,
        author,
        snippet,
        note: String::new(),
        created: now_rfc3339(),
        position,
    }
}

/// A comment's position path as text: `3.1.2`.
pub(crate) fn position_text(thread: &Thread, idx: CommentIdx) -> String {
    let parts: Vec<String> = thread
        .position_path(idx)
        .iter()
        .map(ToString::to_string)
        .collect();
    parts.join(".")
}

/// A note is one line: line breaks become spaces, ends trimmed.
fn clean_note(note: &str) -> String {
    note.split(['\n', '\r'])
        .collect::<Vec<_>>()
        .join(" ")
        .trim()
        .to_string()
}
