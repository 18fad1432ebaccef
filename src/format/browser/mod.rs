//! Text-browser dumps (`lynx -dump`, `w3m -dump`) of a blog post with its comments.
//!
//! The shapes were learnt from dumps of our own `WordPress`-like pages (see
//! `tests/fixtures/browser/`), made with Lynx 2.9.0dev.12 and w3m 0.5.3+git20230121:
//! - the article comes first; a heading such as `12 thoughts on “Title”`, `12 Comments` or
//!   `12 Responses to “Title”` separates it from the comments, which are list items;
//! - each comment opens with `Alice says:` (after lynx link marks or a w3m avatar
//!   placeholder), then a date line, its text, and a `Reply` line;
//! - lynx marks links as `[12]` and lists their URLs under `References` at the end;
//! - lynx indents list text 5 columns per level up to seven levels, w3m 4 per level up to ten;
//!   their bullets cycle per level (see [`lines`]), and `WordPress` restarts ordered lists at
//!   `1.` on every level (see [`nesting`]).
//!
//! What is read: article, authors, dates (kept as text unless RFC 3339), bodies with their
//! links, nesting. What is dropped: `Reply` lines, the References list, and the page after
//! the comments (reply form, sidebar, footer). Hacker News item pages have their own shape
//! ([`hn`]). No IO, no terminal, no recursion over depth;
//! text is kept as written (sanitising happens at display).

mod body;
mod hn;
mod joins;
mod lines;
mod nesting;
mod quick;
pub(crate) use quick::cannot_be_dump;

use std::collections::HashMap;

use self::body::{BodyBuilder, common_indent, estimate_width};
use self::joins::{lone_markers, with_joins};
use self::lines::{
    Item, LYNX_BULLETS, Line, Marker, RefStyle, W3M_ASCII_BULLETS, W3M_BULLETS, comments_heading,
    find_references, heading_count, is_pingback, is_reply_line, looks_like_date, parse_item,
    says_header, split_lines, strip_marks, strip_number_marks,
};
use self::nesting::Nesting;
use crate::format::{FormatError, InputFormat};
use crate::model::{CommentDraft, Marks, Thread, ThreadBuilder, Timestamp};

/// The text column of a top-level comment in a lynx dump (`    1. ` or `     * `).
const LYNX_ROOT_KEY: usize = 7;
/// The text column of a top-level comment in a w3m dump (` 1. ` or `  • `).
const W3M_ROOT_KEY: usize = 4;
/// Columns right of the article's text from which lynx's lone line reads as a centred
/// heading rather than a quotation (its quotations are indented by 2 to 7).
const CENTRED: usize = 10;
/// How many non-blank lines may stand between the comments heading and the first comment
/// (comment navigation, "Comments are moderated", ...).
const MAX_LINES_BEFORE_FIRST_COMMENT: usize = 8;

/// Recognises a lynx or w3m dump of a comment page; `None` for anything else (plain text
/// in the seed's shape included), so the caller falls back to the plain-text reader.
#[must_use]
pub fn detect(text: &str) -> Option<InputFormat> {
    if quick::cannot_be_dump(text) {
        return None;
    }
    detect_full(text)
}

/// [`detect`] without its quick "no": reads the text as a dump, line by line.
#[must_use]
pub(crate) fn detect_full(text: &str) -> Option<InputFormat> {
    let raw = split_lines(text);
    let joins = lone_markers(&raw);
    let lines = if joins.is_empty() {
        raw
    } else {
        with_joins(&raw, &joins)
    };
    if let Some(refs) = find_references(&lines) {
        let marked = lines[..refs.start]
            .iter()
            .any(|l| !strip_marks(l.text, &refs.urls).1.is_empty());
        if marked {
            return Some(match refs.style {
                Some(RefStyle::W3m) => InputFormat::W3m,
                _ => InputFormat::Lynx,
            });
        }
    }
    if let Some(indent) = hn::first_header_indent(&lines) {
        // lynx writes every comment at its 3-column margin; w3m indents them further.
        return Some(if indent <= 3 {
            InputFormat::Lynx
        } else {
            InputFormat::W3m
        });
    }
    let first = locate(&lines).first_comment?;
    let item = parse_item(&lines[first])?;
    match (item.key, item.marker) {
        (_, Marker::Bullet(b)) if W3M_BULLETS.contains(&b) => Some(InputFormat::W3m),
        (LYNX_ROOT_KEY, _) => Some(InputFormat::Lynx),
        (W3M_ROOT_KEY, _) => Some(InputFormat::W3m),
        _ => None,
    }
}

/// Where the comments are.
#[derive(Debug, Default)]
struct Located {
    /// The comments heading line, if any.
    heading: Option<usize>,
    /// The first comment's line, if any.
    first_comment: Option<usize>,
}

/// Finds the comments heading followed by a list, else the first `X says:` list item.
fn locate(lines: &[Line<'_>]) -> Located {
    let mut first_heading = None;
    for (i, line) in lines.iter().enumerate() {
        if line.indent > 3 || comments_heading(line.text).is_none() {
            continue;
        }
        first_heading.get_or_insert(i);
        let mut seen = 0;
        for (j, next) in lines.iter().enumerate().skip(i + 1) {
            if next.is_blank() {
                continue;
            }
            if parse_item(next).is_some() {
                return Located {
                    heading: Some(i),
                    first_comment: Some(j),
                };
            }
            seen += 1;
            if seen > MAX_LINES_BEFORE_FIRST_COMMENT {
                break;
            }
        }
    }
    let first_comment = lines
        .iter()
        .position(|l| parse_item(l).is_some_and(|it| says_header(it.rest).is_some()));
    match (first_heading, first_comment) {
        (Some(h), Some(c)) if h < c => Located {
            heading: Some(h),
            first_comment: Some(c),
        },
        (_, Some(c)) => Located {
            heading: None,
            first_comment: Some(c),
        },
        (h, None) => Located {
            heading: h,
            first_comment: None,
        },
    }
}

/// Parses a lynx (`format` = `Lynx`) or w3m dump of a comment page.
///
/// # Errors
/// Never: a page without recognisable comments reads as an article, with a warning.
pub fn parse(text: &str, _source: &str, format: InputFormat) -> Result<Thread, FormatError> {
    let raw = split_lines(text);
    let joins = lone_markers(&raw);
    let lines = if joins.is_empty() {
        raw
    } else {
        with_joins(&raw, &joins)
    };
    let no_refs = HashMap::new();
    let refs = find_references(&lines);
    let (content, urls) = match &refs {
        Some(r) => (&lines[..r.start], &r.urls),
        None => (&lines[..], &no_refs),
    };
    let width = estimate_width(content);
    if hn::matches(content, urls) {
        let mut b = ThreadBuilder::new();
        hn::read(&mut b, content, urls, width);
        return Ok(b.finish());
    }
    let located = locate(content);
    let article_end = located
        .heading
        .or(located.first_comment)
        .unwrap_or(content.len());

    let mut b = ThreadBuilder::new();
    let (article, first_heading) = read_article(&content[..article_end], urls, width);
    b.body = article;
    let heading = located.heading.map(|h| heading_text(content, h));
    b.title = heading
        .as_deref()
        .and_then(|h| comments_heading(h).and_then(|h| h.title))
        .or(first_heading);
    if let Some(title) = &b.title {
        drop_title_block(&mut b.body, title);
    }
    b.author = take_byline(&mut b.body);

    match located.first_comment {
        Some(first) => {
            let cycle = bullet_cycle(format, &content[first..]);
            let read = read_comments(&mut b, &content[first..], urls, width, cycle);
            if let Some(expected) = heading.as_deref().and_then(heading_count)
                && expected != read as u64
            {
                b.warnings.push(format!(
                    "the page says it has {expected} comments; {read} were read"
                ));
            }
        }
        None => b.warnings.push(format!(
            "no comments found in this {} dump: expected a heading such as \
             “12 Comments” followed by a list, or list items opening with “Alice says:”",
            format.name()
        )),
    }
    Ok(b.finish())
}

/// How many lines a comments heading may take (the browser wraps a long title).
const MAX_HEADING_LINES: usize = 4;

/// The comments heading at `lines[h]` joined with the lines the browser wrapped it onto:
/// while the title's opening quote is not closed, the next lines go on it
/// (`20 thoughts on “A long … Rules CA` / `Appellate Court”`).
fn heading_text(lines: &[Line<'_>], h: usize) -> String {
    let mut text = lines[h].text.trim_end().to_string();
    for next in lines.iter().skip(h + 1).take(MAX_HEADING_LINES - 1) {
        if !unclosed_quote(&text) || next.is_blank() || parse_item(next).is_some() {
            break;
        }
        text.push(' ');
        text.push_str(next.text.trim());
    }
    text
}

/// Whether the text opens a quotation it does not close.
fn unclosed_quote(text: &str) -> bool {
    [('“', '”'), ('«', '»'), ('‘', '’')]
        .iter()
        .any(|&(open, close)| text.rfind(open).is_some_and(|i| !text[i..].contains(close)))
        || text.matches('"').count() % 2 == 1
}

/// How many of the article's first blocks may be the page's title (after the site name,
/// navigation and byline that themes put above it).
const TITLE_BLOCKS: usize = 12;

/// Removes the article block that only repeats the title (the page's `<h1>`, issue 15 #22):
/// the title is shown above the article already. Compared word by word, so a title that
/// the browser wrapped still matches.
fn drop_title_block(body: &mut crate::model::Body, title: &str) {
    let words = |s: &str| s.split_whitespace().map(str::to_string).collect::<Vec<_>>();
    let want = words(title);
    if want.is_empty() {
        return;
    }
    if let Some(i) = body
        .blocks
        .iter()
        .take(TITLE_BLOCKS)
        .position(|b| b.quote_depth == 0 && words(b.text.as_str()) == want)
    {
        body.blocks.remove(i);
    }
}

/// The author box's `View all posts by Name` link: the article's author, and not part of
/// its text. The name runs to the end of its paragraph; the text before it stays.
fn take_byline(body: &mut crate::model::Body) -> Option<String> {
    const BYLINE: &str = "View all posts by ";
    let (i, at) = body
        .blocks
        .iter()
        .enumerate()
        .find_map(|(i, b)| b.text.find(BYLINE).map(|at| (i, at)))?;
    let block = &body.blocks[i];
    let rest = &block.text[at + BYLINE.len()..];
    // The link is the end of its paragraph, perhaps wrapped; a longer rest is more text.
    let mut name = rest.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.chars().count() > 80 {
        name = rest.lines().next().unwrap_or("").trim().to_string();
    }
    let keep = block.text[..at].trim_end().to_string();
    if keep.is_empty() {
        body.blocks.remove(i);
    } else {
        let spans = block
            .spans
            .iter()
            .filter(|sp| sp.range.end <= keep.len())
            .cloned()
            .collect();
        body.blocks[i] = crate::model::Block {
            kind: block.kind.clone(),
            quote_depth: block.quote_depth,
            text: keep.into(),
            spans,
        };
    }
    (!name.is_empty()).then_some(name)
}

/// The bullet cycle of the browser that wrote the dump.
fn bullet_cycle(format: InputFormat, lines: &[Line<'_>]) -> &'static [char] {
    if format == InputFormat::Lynx {
        return &LYNX_BULLETS;
    }
    let unicode = lines.iter().any(|l| {
        parse_item(l)
            .is_some_and(|it| matches!(it.marker, Marker::Bullet(b) if W3M_BULLETS.contains(&b)))
    });
    if unicode {
        &W3M_BULLETS
    } else {
        &W3M_ASCII_BULLETS
    }
}

/// The article: paragraphs, lists, and (in lynx, which indents text by 3) headings, which
/// stand left of the text. Returns the body and the first heading without a link.
fn read_article(
    lines: &[Line<'_>],
    urls: &HashMap<u32, String>,
    width: usize,
) -> (crate::model::Body, Option<String>) {
    let text_indent = common_indent(
        lines
            .iter()
            .filter(|l| !l.is_blank() && parse_item(l).is_none()),
        0,
    );
    let mut body = BodyBuilder::new(urls, width);
    let mut title = None;
    for line in lines {
        if line.is_blank() {
            body.blank();
        } else if let Some(item) = parse_item(line) {
            body.item(line, &item);
        } else {
            // lynx puts headings left of the text, and centres some (`<h1>`).
            let heading = line.indent < text_indent || line.indent >= text_indent + CENTRED;
            if heading && title.is_none() && strip_marks(line.text, urls).1.is_empty() {
                title = Some(line.text.to_string());
            }
            body.text(line, u8::from(line.indent > text_indent), heading);
        }
    }
    (body.finish(), title)
}

/// A comment whose lines are still being collected.
struct Pending<'a> {
    handle: usize,
    key: usize,
    lines: Vec<Line<'a>>,
}

/// Reads the comment list starting at `lines[0]` (a list item) until the page moves on.
/// Returns how many comments were read.
fn read_comments<'a>(
    b: &mut ThreadBuilder,
    lines: &[Line<'a>],
    urls: &HashMap<u32, String>,
    width: usize,
    cycle: &'static [char],
) -> usize {
    let Some(root) = lines.first().and_then(parse_item) else {
        return 0;
    };
    // When comments open with "Alice says:", a list item without one is a list inside a
    // comment; otherwise every item is a comment.
    let says_mode = lines
        .iter()
        .any(|l| parse_item(l).is_some_and(|it| says_header(it.rest).is_some()));
    let mut nesting = Nesting::new(root.key, cycle);
    let mut pending: Option<Pending<'a>> = None;
    let mut count = 0;
    for line in lines {
        let item = parse_item(line);
        if let Some(item) = &item {
            if item.key < root.key {
                break;
            }
            let header = says_header(item.rest);
            if !says_mode || header.is_some() || is_pingback(item.rest) {
                if let Some(p) = pending.take() {
                    finish_comment(b, &p, urls, width);
                }
                pending = Some(open_comment(b, &mut nesting, line, item, header));
                count += 1;
                continue;
            }
        } else if !line.is_blank() && line.indent + 3 < root.key {
            break;
        }
        if let Some(p) = &mut pending {
            p.lines.push(*line);
        }
    }
    if let Some(p) = pending.take() {
        finish_comment(b, &p, urls, width);
    }
    count
}

/// Places a new comment in the tree and starts collecting its lines.
fn open_comment<'a>(
    b: &mut ThreadBuilder,
    nesting: &mut Nesting,
    line: &Line<'a>,
    item: &Item<'a>,
    header: Option<(String, String)>,
) -> Pending<'a> {
    let parent = nesting.parent_of(item.key, item.marker);
    let mut draft = CommentDraft::default();
    let mut first_line = None;
    let pingback = header.is_none() && is_pingback(item.rest);
    match header {
        Some((author, after)) => {
            draft.author = Some(author);
            if looks_like_date(&after) {
                draft.created = Some(Timestamp::parse(&after));
            } else if !after.is_empty() {
                first_line = Some(item.rest);
            }
        }
        None => first_line = Some(item.rest),
    }
    let handle = b.push(parent, draft);
    if pingback {
        // No author by nature, as the HTML reader marks `li.pingback`.
        b.mark(handle, Marks::PINGBACK);
    }
    nesting.opened(item.key, item.marker, handle);
    let mut lines = Vec::new();
    if let Some(text) = first_line {
        lines.push(Line {
            number: line.number,
            indent: item.key,
            text,
        });
    }
    Pending {
        handle,
        key: item.key,
        lines,
    }
}

/// Reads a comment's date line and text into its draft.
fn finish_comment(
    b: &mut ThreadBuilder,
    pending: &Pending<'_>,
    urls: &HashMap<u32, String>,
    width: usize,
) {
    let Some(draft) = b.pushed_mut(pending.handle) else {
        return;
    };
    let mut lines = pending.lines.as_slice();
    while lines.first().is_some_and(Line::is_blank) {
        lines = &lines[1..];
    }
    if draft.created.is_none()
        && draft.author.is_some()
        && let Some(first) = lines.first()
        && parse_item(first).is_none()
        && looks_like_date(first.text)
    {
        draft.created = Some(Timestamp::parse(&strip_number_marks(first.text)));
        lines = &lines[1..];
    }
    let text_lines = || {
        lines
            .iter()
            .filter(|l| !l.is_blank() && parse_item(l).is_none() && !is_reply_line(l.text))
    };
    let text_col = common_indent(text_lines(), pending.key);
    let mut body = BodyBuilder::new(urls, width);
    for line in lines {
        if line.is_blank() {
            body.blank();
        } else if let Some(item) = parse_item(line) {
            body.item(line, &item);
        } else if is_reply_line(line.text) {
            body.blank();
        } else {
            body.text(line, u8::from(line.indent != text_col), false);
        }
    }
    draft.body = body.finish();
}
