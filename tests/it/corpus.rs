//! Real-world exports, read at run time from the folder named by `THREADR_CORPUS` (set by
//! `.ci/run` to `../shared/fixtures`). Unset: the test says it is skipped and passes. Set:
//! every expected file must be there.
//!
//! The expected numbers were computed independently of threadr with jq on the files, e.g. for
//! Reddit:
//! `jq '[.. | objects | select(.kind=="t1")] | length'` (comments),
//! `jq '[.[1].data.children[] | select(.kind=="t1")] | length'` (top level),
//! `jq '[.. | objects | select(.kind=="t1") | .data.depth] | max'` (deepest),
//! `jq '[.. | objects | select(.kind=="more") | .data | if .count > 0 then .count
//!       elif (.children | length) > 0 then (.children | length) else 1 end] | add'` (more),
//! `jq '[.. | objects | select(.kind=="t1") | .data | select(.body=="[deleted]" or
//!       .body=="[removed]")] | length'` (deleted);
//! for HNPWA: `jq '[.. | objects | select(has("level"))] | length'`, `.comments | length`,
//! `[.. | objects | select(has("level")) | .level] | max`, and
//! `[.. | objects | select(has("level")) | select(.deleted == true)] | length`.

use crate::common;
use common::corpus::{corpus, read};

use threadr::format::load;
use threadr::model::{SpanStyle, Thread};

struct Expect {
    file: &'static str,
    comments: usize,
    top: usize,
    max_depth: u32,
    more: u64,
    deleted: usize,
    key: &'static str,
}

const EXPECTED: &[Expect] = &[
    Expect {
        file: "reddit_3hahrw_funny_sort_old_2017.json",
        comments: 470,
        top: 116,
        max_depth: 9,
        more: 67,
        deleted: 7,
        key: "reddit:3hahrw",
    },
    Expect {
        file: "reddit_fo7p5b_announcements_polls_2020.json",
        comments: 492,
        top: 99,
        max_depth: 9,
        more: 3749,
        deleted: 10,
        key: "reddit:fo7p5b",
    },
    Expect {
        file: "reddit_y70ane_steamdeck_2022_escaped.json",
        comments: 20,
        top: 20,
        max_depth: 0,
        more: 77,
        deleted: 0,
        key: "reddit:y70ane",
    },
    Expect {
        file: "hn_hnpwa_25015967_biden_2170.json",
        comments: 2170,
        top: 237,
        max_depth: 3,
        more: 0,
        deleted: 98,
        key: "hn:25015967",
    },
];

fn total_more(t: &Thread) -> u64 {
    u64::from(t.more) + t.comments.iter().map(|c| u64::from(c.more)).sum::<u64>()
}

#[test]
fn thread_exports_match_independent_counts() {
    let Some(dir) = corpus() else { return };
    for e in EXPECTED {
        let t = load(&read(&dir, e.file), e.file, None).unwrap_or_else(|err| panic!("{err}"));
        assert_eq!(t.len(), e.comments, "{}: comments", e.file);
        assert_eq!(t.roots.len(), e.top, "{}: top level", e.file);
        let deepest = t.comments.iter().map(|c| c.depth).max().unwrap_or(0);
        assert_eq!(deepest, e.max_depth, "{}: deepest", e.file);
        assert_eq!(total_more(&t), e.more, "{}: more", e.file);
        let deleted = t.comments.iter().filter(|c| c.deleted).count();
        assert_eq!(deleted, e.deleted, "{}: deleted", e.file);
        assert_eq!(t.key, e.key, "{}: key", e.file);
        assert!(t.author.is_some(), "{}: thread author", e.file);
        // Dumping and reading back is lossless on real data too.
        let mut out = Vec::new();
        threadr::export::write(&t, threadr::export::DumpFormat::Json, &mut out).unwrap();
        let mut back = load(&out, "dump", None).unwrap();
        back.warnings.clone_from(&t.warnings);
        assert!(
            back == t,
            "{}: threadr/1 round trip changed the model",
            e.file
        );
    }
}

#[test]
fn escaped_reddit_has_no_entities_left() {
    let Some(dir) = corpus() else { return };
    let file = "reddit_y70ane_steamdeck_2022_escaped.json";
    let t = load(&read(&dir, file), file, None).unwrap();
    for c in &t.comments {
        let text = c.body.plain_text();
        assert!(
            !text.contains("&amp;") && !text.contains("&gt;") && !text.contains("&lt;"),
            "{file}: entity left in {text:?}"
        );
    }
}

/// The flat Hacker News file is a corpus of real HTML bodies: each converts without panicking,
/// leaves no markup or entities in the text, and captures its links.
#[test]
fn hn_html_bodies_render_cleanly() {
    let Some(dir) = corpus() else { return };
    let file = "hn_48849066_flat_1079.json";
    let items: Vec<serde_json::Value> = serde_json::from_slice(&read(&dir, file)).unwrap();
    assert_eq!(items.len(), 1079, "{file}: bodies");
    let (mut anchors, mut links) = (0, 0);
    for item in &items {
        let html = item["text"].as_str().unwrap_or("");
        let body = threadr::format::html::to_body(html, true);
        let text = body.plain_text();
        for leftover in [
            "<p>", "</p>", "<a ", "</a>", "<pre>", "<code>", "<i>", "&#x27;", "&gt;", "&quot;",
            "&#x2F;", "&amp;",
        ] {
            assert!(
                !text.contains(leftover),
                "{file}: {leftover:?} left in item {}: {text:?}",
                item["id"]
            );
        }
        anchors += html.matches("<a ").count();
        links += body.links.len();
        for block in &body.blocks {
            for span in &block.spans {
                assert!(block.text.get(span.range.clone()).is_some());
                if let SpanStyle::Link(i) = span.style {
                    assert!(i < body.links.len());
                }
            }
        }
        if html.contains("<p>") && !html.contains("<pre>") {
            assert!(
                body.blocks.len() >= 2,
                "{file}: paragraphs lost in {}",
                item["id"]
            );
        }
    }
    assert_eq!(links, anchors, "{file}: every <a href> becomes a link");
    assert!(anchors > 0);
}
