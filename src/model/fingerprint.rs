//! The fingerprints that comment ids and thread keys are made of: xxh3-64 of a comment's
//! parent, author and words. Ids are saved in bookmarks and reading states, so every
//! change here must hash exactly the same bytes (the tests compare against the rule as
//! first written). Pure; no IO.

use super::Body;
use crate::text::bytescan;

/// Fingerprint used for ids and thread keys: 16 hex digits of xxh3-64.
pub(super) fn fingerprint(parts: &[&str]) -> String {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for part in parts {
        hasher.update(part.as_bytes());
        hasher.update(&[0]);
    }
    hex(hasher.digest())
}

/// A hash as an id: 16 hex digits (by hand: `format!` was a twentieth of reading a big
/// plain-text thread).
pub(super) fn hex(hash: u64) -> String {
    hex_id(hash).into()
}

/// [`hex`] in an id's own string type, held inline: no allocation.
pub(super) fn hex_id(hash: u64) -> compact_str::CompactString {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = [0u8; 16];
    for (i, digit) in out.iter_mut().enumerate() {
        *digit = DIGITS[((hash >> (4 * (15 - i))) & 0xf) as usize];
    }
    // Sixteen ASCII digits: always UTF-8.
    compact_str::CompactString::from_utf8(out).unwrap_or_default()
}

/// [`fingerprint`] of `[parent, author, body.plain_text()]`, hashed block by block so no
/// copy of the text is made (same bytes, so the same id). The old id rule (see
/// `legacy.rs`); new ids use [`own_fingerprint`].
pub(super) fn comment_fingerprint(parent: &str, author: &str, body: &Body) -> String {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for part in [parent, author] {
        hasher.update(part.as_bytes());
        hasher.update(&[0]);
    }
    for (i, block) in body.blocks.iter().enumerate() {
        if i > 0 {
            hasher.update(b"\n\n");
        }
        hasher.update(block.text.as_bytes());
    }
    hasher.update(&[0]);
    hex(hasher.digest())
}

/// The id fingerprint of a comment: `parent`, `author`, then the words of its text with
/// every run of white space (line and paragraph breaks too) counted as one space, so that
/// two dumps of one page that break its lines differently (lynx, w3m) give one id.
pub(super) fn own_fingerprint(parent: &str, author: &str, body: &Body) -> String {
    hex(own_hash(parent, author, body))
}

/// The hash of [`own_fingerprint`].
pub(super) fn own_hash(parent: &str, author: &str, body: &Body) -> u64 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for part in [parent, author] {
        hasher.update(part.as_bytes());
        hasher.update(&[0]);
    }
    // The words joined by single spaces. Hashing word by word, after `split_whitespace`
    // decoded every character, was most of the plain-text reader's time; now the stretches
    // of text that already read as words joined by single spaces go to the hasher whole,
    // and only the pieces between them are gathered in a small buffer. The hasher sees the
    // same bytes in other pieces, so the ids are the same.
    let mut words = Words {
        hasher: &mut hasher,
        buf: [0; BUF],
        len: 0,
        pending: false,
        any: false,
    };
    for block in &body.blocks {
        words.push_text(&block.text);
        // A block ends a word, like white space.
        words.pending = true;
    }
    words.flush();
    hasher.update(&[0]);
    hasher.digest()
}

/// Bytes [`Words`] gathers before handing them to the hasher.
const BUF: usize = 256;
/// A piece at least this long goes to the hasher directly rather than through the buffer.
const DIRECT: usize = 64;

/// The words of some text (split where `char::is_whitespace`), joined by one space, fed to
/// a hasher.
struct Words<'h> {
    hasher: &'h mut xxhash_rust::xxh3::Xxh3,
    buf: [u8; BUF],
    len: usize,
    /// White space was seen since the last word.
    pending: bool,
    /// A word was written.
    any: bool,
}

/// How many bytes the character at `at` takes when it belongs to a word (is not white
/// space as `char::is_whitespace` has it); `None` for white space and at the end.
fn word_char_len(text: &str, at: usize) -> Option<usize> {
    let b = *text.as_bytes().get(at)?;
    if b.is_ascii() {
        return (!matches!(b, b'\t'..=b'\r' | b' ')).then_some(1);
    }
    let c = text.get(at..)?.chars().next()?;
    (!c.is_whitespace()).then(|| c.len_utf8())
}

/// A one in every byte.
const ONES: u64 = 0x0101_0101_0101_0101;

/// Where the stretch of `text` from `at` (just after a character of a word) stops reading
/// the same as its words joined by single spaces: before white space that is not one
/// space between two words.
///
/// Sixteen bytes a step, as two eight-byte words: a control byte (all ASCII white space
/// but `' '` is one), a space followed by a space (the eight bytes from one further on are
/// read beside each word, so a pair across two words or steps is seen too), and, only in
/// words with a byte past ASCII, the first byte of a character that may be white space
/// past ASCII (`0xc2` for U+0085 and U+00A0, `0xe0` to `0xe3` for U+1680, U+2000 to U+205F
/// and U+3000) stop the steps. Characters are then looked at one by one from the first
/// stop (or the end), or from the space before it; other bytes past ASCII belong to
/// characters of words. Only the lowest mark of a mask is exact, which is all this needs.
fn plain_run_end(text: &str, mut at: usize) -> usize {
    let bytes = text.as_bytes();
    loop {
        // Sixteen bytes a step, and the byte after them for a space pair across the end.
        while let Some(chunk) = bytes.get(at..at + 17) {
            let (a, b) = (run_stops(chunk, 0), run_stops(chunk, 8));
            if a | b == 0 {
                at += 16;
                continue;
            }
            at += if a == 0 {
                8 + bytescan::first(b)
            } else {
                bytescan::first(a)
            };
            break;
        }
        // Steps that ended just after a space: that space may be where the words end.
        if bytes[at - 1] == b' ' {
            at -= 1;
        }
        let step = match bytes.get(at) {
            Some(b' ') => word_char_len(text, at + 1).map(|n| n + 1),
            // The rest of a character the steps took as part of a word.
            Some(0x80..=0xbf) => Some(1),
            _ => word_char_len(text, at),
        };
        match step {
            Some(n) => at += n,
            None => return at,
        }
    }
}

/// The stops of [`plain_run_end`] in the eight bytes of `chunk` from `from` (which holds
/// the byte after them too), as the masks of `bytescan` mark them.
#[inline]
fn run_stops(chunk: &[u8], from: usize) -> u64 {
    const SPACES: u64 = ONES * 0x20;
    let word = |at: usize| {
        let mut eight = [0; 8];
        eight.copy_from_slice(&chunk[at..at + 8]);
        u64::from_le_bytes(eight)
    };
    let (w, next) = (word(from), word(from + 1));
    let mut stops =
        bytescan::below_mask(w, 0x20) | bytescan::zero_mask((w ^ SPACES) | (next ^ SPACES));
    if bytescan::high_mask(w) != 0 {
        stops |= bytescan::byte_mask(w, 0xc2) | bytescan::below_mask(w ^ (0xe0 * ONES), 4);
    }
    stops
}

impl Words<'_> {
    fn push_text(&mut self, text: &str) {
        let mut i = 0;
        while i < text.len() {
            match word_char_len(text, i) {
                // A word, and the words after it that single spaces separate: hashed as
                // they are, since that is how they are joined.
                Some(n) => {
                    let start = i;
                    i = plain_run_end(text, i + n);
                    self.push_word(&text.as_bytes()[start..i]);
                }
                None => {
                    self.pending = true;
                    i += text
                        .get(i..)
                        .and_then(|t| t.chars().next())
                        .map_or(1, char::len_utf8);
                }
            }
        }
    }

    /// Appends part of a word (the rest of it may follow), after a space when white space
    /// came between it and the word before.
    fn push_word(&mut self, part: &[u8]) {
        if self.any && self.pending {
            self.put(b" ");
        }
        self.pending = false;
        self.any = true;
        self.put(part);
    }

    fn put(&mut self, part: &[u8]) {
        if self.len + part.len() > BUF || part.len() >= DIRECT {
            self.flush();
        }
        if part.len() >= DIRECT {
            self.hasher.update(part);
        } else {
            self.buf[self.len..self.len + part.len()].copy_from_slice(part);
            self.len += part.len();
        }
    }

    fn flush(&mut self) {
        self.hasher.update(&self.buf[..self.len]);
        self.len = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_is_sixteen_digits_as_format_writes_them() {
        for hash in [0, 1, 0xf, 0x1234_5678_9abc_def0, u64::MAX, 0xdead_beef] {
            assert_eq!(hex(hash), format!("{hash:016x}"));
        }
    }

    #[test]
    fn comment_fingerprint_equals_fingerprint_of_plain_text() {
        let body = Body::from_plain("one\ntwo\n\nthree");
        assert_eq!(
            comment_fingerprint("p", "a", &body),
            fingerprint(&["p", "a", &body.plain_text()])
        );
    }

    /// The fingerprint as first written (word by word through `split_whitespace`): the
    /// fast one must give the same ids, or saved bookmarks would move.
    fn own_fingerprint_by_words(parent: &str, author: &str, body: &Body) -> String {
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        for part in [parent, author] {
            hasher.update(part.as_bytes());
            hasher.update(&[0]);
        }
        let mut first = true;
        for word in body.blocks.iter().flat_map(|b| b.text.split_whitespace()) {
            if !first {
                hasher.update(b" ");
            }
            first = false;
            hasher.update(word.as_bytes());
        }
        hasher.update(&[0]);
        format!("{:016x}", hasher.digest())
    }

    /// Pieces of text for the fingerprint's property test: every white space character
    /// `char::is_whitespace` knows, characters that look like white space but are not
    /// (0x1c to 0x1f, DEL, zero-width space, Mongolian vowel separator), `!` (which the
    /// eight-byte test may take for a space after one), and runs of words long enough for
    /// the eight-bytes-at-a-time path, with single and double spaces.
    const FINGERPRINT_PIECES: &[&str] = &[
        "a",
        "B",
        ".",
        "!",
        " !",
        "! ",
        "!!",
        "é",
        "😀",
        " ",
        "  ",
        "\t",
        "\n",
        "\r",
        "\r\n",
        "\u{b}",
        "\u{c}",
        "\u{1c}",
        "\u{1d}",
        "\u{1e}",
        "\u{1f}",
        "\u{7f}",
        "\u{85}",
        "\u{a0}",
        "\u{1680}",
        "\u{2000}",
        "\u{2001}",
        "\u{2002}",
        "\u{2003}",
        "\u{2004}",
        "\u{2005}",
        "\u{2006}",
        "\u{2007}",
        "\u{2008}",
        "\u{2009}",
        "\u{200a}",
        "\u{2028}",
        "\u{2029}",
        "\u{202f}",
        "\u{205f}",
        "\u{3000}",
        "\u{200b}",
        "\u{180e}",
        "\u{feff}",
        "words",
        "several plain words in a row",
        "exactly8",
        "seven77",
        "nine99999",
        "a b c d e f g h i j",
        "double  spaced  words",
        "trailing space ",
        " leading space",
        "tab\tinside words",
        "line\nbreak in it",
        "wrapped line\n    with indent",
        "mixed – dash and • bullet",
        "x\u{a0}y z",
        "©",
        "§",
        "अ",
        "ü",
        "„",
        "naïve café façade",
        "Ångström über",
        "“quoted” it’s",
    ];

    proptest::proptest! {
        // Cheap cases, and the fast paths have many corners: more than the default 256.
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2048))]
        #[test]
        fn own_fingerprint_is_the_word_by_word_one(
            blocks in proptest::collection::vec(
                proptest::collection::vec(
                    proptest::sample::select(FINGERPRINT_PIECES),
                    0..40,
                ),
                0..4,
            ),
            author in "[a-z ]{0,3}",
        ) {
            let body = Body {
                blocks: blocks
                    .into_iter()
                    .map(|pieces| super::super::Block::paragraph(pieces.concat()))
                    .collect(),
                ..Body::default()
            };
            proptest::prop_assert_eq!(
                own_fingerprint("p", &author, &body),
                own_fingerprint_by_words("p", &author, &body)
            );
        }
    }

    /// The fingerprint of every comment of a synthetic thread (long plain runs, hard line
    /// breaks, `– ` lists) and of a body larger than one hashed piece (64 KiB).
    #[test]
    fn own_fingerprint_matches_on_long_texts() {
        let text = crate::synth::plain_thread(300, 7);
        for chunk in text.split("\n\n") {
            let body = Body::from_plain(chunk);
            assert_eq!(
                own_fingerprint("", "a", &body),
                own_fingerprint_by_words("", "a", &body)
            );
        }
        let body = Body::from_plain(&text);
        assert_eq!(
            own_fingerprint("p", "a", &body),
            own_fingerprint_by_words("p", "a", &body)
        );
    }

    #[test]
    fn own_fingerprint_ignores_how_lines_and_paragraphs_break() {
        let one = Body::from_plain("Wax goes brittle.\nAdd powder.");
        let two = Body::from_plain("Wax goes brittle.\n\nAdd  powder.");
        assert_eq!(
            own_fingerprint("", "a", &one),
            own_fingerprint("", "a", &two)
        );
        let other = Body::from_plain("Wax goes brittle. Add more powder.");
        assert_ne!(
            own_fingerprint("", "a", &one),
            own_fingerprint("", "a", &other)
        );
        assert_ne!(
            own_fingerprint("", "a", &one),
            own_fingerprint("", "b", &one)
        );
    }
}
