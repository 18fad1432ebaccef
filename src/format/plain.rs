//! Plain text: the article, then `  1. ` numbered comments with bulleted, indented replies.

use crate::format::FormatError;
use crate::model::{Body, Thread, ThreadBuilder};

/// Parses the plain-text shape.
///
/// # Errors
/// Never yet; placeholder until the text parser lands.
pub fn parse(text: &str, _source: &str) -> Result<Thread, FormatError> {
    let mut b = ThreadBuilder::new();
    b.body = Body::from_plain(text);
    Ok(b.finish())
}
