//! Wrapping sanitised text to a width, measured in terminal columns.
//!
//! We wrap ourselves with textwrap instead of ratatui's `Wrap`, which panics on wide
//! characters at small widths (ratatui issue 2679) and costs a full reflow every frame.
//! Callers cache the result per width.

use textwrap::{Options, WordSeparator, WordSplitter, WrapAlgorithm};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Columns a string takes on screen.
#[must_use]
pub fn display_width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// How threadr wraps: first fit (linear, and stable while reading), words broken only when
/// longer than the line, never at hyphens (dates, URLs and ids carry them).
fn options(width: usize) -> Options<'static> {
    Options::new(width)
        .break_words(true)
        .word_separator(WordSeparator::AsciiSpace)
        .word_splitter(WordSplitter::NoHyphenation)
        .wrap_algorithm(WrapAlgorithm::FirstFit)
}

/// Reflows sanitised text (`\n` = hard break) to `width` columns (at least 1) and returns
/// each output line as a byte range of `text` (line breaks and the spaces a wrap consumed
/// fall between ranges), so callers can carry styles across. Empty input gives no lines; an
/// empty line between two others is kept.
#[must_use]
pub fn wrap_ranges(text: &str, width: usize) -> Vec<std::ops::Range<usize>> {
    let width = width.max(1);
    let options = options(width);
    let mut out = Vec::new();
    if text.is_empty() {
        return out;
    }
    let base = text.as_ptr() as usize;
    let mut start = 0;
    for line in text.split('\n') {
        let line_start = start;
        start += line.len() + 1;
        if display_width(line) <= width {
            out.push(line_start..line_start + line.len());
            continue;
        }
        let mut search_from = line_start;
        for piece in textwrap::wrap(line, &options) {
            // textwrap borrows from its input when it can; find the piece's offset.
            let offset = match &piece {
                std::borrow::Cow::Borrowed(b) => b.as_ptr() as usize - base,
                std::borrow::Cow::Owned(o) => text[search_from..]
                    .find(o.as_str())
                    .map_or(search_from, |p| p + search_from),
            };
            out.push(offset..offset + piece.len());
            search_from = offset + piece.len();
        }
    }
    out
}

/// Breaks each line at exactly `width` columns without reflowing (for code).
#[must_use]
pub fn wrap_hard(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut out = Vec::new();
    for line in text.split('\n') {
        let mut current = String::new();
        let mut col = 0;
        for c in line.chars() {
            let w = c.width().unwrap_or(0);
            if col + w > width && !current.is_empty() {
                out.push(std::mem::take(&mut current));
                col = 0;
            }
            current.push(c);
            col += w;
        }
        out.push(current);
    }
    out
}

/// The longest prefix of `s` that fits in `width` columns, with `…` when cut.
#[must_use]
pub fn truncate_to_width(s: &str, width: usize) -> String {
    if display_width(s) <= width {
        return s.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut col = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if col + w > width - 1 {
            break;
        }
        out.push(c);
        col += w;
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// An independent wrap built on textwrap's own output strings: the reference the
    /// byte ranges are checked against.
    fn reference_wrap(text: &str, width: usize) -> Vec<String> {
        let width = width.max(1);
        let options = options(width);
        let mut out = Vec::new();
        for line in text.split('\n') {
            if line.is_empty() {
                out.push(String::new());
                continue;
            }
            if display_width(line) <= width {
                out.push(line.to_string());
                continue;
            }
            out.extend(
                textwrap::wrap(line, &options)
                    .into_iter()
                    .map(std::borrow::Cow::into_owned),
            );
        }
        if text.is_empty() {
            out.clear();
        }
        out
    }

    /// The wrapped lines as strings, from the ranges.
    fn wrap(text: &str, width: usize) -> Vec<String> {
        wrap_ranges(text, width)
            .into_iter()
            .map(|r| text[r].to_string())
            .collect()
    }

    #[test]
    fn wraps_words_and_keeps_hard_breaks() {
        assert_eq!(wrap("one two three", 7), ["one two", "three"]);
        assert_eq!(wrap("a\n\nb", 10), ["a", "", "b"]);
        assert!(wrap("", 5).is_empty());
    }

    #[test]
    fn wide_characters_at_tiny_widths() {
        for w in 0..4 {
            let lines = wrap("a🌞b", w);
            assert_eq!(lines.concat(), "a🌞b");
        }
        assert_eq!(wrap_hard("abcdef", 4), ["abcd", "ef"]);
        assert_eq!(truncate_to_width("hello world", 6), "hello…");
        assert_eq!(truncate_to_width("日本語", 3), "日…");
    }

    #[test]
    fn ranges_cover_the_wrapped_lines() {
        let text = "one two three\nfour";
        let ranges = wrap_ranges(text, 7);
        let lines: Vec<&str> = ranges.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(lines, ["one two", "three", "four"]);
    }

    proptest! {
        #[test]
        fn ranges_agree_with_wrap(s in "\\PC{0,120}", w in 1usize..20) {
            let clean = crate::text::sanitize(&s);
            let ranges = wrap_ranges(&clean, w);
            let by_range: Vec<&str> = ranges.iter().map(|r| &clean[r.clone()]).collect();
            prop_assert_eq!(by_range, reference_wrap(&clean, w));
        }


        #[test]
        fn wrap_never_panics_and_keeps_text(s in "\\PC{0,200}", w in 0usize..30) {
            let clean = crate::text::sanitize(&s);
            let lines = wrap(&clean, w);
            let joined: String = lines.concat().chars().filter(|c| !c.is_whitespace()).collect();
            let expected: String = clean.chars().filter(|c| !c.is_whitespace()).collect();
            prop_assert_eq!(joined, expected);
        }
    }
}
