//! The one sanitiser for text that reaches the screen.
//!
//! Thread text is written by strangers. Terminal control (C0, C1, ESC sequences, DEL) is
//! shown as visible pictures (`␛[2J`) so a reader can see what was there; bidi controls
//! become `<U+202E>` markers; invisible characters that can hide or reorder text are
//! dropped; tabs are expanded to tab stops; CR and the Unicode line separators become line
//! breaks; a run of combining marks is capped so one cell cannot hold thousands.

use std::borrow::Cow;

use unicode_width::UnicodeWidthChar;

/// Columns between tab stops.
pub const TAB_WIDTH: usize = 8;
/// Longest run of zero-width characters (combining marks...) kept after one base character.
pub const MAX_ZERO_WIDTH_RUN: usize = 8;

/// Makes multi-line text safe to show: `\n` separates lines in the result.
#[must_use]
pub fn sanitize(text: &str) -> Cow<'_, str> {
    if is_plain(text, true) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(clean(text, true))
}

/// Makes text safe to show on a single line: line breaks become spaces.
#[must_use]
pub fn sanitize_line(text: &str) -> Cow<'_, str> {
    if is_plain(text, false) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(clean(text, false))
}

/// Printable ASCII (and `\n` when multi-line) needs no work.
fn is_plain(text: &str, multiline: bool) -> bool {
    text.bytes()
        .all(|b| (0x20..0x7f).contains(&b) || (multiline && b == b'\n'))
}

fn clean(text: &str, multiline: bool) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut col = 0usize;
    let mut zero_run = 0usize;
    let mut chars = text.chars().peekable();
    let newline = |out: &mut String, col: &mut usize| {
        out.push(if multiline { '\n' } else { ' ' });
        *col = if multiline { 0 } else { *col + 1 };
    };
    while let Some(c) = chars.next() {
        match c {
            '\n' | '\u{2028}' | '\u{2029}' | '\u{85}' => newline(&mut out, &mut col),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                newline(&mut out, &mut col);
            }
            '\t' => {
                let pad = TAB_WIDTH - col % TAB_WIDTH;
                out.extend(std::iter::repeat_n(' ', pad));
                col += pad;
            }
            // C0 controls and DEL: the Unicode control pictures (␛, ␇, ␈, ␡...).
            '\0'..='\x1f' => {
                out.push(char::from_u32(0x2400 + c as u32).unwrap_or('�'));
                col += 1;
            }
            '\x7f' => {
                out.push('␡');
                col += 1;
            }
            _ if is_visible_marker(c) => {
                let marker = format!("<U+{:04X}>", c as u32);
                col += marker.len();
                out.push_str(&marker);
            }
            _ if is_dropped_invisible(c) => {}
            _ => {
                let w = c.width().unwrap_or(0);
                // Joiners and variation selectors count too: emoji sequences put a visible
                // character between them, so only a pile-up reaches the cap.
                if w == 0 {
                    zero_run += 1;
                    if zero_run > MAX_ZERO_WIDTH_RUN {
                        continue;
                    }
                } else {
                    zero_run = 0;
                }
                out.push(c);
                col += w;
            }
        }
    }
    out
}

/// Characters a JSON writer should escape beyond what serde does (it escapes C0 controls),
/// so JSON written to a terminal is as safe as the screen: DEL, C1 controls, bidi controls,
/// invisible and format characters. Structural JSON is ASCII without these, so they only
/// occur inside strings, where a `\u` escape means the same.
#[must_use]
pub fn needs_json_escape(c: char) -> bool {
    matches!(c,
        '\u{7f}'..='\u{9f}'
        | '\u{ad}'
        | '\u{61c}'
        | '\u{180e}'
        | '\u{200b}'..='\u{200f}'
        | '\u{2028}'..='\u{202e}'
        | '\u{2060}'..='\u{206f}'
        | '\u{feff}'
        | '\u{fff9}'..='\u{fffb}'
        | '\u{e0000}'..='\u{e007f}')
}

/// C1 controls and bidi formatting: shown as `<U+XXXX>` so the reader sees them.
fn is_visible_marker(c: char) -> bool {
    matches!(c,
        '\u{80}'..='\u{9f}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}'
        | '\u{200e}' | '\u{200f}' | '\u{061c}')
}

/// Invisible characters that can hide text or confuse width: dropped.
fn is_dropped_invisible(c: char) -> bool {
    matches!(c,
        '\u{200b}' | '\u{feff}' | '\u{2060}'..='\u{2064}' | '\u{00ad}' | '\u{180e}'
        | '\u{fff9}'..='\u{fffb}' | '\u{e0000}'..='\u{e007f}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed() {
        assert!(matches!(sanitize("hello\nworld"), Cow::Borrowed(_)));
        assert!(matches!(sanitize_line("hello"), Cow::Borrowed(_)));
    }

    #[test]
    fn escape_sequences_become_visible() {
        assert_eq!(sanitize("a\x1b[2Jb"), "a␛[2Jb");
        assert_eq!(sanitize("\x1b]0;title\x07"), "␛]0;title␇");
        assert_eq!(sanitize("safe\x08\x08\x08\x08evil"), "safe␈␈␈␈evil");
        assert_eq!(sanitize("x\u{9b}31m"), "x<U+009B>31m");
        assert_eq!(sanitize("del\x7f"), "del␡");
        assert_eq!(sanitize("nul\0"), "nul␀");
    }

    #[test]
    fn bidi_is_marked_and_invisibles_dropped() {
        assert_eq!(sanitize("a\u{202e}b"), "a<U+202E>b");
        assert_eq!(sanitize("a\u{2067}b\u{2069}"), "a<U+2067>b<U+2069>");
        for c in [
            '\u{202a}', '\u{202b}', '\u{202c}', '\u{202d}', '\u{2066}', '\u{2068}', '\u{200e}',
            '\u{200f}', '\u{061c}',
        ] {
            assert_eq!(
                sanitize(&format!("x{c}y")),
                format!("x<U+{:04X}>y", c as u32)
            );
        }
        assert_eq!(sanitize("a\u{2029}b"), "a\nb");
        assert_eq!(sanitize("zero\u{200b}width\u{feff}"), "zerowidth");
        assert_eq!(sanitize("tag\u{e0041}"), "tag");
        // ZWJ and VS16 inside emoji stay.
        assert_eq!(sanitize("👩\u{200d}💻\u{fe0f}"), "👩\u{200d}💻\u{fe0f}");
    }

    #[test]
    fn line_breaks_and_tabs() {
        assert_eq!(sanitize("a\rb\r\nc\u{2028}d"), "a\nb\nc\nd");
        assert_eq!(sanitize("a\tb"), "a       b");
        assert_eq!(sanitize("abcdefgh\tx"), "abcdefgh        x");
        assert_eq!(sanitize("ab\n\tc"), "ab\n        c");
        assert_eq!(sanitize_line("a\nb\r\nc"), "a b c");
    }

    #[test]
    fn combining_marks_are_capped() {
        let zalgo = format!("e{}", "\u{301}".repeat(5000));
        let out = sanitize(&zalgo);
        assert_eq!(out.chars().count(), 1 + MAX_ZERO_WIDTH_RUN);
        assert_eq!(sanitize("cafe\u{301}"), "cafe\u{301}");
        // Joiners and variation selectors cannot be used to dodge the cap.
        let vs = format!("e{}", "\u{fe0f}".repeat(5000));
        assert_eq!(sanitize(&vs).chars().count(), 1 + MAX_ZERO_WIDTH_RUN);
        let mixed = format!("e{}", "\u{301}\u{301}\u{200d}".repeat(2000));
        assert_eq!(sanitize(&mixed).chars().count(), 1 + MAX_ZERO_WIDTH_RUN);
        // Real emoji sequences are untouched.
        let family = "👨\u{200d}👩\u{200d}👧\u{200d}👦 1\u{fe0f}\u{20e3}";
        assert_eq!(sanitize(family), family);
    }

    #[test]
    fn output_never_contains_controls() {
        let nasty: String = (0u32..0x3000).filter_map(char::from_u32).collect();
        for out in [sanitize(&nasty), sanitize_line(&nasty)] {
            assert!(
                out.chars()
                    .all(|c| c == '\n' || !(c.is_control() || is_visible_marker(c)))
            );
        }
    }
}
