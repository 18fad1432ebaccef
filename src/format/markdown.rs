//! Markdown bodies (Reddit) to [`crate::model::Body`].
