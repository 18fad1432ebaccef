//! Folded text of some documents laid out for scanning, and the scans over it.
//!
//! A [`Store`] holds the folded text of a list of documents (not necessarily consecutive) in
//! one `String`: each searchable field (a comment's author, each block of a body) is a
//! segment followed by a `\n`. A literal query from the prompt holds no `\n`, so one
//! substring pass over the buffer finds every match and no match crosses fields; queries
//! that could cross (regexes, queries with a newline) are re-run inside the segment they
//! started in. Regex `^`/`$` see each field as its own lines.
//!
//! The index keeps no store of its own: it rebuilds documents into a small reused store (a
//! window) while it scans, from their text and their patches (`patch.rs`). This module owns
//! the layout and the scans, not the choice of documents.

use std::ops::{ControlFlow, Range};

use super::fold::{MapEntry, fold_char, fold_into, map_end, map_start};
use super::patch::Gaps;
use super::query::{Matcher, Query};
use super::{Field, Match};
use crate::model::Thread;

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

/// The searchable fields of document `doc` in order: the article's blocks for document 0;
/// a comment's author (empty when it has none) and then its blocks.
pub(crate) fn fields(thread: &Thread, doc: usize) -> impl Iterator<Item = &str> {
    let (author, blocks) = match doc.checked_sub(1) {
        None => (None, &thread.body.blocks[..]),
        Some(i) => {
            let c = &thread.comments[i];
            (Some(c.author.as_deref().unwrap_or("")), &c.body.blocks[..])
        }
    };
    author
        .into_iter()
        .chain(blocks.iter().map(|b| b.text.as_str()))
}

/// The folded text of some documents in one case mode.
///
/// With its map (a store made to find where matches are in the original text) or without
/// (a store kept to count matches: the map of an accented text is a quarter of its size,
/// and a document's positions are wanted only when it is shown or jumped to, when it is
/// cheap to fold it again).
#[derive(Debug, Default)]
pub(crate) struct Store {
    text: String,
    /// Where each searchable field starts in `text`, plus, once finished, a sentinel at the
    /// end of `text`; a field ends one byte before the next starts.
    segs: Vec<usize>,
    /// Whether the map is recorded.
    mapped: bool,
    /// Offset-map entries of all fields, grouped by field (see `seg_map`).
    map: Vec<MapEntry>,
    /// First index into `map` of each field (plus the sentinel), when `mapped`.
    seg_map: Vec<u32>,
    /// First segment of each local document, plus (once finished) a sentinel.
    doc_seg: Vec<u32>,
    /// The thread's document number of each local document.
    docs: Vec<u32>,
}

impl Store {
    /// An empty store with room for about `bytes` of text; `mapped`: with the map back to
    /// the original text (needed by [`Self::each_in_doc`]).
    pub(crate) fn with_capacity(bytes: usize, mapped: bool) -> Self {
        Self {
            text: String::with_capacity(bytes),
            mapped,
            ..Self::default()
        }
    }

    /// Appends the folded fields of document `doc` of `thread` (call [`Self::finish`]
    /// before scanning).
    pub(crate) fn push_doc(&mut self, thread: &Thread, doc: usize, lower: bool) {
        self.docs.push(doc as u32);
        self.doc_seg.push(self.segs.len() as u32);
        for field in fields(thread, doc) {
            self.segs.push(self.text.len());
            if self.mapped {
                self.seg_map.push(self.map.len() as u32);
            }
            fold_into(field, lower, &mut self.text, &mut self.map);
            if !self.mapped {
                self.map.clear();
            }
            self.text.push('\n');
        }
    }

    /// Appends the same folded fields as [`Self::push_doc`] (in a store without its map),
    /// rebuilt from the document's text and its `gaps` (see [`super::patch`]): the text
    /// copied, folding only the characters the gaps point at, and lowercased in bulk (a
    /// lowercased fold holds no ASCII capital, so lowercasing it again changes nothing).
    pub(crate) fn push_patched(&mut self, thread: &Thread, doc: usize, lower: bool, gaps: &[u8]) {
        debug_assert!(!self.mapped, "a rebuilt document has no map");
        self.docs.push(doc as u32);
        self.doc_seg.push(self.segs.len() as u32);
        let mut gaps = Gaps(gaps);
        // Where the next character to fold is, in the document's fields joined by `\n`.
        let mut next = gaps.next();
        let mut base = 0;
        // Gaps that do not fit the text (they are built from it, so never): the rest of
        // the document is folded the long way.
        let mut lost = false;
        let two = super::fold::two_byte_table();
        for field in fields(thread, doc) {
            let start = self.text.len();
            self.segs.push(start);
            let end = base + field.len();
            let mut i = 0;
            while let Some(at) = next.filter(|&at| at < end && !lost) {
                let Some((run, l)) = at
                    .checked_sub(base)
                    .and_then(|l| Some((field.get(i..l)?, l)))
                else {
                    lost = true;
                    break;
                };
                // `l` starts a character (`get` checked it); a two-byte one is most accents.
                let fast = match field.as_bytes()[l..] {
                    [b0 @ 0xc2..=0xdf, b1, ..] => {
                        let u = (usize::from(b0 & 0x1f) << 6) | usize::from(b1 & 0x3f);
                        two.get(u - 0x80).and_then(|f| f[usize::from(lower)])
                    }
                    _ => None,
                };
                let len = if let Some(folded) = fast {
                    self.text.push_str(run);
                    self.text.push_str(folded);
                    2
                } else if let Some(c) = field[l..].chars().next().filter(|c| !c.is_ascii()) {
                    self.text.push_str(run);
                    fold_char(c, lower, &mut self.text);
                    c.len_utf8()
                } else {
                    lost = true;
                    break;
                };
                i = l + len;
                next = gaps.next().map(|g| at + len + g);
            }
            if lost {
                fold_into(&field[i..], lower, &mut self.text, &mut self.map);
                self.map.clear();
            } else {
                self.text.push_str(&field[i..]);
            }
            if lower {
                self.text[start..].make_ascii_lowercase();
            }
            self.text.push('\n');
            base = end + 1;
        }
    }

    /// Closes the layout with its sentinels; nothing may be pushed after, until
    /// [`Self::clear`].
    pub(crate) fn finish(&mut self) {
        self.doc_seg.push(self.segs.len() as u32);
        self.segs.push(self.text.len());
        if self.mapped {
            self.seg_map.push(self.map.len() as u32);
        }
    }

    /// Empties the store, keeping its allocations (a window between two batches).
    pub(crate) fn clear(&mut self) {
        self.text.clear();
        self.segs.clear();
        self.map.clear();
        self.seg_map.clear();
        self.doc_seg.clear();
        self.docs.clear();
    }

    /// Bytes of folded text held.
    pub(crate) fn text_len(&self) -> usize {
        self.text.len()
    }

    /// Number of local documents pushed.
    pub(crate) fn docs(&self) -> usize {
        self.docs.len()
    }

    /// Folded byte range of a local document (including the separator after its last field).
    fn doc_range(&self, local: usize) -> Range<usize> {
        let (a, b) = (
            self.doc_seg[local] as usize,
            self.doc_seg[local + 1] as usize,
        );
        self.segs[a]..self.segs[b]
    }

    fn seg_end(&self, seg: usize) -> usize {
        self.segs[seg + 1] - 1
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
        let mut seg = self.segs.partition_point(|&s| s <= range.start) - 1;
        let mut at = range.start;
        while at < range.end {
            let Some(mut m) = query.find_at(hay, at) else {
                return;
            };
            while self.segs[seg + 1] <= m.start {
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

    /// Matches in one local document.
    pub(crate) fn count_doc(&self, query: &Query, local: usize) -> u32 {
        let r = self.doc_range(local);
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

    /// Appends `(document, count)` for the matching local documents of the range `locals`
    /// (as the thread's document numbers), in one pass over their text, attributing each
    /// match to its document.
    pub(crate) fn count_range(
        &self,
        query: &Query,
        locals: Range<usize>,
        out: &mut Vec<(u32, u32)>,
    ) {
        if locals.is_empty() {
            return;
        }
        if Self::single_byte(query).is_some() {
            for d in locals {
                let n = self.count_doc(query, d);
                if n > 0 {
                    out.push((self.docs[d], n));
                }
            }
            return;
        }
        let bytes = self.doc_range(locals.start).start..self.doc_range(locals.end - 1).end;
        let mut doc = locals.start;
        let mut n = 0u32;
        self.scan(query, bytes, |seg, _| {
            if self.doc_seg[doc + 1] as usize <= seg {
                if n > 0 {
                    out.push((self.docs[doc], n));
                }
                n = 0;
                doc = self.doc_seg.partition_point(|&s| s as usize <= seg) - 1;
            }
            n += 1;
            ControlFlow::Continue(())
        });
        if n > 0 {
            out.push((self.docs[doc], n));
        }
    }

    /// Visits the matches of one local document in order, in original coordinates (a store
    /// with its map only).
    pub(crate) fn each_in_doc(
        &self,
        query: &Query,
        local: usize,
        mut on: impl FnMut(Match) -> ControlFlow<()>,
    ) {
        self.scan(query, self.doc_range(local), |seg, m| {
            on(self.to_match(local, seg, &m))
        });
    }

    /// Maps a folded match in `seg` of local document `local` to original coordinates.
    fn to_match(&self, local: usize, seg: usize, m: &Range<usize>) -> Match {
        debug_assert!(self.mapped, "positions from a store without its map");
        let map = match (self.seg_map.get(seg), self.seg_map.get(seg + 1)) {
            (Some(&a), Some(&b)) => &self.map[a as usize..b as usize],
            _ => &[],
        };
        let s = self.segs[seg];
        let (start, end) = (m.start - s, m.end - s);
        let at = seg - self.doc_seg[local] as usize;
        let doc = self.docs[local] as usize;
        let (field, block) = match (doc, at) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Body, CommentDraft, ThreadBuilder};
    use crate::search::patch::push_doc_gaps;
    use proptest::prelude::*;

    /// Pieces that fold every way there is: ASCII of both cases, precomposed and decomposed
    /// accents, a lone mark, letters outside the table, expanding and case-special
    /// characters, and characters that fold to themselves.
    const PIECES: &[&str] = &[
        "a", "Z", " ", "é", "É", "e\u{301}", "\u{301}", "Ł", "한", "Σ", "ς", "İ", "ß", "ẞ", "’",
        "中", "🦀", "K", "\u{212A}", "ǅ", "Ω", "ﬁ", "x\n\ny",
    ];

    fn text(pieces: &[usize]) -> String {
        pieces.iter().map(|&p| PIECES[p % PIECES.len()]).collect()
    }

    proptest! {
        /// A document rebuilt from its gaps is the document folded, in both case modes.
        #[test]
        fn rebuilt_from_gaps_is_folded(
            docs in prop::collection::vec(
                (prop::collection::vec(0usize..64, 0..12), prop::collection::vec(0usize..64, 0..30)),
                1..6,
            ),
        ) {
            let mut b = ThreadBuilder::new();
            b.body = Body::from_plain(&text(&docs[0].1));
            for (author, body) in &docs[1..] {
                b.push(None, CommentDraft {
                    author: Some(text(author)).filter(|a| !a.is_empty()),
                    body: Body::from_plain(&text(body)),
                    ..CommentDraft::default()
                });
            }
            let thread = b.finish();
            for lower in [false, true] {
                let (mut folded, mut rebuilt) = (Store::default(), Store::default());
                for doc in 0..docs.len() {
                    let mut gaps = Vec::new();
                    push_doc_gaps(fields(&thread, doc), &mut gaps);
                    folded.push_doc(&thread, doc, lower);
                    rebuilt.push_patched(&thread, doc, lower, &gaps);
                }
                prop_assert_eq!(&rebuilt.text, &folded.text, "lower={}", lower);
                prop_assert_eq!(&rebuilt.segs, &folded.segs);
                prop_assert_eq!(&rebuilt.doc_seg, &folded.doc_seg);
            }
        }
    }

    /// Gaps that point into the middle of a character or at an ASCII one still give the
    /// folded text.
    #[test]
    fn gaps_that_do_not_fit_fall_back_to_folding() {
        let mut b = ThreadBuilder::new();
        b.body = Body::from_plain("Çà et là, ÉTÉ");
        let thread = b.finish();
        for gaps in [&[1u8][..], &[0, 0, 0], &[0, 6], &[0, 0, 5, 0, 200]] {
            for lower in [false, true] {
                let (mut folded, mut rebuilt) = (Store::default(), Store::default());
                folded.push_doc(&thread, 0, lower);
                rebuilt.push_patched(&thread, 0, lower, gaps);
                assert_eq!(rebuilt.text, folded.text, "{gaps:?} {lower}");
            }
        }
    }
}
