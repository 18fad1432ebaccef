//! Escaping for JSON that may be printed on a terminal (`threadr dump`, `bookmarks.json`,
//! `threadr bookmarks --json`): the characters the screen would neutralise become `\u`
//! escapes, so `cat` on the file is as safe as the reader. Pure; the JSON means the same.

use unicode_width::UnicodeWidthChar;

use super::MAX_ZERO_WIDTH_RUN;
use super::bytescan::{self, below_mask, byte_mask, high_mask};
use super::needs_json_escape;

/// Bytes [`JsonEscaper::push_json_str`] stops at: what `serde_json` escapes (quote,
/// backslash, C0 controls), DEL, and every byte of a non-ASCII character.
static SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = b < 0x20 || b == b'"' as usize || b == b'\\' as usize || b >= 0x7f;
        b += 1;
    }
    t
};

/// Latin letters with accents and their extensions (`À` to `ɏ`): one column wide, never
/// escaped.
const LATIN: std::ops::RangeInclusive<char> = '\u{c0}'..='\u{24f}';

/// Dashes, curly quotes, bullets and the ellipsis (`‐` to `‧`): one column wide, never
/// escaped (the invisible ones before them and the separators after them are).
const PUNCTUATION: std::ops::RangeInclusive<char> = '\u{2010}'..='\u{2027}';

/// A streaming escaper: it remembers the run of zero-width characters (combining marks,
/// joiners, variation selectors) so a run longer than the screen's cap is escaped past the
/// cap even when the JSON arrives in fragments.
#[derive(Debug, Default)]
pub struct JsonEscaper {
    zero_run: usize,
}

impl JsonEscaper {
    /// A new escaper at the start of a document.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends `c` to `out`, as a `\u` escape when a terminal should not see it raw.
    pub fn push(&mut self, c: char, out: &mut String) {
        if self.keeps_raw(c) {
            out.push(c);
        } else {
            push_escape(c, out);
        }
    }

    /// Whether `c` is written as it is (false: as a `\u` escape), counting it in the run of
    /// zero-width characters.
    fn keeps_raw(&mut self, c: char) -> bool {
        // ASCII is JSON structure or already escaped by serde (C0 controls): it ends a run.
        if c.is_ascii() {
            self.zero_run = 0;
            c != '\x7f'
        } else if LATIN.contains(&c) || PUNCTUATION.contains(&c) {
            // Accented Latin letters and common punctuation (most non-ASCII text): one
            // column, never escaped; the width table is not asked (a test checks the ranges).
            self.zero_run = 0;
            true
        } else if needs_json_escape(c) {
            false
        } else if c.width().unwrap_or(0) == 0 {
            self.zero_run += 1;
            self.zero_run <= MAX_ZERO_WIDTH_RUN
        } else {
            self.zero_run = 0;
            true
        }
    }

    /// Appends `text` to `out` as a JSON string, quotes included: `serde_json`'s escapes
    /// (quote, backslash, C0 controls as `\b \f \n \r \t` or `\u00xx`), then this
    /// escaper's. The same bytes as `serde_json` writing the string through [`Self::escape`],
    /// with no fragment per escape: runs of plain ASCII are copied whole, and only other
    /// characters are looked at one by one.
    pub fn push_json_str(&mut self, text: &str, out: &mut String) {
        // The opening quote is ASCII: it ends a run, as it does in `escape`.
        self.zero_run = 0;
        out.push('"');
        let bytes = text.as_bytes();
        // `start..at` is copied as it is; `at` only stops on a char boundary.
        let (mut start, mut at) = (0, 0);
        while at < bytes.len() {
            let run = at;
            loop {
                let Some(w) = bytescan::word(bytes, at) else {
                    // The last few bytes, one at a time.
                    while at < bytes.len() && !SPECIAL[usize::from(bytes[at])] {
                        at += 1;
                    }
                    break;
                };
                let stops = high_mask(w)
                    | below_mask(w, 0x20)
                    | byte_mask(w, b'"')
                    | byte_mask(w, b'\\')
                    | byte_mask(w, 0x7f);
                if stops != 0 {
                    at += bytescan::first(stops);
                    break;
                }
                at += 8;
            }
            if at > run {
                self.zero_run = 0;
            }
            let Some(c) = text[at..].chars().next() else {
                break;
            };
            let escape: Option<&str> = match c {
                '"' => Some("\\\""),
                '\\' => Some("\\\\"),
                '\u{8}' => Some("\\b"),
                '\u{c}' => Some("\\f"),
                '\n' => Some("\\n"),
                '\r' => Some("\\r"),
                '\t' => Some("\\t"),
                _ => None,
            };
            if let Some(e) = escape {
                self.zero_run = 0;
                out.push_str(&text[start..at]);
                out.push_str(e);
                at += 1;
                start = at;
            } else if c < ' ' {
                // serde_json's `\u00xx` for the other C0 controls; ASCII ends a run.
                self.zero_run = 0;
                out.push_str(&text[start..at]);
                // Writing to a String cannot fail.
                let _ = std::fmt::Write::write_fmt(out, format_args!("\\u{:04x}", u32::from(c)));
                at += 1;
                start = at;
            } else {
                // DEL and everything past ASCII: the terminal's rules, as in `push`.
                let len = c.len_utf8();
                if !self.keeps_raw(c) {
                    out.push_str(&text[start..at]);
                    push_escape(c, out);
                    start = at + len;
                }
                at += len;
            }
        }
        out.push_str(&text[start..]);
        out.push('"');
        self.zero_run = 0;
    }

    /// Escapes a whole fragment; `None` when nothing in it needs escaping (the caller can
    /// write the fragment as it is).
    #[must_use]
    pub fn escape(&mut self, text: &str) -> Option<String> {
        let mut out: Option<String> = None;
        for (at, c) in text.char_indices() {
            match &mut out {
                Some(o) => self.push(c, o),
                None => {
                    let mut probe = String::new();
                    self.push(c, &mut probe);
                    if probe.len() != c.len_utf8() {
                        let mut o = String::with_capacity(text.len() + 16);
                        o.push_str(&text[..at]);
                        o.push_str(&probe);
                        out = Some(o);
                    }
                }
            }
        }
        out
    }
}

/// `c` as `\u` escapes (two for a character past the Basic Multilingual Plane).
fn push_escape(c: char, out: &mut String) {
    let mut units = [0u16; 2];
    for unit in c.encode_utf16(&mut units) {
        // Writing to a String cannot fail.
        let _ = std::fmt::Write::write_fmt(out, format_args!("\\u{unit:04x}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escaped(text: &str) -> String {
        JsonEscaper::new()
            .escape(text)
            .unwrap_or_else(|| text.to_string())
    }

    #[test]
    fn combining_runs_past_the_cap_are_escaped() {
        let zalgo = format!("\"e{}\"", "\u{301}".repeat(5000));
        let out = escaped(&zalgo);
        let raw = out.chars().filter(|&c| c == '\u{301}').count();
        assert_eq!(raw, MAX_ZERO_WIDTH_RUN);
        assert_eq!(out.matches("\\u0301").count(), 5000 - MAX_ZERO_WIDTH_RUN);
        let back: String = serde_json::from_str(&out).unwrap();
        assert_eq!(format!("\"{back}\""), zalgo);
        // Ordinary accents and emoji sequences stay raw.
        for fine in [
            "\"cafe\u{301}\"",
            "\"1\u{fe0f}\u{20e3} \u{1f44d}\u{1f3fd}\"",
        ] {
            assert_eq!(JsonEscaper::new().escape(fine), None, "{fine}");
        }
    }

    #[test]
    fn the_run_spans_fragments_and_ends_at_ascii() {
        let mut e = JsonEscaper::new();
        let first = "\u{301}".repeat(MAX_ZERO_WIDTH_RUN);
        assert_eq!(e.escape(&format!("e{first}")), None);
        assert_eq!(e.escape("\u{301}").as_deref(), Some("\\u0301"));
        assert_eq!(e.escape("\"").as_deref(), None);
        assert_eq!(e.escape("\u{301}"), None);
    }

    #[test]
    fn a_whole_string_is_serde_json_then_the_terminal_escapes() {
        let cases = [
            String::new(),
            "plain ascii".into(),
            "q\" b\\ \u{8}\u{c}\n\r\t\u{0}\u{1f} del\u{7f} c1\u{9b} bidi\u{202e} 漢字👍🏽".into(),
            format!("e{}x", "\u{301}".repeat(20)),
        ];
        for text in &cases {
            let mut out = String::new();
            JsonEscaper::new().push_json_str(text, &mut out);
            assert_eq!(
                out,
                escaped(&serde_json::to_string(text).unwrap()),
                "{text:?}"
            );
        }
        // A run ends with its string: the next string's marks start a run of their own.
        let marks = "\u{301}".repeat(MAX_ZERO_WIDTH_RUN);
        let mut e = JsonEscaper::new();
        let mut out = String::new();
        e.push_json_str(&marks, &mut out);
        e.push_json_str(&marks, &mut out);
        assert!(!out.contains("\\u"), "{out}");
    }

    #[test]
    fn the_latin_shortcut_agrees_with_the_width_table() {
        for c in LATIN.chain(PUNCTUATION) {
            assert!(!needs_json_escape(c), "{c:?}");
            assert_eq!(c.width(), Some(1), "{c:?}");
        }
    }

    #[test]
    fn terminal_controls_are_escaped() {
        assert_eq!(escaped("a\u{202e}b\u{9b}\x7f"), "a\\u202eb\\u009b\\u007f");
        assert_eq!(escaped("\u{e0041}"), "\\udb40\\udc41");
    }
}
