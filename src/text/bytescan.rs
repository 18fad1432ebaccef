//! Eight bytes at a time: where in a word of text the first of a given byte, of a byte
//! below a bound, or of a byte past ASCII is, with the usual bit tricks on a `u64` (no
//! branches per byte). The
//! writers that copy long runs of plain text (threadr/1 output, the markup encoding) skip
//! whole words this way and look at single bytes only where a word says they must. Pure;
//! no `unsafe`.

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = ONES * 0x80;

/// The eight bytes of `bytes` from `at`, when there are eight.
#[inline]
pub(crate) fn word(bytes: &[u8], at: usize) -> Option<u64> {
    let chunk: [u8; 8] = bytes.get(at..at.checked_add(8)?)?.try_into().ok()?;
    Some(u64::from_le_bytes(chunk))
}

/// The high bit of each zero byte of `w`. Only the lowest set bit is exact (a borrow can
/// mark a byte above a zero), which is all [`first`] needs.
#[inline]
pub(crate) fn zero_mask(w: u64) -> u64 {
    w.wrapping_sub(ONES) & !w & HIGHS
}

/// Bytes of `w` that are `b`, as [`zero_mask`] marks them.
#[inline]
pub(crate) fn byte_mask(w: u64, b: u8) -> u64 {
    zero_mask(w ^ (ONES * u64::from(b)))
}

/// Bytes of `w` below `n` (`n` at most 128), as [`zero_mask`] marks them.
#[inline]
pub(crate) fn below_mask(w: u64, n: u8) -> u64 {
    debug_assert!(n <= 128);
    w.wrapping_sub(ONES * u64::from(n)) & !w & HIGHS
}

/// Bytes of `w` past ASCII.
#[inline]
pub(crate) fn high_mask(w: u64) -> u64 {
    w & HIGHS
}

/// The index in its word of the first byte a non-zero mask marks.
#[inline]
pub(crate) fn first(mask: u64) -> usize {
    (mask.trailing_zeros() / 8) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_test_agrees_with_looking_at_every_byte() {
        // Every byte value at every position, among neighbours that are and are not close.
        for fill in [0u8, 0x1f, 0x20, b'a', 0x7f, 0x80, 0xff] {
            for at in 0..8 {
                for b in 0..=255u8 {
                    let mut bytes = [fill; 8];
                    bytes[at] = b;
                    let w = word(&bytes, 0).unwrap();
                    let firsts = |pred: &dyn Fn(u8) -> bool, mask: u64| {
                        let expected = bytes.iter().position(|&x| pred(x));
                        let got = (mask != 0).then(|| first(mask));
                        assert_eq!(got, expected, "{bytes:?}");
                    };
                    for probe in [0u8, b'"', b'\\', b'*', 0x7f, 0x80, 0xff] {
                        firsts(&|x| x == probe, byte_mask(w, probe));
                    }
                    for n in [1u8, 0x20, 0x7f, 128] {
                        firsts(&|x| x < n, below_mask(w, n));
                    }
                    firsts(&|x| x >= 0x80, high_mask(w));
                    // A union of masks finds the first byte any of them marks.
                    firsts(
                        &|x| x < 0x20 || x == b'"' || x >= 0x7f,
                        below_mask(w, 0x20)
                            | byte_mask(w, b'"')
                            | byte_mask(w, 0x7f)
                            | high_mask(w),
                    );
                }
            }
        }
        assert_eq!(word(b"1234567", 0), None);
        assert_eq!(word(b"12345678", 1), None);
        assert!(word(b"12345678", 0).is_some());
        assert_eq!(word(b"12345678", usize::MAX), None);
    }
}
