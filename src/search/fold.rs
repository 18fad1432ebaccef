//! Search folding: accents dropped (NFD, combining marks removed) and, for case-insensitive
//! searches, lowercased, with a sparse map from folded byte offsets back to the original.
//!
//! The map only records characters whose folded form is not "one character of the same byte
//! length"; everything between two records maps by a constant offset. Pure-ASCII text needs
//! no records at all, so a thread of mostly plain text costs a few bytes of map per accent.

use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// One original character whose folded form does not map byte for byte.
/// Offsets are relative to the start of the folded segment and of the original text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct MapEntry {
    /// Start of the folded form.
    pub folded: u32,
    /// Start of the original character.
    pub orig: u32,
    /// Bytes of the folded form (0 when it folded away, e.g. a lone combining mark).
    pub folded_len: u16,
    /// Bytes of the original character.
    pub orig_len: u16,
}

/// Appends the folded form of one non-ASCII character; returns how many chars it pushed.
fn fold_char_slow(c: char, lower: bool, out: &mut String) -> usize {
    let mut pushed = 0;
    decompose_canonical(c, |d| {
        if is_combining_mark(d) {
            return;
        }
        if lower && !d.is_lowercase() {
            for l in d.to_lowercase() {
                // A lowercase mapping may itself decompose (and bring marks back).
                decompose_canonical(l, |x| {
                    if !is_combining_mark(x) {
                        out.push(x);
                        pushed += 1;
                    }
                });
            }
        } else {
            out.push(d);
            pushed += 1;
        }
    });
    pushed
}

/// Characters below this are folded through [`table`]: Latin-1, Latin Extended-A/B, where
/// nearly all accented letters of European text live.
const TABLE_END: u32 = 0x250;

/// Folded form of a table character: `Some(None)` when it folds away, `Some(Some(c))` for
/// one char, `None` when it folds to several chars (left to the slow path).
type Folding = Option<Option<char>>;

/// Precomputed foldings of U+0080..[`TABLE_END`]: `[case kept, lowercased]`.
fn table() -> &'static [[Folding; 2]] {
    static TABLE: std::sync::OnceLock<Vec<[Folding; 2]>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let one = |c: char, lower: bool| {
            let mut s = String::new();
            match fold_char_slow(c, lower, &mut s) {
                0 => Some(None),
                1 => Some(s.chars().next()),
                _ => None,
            }
        };
        (0x80..TABLE_END)
            .map(|u| char::from_u32(u).map_or([None, None], |c| [one(c, false), one(c, true)]))
            .collect()
    })
}

/// The folded forms of the two-byte characters of [`table`] as text, indexed by
/// `((first byte & 0x1f) << 6 | (second byte & 0x3f)) - 0x80`, `[case kept, lowercased]`;
/// `None` where the slow path decides. Rebuilding a window applies one of these per
/// accented letter, several million per scan of a big accented thread, so it skips
/// decoding the character and encoding its folded form again.
pub(crate) fn two_byte_table() -> &'static [[Option<&'static str>; 2]] {
    static TABLE: std::sync::OnceLock<Vec<[Option<&'static str>; 2]>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        // Built once per process, a few hundred short strings: leaked, they live as long
        // as the table that points at them.
        let text = |f: Option<char>| -> &'static str {
            Box::leak(f.map(String::from).unwrap_or_default().into_boxed_str())
        };
        table()
            .iter()
            .map(|pair| pair.map(|f| f.map(text)))
            .collect()
    })
}

/// Appends the folded form of one non-ASCII character; returns how many chars it pushed.
pub(crate) fn fold_char(c: char, lower: bool, out: &mut String) -> usize {
    let u = c as u32;
    if u < TABLE_END
        && let Some(f) = table()[(u - 0x80) as usize][usize::from(lower)]
    {
        return f.map_or(0, |f| {
            out.push(f);
            1
        });
    }
    fold_char_slow(c, lower, out)
}

/// Appends the folded form of `src` to `out`, recording map entries relative to the
/// position `out` had on entry (and to the start of `src`).
pub(crate) fn fold_into(src: &str, lower: bool, out: &mut String, map: &mut Vec<MapEntry>) {
    let base = out.len();
    if src.is_ascii() {
        out.push_str(src);
        if lower {
            out[base..].make_ascii_lowercase();
        }
        return;
    }
    out.reserve(src.len());
    let bytes = src.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let run_end = ascii_run_end(bytes, i);
        if run_end > i {
            let at = out.len();
            out.push_str(&src[i..run_end]);
            if lower {
                out[at..].make_ascii_lowercase();
            }
        }
        let Some(c) = src[run_end..].chars().next() else {
            break;
        };
        let at = out.len();
        let chars = fold_char(c, lower, out);
        let folded_len = out.len() - at;
        if chars != 1 || folded_len != c.len_utf8() {
            map.push(MapEntry {
                folded: (at - base) as u32,
                orig: run_end as u32,
                folded_len: folded_len as u16,
                orig_len: c.len_utf8() as u16,
            });
        }
        i = run_end + c.len_utf8();
    }
}

/// Whether a non-ASCII character folds to itself in both case modes (`’`, `中`, `é`
/// does not): what [`fold_char`] does, without doing it. A character folds to itself
/// when it does not decompose, is not a combining mark, and is lowercase or has no
/// lowercase mapping but itself.
pub(crate) fn folds_to_itself(c: char) -> bool {
    let u = c as u32;
    if u < TABLE_END {
        let same = Some(Some(c));
        return table()
            .get((u.wrapping_sub(0x80)) as usize)
            .is_some_and(|f| f[0] == same && f[1] == same);
    }
    if is_combining_mark(c) {
        return false;
    }
    let mut decomposes = false;
    decompose_canonical(c, |d| decomposes |= d != c);
    if decomposes {
        return false;
    }
    c.is_lowercase() || {
        let mut lower = c.to_lowercase();
        lower.next() == Some(c) && lower.next().is_none()
    }
}

/// The end of the run of ASCII bytes starting at `i`, eight bytes at a time.
pub(crate) fn ascii_run_end(bytes: &[u8], mut i: usize) -> usize {
    while let Some(word) = bytes.get(i..i + 8) {
        let mut w = [0u8; 8];
        w.copy_from_slice(word);
        if u64::from_ne_bytes(w) & 0x8080_8080_8080_8080 != 0 {
            break;
        }
        i += 8;
    }
    while i < bytes.len() && bytes[i].is_ascii() {
        i += 1;
    }
    i
}

/// The folded form of `s`, without a map (for queries).
pub(crate) fn fold(s: &str, lower: bool) -> String {
    let mut out = String::with_capacity(s.len());
    let mut map = Vec::new();
    fold_into(s, lower, &mut out, &mut map);
    out
}

/// Original offset of the character holding folded byte `f` (a match start).
pub(crate) fn map_start(map: &[MapEntry], f: usize) -> usize {
    let i = map.partition_point(|e| e.folded as usize <= f);
    let Some(e) = i.checked_sub(1).map(|i| map[i]) else {
        return f;
    };
    let (ef, eo) = (e.folded as usize, e.orig as usize);
    if f < ef + e.folded_len as usize {
        eo
    } else {
        f - (ef + e.folded_len as usize) + eo + e.orig_len as usize
    }
}

/// Original offset just past the character holding folded byte `end - 1` (a match end),
/// extended over combining marks that folded away right after it.
pub(crate) fn map_end(map: &[MapEntry], end: usize) -> usize {
    debug_assert!(end > 0);
    let last = end - 1;
    let i = map.partition_point(|e| e.folded as usize <= last);
    let mut orig_end = match i.checked_sub(1).map(|i| map[i]) {
        None => end,
        Some(e) => {
            let (ef, eo) = (e.folded as usize, e.orig as usize);
            if last < ef + e.folded_len as usize {
                eo + e.orig_len as usize
            } else {
                last - (ef + e.folded_len as usize) + eo + e.orig_len as usize + 1
            }
        }
    };
    for e in &map[i..] {
        if e.folded as usize == end && e.folded_len == 0 && e.orig as usize == orig_end {
            orig_end += e.orig_len as usize;
        } else {
            break;
        }
    }
    orig_end
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every two-byte character the window rebuild folds by table folds as `fold_char` does.
    #[test]
    fn two_byte_table_agrees_with_fold_char() {
        let two = two_byte_table();
        let mut listed = 0;
        for u in 0x80..0x800u32 {
            let Some(c) = char::from_u32(u) else { continue };
            for lower in [false, true] {
                let Some(fast) = two
                    .get(u as usize - 0x80)
                    .and_then(|f| f[usize::from(lower)])
                else {
                    continue;
                };
                let mut slow = String::new();
                fold_char(c, lower, &mut slow);
                assert_eq!(fast, slow, "{c:?} lower={lower}");
                listed += 1;
            }
        }
        assert!(listed > 600, "{listed}");
    }

    fn folded_with_map(s: &str, lower: bool) -> (String, Vec<MapEntry>) {
        let mut out = String::new();
        let mut map = Vec::new();
        fold_into(s, lower, &mut out, &mut map);
        (out, map)
    }

    #[test]
    fn ascii_has_no_map() {
        let (f, map) = folded_with_map("Hello World", true);
        assert_eq!(f, "hello world");
        assert!(map.is_empty());
        assert_eq!(fold("Hello", false), "Hello");
    }

    #[test]
    fn accents_fold_and_map_back() {
        let s = "María Acción";
        let (f, map) = folded_with_map(s, true);
        assert_eq!(f, "maria accion");
        let start = f.find("accion").unwrap();
        let (os, oe) = (map_start(&map, start), map_end(&map, start + 6));
        assert_eq!(&s[os..oe], "Acción");
        let (os, oe) = (map_start(&map, 3), map_end(&map, 4));
        assert_eq!(&s[os..oe], "í");
    }

    #[test]
    fn decomposed_input_keeps_its_marks_in_range() {
        let s = "Mari\u{301}a";
        let (f, map) = folded_with_map(s, true);
        assert_eq!(f, "maria");
        assert_eq!(&s[map_start(&map, 0)..map_end(&map, 4)], "Mari\u{301}");
        assert_eq!(&s[map_start(&map, 4)..map_end(&map, 5)], "a");
    }

    #[test]
    fn expanding_characters_map_to_whole_original() {
        // A Hangul syllable decomposes into three jamo; any of them maps to the syllable.
        let s = "x한y";
        let (f, map) = folded_with_map(s, false);
        assert_eq!(f.chars().count(), 5);
        let second_jamo = 1 + 3;
        assert_eq!(map_start(&map, second_jamo), 1);
        assert_eq!(map_end(&map, second_jamo + 3), 4);
        assert_eq!(map_start(&map, f.len() - 1), 4);
    }

    #[test]
    fn table_agrees_with_the_slow_path() {
        for u in 0x80..TABLE_END {
            let Some(c) = char::from_u32(u) else { continue };
            for lower in [false, true] {
                let (mut fast, mut slow) = (String::new(), String::new());
                let n = fold_char(c, lower, &mut fast);
                assert_eq!(n, fold_char_slow(c, lower, &mut slow));
                assert_eq!(fast, slow, "{c:?} lower={lower}");
            }
        }
    }

    /// Every character below U+30000 (all assigned planes but the private and special
    /// ones), and the rest in steps: `folds_to_itself` says what folding does.
    #[test]
    fn folds_to_itself_agrees_with_folding() {
        let (mut same, mut other) = (0, 0);
        for u in (0x80..0x3_0000).chain((0x3_0000..=0x10_FFFF).step_by(97)) {
            let Some(c) = char::from_u32(u) else { continue };
            let expect = [false, true].iter().all(|&lower| {
                let mut s = String::new();
                fold_char(c, lower, &mut s) == 1 && s.chars().eq([c])
            });
            assert_eq!(folds_to_itself(c), expect, "{c:?} U+{u:04X}");
            if expect { same += 1 } else { other += 1 }
        }
        // Both kinds are common: the test would catch a constant answer.
        assert!(same > 100_000 && other > 10_000, "{same} {other}");
    }

    #[test]
    fn lowercasing_special_cases() {
        assert_eq!(fold("İSTANBUL", true), "istanbul");
        assert_eq!(fold("ÉCOLE", false), "ECOLE");
        assert_eq!(fold("ẞ", true), "ß");
    }
}
