//! The plain-text reader fed in pieces: a large file is parsed as it is read, so the whole
//! file is never held next to the thread it becomes (on a 51 MB file that was 51 MB of
//! 150 at the peak). A text read whole is the same reader fed once ([`super::parse_with`]),
//! so the two cannot disagree; a property test feeds random pieces and compares.
//!
//! Pieces must be cut after a line end (any piece but the last ends with one), so no line
//! is split between two. The lines are those of `str::split(end)` over the pieces joined,
//! each without trailing white space.

use super::markers::top_marker;
use super::{Lookahead, PROGRESS_EVERY, Reader, read_article};
use crate::model::{Thread, ThreadBuilder};

/// A plain-text thread being read in pieces.
pub struct Stream<'a> {
    b: ThreadBuilder,
    /// The line end, `\n` (or `\r` for a text that has no `\n` at all).
    end: u8,
    /// The article's lines until the first comment (owned: they may span pieces).
    article: Vec<String>,
    /// Decides the bullet family, until the comments start and it moves to `reader`.
    lookahead: Option<Lookahead<'a>>,
    /// The comment section, once its first line was read.
    reader: Option<Reader<'a>>,
    /// Bytes fed so far.
    fed: usize,
    next_report: usize,
    /// Whether the last piece ended without a line end (so it was the last).
    ends_open: bool,
}

impl<'a> Stream<'a> {
    /// A reader splitting lines at `end` (`\n`, or `\r` for a text without any `\n`),
    /// asking `lookahead` about the whole input when it must (see [`Lookahead`]).
    #[must_use]
    pub fn new(end: u8, lookahead: Lookahead<'a>) -> Self {
        Self {
            b: ThreadBuilder::new(),
            end,
            article: Vec::new(),
            lookahead: Some(lookahead),
            reader: None,
            fed: 0,
            next_report: PROGRESS_EVERY,
            ends_open: false,
        }
    }

    /// Reads the next piece, telling `progress` how many bytes were read in all, about
    /// every [`PROGRESS_EVERY`] bytes.
    pub fn feed(&mut self, piece: &str, progress: &mut dyn FnMut(usize)) {
        debug_assert!(!self.ends_open, "a piece after one without a line end");
        let mut rest = piece;
        while !rest.is_empty() {
            let at = self.fed + (piece.len() - rest.len());
            if at >= self.next_report {
                progress(at);
                self.next_report = at + PROGRESS_EVERY;
            }
            let line = match memchr::memchr(self.end, rest.as_bytes()) {
                Some(i) => {
                    let line = &rest[..i];
                    rest = &rest[i + 1..];
                    line
                }
                None => {
                    self.ends_open = true;
                    std::mem::take(&mut rest)
                }
            };
            self.line(line.trim_end());
        }
        self.fed += piece.len();
    }

    fn line(&mut self, line: &str) {
        if let Some(reader) = &mut self.reader {
            reader.line(line, &mut self.b);
        } else if let Some(marker) = top_marker(line, None) {
            let lines: Vec<&str> = self.article.iter().map(String::as_str).collect();
            read_article(&lines, &mut self.b);
            self.article = Vec::new();
            let lookahead = self.lookahead.take().unwrap_or_else(|| Box::new(|_| false));
            let reader = self.reader.insert(Reader::new(lookahead, marker.indent));
            reader.start_top(line, marker, &mut self.b);
        } else {
            self.article.push(line.to_owned());
        }
    }

    /// The thread read.
    #[must_use]
    pub fn finish(mut self) -> Thread {
        if !self.ends_open {
            // What follows the last line end: `str::split` gives it as a last, empty line.
            self.line("");
        }
        match &mut self.reader {
            Some(reader) => {
                reader.finish_comment(&mut self.b);
                reader.mark_level_gaps(&mut self.b);
            }
            None => {
                let lines: Vec<&str> = self.article.iter().map(String::as_str).collect();
                read_article(&lines, &mut self.b);
            }
        }
        self.b.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::super::{parse, uses_unicode_bullets};
    use super::*;
    use proptest::prelude::*;

    /// Reads `text` cut after the line ends at the given places (the remainder last).
    fn in_pieces(text: &str, cuts: &[usize]) -> Thread {
        let ends: Vec<usize> = text.match_indices('\n').map(|(i, _)| i + 1).collect();
        let mut points: Vec<usize> = cuts
            .iter()
            .filter_map(|&c| ends.get(c % ends.len().max(1)).copied())
            .collect();
        points.sort_unstable();
        points.dedup();
        let end = if !text.contains('\n') && text.contains('\r') {
            b'\r'
        } else {
            b'\n'
        };
        let mut stream = Stream::new(end, Box::new(|top| uses_unicode_bullets(text, top)));
        let mut from = 0;
        for at in points.into_iter().chain([text.len()]) {
            stream.feed(&text[from..at], &mut |_| {});
            from = at;
        }
        stream.finish()
    }

    /// Lines every part of the reader reacts to: a title, metadata, numbers, `•`, lynx's
    /// and w3m's bullets, escapes, blank and indented lines, CRLF, trailing blanks.
    const LINES: &[&str] = &[
        "Title",
        "=====",
        "",
        "   ",
        "[by ann · 2017-08-11T14:03:00Z · 12 points]",
        "  1. First",
        "  2. [by bob · depth 3]",
        "  3.",
        "    • reply",
        "      • deeper",
        "    * lynx reply",
        "    - a list item",
        "      + item",
        "  text going on",
        "\\  4. escaped",
        "word.\r",
        "\t tabbed  ",
        "  10. ten",
        "https://example.com/x",
    ];

    fn text(picks: &[usize], final_end: bool) -> String {
        let mut t: String = picks
            .iter()
            .map(|&p| LINES[p % LINES.len()])
            .collect::<Vec<_>>()
            .join("\n");
        if final_end {
            t.push('\n');
        }
        t
    }

    proptest! {
        /// Any cutting after line ends reads the same thread as the text read whole.
        #[test]
        fn pieces_read_like_the_whole(
            picks in prop::collection::vec(0usize..64, 0..40),
            cuts in prop::collection::vec(0usize..64, 0..8),
            final_end: bool,
        ) {
            let text = text(&picks, final_end);
            let whole = parse(&text, "t").expect("plain text always parses");
            let pieces = in_pieces(&text, &cuts);
            prop_assert_eq!(format!("{pieces:?}"), format!("{whole:?}"));
        }
    }

    #[test]
    fn edges_read_like_the_whole() {
        for text in [
            "",
            "\n",
            "a",
            "a\n",
            "\n\n  1. x\n",
            "x\ry\r",
            "  1. a\n\n  2. b",
        ] {
            let whole = parse(text, "t").expect("plain text always parses");
            for cuts in [&[][..], &[0], &[0, 1, 2]] {
                let pieces = in_pieces(text, cuts);
                assert_eq!(format!("{pieces:?}"), format!("{whole:?}"), "{text:?}");
            }
        }
    }
}
