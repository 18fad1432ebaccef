//! Site JSON exports: Reddit, Hacker News (Algolia and HNPWA), Lobsters.

use crate::format::{FormatError, InputFormat};
use crate::model::Thread;

/// Which JSON shape this is, by its keys.
#[must_use]
pub fn detect(_text: &str) -> Option<InputFormat> {
    None
}

/// Parses a site's JSON export.
///
/// # Errors
/// Not implemented yet.
pub fn parse(_text: &str, source: &str, format: InputFormat) -> Result<Thread, FormatError> {
    Err(FormatError::new(
        source,
        None,
        format!("{} JSON is not supported yet", format.name()),
    ))
}
