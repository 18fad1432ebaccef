//! HTML bodies (Hacker News, Lobsters) to [`crate::model::Body`].
