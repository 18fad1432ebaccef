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
    fn build(thread: &Thread, lower: bool) -> Self {
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
                    c.author.as_ref().map_or(0, String::len)
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
        for c in &thread.comments {
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
        f
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

    /// Counts matches per document over `docs` (all when `None`), appending non-zero counts.
    fn count(&self, query: &Query, docs: Option<&[u32]>, out: &mut Vec<(u32, u32)>) {
        let single = match (&query.matcher, query.folded().as_bytes()) {
            (Matcher::Literal(_), &[b]) if b != b'\n' => Some(b),
            _ => None,
        };
        let mut count_doc = |doc: usize| {
            let r = self.doc_range(doc);
            let n = if let Some(b) = single {
                // Vectorises; far faster than visiting millions of 1-byte matches, and
                // needs no extra crate.
                #[allow(clippy::naive_bytecount)]
                self.text.as_bytes()[r].iter().filter(|&&x| x == b).count()
            } else {
                let mut n = 0usize;
                self.scan(query, r, |_, _| {
                    n += 1;
                    ControlFlow::Continue(())
                });
                n
            };
            if n > 0 {
                out.push((doc as u32, n as u32));
            }
        };
        match docs {
            Some(docs) => docs.iter().for_each(|&d| count_doc(d as usize)),
            None if single.is_some() => (0..self.docs()).for_each(count_doc),
            None => {
                // One pass over the whole buffer, attributing matches to documents.
                let mut doc = 0usize;
                let mut n = 0u32;
                self.scan(query, 0..self.text.len(), |seg, _| {
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
        }
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

/// A thread's searchable text, folded once. Build it on thread load or on the first `/`;
/// it copies what it needs and does not borrow the thread.
#[derive(Debug)]
pub struct SearchIndex {
    /// Accent-folded and lowercased: for queries without capitals.
    lower: Folded,
    /// Accent-folded, case kept: for queries with a capital.
    exact: Folded,
}

impl SearchIndex {
    /// Folds the thread twice (lowercased, and case kept), the two on two threads.
    #[must_use]
    pub fn new(thread: &Thread) -> Self {
        let (lower, exact) = std::thread::scope(|s| {
            let exact = s.spawn(|| Folded::build(thread, false));
            let lower = Folded::build(thread, true);
            let exact = exact
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (lower, exact)
        });
        Self { lower, exact }
    }

    /// Number of documents: the article plus one per comment.
    pub fn docs(&self) -> usize {
        self.lower.docs()
    }

    /// Bytes of folded text held (per case mode prepared).
    pub fn folded_bytes(&self) -> usize {
        self.lower.text.len() + self.exact.text.len()
    }

    fn folded(&self, query: &Query) -> &Folded {
        if query.is_case_sensitive() {
            &self.exact
        } else {
            &self.lower
        }
    }

    /// Per-document match counts, ascending by document; over `docs` only when given.
    pub(crate) fn count(&self, query: &Query, docs: Option<&[u32]>) -> Vec<(u32, u32)> {
        let mut out = Vec::new();
        self.folded(query).count(query, docs, &mut out);
        out
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
