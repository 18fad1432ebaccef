//! Search in the app: the live prompt, `n`/`N`, the filter, and where a match is on screen.
//!
//! The engine (`crate::search`) counts and finds; this module decides what the reader sees:
//! each keystroke in the prompt re-runs the (incremental) search and moves to the first
//! match from where the reader was; `Esc` puts everything back as it was.
//!
//! Whether the tree is filtered to the matches is [`ViewFilter::Search`] in
//! [`super::Reading::view`], the one place any filter is chosen; the tree's filter is
//! computed from it. Going back to where the prompt opened is a tree [`Checkpoint`] (the
//! folds changed since are journalled), not a copy of the tree per keystroke.

use std::sync::Arc;

use super::tree::Checkpoint;
use super::{App, Outcome, Overlay, Pane, StatusKind, ViewFilter};
use crate::action::Action;
use crate::jobs::{JobError, JobId, JobOutput};
use crate::search::{Cursor, Field, Hit, Matches, SearchIndex, Searcher, comment_of, doc_of};
use crate::text::lines::Doc;

/// Where the reader was when the prompt opened, to go back on `Esc`.
#[derive(Clone, Debug)]
struct Origin {
    tree: Checkpoint,
    view: ViewFilter,
    focus: Pane,
    article_scroll: usize,
    detail_scroll: usize,
    matches: Option<Arc<Matches>>,
    current: Option<Hit>,
}

/// The search prompt's own state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchPrompt {
    /// Regex mode (`Ctrl-r`).
    pub regex: bool,
    /// Position in the history while recalling with Up/Down.
    pub history_pos: Option<usize>,
    /// The problem with the query as typed (an invalid regex), if any.
    pub error: Option<String>,
}

/// The search as it stands after the prompt closed.
#[derive(Default)]
pub struct SearchState {
    searcher: Option<Searcher>,
    /// The job preparing the index in the background (see [`App::prepare_search`]).
    index_job: Option<JobId>,
    /// Results of the kept query.
    pub matches: Option<Arc<Matches>>,
    /// The match `n`/`N` last went to.
    pub current: Option<Hit>,
    /// Earlier queries of this session, oldest first.
    pub history: Vec<String>,
    /// Where the reader was when the open prompt started (`None` without a prompt).
    origin: Option<Origin>,
}

impl SearchState {
    /// The "3/17" text for the status bar.
    #[must_use]
    pub fn position(&self) -> Option<String> {
        let m = self.matches.as_ref()?;
        Some(match &self.current {
            Some(h) => format!("{}/{}", h.ordinal + 1, m.total()),
            None if m.total() == 0 => "no matches".to_string(),
            None => format!("-/{}", m.total()),
        })
    }
}

impl SearchState {
    /// Whether a query waits for the index job (the prompt says so).
    #[must_use]
    pub fn waiting(&self) -> bool {
        self.searcher.is_none() && self.index_job.is_some()
    }

    /// Forgets the index (and any being prepared): the thread's indices changed.
    pub(super) fn reset_index(&mut self) {
        self.searcher = None;
        // A job still folding the old order is ignored when it reports (its id is gone).
        self.index_job = None;
        self.matches = None;
        self.current = None;
    }
}

impl App {
    /// Runs a kept query again (after the thread was reordered), without moving.
    pub(super) fn rerun_search(&mut self, text: &str, regex: bool) {
        if let Ok(Some(matches)) = self.searcher().search(text, regex) {
            self.search.matches = Some(matches);
        }
    }

    /// Starts folding the thread's text for search as a background job, so the first `/`
    /// on a big thread does not wait for it (about 0.4 s for 100,000 comments). The driver
    /// asks for it after the first frame.
    pub fn prepare_search(&mut self) -> Outcome {
        if self.search.searcher.is_some() || self.search.index_job.is_some() {
            return Outcome::default();
        }
        let thread = Arc::clone(&self.thread);
        let (id, out) = self.spawn_job("Preparing search", false, move |ctx| {
            let mut report = |done: usize, total: usize| {
                ctx.progress(done as u64, Some(total as u64));
            };
            SearchIndex::build(&thread, ctx.cancel_token().flag(), &mut report)
                .map(|index| JobOutput::SearchIndex(Box::new(index)))
                .ok_or(JobError::Cancelled)
        });
        self.search.index_job = Some(id);
        out
    }

    /// The index job finished: keep its index unless one was folded meanwhile, and run
    /// what an open prompt holds (typed while the job was still folding).
    pub(super) fn search_index_ready(&mut self, id: JobId, index: SearchIndex) -> Outcome {
        if self.search.index_job == Some(id) {
            self.search.index_job = None;
            if self.search.searcher.is_none() {
                self.search.searcher = Some(Searcher::with_index(index));
                if self.search.origin.is_some() {
                    return self.search_live();
                }
            }
        }
        Outcome::default()
    }

    /// The index job stopped without an index: the next `/` folds its own, and a prompt
    /// waiting for it searches now (folding on the spot) instead of waiting forever.
    pub(super) fn search_index_failed(&mut self, id: JobId) -> Outcome {
        if self.search.index_job != Some(id) {
            return Outcome::default();
        }
        self.search.index_job = None;
        if self.search.origin.is_some() {
            return self.search_live();
        }
        Outcome::default()
    }

    /// The thread's text changed but not its comments (a fetched article attached): the
    /// index is folded again; an open prompt keeps where it started and what was typed,
    /// and runs when the new index arrives.
    /// Returns the cancel of an index job still folding the old text.
    pub(super) fn search_text_changed(&mut self) -> Option<crate::app::Effect> {
        let mut old = std::mem::take(&mut self.search);
        let cancel = old.index_job.and_then(|id| self.cancel_job(id));
        self.search.history = old.history;
        // The matches the prompt would go back to on Esc point into the old text: Esc now
        // goes back to no search.
        if let Some(origin) = &mut old.origin {
            origin.matches = None;
            origin.current = None;
        }
        self.search.origin = old.origin;
        cancel
    }

    /// The thread was replaced (a refresh): the index, the matches and an open prompt go
    /// (the prompt's way back points into the old tree); the history stays.
    /// Returns the cancel of an index job still folding the old thread (it would hold the
    /// old thread in memory until done).
    pub(super) fn search_thread_replaced(&mut self) -> Option<crate::app::Effect> {
        let old = std::mem::take(&mut self.search);
        let cancel = old.index_job.and_then(|id| self.cancel_job(id));
        self.search.history = old.history;
        if old.origin.is_some() && self.search_prompt().is_some() {
            self.overlay = Overlay::None;
            self.set_status(
                StatusKind::Info,
                "Search closed: the thread was replaced by its new copy; / searches it",
            );
        }
        cancel
    }

    /// Whether the index job is still folding (a prompt opened now waits for it).
    fn index_pending(&self) -> bool {
        self.search.waiting()
    }

    /// Folds the index now and cancels the job folding it (`Enter` before it arrived).
    fn index_now(&mut self) -> Option<crate::app::Effect> {
        let cancel = match self.search.index_job.take() {
            Some(id) if self.search.searcher.is_none() => self.cancel_job(id),
            _ => None,
        };
        self.searcher();
        cancel
    }

    /// Whether the search index is ready (folded by the job or by a `/`).
    #[must_use]
    pub fn search_ready(&self) -> bool {
        self.search.searcher.is_some()
    }

    fn searcher(&mut self) -> &mut Searcher {
        self.search
            .searcher
            .get_or_insert_with(|| Searcher::with_index(SearchIndex::shared(&self.thread)))
    }

    /// `/`: open the prompt, remembering where the reader is.
    pub(super) fn start_search(&mut self) -> Outcome {
        // Fold the text now (once per thread), not on the first keystroke, unless the index
        // job is folding it: then the prompt opens at once, takes keys, and the query runs
        // when the job's index arrives. Folding a second copy here instead froze the reader
        // for seconds on a million comments and held both copies at once (the job's is
        // dropped on arrival): 2,114 MB at the peak against 1,647 MB.
        if !self.index_pending() {
            self.searcher();
        }
        self.search.origin = Some(Origin {
            tree: self.tree.checkpoint(),
            view: self.reading.view.clone(),
            focus: self.focus,
            article_scroll: self.article_scroll,
            detail_scroll: self.detail_scroll,
            matches: self.search.matches.clone(),
            current: self.search.current.clone(),
        });
        self.open_prompt(
            super::overlay::PromptKind::Search(SearchPrompt {
                regex: false,
                history_pos: None,
                error: None,
            }),
            String::new(),
        )
    }

    /// The open search prompt: what was typed and its state.
    fn search_prompt(&mut self) -> Option<(&mut String, &mut SearchPrompt)> {
        match &mut self.overlay {
            Overlay::Prompt(p) => match &mut p.kind {
                super::overlay::PromptKind::Search(s) => Some((&mut p.input, s)),
                _ => None,
            },
            _ => None,
        }
    }

    /// Re-runs the search for the prompt's text and shows the first match from the origin.
    pub(super) fn search_live(&mut self) -> Outcome {
        let Some((text, regex)) = self.search_prompt().map(|(t, s)| (t.clone(), s.regex)) else {
            return Outcome::default();
        };
        if self.index_pending() {
            // Kept in the prompt; `search_index_ready` runs it.
            return Outcome::changed(true);
        }
        // Taken out and put back: `search_from` needs `self` and the origin at once.
        let Some(origin) = self.search.origin.take() else {
            return Outcome::default();
        };
        self.search_from(&origin, &text, regex);
        self.search.origin = Some(origin);
        Outcome::changed(true)
    }

    /// The live search of `text` from where the reader was when the prompt opened.
    fn search_from(&mut self, origin: &Origin, text: &str, regex: bool) {
        match self.searcher().search(text, regex) {
            Err(e) => {
                self.set_prompt_error(Some(e.to_string()));
                self.search.matches = None;
                self.search.current = None;
            }
            Ok(None) => {
                self.set_prompt_error(None);
                self.search.matches = None;
                self.search.current = None;
                self.restore_origin(origin);
            }
            Ok(Some(matches)) => {
                self.set_prompt_error(None);
                // Start from where the reader was, not from the last match shown; the
                // tree goes back with this query's filter already on (one rebuild).
                self.search.current = None;
                self.search.matches = Some(Arc::clone(&matches));
                self.restore_origin(origin);
                let from = cursor_at(origin.focus, origin.tree.selected());
                let hit = matches.next(self.searcher_index(), from);
                if let Some(hit) = hit {
                    self.go_to_hit(hit);
                }
            }
        }
    }

    fn searcher_index(&self) -> &crate::search::SearchIndex {
        self.search
            .searcher
            .as_ref()
            .expect("the index is built when the prompt opens")
            .index()
    }

    fn set_prompt_error(&mut self, error: Option<String>) {
        if let Some((_, s)) = self.search_prompt() {
            s.error = error;
        }
    }

    /// Back to where the prompt opened: folds, zoom, selection, the view as it was, and
    /// the filter that view asks for with the matches as they are now.
    fn restore_origin(&mut self, origin: &Origin) {
        self.reading.view.clone_from(&origin.view);
        let filter = self.wanted_filter();
        let thread = Arc::clone(&self.thread);
        self.tree.rollback(&thread, &origin.tree, filter);
        self.focus = origin.focus;
        self.article_scroll = origin.article_scroll;
        self.detail_scroll = origin.detail_scroll;
    }

    /// Where `n` starts from: the current match, else the top of what has focus.
    fn cursor_here(&self) -> Cursor {
        match &self.search.current {
            Some(h) => Cursor::At(h.m.doc, h.m.loc()),
            None => cursor_at(self.focus, self.selected()),
        }
    }

    /// Keys in the search prompt.
    pub(super) fn update_search_prompt(&mut self, action: Action) -> Outcome {
        match action {
            Action::Cancel => {
                if let Some(origin) = self.search.origin.take() {
                    self.search.matches.clone_from(&origin.matches);
                    self.search.current.clone_from(&origin.current);
                    self.restore_origin(&origin);
                    self.tree.end_checkpoint();
                }
                self.overlay = Overlay::None;
                Outcome::changed(true)
            }
            Action::Submit => {
                // Enter before the index job is done: fold it now, then search.
                let cancel = if self.index_pending() {
                    let cancel = self.index_now();
                    self.search_live();
                    cancel
                } else {
                    None
                };
                let mut out = self.close_search_prompt();
                out.effects.extend(cancel);
                out
            }
            Action::ToggleRegex => {
                if let Some((_, s)) = self.search_prompt() {
                    s.regex = !s.regex;
                }
                self.search_live()
            }
            Action::HistoryPrev | Action::HistoryNext => {
                let history = std::mem::take(&mut self.search.history);
                if let Some((input, s)) = self.search_prompt()
                    && !history.is_empty()
                {
                    let len = history.len();
                    let pos = match (s.history_pos, action) {
                        (None, Action::HistoryPrev) => Some(len - 1),
                        (Some(0), Action::HistoryPrev) => Some(0),
                        (Some(i), Action::HistoryPrev) => Some(i - 1),
                        (Some(i), _) if i + 1 < len => Some(i + 1),
                        _ => None,
                    };
                    s.history_pos = pos;
                    *input = pos.map_or_else(String::new, |i| history[i].clone());
                }
                self.search.history = history;
                if let Overlay::Prompt(p) = &mut self.overlay {
                    p.cursor = p.input.len();
                }
                self.search_live()
            }
            _ => Outcome::default(),
        }
    }

    /// `Enter` in the search prompt: keep the query and its matches, close the prompt.
    fn close_search_prompt(&mut self) -> Outcome {
        let Some((text, error)) = self
            .search_prompt()
            .map(|(t, s)| (t.clone(), s.error.clone()))
        else {
            return Outcome::default();
        };
        self.overlay = Overlay::None;
        self.search.origin = None;
        self.tree.end_checkpoint();
        if let Some(e) = error {
            self.set_status(StatusKind::Error, e);
            return Outcome::changed(true);
        }
        if !text.is_empty() && self.search.history.last() != Some(&text) {
            self.search.history.push(text.clone());
        }
        match &self.search.matches {
            None if text.is_empty() => {
                if self.reading.view == ViewFilter::Search {
                    self.reading.view = ViewFilter::None;
                    self.apply_view();
                }
            }
            Some(m) if m.total() > 0 => {}
            _ => self.set_status(StatusKind::Info, format!("Pattern not found: {text}")),
        }
        Outcome::changed(true)
    }

    /// `n` / `N`: the next or previous match in reading order, wrapping with a message.
    pub(super) fn search_step(&mut self, forward: bool) -> Outcome {
        let Some(matches) = self.search.matches.clone() else {
            return self.no_search_yet("No search yet");
        };
        if self.search.searcher.is_none() {
            // Matches without their index cannot be: they are dropped with it.
            return self.no_search_yet("Preparing search");
        }
        let from = self.cursor_here();
        let index = self.searcher_index();
        let hit = if forward {
            matches.next(index, from)
        } else {
            matches.prev(index, from)
        };
        match hit {
            None => self.set_status(
                StatusKind::Info,
                format!("Pattern not found: {}", matches.query().text()),
            ),
            Some(hit) => {
                let wrapped = hit.wrapped;
                self.go_to_hit(hit);
                if wrapped {
                    let msg = if forward {
                        "Search wrapped to the top"
                    } else {
                        "Search wrapped to the bottom"
                    };
                    self.set_status(StatusKind::Info, msg);
                }
            }
        }
        Outcome::changed(true)
    }

    /// Shows a match: focuses its pane, unfolds its comment, scrolls its text to it.
    fn go_to_hit(&mut self, hit: Hit) {
        let m = hit.m.clone();
        self.search.current = Some(hit);
        match comment_of(m.doc) {
            None => {
                self.focus = Pane::Article;
                let line = self.line_of(Doc::Article, m.block, m.range.start);
                let h = self.viewport.article_height.max(1);
                if line < self.article_scroll || line >= self.article_scroll + h {
                    self.article_scroll = line.saturating_sub(h / 3);
                }
            }
            Some(idx) => {
                if self.reading.view == ViewFilter::Search
                    && self
                        .tree
                        .filter()
                        .is_some_and(|f| f.mark(idx) == crate::search::Mark::Hidden)
                {
                    self.apply_view();
                }
                self.jump_to(idx);
                self.detail_scroll = 0;
                if m.field == Field::Body {
                    let line = self.line_of(Doc::Comment(idx), m.block, m.range.start);
                    let h = self.viewport.detail_height.max(1);
                    if line >= h {
                        self.detail_scroll = line.saturating_sub(h / 3);
                    }
                }
            }
        }
        self.clamp_scrolls();
    }

    /// The current match where the text panes draw it: (search doc, block, byte offset in
    /// the block's drawn text). The index counts in the source text; the panes draw
    /// sanitised text with a `[n]` after each link: this is the one place that converts.
    #[must_use]
    pub fn current_on_screen(&self) -> Option<(usize, usize, usize)> {
        let h = self.search.current.as_ref()?;
        if h.m.field != Field::Body {
            return None;
        }
        let doc = match comment_of(h.m.doc) {
            None => Doc::Article,
            Some(idx) => Doc::Comment(idx),
        };
        let offset = self.screen_offset(doc, h.m.block, h.m.range.start);
        Some((h.m.doc, h.m.block, offset))
    }

    /// Byte `offset` of block `block`'s source text, in its drawn text.
    fn screen_offset(&self, doc: Doc, block: usize, offset: usize) -> usize {
        let body = match doc {
            Doc::Article => &self.thread.body,
            Doc::Comment(idx) => &self.thread.comment(idx).body,
        };
        body.blocks
            .get(block)
            .map_or(offset, |b| crate::text::lines::screen_offset(b, offset))
    }

    /// The wrapped line of `doc` that shows byte `offset` of block `block`'s source text.
    fn line_of(&self, doc: Doc, block: usize, offset: usize) -> usize {
        let width = match doc {
            Doc::Article => self.viewport.article_width,
            Doc::Comment(_) => self.viewport.detail_width,
        };
        let offset = self.screen_offset(doc, block, offset);
        let lines = self.cache.borrow_mut().lines(&self.thread, doc, width);
        let mut best = 0;
        for (i, l) in lines.iter().enumerate() {
            if l.block == Some(block) {
                if l.offset <= offset {
                    best = i;
                } else {
                    break;
                }
            }
        }
        best
    }

    /// Tells the reader which key starts a search, after `what` needed one.
    fn no_search_yet(&mut self, what: &str) -> Outcome {
        let hint = self.keymap.key(self.mode(), Action::Search);
        self.set_status(StatusKind::Info, format!("{what}: {hint} starts one"));
        Outcome::changed(true)
    }

    /// `Esc` outside prompts: drop the filter first, then the search and its highlights.
    pub(super) fn clear_search(&mut self) -> Outcome {
        if self.reading.view == ViewFilter::Search {
            self.reading.view = ViewFilter::None;
            self.apply_view();
            self.set_status(
                StatusKind::Info,
                "Showing every comment (Esc again clears the search)",
            );
            return Outcome::changed(true);
        }
        if self.search.matches.take().is_some() {
            self.search.current = None;
            return Outcome::changed(true);
        }
        Outcome::changed(false)
    }

    /// `&`: show only matching comments and their ancestors, or everything again.
    pub(super) fn toggle_filter(&mut self) -> Outcome {
        if self.reading.view == ViewFilter::Search {
            self.reading.view = ViewFilter::None;
            self.apply_view();
            self.set_status(StatusKind::Info, "Showing every comment");
            return Outcome::changed(true);
        }
        if self.search.matches.is_none() {
            return self.no_search_yet("Filter needs a search");
        }
        self.reading.view = ViewFilter::Search;
        self.focus = Pane::Comments;
        self.apply_view();
        Outcome::changed(true)
    }
}

/// Where a search starts when no match is current: the selected comment when the tree has
/// focus, else the top (the article).
fn cursor_at(focus: Pane, selected: Option<crate::model::CommentIdx>) -> Cursor {
    match (focus, selected) {
        (Pane::Comments, Some(idx)) => Cursor::Doc(doc_of(idx)),
        _ => Cursor::Doc(0),
    }
}
