//! Text-browser dumps (lynx, w3m) of comment pages.

use crate::format::{FormatError, InputFormat};
use crate::model::Thread;

/// Recognises a lynx or w3m dump.
#[must_use]
pub fn detect(_text: &str) -> Option<InputFormat> {
    None
}

/// Parses a text-browser dump.
///
/// # Errors
/// Not implemented yet.
pub fn parse(text: &str, source: &str, _format: InputFormat) -> Result<Thread, FormatError> {
    crate::format::plain::parse(text, source)
}
