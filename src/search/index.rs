//! The search index of a whole thread: where each document's folding differs from its own
//! text, and the scans over all documents.
//!
//! The index keeps no folded copy of the text. Per document it keeps the positions of the
//! characters that fold to something else ([`super::patch`]: about a byte per accent), and
//! a scan rebuilds the folded text of a batch of documents, about [`WINDOW_BYTES`] at a
//! time, into a reused buffer (a window) and searches that: the document's bytes copied,
//! lowercased in bulk, and those characters folded in place. An ASCII document has no
//! positions and costs a copy. Where the matches of one document are (to show or jump to
//! them) is found by folding that document again, with its map. The scans see the same
//! folded text as [`super::fold`] gives (`store.rs` tests the rebuilt window against it,
//! and `tests/it/search.rs` checks the scans against a plain search of each field). The
//! index shares the thread to read the documents.

use std::ops::ControlFlow;
use std::sync::Arc;

use super::Match;
use super::patch::push_doc_gaps;
use super::query::Query;
use super::store::{Store, fields};
use crate::model::Thread;

/// Scans over more folded bytes than this run on two threads (a scoped thread costs tens of
/// microseconds; a megabyte of memmem costs about a hundred).
const PARALLEL_BYTES: usize = 4 << 20;

/// How many bytes of documents are rebuilt into the window before it is scanned: small
/// enough to stay in the cache between rebuilding and scanning.
const WINDOW_BYTES: usize = 128 << 10;

/// How many comments are prepared between two progress reports / cancel checks.
const STEP_COMMENTS: usize = 1024;

/// Where the characters that fold to something else are, per document.
#[derive(Debug)]
struct Patches {
    /// Per document, where its gaps start in `gaps`, plus a sentinel.
    starts: Vec<usize>,
    /// The gaps of all documents, in document order (see [`super::patch`]).
    gaps: Vec<u8>,
}

impl Patches {
    /// Finds them; `go_on(comments_done)` is asked every [`STEP_COMMENTS`] comments and
    /// stops the build (`None`) when it says no.
    fn build(thread: &Thread, go_on: &mut dyn FnMut(usize) -> bool) -> Option<Self> {
        let docs = thread.comments.len() + 1;
        let mut starts = Vec::with_capacity(docs + 1);
        let mut gaps = Vec::new();
        starts.push(0);
        for doc in 0..docs {
            if doc % STEP_COMMENTS == 1 && !go_on(doc - 1) {
                return None;
            }
            push_doc_gaps(fields(thread, doc), &mut gaps);
            starts.push(gaps.len());
        }
        gaps.shrink_to_fit();
        Some(Self { starts, gaps })
    }

    /// The gaps of one document.
    fn of(&self, doc: usize) -> &[u8] {
        &self.gaps[self.starts[doc]..self.starts[doc + 1]]
    }

    /// Appends `(doc, count)` for the matching documents among `docs` (ascending), rebuilt
    /// into a window `window_bytes` at a time.
    fn count(
        &self,
        thread: &Thread,
        query: &Query,
        docs: impl Iterator<Item = usize>,
        window_bytes: usize,
        out: &mut Vec<(u32, u32)>,
    ) {
        let lower = !query.is_case_sensitive();
        let mut window = Store::with_capacity(window_bytes.min(WINDOW_BYTES) * 2, false);
        let flush = |window: &mut Store, out: &mut Vec<(u32, u32)>| {
            if window.docs() > 0 {
                window.finish();
                window.count_range(query, 0..window.docs(), out);
                window.clear();
            }
        };
        let mut batch = [0usize; PREFETCH_DOCS];
        let mut docs = docs.peekable();
        while docs.peek().is_some() {
            let mut n = 0;
            for (slot, doc) in batch.iter_mut().zip(&mut docs) {
                *slot = doc;
                n += 1;
            }
            touch(thread, &batch[..n]);
            for &doc in &batch[..n] {
                window.push_patched(thread, doc, lower, self.of(doc));
                if window.text_len() >= window_bytes {
                    flush(&mut window, out);
                }
            }
        }
        flush(&mut window, out);
    }
}

/// Documents whose text is reached ahead of rebuilding them (see [`touch`]).
const PREFETCH_DOCS: usize = 32;

/// Reads the first byte of every field of `docs` before any is copied. Each field is its
/// own allocation behind two pointers (comment, block list, text): rebuilt one after the
/// other, each waits for a cache miss; reached here in a loop of independent loads, the
/// misses overlap, and the copies that follow find the lines in the cache.
fn touch(thread: &Thread, docs: &[usize]) {
    let mut sum = 0u8;
    for &doc in docs {
        sum ^=
            fields(thread, doc).fold(0, |acc, f| acc ^ f.as_bytes().first().copied().unwrap_or(0));
    }
    std::hint::black_box(sum);
}

/// A thread's searchable text, prepared once. Build it on thread load or on the first `/`.
/// It shares the thread it searches ([`SearchIndex::new`] copies it into an `Arc`).
#[derive(Debug)]
pub struct SearchIndex {
    /// The thread searched.
    thread: Arc<Thread>,
    /// Where its folding differs from its text.
    patches: Patches,
    /// Folded bytes of each document (about: its bytes, with a separator per field), to
    /// choose between a full and a partial scan and to split a scan in halves.
    lens: Vec<u32>,
    /// The sum of `lens`.
    total: usize,
    /// How many bytes are rebuilt into a window before scanning it (a test sets it small
    /// to cross many windows).
    window: usize,
}

impl SearchIndex {
    /// Copies the thread and prepares it now (tests and benchmarks; the reader shares its
    /// thread with [`SearchIndex::build`]).
    #[must_use]
    pub fn new(thread: &Thread) -> Self {
        Self::shared(&Arc::new(thread.clone()))
    }

    /// Prepares a shared thread now, as a background job: `progress(comments_done,
    /// comments)` now and then, and `None` soon after `cancel` is set.
    pub fn build(
        thread: &Arc<Thread>,
        cancel: &std::sync::atomic::AtomicBool,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Option<Self> {
        use std::sync::atomic::Ordering::Relaxed;
        let total = thread.comments.len();
        let patches = Patches::build(thread, &mut |done| {
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
            patches,
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
        self.lens.len()
    }

    /// Bytes the index keeps besides the thread: the positions of folding characters and
    /// where each document's start, and the length of each document.
    pub fn kept_bytes(&self) -> usize {
        self.patches.gaps.capacity()
            + self.patches.starts.capacity() * std::mem::size_of::<usize>()
            + self.lens.capacity() * 4
    }

    /// Per-document match counts, ascending by document; over `docs` only when given.
    /// Large scans are split in two halves run on two threads.
    /// `docs` are `(document, anything)` pairs, as [`super::Matches`] keeps them.
    pub(crate) fn count(&self, query: &Query, docs: Option<&[(u32, u32)]>) -> Vec<(u32, u32)> {
        self.count_with(query, docs, PARALLEL_BYTES)
    }

    fn count_with(
        &self,
        query: &Query,
        docs: Option<&[(u32, u32)]>,
        parallel: usize,
    ) -> Vec<(u32, u32)> {
        let (p, t, w) = (&self.patches, &*self.thread, self.window);
        let list = |docs: &[(u32, u32)], out: &mut Vec<(u32, u32)>| {
            p.count(t, query, docs.iter().map(|&(d, _)| d as usize), w, out);
        };
        let range = |docs: std::ops::Range<usize>, out: &mut Vec<(u32, u32)>| {
            p.count(t, query, docs, w, out);
        };
        // Room for every candidate at once, so that no push copies the list and the right
        // half is appended in place: pages never written are never resident.
        let candidates = docs.map_or(self.docs(), <[_]>::len);
        let mut left = Vec::with_capacity(candidates);
        let mut right = Vec::with_capacity(candidates / 2 + 1);
        match docs {
            Some(docs) if self.bytes_of(docs) < parallel => list(docs, &mut left),
            Some(docs) => {
                let (a, b) = docs.split_at(docs.len() / 2);
                std::thread::scope(|s| {
                    s.spawn(|| list(b, &mut right));
                    list(a, &mut left);
                });
            }
            None if self.total < parallel => range(0..self.docs(), &mut left),
            None => {
                let mid = self.middle_doc();
                std::thread::scope(|s| {
                    s.spawn(|| range(mid..self.docs(), &mut right));
                    range(0..mid, &mut left);
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
    pub(crate) fn bytes_of(&self, docs: &[(u32, u32)]) -> usize {
        docs.iter()
            .map(|&(d, _)| self.lens[d as usize] as usize)
            .sum()
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
        let mut one = Store::with_capacity(0, true);
        one.push_doc(&self.thread, doc, !query.is_case_sensitive());
        one.finish();
        one.each_in_doc(query, 0, on);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Body, CommentDraft, ThreadBuilder};

    /// Half the comments are ASCII, half have an accent, in runs of different lengths.
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
        let patched = (0..index.docs())
            .filter(|&d| !index.patches.of(d).is_empty())
            .count();
        assert!(
            patched > 5 && patched < 45,
            "{patched} of 51 documents patched"
        );
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
            let docs: Vec<(u32, u32)> = (0..index.docs() as u32)
                .step_by(2)
                .map(|d| (d, 0))
                .collect();
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
    fn the_index_keeps_only_where_accents_are() {
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
        // Only comment 7 has characters to fold: `ï` after "Ann\nna" and `é` after "ve caf".
        let gaps: Vec<usize> = (0..index.docs())
            .flat_map(|d| super::super::patch::Gaps(index.patches.of(d)))
            .collect();
        assert_eq!(gaps, [6, 6]);
        assert_eq!(index.patches.of(8).len(), 2);
        let q = Query::new("plain", false).unwrap().unwrap();
        assert_eq!(index.count(&q, None).len(), 20);
        let q = Query::new("cafe", false).unwrap().unwrap();
        assert_eq!(index.count(&q, None), vec![(8, 1)]);
    }
}
