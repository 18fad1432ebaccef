//! Plain-text output, sanitised for a terminal.

use std::io::Write;

use crate::model::Thread;
use crate::text::sanitize;

/// Writes `thread` in the plain-text shape.
///
/// # Errors
/// When writing fails.
pub fn write(thread: &Thread, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "{}", sanitize(&thread.body.plain_text()))
}
