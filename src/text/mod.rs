//! Pure string functions: making untrusted text safe for a terminal, and wrapping it.
//!
//! No IO, no ratatui. Everything the UI shows from a thread passes through [`sanitize`] or
//! [`sanitize_line`] first, and is wrapped by [`wrap_ranges`] after that.

mod json_escape;
mod sanitize;
mod wrap;

pub use json_escape::JsonEscaper;
pub use sanitize::{MAX_ZERO_WIDTH_RUN, TAB_WIDTH, needs_json_escape, sanitize, sanitize_line};
pub use wrap::{display_width, truncate_to_width, wrap_hard, wrap_ranges};
