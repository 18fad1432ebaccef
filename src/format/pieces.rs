//! Reading a large file in pieces, when [`super::load_with`] would read it as plain text:
//! the thread is parsed as the file is read and the file is never held whole (on a
//! 100,000-comment file, 51 MB less at the peak, next to the 98 MB thread). Pure: the
//! caller reads the file and hands over pieces cut after a line end.
//!
//! Whether a file is plain text is decided on its start (JSON, HTML, mail and gzip show
//! there) and on every piece (a browser dump's evidence may be anywhere; see
//! `browser::quick`, which looks at single lines, so pieces cut after line ends answer as
//! the whole file would). Whatever the pieces cannot decide, or a piece that is not UTF-8,
//! says "read it whole": the caller then reads the file again with `load_with`, which
//! gives the same thread, warnings or error it always did.

use super::plain::{self, Lookahead};
use super::{InputFormat, browser, gzip, html_page, json, looks_binary, mail};
use crate::model::Thread;

/// The first piece must hold at least this many lines for the mail checks, which read the
/// first 64 lines, to see what they would in the whole file.
const MIN_HEAD_LINES: usize = 64;

/// A plain-text file being read in pieces.
pub struct Pieces<'a> {
    stream: plain::Stream<'a>,
}

impl<'a> Pieces<'a> {
    /// Starts on the file's first piece (cut after a line end, not the whole file) when the
    /// file reads as plain text; `None`: read it whole. `lookahead` answers for the whole
    /// file what [`plain::uses_unicode_bullets`] answers for a text.
    #[must_use]
    pub fn start(
        head: &[u8],
        forced: Option<InputFormat>,
        lookahead: Lookahead<'a>,
        progress: &mut dyn FnMut(usize),
    ) -> Option<Self> {
        if gzip::is_gzip(head) || looks_binary(head) {
            return None;
        }
        let text = simdutf8::basic::from_utf8(head).ok()?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if text.trim().is_empty() || !text.contains('\n') {
            return None;
        }
        match forced {
            Some(InputFormat::Text) => {}
            Some(_) => return None,
            None => {
                let t = text.trim_start();
                // HTML may open with comments of any length; JSON and mail show at once.
                if t.starts_with('<')
                    || json::looks_like_json(t)
                    || memchr::memchr_iter(b'\n', text.as_bytes()).count() < MIN_HEAD_LINES
                    || mail::looks_like_mbox(text)
                    || mail::looks_like_message(text)
                    || html_page::looks_like_html(text)
                    || !browser::cannot_be_dump(text)
                {
                    return None;
                }
            }
        }
        let mut pieces = Self {
            stream: plain::Stream::new(b'\n', lookahead),
        };
        pieces.stream.feed(text, progress);
        Some(pieces)
    }

    /// Reads the next piece (cut after a line end unless it is the last); `false`: the file
    /// must be read whole after all.
    #[must_use]
    pub fn feed(
        &mut self,
        piece: &[u8],
        forced: Option<InputFormat>,
        progress: &mut dyn FnMut(usize),
    ) -> bool {
        let Ok(text) = simdutf8::basic::from_utf8(piece) else {
            return false;
        };
        if forced.is_none() && !browser::cannot_be_dump(text) {
            return false;
        }
        self.stream.feed(text, progress);
        true
    }

    /// The thread read.
    #[must_use]
    pub fn finish(self) -> Thread {
        self.stream.finish()
    }
}

/// The thread of `bytes` read in pieces cut after line ends at the given byte offsets (a
/// test's and a benchmark's way to run what the reader does with a file), or `None` where
/// the reader would read it whole.
#[must_use]
pub fn read_in_pieces(bytes: &[u8], cuts: &[usize], forced: Option<InputFormat>) -> Option<Thread> {
    let mut points: Vec<usize> = cuts
        .iter()
        .filter_map(|&c| {
            let c = c.min(bytes.len());
            memchr::memchr(b'\n', &bytes[c..]).map(|i| c + i + 1)
        })
        .filter(|&p| p < bytes.len())
        .collect();
    points.sort_unstable();
    points.dedup();
    let (&first, rest) = points.split_first()?;
    let text = String::from_utf8_lossy(bytes);
    let lookahead: Lookahead<'_> = Box::new(move |top| {
        plain::uses_unicode_bullets(text.strip_prefix('\u{feff}').unwrap_or(&text), top)
    });
    let mut pieces = Pieces::start(&bytes[..first], forced, lookahead, &mut |_| {})?;
    let mut from = first;
    for at in rest.iter().copied().chain([bytes.len()]) {
        if !pieces.feed(&bytes[from..at], forced, &mut |_| {}) {
            return None;
        }
        from = at;
    }
    Some(pieces.finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Lines of plain threads, with the lines that make a file something else kept rare.
    const LINES: &[&str] = &[
        "",
        "A comment",
        "[by ann · 2017-08-11T14:03:00Z · 3 points]",
        "    • a reply",
        "      • deeper still",
        "    * lynx-style",
        "    - list item",
        "  going on with é and 中",
        "\u{feff}odd",
        "word",
    ];

    /// A file of `lines` lines after a title and an article; lines 1 and 2 of [`LINES`]
    /// open the next top-level comment (numbered in order).
    fn file(picks: &[usize], lines: usize) -> String {
        let mut t = String::from("Title\n\nThe article.\n\n");
        let mut number = 0;
        for i in 0..lines {
            let p = picks.get(i % picks.len().max(1)).copied().unwrap_or(i);
            let k = (p + i) % LINES.len();
            if k == 1 || k == 2 {
                number += 1;
                t.push_str("\n  ");
                t.push_str(&number.to_string());
                t.push_str(". ");
            }
            t.push_str(LINES[k]);
            t.push('\n');
        }
        t
    }

    fn whole(bytes: &[u8]) -> String {
        format!(
            "{:?}",
            crate::format::load(bytes, "t", None).expect("reads")
        )
    }

    proptest! {
        /// Read in any pieces, a plain file is the thread `load` reads from it whole.
        #[test]
        fn pieces_read_like_load(
            picks in prop::collection::vec(0usize..64, 1..20),
            lines in 200usize..400,
            cuts in prop::collection::vec(0usize..6000, 1..6),
        ) {
            let text = file(&picks, lines);
            // Cuts past 40% of the file, so that the first piece holds its 64 lines.
            let cuts: Vec<usize> = cuts.iter().map(|c| text.len() * (4000 + c) / 10_000).collect();
            let first = cuts.iter().min().copied().unwrap_or(0);
            let head_lines = memchr::memchr_iter(b'\n', &text.as_bytes()[..first]).count();
            match read_in_pieces(text.as_bytes(), &cuts, None) {
                Some(t) => prop_assert_eq!(format!("{t:?}"), whole(text.as_bytes())),
                None => prop_assert!(head_lines < MIN_HEAD_LINES, "read whole"),
            }
        }
    }

    #[test]
    fn a_plain_file_is_read_in_pieces() {
        let text = file(&[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 400);
        let cuts = [text.len() / 2, text.len() - 40];
        let t = read_in_pieces(text.as_bytes(), &cuts, None).expect("plain text");
        assert_eq!(format!("{t:?}"), whole(text.as_bytes()));
        assert!(t.len() > 100);
        let forced = read_in_pieces(text.as_bytes(), &cuts, Some(InputFormat::Text));
        assert!(forced.is_some());
    }

    /// What the pieces cannot decide is left to the whole file: a dump whose References
    /// come last, a piece that is not UTF-8, JSON, mail, HTML, a forced other format.
    #[test]
    fn other_shapes_are_read_whole() {
        let text = file(&[0, 1, 2, 3], 400);
        let mid = [text.len() / 2];
        let dump = format!("{text}References\n\n   1. https://example.com/\n");
        assert!(read_in_pieces(dump.as_bytes(), &mid, None).is_none());
        let mut latin1 = text.clone().into_bytes();
        latin1.extend(b"caf\xe9\n");
        assert!(read_in_pieces(&latin1, &mid, None).is_none());
        for head in [
            "[{\"kind\": 1}]\n",
            "From a@b Sat Jan  1 00:00:00 2000\nFrom: a\nSubject: x\n\n",
            "<!-- x -->\n",
        ] {
            let other = format!("{head}{text}");
            assert!(
                read_in_pieces(other.as_bytes(), &mid, None).is_none(),
                "{head}"
            );
        }
        assert!(read_in_pieces(text.as_bytes(), &mid, Some(InputFormat::Mbox)).is_none());
    }
}
