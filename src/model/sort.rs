//! Sorting a thread: siblings reordered within their parent, the arena rebuilt in pre-order.
//!
//! Why the arena itself is reordered rather than a view order kept beside it: everything
//! else (visible rows as sorted indices, `idx..subtree_end` subtrees, search order, "next
//! new") relies on the pre-order invariant of [`super::Thread`]. Reordering the arena keeps
//! that invariant, so no other module needs to know the thread was sorted; the price is that
//! comment indices change, and [`Thread::reorder`] returns the mapping so the caller can
//! carry index-keyed state across. No recursion (the walk is an explicit stack), and the
//! cost is one sort of each sibling list plus two linear passes: well under 30 ms for
//! 100,000 comments (benches/sort.rs).

use super::{Comment, CommentIdx, Thread, index_u32};

/// The orders `s` cycles through.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum SortOrder {
    /// As in the file: the source's own order.
    #[default]
    File,
    /// Highest score first.
    Score,
    /// Newest first.
    Newest,
    /// Oldest first.
    Oldest,
    /// Most replies (all levels) first.
    Replies,
}

impl SortOrder {
    /// Every order, in the order `s` cycles through them.
    pub const ALL: [SortOrder; 5] = [
        SortOrder::File,
        SortOrder::Score,
        SortOrder::Newest,
        SortOrder::Oldest,
        SortOrder::Replies,
    ];

    /// The name used in `config.toml` and the reading state.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::File => "file",
            Self::Score => "score",
            Self::Newest => "newest",
            Self::Oldest => "oldest",
            Self::Replies => "replies",
        }
    }

    /// Parses a name written by [`Self::name`].
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.name() == name)
    }

    /// The words for the status bar (`sorted by score`).
    #[must_use]
    pub fn describe(self) -> &'static str {
        match self {
            Self::File => "in file order",
            Self::Score => "sorted by score",
            Self::Newest => "newest first",
            Self::Oldest => "oldest first",
            Self::Replies => "most replies first",
        }
    }

    /// The next order (`forward`) or the previous one, wrapping.
    #[must_use]
    pub fn step(self, forward: bool) -> Self {
        let n = Self::ALL.len();
        let i = Self::ALL.iter().position(|o| *o == self).unwrap_or(0);
        let j = if forward {
            (i + 1) % n
        } else {
            (i + n - 1) % n
        };
        Self::ALL[j]
    }
}

/// Sort key of one comment: smaller sorts first; ties keep the file order.
fn key(order: SortOrder, c: &Comment, own: usize, file_pos: u32) -> (i64, u32) {
    // Comments without the value go last in every order.
    let v = match order {
        SortOrder::File => 0,
        SortOrder::Score => c.score.map_or(i64::MAX, i64::saturating_neg),
        SortOrder::Newest => c
            .created
            .as_ref()
            .and_then(super::Timestamp::unix)
            .map_or(i64::MAX, i64::saturating_neg),
        SortOrder::Oldest => c
            .created
            .as_ref()
            .and_then(super::Timestamp::unix)
            .unwrap_or(i64::MAX),
        SortOrder::Replies => -i64::try_from(c.subtree_end.get() - own - 1).unwrap_or(i64::MAX),
    };
    (v, file_pos)
}

impl Thread {
    /// Reorders siblings by `order` (ties, and [`SortOrder::File`], by `file_pos`: each
    /// comment's position in the file, indexed like the arena and permuted along with it).
    /// Returns `new_of_old`: the new index of each old index.
    pub fn reorder(&mut self, order: SortOrder, file_pos: &mut Vec<u32>) -> Vec<u32> {
        let n = self.comments.len();
        if file_pos.len() != n {
            *file_pos = (0..n).map(index_u32).collect();
        }
        let keys: Vec<(i64, u32)> = self
            .comments
            .iter()
            .enumerate()
            .map(|(i, c)| key(order, c, i, file_pos[i]))
            .collect();
        let by_key = |a: &CommentIdx, b: &CommentIdx| keys[a.get()].cmp(&keys[b.get()]);
        self.roots.sort_unstable_by(by_key);
        for i in 0..n {
            let replies = self.kids_range(i);
            self.kids[replies].sort_unstable_by(by_key);
        }
        // The new pre-order, by an explicit stack.
        let mut order_old: Vec<u32> = Vec::with_capacity(n);
        let mut stack: Vec<CommentIdx> = self.roots.iter().rev().copied().collect();
        while let Some(i) = stack.pop() {
            order_old.push(i.0);
            stack.extend(self.children(i).iter().rev());
        }
        debug_assert_eq!(order_old.len(), n, "every comment is reachable from a root");
        let mut new_of_old = vec![0u32; n];
        for (new, old) in order_old.iter().enumerate() {
            new_of_old[*old as usize] = index_u32(new);
        }
        let map = |i: CommentIdx| CommentIdx(new_of_old[i.get()]);
        let mut old: Vec<Option<Comment>> = std::mem::take(&mut self.comments)
            .into_iter()
            .map(Some)
            .collect();
        let mut comments = Vec::with_capacity(n);
        let mut new_file_pos = Vec::with_capacity(n);
        for (new, o) in order_old.iter().enumerate() {
            let Some(mut c) = old[*o as usize].take() else {
                continue;
            };
            let size = c.subtree_end.get() - *o as usize;
            c.subtree_end = CommentIdx(index_u32(new + size));
            c.parent = c.parent.map(map);
            comments.push(c);
            new_file_pos.push(file_pos[*o as usize]);
        }
        // The old list goes before the new one is built, so both never exist at once.
        self.kids = Vec::new();
        self.kids = super::link_children(&mut comments);
        self.comments = comments;
        *file_pos = new_file_pos;
        for r in &mut self.roots {
            *r = map(*r);
        }
        new_of_old
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Body, CommentDraft, ThreadBuilder};

    fn draft(id: &str, score: i64) -> CommentDraft {
        CommentDraft {
            source_id: Some(id.to_string()),
            author: Some(format!("a{id}")),
            score: Some(score),
            body: Body::from_plain(id),
            ..CommentDraft::default()
        }
    }

    fn sample() -> Thread {
        let mut b = ThreadBuilder::new();
        let one = b.push(None, draft("1", 1));
        b.push(Some(one), draft("1a", 5));
        let one_b = b.push(Some(one), draft("1b", 9));
        b.push(Some(one_b), draft("1b1", 0));
        b.push(None, draft("2", 7));
        let three = b.push(None, draft("3", 3));
        b.push(Some(three), draft("3a", 2));
        b.finish()
    }

    fn ids(t: &Thread) -> Vec<&str> {
        t.comments.iter().map(|c| c.id.0.as_str()).collect()
    }

    /// Pre-order, parents, children and subtree ends agree, checked independently.
    fn check_invariants(t: &Thread) {
        for (i, c) in t.comments.iter().enumerate() {
            let idx = CommentIdx(index_u32(i));
            let replies: Vec<CommentIdx> = (0..t.len())
                .map(|j| CommentIdx(index_u32(j)))
                .filter(|&j| t.comment(j).parent == Some(idx))
                .collect();
            assert_eq!(t.children(idx), replies, "replies of {}", c.id);
            assert_eq!(t.has_replies(idx), !replies.is_empty());
            for ch in t.children(idx) {
                assert_eq!(t.comment(*ch).parent, Some(idx));
                assert!(ch.get() > i && *ch < c.subtree_end);
            }
            let mut end = i + 1;
            while end < t.len() && t.ancestors(CommentIdx(index_u32(end))).any(|a| a == idx) {
                end += 1;
            }
            assert_eq!(c.subtree_end.get(), end, "subtree end of {}", c.id);
        }
        let roots: Vec<CommentIdx> = t
            .indices()
            .filter(|i| t.comment(*i).parent.is_none())
            .collect();
        assert_eq!(roots, t.roots);
    }

    #[test]
    fn sorts_siblings_and_keeps_the_tree() {
        let mut t = sample();
        let before = t.clone();
        let mut pos = Vec::new();
        let map = t.reorder(SortOrder::Score, &mut pos);
        assert_eq!(ids(&t), ["2", "3", "3a", "1", "1b", "1b1", "1a"]);
        check_invariants(&t);
        for (old, new) in map.iter().enumerate() {
            assert_eq!(before.comments[old].id, t.comments[*new as usize].id);
        }
        t.reorder(SortOrder::Replies, &mut pos);
        assert_eq!(ids(&t), ["1", "1b", "1b1", "1a", "3", "3a", "2"]);
        check_invariants(&t);
        t.reorder(SortOrder::File, &mut pos);
        assert_eq!(t, before, "file order restores the thread exactly");
    }

    #[test]
    fn missing_values_go_last_and_ties_keep_file_order() {
        let mut b = ThreadBuilder::new();
        let mut none = draft("x", 0);
        none.score = None;
        b.push(None, none);
        b.push(None, draft("y", 4));
        b.push(None, draft("z", 4));
        let mut t = b.finish();
        t.reorder(SortOrder::Score, &mut Vec::new());
        assert_eq!(ids(&t), ["y", "z", "x"]);
    }

    #[test]
    fn cycles_through_every_order() {
        let mut o = SortOrder::File;
        for _ in 0..5 {
            o = o.step(true);
        }
        assert_eq!(o, SortOrder::File);
        assert_eq!(SortOrder::File.step(false), SortOrder::Replies);
        for o in SortOrder::ALL {
            assert_eq!(SortOrder::from_name(o.name()), Some(o));
        }
    }

    #[test]
    fn a_deep_chain_sorts_without_recursion() {
        let mut b = ThreadBuilder::new();
        let mut last = b.push(None, draft("0", 0));
        for i in 1..100_000 {
            last = b.push(Some(last), draft(&i.to_string(), 0));
        }
        let mut t = b.finish();
        t.reorder(SortOrder::Newest, &mut Vec::new());
        assert_eq!(t.comments[99_999].depth, 99_999);
        assert_eq!(t.comments[0].subtree_end.get(), 100_000);
    }
}
