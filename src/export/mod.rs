//! Writing a thread back out: `threadr dump` as threadr/1 JSON or as sanitised text.

pub mod json;
pub mod text;

use std::io::Write;

use crate::model::Thread;

/// Output shapes of `threadr dump`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum DumpFormat {
    /// threadr/1 JSON, lossless.
    Json,
    /// The plain-text shape, sanitised for a terminal.
    Text,
}

/// Writes `thread` to `out` in `format`.
///
/// # Errors
/// When writing fails.
pub fn write(thread: &Thread, format: DumpFormat, out: &mut dyn Write) -> std::io::Result<()> {
    match format {
        DumpFormat::Json => json::write(thread, out),
        DumpFormat::Text => text::write(thread, out),
    }
}
