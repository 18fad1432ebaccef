//! Writing a thread back out: `threadr dump` as threadr/1 JSON or as sanitised text.

pub mod json;
pub mod text;

use std::io::Write;

use crate::model::Thread;

/// Output shapes of `threadr dump` (`cli.rs` offers them to clap).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DumpFormat {
    /// threadr/1 JSON, lossless.
    Json,
    /// The plain-text shape, sanitised for a terminal.
    Text,
}

impl DumpFormat {
    /// Every shape, in the order `--help` lists them.
    pub const ALL: &[Self] = &[Self::Json, Self::Text];

    /// The name on the command line.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Json => "json",
            Self::Text => "text",
        }
    }

    /// What the shape is, for `--help` and the man page.
    #[must_use]
    pub fn describe(self) -> &'static str {
        match self {
            Self::Json => "threadr/1 JSON, lossless",
            Self::Text => "The plain-text shape, sanitised for a terminal",
        }
    }
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
