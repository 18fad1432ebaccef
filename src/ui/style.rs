//! The resolved styles the widgets draw with, one field per semantic part of the screen.
//!
//! Built from a theme (see `crate::theme`); the built-in fallback here is the `default`
//! look: the terminal's own colours plus a few ANSI accents.

use ratatui::style::{Color, Modifier, Style};

use super::cache::TextStyle;

/// Styles for every part of the screen.
#[derive(Clone, Debug, PartialEq)]
pub struct Styles {
    /// Article body.
    pub article_text: Style,
    /// Article title.
    pub article_title: Style,
    /// Article byline.
    pub article_meta: Style,
    /// A tree line.
    pub tree_text: Style,
    /// The selected tree line.
    pub tree_selected: Style,
    /// Authors in the tree.
    pub tree_author: Style,
    /// The thread author's comments (OP).
    pub tree_op: Style,
    /// Ages, counts and positions in the tree.
    pub tree_meta: Style,
    /// The "hides N replies" note.
    pub tree_folded: Style,
    /// Deleted comments.
    pub tree_deleted: Style,
    /// Ancestors shown only for context (filter).
    pub tree_context: Style,
    /// Position labels by depth, cycling.
    pub tree_depth: Vec<Style>,
    /// Comment text.
    pub comment_text: Style,
    /// Comment header (author, date).
    pub comment_header: Style,
    /// The breadcrumb of ancestors.
    pub comment_breadcrumb: Style,
    /// Quotes.
    pub comment_quote: Style,
    /// Links.
    pub comment_link: Style,
    /// Code.
    pub comment_code: Style,
    /// Emphasis.
    pub comment_emphasis: Style,
    /// Strong.
    pub comment_strong: Style,
    /// A search match.
    pub search_match: Style,
    /// The current search match.
    pub search_current: Style,
    /// The bookmark marker.
    pub bookmark_marker: Style,
    /// The "new" marker.
    pub new_marker: Style,
    /// The status bar.
    pub status_bar: Style,
    /// Error messages.
    pub status_error: Style,
    /// Warnings.
    pub status_warning: Style,
    /// The prompt.
    pub status_prompt: Style,
    /// Border of the focused pane.
    pub border_focused: Style,
    /// Border of other panes.
    pub border_unfocused: Style,
    /// Keys in the help.
    pub help_key: Style,
    /// Help text.
    pub help_text: Style,
    /// Help headings.
    pub help_title: Style,
    /// The selected entry of a list.
    pub list_selected: Style,
}

impl Default for Styles {
    fn default() -> Self {
        let plain = Style::default();
        let bold = Style::default().add_modifier(Modifier::BOLD);
        let dim = Style::default().add_modifier(Modifier::DIM);
        Self {
            article_text: plain,
            article_title: bold,
            article_meta: dim,
            tree_text: plain,
            tree_selected: Style::default().add_modifier(Modifier::REVERSED),
            tree_author: Style::default().fg(Color::Cyan),
            tree_op: Style::default()
                .fg(Color::Green)
                .add_modifier(Modifier::BOLD),
            tree_meta: dim,
            tree_folded: Style::default().fg(Color::Yellow),
            tree_deleted: dim.add_modifier(Modifier::ITALIC),
            tree_context: dim,
            tree_depth: vec![
                Style::default().fg(Color::Blue),
                Style::default().fg(Color::Magenta),
                Style::default().fg(Color::Cyan),
                Style::default().fg(Color::Green),
                Style::default().fg(Color::Yellow),
            ],
            comment_text: plain,
            comment_header: bold,
            comment_breadcrumb: dim,
            comment_quote: Style::default().fg(Color::Green),
            comment_link: Style::default()
                .fg(Color::Blue)
                .add_modifier(Modifier::UNDERLINED),
            comment_code: Style::default().fg(Color::Yellow),
            comment_emphasis: Style::default().add_modifier(Modifier::ITALIC),
            comment_strong: bold,
            search_match: Style::default().fg(Color::Black).bg(Color::Yellow),
            search_current: Style::default()
                .fg(Color::Black)
                .bg(Color::LightRed)
                .add_modifier(Modifier::BOLD),
            bookmark_marker: Style::default().fg(Color::Yellow),
            new_marker: Style::default()
                .fg(Color::Green)
                .add_modifier(Modifier::BOLD),
            status_bar: Style::default().add_modifier(Modifier::REVERSED),
            status_error: Style::default().fg(Color::Red).add_modifier(Modifier::BOLD),
            status_warning: Style::default().fg(Color::Yellow),
            status_prompt: bold,
            border_focused: Style::default().fg(Color::Cyan),
            border_unfocused: dim,
            help_key: Style::default()
                .fg(Color::Cyan)
                .add_modifier(Modifier::BOLD),
            help_text: plain,
            help_title: bold.add_modifier(Modifier::UNDERLINED),
            list_selected: Style::default().add_modifier(Modifier::REVERSED),
        }
    }
}

impl Styles {
    /// The style for a piece of body text.
    #[must_use]
    pub fn text(&self, style: TextStyle, base: Style) -> Style {
        match style {
            TextStyle::Text => base,
            TextStyle::Quote => base.patch(self.comment_quote),
            TextStyle::Code => base.patch(self.comment_code),
            TextStyle::Link | TextStyle::LinkMarker => base.patch(self.comment_link),
            TextStyle::Emphasis => base.patch(self.comment_emphasis),
            TextStyle::Strong => base.patch(self.comment_strong),
            TextStyle::Strike => base.add_modifier(Modifier::CROSSED_OUT),
            TextStyle::Heading => base.patch(self.article_title),
            TextStyle::Meta => base.patch(self.article_meta),
        }
    }

    /// The position-label style for a depth.
    #[must_use]
    pub fn depth(&self, depth: u32) -> Style {
        if self.tree_depth.is_empty() {
            return self.tree_meta;
        }
        self.tree_depth[depth as usize % self.tree_depth.len()]
    }
}
