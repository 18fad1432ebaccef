//! A thread that lives at a URL, inside the app: `r` asks for a refetch, the progress line,
//! cancel, and the fetched thread replacing the shown one in place; a link post's article
//! (`O`, or on open with `[fetch] articles = "always"`, which the driver asks for).
//!
//! `update` never fetches: `r` returns [`Effect::Fetch`], Esc during a fetch returns
//! [`Effect::CancelFetch`], and the driver runs the fetch on a worker thread and reports back
//! through [`App::fetch_progress`] and [`App::fetch_done`]. Replacing keeps the focused
//! comment, folds, zoom and article scroll by comment id, and marks what arrived as new
//! through the reading state's "new since last visit" (`u` jumps to them).

use super::{
    App, Effect, ListEntry, ListKind, ListTarget, ListView, Outcome, Overlay, Pane, StatusKind,
};
use crate::model::Thread;
use crate::store::{IdSet, ReadingState};

/// The status line once a linked article is in the article pane.
const ARTICLE_DONE: &str = "Article fetched: it is in the article pane";

/// The remote side of the open thread.
#[derive(Clone, Debug, Default)]
pub struct Remote {
    /// What to fetch to refresh (a URL or a site key).
    pub input: String,
    /// The progress line while a fetch runs (`None`: idle).
    pub progress: Option<String>,
    /// The running fetch is the thread's first (nothing saved was shown): its partial
    /// results replace the page as they come, and nothing in them counts as new.
    pub first_visit: bool,
    /// The page shown is the placeholder of a first fetch that failed (it says why): still
    /// nothing fetched, so a retry is a first visit too.
    pub failed_first: bool,
}

/// One saved thread as the library list shows it (read from disk by the driver).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SavedThread {
    /// Its title, when it has one.
    pub title: Option<String>,
    /// The site (`Hacker News`, a forum's host).
    pub site: String,
    /// Comments in the saved copy.
    pub comments: usize,
    /// Comments the reader has not seen (`None`: never opened in the reader).
    pub new: Option<usize>,
    /// When it was fetched, RFC 3339.
    pub fetched: String,
    /// What opens it: the URL or key it is refreshed by.
    pub target: String,
}

impl App {
    /// Opens the library list (`L`, and bare `threadr` with saved threads): newest first as
    /// given; an empty library says how to fill it.
    pub fn show_library(&mut self, saved: &[SavedThread]) -> Outcome {
        if saved.is_empty() {
            self.set_status(
                StatusKind::Info,
                "No saved threads yet: open a thread by its URL (threadr URL) to keep a copy",
            );
            return Outcome::changed(true);
        }
        let entries = saved
            .iter()
            .map(|t| {
                let new = match t.new {
                    None => "not opened yet".to_string(),
                    Some(0) => "nothing new".to_string(),
                    Some(n) => format!("{n} new"),
                };
                let comments = match t.comments {
                    1 => "1 comment".to_string(),
                    n => format!("{n} comments"),
                };
                ListEntry {
                    text: format!(
                        "{}  ({}, {comments}, {new})",
                        t.title.as_deref().unwrap_or("(untitled)"),
                        t.site,
                    ),
                    detail: Some(format!(
                        "fetched {} · {}",
                        t.fetched.get(..16).unwrap_or(&t.fetched).replace('T', " "),
                        t.target
                    )),
                    target: ListTarget::Saved(t.target.clone()),
                }
            })
            .collect();
        self.overlay = Overlay::List(ListView {
            kind: ListKind::Library,
            entries,
            selected: 0,
        });
        Outcome::changed(true)
    }

    /// `r`: refetch the thread when it came from the network.
    pub(super) fn request_refresh(&mut self) -> Outcome {
        // A file's reader has a `Remote` only for the progress line of `O`: nothing to refetch.
        let Some(remote) = self.remote.as_mut().filter(|r| !r.input.is_empty()) else {
            self.set_status(
                StatusKind::Info,
                "This thread was opened from a file; only threads opened by URL refresh",
            );
            return Outcome::changed(true);
        };
        if remote.progress.is_some() {
            self.set_status(StatusKind::Info, "Already fetching (Esc cancels)");
            return Outcome::changed(true);
        }
        remote.progress = Some(format!(
            "fetching {}",
            crate::text::sanitize_line(&remote.input)
        ));
        let input = remote.input.clone();
        let mut effects = vec![Effect::Fetch(input.clone())];
        // A retry after a failed first fetch: the page says it is fetching again.
        if self.is_placeholder() {
            let mut thread = (*self.thread).clone();
            thread.title = Some(format!("Fetching {input}"));
            thread.body = crate::model::Body::default();
            effects.extend(self.set_placeholder(thread, false));
        }
        Outcome {
            redraw: true,
            effects,
        }
    }

    /// `O`: fetch the page the story links to, shown as the article when it comes.
    pub(super) fn request_article(&mut self) -> Outcome {
        if self.is_fetching() {
            self.set_status(StatusKind::Info, "Already fetching (Esc cancels)");
            return Outcome::changed(true);
        }
        let Some(url) = crate::fetch::article::story_link(&self.thread) else {
            self.set_status(
                StatusKind::Info,
                "This thread links to no article (only Hacker News, Reddit and Lobsters link posts do)",
            );
            return Outcome::changed(true);
        };
        self.start_article(url)
    }

    /// `[fetch] articles = "always"`, once the thread is open (a file read whole, a URL's
    /// first fetch): fetch the linked article as `O` does, when this is a link post whose
    /// copy has no article yet; otherwise nothing, silently (most threads link nowhere).
    pub fn article_on_open(&mut self) -> Outcome {
        if self.is_fetching() || crate::fetch::article::is_attached(&self.thread) {
            return Outcome::default();
        }
        match crate::fetch::article::story_link(&self.thread) {
            Some(url) => self.start_article(url),
            None => Outcome::default(),
        }
    }

    /// The progress line and the effect that fetch the article at `url`.
    fn start_article(&mut self, url: String) -> Outcome {
        let remote = self.remote.get_or_insert_with(Remote::default);
        remote.progress = Some(format!(
            "fetching the article {}",
            crate::text::sanitize_line(&url)
        ));
        Outcome::effect(Effect::FetchArticle(url))
    }

    /// Whether the thread was opened by URL (it is a saved copy of the library's).
    #[must_use]
    pub fn opened_by_url(&self) -> bool {
        self.remote.as_ref().is_some_and(|r| !r.input.is_empty())
    }

    /// The linked article came (its text goes into the article pane, after the story's own
    /// text, the place kept) or could not be read (one line; the link stays).
    pub fn article_done(
        &mut self,
        url: &str,
        result: Result<crate::model::Body, String>,
    ) -> Outcome {
        if let Some(r) = &mut self.remote {
            r.progress = None;
        }
        match result {
            Ok(article) => {
                let mut thread = (*self.thread).clone();
                crate::fetch::article::attach(&mut thread, url, &article);
                // Only the article changed: comments, marks, folds and focus stay as they are.
                self.thread = std::sync::Arc::new(thread);
                self.cache = std::cell::RefCell::default();
                let cancel = self.search_text_changed();
                let mut out = self.prepare_search();
                out.effects.extend(cancel);
                // Fetched on open, it follows the thread's own line (`3 new replies`), which
                // stays readable beside it; after `O` that line is gone with the key.
                let done = ARTICLE_DONE;
                let text = match self.status.take() {
                    Some(s) if s.kind == StatusKind::Info => format!("{} · {done}", s.text),
                    _ => done.to_string(),
                };
                self.set_status(StatusKind::Info, text);
                Outcome {
                    redraw: true,
                    ..out
                }
            }
            Err(e) => {
                self.set_status(StatusKind::Error, format!("Article not fetched: {e}"));
                Outcome::changed(true)
            }
        }
    }

    /// Whether a fetch is running.
    #[must_use]
    pub fn is_fetching(&self) -> bool {
        self.remote.as_ref().is_some_and(|r| r.progress.is_some())
    }

    /// Esc while fetching: stop it.
    pub(super) fn cancel_fetch(&mut self) -> Outcome {
        if let Some(r) = &mut self.remote {
            r.progress = None;
        }
        let mut effects = vec![Effect::CancelFetch];
        if self.is_placeholder() {
            effects.extend(self.show_fetch_failure("the fetch was cancelled"));
        }
        self.set_status(StatusKind::Info, "Fetch cancelled");
        Outcome {
            redraw: true,
            effects,
        }
    }

    /// The driver marks a fetch as started (on open, before any key).
    pub fn fetch_started(&mut self, input: &str) {
        let placeholder = self.is_placeholder();
        let remote = self.remote.get_or_insert_with(Remote::default);
        input.clone_into(&mut remote.input);
        remote.first_visit = placeholder;
        remote.progress = Some(format!("fetching {}", crate::text::sanitize_line(input)));
    }

    /// A progress line from the worker (already one line).
    pub fn fetch_progress(&mut self, line: String) {
        if let Some(r) = &mut self.remote
            && r.progress.is_some()
        {
            r.progress = Some(line);
        }
    }

    /// Whether a partial result of the running fetch should be shown: only on a first visit,
    /// where it can only add to what is shown (over a saved copy, a partial would lack the
    /// comments still to be expanded, so the copy stays until the fetch completes).
    #[must_use]
    pub fn wants_partial(&self) -> bool {
        self.remote
            .as_ref()
            .is_some_and(|r| r.first_visit && r.progress.is_some())
    }

    /// A partial result of a first fetch (a Reddit thread whose `more` stubs are being
    /// expanded): it replaces the page in place, keeping the focused comment, folds and
    /// scroll by comment id, so the expanded comments join the tree as they come.
    pub fn fetch_partial(&mut self, thread: Thread) -> Outcome {
        if !self.wants_partial() {
            return Outcome::default();
        }
        let (_, out) = self.replace_thread(thread, None);
        Outcome {
            redraw: true,
            ..out
        }
    }

    /// The worker finished with `(thread, comment to focus, note, comments the source no
    /// longer has)`: the thread replaces the shown one (announcing what is new and what was
    /// removed), or the error goes to the status bar and the shown thread stays.
    /// The outcome holds the search-index job for the new thread.
    pub fn fetch_done(
        &mut self,
        result: Result<(Thread, Option<String>, Option<String>, usize), String>,
    ) -> Outcome {
        let first = self.is_placeholder() || self.remote.as_ref().is_some_and(|r| r.first_visit);
        match result {
            Ok((thread, focus, note, removed)) => {
                let (new, out) = self.replace_thread(thread, focus.as_deref());
                if let Some(r) = &mut self.remote {
                    r.progress = None;
                    r.first_visit = false;
                }
                let text = match (note, new) {
                    (Some(note), _) => note,
                    (None, 0) if first && self.thread.len() == 1 => "1 comment".to_string(),
                    (None, 0) if first => format!("{} comments", self.thread.len()),
                    (None, 0) => "No new replies".to_string(),
                    (None, 1) => "1 new reply (u jumps to it)".to_string(),
                    (None, n) => format!("{n} new replies (u jumps to them)"),
                };
                // What the source no longer has is kept in place; say so, as `refresh` does.
                let text = if removed > 0 {
                    format!("{text} · {removed} removed at the source (kept)")
                } else {
                    text
                };
                // An article fetched while this ran (`O` pressed during `r`) keeps its line.
                let text = match &self.status {
                    Some(s) if s.kind == StatusKind::Info && s.text.ends_with(ARTICLE_DONE) => {
                        format!("{text} · {ARTICLE_DONE}")
                    }
                    _ => text,
                };
                self.set_status(StatusKind::Info, text);
                Outcome {
                    redraw: true,
                    ..out
                }
            }
            Err(e) => {
                if let Some(r) = &mut self.remote {
                    r.progress = None;
                }
                // The page shown while nothing was fetched still said "Fetching …": it now
                // says what went wrong, and stays after the status line is gone.
                let mut out = Outcome::changed(true);
                if self.is_placeholder() {
                    out.effects = self.show_fetch_failure(&e);
                }
                self.set_status(StatusKind::Error, e);
                out
            }
        }
    }

    /// Whether the page shown is only a stand-in for a thread not fetched yet (empty, or
    /// saying its first fetch failed).
    pub(super) fn is_placeholder(&self) -> bool {
        self.thread.is_empty()
            && (self.thread.body.is_empty() || self.remote.as_ref().is_some_and(|r| r.failed_first))
    }

    /// The empty placeholder of a first fetch becomes a page saying it failed and why.
    /// Returns the search's effects (its text changed: the index is folded again).
    fn show_fetch_failure(&mut self, error: &str) -> Vec<Effect> {
        let input = self
            .remote
            .as_ref()
            .map_or_else(String::new, |r| r.input.clone());
        let mut thread = (*self.thread).clone();
        thread.title = Some(format!("Could not fetch {input}"));
        let retry = self.keymap.keys_for(
            crate::keymap::Mode::Comments,
            crate::action::Action::Refresh,
        );
        let quit = self
            .keymap
            .keys_for(crate::keymap::Mode::Comments, crate::action::Action::Quit);
        thread.body = crate::model::Body::from_plain(&format!(
            "{error}\n\n{retry} tries again; {quit} quits."
        ));
        self.set_placeholder(thread, true)
    }

    /// Shows the stand-in page `thread` (failed: it says why a first fetch failed).
    fn set_placeholder(&mut self, thread: Thread, failed: bool) -> Vec<Effect> {
        self.thread = std::sync::Arc::new(thread);
        self.cache = std::cell::RefCell::default();
        if let Some(r) = &mut self.remote {
            r.failed_first = failed;
        }
        let cancel = self.search_text_changed();
        let mut effects = self.prepare_search().effects;
        effects.extend(cancel);
        effects
    }

    /// Shows `thread` instead of the current one, keeping the place by comment id; a `focus`
    /// id (from a permalink) wins on a first open. Returns how many comments are new, and
    /// the job that prepares search on the new thread.
    pub fn replace_thread(&mut self, thread: Thread, focus: Option<&str>) -> (usize, Outcome) {
        let old = &self.thread;
        let keep = ReadingState {
            focused: match self.focus {
                Pane::Article => None,
                Pane::Comments => self.selected().map(|i| old.comment(i).id.clone()),
            },
            article_scroll: u32::try_from(self.article_scroll).unwrap_or(u32::MAX),
            folded: {
                let mut set = IdSet::new();
                set.extend(self.tree.folded_comments().map(|i| &old.comment(i).id));
                set
            },
            zoom: self
                .tree
                .zoom_stack()
                .iter()
                .map(|i| old.comment(*i).id.clone())
                .collect(),
            seen: IdSet::new(),
            ..ReadingState::default()
        };
        // Read flags, order and rules are kept by comment id / re-applied: they are indexed
        // like the arena, which the new thread replaces.
        let read_ids: std::collections::HashSet<_> = self
            .reading
            .read_comments()
            .map(|i| old.comment(i).id.clone())
            .collect();
        let order = self.reading.order;
        // The search starts again on the new thread, so its filter cannot stay.
        let view = match std::mem::take(&mut self.reading.view) {
            super::ViewFilter::Search => super::ViewFilter::None,
            view => view,
        };
        let was_empty = old.is_empty();
        // The page shown while nothing was fetched yet, or a first fetch's partial result:
        // a first visit, where nothing is new.
        let placeholder =
            self.is_placeholder() || self.remote.as_ref().is_some_and(|r| r.first_visit);
        if let Some(r) = &mut self.remote {
            r.failed_first = false;
        }
        self.thread = std::sync::Arc::new(thread);
        self.tree = super::tree::ThreadTree::new(&self.thread);
        self.cache = std::cell::RefCell::default();
        let cancel = self.search_thread_replaced();
        self.authors_known =
            self.thread.author.is_some() || self.thread.comments.iter().any(|c| c.author.is_some());
        if was_empty && !self.thread.is_empty() {
            self.focus = Pane::Comments;
        }
        let mut new = 0;
        if let Some(lib) = &mut self.library {
            lib.attached = lib.bookmarks.attach(&self.thread);
            // Over a placeholder this is a first visit: nothing is "new" yet.
            lib.new = if placeholder {
                Vec::new()
            } else {
                self.thread
                    .indices()
                    .filter(|&i| !lib.seen.contains(&self.thread.comment(i).id))
                    .collect()
            };
            new = lib.new.len();
            lib.seen.extend(self.thread.comments.iter().map(|c| &c.id));
        }
        self.reading = super::Reading::new(self.thread.len());
        let read: Vec<_> = self
            .thread
            .indices()
            .filter(|&i| read_ids.contains(&self.thread.comment(i).id))
            .collect();
        for i in read {
            self.reading.mark(i);
        }
        let rules = std::mem::take(&mut self.rules.rules);
        self.set_rules(rules);
        self.set_order(order);
        self.reading.view = view;
        self.apply_view();
        self.restore(&keep);
        if let Some(idx) = focus.and_then(|id| self.thread.find(id)) {
            self.tree.reveal(&self.thread, idx);
            self.focus = Pane::Comments;
        }
        let mut out = self.prepare_search();
        out.effects.extend(cancel);
        (new, out)
    }
}
