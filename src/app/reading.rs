//! Reading tools: sort order, following an author, read/unread, and the view filters
//! (`@` one author, `H` hide what is read).
//!
//! Sorting reorders the arena itself (see `crate::model::sort` for why), so this module's
//! job there is carrying the index-keyed state across: folds, zoom, selection, read flags,
//! "new" markers, bookmarks and the search are mapped to the new indices or rebuilt. No IO:
//! the read set reaches the disk with the reading state, saved by the driver.

use std::sync::Arc;

use super::{App, Outcome, Pane, StatusKind, ThreadTree};
use crate::action::Action;
use crate::keymap::Mode;
use crate::model::{CommentIdx, SortOrder};
use crate::search::Filter;

/// Which filter the tree shows: the one place that says it (the tree's [`Filter`] is
/// computed from this and the search's matches by [`App::wanted_filter`], never set apart).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum ViewFilter {
    /// The whole tree.
    #[default]
    None,
    /// `&`: the search's matches and their ancestors.
    Search,
    /// `@`: one author's comments and their ancestors.
    Author(String),
    /// `H`: unread comments and their ancestors.
    HideRead,
}

/// Sort order, read flags and view filter of the open thread.
#[derive(Clone, Debug, Default)]
pub struct Reading {
    /// The tree's order.
    pub order: SortOrder,
    /// Each comment's position in the file, indexed like the arena (empty: unsorted).
    file_pos: Vec<u32>,
    /// Whether each comment has been read, indexed like the arena.
    read: Vec<bool>,
    /// How many are not read.
    unread: usize,
    /// The view filter.
    pub view: ViewFilter,
    /// `X` was pressed: the next Enter marks the thread read, any other key cancels.
    pub confirm_all_read: bool,
}

impl Reading {
    /// Every comment of a thread of `n` comments unread.
    #[must_use]
    pub fn new(n: usize) -> Self {
        Self {
            read: vec![false; n],
            unread: n,
            ..Self::default()
        }
    }

    /// Whether a comment has been read.
    #[must_use]
    pub fn is_read(&self, idx: CommentIdx) -> bool {
        self.read.get(idx.get()).copied().unwrap_or(true)
    }

    /// How many comments are unread.
    #[must_use]
    pub fn unread(&self) -> usize {
        self.unread
    }

    /// Marks one comment read; returns whether it was unread.
    pub fn mark(&mut self, idx: CommentIdx) -> bool {
        match self.read.get_mut(idx.get()) {
            Some(r) if !*r => {
                *r = true;
                self.unread -= 1;
                true
            }
            _ => false,
        }
    }

    /// The read comments, in arena order.
    pub fn read_comments(&self) -> impl Iterator<Item = CommentIdx> + '_ {
        self.read
            .iter()
            .enumerate()
            .filter(|(_, r)| **r)
            .map(|(i, _)| CommentIdx(crate::model::index_u32(i)))
    }
}

impl App {
    /// Marks a comment read; a "new" comment stops counting as new once read.
    pub(crate) fn mark_read(&mut self, idx: CommentIdx) -> bool {
        let was_unread = self.reading.mark(idx);
        if was_unread
            && let Some(lib) = &mut self.library
            && let Ok(p) = lib.new.binary_search(&idx)
        {
            lib.new.remove(p);
        }
        was_unread
    }

    /// Called after every update: the focused comment is read.
    pub(crate) fn mark_focused_read(&mut self) -> bool {
        match (self.focus, self.selected()) {
            (Pane::Comments, Some(idx)) if self.overlay_allows_reading() => self.mark_read(idx),
            _ => false,
        }
    }

    fn overlay_allows_reading(&self) -> bool {
        // A search prompt moves the selection live; only what the reader settles on counts.
        !matches!(self.overlay, super::Overlay::Prompt(_))
    }

    /// `s` / `S`: the next or previous sort order.
    pub(super) fn sort_step(&mut self, forward: bool) -> Outcome {
        if self.thread.is_empty() {
            self.set_status(StatusKind::Info, "No comments to sort");
            return Outcome::changed(true);
        }
        let order = self.reading.order.step(forward);
        self.set_order(order);
        self.set_status(
            StatusKind::Info,
            format!(
                "Comments {} ({} changes the order)",
                order.describe(),
                self.keymap.keys_for(Mode::Comments, Action::SortNext)
            ),
        );
        Outcome::changed(true)
    }

    /// Puts the tree in `order`, keeping the focused comment, folds, zoom, read flags,
    /// "new" markers, bookmarks and the search.
    pub fn set_order(&mut self, order: SortOrder) {
        if order == self.reading.order || self.thread.is_empty() {
            self.reading.order = order;
            return;
        }
        let folded: Vec<CommentIdx> = self.tree.folded_comments().collect();
        let zoom = self.tree.zoom_stack().to_vec();
        let selected = self.selected();
        let query = self
            .search
            .matches
            .as_ref()
            .map(|m| (m.query().text().to_string(), m.query().is_regex()));
        // The index is keyed by comment index: drop it (and any being prepared, so the
        // background thread's `Arc` does not force `make_mut` to copy the thread).
        self.search.reset_index();
        let mut file_pos = std::mem::take(&mut self.reading.file_pos);
        let map = Arc::make_mut(&mut self.thread).reorder(order, &mut file_pos);
        self.reading.file_pos = file_pos;
        self.reading.order = order;
        let m = |i: CommentIdx| CommentIdx(map[i.get()]);
        let mut read = vec![false; map.len()];
        for (old, r) in self.reading.read.iter().enumerate() {
            read[map[old] as usize] = *r;
        }
        self.reading.read = read;
        let thread = Arc::clone(&self.thread);
        if let Some(lib) = &mut self.library {
            for n in &mut lib.new {
                *n = m(*n);
            }
            lib.new.sort_unstable();
            lib.attached = lib.bookmarks.attach(&thread);
        }
        *self.cache.borrow_mut() = crate::text::lines::TextCache::default();
        let mut tree = ThreadTree::new(&thread);
        tree.restore_folds(&thread, folded.into_iter().map(m));
        for z in zoom {
            tree.reveal(&thread, m(z));
            tree.zoom_in(&thread);
        }
        if let Some(s) = selected {
            tree.reveal(&thread, m(s));
        }
        self.tree = tree;
        self.judge();
        self.apply_rule_hiding();
        if let Some((text, regex)) = query {
            self.rerun_search(&text, regex);
        }
        self.apply_view();
    }

    /// `a` / `A`: the next or previous comment by the focused comment's author (the OP's on
    /// the article), in reading order, wrapping with a message.
    pub(super) fn author_step(&mut self, forward: bool) -> Outcome {
        let thread = Arc::clone(&self.thread);
        let (author, from) = match (self.focus, self.selected()) {
            (Pane::Comments, Some(sel)) => match &thread.comment(sel).author {
                Some(a) => (a.to_string(), Some(sel)),
                None => {
                    self.set_status(StatusKind::Info, "This comment has no author to follow");
                    return Outcome::changed(true);
                }
            },
            _ => match &thread.author {
                Some(a) => (a.clone(), None),
                None => {
                    self.set_status(StatusKind::Info, "The article names no author to follow");
                    return Outcome::changed(true);
                }
            },
        };
        let by = |i: &CommentIdx| thread.comment(*i).author.as_deref() == Some(author.as_str());
        let n = thread.len();
        let start = from.map_or(if forward { 0 } else { n }, |f| {
            if forward { f.get() + 1 } else { f.get() }
        });
        let all: Vec<CommentIdx> = thread.indices().collect();
        let (hit, wrapped) = if forward {
            match all[start.min(n)..].iter().find(|i| by(i)) {
                Some(i) => (Some(*i), false),
                None => (all[..start.min(n)].iter().find(|i| by(i)).copied(), true),
            }
        } else {
            match all[..start.min(n)].iter().rev().find(|i| by(i)) {
                Some(i) => (Some(*i), false),
                None => (
                    all[start.min(n)..].iter().rev().find(|i| by(i)).copied(),
                    true,
                ),
            }
        };
        let shown = crate::text::sanitize_line(&author).into_owned();
        match hit {
            Some(i) if Some(i) == from => {
                self.set_status(StatusKind::Info, format!("{shown} wrote only this comment"));
            }
            Some(i) => {
                let total = thread.indices().filter(|c| by(c)).count();
                let ordinal = thread
                    .indices()
                    .take_while(|c| *c != i)
                    .filter(|c| by(c))
                    .count()
                    + 1;
                self.jump_to(i);
                let wrap = if wrapped { " (wrapped)" } else { "" };
                self.set_status(
                    StatusKind::Info,
                    format!("Comment {ordinal}/{total} by {shown}{wrap}"),
                );
            }
            None => self.set_status(StatusKind::Info, format!("No comments by {shown}")),
        }
        Outcome::changed(true)
    }

    /// `u` / `U`: the next or previous unread comment, new ones first, wrapping.
    pub(super) fn unread_step(&mut self, forward: bool) -> Outcome {
        let from = self.selected();
        let new: Vec<CommentIdx> = self
            .library
            .as_ref()
            .map(|l| {
                l.new
                    .iter()
                    .copied()
                    .filter(|i| !self.reading.is_read(*i))
                    .collect()
            })
            .unwrap_or_default();
        let (pool, what): (Vec<CommentIdx>, &str) = if new.is_empty() {
            (
                self.thread
                    .indices()
                    .filter(|i| !self.reading.is_read(*i))
                    .collect(),
                "Unread comment",
            )
        } else {
            (new, "New comment")
        };
        if pool.is_empty() {
            self.set_status(StatusKind::Info, "Every comment is read");
            return Outcome::changed(true);
        }
        let total = pool.len();
        let (pos, wrapped) = if forward {
            let p = from.map_or(0, |f| pool.partition_point(|i| *i <= f));
            if p < total { (p, false) } else { (0, true) }
        } else {
            let p = from.map_or(total, |f| pool.partition_point(|i| *i < f));
            if p > 0 {
                (p - 1, false)
            } else {
                (total - 1, true)
            }
        };
        let idx = pool[pos];
        self.jump_to(idx);
        let wrap = if wrapped { " (wrapped)" } else { "" };
        // The count after this one is read, so the last one says 0 left.
        self.set_status(
            StatusKind::Info,
            format!("{what} {}/{total}{wrap}", pos + 1),
        );
        Outcome::changed(true)
    }

    /// `x`: the focused comment and its whole subtree are read.
    pub(super) fn mark_subtree_read(&mut self) -> Outcome {
        let Some(sel) = self.selected().filter(|_| self.focus == Pane::Comments) else {
            return self.unsupported(Action::MarkRead);
        };
        let end = self.thread.comment(sel).subtree_end.get();
        let mut n = 0;
        for i in sel.get()..end {
            n += usize::from(self.mark_read(CommentIdx(crate::model::index_u32(i))));
        }
        // The focused one was already read by being focused: count what x changed.
        let total = end - sel.get();
        self.set_status(
            StatusKind::Info,
            format!(
                "Marked {total} comment{} read ({n} were unread)",
                if total == 1 { "" } else { "s" }
            ),
        );
        Outcome::changed(true)
    }

    /// `X`: ask, then (on Enter) mark the whole thread read.
    pub(super) fn ask_mark_all_read(&mut self) -> Outcome {
        if self.reading.unread() == 0 {
            self.set_status(StatusKind::Info, "Every comment is read");
            return Outcome::changed(true);
        }
        self.reading.confirm_all_read = true;
        self.set_status(
            StatusKind::Warning,
            format!(
                "Mark all {} unread comments read? Enter marks them, any other key cancels",
                self.reading.unread()
            ),
        );
        Outcome::changed(true)
    }

    /// The answer to `X`: Enter marks everything read.
    pub(super) fn answer_mark_all_read(&mut self, yes: bool) -> Outcome {
        self.reading.confirm_all_read = false;
        if !yes {
            self.set_status(StatusKind::Info, "Nothing marked read");
            return Outcome::changed(true);
        }
        let n = self.reading.unread();
        for i in 0..self.thread.len() {
            self.mark_read(CommentIdx(crate::model::index_u32(i)));
        }
        self.set_status(StatusKind::Info, format!("Marked {n} comments read"));
        Outcome::changed(true)
    }

    /// `H`: hide read comments whose replies are all read (their ancestors stay, dimmed).
    pub(super) fn toggle_hide_read(&mut self) -> Outcome {
        if self.reading.view == ViewFilter::HideRead {
            self.reading.view = ViewFilter::None;
            self.apply_view();
            self.set_status(StatusKind::Info, "Showing read comments again");
            return Outcome::changed(true);
        }
        if self.reading.unread() == 0 {
            self.set_status(StatusKind::Info, "Every comment is read: nothing to show");
            return Outcome::changed(true);
        }
        self.reading.view = ViewFilter::HideRead;
        self.focus = Pane::Comments;
        self.apply_view();
        self.set_status(
            StatusKind::Info,
            format!(
                "Showing the {} unread comments ({} shows all)",
                self.reading.unread(),
                self.keymap.keys_for(Mode::Comments, Action::ToggleHideRead)
            ),
        );
        Outcome::changed(true)
    }

    /// `hide_read = true`: open with read comments hidden, when there are unread ones.
    pub fn hide_read_on_open(&mut self) {
        if self.reading.unread() > 0 && self.reading.view == ViewFilter::None {
            self.reading.view = ViewFilter::HideRead;
            self.apply_view();
        }
    }

    /// `@` with an author filter on: clear it. Otherwise open the prompt, prefilled.
    pub(super) fn filter_author(&mut self) -> Outcome {
        if matches!(self.reading.view, ViewFilter::Author(_)) {
            self.reading.view = ViewFilter::None;
            self.apply_view();
            self.set_status(StatusKind::Info, "Showing every author");
            return Outcome::changed(true);
        }
        let author = match (self.focus, self.selected()) {
            (Pane::Comments, Some(sel)) => self.thread.comment(sel).author.as_deref(),
            _ => self.thread.author.as_deref(),
        }
        .map(str::to_string)
        .unwrap_or_default();
        self.open_prompt(super::PromptKind::Author, author)
    }

    /// Enter in the `@` prompt: filter to that author.
    pub(super) fn submit_author(&mut self, author: &str) -> Outcome {
        let author = author.trim();
        if author.is_empty() {
            // An empty `@` clears a view filter, not the search's.
            if self.reading.view != ViewFilter::Search {
                self.reading.view = ViewFilter::None;
            }
            self.apply_view();
            return Outcome::changed(true);
        }
        let n = self
            .thread
            .comments
            .iter()
            .filter(|c| c.author.as_deref() == Some(author))
            .count();
        let shown = crate::text::sanitize_line(author).into_owned();
        if n == 0 {
            self.set_status(StatusKind::Info, format!("No comments by {shown}"));
            return Outcome::changed(true);
        }
        self.reading.view = ViewFilter::Author(author.to_string());
        self.focus = Pane::Comments;
        self.apply_view();
        self.set_status(
            StatusKind::Info,
            format!(
                "Showing the {n} comments by {shown} ({} or Esc shows all)",
                self.keymap.keys_for(Mode::Global, Action::FilterAuthor)
            ),
        );
        Outcome::changed(true)
    }

    /// The filter [`Reading::view`] asks for, from the thread, the read flags and the
    /// search's matches (a search filter with no matches is none).
    pub(super) fn wanted_filter(&self) -> Option<Filter> {
        let thread = &self.thread;
        match &self.reading.view {
            ViewFilter::None => None,
            ViewFilter::Search => self.search.matches.as_ref().map(|m| m.filter(thread)),
            ViewFilter::Author(a) => Some(Filter::from_predicate(thread, |i| {
                thread.comment(i).author.as_deref() == Some(a.as_str())
            })),
            ViewFilter::HideRead => {
                let read = &self.reading;
                Some(Filter::from_predicate(thread, |i| !read.is_read(i)))
            }
        }
    }

    /// Puts the filter [`Reading::view`] asks for on the tree.
    pub(super) fn apply_view(&mut self) {
        let filter = self.wanted_filter();
        if filter.is_some() || self.tree.filter().is_some() {
            let thread = Arc::clone(&self.thread);
            self.tree.set_filter(&thread, filter);
            self.detail_scroll = 0;
        }
    }

    /// Esc outside prompts: a view filter goes first (the search's is the search's to
    /// clear). Returns whether one was cleared.
    pub(super) fn clear_view(&mut self) -> bool {
        if matches!(self.reading.view, ViewFilter::None | ViewFilter::Search) {
            return false;
        }
        self.reading.view = ViewFilter::None;
        self.apply_view();
        self.set_status(StatusKind::Info, "Showing every comment");
        true
    }
}
