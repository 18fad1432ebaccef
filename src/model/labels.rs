//! Short labels for comments that every view shares (tree rows, breadcrumbs, the bookmark
//! list): pure functions of the thread, no styling.

use super::{CommentIdx, Thread};

/// True when the comment's author wrote the article.
#[must_use]
pub fn is_op(thread: &Thread, idx: CommentIdx) -> bool {
    match (&thread.author, &thread.comment(idx).author) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    }
}

/// `3.1.2` for shallow comments; deep ones say their level instead of a long path, because
/// computing the path walks every ancestor.
#[must_use]
pub fn position_label(thread: &Thread, idx: CommentIdx) -> String {
    let depth = thread.comment(idx).depth;
    if depth <= 3 {
        let path = thread.position_path(idx);
        path.iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(".")
    } else {
        let own = thread
            .siblings(idx)
            .binary_search(&idx)
            .map_or(0, |p| p + 1);
        format!("L{}.{own}", depth + 1)
    }
}
