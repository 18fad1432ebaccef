//! Escaping for JSON that may be printed on a terminal (`threadr dump`, `bookmarks.json`,
//! `threadr bookmarks --json`): the characters the screen would neutralise become `\u`
//! escapes, so `cat` on the file is as safe as the reader. Pure; the JSON means the same.

use unicode_width::UnicodeWidthChar;

use super::MAX_ZERO_WIDTH_RUN;
use super::needs_json_escape;

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
        // ASCII is JSON structure or already escaped by serde (C0 controls): it ends a run.
        let escape = if c.is_ascii() {
            self.zero_run = 0;
            c == '\x7f'
        } else if needs_json_escape(c) {
            true
        } else if c.width().unwrap_or(0) == 0 {
            self.zero_run += 1;
            self.zero_run > MAX_ZERO_WIDTH_RUN
        } else {
            self.zero_run = 0;
            false
        };
        if escape {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                // Writing to a String cannot fail.
                let _ = std::fmt::Write::write_fmt(out, format_args!("\\u{unit:04x}"));
            }
        } else {
            out.push(c);
        }
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
    fn terminal_controls_are_escaped() {
        assert_eq!(escaped("a\u{202e}b\u{9b}\x7f"), "a\\u202eb\\u009b\\u007f");
        assert_eq!(escaped("\u{e0041}"), "\\udb40\\udc41");
    }
}
