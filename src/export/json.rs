//! threadr/1 JSON output: what `threadr dump --format json` writes.
//!
//! Flat `comments` in document order (parents before replies), pretty-printed with stable key
//! order, so dumping a dump gives the same bytes. Lossless: every body is written with the
//! exact encoding of [`crate::format::markup`] (paragraphs, quotes, code, lists, styles and
//! links), which [`crate::format::native`] reads back into the same model. Besides the fields
//! of issue 2 it writes `more` and `key` for the thread and `url` for each comment, so those
//! survive a round trip too, and, only when present, the thread's `community` and each
//! comment's `marks` (so files without them keep their old bytes). Text is kept as it is,
//! nothing removed (the file is data); the characters the screen would neutralise (C0/C1
//! controls, DEL, bidi controls, runs of combining or zero-width marks past the screen's
//! cap) are written as `\u` escapes by [`JsonEscaper`], so `cat` of a dump is safe too.
//!
//! The bytes are `serde_json`'s pretty printer's (2-space indent, `"key": value`), written
//! by hand into one reused buffer handed to the output in large pieces: no document tree, no
//! write per JSON token, one scratch string for every comment's body. The unit tests keep
//! the `serde_json` writer this replaced and compare both outputs byte for byte.

use std::io::Write;

use crate::format::markup;
use crate::format::native::FORMAT;
use crate::model::{Comment, Thread, Timestamp};
use crate::text::JsonEscaper;

/// The buffer is handed to the output once it holds this much.
const CHUNK: usize = 1 << 16;

/// The document being written: the buffer, the escaper that sees every string in order,
/// and a scratch string for encoded bodies and dates.
struct Doc<'a> {
    buf: String,
    esc: JsonEscaper,
    scratch: String,
    out: &'a mut dyn Write,
}

impl Doc<'_> {
    /// `"key": ` at `indent` spaces, after a comma and newline unless it is the first.
    fn key(&mut self, indent: &str, key: &str, first: bool) {
        self.buf.push_str(if first { "\n" } else { ",\n" });
        self.buf.push_str(indent);
        self.esc.push_json_str(key, &mut self.buf);
        self.buf.push_str(": ");
    }

    fn str(&mut self, s: &str) {
        self.esc.push_json_str(s, &mut self.buf);
    }

    fn opt_str(&mut self, s: Option<&str>) {
        match s {
            Some(s) => self.str(s),
            None => self.buf.push_str("null"),
        }
    }

    fn opt_date(&mut self, t: Option<&Timestamp>) {
        match t {
            Some(t) => {
                let date = t.to_rfc3339();
                self.str(&date);
            }
            None => self.buf.push_str("null"),
        }
    }

    fn number(&mut self, n: impl std::fmt::Display) {
        // Writing to a String cannot fail.
        let _ = std::fmt::Write::write_fmt(&mut self.buf, format_args!("{n}"));
    }

    fn opt_number(&mut self, n: Option<i64>) {
        match n {
            Some(n) => self.number(n),
            None => self.buf.push_str("null"),
        }
    }

    /// A body in the markup encoding, as a JSON string.
    fn body(&mut self, body: &crate::model::Body) {
        let mut encoded = std::mem::take(&mut self.scratch);
        encoded.clear();
        markup::encode_into(body, &mut encoded);
        self.str(&encoded);
        self.scratch = encoded;
    }

    /// Hands the buffer to the output when it is full enough (`all`: whatever it holds).
    fn flush(&mut self, all: bool) -> std::io::Result<()> {
        if all || self.buf.len() >= CHUNK {
            self.out.write_all(self.buf.as_bytes())?;
            self.buf.clear();
        }
        Ok(())
    }

    fn comment(&mut self, thread: &Thread, c: &Comment) {
        const IN: &str = "      ";
        self.buf.push_str("    {");
        self.key(IN, "id", true);
        self.str(&c.id.0);
        self.key(IN, "parent", false);
        self.opt_str(c.parent.map(|p| thread.comment(p).id.0.as_str()));
        self.key(IN, "author", false);
        self.opt_str(c.author.as_deref());
        self.key(IN, "created", false);
        self.opt_date(c.created.as_ref());
        self.key(IN, "score", false);
        self.opt_number(c.score);
        self.key(IN, "body", false);
        self.body(&c.body);
        self.key(IN, "deleted", false);
        self.buf.push_str(if c.deleted { "true" } else { "false" });
        self.key(IN, "more", false);
        self.number(c.more);
        self.key(IN, "url", false);
        self.opt_str(c.url.as_deref());
        let marks = c.marks.names();
        if !marks.is_empty() {
            self.key(IN, "marks", false);
            self.buf.push('[');
            for (i, m) in marks.iter().enumerate() {
                self.buf.push_str(if i == 0 { "\n" } else { ",\n" });
                self.buf.push_str("        ");
                self.str(m);
            }
            self.buf.push_str("\n      ]");
        }
        self.buf.push_str("\n    }");
    }
}

/// Writes `thread` as threadr/1 JSON.
///
/// # Errors
/// When writing fails (its kind kept: a closed pipe stays `BrokenPipe` for the caller).
pub fn write(thread: &Thread, out: &mut dyn Write) -> std::io::Result<()> {
    const IN: &str = "  ";
    let mut d = Doc {
        buf: String::with_capacity(CHUNK + (CHUNK >> 2)),
        esc: JsonEscaper::new(),
        scratch: String::new(),
        out,
    };
    d.buf.push('{');
    d.key(IN, "format", true);
    d.str(FORMAT);
    d.key(IN, "title", false);
    d.opt_str(thread.title.as_deref());
    d.key(IN, "url", false);
    d.opt_str(thread.url.as_deref());
    d.key(IN, "author", false);
    d.opt_str(thread.author.as_deref());
    d.key(IN, "created", false);
    d.opt_date(thread.created.as_ref());
    d.key(IN, "score", false);
    d.opt_number(thread.score);
    if let Some(community) = thread.community.as_deref() {
        d.key(IN, "community", false);
        d.str(community);
    }
    d.key(IN, "more", false);
    d.number(thread.more);
    d.key(IN, "key", false);
    d.str(&thread.key);
    d.key(IN, "body", false);
    d.body(&thread.body);
    d.key(IN, "comments", false);
    if thread.comments.is_empty() {
        d.buf.push_str("[]");
    } else {
        d.buf.push('[');
        for (i, c) in thread.comments.iter().enumerate() {
            d.buf.push_str(if i == 0 { "\n" } else { ",\n" });
            d.comment(thread, c);
            d.flush(false)?;
        }
        d.buf.push_str("\n  ]");
    }
    d.buf.push_str("\n}\n");
    d.flush(true)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use crate::model::{
        Block, BlockKind, Body, CommentDraft, Link, Marks, Span, SpanStyle, Thread, ThreadBuilder,
        Timestamp,
    };

    /// The `serde_json` writer this module's was measured against and must equal.
    mod reference {
        use std::io::Write;

        use serde::Serialize;

        use crate::format::markup;
        use crate::format::native::FORMAT;
        use crate::model::{Thread, Timestamp};

        #[derive(Serialize)]
        struct OutThread<'a> {
            format: &'static str,
            title: Option<&'a str>,
            url: Option<&'a str>,
            author: Option<&'a str>,
            created: Option<String>,
            score: Option<i64>,
            #[serde(skip_serializing_if = "Option::is_none")]
            community: Option<&'a str>,
            more: u32,
            key: &'a str,
            body: String,
            comments: Vec<OutComment<'a>>,
        }

        #[derive(Serialize)]
        struct OutComment<'a> {
            id: &'a str,
            parent: Option<&'a str>,
            author: Option<&'a str>,
            created: Option<String>,
            score: Option<i64>,
            body: String,
            deleted: bool,
            more: u32,
            url: Option<&'a str>,
            #[serde(skip_serializing_if = "Vec::is_empty")]
            marks: Vec<&'static str>,
        }

        /// The writer [`super::super::write`] replaced.
        pub(super) fn write(thread: &Thread, out: &mut dyn Write) -> std::io::Result<()> {
            let doc = OutThread {
                format: FORMAT,
                title: thread.title.as_deref(),
                url: thread.url.as_deref(),
                author: thread.author.as_deref(),
                created: thread.created.as_ref().map(Timestamp::to_rfc3339),
                score: thread.score,
                community: thread.community.as_deref(),
                more: thread.more,
                key: &thread.key,
                body: markup::encode(&thread.body),
                comments: thread
                    .comments
                    .iter()
                    .map(|c| OutComment {
                        id: &c.id.0,
                        parent: c.parent.map(|p| thread.comment(p).id.0.as_str()),
                        author: c.author.as_deref(),
                        created: c.created.as_ref().map(Timestamp::to_rfc3339),
                        score: c.score,
                        body: markup::encode(&c.body),
                        deleted: c.deleted,
                        more: c.more,
                        url: c.url.as_deref(),
                        marks: c.marks.names(),
                    })
                    .collect(),
            };
            let mut safe = EscapeUnsafe(&mut *out, crate::text::JsonEscaper::new());
            // `From` keeps the io error's kind (a closed pipe stays `BrokenPipe` for the caller).
            serde_json::to_writer_pretty(&mut safe, &doc).map_err(std::io::Error::from)?;
            writeln!(out)
        }

        /// Writes JSON through [`crate::text::JsonEscaper`]: the characters that could affect a
        /// terminal (DEL, C1, bidi, invisible, combining runs past the screen's cap) become `\u`
        /// escapes, so `threadr dump` on a terminal is as safe as the screen. The JSON means the
        /// same, so reading it back is unchanged. `serde_json` hands over whole UTF-8 fragments of
        /// its output, so each write can be scanned as text.
        struct EscapeUnsafe<'a>(&'a mut dyn Write, crate::text::JsonEscaper);

        impl Write for EscapeUnsafe<'_> {
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                match std::str::from_utf8(buf).map(|text| self.1.escape(text)) {
                    Ok(Some(escaped)) => self.0.write_all(escaped.as_bytes())?,
                    _ => self.0.write_all(buf)?,
                }
                Ok(buf.len())
            }

            fn flush(&mut self) -> std::io::Result<()> {
                self.0.flush()
            }
        }
    }

    fn both(thread: &Thread) -> (String, String) {
        let mut new = Vec::new();
        super::write(thread, &mut new).unwrap();
        let mut old = Vec::new();
        reference::write(thread, &mut old).unwrap();
        (
            String::from_utf8(new).unwrap(),
            String::from_utf8(old).unwrap(),
        )
    }

    fn same(thread: &Thread) {
        let (new, old) = both(thread);
        if new != old {
            let at = new
                .bytes()
                .zip(old.bytes())
                .position(|(a, b)| a != b)
                .unwrap_or(new.len().min(old.len()));
            let show = |s: &str| {
                s.get(at.saturating_sub(80)..(at + 80).min(s.len()))
                    .map(str::to_string)
            };
            panic!(
                "differ at byte {at}:\nnew {:?}\nold {:?}",
                show(&new),
                show(&old)
            );
        }
    }

    /// Text with everything the escapes care about: quotes, backslashes, C0 controls, DEL,
    /// C1, bidi controls, a combining run past the cap (split by nothing), emoji, CJK.
    fn hostile(i: usize) -> String {
        format!(
            "say \"hi\" \\ back\ttab\u{1}\u{1f}\u{7f}\u{9b} \u{202e}evil\u{202c} e{}x{} 👍🏽 漢字 {i}\r\n\u{8}\u{c}",
            "\u{301}".repeat(40),
            "\u{200d}".repeat(3)
        )
    }

    fn hostile_thread() -> Thread {
        let mut b = ThreadBuilder::new();
        b.title = Some(hostile(0));
        b.url = Some("https://example.org/a?b=\"c\"".into());
        b.author = Some("op \u{202e}".into());
        b.created = Some(Timestamp::Unix(1_700_000_000));
        b.score = Some(-3);
        b.community = Some("r/ünïcode".into());
        b.more = 7;
        b.source_key = Some("hn:1".into());
        let mut linked = Block::paragraph(format!("see {} here", hostile(1)));
        linked.spans = vec![Span {
            range: 0..3,
            style: SpanStyle::Link(0),
        }]
        .into();
        let mut code = Block::paragraph("```\nfn x() {}\n```");
        code.kind = BlockKind::Code;
        b.body = Body {
            blocks: thin_vec::thin_vec![linked, code, Block::paragraph(hostile(2))],
            links: thin_vec::thin_vec![Link {
                text: "see".into(),
                url: "https://example.org/\u{7f}x".into(),
            }],
        };
        let mut parent = None;
        for i in 0..12 {
            let h = b.push(
                parent,
                CommentDraft {
                    source_id: (i % 3 != 0).then(|| format!("c{i}\"")),
                    author: (i % 4 != 1).then(|| hostile(i)),
                    created: match i % 3 {
                        0 => None,
                        1 => Some(Timestamp::Unix(i64::try_from(i).unwrap() * 1000)),
                        _ => Some(Timestamp::Text(format!("{i} days ago \u{202e}"))),
                    },
                    score: (i % 2 == 0).then(|| i64::try_from(i).unwrap() - 5),
                    body: Body {
                        blocks: thin_vec::thin_vec![
                            Block::paragraph(hostile(i)),
                            Block::paragraph("")
                        ],
                        links: thin_vec::ThinVec::new(),
                    },
                    deleted: i % 5 == 0,
                    more: u32::try_from(i).unwrap(),
                    url: (i % 2 == 1).then(|| format!("https://example.org/{i}")),
                },
            );
            b.mark(
                h,
                Marks::from_bits_truncate(u8::try_from(i * 37 % 256).unwrap()),
            );
            parent = (i % 4 != 3).then_some(h);
        }
        b.finish()
    }

    #[test]
    fn the_bytes_are_the_serde_writers_on_hostile_text_and_every_field_shape() {
        same(&hostile_thread());
        same(&ThreadBuilder::new().finish());
        let (new, _) = both(&hostile_thread());
        assert!(new.contains("\\u202e") && new.contains("\\u007f") && new.contains("\\u0301"));
        assert!(new.contains("\"marks\": [\n        \""), "{new}");
        let back = crate::format::load(new.as_bytes(), "t.json", None).unwrap();
        assert_eq!(back.comments.len(), 12);
    }

    #[test]
    fn the_bytes_are_the_serde_writers_on_a_generated_thread() {
        let text = crate::synth::plain_thread(3_000, 7);
        same(&crate::format::plain::parse(&text, "t").unwrap());
    }

    /// Every real export beside the repository (`THREADR_CORPUS`, which `.ci/run` sets),
    /// read by whichever reader takes it, written both ways.
    #[test]
    fn the_bytes_are_the_serde_writers_on_the_corpus() {
        let Some(dir) = std::env::var_os("THREADR_CORPUS") else {
            println!("corpus: skipped, THREADR_CORPUS is not set (.ci/run sets it)");
            return;
        };
        let mut seen = 0;
        let mut stack = vec![std::path::PathBuf::from(dir)];
        while let Some(d) = stack.pop() {
            for entry in std::fs::read_dir(&d).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let bytes = std::fs::read(&path).unwrap();
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                if let Ok(thread) = crate::format::load(&bytes, &name, None) {
                    same(&thread);
                    seen += 1;
                }
            }
        }
        assert!(seen >= 5, "only {seen} corpus files read");
    }

    fn text() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                4 => proptest::char::range('a', 'z'),
                1 => proptest::sample::select(vec![
                    '"', '\\', '\n', '\t', '\r', '\u{0}', '\u{1b}', '\u{7f}', '\u{85}',
                    '\u{9b}', '\u{200b}', '\u{200d}', '\u{202e}', '\u{2028}', '\u{301}',
                    '\u{fe0f}', '\u{e0041}', '👍', '漢', 'é', ' ', '*', '[', ']', '`', '>',
                ]),
                1 => any::<char>(),
            ],
            0..60,
        )
        .prop_map(|cs| cs.into_iter().collect())
    }

    proptest! {
        #[test]
        fn any_text_is_written_as_the_serde_writer_writes_it(
            title in proptest::option::of(text()),
            bodies in proptest::collection::vec((text(), proptest::option::of(text()), any::<u8>()), 0..6),
        ) {
            let mut b = ThreadBuilder::new();
            b.title = title;
            b.body = Body { blocks: thin_vec::thin_vec![Block::paragraph(bodies.first().map_or(String::new(), |t| t.0.clone()))], links: thin_vec::ThinVec::new() };
            for (i, (body, author, marks)) in bodies.into_iter().enumerate() {
                let h = b.push(i.checked_sub(1), CommentDraft {
                    author,
                    body: Body { blocks: thin_vec::thin_vec![Block::paragraph(body)], links: thin_vec::ThinVec::new() },
                    ..CommentDraft::default()
                });
                b.mark(h, Marks::from_bits_truncate(marks));
            }
            let thread = b.finish();
            let (new, old) = both(&thread);
            prop_assert_eq!(new, old);
        }
    }
}
