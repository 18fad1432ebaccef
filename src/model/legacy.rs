//! The ids threadr gave fingerprinted comments before they stopped depending on the parent:
//! a fingerprint of the parent's (old) id, the author and the text, made unique with `~N` in
//! document order. Only for finding saved bookmarks and reading states made with those ids;
//! nothing new is saved with them. No IO.

use std::collections::{HashMap, HashSet};

use super::fingerprint::{comment_fingerprint, own_fingerprint};
use super::{CommentId, Thread};

impl Thread {
    /// Each comment's id under the old rule, by index. Comments whose id came from the
    /// source keep it. O(comments), one or two hashes of each text.
    #[must_use]
    pub fn legacy_ids(&self) -> Vec<CommentId> {
        let mut out: Vec<CommentId> = Vec::with_capacity(self.comments.len());
        let mut taken: HashSet<String> = HashSet::with_capacity(self.comments.len());
        let mut last: HashMap<String, u32> = HashMap::new();
        for c in &self.comments {
            let author = c.author.as_deref().unwrap_or("");
            let base = c.id.0.split_once('~').map_or(c.id.0.as_str(), |(b, _)| b);
            let parent_id = c.parent.map(|p| self.comment(p).id.0.as_str());
            let fingerprinted = base == own_fingerprint("", author, &c.body)
                || parent_id.is_some_and(|p| base == own_fingerprint(p, author, &c.body));
            if !fingerprinted {
                taken.insert(c.id.0.to_string());
                out.push(c.id.clone());
                continue;
            }
            let legacy_parent = c.parent.map_or("", |p| out[p.get()].0.as_str());
            let old = comment_fingerprint(legacy_parent, author, &c.body);
            let id = if taken.contains(&old) {
                let n = last.entry(old.clone()).or_insert(1);
                loop {
                    *n += 1;
                    let candidate = format!("{old}~{n}");
                    if !taken.contains(&candidate) {
                        break candidate;
                    }
                }
            } else {
                old
            };
            taken.insert(id.clone());
            out.push(CommentId(id.into()));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{Body, CommentDraft, ThreadBuilder};

    fn draft(text: &str) -> CommentDraft {
        CommentDraft {
            author: Some("ann".into()),
            body: Body::from_plain(text),
            ..CommentDraft::default()
        }
    }

    #[test]
    fn legacy_ids_chain_through_parents_and_keep_source_ids() {
        let mut b = ThreadBuilder::new();
        let root = b.push(None, draft("root"));
        let reply = b.push(Some(root), draft("reply"));
        b.push(Some(reply), draft("deeper"));
        b.push(
            Some(root),
            CommentDraft {
                source_id: Some("src7".into()),
                ..draft("sourced")
            },
        );
        let t = b.finish();
        let legacy = t.legacy_ids();
        let fp = |parent: &str, text: &str| {
            super::comment_fingerprint(parent, "ann", &Body::from_plain(text))
        };
        let l0 = fp("", "root");
        let l1 = fp(&l0, "reply");
        let l2 = fp(&l1, "deeper");
        let got: Vec<&str> = legacy.iter().map(|c| c.0.as_str()).collect();
        assert_eq!(got, [l0.as_str(), l1.as_str(), l2.as_str(), "src7"]);
        // The new ids of replies no longer chain through their parents.
        assert_eq!(
            t.comments[2].id.0.as_str(),
            super::own_fingerprint("", "ann", &Body::from_plain("deeper"))
        );
    }

    #[test]
    fn legacy_duplicates_get_suffixes_in_document_order() {
        let mut b = ThreadBuilder::new();
        let p = b.push(None, draft("parent"));
        b.push(Some(p), draft("+1"));
        b.push(Some(p), draft("+1"));
        let t = b.finish();
        let legacy = t.legacy_ids();
        assert_eq!(legacy[2].0.as_str(), format!("{}~2", legacy[1].0));
    }
}
