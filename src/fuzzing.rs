//! Fuzz targets: what must hold for any input, shared by the `cargo fuzz` crate in `fuzz/`
//! (nightly, libFuzzer) and the stable seeded mutation test in `tests/it/fuzz.rs`.
//!
//! [`targets`] is the table: one target per reader, made from every [`InputFormat`] (so a
//! reader added to that enum is fuzzed with no further work), one for detection, and the
//! threadr/1 markup round trip. A target panics when an invariant breaks; the callers catch
//! that. No IO, no terminal.

use clap::ValueEnum as _;

use crate::export::{self, DumpFormat};
use crate::format::{self, InputFormat, markup};

/// One fuzz target: a name (its folder in `tests/fixtures/fuzz/`) and the check to run.
#[derive(Clone, Copy, Debug)]
pub struct Target {
    /// `detect`, `markup`, or a reader's `--input-format` name (`lynx`, `reddit`...).
    pub name: &'static str,
    /// The reader forced for this target (`None`: detection, or not a reader).
    pub format: Option<InputFormat>,
    /// Runs the target on one input; panics when an invariant breaks.
    pub run: fn(Option<InputFormat>, &[u8]),
}

/// Every target: `detect`, one per reader, and `markup`.
#[must_use]
pub fn targets() -> Vec<Target> {
    let mut all = vec![Target {
        name: "detect",
        format: None,
        run: reader,
    }];
    all.extend(InputFormat::value_variants().iter().map(|&f| Target {
        name: f.name(),
        format: Some(f),
        run: reader,
    }));
    all.push(Target {
        name: "markup",
        format: None,
        run: |_, data| markup_round_trip(data),
    });
    all
}

/// The target called `name`.
#[must_use]
pub fn target(name: &str) -> Option<Target> {
    targets().into_iter().find(|t| t.name == name)
}

/// A reader on any bytes: an error or a thread, never a panic; a thread's dumps are free of
/// terminal control, and dumping its threadr/1 dump gives the same bytes.
///
/// # Panics
/// When an invariant breaks (that is the point).
pub fn reader(forced: Option<InputFormat>, data: &[u8]) {
    let Ok(thread) = format::load(data, "fuzz", forced) else {
        return;
    };
    let mut text = Vec::new();
    export::write(&thread, DumpFormat::Text, &mut text).expect("writing to memory");
    let text = String::from_utf8(text).expect("the text dump is UTF-8");
    let first = dump_json(&thread);
    for (what, out) in [("text", &text), ("JSON", &first)] {
        if let Some(c) = out.chars().find(|&c| unsafe_for_terminal(c)) {
            panic!("the {what} dump holds {c:?}");
        }
        let run = longest_zero_width_run(out);
        assert!(
            run <= crate::text::MAX_ZERO_WIDTH_RUN,
            "the {what} dump holds a run of {run} zero-width characters"
        );
    }
    let again = format::load(first.as_bytes(), "fuzz.json", Some(InputFormat::Threadr))
        .unwrap_or_else(|e| panic!("threadr cannot read its own dump: {e}"));
    assert_eq!(
        again.comments.len(),
        thread.comments.len(),
        "the dump lost comments"
    );
    let second = dump_json(&again);
    assert!(first == second, "dumping the dump changed the bytes");
}

/// The threadr/1 markup codec on any text: decoding never panics, and encoding what was
/// decoded is stable (a dump of a dump is the same bytes).
///
/// # Panics
/// When an invariant breaks.
pub fn markup_round_trip(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let first = markup::encode(&markup::decode(&text));
    let body = markup::decode(&first);
    let second = markup::encode(&body);
    assert!(
        first == second,
        "markup not stable: {first:?} then {second:?}"
    );
    assert_eq!(markup::decode(&second), body, "decode(encode(b)) != b");
}

fn dump_json(thread: &crate::model::Thread) -> String {
    let mut out = Vec::new();
    export::write(thread, DumpFormat::Json, &mut out).expect("writing to memory");
    String::from_utf8(out).expect("the JSON dump is UTF-8")
}

/// Characters that act on a terminal: C0 but tab and newline, DEL, C1, bidi controls.
fn unsafe_for_terminal(c: char) -> bool {
    (c.is_control() && !matches!(c, '\n' | '\t'))
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{61c}')
}

/// The longest run of zero-width characters in `text`.
fn longest_zero_width_run(text: &str) -> usize {
    use unicode_width::UnicodeWidthChar as _;
    let (mut run, mut longest) = (0, 0);
    for c in text.chars() {
        if !c.is_ascii() && c.width().unwrap_or(0) == 0 {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    longest
}

/// A small, seeded pseudo-random generator (`SplitMix64`): the mutation loop must be
/// reproducible from its seed, and needs nothing more.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    #[must_use]
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number below `n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
}

/// Byte strings a mutation inserts: what broke readers before, or could.
const INTERESTING: &[&[u8]] = &[
    b"\x1b[2J",
    b"\x1bc",
    b"\x1b]0;T\x07",
    b"\xc2\x9b",
    b"\xe2\x80\xae",
    b"\xe2\x82\xac",
    b"\xef\xbf\xbd",
    b"\xcc\x81\xcc\x81\xcc\x81\xcc\x81\xcc\x81\xcc\x81\xcc\x81\xcc\x81\xcc\x81",
    b"\xff",
    b"\xe2\x82",
    b"\r",
    b"\n",
    b"\n\n",
    b"\t",
    b"{",
    b"}",
    b"[",
    b"]",
    b"\"",
    b"\\",
    b"\\ud83d",
    b":",
    b",",
    b"null",
    b"-1",
    b"99999999999999999999999",
    b"1e400",
    b"  1. ",
    b"    \xe2\x80\xa2 ",
    b"* ",
    b" says:",
    b"\xe2\x80\x9c",
    b"`",
    b"*",
    b"~~",
    b"```",
    b"> ",
    b"\xe2\x9f\xa6",
    b"[1]",
    b"References",
    b"T",
    b"2024-01-01T00:00:00Z",
    b"<p>",
    b"&#27;",
];

/// One random mutation of `data`, splicing from `other` when it helps: bit flips, inserted,
/// deleted and duplicated chunks, interesting bytes, deep nesting, truncation.
#[must_use]
pub fn mutate(rng: &mut Rng, data: &[u8], other: &[u8]) -> Vec<u8> {
    let mut out = data.to_vec();
    let rounds = 1 + rng.below(4);
    for _ in 0..rounds {
        let len = out.len();
        let at = rng.below(len + 1);
        match rng.below(9) {
            0 if len > 0 => {
                let i = rng.below(len);
                out[i] ^= 1 << rng.below(8);
            }
            1 => {
                let piece = INTERESTING[rng.below(INTERESTING.len())];
                out.splice(at..at, piece.iter().copied());
            }
            2 if len > 0 => {
                let end = (at + 1 + rng.below(64)).min(len);
                out.drain(at.min(end)..end);
            }
            3 if len > 0 => {
                let start = rng.below(len);
                let end = (start + 1 + rng.below(256)).min(len);
                let chunk = out[start..end].to_vec();
                out.splice(at..at, chunk);
            }
            4 if !other.is_empty() => {
                let start = rng.below(other.len());
                let end = (start + 1 + rng.below(1024)).min(other.len());
                out.splice(at..at, other[start..end].iter().copied());
            }
            5 => {
                let unit: &[u8] = match rng.below(4) {
                    0 => b"[",
                    1 => b"{\"a\":",
                    2 => b"{\"id\":1,\"children\":[",
                    _ => b"  \xe2\x80\xa2 ",
                };
                let n = 1 + rng.below(2000);
                out.splice(at..at, unit.repeat(n));
            }
            6 => out.truncate(at),
            7 if len > 0 => {
                let i = rng.below(len);
                out[i] = INTERESTING[rng.below(INTERESTING.len())][0];
            }
            _ => {
                let piece = INTERESTING[rng.below(INTERESTING.len())];
                let n = 1 + rng.below(64);
                out.splice(at..at, piece.repeat(n));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reader_has_a_target() {
        let names: Vec<&str> = targets().iter().map(|t| t.name).collect();
        for f in InputFormat::value_variants() {
            assert!(names.contains(&f.name()), "{}", f.name());
        }
        assert!(names.contains(&"detect") && names.contains(&"markup"));
    }

    #[test]
    fn mutation_is_reproducible_from_the_seed() {
        let a: Vec<Vec<u8>> = {
            let mut rng = Rng::new(7);
            (0..50)
                .map(|_| mutate(&mut rng, b"{\"a\": [1, 2]}", b"xyz"))
                .collect()
        };
        let mut rng = Rng::new(7);
        let b: Vec<Vec<u8>> = (0..50)
            .map(|_| mutate(&mut rng, b"{\"a\": [1, 2]}", b"xyz"))
            .collect();
        assert_eq!(a, b);
        assert!(a.iter().any(|m| m.as_slice() != b"{\"a\": [1, 2]}"));
    }

    #[test]
    fn the_terminal_checks_see_what_they_must() {
        for c in [
            '\u{1b}', '\u{7}', '\u{7f}', '\u{9b}', '\u{202e}', '\u{2066}',
        ] {
            assert!(unsafe_for_terminal(c), "{c:?}");
        }
        for c in ['\n', '\t', 'a', '\u{301}', '\u{200d}', '\u{2400}'] {
            assert!(!unsafe_for_terminal(c), "{c:?}");
        }
        assert_eq!(longest_zero_width_run("e\u{301}\u{301} x\u{301}"), 2);
    }
}
