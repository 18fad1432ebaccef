//! Drawing: layout plus one file per widget. Draws from state and never changes it (the
//! text cache is a memo, not state). Every string from the thread is sanitised on its way.

pub mod cache;
pub mod help;
pub mod highlight;
pub mod overlay;
pub mod panes;
pub mod tree;

use std::fmt::Write as _;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Block;

use crate::app::{App, Overlay, Pane, StatusKind, Viewport};
use crate::text::{display_width, sanitize_line, truncate_to_width};
use crate::theme::Theme;

/// Terminals at least this wide show the article and comments side by side.
pub const WIDE: u16 = 100;

/// Where everything goes on a screen of a given size.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Layout {
    /// The article pane with its border (zero-sized when hidden).
    pub article: Rect,
    /// The comments pane with its border (zero-sized when hidden).
    pub comments: Rect,
    /// The tree list inside the comments pane.
    pub tree: Rect,
    /// The focused comment inside the comments pane.
    pub detail: Rect,
    /// The status bar.
    pub status: Rect,
    /// Panes sizes for paging (also for the pane not shown in narrow mode).
    pub viewport: Viewport,
}

fn inner(r: Rect) -> Rect {
    Block::bordered().inner(r)
}

/// Splits the comments pane: tree on top, a rule, the focused comment below.
fn split_comments(r: Rect) -> (Rect, Rect) {
    let i = inner(r);
    let tree_h = (i.height.saturating_sub(1) * 2 / 5).max(i.height.min(3));
    let tree = Rect::new(i.x, i.y, i.width, tree_h.min(i.height));
    let detail_y = (i.y + tree_h + 1).min(i.bottom());
    let detail = Rect::new(i.x, detail_y, i.width, i.bottom() - detail_y);
    (tree, detail)
}

/// Computes the layout for a screen.
#[must_use]
pub fn layout(area: Rect, app: &App) -> Layout {
    let main = Rect::new(area.x, area.y, area.width, area.height.saturating_sub(1));
    let status = Rect::new(area.x, main.bottom(), area.width, area.height.min(1));
    let narrow = area.width < WIDE;
    let (article, comments, article_shape, comments_shape) = if narrow {
        let (a, c) = match app.focus {
            Pane::Article => (main, Rect::default()),
            Pane::Comments => (Rect::default(), main),
        };
        (a, c, main, main)
    } else {
        let aw = (u32::from(main.width) * u32::from(app.split) / 100) as u16;
        let a = Rect::new(main.x, main.y, aw, main.height);
        let c = Rect::new(main.x + aw, main.y, main.width - aw, main.height);
        (a, c, a, c)
    };
    let (tree, detail) = split_comments(comments);
    let (tree_shape, detail_shape) = split_comments(comments_shape);
    let article_inner = inner(article_shape);
    Layout {
        article,
        comments,
        tree,
        detail,
        status,
        viewport: Viewport {
            tree_height: usize::from(tree_shape.height),
            detail_height: usize::from(detail_shape.height.saturating_sub(2)),
            detail_width: usize::from(detail_shape.width),
            article_height: usize::from(article_inner.height),
            article_width: usize::from(article_inner.width),
            narrow,
        },
    }
}

/// Draws the whole screen.
pub fn draw(frame: &mut Frame, app: &App, styles: &Theme) {
    let area = frame.area();
    frame.buffer_mut().set_style(area, styles.app.background);
    let l = layout(area, app);
    if l.article.width > 0 && l.article.height > 0 {
        let focused = app.focus == Pane::Article;
        let title = app.thread.title.as_deref().map_or_else(
            || " Article ".to_string(),
            |t| format!(" {} ", sanitize_line(t)),
        );
        let block = Block::bordered()
            .title(truncate_to_width(
                &title,
                usize::from(l.article.width.saturating_sub(2)),
            ))
            .border_style(border(styles, focused));
        frame.render_widget(block, l.article);
        panes::draw_article(frame, inner(l.article), app, styles);
    }
    if l.comments.width > 0 && l.comments.height > 0 {
        let focused = app.focus == Pane::Comments;
        let mut title = format!(
            " Comments {}/{} ",
            app.tree.selected_row() + usize::from(!app.tree.is_empty()),
            app.tree.len()
        );
        if app.thread.more > 0 {
            // Replies to the article the source knew about but the file lacks.
            let _ = write!(title, "· {} more not saved ", app.thread.more);
        }
        let block = Block::bordered()
            .title(title)
            .border_style(border(styles, focused));
        frame.render_widget(block, l.comments);
        tree::draw(frame, l.tree, app, styles);
        if l.detail.height > 0 {
            let rule_y = l.detail.y - 1;
            if rule_y > l.tree.y {
                frame.render_widget(
                    Line::styled(
                        "─".repeat(usize::from(l.tree.width)),
                        border(styles, focused),
                    ),
                    Rect::new(l.tree.x, rule_y, l.tree.width, 1),
                );
            }
            panes::draw_detail(frame, l.detail, app, styles);
        }
    }
    draw_status(frame, l.status, app, styles);
    let over = Rect::new(area.x, area.y, area.width, area.height.saturating_sub(1));
    match &app.overlay {
        Overlay::Help { scroll } => help::draw(frame, over, &app.keymap, *scroll, styles),
        Overlay::List(view) => overlay::draw_list(frame, over, view, &app.keymap, styles),
        Overlay::Prompt(_) | Overlay::None => {}
    }
}

/// The style of a piece of body text, patched over the pane's base style.
#[must_use]
pub fn text_style(
    theme: &Theme,
    style: cache::TextStyle,
    base: ratatui::style::Style,
) -> ratatui::style::Style {
    use cache::TextStyle as T;
    let c = &theme.comment;
    base.patch(match style {
        T::Text => ratatui::style::Style::default(),
        T::Quote => c.quote,
        T::Code => c.code,
        T::Link(_) | T::LinkMarker => c.link,
        T::Emphasis => c.emphasis,
        T::Strong => c.strong,
        T::Strike => c.strike,
        T::Heading => theme.article.title,
        T::Meta => theme.article.meta,
        T::Signature => c.signature,
    })
}

fn border(styles: &Theme, focused: bool) -> ratatui::style::Style {
    if focused {
        styles.border.focused
    } else {
        styles.border.unfocused
    }
}

fn draw_status(frame: &mut Frame, area: Rect, app: &App, styles: &Theme) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let width = usize::from(area.width);
    let bar = styles.status.bar;
    let (left, left_style, right, right_style) = if let Overlay::Prompt(p) = &app.overlay {
        let (left, right, error) = overlay::prompt_line(p, &app.search, &app.keymap);
        // An invalid regex shows on the right in the error style.
        let right_style = if error {
            bar.patch(styles.status.error)
        } else {
            bar.patch(styles.status.hint)
        };
        (
            format!(" {left}"),
            bar.patch(styles.status.prompt),
            format!("{right} "),
            right_style,
        )
    } else {
        let (left, left_style) = match &app.status {
            Some(s) => (
                format!(" {}", sanitize_line(&s.text)),
                match s.kind {
                    StatusKind::Info => bar,
                    StatusKind::Warning => bar.patch(styles.status.warning),
                    StatusKind::Error => bar.patch(styles.status.error),
                },
            ),
            None => match app.remote.as_ref().and_then(|r| r.progress.as_deref()) {
                Some(progress) => (
                    format!(" {} (Esc cancels)", sanitize_line(progress)),
                    bar.patch(styles.status.hint),
                ),
                None => (
                    format!(
                        " {}",
                        sanitize_line(app.thread.title.as_deref().unwrap_or(&app.source_name))
                    ),
                    bar,
                ),
            },
        };
        (
            left,
            left_style,
            status_right(app),
            bar.patch(styles.status.hint),
        )
    };
    // A prompt's text matters more than its hints; otherwise the hints on the right win.
    let right_w = if matches!(app.overlay, Overlay::Prompt(_)) {
        display_width(&right).min(width.saturating_sub(display_width(&left)))
    } else {
        display_width(&right).min(width)
    };
    let left = truncate_to_width(&left, width - right_w);
    let pad = width.saturating_sub(display_width(&left) + right_w);
    let line = Line::from(vec![
        Span::styled(left, left_style),
        Span::styled(" ".repeat(pad), bar),
        Span::styled(truncate_to_width(&right, right_w), right_style),
    ]);
    frame.render_widget(line, area);
}

/// The right side of the status bar: search, filter, bookmarks, new, position, folds.
fn status_right(app: &App) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(job) = app.jobs.foreground() {
        let label = truncate_to_width(&sanitize_line(&job.label), 30);
        let pct = job
            .progress
            .and_then(|p| p.percent())
            .map_or_else(String::new, |p| format!(" {p}%"));
        let cancel = app
            .keymap
            .key(crate::keymap::Mode::Global, crate::action::Action::Cancel);
        parts.push(format!("{label}…{pct} ({cancel} cancels)"));
    }
    if let (Some(pos), Some(m)) = (app.search.position(), &app.search.matches) {
        let q = truncate_to_width(&sanitize_line(m.query().text()), 16);
        parts.push(format!("/{q} {pos}"));
    }
    if app.search.filtering
        && let Some(f) = app.tree.filter()
    {
        parts.push(format!("filter: {} matching", f.matching_comments()));
    }
    if let Some(lib) = &app.library {
        let n = lib.attached.count();
        if n > 0 {
            parts.push(format!("★{n}"));
        }
        if !lib.new.is_empty() {
            parts.push(format!("{} new", lib.new.len()));
        }
    }
    let total = app.thread.len();
    if total > 0 {
        let mut pos = format!("{}/{}", app.tree.selected_row() + 1, app.tree.len());
        // Hidden within what is shown: the zoomed subthread, or the whole thread.
        let scope = app
            .tree
            .zoom_root()
            .map_or(total, |z| app.thread.comment(z).descendants(z) + 1);
        let hidden = scope.saturating_sub(app.tree.len());
        if hidden > 0 && app.tree.filter().is_none() {
            let _ = write!(
                pos,
                " · {} folded, {hidden} hidden",
                app.tree.folded_count()
            );
        }
        parts.push(pos);
        if let Some(z) = app.tree.zoom_root() {
            parts.push(format!("zoom L{}", app.thread.comment(z).depth + 1));
        }
    }
    // The help key as the current mode resolves it (none when the reader unbound it here).
    if let Some(help) = app
        .keymap
        .keys(app.mode(), crate::action::Action::Help)
        .next()
    {
        parts.push(format!("{help} help "));
    }
    parts.join(" · ")
}
