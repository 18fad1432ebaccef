//! The bookmarks files on disk: `bookmarks/<xxh3-64 of thread key>.json`, each holding the
//! bookmarks of one thread (of every thread whose key has that hash, in the rare collision),
//! and the one-time migration from the single `bookmarks.json` of older versions.
//!
//! Owns reading every file (for the start and the list), the locked read and write of one
//! file, and moving the old file's threads into their own files. Writes only through
//! `atomic` while the caller holds the lock; decides nothing about what a change does.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::bookmarks::{ThreadBookmarks, normalise};
use super::json::{Parsed, parse_versioned, to_safe_pretty};
use super::{FORMAT_VERSION, Store, StoreError, atomic, shown};

/// Folder of the per-thread bookmarks files inside a reader's folder.
pub(crate) const BOOKMARKS_DIR: &str = "bookmarks";
/// The single file of every thread's bookmarks written by older versions.
pub(crate) const LEGACY_FILE: &str = "bookmarks.json";

/// The shape of every bookmarks file (the old single one and each per-thread one).
#[derive(Serialize, Deserialize)]
pub(crate) struct BookmarksFile {
    version: u64,
    #[serde(default)]
    threads: Vec<ThreadBookmarks>,
}

/// The hash naming a thread's file.
pub(crate) fn key_hash(key: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(key.as_bytes())
}

/// The bookmarks file of `thread_key` in a reader's folder.
pub(crate) fn file_path(reader_dir: &Path, thread_key: &str) -> PathBuf {
    reader_dir
        .join(BOOKMARKS_DIR)
        .join(format!("{:016x}.json", key_hash(thread_key)))
}

/// Everything read from the files, without repairing anything.
pub(crate) struct Scan {
    /// Every thread, normalised (sorted by key).
    pub(crate) threads: Vec<ThreadBookmarks>,
    /// The largest newer version met, if any.
    pub(crate) newer: Option<u64>,
    /// Files that do not parse, with the parser's reason.
    pub(crate) corrupt: Vec<(PathBuf, String)>,
    /// One line per newer file.
    pub(crate) warnings: Vec<String>,
}

/// Reads the old single file (when still there) and every per-thread file.
pub(crate) fn scan(store: &Store) -> Result<Scan, StoreError> {
    let mut scan = Scan {
        threads: Vec::new(),
        newer: None,
        corrupt: Vec::new(),
        warnings: Vec::new(),
    };
    let mut paths = vec![store.bookmarks_path()];
    let dir = store.bookmarks_dir();
    match std::fs::read_dir(&dir) {
        Ok(entries) => {
            let mut names: Vec<PathBuf> = entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| is_bookmarks_file(p))
                .collect();
            names.sort();
            paths.extend(names);
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(source) => {
            return Err(StoreError::Io {
                action: "cannot list",
                path: dir,
                source,
            });
        }
    }
    for path in paths {
        let Some(bytes) = atomic::read_if_exists(&path)? else {
            continue;
        };
        match parse_versioned::<BookmarksFile>(&bytes) {
            Parsed::Current(f) => scan.threads.extend(f.threads),
            Parsed::Newer { version, partial } => {
                scan.warnings
                    .push(newer_warning(&path, version, partial.is_some()));
                scan.threads
                    .extend(partial.map(|f| f.threads).unwrap_or_default());
                scan.newer = scan.newer.max(Some(version));
            }
            Parsed::Corrupt(detail) => scan.corrupt.push((path, detail)),
        }
    }
    scan.threads = normalise(scan.threads);
    Ok(scan)
}

/// `<16 hex digits>.json`: not a temp file, not a file moved aside.
fn is_bookmarks_file(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| n.strip_suffix(".json"))
        .is_some_and(|stem| stem.len() == 16 && stem.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Moves a corrupt file aside if it is still corrupt (someone may have replaced it since it
/// was read); returns the line to tell the reader. The caller holds the lock.
pub(crate) fn repair(lock: &atomic::LockGuard, path: &Path, detail: &str) -> String {
    match read_locked(lock, path) {
        Ok((_, w)) if !w.is_empty() => w.join("; "),
        Ok(_) => format!("{} was being replaced; read it again", shown(path)),
        Err(StoreError::ReadOnly { found, .. }) => newer_warning(path, found, false),
        Err(e) => format!("{} is corrupt ({detail}): {e}", shown(path)),
    }
}

/// Reads one file while holding the lock: moves a corrupt one aside (with a warning),
/// refuses a newer one.
pub(crate) fn read_locked(
    lock: &atomic::LockGuard,
    path: &Path,
) -> Result<(Vec<ThreadBookmarks>, Vec<String>), StoreError> {
    let Some(bytes) = atomic::read_if_exists(path)? else {
        return Ok((Vec::new(), Vec::new()));
    };
    match parse_versioned::<BookmarksFile>(&bytes) {
        Parsed::Current(f) => Ok((normalise(f.threads), Vec::new())),
        Parsed::Newer { version, .. } => Err(StoreError::ReadOnly {
            path: path.to_path_buf(),
            found: version,
        }),
        Parsed::Corrupt(detail) => {
            let aside = atomic::move_aside(lock, path, "corrupt")?;
            Ok((
                Vec::new(),
                vec![format!(
                    "{} was corrupt ({detail}); moved it to {} and started a new one",
                    shown(path),
                    shown(&aside)
                )],
            ))
        }
    }
}

/// Replaces one file with `threads` (normalised), or removes it when there are none. The
/// caller holds the lock.
pub(crate) fn write_locked(
    lock: &atomic::LockGuard,
    path: &Path,
    threads: &[ThreadBookmarks],
) -> Result<(), StoreError> {
    if threads.is_empty() {
        return atomic::remove_durably(lock, path);
    }
    let file = BookmarksFile {
        version: u64::from(FORMAT_VERSION),
        threads: threads.to_vec(),
    };
    atomic::write_atomic(lock, path, to_safe_pretty(&file).as_bytes())
}

/// Moves the threads of the old single file into their own files (merged with what those
/// hold already, so a migration cut short is simply done again), then renames the old file
/// to `bookmarks.json.migrated-<time>` as a backup. A corrupt old file is moved aside; a
/// newer one is left alone and makes the bookmarks read-only. The caller holds the lock.
pub(crate) fn migrate(lock: &atomic::LockGuard, store: &Store) -> Result<Vec<String>, StoreError> {
    let legacy = store.bookmarks_path();
    let Some(bytes) = atomic::read_if_exists(&legacy)? else {
        return Ok(Vec::new());
    };
    let threads = match parse_versioned::<BookmarksFile>(&bytes) {
        Parsed::Current(f) => normalise(f.threads),
        Parsed::Newer { version, .. } => {
            return Err(StoreError::ReadOnly {
                path: legacy,
                found: version,
            });
        }
        Parsed::Corrupt(detail) => {
            let aside = atomic::move_aside(lock, &legacy, "corrupt")?;
            return Ok(vec![format!(
                "{} was corrupt ({detail}); moved it to {} and started a new one",
                shown(&legacy),
                shown(&aside)
            )]);
        }
    };
    let count = threads.len();
    let mut by_file: BTreeMap<PathBuf, Vec<ThreadBookmarks>> = BTreeMap::new();
    for t in threads {
        by_file
            .entry(store.bookmarks_file(&t.key))
            .or_default()
            .push(t);
    }
    let mut warnings = Vec::new();
    for (path, mut threads) in by_file {
        let (existing, w) = read_locked(lock, &path)?;
        warnings.extend(w);
        threads.extend(existing);
        write_locked(lock, &path, &normalise(threads))?;
    }
    let backup = atomic::move_aside(lock, &legacy, "migrated")?;
    warnings.push(format!(
        "bookmarks are now one file per thread (moved {count} thread(s) to {}); the old file is kept as {}",
        shown(&store.bookmarks_dir()),
        shown(&backup)
    ));
    Ok(warnings)
}

fn newer_warning(path: &Path, version: u64, readable: bool) -> String {
    format!(
        "{} is from a newer threadr (format {version}, this one writes {FORMAT_VERSION}); \
         its bookmarks are read-only{}",
        shown(path),
        if readable {
            ""
        } else {
            " and could not be shown"
        }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_hash_named_files_are_bookmarks() {
        assert!(is_bookmarks_file(Path::new("/x/0123456789abcdef.json")));
        for not in [
            "/x/.0123456789abcdef.json.tmp",
            "/x/0123456789abcdef.json.corrupt-20260101T000000Z",
            "/x/0123456789abcdeg.json",
            "/x/notes.json",
        ] {
            assert!(!is_bookmarks_file(Path::new(not)), "{not}");
        }
    }
}
