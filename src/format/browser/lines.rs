//! Reading single lines of a text-browser dump: indentation, list markers, the References
//! list, lynx link marks, and the lines `WordPress` pages put around a comment (the comments
//! heading, `Alice says:`, the date, `Reply`). Pure string functions, no model.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

/// One line of the dump with its indentation measured.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Line<'a> {
    /// 1-based line number in the file, for messages.
    pub number: usize,
    /// Columns of leading white space (a tab advances to the next multiple of 8).
    pub indent: usize,
    /// The text after the indentation, without trailing white space.
    pub text: &'a str,
}

impl Line<'_> {
    /// True for a line with nothing but white space.
    pub fn is_blank(&self) -> bool {
        self.text.is_empty()
    }

    /// The column just past the last character.
    pub fn end_col(&self) -> usize {
        self.indent + crate::text::display_width(self.text)
    }
}

/// Splits a dump into lines (`\n`, `\r\n` or a lone `\r`), measuring indentation.
pub(crate) fn split_lines(text: &str) -> Vec<Line<'_>> {
    let mut lines = Vec::new();
    // Splitting on one char at a time uses std's memchr; a lone CR is rare.
    for piece in text.split('\n') {
        let piece = piece.strip_suffix('\r').unwrap_or(piece);
        if piece.contains('\r') {
            for part in piece.split('\r') {
                lines.push(measure(lines.len() + 1, part));
            }
        } else {
            lines.push(measure(lines.len() + 1, piece));
        }
    }
    lines
}

/// One line (without its line end) with its indentation measured.
pub(super) fn measure(number: usize, raw: &str) -> Line<'_> {
    let mut indent = 0;
    let mut start = raw.len();
    for (i, b) in raw.bytes().enumerate() {
        match b {
            b' ' => indent += 1,
            b'\t' => indent = (indent / 8 + 1) * 8,
            _ => {
                start = i;
                break;
            }
        }
    }
    Line {
        number,
        indent,
        text: raw[start..].trim_end(),
    }
}

/// What opens a list item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Marker {
    /// `12.` of an ordered list.
    Number(u32),
    /// A bullet character of an unordered list.
    Bullet(char),
}

/// A line that opens a list item.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Item<'a> {
    /// The bullet or number.
    pub marker: Marker,
    /// The marker as written (`*`, `12.`).
    pub marker_text: &'a str,
    /// The column where the item's text starts: the nesting key.
    pub key: usize,
    /// The item's text on this line.
    pub rest: &'a str,
}

/// Bullets lynx cycles through per nesting level of unordered lists.
pub(crate) const LYNX_BULLETS: [char; 7] = ['*', '+', 'o', '#', '@', '-', '='];
/// Bullets w3m cycles through per level (UTF-8 display).
pub(crate) const W3M_BULLETS: [char; 9] = ['•', '□', '☆', '○', '■', '★', '◎', '●', '△'];
/// Bullets w3m cycles through per level with an ASCII display charset.
pub(crate) const W3M_ASCII_BULLETS: [char; 9] = ['*', '+', 'o', '#', '@', '-', '=', 'x', '%'];

pub(crate) fn is_bullet(ch: char) -> bool {
    LYNX_BULLETS.contains(&ch) || W3M_BULLETS.contains(&ch) || W3M_ASCII_BULLETS.contains(&ch)
}

/// Reads a list marker at the start of the line: `12. text` or `* text`.
pub(crate) fn parse_item<'a>(line: &Line<'a>) -> Option<Item<'a>> {
    let text = line.text;
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let (marker, marker_len) = if (1..=6).contains(&digits) && text[digits..].starts_with('.') {
        (Marker::Number(text[..digits].parse().ok()?), digits + 1)
    } else {
        let ch = text.chars().next()?;
        if !is_bullet(ch) {
            return None;
        }
        (Marker::Bullet(ch), ch.len_utf8())
    };
    let after = &text[marker_len..];
    let spaces = after.bytes().take_while(|b| *b == b' ').count();
    let rest = &after[spaces..];
    if spaces == 0 || rest.is_empty() {
        return None;
    }
    Some(Item {
        marker,
        marker_text: &text[..marker_len],
        key: line.indent + text[..marker_len].chars().count() + spaces,
        rest,
    })
}

/// Which browser wrote a References list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RefStyle {
    /// `References` then `   12. URL` (optionally under `Visible links:`/`Hidden links:`).
    Lynx,
    /// `References:` then `[12] URL` (w3m with `display_link_number`).
    W3m,
}

/// The numbered link list at the end of a dump.
#[derive(Debug, Default)]
pub(crate) struct References {
    /// Index of the `References` line: the content ends before it.
    pub start: usize,
    /// Link number to URL.
    pub urls: HashMap<u32, String>,
    /// Who wrote it.
    pub style: Option<RefStyle>,
}

/// Finds the References list: the last `References` line after which every non-blank line
/// is an entry (or lynx's `Visible links:` / `Hidden links:` subheadings).
pub(crate) fn find_references(lines: &[Line<'_>]) -> Option<References> {
    let start = lines
        .iter()
        .rposition(|l| l.indent == 0 && matches!(l.text, "References" | "References:"))?;
    let style = if lines[start].text == "References" {
        RefStyle::Lynx
    } else {
        RefStyle::W3m
    };
    let mut urls = HashMap::new();
    for line in &lines[start + 1..] {
        if line.is_blank() || matches!(line.text, "Visible links:" | "Hidden links:") {
            continue;
        }
        let entry = match style {
            RefStyle::Lynx => line.text.split_once(". "),
            RefStyle::W3m => line.text.strip_prefix('[').and_then(|t| t.split_once("] ")),
        };
        let (n, url) = entry?;
        let n: u32 = n.parse().ok()?;
        let url = url.trim();
        if url.is_empty() || (url.contains(char::is_whitespace) && !has_scheme(url)) {
            return None;
        }
        // Share and `mailto:` links carry the page title unencoded (`&t=Lemon Tree`), and
        // lynx writes them as they are: the spaces belong to the URL, not to a new entry.
        urls.insert(n, url.split_whitespace().collect::<Vec<_>>().join("%20"));
    }
    if urls.is_empty() {
        return None;
    }
    Some(References {
        start,
        urls,
        style: Some(style),
    })
}

/// A link mark found in a line: where its text starts in the cleaned line, and its number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Mark {
    /// Byte offset in the cleaned text where the linked text starts.
    pub at: usize,
    /// The link's number in the References list.
    pub number: u32,
}

/// Removes `[12]` link marks whose number is in `urls`; other brackets stay as text.
pub(crate) fn strip_marks(text: &str, urls: &HashMap<u32, String>) -> (String, Vec<Mark>) {
    let mut out = String::with_capacity(text.len());
    let mut marks = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let number = (1..=9)
            .contains(&digits)
            .then(|| after[digits..].starts_with(']'))
            .filter(|ok| *ok)
            .and_then(|_| after[..digits].parse::<u32>().ok())
            .filter(|n| urls.contains_key(n));
        if let Some(number) = number {
            marks.push(Mark {
                at: out.len(),
                number,
            });
            rest = &after[digits + 1..];
        } else {
            out.push('[');
            rest = after;
        }
    }
    out.push_str(rest);
    (out, marks)
}

/// Drops every leading `[...]` token (lynx link marks, w3m image placeholders such as an
/// avatar's `[3fa2c1]`) and the spaces after them.
pub(crate) fn strip_leading_brackets(mut text: &str) -> &str {
    while let Some(after) = text.strip_prefix('[') {
        match after.find(']') {
            Some(close) if close <= 64 && !after[..close].contains(char::is_whitespace) => {
                text = after[close + 1..].trim_start();
            }
            _ => break,
        }
    }
    text
}

/// Removes all `[digits]` tokens (link marks) from a short line such as a date, and trims.
pub(crate) fn strip_number_marks(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        if (1..=9).contains(&digits) && after[digits..].starts_with(']') {
            rest = &after[digits + 1..];
        } else {
            out.push('[');
            rest = after;
        }
    }
    out.push_str(rest);
    out.trim().to_string()
}

/// Case-insensitive "does `text` contain `needle`" for an ASCII needle, without allocating.
fn contains_ascii_ci(text: &str, needle: &str) -> bool {
    find_ascii_ci(text, needle).is_some()
}

/// Byte offset of the first case-insensitive match of an ASCII `needle`.
fn find_ascii_ci(text: &str, needle: &str) -> Option<usize> {
    text.as_bytes()
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// A comments heading as read.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Heading {
    /// The article's title, when the heading names it (`... thoughts on “Title”`).
    pub title: Option<String>,
}

/// The comments heading: `12 thoughts on “Title”`, `12 Comments`, `One Response to "X"`.
pub(crate) fn comments_heading(text: &str) -> Option<Heading> {
    static HEADING: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)^(?:\d[\d,.]*|no|one|two|three|four|five|six|seven|eight|nine|ten)\s+(?:thoughts?|comments?|responses?|replies|reply)(?:\s+(?:on|to|for)\s+(.+?))?\s*$",
        )
        .expect("valid regex")
    });
    if text.len() > 400 || !text.starts_with(|c: char| c.is_alphanumeric() || c == '[') {
        return None;
    }
    // Without a `[`, there is no mark to strip: no copy (this runs on many lines).
    let text = if text.contains('[') {
        std::borrow::Cow::Owned(strip_number_marks(text))
    } else {
        std::borrow::Cow::Borrowed(text.trim())
    };
    let caps = HEADING.captures(&text)?;
    let title = caps.get(1).map(|m| {
        let t = m.as_str().trim();
        let t = t
            .strip_prefix(['“', '"', '«', '‘', '\''])
            .unwrap_or(t)
            .trim_end_matches(['”', '"', '»', '’', '\'']);
        t.trim().to_string()
    });
    Some(Heading {
        title: title.filter(|t| !t.is_empty()),
    })
}

/// The number a comments heading starts with (`12 Comments` gives 12, `One ...` gives 1).
pub(crate) fn heading_count(text: &str) -> Option<u64> {
    let first = strip_number_marks(text);
    let first = first.split_whitespace().next()?;
    let words = [
        "no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    ];
    if let Some(n) = words.iter().position(|w| w.eq_ignore_ascii_case(first)) {
        return u64::try_from(n).ok();
    }
    first.replace([',', '.'], "").parse().ok()
}

/// A comment header such as `Alice says:` or `[3]Alice Says: March 3, 2017`: the author
/// and whatever follows `says:` on the same line.
pub(crate) fn says_header(text: &str) -> Option<(String, String)> {
    if text.len() > 400 {
        return None;
    }
    let text = strip_leading_brackets(text);
    let at = find_ascii_ci(text, " says:")?;
    let author = strip_avatar(&strip_number_marks(&text[..at])).to_string();
    if author.is_empty() || author.chars().count() > 80 {
        return None;
    }
    Some((author, strip_number_marks(&text[at + " says:".len()..])))
}

/// The name without the avatar image's alt text that browsers write before it: the word
/// `Avatar` (or `Gravatar`, `Avatar photo`), or the commenter's e-mail address (written
/// once or twice, glued by quotes: `ann@x.org'ann@x.org' Ann`), or the name itself when
/// the image's alt text is the name (`Armin Armin`). A name that is nothing else is kept
/// as it is.
fn strip_avatar(author: &str) -> &str {
    let mut rest = author.trim();
    loop {
        let Some((first, after)) = rest.split_once(' ') else {
            return rest;
        };
        if let Some(half) = repeated_half(rest) {
            return half;
        }
        let word = first.trim_matches(|c: char| c == '\'' || c == '"');
        let email = word
            .split_once('@')
            .is_some_and(|(user, host)| !user.is_empty() && host.contains('.'));
        let avatar = ["avatar", "gravatar", "photo"]
            .iter()
            .any(|w| word.eq_ignore_ascii_case(w));
        let after = after.trim_start();
        if !(email || avatar) || after.is_empty() {
            return rest;
        }
        rest = after;
    }
}

/// Whether `url` opens with a scheme (`https:`, `mailto:`, `javascript:`).
fn has_scheme(url: &str) -> bool {
    url.split_once(':').is_some_and(|(scheme, _)| {
        scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-'))
    })
}

/// `W W` (the same words twice) as its first `W`.
fn repeated_half(text: &str) -> Option<&str> {
    let words: Vec<&str> = text.split(' ').collect();
    let n = words.len();
    if !n.is_multiple_of(2) || n == 0 || words[..n / 2] != words[n / 2..] {
        return None;
    }
    let end = words[..n / 2].iter().map(|w| w.len()).sum::<usize>() + n / 2 - 1;
    Some(&text[..end])
}

/// A trackback or pingback entry, listed among the comments without an author header.
pub(crate) fn is_pingback(text: &str) -> bool {
    let t = strip_leading_brackets(text);
    ["pingback:", "trackback:"]
        .iter()
        .any(|p| t.get(..p.len()).is_some_and(|s| s.eq_ignore_ascii_case(p)))
}

/// The `Reply` link under a comment (`Reply`, `Reply ↓`, `Reply to Alice`, `Log in to
/// Reply`).
pub(crate) fn is_reply_line(text: &str) -> bool {
    if text.len() > 120 || !contains_ascii_ci(text, "reply") {
        return false;
    }
    let text = strip_number_marks(text).to_lowercase();
    let text = text.trim_end_matches(['↓', '¬', ' ']);
    matches!(text, "reply" | "log in to reply" | "login to reply")
        || text
            .strip_prefix("reply to ")
            .is_some_and(|who| !who.trim().is_empty())
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// A line that reads like a comment's date: short, with a year, a month name followed by
/// a number, `ago`, or `d/m/y`.
pub(crate) fn looks_like_date(text: &str) -> bool {
    if text.len() > 120 {
        return false;
    }
    let text = strip_number_marks(text);
    if text.is_empty() || text.chars().count() > 60 {
        return false;
    }
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    if words.len() > 9 {
        return false;
    }
    let year = |w: &str| {
        let digits: &str = w.trim_end_matches(|c: char| !c.is_ascii_digit());
        digits.len() == 4
            && digits.bytes().all(|b| b.is_ascii_digit())
            && (digits.starts_with("19") || digits.starts_with("20"))
    };
    let month = |w: &str| {
        let w = w.to_ascii_lowercase();
        MONTHS.iter().any(|m| w.starts_with(m)) && w.chars().all(|c| c.is_alphabetic() || c == '.')
    };
    let slashed = |w: &str| {
        let parts: Vec<&str> = w.split('/').collect();
        parts.len() == 3
            && parts
                .iter()
                .all(|p| (1..=4).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()))
    };
    words
        .iter()
        .any(|w| year(w) || slashed(w) || w.eq_ignore_ascii_case("ago"))
        || words
            .windows(2)
            .any(|pair| month(pair[0]) && pair[1].starts_with(|c: char| c.is_ascii_digit()))
        || text
            .split('T')
            .next()
            .is_some_and(|d| d.len() == 10 && d.get(..4).is_some_and(year))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str) -> Line<'_> {
        split_lines(text)[0]
    }

    #[test]
    fn items_key_on_the_text_column() {
        let a = parse_item(&line("    9. Nine")).unwrap();
        let b = parse_item(&line("   10. Ten")).unwrap();
        assert_eq!((a.key, b.key), (7, 7));
        assert_eq!(b.marker, Marker::Number(10));
        let c = parse_item(&line("      □ box")).unwrap();
        assert_eq!((c.key, c.marker), (8, Marker::Bullet('□')));
        assert!(parse_item(&line("   -")).is_none());
        assert!(parse_item(&line("   2.5 litres")).is_none());
        assert!(parse_item(&line("   open")).is_none());
    }

    #[test]
    fn lines_split_on_crlf_and_lone_cr_and_expand_tabs() {
        let lines = split_lines("a\r\n\tb\rc");
        let texts: Vec<_> = lines.iter().map(|l| l.text).collect();
        assert_eq!(texts, ["a", "b", "c"]);
        assert_eq!(lines[1].indent, 8);
    }

    #[test]
    fn marks_are_removed_only_when_referenced() {
        let urls = HashMap::from([(3, "https://x.example/".to_string())]);
        let (text, marks) = strip_marks("see [3]this and [4]that [b.png]", &urls);
        assert_eq!(text, "see this and [4]that [b.png]");
        assert_eq!(marks, [Mark { at: 4, number: 3 }]);
    }

    #[test]
    fn headings_and_headers() {
        let title = |t: &str| comments_heading(t).map(|h| h.title);
        assert_eq!(
            title("6 thoughts on “Keeping a starter”"),
            Some(Some("Keeping a starter".into()))
        );
        assert_eq!(title("12 Comments"), Some(None));
        assert_eq!(
            title("One Response to \"Plans\""),
            Some(Some("Plans".into()))
        );
        assert_eq!(comments_heading("12 comments later we agreed"), None);
        assert_eq!(heading_count("1,204 Comments"), Some(1204));
        assert_eq!(heading_count("One thought on “x”"), Some(1));
        assert_eq!(
            says_header("[65] [8]Marta Quintero says:"),
            Some(("Marta Quintero".into(), String::new()))
        );
        assert_eq!(
            says_header("Gwen Says:"),
            Some(("Gwen".into(), String::new()))
        );
        assert!(is_reply_line("[11]Reply"));
        assert!(is_reply_line("Log in to Reply"));
        assert!(!is_reply_line("Reply all you want"));
        assert!(looks_like_date("[9]July 24, 2019 at 10:12 am"));
        assert!(looks_like_date("April 2nd, 2008 at 8:14 am"));
        assert!(!looks_like_date("Counterpoint: my wide jar dried out"));
        assert!(looks_like_date("3 days ago"));
        assert!(looks_like_date("2021-03-04T18:22:00Z"));
        assert!(looks_like_date("04/03/2021 18:22"));
        assert!(!looks_like_date("I have 2 bikes and 3 more"));
        assert!(!looks_like_date("Three per bike. Swap one out every week."));
        assert!(is_reply_line("Reply ↓"));
        assert!(is_reply_line("Reply to Marta"));
        assert_eq!(says_header("Gwen says"), None);
    }
}
