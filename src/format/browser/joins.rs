//! Item lines a browser split in two, put back together before the dump is read: the list
//! number lynx writes alone above `Name says:` for HTML5 `WordPress` markup, and a
//! `Name says:` header wrapped over two or three lines. Pure; works on borrowed lines plus
//! the joined texts it returns.

use super::lines::{Line, is_bullet, is_pingback, parse_item, says_header};

/// A list marker alone on its line that the next line completes: (marker line, line that
/// completes it, the joined text). See [`lone_markers`].
pub(crate) type Join = (usize, usize, String);

/// lynx writes the number of an HTML5 `WordPress` comment (`<li>` holding an `<article>`)
/// alone on its line, with `Name says:` on the next line left of the item's text. Finds
/// those pairs, so that [`with_joins`] can make them the one item line lynx writes for
/// the older markup. Only a `says:` or pingback line completes a marker: anything else
/// after a lone number is left as the page has it.
pub(crate) fn lone_markers(lines: &[Line<'_>]) -> Vec<Join> {
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if !is_lone_marker(line.text) {
            continue;
        }
        let Some(j) = (i + 1..lines.len().min(i + 3)).find(|j| !lines[*j].is_blank()) else {
            continue;
        };
        if is_pingback(lines[j].text) {
            out.push((i, j, format!("{} {}", line.text, lines[j].text)));
            continue;
        }
        // `Name says:`, perhaps wrapped (an avatar's alt text before a long name).
        let mut header = String::new();
        for (k, next) in lines.iter().enumerate().skip(j).take(MAX_HEADER_LINES) {
            if next.is_blank() || parse_item(next).is_some() {
                break;
            }
            if !header.is_empty() {
                header.push(' ');
            }
            header.push_str(next.text);
            if says_header(&header).is_some() {
                out.push((i, k, format!("{} {header}", line.text)));
                break;
            }
        }
    }
    // A `Name says:` that the browser wrapped (w3m, long names after an avatar's alt text):
    // the item line and the one or two lines under it that finish the header are one.
    for (i, line) in lines.iter().enumerate() {
        let Some(item) = parse_item(line) else {
            continue;
        };
        if says_header(item.rest).is_some() || out.iter().any(|(at, end, _)| *at <= i && i <= *end)
        {
            continue;
        }
        let mut text = line.text.to_string();
        for (j, next) in lines
            .iter()
            .enumerate()
            .skip(i + 1)
            .take(MAX_HEADER_LINES - 1)
        {
            if next.is_blank() || next.indent < item.key || parse_item(next).is_some() {
                break;
            }
            text.push(' ');
            text.push_str(next.text);
            if says_header(&text[line.text.len() - item.rest.len()..]).is_some() {
                out.push((i, j, text));
                break;
            }
        }
    }
    out.sort_unstable_by_key(|(at, _, _)| *at);
    out
}

/// Lines a wrapped `Name says:` header may take.
const MAX_HEADER_LINES: usize = 3;

/// `12.` or a lone bullet.
fn is_lone_marker(text: &str) -> bool {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=6).contains(&digits) {
        return &text[digits..] == ".";
    }
    let mut chars = text.chars();
    chars.next().is_some_and(is_bullet) && chars.next().is_none()
}

/// `lines` with each pair of [`lone_markers`] replaced by one line: the marker's number and
/// indentation, the joined text.
pub(crate) fn with_joins<'o>(lines: &[Line<'o>], joins: &'o [Join]) -> Vec<Line<'o>> {
    let mut out = Vec::with_capacity(lines.len());
    let mut next = joins.iter().peekable();
    let mut i = 0;
    while i < lines.len() {
        if let Some((at, end, text)) = next.next_if(|(at, _, _)| *at == i) {
            out.push(Line {
                number: lines[*at].number,
                indent: lines[*at].indent,
                text,
            });
            i = end + 1;
        } else {
            out.push(lines[i]);
            i += 1;
        }
    }
    out
}
