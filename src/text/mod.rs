//! Pure string functions: making untrusted text safe for a terminal, and wrapping it.
//!
//! No IO, no ratatui. `lines` shapes whole bodies into wrapped, styled lines (the memo the
//! draw code and the paging maths share). Everything the UI shows from a thread passes through [`sanitize`] or
//! [`sanitize_line`] first, and is wrapped by [`wrap_ranges`] after that.

pub(crate) mod bytescan;
pub mod edit;
mod json_escape;
pub mod lines;
mod sanitize;
mod wrap;

pub use json_escape::JsonEscaper;
pub use sanitize::{MAX_ZERO_WIDTH_RUN, TAB_WIDTH, needs_json_escape, sanitize, sanitize_line};
pub use wrap::{display_width, truncate_to_width, wrap_hard, wrap_ranges};
