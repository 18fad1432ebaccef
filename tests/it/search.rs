//! Search engine: matching rules, counting, ordinals, navigation, filter, incremental search.

use proptest::prelude::*;
use threadr::model::{Block, Body, CommentDraft, CommentIdx, Thread, ThreadBuilder};
use threadr::search::{
    Cursor, Field, Loc, Mark, Match, Matches, Query, QueryError, SearchIndex, Searcher, doc_of,
    fold,
};

fn draft(author: &str, text: &str) -> CommentDraft {
    CommentDraft {
        author: (!author.is_empty()).then(|| author.to_owned()),
        body: Body::from_plain(text),
        ..CommentDraft::default()
    }
}

/// Article, then:
/// 0 Ana        "Hablemos de la democracia."
///   1 María    "La democracia es acción."
///     2 Pedro  "No estoy de acuerdo.\n\nSegunda línea: DEMOCRACIA"
/// 3 Luis       "Nada que ver."
///   4 Eva      "maria dijo algo"
fn sample() -> Thread {
    let mut b = ThreadBuilder::new();
    b.body = Body::from_plain("Un artículo sobre la Acción.\n\nY la democracia.");
    let c0 = b.push(None, draft("Ana", "Hablemos de la democracia."));
    let c1 = b.push(Some(c0), draft("María", "La democracia es acción."));
    b.push(
        Some(c1),
        draft("Pedro", "No estoy de acuerdo.\n\nSegunda línea: DEMOCRACIA"),
    );
    let c3 = b.push(None, draft("Luis", "Nada que ver."));
    b.push(Some(c3), draft("Eva", "maria dijo algo"));
    b.finish()
}

fn run(thread: &Thread, text: &str, regex: bool) -> Matches {
    let index = SearchIndex::new(thread);
    Matches::fresh(&index, Query::new(text, regex).unwrap().unwrap())
}

/// Every match as (doc, field, block, matched original text).
fn all(thread: &Thread, text: &str, regex: bool) -> Vec<(usize, Field, usize, String)> {
    let index = SearchIndex::new(thread);
    let m = Matches::fresh(&index, Query::new(text, regex).unwrap().unwrap());
    let mut out = Vec::new();
    for doc in 0..=thread.len() {
        for hit in m.in_doc(&index, doc) {
            out.push((hit.doc, hit.field, hit.block, field_text(thread, &hit)));
        }
    }
    out
}

fn field_text(thread: &Thread, m: &Match) -> String {
    let text = match (m.doc, m.field) {
        (0, _) => thread.body.blocks[m.block].text.as_str(),
        (d, Field::Author) => thread.comments[d - 1].author.as_deref().unwrap(),
        (d, Field::Body) => thread.comments[d - 1].body.blocks[m.block].text.as_str(),
    };
    text[m.range.clone()].to_owned()
}

#[test]
fn lowercase_query_ignores_case_and_accents() {
    let t = sample();
    let got = all(&t, "accion", false);
    assert_eq!(
        got,
        [
            (0, Field::Body, 0, "Acción".to_owned()),
            (2, Field::Body, 0, "acción".to_owned()),
        ]
    );
    let got = all(&t, "maria", false);
    assert_eq!(
        got,
        [
            (2, Field::Author, 0, "María".to_owned()),
            (5, Field::Body, 0, "maria".to_owned()),
        ]
    );
}

#[test]
fn capital_makes_it_case_sensitive_and_accents_still_fold() {
    let t = sample();
    assert_eq!(
        all(&t, "María", false),
        [(2, Field::Author, 0, "María".to_owned())]
    );
    // Accented query finds unaccented text; case still counts.
    assert_eq!(
        all(&t, "DEMOCRACÍA", false),
        [(3, Field::Body, 1, "DEMOCRACIA".to_owned())]
    );
    assert_eq!(run(&t, "democracia", false).total(), 4);
    assert_eq!(run(&t, "Democracia", false).total(), 0);
    assert_eq!(all(&t, "acción", false).len(), 2);
}

#[test]
fn decomposed_text_is_found_and_highlighted_whole() {
    let mut b = ThreadBuilder::new();
    b.push(None, draft("", "Mari\u{301}a y Jose\u{301}"));
    let t = b.finish();
    assert_eq!(
        all(&t, "maría", false),
        [(1, Field::Body, 0, "Mari\u{301}a".to_owned())]
    );
    assert_eq!(
        all(&t, "jose", false),
        [(1, Field::Body, 0, "Jose\u{301}".to_owned())]
    );
}

#[test]
fn authors_are_searched_and_come_first_in_a_comment() {
    let mut b = ThreadBuilder::new();
    b.push(None, draft("Eva", "eva wrote this, says eva"));
    let t = b.finish();
    let got = all(&t, "eva", false);
    assert_eq!(got.len(), 3);
    assert_eq!(got[0].1, Field::Author);
    assert!(got[1..].iter().all(|g| g.1 == Field::Body));
}

#[test]
fn matches_never_cross_blocks_or_fields() {
    let mut b = ThreadBuilder::new();
    let mut body = Body::default();
    body.blocks.push(Block::paragraph("ends with ab"));
    body.blocks.push(Block::paragraph("cd starts"));
    b.push(
        None,
        CommentDraft {
            author: Some("xy".into()),
            body,
            ..CommentDraft::default()
        },
    );
    let t = b.finish();
    assert_eq!(run(&t, "ab\ncd", false).total(), 0);
    assert_eq!(run(&t, r"ab\s+cd", true).total(), 0);
    assert_eq!(run(&t, r"y\s*e", true).total(), 0);
    // A newline inside one block does match.
    let mut b = ThreadBuilder::new();
    b.push(None, draft("", "one\ntwo"));
    let t = b.finish();
    assert_eq!(all(&t, "e\nt", false)[0].3, "e\nt");
}

#[test]
fn regex_mode_rules() {
    let t = sample();
    // Smart case on literals; escapes do not count as capitals.
    let got = all(&t, r"demo\w+", true);
    assert_eq!(got.len(), 4);
    assert_eq!(run(&t, r"DEMO\w+", true).total(), 1);
    // Accents fold in the pattern and the text.
    assert_eq!(all(&t, r"acci[oó]n\b", true).len(), 2);
    let docs: Vec<usize> = all(&t, r"^maria", true).iter().map(|g| g.0).collect();
    assert_eq!(docs, [2, 5]);
    // ^ and $ work per block and per line.
    assert_eq!(all(&t, r"^segunda", true)[0].2, 1);
    assert_eq!(all(&t, r"acuerdo\.$", true).len(), 1);
    // Authors too.
    assert_eq!(
        all(&t, r"^p\w+o$", true),
        [(3, Field::Author, 0, "Pedro".to_owned())]
    );
    // Empty matches are not reported.
    assert_eq!(run(&t, "x*", true).total(), 0);
}

#[test]
fn invalid_regex_is_a_short_error() {
    for bad in ["(", "[z-a]", "a{2,1}", r"\", "(?P<", "a{100000000}"] {
        let err = Query::new(bad, true).unwrap_err();
        let QueryError::Regex(msg) = &err;
        assert!(!msg.is_empty() && !msg.contains('\n'), "{bad}: {msg}");
        assert!(err.to_string().starts_with("invalid regex"));
    }
    // The same text as a literal is fine.
    assert!(Query::new("(", false).unwrap().is_some());
}

#[test]
fn empty_query_is_no_search() {
    let t = sample();
    let mut s = Searcher::new(&t);
    assert!(s.search("", false).unwrap().is_none());
    assert!(s.search("", true).unwrap().is_none());
    assert!(s.search("\u{301}", false).unwrap().is_none());
}

#[test]
fn counting_per_doc_and_one_letter_queries() {
    let t = sample();
    let index = SearchIndex::new(&t);
    let m = Matches::fresh(&index, Query::new("democracia", false).unwrap().unwrap());
    assert_eq!(m.total(), 4);
    assert_eq!(m.docs_matched(), 4);
    assert_eq!(
        m.per_doc().collect::<Vec<_>>(),
        [(0, 1), (1, 1), (2, 1), (3, 1)]
    );
    assert_eq!(m.count_in_comment(CommentIdx(3)), 0);
    // The one-byte fast path counts what the scan materialises.
    for q in ["a", "e", "o", "A", "á", "ñ"] {
        let m = Matches::fresh(&index, Query::new(q, false).unwrap().unwrap());
        let mut sum = 0u64;
        for doc in 0..index.docs() {
            let found = m.in_doc(&index, doc).len() as u32;
            assert_eq!(found, m.count_in_doc(doc), "{q} doc {doc}");
            sum += u64::from(found);
        }
        assert_eq!(sum, m.total());
    }
    // "Un artículo sobre la Acción. Y la democracia."
    assert_eq!(run(&t, "a", false).per_doc().next(), Some((0, 6)));
}

#[test]
fn ordinals_map_both_ways() {
    let t = sample();
    let index = SearchIndex::new(&t);
    let m = Matches::fresh(&index, Query::new("a", false).unwrap().unwrap());
    let mut expected = 0u64;
    for (doc, count) in m.per_doc() {
        for nth in 0..count {
            assert_eq!(m.ordinal(doc, nth), Some(expected));
            assert_eq!(m.locate(expected), Some((doc, nth)));
            let hit = m.hit(&index, expected).unwrap();
            assert_eq!((hit.m.doc, hit.nth), (doc, nth));
            expected += 1;
        }
        assert_eq!(m.ordinal(doc, count), None);
    }
    assert_eq!(expected, m.total());
    assert_eq!(m.locate(m.total()), None);
    assert_eq!(m.ordinal(99, 0), None);
}

#[test]
fn next_and_prev_follow_reading_order_and_wrap() {
    let t = sample();
    let index = SearchIndex::new(&t);
    let m = Matches::fresh(&index, Query::new("democracia", false).unwrap().unwrap());
    let mut at = Cursor::Doc(0);
    let mut seen = Vec::new();
    for _ in 0..5 {
        let hit = m.next(&index, at).unwrap();
        seen.push((hit.ordinal, hit.m.doc, hit.wrapped));
        at = Cursor::At(hit.m.doc, hit.m.loc());
    }
    assert_eq!(
        seen,
        [
            (0, 0, false),
            (1, 1, false),
            (2, 2, false),
            (3, 3, false),
            (0, 0, true)
        ]
    );
    // Backwards from the first match wraps to the last.
    let first = m.hit(&index, 0).unwrap();
    let hit = m.prev(&index, Cursor::At(0, first.m.loc())).unwrap();
    assert_eq!((hit.ordinal, hit.m.doc, hit.wrapped), (3, 3, true));
    let hit = m.prev(&index, Cursor::At(3, hit.m.loc())).unwrap();
    assert_eq!((hit.ordinal, hit.wrapped), (2, false));
    // From the top of a comment without matches.
    let hit = m.next(&index, Cursor::Doc(4)).unwrap();
    assert_eq!((hit.ordinal, hit.wrapped), (0, true));
    let hit = m.prev(&index, Cursor::Doc(5)).unwrap();
    assert_eq!((hit.ordinal, hit.m.doc, hit.wrapped), (3, 3, false));
    let hit = m.prev(&index, Cursor::Doc(0)).unwrap();
    assert!(hit.wrapped);
}

#[test]
fn next_within_one_document_steps_over_each_match() {
    let mut b = ThreadBuilder::new();
    b.push(None, draft("ana", "ana y ana\n\nana"));
    let t = b.finish();
    let index = SearchIndex::new(&t);
    let m = Matches::fresh(&index, Query::new("ana", false).unwrap().unwrap());
    assert_eq!(m.total(), 4);
    let mut at = Cursor::Doc(1);
    let mut locs = Vec::new();
    for _ in 0..4 {
        let hit = m.next(&index, at).unwrap();
        assert!(!hit.wrapped);
        locs.push(hit.m.loc());
        at = Cursor::At(1, hit.m.loc());
    }
    let loc = |field, block, offset| Loc {
        field,
        block,
        offset,
    };
    assert_eq!(
        locs,
        [
            loc(Field::Author, 0, 0),
            loc(Field::Body, 0, 0),
            loc(Field::Body, 0, 6),
            loc(Field::Body, 1, 0)
        ]
    );
    // Backwards from the last visits them in reverse.
    let mut back = Vec::new();
    let mut at = Cursor::At(1, locs[3]);
    for _ in 0..3 {
        let hit = m.prev(&index, at).unwrap();
        back.push(hit.m.loc());
        at = Cursor::At(1, hit.m.loc());
    }
    assert_eq!(back, [locs[2], locs[1], locs[0]]);
    // A position between matches (not on one).
    let hit = m
        .next(&index, Cursor::At(1, loc(Field::Body, 0, 2)))
        .unwrap();
    assert_eq!(hit.m.loc(), locs[2]);
    assert_eq!(hit.ordinal, 2);
}

#[test]
fn filter_shows_matches_with_their_ancestors_as_context() {
    let t = sample();
    let m = run(&t, "acuerdo", false);
    let f = m.filter(&t);
    assert_eq!(f.shown(), [CommentIdx(0), CommentIdx(1), CommentIdx(2)]);
    assert_eq!(f.mark(CommentIdx(0)), Mark::Context);
    assert_eq!(f.mark(CommentIdx(1)), Mark::Context);
    assert_eq!(f.mark(CommentIdx(2)), Mark::Match);
    assert_eq!(f.mark(CommentIdx(3)), Mark::Hidden);
    assert_eq!(f.matching_comments(), 1);
    assert!(!f.article_matches());

    let f = run(&t, "maria", false).filter(&t);
    assert_eq!(
        f.shown(),
        [CommentIdx(0), CommentIdx(1), CommentIdx(3), CommentIdx(4)]
    );
    assert_eq!(f.mark(CommentIdx(1)), Mark::Match);
    assert_eq!(f.mark(CommentIdx(3)), Mark::Context);
    // A matching ancestor stays a match, not context.
    let f = run(&t, "democracia", false).filter(&t);
    assert_eq!(f.mark(CommentIdx(0)), Mark::Match);
    assert!(f.article_matches());
}

#[test]
fn hidden_below_counts_matches_in_the_subtree_only() {
    let t = sample();
    let m = run(&t, "a", false);
    let own: Vec<u64> = (0..5)
        .map(|i| u64::from(m.count_in_comment(CommentIdx(i))))
        .collect();
    assert_eq!(m.hidden_below(&t, CommentIdx(0)), own[1] + own[2]);
    assert_eq!(m.hidden_below(&t, CommentIdx(1)), own[2]);
    assert_eq!(m.hidden_below(&t, CommentIdx(2)), 0);
    assert_eq!(m.hidden_below(&t, CommentIdx(3)), own[4]);
    assert_eq!(m.hidden_below(&t, CommentIdx(99)), 0);
}

#[test]
fn deep_chain_needs_no_recursion() {
    let depth = 100_000;
    let mut b = ThreadBuilder::new();
    let mut parent = None;
    for i in 0..depth {
        let text = if i == depth - 1 { "needle" } else { "hay" };
        parent = Some(b.push(parent, draft("", text)));
    }
    let t = b.finish();
    let mut s = Searcher::new(&t);
    let m = s.search("needle", false).unwrap().unwrap();
    let f = m.filter(&t);
    assert_eq!(f.shown().len(), depth);
    assert_eq!(f.mark(CommentIdx(0)), Mark::Context);
    assert_eq!(f.mark(CommentIdx(depth as u32 - 1)), Mark::Match);
    assert_eq!(m.hidden_below(&t, CommentIdx(0)), 1);
    let hit = m.next(s.index(), Cursor::Doc(0)).unwrap();
    assert_eq!(hit.m.doc, doc_of(CommentIdx(depth as u32 - 1)));
}

#[test]
fn searcher_refines_and_backspaces() {
    let t = sample();
    let mut s = Searcher::new(&t);
    let index = SearchIndex::new(&t);
    for q in [
        "d",
        "de",
        "dem",
        "demo",
        "dem",
        "de",
        "d",
        "dx",
        "d",
        "democracia",
        "D",
    ] {
        let live = s.search(q, false).unwrap().unwrap();
        let fresh = Matches::fresh(&index, Query::new(q, false).unwrap().unwrap());
        assert_eq!(
            live.per_doc().collect::<Vec<_>>(),
            fresh.per_doc().collect::<Vec<_>>(),
            "{q}"
        );
        assert_eq!(live.query().text(), q);
    }
    // An equivalent query reuses the matches but reports the new text.
    let before = s.search("maria", false).unwrap().unwrap();
    let after = s.search("maría", false).unwrap().unwrap();
    assert_eq!(after.query().text(), "maría");
    assert_eq!(before.total(), after.total());
    // Switching to regex and back.
    assert_eq!(s.search("dem.", true).unwrap().unwrap().total(), 4);
    assert!(s.search("dem(", true).is_err());
    assert_eq!(s.search("dem", false).unwrap().unwrap().total(), 4);
}

#[test]
fn highlight_line_uses_the_same_rules() {
    let q = Query::new("maria", false).unwrap().unwrap();
    let line = "MARÍA, maria y Mari\u{301}a";
    let got: Vec<&str> = q
        .highlight_line(line)
        .into_iter()
        .map(|r| &line[r])
        .collect();
    assert_eq!(got, ["MARÍA", "maria", "Mari\u{301}a"]);
    let q = Query::new("María", false).unwrap().unwrap();
    let got: Vec<&str> = q
        .highlight_line(line)
        .into_iter()
        .map(|r| &line[r])
        .collect();
    assert_eq!(got, ["Mari\u{301}a"]);
    // A sanitised line with visible control markers is just text.
    assert_eq!(
        Query::new("2j", false)
            .unwrap()
            .unwrap()
            .highlight_line("␛[2J"),
        vec![4..6]
    );
}

#[test]
fn hostile_text_does_not_break_ranges() {
    let mut b = ThreadBuilder::new();
    let marks = "\u{301}".repeat(5000);
    b.push(
        None,
        draft(
            "\u{202e}evil\x1b[2J",
            &format!("a{marks}b \0 \u{200b}x\u{feff}y ﬁne 한국"),
        ),
    );
    let t = b.finish();
    let index = SearchIndex::new(&t);
    for (q, regex) in [
        ("ab", false),
        ("evil", false),
        ("x", false),
        ("\0", false),
        (".", true),
        (r"\W+", true),
        ("(?s).+", true),
        ("(?-u:.)", true),
    ] {
        let Ok(Some(query)) = Query::new(q, regex) else {
            continue;
        };
        let m = Matches::fresh(&index, query);
        for hit in m.in_doc(&index, 1) {
            // Slicing panics if a range is off a char boundary.
            let _ = field_text(&t, &hit);
        }
    }
    assert_eq!(all(&t, "ab", false)[0].3, format!("a{marks}b"));
}

// ---- properties ----------------------------------------------------------------------

const ALPHABET: &[char] = &['a', 'A', 'e', 'é', 'É', 'n', 'ñ', ' ', '\u{301}', 'x', '\n'];

fn text_strategy(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(ALPHABET), 0..max)
        .prop_map(|cs| cs.into_iter().collect())
}

fn thread_strategy() -> impl Strategy<Value = Thread> {
    let comment = (
        any::<prop::sample::Index>(),
        text_strategy(4),
        prop::collection::vec(text_strategy(12), 0..3),
    );
    (
        prop::collection::vec(text_strategy(12), 0..3),
        prop::collection::vec(comment, 0..12),
    )
        .prop_map(|(article, comments)| {
            let mut b = ThreadBuilder::new();
            b.body.blocks = article.into_iter().map(Block::paragraph).collect();
            for (i, (parent, author, blocks)) in comments.into_iter().enumerate() {
                let parent = (i > 0 && parent.index(3) > 0).then(|| parent.index(i));
                let body = Body {
                    blocks: blocks.into_iter().map(Block::paragraph).collect(),
                    ..Body::default()
                };
                b.push(
                    parent,
                    CommentDraft {
                        author: Some(author),
                        body,
                        ..CommentDraft::default()
                    },
                );
            }
            b.finish()
        })
}

/// Non-overlapping occurrences, left to right, of `needle` in `hay`.
fn naive_count(hay: &str, needle: &str) -> u32 {
    let (mut n, mut at) = (0, 0);
    while let Some(p) = hay[at..].find(needle) {
        n += 1;
        at += p + needle.len();
    }
    n
}

fn fields(thread: &Thread, doc: usize) -> Vec<&str> {
    if doc == 0 {
        return thread.body.blocks.iter().map(|b| b.text.as_str()).collect();
    }
    let c = &thread.comments[doc - 1];
    std::iter::once(c.author.as_deref().unwrap_or(""))
        .chain(c.body.blocks.iter().map(|b| b.text.as_str()))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn incremental_equals_fresh_and_ranges_fold_to_the_query(
        thread in thread_strategy(),
        query in text_strategy(5),
        cut in any::<prop::sample::Index>(),
    ) {
        let index = SearchIndex::new(&thread);
        let chars: Vec<char> = query.chars().collect();
        let prefix: String = chars[..cut.index(chars.len() + 1)].iter().collect();
        let Some(q) = Query::new(&query, false).unwrap() else { return Ok(()) };
        let fresh = Matches::fresh(&index, q.clone());
        if let Some(p) = Query::new(&prefix, false).unwrap() {
            let earlier = Matches::fresh(&index, p);
            let refined = earlier.refine(&index, q.clone());
            prop_assert_eq!(
                refined.per_doc().collect::<Vec<_>>(),
                fresh.per_doc().collect::<Vec<_>>()
            );
        }
        let ignore_case = !q.is_case_sensitive();
        let mut total = 0u64;
        for doc in 0..index.docs() {
            let hits = fresh.in_doc(&index, doc);
            prop_assert_eq!(hits.len() as u32, fresh.count_in_doc(doc));
            let naive: u32 = fields(&thread, doc)
                .iter()
                .map(|f| naive_count(&fold(f, ignore_case), q.folded()))
                .sum();
            prop_assert_eq!(naive, fresh.count_in_doc(doc));
            for hit in &hits {
                let text = field_text(&thread, hit);
                prop_assert_eq!(fold(&text, ignore_case), q.folded());
            }
            total += hits.len() as u64;
        }
        prop_assert_eq!(total, fresh.total());
    }

    #[test]
    fn any_query_is_safe(thread in thread_strategy(), query in "\\PC{0,8}", regex in any::<bool>()) {
        let index = SearchIndex::new(&thread);
        if let Ok(Some(q)) = Query::new(&query, regex) {
            let m = Matches::fresh(&index, q);
            for doc in 0..index.docs() {
                for hit in m.in_doc(&index, doc) {
                    let _ = field_text(&thread, &hit);
                }
            }
            if let Some(hit) = m.next(&index, Cursor::Doc(0)) {
                let back = m.prev(&index, Cursor::At(hit.m.doc, hit.m.loc()));
                prop_assert!(back.is_some());
            }
        }
    }
}

// ---- the lazily folded index against a plain reference search -------------------------

/// Letters whose case or folding is not one byte for one byte: Turkish dotted and dotless
/// I, German ß, combining marks (acute, diaeresis), an emoji, plus ASCII.
const HARD: &[char] = &[
    'a', 'A', 'i', 'I', 'İ', 'ı', 'ß', 's', 'S', 'é', 'É', '\u{301}', '\u{308}', '😀', ' ', 'x',
    '\n',
];

fn hard_text(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(HARD), 0..max)
        .prop_map(|cs| cs.into_iter().collect())
}

/// The ASCII letters of [`HARD`]: a comment written only with these has nothing for the
/// index to fold but its case.
const EASY: &[char] = &['a', 'A', 'i', 'I', 's', 'S', ' ', 'x', '\n'];

/// Text from [`HARD`], or (for about half the comments) from [`EASY`] only.
fn hard_or_easy(max: usize, easy: bool) -> BoxedStrategy<String> {
    if easy {
        prop::collection::vec(prop::sample::select(EASY), 0..max)
            .prop_map(|cs| cs.into_iter().collect())
            .boxed()
    } else {
        hard_text(max).boxed()
    }
}

fn hard_thread() -> impl Strategy<Value = Thread> {
    let comment = any::<bool>().prop_flat_map(|easy| {
        (
            hard_or_easy(4, easy),
            prop::collection::vec(hard_or_easy(16, easy), 0..3),
        )
    });
    (
        prop::collection::vec(hard_text(12), 0..3),
        prop::collection::vec(comment, 0..10),
    )
        .prop_map(|(article, comments)| {
            let mut b = ThreadBuilder::new();
            b.body.blocks = article.into_iter().map(Block::paragraph).collect();
            for (author, blocks) in comments {
                let body = Body {
                    blocks: blocks.into_iter().map(Block::paragraph).collect(),
                    ..Body::default()
                };
                b.push(
                    None,
                    CommentDraft {
                        author: Some(author),
                        body,
                        ..CommentDraft::default()
                    },
                );
            }
            b.finish()
        })
}

/// Regex patterns that cannot match empty or a line break (so a plain per-field search is
/// the reference).
fn hard_pattern() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(
        &[
            "a", "A", "i", "İ", "ı", "ß", "s", "S", "é", ".", "x+", "[aé]", "😀", "\\w",
        ][..],
    );
    prop::collection::vec(piece, 1..4).prop_map(|p| p.concat())
}

/// Matched original text of every hit, in order.
fn hits(index: &SearchIndex, thread: &Thread, q: &Query) -> Vec<(usize, Field, usize, String)> {
    let m = Matches::fresh(index, q.clone());
    (0..index.docs())
        .flat_map(|doc| m.in_doc(index, doc))
        .map(|hit| (hit.doc, hit.field, hit.block, field_text(thread, &hit)))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// The index the app builds (no folded copy: each window rebuilt from the text and
    /// where its characters to fold are) finds exactly what a plain search of each folded
    /// field finds, fresh and refined, and the same on a copied thread.
    #[test]
    fn index_matches_a_plain_search(
        thread in hard_thread(),
        literal in hard_text(4),
        pattern in hard_pattern(),
    ) {
        let shared = std::sync::Arc::new(thread);
        let lazy = SearchIndex::shared(&shared);
        let copied = SearchIndex::new(&shared);
        for (text, regex) in [(literal.as_str(), false), (pattern.as_str(), true)] {
            let Some(q) = Query::new(text, regex).unwrap() else { continue };
            let ignore_case = !q.is_case_sensitive();
            let reference = regex.then(|| {
                regex::RegexBuilder::new(q.folded())
                    .case_insensitive(ignore_case)
                    .multi_line(true)
                    .build()
                    .unwrap()
            });
            let found = hits(&lazy, &shared, &q);
            // The live search's refinement from a shorter query (only its matching
            // documents are searched again) agrees with a fresh search.
            if let Some(shorter) = text.char_indices().nth(1).map(|(i, _)| &text[..i])
                && let Ok(Some(p)) = Query::new(shorter, regex)
            {
                let refined = Matches::fresh(&lazy, p).refine(&lazy, q.clone());
                prop_assert_eq!(
                    refined.per_doc().collect::<Vec<_>>(),
                    Matches::fresh(&copied, q.clone()).per_doc().collect::<Vec<_>>()
                );
            }
            prop_assert_eq!(&found, &hits(&copied, &shared, &q), "{:?} regex={}", text, regex);
            let fresh = Matches::fresh(&lazy, q.clone());
            for doc in 0..lazy.docs() {
                let plain: u32 = fields(&shared, doc)
                    .iter()
                    .map(|f| {
                        let f = fold(f, ignore_case);
                        match &reference {
                            Some(re) => re.find_iter(&f).filter(|m| !m.is_empty()).count() as u32,
                            None => naive_count(&f, q.folded()),
                        }
                    })
                    .sum();
                prop_assert_eq!(plain, fresh.count_in_doc(doc), "{:?} regex={} doc {}", text, regex, doc);
            }
            if !regex {
                for (_, _, _, original) in &found {
                    prop_assert_eq!(fold(original, ignore_case), q.folded());
                }
            }
        }
    }
}
