//! JSON formats end to end: Reddit, Hacker News (Algolia, HNPWA), Lobsters and threadr/1, on
//! fixtures written for this project (tests/fixtures/json) and generated big or deep files;
//! plus the `dump --format json` round trip.

use std::fmt::Write as _;
use std::time::Instant;

use proptest::prelude::*;
use threadr::export::{DumpFormat, write};
use threadr::format::{InputFormat, load};
use threadr::model::{
    Block, BlockKind, Body, CommentDraft, CommentIdx, Link, Span, SpanStyle, Thread, ThreadBuilder,
    Timestamp,
};

fn fixture(name: &str) -> Thread {
    let path = format!("{}/tests/fixtures/json/{name}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).unwrap();
    load(&bytes, name, None).unwrap_or_else(|e| panic!("{e}"))
}

fn dump(t: &Thread) -> String {
    let mut out = Vec::new();
    write(t, DumpFormat::Json, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn without_warnings(mut t: Thread) -> Thread {
    t.warnings.clear();
    t
}

/// load → dump → load → dump gives the same model and the same bytes.
fn assert_round_trip(t: &Thread) -> String {
    let first = dump(t);
    let again = load(first.as_bytes(), "dump.json", None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        without_warnings(again.clone()),
        without_warnings(t.clone()),
        "model changed through threadr/1"
    );
    let second = dump(&again);
    assert_eq!(first, second, "dumping a dump changed the bytes");
    first
}

fn texts(b: &Body) -> Vec<&str> {
    b.blocks.iter().map(|b| b.text.as_str()).collect()
}

#[test]
fn reddit_tree_stubs_deleted_and_markdown() {
    let t = fixture("reddit_small.json");
    assert_eq!(t.key, "reddit:abc12");
    assert_eq!(t.author.as_deref(), Some("baker"));
    // Not escaped (raw_json=1 file): text is left exactly as saved.
    assert_eq!(t.title.as_deref(), Some("Bread &amp; butter"));
    assert_eq!(t.score, Some(42));
    assert_eq!(t.created, Some(Timestamp::Unix(1_502_460_180)));
    assert_eq!(t.body.blocks[1].quote_depth, 1);
    let ids: Vec<_> = t.comments.iter().map(|c| c.id.0.as_str()).collect();
    assert_eq!(ids, ["c1", "c2", "c3", "c4", "c5"]);
    let depths: Vec<_> = t.comments.iter().map(|c| c.depth).collect();
    assert_eq!(depths, [0, 1, 2, 1, 0]);
    assert_eq!(t.roots.len(), 2);
    // `more` stubs: 5 under c1, a "continue this thread" stub under c2, 12 at the top.
    assert_eq!(t.comments[0].more, 5);
    assert_eq!(t.comments[1].more, 1);
    assert_eq!(t.more, 12);
    // [deleted] keeps its place and its reply; [removed] too.
    assert!(t.comments[1].deleted && t.comments[1].author.is_none());
    assert_eq!(t.comments[2].parent, Some(CommentIdx(1)));
    assert!(t.comments[3].deleted);
    assert_eq!(t.comments[3].body.plain_text(), "[removed]");
    assert_eq!(t.comments[3].author.as_deref(), Some("rye"));
    // Markdown: emphasis, link numbered per comment, permalink.
    let c1 = &t.comments[0];
    assert_eq!(texts(&c1.body), ["Add flour. See the guide."]);
    assert_eq!(
        c1.body.links,
        [Link {
            text: "the guide".into(),
            url: "https://example.org/guide".into()
        }]
    );
    assert_eq!(
        c1.url.as_deref(),
        Some("https://www.reddit.com/r/bread/comments/abc12/bread/c1/")
    );
    let c5 = &t.comments[4];
    assert_eq!(c5.body.blocks[0].kind, BlockKind::Code);
    assert_eq!(c5.body.blocks[0].text, "bake 220");
    assert!(matches!(c5.body.blocks[1].kind, BlockKind::ListItem { .. }));
    // The OP is the thread author wherever they comment.
    assert_eq!(t.comments[2].author.as_deref(), t.author.as_deref());
    assert_round_trip(&t);
}

#[test]
fn reddit_escaped_file_is_decoded() {
    let t = fixture("reddit_escaped.json");
    assert_eq!(t.title.as_deref(), Some("Fish & chips <3"));
    let c = &t.comments[0];
    assert_eq!(c.body.blocks[0].quote_depth, 1);
    assert_eq!(texts(&c.body), ["quoted & kept", "reply with <b>"]);
    // A link post: the link is the article body.
    assert_eq!(t.body.links[0].url, "https://example.org/fish?a=1&b=2");
    assert_eq!(
        t.url.as_deref(),
        Some("https://www.reddit.com/r/food/comments/esc1/fish/")
    );
    assert_round_trip(&t);
}

#[test]
fn hn_algolia_html_deleted_and_order() {
    let t = fixture("hn_algolia_small.json");
    assert_eq!(t.key, "hn:1000");
    assert_eq!(t.author.as_deref(), Some("founder"));
    assert_eq!(t.score, Some(77));
    let ids: Vec<_> = t.comments.iter().map(|c| c.id.0.as_str()).collect();
    assert_eq!(ids, ["1001", "1002", "1003", "1004", "1005"]);
    let a = &t.comments[0];
    assert_eq!(
        texts(&a.body),
        [
            "First line is bare.",
            "Second has a link.",
            "quoted bit",
            "  let x = 1;\n  x < 2"
        ]
    );
    assert_eq!(a.body.blocks[2].quote_depth, 1);
    assert_eq!(a.body.blocks[3].kind, BlockKind::Code);
    assert_eq!(a.body.links[0].url, "https://example.org/x?a=1&b=2");
    assert_eq!(
        a.url.as_deref(),
        Some("https://news.ycombinator.com/item?id=1001")
    );
    // Cut down to {id, children}: deleted, no author, reply kept beneath it.
    let d = &t.comments[1];
    assert!(d.deleted && d.author.is_none() && d.body.is_empty());
    assert_eq!(t.comments[2].parent, Some(CommentIdx(1)));
    // Decoded ESC stays in the model; the sanitiser makes it visible.
    let evil = t.comments[2].body.plain_text();
    assert!(evil.contains('\u{1b}'));
    assert!(!threadr::text::sanitize(&evil).contains('\u{1b}'));
    assert_eq!(t.comments[3].body.plain_text(), "OP here, it's fine");
    assert_eq!(
        t.comments[4].created,
        Some(Timestamp::parse("2020-11-07T19:00:00.000Z"))
    );
    assert_round_trip(&t);
}

#[test]
fn hnpwa_shape_with_renamed_keys() {
    let t = fixture("hnpwa_small.json");
    assert_eq!(t.key, "hn:2000");
    assert_eq!(t.author.as_deref(), Some("poster"));
    assert_eq!(t.len(), 4);
    assert_eq!(t.roots.len(), 2);
    assert_eq!(texts(&t.comments[0].body), ["Top one", "second para"]);
    let d = &t.comments[1];
    assert!(d.deleted && d.author.is_none() && d.body.is_empty());
    let dead = &t.comments[2];
    assert!(!dead.deleted);
    assert_eq!(dead.depth, 2);
    assert_eq!(dead.body.plain_text(), "reply to deleted");
    assert_eq!(t.comments[3].created, Some(Timestamp::Unix(1_604_766_700)));
    assert_round_trip(&t);
}

#[test]
fn lobsters_parents_depth_and_users() {
    let t = fixture("lobsters_small.json");
    assert_eq!(t.key, "lobsters:ab12cd");
    assert_eq!(t.author.as_deref(), Some("writer"));
    let depths: Vec<_> = t.comments.iter().map(|c| c.depth).collect();
    assert_eq!(depths, [0, 1, 2, 0]);
    assert!(t.comments[1].deleted);
    assert_eq!(t.comments[2].body.blocks[0].quote_depth, 1);
    assert_eq!(t.body.blocks[0].text, "My notes.");
    assert_eq!(t.body.links[0].url, "https://example.org/parsing");
    assert_round_trip(&t);

    let old = fixture("lobsters_old.json");
    assert_eq!(old.author.as_deref(), Some("olduser"));
    let view: Vec<_> = old
        .comments
        .iter()
        .map(|c| (c.author.as_deref().unwrap(), c.depth))
        .collect();
    assert_eq!(
        view,
        [("u1", 0), ("u2", 1), ("u3", 2), ("u4", 1), ("u5", 0)]
    );
}

#[test]
fn lone_surrogates_and_invalid_utf8_are_warnings() {
    let text = r#"{"format":"threadr/1","title":"a\ud83d b","comments":[{"id":"x","body":"\udc00 and \ud83d\ude00"}]}"#;
    let t = load(text.as_bytes(), "s.json", None).unwrap();
    assert_eq!(t.title.as_deref(), Some("a\u{fffd} b"));
    assert_eq!(t.comments[0].body.plain_text(), "\u{fffd} and 😀");
    assert!(
        t.warnings.iter().any(|w| w.contains("surrogate")),
        "{:?}",
        t.warnings
    );

    let mut bytes = br#"{"format":"threadr/1","title":"bad "#.to_vec();
    bytes.extend_from_slice(&[0xff, 0xfe]);
    bytes.extend_from_slice(br#" bytes","comments":[]}"#);
    let t = load(&bytes, "u.json", None).unwrap();
    assert!(t.title.unwrap().contains('\u{fffd}'));
    assert!(t.warnings.iter().any(|w| w.contains("UTF-8")));
}

#[test]
fn unknown_shape_and_wrong_types() {
    let e = load(br#"{"items": []}"#, "odd.json", None).unwrap_err();
    let msg = e.to_string();
    for shape in ["threadr/1", "Reddit", "Algolia", "HNPWA", "Lobsters"] {
        assert!(msg.contains(shape), "{msg}");
    }
    let e = load(
        br#"{"format":"threadr/1","comments":[{"id":"a"},{"id":"b","created":true}]}"#,
        "w.json",
        None,
    )
    .unwrap_err();
    assert_eq!(e.location.as_deref(), Some("comments[1].created"));
    let e = load(b"{\"format\": \"threadr/1\", ", "cut.json", None).unwrap_err();
    assert!(e.message.contains("not valid JSON"), "{e}");
    // Forcing a shape on the wrong file fails clearly instead of guessing.
    let e = load(b"[1]", "x.json", Some(InputFormat::Hn)).unwrap_err();
    assert!(e.message.contains("Hacker News"), "{e}");
}

/// Issue 15 #3: a forced JSON format on a file of another shape is an error naming what was
/// expected, never an empty thread with exit 0.
#[test]
fn every_forced_json_format_refuses_other_shapes() {
    let fixtures = [
        ("reddit_small.json", InputFormat::Reddit),
        ("hn_algolia_small.json", InputFormat::Hn),
        ("hnpwa_small.json", InputFormat::Hnpwa),
        ("lobsters_small.json", InputFormat::Lobsters),
    ];
    let forced = [
        (InputFormat::Reddit, "Reddit"),
        (InputFormat::Hn, "Hacker News"),
        (InputFormat::Hnpwa, "Hacker News"),
        (InputFormat::Lobsters, "Lobsters"),
    ];
    for (name, own) in fixtures {
        let path = format!("{}/tests/fixtures/json/{name}", env!("CARGO_MANIFEST_DIR"));
        let bytes = std::fs::read(&path).unwrap();
        for (format, expected) in forced {
            let result = load(&bytes, name, Some(format));
            if format == own {
                assert!(result.is_ok(), "{name} as its own format");
                continue;
            }
            match result {
                Err(e) => assert!(
                    e.message.contains("expected") && e.message.contains(expected),
                    "{name} as {format:?}: {e}"
                ),
                Ok(t) => panic!("{name} as {format:?} read as {} comments", t.len()),
            }
        }
    }
    for bytes in [
        &b"[1,2]"[..],
        br#"[{"id":1,"author":"a","text":"hi"}]"#,
        b"[null, null]",
    ] {
        let e = load(bytes, "x.json", Some(InputFormat::Reddit)).unwrap_err();
        assert!(e.message.contains("expected a Reddit comments page"), "{e}");
    }
    let e = load(
        br#"{"id": 1, "children": []}"#,
        "x.json",
        Some(InputFormat::Lobsters),
    )
    .unwrap_err();
    assert!(e.message.contains("expected a Lobsters story"), "{e}");
    // The real flat Hacker News export from the shared corpus, when it is there.
    if let Some(dir) = std::env::var_os("THREADR_CORPUS") {
        let path = std::path::Path::new(&dir).join("hn_48849066_flat_1079.json");
        if let Ok(bytes) = std::fs::read(&path) {
            let e = load(&bytes, "flat.json", Some(InputFormat::Reddit)).unwrap_err();
            assert_eq!(e.location.as_deref(), Some("[0]"), "{e}");
        }
    }
}

fn reddit_deep(depth: usize) -> String {
    let mut s = String::from(
        r#"[{"kind":"Listing","data":{"children":[{"kind":"t3","data":{"id":"deep","title":"Deep","author":"op","selftext":""}}]}},{"kind":"Listing","data":{"children":["#,
    );
    for i in 0..depth {
        let _ = write!(
            s,
            r#"{{"kind":"t1","data":{{"id":"d{i}","author":"u{}","body":"level {i}","created_utc":{i},"replies":"#,
            i % 7
        );
        if i + 1 < depth {
            s.push_str(r#"{"kind":"Listing","data":{"children":["#);
        } else {
            s.push_str(r#""""#);
        }
    }
    for i in 0..depth {
        if i > 0 {
            s.push_str("]}}");
        }
        s.push_str("}}");
    }
    s.push_str("]}}]");
    s
}

fn hn_deep(depth: usize) -> String {
    let mut s = String::from(r#"{"id":1,"title":"Deep","author":"op","children":["#);
    for i in 0..depth {
        let _ = write!(
            s,
            r#"{{"id":{},"author":"u","text":"level <i>{i}</i><p>more","children":["#,
            i + 2
        );
    }
    s.push_str(&"]}".repeat(depth));
    s.push_str("]}");
    s
}

#[test]
fn reddit_and_hn_ten_thousand_deep() {
    let depth = 10_000;
    let t = load(reddit_deep(depth).as_bytes(), "deep.json", None).unwrap();
    assert_eq!(t.len(), depth);
    assert_eq!(t.comments[depth - 1].depth as usize, depth - 1);
    assert_eq!(t.comments[depth - 1].body.plain_text(), "level 9999");
    assert_round_trip(&t);

    let t = load(hn_deep(depth).as_bytes(), "deep-hn.json", None).unwrap();
    assert_eq!(t.len(), depth);
    assert_eq!(t.comments[depth - 1].depth as usize, depth - 1);
    assert_eq!(texts(&t.comments[5].body), ["level 5", "more"]);
}

#[test]
fn nested_threadr_deep_dumps_flat() {
    let depth = 20_000;
    let mut s = String::from(r#"{"format":"threadr/1","comments":["#);
    for i in 0..depth {
        let _ = write!(s, r#"{{"id":"n{i}","body":"level {i}","replies":["#);
    }
    s.push_str(&"]}".repeat(depth));
    s.push_str("]}");
    let t = load(s.as_bytes(), "nested.json", None).unwrap();
    assert_eq!(t.comments[depth - 1].depth as usize, depth - 1);
    let flat = assert_round_trip(&t);
    assert!(!flat.contains("\"replies\""));
}

fn hostile_thread() -> Thread {
    let mut b = ThreadBuilder::new();
    b.title = Some("\u{1b}]0;pwned\u{7} title \u{202e}rtl".into());
    b.author = Some("op\u{0}\u{8}".into());
    b.created = Some(Timestamp::Text("last Tuesday, maybe".into()));
    b.body = Body::from_plain("article \u{1b}[2J\n\nsecond 🌞 \u{10FFFF} \u{200b}");
    let hostile = [
        "\u{1b}[31mred\u{1b}[0m",
        "tab\there\r\nCRLF and lone\rCR",
        "> not a quote\n- not a list\n```",
        "back\\slash *star* `tick` ~tilde~ [bracket](x)",
        "🏳️‍🌈 👩‍👩‍👧 e\u{301}\u{301}\u{301}",
        "\u{85}\u{9b}\u{7f}\u{0}",
        "",
    ];
    let mut parent = None;
    for (i, text) in hostile.iter().enumerate() {
        let mut body = Body::from_plain(text);
        if i == 3 {
            body.blocks = thin_vec::thin_vec![Block {
                kind: BlockKind::Paragraph,
                quote_depth: 2,
                text: (*text).into(),
                spans: vec![Span {
                    range: 0..4,
                    style: SpanStyle::Link(0),
                }]
                .into(),
            }];
            body.links = thin_vec::thin_vec![Link {
                text: "not back".into(),
                url: "javascript:\u{1b}]52;c;x\u{7})".into(),
            }];
        }
        parent = Some(b.push(
            parent,
            CommentDraft {
                source_id: Some(format!("h\"{i}\u{1b}")),
                author: Some(format!("a{i}\u{202e}")),
                body,
                deleted: i == 5,
                more: u32::try_from(i).unwrap(),
                score: Some(-(i as i64)),
                url: Some(format!("https://x.y/{i}?q=\u{1b}")),
                ..CommentDraft::default()
            },
        ));
    }
    b.finish()
}

#[test]
fn hostile_characters_are_lossless_in_json() {
    let t = hostile_thread();
    let json = assert_round_trip(&t);
    // JSON escapes, never raw control characters.
    assert!(!json.contains('\u{1b}') && !json.contains('\u{0}'));
    assert!(json.contains("\\u001b"));
    // And the text dump (sanitised) shows none of them raw.
    let mut out = Vec::new();
    write(&t, DumpFormat::Text, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(!text.contains('\u{1b}') && !text.contains('\u{202e}'));
}

fn arb_body() -> impl Strategy<Value = Body> {
    let block = (
        0u8..4,
        "[a-z *`~\\[\\]\\\\>#\n1.-]{0,10}|\\PC{0,6}",
        0u8..3,
        0u8..3,
    )
        .prop_map(|(k, text, depth, level)| {
            let kind = match k {
                0 => BlockKind::Paragraph,
                1 => BlockKind::Code,
                2 => BlockKind::Heading,
                _ => BlockKind::ListItem {
                    marker: if level == 1 {
                        "2.".into()
                    } else {
                        "•".into()
                    },
                    level,
                },
            };
            let mut spans = Vec::new();
            if kind != BlockKind::Code {
                let b: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
                if b.len() >= 2 {
                    spans.push(Span {
                        range: b[0]..b[1],
                        style: SpanStyle::Strong,
                    });
                }
            }
            Block {
                kind,
                quote_depth: depth,
                text: text.into(),
                spans: spans.into(),
            }
        });
    (prop::collection::vec(block, 0..4), any::<bool>()).prop_map(|(blocks, link)| {
        let mut body = Body {
            blocks: blocks.into(),
            links: thin_vec::thin_vec![],
        };
        if link {
            body.links.push(Link {
                text: "t".into(),
                url: "https://e.x/(1)".into(),
            });
            if let Some(s) = body
                .blocks
                .iter_mut()
                .flat_map(|b| b.spans.iter_mut())
                .next()
            {
                s.style = SpanStyle::Link(0);
            }
        }
        body
    })
}

fn arb_thread() -> impl Strategy<Value = Thread> {
    let comment = (
        any::<prop::sample::Index>(),
        prop::option::of("\\PC{0,8}"),
        prop::option::of(-1_000_000_000i64..4_000_000_000),
        prop::option::of(any::<i64>()),
        arb_body(),
        any::<bool>(),
        0u32..5,
        prop::option::of("[a-z0-9]{1,3}"),
    );
    (
        prop::option::of("\\PC{0,10}"),
        arb_body(),
        prop::collection::vec(comment, 0..12),
        0u32..3,
    )
        .prop_map(|(title, body, comments, more)| {
            let mut b = ThreadBuilder::new();
            b.title = title;
            b.body = body;
            b.more = more;
            for (parent, author, created, score, body, deleted, more, id) in comments {
                let parent = (!b.is_empty())
                    .then(|| parent.index(b.len() + 1))
                    .and_then(|p| (p < b.len()).then_some(p));
                b.push(
                    parent,
                    CommentDraft {
                        source_id: id,
                        author,
                        created: created.map(Timestamp::Unix),
                        score,
                        body,
                        deleted,
                        more,
                        url: None,
                    },
                );
            }
            b.finish()
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]
    #[test]
    fn any_thread_round_trips_through_threadr_json(t in arb_thread()) {
        let first = dump(&t);
        let back = load(first.as_bytes(), "p.json", None).unwrap();
        prop_assert_eq!(without_warnings(back.clone()), without_warnings(t));
        prop_assert_eq!(dump(&back), first);
    }

    #[test]
    fn html_and_markdown_never_panic(s in "\\PC{0,60}|[<>/a-z =\"&#;0-9\n*`>\\[\\]()]{0,60}") {
        let _ = threadr::format::html::to_body(&s, true);
        let _ = threadr::format::markdown::to_body(&s);
    }
}

/// A Reddit-shaped file of `n` comments (a tenth top-level, replies three levels deep), with
/// the extra fields real files carry.
fn reddit_wide(n: usize) -> String {
    let mut s = String::with_capacity(n * 600);
    s.push_str(r#"[{"kind":"Listing","data":{"children":[{"kind":"t3","data":{"id":"big","title":"Big","author":"op","selftext":"Self **text**"}}]}},{"kind":"Listing","data":{"children":["#);
    let comment = |s: &mut String, i: usize| {
        let _ = write!(
            s,
            r#"{{"kind":"t1","data":{{"id":"c{i}","author":"user{}","body":"Comment {i} with *some* text, a [link](https://example.org/{i}) and enough words to look like a real reply of a few lines.\n\n> quoting someone\n\nThe end.","body_html":"&lt;div class=\"md\"&gt;&lt;p&gt;Comment&lt;/p&gt;&lt;/div&gt;","score":{},"created_utc":{}.0,"depth":0,"permalink":"/r/x/comments/big/_/c{i}/","subreddit":"x","controversiality":0,"gilded":0,"distinguished":null,"edited":false,"replies":"#,
            i % 97,
            i % 1000,
            1_500_000_000 + i
        );
    };
    let mut i = 0;
    let mut first = true;
    while i < n {
        if !first {
            s.push(',');
        }
        first = false;
        comment(&mut s, i);
        i += 1;
        let kids = 9.min(n - i);
        if kids == 0 {
            s.push_str("\"\"}}");
            continue;
        }
        s.push_str(r#"{"kind":"Listing","data":{"children":["#);
        for k in 0..kids {
            if k > 0 {
                s.push(',');
            }
            comment(&mut s, i);
            i += 1;
            s.push_str("\"\"}}");
        }
        s.push_str("]}}}}");
    }
    s.push_str("]}}]");
    s
}

#[test]
fn generated_reddit_counts() {
    let t = load(reddit_wide(1000).as_bytes(), "w.json", None).unwrap();
    assert_eq!(t.len(), 1000);
    assert_eq!(t.roots.len(), 100);
    assert_eq!(t.comments[1].depth, 1);
}

/// `cargo test --release --test it format_json:: -- --ignored --nocapture` prints the load time.
#[test]
#[ignore = "a measurement: run in release"]
fn reddit_100k_load_time() {
    let text = reddit_wide(100_000);
    let start = Instant::now();
    let tree = threadr::format::jsontree::parse(&text, "big.json", &mut Vec::new()).unwrap();
    let parse_only = start.elapsed();
    drop(tree);
    let start = Instant::now();
    let t = load(text.as_bytes(), "big.json", None).unwrap();
    let took = start.elapsed();
    assert_eq!(t.len(), 100_000);
    let start_dump = Instant::now();
    let out = dump(&t);
    println!(
        "100,000-comment Reddit file ({:.1} MB): loaded in {:?} (JSON tree alone {:?}); \
         dumped {:.1} MB in {:?}",
        text.len() as f64 / 1e6,
        took,
        parse_only,
        out.len() as f64 / 1e6,
        start_dump.elapsed()
    );
}

#[test]
fn a_nested_threadr_chain_100000_deep_loads_dumps_and_drops() {
    let depth = 100_000;
    let mut text = String::with_capacity(depth * 60);
    text.push_str(r#"{"format":"threadr/1","title":"deep","body":"a","comments":["#);
    for i in 0..depth {
        let _ = write!(text, r#"{{"id":"c{i}","body":"level {i}","replies":["#);
    }
    for _ in 0..depth {
        text.push_str("]}");
    }
    text.push_str("]}");
    let thread = threadr::format::load(text.as_bytes(), "deep.json", None).unwrap();
    assert_eq!(thread.len(), depth);
    assert_eq!(thread.comments[depth - 1].depth as usize, depth - 1);
    let mut out = Vec::new();
    threadr::export::write(&thread, threadr::export::DumpFormat::Json, &mut out).unwrap();
    let again = threadr::format::load(&out, "dump.json", None).unwrap();
    assert_eq!(again.len(), depth);
    drop(again);
    drop(thread);
}
