//! The thread model: one discussion as a flat arena of comments.
//!
//! Owns `Thread`, `Comment`, their ids and bodies. No IO, no ratatui, and no recursion over
//! tree depth anywhere: a reply chain 100,000 deep is legal input, so every walk here is a
//! loop and the arena owns comments flatly (dropping it never recurses).
//!
//! Invariant kept by [`ThreadBuilder::finish`]: `comments` is in pre-order (document order,
//! parents before children, siblings in order). So a comment's subtree is the contiguous
//! range `idx..subtree_end`, the visible rows of any folding are sorted by index, and "how
//! many replies does this hide" is a subtraction.

mod body;
mod builder;
mod date;
mod fingerprint;
mod frozen;
mod labels;
mod legacy;
mod marks;
mod own_hashes;
mod sort;

pub use body::{Block, BlockKind, Body, Link, Marker, Span, SpanStyle, Spans};
pub use builder::{CommentDraft, ThreadBuilder};
pub use date::Timestamp;
pub use frozen::FrozenStr;
pub use labels::{is_op, position_label};
pub use marks::Marks;
pub use sort::SortOrder;

use std::fmt;

use compact_str::CompactString;

/// Index of a comment in [`Thread::comments`]. Cheap to copy; only valid for its thread.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct CommentIdx(pub u32);

impl CommentIdx {
    /// The index as a `usize`, for slicing the arena.
    #[must_use]
    pub fn get(self) -> usize {
        self.0 as usize
    }
}

/// A comment's stable id: the source's own id when it has one, else a fingerprint of the
/// comment's own author and text (the parent's id added only when an identical comment came
/// earlier). Bookmarks and reading state point at these. Held inline up to 24 bytes (a
/// fingerprint id is 16 hex digits, most sites' ids are shorter): a `Box<str>` would be
/// one 32-byte allocation per comment.
#[derive(
    Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(transparent)]
pub struct CommentId(pub CompactString);

impl fmt::Display for CommentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One comment of a thread.
///
/// Text fields that never change after loading are [`FrozenStr`]s and lists are boxed
/// slices: a big thread holds a hundred thousand of these, and `String`/`Vec` would add
/// 8 bytes each plus spare capacity.
#[derive(Clone, Debug, PartialEq)]
pub struct Comment {
    /// Stable id (see [`CommentId`]); unique within the thread.
    pub id: CommentId,
    /// The comment this one answers; `None` for a top-level comment.
    pub parent: Option<CommentIdx>,
    /// Where this comment's direct replies start in [`Thread::kids`] (they end where the
    /// next comment's start): one shared list instead of a boxed slice per comment, 12
    /// bytes and an allocation less per comment. Read them with [`Thread::children`].
    pub(crate) kids_start: u32,
    /// 0 for top-level comments.
    pub depth: u32,
    /// One past the last index of this comment's subtree (see the module invariant).
    pub subtree_end: CommentIdx,
    /// Author name as the source gives it.
    pub author: Option<FrozenStr>,
    /// When it was written.
    pub created: Option<Timestamp>,
    /// Points or score.
    pub score: Option<i64>,
    /// The text.
    pub body: Body,
    /// Deleted or removed at the source; the comment keeps its place for its replies.
    pub deleted: bool,
    /// Replies the source knew about that the file does not contain.
    pub more: u32,
    /// The comment's own permalink, when the source has one.
    pub url: Option<FrozenStr>,
    /// What the source says about it besides its text (dead, edited, moderator...).
    pub marks: Marks,
}

impl Comment {
    /// How many comments (all levels) are below this one.
    #[must_use]
    pub fn descendants(&self, own: CommentIdx) -> usize {
        self.subtree_end.get() - own.get() - 1
    }
}

/// A saved discussion: the article and its comments.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Thread {
    /// The article's title.
    pub title: Option<String>,
    /// Where the thread was published.
    pub url: Option<String>,
    /// The article's author.
    pub author: Option<String>,
    /// When the article was published.
    pub created: Option<Timestamp>,
    /// The article's score.
    pub score: Option<i64>,
    /// The community it was posted in, as the site names it (`r/rust`).
    pub community: Option<String>,
    /// The article text.
    pub body: Body,
    /// All comments, in pre-order.
    pub comments: Vec<Comment>,
    /// Top-level comments, in order.
    pub roots: Vec<CommentIdx>,
    /// Every comment's direct replies, comment after comment in arena order (see
    /// [`Comment::kids_start`]); built by [`link_children`].
    pub(crate) kids: Vec<CommentIdx>,
    /// Replies to the article the source knew about but the file does not contain.
    pub more: u32,
    /// Stable key of the thread: source URL or id, else a fingerprint of title and article.
    pub key: String,
    /// Things the reader should know about how the file was read (lossy UTF-8, ...).
    pub warnings: Vec<String>,
}

impl Thread {
    /// The comment at `idx`.
    ///
    /// # Panics
    /// When `idx` is not from this thread.
    #[must_use]
    pub fn comment(&self, idx: CommentIdx) -> &Comment {
        &self.comments[idx.get()]
    }

    /// Number of comments.
    #[must_use]
    pub fn len(&self) -> usize {
        self.comments.len()
    }

    /// True when the thread has no comments.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.comments.is_empty()
    }

    /// Every index, in pre-order.
    pub fn indices(&self) -> impl DoubleEndedIterator<Item = CommentIdx> + ExactSizeIterator {
        (0..self.comments.len()).map(|i| CommentIdx(index_u32(i)))
    }

    /// Ancestors of `idx`, nearest first.
    pub fn ancestors(&self, idx: CommentIdx) -> impl Iterator<Item = CommentIdx> + '_ {
        std::iter::successors(self.comment(idx).parent, |p| self.comment(*p).parent)
    }

    /// Finds a comment by its stable id (linear; build a map when calling often).
    #[must_use]
    pub fn find(&self, id: &str) -> Option<CommentIdx> {
        self.comments
            .iter()
            .position(|c| c.id.0 == id)
            .map(|i| CommentIdx(index_u32(i)))
    }

    /// Direct replies of `idx`, in document order.
    #[must_use]
    pub fn children(&self, idx: CommentIdx) -> &[CommentIdx] {
        &self.kids[self.kids_range(idx.get())]
    }

    /// Where the replies of comment `i` are in [`Self::kids`].
    pub(crate) fn kids_range(&self, i: usize) -> std::ops::Range<usize> {
        let start = self.comments[i].kids_start as usize;
        let end = self
            .comments
            .get(i + 1)
            .map_or(self.kids.len(), |c| c.kids_start as usize);
        start..end
    }

    /// True when `idx` has replies (O(1): its subtree is more than itself).
    #[must_use]
    pub fn has_replies(&self, idx: CommentIdx) -> bool {
        self.comment(idx).subtree_end.get() > idx.get() + 1
    }

    /// Siblings of `idx` including itself: its parent's children, or the roots.
    #[must_use]
    pub fn siblings(&self, idx: CommentIdx) -> &[CommentIdx] {
        match self.comment(idx).parent {
            Some(p) => self.children(p),
            None => &self.roots,
        }
    }

    /// The 1-based position path of a comment, like `3.1.2`, built without recursion.
    #[must_use]
    pub fn position_path(&self, idx: CommentIdx) -> Vec<usize> {
        let mut path: Vec<usize> = std::iter::once(idx)
            .chain(self.ancestors(idx))
            .map(|c| self.siblings(c).binary_search(&c).map_or(0, |p| p + 1))
            .collect();
        path.reverse();
        path
    }

    /// The comment at a 1-based position path (the inverse of [`Self::position_path`]);
    /// `None` for an empty path or one that leaves the tree.
    #[must_use]
    pub fn at_path(&self, path: &[usize]) -> Option<CommentIdx> {
        let (first, rest) = path.split_first()?;
        let mut at = *self.roots.get(first.checked_sub(1)?)?;
        for p in rest {
            at = *self.children(at).get(p.checked_sub(1)?)?;
        }
        Some(at)
    }
}

/// Fills in every comment's [`Comment::kids_start`] and returns the shared list of
/// replies, allocated once at its size: in pre-order the first reply of `i` is `i + 1` and
/// each next one starts where the previous one's subtree ends. Needs `subtree_end` set.
pub(crate) fn link_children(comments: &mut [Comment]) -> Vec<CommentIdx> {
    let roots = comments.iter().filter(|c| c.parent.is_none()).count();
    let mut kids = Vec::with_capacity(comments.len() - roots);
    for i in 0..comments.len() {
        comments[i].kids_start = index_u32(kids.len());
        let end = comments[i].subtree_end.get();
        let mut child = i + 1;
        while child < end {
            kids.push(CommentIdx(index_u32(child)));
            child = comments[child].subtree_end.get();
        }
    }
    kids
}

/// Converts an arena position to the `u32` the ids use. The arena is capped far below
/// `u32::MAX` by [`ThreadBuilder`], so this cannot truncate.
#[must_use]
pub(crate) fn index_u32(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A big thread holds 100,000 comments and 2.6 blocks per comment: these sizes are
    /// what keeps a loaded thread near twice its file (see the README's "Memory"). A block
    /// is 48 bytes since its spans and a list item's marker are thin pointers.
    #[test]
    fn records_stay_small() {
        assert!(
            std::mem::size_of::<Comment>() <= 144,
            "{}",
            std::mem::size_of::<Comment>()
        );
        assert!(
            std::mem::size_of::<Block>() <= 48,
            "{}",
            std::mem::size_of::<Block>()
        );
    }
}
