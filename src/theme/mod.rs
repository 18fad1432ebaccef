//! Theme files -> typed, semantic styles.
//!
//! Owns: the theme file format, the bundled themes (`themes/*.toml`, embedded), theme
//! lookup (user themes in `<config dir>/themes/` override bundled ones), inheritance, and
//! colour depth (`NO_COLOR`, 16, 256, 24-bit). Must not: draw anything or touch the
//! terminal; read environment variables directly (it gets an [`Env`] snapshot).
//!
//! # Using a theme (for drawing code)
//!
//! ```
//! use ratatui::style::Style;
//! use threadr::theme::{ColorDepth, Theme};
//!
//! let theme = Theme::default().with_depth(ColorDepth::Ansi256);
//! // Styles are patches: each sets only what it names. Layer them, base first:
//! let row: Style = theme.tree.text.patch(theme.tree.author).patch(theme.tree.selected);
//! let guide: Style = theme.tree.depth_style(3);
//! # let _ = (row, guide);
//! ```
//!
//! - Every key of the file format is a `Style` field, `theme.<group>.<name>`: `tree.selected`
//!   is `theme.tree.selected`, `status.bar` is `theme.status.bar`. Exceptions: `search.match`
//!   is `theme.search.matched` (`match` is a Rust keyword) and `tree.depth` is a list,
//!   `theme.tree.depth` with [`TreeStyles::depth_style`] to cycle through it.
//! - Suggested layering: clear the frame with `app.background`; a pane's base is
//!   `article.text` / `tree.text` / `comment.text` / `help.text` / `list.text` /
//!   `status.bar`; roles (`tree.author`, `tree.meta`, `comment.quote`...) patch the base;
//!   states (`tree.selected`, `search.match`, `search.current`, `list.selected`) patch last.
//! - Bodies (article and comments share the model's `Body`) use [`Theme::body_styles`].
//! - [`Theme::load`] resolves a name or path to a full-colour theme; call
//!   [`Theme::with_depth`] with [`ColorDepth::detect`] (or the `colors` setting) before
//!   drawing; then [`Theme::warnings`] lists parts that became unreadable (same foreground
//!   and background) at that depth. `crate::config::Config::load_theme` does all three.
//! - [`STYLE_KEYS`] lists every key with a one-line description (README, `threadr themes`).

mod color;
mod file;
mod style;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use ratatui::style::{Color, Modifier, Style};

pub use color::{ANSI_NAMES, ColorDepth, parse_color, xterm_rgb};
pub use file::{BUNDLED, ThemeError};

use crate::config::Env;

macro_rules! theme_styles {
    ($(
        $(#[$gdoc:meta])* $group:ident : $Ty:ident {
            $( $(#[$doc:meta])* $field:ident => $key:literal, $desc:literal; )*
        } $([ $( $(#[$xdoc:meta])* $xfield:ident : $xty:ty ),* ])?
    )*) => {
        $(
            $(#[$gdoc])*
            #[derive(Clone, Debug, Default, PartialEq, Eq)]
            pub struct $Ty {
                $( $(#[$doc])* pub $field: Style, )*
                $($( $(#[$xdoc])* pub $xfield: $xty, )*)?
            }
        )*

        /// The theme's styles, one group per part of the screen.
        #[derive(Clone, Debug, Default, PartialEq, Eq)]
        pub struct Styles {
            $( $(#[$gdoc])* pub $group: $Ty, )*
        }

        /// Every single-style key of the theme format with its description, in README order
        /// (`tree.depth`, a list, is described by [`DEPTH_KEY`]).
        pub const STYLE_KEYS: &[(&str, &str)] = &[ $( $( ($key, $desc), )* )* ];

        impl Styles {
            /// The field behind a single-style key.
            fn slot_mut(&mut self, key: &str) -> Option<&mut Style> {
                match key {
                    $( $( $key => Some(&mut self.$group.$field), )* )*
                    _ => None,
                }
            }

            /// The style behind a single-style key.
            #[must_use]
            pub fn get(&self, key: &str) -> Option<Style> {
                match key {
                    $( $( $key => Some(self.$group.$field), )* )*
                    _ => None,
                }
            }

            /// Every style, the depth list included, for depth mapping.
            fn for_each_mut(&mut self, mut f: impl FnMut(&mut Style)) {
                $( $( f(&mut self.$group.$field); )* )*
                for s in &mut self.tree.depth {
                    f(s);
                }
            }
        }
    };
}

theme_styles! {
    /// The whole screen.
    app: AppStyles {
        /// The frame is cleared with this before anything is drawn.
        background => "app.background", "The whole screen, before anything is drawn on it";
    }
    /// The article pane.
    article: ArticleStyles {
        /// Body text of the article.
        text => "article.text", "Article body text (base of the article pane)";
        /// The thread's title.
        title => "article.title", "The thread's title";
        /// Author, date, score, URL line.
        meta => "article.meta", "The article's author, date, score and URL";
    }
    /// The comment tree.
    tree: TreeStyles {
        /// A row of the tree.
        text => "tree.text", "A row of the comment tree (base of the tree pane)";
        /// The selected row.
        selected => "tree.selected", "The selected row";
        /// A comment's author.
        author => "tree.author", "A comment's author";
        /// Author of a comment by the thread's own author.
        op => "tree.op", "The author, when it is the thread's author (OP)";
        /// Date, score, reply count.
        meta => "tree.meta", "Date, score and reply count on a row";
        /// The folded marker and reply count of a folded comment.
        folded => "tree.folded", "A folded comment's marker and hidden-reply count";
        /// A deleted or removed comment.
        deleted => "tree.deleted", "A deleted or removed comment";
        /// Ancestors shown for context in filter mode.
        context => "tree.context", "Ancestors shown only for context while filtering";
        /// "N more replies" rows for replies the file did not include.
        more => "tree.more", "\"N more replies\" rows (replies not in the file)";
    } [
        /// Styles by reply depth (0 = top level), cycling; never empty.
        depth: Vec<Style>
    ]
    /// The comment view and body markup (article bodies use the markup keys too).
    comment: CommentStyles {
        /// Body text of a comment.
        text => "comment.text", "Comment body text (base of the comment view)";
        /// Author/date line above a comment.
        header => "comment.header", "The author and date line above a comment";
        /// The path of ancestors above a comment.
        breadcrumb => "comment.breadcrumb", "The ancestors' path above a comment";
        /// Quoted text (`> ...`).
        quote => "comment.quote", "Quoted text (article and comments)";
        /// Links.
        link => "comment.link", "Links (article and comments)";
        /// Inline and block code.
        code => "comment.code", "Inline code and code blocks (article and comments)";
        /// Emphasis (italic).
        emphasis => "comment.emphasis", "Emphasised text (article and comments)";
        /// Strong (bold).
        strong => "comment.strong", "Strong text (article and comments)";
        /// Struck-through text.
        strike => "comment.strike", "Struck-through text (article and comments)";
        /// Headings.
        heading => "comment.heading", "Headings (article and comments)";
        /// A mail signature (the lines after `-- `).
        signature => "comment.signature", "A mail signature, after the `-- ` line";
    }
    /// Search hits.
    search: SearchStyles {
        /// Every match (`search.match` in files).
        matched => "search.match", "Every search match";
        /// The match the cursor is on.
        current => "search.current", "The current search match";
    }
    /// Bookmarks.
    bookmark: BookmarkStyles {
        /// The marker on a bookmarked row.
        marker => "bookmark.marker", "The marker on a bookmarked comment";
    }
    /// Comments new since the last visit.
    new: NewStyles {
        /// The marker on a new row.
        marker => "new.marker", "The marker on a comment new since your last visit";
    }
    /// Comments not read yet.
    unread: UnreadStyles {
        /// The `•` marker on an unread row, and its first words.
        marker => "unread.marker", "The marker and first words of an unread comment in the tree";
    }
    /// The status bar.
    status: StatusStyles {
        /// The bar itself.
        bar => "status.bar", "The status bar (base)";
        /// Error messages.
        error => "status.error", "Error messages in the status bar";
        /// Warnings.
        warning => "status.warning", "Warnings in the status bar";
        /// The search/note prompt.
        prompt => "status.prompt", "The search and note prompt";
        /// Key hints.
        hint => "status.hint", "Key hints in the status bar";
    }
    /// Pane borders.
    border: BorderStyles {
        /// The focused pane's border.
        focused => "border.focused", "The border of the focused pane";
        /// Other borders.
        unfocused => "border.unfocused", "The border of other panes";
    }
    /// The help overlay.
    help: HelpStyles {
        /// Key names.
        key => "help.key", "Key names in the help";
        /// Descriptions.
        text => "help.text", "Descriptions in the help (base of the overlay)";
        /// Titles and section headings.
        title => "help.title", "Titles and section headings in the help";
    }
    /// List overlays (bookmarks, links).
    list: ListStyles {
        /// An entry.
        text => "list.text", "An entry of a list overlay (bookmarks, links; base)";
        /// The selected entry.
        selected => "list.selected", "The selected entry of a list overlay";
    }
}

/// Keys that mark something by its background: at [`ColorDepth::None`] one with a
/// background colour is shown in reverse video instead.
pub const HIGHLIGHT_KEYS: [&str; 5] = [
    "tree.selected",
    "list.selected",
    "search.match",
    "search.current",
    "status.bar",
];

/// The list key and its description.
pub const DEPTH_KEY: (&str, &str) = (
    "tree.depth",
    "A list of styles by reply depth (top level first), cycling; the tree's indentation guides",
);

impl TreeStyles {
    /// The style for a reply at `depth` (0 = top level), cycling through `tree.depth`.
    #[must_use]
    pub fn depth_style(&self, depth: u32) -> Style {
        if self.depth.is_empty() {
            return Style::default();
        }
        self.depth[depth as usize % self.depth.len()]
    }
}

/// The styles for drawing a `Body` (article or comment): base text plus markup.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BodyStyles {
    /// Base text (`article.text` or `comment.text`).
    pub text: Style,
    /// `comment.quote`.
    pub quote: Style,
    /// `comment.link`.
    pub link: Style,
    /// `comment.code`.
    pub code: Style,
    /// `comment.emphasis`.
    pub emphasis: Style,
    /// `comment.strong`.
    pub strong: Style,
    /// `comment.strike`.
    pub strike: Style,
    /// `comment.heading`.
    pub heading: Style,
}

/// Which body [`Theme::body_styles`] is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyPart {
    /// The article pane.
    Article,
    /// A comment.
    Comment,
}

/// A resolved theme: every style of the screen, at one colour depth.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Theme {
    /// The name it was loaded by (file stem for a path).
    pub name: String,
    /// Where it came from (`themes/gruvbox.toml (bundled)` or a path).
    pub source: String,
    /// The colour depth its colours are mapped to.
    pub depth: ColorDepth,
    /// The styles; also reachable directly (`theme.tree`) through `Deref`.
    pub styles: Styles,
    /// Parts that are unreadable at this depth (foreground equals background). Show them.
    pub warnings: Vec<String>,
}

impl std::ops::Deref for Theme {
    type Target = Styles;
    fn deref(&self) -> &Styles {
        &self.styles
    }
}

impl std::ops::DerefMut for Theme {
    fn deref_mut(&mut self) -> &mut Styles {
        &mut self.styles
    }
}

impl Default for Theme {
    /// The bundled `default` theme at full colour.
    fn default() -> Self {
        static DEFAULT: OnceLock<Theme> = OnceLock::new();
        DEFAULT
            .get_or_init(|| {
                Theme::load("default", None).expect("the bundled default theme loads (tested)")
            })
            .clone()
    }
}

/// Where a listed theme comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ThemeOrigin {
    /// Embedded in the binary.
    Bundled,
    /// A file in the user's theme folder; `overrides` when a bundled theme has its name.
    User {
        /// The file.
        path: PathBuf,
        /// Whether it hides a bundled theme of the same name.
        overrides: bool,
    },
}

/// One entry of [`Theme::list`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ThemeInfo {
    /// What `--theme` takes.
    pub name: String,
    /// Where it comes from.
    pub origin: ThemeOrigin,
}

impl Theme {
    /// Loads a theme by name (user theme first, then bundled) or by path (anything with a
    /// `/` or ending in `.toml`), following `inherits`, at full colour.
    ///
    /// # Errors
    /// No such theme, unreadable file, bad TOML, unknown key, bad colour, missing parent,
    /// inheritance cycle, or keys left undefined: the message names the file, key and line.
    pub fn load(name_or_path: &str, config_dir: Option<&Path>) -> Result<Self, ThemeError> {
        let (name, source, styles) = file::load(name_or_path, config_dir)?;
        let mut theme = Self {
            name,
            source,
            depth: ColorDepth::TrueColor,
            styles,
            warnings: Vec::new(),
        };
        theme.warnings = theme.contrast_warnings();
        Ok(theme)
    }

    /// The same theme with every colour mapped to `depth`. At [`ColorDepth::None`] no colour
    /// is left, only modifiers, and the [`HIGHLIGHT_KEYS`] that had a background colour
    /// become reverse video so the selection and search hits stay visible. Recomputes
    /// [`Theme::warnings`].
    #[must_use]
    pub fn with_depth(mut self, depth: ColorDepth) -> Self {
        if depth == ColorDepth::None {
            // A highlight drawn with a background colour would vanish: reverse video is
            // its colourless equivalent.
            for key in HIGHLIGHT_KEYS {
                if let Some(slot) = self.styles.slot_mut(key)
                    && slot.bg.is_some_and(|c| c != Color::Reset)
                {
                    *slot = slot.add_modifier(Modifier::REVERSED);
                }
            }
        }
        self.styles.for_each_mut(|s| {
            s.fg = s.fg.and_then(|c| depth.map(c));
            s.bg = s.bg.and_then(|c| depth.map(c));
        });
        self.depth = depth;
        self.warnings = self.contrast_warnings();
        self
    }

    /// Bundled themes and the user's (`<config dir>/themes/*.toml`), sorted by name; a user
    /// theme with a bundled name is listed once, as the user's, with `overrides`.
    ///
    /// # Errors
    /// When the user's theme folder exists but cannot be read.
    pub fn list(config_dir: Option<&Path>) -> Result<Vec<ThemeInfo>, ThemeError> {
        file::list(config_dir)
    }

    /// The styles for a body, by where it is shown.
    #[must_use]
    pub fn body_styles(&self, part: BodyPart) -> BodyStyles {
        let c = &self.styles.comment;
        BodyStyles {
            text: match part {
                BodyPart::Article => self.styles.article.text,
                BodyPart::Comment => c.text,
            },
            quote: c.quote,
            link: c.link,
            code: c.code,
            emphasis: c.emphasis,
            strong: c.strong,
            strike: c.strike,
            heading: c.heading,
        }
    }

    /// Keys whose text would be invisible: foreground equal to background once layered on
    /// the pane's base the way drawing code does (see the module docs).
    #[must_use]
    pub fn contrast_warnings(&self) -> Vec<String> {
        let s = &self.styles;
        let mut out = Vec::new();
        let mut check = |key: &str, style: Style| {
            if let (Some(fg), Some(bg)) = (style.fg, style.bg)
                && fg == bg
                && fg != Color::Reset
            {
                out.push(format!(
                    "theme \"{}\": {key}: text and background are the same colour ({fg}) at {} colours",
                    self.name,
                    self.depth.name()
                ));
            }
        };
        let app = s.app.background;
        for (key, _) in STYLE_KEYS {
            let Some(style) = s.get(key) else { continue };
            let group = key.split('.').next().unwrap_or("");
            let bases: Vec<Style> = match group {
                "article" => vec![s.article.text],
                "tree" => vec![s.tree.text],
                "comment" => vec![s.comment.text],
                "search" | "bookmark" | "new" | "unread" => {
                    vec![s.tree.text, s.comment.text, s.article.text]
                }
                "status" => vec![s.status.bar],
                "help" => vec![s.help.text],
                "list" => vec![s.list.text],
                _ => vec![Style::default()],
            };
            for base in bases {
                check(key, app.patch(base).patch(style));
            }
        }
        for (i, style) in s.tree.depth.iter().enumerate() {
            check(
                &format!("tree.depth[{i}]"),
                app.patch(s.tree.text).patch(*style),
            );
        }
        // A selected row keeps its roles and markers: check them on the selection too.
        let selected = app.patch(s.tree.text).patch(s.tree.selected);
        let on_selected = [
            ("tree.author", s.tree.author),
            ("tree.op", s.tree.op),
            ("tree.meta", s.tree.meta),
            ("tree.folded", s.tree.folded),
            ("tree.deleted", s.tree.deleted),
            ("tree.context", s.tree.context),
            ("tree.more", s.tree.more),
            ("bookmark.marker", s.bookmark.marker),
            ("new.marker", s.new.marker),
            ("unread.marker", s.unread.marker),
            ("search.match", s.search.matched),
            ("search.current", s.search.current),
        ];
        for (i, (key, style)) in on_selected.into_iter().enumerate() {
            // Roles sit under the selection; markers and search hits go on top of it.
            let shown = if i < 7 {
                app.patch(s.tree.text).patch(style).patch(s.tree.selected)
            } else {
                selected.patch(style)
            };
            check(&format!("{key} on tree.selected"), shown);
        }
        for (i, style) in s.tree.depth.iter().enumerate() {
            check(
                &format!("tree.depth[{i}] on tree.selected"),
                selected.patch(*style).patch(s.tree.selected),
            );
        }
        let list_selected = app.patch(s.list.text).patch(s.list.selected);
        check("list.selected", list_selected);
        // A highlight must look different from what it highlights.
        for (key, base) in [
            ("tree.selected", s.tree.text),
            ("list.selected", s.list.text),
            ("search.match", s.comment.text),
            ("search.current", s.comment.text),
            ("status.bar", s.article.text),
        ] {
            let plain = app.patch(base);
            let lit = plain.patch(s.get(key).unwrap_or_default());
            if plain == lit {
                out.push(format!(
                    "theme \"{}\": {key} looks the same as the text it highlights at {} colours",
                    self.name,
                    self.depth.name()
                ));
            }
        }
        let hit = s.search.matched;
        if selected.patch(hit) == selected.patch(s.search.current) {
            out.push(format!(
                "theme \"{}\": search.current looks the same as search.match at {} colours",
                self.name,
                self.depth.name()
            ));
        }
        out.dedup();
        out
    }
}

/// The effective colour depth: `setting` when it names one, else detected from `env`.
#[must_use]
pub fn resolve_depth(setting: Option<ColorDepth>, env: &Env) -> ColorDepth {
    // NO_COLOR is the user's explicit wish for this session; it beats a config file.
    if env.get("NO_COLOR").is_some_and(|v| !v.is_empty()) {
        return ColorDepth::None;
    }
    setting.unwrap_or_else(|| ColorDepth::detect(env))
}
