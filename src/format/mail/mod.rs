//! Mailing-list threads: an mbox (messages after `From ` lines, `>From` unescaped) or a
//! single message, to a thread.
//!
//! MIME (quoted-printable, base64, charsets, multipart, encoded words in headers) is
//! decoded by `mail-parser`; this module reads the decoded message: `Message-ID`,
//! `In-Reply-To`, `References` for the tree ([`thread`]), `From` (name, else address) as
//! author, `Date`, `Subject` (shown on a reply when it differs from the thread's and its
//! parent's), the
//! `text/plain` parts (else `text/html`) as the body ([`body`]), and attachments listed by
//! name and size, never shown. With one root, the root is the article; with several (a
//! whole list, or a thread whose first message is missing) the article says so and every
//! root is a top-level comment. The thread key is `mail:<root Message-ID>`.
//!
//! Works on the raw bytes (8-bit parts in other charsets are legal mail). No IO, no
//! recursion over depth.

pub mod body;
pub mod thread;

use mail_parser::{MessageParser, MimeHeaders, PartType};

use crate::format::{FormatError, html};
use crate::model::{
    Block, BlockKind, Body, CommentDraft, SpanStyle, Thread, ThreadBuilder, Timestamp,
};

/// How many header lines detection looks at.
const HEADER_PEEK: usize = 64;

/// True when `text` opens like an mbox: a `From ` line followed by mail headers.
#[must_use]
pub fn looks_like_mbox(text: &str) -> bool {
    let t = text.trim_start_matches(['\n', '\r']);
    t.starts_with("From ") && header_block(t.split_once('\n').map_or("", |(_, r)| r))
}

/// True when `text` opens like one mail message: header lines including `From:` and one
/// of `Message-ID:`, `Date:`, `Subject:`, `Received:`, then a blank line.
#[must_use]
pub fn looks_like_message(text: &str) -> bool {
    header_block(text.trim_start_matches(['\n', '\r']))
}

fn header_block(text: &str) -> bool {
    let (mut from, mut other) = (false, false);
    for line in text.split('\n').take(HEADER_PEEK) {
        let line = line.trim_end_matches('\r');
        if line.is_empty() {
            return from && other;
        }
        if line.starts_with([' ', '\t']) {
            continue; // a folded header line
        }
        let Some((name, _)) = line.split_once(':') else {
            return false;
        };
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_graphic()) {
            return false;
        }
        let name = name.to_ascii_lowercase();
        from |= name == "from";
        other |= matches!(
            name.as_str(),
            "message-id" | "date" | "subject" | "received" | "return-path" | "in-reply-to"
        );
    }
    from && other
}

/// One message, read.
struct Mail {
    headers: thread::Headers,
    author: Option<String>,
    subject: Option<String>,
    body: Body,
    archived_at: Option<String>,
}

/// Reads an mbox. `archive` is the base URL of a public-inbox list (`https://host/list/`)
/// from which permalinks `archive + Message-ID + /` are made.
///
/// # Errors
/// When no `From ` line separates messages or no message in it can be read.
pub fn parse_mbox(
    bytes: &[u8],
    source: &str,
    archive: Option<&str>,
) -> Result<Thread, FormatError> {
    let start = bytes
        .iter()
        .position(|b| !matches!(b, b'\n' | b'\r'))
        .unwrap_or(bytes.len());
    if !bytes[start..].starts_with(b"From ") {
        return Err(FormatError::new(
            source,
            Some("line 1".into()),
            "expected an mbox: messages each after a `From ` line; this file does not start \
             with one (a single message reads with --input-format email)",
        ));
    }
    let mut raw = Vec::new();
    let mut bad = 0usize;
    for item in mail_parser::mailbox::mbox::MessageIterator::new(&bytes[start..]) {
        match item {
            Ok(m) => raw.push(m.unwrap_contents()),
            Err(_) => bad += 1,
        }
    }
    build(
        raw.iter().map(Vec::as_slice),
        raw.len(),
        bad,
        source,
        archive,
    )
}

/// Reads a single message.
///
/// # Errors
/// When it has no mail headers.
pub fn parse_message(
    bytes: &[u8],
    source: &str,
    archive: Option<&str>,
) -> Result<Thread, FormatError> {
    build(std::iter::once(bytes), 1, 0, source, archive)
}

fn build<'a>(
    raw: impl Iterator<Item = &'a [u8]>,
    count: usize,
    mut unreadable: usize,
    source: &str,
    archive: Option<&str>,
) -> Result<Thread, FormatError> {
    let parser = MessageParser::default();
    let mut mails = Vec::with_capacity(count);
    for bytes in raw {
        match parser
            .parse(bytes)
            .filter(|m| m.from().is_some() || m.message_id().is_some())
        {
            Some(m) => mails.push(read_mail(&m)),
            None => unreadable += 1,
        }
    }
    if mails.is_empty() {
        return Err(FormatError::new(
            source,
            None,
            format!(
                "expected mail: {count} message(s) found, none with a From: or Message-ID: header"
            ),
        ));
    }
    let headers: Vec<thread::Headers> = mails.iter().map(|m| m.headers.clone()).collect();
    let threading = thread::thread(&headers);
    drop(headers);

    let mut b = ThreadBuilder::new();
    if unreadable > 0 {
        b.warnings.push(format!(
            "{unreadable} message(s) without mail headers were skipped"
        ));
    }
    if threading.cycles_cut > 0 {
        b.warnings.push(format!(
            "{} reply loop(s) in In-Reply-To/References were cut",
            threading.cycles_cut
        ));
    }
    let permalink = |m: &Mail| {
        archive
            .zip(m.headers.id.as_deref())
            .map(|(base, id)| format!("{}/{}/", base.trim_end_matches('/'), escape_id(id)))
            .or_else(|| m.archived_at.clone())
    };
    let single_root = (threading.roots.len() == 1).then(|| threading.roots[0]);
    let mut mails: Vec<Option<Mail>> = mails.into_iter().map(Some).collect();
    let thread_subject;
    match single_root {
        Some(r) => {
            let root = mails[r].take().unwrap_or_else(empty_mail);
            thread_subject = root.subject.as_deref().map(normal_subject);
            b.url = permalink(&root);
            b.title = root.subject;
            b.author = root.author;
            b.created = root.headers.date.map(Timestamp::Unix);
            b.body = root.body;
            b.source_key = root.headers.id.map(|id| format!("mail:{id}"));
        }
        None => {
            let first = threading.roots.first().and_then(|r| mails[*r].as_ref());
            let missing = shared_missing_root(&threading, &mails);
            thread_subject = first.and_then(|m| m.subject.as_deref()).map(normal_subject);
            let text = match &missing {
                Some(_) => format!(
                    "The first message of this thread is not in the file; {} message(s) \
                     answer it.",
                    threading.roots.len()
                ),
                None => format!(
                    "{} threads: each top-level comment starts one.",
                    threading.roots.len()
                ),
            };
            b.title = match &missing {
                Some(_) => thread_subject.clone(),
                None => Some(format!("{} threads in {source}", threading.roots.len())),
            };
            b.body = Body::from_plain(&text);
            b.source_key = missing
                .or_else(|| first.and_then(|m| m.headers.id.clone()))
                .map(|id| format!("mail:{id}"));
            b.url = archive.and_then(|_| first.and_then(permalink));
        }
    }

    let subjects: Vec<Option<String>> = mails
        .iter()
        .map(|m| m.as_ref()?.subject.as_deref().map(normal_subject))
        .collect();
    let mut handle: Vec<Option<usize>> = vec![None; mails.len()];
    for &i in &threading.order {
        let Some(mut m) = mails[i].take() else {
            continue; // the article
        };
        let parent = threading.parent[i].and_then(|p| handle[p]);
        // A subject is news when it differs from the thread's and from the parent's (a
        // review of patch 3/4 repeats "Re: [PATCH 3/4] ...").
        let own = m.subject.as_deref().map(normal_subject);
        let parent_subject = threading.parent[i].and_then(|p| subjects[p].clone());
        if let Some(subject) = &m.subject
            && own != thread_subject
            && own != parent_subject
        {
            let mut heading = Block::paragraph(subject.clone());
            heading.kind = BlockKind::Heading;
            m.body.blocks.insert(0, heading);
        }
        let url = permalink(&m);
        let draft = CommentDraft {
            source_id: m.headers.id,
            author: m.author,
            created: m.headers.date.map(Timestamp::Unix),
            score: None,
            body: m.body,
            deleted: false,
            more: 0,
            url,
        };
        handle[i] = Some(b.push(parent, draft));
    }
    Ok(b.finish())
}

fn empty_mail() -> Mail {
    Mail {
        headers: thread::Headers::default(),
        author: None,
        subject: None,
        body: Body::default(),
        archived_at: None,
    }
}

/// The id every root names as its thread's start, when none of them is in the file.
fn shared_missing_root(threading: &thread::Threading, mails: &[Option<Mail>]) -> Option<String> {
    let mut shared: Option<&str> = None;
    for r in &threading.roots {
        let h = &mails[*r].as_ref()?.headers;
        let first = h.references.first().or(h.in_reply_to.as_ref())?;
        match shared {
            None => shared = Some(first),
            Some(s) if s == first => {}
            Some(_) => return None,
        }
    }
    shared.map(str::to_string)
}

/// A subject without `Re:`/`Fwd:` prefixes and with runs of blank space as one space.
fn normal_subject(s: &str) -> String {
    let mut rest = s.trim();
    loop {
        let lower = rest.to_ascii_lowercase();
        let cut = ["re:", "fwd:", "fw:", "aw:", "sv:", "re :"]
            .iter()
            .find(|p| lower.starts_with(*p))
            .map(|p| p.len());
        match cut {
            Some(n) => rest = rest[n..].trim_start(),
            None => break,
        }
    }
    rest.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A Message-ID as a path segment of a public-inbox URL.
fn escape_id(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for c in id.chars() {
        match c {
            '/' => out.push_str("%2F"),
            '%' => out.push_str("%25"),
            '?' => out.push_str("%3F"),
            '#' => out.push_str("%23"),
            c if c.is_whitespace() || c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

fn read_mail(m: &mail_parser::Message<'_>) -> Mail {
    let list = |v: &mail_parser::HeaderValue<'_>| -> Vec<String> {
        v.as_text_list()
            .map(|l| {
                l.iter()
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default()
    };
    let headers = thread::Headers {
        id: m
            .message_id()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string),
        in_reply_to: list(m.in_reply_to()).into_iter().next(),
        references: list(m.references()),
        date: m.date().map(mail_parser::DateTime::to_timestamp),
    };
    let author = m.from().and_then(|a| a.first()).and_then(|a| {
        a.name()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .or_else(|| a.address())
            .map(str::to_string)
    });
    let archived_at = m
        .header_raw("Archived-At")
        .map(|s| {
            s.trim()
                .trim_start_matches('<')
                .trim_end_matches('>')
                .to_string()
        })
        .filter(|s| s.starts_with("http"));
    Mail {
        headers,
        author,
        subject: m
            .subject()
            .map(str::to_string)
            .filter(|s| !s.trim().is_empty()),
        body: mail_body(m),
        archived_at,
    }
}

/// The body parts in reading order, then the list of attachments.
fn mail_body(m: &mail_parser::Message<'_>) -> Body {
    let mut out = Body::default();
    for &part_id in &m.text_body {
        let Some(part) = m.parts.get(part_id as usize) else {
            continue;
        };
        let body = match &part.body {
            PartType::Text(t) => body::to_body(t),
            PartType::Html(h) => html::to_body(h, true),
            _ => continue,
        };
        append(&mut out, body);
    }
    let shown: Vec<u32> = m.text_body.iter().chain(&m.html_body).copied().collect();
    let mut listed = Vec::new();
    for &part_id in &m.attachments {
        if shown.contains(&part_id) {
            continue;
        }
        let Some(part) = m.parts.get(part_id as usize) else {
            continue;
        };
        let name = part
            .attachment_name()
            .map(str::to_string)
            .or_else(|| {
                part.message()
                    .and_then(|inner| inner.subject())
                    .map(|s| format!("message: {s}"))
            })
            .or_else(|| {
                part.content_type()
                    .map(|ct| format!("{}/{}", ct.ctype(), ct.subtype().unwrap_or("")))
            })
            .unwrap_or_else(|| "unnamed".into());
        listed.push(format!("[attachment: {name}, {}]", human_size(part.len())));
    }
    if !listed.is_empty() {
        out.blocks.push(Block::paragraph(listed.join("\n")));
    }
    out
}

/// Appends `more`'s blocks and links to `out`, renumbering its link spans.
fn append(out: &mut Body, mut more: Body) {
    let offset = out.links.len();
    if offset > 0 {
        for block in &mut more.blocks {
            let mut spans = block.spans.to_vec();
            for span in &mut spans {
                if let SpanStyle::Link(n) = &mut span.style {
                    *n += offset;
                }
            }
            block.spans = spans.into();
        }
    }
    out.blocks.append(&mut more.blocks);
    out.links.append(&mut more.links);
}

fn human_size(bytes: usize) -> String {
    match bytes {
        0..1024 => format!("{bytes} B"),
        1024..1_048_576 => format!("{:.1} KB", bytes as f64 / 1024.0),
        _ => format!("{:.1} MB", bytes as f64 / 1_048_576.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_compare_without_reply_prefixes() {
        assert_eq!(normal_subject("Re: RE: Fwd:  a   b"), "a b");
        assert_eq!(normal_subject("[PATCH 1/2] x"), "[PATCH 1/2] x");
    }

    #[test]
    fn detection_needs_mail_headers() {
        assert!(looks_like_mbox(
            "From a@b Thu Jan  1 00:00:00 1970\nFrom: a@b\nSubject: x\n\nhi"
        ));
        assert!(!looks_like_mbox(
            "From here on, the text is plain.\nSecond line\n"
        ));
        assert!(looks_like_message("Subject: x\nFrom: A <a@b>\n\nbody"));
        assert!(!looks_like_message("Title: x\nAuthor: y\n\nbody"));
        assert!(!looks_like_message("From: only\n\nbody"));
    }
}
