//! Reader names: who is reading, and a name that is safe to use as a folder.

use std::fmt;

use super::StoreError;

/// The environment variable naming the reader when `--reader` is not given.
pub const READER_ENV: &str = "THREADR_READER";
/// Longest reader name, in characters (all ASCII).
pub const MAX_READER_LEN: usize = 64;

/// A validated reader name: ASCII letters, digits, `-`, `_`, `.`, not `.` or `..`, at most
/// [`MAX_READER_LEN`] characters. Safe as a single path component.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Reader(String);

impl Reader {
    /// Checks a name.
    pub fn new(name: &str) -> Result<Self, StoreError> {
        let reason = if name.is_empty() {
            Some("it is empty")
        } else if name == "." || name == ".." {
            Some("'.' and '..' name folders")
        } else if name == "threads" {
            // The data folder's `threads/` holds the threads fetched by URL, beside the
            // readers' folders: a reader of that name would share it.
            Some("'threads' is the folder of saved threads")
        } else if name.chars().any(|c| c == '/' || c == '\\') {
            Some("it contains a path separator")
        } else if name.chars().any(char::is_control) {
            Some("it contains control characters")
        } else if !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        {
            Some("it contains characters other than letters, digits, '-', '_' and '.'")
        } else if name.len() > MAX_READER_LEN {
            Some("it is longer than 64 characters")
        } else {
            None
        };
        match reason {
            None => Ok(Self(name.to_string())),
            Some(reason) => Err(StoreError::BadReader {
                shown: shown_name(name),
                reason,
            }),
        }
    }

    /// The name.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Reader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A refused name for a message: one line, no control characters, at most ~80 characters.
fn shown_name(name: &str) -> String {
    let clean = crate::text::sanitize_line(name);
    crate::text::truncate_to_width(&clean, 80)
}

/// Picks the reader: `--reader NAME`, else `$THREADR_READER`, else the login name (`$USER`,
/// `$LOGNAME`), else `default`. Empty environment variables count as unset. An explicit or
/// environment name that is not valid is an error, never silently replaced.
pub fn resolve_reader(cli: Option<&str>, vars: &crate::config::Env) -> Result<Reader, StoreError> {
    let env = |name: &str| vars.get(name).filter(|v| !v.is_empty()).map(str::to_string);
    let chosen = cli
        .map(str::to_string)
        .or_else(|| env(READER_ENV))
        .or_else(|| env("USER"))
        .or_else(|| env("LOGNAME"))
        .unwrap_or_else(|| "default".to_string());
    Reader::new(&chosen)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ordinary_names() {
        for name in ["alice", "bob.smith", "x_1-2", "A", &"a".repeat(64), "..."] {
            assert_eq!(Reader::new(name).unwrap().as_str(), name);
        }
    }

    #[test]
    fn refuses_paths_controls_and_long_names() {
        let long = "a".repeat(65);
        for name in [
            "",
            ".",
            "..",
            "a/b",
            "../x",
            "a\\b",
            "a\x1b[2J",
            "tab\there",
            "é",
            "a b",
            &long,
        ] {
            let err = Reader::new(name).unwrap_err().to_string();
            assert!(err.contains("is not allowed"), "{name:?}: {err}");
            assert!(!err.contains('\x1b'), "raw ESC in message: {err:?}");
        }
    }

    #[test]
    fn refuses_the_saved_threads_folder_name() {
        let err = Reader::new("threads").unwrap_err().to_string();
        assert!(err.contains("saved threads"), "{err}");
        assert!(Reader::new("threads2").is_ok());
    }

    #[test]
    fn message_shows_escape_visibly_and_says_why() {
        let err = Reader::new("evil\x1b]0;pwned\x07").unwrap_err().to_string();
        assert!(err.contains("control characters"), "{err}");
        assert!(!err.chars().any(char::is_control), "{err:?}");
        let err = Reader::new(&"b".repeat(65)).unwrap_err().to_string();
        assert!(err.contains("longer than 64"), "{err}");
    }

    #[test]
    fn explicit_name_wins() {
        assert_eq!(
            resolve_reader(Some("carol"), &crate::config::Env::default())
                .unwrap()
                .as_str(),
            "carol"
        );
        assert!(resolve_reader(Some("../etc"), &crate::config::Env::default()).is_err());
    }
}
