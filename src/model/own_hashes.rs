//! The hashes of comments' own fingerprints ([`super::fingerprint::own_hash`]), taken by
//! the builder in batches as comments arrive, on two processors where there are two.
//!
//! Why batches and threads: hashing every comment's words is the largest part of reading
//! a plain-text thread (about two fifths of it). The hashes of different comments do not
//! depend on each other (the parent's id comes in only later, for duplicates), so a batch
//! is split in two halves, one hashed on a scoped thread while this one hashes the other.
//! A batch is small enough (about half a megabyte of text) that its texts, just parsed,
//! are still in the processor's cache; hashing them all in `finish` instead was a cache
//! miss per comment. Pure computation: the same hashes, in the same places, whatever the
//! number of threads.

use super::Comment;
use super::fingerprint::own_hash;

/// Comments a batch holds.
pub(super) const BATCH: usize = 1024;

/// Fewer comments than this are hashed on the calling thread alone: a thread costs more
/// than it saves.
pub(super) const PARALLEL_FROM: usize = 256;

/// Sets `own[i]` to the hash of `comments[i]` for every comment without a source id
/// (`has_source[i]` false). The three slices are the same length.
pub(super) fn hash_batch(
    comments: &[Comment],
    has_source: &[bool],
    own: &mut [Option<u64>],
    threads: usize,
) {
    if threads < 2 || comments.len() < PARALLEL_FROM {
        hash_each(comments, has_source, own);
        return;
    }
    let half = comments.len() / 2;
    let (own_a, own_b) = own.split_at_mut(half);
    std::thread::scope(|scope| {
        let other = scope.spawn(|| hash_each(&comments[half..], &has_source[half..], own_b));
        hash_each(&comments[..half], &has_source[..half], own_a);
        // A panic in the other half (there is none to expect) would be a bug: surface it.
        if let Err(panic) = other.join() {
            std::panic::resume_unwind(panic);
        }
    });
}

fn hash_each(comments: &[Comment], has_source: &[bool], own: &mut [Option<u64>]) {
    for ((c, &source), own) in comments.iter().zip(has_source).zip(own) {
        if !source {
            *own = Some(own_hash("", c.author.as_deref().unwrap_or(""), &c.body));
        }
    }
}

/// How many threads [`hash_batch`] may use: two where the machine has two processors for
/// this process, else one.
pub(super) fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(2))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Body, CommentDraft, ThreadBuilder};

    #[test]
    fn two_threads_give_the_hashes_one_gives_and_skip_sourced_comments() {
        let mut builder = ThreadBuilder::new();
        for i in 0..700 {
            builder.push(
                None,
                CommentDraft {
                    author: Some(format!("a{}", i % 7)),
                    body: Body::from_plain(&format!("words of comment {i}\n\nand a second  one")),
                    ..CommentDraft::default()
                },
            );
        }
        let comments = builder.finish().comments;
        let has_source: Vec<bool> = (0..700).map(|i| i % 5 == 0).collect();
        let mut one = vec![None; 700];
        let mut two = vec![None; 700];
        hash_batch(&comments, &has_source, &mut one, 1);
        hash_batch(&comments, &has_source, &mut two, 2);
        assert_eq!(one, two);
        for (i, hash) in one.iter().enumerate() {
            assert_eq!(hash.is_none(), has_source[i], "comment {i}");
        }
        assert_eq!(
            one[1],
            Some(own_hash("", "a1", &comments[1].body)),
            "each hash is its own comment's"
        );
    }
}
