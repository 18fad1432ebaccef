//! Refreshing: the thread as the source has it now, merged with the saved copy by comment id.
//!
//! The source's version wins for everything it still has. A comment the source no longer
//! has (or now shows only as `[deleted]`/`[removed]`) is kept with its saved text, marked
//! deleted, and opened by one line saying it was removed at the source: nothing is dropped
//! silently. Kept comments keep their place (after the comment before them in the saved copy),
//! under their parent when it is still there, else at the top.
//! Pure; no IO. "New" is not recorded here: the reader's "new since last visit" comes from
//! its reading state, which has never seen the new ids.

use std::collections::{HashMap, HashSet};

use crate::model::{Block, Comment, CommentDraft, Thread, ThreadBuilder};

/// What a merge found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MergeStats {
    /// Comments the saved copy did not have.
    pub new: usize,
    /// Comments newly found gone from the source (kept).
    pub newly_removed: usize,
    /// Every kept comment the source no longer has, by id (for the meta file).
    pub removed: Vec<String>,
}

/// The line that opens a comment kept after the source removed it.
#[must_use]
pub fn removed_note(when: &str) -> String {
    format!("[removed at the source; kept from the copy saved before {when}]")
}

fn draft(c: &Comment) -> CommentDraft {
    CommentDraft {
        source_id: Some(c.id.0.to_string()),
        author: c.author.as_ref().map(ToString::to_string),
        created: c.created.clone(),
        score: c.score,
        body: c.body.clone(),
        deleted: c.deleted,
        more: c.more,
        url: c.url.as_ref().map(ToString::to_string),
    }
}

/// Marks a kept comment as removed at the source (once).
fn mark(mut d: CommentDraft, when: &str) -> CommentDraft {
    d.deleted = true;
    d.body
        .blocks
        .insert(0, Block::paragraph(removed_note(when)));
    // Links index into `links` by position, which inserting a block does not change.
    d
}

/// The saved copy's comments the source no longer has, and how each is kept.
struct Kept<'a> {
    saved: &'a Thread,
    fresh_ids: &'a HashSet<&'a str>,
    before: &'a HashSet<&'a str>,
    when: &'a str,
}

impl Kept<'_> {
    /// Pushes the run of removed comments that starts at saved index `i` (none when the
    /// comment there is still at the source or already placed). Iterative: a removed chain
    /// of any length costs no stack.
    fn push_run(
        &self,
        mut i: usize,
        b: &mut ThreadBuilder,
        handles: &mut HashMap<String, usize>,
        stats: &mut MergeStats,
        removed: &mut Vec<String>,
    ) {
        while let Some(c) = self.saved.comments.get(i) {
            let id = c.id.0.as_str();
            if self.fresh_ids.contains(id) || handles.contains_key(id) {
                return;
            }
            // Under its parent, which comes before it in the saved copy: when that is not
            // in place yet (the source moved it, or it is a removed one placed later), the
            // run stops here and the last pass, in saved order, places it under it.
            let parent = match c.parent {
                None => None,
                Some(p) => match handles.get(self.saved.comment(p).id.0.as_str()) {
                    Some(&h) => Some(h),
                    None => return,
                },
            };
            let mut d = draft(c);
            if self.before.contains(id) {
                d.more = 0;
            } else {
                d = mark(d, self.when);
                d.more = 0;
                stats.newly_removed += 1;
            }
            removed.push(id.to_string());
            let h = b.push(parent, d);
            b.mark(h, c.marks);
            handles.insert(id.to_string(), h);
            i += 1;
        }
    }
}

/// Merges `fresh` (just fetched) into `saved`. `removed_before` are the ids already marked
/// in earlier refreshes; `when` is the fetch time shown in the note.
#[must_use]
pub fn merge(
    saved: &Thread,
    fresh: Thread,
    removed_before: &[String],
    when: &str,
) -> (Thread, MergeStats) {
    let before: HashSet<&str> = removed_before.iter().map(String::as_str).collect();
    let saved_ids: HashMap<&str, &Comment> = saved
        .comments
        .iter()
        .map(|c| (c.id.0.as_str(), c))
        .collect();
    let mut stats = MergeStats::default();
    let mut b = ThreadBuilder::new();
    b.title = fresh.title.clone().or_else(|| saved.title.clone());
    b.url = fresh.url.clone().or_else(|| saved.url.clone());
    b.author.clone_from(&fresh.author);
    b.created.clone_from(&fresh.created);
    b.score = fresh.score;
    b.community = fresh.community.clone().or_else(|| saved.community.clone());
    b.body = fresh.body.clone();
    b.more = fresh.more;
    b.source_key = Some(fresh.key.clone());
    b.warnings.clone_from(&fresh.warnings);
    let mut handles: HashMap<String, usize> = HashMap::with_capacity(fresh.len() + 16);
    let mut removed = Vec::new();
    let saved_at: HashMap<&str, usize> = saved
        .comments
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.0.as_str(), i))
        .collect();
    let fresh_ids: HashSet<&str> = fresh.comments.iter().map(|c| c.id.0.as_str()).collect();
    let kept = Kept {
        saved,
        fresh_ids: &fresh_ids,
        before: &before,
        when,
    };
    // A comment the source no longer has keeps its place: it goes right after the comment
    // before it in the saved copy (the ones first in the copy, first), so among its
    // siblings it stays where the reader saw it.
    kept.push_run(0, &mut b, &mut handles, &mut stats, &mut removed);
    for c in &fresh.comments {
        let parent = c.parent.map(|p| handles[fresh.comment(p).id.0.as_str()]);
        let mut d = draft(c);
        match saved_ids.get(c.id.0.as_str()) {
            None => stats.new += 1,
            // Gone to `[deleted]` at the source: keep what the saved copy had.
            Some(old) if c.deleted && !old.deleted => {
                let mut kept = draft(old);
                kept.more = d.more;
                d = mark(kept, when);
                stats.newly_removed += 1;
                removed.push(c.id.0.to_string());
            }
            Some(_) if before.contains(c.id.0.as_str()) && c.deleted => {
                // Still gone: the saved copy's text (with its note) stays.
                if let Some(old) = saved_ids.get(c.id.0.as_str()) {
                    d = draft(old);
                }
                removed.push(c.id.0.to_string());
            }
            Some(_) => {}
        }
        let h = b.push(parent, d);
        b.mark(h, c.marks);
        handles.insert(c.id.0.to_string(), h);
        if let Some(&i) = saved_at.get(c.id.0.as_str()) {
            kept.push_run(i + 1, &mut b, &mut handles, &mut stats, &mut removed);
        }
    }
    // Any left (after a comment the fresh copy moved away, or under a parent not yet in
    // place): at the end, in saved order, so every parent is in place before its replies.
    for i in 0..saved.comments.len() {
        kept.push_run(i, &mut b, &mut handles, &mut stats, &mut removed);
    }
    stats.removed = removed;
    let mut thread = b.finish();
    thread.key = fresh.key;
    (thread, stats)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn thread(lines: &[(&str, Option<&str>, &str, bool)]) -> Thread {
        let mut b = ThreadBuilder::new();
        b.source_key = Some("k".into());
        let mut h = HashMap::new();
        for (id, parent, text, deleted) in lines {
            let d = CommentDraft {
                source_id: Some((*id).into()),
                author: Some("a".into()),
                body: crate::model::Body::from_plain(text),
                deleted: *deleted,
                ..CommentDraft::default()
            };
            let handle = b.push(parent.map(|p| h[p]), d);
            h.insert(*id, handle);
        }
        b.finish()
    }

    fn ids(t: &Thread) -> Vec<String> {
        t.comments.iter().map(|c| c.id.0.to_string()).collect()
    }

    #[test]
    fn new_counted_gone_kept_and_marked_once() {
        let saved = thread(&[
            ("a", None, "A", false),
            ("b", Some("a"), "B", false),
            ("c", None, "C", false),
        ]);
        let fresh = thread(&[
            ("a", None, "A", false),
            ("d", Some("a"), "D", false),
            ("c", None, "[deleted]", true),
        ]);
        let (merged, stats) = merge(&saved, fresh.clone(), &[], "then");
        assert_eq!(stats.new, 1);
        assert_eq!(stats.newly_removed, 2);
        assert_eq!(ids(&merged), ["a", "b", "d", "c"]);
        let b = merged.comment(merged.find("b").unwrap());
        assert!(b.deleted);
        assert_eq!(b.parent, merged.find("a"));
        assert!(b.body.plain_text().starts_with("[removed at the source"));
        let c = merged.comment(merged.find("c").unwrap());
        assert!(c.body.plain_text().contains('C'), "old text kept");
        // A second refresh with the same source: nothing new, nothing marked twice.
        let (again, stats2) = merge(&merged, fresh, &stats.removed, "later");
        assert_eq!(stats2.new, 0);
        assert_eq!(stats2.newly_removed, 0);
        assert_eq!(ids(&again), ids(&merged));
        let b2 = again.comment(again.find("b").unwrap());
        assert_eq!(
            b2.body
                .plain_text()
                .matches("[removed at the source")
                .count(),
            1
        );
    }

    #[test]
    fn a_removed_comment_keeps_its_place_among_its_siblings() {
        let saved = thread(&[
            ("alice", None, "A", false),
            ("carol", None, "C", false),
            ("c1", Some("carol"), "C1", false),
            ("erin", None, "E", false),
            ("e1", Some("erin"), "E1", false),
            ("e2", Some("erin"), "E2", false),
        ]);
        let fresh = thread(&[
            ("alice", None, "A", false),
            ("erin", None, "E", false),
            ("e2", Some("erin"), "E2", false),
            ("e3", Some("erin"), "E3", false),
            ("zed", None, "Z", false),
        ]);
        let (merged, stats) = merge(&saved, fresh, &[], "t");
        assert_eq!(
            ids(&merged),
            ["alice", "carol", "c1", "erin", "e1", "e2", "e3", "zed"]
        );
        assert_eq!(stats.newly_removed, 3);
        assert_eq!(stats.new, 2);
        let e1 = merged.find("e1").unwrap();
        assert_eq!(merged.comment(e1).parent, merged.find("erin"));
    }

    #[test]
    fn a_kept_reply_stays_under_its_kept_parent_when_the_source_reorders() {
        let saved = thread(&[
            ("x", None, "X", false),
            ("p", None, "P", false),
            ("s", Some("p"), "S", false),
            ("k", Some("p"), "K", false),
        ]);
        // The source moved s to the top and dropped p and k.
        let fresh = thread(&[("s", None, "S", false), ("x", None, "X", false)]);
        let (merged, _) = merge(&saved, fresh, &[], "t");
        let mut got = ids(&merged);
        got.sort();
        assert_eq!(got, ["k", "p", "s", "x"], "each once");
        let k = merged.find("k").unwrap();
        assert_eq!(merged.comment(k).parent, merged.find("p"));
    }

    /// Random saved copies and fresh copies that drop, keep, reorder and re-parent
    /// comments: every comment once, and every kept one under its saved parent.
    #[test]
    fn kept_comments_keep_their_parents_whatever_the_source_does() {
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            usize::try_from(seed % n as u64).unwrap()
        };
        for _ in 0..300 {
            let n = 2 + next(30);
            let names: Vec<String> = (0..n).map(|i| format!("c{i}")).collect();
            let parents: Vec<Option<usize>> = (0..n)
                .map(|i| (i > 0 && next(3) > 0).then(|| next(i)))
                .collect();
            // Saved in preorder, as a builder would give it.
            let saved_lines: Vec<(&str, Option<&str>, &str, bool)> = (0..n)
                .map(|i| {
                    (
                        names[i].as_str(),
                        parents[i].map(|p| names[p].as_str()),
                        "x",
                        false,
                    )
                })
                .collect();
            let saved = thread(&saved_lines);
            // Fresh: a random subset, each under a random earlier kept one or at the top.
            let mut kept: Vec<usize> = (0..n).filter(|_| next(2) == 0).collect();
            for i in (1..kept.len()).rev() {
                kept.swap(i, next(i + 1));
            }
            let fresh_lines: Vec<(&str, Option<&str>, &str, bool)> = kept
                .iter()
                .enumerate()
                .map(|(j, &i)| {
                    let parent = (j > 0 && next(2) == 0).then(|| names[kept[next(j)]].as_str());
                    (names[i].as_str(), parent, "x", false)
                })
                .collect();
            let fresh = thread(&fresh_lines);
            let (merged, _) = merge(&saved, fresh, &[], "t");
            let mut got = ids(&merged);
            got.sort();
            let mut want: Vec<String> = saved.comments.iter().map(|c| c.id.0.to_string()).collect();
            want.sort();
            assert_eq!(got, want);
            for c in &saved.comments {
                if kept.iter().any(|&i| names[i] == c.id.0.as_str()) {
                    continue;
                }
                let here = merged.find(&c.id.0).unwrap();
                let parent = c.parent.map(|p| saved.comment(p).id.0.to_string());
                let got = merged
                    .comment(here)
                    .parent
                    .map(|p| merged.comment(p).id.0.to_string());
                assert_eq!(got, parent, "{} in {:?}", c.id.0, ids(&merged));
            }
        }
    }

    #[test]
    fn a_long_removed_chain_is_kept_without_recursion() {
        let n = 50_000;
        let names: Vec<String> = (0..n).map(|i| format!("c{i}")).collect();
        let lines: Vec<(&str, Option<&str>, &str, bool)> = names
            .iter()
            .enumerate()
            .map(|(i, id)| {
                (
                    id.as_str(),
                    i.checked_sub(1).map(|p| names[p].as_str()),
                    "x",
                    false,
                )
            })
            .collect();
        let saved = thread(&lines);
        let fresh = thread(&[("c0", None, "x", false)]);
        let (merged, stats) = merge(&saved, fresh, &[], "t");
        assert_eq!(merged.len(), n);
        assert_eq!(stats.newly_removed, n - 1);
        assert_eq!(
            merged.comment(merged.find(&names[n - 1]).unwrap()).depth as usize,
            n - 1
        );
    }

    #[test]
    fn orphaned_kept_comment_goes_to_the_top() {
        let saved = thread(&[("a", None, "A", false), ("b", Some("a"), "B", false)]);
        let fresh = thread(&[("z", None, "Z", false)]);
        let (merged, _) = merge(&saved, fresh, &[], "t");
        // Where they were: first.
        assert_eq!(ids(&merged), ["a", "b", "z"]);
        assert_eq!(
            merged.comment(merged.find("b").unwrap()).parent,
            merged.find("a")
        );
    }
}
