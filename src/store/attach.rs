//! The open thread's bookmarks resolved against its comments: markers, `]`/`[`, the list.

use std::collections::HashMap;

use super::bookmarks::{Bookmark, BookmarkRef, Bookmarks};
use crate::model::{CommentIdx, Thread};

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
        }
    }
}
