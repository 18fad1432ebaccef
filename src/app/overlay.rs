//! Prompts (search, bookmark note) and list overlays (bookmarks, links): their state and
//! what keys do while they are open.

use super::library::StoreOp;
use super::{App, Outcome, Overlay, Pane, StatusKind};
use crate::action::Action;
use crate::model::CommentIdx;
use crate::store::{BookmarkRef, Place};
use crate::text::sanitize_line;

/// What a prompt is for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PromptKind {
    /// `/`: a search query, matched live.
    Search(super::search::SearchPrompt),
    /// `M`: the note of the bookmark on this comment (`None`: the article).
    Note(Option<CommentIdx>),
    /// `M` in the bookmark list: the note of that bookmark.
    ListNote(BookmarkRef),
    /// `@`: the author to filter the tree to.
    Author,
}

/// A one-line prompt in the status bar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prompt {
    /// What it is for.
    pub kind: PromptKind,
    /// What has been typed.
    pub input: String,
    /// Where the insertion point is: a byte offset into `input` (clamped when used).
    pub cursor: usize,
}

/// What choosing a list entry does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ListTarget {
    /// A heading line; nothing.
    Heading,
    /// A bookmark of this thread.
    Bookmark {
        /// Where it is in this copy.
        place: Place,
        /// Which bookmark.
        target: BookmarkRef,
    },
    /// A bookmark of another thread, read from `source`.
    Elsewhere {
        /// Which bookmark.
        target: BookmarkRef,
        /// The file or URL of that thread.
        source: String,
    },
    /// A link: choosing it copies (or opens) the URL.
    Link(String),
    /// A message of the message log; nothing to choose.
    Message,
    /// A thread of the library: choosing it opens it (by this URL or key).
    Saved(String),
}

/// One entry of a list overlay.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListEntry {
    /// The line shown (sanitised when drawn).
    pub text: String,
    /// A second, dimmer line (note, URL), if any.
    pub detail: Option<String>,
    /// What choosing it does.
    pub target: ListTarget,
}

/// Which list is open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListKind {
    /// `'`: the reader's bookmarks.
    Bookmarks,
    /// `o`: links of the focused text.
    Links,
    /// The message log: every message of this session, newest first.
    Messages,
    /// `L`: the threads saved from the network, newest first.
    Library,
}

/// A list overlay.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListView {
    /// Which list.
    pub kind: ListKind,
    /// Its entries.
    pub entries: Vec<ListEntry>,
    /// The selected entry.
    pub selected: usize,
}

impl ListEntry {
    /// The bookmark this entry stands for, if it is one.
    #[must_use]
    pub fn bookmark_ref(&self) -> Option<&BookmarkRef> {
        match &self.target {
            ListTarget::Bookmark { target, .. } | ListTarget::Elsewhere { target, .. } => {
                Some(target)
            }
            _ => None,
        }
    }
}

impl ListView {
    fn selectable(&self, i: usize) -> bool {
        self.entries
            .get(i)
            .is_some_and(|e| e.target != ListTarget::Heading)
    }

    fn step(&mut self, forward: bool) -> bool {
        let before = self.selected;
        let mut i = self.selected;
        loop {
            let next = if forward {
                i + 1
            } else if i == 0 {
                break;
            } else {
                i - 1
            };
            if next >= self.entries.len() {
                break;
            }
            i = next;
            if self.selectable(i) {
                self.selected = i;
                break;
            }
        }
        self.selected != before
    }

    fn first_selectable(&mut self) {
        self.selected = (0..self.entries.len())
            .find(|i| self.selectable(*i))
            .unwrap_or(0);
    }
}

impl App {
    /// Opens a prompt.
    pub(super) fn open_prompt(&mut self, kind: PromptKind, input: String) -> Outcome {
        let cursor = input.len();
        self.overlay = Overlay::Prompt(Prompt {
            kind,
            input,
            cursor,
        });
        Outcome::changed(true)
    }

    /// Editing in a prompt (typing, deleting, moving the insertion point).
    pub(super) fn prompt_edit(&mut self, edit: crate::text::edit::Edit) -> Outcome {
        let Overlay::Prompt(p) = &mut self.overlay else {
            return Outcome::default();
        };
        let before = p.input.len();
        let changed = crate::text::edit::apply(&mut p.input, &mut p.cursor, edit);
        let text_changed =
            matches!(edit, crate::text::edit::Edit::Insert(_)) || p.input.len() != before;
        if text_changed && matches!(p.kind, PromptKind::Search(_)) {
            return self.search_live();
        }
        Outcome::changed(changed)
    }

    /// Keys bound in the prompt mode.
    pub(super) fn update_prompt(&mut self, action: Action) -> Outcome {
        let Overlay::Prompt(p) = &self.overlay else {
            return Outcome::default();
        };
        match (&p.kind, action) {
            (PromptKind::Search(_), _) => self.update_search_prompt(action),
            (_, Action::Cancel) => {
                let back_to = match &p.kind {
                    PromptKind::ListNote(target) => Some(target.clone()),
                    _ => None,
                };
                self.overlay = Overlay::None;
                if let Some(target) = back_to {
                    self.open_bookmark_list();
                    self.refresh_bookmark_list(Some(&target));
                }
                Outcome::changed(true)
            }
            (PromptKind::Note(at), Action::Submit) => {
                let op = StoreOp::SetNote(*at, p.input.clone());
                self.overlay = Overlay::None;
                self.store(op)
            }
            (PromptKind::Author, Action::Submit) => {
                let author = p.input.clone();
                self.overlay = Overlay::None;
                self.submit_author(&author)
            }
            (PromptKind::ListNote(target), Action::Submit) => {
                let op = StoreOp::EditNote(target.clone(), p.input.clone());
                let target = target.clone();
                self.open_bookmark_list();
                self.refresh_bookmark_list(Some(&target));
                self.store(op)
            }
            _ => Outcome::default(),
        }
    }

    /// `M`: edit the note on the focused comment's bookmark (prefilled).
    pub(super) fn edit_note(&mut self) -> Outcome {
        if let Some(out) = self.nothing_to_bookmark() {
            return out;
        }
        let at = self.focused_target();
        let current = self.library.as_ref().and_then(|lib| {
            let id = at.map(|i| &self.thread.comment(i).id);
            lib.bookmarks.note(&self.thread.key, id).map(str::to_string)
        });
        self.open_prompt(PromptKind::Note(at), current.unwrap_or_default())
    }

    /// `'`: the bookmark list, this thread first, then the others by thread. The driver
    /// re-reads the file first ([`StoreOp::Reload`]) so other sessions' bookmarks show.
    pub(super) fn request_bookmark_list(&mut self) -> Outcome {
        if self.library.is_none() {
            self.set_status(StatusKind::Error, "Bookmarks are off: no data folder");
            return Outcome::changed(true);
        }
        if self.library.as_ref().is_some_and(|l| l.loading) {
            // Open now, saying so; the list fills in when the job reports.
            return self.open_bookmark_list();
        }
        self.store(StoreOp::Reload)
    }

    /// Opens the bookmark list from the bookmarks in memory.
    pub(super) fn open_bookmark_list(&mut self) -> Outcome {
        let entries = self.bookmark_entries();
        let mut view = ListView {
            kind: ListKind::Bookmarks,
            entries,
            selected: 0,
        };
        view.first_selectable();
        self.overlay = Overlay::List(view);
        Outcome::changed(true)
    }

    /// Rebuilds the open bookmark list after a change: the selection stays on `keep` when it
    /// is still listed, else on the entry that took its place.
    pub(super) fn refresh_bookmark_list(&mut self, keep: Option<&BookmarkRef>) {
        let Overlay::List(view) = &self.overlay else {
            return;
        };
        if view.kind != ListKind::Bookmarks {
            return;
        }
        let selected = view.selected;
        let entries = self.bookmark_entries();
        let mut view = ListView {
            kind: ListKind::Bookmarks,
            entries,
            selected,
        };
        let wanted = keep.and_then(|k| {
            view.entries
                .iter()
                .position(|e| e.bookmark_ref() == Some(k))
        });
        match wanted {
            Some(i) => view.selected = i,
            None => {
                view.selected = view.selected.min(view.entries.len().saturating_sub(1));
                if !view.selectable(view.selected) && !view.step(true) && !view.step(false) {
                    view.first_selectable();
                }
            }
        }
        self.overlay = Overlay::List(view);
    }

    fn bookmark_entries(&self) -> Vec<ListEntry> {
        let Some(lib) = self.library.as_ref() else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let title = |t: Option<&str>| t.map_or_else(|| "(untitled)".to_string(), str::to_string);
        out.push(ListEntry {
            text: format!("This thread: {}", title(self.thread.title.as_deref())),
            detail: None,
            target: ListTarget::Heading,
        });
        if lib.loading {
            out.push(ListEntry {
                text: "  (still reading the bookmarks file…)".to_string(),
                detail: None,
                target: ListTarget::Heading,
            });
            return out;
        }
        let entries = lib.attached.entries();
        if entries.is_empty() {
            out.push(ListEntry {
                text: format!(
                    "  (no bookmarks here yet: {} bookmarks the focused comment)",
                    self.keymap
                        .key(crate::keymap::Mode::Comments, Action::ToggleBookmark)
                ),
                detail: None,
                target: ListTarget::Heading,
            });
        }
        for e in entries {
            let b = &e.bookmark;
            let place = match e.place {
                Place::Article => "article".to_string(),
                Place::Comment(i) => crate::model::position_label(&self.thread, i),
                Place::NotInThisCopy => "not in this copy".to_string(),
            };
            out.push(ListEntry {
                text: format!(
                    "  ★ [{place}] {}: {}",
                    b.author.as_deref().unwrap_or("anonymous"),
                    b.snippet
                ),
                detail: (!b.note.is_empty()).then(|| format!("note: {}", b.note)),
                target: ListTarget::Bookmark {
                    place: e.place,
                    target: e.target(),
                },
            });
        }
        for t in lib.bookmarks.others(&self.thread.key) {
            out.push(ListEntry {
                text: format!("{} ({})", title(t.title.as_deref()), t.source),
                detail: None,
                target: ListTarget::Heading,
            });
            for (i, b) in t.bookmarks.iter().enumerate() {
                let Some(target) = t.target(i) else { continue };
                out.push(ListEntry {
                    text: format!(
                        "  ★ {}: {}",
                        b.author.as_deref().unwrap_or("anonymous"),
                        b.snippet
                    ),
                    detail: (!b.note.is_empty()).then(|| format!("note: {}", b.note)),
                    target: ListTarget::Elsewhere {
                        target,
                        source: t.source.clone(),
                    },
                });
            }
        }
        out
    }

    /// Keys in a list overlay.
    pub(super) fn update_list(&mut self, action: Action) -> Outcome {
        let Overlay::List(view) = &mut self.overlay else {
            return Outcome::default();
        };
        match action {
            Action::Cancel => {
                self.overlay = Overlay::None;
                Outcome::changed(true)
            }
            Action::SelectNext => Outcome::changed(view.step(true)),
            Action::SelectPrev => Outcome::changed(view.step(false)),
            Action::Activate => {
                let target = view.entries.get(view.selected).map(|e| e.target.clone());
                match target {
                    Some(t) => self.activate(t),
                    None => Outcome::default(),
                }
            }
            Action::Delete | Action::EditNote => {
                let target = match view.entries.get(view.selected).map(|e| &e.target) {
                    Some(
                        ListTarget::Bookmark { target, .. } | ListTarget::Elsewhere { target, .. },
                    ) => target.clone(),
                    _ => {
                        self.set_status(StatusKind::Info, "Only bookmarks can be deleted or noted");
                        return Outcome::changed(true);
                    }
                };
                if action == Action::Delete {
                    return self.store(StoreOp::Delete(target));
                }
                let current = self.library.as_ref().and_then(|lib| {
                    lib.bookmarks
                        .threads()
                        .iter()
                        .find(|t| t.key == target.key)
                        .and_then(|t| t.bookmarks.iter().find(|b| b.comment == target.comment))
                        .map(|b| b.note.clone())
                });
                self.open_prompt(PromptKind::ListNote(target), current.unwrap_or_default())
            }
            _ => Outcome::default(),
        }
    }

    /// Opens the message log (newest first), or says there is nothing in it.
    pub(super) fn open_message_log(&mut self) -> Outcome {
        if self.messages.is_empty() {
            self.set_status(StatusKind::Info, "No messages yet");
            return Outcome::changed(true);
        }
        let entries = self
            .messages
            .iter()
            .rev()
            .map(|m| ListEntry {
                text: match m.kind {
                    StatusKind::Info => m.text.clone(),
                    StatusKind::Warning => format!("warning: {}", m.text),
                    StatusKind::Error => format!("error: {}", m.text),
                },
                detail: None,
                target: ListTarget::Message,
            })
            .collect();
        self.overlay = Overlay::List(ListView {
            kind: ListKind::Messages,
            entries,
            selected: 0,
        });
        Outcome::changed(true)
    }

    fn activate(&mut self, target: ListTarget) -> Outcome {
        match target {
            ListTarget::Heading | ListTarget::Message => Outcome::default(),
            ListTarget::Bookmark { place, .. } => match place {
                Place::Comment(idx) => {
                    self.overlay = Overlay::None;
                    self.jump_to(idx);
                    Outcome::changed(true)
                }
                Place::Article => {
                    self.overlay = Overlay::None;
                    self.focus = Pane::Article;
                    Outcome::changed(true)
                }
                Place::NotInThisCopy => {
                    self.set_status(
                        StatusKind::Info,
                        "That comment is not in this copy of the thread (kept in case it returns)",
                    );
                    Outcome::changed(true)
                }
            },
            ListTarget::Elsewhere { source, .. } => {
                let text = if source == "<stdin>" {
                    "That bookmark is in another thread, which was read from standard input"
                        .to_string()
                } else {
                    format!(
                        "That bookmark is in another thread: run threadr {}",
                        sanitize_line(&source)
                    )
                };
                self.set_status(StatusKind::Info, text);
                Outcome::changed(true)
            }
            ListTarget::Link(url) => {
                self.overlay = Overlay::None;
                self.choose_link(&url)
            }
            ListTarget::Saved(target) => {
                self.overlay = Overlay::None;
                Outcome::effect(super::Effect::OpenThread(target))
            }
        }
    }
}
