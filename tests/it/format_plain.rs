//! The plain-text reader and the text dump, end to end: fixtures in tests/fixtures (our own
//! words in the seed's shape), round trips, deep chains, hostile text, and any input.

use std::path::PathBuf;

use proptest::prelude::*;
use threadr::export::{self, DumpFormat};
use threadr::format::{self, InputFormat, plain};
use threadr::model::{CommentIdx, Thread};

fn fixture(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn read(text: &str) -> Thread {
    plain::parse(text, "test").expect("plain text always parses")
}

fn dump_text(t: &Thread) -> String {
    let mut out = Vec::new();
    export::write(t, DumpFormat::Text, &mut out).expect("writing to a Vec cannot fail");
    String::from_utf8(out).expect("the text dump is UTF-8")
}

/// What a round trip must keep: each comment's depth, parent, and text.
fn structure(t: &Thread) -> Vec<(u32, Option<CommentIdx>, String)> {
    t.comments
        .iter()
        .map(|c| (c.depth, c.parent, c.body.plain_text()))
        .collect()
}

#[test]
fn fixture_reads_as_written() {
    let t = read(&fixture("plain_thread.txt"));
    assert_eq!(
        t.title, None,
        "the first line is a long sentence, not a title"
    );
    assert_eq!(t.body.blocks.len(), 5);
    assert_eq!(t.body.blocks[4].text, "Will they?");
    let depths: Vec<u32> = t.comments.iter().map(|c| c.depth).collect();
    assert_eq!(depths, [0, 1, 0, 1, 2, 3, 3, 0, 1, 0]);
    assert_eq!(t.roots.len(), 4);
    // Comment 2 is one paragraph of five hard-broken lines.
    let c2 = &t.comments[2].body;
    assert_eq!(c2.blocks.len(), 1);
    assert_eq!(c2.blocks[0].text.lines().count(), 5);
    assert!(c2.blocks[0].text.starts_with("I cycle this route"));
    assert!(c2.blocks[0].text.ends_with("\nIt is not enough either."));
    // The reply two levels deeper than its predecessor answers that predecessor.
    assert_eq!(t.comments[4].parent, Some(CommentIdx(3)));
    assert_eq!(t.comments[4].body.blocks.len(), 2);
    // ... and only it says that a level is missing above it.
    let gaps: Vec<usize> = (0..t.len())
        .filter(|i| {
            t.comments[*i]
                .marks
                .contains(threadr::model::Marks::LEVEL_GAP)
        })
        .collect();
    assert_eq!(gaps, [4]);
    assert_eq!(t.comments[5].parent, Some(CommentIdx(4)));
    assert_eq!(
        t.comments[5].body.plain_text(),
        "The studies say people on bikes spend more per month, just in smaller amounts.\n\
         The Müller report had numbers on that.\n\nI can look up the page if anyone wants it."
    );
    // The en-dash list belongs to comment 3's text; its one reply is the bullet after it.
    let c3 = &t.comments[7].body;
    assert_eq!(c3.blocks.len(), 4);
    assert!(c3.blocks[1..].iter().all(|b| b.text.starts_with("– ")));
    assert_eq!(t.comments[8].parent, Some(CommentIdx(7)));
    assert_eq!(t.comments[9].descendants(CommentIdx(9)), 0);
}

#[test]
fn text_dump_round_trips_structure_and_text() {
    let original = read(&fixture("plain_thread.txt"));
    let dumped = dump_text(&original);
    let again = read(&dumped);
    assert_eq!(structure(&again), structure(&original));
    assert_eq!(again.body, original.body);
    assert_eq!(again.title, original.title);
    // Ids depend on text and parents only, so they survive the trip too.
    let ids = |t: &Thread| t.comments.iter().map(|c| c.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&again), ids(&original));
    // And the dump is a fixed point.
    assert_eq!(dump_text(&again), dumped);
}

#[test]
fn synthetic_thread_round_trips() {
    let original = read(&threadr::synth::plain_thread(3_000, 9));
    let again = read(&dump_text(&original));
    assert_eq!(again.len(), 3_000);
    assert_eq!(structure(&again), structure(&original));
    assert_eq!(again.title, original.title);
}

#[test]
fn metadata_round_trips_through_the_text_dump() {
    let text = "Title here\n==========\n\n[by ana · 2020-02-29T12:00:00Z · 7 points]\n\nBody.\n\n\
                \x20 1. [by bo · on yesterday · 1 point · deleted]\n\n  2. plain\n\n    \
                • [by cy · 3 more]\n      reply\n";
    let t = read(text);
    let again = read(&dump_text(&t));
    assert_eq!(again.author.as_deref(), Some("ana"));
    assert_eq!(again.title.as_deref(), Some("Title here"));
    for (a, b) in t.comments.iter().zip(&again.comments) {
        assert_eq!(
            (&a.author, &a.created, a.score, a.deleted, a.more, a.depth),
            (&b.author, &b.created, b.score, b.deleted, b.more, b.depth)
        );
    }
    assert_eq!(t.comments[2].more, 3);
    assert!(t.comments[0].deleted && t.comments[0].body.is_empty());
}

#[test]
fn hundred_thousand_deep_chain_parses_dumps_and_drops() {
    let text = threadr::synth::deep_chain(100_000);
    let t = read(&text);
    assert_eq!(t.len(), 100_000);
    assert_eq!(t.comments[99_999].depth, 99_999);
    assert_eq!(t.comments[0].subtree_end, CommentIdx(100_000));
    let dumped = dump_text(&t);
    // Capped indentation keeps the dump linear in the depth, not quadratic.
    assert!(dumped.len() < 200 * 100_000, "{} bytes", dumped.len());
    let again = read(&dumped);
    assert_eq!(again.comments[99_999].depth, 99_999);
    assert_eq!(again.comments[99_999].parent, Some(CommentIdx(99_998)));
    drop(again);
    drop(t);
}

#[test]
fn deep_chain_with_real_indentation() {
    use std::fmt::Write as _;
    let mut text = String::from("  1. root\n");
    for d in 1..3_000 {
        let _ = write!(text, "\n{}• level {d}\n", " ".repeat(2 + 2 * d));
    }
    let t = read(&text);
    assert_eq!(t.len(), 3_000);
    assert!(
        t.comments
            .iter()
            .enumerate()
            .all(|(i, c)| c.depth as usize == i)
    );
}

#[test]
fn duplicate_identical_comments_get_distinct_ids() {
    let t = read("P.\n\n  1. +1\n\n  2. +1\n\n    • same\n\n    • same\n\n  3. +1\n");
    let mut ids: Vec<_> = t.comments.iter().map(|c| c.id.0.clone()).collect();
    assert_eq!(ids.len(), 5);
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 5);
}

#[test]
fn hostile_text_in_the_dump_is_visible_and_harmless() {
    let input = "Title\x1b]0;owned\x07\n\nArticle \u{202e}reversed\u{202c}.\n\n  1. \
                 clear\x1b[2J screen \u{9b}1m c1 \x07 bell safe\x08\x08\x08\x08evil \u{2066}iso\u{2069}\n";
    let t = format::load(input.as_bytes(), "hostile", None).unwrap();
    let out = dump_text(&t);
    assert!(out.contains("Title␛]0;owned␇"), "{out}");
    assert!(out.contains("Article <U+202E>reversed<U+202C>."), "{out}");
    assert!(
        out.contains("clear␛[2J screen <U+009B>1m c1 ␇ bell safe␈␈␈␈evil"),
        "{out}"
    );
    assert!(out.contains("<U+2066>iso<U+2069>"), "{out}");
    for c in out.chars() {
        assert!(c == '\n' || !c.is_control(), "control {c:?} in {out:?}");
        assert!(
            !matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}'),
            "bidi {c:?}"
        );
    }
}

#[test]
fn invalid_utf8_loads_with_a_warning() {
    let mut bytes =
        b"Post \xff\xfe here.\n\n  1. caf\xe9 owner\n\n    \xe2\x80\xa2 reply\n".to_vec();
    bytes.extend_from_slice(b"\n  2. fine\n");
    let t = format::load(&bytes, "bad.txt", None).unwrap();
    assert_eq!(t.warnings.len(), 1, "{:?}", t.warnings);
    assert!(t.warnings[0].contains("not valid UTF-8"));
    assert_eq!(t.body.plain_text(), "Post \u{fffd}\u{fffd} here.");
    assert_eq!(t.comments[0].body.plain_text(), "caf\u{fffd} owner");
    let depths: Vec<u32> = t.comments.iter().map(|c| c.depth).collect();
    assert_eq!(depths, [0, 1, 0]);
}

#[test]
fn forced_text_format_reads_plain() {
    let t = format::load(
        fixture("plain_thread.txt").as_bytes(),
        "f",
        Some(InputFormat::Text),
    )
    .unwrap();
    assert_eq!(t.len(), 10);
}

/// The thread that started the project, read at run time only: `THREADR_SEED` names the
/// file, or `THREADR_CORPUS`'s sibling `seeds/` holds it. Skipped (with a note) otherwise.
#[test]
fn seed_thread_reads_as_a_person_would() {
    let path = std::env::var_os("THREADR_SEED")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("THREADR_CORPUS")
                .map(|c| PathBuf::from(c).join("../seeds/000_ef4ba8f3e1a6a284.txt"))
        });
    let Some(path) = path.filter(|p| p.is_file()) else {
        eprintln!("skipped: set THREADR_SEED (or THREADR_CORPUS) to read the seed thread");
        return;
    };
    let bytes = std::fs::read(&path).unwrap();
    let t = format::load(&bytes, "seed", None).unwrap();
    assert!(t.warnings.is_empty(), "{:?}", t.warnings);
    assert_eq!(t.title, None);
    assert_eq!(t.body.blocks.len(), 19);
    assert_eq!(t.roots.len(), 23);
    // Replies below each top-level comment, counted by eye in the file.
    let below: Vec<usize> = t
        .roots
        .iter()
        .map(|r| t.comment(*r).descendants(*r))
        .collect();
    assert_eq!(
        below,
        [
            1, 0, 5, 0, 1, 1, 3, 0, 1, 0, 3, 1, 0, 4, 2, 0, 0, 0, 0, 0, 0, 1, 0
        ]
    );
    assert_eq!(t.len(), 46);
    let max_depth: Vec<u32> = t
        .roots
        .iter()
        .map(|r| {
            let c = t.comment(*r);
            t.comments[r.get()..c.subtree_end.get()]
                .iter()
                .map(|c| c.depth)
                .max()
                .unwrap_or(0)
        })
        .collect();
    assert_eq!(
        max_depth,
        [
            1, 0, 3, 0, 1, 1, 3, 0, 1, 0, 3, 1, 0, 2, 2, 0, 0, 0, 0, 0, 0, 1, 0
        ]
    );
    // Comment 3 is one paragraph of six short lines.
    let c3 = &t.comment(t.roots[2]).body;
    assert_eq!(c3.blocks.len(), 1);
    assert_eq!(c3.blocks[0].text.lines().count(), 6);
    // The reply indented two levels below its predecessor answers that predecessor.
    let third = t.roots[2].get();
    assert_eq!(
        t.comments[third + 2].parent,
        Some(CommentIdx(third as u32 + 1))
    );
    assert_eq!(t.comments[third + 2].depth, 2);
    // The last comment's en-dash lines are its own paragraphs, not replies.
    let last = t.comment(t.roots[22]);
    assert_eq!(last.body.blocks.len(), 3);
    assert!(
        last.body.blocks[1..]
            .iter()
            .all(|b| b.text.starts_with('–'))
    );
    // And it survives a round trip through the text dump.
    let again = read(&dump_text(&t));
    assert_eq!(structure(&again), structure(&t));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_input_parses_and_dumps_safely(s in any::<String>()) {
        let t = read(&s);
        let out = dump_text(&t);
        prop_assert!(out.chars().all(|c| c == '\n' || !c.is_control()));
    }

    #[test]
    fn any_line_soup_parses_and_keeps_every_word(
        lines in proptest::collection::vec(
            (0usize..12, prop::sample::select(vec![
                "1. ", "2. ", "12. ", "• ", "* ", "- ", "– ", "□ ", "o ", "", "[depth 3] ",
                "[by x] ", "\t", "\r",
            ]), "[a-z]{0,6}"),
            0..40,
        )
    ) {
        let mut text = String::new();
        let mut words = 0usize;
        for (indent, marker, word) in &lines {
            text.push_str(&" ".repeat(*indent));
            text.push_str(marker);
            text.push_str(word);
            text.push('\n');
            words += usize::from(!word.is_empty());
        }
        let t = read(&text);
        prop_assert!(t.len() <= lines.len());
        // Nothing is dropped: every word is in the article, the title or some comment.
        let mut all = t.title.clone().unwrap_or_default();
        all.push_str(&t.body.plain_text());
        for c in &t.comments {
            all.push('\n');
            all.push_str(&c.body.plain_text());
        }
        let found = lines
            .iter()
            .filter(|(_, _, w)| !w.is_empty() && all.contains(w.as_str()))
            .count();
        prop_assert_eq!(found, words);
        // The text dump of whatever was read reads back to the same tree shape.
        let again = read(&dump_text(&t));
        let depths = |t: &Thread| t.comments.iter().map(|c| c.depth).collect::<Vec<_>>();
        prop_assert_eq!(depths(&again), depths(&t));
    }

    #[test]
    fn clean_line_soup_round_trips_through_the_text_dump(
        lines in proptest::collection::vec(
            (0usize..12, prop::sample::select(vec![
                "1. ", "2. ", "• ", "- ", "– ", "★ ", "", "\\• ", "[depth 2] ", "[by x]",
            ]), "[a-zé ]{0,6}"),
            0..40,
        )
    ) {
        let mut text = String::new();
        for (indent, marker, word) in &lines {
            text.push_str(&" ".repeat(*indent));
            text.push_str(marker);
            text.push_str(word);
            text.push('\n');
        }
        let t = read(&text);
        let again = read(&dump_text(&t));
        prop_assert_eq!(structure(&again), structure(&t));
        prop_assert_eq!(&again.body, &t.body);
        prop_assert_eq!(&again.title, &t.title);
    }
}
