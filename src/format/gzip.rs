//! Gzip-compressed input (`.mbox.gz`, public-inbox's `t.mbox.gz`): recognised by its magic
//! bytes and unpacked with `flate2` before the format is detected.
//!
//! The unpacked size is capped, so a small hostile file cannot expand to fill memory. No IO
//! beyond the in-memory stream.

use std::io::Read;

use crate::format::FormatError;

/// Largest unpacked size accepted (1 GiB): far above any thread, far below a decompression
/// bomb's aim.
pub const MAX_UNPACKED: u64 = 1 << 30;

/// True when `bytes` start with the gzip magic number.
#[must_use]
pub fn is_gzip(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0x1f, 0x8b])
}

/// Unpacks gzip `bytes` (every member of a multi-member file), at most [`MAX_UNPACKED`].
///
/// # Errors
/// When the data is not valid gzip or unpacks to more than the cap.
pub fn gunzip(bytes: &[u8], source: &str) -> Result<Vec<u8>, FormatError> {
    gunzip_capped(bytes, source, MAX_UNPACKED)
}

/// Unpacks gzip `bytes` to at most `cap` bytes (the fetch layer's `[fetch] max_size`, so a
/// small download cannot unpack past the size a download may have): `Ok(None)` when it
/// would unpack to more, so the caller can say which limit it met.
///
/// # Errors
/// When the data is not valid gzip.
pub fn gunzip_at_most(
    bytes: &[u8],
    source: &str,
    cap: u64,
) -> Result<Option<Vec<u8>>, FormatError> {
    let cap = cap.min(MAX_UNPACKED);
    let out = unpack(bytes, source, cap)?;
    Ok((out.len() as u64 <= cap).then_some(out))
}

/// Unpacks at most `cap + 1` bytes (one past the cap tells that there is more).
fn unpack(bytes: &[u8], source: &str, cap: u64) -> Result<Vec<u8>, FormatError> {
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(bytes)
        .take(cap + 1)
        .read_to_end(&mut out)
        .map_err(|e| {
            FormatError::new(
                source,
                None,
                format!("the file starts like gzip but cannot be unpacked: {e}"),
            )
        })?;
    Ok(out)
}

fn gunzip_capped(bytes: &[u8], source: &str, cap: u64) -> Result<Vec<u8>, FormatError> {
    let out = unpack(bytes, source, cap)?;
    if out.len() as u64 > cap {
        return Err(FormatError::new(
            source,
            None,
            format!(
                "the gzip data unpacks to more than {} MiB; threadr stops there",
                cap >> 20
            ),
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn pack(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn round_trip_truncation_and_cap() {
        let packed = pack(b"hello mail");
        assert!(is_gzip(&packed));
        assert_eq!(gunzip(&packed, "x").unwrap(), b"hello mail");
        let e = gunzip(&packed[..packed.len() / 2], "x.gz").unwrap_err();
        assert!(e.message.contains("cannot be unpacked"), "{e}");
        let big = pack(&vec![b'a'; 5000]);
        let e = gunzip_capped(&big, "x.gz", 4096).unwrap_err();
        assert!(e.message.contains("more than"), "{e}");
        assert_eq!(gunzip_capped(&big, "x.gz", 5000).unwrap().len(), 5000);
    }
}
