//! The reader's state and what every action does to it.
//!
//! `App::update(action)` changes in-memory state only and returns an [`Outcome`]: whether
//! the screen must be redrawn, and effects (quit, copy, save, jobs...) as data for the driver
//! (`crate::driver`) to perform. No terminal IO, no disk, no drawing here (nothing in `app/`
//! names `ui`), so key-sequence tests drive it directly.

mod help;
mod jobs;
pub mod layout;
mod library;
mod mouse;
mod nav;
mod outcome;
mod overlay;
mod reading;
pub mod remote;
mod rules;
mod search;
mod share;
mod stream;
mod tree;

pub use help::{HelpRow, help_rows};
pub use jobs::{JobBoard, Message, Running};
pub use layout::{Layout, Viewport};
pub use library::{Library, LibraryFiles, StoreBackend, StoreDone, StoreOp, StoreReply};
pub use outcome::{Effect, Outcome};
pub use overlay::{ListEntry, ListKind, ListTarget, ListView, Prompt, PromptKind};
pub use reading::{Reading, ViewFilter};
pub use remote::SavedThread;
pub use rules::RuleView;
pub use search::{SearchPrompt, SearchState};
pub use stream::Streaming;
pub use tree::ThreadTree;

use std::cell::RefCell;

use crate::action::Action;
use crate::keymap::{Key, Keymap, Mode};
use crate::model::{CommentIdx, Thread};
use crate::text::lines::TextCache;

/// Which pane has the keyboard.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pane {
    /// The article.
    Article,
    /// The comment tree and the focused comment.
    Comments,
}

/// What covers the panes, if anything.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum Overlay {
    /// Nothing: the panes have the keys.
    #[default]
    None,
    /// The key help, scrolled this far.
    Help {
        /// First help line shown.
        scroll: usize,
    },
    /// A one-line prompt in the status bar (search, note).
    Prompt(Prompt),
    /// A list (bookmarks, links).
    List(ListView),
}

/// Severity of a status-bar message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusKind {
    /// Information.
    Info,
    /// Something went wrong but the app goes on.
    Warning,
    /// An action failed.
    Error,
}

/// A message in the status bar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Status {
    /// The text (from us, but may quote thread text: sanitised when drawn).
    pub text: String,
    /// How to show it.
    pub kind: StatusKind,
}

/// How the reader is set up, as the driver decides from the config and the environment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AppOptions {
    /// Percentage of the width given to the article in the wide layout.
    pub split: u16,
    /// Whether choosing a link opens it (a browser is configured and we are not over SSH)
    /// instead of copying it.
    pub can_open_links: bool,
    /// Whether links in text are drawn as OSC 8 hyperlinks.
    pub hyperlinks: bool,
    /// Longest line of comment and article text, in columns (0: the pane's width).
    pub text_width: usize,
    /// Park the terminal's cursor on the selection (`cursor = "selection"`).
    pub cursor_on_selection: bool,
}

impl Default for AppOptions {
    fn default() -> Self {
        Self {
            split: crate::config::DEFAULT_SPLIT,
            text_width: crate::config::DEFAULT_TEXT_WIDTH,
            can_open_links: false,
            hyperlinks: false,
            cursor_on_selection: false,
        }
    }
}

/// Everything the reader shows and remembers while it runs.
pub struct App {
    /// The thread being read.
    /// Shared so the search index can be prepared on another thread while the reader reads.
    pub thread: std::sync::Arc<Thread>,
    /// Where it came from, for the status bar.
    pub source_name: String,
    /// Keys to actions.
    pub keymap: Keymap,
    /// Folds, zoom, selection.
    pub tree: ThreadTree,
    /// Which pane has focus.
    pub focus: Pane,
    /// The overlay, if any.
    pub overlay: Overlay,
    /// First line of the article shown.
    pub article_scroll: usize,
    /// First line of the focused comment's body shown.
    pub detail_scroll: usize,
    /// Percentage of the width given to the article in the wide layout.
    pub split: u16,
    /// Longest line of comment and article text, in columns (0: the pane's width): long
    /// lines on a wide terminal are hard to read.
    pub text_width: usize,
    /// The message in the status bar.
    pub status: Option<Status>,
    /// Every message shown this session, oldest first (at most [`MESSAGE_LOG`]), for the
    /// message log: a long one cut in the bar, or one gone with the next key, is read there.
    pub messages: Vec<Status>,
    /// Pane sizes from the last layout.
    pub viewport: Viewport,
    /// Seconds since the epoch, for ages.
    pub now: i64,
    /// Wrapped text per (document, width); a memo the draw code fills.
    pub cache: RefCell<TextCache>,
    /// The reader's bookmarks and reading state, when their folder could be opened.
    pub library: Option<Library>,
    /// The search, if any.
    pub search: SearchState,
    /// Whether links in text are drawn as OSC 8 hyperlinks.
    pub hyperlinks: bool,
    /// Whether the source names authors at all; then a comment without one had its author
    /// deleted, and says so.
    pub authors_known: bool,
    /// The layout of the last frame (the mouse hit-tests it; paging uses its viewport).
    pub areas: Layout,
    /// The background jobs the app is waiting on.
    pub jobs: JobBoard,
    /// Whether choosing a link opens it (a browser is configured and we are not over SSH)
    /// instead of copying it.
    pub can_open_links: bool,
    /// Sort order, read flags and the view filter.
    pub reading: Reading,
    /// The config's rules and their verdicts for this thread.
    pub rules: RuleView,
    /// Park the terminal's cursor on the selection (`cursor = "selection"`).
    pub cursor_on_selection: bool,
    /// Set when the thread was opened by URL: what to refetch, and the fetch in progress.
    pub remote: Option<remote::Remote>,
    /// Whether the thread shown is the whole file or its first part while the rest is read.
    pub stream: Streaming,
    /// The reader moved while the rest of the file was read (then the saved position is
    /// not restored over where they went).
    pub moved_while_reading: bool,
}

/// Messages kept for the message log.
pub const MESSAGE_LOG: usize = 200;

impl App {
    /// A reader for `thread` with the given keys and the default options.
    #[must_use]
    pub fn new(thread: Thread, source_name: String, keymap: Keymap) -> Self {
        Self::with_options(thread, source_name, keymap, AppOptions::default())
    }

    /// A reader for `thread` with the given keys, set up as `options` say.
    #[must_use]
    pub fn with_options(
        thread: Thread,
        source_name: String,
        keymap: Keymap,
        options: AppOptions,
    ) -> Self {
        let tree = ThreadTree::new(&thread);
        let n = thread.len();
        let focus = if thread.is_empty() {
            Pane::Article
        } else {
            Pane::Comments
        };
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        let status = thread.warnings.first().map(|w| Status {
            text: w.clone(),
            kind: StatusKind::Warning,
        });
        let messages = thread
            .warnings
            .iter()
            .rev()
            .take(MESSAGE_LOG)
            .rev()
            .map(|w| Status {
                text: w.clone(),
                kind: StatusKind::Warning,
            })
            .collect();
        let authors_known =
            thread.author.is_some() || thread.comments.iter().any(|c| c.author.is_some());
        Self {
            thread: std::sync::Arc::new(thread),
            source_name,
            keymap,
            tree,
            focus,
            overlay: Overlay::None,
            article_scroll: 0,
            detail_scroll: 0,
            split: options.split,
            text_width: options.text_width,
            status,
            messages,
            viewport: Viewport::default(),
            now,
            cache: RefCell::new(TextCache::default()),
            library: None,
            search: SearchState::default(),
            can_open_links: options.can_open_links,
            hyperlinks: options.hyperlinks,
            authors_known,
            areas: Layout::default(),
            reading: Reading::new(n),
            rules: RuleView::default(),
            cursor_on_selection: options.cursor_on_selection,
            remote: None,
            jobs: JobBoard::default(),
            stream: Streaming::Whole,
            moved_while_reading: false,
        }
    }

    /// Columns text is wrapped to in a pane `width` columns wide ([`Self::text_width`]).
    #[must_use]
    pub fn text_cols(&self, width: usize) -> usize {
        match self.text_width {
            0 => width,
            max => width.min(max),
        }
    }

    /// The keymap mode that interprets keys right now.
    #[must_use]
    pub fn mode(&self) -> Mode {
        match self.overlay {
            Overlay::Help { .. } => Mode::Help,
            Overlay::Prompt(_) => Mode::Prompt,
            Overlay::List(_) => Mode::List,
            Overlay::None => match self.focus {
                Pane::Article => Mode::Article,
                Pane::Comments => Mode::Comments,
            },
        }
    }

    /// Turns a key into an action through the keymap and applies it.
    pub fn handle_key(&mut self, key: Key) -> Outcome {
        if self.reading.confirm_all_read {
            let yes = key.code == crossterm::event::KeyCode::Enter && key.mods.is_empty();
            return self.answer_mark_all_read(yes);
        }
        let mode = self.mode();
        // Ctrl-c is the way out no config can take away: unless rebound to something else
        // in this mode, it cancels a prompt, list or help and quits everywhere else.
        let ctrl_c = key.code == crossterm::event::KeyCode::Char('c')
            && key.mods == crossterm::event::KeyModifiers::CONTROL;
        let action = self.keymap.lookup(mode, key).or_else(|| {
            ctrl_c.then_some(if matches!(mode, Mode::Comments | Mode::Article) {
                Action::Quit
            } else {
                Action::Cancel
            })
        });
        match action {
            Some(action) => self.update(action),
            None if mode == Mode::Prompt => match prompt_edit_for(key) {
                Some(edit) => self.prompt_edit(edit),
                None => Outcome::default(),
            },
            None if matches!(mode, Mode::List | Mode::Help) => Outcome::default(),
            None => {
                let hint = self.keymap.keys_for(mode, Action::Help);
                self.set_status(
                    StatusKind::Info,
                    format!("{key} does nothing here; {hint} lists the keys"),
                );
                Outcome::changed(true)
            }
        }
    }

    /// The selected comment, if any.
    #[must_use]
    pub fn selected(&self) -> Option<CommentIdx> {
        self.tree.selected()
    }

    /// Records the layout about to be drawn: pane sizes for paging, areas for the mouse.
    pub fn set_layout(&mut self, layout: Layout) {
        self.areas = layout;
        self.set_viewport(layout.viewport);
    }

    /// Records the pane sizes of the current layout and keeps the selection in view.
    pub fn set_viewport(&mut self, viewport: Viewport) {
        self.viewport = viewport;
        self.tree.scroll_into_view(viewport.tree_height);
        self.clamp_scrolls();
    }

    /// Adds a warning to the status bar without hiding one already there (start-up can
    /// have several: the file, the theme, the bookmarks).
    pub fn add_warning(&mut self, text: impl Into<String>) {
        let text = text.into();
        match &mut self.status {
            Some(s) if s.kind != StatusKind::Info => {
                s.text.push_str(" · ");
                s.text.push_str(&text);
                self.log(StatusKind::Warning, text);
            }
            _ => self.set_status(StatusKind::Warning, text),
        }
    }

    /// Shows a message in the status bar (and keeps it in the message log).
    pub fn set_status(&mut self, kind: StatusKind, text: impl Into<String>) {
        let text = text.into();
        self.log(kind, text.clone());
        self.status = Some(Status { text, kind });
    }

    fn log(&mut self, kind: StatusKind, text: String) {
        if self.messages.len() >= MESSAGE_LOG {
            self.messages.remove(0);
        }
        self.messages.push(Status { text, kind });
    }

    /// Applies one action.
    pub fn update(&mut self, action: Action) -> Outcome {
        // Any action clears an informational message; errors stay until the next key too.
        let had_status = self.status.take().is_some();
        let mut out = match (&self.overlay, action) {
            (_, Action::Quit) => Outcome::effect(Effect::Quit),
            (_, Action::Suspend) => Outcome::effect(Effect::Suspend),
            (_, Action::Redraw) => Outcome::effect(Effect::ClearScreen),
            (Overlay::Help { .. }, a) => self.update_help(a),
            (Overlay::Prompt(_), a) => self.update_prompt(a),
            (Overlay::List(_), a) => self.update_list(a),
            (Overlay::None, a) if self.waits_for_whole(a) => self.still_reading(),
            (Overlay::None, Action::Help) => {
                self.overlay = Overlay::Help { scroll: 0 };
                Outcome::changed(true)
            }
            (Overlay::None, Action::Cancel) if self.is_fetching() => self.cancel_fetch(),
            (Overlay::None, Action::Refresh) => self.request_refresh(),
            (Overlay::None, Action::Library) => Outcome::effect(Effect::ShowLibrary),
            (Overlay::None, Action::FetchArticle) => self.request_article(),
            (Overlay::None, Action::Cancel) => {
                if let Some(out) = self.cancel_foreground() {
                    out
                } else if self.clear_view() {
                    Outcome::changed(true)
                } else {
                    self.clear_search()
                }
            }
            (Overlay::None, Action::SwitchPane) => {
                self.focus = match self.focus {
                    Pane::Article => Pane::Comments,
                    Pane::Comments => Pane::Article,
                };
                if self.focus == Pane::Comments && self.thread.is_empty() {
                    self.focus = Pane::Article;
                    self.set_status(StatusKind::Info, "This thread has no comments");
                }
                Outcome::changed(true)
            }
            (Overlay::None, Action::Search) => self.start_search(),
            (Overlay::None, Action::SearchNext) => self.search_step(true),
            (Overlay::None, Action::SearchPrev) => self.search_step(false),
            (Overlay::None, Action::ToggleFilter) => self.toggle_filter(),
            (Overlay::None, Action::ToggleBookmark) => self.toggle_bookmark(),
            (Overlay::None, Action::EditNote) => self.edit_note(),
            (Overlay::None, Action::BookmarkList) => self.request_bookmark_list(),
            (Overlay::None, Action::MessageLog) => self.open_message_log(),
            (Overlay::None, Action::NextBookmark) => self.jump_bookmark(true),
            (Overlay::None, Action::PrevBookmark) => self.jump_bookmark(false),
            (Overlay::None, Action::NextNew) => self.jump_new(),
            (Overlay::None, Action::FilterAuthor) => self.filter_author(),
            (Overlay::None, Action::NextByAuthor) => self.author_step(true),
            (Overlay::None, Action::PrevByAuthor) => self.author_step(false),
            (Overlay::None, Action::ToggleRules) => self.toggle_rules(),
            (Overlay::None, Action::Copy) => self.copy_focused(),
            (Overlay::None, Action::CopyLink) => self.copy_link(),
            (Overlay::None, Action::Links) => self.open_links(),
            (Overlay::None, Action::ToggleQuotes) => self.toggle_quotes(),
            (Overlay::None, Action::GrowSplit) => self.resize_split(5),
            (Overlay::None, Action::ShrinkSplit) => self.resize_split(-5),
            (Overlay::None, a) => match self.focus {
                Pane::Article => self.update_article(a),
                Pane::Comments => self.update_comments(a),
            },
        };
        self.tree.scroll_into_view(self.viewport.tree_height);
        out.redraw |= self.mark_focused_read();
        out.redraw |= had_status;
        out
    }

    /// Folds or shows long quotes of the parent in every comment (the wrapped text changes,
    /// so the scroll positions are clamped again).
    fn toggle_quotes(&mut self) -> Outcome {
        let show = !self.cache.borrow().show_quotes();
        self.cache.borrow_mut().set_show_quotes(show);
        self.clamp_scrolls();
        self.set_status(
            StatusKind::Info,
            if show {
                "Long quotes of the parent shown in full"
            } else {
                "Long quotes of the parent folded"
            },
        );
        Outcome::changed(true)
    }

    fn resize_split(&mut self, delta: i16) -> Outcome {
        if self.viewport.narrow {
            self.set_status(
                StatusKind::Info,
                format!(
                    "The panes share the width only on terminals {} columns or wider",
                    layout::WIDE
                ),
            );
            return Outcome::changed(true);
        }
        let (lo, hi) = (*layout::SPLIT_RANGE.start(), *layout::SPLIT_RANGE.end());
        let new = self.split.saturating_add_signed(delta).clamp(lo, hi);
        if new == self.split {
            self.set_status(StatusKind::Info, "The split is at its limit");
            return Outcome::changed(true);
        }
        self.split = new;
        Outcome::effect(Effect::Store(StoreOp::SaveSplit(new)))
    }

    fn update_help(&mut self, action: Action) -> Outcome {
        let Overlay::Help { scroll } = &mut self.overlay else {
            return Outcome::default();
        };
        let page = self
            .viewport
            .article_height
            .max(self.viewport.tree_height)
            .max(1);
        let before = *scroll;
        match action {
            Action::Cancel | Action::Help => {
                self.overlay = Overlay::None;
                return Outcome::changed(true);
            }
            Action::ScrollDown => *scroll += 1,
            Action::ScrollUp => *scroll = scroll.saturating_sub(1),
            Action::PageDown => *scroll += page,
            Action::PageUp => *scroll = scroll.saturating_sub(page),
            Action::First => *scroll = 0,
            Action::Last => *scroll = usize::MAX,
            _ => {}
        }
        // The help box is the screen less the status bar and its border.
        let max = help_rows(&self.keymap)
            .len()
            .saturating_sub(self.viewport.article_height.saturating_sub(1).max(1));
        *scroll = (*scroll).min(max);
        Outcome::changed(*scroll != before)
    }

    fn unsupported(&mut self, action: Action) -> Outcome {
        self.set_status(
            StatusKind::Info,
            format!("\"{}\" does nothing in this pane", action.name()),
        );
        Outcome::changed(true)
    }
}

/// The shell-like line editing keys of prompts (fixed, like a terminal's line discipline:
/// they apply to keys the `[prompt]` table leaves unbound).
fn prompt_edit_for(key: Key) -> Option<crate::text::edit::Edit> {
    use crate::text::edit::Edit;
    use crossterm::event::{KeyCode, KeyModifiers};
    let ctrl = key.mods.contains(KeyModifiers::CONTROL);
    let alt = key.mods.contains(KeyModifiers::ALT);
    Some(match key.code {
        KeyCode::Char(c) if !ctrl && !alt => Edit::Insert(c),
        KeyCode::Char('a') if ctrl => Edit::Home,
        KeyCode::Char('e') if ctrl => Edit::End,
        KeyCode::Char('b') if ctrl => Edit::Left,
        KeyCode::Char('f') if ctrl => Edit::Right,
        KeyCode::Char('w') if ctrl => Edit::KillWordBack,
        KeyCode::Char('u') if ctrl => Edit::KillToStart,
        KeyCode::Char('k') if ctrl => Edit::KillToEnd,
        KeyCode::Char('h') if ctrl => Edit::Backspace,
        KeyCode::Char('d') if ctrl => Edit::Delete,
        KeyCode::Char('b') if alt => Edit::WordLeft,
        KeyCode::Char('f') if alt => Edit::WordRight,
        KeyCode::Backspace if alt => Edit::KillWordBack,
        KeyCode::Backspace => Edit::Backspace,
        KeyCode::Delete => Edit::Delete,
        KeyCode::Left if ctrl => Edit::WordLeft,
        KeyCode::Right if ctrl => Edit::WordRight,
        KeyCode::Left => Edit::Left,
        KeyCode::Right => Edit::Right,
        KeyCode::Home => Edit::Home,
        KeyCode::End => Edit::End,
        _ => return None,
    })
}

/// Runs space-separated keys through the real keymap, as a user would type them
/// (`"j j l Enter"`; `Space` for a space), returning the effects. For tests and benchmarks;
/// a thread with bookmarks wants [`run_keys_with`].
///
/// # Panics
/// When a key name does not parse.
pub fn run_keys(app: &mut App, keys: &str) -> Vec<Effect> {
    let mut effects = Vec::new();
    for k in keys.split_whitespace() {
        let key = Key::parse(k).unwrap_or_else(|e| panic!("bad key in test: {e}"));
        effects.extend(app.handle_key(key).effects);
    }
    effects
}

/// [`run_keys`], performing store effects on `store` as the driver would and returning the
/// other effects.
///
/// # Panics
/// When a key name does not parse.
pub fn run_keys_with(app: &mut App, store: &mut dyn StoreBackend, keys: &str) -> Vec<Effect> {
    let mut effects = Vec::new();
    for k in keys.split_whitespace() {
        let key = Key::parse(k).unwrap_or_else(|e| panic!("bad key in test: {e}"));
        let mut queue: std::collections::VecDeque<Effect> = app.handle_key(key).effects.into();
        while let Some(effect) = queue.pop_front() {
            match effect {
                Effect::Store(op) => {
                    let source = app
                        .library
                        .as_ref()
                        .map(|l| l.source.clone())
                        .unwrap_or_default();
                    let done = store.perform(&app.thread, &source, &op);
                    queue.extend(app.store_done(&op, done).effects);
                }
                other => effects.push(other),
            }
        }
    }
    effects
}
