//! The mouse, when the reader turned it on (`--mouse` or `mouse = true`): the wheel scrolls
//! the pane under the pointer, a click selects a comment, a click on its fold marker
//! toggles it. Off by default because capturing the mouse takes away the terminal's own
//! text selection, which SSH users rely on.

use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};

use super::{App, Outcome, Pane};
use crate::action::Action;

/// Lines the wheel moves per notch.
const WHEEL_LINES: usize = 3;

impl App {
    /// Applies a mouse event using the last layout drawn.
    pub fn handle_mouse(&mut self, ev: MouseEvent) -> Outcome {
        if !matches!(self.overlay, super::Overlay::None) {
            return Outcome::default();
        }
        let at = Position::new(ev.column, ev.row);
        let l = self.areas;
        let inside = |r: Rect| r.contains(at);
        match ev.kind {
            MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
                let down = ev.kind == MouseEventKind::ScrollDown;
                if inside(l.article) {
                    let before = self.article_scroll;
                    self.article_scroll = if down {
                        self.article_scroll + WHEEL_LINES
                    } else {
                        self.article_scroll.saturating_sub(WHEEL_LINES)
                    };
                    self.clamp_scrolls();
                    Outcome::changed(before != self.article_scroll)
                } else if inside(l.tree) {
                    let action = if down {
                        Action::SelectNext
                    } else {
                        Action::SelectPrev
                    };
                    self.focus = Pane::Comments;
                    self.update(action)
                } else if inside(l.detail) {
                    let before = self.detail_scroll;
                    self.detail_scroll = if down {
                        self.detail_scroll + WHEEL_LINES
                    } else {
                        self.detail_scroll.saturating_sub(WHEEL_LINES)
                    };
                    self.clamp_scrolls();
                    Outcome::changed(before != self.detail_scroll)
                } else {
                    Outcome::default()
                }
            }
            MouseEventKind::Down(MouseButton::Left) => {
                if inside(l.tree) {
                    self.focus = Pane::Comments;
                    let row = self.tree.top() + usize::from(ev.row - l.tree.y);
                    let Some(idx) = self.tree.comment_at(row) else {
                        return Outcome::default();
                    };
                    self.tree.select_row(row);
                    self.detail_scroll = 0;
                    // The fold marker sits right after the indentation.
                    let level = self
                        .tree
                        .display_depth(&self.thread, idx)
                        .min(super::layout::depth_cap(l.tree.width));
                    let marker = l.tree.x + 2 * level as u16;
                    if (marker..marker + 2).contains(&ev.column) {
                        let folded = self.tree.is_folded(idx);
                        self.tree.set_folded(&self.thread, idx, !folded);
                    }
                    Outcome::changed(true)
                } else if inside(l.article) {
                    let changed = self.focus != Pane::Article;
                    self.focus = Pane::Article;
                    Outcome::changed(changed)
                } else if inside(l.detail) {
                    let changed = self.focus != Pane::Comments;
                    self.focus = Pane::Comments;
                    Outcome::changed(changed)
                } else {
                    Outcome::default()
                }
            }
            _ => Outcome::default(),
        }
    }
}
