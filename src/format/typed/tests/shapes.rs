//! Random threads of each shape the typed path reads (Reddit, Hacker News in both
//! shapes, Lobsters, threadr/1), as `serde_json` values: random depths, authors, missing and
//! `null` fields, fields of unexpected types, deleted comments, escapes and non-ASCII text,
//! `more` stubs. The parent module writes them out and reads them both ways.

use serde_json::{Map, Value, json};

/// A small deterministic generator (xorshift), so a failing seed replays.
pub(super) struct Rng(u64);

impl Rng {
    pub(super) fn new(seed: u64) -> Self {
        Self(seed | 1)
    }
    pub(super) fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub(super) fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    pub(super) fn chance(&mut self, one_in: u64) -> bool {
        self.below(one_in) == 0
    }
    pub(super) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

pub(super) const PIECES: &[&str] = &[
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

pub(super) fn text(r: &mut Rng) -> String {
    let n = r.below(4);
    (0..n).map(|_| *r.pick(PIECES)).collect()
}

/// A string most of the time, else anything the lenient readers must cope with.
pub(super) fn lenient(r: &mut Rng, usual: impl FnOnce(&mut Rng) -> Value) -> Option<Value> {
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

pub(super) fn put(obj: &mut Map<String, Value>, key: &str, v: Option<Value>) {
    if let Some(v) = v {
        obj.insert(key.to_string(), v);
    }
}

pub(super) fn name(r: &mut Rng) -> Value {
    json!(*r.pick(&["ann", "bo", "ümit", "[deleted]", " ", "李", "x\"y"]))
}

pub(super) fn time(r: &mut Rng) -> Value {
    match r.below(3) {
        0 => json!(1_500_000_000 + r.below(100_000_000) as i64),
        1 => json!(1_500_000_000.0 + f64::from(r.below(1 << 20) as u32)),
        _ => json!("2017-08-11T14:03:00Z"),
    }
}

// ---- Reddit -------------------------------------------------------------------------

pub(super) fn reddit_comment(r: &mut Rng, depth: u32, budget: &mut u32) -> Value {
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

pub(super) fn reddit(r: &mut Rng) -> Value {
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

pub(super) fn hn_item(r: &mut Rng, algolia: bool, depth: u32, budget: &mut u32) -> Value {
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

pub(super) fn hn(r: &mut Rng, algolia: bool) -> Value {
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

pub(super) fn lobsters(r: &mut Rng) -> Value {
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
pub(super) fn strict(
    r: &mut Rng,
    wrong: &mut bool,
    right: impl FnOnce(&mut Rng) -> Value,
) -> Option<Value> {
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

pub(super) fn native_comment(
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

pub(super) fn native(r: &mut Rng, wrong: &mut bool) -> Value {
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
