//! Input formats: bytes of a saved thread in, a [`Thread`] out.
//!
//! One file per format, each exposing `parse(text, source) -> Result<Thread, FormatError>`.
//! This module decodes bytes (lossy UTF-8, with a warning), detects the shape from the
//! content when no format is forced, and dispatches. No terminal, no ratatui.

pub mod bareurl;
pub mod bluesky;
pub mod bodybuild;
pub mod browser;
pub mod discourse;
pub mod gzip;
pub mod head;
pub mod hn;
pub mod html;
pub mod html_page;
pub mod json;
pub mod jsonparse;
pub mod jsontree;
pub mod lemmy;
pub mod lobsters;
pub mod mail;
pub mod markdown;
pub mod markup;
pub mod mastodon;
pub mod native;
pub mod pieces;
pub mod plain;
pub mod reddit;
pub mod source_urls;
pub mod typed;

use std::borrow::Cow;
use std::fmt;

use crate::model::Thread;

/// The shapes threadr reads. `--input-format` takes these names (`cli.rs` offers them to
/// clap: no command-line types in here).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputFormat {
    /// Plain text: article, then numbered comments with bulleted, indented replies.
    Text,
    /// `lynx -dump` of a comment page.
    Lynx,
    /// `w3m -dump` of a comment page.
    W3m,
    /// threadr's own JSON (`"format": "threadr/1"`).
    Threadr,
    /// Reddit comments page JSON (`/comments/<id>.json`).
    Reddit,
    /// Hacker News, Algolia items API (`/api/v1/items/<id>`).
    Hn,
    /// Hacker News, HNPWA item shape (`comments[]` with `level`).
    Hnpwa,
    /// Lobsters story JSON.
    Lobsters,
    /// A web page saved as HTML (`WordPress`, Hacker News, old.reddit, or just an article).
    Html,
    /// A mailing-list thread saved as an mbox (`From ` lines between messages).
    Mbox,
    /// One mail message (`.eml`): headers, a blank line, the body.
    Email,
    /// Discourse topic JSON (`/t/ID.json`) or `/t/ID/posts.json`.
    Discourse,
    /// Lemmy post and comments (`post_view` and `comments[]` of the v3 API).
    Lemmy,
    /// Mastodon status with its context (`{"status", "context"}`).
    Mastodon,
    /// Bluesky `app.bsky.feed.getPostThread` answer.
    Bluesky,
}

impl InputFormat {
    /// Every format, in the order `--help` lists them.
    pub const ALL: &[Self] = &[
        Self::Text,
        Self::Lynx,
        Self::W3m,
        Self::Threadr,
        Self::Reddit,
        Self::Hn,
        Self::Hnpwa,
        Self::Lobsters,
        Self::Html,
        Self::Mbox,
        Self::Email,
        Self::Discourse,
        Self::Lemmy,
        Self::Mastodon,
        Self::Bluesky,
    ];

    /// What the format is, for `--help` and the man page.
    #[must_use]
    pub fn describe(self) -> &'static str {
        match self {
            Self::Text => {
                "Plain text: article, then numbered comments with bulleted, indented replies."
            }
            Self::Lynx => "`lynx -dump` of a comment page.",
            Self::W3m => "`w3m -dump` of a comment page.",
            Self::Threadr => "threadr's own JSON (`\"format\": \"threadr/1\"`).",
            Self::Reddit => "Reddit comments page JSON (`/comments/<id>.json`).",
            Self::Hn => "Hacker News, Algolia items API (`/api/v1/items/<id>`).",
            Self::Hnpwa => "Hacker News, HNPWA item shape (`comments[]` with `level`).",
            Self::Lobsters => "Lobsters story JSON.",
            Self::Html => {
                "A web page saved as HTML (`WordPress`, Hacker News, old.reddit, or just an article)."
            }
            Self::Mbox => {
                "A mailing-list thread saved as an mbox (`From ` lines between messages)."
            }
            Self::Email => "One mail message (`.eml`): headers, a blank line, the body.",
            Self::Discourse => "Discourse topic JSON (`/t/ID.json`) or `/t/ID/posts.json`.",
            Self::Lemmy => "Lemmy post and comments (`post_view` and `comments[]` of the v3 API).",
            Self::Mastodon => "Mastodon status with its context (`{\"status\", \"context\"}`).",
            Self::Bluesky => "Bluesky `app.bsky.feed.getPostThread` answer.",
        }
    }

    /// The name used on the command line and in messages.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Lynx => "lynx",
            Self::W3m => "w3m",
            Self::Threadr => "threadr",
            Self::Reddit => "reddit",
            Self::Hn => "hn",
            Self::Hnpwa => "hnpwa",
            Self::Lobsters => "lobsters",
            Self::Html => "html",
            Self::Mbox => "mbox",
            Self::Email => "email",
            Self::Discourse => "discourse",
            Self::Lemmy => "lemmy",
            Self::Mastodon => "mastodon",
            Self::Bluesky => "bluesky",
        }
    }
}

/// Why a file could not be read as a thread.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct FormatError {
    /// The file name (or `<stdin>`), as given.
    pub source_name: String,
    /// Where in the file: `line 12`, `comments[3].author`...
    pub location: Option<String>,
    /// What was wrong and what was expected.
    pub message: String,
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = crate::text::sanitize_line(&self.source_name);
        match &self.location {
            Some(loc) => write!(f, "{name}: {loc}: {}", self.message),
            None => write!(f, "{name}: {}", self.message),
        }
    }
}

impl FormatError {
    /// An error at an optional location.
    pub fn new(source: &str, location: Option<String>, message: impl Into<String>) -> Self {
        Self {
            source_name: source.to_string(),
            location,
            message: message.into(),
        }
    }
}

/// Decodes bytes as UTF-8, replacing invalid sequences with U+FFFD and saying so.
pub fn decode<'a>(bytes: &'a [u8], warnings: &mut Vec<String>) -> Cow<'a, str> {
    // The strict check is several times faster than the lossy one on valid input, and
    // simdutf8's several times faster than std's on text that is not all ASCII.
    let text = simdutf8::basic::from_utf8(bytes)
        .map_or_else(|_| String::from_utf8_lossy(bytes), Cow::Borrowed);
    if let Cow::Owned(s) = &text {
        let bad = s.chars().filter(|c| *c == '\u{fffd}').count();
        warnings.push(format!(
            "the file is not valid UTF-8: {bad} invalid byte sequence(s) shown as \u{fffd}"
        ));
    }
    match text {
        Cow::Borrowed(s) => Cow::Borrowed(s.strip_prefix('\u{feff}').unwrap_or(s)),
        Cow::Owned(s) => Cow::Owned(s.strip_prefix('\u{feff}').unwrap_or(&s).to_string()),
    }
}

/// How content reads before any parsing: JSON (whose shape is found on the parsed tree), or
/// one of the text shapes.
enum Shape {
    Json,
    Text(InputFormat),
}

/// The one place that tells JSON from text, so `detect` and `load` cannot disagree.
fn shape(text: &str) -> Shape {
    if html_page::looks_like_html(text) {
        return Shape::Text(InputFormat::Html);
    }
    // A lynx dump often opens with a link mark (`[1]Skip to content`) that looks like JSON.
    // `Some(None)`: detected already, not a dump.
    let browser = text
        .trim_start()
        .starts_with('[')
        .then(|| browser::detect(text));
    match browser {
        Some(Some(format)) => Shape::Text(format),
        _ if json::looks_like_json(text) => Shape::Json,
        _ if mail::looks_like_mbox(text) => Shape::Text(InputFormat::Mbox),
        _ if mail::looks_like_message(text) => Shape::Text(InputFormat::Email),
        Some(None) => Shape::Text(InputFormat::Text),
        None => Shape::Text(browser::detect(text).unwrap_or(InputFormat::Text)),
    }
}

/// Guesses the format from the content: JSON shapes by their keys, else text shapes.
/// JSON that is none of the known shapes reports `Threadr` (whose reader then says which
/// shapes were tried); [`load`] detects JSON without parsing it twice.
#[must_use]
pub fn detect(text: &str) -> InputFormat {
    match shape(text) {
        Shape::Json => json::detect(text).unwrap_or(InputFormat::Threadr),
        Shape::Text(format) => format,
    }
}

fn is_json_format(format: InputFormat) -> bool {
    matches!(
        format,
        InputFormat::Threadr
            | InputFormat::Reddit
            | InputFormat::Hn
            | InputFormat::Hnpwa
            | InputFormat::Lobsters
            | InputFormat::Discourse
            | InputFormat::Lemmy
            | InputFormat::Mastodon
            | InputFormat::Bluesky
    )
}

/// Whether the start of a file is binary (a program, an image, an archive, random bytes).
/// Two signs, either enough: NUL bytes, which no text format has (at least 4 and 1 in 64 of
/// the first 8 KiB, as `less` decides it), or a head where more than a quarter of the bytes
/// are neither text nor UTF-8 (control bytes other than tab, line ends, form feed and
/// escape, and bytes of invalid UTF-8 sequences). A stray NUL or a few Latin-1 accents in a
/// text thread stay text (shown visibly, with a warning); random bytes have about 1 NUL in
/// 256 but more than half their bytes outside text.
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    let nuls = memchr::memchr_iter(0, head).count();
    if nuls >= 4 && nuls * 64 >= head.len() {
        return true;
    }
    not_text_bytes(head) * 4 > head.len()
}

/// How many bytes of `head` are control bytes no text has or belong to invalid UTF-8
/// sequences. A sequence cut by the end of `head` counts as text.
fn not_text_bytes(head: &[u8]) -> usize {
    let controls = head
        .iter()
        .filter(|&&b| matches!(b, 0..=8 | 0x0e..=0x1a | 0x1c..=0x1f | 0x7f))
        .count();
    let mut invalid = 0;
    let mut rest = head;
    while !rest.is_empty() {
        match std::str::from_utf8(rest) {
            Ok(_) => break,
            Err(e) => match e.error_len() {
                Some(n) => {
                    invalid += n;
                    rest = &rest[e.valid_up_to() + n..];
                }
                None => break,
            },
        }
    }
    controls + invalid
}

/// Reads a thread from bytes. `source` names it in messages; `forced` skips detection.
///
/// # Errors
/// When the content is not a thread in the (detected or forced) format.
pub fn load(
    bytes: &[u8],
    source: &str,
    forced: Option<InputFormat>,
) -> Result<Thread, FormatError> {
    load_with(bytes, source, forced, &mut |_| {})
}

/// [`load`], telling `progress` how many bytes it has read so far (plain text and JSON
/// report as they go, about every MiB; other shapes report nothing until they are done).
///
/// # Errors
/// As [`load`].
pub fn load_with(
    bytes: &[u8],
    source: &str,
    forced: Option<InputFormat>,
    progress: &mut dyn FnMut(usize),
) -> Result<Thread, FormatError> {
    let unpacked;
    let bytes = if gzip::is_gzip(bytes) {
        unpacked = gzip::gunzip(bytes, source)?;
        unpacked.as_slice()
    } else {
        bytes
    };
    // After unpacking: a gzip file is binary, its content may be a thread.
    if looks_binary(bytes) {
        return Err(FormatError::new(
            source,
            None,
            "looks like a binary file (its first bytes are not text): expected a saved thread (text or JSON)",
        ));
    }
    let mut warnings = Vec::new();
    let text = decode(bytes, &mut warnings);
    if text.trim().is_empty() {
        let what = if bytes.is_empty() {
            "the file is empty"
        } else {
            "the file holds only blank space"
        };
        return Err(FormatError::new(
            source,
            None,
            format!("{what}: expected a saved thread (text or JSON)"),
        ));
    }
    // JSON is parsed once: its shape is detected on the parsed tree.
    let mut thread = match forced.map_or_else(
        || shape(&text),
        |f| {
            if is_json_format(f) {
                Shape::Json
            } else {
                Shape::Text(f)
            }
        },
    ) {
        Shape::Json => json::load_with(&text, source, forced, progress),
        Shape::Text(format @ (InputFormat::Lynx | InputFormat::W3m)) => {
            browser::parse(&text, source, format)
        }
        Shape::Text(InputFormat::Html) => html_page::parse(&text, source),
        // Mail is read from the bytes: 8-bit parts in other charsets are legal, so the
        // UTF-8 warning does not apply.
        Shape::Text(InputFormat::Mbox) => {
            warnings.clear();
            mail::parse_mbox(bytes, source, None)
        }
        Shape::Text(InputFormat::Email) => {
            warnings.clear();
            mail::parse_message(bytes, source, None)
        }
        Shape::Text(_) => plain::parse_with(&text, source, progress),
    }?;
    warnings.append(&mut thread.warnings);
    thread.warnings = warnings;
    Ok(thread)
}

#[cfg(test)]
mod tests {
    use super::{decode, looks_binary};

    #[test]
    fn decode_accepts_what_std_accepts() {
        let cases: &[&[u8]] = &[
            b"",
            b"plain ASCII",
            "caf\u{e9} \u{2014} \u{1f389} \u{feff}".as_bytes(),
            "\u{feff}a BOM first".as_bytes(),
            b"cut \xe2\x82",
            b"Latin-1 caf\xe9",
            b"overlong \xc0\x80",
            b"surrogate \xed\xa0\x80",
            b"past U+10FFFF \xf4\x90\x80\x80",
        ];
        for bytes in cases {
            let long = bytes.repeat(40);
            for bytes in [bytes, &long[..]] {
                let mut warnings = Vec::new();
                let got = decode(bytes, &mut warnings);
                let lossy = String::from_utf8_lossy(bytes);
                assert_eq!(got, lossy.strip_prefix('\u{feff}').unwrap_or(&lossy));
                assert_eq!(warnings.is_empty(), std::str::from_utf8(bytes).is_ok());
            }
        }
    }

    /// Bytes from a fixed xorshift generator: random data has few NULs but is not text.
    fn random_bytes(n: usize) -> Vec<u8> {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x.to_le_bytes()[0]
            })
            .collect()
    }

    #[test]
    fn random_bytes_and_programs_are_binary() {
        assert!(looks_binary(&random_bytes(2000)));
        assert!(looks_binary(&random_bytes(100_000)));
        let mut elf = b"\x7fELF\x02\x01\x01".to_vec();
        elf.extend(std::iter::repeat_n(0u8, 64));
        assert!(looks_binary(&elf));
    }

    #[test]
    fn text_with_stray_bytes_stays_text() {
        // Latin-1 accents (invalid UTF-8) in a French thread, one stray NUL, an escape.
        let mut latin1 = b"ana wrote:\n".to_vec();
        for _ in 0..200 {
            latin1.extend_from_slice(b"Le caf\xe9 \xe9tait tr\xe8s bon, merci. ");
        }
        latin1.push(0);
        latin1.extend_from_slice(b"\x1b[31m red\n");
        assert!(!looks_binary(&latin1));
        assert!(!looks_binary(
            "Grüße, 日本語, emoji 🎉\n".repeat(500).as_bytes()
        ));
        // A character cut by the end of the 8 KiB head is not counted.
        let mut cut = "é".repeat(4095).into_bytes();
        cut.extend_from_slice("€".as_bytes());
        assert!(!looks_binary(&cut));
    }
}
