//! Searching a thread: pure, no IO, no ratatui. The UI owns the prompt, highlighting, `n`/`N`
//! and the filter; this module answers its questions fast enough for live search on a
//! 100,000-comment thread.
//!
//! # What is searched
//! Document 0 is the article body; document `i + 1` is comment `i` of the arena, so document
//! order is reading order (pre-order) with everything unfolded ([`doc_of`], [`comment_of`]).
//! A comment's fields are its author name, then its body blocks in order. A match never
//! crosses a field or a block. Matches are reported as a [`Match`]: document, [`Field`],
//! block index (0 for the author) and the byte range in that block's **original** text.
//!
//! # Matching rules
//! - Smart case: a query without capitals ignores case; any capital makes it case-sensitive.
//! - Accents fold on both sides (NFD, combining marks dropped): `maria` finds `María`,
//!   `accion` finds `Acción`, `María` finds `Maria` but not `maria`.
//! - Regex mode compiles the (accent-folded) pattern with the `regex` crate against the
//!   folded text. Smart case applies to the pattern's literal characters, not to escapes
//!   (`\W`); a case class (`\p{Lu}`, `[[:upper:]]`) makes the search case-sensitive. `^`/`$` match at line breaks and at the start/end of each block.
//!   Empty matches are not reported. A bad pattern is a [`QueryError`] with a one-line
//!   message.
//! - An empty query is no search ([`Query::new`] returns `Ok(None)`).
//!
//! # Using it from the UI
//! ```
//! use threadr::model::{Body, CommentDraft, ThreadBuilder};
//! use threadr::search::{Cursor, Searcher};
//!
//! let mut b = ThreadBuilder::new();
//! b.body = Body::from_plain("La acción de hoy.");
//! b.push(None, CommentDraft { author: Some("María".into()), ..CommentDraft::default() });
//! let thread = b.finish();
//!
//! let mut search = Searcher::new(&thread); // folds the text once
//! // Each keystroke: refines the previous result when the query only grew.
//! let matches = search.search("ma", false).unwrap().unwrap();
//! let matches = search.search("mar", false).unwrap().unwrap();
//! assert_eq!(matches.total(), 1);
//! // n from the top of the article; `hit.ordinal + 1` / `total()` is the "3/17" display.
//! let hit = matches.next(search.index(), Cursor::Doc(0)).unwrap();
//! assert_eq!((hit.m.doc, hit.ordinal, hit.wrapped), (1, 0, false));
//! // Highlight what is on screen, line by line, with the same rules:
//! assert_eq!(matches.query().highlight_line("Marías"), vec![0..3]);
//! ```
//! - Counting is per document ([`Matches::count_in_doc`], [`Matches::total`]); ranges are
//!   computed only when asked ([`Matches::in_doc`], [`Matches::nth_in_doc`]), so a
//!   one-letter query with millions of matches stays cheap.
//! - "current/total": [`Matches::ordinal`] maps `(doc, nth)` to a global ordinal and
//!   [`Matches::locate`] / [`Matches::hit`] map back, in O(log n).
//! - `n`/`N`: [`Matches::next`] / [`Matches::prev`] from a [`Cursor`] (the top of a
//!   document, or a position in it), wrapping with [`Hit::wrapped`] set. Unfolding the
//!   ancestors of the hit is the UI's job.
//! - Filter: [`Matches::filter`] gives each comment a [`Mark`] (matching, context-only
//!   ancestor, hidden) and the shown comments in pre-order. [`Matches::hidden_below`] is the
//!   number of matches a folded comment hides.
//! - Prepare with [`Searcher::new`] (or [`SearchIndex::new`]) on load or on the first `/`;
//!   the app uses [`SearchIndex::build`], a background job. The index keeps no folded copy
//!   of the text, only where the characters that fold to something else are (a byte or so
//!   per accent, both case modes at once): a scan rebuilds the folded text a window at a
//!   time, and a document's match positions are found by folding it again.

mod fold;
mod index;
mod matches;
mod patch;
mod query;
mod store;

use std::ops::Range;
use std::sync::Arc;

pub use index::SearchIndex;
pub use matches::{Filter, Mark, Matches};
pub use query::{Query, QueryError};

use crate::model::{CommentIdx, Thread};

/// Folds text the way the search does: accents dropped (NFD without combining marks) and,
/// when `ignore_case`, lowercased.
pub fn fold(text: &str, ignore_case: bool) -> String {
    fold::fold(text, ignore_case)
}

/// Document number of the article.
pub const ARTICLE: usize = 0;

/// Document number of a comment.
pub fn doc_of(idx: CommentIdx) -> usize {
    idx.get() + 1
}

/// The comment a document is, `None` for the article.
pub fn comment_of(doc: usize) -> Option<CommentIdx> {
    doc.checked_sub(1)
        .map(|i| CommentIdx(u32::try_from(i).unwrap_or(u32::MAX)))
}

/// Which part of a document a match is in. Authors come before bodies in reading order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    /// The comment's author name.
    Author,
    /// A block of the body ([`Match::block`] says which).
    Body,
}

/// A position inside a document, ordered in reading order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Loc {
    /// Author or body.
    pub field: Field,
    /// Block index in the body (0 for the author).
    pub block: usize,
    /// Byte offset in that block's original text.
    pub offset: usize,
}

/// One match, in original coordinates.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Match {
    /// 0 for the article, `i + 1` for comment `i`.
    pub doc: usize,
    /// Author or body.
    pub field: Field,
    /// Block index in the body (0 for the author).
    pub block: usize,
    /// Byte range in the original text of that field (the author, or the block's `text`).
    pub range: Range<usize>,
}

impl Match {
    /// Where the match starts.
    pub fn loc(&self) -> Loc {
        Loc {
            field: self.field,
            block: self.block,
            offset: self.range.start,
        }
    }
}

/// Where `n`/`N` start from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cursor {
    /// The top of a document: `next` may return its first match, `prev` goes before it.
    Doc(usize),
    /// A position in a document (usually the current match): strictly after/before it.
    At(usize, Loc),
}

/// A match found by navigation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    /// Global 0-based ordinal (show `ordinal + 1` of `total`).
    pub ordinal: u64,
    /// Index of the match within its document.
    pub nth: u32,
    /// The match itself.
    pub m: Match,
    /// True when the search went past the end (or start) and came round.
    pub wrapped: bool,
}

/// Past results kept for backspacing through a query (each is a few bytes per matching doc).
const TRAIL: usize = 64;

/// Matching documents the kept results may list together, per document of the thread: the
/// first letters of a query match nearly every comment, and keeping each such result costs
/// 8 bytes a comment (a sixth of the peak after a search on 100,000 comments was five of
/// them). Past this the oldest go: backspacing to one runs it again (a fresh query).
const TRAIL_DOCS_PER_DOC: usize = 2;

/// The live-search driver: the index plus the results of the query as it was typed, so
/// each keystroke refines the last result and backspace reuses an earlier one.
#[derive(Debug)]
pub struct Searcher {
    index: SearchIndex,
    trail: Vec<Arc<Matches>>,
}

impl Searcher {
    /// Prepares the thread for searching (see [`SearchIndex::new`]).
    pub fn new(thread: &Thread) -> Self {
        Self::with_index(SearchIndex::new(thread))
    }

    /// Wraps an index built earlier.
    pub fn with_index(index: SearchIndex) -> Self {
        Self {
            index,
            trail: Vec::new(),
        }
    }

    /// The index, for [`Matches`] methods that read text.
    pub fn index(&self) -> &SearchIndex {
        &self.index
    }

    /// Searches for `text` as typed (`regex`: the prompt's toggle). `Ok(None)` when the
    /// query is empty. Results of earlier keystrokes are reused when `text` extends them.
    pub fn search(&mut self, text: &str, regex: bool) -> Result<Option<Arc<Matches>>, QueryError> {
        let Some(query) = Query::new(text, regex)? else {
            return Ok(None);
        };
        // Keep only the results this query refines (the path typed so far).
        while let Some(last) = self.trail.last() {
            if last.query().same_as(&query) {
                if last.query().text() != query.text() {
                    // Same matches (`maria` after `maría`), but report the text as typed.
                    let same = Arc::new(last.refine(&self.index, query));
                    if let Some(slot) = self.trail.last_mut() {
                        *slot = Arc::clone(&same);
                    }
                    return Ok(Some(same));
                }
                return Ok(Some(Arc::clone(last)));
            }
            if last.query().is_refined_by(&query) {
                break;
            }
            self.trail.pop();
        }
        let result = Arc::new(match self.trail.last() {
            Some(prev) => prev.refine(&self.index, query),
            None => Matches::fresh(&self.index, query),
        });
        if self.trail.len() == TRAIL {
            self.trail.remove(0);
        }
        self.trail.push(Arc::clone(&result));
        let budget = TRAIL_DOCS_PER_DOC * self.index.docs();
        let mut kept: usize = self.trail.iter().map(|m| m.docs_matched()).sum();
        let mut drop = 0;
        while kept > budget && drop + 1 < self.trail.len() {
            kept -= self.trail[drop].docs_matched();
            drop += 1;
        }
        self.trail.drain(..drop);
        Ok(Some(result))
    }

    /// Matching documents listed by the kept results (see [`TRAIL_DOCS_PER_DOC`]).
    #[cfg(test)]
    fn kept_docs(&self) -> usize {
        self.trail.iter().map(|m| m.docs_matched()).sum()
    }

    /// Forgets earlier results (e.g. when the prompt closes).
    pub fn clear(&mut self) {
        self.trail.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Body, CommentDraft, ThreadBuilder};

    /// Every comment matches every prefix of the query, so each keystroke's result lists
    /// the whole thread: the kept results stay within their budget, and backspacing past
    /// the ones let go finds what a fresh search finds.
    #[test]
    fn kept_results_stay_within_budget_and_backspace_still_agrees() {
        let mut b = ThreadBuilder::new();
        for i in 0..40 {
            let text = format!("comment {i}: abcdefgh");
            b.push(
                None,
                CommentDraft {
                    body: Body::from_plain(&text),
                    ..CommentDraft::default()
                },
            );
        }
        let mut searcher = Searcher::new(&b.finish());
        let budget = TRAIL_DOCS_PER_DOC * searcher.index().docs();
        let query = "abcdefgh";
        for end in 1..=query.len() {
            let got = searcher.search(&query[..end], false).unwrap().unwrap();
            assert_eq!(got.docs_matched(), 40);
            assert!(
                searcher.kept_docs() <= budget,
                "{} kept",
                searcher.kept_docs()
            );
        }
        // Back to `ab`: a result no longer kept, found again.
        let fresh = Matches::fresh(searcher.index(), Query::new("ab", false).unwrap().unwrap());
        let again = searcher.search("ab", false).unwrap().unwrap();
        assert_eq!(
            again.per_doc().collect::<Vec<_>>(),
            fresh.per_doc().collect::<Vec<_>>()
        );
        assert_eq!(again.total(), fresh.total());
        // Within the budget, backspace reuses the kept result itself.
        assert_eq!(searcher.search("abc", false).unwrap().unwrap().total(), 40);
        let back = searcher.search("ab", false).unwrap().unwrap();
        assert!(Arc::ptr_eq(&again, &back));
    }
}
