//! The typed readers' comments before they enter the [`ThreadBuilder`]: each reader records
//! its comments here in document order, with its parent, markers and the body's source
//! text, and [`Pending::finish`] converts the bodies (Markdown, HTML, threadr markup) on
//! all cores for a big thread, then pushes everything into the builder in the recorded
//! order, so handles, parents, `more` counts and markers are what pushing one by one gives.
//!
//! Converting bodies is most of the time of reading a big JSON thread once the JSON is
//! deserialized; they are independent of each other, so this is the part that splits.
//! No IO.

use std::borrow::Cow;

use crate::format::{html, markdown, markup};
use crate::model::{Body, CommentDraft, Marks, ThreadBuilder};

/// Below this many comments the bodies are converted on the calling thread only.
const PARALLEL_FROM: usize = 2048;

/// Where a comment's body comes from.
pub(super) enum Source<'a> {
    /// Markdown (Reddit).
    Markdown(Cow<'a, str>),
    /// HTML; `true` reads `> ` paragraphs as quotes (Hacker News).
    Html(Cow<'a, str>, bool),
    /// threadr/1's markup.
    Markup(Cow<'a, str>),
    /// No body.
    Empty,
}

impl Source<'_> {
    fn convert(&self) -> Body {
        match self {
            Self::Markdown(s) => markdown::to_body(s),
            Self::Html(s, gt_quotes) => html::to_body(s, *gt_quotes),
            Self::Markup(s) => markup::decode(s),
            Self::Empty => Body::default(),
        }
    }
}

/// One recorded comment.
struct Entry<'a> {
    parent: Option<usize>,
    draft: CommentDraft,
    marks: Marks,
    source: Source<'a>,
}

/// Comments recorded in document order, bodies not yet converted.
#[derive(Default)]
pub(super) struct Pending<'a> {
    entries: Vec<Entry<'a>>,
    /// Replies to the article itself that the file does not contain.
    more: u32,
}

impl<'a> Pending<'a> {
    /// Records a comment (its `draft.body` is replaced by `source`'s); returns the handle
    /// [`ThreadBuilder::push`] will give it. `parent` must be an earlier handle or `None`.
    pub(super) fn push(
        &mut self,
        parent: Option<usize>,
        draft: CommentDraft,
        source: Source<'a>,
    ) -> usize {
        self.entries.push(Entry {
            parent,
            draft,
            marks: Marks::empty(),
            source,
        });
        self.entries.len() - 1
    }

    /// As [`ThreadBuilder::mark`].
    pub(super) fn mark(&mut self, handle: usize, marks: Marks) {
        if let Some(e) = self.entries.get_mut(handle) {
            e.marks |= marks;
        }
    }

    /// As [`ThreadBuilder::add_more`].
    pub(super) fn add_more(&mut self, parent: Option<usize>, n: u32) {
        match parent.and_then(|p| self.entries.get_mut(p)) {
            Some(e) => e.draft.more = e.draft.more.saturating_add(n),
            None => self.more = self.more.saturating_add(n),
        }
    }

    /// Converts the bodies (split over the cores for a big thread) and pushes the comments
    /// into `b` in the recorded order.
    pub(super) fn finish(self, b: &mut ThreadBuilder) {
        let bodies = convert_all(&self.entries);
        b.more = b.more.saturating_add(self.more);
        for (mut e, body) in self.entries.into_iter().zip(bodies) {
            e.draft.body = body;
            let handle = b.push(e.parent, e.draft);
            b.mark(handle, e.marks);
        }
    }
}

fn convert_all(entries: &[Entry<'_>]) -> Vec<Body> {
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let threads = threads.min(8);
    if entries.len() < PARALLEL_FROM || threads < 2 {
        return entries.iter().map(|e| e.source.convert()).collect();
    }
    let chunk = entries.len().div_ceil(threads);
    std::thread::scope(|s| {
        let parts: Vec<_> = entries
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || part.iter().map(|e| e.source.convert()).collect::<Vec<_>>())
            })
            .collect();
        let mut out = Vec::with_capacity(entries.len());
        for part in parts {
            // A panic in a converter is a bug; it reaches the caller as it would unsplit.
            match part.join() {
                Ok(bodies) => out.extend(bodies),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        out
    })
}
