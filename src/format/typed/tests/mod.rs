//! The typed fast path against the general path: random threads of each shape (random
//! depths, authors, missing and `null` fields, fields of unexpected types, deleted comments,
//! escapes and non-ASCII text, `more` stubs), written with random escaping styles, read
//! both ways. Where the typed path reads, the threads are equal; where the general path
//! fails, the typed path must not read; the typed path may only decline on purpose.

use std::fmt::Write as _;

use proptest::prelude::*;
use serde_json::Value;

use crate::format::{InputFormat, json as json_format};
use crate::model::Thread;

mod shapes;

use shapes::{Rng, hn, lobsters, native, reddit};

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

/// A threadr/1 file whose one comment has replies `levels` deep (two JSON levels each).
fn nested_replies(levels: usize) -> String {
    format!(
        r#"{{"format":"threadr/1","comments":[{}{}]}}"#,
        r#"{"body":"x","replies":["#.repeat(levels),
        "]}".repeat(levels)
    )
}

#[test]
fn declines_what_only_the_general_path_reads() {
    let deep = nested_replies(70);
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
    let text = nested_replies(63);
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
