//! Synthetic threads in the plain-text and Reddit JSON shapes, for benchmarks and tests.
//!
//! Deterministic: the same arguments give the same bytes on every machine, so a benchmark
//! or a test can name a size and rely on it. Owns generation only: no IO, no parsing.
//!
//! ```
//! let text = threadr::synth::plain_thread(1_000, 7);
//! let thread = threadr::format::plain::parse(&text, "synth").unwrap();
//! assert_eq!(thread.len(), 1_000);
//! ```

use std::fmt::Write as _;

use crate::export::text::MAX_INDENT_DEPTH;

/// Deepest reply level [`plain_thread`] produces.
pub const MAX_DEPTH: usize = 12;

/// Words the bodies are made of (our own), with accents, curly quotes and a few long ones.
const WORDS: &[&str] = &[
    "the",
    "train",
    "was",
    "late",
    "again",
    "and",
    "nobody",
    "on",
    "platform",
    "seemed",
    "surprised",
    "café",
    "naïve",
    "résumé",
    "façade",
    "jalapeño",
    "Zoë",
    "Łódź",
    "São",
    "Paulo",
    "Müller",
    "Ångström",
    "déjà",
    "vu",
    "coöperate",
    "über",
    "timetable",
    "signal",
    "failure",
    "between",
    "stations",
    "honestly",
    "I",
    "think",
    "we",
    "should",
    "ask",
    "council",
    "for",
    "a",
    "refund",
    "of",
    "“every",
    "ticket”",
    "sold",
    "this",
    "week",
    "because",
    "it’s",
    "not",
    "fair",
    "to",
    "commuters",
    "who",
    "pay",
    "full",
    "price",
    "weather",
    "is",
    "never",
    "an",
    "excuse",
    "in",
    "autumn",
    "when",
    "leaves",
    "fall",
    "tracks",
    "become",
    "slippery",
    "engineers",
    "know",
    "that",
    "well",
    "budget",
    "maintenance",
    "overtime",
    "electrification",
    "unfortunately",
    "infrastructure",
    "whatever",
    "they",
    "say",
    "numbers",
    "don’t",
    "lie",
    "about",
    "punctuality",
    "since",
    "2019",
    "or",
    "earlier",
    "my",
    "neighbour",
    "drives",
    "now",
    "bike",
    "lanes",
    "help",
];

/// splitmix64: small, fast, and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// Appends a sentence-like run of about `bytes` bytes, capitalised, ending with a period.
fn words(rng: &mut Rng, out: &mut String, bytes: usize) {
    let start = out.len();
    while out.len() - start < bytes {
        if out.len() > start {
            out.push(' ');
        }
        let w = WORDS[rng.below(WORDS.len())];
        if out.len() == start {
            let mut chars = w.chars();
            if let Some(c) = chars.next() {
                out.extend(c.to_uppercase());
                out.push_str(chars.as_str());
            }
        } else {
            out.push_str(w);
        }
    }
    out.push('.');
}

/// A thread of exactly `comments` comments in the seed's plain-text shape, about 500 bytes
/// per comment (100,000 comments ≈ 50 MB).
///
/// Mixed depths up to [`MAX_DEPTH`] (about one comment in six is top-level), bodies of one
/// to four paragraphs, some with hard line breaks, some `– ` lists (which are not
/// replies), and about one comment in fifty ten times longer than usual. `seed` varies the
/// content; the same arguments always give the same text.
#[must_use]
pub fn plain_thread(comments: usize, seed: u64) -> String {
    let mut rng = Rng(seed ^ 0x0074_6872_6561_6472);
    let mut out = String::with_capacity(comments * 520 + 2_000);
    out.push_str("Why the trains are late\n\n");
    for _ in 0..3 {
        words(&mut rng, &mut out, 400);
        out.push_str("\n\n");
    }
    let mut depth = 0usize;
    let mut number = 0usize;
    for i in 0..comments {
        depth = if i == 0 || rng.chance(16) {
            0
        } else if rng.chance(55) && depth < MAX_DEPTH {
            depth + 1
        } else {
            1 + rng.below(depth.max(1))
        };
        if depth == 0 {
            number += 1;
            let _ = write!(out, "  {number}. ");
        } else {
            out.extend(std::iter::repeat_n(' ', 2 + 2 * depth));
            out.push_str("• ");
        }
        comment_body(&mut rng, &mut out, 4 + 2 * depth);
        out.push('\n');
    }
    out
}

/// One body: first line already started after the marker; further lines at `col`.
fn comment_body(rng: &mut Rng, out: &mut String, col: usize) {
    let long = rng.chance(2);
    let paragraphs = 1 + rng.below(4);
    for p in 0..paragraphs {
        if p > 0 {
            out.push('\n');
            out.extend(std::iter::repeat_n(' ', col));
        }
        let size = if long { 1_500 } else { 60 + rng.below(200) };
        if rng.chance(15) {
            // Hard line breaks: a few short lines.
            for l in 0..2 + rng.below(3) {
                if l > 0 {
                    out.push('\n');
                    out.extend(std::iter::repeat_n(' ', col));
                }
                words(rng, out, size / 3);
            }
        } else if p > 0 && rng.chance(5) {
            for l in 0..2 {
                if l > 0 {
                    out.push_str("\n\n");
                    out.extend(std::iter::repeat_n(' ', col));
                }
                out.push_str("– ");
                words(rng, out, size / 2);
            }
        } else {
            words(rng, out, size);
        }
        out.push('\n');
    }
}

/// A Reddit comments page (`/comments/<id>.json`, saved with `raw_json=1`) of exactly
/// `comments` comments, in the same tree shape and with the same kind of bodies as
/// [`plain_thread`] (about 800 bytes per comment: Reddit's field names cost room).
///
/// Replies nest in Listings as Reddit writes them; every comment has an id (`c0`, `c1`…),
/// an author, a score and a time. Paragraphs are separated by blank lines in the Markdown.
#[must_use]
pub fn reddit_thread(comments: usize, seed: u64) -> String {
    let mut rng = Rng(seed ^ 0x0072_6564_6469_7421);
    let mut out = String::with_capacity(comments * 820 + 4_000);
    let mut text = String::new();
    for _ in 0..3 {
        words(&mut rng, &mut text, 400);
        text.push_str("\n\n");
    }
    out.push_str(
        r#"[{"kind":"Listing","data":{"children":[{"kind":"t3","data":{"id":"p1","title":"Why the trains are late","author":"op","score":1234,"created_utc":1700000000,"selftext":""#,
    );
    json_str(&text, &mut out);
    out.push_str(r#""}}]}},{"kind":"Listing","data":{"children":["#);
    // `open` is how many comments are open (their replies Listing not yet closed); the
    // comment just written is open too until we know whether a deeper one follows.
    let mut open = 0usize;
    let mut depth = 0usize;
    for i in 0..comments {
        let next = if i == 0 || rng.chance(16) {
            0
        } else if rng.chance(55) && depth < MAX_DEPTH {
            depth + 1
        } else {
            1 + rng.below(depth.max(1))
        };
        if i > 0 {
            if next > depth {
                out.push_str(r#"{"kind":"Listing","data":{"children":["#);
            } else {
                out.push_str(r#"""}}"#);
                while open > next + 1 {
                    out.push_str("]}}}}");
                    open -= 1;
                }
                open -= 1;
                out.push(',');
            }
        }
        depth = next;
        open += 1;
        text.clear();
        let paragraphs = 1 + rng.below(4);
        let long = rng.chance(2);
        for p in 0..paragraphs {
            if p > 0 {
                text.push_str("\n\n");
            }
            let size = if long { 1_500 } else { 60 + rng.below(200) };
            words(&mut rng, &mut text, size);
        }
        let _ = write!(
            out,
            r#"{{"kind":"t1","data":{{"id":"c{i}","name":"t1_c{i}","author":"user{}","score":{},"created_utc":{},"depth":{depth},"body":""#,
            rng.below(5_000),
            rng.below(900),
            1_700_000_000 + i,
        );
        json_str(&text, &mut out);
        out.push_str(r#"","replies":"#);
    }
    if comments > 0 {
        out.push_str(r#"""}}"#);
        while open > 1 {
            out.push_str("]}}}}");
            open -= 1;
        }
    }
    out.push_str("]}}]\n");
    out
}

/// Appends `s` as JSON string content (the words hold no control characters but newlines).
fn json_str(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            _ => out.push(c),
        }
    }
}

/// A single reply chain `levels` deep, as `threadr dump --format text` writes it: real
/// indentation down to the capped depth, then `[depth N]` fields (see
/// [`crate::export::text`]). About 70 bytes per level.
#[must_use]
pub fn deep_chain(levels: usize) -> String {
    let cap = MAX_INDENT_DEPTH as usize;
    let mut out = String::with_capacity(levels * 72 + 64);
    out.push_str("A very deep chain\n\nEveryone replies to the one before.\n\n");
    for d in 0..levels {
        if d == 0 {
            out.push_str("  1. Level 0 starts it.\n\n");
            continue;
        }
        let marker = 2 + 2 * d.min(cap);
        out.extend(std::iter::repeat_n(' ', marker));
        if d > cap {
            let _ = writeln!(out, "• [depth {d}]");
            out.extend(std::iter::repeat_n(' ', marker + 2));
        } else {
            out.push_str("• ");
        }
        let _ = writeln!(out, "Level {d} answers level {}.\n", d - 1);
    }
    out
}

/// A saved `WordPress` page (HTML5 theme markup) of exactly `comments` comments, about
/// 1 KB of markup each (20,000 comments ≈ 20 MB): every fourth comment starts a reply chain
/// three deep, each comment has an avatar, a linked author, a `time[datetime]`, a paragraph
/// with a link and a reply link. For the HTML page reader's benchmark and scale tests.
#[must_use]
pub fn wordpress_page(comments: usize) -> String {
    let n = comments;
    let mut html = String::with_capacity(n * 1_050 + 1_000);
    html.push_str(
        "<!DOCTYPE html><html><head><title>Big | Blog</title><link rel=canonical href='https://b.example/p/'></head>\
         <body><main><article><h1 class=entry-title>Big</h1><div class=entry-content><p>Post.</p></div></article>\
         <div id=comments class=comments-area><ol class=comment-list>",
    );
    let mut i = 0;
    while i < n {
        let chain = (n - i).min(if i % 4 == 0 { 3 } else { 1 });
        for d in 0..chain {
            let id = i + d;
            let _ = write!(
                html,
                "<li id=\"comment-{id}\" class=\"comment even depth-{}\"><article id=\"div-comment-{id}\" class=\"comment-body\">\
                 <footer class=\"comment-meta\"><div class=\"comment-author vcard\"><img alt='' src='https://secure.gravatar.com/avatar/{id:032x}?s=50' class='avatar avatar-50 photo' height='50' width='50'>\
                 <b class=\"fn\"><a href='https://user{id}.example/' rel='external nofollow ugc' class='url'>User {id}</a></b> <span class=\"says\">says:</span></div>\
                 <div class=\"comment-metadata\"><a href=\"https://b.example/p/#comment-{id}\"><time datetime=\"2024-01-01T10:{:02}:00+00:00\">January 1, 2024 at 10:00 am</time></a></div></footer>\
                 <div class=\"comment-content\"><p>Comment {id}: Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. \
                 Ut enim ad minim veniam, quis nostrud <a href=\"https://x.example/{id}\">exercitation</a> ullamco laboris.</p></div>\
                 <div class=\"reply\"><a rel='nofollow' class='comment-reply-link' href='#comment-{id}'>Reply</a></div></article>",
                d + 1,
                id % 60
            );
            if d + 1 < chain {
                html.push_str("<ol class=\"children\">");
            }
        }
        for d in (0..chain).rev() {
            html.push_str("</li>");
            if d > 0 {
                html.push_str("</ol>");
            }
        }
        i += chain;
    }
    html.push_str("</ol></div></main><footer>f</footer></body></html>");
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_sized() {
        let a = plain_thread(500, 1);
        assert_eq!(a, plain_thread(500, 1));
        assert_ne!(a, plain_thread(500, 2));
        let per_comment = a.len() / 500;
        assert!(
            (350..700).contains(&per_comment),
            "{per_comment} bytes/comment"
        );
    }

    #[test]
    fn parses_to_the_requested_count_and_depths() {
        let t = crate::format::plain::parse(&plain_thread(2_000, 3), "synth").unwrap();
        assert_eq!(t.len(), 2_000);
        assert_eq!(t.title.as_deref(), Some("Why the trains are late"));
        assert_eq!(t.body.blocks.len(), 3);
        let max = t.comments.iter().map(|c| c.depth).max().unwrap_or(0);
        assert!((6..=MAX_DEPTH).contains(&(max as usize)), "{max}");
        assert!(
            t.roots.len() > 200 && t.roots.len() < 500,
            "{}",
            t.roots.len()
        );
        assert!(t.comments.iter().any(|c| c.body.blocks.len() == 4));
        assert!(
            t.comments
                .iter()
                .any(|c| c.body.plain_text().contains("\n– "))
        );
    }

    #[test]
    fn reddit_thread_reads_with_the_same_tree_as_its_ids() {
        let json = reddit_thread(3_000, 5);
        let t = crate::format::load(json.as_bytes(), "synth", None).unwrap();
        assert_eq!(t.len(), 3_000);
        assert_eq!(t.title.as_deref(), Some("Why the trains are late"));
        // Independent reading: every comment's `depth` field against where it was nested.
        let depths: Vec<u32> = json
            .match_indices(r#""depth":"#)
            .map(|(at, m)| {
                let rest = &json[at + m.len()..];
                let end = rest.find(',').unwrap();
                rest[..end].parse().unwrap()
            })
            .collect();
        assert_eq!(depths.len(), 3_000);
        for (c, d) in t.comments.iter().zip(&depths) {
            assert_eq!(c.depth, *d, "{}", c.id.0);
        }
        let max = t.comments.iter().map(|c| c.depth).max().unwrap_or(0);
        assert!((6..=MAX_DEPTH as u32).contains(&max), "{max}");
        assert!(
            t.comments
                .iter()
                .all(|c| c.author.is_some() && c.score.is_some())
        );
    }

    #[test]
    fn deep_chain_parses_to_its_depth() {
        let t = crate::format::plain::parse(&deep_chain(100), "synth").unwrap();
        assert_eq!(t.len(), 100);
        assert_eq!(t.comments[99].depth, 99);
        assert_eq!(
            t.comments[99].body.plain_text(),
            "Level 99 answers level 98."
        );
    }
}
