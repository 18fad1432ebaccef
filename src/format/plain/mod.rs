//! Plain text: the article, then `  1. ` numbered comments with bulleted, indented replies.
//!
//! Owns reading the plain-text shape (see the README's "Plain text" section) and the
//! bracketed metadata line (`[by alice · 2017-08-11T14:03:00Z · 12 points]`) that
//! `threadr dump --format text` writes and this reader understands. No IO, no terminal.
//!
//! The reader is one pass over the lines with a stack of `(marker indent, comment handle)`
//! for the open ancestors of the current comment; nothing recurses over depth, so a
//! 100,000-deep chain reads like any other file. It reads a text in pieces as well as
//! whole ([`Stream`]: a large file is parsed as it is read, without holding it); a
//! paragraph's lines are gathered in a reused buffer and its text allocated once, at its
//! exact size, when the paragraph ends.

use crate::format::FormatError;
use crate::model::{Block, Body, CommentDraft, Marks, Thread, ThreadBuilder, Timestamp};
mod markers;
mod stream;

pub use stream::Stream;

use markers::{
    ASCII_BULLETS, TopMarker, UNICODE_BULLETS, bullet_marker, bullet_marker_at, indent_of,
    top_marker, top_marker_at,
};

/// A first line standing alone and at most this many characters may be the title.
const MAX_TITLE_CHARS: usize = 80;
/// Separates the fields of a metadata line.
pub(crate) const FIELD_SEP: &str = " · ";

/// Parses the plain-text shape.
///
/// # Errors
/// Never: any text reads as a thread (at worst an article without comments).
pub fn parse(text: &str, source: &str) -> Result<Thread, FormatError> {
    parse_with(text, source, &mut |_| {})
}

/// How many bytes a reader reads between two reports to its progress callback.
pub const PROGRESS_EVERY: usize = 1 << 20;

/// [`parse`], telling `progress` how many bytes of `text` it has read, about every
/// [`PROGRESS_EVERY`] bytes (the rest of a large file is read on a job that shows it).
///
/// # Errors
/// Never, as [`parse`].
pub fn parse_with(
    text: &str,
    _source: &str,
    progress: &mut dyn FnMut(usize),
) -> Result<Thread, FormatError> {
    // A file with CR line ends only would otherwise be one line.
    let end = if !text.contains('\n') && text.contains('\r') {
        b'\r'
    } else {
        b'\n'
    };
    let mut stream = Stream::new(end, Box::new(|top| uses_unicode_bullets(text, top)));
    stream.feed(text, progress);
    Ok(stream.finish())
}

/// The start of `text` up to (not including) the last top-level comment that begins in it:
/// the part of a file's first bytes that holds only whole comments, for a first screen
/// while the rest is read. `None` when `text` holds fewer than two top-level comments (the
/// article or the first comment goes on past it).
#[must_use]
pub fn head(text: &str) -> Option<&str> {
    let mut first_indent = None;
    let mut last_start = None;
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_end();
        if let Some(m) = top_marker(trimmed, first_indent) {
            if first_indent.is_some() {
                last_start = Some(at);
            }
            first_indent = Some(m.indent);
        }
        at += line.len();
    }
    last_start.map(|end| &text[..end])
}

/// Would this text, standing at the start of a line after its indent, read as a comment
/// marker or a metadata line? The text dump writes such body lines with a `\` in front,
/// and the reader removes one `\` from a line that would otherwise be such a line.
pub(crate) fn looks_like_marker(s: &str) -> bool {
    let mut chars = s.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    let blank_or_end = |rest: &str| rest.is_empty() || rest.starts_with([' ', '\t']);
    if UNICODE_BULLETS.contains(&first) || ASCII_BULLETS.contains(&first) {
        return blank_or_end(chars.as_str());
    }
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=9).contains(&digits) && s.as_bytes().get(digits) == Some(&b'.') {
        return blank_or_end(&s[digits + 1..]);
    }
    first == '[' && parse_header(s.trim_end()).is_some()
}

/// Removes the escaping `\` the text dump puts before a marker-like body line.
fn unescape(s: &str) -> &str {
    match s.strip_prefix('\\') {
        Some(rest) if looks_like_marker(rest.trim_start_matches('\\')) => rest,
        _ => s,
    }
}

/// Metadata a bracketed line carries: `[by alice · 2017-08-11T14:03:00Z · 12 points]`.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Header {
    /// `by NAME`.
    pub author: Option<String>,
    /// An RFC 3339 date, or `on TEXT` for a date kept as text.
    pub created: Option<Timestamp>,
    /// `N points` / `1 point`.
    pub score: Option<i64>,
    /// `deleted`.
    pub deleted: bool,
    /// `N more`: replies the source knew about that are not in the file.
    pub more: u32,
    /// `depth N`: written where the indentation is capped (see `export::text`).
    pub depth: Option<u32>,
    /// `<URL>`.
    pub url: Option<String>,
}

/// Reads a metadata line; `None` unless the whole line is `[...]` and every field is known,
/// so an ordinary line such as `[citation needed] ...` stays text.
pub(crate) fn parse_header(line: &str) -> Option<Header> {
    let inner = line.strip_prefix('[')?.strip_suffix(']')?;
    if inner.trim().is_empty() {
        return None;
    }
    let mut h = Header::default();
    for field in inner.split(FIELD_SEP) {
        let field = field.trim();
        if let Some(name) = field.strip_prefix("by ") {
            h.author = Some(name.to_string());
        } else if let Some(date) = field.strip_prefix("on ") {
            h.created = Some(Timestamp::Text(date.to_string()));
        } else if let Some(secs) = crate::model::Timestamp::parse(field).unix() {
            h.created = Some(Timestamp::Unix(secs));
        } else if let Some(n) = field
            .strip_suffix(" points")
            .or_else(|| field.strip_suffix(" point"))
        {
            h.score = Some(n.parse().ok()?);
        } else if let Some(n) = field.strip_suffix(" more") {
            h.more = n.parse().ok()?;
        } else if let Some(n) = field.strip_prefix("depth ") {
            h.depth = Some(n.parse().ok()?);
        } else if field == "deleted" {
            h.deleted = true;
        } else if let Some(url) = field.strip_prefix('<').and_then(|u| u.strip_suffix('>')) {
            h.url = Some(url.to_string());
        } else {
            return None;
        }
    }
    Some(h)
}

/// Is this line a title underline (`=====` or `-----`)?
fn is_underline(line: &str) -> bool {
    let t = line.trim();
    t.len() >= 3 && (t.bytes().all(|b| b == b'=') || t.bytes().all(|b| b == b'-'))
}

/// Title, metadata line and paragraphs of the article.
fn read_article(lines: &[&str], b: &mut ThreadBuilder) {
    let mut rest = lines;
    while let Some((first, tail)) = rest.split_first() {
        if !first.trim().is_empty() {
            break;
        }
        rest = tail;
    }
    // Title: underlined, or a short first line standing alone.
    if let [first, second, tail @ ..] = rest
        && is_underline(second)
        && !first.trim().is_empty()
    {
        b.title = Some(first.trim().to_string());
        rest = tail;
    } else if let [first, tail @ ..] = rest
        && tail.first().is_none_or(|l| l.trim().is_empty())
        && looks_like_title(first)
    {
        b.title = Some(unescape(first.trim()).to_string());
        rest = tail;
    }
    let mut paragraphs = Paragraphs::default();
    let mut header_allowed = true;
    // Without a title, the first line of the article may carry the text dump's escape.
    let mut first_line = b.title.is_none();
    for line in rest {
        if line.trim().is_empty() {
            paragraphs.end();
            continue;
        }
        if header_allowed
            && paragraphs.is_empty()
            && let Some(h) = parse_header(line.trim())
            && h.depth.is_none()
            && !h.deleted
        {
            b.author = h.author;
            b.created = h.created;
            b.score = h.score;
            b.url = h.url;
            b.more = h.more;
            header_allowed = false;
            continue;
        }
        header_allowed = false;
        let (width, start) = indent_of(line);
        let text = &line[start..];
        let text = match text.strip_prefix('\\') {
            Some(rest) if std::mem::take(&mut first_line) && first_line_needs_escape(rest) => rest,
            _ if std::mem::take(&mut first_line) => text,
            _ => unescape(text),
        };
        paragraphs.push(width, text);
    }
    b.body = paragraphs.finish();
}

/// A short line without closing punctuation reads as a heading, not a sentence. A line
/// escaped with `\` (see [`first_line_needs_escape`]) never does.
fn looks_like_title(line: &str) -> bool {
    !line.trim_start().starts_with('\\') && title_shaped(unescape(line.trim()))
}

fn title_shaped(t: &str) -> bool {
    !t.is_empty()
        && t.chars().count() <= MAX_TITLE_CHARS
        && !t.ends_with(['.', ',', ';', ':'])
        && parse_header(t).is_none()
}

/// Whether the first line of a title-less article must be written with a leading `\`: it
/// would read as the title, a comment or metadata, or it starts with `\` itself. The
/// reader removes one `\` from a first line exactly when the rest needs it, so the two
/// agree.
pub(crate) fn first_line_needs_escape(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with('\\') || looks_like_marker(t) || title_shaped(t.trim_end())
}

/// Collects the lines of the current paragraph and the finished blocks of one body.
#[derive(Default)]
struct Paragraphs {
    /// The open paragraph's lines so far, joined by `\n` (a buffer kept for the next).
    text: String,
    /// Whether a paragraph is open (its first line may be empty).
    open: bool,
    blocks: Vec<Block>,
}

impl Paragraphs {
    /// Adds a line, `extra` columns right of the paragraph's indent.
    fn push(&mut self, extra: usize, line: &str) {
        if std::mem::replace(&mut self.open, true) {
            self.text.push('\n');
        }
        self.text.extend(std::iter::repeat_n(' ', extra));
        self.text.push_str(line);
    }

    fn is_empty(&self) -> bool {
        !self.open && self.blocks.is_empty()
    }

    /// Closes the open paragraph, allocating its text once at its exact size.
    fn end(&mut self) {
        if std::mem::take(&mut self.open) {
            self.blocks.push(Block::paragraph(self.text.as_str()));
            self.text.clear();
        }
    }

    /// The finished body, in a `Vec` of exactly its size; the buffers are kept for the next.
    fn take(&mut self) -> Body {
        self.end();
        let mut body = Body {
            blocks: self.blocks.drain(..).collect(),
            links: thin_vec::ThinVec::new(),
        };
        crate::format::bareurl::link_bare_urls(&mut body);
        body
    }

    fn finish(mut self) -> Body {
        self.take()
    }
}

/// The comment whose lines are being read.
struct Open {
    /// Handle of the comment it replies to.
    parent: Option<usize>,
    /// Column of its number or bullet.
    indent: usize,
    /// Column its further lines are indented to.
    content: usize,
    /// Metadata from a bracketed first line.
    header: Header,
    /// Whether the previous line was blank (or the marker line had no text).
    after_blank: bool,
}

/// Whether any line of the whole input starts with a `•`-style bullet right of the given
/// top-level indent ([`uses_unicode_bullets`] of the input): asked at most once, when a
/// line could be a reply or a list depending on it. A text read whole scans itself; a
/// file read in pieces reads itself again.
pub type Lookahead<'a> = Box<dyn FnMut(usize) -> bool + 'a>;

/// State of the comment section.
struct Reader<'a> {
    /// Scans the whole input once ahead when the bullet family must be decided.
    lookahead: Lookahead<'a>,
    top_indent: usize,
    last_number: u64,
    /// Open ancestors of the current comment: (marker indent, handle). `stack[i]` is at
    /// depth `i`, because each entry replies to the one below it.
    stack: Vec<(usize, usize)>,
    open: Option<Open>,
    body: Paragraphs,
    /// Whether `•`-style bullets mark the replies of this file (decided lazily, see
    /// [`Reader::is_reply`]).
    unicode_family: Option<bool>,
    /// Each reply placed by its indentation: (handle, columns right of its parent's marker).
    /// The file's step per level is the smallest of these, known only at the end.
    steps: Vec<(usize, usize)>,
}

impl<'a> Reader<'a> {
    fn new(lookahead: Lookahead<'a>, top_indent: usize) -> Self {
        Self {
            lookahead,
            top_indent,
            last_number: 0,
            stack: Vec::new(),
            open: None,
            body: Paragraphs::default(),
            unicode_family: None,
            steps: Vec::new(),
        }
    }

    /// Marks the replies indented at least two steps right of their parent: the levels
    /// between are missing from the file (a comment that was not saved), and the reader
    /// should say that the parent shown is only the nearest one present.
    fn mark_level_gaps(&mut self, b: &mut ThreadBuilder) {
        let Some(step) = self.steps.iter().map(|(_, d)| *d).filter(|d| *d > 0).min() else {
            return;
        };
        for (handle, _) in self.steps.iter().filter(|(_, d)| *d >= 2 * step) {
            b.mark(*handle, Marks::LEVEL_GAP);
        }
    }

    /// Pushes the open comment into the builder and onto the stack.
    fn finish_comment(&mut self, b: &mut ThreadBuilder) {
        let Some(open) = self.open.take() else {
            return;
        };
        let h = open.header;
        let draft = CommentDraft {
            author: h.author,
            created: h.created,
            score: h.score,
            body: self.body.take(),
            deleted: h.deleted,
            more: h.more,
            url: h.url,
            ..CommentDraft::default()
        };
        let handle = b.push(open.parent, draft);
        self.stack.push((open.indent, handle));
    }

    /// Opens a comment whose marker line carries `first` after the marker.
    fn open(&mut self, parent: Option<usize>, indent: usize, content: usize, first: &str) {
        let first = first.trim();
        let mut header = Header::default();
        let mut after_blank = false;
        if first.is_empty() {
            after_blank = true;
        } else if let Some(h) = parse_header(first) {
            header = h;
            after_blank = true;
        } else {
            self.body.push(0, first);
        }
        self.open = Some(Open {
            parent,
            indent,
            content,
            header,
            after_blank,
        });
    }

    fn start_top(&mut self, line: &str, m: TopMarker, b: &mut ThreadBuilder) {
        self.finish_comment(b);
        self.stack.clear();
        self.last_number = m.number;
        self.open(None, m.indent, m.indent + 2, &line[m.rest..]);
    }

    fn start_reply(&mut self, indent: usize, first: &str, b: &mut ThreadBuilder) {
        self.finish_comment(b);
        let depth = parse_header(first.trim()).and_then(|h| h.depth);
        match depth {
            // An explicit depth (capped indentation): stack[i] is at depth i.
            Some(d) if d >= 1 => self.stack.truncate(d as usize),
            _ => {
                while self.stack.len() > 1 && self.stack.last().is_some_and(|(i, _)| *i >= indent) {
                    self.stack.pop();
                }
            }
        }
        let parent = self.stack.last().copied();
        self.open(parent.map(|(_, h)| h), indent, indent + 2, first);
        if depth.is_none()
            && let Some((parent_indent, _)) = parent
        {
            // The handle this reply will get when it is pushed.
            self.steps
                .push((b.len(), indent.saturating_sub(parent_indent)));
        }
    }

    /// Reads one line of the comment section.
    fn line(&mut self, line: &str, b: &mut ThreadBuilder) {
        let (width, start) = indent_of(line);
        let Some(&first) = line.as_bytes().get(start) else {
            self.body.end();
            if let Some(open) = &mut self.open {
                open.after_blank = true;
            }
            return;
        };
        if first.is_ascii_digit()
            && let Some(m) = top_marker_at(line, width, start, Some(self.top_indent))
            && m.number > self.last_number
        {
            self.start_top(line, m, b);
            return;
        }
        if (!first.is_ascii_alphanumeric() || first == b'o')
            && let Some((bullet, indent, rest)) = bullet_marker_at(line, width, start)
            && self.is_reply(bullet, indent)
        {
            self.start_reply(indent, rest, b);
            return;
        }
        let content = self.open.as_mut().map_or(0, |o| {
            o.after_blank = false;
            o.content
        });
        self.body
            .push(width.saturating_sub(content), unescape(&line[start..]));
    }

    /// Would a reader take this bullet line for a reply rather than a list in the text?
    ///
    /// It must stand right of the top-level numbers. `•` and w3m's bullets then always
    /// start a reply. lynx's ASCII bullets (`* + o # @ - =`) do only when the file does
    /// not use `•`-style bullets for its replies, after a blank line, and no deeper than
    /// where a reply to the current comment stands: `- item` right under a line of text,
    /// or indented into a comment's text, is that comment's list.
    fn is_reply(&mut self, bullet: char, indent: usize) -> bool {
        if indent <= self.top_indent {
            return false;
        }
        if UNICODE_BULLETS.contains(&bullet) {
            return true;
        }
        let Some(open) = &self.open else {
            return false;
        };
        if !open.after_blank || indent > open.content {
            return false;
        }
        let unicode = match self.unicode_family {
            Some(unicode) => unicode,
            None => *self
                .unicode_family
                .insert((self.lookahead)(self.top_indent)),
        };
        !unicode
    }
}

/// Does any line of `text` start with a `•`-style bullet right of the top-level numbers?
/// (Lines are split at `\n` only, so a text cut after line ends gives the same answer in
/// pieces as whole.)
pub fn uses_unicode_bullets(text: &str, top_indent: usize) -> bool {
    text.split('\n').any(|line| {
        bullet_marker(line)
            .is_some_and(|(c, indent, _)| indent > top_indent && UNICODE_BULLETS.contains(&c))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CommentIdx;

    fn read(text: &str) -> Thread {
        parse(text, "test").expect("plain text always parses")
    }

    /// `depth:text` per comment (line breaks as `|`), for compact assertions on shape.
    fn shape(t: &Thread) -> Vec<String> {
        t.comments
            .iter()
            .map(|c| format!("{}:{}", c.depth, c.body.plain_text().replace('\n', "|")))
            .collect()
    }

    #[test]
    fn article_then_numbered_comments_with_replies() {
        let t = read(
            "First paragraph of the post,\nwith a second line.\n\nAnother one.\n\n\
             \x20 1. Top one.\n\n    • Reply to one.\n\n      • Reply to reply.\n\n\
             \x20 2. Top two.\n",
        );
        assert_eq!(t.body.blocks.len(), 2);
        assert_eq!(
            t.body.blocks[0].text,
            "First paragraph of the post,\nwith a second line."
        );
        assert_eq!(
            shape(&t),
            [
                "0:Top one.",
                "1:Reply to one.",
                "2:Reply to reply.",
                "0:Top two."
            ]
        );
        assert_eq!(t.roots, [CommentIdx(0), CommentIdx(3)]);
    }

    #[test]
    fn continuation_lines_and_paragraphs() {
        let t = read(
            "Post.\n\n  1. Line one\n    line two\n    line three\n\n    Second para.\n\n\
             \x20   • Reply\n      goes on\n\n      and on.\n",
        );
        let c = &t.comments[0];
        assert_eq!(c.body.blocks.len(), 2);
        assert_eq!(c.body.blocks[0].text, "Line one\nline two\nline three");
        assert_eq!(c.body.blocks[1].text, "Second para.");
        let r = &t.comments[1];
        assert_eq!(r.body.plain_text(), "Reply\ngoes on\n\nand on.");
        assert_eq!(r.depth, 1);
    }

    #[test]
    fn deeper_indentation_inside_a_comment_is_kept() {
        let t = read("P.\n\n  1. Code:\n\n        let x = 1;\n    done\n");
        assert_eq!(t.comments[0].body.blocks[1].text, "    let x = 1;\ndone");
    }

    #[test]
    fn en_dash_list_is_text_not_replies() {
        let t = read(
            "Post.\n\n  1. Two reasons:\n\n    – the first reason\n\n    – the second one\n\n\
             \x20   • An actual reply.\n",
        );
        assert_eq!(t.len(), 2);
        assert_eq!(t.comments[0].body.blocks.len(), 3);
        assert_eq!(t.comments[0].body.blocks[1].text, "– the first reason");
        assert_eq!(t.comments[1].depth, 1);
    }

    #[test]
    fn ascii_list_under_text_or_in_bullet_file_is_text() {
        // Directly under a line of text: a list, even without any `•` in the file.
        let t = read("P.\n\n  1. Steps:\n    - one\n    - two\n\n    - a reply\n");
        assert_eq!(shape(&t), ["0:Steps:|- one|- two", "1:a reply"]);
        // In a file whose replies use `•`, a dash after a blank line is still text.
        let t = read("P.\n\n  1. Note\n\n    - not a reply\n\n    • a reply\n");
        assert_eq!(shape(&t), ["0:Note||- not a reply", "1:a reply"]);
    }

    #[test]
    fn lynx_and_w3m_bullets_mark_levels() {
        let t = read("P.\n\n  1. a\n\n    * b\n\n      + c\n\n        o d\n\n    * e\n");
        assert_eq!(shape(&t), ["0:a", "1:b", "2:c", "3:d", "1:e"]);
        let t = read("P.\n\n  1. a\n\n    • b\n\n      □ c\n\n        ☆ d\n\n  2. e\n");
        assert_eq!(shape(&t), ["0:a", "1:b", "2:c", "3:d", "0:e"]);
    }

    #[test]
    fn skipped_level_replies_to_the_comment_above() {
        let t = read(
            "P.\n\n  1. top\n\n    • one\n\n        • two levels deeper\n\n          \
             text of it\n\n          • its reply\n\n    • back to one\n",
        );
        assert_eq!(
            shape(&t),
            [
                "0:top",
                "1:one",
                "2:two levels deeper||text of it",
                "3:its reply",
                "1:back to one"
            ]
        );
        assert_eq!(t.comments[2].parent, Some(CommentIdx(1)));
        assert_eq!(
            t.comments[2].body.plain_text(),
            "two levels deeper\n\ntext of it"
        );
        // Only the reply two steps right of its parent says a level is missing.
        let gaps: Vec<bool> = t
            .comments
            .iter()
            .map(|c| c.marks.contains(Marks::LEVEL_GAP))
            .collect();
        assert_eq!(gaps, [false, false, true, false, false]);
    }

    #[test]
    fn title_short_first_line_or_underlined() {
        let t = read("A short title\n\nBody text.\n\n  1. c\n");
        assert_eq!(t.title.as_deref(), Some("A short title"));
        assert_eq!(t.body.plain_text(), "Body text.");
        let t = read("A sentence that ends.\n\nBody.\n");
        assert_eq!(t.title, None);
        let t = read("Title, with a comma, even ending in a colon:\n=====\n\nBody.\n");
        assert_eq!(
            t.title.as_deref(),
            Some("Title, with a comma, even ending in a colon:")
        );
        // A first line that runs on into the paragraph is not a title.
        let t = read("Short\nbut continued.\n\n  1. c\n");
        assert_eq!(t.title, None);
    }

    #[test]
    fn headers_give_metadata() {
        let t = read(
            "Title\n=====\n\n[by ana · 2017-08-11T14:03:00Z · 5 points · <https://x.test/p>]\n\n\
             Body.\n\n  1. [by bo · on last Tuesday · 1 point · deleted · 3 more]\n    Text.\n\n\
             \x20 2. [citation needed] is text\n",
        );
        assert_eq!(t.author.as_deref(), Some("ana"));
        assert_eq!(t.created, Some(Timestamp::Unix(1_502_460_180)));
        assert_eq!(t.score, Some(5));
        assert_eq!(t.url.as_deref(), Some("https://x.test/p"));
        let c = &t.comments[0];
        assert_eq!(c.author.as_deref(), Some("bo"));
        assert_eq!(c.created, Some(Timestamp::Text("last Tuesday".into())));
        assert_eq!((c.score, c.deleted, c.more), (Some(1), true, 3));
        assert_eq!(c.body.plain_text(), "Text.");
        assert_eq!(t.comments[1].body.plain_text(), "[citation needed] is text");
    }

    #[test]
    fn explicit_depth_beyond_capped_indent() {
        let t = read(
            "P.\n\n  1. a\n\n    • b\n\n      • [depth 2]\n        c\n\n      • [depth 3]\n        d\n\n\
             \x20     • [depth 3]\n        e\n\n    • f\n",
        );
        assert_eq!(shape(&t), ["0:a", "1:b", "2:c", "3:d", "3:e", "1:f"]);
    }

    #[test]
    fn numbers_must_increase_to_start_a_top_level_comment() {
        let t = read("P.\n\n  1. a\n  1. still a\n\n  3. b\n");
        assert_eq!(shape(&t), ["0:a|1. still a", "0:b"]);
    }

    #[test]
    fn tabs_crlf_trailing_spaces_no_final_newline() {
        let t = read("Post.   \r\n\r\n  1. a  \r\n    more\t \r\n\r\n\t• tab reply\r\n\r\n  2. b");
        assert_eq!(shape(&t), ["0:a|more", "1:tab reply", "0:b"]);
        assert_eq!(t.comments[0].body.plain_text(), "a\nmore");
        assert_eq!(t.body.plain_text(), "Post.");
        let t = read("Post.\r\r  1. a\r    b\r");
        assert_eq!(t.comments[0].body.plain_text(), "a\nb");
    }

    #[test]
    fn comments_only_and_article_only() {
        let t = read("  1. a\n\n    • b\n");
        assert!(t.body.is_empty());
        assert_eq!(t.title, None);
        assert_eq!(t.len(), 2);
        let t = read("Just words.\n\nMore words.\n");
        assert_eq!((t.len(), t.body.blocks.len()), (0, 2));
        assert!(read("").is_empty());
    }

    #[test]
    fn bullets_in_the_article_are_article() {
        let t = read("Post:\n\n    • a point\n\n  1. c\n");
        assert_eq!(t.body.blocks.len(), 2);
        assert_eq!(t.len(), 1);
    }
}
