//! threadr's own JSON format, `threadr/1`.

use crate::format::FormatError;
use crate::model::Thread;

/// Parses `threadr/1` JSON.
///
/// # Errors
/// Not implemented yet.
pub fn parse(_text: &str, source: &str) -> Result<Thread, FormatError> {
    Err(FormatError::new(
        source,
        None,
        "threadr/1 JSON is not supported yet",
    ))
}
