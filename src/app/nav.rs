//! Movement: what the navigation actions do in the comment and article panes.

use super::{App, Outcome, StatusKind};
use crate::action::Action;
use crate::model::CommentIdx;
use crate::text::lines::Doc;

impl App {
    /// Lines of the article at the current width.
    pub(crate) fn article_lines(&self) -> usize {
        self.cache
            .borrow_mut()
            .lines(&self.thread, Doc::Article, self.viewport.article_width)
            .len()
    }

    /// Lines of the focused comment's body at the current width.
    pub(crate) fn detail_lines(&self) -> usize {
        self.selected().map_or(0, |idx| {
            self.cache
                .borrow_mut()
                .lines(&self.thread, Doc::Comment(idx), self.viewport.detail_width)
                .len()
        })
    }

    pub(crate) fn clamp_scrolls(&mut self) {
        let max_article = self
            .article_lines()
            .saturating_sub(self.viewport.article_height);
        self.article_scroll = self.article_scroll.min(max_article);
        let max_detail = self
            .detail_lines()
            .saturating_sub(self.viewport.detail_height);
        self.detail_scroll = self.detail_scroll.min(max_detail);
    }

    pub(super) fn update_article(&mut self, action: Action) -> Outcome {
        let page = self.viewport.article_height.max(1);
        let max = self.article_lines().saturating_sub(page);
        let before = self.article_scroll;
        let s = &mut self.article_scroll;
        match action {
            Action::ScrollDown => *s += 1,
            Action::ScrollUp => *s = s.saturating_sub(1),
            Action::PageDown => *s += page.saturating_sub(1).max(1),
            Action::PageUp => *s = s.saturating_sub(page.saturating_sub(1).max(1)),
            Action::HalfPageDown => *s += page / 2,
            Action::HalfPageUp => *s = s.saturating_sub(page / 2),
            Action::First => *s = 0,
            Action::Last => *s = max,
            other => return self.unsupported(other),
        }
        *s = (*s).min(max);
        if matches!(action, Action::PageDown | Action::ScrollDown) && before == max {
            self.set_status(StatusKind::Info, "End of the article");
            return Outcome::changed(true);
        }
        Outcome::changed(self.article_scroll != before)
    }

    /// Selects a row and resets the comment scroll when the comment changes.
    fn go_row(&mut self, row: usize) -> bool {
        let before = self.selected();
        self.tree.select_row(row);
        let moved = self.selected() != before;
        if moved {
            self.detail_scroll = 0;
        }
        moved
    }

    fn go_comment(&mut self, idx: CommentIdx) -> bool {
        let before = self.selected();
        let changed = self.tree.reveal(&self.thread, idx);
        // Revealing a comment the filter hides drops the filter: the view says so too, so
        // the status bar and `Esc` agree with what is shown.
        if self.tree.filter().is_none() {
            self.reading.view = super::ViewFilter::None;
        }
        if self.selected() != before {
            self.detail_scroll = 0;
        }
        changed
    }

    #[allow(clippy::too_many_lines)]
    pub(super) fn update_comments(&mut self, action: Action) -> Outcome {
        if self.tree.is_empty() {
            self.set_status(StatusKind::Info, "No comments to move through");
            return Outcome::changed(true);
        }
        let row = self.tree.selected_row();
        let last = self.tree.len() - 1;
        let page = self.viewport.tree_height.max(1);
        let sel = self.selected().unwrap_or_default();
        let thread = &self.thread;
        let changed = match action {
            Action::SelectNext => self.go_row(row + 1),
            Action::SelectPrev => self.go_row(row.saturating_sub(1)),
            Action::First => self.go_row(0),
            Action::Last => self.go_row(last),
            Action::PageDown => self.go_row(row + page),
            Action::PageUp => self.go_row(row.saturating_sub(page)),
            Action::HalfPageDown => self.go_row(row + page / 2),
            Action::HalfPageUp => self.go_row(row.saturating_sub(page / 2)),
            Action::NextSibling | Action::PrevSibling => {
                let sibs = thread.siblings(sel);
                let pos = sibs.binary_search(&sel).unwrap_or(0);
                let target = if action == Action::NextSibling {
                    sibs[pos + 1..].iter().find_map(|s| self.tree.row_of(*s))
                } else {
                    sibs[..pos].iter().rev().find_map(|s| self.tree.row_of(*s))
                };
                match target {
                    Some(r) => self.go_row(r),
                    None => {
                        self.set_status(StatusKind::Info, "No more replies at this level");
                        true
                    }
                }
            }
            Action::SelectParent => {
                match thread.comment(sel).parent.and_then(|p| self.tree.row_of(p)) {
                    Some(r) => self.go_row(r),
                    None => {
                        self.set_status(StatusKind::Info, "This is a top-level comment");
                        true
                    }
                }
            }
            Action::NextTopLevel | Action::PrevTopLevel => {
                let rows = self.tree.rows();
                let is_top = |r: &usize| self.tree.display_depth(thread, CommentIdx(rows[*r])) == 0;
                let target = if action == Action::NextTopLevel {
                    (row + 1..rows.len()).find(is_top)
                } else {
                    (0..row).rev().find(is_top)
                };
                match target {
                    Some(r) => self.go_row(r),
                    None => {
                        self.set_status(StatusKind::Info, "No more top-level comments");
                        true
                    }
                }
            }
            Action::Expand => {
                if !thread.has_replies(sel) {
                    self.set_status(StatusKind::Info, "This comment has no replies");
                    true
                } else if self.tree.is_folded(sel) {
                    self.tree.set_folded(thread, sel, false)
                } else {
                    self.go_row(row + 1)
                }
            }
            Action::Fold => {
                if thread.has_replies(sel) && !self.tree.is_folded(sel) {
                    self.tree.set_folded(thread, sel, true)
                } else {
                    match thread.comment(sel).parent.and_then(|p| self.tree.row_of(p)) {
                        Some(r) => self.go_row(r),
                        None if !thread.has_replies(sel) => {
                            self.set_status(
                                StatusKind::Info,
                                "A top-level comment with no replies: nothing to fold",
                            );
                            true
                        }
                        None => {
                            let open = self
                                .keymap
                                .key(crate::keymap::Mode::Comments, Action::Expand);
                            self.set_status(
                                StatusKind::Info,
                                format!("A top-level comment, already folded ({open} unfolds)"),
                            );
                            true
                        }
                    }
                }
            }
            Action::ToggleFold if !thread.has_replies(sel) => {
                self.set_status(StatusKind::Info, "This comment has no replies");
                true
            }
            Action::ToggleFold => {
                let folded = self.tree.is_folded(sel);
                self.tree.set_folded(thread, sel, !folded)
            }
            Action::FoldAll => self.tree.set_all_folded(thread, true),
            Action::ExpandAll => self.tree.set_all_folded(thread, false),
            Action::ShowDepth(d) => self.tree.show_depth(thread, u32::from(d)),
            Action::ZoomIn => {
                let z = self.tree.zoom_in(thread);
                if z {
                    let back = self
                        .keymap
                        .key(crate::keymap::Mode::Comments, Action::ZoomOut);
                    let n = thread.comment(sel).descendants(sel);
                    self.set_status(
                        StatusKind::Info,
                        format!("Zoomed into this comment and its {n} replies; {back} zooms out"),
                    );
                }
                z
            }
            Action::ZoomOut => {
                let z = self.tree.zoom_out(thread);
                if !z {
                    self.set_status(StatusKind::Info, "Not zoomed in");
                }
                true
            }
            Action::ScrollDown => {
                let before = self.detail_scroll;
                self.detail_scroll += 1;
                self.clamp_scrolls();
                before != self.detail_scroll
            }
            Action::ScrollUp => {
                let before = self.detail_scroll;
                self.detail_scroll = self.detail_scroll.saturating_sub(1);
                before != self.detail_scroll
            }
            Action::SortNext | Action::SortPrev => {
                return self.sort_step(action == Action::SortNext);
            }
            Action::NextUnread | Action::PrevUnread => {
                return self.unread_step(action == Action::NextUnread);
            }
            Action::MarkRead => return self.mark_subtree_read(),
            Action::MarkAllRead => return self.ask_mark_all_read(),
            Action::ToggleHideRead => return self.toggle_hide_read(),
            Action::ReadOn => self.read_on(),
            Action::ReadBack => self.read_back(),
            other => return self.unsupported(other),
        };
        Outcome::changed(changed)
    }

    /// Space: page down through the comment; at its end, on to the next comment.
    fn read_on(&mut self) -> bool {
        let h = self.viewport.detail_height.max(1);
        let total = self.detail_lines();
        if self.detail_scroll + h < total {
            self.detail_scroll = (self.detail_scroll + h.saturating_sub(1).max(1)).min(total - h);
            return true;
        }
        let row = self.tree.selected_row();
        if row + 1 >= self.tree.len() {
            self.set_status(StatusKind::Info, "End of the thread");
            return true;
        }
        self.go_row(row + 1)
    }

    /// `b`: page up through the comment; at its top, back to the end of the previous one.
    fn read_back(&mut self) -> bool {
        let h = self.viewport.detail_height.max(1);
        if self.detail_scroll > 0 {
            self.detail_scroll = self
                .detail_scroll
                .saturating_sub(h.saturating_sub(1).max(1));
            return true;
        }
        let row = self.tree.selected_row();
        if row == 0 {
            self.set_status(StatusKind::Info, "Start of the thread");
            return true;
        }
        self.go_row(row - 1);
        self.detail_scroll = self.detail_lines().saturating_sub(h);
        true
    }

    /// Selects a comment anywhere, unfolding what hides it (used by search and bookmarks).
    pub fn jump_to(&mut self, idx: CommentIdx) -> bool {
        self.focus = super::Pane::Comments;
        let changed = self.go_comment(idx);
        self.tree.scroll_into_view(self.viewport.tree_height);
        changed
    }
}
