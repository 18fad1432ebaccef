//! The typed fast path against the general path: random threads of each shape (random
//! depths, authors, missing and `null` fields, fields of unexpected types, deleted comments,
//! escapes and non-ASCII text, `more` stubs), written with random escaping styles, read
//! both ways. Where the typed path reads, the threads are equal; where the general path
//! fails, the typed path must not read; the typed path may only decline on purpose.

use std::fmt::Write as _;

use proptest::prelude::*;
use serde_json::{Map, Value, json};

use crate::format::{InputFormat, json as json_format};
use crate::model::Thread;

/// A small deterministic generator (xorshift), so a failing seed replays.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Self(seed | 1)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn chance(&mut self, one_in: u64) -> bool {
        self.below(one_in) == 0
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

const PIECES: &[&str] = &[
    "",
    " ",
    "plain words here",
    "ünïcödé",
    "日本語のテキスト",
    "emoji 🎉🦀",
    "a \"quoted\" word",
    "back\\slash",
    "line\nbreak",
    "para\n\nnext para",
    "tab\there",
    "\u{1b}[31mred\u{7}",
    "&amp; &lt;p&gt; &gt; quote",
    "*bold* _it_ [link](http://example.com/a?b=1)",
    "> quoted\n\nreply",
    "[deleted]",
    "[removed]",
    "<p>html <a href=\"http://a.example/\">x</a>",
    "<i>it</i><p>&gt; hn quote<p>more",
    "1234",
    "\u{202e}rtl\u{200b}",
    "    code block\n",
];

fn text(r: &mut Rng) -> String {
    let n = r.below(4);
    (0..n).map(|_| *r.pick(PIECES)).collect()
}

/// A string most of the time, else anything the lenient readers must cope with.
fn lenient(r: &mut Rng, usual: impl FnOnce(&mut Rng) -> Value) -> Option<Value> {
    match r.below(12) {
        0 => None,
        1 => Some(Value::Null),
        2 => Some(json!(r.below(1000) as i64 - 10)),
        3 => Some(json!(f64::from(r.below(100_000) as u32) / 8.0)),
        4 => Some(json!(r.chance(2))),
        5 => Some(json!([1, "x"])),
        6 => Some(json!({"a": 1})),
        _ => Some(usual(r)),
    }
}

fn put(obj: &mut Map<String, Value>, key: &str, v: Option<Value>) {
    if let Some(v) = v {
        obj.insert(key.to_string(), v);
    }
}

fn name(r: &mut Rng) -> Value {
    json!(*r.pick(&["ann", "bo", "ümit", "[deleted]", " ", "李", "x\"y"]))
}

fn time(r: &mut Rng) -> Value {
    match r.below(3) {
        0 => json!(1_500_000_000 + r.below(100_000_000) as i64),
        1 => json!(1_500_000_000.0 + f64::from(r.below(1 << 20) as u32)),
        _ => json!("2017-08-11T14:03:00Z"),
    }
}

// ---- Reddit -------------------------------------------------------------------------

fn reddit_comment(r: &mut Rng, depth: u32, budget: &mut u32) -> Value {
    if r.chance(9) {
        // A `more` stub, sometimes "continue this thread".
        let ids: Vec<Value> = (0..r.below(4)).map(|i| json!(format!("m{i}"))).collect();
        let count = if r.chance(3) { 0 } else { r.below(50) };
        return json!({"kind": "more", "data": {"count": count, "children": ids, "id": "_"}});
    }
    if r.chance(40) {
        return r
            .pick(&[
                json!(7),
                json!({"data": {}}),
                json!({"kind": "t1"}),
                json!({"kind": "t1", "data": null}),
            ])
            .clone();
    }
    let mut d = Map::new();
    put(
        &mut d,
        "id",
        lenient(r, |r| json!(format!("c{}", r.below(1 << 30)))),
    );
    put(&mut d, "author", lenient(r, name));
    put(&mut d, "body", lenient(r, |r| json!(text(r))));
    if r.chance(2) {
        d.insert(
            "body_html".into(),
            json!(if r.chance(2) {
                "&lt;div&gt;x"
            } else {
                "<div>x"
            }),
        );
    }
    put(&mut d, "score", lenient(r, |r| json!(r.below(500))));
    put(&mut d, "created_utc", lenient(r, time));
    put(
        &mut d,
        "permalink",
        lenient(r, |r| json!(format!("/r/x/comments/p/_/c{}/", r.below(99)))),
    );
    put(&mut d, "edited", lenient(r, |r| json!(r.chance(2))));
    put(
        &mut d,
        "distinguished",
        lenient(r, |r| {
            json!(*r.pick(&["moderator", "admin", "special", "other"]))
        }),
    );
    d.insert("ups".into(), json!({"ignored": [1, 2, {"deep": [[]]}]}));
    let replies = if depth < 6 && *budget > 0 && r.chance(2) {
        let n = r.below(4);
        let kids: Vec<Value> = (0..n)
            .map(|_| {
                *budget = budget.saturating_sub(1);
                reddit_comment(r, depth + 1, budget)
            })
            .collect();
        json!({"kind": "Listing", "data": {"children": kids}})
    } else {
        r.pick(&[
            json!(""),
            Value::Null,
            json!(3),
            json!({"kind": "Listing", "data": {"children": []}}),
        ])
        .clone()
    };
    d.insert("replies".into(), replies);
    json!({"kind": if r.chance(30) { "t3" } else { "t1" }, "data": d})
}

fn reddit(r: &mut Rng) -> Value {
    let mut p = Map::new();
    put(&mut p, "id", lenient(r, |_| json!("p1")));
    put(&mut p, "title", lenient(r, |r| json!(text(r))));
    put(&mut p, "author", lenient(r, name));
    put(&mut p, "selftext", lenient(r, |r| json!(text(r))));
    if r.chance(2) {
        p.insert(
            "selftext_html".into(),
            if r.chance(2) {
                json!("&lt;div&gt;")
            } else {
                Value::Null
            },
        );
    }
    put(
        &mut p,
        "url",
        lenient(r, |_| json!("https://example.com/article")),
    );
    put(
        &mut p,
        "permalink",
        lenient(r, |_| json!("/r/x/comments/p1/t/")),
    );
    put(&mut p, "is_self", lenient(r, |r| json!(r.chance(2))));
    put(&mut p, "subreddit", lenient(r, |_| json!("rust")));
    put(
        &mut p,
        "subreddit_name_prefixed",
        lenient(r, |_| json!("r/rust")),
    );
    put(&mut p, "score", lenient(r, |r| json!(r.below(9))));
    put(&mut p, "created_utc", lenient(r, time));
    let mut budget = 40;
    let top: Vec<Value> = (0..r.below(8))
        .map(|_| reddit_comment(r, 0, &mut budget))
        .collect();
    let post = json!({"kind": "Listing", "data": {"children": [{"kind": "t3", "data": p}]}});
    json!([post, {"kind": "Listing", "data": {"children": top}}])
}

// ---- Hacker News ----------------------------------------------------------------------

fn hn_item(r: &mut Rng, algolia: bool, depth: u32, budget: &mut u32) -> Value {
    if r.chance(30) {
        return json!("not an item");
    }
    let (kids_key, author_key, text_key) = if algolia {
        ("children", "author", "text")
    } else {
        ("comments", "user", "content")
    };
    let mut d = Map::new();
    put(&mut d, "id", lenient(r, |r| json!(r.below(1 << 40))));
    put(&mut d, author_key, lenient(r, name));
    put(&mut d, text_key, lenient(r, |r| json!(text(r))));
    put(&mut d, "points", lenient(r, |r| json!(r.below(100))));
    put(
        &mut d,
        if r.chance(2) { "created_at_i" } else { "time" },
        lenient(r, time),
    );
    put(
        &mut d,
        "created_at",
        lenient(r, |_| json!("2020-11-04T12:00:00.000Z")),
    );
    for key in ["deleted", "dead", "flagged"] {
        if r.chance(4) {
            d.insert(key.into(), json!(r.chance(2)));
        }
    }
    if !algolia {
        d.insert("level".into(), json!(depth));
    }
    let kids = if depth < 5 && *budget > 0 && r.chance(2) {
        let kids: Vec<Value> = (0..r.below(4))
            .map(|_| {
                *budget = budget.saturating_sub(1);
                hn_item(r, algolia, depth + 1, budget)
            })
            .collect();
        Some(Value::Array(kids))
    } else {
        lenient(r, |_| json!([]))
    };
    put(&mut d, kids_key, kids);
    Value::Object(d)
}

fn hn(r: &mut Rng, algolia: bool) -> Value {
    let mut budget = 40;
    let mut root = match hn_item(r, algolia, 0, &mut budget) {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    // The keys the shape is known by.
    root.insert("id".into(), json!(25_015_967));
    put(&mut root, "title", lenient(r, |r| json!(text(r))));
    put(
        &mut root,
        "url",
        lenient(r, |_| json!("https://example.com/story")),
    );
    let kids: Vec<Value> = (0..r.below(6))
        .map(|_| hn_item(r, algolia, 0, &mut budget))
        .collect();
    if algolia {
        root.insert("children".into(), Value::Array(kids));
        root.insert("story_id".into(), json!(1));
    } else {
        root.insert("comments".into(), Value::Array(kids));
        root.insert("comments_count".into(), json!(3));
        // That key makes any object an Algolia item.
        root.remove("created_at_i");
    }
    Value::Object(root)
}

// ---- Lobsters ---------------------------------------------------------------------------

fn lobsters(r: &mut Rng) -> Value {
    let user = |r: &mut Rng| {
        if r.chance(2) {
            json!({"username": name(r)})
        } else {
            name(r)
        }
    };
    let mut root = Map::new();
    root.insert("short_id".into(), json!("abc123"));
    put(&mut root, "title", lenient(r, |r| json!(text(r))));
    put(
        &mut root,
        "url",
        lenient(r, |_| json!("https://example.com/")),
    );
    put(&mut root, "description", lenient(r, |r| json!(text(r))));
    put(&mut root, "submitter_user", lenient(r, user));
    put(
        &mut root,
        "short_id_url",
        lenient(r, |_| json!("https://lobste.rs/s/abc123")),
    );
    put(
        &mut root,
        "created_at",
        lenient(r, |_| json!("2024-01-02T03:04:05.000-06:00")),
    );
    let mut comments = Vec::new();
    let mut depth = 0i64;
    for i in 0..r.below(30) {
        if r.chance(25) {
            comments.push(json!(null));
            continue;
        }
        depth = (depth + r.below(3) as i64 - 1).max(0);
        let mut c = Map::new();
        c.insert("short_id".into(), json!(format!("c{i}")));
        if r.chance(2) && i > 0 {
            let parent = if r.chance(8) {
                "nope".to_string()
            } else {
                format!("c{}", r.below(i))
            };
            c.insert("parent_comment".into(), json!(parent));
        }
        if r.chance(3) {
            put(&mut c, "indent_level", lenient(r, |_| json!(depth + 1)));
        } else {
            put(&mut c, "depth", lenient(r, |_| json!(depth)));
        }
        put(&mut c, "commenting_user", lenient(r, user));
        put(&mut c, "comment", lenient(r, |r| json!(text(r))));
        put(&mut c, "score", lenient(r, |r| json!(r.below(20))));
        put(
            &mut c,
            "created_at",
            lenient(r, |_| json!("2024-01-02T03:04:05.000-06:00")),
        );
        put(&mut c, "is_deleted", lenient(r, |r| json!(r.chance(5))));
        put(&mut c, "is_moderated", lenient(r, |r| json!(r.chance(9))));
        put(
            &mut c,
            "url",
            lenient(r, |_| json!("https://lobste.rs/c/x")),
        );
        comments.push(Value::Object(c));
    }
    root.insert("comments".into(), Value::Array(comments));
    Value::Object(root)
}

// ---- threadr/1 ------------------------------------------------------------------------

/// A strict field: usually the right type; now and then a wrong one (then both paths must
/// fail, `wrong` says a failure is allowed).
fn strict(r: &mut Rng, wrong: &mut bool, right: impl FnOnce(&mut Rng) -> Value) -> Option<Value> {
    match r.below(40) {
        0 => {
            *wrong = true;
            Some(json!([1]))
        }
        1..=4 => None,
        5..=7 => Some(Value::Null),
        _ => Some(right(r)),
    }
}

fn native_comment(
    r: &mut Rng,
    wrong: &mut bool,
    id: usize,
    earlier: usize,
    depth: u32,
    budget: &mut u32,
) -> Value {
    let mut c = Map::new();
    // Always given: a parent names it.
    c.insert("id".into(), json!(format!("n{id}")));
    if depth == 0 && earlier > 0 && r.chance(2) {
        c.insert(
            "parent".into(),
            json!(format!("n{}", r.below(earlier as u64))),
        );
    }
    put(&mut c, "author", strict(r, wrong, name));
    put(&mut c, "body", strict(r, wrong, |r| json!(text(r))));
    put(
        &mut c,
        "created",
        strict(r, wrong, |r| {
            if r.chance(2) {
                json!("2021-02-03T04:05:06Z")
            } else {
                json!(1_600_000_000)
            }
        }),
    );
    put(
        &mut c,
        "score",
        strict(r, wrong, |r| {
            if r.chance(4) {
                json!(3.0)
            } else {
                json!(r.below(50))
            }
        }),
    );
    put(&mut c, "deleted", strict(r, wrong, |r| json!(r.chance(4))));
    put(&mut c, "more", strict(r, wrong, |r| json!(r.below(5))));
    put(
        &mut c,
        "url",
        strict(r, wrong, |_| json!("https://example.com/c")),
    );
    put(
        &mut c,
        "marks",
        strict(r, wrong, |r| {
            json!([*r.pick(&["dead", "edited", "moderator", "sparkly"])])
        }),
    );
    if depth < 5 && *budget > 0 && r.chance(4) {
        let kids: Vec<Value> = (0..r.below(3))
            .map(|k| {
                *budget = budget.saturating_sub(1);
                native_comment(r, wrong, id * 10 + k as usize + 1000, 0, depth + 1, budget)
            })
            .collect();
        c.insert("replies".into(), Value::Array(kids));
    }
    Value::Object(c)
}

fn native(r: &mut Rng, wrong: &mut bool) -> Value {
    let mut root = Map::new();
    root.insert("format".into(), json!("threadr/1"));
    put(&mut root, "title", strict(r, wrong, |r| json!(text(r))));
    put(
        &mut root,
        "url",
        strict(r, wrong, |_| json!("https://example.com/")),
    );
    put(&mut root, "author", strict(r, wrong, name));
    put(&mut root, "body", strict(r, wrong, |r| json!(text(r))));
    put(
        &mut root,
        "community",
        strict(r, wrong, |_| json!("r/rust")),
    );
    put(&mut root, "key", strict(r, wrong, |_| json!("reddit:abc")));
    put(&mut root, "more", strict(r, wrong, |r| json!(r.below(3))));
    let mut budget = 30;
    let n = r.below(15) as usize;
    let comments: Vec<Value> = (0..n)
        .map(|i| native_comment(r, wrong, i, i, 0, &mut budget))
        .collect();
    root.insert("comments".into(), Value::Array(comments));
    Value::Object(root)
}

// ---- writing --------------------------------------------------------------------------

/// Writes a JSON string with a random choice of escapes: `\n` or `\u000a`, non-ASCII raw or
/// as `\u` escapes (surrogate pairs beyond the BMP), `\/`.
fn write_str(r: &mut Rng, s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        let escape = r.chance(4);
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '/' if escape => out.push_str("\\/"),
            '\n' if !escape => out.push_str("\\n"),
            c if (c as u32) < 0x20 || (escape && !c.is_ascii()) || (escape && r.chance(8)) => {
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{u:04x}");
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn write(r: &mut Rng, v: &Value, out: &mut String) {
    let ws = |r: &mut Rng, out: &mut String| {
        if r.chance(5) {
            let space: &&str = r.pick(&[" ", "\n  ", "\t", "\r\n"]);
            out.push_str(space);
        }
    };
    match v {
        Value::String(s) => write_str(r, s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                ws(r, out);
                write(r, item, out);
            }
            out.push(']');
        }
        Value::Object(fields) => {
            // The keys a shape is told by first (as the sites write them, so that a cut
            // file still says what it is), the others in random order.
            let first = [
                "format",
                "kind",
                "id",
                "short_id",
                "story_id",
                "comments_count",
            ];
            let mut keys: Vec<&String> = fields
                .keys()
                .filter(|k| !first.contains(&k.as_str()))
                .collect();
            for i in (1..keys.len()).rev() {
                keys.swap(i, r.below(i as u64 + 1) as usize);
            }
            let ordered = first
                .iter()
                .filter_map(|k| fields.get_key_value(*k))
                .chain(keys.into_iter().map(|k| (k, &fields[k])));
            out.push('{');
            for (i, (k, item)) in ordered.enumerate() {
                if i > 0 {
                    out.push(',');
                }
                ws(r, out);
                write_str(r, k, out);
                out.push(':');
                ws(r, out);
                write(r, item, out);
            }
            out.push('}');
        }
        other => out.push_str(&other.to_string()),
    }
}

fn general(text: &str, forced: Option<InputFormat>) -> Result<Thread, crate::format::FormatError> {
    json_format::load_general(text, "t.json", forced, &mut |_| {})
}

/// Both paths on `text`: equal where the typed one reads; it reads whenever it must.
fn check(text: &str, must_read: bool) {
    let typed = super::read(text, None);
    match (typed, general(text, None)) {
        (Some(t), Ok(g)) => assert_eq!(t, g, "the two paths disagree on {text}"),
        (Some(_), Err(e)) => {
            panic!("the typed path read what the general one refuses ({e}): {text}")
        }
        (None, g) => assert!(
            !must_read,
            "the typed path declined ({:?}): {text}",
            g.err()
        ),
    }
}

/// `v` written in a random style (escapes, spaces, key order).
fn written(seed: u64, v: &Value) -> String {
    let mut out = String::new();
    write(&mut Rng::new(seed ^ 0x5555), v, &mut out);
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn reddit_reads_the_same_both_ways(seed in any::<u64>()) {
        let v = reddit(&mut Rng::new(seed));
        check(&written(seed, &v), true);
    }

    #[test]
    fn hn_reads_the_same_both_ways(seed in any::<u64>(), algolia in any::<bool>()) {
        let v = hn(&mut Rng::new(seed), algolia);
        check(&written(seed, &v), true);
    }

    #[test]
    fn lobsters_reads_the_same_both_ways(seed in any::<u64>()) {
        let v = lobsters(&mut Rng::new(seed));
        // A first comment whose `comment` is an object may be Lemmy's: left to the general
        // path on purpose.
        let lemmy_like = v["comments"].get(0).is_some_and(|c| c["comment"].is_object());
        check(&written(seed, &v), !lemmy_like);
    }

    #[test]
    fn threadr_reads_the_same_both_ways(seed in any::<u64>()) {
        let mut wrong = false;
        let v = native(&mut Rng::new(seed), &mut wrong);
        let text = written(seed, &v);
        check(&text, !wrong);
        if wrong {
            prop_assert!(super::read(&text, None).is_none());
        }
    }
}

#[test]
fn declines_what_only_the_general_path_reads() {
    let deep = format!(
        r#"{{"format":"threadr/1","comments":[{}{}]}}"#,
        r#"{"body":"x","replies":["#.repeat(70),
        "]}".repeat(70)
    );
    let cases = [
        // Deeper than serde_json's limit.
        deep.as_str(),
        // Lone surrogate (U+FFFD and a warning on the general path).
        r#"{"format":"threadr/1","title":"\ud83d","comments":[]}"#,
        // Duplicate keys: the tree reads the first.
        r#"{"format":"threadr/1","title":"a","title":"b"}"#,
        // -0, which the tree reads as the integer 0.
        r#"{"id":-0,"children":[],"story_id":1}"#,
        // A lone surrogate after an escaped backslash, in a field the typed path skips.
        r#"{"format":"threadr/1","x":"\\ud800\udc00","comments":[]}"#,
        // A first comment the typed probe cannot parse, which the general path reads as a
        // shape (Lobsters: it refuses; Lemmy: it reads).
        r#"{"id":1,"children":[],"comments":[{"short_id":"a","short_id":"b"}]}"#,
        r#"{"id":1,"children":[],"comments":[{"short_id":-0}]}"#,
        r#"{"id":1,"children":[],"comments":[{"short_id":1e400}]}"#,
        r#"{"id":1,"user":"u","comments":[{"comment":{"path":"0.1"},"comment":1}]}"#,
        // Other shapes.
        r#"{"post_stream":{"posts":[]}}"#,
        r#"{"kind":"Listing","data":{"children":[]}}"#,
        r#"{"comments":[{"comment":{"path":"0.1"}}],"short_id":"x"}"#,
        // Errors.
        r#"[{"kind":"Listing"}, 3]"#,
        r#"{"format":"threadr/1","comments":[{"parent":"zz"}]}"#,
        "[1, 2",
    ];
    for text in cases {
        assert!(super::read(text, None).is_none(), "{text}");
        check(text, false);
    }
    // A pair of surrogate escapes is fine.
    let pair = r#"{"format":"threadr/1","title":"\ud83d\ude00 ok","comments":[]}"#;
    check(pair, true);
    assert_eq!(
        super::read(pair, None).unwrap().title.as_deref(),
        Some("😀 ok")
    );
}

#[test]
fn deep_but_within_the_limit_reads_on_a_small_stack() {
    // 63 levels of threadr/1 replies (two JSON levels each, the most serde_json's limit lets
    // through) on a 1 MiB stack, half a job thread's, in a debug build: the typed
    // path recurses only as deep as serde_json lets it, so it cannot overflow.
    let text = format!(
        r#"{{"format":"threadr/1","comments":[{}{}]}}"#,
        r#"{"body":"x","replies":["#.repeat(63),
        "]}".repeat(63)
    );
    let t = std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(move || super::read(&text, None).map(|t| t.len()))
        .unwrap()
        .join()
        .unwrap();
    assert_eq!(t, Some(63));
}

/// A Reddit thread of one chain of `depth` comments.
fn reddit_chain(depth: usize) -> String {
    use std::fmt::Write as _;
    let mut c = String::new();
    for i in 0..depth {
        let _ = write!(
            c,
            r#"{{"kind":"t1","data":{{"id":"c{i}","author":"a","body":"x","replies":{{"kind":"Listing","data":{{"children":["#
        );
    }
    c.push_str(&"]}}}}".repeat(depth));
    format!(
        r#"[{{"kind":"Listing","data":{{"children":[{{"kind":"t3","data":{{"id":"p","title":"T"}}}}]}}}},{{"kind":"Listing","data":{{"children":[{c}]}}}}]"#
    )
}

#[test]
fn the_deepest_reddit_and_hn_the_typed_path_takes_read_on_a_quarter_job_stack() {
    // The deepest chain the typed path reads (one level more, it declines and the iterative
    // path reads it), on a quarter of a job thread's stack in a debug build.
    let deepest = (1..200)
        .take_while(|&d| super::read(&reddit_chain(d), None).is_some())
        .last()
        .unwrap();
    assert!(deepest > 10, "{deepest}");
    assert!(general(&reddit_chain(deepest + 1), None).is_ok());
    let hn = |depth: usize| {
        use std::fmt::Write as _;
        let mut open = String::new();
        for i in 0..depth {
            let _ = write!(
                open,
                r#"{{"id":{},"author":"a","text":"x","children":["#,
                i + 2
            );
        }
        format!(
            r#"{{"id":1,"type":"story","title":"T","children":[{open}{}]}}"#,
            "]}".repeat(depth)
        )
    };
    let hn_deepest = (1..200)
        .take_while(|&d| super::read(&hn(d), None).is_some())
        .last()
        .unwrap();
    assert!(hn_deepest > 30, "{hn_deepest}");
    let texts = [reddit_chain(deepest), hn(hn_deepest)];
    let counts = std::thread::Builder::new()
        .stack_size(crate::jobs::JOB_STACK / 4)
        .spawn(move || texts.map(|t| super::read(&t, None).map(|t| t.len())))
        .unwrap()
        .join()
        .unwrap();
    assert_eq!(counts, [Some(deepest), Some(hn_deepest)]);
}

#[test]
fn forced_formats_agree() {
    for seed in 0..40 {
        let mut r = Rng::new(seed);
        let text = written(seed, &lobsters(&mut r));
        for forced in [
            InputFormat::Lobsters,
            InputFormat::Hn,
            InputFormat::Hnpwa,
            InputFormat::Threadr,
            InputFormat::Reddit,
        ] {
            match (
                super::read(&text, Some(forced)),
                general(&text, Some(forced)),
            ) {
                (Some(t), Ok(g)) => assert_eq!(t, g),
                (Some(_), Err(e)) => panic!("{forced:?}: typed read what general refuses: {e}"),
                (None, _) => {}
            }
        }
    }
}

#[test]
fn synthetic_reddit_takes_the_typed_path() {
    // Past `assemble::PARALLEL_FROM`: the bodies are converted on several threads.
    let text = crate::synth::reddit_thread(3_000, 3);
    let typed = super::read(&text, None).expect("the typed path reads the generator's Reddit file");
    assert_eq!(typed, general(&text, None).unwrap());
    assert!(typed.len() >= 3_000);
}

/// The first screen of each cut of `text`: the typed head equals the general one, and is
/// there whenever the general one is (`may_decline`: unless the shape is left to the
/// general path on purpose).
fn check_heads(text: &str, seed: u64, may_decline: bool) {
    use crate::format::head::{json_head_general, json_head_typed};
    let mut r = Rng::new(seed ^ 0xabcd);
    // Random cuts, and cuts just after an opening brace (where an object starts to count).
    let braces: Vec<usize> = text.match_indices('{').map(|(i, _)| i).collect();
    for k in 0..12 {
        let mut cut = if k % 2 == 0 || braces.is_empty() {
            r.below(text.len() as u64 + 1) as usize
        } else {
            (*r.pick(&braces) + r.below(10) as usize).min(text.len())
        };
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        let head = &text[..cut];
        let typed = json_head_typed(head, None).filter(|t| !t.is_empty());
        let general = json_head_general(head, "t.json", None);
        match (&typed, &general) {
            (Some(t), Some(g)) => assert_eq!(t, g, "heads differ at {cut}: {head}"),
            (Some(_), None) => panic!("a typed head where the general path has none: {head}"),
            (None, Some(_)) => assert!(may_decline, "the typed head declined: {head}"),
            (None, None) => {}
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(150))]

    #[test]
    fn heads_read_the_same_both_ways(seed in any::<u64>(), shape in 0u8..5) {
        let mut r = Rng::new(seed);
        let mut wrong = false;
        let v = match shape {
            0 => reddit(&mut r),
            1 => hn(&mut r, true),
            2 => hn(&mut r, false),
            3 => lobsters(&mut r),
            _ => native(&mut r, &mut wrong),
        };
        let lemmy_like = v["comments"].get(0).is_some_and(|c| c["comment"].is_object());
        check_heads(&written(seed, &v), seed, lemmy_like || wrong);
    }
}
