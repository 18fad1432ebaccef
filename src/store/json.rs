//! The JSON shape shared by every file: pretty, stable, versioned, terminal-safe.

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::FORMAT_VERSION;

/// The outcome of reading a versioned file.
#[derive(Debug)]
pub(crate) enum Parsed<T> {
    /// A file this threadr understands.
    Current(T),
    /// A file from a newer threadr, with what could be read of it (unknown fields ignored).
    Newer { version: u64, partial: Option<T> },
    /// Not a threadr file of any version: the reason.
    Corrupt(String),
}

#[derive(serde::Deserialize)]
struct VersionOnly {
    version: u64,
}

/// Reads `bytes` as a versioned file: the `version` field first, then the whole shape.
pub(crate) fn parse_versioned<T: DeserializeOwned>(bytes: &[u8]) -> Parsed<T> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Parsed::Corrupt("not UTF-8".to_string());
    };
    let version = match serde_json::from_str::<VersionOnly>(text) {
        Ok(v) => v.version,
        Err(e) => return Parsed::Corrupt(one_line(&e.to_string())),
    };
    if version == 0 {
        return Parsed::Corrupt("version 0".to_string());
    }
    if version > u64::from(FORMAT_VERSION) {
        return Parsed::Newer {
            version,
            partial: serde_json::from_str(text).ok(),
        };
    }
    match serde_json::from_str(text) {
        Ok(v) => Parsed::Current(v),
        Err(e) => Parsed::Corrupt(one_line(&e.to_string())),
    }
}

fn one_line(s: &str) -> String {
    crate::text::sanitize_line(s).into_owned()
}

/// Pretty JSON with a final newline, where every character that could hide or reorder text
/// in a terminal is written as a `\u` escape, so `cat`ting the file (or the JSON export) is
/// as safe as the UI. serde already escapes C0 controls; this adds DEL, C1 controls, bidi
/// controls, invisible and format characters.
pub(crate) fn to_safe_pretty<T: Serialize>(value: &T) -> String {
    // Serialising our own types (strings, numbers, Vecs, Options) to a String cannot fail.
    let raw = serde_json::to_string_pretty(value)
        .unwrap_or_else(|e| unreachable!("serialising threadr's own store types cannot fail: {e}"));
    let mut out = String::with_capacity(raw.len() + 1);
    let mut escaper = crate::text::JsonEscaper::new();
    for c in raw.chars() {
        escaper.push(c, &mut out);
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_terminal_dangers_and_round_trips() {
        let hostile = "a\x1b[2J b\u{9b}c \u{202e}d\u{2066} e\u{200b}\u{feff} \u{e0041} \x7f";
        let json = to_safe_pretty(&vec![hostile]);
        assert!(json.is_ascii(), "{json}");
        assert!(json.contains("\\u202e") && json.contains("\\udb40\\udc41"));
        let back: Vec<String> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, [hostile]);
    }

    #[test]
    fn versions() {
        #[derive(serde::Deserialize, Debug)]
        struct F {
            #[allow(dead_code)]
            version: u64,
            x: u32,
        }
        assert!(matches!(
            parse_versioned::<F>(br#"{"version":1,"x":3}"#),
            Parsed::Current(F { x: 3, .. })
        ));
        assert!(matches!(
            parse_versioned::<F>(br#"{"version":9,"x":3,"new":[]}"#),
            Parsed::Newer {
                version: 9,
                partial: Some(_)
            }
        ));
        for bad in [
            &b"{\"version\":1"[..],
            b"",
            b"[]",
            b"{\"x\":1}",
            b"\xff\xfe",
            b"{\"version\":0,\"x\":1}",
        ] {
            assert!(matches!(parse_versioned::<F>(bad), Parsed::Corrupt(_)));
        }
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(matches!(
            parse_versioned::<F>(deep.as_bytes()),
            Parsed::Corrupt(_)
        ));
    }
}
