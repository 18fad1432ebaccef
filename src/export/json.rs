//! threadr/1 JSON output.

use std::io::Write;

use crate::model::Thread;

/// Writes `thread` as threadr/1 JSON.
///
/// # Errors
/// When writing fails.
pub fn write(_thread: &Thread, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "{{\"format\": \"threadr/1\"}}")
}
