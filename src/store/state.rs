//! Reading state: where a reader was in a thread, one small file per reader and thread.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::json::{Parsed, parse_versioned, to_safe_pretty};
use super::{FORMAT_VERSION, IdSet, Loaded, Store, StoreError, atomic, now_rfc3339, shown};
use crate::model::{CommentId, CommentIdx, Thread};

/// Folder of the state files inside a reader's folder.
pub(crate) const STATE_DIR: &str = "state";

/// Where a reader was in one thread. Ids, not indices, so it survives a newer copy.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReadingState {
    /// The focused comment; `None` when the article had focus.
    pub focused: Option<CommentId>,
    /// How far the article was scrolled, in lines.
    pub article_scroll: u32,
    /// Folded comments.
    pub folded: IdSet,
    /// The zoom stack (subthread roots, outermost first); empty when not zoomed.
    pub zoom: Vec<CommentId>,
    /// Every comment the reader has had in front of them, for "new since last visit".
    pub seen: IdSet,
    /// Comments the reader has read (focused, or marked read with `x` / `X`).
    pub read: IdSet,
    /// The sort order's name (`score`); `None` in files from before sorting existed.
    pub sort: Option<String>,
    /// The focused comment's position (`[3, 1, 2]` for 3.1.2), to fall back on when its id
    /// is gone (the comment was edited); empty when unknown.
    pub focused_path: Vec<usize>,
    /// Saved before fingerprint ids stopped depending on the parent: ids are also looked
    /// up under the old rule ([`Thread::legacy_ids`]) until the next save.
    pub old_ids: bool,
}

/// The id rule the state was saved with: 2 since fingerprints left the parent out.
const IDS_RULE: u32 = 2;

#[derive(Serialize, Deserialize)]
struct StateFile {
    version: u64,
    key: String,
    saved: String,
    #[serde(default)]
    focused: Option<CommentId>,
    #[serde(default)]
    article_scroll: u32,
    #[serde(default)]
    zoom: Vec<CommentId>,
    #[serde(default)]
    folded: IdSet,
    #[serde(default)]
    seen: IdSet,
    #[serde(default)]
    read: IdSet,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sort: Option<String>,
    /// Missing (0) in files saved under the old id rule.
    #[serde(default)]
    ids: u32,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    focused_path: Vec<usize>,
}

impl ReadingState {
    /// Comments of `thread` not seen before, in document order (the "new" markers; the next
    /// new one after `i` is at `partition_point(|n| *n <= i)`).
    #[must_use]
    pub fn new_since(&self, thread: &Thread) -> Vec<CommentIdx> {
        let mut new: Vec<CommentIdx> = thread
            .indices()
            .filter(|&i| !self.seen.contains(&thread.comment(i).id))
            .collect();
        if self.old_ids && !new.is_empty() {
            let legacy = thread.legacy_ids();
            new.retain(|i| !self.seen.contains(&legacy[i.get()]));
        }
        new
    }

    /// Records every comment of `thread` as seen (call after taking [`Self::new_since`]).
    pub fn mark_seen(&mut self, thread: &Thread) {
        self.seen.extend(thread.comments.iter().map(|c| &c.id));
    }

    /// The old-rule ids of `thread`, when this state needs them.
    fn legacy(&self, thread: &Thread) -> Option<Vec<CommentId>> {
        self.old_ids.then(|| thread.legacy_ids())
    }

    /// The comment with `id` in this copy, under the current rule or (old states) the old.
    fn find(thread: &Thread, legacy: Option<&[CommentId]>, id: &CommentId) -> Option<CommentIdx> {
        thread.find(&id.0).or_else(|| {
            legacy?
                .iter()
                .position(|l| l == id)
                .map(|i| CommentIdx(u32::try_from(i).unwrap_or(u32::MAX)))
        })
    }

    /// The focused comment in this copy (`None`: the article, or the comment is gone): by
    /// id, else the comment at the same position (an edited comment keeps its place).
    #[must_use]
    pub fn focused_in(&self, thread: &Thread) -> Option<CommentIdx> {
        let id = self.focused.as_ref()?;
        let legacy = self.legacy(thread);
        Self::find(thread, legacy.as_deref(), id).or_else(|| thread.at_path(&self.focused_path))
    }

    /// The folded comments present in this copy, in document order.
    #[must_use]
    pub fn folded_in(&self, thread: &Thread) -> Vec<CommentIdx> {
        if self.folded.is_empty() {
            return Vec::new();
        }
        let legacy = self.legacy(thread);
        thread
            .indices()
            .filter(|&i| {
                self.folded.contains(&thread.comment(i).id)
                    || legacy
                        .as_ref()
                        .is_some_and(|l| self.folded.contains(&l[i.get()]))
            })
            .collect()
    }

    /// The zoom stack in this copy, cut at the first subthread root that is gone.
    #[must_use]
    pub fn zoom_in(&self, thread: &Thread) -> Vec<CommentIdx> {
        let legacy = if self.zoom.is_empty() {
            None
        } else {
            self.legacy(thread)
        };
        self.zoom
            .iter()
            .map_while(|id| Self::find(thread, legacy.as_deref(), id))
            .collect()
    }

    /// Sets the folds from comment indices of `thread`.
    pub fn set_folded(&mut self, thread: &Thread, folded: impl IntoIterator<Item = CommentIdx>) {
        let mut set = IdSet::new();
        let ids: Vec<&CommentId> = folded.into_iter().map(|i| &thread.comment(i).id).collect();
        set.extend(ids);
        self.folded = set;
    }
}

/// The state file of `thread_key` in a reader's folder: 16 hex digits of its xxh3-64.
pub(crate) fn state_path(reader_dir: &Path, thread_key: &str) -> PathBuf {
    let hash = xxhash_rust::xxh3::xxh3_64(thread_key.as_bytes());
    reader_dir.join(STATE_DIR).join(format!("{hash:016x}.json"))
}

impl Store {
    /// The saved reading state of a thread: `None` when there is none (first visit), or when
    /// the file is from a newer threadr or was corrupt (then moved aside), with a warning.
    #[must_use]
    pub fn load_state(&self, thread_key: &str) -> Loaded<Option<ReadingState>> {
        let path = self.state_path(thread_key);
        let mut warnings = Vec::new();
        let value = match atomic::read_if_exists(&path) {
            Ok(None) => None,
            Ok(Some(bytes)) => match parse_versioned::<StateFile>(&bytes) {
                Parsed::Current(f) if f.key == thread_key => Some(from_file(f)),
                // Another thread's key with the same hash: not ours, and not broken.
                Parsed::Current(_) => None,
                Parsed::Newer { version, .. } => {
                    warnings.push(format!(
                        "{} is from a newer threadr (format {version}); reading position not restored",
                        shown(&path)
                    ));
                    None
                }
                Parsed::Corrupt(detail) => {
                    warnings.push(self.move_state_aside(&path, &detail));
                    None
                }
            },
            Err(e) => {
                warnings.push(format!("reading position not restored: {e}"));
                None
            }
        };
        Loaded { value, warnings }
    }

    fn move_state_aside(&self, path: &Path, detail: &str) -> String {
        let moved = self.lock().and_then(|lock| {
            // Someone may have replaced it meanwhile: only move what is still broken.
            match atomic::read_if_exists(path)? {
                Some(bytes)
                    if matches!(parse_versioned::<StateFile>(&bytes), Parsed::Corrupt(_)) =>
                {
                    atomic::move_aside(&lock, path, "corrupt").map(Some)
                }
                _ => Ok(None),
            }
        });
        match moved {
            Ok(Some(aside)) => format!(
                "{} was corrupt ({detail}); moved it to {}",
                shown(path),
                shown(&aside)
            ),
            Ok(None) => format!(
                "{} was being replaced; reading position not restored",
                shown(path)
            ),
            Err(e) => format!("{} is corrupt ({detail}): {e}", shown(path)),
        }
    }

    /// Saves a thread's reading state (atomically, under the reader's lock). "Seen" is
    /// merged with what is on disk, so two sessions never forget each other's reading.
    /// Callable from any thread (the signal thread too); returns warnings.
    pub fn save_state(
        &self,
        thread_key: &str,
        state: &ReadingState,
    ) -> Result<Vec<String>, StoreError> {
        let path = self.state_path(thread_key);
        let lock = self.lock()?;
        let mut warnings = Vec::new();
        let mut seen = state.seen.clone();
        let mut read = state.read.clone();
        if let Some(bytes) = atomic::read_if_exists(&path)? {
            match parse_versioned::<StateFile>(&bytes) {
                Parsed::Current(f) => {
                    if f.key == thread_key {
                        seen.union_with(&f.seen);
                        read.union_with(&f.read);
                    }
                }
                Parsed::Newer { version, .. } => {
                    return Err(StoreError::ReadOnly {
                        path,
                        found: version,
                    });
                }
                Parsed::Corrupt(detail) => {
                    let aside = atomic::move_aside(&lock, &path, "corrupt")?;
                    warnings.push(format!(
                        "{} was corrupt ({detail}); moved it to {}",
                        shown(&path),
                        shown(&aside)
                    ));
                }
            }
        }
        let file = StateFile {
            version: u64::from(FORMAT_VERSION),
            key: thread_key.to_string(),
            saved: now_rfc3339(),
            focused: state.focused.clone(),
            article_scroll: state.article_scroll,
            zoom: state.zoom.clone(),
            folded: state.folded.clone(),
            seen,
            read,
            sort: state.sort.clone(),
            ids: IDS_RULE,
            focused_path: state.focused_path.clone(),
        };
        atomic::write_atomic(&lock, &path, to_safe_pretty(&file).as_bytes())?;
        Ok(warnings)
    }
}

fn from_file(f: StateFile) -> ReadingState {
    ReadingState {
        focused: f.focused,
        article_scroll: f.article_scroll,
        folded: f.folded,
        zoom: f.zoom,
        seen: f.seen,
        read: f.read,
        sort: f.sort,
        focused_path: f.focused_path,
        old_ids: f.ids < IDS_RULE,
    }
}
