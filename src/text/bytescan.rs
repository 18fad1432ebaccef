//! Eight bytes at a time: whether a word of text holds a given byte, a byte below a bound,
//! or a byte past ASCII, with the usual bit tricks on a `u64` (no branches per byte). The
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

/// Whether one of the bytes of `w` is zero (exact: a borrow only ever runs past a zero).
#[inline]
fn has_zero(w: u64) -> bool {
    w.wrapping_sub(ONES) & !w & HIGHS != 0
}

/// Whether one of the bytes of `w` is `b`.
#[inline]
pub(crate) fn has_byte(w: u64, b: u8) -> bool {
    has_zero(w ^ (ONES * u64::from(b)))
}

/// Whether one of the bytes of `w` is below `n` (`n` at most 128).
#[inline]
pub(crate) fn has_below(w: u64, n: u8) -> bool {
    debug_assert!(n <= 128);
    w.wrapping_sub(ONES * u64::from(n)) & !w & HIGHS != 0
}

/// Whether one of the bytes of `w` is past ASCII.
#[inline]
pub(crate) fn has_high(w: u64) -> bool {
    w & HIGHS != 0
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
                    for probe in [0u8, b'"', b'\\', b'*', 0x7f, 0x80, 0xff] {
                        assert_eq!(
                            has_byte(w, probe),
                            bytes.contains(&probe),
                            "{bytes:?} {probe}"
                        );
                    }
                    for n in [1u8, 0x20, 0x7f, 128] {
                        assert_eq!(
                            has_below(w, n),
                            bytes.iter().any(|&x| x < n),
                            "{bytes:?} {n}"
                        );
                    }
                    assert_eq!(has_high(w), bytes.iter().any(|&x| x >= 0x80));
                }
            }
        }
        assert_eq!(word(b"1234567", 0), None);
        assert_eq!(word(b"12345678", 1), None);
        assert!(word(b"12345678", 0).is_some());
        assert_eq!(word(b"12345678", usize::MAX), None);
    }
}
