//! Text-browser dumps of Hacker News item pages (`news.ycombinator.com/item?id=N`).
//!
//! Each comment opens with a header line `user 1 day ago | root | parent | prev | next [–]`
//! (lynx puts `[12]` link marks before the user, the age and each word). The page's
//! indentation (an `s.gif` spacer 40 px wide per level) does not survive: lynx writes every
//! comment at the left margin, and w3m indents every reply by the same two columns whatever
//! its level. What carries the tree:
//! - lynx's References: the age link is `item?id=<the comment>`, the `parent` link is
//!   `item?id=<story>#<parent>`, so every parent is exact;
//! - without URLs (w3m), the navigation words: no `parent` is a top-level comment, a reply
//!   without `prev` is the first child of the comment before it, a reply with `prev` but
//!   without `root` is a sibling at the first reply level; a reply with `prev` and `root`
//!   (level two or deeper) is taken as the sibling of the comment before it, which is wrong
//!   only when that comment ended a deeper sub-thread (the words cannot tell).
//!
//! The story (title, `N points by user`, its text) is the article; the thread's key is
//! `hn:<id>` when the story's id is known, as for the HTML page and the API export. `reply`
//! lines, lynx's `[s.gif]` spacers and w3m's vote arrows are dropped. No IO, no recursion.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use super::body::BodyBuilder;
use super::lines::{Line, strip_marks};
use crate::model::{CommentDraft, ThreadBuilder, Timestamp};

/// `user 3 hours ago | parent | next [–]`, link marks already removed.
static HEADER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(\S+) (\d+ (?:second|minute|hour|day|week|month|year)s? ago)((?: \| (?:root|parent|prev|next|context|on: .*))*) ?\[(?:–|-|\+|\d+ more)\]$",
    )
    .unwrap_or_else(|e| panic!("static regex: {e}"))
});

/// `225 points by user 1 day ago | hide | past | favorite | 100 comments`.
static SUBTEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(\d+) points? )?by (\S+) (\d+ \w+ ago)")
        .unwrap_or_else(|e| panic!("static regex: {e}"))
});

/// A comment header found in the dump.
#[derive(Debug)]
struct Header {
    /// Index of its line.
    at: usize,
    /// How many lines it takes (lynx wraps a long one, `[–]` going to the next line).
    span: usize,
    author: String,
    age: String,
    words: Vec<String>,
    /// lynx: the comment's id (its age link) and its parent's (the `parent` link).
    id: Option<String>,
    parent_id: Option<String>,
}

/// The id after `item?id=` in a URL.
fn item_id(url: &str) -> Option<String> {
    let (_, rest) = url.split_once("item?id=")?;
    let id: String = rest.chars().take_while(char::is_ascii_digit).collect();
    (!id.is_empty()).then_some(id)
}

/// The id after the `#` of a `parent` link.
fn fragment_id(url: &str) -> Option<String> {
    let (_, frag) = url.rsplit_once('#')?;
    (!frag.is_empty() && frag.bytes().all(|b| b.is_ascii_digit())).then(|| frag.to_string())
}

fn header(at: usize, text: &str, urls: &HashMap<u32, String>) -> Option<Header> {
    let (full, marks) = strip_marks(text, urls);
    // w3m with link numbers puts the vote arrow's mark before the user: `[10]  [11]ada`.
    let lead = full.len() - full.trim_start().len();
    let clean = &full[lead..];
    let caps = HEADER.captures(clean)?;
    let author = caps[1].to_string();
    let age = caps[2].to_string();
    let words: Vec<String> = caps[3]
        .split(" | ")
        .map(str::trim)
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    // The mark just before the age is its link; the one just before "parent" is the parent.
    let url_at = |offset: usize| {
        marks
            .iter()
            .rfind(|m| m.at == offset)
            .and_then(|m| urls.get(&m.number))
    };
    let age_at = lead + caps.get(2).map_or(0, |m| m.start());
    let id = url_at(age_at).and_then(|u| item_id(u));
    let parent_id = clean
        .find("| parent")
        .and_then(|i| url_at(lead + i + 2))
        .and_then(|u| fragment_id(u));
    Some(Header {
        at,
        span: 1,
        author,
        age,
        words,
        id,
        parent_id,
    })
}

/// Whether a dump is of a Hacker News item page: at least one comment header, or the
/// story's subtext followed by nothing but the story.
pub(crate) fn matches(lines: &[Line<'_>], urls: &HashMap<u32, String>) -> bool {
    lines.iter().any(|l| l.text.contains("Hacker News")) && !headers(lines, urls).is_empty()
}

/// The indentation of the first comment header of a Hacker News dump without link URLs
/// (w3m, `lynx -nolist`), `None` when the dump is not of a Hacker News page.
pub(crate) fn first_header_indent(lines: &[Line<'_>]) -> Option<usize> {
    let none = HashMap::new();
    if !lines.iter().any(|l| l.text.contains("Hacker News")) {
        return None;
    }
    headers(lines, &none).first().map(|h| lines[h.at].indent)
}

/// The comment headers of the dump, a wrapped one joined with its next line.
fn headers(lines: &[Line<'_>], urls: &HashMap<u32, String>) -> Vec<Header> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = &lines[i];
        if !line.text.contains(" ago") {
            i += 1;
            continue;
        }
        let wrapped = || {
            let next = lines.get(i + 1).filter(|n| !n.is_blank())?;
            // A line that ends with a link mark wrapped before the mark's text.
            let sep = if line.text.ends_with(']') { "" } else { " " };
            let mut h = header(i, &format!("{}{sep}{}", line.text, next.text), urls)?;
            h.span = 2;
            Some(h)
        };
        if let Some(h) = header(i, line.text, urls).or_else(wrapped) {
            i += h.span;
            found.push(h);
        } else {
            i += 1;
        }
    }
    found
}

/// A line that is page furniture inside a comment: `reply`, lynx's spacer image, w3m's
/// vote arrow standing alone.
fn is_furniture(text: &str) -> bool {
    matches!(text, "reply" | "[s.gif]" | "[s]" | "*" | "[y18.svg]")
}

/// w3m writes the vote arrow left of the comment's first or middle line (`[s]   text` or
/// `*   text`): the text is what follows it.
fn without_vote_arrow<'a>(line: &Line<'a>, text_col: usize) -> Line<'a> {
    if line.indent >= text_col {
        return *line;
    }
    for arrow in ["[s]", "*"] {
        if let Some(rest) = line.text.strip_prefix(arrow)
            && rest.starts_with(' ')
        {
            let trimmed = rest.trim_start();
            let col = line.indent + arrow.len() + (rest.len() - trimmed.len());
            return Line {
                number: line.number,
                indent: col,
                text: trimmed,
            };
        }
    }
    *line
}

fn body_of(lines: &[Line<'_>], urls: &HashMap<u32, String>, width: usize) -> crate::model::Body {
    let text_col = lines
        .iter()
        .filter(|l| !l.is_blank() && !l.text.starts_with("[s]") && !l.text.starts_with('*'))
        .map(|l| l.indent)
        .min()
        .unwrap_or(0);
    let mut body = BodyBuilder::new(urls, width);
    for line in lines {
        let line = without_vote_arrow(line, text_col);
        let (clean, _) = strip_marks(line.text, urls);
        if line.is_blank() || is_furniture(clean.trim()) {
            body.blank();
        } else {
            body.text(&line, 0, false);
        }
    }
    body.finish()
}

/// Reads the story and its comments from the dump's content (References already split
/// off) into `b`. Returns how many comments were read.
pub(crate) fn read(
    b: &mut ThreadBuilder,
    lines: &[Line<'_>],
    urls: &HashMap<u32, String>,
    width: usize,
) -> usize {
    let headers = headers(lines, urls);
    let story_end = headers.first().map_or(lines.len(), |h| h.at);
    read_story(b, &lines[..story_end], urls, width);

    let mut by_id: HashMap<String, usize> = HashMap::new();
    // The path from the top-level comment to the last one read (the navigation words).
    let mut path: Vec<usize> = Vec::new();
    for (n, h) in headers.iter().enumerate() {
        let has = |w: &str| h.words.iter().any(|x| x == w);
        let by_words = if !has("parent") {
            path.clear();
            None
        } else if !has("prev") {
            path.last().copied()
        } else if !has("root") {
            path.truncate(1);
            path.first().copied()
        } else {
            path.pop();
            path.last().copied()
        };
        let parent = match &h.parent_id {
            Some(pid) => by_id.get(pid).copied().or(by_words),
            None => by_words,
        };
        // Keep the path true to the exact parent when lynx gave one.
        if let Some(p) = parent
            && let Some(at) = path.iter().position(|x| *x == p)
        {
            path.truncate(at + 1);
        }
        let end = headers.get(n + 1).map_or(lines.len(), |next| next.at);
        let draft = CommentDraft {
            source_id: h.id.clone(),
            author: Some(h.author.clone()),
            created: Some(Timestamp::parse(&h.age)),
            url: h
                .id
                .as_ref()
                .map(|id| format!("https://news.ycombinator.com/item?id={id}")),
            body: body_of(&lines[h.at + h.span..end], urls, width),
            ..CommentDraft::default()
        };
        let handle = b.push(parent, draft);
        if let Some(id) = &h.id {
            by_id.insert(id.clone(), handle);
        }
        path.push(handle);
    }
    headers.len()
}

/// The story: the line before `N points by user ...` is its title, the lines after it its
/// text; the navigation bar above is dropped.
fn read_story(
    b: &mut ThreadBuilder,
    lines: &[Line<'_>],
    urls: &HashMap<u32, String>,
    width: usize,
) {
    let cleaned: Vec<String> = lines.iter().map(|l| strip_marks(l.text, urls).0).collect();
    let Some(sub) = cleaned.iter().position(|t| SUBTEXT.is_match(t)) else {
        b.body = body_of(lines, urls, width);
        return;
    };
    if let Some(caps) = SUBTEXT.captures(&cleaned[sub]) {
        b.score = caps.get(1).and_then(|s| s.as_str().parse().ok());
        b.author = Some(caps[2].to_string());
    }
    // The story's id: the title's or the age's `item?id=` link.
    let (_, marks) = strip_marks(lines[sub].text, urls);
    let id = marks
        .iter()
        .filter_map(|m| urls.get(&m.number))
        .find_map(|u| item_id(u));
    if let Some(id) = id {
        b.url = Some(format!("https://news.ycombinator.com/item?id={id}"));
        b.source_key = Some(format!("hn:{id}"));
    }
    b.title = cleaned[..sub]
        .iter()
        .rev()
        .map(|t| t.trim())
        .find(|t| !t.is_empty())
        .map(|t| t.strip_prefix("● ").unwrap_or(t).to_string());
    // The subtext may wrap (lynx): skip its continuation up to the first blank line.
    let mut start = sub + 1;
    while start < lines.len() && !lines[start].is_blank() && cleaned[start].contains("comments") {
        start += 1;
    }
    b.body = body_of(&lines[start..], urls, width);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::browser::lines::split_lines;

    #[test]
    fn headers_with_and_without_link_marks() {
        let urls: HashMap<u32, String> = [
            (24, "https://news.ycombinator.com/user?id=cv".to_string()),
            (
                25,
                "https://news.ycombinator.com/item?id=36821956".to_string(),
            ),
            (
                26,
                "https://news.ycombinator.com/item?id=1#36818754".to_string(),
            ),
            (
                27,
                "https://news.ycombinator.com/item?id=1#36823679".to_string(),
            ),
            (28, "javascript:void(0)".to_string()),
        ]
        .into();
        let lines = split_lines(
            "[24]cv [25]1 day ago | [26]parent | [27]next [28][–]\n  tn 2 hours ago | root | parent | prev | next [–]\nnot 1 day ago at all",
        );
        let h = header(0, lines[0].text, &urls).unwrap();
        assert_eq!(h.author, "cv");
        assert_eq!(h.id.as_deref(), Some("36821956"));
        assert_eq!(h.parent_id.as_deref(), Some("36818754"));
        let h = header(1, lines[1].text, &urls).unwrap();
        assert_eq!((h.author.as_str(), h.age.as_str()), ("tn", "2 hours ago"));
        assert_eq!(h.words, ["root", "parent", "prev", "next"]);
        assert!(header(2, lines[2].text, &urls).is_none());
    }
}
