//! Recognising the plain-text shape's line markers: a numbered top-level comment
//! (`  12. text`), a reply bullet (`• text`, lynx's and w3m's nested-list bullets), and
//! the indent they stand at. Pure functions over one line; the reader in the parent module
//! decides what a marker means in its context.

use crate::text::TAB_WIDTH;

/// Reply bullets that an unbroken line of text never starts with: `•` and the bullets w3m
/// draws for nested lists.
pub(super) const UNICODE_BULLETS: &[char] = &['•', '□', '☆', '○', '■', '★', '◎', '●', '△'];
/// Reply bullets lynx draws for nested lists. People type these for their own lists too,
/// so they only start a reply under the rules in [`Reader::is_reply`].
pub(super) const ASCII_BULLETS: &[char] = &['*', '+', 'o', '#', '@', '-', '='];
/// The widest indent (in columns) at which the first top-level number may stand.
pub(super) const MAX_TOP_INDENT: usize = 3;

/// A numbered top-level marker: `  12. text`.
#[derive(Clone, Copy, Debug)]
pub(super) struct TopMarker {
    pub(super) indent: usize,
    pub(super) number: u64,
    /// Byte offset of the text after the marker.
    pub(super) rest: usize,
}

/// Width in columns and length in bytes of a line's leading blanks.
pub(super) fn indent_of(line: &str) -> (usize, usize) {
    let mut width = 0;
    for (i, b) in line.bytes().enumerate() {
        match b {
            b' ' => width += 1,
            b'\t' => width += TAB_WIDTH - width % TAB_WIDTH,
            _ => return (width, i),
        }
    }
    (width, line.len())
}

/// Recognises `<indent><digits>.<blank or end>`. With `at` the indent must be exactly that;
/// without, it may be 1 to [`MAX_TOP_INDENT`] columns.
pub(super) fn top_marker(line: &str, at: Option<usize>) -> Option<TopMarker> {
    let (indent, start) = indent_of(line);
    top_marker_at(line, indent, start, at)
}

/// [`top_marker`] with the indent already measured.
pub(super) fn top_marker_at(
    line: &str,
    indent: usize,
    start: usize,
    at: Option<usize>,
) -> Option<TopMarker> {
    match at {
        Some(want) if indent != want => return None,
        None if !(1..=MAX_TOP_INDENT).contains(&indent) => return None,
        _ => {}
    }
    let bytes = &line.as_bytes()[start..];
    let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 || digits > 9 || bytes.get(digits) != Some(&b'.') {
        return None;
    }
    match bytes.get(digits + 1) {
        None | Some(b' ' | b'\t') => {}
        Some(_) => return None,
    }
    let number = line[start..start + digits].parse().ok()?;
    Some(TopMarker {
        indent,
        number,
        rest: (start + digits + 1).min(line.len()),
    })
}

/// A bullet marker: the bullet, the indent it stands at, and the text after it.
pub(super) fn bullet_marker(line: &str) -> Option<(char, usize, &str)> {
    let (indent, start) = indent_of(line);
    bullet_marker_at(line, indent, start)
}

/// [`bullet_marker`] with the indent already measured.
pub(super) fn bullet_marker_at(
    line: &str,
    indent: usize,
    start: usize,
) -> Option<(char, usize, &str)> {
    let mut chars = line[start..].chars();
    let bullet = chars.next()?;
    if !UNICODE_BULLETS.contains(&bullet) && !ASCII_BULLETS.contains(&bullet) {
        return None;
    }
    let rest = chars.as_str();
    match rest.chars().next() {
        None | Some(' ' | '\t') => Some((bullet, indent, rest.trim())),
        Some(_) => None,
    }
}
