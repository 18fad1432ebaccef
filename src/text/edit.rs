//! Shell-like editing of a one-line prompt, and the window of it that fits a width.
//!
//! Pure functions over `(text, cursor)`, the cursor a byte offset on a grapheme boundary.
//! Movement and deletion go by grapheme clusters (an accent or an emoji sequence is one
//! step), words are runs of alphanumeric characters as in readline. No IO, no ratatui.

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// One editing operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edit {
    /// Insert a character at the cursor.
    Insert(char),
    /// Delete the grapheme before the cursor (Backspace).
    Backspace,
    /// Delete the grapheme under the cursor (Delete).
    Delete,
    /// One grapheme left.
    Left,
    /// One grapheme right.
    Right,
    /// To the start (Home, Ctrl-a).
    Home,
    /// To the end (End, Ctrl-e).
    End,
    /// To the start of the word before the cursor (Alt-b).
    WordLeft,
    /// To the end of the word after the cursor (Alt-f).
    WordRight,
    /// Delete back to the start of the word (Ctrl-w).
    KillWordBack,
    /// Delete back to the start of the line (Ctrl-u).
    KillToStart,
    /// Delete to the end of the line (Ctrl-k).
    KillToEnd,
}

fn prev_boundary(text: &str, at: usize) -> usize {
    text[..at]
        .grapheme_indices(true)
        .next_back()
        .map_or(0, |(i, _)| i)
}

fn next_boundary(text: &str, at: usize) -> usize {
    text[at..]
        .graphemes(true)
        .next()
        .map_or(text.len(), |g| at + g.len())
}

fn is_word(g: &str) -> bool {
    g.chars().next().is_some_and(char::is_alphanumeric)
}

fn word_left(text: &str, at: usize) -> usize {
    let mut i = at;
    // Skip separators, then the word.
    let mut in_word = false;
    for (pos, g) in text[..at].grapheme_indices(true).rev() {
        if is_word(g) {
            in_word = true;
        } else if in_word {
            break;
        }
        i = pos;
    }
    i
}

fn word_right(text: &str, at: usize) -> usize {
    let mut in_word = false;
    for (pos, g) in text[at..].grapheme_indices(true) {
        if is_word(g) {
            in_word = true;
        } else if in_word {
            return at + pos;
        }
    }
    text.len()
}

/// Applies `edit`; returns whether the text or the cursor changed.
pub fn apply(text: &mut String, cursor: &mut usize, edit: Edit) -> bool {
    // A cursor from elsewhere is put back on a boundary first.
    let mut at = (*cursor).min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let before = (text.len(), at);
    match edit {
        Edit::Insert(c) => {
            text.insert(at, c);
            at += c.len_utf8();
        }
        Edit::Backspace => {
            let p = prev_boundary(text, at);
            text.replace_range(p..at, "");
            at = p;
        }
        Edit::Delete => {
            let n = next_boundary(text, at);
            text.replace_range(at..n, "");
        }
        Edit::Left => at = prev_boundary(text, at),
        Edit::Right => at = next_boundary(text, at),
        Edit::Home => at = 0,
        Edit::End => at = text.len(),
        Edit::WordLeft => at = word_left(text, at),
        Edit::WordRight => at = word_right(text, at),
        Edit::KillWordBack => {
            let p = word_left(text, at);
            text.replace_range(p..at, "");
            at = p;
        }
        Edit::KillToStart => {
            text.replace_range(..at, "");
            at = 0;
        }
        Edit::KillToEnd => text.truncate(at),
    }
    let changed = matches!(edit, Edit::Insert(_)) || (text.len(), at) != before;
    *cursor = at;
    changed
}

/// What of a prompt's text to show in `width` columns with the cursor visible.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Window {
    /// Text left of the cursor that is shown.
    pub before: String,
    /// The grapheme under the cursor (empty at the end of the text).
    pub at: String,
    /// Text right of it that is shown.
    pub after: String,
    /// Text is cut off on the left and a column is left for `…`.
    pub cut_left: bool,
    /// Text is cut off on the right and a column is left for `…`.
    pub cut_right: bool,
}

/// The part of `text` (already safe to show) that fits `width` columns, one of which is the
/// cursor cell, keeping the cursor in view: as much as possible left of it, then right.
/// The column of the cursor is the display width of `before` (plus one for `…` when
/// `cut_left`).
#[must_use]
pub fn window(text: &str, cursor: usize, width: usize) -> Window {
    let mut cursor = cursor.min(text.len());
    while !text.is_char_boundary(cursor) {
        cursor -= 1;
    }
    let (left, rest) = text.split_at(cursor);
    let at = rest.graphemes(true).next().unwrap_or("");
    let at_w = at.width().max(1);
    let right = &rest[at.len()..];
    let room = width.saturating_sub(at_w);
    let mut out = Window {
        before: String::new(),
        at: at.to_string(),
        after: String::new(),
        cut_left: false,
        cut_right: false,
    };
    // Left of the cursor: graphemes nearest it first, one column kept for `…` if cut.
    let left_w = left.width();
    let mut used = 0;
    if left_w <= room {
        out.before = left.to_string();
        used = left_w;
    } else {
        // `…` marks the cut, when there is a column for it.
        out.cut_left = room > 0;
        let budget = room.saturating_sub(1);
        let mut start = left.len();
        for (i, g) in left.grapheme_indices(true).rev() {
            let w = g.width();
            if used + w > budget {
                break;
            }
            used += w;
            start = i;
        }
        out.before = left[start..].to_string();
        used += usize::from(out.cut_left);
    }
    let mut room_right = room.saturating_sub(used);
    if right.width() <= room_right {
        out.after = right.to_string();
    } else {
        out.cut_right = room_right > 0;
        room_right = room_right.saturating_sub(1);
        let mut w = 0;
        let mut end = 0;
        for (i, g) in right.grapheme_indices(true) {
            if w + g.width() > room_right {
                break;
            }
            w += g.width();
            end = i + g.len();
        }
        out.after = right[..end].to_string();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(start: &str, cursor: usize, edits: &[Edit]) -> (String, usize) {
        let mut t = start.to_string();
        let mut c = cursor;
        for e in edits {
            apply(&mut t, &mut c, *e);
        }
        (t, c)
    }

    #[test]
    fn moves_and_deletes_by_grapheme() {
        // "é" as e + combining acute is one step.
        let s = "ae\u{301}b";
        assert_eq!(run(s, s.len(), &[Edit::Left, Edit::Left]).1, 1);
        assert_eq!(run(s, s.len(), &[Edit::Left, Edit::Backspace]).0, "ab");
        assert_eq!(run(s, 0, &[Edit::Right, Edit::Delete]).0, "ab");
        assert_eq!(run("ab", 1, &[Edit::Insert('x')]), ("axb".to_string(), 2));
        assert_eq!(
            run("ab", 0, &[Edit::Backspace, Edit::Left]),
            ("ab".to_string(), 0)
        );
        assert_eq!(
            run("ab", 2, &[Edit::Delete, Edit::Right]),
            ("ab".to_string(), 2)
        );
    }

    #[test]
    fn words_and_kills_like_readline() {
        let s = "foo bar-baz  qux";
        assert_eq!(run(s, s.len(), &[Edit::WordLeft]).1, 13);
        assert_eq!(run(s, s.len(), &[Edit::WordLeft, Edit::WordLeft]).1, 8);
        assert_eq!(run(s, 0, &[Edit::WordRight]).1, 3);
        assert_eq!(run(s, 0, &[Edit::WordRight, Edit::WordRight]).1, 7);
        assert_eq!(run(s, s.len(), &[Edit::KillWordBack]).0, "foo bar-baz  ");
        assert_eq!(
            run(s, 7, &[Edit::KillToStart]),
            ("-baz  qux".to_string(), 0)
        );
        assert_eq!(run(s, 7, &[Edit::KillToEnd]).0, "foo bar");
        assert_eq!(run(s, 5, &[Edit::End, Edit::Home]).1, 0);
    }

    #[test]
    fn the_window_keeps_the_cursor_visible() {
        let text: String = ('a'..='z').collect();
        let w = window(&text, text.len(), 10);
        assert!(w.cut_left && !w.cut_right);
        assert_eq!(w.before, "rstuvwxyz"[1..]);
        assert_eq!(
            1 + w.before.len() + 1,
            10,
            "… + text + cursor cell fill the width"
        );
        let w = window(&text, 0, 10);
        assert_eq!((w.before.as_str(), w.at.as_str()), ("", "a"));
        assert!(w.cut_right && !w.cut_left);
        assert_eq!(w.after, "bcdefghi");
        let w = window(&text, 13, 10);
        assert!(w.cut_left);
        assert_eq!(w.at, "n");
        let w = window("abc", 1, 10);
        assert_eq!(
            (w.before.as_str(), w.at.as_str(), w.after.as_str()),
            ("a", "b", "c")
        );
    }

    #[test]
    fn wide_characters_never_overflow() {
        let text = "日本語のテキストです".repeat(3);
        for width in 0..30 {
            for cursor in text.char_indices().map(|(i, _)| i).chain([text.len()]) {
                let w = window(&text, cursor, width);
                let total = usize::from(w.cut_left)
                    + w.before.width()
                    + w.at.width().max(1)
                    + w.after.width()
                    + usize::from(w.cut_right);
                assert!(
                    total <= width.max(2),
                    "width {width} cursor {cursor}: {total}"
                );
            }
        }
    }
}
