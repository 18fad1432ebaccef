//! The prepared, folded text of a whole thread and the scans over it.
//!
//! All documents live in one folded `String`: each searchable field (a comment's author, each
//! block of a body) is a segment followed by a `\n`. A literal query from the prompt holds no
//! `\n`, so one substring pass over the whole buffer finds every match and no match crosses
//! fields; queries that could cross (regexes, queries with a newline) are re-run inside the
//! segment they started in. Regex `^`/`$` see each field as its own lines.

use std::ops::{ControlFlow, Range};

use super::fold::{MapEntry, fold_into, map_end, map_start};
use super::query::{Matcher, Query};
use super::{Field, Match};
use crate::model::Thread;

/// Scans over more folded bytes than this run on two threads (a scoped thread costs tens of
/// microseconds; a megabyte of memmem costs about a hundred).
const PARALLEL_BYTES: usize = 4 << 20;

/// How many comments are folded between two progress reports / cancel checks.
const STEP_COMMENTS: usize = 1024;

/// Occurrences of `b` in `hay`; counts in `u8` lanes so the loop vectorises.
fn count_byte(hay: &[u8], b: u8) -> usize {
    let mut chunks = hay.chunks_exact(255);
    let mut n: usize = (&mut chunks)
        .map(|c| usize::from(c.iter().fold(0u8, |a, &x| a + u8::from(x == b))))
        .sum();
    n += chunks
        .remainder()
        .iter()
        .fold(0, |a, &x| a + usize::from(x == b));
    n
}

/// One searchable field inside the folded buffer.
#[derive(Clone, Copy, Debug)]
struct Segment {
    /// Start in the folded buffer; the field ends one byte before the next segment starts.
    start: usize,
    /// First index into `Folded::map` for this segment.
    map: u32,
}

/// The folded text of every document in one case mode.
#[derive(Debug, Default)]
struct Folded {
    text: String,
    /// Segments of all documents plus one sentinel at the end of `text`.
    segs: Vec<Segment>,
    /// Offset-map entries, grouped by segment (see [`Segment::map`]).
    map: Vec<MapEntry>,
    /// First segment of each document, plus a sentinel.
    doc_seg: Vec<u32>,
}

impl Folded {
    /// Folds every document; `go_on(comments_done)` is asked every [`STEP_COMMENTS`]
    /// comments and stops the build (`None`) when it says no.
    fn build(thread: &Thread, lower: bool, go_on: &mut dyn FnMut(usize) -> bool) -> Option<Self> {
        let total: usize = thread
            .body
            .blocks
            .iter()
            .map(|b| b.text.len() + 1)
            .sum::<usize>()
            + thread
                .comments
                .iter()
                .map(|c| {
                    c.author.as_deref().map_or(0, str::len)
                        + 1
                        + c.body
                            .blocks
                            .iter()
                            .map(|b| b.text.len() + 1)
                            .sum::<usize>()
                })
                .sum::<usize>();
        let segments = thread.body.blocks.len()
            + thread
                .comments
                .iter()
                .map(|c| 1 + c.body.blocks.len())
                .sum::<usize>();
        let mut f = Folded {
            text: String::with_capacity(total),
            segs: Vec::with_capacity(segments + 1),
            map: Vec::new(),
            doc_seg: Vec::with_capacity(thread.comments.len() + 2),
        };
        f.doc_seg.push(0);
        for block in &thread.body.blocks {
            f.push_segment(&block.text, lower);
        }
        for (i, c) in thread.comments.iter().enumerate() {
            if i % STEP_COMMENTS == 0 && !go_on(i) {
                return None;
            }
            f.doc_seg.push(f.segs.len() as u32);
            f.push_segment(c.author.as_deref().unwrap_or(""), lower);
            for block in &c.body.blocks {
                f.push_segment(&block.text, lower);
            }
        }
        f.doc_seg.push(f.segs.len() as u32);
        f.segs.push(Segment {
            start: f.text.len(),
            map: f.map.len() as u32,
        });
        f.text.shrink_to_fit();
        f.map.shrink_to_fit();
        Some(f)
    }

    fn push_segment(&mut self, src: &str, lower: bool) {
        self.segs.push(Segment {
            start: self.text.len(),
            map: self.map.len() as u32,
        });
        fold_into(src, lower, &mut self.text, &mut self.map);
        self.text.push('\n');
    }

    fn docs(&self) -> usize {
        self.doc_seg.len() - 1
    }

    /// Folded byte range of a document (including the separator after its last field).
    fn doc_range(&self, doc: usize) -> Range<usize> {
        let (a, b) = (self.doc_seg[doc] as usize, self.doc_seg[doc + 1] as usize);
        self.segs[a].start..self.segs[b].start
    }

    fn seg_end(&self, seg: usize) -> usize {
        self.segs[seg + 1].start - 1
    }

    /// Calls `on` with `(segment, folded range)` for each match in `range` (document-aligned),
    /// in order; matches never cross a field.
    fn scan(
        &self,
        query: &Query,
        range: Range<usize>,
        mut on: impl FnMut(usize, Range<usize>) -> ControlFlow<()>,
    ) {
        let hay = &self.text[..range.end];
        let may_cross = match &query.matcher {
            Matcher::Literal(_) => query.folded().contains('\n'),
            Matcher::Regex(_) => true,
        };
        let mut seg = self.segs.partition_point(|s| s.start <= range.start) - 1;
        let mut at = range.start;
        while at < range.end {
            let Some(mut m) = query.find_at(hay, at) else {
                return;
            };
            while self.segs[seg + 1].start <= m.start {
                seg += 1;
            }
            let end = self.seg_end(seg);
            if may_cross && m.end > end {
                // Look again inside the field the match started in.
                let Some(inner) = query.find_at(&self.text[..end], m.start) else {
                    at = end + 1;
                    continue;
                };
                m = inner;
            }
            if m.start >= end {
                // Started on a separator (a query beginning with a newline).
                at = end + 1;
                continue;
            }
            at = m.end;
            if on(seg, m).is_break() {
                return;
            }
        }
    }

    /// The one byte a literal query is, when it is one (and not the separator).
    fn single_byte(query: &Query) -> Option<u8> {
        match (&query.matcher, query.folded().as_bytes()) {
            (Matcher::Literal(_), &[b]) if b != b'\n' => Some(b),
            _ => None,
        }
    }

    /// Matches in one document.
    fn count_doc(&self, query: &Query, doc: usize) -> u32 {
        let r = self.doc_range(doc);
        if let Some(b) = Self::single_byte(query) {
            return count_byte(&self.text.as_bytes()[r], b) as u32;
        }
        let mut n = 0u32;
        self.scan(query, r, |_, _| {
            n += 1;
            ControlFlow::Continue(())
        });
        n
    }

    /// Appends `(doc, count)` for the documents of `docs` that match.
    fn count_docs(&self, query: &Query, docs: &[u32], out: &mut Vec<(u32, u32)>) {
        for &d in docs {
            let n = self.count_doc(query, d as usize);
            if n > 0 {
                out.push((d, n));
            }
        }
    }

    /// Appends `(doc, count)` for the matching documents of the range `docs`, in one pass
    /// over their text, attributing each match to its document.
    fn count_range(&self, query: &Query, docs: Range<usize>, out: &mut Vec<(u32, u32)>) {
        if docs.is_empty() {
            return;
        }
        if Self::single_byte(query).is_some() {
            for d in docs {
                let n = self.count_doc(query, d);
                if n > 0 {
                    out.push((d as u32, n));
                }
            }
            return;
        }
        let bytes = self.doc_range(docs.start).start..self.doc_range(docs.end - 1).end;
        let mut doc = docs.start;
        let mut n = 0u32;
        self.scan(query, bytes, |seg, _| {
            if self.doc_seg[doc + 1] as usize <= seg {
                if n > 0 {
                    out.push((doc as u32, n));
                }
                n = 0;
                doc = self.doc_seg.partition_point(|&s| s as usize <= seg) - 1;
            }
            n += 1;
            ControlFlow::Continue(())
        });
        if n > 0 {
            out.push((doc as u32, n));
        }
    }

    /// The first document starting at or after folded byte `at`.
    fn doc_at(&self, at: usize) -> usize {
        self.doc_seg[..self.docs()].partition_point(|&s| self.segs[s as usize].start < at)
    }

    /// Maps a folded match in `seg` of `doc` to original coordinates.
    fn to_match(&self, doc: usize, seg: usize, m: &Range<usize>) -> Match {
        let s = self.segs[seg];
        let map = &self.map[s.map as usize..self.segs[seg + 1].map as usize];
        let (start, end) = (m.start - s.start, m.end - s.start);
        let local = seg - self.doc_seg[doc] as usize;
        let (field, block) = match (doc, local) {
            (0, b) => (Field::Body, b),
            (_, 0) => (Field::Author, 0),
            (_, b) => (Field::Body, b - 1),
        };
        Match {
            doc,
            field,
            block,
            range: map_start(map, start)..map_end(map, end),
        }
    }
}

/// A thread's searchable text, folded once. Build it on thread load or on the first `/`.
/// [`SearchIndex::new`] copies what it needs and does not borrow the thread;
/// [`SearchIndex::build`] keeps the thread (shared) to fold the case-kept copy only when a
/// query first needs it.
#[derive(Debug)]
pub struct SearchIndex {
    /// Accent-folded and lowercased: for queries without capitals.
    lower: Folded,
    /// Accent-folded, case kept: for queries with a capital. Folded on the first such query
    /// when `source` is set: most searches are lowercase, and this copy is as big as all
    /// the text of the thread (half the index).
    exact: std::sync::OnceLock<Folded>,
    /// The thread `exact` is folded from; `None` when `exact` was folded up front.
    source: Option<std::sync::Arc<Thread>>,
}

impl SearchIndex {
    /// Folds the thread twice (lowercased, and case kept), the two on two threads.
    #[must_use]
    pub fn new(thread: &Thread) -> Self {
        let (lower, exact) = std::thread::scope(|s| {
            let exact = s.spawn(|| Folded::build(thread, false, &mut |_| true));
            let lower = Folded::build(thread, true, &mut |_| true);
            let exact = exact
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (lower, exact)
        });
        match (lower, exact) {
            (Some(lower), Some(exact)) => Self {
                lower,
                exact: std::sync::OnceLock::from(exact),
                source: None,
            },
            // Only a `go_on` that says no stops a build, and these always say yes.
            _ => unreachable!("an index build without a cancel flag stopped"),
        }
    }

    /// Folds the lowercased copy now, as a background job: `progress(comments_done,
    /// comments)` now and then, and `None` soon after `cancel` is set. The case-kept copy
    /// is folded from the shared thread on the first query with a capital.
    pub fn build(
        thread: &std::sync::Arc<Thread>,
        cancel: &std::sync::atomic::AtomicBool,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Option<Self> {
        use std::sync::atomic::Ordering::Relaxed;
        let total = thread.comments.len();
        let lower = Folded::build(thread, true, &mut |done| {
            progress(done, total);
            !cancel.load(Relaxed)
        })?;
        progress(total, total);
        Some(Self {
            lower,
            exact: std::sync::OnceLock::new(),
            source: Some(std::sync::Arc::clone(thread)),
        })
    }

    /// [`SearchIndex::build`] without progress or cancelling.
    #[must_use]
    pub fn shared(thread: &std::sync::Arc<Thread>) -> Self {
        let never = std::sync::atomic::AtomicBool::new(false);
        match Self::build(thread, &never, &mut |_, _| {}) {
            Some(index) => index,
            // Only a set cancel flag stops a build, and this one is never set.
            None => unreachable!("an index build without a cancel flag stopped"),
        }
    }

    /// Number of documents: the article plus one per comment.
    pub fn docs(&self) -> usize {
        self.lower.docs()
    }

    /// Bytes of folded text held (per case mode prepared so far).
    pub fn folded_bytes(&self) -> usize {
        self.lower.text.len() + self.exact.get().map_or(0, |f| f.text.len())
    }

    fn folded(&self, query: &Query) -> &Folded {
        if query.is_case_sensitive() {
            self.exact()
        } else {
            &self.lower
        }
    }

    /// The case-kept copy, folded now if this is the first query that needs it (a few
    /// tenths of a second on 100,000 comments, once).
    fn exact(&self) -> &Folded {
        self.exact.get_or_init(|| {
            // `new` sets `exact` up front; only `build` leaves it empty, with a source.
            let Some(thread) = &self.source else {
                unreachable!("a search index without its case-kept text or a thread to fold")
            };
            match Folded::build(thread, false, &mut |_| true) {
                Some(f) => f,
                None => unreachable!("an index build that cannot be cancelled stopped"),
            }
        })
    }

    /// Per-document match counts, ascending by document; over `docs` only when given.
    /// Large scans are split in two halves run on two threads.
    pub(crate) fn count(&self, query: &Query, docs: Option<&[u32]>) -> Vec<(u32, u32)> {
        self.count_with(query, docs, PARALLEL_BYTES)
    }

    fn count_with(&self, query: &Query, docs: Option<&[u32]>, parallel: usize) -> Vec<(u32, u32)> {
        let f = self.folded(query);
        let mut left = Vec::new();
        let mut right = Vec::new();
        match docs {
            Some(docs) if self.bytes_of(docs) < parallel => {
                f.count_docs(query, docs, &mut left);
            }
            Some(docs) => {
                let (a, b) = docs.split_at(docs.len() / 2);
                std::thread::scope(|s| {
                    s.spawn(|| f.count_docs(query, b, &mut right));
                    f.count_docs(query, a, &mut left);
                });
            }
            None if f.text.len() < parallel => f.count_range(query, 0..f.docs(), &mut left),
            None => {
                let mid = f.doc_at(f.text.len() / 2);
                std::thread::scope(|s| {
                    s.spawn(|| f.count_range(query, mid..f.docs(), &mut right));
                    f.count_range(query, 0..mid, &mut left);
                });
            }
        }
        left.append(&mut right);
        left
    }

    /// Total folded bytes of the given documents (to choose between a full and a partial scan).
    pub(crate) fn bytes_of(&self, docs: &[u32]) -> usize {
        docs.iter()
            .map(|&d| self.lower.doc_range(d as usize).len())
            .sum()
    }

    /// Total folded bytes.
    pub(crate) fn total_bytes(&self) -> usize {
        self.lower.text.len()
    }

    /// Visits the matches of one document in order, in original coordinates.
    pub(crate) fn each_in_doc(
        &self,
        query: &Query,
        doc: usize,
        mut on: impl FnMut(Match) -> ControlFlow<()>,
    ) {
        if doc >= self.docs() {
            return;
        }
        let f = self.folded(query);
        f.scan(query, f.doc_range(doc), |seg, m| {
            on(f.to_match(doc, seg, &m))
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Body, CommentDraft, ThreadBuilder};

    #[test]
    fn two_threads_count_like_one() {
        let mut b = ThreadBuilder::new();
        b.body = Body::from_plain("Ana y la acción\n\nmás ana");
        let mut parent = None;
        for i in 0..50 {
            let text = format!("comentario {i} de Ana: acción número {i}\n\notra vez ana");
            parent = Some(b.push(
                parent.filter(|_| i % 3 != 0),
                CommentDraft {
                    author: Some(if i % 2 == 0 { "Ána" } else { "Luis" }.into()),
                    body: Body::from_plain(&text),
                    ..CommentDraft::default()
                },
            ));
        }
        let index = SearchIndex::new(&b.finish());
        for (text, regex) in [("a", false), ("ana", false), ("Ana", false), (r"\d+", true)] {
            let q = Query::new(text, regex).unwrap().unwrap();
            let one = index.count_with(&q, None, usize::MAX);
            assert!(!one.is_empty());
            assert_eq!(index.count_with(&q, None, 1), one, "{text}");
            let docs: Vec<u32> = (0..index.docs() as u32).step_by(2).collect();
            let some = index.count_with(&q, Some(&docs), usize::MAX);
            assert_eq!(index.count_with(&q, Some(&docs), 1), some, "{text}");
            let expect: Vec<_> = one.iter().copied().filter(|(d, _)| d % 2 == 0).collect();
            assert_eq!(some, expect);
        }
    }
}
