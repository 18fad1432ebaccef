//! Where a document's folding differs from its own bytes: the index keeps, per document,
//! only the positions of the characters that fold to something else (`é`, `Ł`, a combining
//! mark, a Hangul syllable), not a folded copy of its text.
//!
//! Folding is one character at a time (see `fold.rs`), and an ASCII character folds to
//! itself lowercased, so a document's folded text is its own text, ASCII-lowercased, with
//! those characters folded again in place. A scan rebuilds it that way into a window
//! ([`super::store::Store::push_patched`]); the positions are the gaps between them in
//! the document's fields joined by `\n`, as LEB128 varints: about one byte per accent,
//! where a folded copy cost the whole text (measured on 100,000 accented comments: 1.3 MB
//! of gaps for 47 MB of text). One list serves both case modes: it holds the characters
//! that fold to something else in either; folding one that is itself in the mode at hand
//! only copies it.

use super::fold::{ascii_run_end, folds_to_itself};

/// Appends `gap` as a LEB128 varint.
fn push_gap(out: &mut Vec<u8>, mut gap: usize) {
    while gap >= 0x80 {
        out.push((gap as u8) | 0x80);
        gap >>= 7;
    }
    out.push(gap as u8);
}

/// Appends the gaps of one document, given its fields in order.
pub(crate) fn push_doc_gaps<'a>(fields: impl Iterator<Item = &'a str>, out: &mut Vec<u8>) {
    let (mut base, mut prev_end) = (0usize, 0usize);
    for field in fields {
        let bytes = field.as_bytes();
        let mut i = ascii_run_end(bytes, 0);
        while let Some(c) = field.get(i..).and_then(|rest| rest.chars().next()) {
            if !folds_to_itself(c) {
                push_gap(out, base + i - prev_end);
                prev_end = base + i + c.len_utf8();
            }
            i = ascii_run_end(bytes, i + c.len_utf8());
        }
        base += field.len() + 1;
    }
}

/// The gaps of one document, decoded: each is the number of bytes between the end of the
/// previous folded character (or the document's start) and the next.
#[derive(Clone, Debug)]
pub(crate) struct Gaps<'a>(pub(crate) &'a [u8]);

impl Iterator for Gaps<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        let mut value = 0usize;
        let mut shift = 0u32;
        loop {
            let (&b, rest) = self.0.split_first()?;
            self.0 = rest;
            value |= usize::from(b & 0x7f).checked_shl(shift)?;
            if b < 0x80 {
                return Some(value);
            }
            shift += 7;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_round_trip_and_point_at_folding_characters() {
        let mut out = Vec::new();
        for g in [0, 1, 127, 128, 300, 1 << 20, usize::MAX >> 1] {
            push_gap(&mut out, g);
        }
        let back: Vec<usize> = Gaps(&out).collect();
        assert_eq!(back, [0, 1, 127, 128, 300, 1 << 20, usize::MAX >> 1]);

        // `’` and `中` fold to themselves; `é` (bytes 2..4 of the first field) and `Ł` (at
        // 3 of the second, which starts at 8, after the first's 7 bytes and its `\n`) do not.
        let mut gaps = Vec::new();
        push_doc_gaps(["caé’", "中Ł x"].into_iter(), &mut gaps);
        assert_eq!(Gaps(&gaps).collect::<Vec<_>>(), [2, 8 + 3 - 4]);
    }
}
