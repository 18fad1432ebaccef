//! Drawing: one file per widget. Draws from state and the frame's layout (computed once by
//! the driver, `crate::app::layout`) and never changes either (the text cache, in
//! `crate::text::lines`, is a memo, not state). Every string from the thread is sanitised
//! on its way. Nothing here decides anything: a rule the app also needs (a label, a limit,
//! the help's rows) lives outside `ui/` so the app need not name it.

/// The text cache moved to `crate::text::lines` (it draws nothing); this name stays for code
/// that still says `ui::cache`.
pub use crate::text::lines as cache;
pub mod header;
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

use crate::app::{App, Overlay, Pane, StatusKind};
use crate::text::{display_width, sanitize_line, truncate_to_width};
use crate::theme::Theme;

use crate::app::layout::inner;
pub use crate::app::layout::{Layout, WIDE};

/// The frame's layout: the app's geometry (`crate::app::layout`), with the focused
/// comment's body height left below its wrapped header and the text widths capped at
/// `text_width`. The header's wrapping is drawing knowledge, so it is applied here, where
/// the driver asks for the layout once per frame.
#[must_use]
pub fn layout(area: ratatui::layout::Rect, app: &App) -> Layout {
    let mut l = crate::app::layout::layout(area, app);
    let v = &mut l.viewport;
    let (w, h) = (v.detail_width, v.detail_height + 2);
    v.detail_height = header::shape(app, w, h).1;
    v.detail_width = app.text_cols(w);
    v.article_width = app.text_cols(v.article_width);
    l
}

/// Draws the whole screen, laying it out first (for tests and one-off renders; the driver
/// lays out once per frame and calls [`draw_in`]).
pub fn draw(frame: &mut Frame, app: &App, styles: &Theme) {
    let l = layout(frame.area(), app);
    draw_in(frame, app, styles, &l);
}

/// Draws the whole screen into the layout `l` computed for this frame.
pub fn draw_in(frame: &mut Frame, app: &App, styles: &Theme, l: &Layout) {
    let area = frame.area();
    frame.buffer_mut().set_style(area, styles.app.background);
    if l.article.width > 0 && l.article.height > 0 {
        let focused = app.focus == Pane::Article;
        let title = app.thread.title.as_deref().map_or_else(
            || " Article ".to_string(),
            |t| format!(" {} ", sanitize_line(t)),
        );
        let mut block = Block::bordered()
            .title(truncate_to_width(
                &title,
                usize::from(l.article.width.saturating_sub(2)),
            ))
            .border_style(border(styles, focused));
        // Where in the article, as the focused comment says `[x/y lines]`.
        let height = usize::from(inner(l.article).height);
        let total = app
            .cache
            .borrow_mut()
            .lines(
                &app.thread,
                cache::Doc::Article,
                app.text_cols(usize::from(inner(l.article).width)),
            )
            .len();
        if total > height && height > 0 {
            let end = (app.article_scroll + height).min(total);
            block =
                block.title_bottom(Line::from(format!(" [{end}/{total} lines] ")).right_aligned());
        }
        if l.comments.width == 0 && !app.thread.is_empty() {
            let key = app.keymap.key(
                crate::keymap::Mode::Global,
                crate::action::Action::SwitchPane,
            );
            block = block.title_bottom(Line::from(format!(" {key}: comments ")).left_aligned());
        }
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
        // Under 100 columns the article is off screen: say it is there and how to see it.
        if l.article.width == 0 && (!app.thread.body.is_empty() || app.thread.title.is_some()) {
            let key = app.keymap.key(
                crate::keymap::Mode::Global,
                crate::action::Action::SwitchPane,
            );
            let _ = write!(title, "· {key}: article ");
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
    if app.cursor_on_selection && app.overlay == Overlay::None {
        park_cursor(frame, l, app);
    }
    let over = Rect::new(area.x, area.y, area.width, area.height.saturating_sub(1));
    match &app.overlay {
        Overlay::Help { scroll } => help::draw(frame, over, &app.keymap, *scroll, styles),
        Overlay::List(view) => overlay::draw_list(frame, over, view, &app.keymap, styles),
        Overlay::Prompt(_) | Overlay::None => {}
    }
}

/// `cursor = "selection"`: the terminal's cursor on the focused comment's tree row (or the
/// article's first line), so screen readers and tmux's copy mode follow the reading.
fn park_cursor(frame: &mut Frame, l: &Layout, app: &App) {
    let at = match app.focus {
        Pane::Comments if l.tree.width > 0 && l.tree.height > 0 => {
            let Some(sel) = app.selected() else { return };
            let row = app.tree.selected_row().saturating_sub(app.tree.top());
            let level = app
                .tree
                .display_depth(&app.thread, sel)
                .min(tree::depth_cap(l.tree.width));
            let x = u32::from(l.tree.x) + 2 * level;
            (
                u16::try_from(x)
                    .unwrap_or(u16::MAX)
                    .min(l.tree.right().saturating_sub(1)),
                l.tree.y + u16::try_from(row).unwrap_or(0).min(l.tree.height - 1),
            )
        }
        Pane::Article if l.article.width > 2 && l.article.height > 2 => {
            let i = inner(l.article);
            (i.x, i.y)
        }
        _ => return,
    };
    frame.set_cursor_position(at);
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
    if let Overlay::Prompt(p) = &app.overlay {
        let parts = overlay::prompt_parts(p, &app.search, &app.keymap);
        let at = overlay::draw_prompt(frame, area, p, &parts, styles);
        if app.cursor_on_selection {
            frame.set_cursor_position(at);
        }
        return;
    }
    let (left, left_style, right, right_style) = {
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
    // A message too long for the bar (touching the hints counts) wraps upwards over the
    // panes, whole up to a few rows (the message log keeps it whole beyond that): a cut
    // file name helps nobody.
    let left = if !matches!(app.overlay, Overlay::Prompt(_))
        && app.status.is_some()
        && display_width(&left) + display_width(&right) >= width
        && draw_long_status(frame, area, &left, left_style, bar, app)
    {
        String::new()
    } else {
        left
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

/// Most rows a long status message takes above the bar.
const STATUS_ROWS: usize = 4;

/// Draws a status message too long to share the bar with the hints on the rows above the
/// bar, wrapped (the bar keeps the hints); false when there is no room above (then the
/// caller cuts it on the bar).
fn draw_long_status(
    frame: &mut Frame,
    area: Rect,
    text: &str,
    style: ratatui::style::Style,
    bar: ratatui::style::Style,
    app: &App,
) -> bool {
    let width = usize::from(area.width);
    let mut rows: Vec<String> = crate::text::wrap_ranges(text, width)
        .into_iter()
        .map(|r| text[r].to_string())
        .collect();
    let room = STATUS_ROWS.min(usize::from(area.y - frame.area().y));
    if rows.is_empty() || room == 0 {
        return false;
    }
    if rows.len() > room {
        let key = app.keymap.key(
            crate::keymap::Mode::Global,
            crate::action::Action::MessageLog,
        );
        let more = format!(" … ({key} shows it whole)");
        rows.truncate(room);
        let last = rows.last_mut().map(std::mem::take).unwrap_or_default();
        let cut = truncate_to_width(&last, width.saturating_sub(display_width(&more)));
        rows[room - 1] = format!("{}{more}", cut.trim_end_matches('…'));
    }
    let top = area.y - rows.len() as u16;
    for (i, row) in rows.iter().enumerate() {
        let pad = width.saturating_sub(display_width(row));
        let line = Line::from(vec![
            Span::styled(row.clone(), style),
            Span::styled(" ".repeat(pad), bar),
        ]);
        frame.render_widget(line, Rect::new(area.x, top + i as u16, area.width, 1));
    }
    true
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
    if app.reading.view == crate::app::ViewFilter::Search
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
    if !app.thread.is_empty() {
        parts.push(format!("{} unread", app.reading.unread()));
    }
    if app.reading.order != crate::model::SortOrder::File {
        parts.push(app.reading.order.describe().to_string());
    }
    match &app.reading.view {
        crate::app::ViewFilter::None | crate::app::ViewFilter::Search => {}
        crate::app::ViewFilter::Author(a) => {
            parts.push(format!("by {}", truncate_to_width(&sanitize_line(a), 16)));
        }
        crate::app::ViewFilter::HideRead => parts.push("unread only".to_string()),
    }
    if app.rules.any() {
        if app.rules.on {
            if app.rules.touched() > 0 {
                parts.push(format!("rules: {}", app.rules.touched()));
            }
        } else {
            parts.push("rules off".to_string());
        }
    }
    let total = app.thread.len();
    if total > 0 {
        // Nothing shown (a filter without matches) is 0/0, not 1/0.
        let mut pos = format!(
            "{}/{}",
            app.tree.selected_row() + usize::from(!app.tree.is_empty()),
            app.tree.len()
        );
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
        if let Some(percent) = app.reading_percent() {
            // The count grows while the rest of the file is read: say it is not final.
            pos.push('…');
            parts.push(pos);
            parts.push(format!("reading {percent}%"));
        } else {
            parts.push(pos);
        }
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
