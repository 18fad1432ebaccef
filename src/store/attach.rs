//! The open thread's bookmarks resolved against its comments: markers, `]`/`[`, the list.
//!
//! A bookmark is found by its comment's id; when that id is not in the copy, by the id the
//! comment had under the old id rule (bookmarks made before ids left the parent out), then
//! by position and similarity (the comment was edited). Pure: no IO.

use std::collections::{HashMap, HashSet};

use super::bookmarks::{Bookmark, BookmarkRef, Bookmarks, SNIPPET_CHARS};
use crate::model::{CommentId, CommentIdx, Thread};

/// Where a bookmark of the open thread is in this copy of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Place {
    /// On the article.
    Article,
    /// On this comment.
    Comment(CommentIdx),
    /// Its comment is not in this file (an older or partial copy); kept, never dropped.
    NotInThisCopy,
}

/// A bookmark of the open thread with its place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttachedBookmark {
    /// Where it is.
    pub place: Place,
    /// The bookmark.
    pub bookmark: Bookmark,
    /// The thread's key.
    pub key: String,
}

impl AttachedBookmark {
    /// A reference for [`Bookmarks::delete`] and [`Bookmarks::edit_note`].
    #[must_use]
    pub fn target(&self) -> BookmarkRef {
        BookmarkRef {
            key: self.key.clone(),
            comment: self.bookmark.comment.clone(),
        }
    }
}

/// The open thread's bookmarks resolved against its comments.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Attached {
    marked: Vec<CommentIdx>,
    article: bool,
    entries: Vec<AttachedBookmark>,
    moved: Vec<(CommentId, CommentIdx)>,
}

impl Attached {
    /// Whether the comment carries a bookmark marker.
    #[must_use]
    pub fn is_marked(&self, idx: CommentIdx) -> bool {
        self.marked.binary_search(&idx).is_ok()
    }

    /// Whether the article is bookmarked.
    #[must_use]
    pub fn article_marked(&self) -> bool {
        self.article
    }

    /// Bookmarks of this thread (the status bar count), including "not in this copy".
    #[must_use]
    pub fn count(&self) -> usize {
        self.entries.len()
    }

    /// Bookmarked comments in this copy, in document order.
    #[must_use]
    pub fn marked(&self) -> &[CommentIdx] {
        &self.marked
    }

    /// The first bookmarked comment after `from` (`None`: from the article, so the first).
    #[must_use]
    pub fn next_after(&self, from: Option<CommentIdx>) -> Option<CommentIdx> {
        match from {
            None => self.marked.first().copied(),
            Some(f) => {
                let at = self.marked.partition_point(|m| *m <= f);
                self.marked.get(at).copied()
            }
        }
    }

    /// The last bookmarked comment before `from` (`None` from the article: nothing).
    #[must_use]
    pub fn prev_before(&self, from: Option<CommentIdx>) -> Option<CommentIdx> {
        let f = from?;
        let at = self.marked.partition_point(|m| *m < f);
        at.checked_sub(1).map(|i| self.marked[i])
    }

    /// The first bookmarked comment (for wrapping `]`).
    #[must_use]
    pub fn first(&self) -> Option<CommentIdx> {
        self.marked.first().copied()
    }

    /// The last bookmarked comment (for wrapping `[`).
    #[must_use]
    pub fn last(&self) -> Option<CommentIdx> {
        self.marked.last().copied()
    }

    /// The list: article first, then comments in document order, then "not in this copy".
    #[must_use]
    pub fn entries(&self) -> &[AttachedBookmark] {
        &self.entries
    }

    /// Bookmarks found by old id or similarity rather than by id: their saved id and the
    /// comment they are on now (for [`Bookmarks::rekey`]).
    #[must_use]
    pub fn moved(&self) -> &[(CommentId, CommentIdx)] {
        &self.moved
    }
}

/// Words of a snippet, lower-cased, for similarity.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Share of the longer word list found in the other (as a multiset), 0.0..=1.0.
fn similarity(a: &[String], b: &[String]) -> f64 {
    let longest = a.len().max(b.len());
    if longest == 0 {
        return 0.0;
    }
    let mut counts: HashMap<&str, i32> = HashMap::new();
    for w in a {
        *counts.entry(w.as_str()).or_default() += 1;
    }
    let mut common = 0usize;
    for w in b {
        if let Some(n) = counts.get_mut(w.as_str()).filter(|n| **n > 0) {
            *n -= 1;
            common += 1;
        }
    }
    common as f64 / longest as f64
}

/// Least similarity for a match anywhere in the thread, and at the bookmark's own position.
const SIMILAR_ANYWHERE: f64 = 0.6;
const SIMILAR_IN_PLACE: f64 = 0.3;

/// Finds bookmarks whose id is gone: by old-rule id, else the most similar comment by the
/// same author (at the same position it may have changed more). `places[i]` is filled for
/// each one found; returns (saved id, comment) for each.
fn reattach(
    thread: &Thread,
    bookmarks: &[Bookmark],
    places: &mut [Place],
) -> Vec<(CommentId, CommentIdx)> {
    let lost: Vec<usize> = (0..bookmarks.len())
        .filter(|&i| places[i] == Place::NotInThisCopy)
        .collect();
    if lost.is_empty() || thread.is_empty() {
        return Vec::new();
    }
    let mut held: HashSet<CommentIdx> = places
        .iter()
        .filter_map(|p| match p {
            Place::Comment(c) => Some(*c),
            _ => None,
        })
        .collect();
    let mut moved = Vec::new();
    let legacy = thread.legacy_ids();
    let by_legacy: HashMap<&CommentId, usize> =
        legacy.iter().enumerate().map(|(i, id)| (id, i)).collect();
    let mut still = Vec::new();
    for i in lost {
        let found = bookmarks[i]
            .comment
            .as_ref()
            .and_then(|id| by_legacy.get(id))
            .map(|&at| CommentIdx(u32::try_from(at).unwrap_or(u32::MAX)))
            .filter(|c| !held.contains(c));
        match found {
            Some(c) => {
                held.insert(c);
                places[i] = Place::Comment(c);
                moved.extend(bookmarks[i].comment.clone().map(|id| (id, c)));
            }
            None => still.push(i),
        }
    }
    for i in still {
        let b = &bookmarks[i];
        let Some(id) = b.comment.clone() else {
            continue;
        };
        let want = words(&b.snippet);
        let spot = b.position.as_deref().and_then(|p| {
            let path: Option<Vec<usize>> = p.split('.').map(|n| n.parse().ok()).collect();
            thread.at_path(&path?)
        });
        let mut best: Option<(f64, CommentIdx)> = None;
        for idx in thread.indices() {
            let c = thread.comment(idx);
            if c.author.as_deref() != b.author.as_deref() || held.contains(&idx) {
                continue;
            }
            let score = similarity(&want, &words(&c.body.snippet(SNIPPET_CHARS)));
            let in_place = spot == Some(idx);
            let least = if in_place {
                SIMILAR_IN_PLACE
            } else {
                SIMILAR_ANYWHERE
            };
            // In place wins near-ties: an edit rarely moves a comment.
            let rank = if in_place { score + 0.25 } else { score };
            if score >= least && best.is_none_or(|(r, _)| rank > r) {
                best = Some((rank, idx));
            }
        }
        if let Some((_, c)) = best {
            held.insert(c);
            places[i] = Place::Comment(c);
            moved.push((id, c));
        }
    }
    moved
}

impl Bookmarks {
    /// Resolves the open thread's bookmarks to its comments. O(comments).
    #[must_use]
    pub fn attach(&self, thread: &Thread) -> Attached {
        let Some(tb) = self.for_thread(&thread.key) else {
            return Attached::default();
        };
        let wanted: HashMap<&str, usize> = tb
            .bookmarks
            .iter()
            .enumerate()
            .filter_map(|(i, b)| b.comment.as_ref().map(|c| (c.0.as_str(), i)))
            .collect();
        let mut places = vec![Place::NotInThisCopy; tb.bookmarks.len()];
        for (i, b) in tb.bookmarks.iter().enumerate() {
            if b.comment.is_none() {
                places[i] = Place::Article;
            }
        }
        if !wanted.is_empty() {
            for idx in thread.indices() {
                if let Some(&i) = wanted.get(thread.comment(idx).id.0.as_str()) {
                    places[i] = Place::Comment(idx);
                }
            }
        }
        let moved = reattach(thread, &tb.bookmarks, &mut places);
        let mut entries: Vec<AttachedBookmark> = tb
            .bookmarks
            .iter()
            .zip(places)
            .map(|(b, place)| AttachedBookmark {
                place,
                bookmark: b.clone(),
                key: tb.key.clone(),
            })
            .collect();
        // Stable: "not in this copy" keep their saved order.
        entries.sort_by_key(|e| e.place);
        let marked = entries
            .iter()
            .filter_map(|e| match e.place {
                Place::Comment(idx) => Some(idx),
                _ => None,
            })
            .collect();
        Attached {
            marked,
            article: entries.iter().any(|e| e.place == Place::Article),
            entries,
            moved,
        }
    }
}
