//! Where everything goes on the screen: computed once per frame by the driver from the
//! screen size and the app's focus and split, then used to draw (`ui::draw_in`), to page
//! (the [`Viewport`]) and to hit-test the mouse, so the three cannot disagree.
//!
//! Pure geometry: no drawing, no IO.

use ratatui::layout::Rect;
use ratatui::widgets::Block;

use super::{App, Pane};

/// Sizes of the panes from the last layout, in cells; the paging actions use them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Viewport {
    /// Rows of the tree list.
    pub tree_height: usize,
    /// Rows of the focused comment's text.
    pub detail_height: usize,
    /// Columns of the focused comment's text.
    pub detail_width: usize,
    /// Rows of the article text.
    pub article_height: usize,
    /// Columns of the article text.
    pub article_width: usize,
    /// Whether the layout shows one pane at a time.
    pub narrow: bool,
}

impl Default for Viewport {
    fn default() -> Self {
        Self {
            tree_height: 20,
            detail_height: 20,
            detail_width: 60,
            article_height: 40,
            article_width: 60,
            narrow: false,
        }
    }
}

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

pub(crate) fn inner(r: Rect) -> Rect {
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

/// The article pane's share of a wide screen, in percent: what `split` in the config may
/// say and how far `<` and `>` go (one range, so neither can undo the other's limit).
pub const SPLIT_RANGE: std::ops::RangeInclusive<u16> = 10..=90;

/// Deepest level drawn with indentation at this width: indentation (2 columns a level)
/// takes at most a third of the width, so the text always keeps two thirds.
#[must_use]
pub fn depth_cap(width: u16) -> u32 {
    u32::from(width / 6).max(1)
}
