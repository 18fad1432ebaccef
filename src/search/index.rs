//! The search index of a whole thread: which documents keep a folded copy, and the scans
//! over all documents.
//!
//! Folding a document whose fields are all ASCII only lowercases it (or changes nothing,
//! for a case-sensitive query), so such documents are not copied: a scan folds them again,
//! a window of about [`WINDOW_BYTES`] at a time, into a reused buffer, and searches that.
//! Documents with a non-ASCII field (accents, other scripts, emoji) keep a folded copy in a
//! [`Store`], without the map back to the original text (for accented text the map is
//! about half the size of the copy): counting needs only the folded text, and where the
//! matches of one document are (to show or jump to them) is found by folding that
//! document again, with its map. The scans see the same folded text either way
//! (`tests/it/search.rs` checks them against a plain search of each field). The index
//! keeps the thread (shared) to read the documents it did not copy.

use std::ops::ControlFlow;
use std::sync::{Arc, OnceLock};

use super::Match;
use super::query::Query;
use super::store::{Store, fields};
use crate::model::Thread;

/// Scans over more folded bytes than this run on two threads (a scoped thread costs tens of
/// microseconds; a megabyte of memmem costs about a hundred).
const PARALLEL_BYTES: usize = 4 << 20;

/// How many bytes of ASCII documents are folded into the window before it is scanned:
/// small enough to stay in the cache between folding and scanning.
const WINDOW_BYTES: usize = 128 << 10;

/// How many comments are folded between two progress reports / cancel checks.
const STEP_COMMENTS: usize = 1024;

/// [`Folded::local`] of a document folded on the fly (all its fields are ASCII).
const ON_THE_FLY: u32 = u32::MAX;

/// The documents of one case mode: the kept copy of the non-ASCII ones, and where each
/// document is.
#[derive(Debug)]
struct Folded {
    /// Folded copies of the documents with a non-ASCII field, in document order.
    kept: Store,
    /// Per document: its place in `kept`, or [`ON_THE_FLY`].
    local: Vec<u32>,
    /// Lowercased (for queries without capitals) or case kept.
    lower: bool,
}

/// Whether every field of `doc` is ASCII (its folding is a byte-for-byte lowercasing).
fn is_ascii_doc(thread: &Thread, doc: usize) -> bool {
    fields(thread, doc).all(str::is_ascii)
}

impl Folded {
    /// Folds what needs a copy; `go_on(comments_done)` is asked every [`STEP_COMMENTS`]
    /// comments and stops the build (`None`) when it says no.
    fn build(thread: &Thread, lower: bool, go_on: &mut dyn FnMut(usize) -> bool) -> Option<Self> {
        let docs = thread.comments.len() + 1;
        // First which documents are kept and how big they are, so the copy is allocated
        // once: grown by doubling, its earlier buffers are freed into the allocator's heap
        // and stay in the resident set (measured: 13 MB of 170 on 100,000 comments).
        let mut local = Vec::with_capacity(docs);
        let (mut bytes, mut fields_kept, mut kept) = (0, 0, 0u32);
        for doc in 0..docs {
            if is_ascii_doc(thread, doc) {
                local.push(ON_THE_FLY);
            } else {
                local.push(kept);
                kept += 1;
                for field in fields(thread, doc) {
                    // Folding keeps or shrinks the length of nearly all text.
                    bytes += field.len() + 1;
                    fields_kept += 1;
                }
            }
        }
        let mut f = Folded {
            kept: Store::with_room(bytes, fields_kept, kept as usize),
            local,
            lower,
        };
        for doc in 0..docs {
            if doc % STEP_COMMENTS == 1 && !go_on(doc - 1) {
                return None;
            }
            if f.local[doc] != ON_THE_FLY {
                f.kept.push_doc(thread, doc, lower);
            }
        }
        f.kept.finish_and_shrink();
        Some(f)
    }

    /// Appends `(doc, count)` for the matching documents of `docs` (ascending), in as few
    /// passes as the layout allows: runs of kept documents in one pass over their copy,
    /// the others folded into `window` a batch at a time.
    fn count_range(
        &self,
        thread: &Thread,
        query: &Query,
        docs: std::ops::Range<usize>,
        window_bytes: usize,
        out: &mut Vec<(u32, u32)>,
    ) {
        let mut window = Store::with_capacity(window_bytes.min(WINDOW_BYTES) * 2, false);
        let mut d = docs.start;
        while d < docs.end {
            let first = self.local[d];
            if first == ON_THE_FLY {
                window.clear();
                while d < docs.end
                    && self.local[d] == ON_THE_FLY
                    && window.text_len() < window_bytes
                {
                    window.push_doc(thread, d, self.lower);
                    d += 1;
                }
                window.finish();
                window.count_range(query, 0..window.docs(), out);
            } else {
                // Kept documents with no folded-on-the-fly one between them are adjacent
                // in the copy.
                let mut end = d + 1;
                while end < docs.end && self.local[end] != ON_THE_FLY {
                    end += 1;
                }
                let last = self.local[end - 1] as usize;
                self.kept.count_range(query, first as usize..last + 1, out);
                d = end;
            }
        }
    }

    /// Appends `(doc, count)` for the matching documents of the list `docs` (ascending).
    fn count_list(
        &self,
        thread: &Thread,
        query: &Query,
        docs: &[u32],
        window_bytes: usize,
        out: &mut Vec<(u32, u32)>,
    ) {
        let mut window = Store::with_capacity(window_bytes.min(WINDOW_BYTES) * 2, false);
        let flush = |window: &mut Store, out: &mut Vec<(u32, u32)>| {
            if window.docs() > 0 {
                window.finish();
                window.count_range(query, 0..window.docs(), out);
                window.clear();
            }
        };
        for &d in docs {
            match self.local[d as usize] {
                ON_THE_FLY => {
                    window.push_doc(thread, d as usize, self.lower);
                    if window.text_len() >= window_bytes {
                        flush(&mut window, out);
                    }
                }
                local => {
                    flush(&mut window, out);
                    let n = self.kept.count_doc(query, local as usize);
                    if n > 0 {
                        out.push((d, n));
                    }
                }
            }
        }
        flush(&mut window, out);
    }

    /// Visits the matches of one document in order, in original coordinates.
    fn each_in_doc(
        &self,
        thread: &Thread,
        query: &Query,
        doc: usize,
        on: impl FnMut(Match) -> ControlFlow<()>,
    ) {
        // Folded again with its map: the kept copy has none.
        let mut one = Store::with_capacity(0, true);
        one.push_doc(thread, doc, self.lower);
        one.finish();
        one.each_in_doc(query, 0, on);
    }
}

/// A thread's searchable text, prepared once. Build it on thread load or on the first `/`.
/// It shares the thread it searches ([`SearchIndex::new`] copies it into an `Arc`).
#[derive(Debug)]
pub struct SearchIndex {
    /// The thread searched: documents without a kept copy are folded from it on the fly.
    thread: Arc<Thread>,
    /// Accent-folded and lowercased: for queries without capitals.
    lower: Folded,
    /// Accent-folded, case kept: for queries with a capital. Folded on the first such query
    /// when built by [`SearchIndex::build`]: most searches are lowercase.
    exact: OnceLock<Folded>,
    /// Folded bytes of each document (lowercased), to choose between a full and a partial
    /// scan and to split a scan in halves.
    lens: Vec<u32>,
    /// The sum of `lens`.
    total: usize,
    /// How many ASCII bytes are folded into a window before scanning it (a test sets it
    /// small to cross many windows).
    window: usize,
}

impl SearchIndex {
    /// Copies the thread and prepares both case modes now, the two on two threads (tests
    /// and benchmarks; the reader shares its thread with [`SearchIndex::build`]).
    #[must_use]
    pub fn new(thread: &Thread) -> Self {
        Self::eager(&Arc::new(thread.clone()))
    }

    /// Prepares both case modes of a shared thread now, the two on two threads.
    #[must_use]
    pub fn eager(thread: &Arc<Thread>) -> Self {
        let (index, exact) = std::thread::scope(|s| {
            let exact = s.spawn(|| Folded::build(thread, false, &mut |_| true));
            let index = Self::shared(thread);
            let exact = exact
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (index, exact)
        });
        match exact {
            Some(exact) => {
                let _ = index.exact.set(exact);
                index
            }
            // Only a `go_on` that says no stops a build, and this one always says yes.
            None => unreachable!("an index build without a cancel flag stopped"),
        }
    }

    /// Prepares the lowercased mode now, as a background job: `progress(comments_done,
    /// comments)` now and then, and `None` soon after `cancel` is set. The case-kept mode is
    /// prepared on the first query with a capital.
    pub fn build(
        thread: &Arc<Thread>,
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
        let lens: Vec<u32> = (0..=total)
            .map(|doc| {
                let n: usize = fields(thread, doc).map(|f| f.len() + 1).sum();
                u32::try_from(n).unwrap_or(u32::MAX)
            })
            .collect();
        Some(Self {
            thread: Arc::clone(thread),
            lower,
            exact: OnceLock::new(),
            total: lens.iter().map(|&n| n as usize).sum(),
            lens,
            window: WINDOW_BYTES,
        })
    }

    /// [`SearchIndex::build`] without progress or cancelling.
    #[must_use]
    pub fn shared(thread: &Arc<Thread>) -> Self {
        let never = std::sync::atomic::AtomicBool::new(false);
        match Self::build(thread, &never, &mut |_, _| {}) {
            Some(index) => index,
            // Only a set cancel flag stops a build, and this one is never set.
            None => unreachable!("an index build without a cancel flag stopped"),
        }
    }

    /// Number of documents: the article plus one per comment.
    pub fn docs(&self) -> usize {
        self.lower.local.len()
    }

    /// Bytes of folded text kept (per case mode prepared so far): only the documents whose
    /// folding is not plain ASCII are kept.
    pub fn folded_bytes(&self) -> usize {
        self.lower.kept.text_len() + self.exact.get().map_or(0, |f| f.kept.text_len())
    }

    fn folded(&self, query: &Query) -> &Folded {
        if query.is_case_sensitive() {
            self.exact
                .get_or_init(|| match Folded::build(&self.thread, false, &mut |_| true) {
                    Some(f) => f,
                    None => unreachable!("an index build that cannot be cancelled stopped"),
                })
        } else {
            &self.lower
        }
    }

    /// Per-document match counts, ascending by document; over `docs` only when given.
    /// Large scans are split in two halves run on two threads.
    pub(crate) fn count(&self, query: &Query, docs: Option<&[u32]>) -> Vec<(u32, u32)> {
        self.count_with(query, docs, PARALLEL_BYTES)
    }

    fn count_with(&self, query: &Query, docs: Option<&[u32]>, parallel: usize) -> Vec<(u32, u32)> {
        let f = self.folded(query);
        let t: &Thread = &self.thread;
        let w = self.window;
        let mut left = Vec::new();
        let mut right = Vec::new();
        match docs {
            Some(docs) if self.bytes_of(docs) < parallel => {
                f.count_list(t, query, docs, w, &mut left);
            }
            Some(docs) => {
                let (a, b) = docs.split_at(docs.len() / 2);
                std::thread::scope(|s| {
                    s.spawn(|| f.count_list(t, query, b, w, &mut right));
                    f.count_list(t, query, a, w, &mut left);
                });
            }
            None if self.total < parallel => f.count_range(t, query, 0..self.docs(), w, &mut left),
            None => {
                let mid = self.middle_doc();
                std::thread::scope(|s| {
                    s.spawn(|| f.count_range(t, query, mid..self.docs(), w, &mut right));
                    f.count_range(t, query, 0..mid, w, &mut left);
                });
            }
        }
        left.append(&mut right);
        left
    }

    /// The first document past half of the folded bytes.
    fn middle_doc(&self) -> usize {
        let mut sum = 0usize;
        for (doc, &n) in self.lens.iter().enumerate() {
            if sum >= self.total / 2 {
                return doc;
            }
            sum += n as usize;
        }
        self.lens.len()
    }

    /// Total folded bytes of the given documents (to choose between a full and a partial scan).
    pub(crate) fn bytes_of(&self, docs: &[u32]) -> usize {
        docs.iter().map(|&d| self.lens[d as usize] as usize).sum()
    }

    /// Total folded bytes.
    pub(crate) fn total_bytes(&self) -> usize {
        self.total
    }

    /// Visits the matches of one document in order, in original coordinates.
    pub(crate) fn each_in_doc(
        &self,
        query: &Query,
        doc: usize,
        on: impl FnMut(Match) -> ControlFlow<()>,
    ) {
        if doc >= self.docs() {
            return;
        }
        self.folded(query).each_in_doc(&self.thread, query, doc, on);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Body, CommentDraft, ThreadBuilder};

    /// Half the comments are ASCII (folded on the fly), half have an accent (kept), in
    /// runs of different lengths.
    fn mixed() -> Thread {
        let mut b = ThreadBuilder::new();
        b.body = Body::from_plain("Ana y la acción\n\nmás ana");
        let mut parent = None;
        for i in 0..50 {
            let word = if i % 5 < 2 { "acción" } else { "accion" };
            let number = if i % 7 == 3 { "número" } else { "numero" };
            let text = format!("comentario {i} de Ana: {word} {number} {i}\n\notra vez ana");
            parent = Some(b.push(
                parent.filter(|_| i % 3 != 0),
                CommentDraft {
                    author: Some(if i % 11 == 0 { "Ána" } else { "Luis" }.into()),
                    body: Body::from_plain(&text),
                    ..CommentDraft::default()
                },
            ));
        }
        b.finish()
    }

    #[test]
    fn two_threads_and_any_window_count_like_one() {
        let mut index = SearchIndex::new(&mixed());
        let kept = index
            .lower
            .local
            .iter()
            .filter(|&&l| l != ON_THE_FLY)
            .count();
        assert!(kept > 5 && kept < 45, "{kept} of 51 documents kept");
        for (text, regex) in [
            ("a", false),
            ("ana", false),
            ("Ana", false),
            ("accion", false),
            (r"\d+", true),
            ("vez ana", false),
        ] {
            let q = Query::new(text, regex).unwrap().unwrap();
            index.window = WINDOW_BYTES;
            let one = index.count_with(&q, None, usize::MAX);
            assert!(!one.is_empty(), "{text}");
            let docs: Vec<u32> = (0..index.docs() as u32).step_by(2).collect();
            let some = index.count_with(&q, Some(&docs), usize::MAX);
            let expect: Vec<_> = one.iter().copied().filter(|(d, _)| d % 2 == 0).collect();
            assert_eq!(some, expect);
            for window in [1, 30, 200, WINDOW_BYTES] {
                index.window = window;
                assert_eq!(
                    index.count_with(&q, None, usize::MAX),
                    one,
                    "{text} {window}"
                );
                assert_eq!(index.count_with(&q, None, 1), one, "{text} {window}");
                assert_eq!(index.count_with(&q, Some(&docs), 1), some, "{text}");
                assert_eq!(index.count_with(&q, Some(&docs), usize::MAX), some);
            }
        }
    }

    #[test]
    fn ascii_documents_keep_no_copy() {
        let mut b = ThreadBuilder::new();
        b.body = Body::from_plain("Plain words only");
        for i in 0..20 {
            let text = if i == 7 {
                "naïve café"
            } else {
                "Plain Text here"
            };
            b.push(
                None,
                CommentDraft {
                    author: Some("Ann".into()),
                    body: Body::from_plain(text),
                    ..CommentDraft::default()
                },
            );
        }
        let index = SearchIndex::new(&b.finish());
        // Only comment 7 ("naïve café", plus its author and separators) is kept, per mode.
        let one = "Ann\nnaive cafe\n".len();
        assert_eq!(index.folded_bytes(), 2 * one);
        let q = Query::new("plain", false).unwrap().unwrap();
        assert_eq!(index.count(&q, None).len(), 20);
        let q = Query::new("cafe", false).unwrap().unwrap();
        assert_eq!(index.count(&q, None), vec![(8, 1)]);
    }
}
