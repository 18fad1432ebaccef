//! Which comments are visible, which is selected, and what the tree window shows.
//!
//! Wraps the folding state of the arena: a `folded` flag per comment, the zoom stack, and the
//! list of visible rows (comment indices, sorted, because the arena is in pre-order). Fold
//! changes splice the row list instead of rebuilding it, selection is a row index, and
//! nothing here is proportional to the thread per keystroke except "expand/fold all",
//! which is one linear pass. Every mutator returns whether anything changed.

use crate::model::{CommentIdx, Thread, index_u32};
use crate::search::{Filter, Mark};

/// The fold flag of every comment, with how many are set and a counter of changes, kept
/// together so no caller can update one without the others.
#[derive(Clone, Debug, Default)]
struct Folds {
    flags: Vec<bool>,
    count: usize,
    generation: u64,
    /// While a [`Checkpoint`] is open: each flag changed since, with its value before, so
    /// going back costs what changed, not a copy of every flag.
    journal: Option<Vec<(usize, bool)>>,
}

impl Folds {
    fn new(len: usize) -> Self {
        Self {
            flags: vec![false; len],
            ..Self::default()
        }
    }

    fn is(&self, i: usize) -> bool {
        self.flags.get(i).copied().unwrap_or(false)
    }

    /// Sets one flag; whether it changed.
    fn set(&mut self, i: usize, fold: bool) -> bool {
        let Some(f) = self.flags.get_mut(i) else {
            return false;
        };
        if *f == fold {
            return false;
        }
        *f = fold;
        if fold {
            self.count += 1;
        } else {
            self.count -= 1;
        }
        self.generation += 1;
        if let Some(j) = &mut self.journal {
            j.push((i, !fold));
        }
        true
    }

    /// Puts back every flag the journal recorded, newest first; whether any changed.
    fn undo_journal(&mut self) -> bool {
        let Some(mut journal) = self.journal.take() else {
            return false;
        };
        let changed = !journal.is_empty();
        while let Some((i, was)) = journal.pop() {
            self.set(i, was);
        }
        self.journal = Some(journal);
        changed
    }

    /// Sets every flag in `range` to `want(i)`; whether any changed. One pass.
    fn set_range(
        &mut self,
        range: std::ops::Range<usize>,
        mut want: impl FnMut(usize) -> bool,
    ) -> bool {
        let mut changed = false;
        for i in range {
            let w = want(i);
            if let Some(f) = self.flags.get_mut(i)
                && *f != w
            {
                changed = true;
                if let Some(j) = &mut self.journal {
                    j.push((i, *f));
                }
                if w {
                    self.count += 1;
                } else {
                    self.count -= 1;
                }
                *f = w;
            }
        }
        // Saved folds follow this counter: a pass that changed nothing still counts, as the
        // recount it replaces did.
        self.generation += 1;
        changed
    }
}

/// Folding, zoom, selection and scroll of the comment tree.
#[derive(Clone, Debug, Default)]
pub struct ThreadTree {
    folded: Folds,
    rows: Vec<u32>,
    zoom: Vec<CommentIdx>,
    /// When a filter is active: which comments pass, and which are only shown as context.
    filter: Option<Filter>,
    selected: usize,
    top: usize,
    /// Comments the rules hide, with their subtrees (empty: none hidden).
    hidden: Vec<bool>,
}

/// Where the tree was when a live search began: enough to go back without a copy of the
/// tree (the folds changed since are journalled in [`Folds`]). One at a time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checkpoint {
    zoom: Vec<CommentIdx>,
    selected: Option<CommentIdx>,
    top: usize,
}

impl Checkpoint {
    /// The comment selected then.
    #[must_use]
    pub fn selected(&self) -> Option<CommentIdx> {
        self.selected
    }
}

impl ThreadTree {
    /// Starts recording fold changes, to go back to this moment with [`Self::rollback`].
    pub fn checkpoint(&mut self) -> Checkpoint {
        self.folded.journal = Some(Vec::new());
        Checkpoint {
            zoom: self.zoom.clone(),
            selected: self.selected(),
            top: self.top,
        }
    }

    /// Goes back to `cp`: the folds and zoom as they were, `filter` (the one the app's
    /// state asks for now), and the same comment selected at the same scroll. Costs the
    /// changes since, plus one rebuild when folds, zoom or filter changed. Recording goes on.
    pub fn rollback(&mut self, thread: &Thread, cp: &Checkpoint, filter: Option<Filter>) {
        let mut changed = self.folded.undo_journal();
        if self.zoom != cp.zoom {
            self.zoom.clone_from(&cp.zoom);
            changed = true;
        }
        if filter.is_some() || self.filter.is_some() {
            self.filter = filter;
            changed = true;
        }
        if changed {
            self.rebuild(thread);
        }
        if let Some(row) = cp.selected.and_then(|s| self.row_of(s)) {
            self.selected = row;
        }
        self.top = cp.top.min(self.rows.len().saturating_sub(1));
    }

    /// Stops recording fold changes (the prompt closed).
    pub fn end_checkpoint(&mut self) {
        self.folded.journal = None;
    }

    /// All comments unfolded, first row selected.
    #[must_use]
    pub fn new(thread: &Thread) -> Self {
        let mut tree = Self {
            folded: Folds::new(thread.len()),
            ..Self::default()
        };
        tree.rebuild(thread);
        tree
    }

    /// Visible rows, in order.
    #[must_use]
    pub fn rows(&self) -> &[u32] {
        &self.rows
    }

    /// Number of visible rows.
    #[must_use]
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// True when nothing is visible.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The selected row index.
    #[must_use]
    pub fn selected_row(&self) -> usize {
        self.selected
    }

    /// The first row in the window.
    #[must_use]
    pub fn top(&self) -> usize {
        self.top
    }

    /// The comment at a row.
    #[must_use]
    pub fn comment_at(&self, row: usize) -> Option<CommentIdx> {
        self.rows.get(row).map(|r| CommentIdx(*r))
    }

    /// The selected comment.
    #[must_use]
    pub fn selected(&self) -> Option<CommentIdx> {
        self.comment_at(self.selected)
    }

    /// How many comments are folded.
    #[must_use]
    pub fn folded_count(&self) -> usize {
        self.folded.count
    }

    /// Whether a comment is folded.
    #[must_use]
    pub fn is_folded(&self, idx: CommentIdx) -> bool {
        self.folded.is(idx.get())
    }

    /// Folded comments (with replies), for saving.
    pub fn folded_comments(&self) -> impl Iterator<Item = CommentIdx> + '_ {
        self.folded
            .flags
            .iter()
            .enumerate()
            .filter(|(_, f)| **f)
            .map(|(i, _)| CommentIdx(crate::model::index_u32(i)))
    }

    /// The zoom stack, outermost first.
    #[must_use]
    pub fn zoom_stack(&self) -> &[CommentIdx] {
        &self.zoom
    }

    /// The current zoom root, if zoomed.
    #[must_use]
    pub fn zoom_root(&self) -> Option<CommentIdx> {
        self.zoom.last().copied()
    }

    /// The active filter.
    #[must_use]
    pub fn filter(&self) -> Option<&Filter> {
        self.filter.as_ref()
    }

    /// Depth relative to the zoom root (the root shows at 0).
    #[must_use]
    pub fn display_depth(&self, thread: &Thread, idx: CommentIdx) -> u32 {
        let base = self.zoom_root().map_or(0, |z| thread.comment(z).depth);
        thread.comment(idx).depth.saturating_sub(base)
    }

    /// The arena range the view covers (the zoom root's subtree, or everything).
    fn range(&self, thread: &Thread) -> (usize, usize) {
        match self.zoom_root() {
            Some(z) => (z.get(), thread.comment(z).subtree_end.get()),
            None => (0, thread.len()),
        }
    }

    /// Row of a comment, if visible.
    #[must_use]
    pub fn row_of(&self, idx: CommentIdx) -> Option<usize> {
        self.rows.binary_search(&idx.0).ok()
    }

    /// A number that changes whenever the folds change (for saving them only then).
    #[must_use]
    pub fn fold_generation(&self) -> u64 {
        self.folded.generation
    }

    /// Whether a comment is hidden by the rules (itself or an ancestor).
    #[must_use]
    pub fn is_hidden(&self, idx: CommentIdx) -> bool {
        self.hidden.get(idx.get()).copied().unwrap_or(false)
    }

    /// Hides the comments `own` marks and their subtrees (an empty `own` shows them all).
    pub fn set_hidden(&mut self, thread: &Thread, own: &[bool]) {
        self.hidden.clear();
        if own.iter().any(|h| *h) {
            // Pre-order: a parent's flag is final before its replies are reached.
            self.hidden = Vec::with_capacity(thread.len());
            for (i, c) in thread.comments.iter().enumerate() {
                let inherited = c.parent.is_some_and(|p| self.hidden[p.get()]);
                self.hidden
                    .push(inherited || own.get(i).copied().unwrap_or(false));
            }
        }
        self.rebuild(thread);
    }

    /// Recomputes the visible rows from folds, zoom and filter; keeps the selected comment
    /// selected when it is still visible, else the nearest row before it.
    pub fn rebuild(&mut self, thread: &Thread) {
        let keep = self.selected();
        let (start, end) = self.range(thread);
        self.rows.clear();
        if let Some(filter) = &self.filter {
            let shown = filter.shown();
            let lo = shown.partition_point(|c| c.get() < start);
            let hi = shown.partition_point(|c| c.get() < end);
            let hidden = &self.hidden;
            self.rows.extend(
                shown[lo..hi]
                    .iter()
                    .filter(|c| !hidden.get(c.get()).copied().unwrap_or(false))
                    .map(|c| c.0),
            );
        } else {
            let mut i = start;
            while i < end {
                if self.hidden.get(i).copied().unwrap_or(false) {
                    i = thread.comments[i].subtree_end.get();
                    continue;
                }
                self.rows.push(crate::model::index_u32(i));
                i = if self.folded.is(i) {
                    thread.comments[i].subtree_end.get()
                } else {
                    i + 1
                };
            }
        }
        self.selected = match keep {
            Some(k) => match self.rows.binary_search(&k.0) {
                Ok(r) => r,
                Err(r) => r.saturating_sub(1),
            },
            None => 0,
        };
        self.clamp_selection();
    }

    fn clamp_selection(&mut self) {
        self.selected = self.selected.min(self.rows.len().saturating_sub(1));
    }

    /// Selects a row (clamped). Returns whether the selection moved.
    pub fn select_row(&mut self, row: usize) -> bool {
        let row = row.min(self.rows.len().saturating_sub(1));
        let changed = row != self.selected;
        self.selected = row;
        changed
    }

    /// Selects a comment, unfolding its ancestors (and leaving zoom/filter when they hide
    /// it). Returns whether anything changed.
    pub fn reveal(&mut self, thread: &Thread, idx: CommentIdx) -> bool {
        let mut changed = false;
        if let Some(z) = self.zoom_root()
            && !(z <= idx && idx < thread.comment(z).subtree_end)
        {
            self.zoom.clear();
            changed = true;
        }
        if let Some(f) = &self.filter
            && f.mark(idx) == Mark::Hidden
        {
            self.filter = None;
            changed = true;
        }
        let mut unfolded = false;
        for a in thread.ancestors(idx) {
            unfolded |= self.folded.set(a.get(), false);
        }
        if changed || unfolded {
            self.rebuild(thread);
        }
        match self.row_of(idx) {
            Some(r) => self.select_row(r) || changed || unfolded,
            None => changed || unfolded,
        }
    }

    /// Folds (`true`) or unfolds a comment with replies, splicing the rows.
    pub fn set_folded(&mut self, thread: &Thread, idx: CommentIdx, fold: bool) -> bool {
        if !thread.has_replies(idx) || !self.folded.set(idx.get(), fold) {
            return false;
        }
        if self.filter.is_some() {
            return true;
        }
        let Some(row) = self.row_of(idx) else {
            return true;
        };
        let end = thread.comment(idx).subtree_end.0;
        if fold {
            let stop = match self.rows.binary_search(&end) {
                Ok(r) | Err(r) => r,
            };
            self.rows.drain(row + 1..stop);
            if self.selected > row && self.selected < stop {
                self.selected = row;
            } else if self.selected >= stop {
                self.selected -= stop - row - 1;
            }
        } else {
            let mut added = Vec::new();
            let mut i = idx.get() + 1;
            while i < end as usize {
                if self.hidden.get(i).copied().unwrap_or(false) {
                    i = thread.comments[i].subtree_end.get();
                    continue;
                }
                added.push(crate::model::index_u32(i));
                i = if self.folded.is(i) {
                    thread.comments[i].subtree_end.get()
                } else {
                    i + 1
                };
            }
            if self.selected > row {
                self.selected += added.len();
            }
            let at = row + 1;
            self.rows.splice(at..at, added);
        }
        true
    }

    /// Folds everything with replies (`true`) or unfolds everything.
    pub fn set_all_folded(&mut self, thread: &Thread, fold: bool) -> bool {
        let changed = self.folded.set_range(0..thread.len(), |i| {
            fold && thread.has_replies(CommentIdx(index_u32(i)))
        });
        if changed {
            // Keep the selection on the top-level comment it was under.
            if fold && let Some(sel) = self.selected() {
                let root = thread.ancestors(sel).last().unwrap_or(sel);
                self.selected = self.rows.binary_search(&root.0).unwrap_or(0);
            }
            self.rebuild(thread);
        }
        changed
    }

    /// Shows replies down to `depth` levels below the top and folds deeper ones.
    pub fn show_depth(&mut self, thread: &Thread, depth: u32) -> bool {
        let (start, end) = self.range(thread);
        let base = self.zoom_root().map_or(0, |z| thread.comment(z).depth);
        let changed = self.folded.set_range(start..end, |i| {
            let c = &thread.comments[i];
            c.depth.saturating_sub(base) >= depth && thread.has_replies(CommentIdx(index_u32(i)))
        });
        if changed {
            if let Some(sel) = self.selected() {
                // Move the selection up to its visible ancestor.
                let target = std::iter::once(sel)
                    .chain(thread.ancestors(sel))
                    .find(|a| self.display_depth(thread, *a) <= depth)
                    .unwrap_or(sel);
                self.selected = self.rows.binary_search(&target.0).unwrap_or(0);
            }
            self.rebuild(thread);
        }
        changed
    }

    /// Zooms into the selected comment's subthread.
    pub fn zoom_in(&mut self, thread: &Thread) -> bool {
        let Some(sel) = self.selected() else {
            return false;
        };
        if self.zoom_root() == Some(sel) {
            return false;
        }
        self.folded.set(sel.get(), false);
        self.zoom.push(sel);
        self.rebuild(thread);
        self.selected = 0;
        self.top = 0;
        true
    }

    /// Leaves the innermost zoom, keeping its root selected.
    pub fn zoom_out(&mut self, thread: &Thread) -> bool {
        let Some(root) = self.zoom.pop() else {
            return false;
        };
        self.rebuild(thread);
        if let Some(r) = self.row_of(root) {
            self.selected = r;
        }
        true
    }

    /// Shows only the filter's comments (or, with `None`, everything again).
    pub fn set_filter(&mut self, thread: &Thread, filter: Option<Filter>) -> bool {
        let keep = self.selected();
        self.filter = filter;
        self.rebuild(thread);
        if let Some(k) = keep {
            if self.filter.is_none() {
                self.reveal(thread, k);
            } else if let Some(r) = self.row_of(k) {
                self.selected = r;
            }
        }
        true
    }

    /// Restores folds from a saved list.
    pub fn restore_folds(&mut self, thread: &Thread, folded: impl IntoIterator<Item = CommentIdx>) {
        let mut wanted = vec![false; thread.len()];
        for idx in folded {
            if let Some(w) = wanted.get_mut(idx.get()) {
                *w = thread.has_replies(idx);
            }
        }
        self.folded.set_range(0..thread.len(), |i| wanted[i]);
        self.rebuild(thread);
    }

    /// Keeps the selection inside a window of `height` rows, with a small margin.
    pub fn scroll_into_view(&mut self, height: usize) {
        let height = height.max(1);
        let margin = (height / 4).min(3);
        let max_top = self.rows.len().saturating_sub(height);
        if self.selected < self.top + margin {
            self.top = self.selected.saturating_sub(margin);
        } else if self.selected + margin >= self.top + height {
            self.top = (self.selected + margin + 1).saturating_sub(height);
        }
        self.top = self.top.min(max_top);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Body, CommentDraft, ThreadBuilder};

    #[test]
    fn folds_keep_their_count_and_generation_with_the_flags() {
        let mut f = Folds::new(5);
        assert!(f.set(1, true) && f.set(3, true));
        assert!(!f.set(3, true), "no change, no count");
        assert_eq!((f.count, f.generation), (2, 2));
        assert!(f.set_range(0..5, |i| i % 2 == 0));
        assert_eq!(f.count, 3, "0, 2, 4");
        assert_eq!(f.count, f.flags.iter().filter(|x| **x).count());
        assert!(!f.set(9, true), "out of range is no change");
        let before = f.generation;
        assert!(f.set(0, false));
        assert_eq!((f.count, f.generation), (2, before + 1));
    }

    /// a(a1(a1x), a2), b(b1)
    fn sample() -> Thread {
        let mut b = ThreadBuilder::new();
        let d = |t: &str| CommentDraft {
            body: Body::from_plain(t),
            ..CommentDraft::default()
        };
        let a = b.push(None, d("a"));
        let a1 = b.push(Some(a), d("a1"));
        b.push(Some(a1), d("a1x"));
        b.push(Some(a), d("a2"));
        let bb = b.push(None, d("b"));
        b.push(Some(bb), d("b1"));
        b.finish()
    }

    #[test]
    fn fold_and_unfold_splice_rows() {
        let t = sample();
        let mut tree = ThreadTree::new(&t);
        assert_eq!(tree.rows(), [0, 1, 2, 3, 4, 5]);
        tree.select_row(4);
        assert!(tree.set_folded(&t, CommentIdx(0), true));
        assert_eq!(tree.rows(), [0, 4, 5]);
        assert_eq!(tree.selected(), Some(CommentIdx(4)));
        assert!(tree.set_folded(&t, CommentIdx(1), true));
        assert!(tree.set_folded(&t, CommentIdx(0), false));
        assert_eq!(tree.rows(), [0, 1, 3, 4, 5]);
        assert_eq!(tree.selected(), Some(CommentIdx(4)));
        assert!(
            !tree.set_folded(&t, CommentIdx(5), true),
            "leaves do not fold"
        );
    }

    #[test]
    fn depth_zoom_and_reveal() {
        let t = sample();
        let mut tree = ThreadTree::new(&t);
        tree.show_depth(&t, 1);
        assert_eq!(tree.rows(), [0, 1, 3, 4, 5]);
        tree.select_row(1);
        tree.zoom_in(&t);
        assert_eq!(tree.rows(), [1, 2]);
        assert_eq!(tree.display_depth(&t, CommentIdx(2)), 1);
        tree.zoom_out(&t);
        assert_eq!(tree.selected(), Some(CommentIdx(1)));
        tree.set_all_folded(&t, true);
        assert_eq!(tree.rows(), [0, 4]);
        assert!(tree.reveal(&t, CommentIdx(2)));
        assert_eq!(tree.selected(), Some(CommentIdx(2)));
        assert_eq!(tree.rows(), [0, 1, 2, 3, 4]);
    }

    #[test]
    fn rollback_goes_back_to_the_checkpoint_without_a_copy() {
        let t = sample();
        let mut tree = ThreadTree::new(&t);
        tree.set_all_folded(&t, true);
        tree.select_row(1);
        let (rows, folds) = (tree.rows().to_vec(), tree.folded_count());
        let cp = tree.checkpoint();
        // What a live search does: reveal a deep comment (unfolding two), zoom in.
        assert!(tree.reveal(&t, CommentIdx(2)));
        tree.zoom_in(&t);
        assert_eq!(tree.folded.journal.as_ref().map(Vec::len), Some(2));
        tree.rollback(&t, &cp, None);
        assert_eq!(tree.rows(), rows);
        assert_eq!(tree.folded_count(), folds);
        assert_eq!(tree.selected(), Some(CommentIdx(4)));
        assert!(tree.zoom_stack().is_empty());
        assert_eq!(tree.folded.journal.as_ref().map(Vec::len), Some(0));
        // A filter given to rollback is the one shown; recording stops at the end.
        let mut searcher = crate::search::Searcher::new(&t);
        let m = searcher.search("b1", false).unwrap().unwrap();
        tree.rollback(&t, &cp, Some(m.filter(&t)));
        assert_eq!(tree.rows(), [4, 5]);
        tree.end_checkpoint();
        tree.set_folded(&t, CommentIdx(0), false);
        assert!(tree.folded.journal.is_none());
    }

    #[test]
    fn filter_shows_matches_and_context() {
        let t = sample();
        let mut tree = ThreadTree::new(&t);
        let mut searcher = crate::search::Searcher::new(&t);
        let matches = searcher.search("a1x", false).unwrap().unwrap();
        tree.set_filter(&t, Some(matches.filter(&t)));
        assert_eq!(tree.rows(), [0, 1, 2]);
        tree.select_row(2);
        tree.set_filter(&t, None);
        assert_eq!(tree.selected(), Some(CommentIdx(2)));
        assert_eq!(tree.len(), 6);
    }

    #[test]
    fn scroll_keeps_selection_in_view() {
        let t = sample();
        let mut tree = ThreadTree::new(&t);
        tree.select_row(5);
        tree.scroll_into_view(3);
        assert!(tree.top() <= 5 && 5 < tree.top() + 3);
        tree.select_row(0);
        tree.scroll_into_view(3);
        assert_eq!(tree.top(), 0);
    }
}
