//! A quick and sure "no" for text that cannot be a browser dump, so that detecting the
//! format of a plain-text thread does not read it as a dump line by line (splitting,
//! joining and matching every line was a fifth of loading a big plain-text file). Only
//! says no where [`super::detect_full`] would; anything else goes to it. Pure.

use memchr::memmem;

use super::lines::{comments_heading, measure};

/// Whether `text` holds none of the evidence [`super::detect_full`] needs to call it a
/// dump, found without splitting it into lines. `false` means "perhaps": the full
/// detection decides.
///
/// Each way the full detection says yes needs one of these:
/// - a References list: a line that is `References` or `References:`;
/// - a Hacker News page: a line containing `Hacker News`;
/// - a comment opening with `Name says:`: `says:` in some line, in any case;
/// - item lines the browser split, joined before anything is read: a `says:`,
///   `pingback:` or `trackback:` (any case) that completes them;
/// - a comments heading (`12 Comments`) above a list: a heading line.
///
/// Without the joins' evidence, the dump's lines are the text's lines (split at `\n` or
/// `\r`), so References and heading lines are looked for in those as the full detection
/// does (a heading only at an indent it may have), in the pass that finds the colons.
///
/// A text of [`HALVES_FROM`] bytes or more is read in two halves, split after a line end,
/// the second on a scoped thread: no piece of evidence crosses a line end, so the halves
/// say what the whole would (about a seventh of loading a big file was this pass).
pub(crate) fn cannot_be_dump(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.len() >= HALVES_FROM
        && let Some(end) = memchr::memchr2(b'\n', b'\r', &bytes[bytes.len() / 2..])
    {
        let (first, second) = text.split_at(bytes.len() / 2 + end + 1);
        return std::thread::scope(|scope| {
            let other = scope.spawn(|| cannot_be_dump_in_one(second));
            let here = cannot_be_dump_in_one(first);
            // Joined even when `here` already says no: the thread ends inside the scope.
            // A panic there (none is expected) counts as "perhaps": the full detection runs.
            other.join().unwrap_or(false) && here
        });
    }
    cannot_be_dump_in_one(text)
}

/// Texts at least this long are read in two halves by [`cannot_be_dump`].
const HALVES_FROM: usize = 4 << 20;

/// [`cannot_be_dump`] on one thread.
fn cannot_be_dump_in_one(text: &str) -> bool {
    let bytes = text.as_bytes();
    if memmem::find(bytes, b"Hacker News").is_some() {
        return false;
    }
    // One pass over the line ends and the colons.
    let mut start = 0;
    for at in memchr::memchr3_iter(b'\n', b'\r', b':', bytes).chain([bytes.len()]) {
        if bytes.get(at) == Some(&b':') {
            if after_colon_word(bytes, at) {
                return false;
            }
            continue;
        }
        if line_is_evidence(&text[start..at]) {
            return false;
        }
        start = at + 1;
    }
    true
}

/// Whether `says`, `pingback` or `trackback` (ASCII letters in any case) ends just before
/// the colon at `colon`.
fn after_colon_word(bytes: &[u8], colon: usize) -> bool {
    ["says", "pingback", "trackback"].iter().any(|word| {
        colon
            .checked_sub(word.len())
            .is_some_and(|from| bytes[from..colon].eq_ignore_ascii_case(word.as_bytes()))
    })
}

/// Whether a line (without its line end; a CRLF gives an empty line between, which is no
/// evidence) may be where the full detection finds a dump: a References line, or a
/// comments heading at an indent of at most 3.
fn line_is_evidence(piece: &str) -> bool {
    if piece.starts_with("References") {
        return true;
    }
    // Cheap tests first: a heading starts with a letter, digit or `[` within 3 columns.
    let lead = piece.bytes().position(|b| b != b' ');
    if lead.is_none_or(|i| i > 3 || piece.as_bytes()[i] == b'\t') {
        return false;
    }
    let line = measure(0, piece);
    line.indent <= 3 && comments_heading(line.text).is_some()
}

#[cfg(test)]
mod tests {
    use super::super::detect_full;
    use super::*;

    /// The quick "no" may only say what the full detection says.
    fn agrees(text: &str) -> bool {
        !cannot_be_dump(text) || detect_full(text).is_none()
    }

    /// Every file under `dir`, recursively.
    fn files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                files(&path, out);
            } else {
                out.push(path);
            }
        }
    }

    /// The repository's fixtures and the shared corpus (`THREADR_CORPUS`, when set), each
    /// as it is, with CRLF and with lone CR line ends, and cut after each of its first
    /// lines: the quick and the full detection agree on all.
    #[test]
    fn quick_and_full_detection_agree_on_the_fixtures() {
        let mut paths = Vec::new();
        files(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures"),
            &mut paths,
        );
        if let Some(corpus) = std::env::var_os("THREADR_CORPUS") {
            files(std::path::Path::new(&corpus), &mut paths);
        }
        assert!(paths.len() > 50, "fixtures not found: {paths:?}");
        let (mut quick, mut dumps) = (0, 0);
        for path in &paths {
            let bytes = std::fs::read(path).expect("a fixture reads");
            let text = String::from_utf8_lossy(&bytes);
            let mut variants = vec![
                text.to_string(),
                text.replace('\n', "\r\n"),
                text.replace('\n', "\r"),
            ];
            let mut cut = 0;
            for line in text.split_inclusive('\n').take(40) {
                cut += line.len();
                variants.push(text[..cut].to_string());
            }
            for variant in &variants {
                assert!(agrees(variant), "{}: {:.200?}", path.display(), variant);
            }
            quick += usize::from(cannot_be_dump(&text));
            dumps += usize::from(detect_full(&text).is_some());
        }
        // Both kinds are there: the test can fail either way.
        assert!(quick >= 5 && dumps >= 10, "quick {quick}, dumps {dumps}");
    }

    /// Lines of dumps, of plain text, and near misses of the evidence.
    /// A text long enough to be read in halves: evidence in either half, or right at the
    /// line end the halves are split after, still says "perhaps".
    #[test]
    fn halves_find_evidence_anywhere() {
        let line = "A plain line of the article, nothing a dump would have in it.\n";
        let filler = line.repeat(HALVES_FROM / line.len() + 1);
        assert!(filler.len() >= HALVES_FROM && cannot_be_dump(&filler));
        let mid = filler.len() / 2;
        let split = mid + filler[mid..].find('\n').expect("a line end") + 1;
        for evidence in ["Ann says: hello\n", "References\n", "On Hacker News\n"] {
            for at in [0, line.len() * 3, split, filler.len()] {
                let text = format!("{}{evidence}{}", &filler[..at], &filler[at..]);
                assert!(!cannot_be_dump(&text), "{evidence:?} at {at}");
            }
        }
        // A "says:" cut by the split line end would not be evidence whole either.
        let text = format!("{}say\ns: {}", &filler[..split - 1], &filler[split..]);
        assert_eq!(cannot_be_dump(&text), cannot_be_dump_in_one(&text));
    }

    const LINES: &[&str] = &[
        "",
        "   ",
        "A paragraph of the article.",
        "Why the trains are late",
        "  1. A top-level comment.",
        "    • A reply.",
        "     * [3]Ann says:",
        "    1. Ann says:",
        "   2. [4] [5]Bob Says: March 3, 2017",
        "Ann",
        "says:",
        "12.",
        "    3.",
        "     *",
        "   Pingback: [6]Elsewhere",
        "TRACKBACK: x",
        "12 Comments",
        "  3 thoughts on “Post”",
        "   One Response to \"Post\"",
        "    4 Replies",
        "\t2 comments",
        " \t5 Comments",
        "[1]12 Comments",
        "ſix comments",
        "No Comments",
        "12 comments later we agreed",
        "References",
        "References:",
        "   1. https://x.test/a",
        "[1] https://x.test/b",
        "See [1]this.",
        "Hacker News",
        "ann 2 hours ago | parent | next [–]",
        "Reply",
        "July 24, 2019 at 10:12 am",
        "  said: nothing",
        "ays:",
    ];

    proptest::proptest! {
        /// Generated texts, with every kind of line end: where the quick test says no, so
        /// does the full detection.
        #[test]
        fn quick_no_is_a_full_no(
            lines in proptest::collection::vec(proptest::sample::select(LINES), 0..30),
            end in proptest::sample::select(&["\n", "\r\n", "\r"][..]),
        ) {
            let text = lines.join(end);
            proptest::prop_assert!(agrees(&text), "{:?}", text);
        }
    }

    #[test]
    fn evidence_is_found_in_any_case_and_on_any_line_end() {
        assert!(cannot_be_dump("  1. a comment\n\n    • a reply\n"));
        assert!(!cannot_be_dump("x\n  Ann SAYS: hi\n"));
        assert!(!cannot_be_dump("Pingback: x"));
        assert!(!cannot_be_dump("a\rTrackBack: x"));
        assert!(!cannot_be_dump("text\n\nReferences\n"));
        assert!(!cannot_be_dump("a Hacker News page"));
        assert!(!cannot_be_dump("Post.\r\n\r\n12 Comments\r\n"));
        assert!(!cannot_be_dump("Post.\r   3 thoughts on “Post”"));
        assert!(cannot_be_dump("Post.\n    12 Comments\n\t12 Comments\n"));
        assert!(cannot_be_dump("says"));
        assert!(cannot_be_dump(":says"));
        assert!(cannot_be_dump(""));
    }
}
