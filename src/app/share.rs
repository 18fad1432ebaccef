//! Reaching outside the terminal through the terminal: copying (OSC 52) and links.

use std::fmt::Write as _;

use super::overlay::{ListEntry, ListKind, ListTarget, ListView};
use super::{App, Effect, Outcome, Overlay, Pane, StatusKind};
use crate::model::Body;
use crate::terminal::clean_url;
use crate::text::{sanitize, sanitize_line};

impl App {
    /// `y`: the focused comment (author, date, text) or the article, as plain text.
    pub(super) fn copy_focused(&mut self) -> Outcome {
        let thread = &self.thread;
        match (self.focus, self.selected()) {
            (Pane::Comments, Some(idx)) => {
                let c = thread.comment(idx);
                let mut text = String::new();
                let author = c.author.as_deref().unwrap_or("anonymous");
                text.push_str(author);
                if let Some(t) = &c.created {
                    text.push_str(", ");
                    text.push_str(&t.to_rfc3339());
                }
                text.push_str(":\n\n");
                text.push_str(&plain_with_links(&c.body));
                let what = format!("comment by {}", sanitize_line(author));
                copy_text(what, sanitize(&text).into_owned())
            }
            _ => {
                let mut text = String::new();
                if let Some(t) = &thread.title {
                    text.push_str(t);
                    text.push_str("\n\n");
                }
                text.push_str(&plain_with_links(&thread.body));
                copy_text("article".into(), sanitize(&text).into_owned())
            }
        }
    }

    /// `Y`: the comment's own link when the source has one, else the thread's URL.
    pub(super) fn copy_link(&mut self) -> Outcome {
        let comment_url = match (self.focus, self.selected()) {
            (Pane::Comments, Some(idx)) => self.thread.comment(idx).url.clone().map(String::from),
            _ => None,
        };
        if let Some(url) = comment_url {
            return copy_text("comment link".into(), clean_url(&url));
        }
        match self.thread.url.clone() {
            Some(url) => copy_text("thread URL".into(), clean_url(&url)),
            None => {
                self.set_status(StatusKind::Info, "This thread has no URL to copy");
                Outcome::changed(true)
            }
        }
    }

    /// `o`: the focused text's links, numbered as in the text.
    pub(super) fn open_links(&mut self) -> Outcome {
        let (body, whose) = match (self.focus, self.selected()) {
            (Pane::Comments, Some(idx)) => (&self.thread.comment(idx).body, "this comment"),
            _ => (&self.thread.body, "the article"),
        };
        if body.links.is_empty() {
            self.set_status(StatusKind::Info, format!("No links in {whose}"));
            return Outcome::changed(true);
        }
        let verb = if self.can_open_links {
            "opens"
        } else {
            "copies"
        };
        let mut entries = vec![ListEntry {
            text: format!(
                "Links in {whose} ({} {verb} the link)",
                self.keymap
                    .key(crate::keymap::Mode::List, crate::action::Action::Activate)
            ),
            detail: None,
            target: ListTarget::Heading,
        }];
        entries.extend(body.links.iter().enumerate().map(|(i, l)| ListEntry {
            text: format!("[{}] {}", i + 1, l.text),
            detail: (l.text != l.url).then(|| l.url.clone()),
            target: ListTarget::Link(l.url.clone()),
        }));
        self.overlay = Overlay::List(ListView {
            kind: ListKind::Links,
            entries,
            selected: 1,
        });
        Outcome::changed(true)
    }

    /// Choosing a link: open it when allowed, else copy it.
    pub(super) fn choose_link(&mut self, url: &str) -> Outcome {
        let url = clean_url(url);
        if self.can_open_links {
            Outcome::effect(Effect::Open(url))
        } else {
            copy_text("link".into(), url)
        }
    }
}

/// An effect that copies `text`, described as `what` in the confirmation.
fn copy_text(what: String, text: String) -> Outcome {
    Outcome::effect(Effect::Copy { what, text })
}

/// A body as plain text, with its links listed at the end (`[1] https://...`).
fn plain_with_links(body: &Body) -> String {
    let mut text = body.plain_text();
    if !body.links.is_empty() {
        text.push_str("\n\n");
        for (i, l) in body.links.iter().enumerate() {
            let _ = writeln!(text, "[{}] {}", i + 1, clean_url(&l.url));
        }
    }
    text
}
