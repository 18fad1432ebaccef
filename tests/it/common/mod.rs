//! Shared helpers for the integration tests: small threads built in code, and a real
//! pseudo-terminal driver for end-to-end tests.
#![allow(dead_code)]

pub mod corpus;
pub mod http;
pub mod pty;

use threadr::app::App;
use threadr::keymap::Keymap;
use threadr::model::{Body, CommentDraft, Thread, ThreadBuilder, Timestamp};

/// A comment draft with an author and text.
pub fn draft(author: &str, text: &str) -> CommentDraft {
    CommentDraft {
        author: Some(author.to_string()),
        body: Body::from_plain(text),
        created: Some(Timestamp::Unix(1_700_000_000)),
        ..CommentDraft::default()
    }
}

/// A thread described by lines of `depth author text`, depth given by leading dots:
/// `"alice hello"` is top-level, `". bob reply"` answers the last shallower comment.
pub fn thread(title: &str, spec: &str) -> Thread {
    let mut b = ThreadBuilder::new();
    b.title = Some(title.to_string());
    b.body = Body::from_plain("The article text.\n\nA second paragraph.");
    let mut stack: Vec<usize> = Vec::new();
    for line in spec.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let mut rest = line;
        let mut depth = 0;
        while let Some(r) = rest.strip_prefix('.') {
            depth += 1;
            rest = r.trim_start();
        }
        let (author, text) = rest.split_once(' ').unwrap_or((rest, ""));
        stack.truncate(depth);
        let parent = stack.last().copied();
        let h = b.push(parent, draft(author, &text.replace("\\n", "\n")));
        stack.push(h);
    }
    b.finish()
}

/// An app over `thread` with the default keys and a fixed viewport.
pub fn app(thread: Thread) -> App {
    let mut app = App::new(thread, "test".into(), Keymap::default_keys());
    // Ages are relative to now: pin it so screens do not change with the calendar.
    app.now = 1_700_000_000 + 3 * 3600;
    app.set_viewport(threadr::app::Viewport {
        tree_height: 10,
        detail_height: 5,
        detail_width: 40,
        article_height: 10,
        article_width: 40,
        narrow: false,
    });
    app
}

/// The author of the selected comment.
pub fn selected_author(app: &App) -> String {
    let idx = app.selected().expect("a comment is selected");
    app.thread
        .comment(idx)
        .author
        .as_deref()
        .unwrap_or_default()
        .to_string()
}

/// Types text into the app a character at a time, as a person would.
pub fn typed(app: &mut App, text: &str) {
    let keys: Vec<String> = text
        .chars()
        .map(|c| {
            if c == ' ' {
                "Space".to_string()
            } else {
                c.to_string()
            }
        })
        .collect();
    threadr::app::run_keys(app, &keys.join(" "));
}
