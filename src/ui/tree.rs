//! The comment tree, drawn with tui-tree-widget over a window of rows.
//!
//! tui-tree-widget flattens the whole forest it is given every frame (15 ms for 98,000
//! expanded items, measured) and recurses over depth. So each frame we hand it only the rows
//! on screen plus the first row's ancestors (in pre-order, nobody else in the window can
//! have an ancestor outside it), and set its offset to skip those ancestors. Depth is
//! clamped to what the width can show: rows deeper than the cap are drawn at the cap with
//! their real level written in the line, so a 100,000-deep chain stays readable and the
//! widget's recursion stays shallow.
//!
//! We keep the widget (the design card names it) for what it is good at: drawing the
//! indentation, the open/closed marks and the selection of the rows it is given. What it
//! is bad at at our sizes stays ours: which rows exist (the arena and `app::tree`'s folds),
//! which are on screen, and scrolling (its `scroll_down` clamps to the previous frame).

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use tui_tree_widget::{Tree, TreeItem, TreeState};

use crate::app::App;
use crate::model::{CommentIdx, Marks};
use crate::text::{display_width, sanitize_line, truncate_to_width};
use crate::theme::Theme;

pub use crate::app::layout::depth_cap;
pub use crate::model::{is_op, position_label};

/// A node under construction: id, line, children so far.
type Node<'a> = (u32, Line<'a>, Vec<TreeItem<'a, u32>>);

/// Draws the tree into `area`.
pub fn draw(frame: &mut Frame, area: Rect, app: &App, styles: &Theme) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let thread = &app.thread;
    let tree = &app.tree;
    let rows = tree.rows();
    if rows.is_empty() {
        let msg = if thread.is_empty() {
            "No comments in this thread."
        } else {
            "No comment matches the filter."
        };
        frame.render_widget(Line::styled(msg, styles.tree.meta), area);
        return;
    }
    let cap = depth_cap(area.width);
    let top = tree.top().min(rows.len() - 1);
    let end = (top + usize::from(area.height)).min(rows.len());
    let level = |idx: CommentIdx| tree.display_depth(thread, idx).min(cap);

    // Ancestors of the first row at the visual levels above it, shallowest first.
    let first = CommentIdx(rows[top]);
    let first_level = level(first);
    let mut ancestors: Vec<CommentIdx> = Vec::new();
    if first_level > 0 {
        for a in thread.ancestors(first) {
            let d = tree.display_depth(thread, a);
            if d < first_level {
                ancestors.push(a);
            }
            if d == 0 {
                break;
            }
        }
        ancestors.reverse();
    }
    let selected = tree.selected();
    let entries = ancestors
        .iter()
        .enumerate()
        .map(|(i, a)| (*a, i as u32))
        .chain(rows[top..end].iter().map(|r| {
            let idx = CommentIdx(*r);
            (idx, level(idx))
        }));

    // Build the forest bottom-up with a stack of open nodes.
    let mut stack: Vec<Node> = Vec::new();
    let mut roots: Vec<TreeItem<u32>> = Vec::new();
    let mut opened: Vec<Vec<u32>> = Vec::new();
    let mut selected_path: Vec<u32> = Vec::new();
    let finish = |stack: &mut Vec<Node<'static>>, roots: &mut Vec<TreeItem<'static, u32>>| {
        if let Some((id, text, children)) = stack.pop() {
            let item = TreeItem::new(id, text.clone(), children)
                .unwrap_or_else(|_| TreeItem::new_leaf(id, text));
            match stack.last_mut() {
                Some(parent) => parent.2.push(item),
                None => roots.push(item),
            }
        }
    };
    for (idx, lvl) in entries {
        let lvl = (lvl as usize).min(stack.len());
        while stack.len() > lvl {
            finish(&mut stack, &mut roots);
        }
        let avail = usize::from(area.width).saturating_sub(2 * lvl);
        let line = tree_line(app, idx, avail, cap, styles, selected == Some(idx));
        stack.push((idx.0, line, Vec::new()));
        let path: Vec<u32> = stack.iter().map(|n| n.0).collect();
        if Some(idx) == selected {
            selected_path.clone_from(&path);
        }
        opened.push(path);
    }
    while !stack.is_empty() {
        finish(&mut stack, &mut roots);
    }

    let widget = Tree::new(&roots).map(|t| {
        t.node_closed_symbol("")
            .node_open_symbol("")
            .node_no_children_symbol("")
            .highlight_symbol("")
            .highlight_style(styles.tree.selected)
            .style(styles.tree.text)
    });
    let Ok(widget) = widget else {
        return;
    };
    let mut state = TreeState::default();
    for path in opened {
        state.open(path);
    }
    state.select(selected_path);
    // The widget clamps scrolling to its previous render: render once off-screen so it
    // knows the forest, then put the offset past the ancestors.
    let mut scratch = Buffer::empty(Rect::new(0, 0, 1, 1));
    ratatui::widgets::StatefulWidget::render(
        widget.clone(),
        scratch.area,
        &mut scratch,
        &mut state,
    );
    state.scroll_up(usize::MAX);
    state.scroll_down(ancestors.len());
    frame.render_stateful_widget(widget, area, &mut state);
}

/// One tree line: fold marker, position, author, age, counts, first words.
fn tree_line(
    app: &App,
    idx: CommentIdx,
    width: usize,
    cap: u32,
    styles: &Theme,
    is_selected: bool,
) -> Line<'static> {
    let thread = &app.thread;
    let c = thread.comment(idx);
    let folded = app.tree.is_folded(idx);
    let context_only = app
        .tree
        .filter()
        .is_some_and(|f| f.mark(idx) == crate::search::Mark::Context);
    let mut spans: Vec<Span<'static>> = Vec::new();
    let marker = if !thread.has_replies(idx) {
        "  "
    } else if folded {
        "▸ "
    } else {
        "▾ "
    };
    if is_selected && app.cursor_on_selection {
        // The selection marked by a character too, not only by colour.
        spans.push(Span::styled("▶", styles.tree.folded));
    }
    spans.push(Span::styled(marker, styles.tree.folded));
    if let Some(lib) = &app.library {
        if lib.attached.is_marked(idx) {
            spans.push(Span::styled("★ ", styles.bookmark.marker));
        }
        if lib.is_new(idx) {
            spans.push(Span::styled("new ", styles.new.marker));
        }
    }
    let verdict = app.rules.verdict(idx);
    if verdict == Some(crate::config::RuleAction::Mark) {
        spans.push(Span::styled("◆ ", styles.new.marker));
    }
    let unread = !app.reading.is_read(idx);
    if unread {
        // A character, not only a style, so NO_COLOR and screen readers see it too.
        spans.push(Span::styled("• ", styles.unread.marker));
    }
    let depth = app.tree.display_depth(thread, idx);
    if depth > cap {
        // Drawn at the cap's indentation: say the real level instead.
        spans.push(Span::styled(
            format!("↳L{} ", c.depth + 1),
            styles.tree.depth_style(c.depth),
        ));
    } else {
        spans.push(Span::styled(
            format!("{} ", position_label(thread, idx)),
            styles.tree.depth_style(c.depth),
        ));
    }
    let author_style = if is_op(thread, idx) {
        styles.tree.op
    } else {
        styles.tree.author
    };
    // A Reddit body of "[deleted]"/"[removed]" already says it (in the deleted style):
    // the tag would repeat it on the same row.
    let body_says_it = c.deleted && {
        let first = c.body.snippet(24);
        first.starts_with('[')
            && first.ends_with(']')
            && (first.contains("deleted") || first.contains("removed"))
    };
    if c.deleted && !body_says_it {
        spans.push(Span::styled("[deleted] ", styles.tree.deleted));
    } else if c.author.is_none() && app.authors_known && !c.marks.contains(Marks::PINGBACK) {
        spans.push(Span::styled("[deleted author] ", styles.tree.deleted));
    }
    let tags = c.marks.tags();
    if !tags.is_empty() {
        spans.push(Span::styled(format!("{tags} "), styles.tree.deleted));
    }
    if let Some(author) = &c.author {
        let name = truncate_to_width(&sanitize_line(author), 20);
        let op = if is_op(thread, idx) { " (OP)" } else { "" };
        spans.extend(hl(
            app,
            Span::styled(format!("{name}{op} "), author_style),
            styles,
        ));
    }
    let mut meta = Vec::new();
    if let Some(t) = &c.created {
        // A date kept as text ("July 24, 2019 at 10:12 am") is too long for a tree line and
        // would be cut mid-date: the full comment's header shows it instead.
        let age = sanitize_line(&t.age(app.now)).into_owned();
        if display_width(&age) <= 12 {
            meta.push(age);
        }
    }
    if let Some(s) = c.score {
        meta.push(format!("{s}pt"));
    }
    if thread.has_replies(idx) && !folded {
        meta.push(format!("↩{}", thread.children(idx).len()));
    }
    if !meta.is_empty() {
        spans.push(Span::styled(
            format!("{} ", meta.join(" ")),
            styles.tree.meta,
        ));
    }
    if folded {
        let hidden = c.descendants(idx);
        spans.push(Span::styled(
            format!("[+{hidden} hidden] "),
            styles.tree.folded,
        ));
        // Bookmarks the fold hides: the sorted marks inside the subtree's index range.
        if let Some(lib) = &app.library {
            let stars = lib.attached.marked();
            let from = stars.partition_point(|m| *m <= idx);
            let to = stars.partition_point(|m| *m < c.subtree_end);
            if to > from {
                spans.push(Span::styled(
                    format!("[★{} inside] ", to - from),
                    styles.bookmark.marker,
                ));
            }
        }
        if let Some(m) = &app.search.matches {
            let n = m.hidden_below(thread, idx);
            if n > 0 {
                let s = if n == 1 { "" } else { "es" };
                spans.push(Span::styled(
                    format!("[{n} match{s} inside] "),
                    styles.search.matched,
                ));
            }
        }
    }
    if c.more > 0 {
        spans.push(Span::styled(
            format!("[{} more not saved] ", c.more),
            styles.tree.more,
        ));
    }
    let used: usize = spans.iter().map(|s| display_width(&s.content)).sum();
    let room = width.saturating_sub(used);
    if room > 1 {
        let snippet = sanitize_line(&c.body.reply_snippet(room + 8)).into_owned();
        let style = if c.deleted {
            styles.tree.deleted
        } else if unread {
            styles.unread.marker
        } else {
            Style::default()
        };
        spans.extend(hl(
            app,
            Span::styled(truncate_to_width(&snippet, room), style),
            styles,
        ));
    }
    let mut line = Line::from(spans);
    let dimmed = verdict == Some(crate::config::RuleAction::Dim);
    if (context_only || dimmed) && !is_selected {
        line = line.patch_style(styles.tree.context);
    }
    line
}

/// Search matches highlighted in one span (authors and first words, not the metadata).
fn hl(app: &App, span: Span<'static>, styles: &Theme) -> Vec<Span<'static>> {
    match &app.search.matches {
        Some(m) => {
            super::highlight::paint_query(Line::from(span), m.query(), styles.search.matched).spans
        }
        None => vec![span],
    }
}
