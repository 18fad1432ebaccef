//! The result of a search: match counts per document, with ordinals, navigation, the filter
//! and hidden-match counts computed from them. Ranges are computed only for the documents
//! asked about.

use std::ops::ControlFlow;

use super::index::SearchIndex;
use super::query::Query;
use super::{Cursor, Hit, Match, comment_of, doc_of};
use crate::model::{CommentIdx, Thread};

/// Matches of one query in one index: counts per document, ranges on demand.
#[derive(Debug, Clone)]
pub struct Matches {
    query: Query,
    /// `(document, matches in it)` for every document with a match, ascending: the list
    /// the scan returned, kept as it is (splitting it in two lists cost a copy of it at the
    /// peak of a search).
    hits: Vec<(u32, u32)>,
    /// Ordinal of the first match of `hits[i * STRIDE]`: one running sum per stride of
    /// documents rather than per document, since a short query matches nearly every
    /// comment and the reader keeps one result per keystroke (see [`super::Searcher`]).
    sums: Vec<u64>,
    /// Number of matches in the whole thread.
    total: u64,
}

/// Documents per entry of [`Matches::sums`]: an ordinal costs at most this many additions.
const STRIDE: usize = 64;

/// How a comment shows in the filtered tree.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    /// Neither it nor anything below it matches.
    Hidden,
    /// Shown (dimmed) because a reply somewhere below it matches.
    Context,
    /// It matches itself (author or body).
    Match,
}

/// The comments to show when the tree is filtered to the matches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Filter {
    marks: Vec<Mark>,
    shown: Vec<CommentIdx>,
    matching: usize,
    article: bool,
}

impl Filter {
    /// How `idx` shows.
    pub fn mark(&self, idx: CommentIdx) -> Mark {
        self.marks.get(idx.get()).copied().unwrap_or(Mark::Hidden)
    }

    /// Every comment to show (matching or context), in pre-order.
    pub fn shown(&self) -> &[CommentIdx] {
        &self.shown
    }

    /// How many comments match themselves.
    pub fn matching_comments(&self) -> usize {
        self.matching
    }

    /// True when the article has matches.
    pub fn article_matches(&self) -> bool {
        self.article
    }
}

impl Filter {
    /// The comments for which `keep` holds, with their ancestors as context (for filters
    /// that are not a search: one author's comments, the unread ones). Linear: each
    /// ancestor walk stops at the first ancestor already marked.
    pub fn from_predicate(thread: &Thread, mut keep: impl FnMut(CommentIdx) -> bool) -> Self {
        Self::from_matches(thread, thread.indices().filter(|&i| keep(i)), false)
    }

    /// The comments `matches` names (in pre-order), with their ancestors as context; the
    /// one marking pass behind both search filters and predicate filters.
    fn from_matches(
        thread: &Thread,
        matches: impl IntoIterator<Item = CommentIdx>,
        article: bool,
    ) -> Self {
        let mut marks = vec![Mark::Hidden; thread.comments.len()];
        let mut matching = 0;
        for idx in matches {
            let Some(mark) = marks.get_mut(idx.get()) else {
                continue;
            };
            *mark = Mark::Match;
            matching += 1;
            let mut up = thread.comments[idx.get()].parent;
            while let Some(p) = up {
                if marks[p.get()] != Mark::Hidden {
                    break;
                }
                marks[p.get()] = Mark::Context;
                up = thread.comments[p.get()].parent;
            }
        }
        let shown = thread
            .indices()
            .filter(|i| marks[i.get()] != Mark::Hidden)
            .collect();
        Filter {
            marks,
            shown,
            matching,
            article,
        }
    }
}

impl Matches {
    /// Builds from per-document counts, ascending by document, all non-zero.
    pub(crate) fn from_counts(query: Query, mut hits: Vec<(u32, u32)>) -> Self {
        hits.shrink_to_fit();
        let mut sums = Vec::with_capacity(hits.len().div_ceil(STRIDE));
        let mut total = 0u64;
        for (i, &(_, n)) in hits.iter().enumerate() {
            if i % STRIDE == 0 {
                sums.push(total);
            }
            total += u64::from(n);
        }
        Self {
            query,
            hits,
            sums,
            total,
        }
    }

    /// Ordinal of the first match of `hits[i]` (`total` for `i == hits.len()`).
    fn before(&self, i: usize) -> u64 {
        if i >= self.hits.len() {
            return self.total;
        }
        let start = i / STRIDE * STRIDE;
        self.sums[i / STRIDE]
            + self.hits[start..i]
                .iter()
                .map(|&(_, n)| u64::from(n))
                .sum::<u64>()
    }

    /// Runs `query` over every document.
    #[must_use]
    pub fn fresh(index: &SearchIndex, query: Query) -> Self {
        let counts = index.count(&query, None);
        Self::from_counts(query, counts)
    }

    /// Runs `query`, reusing `self` when `query` extends it (see [`Query::is_refined_by`]):
    /// then only documents that matched `self` are searched. Same result as [`Self::fresh`].
    #[must_use]
    pub fn refine(&self, index: &SearchIndex, query: Query) -> Self {
        if self.query.same_as(&query) {
            let mut same = self.clone();
            same.query = query;
            return same;
        }
        if !self.query.is_refined_by(&query) {
            return Self::fresh(index, query);
        }
        // Every scan rebuilds each document it reads into a window, a list of candidates as
        // much as the whole thread, so searching only the candidates never costs more. (With
        // the folded copy of old, one pass over all of it beat many small scans once the
        // candidates were most of the text.)
        let counts = index.count(&query, Some(&self.hits));
        Self::from_counts(query, counts)
    }

    /// The query these are the matches of.
    pub fn query(&self) -> &Query {
        &self.query
    }

    /// Number of matches in the whole thread.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// True when nothing matched.
    pub fn is_empty(&self) -> bool {
        self.total() == 0
    }

    /// Number of documents with a match.
    pub fn docs_matched(&self) -> usize {
        self.hits.len()
    }

    /// `(doc, count)` for every document with a match, in reading order.
    pub fn per_doc(&self) -> impl ExactSizeIterator<Item = (usize, u32)> + '_ {
        self.hits.iter().map(|&(d, n)| (d as usize, n))
    }

    fn slot(&self, doc: usize) -> Result<usize, usize> {
        self.hits.binary_search_by_key(&(doc as u32), |h| h.0)
    }

    /// Matches in one document (0 for the article, see [`doc_of`]).
    pub fn count_in_doc(&self, doc: usize) -> u32 {
        self.slot(doc).map_or(0, |i| self.hits[i].1)
    }

    /// Matches in one comment (author and body).
    pub fn count_in_comment(&self, idx: CommentIdx) -> u32 {
        self.count_in_doc(doc_of(idx))
    }

    /// The global 0-based ordinal of the `nth` match of `doc`, for "current/total".
    pub fn ordinal(&self, doc: usize, nth: u32) -> Option<u64> {
        let i = self.slot(doc).ok()?;
        (nth < self.hits[i].1).then(|| self.before(i) + u64::from(nth))
    }

    /// `(doc, nth)` of the match with global ordinal `ordinal`.
    pub fn locate(&self, ordinal: u64) -> Option<(usize, u32)> {
        if ordinal >= self.total() {
            return None;
        }
        let block = self.sums.partition_point(|&b| b <= ordinal) - 1;
        let mut first = self.sums[block];
        for i in block * STRIDE..self.hits.len() {
            let next = first + u64::from(self.hits[i].1);
            if ordinal < next {
                return Some((self.hits[i].0 as usize, (ordinal - first) as u32));
            }
            first = next;
        }
        None
    }

    /// Every match of one document with its original ranges, in reading order (author first).
    pub fn in_doc(&self, index: &SearchIndex, doc: usize) -> Vec<Match> {
        let count = self.count_in_doc(doc);
        let mut out = Vec::with_capacity(count as usize);
        if count == 0 {
            return out;
        }
        index.each_in_doc(&self.query, doc, |m| {
            out.push(m);
            ControlFlow::Continue(())
        });
        out
    }

    /// The `nth` match of `doc`, scanning only that document up to it.
    pub fn nth_in_doc(&self, index: &SearchIndex, doc: usize, nth: u32) -> Option<Match> {
        if nth >= self.count_in_doc(doc) {
            return None;
        }
        let mut seen = 0;
        let mut found = None;
        index.each_in_doc(&self.query, doc, |m| {
            if seen == nth {
                found = Some(m);
                return ControlFlow::Break(());
            }
            seen += 1;
            ControlFlow::Continue(())
        });
        found
    }

    /// The match with global ordinal `ordinal`.
    pub fn hit(&self, index: &SearchIndex, ordinal: u64) -> Option<Hit> {
        let (doc, nth) = self.locate(ordinal)?;
        let m = self.nth_in_doc(index, doc, nth)?;
        Some(Hit {
            ordinal,
            nth,
            m,
            wrapped: false,
        })
    }

    /// The first match after `from` in reading order, wrapping to the first match of the
    /// thread (with `wrapped` set) when there is none after it.
    pub fn next(&self, index: &SearchIndex, from: Cursor) -> Option<Hit> {
        if self.is_empty() {
            return None;
        }
        let first_doc = match from {
            Cursor::Doc(doc) => self.hits.partition_point(|&(d, _)| (d as usize) < doc),
            Cursor::At(doc, loc) => {
                if let Ok(i) = self.slot(doc) {
                    let mut nth = 0u32;
                    let mut found = None;
                    index.each_in_doc(&self.query, doc, |m| {
                        if m.loc() > loc {
                            found = Some(m);
                            return ControlFlow::Break(());
                        }
                        nth += 1;
                        ControlFlow::Continue(())
                    });
                    if let Some(m) = found {
                        return Some(Hit {
                            ordinal: self.before(i) + u64::from(nth),
                            nth,
                            m,
                            wrapped: false,
                        });
                    }
                }
                self.hits.partition_point(|&(d, _)| d as usize <= doc)
            }
        };
        match self.hits.get(first_doc) {
            Some(_) => self.hit(index, self.before(first_doc)),
            None => self.hit(index, 0).map(|h| Hit { wrapped: true, ..h }),
        }
    }

    /// The last match before `from` in reading order, wrapping to the last match of the
    /// thread (with `wrapped` set) when there is none before it.
    pub fn prev(&self, index: &SearchIndex, from: Cursor) -> Option<Hit> {
        if self.is_empty() {
            return None;
        }
        let doc = match from {
            Cursor::Doc(doc) => doc,
            Cursor::At(doc, loc) => {
                if let Ok(i) = self.slot(doc) {
                    let mut nth = 0u32;
                    let mut found = None;
                    index.each_in_doc(&self.query, doc, |m| {
                        if m.loc() >= loc {
                            return ControlFlow::Break(());
                        }
                        found = Some((nth, m));
                        nth += 1;
                        ControlFlow::Continue(())
                    });
                    if let Some((nth, m)) = found {
                        return Some(Hit {
                            ordinal: self.before(i) + u64::from(nth),
                            nth,
                            m,
                            wrapped: false,
                        });
                    }
                }
                doc
            }
        };
        let earlier = self.hits.partition_point(|&(d, _)| (d as usize) < doc);
        match earlier.checked_sub(1) {
            Some(i) => self.hit(index, self.before(i + 1) - 1),
            None => self
                .hit(index, self.total() - 1)
                .map(|h| Hit { wrapped: true, ..h }),
        }
    }

    /// Matches inside the replies below `idx` (all levels, not `idx` itself): what a folded
    /// tree line hides. O(log n).
    pub fn hidden_below(&self, thread: &Thread, idx: CommentIdx) -> u64 {
        let Some(c) = thread.comments.get(idx.get()) else {
            return 0;
        };
        let lo = self
            .hits
            .partition_point(|&(d, _)| (d as usize) < doc_of(idx) + 1);
        let hi = self
            .hits
            .partition_point(|&(d, _)| (d as usize) < doc_of(c.subtree_end));
        self.before(hi) - self.before(lo)
    }

    /// The filtered tree: matching comments and their ancestors (as context). No recursion:
    /// matches are visited in pre-order and each walks up only until a marked ancestor.
    pub fn filter(&self, thread: &Thread) -> Filter {
        Filter::from_matches(
            thread,
            self.hits
                .iter()
                .filter_map(|&(doc, _)| comment_of(doc as usize)),
            self.hits.first().is_some_and(|h| h.0 == 0),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The strided running sums give every ordinal a plain prefix sum gives, across many
    /// strides and at their edges.
    #[test]
    fn ordinals_match_a_plain_prefix_sum() {
        let counts: Vec<(u32, u32)> = (0..1_000u32).map(|i| (2 * i + 1, i * 7 % 5 + 1)).collect();
        let query = Query::new("x", false).unwrap().unwrap();
        let m = Matches::from_counts(query, counts.clone());
        let mut ordinal = 0u64;
        for (i, &(doc, n)) in counts.iter().enumerate() {
            assert_eq!(m.before(i), ordinal, "doc slot {i}");
            for nth in 0..n {
                assert_eq!(m.ordinal(doc as usize, nth), Some(ordinal));
                assert_eq!(m.locate(ordinal), Some((doc as usize, nth)));
                ordinal += 1;
            }
            assert_eq!(m.ordinal(doc as usize, n), None);
        }
        assert_eq!(m.total(), ordinal);
        assert_eq!(m.before(counts.len()), ordinal);
        assert_eq!(m.locate(ordinal), None);
    }
}
