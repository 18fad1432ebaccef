//! The typed JSON fast path (`threadr::format::typed`) against the general path on the real
//! exports of `THREADR_CORPUS`: the same thread (comments, parents, authors, bodies, marks,
//! warnings) both ways, and the fast path really taken for the shapes it owns. The random
//! threads of every shape are in the crate's own property tests (`format::typed::tests`).

use crate::common;
use common::corpus::{corpus, read};

use threadr::format::{InputFormat, json, typed};

/// (file, whether the fast path must read it)
const FILES: &[(&str, bool)] = &[
    ("reddit_3hahrw_funny_sort_old_2017.json", true),
    ("reddit_fo7p5b_announcements_polls_2020.json", true),
    ("reddit_y70ane_steamdeck_2022_escaped.json", true),
    ("reddit-more/praw_n49rw_confidence.json", true),
    ("hn_hnpwa_25015967_biden_2170.json", true),
    // A flat array of HN comments is none of the shapes: both paths refuse it.
    ("hn_48849066_flat_1079.json", false),
    // Discourse is left to the general path.
    ("discourse/perceval_discourse_topic_1148.json", false),
    ("discourse/discourse_api_topic.json", false),
];

#[test]
fn corpus_reads_the_same_both_ways() {
    let Some(dir) = corpus() else {
        return;
    };
    for &(file, fast) in FILES {
        let bytes = read(&dir, file);
        let text = std::str::from_utf8(&bytes).expect("the corpus JSON is UTF-8");
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let general = json::load_general(text, file, None, &mut |_| {});
        match typed::read(text, None) {
            Some(t) => {
                let g =
                    general.unwrap_or_else(|e| panic!("{file}: only the fast path reads it: {e}"));
                assert_eq!(t, g, "{file}: the two paths disagree");
                assert!(t.len() > 10, "{file}: {} comments", t.len());
            }
            None => assert!(!fast, "{file}: the fast path declined"),
        }
        // And through the public entry, which picks the path itself.
        let loaded = threadr::format::load(&bytes, file, None);
        assert_eq!(
            loaded.is_ok(),
            json::load_general(text, file, None, &mut |_| {}).is_ok(),
            "{file}"
        );
    }
}

#[test]
fn corpus_heads_read_the_same_both_ways() {
    use threadr::format::head::{json_head_general, json_head_typed};
    let Some(dir) = corpus() else {
        return;
    };
    let mut heads = 0;
    for &(file, _) in FILES.iter().filter(|f| f.1) {
        let bytes = read(&dir, file);
        let text = std::str::from_utf8(&bytes).unwrap();
        // Cuts all through the file, as a first screen would see it.
        for part in 1..16 {
            let mut cut = text.len() * part / 16;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            let head = &text[..cut];
            let general = json_head_general(head, file, None);
            let typed = json_head_typed(head, None).filter(|t| !t.is_empty());
            heads += usize::from(general.is_some());
            assert!(
                general.is_none() || typed.is_some(),
                "{file}: the fast path declined the head at {cut}"
            );
            assert_eq!(typed, general, "{file}: heads at {cut} differ");
        }
    }
    assert!(heads >= 50, "only {heads} of the cuts had a first screen");
}

#[test]
fn forced_shapes_on_the_corpus_agree() {
    let Some(dir) = corpus() else {
        return;
    };
    let forced = [
        InputFormat::Reddit,
        InputFormat::Hn,
        InputFormat::Hnpwa,
        InputFormat::Lobsters,
        InputFormat::Threadr,
    ];
    for &(file, _) in FILES {
        let bytes = read(&dir, file);
        let text = std::str::from_utf8(&bytes).unwrap();
        for f in forced {
            if let Some(t) = typed::read(text, Some(f)) {
                let g = json::load_general(text, file, Some(f), &mut |_| {}).unwrap_or_else(|e| {
                    panic!("{file} as {f:?}: only the fast path reads it: {e}")
                });
                assert_eq!(t, g, "{file} as {f:?}");
            }
        }
    }
}
