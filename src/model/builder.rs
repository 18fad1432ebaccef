//! Building a [`Thread`]: parsers push comments in document order with a parent, and
//! [`ThreadBuilder::finish`] lays the arena out in pre-order and assigns stable ids.

use super::fingerprint::{fingerprint, hex_id, own_fingerprint};
use super::own_hashes;
use super::{Body, Comment, CommentId, CommentIdx, FrozenStr, Marks, Thread, Timestamp, index_u32};

/// A comment as a parser found it, before it has a place in the arena.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CommentDraft {
    /// The source's own id, when it has one (Reddit, Hacker News, Lobsters, threadr/1).
    pub source_id: Option<String>,
    /// Author name.
    pub author: Option<String>,
    /// When it was written.
    pub created: Option<Timestamp>,
    /// Points or score.
    pub score: Option<i64>,
    /// The text.
    pub body: Body,
    /// Deleted or removed at the source.
    pub deleted: bool,
    /// Replies known to the source but missing from the file.
    pub more: u32,
    /// The comment's permalink.
    pub url: Option<String>,
}

/// Collects a thread while a parser reads it.
#[derive(Debug, Default)]
pub struct ThreadBuilder {
    /// Title of the article.
    pub title: Option<String>,
    /// URL of the thread.
    pub url: Option<String>,
    /// Author of the article.
    pub author: Option<String>,
    /// When the article was published.
    pub created: Option<Timestamp>,
    /// Score of the article.
    pub score: Option<i64>,
    /// The community it was posted in (`r/rust`).
    pub community: Option<String>,
    /// The article text.
    pub body: Body,
    /// The source's own id for the thread (`reddit:3hahrw`), used as its key before the URL.
    pub source_key: Option<String>,
    /// Warnings to hand to the reader.
    pub warnings: Vec<String>,
    /// Replies to the article itself that are missing from the file.
    pub more: u32,
    /// Comments in push order, already in their final shape: `parent` holds the parent's
    /// handle and `id` the source id (empty without one) until `finish`. Built here rather
    /// than kept as drafts, so that `finish` never holds a draft and a comment of the same
    /// reply (drafts beside the arena were an eighth of the peak of a 100,000-comment file).
    /// One vector grown by doubling: its spare capacity is never touched, so never resident.
    comments: Vec<Comment>,
    /// By handle: whether the comment has a source id.
    has_source: Vec<bool>,
    parents: Vec<Option<u32>>,
    /// By handle, the hash of the comment's own fingerprint, taken a batch at a time soon
    /// after `push` (see `own_hashes`); `None` for a comment with a source id, one not
    /// hashed yet, or one whose draft was handed out by [`ThreadBuilder::pushed_mut`] since.
    own: Vec<Option<u64>>,
    /// Comments before this handle have been hashed into `own`.
    hashed: usize,
    /// Threads `own_hashes::hash_batch` may use, asked once per builder (0: not yet).
    threads: usize,
}

impl ThreadBuilder {
    /// An empty builder.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of comments pushed so far.
    #[must_use]
    pub fn len(&self) -> usize {
        self.parents.len()
    }

    /// True when no comment was pushed.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.parents.is_empty()
    }

    /// Adds a comment replying to `parent` (a value returned by an earlier `push`), or to
    /// the article when `None`. Returns the new comment's handle for its replies.
    ///
    /// A parent that is not an earlier comment makes the comment top-level, with a warning.
    pub fn push(&mut self, parent: Option<usize>, draft: CommentDraft) -> usize {
        let own = self.len();
        let parent = match parent {
            Some(p) if p < own => Some(index_u32(p)),
            Some(p) => {
                self.warnings.push(format!(
                    "comment {} names a parent ({p}) that does not precede it; shown as top-level",
                    own + 1
                ));
                None
            }
            None => None,
        };
        self.parents.push(parent);
        self.has_source.push(draft.source_id.is_some());
        self.own.push(None);
        self.comments.push(Comment {
            id: CommentId(draft.source_id.unwrap_or_default().into()),
            parent: parent.map(CommentIdx),
            kids_start: 0,
            depth: 0,
            subtree_end: CommentIdx(0),
            author: draft.author.map(FrozenStr::from),
            created: draft.created,
            score: draft.score,
            body: draft.body,
            deleted: draft.deleted,
            more: draft.more,
            url: draft.url.map(FrozenStr::from),
            marks: Marks::empty(),
        });
        if self.len() - self.hashed >= own_hashes::BATCH {
            self.hash_pending();
        }
        own
    }

    /// Hashes the comments pushed since the last batch.
    fn hash_pending(&mut self) {
        let from = self.hashed;
        // Asking the system costs a few file reads: only for a batch worth two threads.
        if self.threads == 0 && self.len() - from >= own_hashes::PARALLEL_FROM {
            self.threads = own_hashes::threads();
        }
        own_hashes::hash_batch(
            &self.comments[from..],
            &self.has_source[from..],
            &mut self.own[from..],
            self.threads,
        );
        self.hashed = self.len();
    }

    /// Adds `marks` to the comment `handle` (a value returned by [`ThreadBuilder::push`]);
    /// an unknown handle is ignored.
    pub fn mark(&mut self, handle: usize, marks: Marks) {
        if let Some(c) = self.comments.get_mut(handle) {
            c.marks |= marks;
        }
    }

    /// Records `n` replies to `parent` (or to the article) that the file does not contain.
    pub fn add_more(&mut self, parent: Option<usize>, n: u32) {
        // Not through `pushed_mut`: the count is not part of the fingerprint.
        match parent.and_then(|p| self.comments.get_mut(p)) {
            Some(d) => d.more = d.more.saturating_add(n),
            None => self.more = self.more.saturating_add(n),
        }
    }

    /// Mutable access to a pushed comment (for formats that learn more about it later).
    /// Its `parent`, `id`, `children`, `depth` and `subtree_end` are the builder's: `finish`
    /// sets them.
    pub fn pushed_mut(&mut self, handle: usize) -> Option<&mut Comment> {
        // The caller may change the text or the author: hash them again in `finish`.
        if let Some(own) = self.own.get_mut(handle) {
            *own = None;
        }
        self.comments.get_mut(handle)
    }

    /// Lays the comments out in pre-order, links parents and children, assigns ids.
    ///
    /// Memory: the comments were built at `push`; reordering, when needed, permutes them in
    /// place, and the spare capacity of the growing arena is given back.
    #[must_use]
    pub fn finish(mut self) -> Thread {
        self.hash_pending();
        let n = self.len();
        // order[new] = old. Text formats push in document order, which is already pre-order:
        // then the permutation is the identity and no reordering happens.
        let order = (!is_preorder(&self.parents)).then(|| preorder(&self.parents));
        let new_of_old = order.as_ref().map(|order| {
            let mut new_of_old = vec![0u32; n];
            for (new, old) in order.iter().enumerate() {
                new_of_old[*old as usize] = index_u32(new);
            }
            new_of_old
        });

        let mut comments = self.comments;
        comments.shrink_to_fit();
        if let Some(m) = &new_of_old {
            for c in &mut comments {
                if let Some(p) = &mut c.parent {
                    *p = CommentIdx(m[p.get()]);
                }
            }
        }
        let mut has_source = self.has_source;
        drop(self.parents);
        let mut own_hashes = self.own;
        if let Some(order) = &order {
            permute(&mut comments, order);
            has_source = order.iter().map(|old| has_source[*old as usize]).collect();
            own_hashes = order.iter().map(|old| own_hashes[*old as usize]).collect();
        }
        drop(order);
        drop(new_of_old);

        // Depth and ids, parents first.
        let mut roots = Vec::new();
        let mut seen = IdSet::with_capacity(n);
        for new in 0..n {
            let parent = comments[new].parent;
            if let Some(p) = parent {
                comments[new].depth = comments[p.get()].depth + 1;
            }
            let mut placed = false;
            if !has_source[new] {
                // The comment's own author and text, so that editing an ancestor leaves the
                // id alone; the parent's id comes in only to tell an identical comment
                // elsewhere ("+1", "Thanks!") apart, then `~N` as a last resort.
                let c = &comments[new];
                let author = c.author.as_deref().unwrap_or("");
                let own = match own_hashes[new] {
                    Some(hash) => hex_id(hash),
                    None => own_fingerprint("", author, &c.body).into(),
                };
                // One hash and one probe for the usual case, an id no comment holds yet.
                let hash = IdSet::hash(&own);
                if seen.find_hashed(&comments, hash, &own).is_none() {
                    comments[new].id.0 = own;
                    seen.insert(hash, index_u32(new));
                    placed = true;
                } else if let Some(p) = parent {
                    let fp = own_fingerprint(comments[p.get()].id.0.as_str(), author, &c.body);
                    comments[new].id.0 = fp.into();
                } else {
                    comments[new].id.0 = own;
                }
            }
            if !placed && let Some(unique) = seen.insert_unique(&comments, new) {
                comments[new].id.0 = unique.into();
            }
            if parent.is_none() {
                roots.push(CommentIdx(index_u32(new)));
            }
            comments[new].subtree_end = CommentIdx(index_u32(new + 1));
        }
        drop(seen);
        drop(own_hashes);
        // Subtree ends: walk backwards, each comment extends its parent's range. The same
        // pass gives back the spare capacity parsers' pushes left in the block lists.
        for i in (0..comments.len()).rev() {
            comments[i].body.blocks.shrink_to_fit();
            let end = comments[i].subtree_end;
            if let Some(p) = comments[i].parent {
                let pe = &mut comments[p.get()].subtree_end;
                *pe = (*pe).max(end);
            }
        }
        let kids = super::link_children(&mut comments);
        let key = self
            .source_key
            .clone()
            .or_else(|| self.url.clone().filter(|u| !u.trim().is_empty()))
            .unwrap_or_else(|| {
                format!(
                    "fp:{}",
                    fingerprint(&[self.title.as_deref().unwrap_or(""), &self.body.plain_text()])
                )
            });
        Thread {
            title: self.title,
            url: self.url,
            author: self.author,
            created: self.created,
            score: self.score,
            community: self.community,
            body: self.body,
            comments,
            roots,
            kids,
            more: self.more,
            key,
            warnings: self.warnings,
        }
    }
}

/// Reorders `items` in place so that `items[new]` is the old `items[order[new]]`
/// (`order` a permutation), following each cycle once with swaps.
fn permute<T>(items: &mut [T], order: &[u32]) {
    let mut done = vec![false; items.len()];
    for start in 0..items.len() {
        if done[start] {
            continue;
        }
        let mut at = start;
        loop {
            done[at] = true;
            let from = order[at] as usize;
            if from == start {
                break;
            }
            items.swap(at, from);
            at = from;
        }
    }
}

/// The ids given so far, for the rule of [`IdSet::insert_unique`], without a copy of any
/// id: a `hashbrown::HashTable` of comment indices keyed by the id's hash and compared
/// through the arena (the table does the probing on a collision), and for each base id the
/// last `~N` suffix handed out.
struct IdSet {
    slots: hashbrown::HashTable<Slot>,
}

#[derive(Clone, Copy)]
struct Slot {
    /// The id's hash (kept, as the comment holding a fresh `~N` id is not stored yet).
    hash: u64,
    /// The comment whose id this is.
    idx: u32,
    /// Last suffix handed out with this id as the base (1: none yet).
    last: u32,
}

impl IdSet {
    fn with_capacity(n: usize) -> Self {
        Self {
            slots: hashbrown::HashTable::with_capacity(n),
        }
    }

    fn hash(id: &str) -> u64 {
        xxhash_rust::xxh3::xxh3_64(id.as_bytes())
    }

    /// Whether some comment already holds `id`.
    fn contains(&self, comments: &[Comment], id: &str) -> bool {
        self.find(comments, id).is_some()
    }

    fn find(&self, comments: &[Comment], id: &str) -> Option<&Slot> {
        self.find_hashed(comments, Self::hash(id), id)
    }

    /// [`IdSet::find`] with the id's hash already taken.
    fn find_hashed(&self, comments: &[Comment], hash: u64, id: &str) -> Option<&Slot> {
        self.slots
            .find(hash, |s| comments[s.idx as usize].id.0 == id)
    }

    fn insert(&mut self, hash: u64, idx: u32) {
        self.slots
            .insert_unique(hash, Slot { hash, idx, last: 1 }, |s| s.hash);
    }

    /// Records the id of `comments[idx]`; when an earlier comment has it, returns the id to
    /// use instead: the first keeps an id, later ones get `~2`, `~3`... (skipping any taken).
    fn insert_unique(&mut self, comments: &[Comment], idx: usize) -> Option<String> {
        let base = comments[idx].id.0.as_str();
        let own = index_u32(idx);
        let base_hash = Self::hash(base);
        let Some(slot) = self.find_hashed(comments, base_hash, base) else {
            self.insert(base_hash, own);
            return None;
        };
        let base_idx = slot.idx;
        let mut n = slot.last;
        loop {
            n += 1;
            let candidate = format!("{base}~{n}");
            if !self.contains(comments, &candidate) {
                if let Some(slot) = self
                    .slots
                    .find_mut(base_hash, |s| s.hash == base_hash && s.idx == base_idx)
                {
                    slot.last = n;
                }
                // The candidate's slot must point at a comment holding it: this one, once
                // the caller stores it. Until then nothing looks it up.
                self.insert(Self::hash(&candidate), own);
                return Some(candidate);
            }
        }
    }
}

/// Whether push order already is pre-order: each parent is on the path to the comment
/// before it (so every comment directly follows its parent's earlier subtree).
fn is_preorder(parents: &[Option<u32>]) -> bool {
    let mut path: Vec<u32> = Vec::new();
    for (i, parent) in parents.iter().enumerate() {
        if let Some(p) = parent {
            while path.last().is_some_and(|top| top != p) {
                path.pop();
            }
            if path.is_empty() {
                return false;
            }
        } else {
            path.clear();
        }
        path.push(index_u32(i));
    }
    true
}

/// The pre-order permutation (`order[new] = old`), siblings in push order, without recursion.
fn preorder(parents: &[Option<u32>]) -> Vec<u32> {
    let n = parents.len();
    let mut kids: Vec<Vec<u32>> = vec![Vec::new(); n];
    let mut roots = Vec::new();
    for (i, p) in parents.iter().enumerate() {
        match p {
            Some(p) => kids[*p as usize].push(index_u32(i)),
            None => roots.push(index_u32(i)),
        }
    }
    let mut order: Vec<u32> = Vec::with_capacity(n);
    let mut stack: Vec<u32> = roots.iter().rev().copied().collect();
    while let Some(old) = stack.pop() {
        order.push(old);
        stack.extend(kids[old as usize].iter().rev().copied());
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(text: &str) -> CommentDraft {
        CommentDraft {
            body: Body::from_plain(text),
            ..CommentDraft::default()
        }
    }

    /// Across batches (hashed as they fill, on two threads where there are two): every id
    /// is its comment's own fingerprint, also for a text changed through `pushed_mut` after
    /// its batch was hashed, before, and in the last, partial batch.
    #[test]
    fn ids_hashed_in_batches_match_the_final_text() {
        let n = own_hashes::BATCH * 3 + 100;
        let mut b = ThreadBuilder::new();
        for i in 0..n {
            b.push(None, draft(&format!("comment {i}")));
            if i == own_hashes::BATCH + 10 {
                // Hashed in the first batch already, and one in the batch still filling.
                b.pushed_mut(3).expect("pushed").body = Body::from_plain("changed early");
                b.pushed_mut(i - 1).expect("pushed").body = Body::from_plain("changed late");
            }
        }
        let t = b.finish();
        assert_eq!(t.comments.len(), n);
        for (i, c) in t.comments.iter().enumerate() {
            let text = match i {
                3 => "changed early".to_owned(),
                _ if i == own_hashes::BATCH + 9 => "changed late".to_owned(),
                _ => format!("comment {i}"),
            };
            assert_eq!(
                c.id.0.as_str(),
                own_fingerprint("", "", &Body::from_plain(&text)),
                "comment {i}"
            );
        }
    }

    /// Ids hashed at `push` are the ones `finish` would hash: after `pushed_mut` changed the
    /// text, and when `finish` reorders the comments.
    #[test]
    fn ids_hashed_at_push_match_the_final_text() {
        let mut later = ThreadBuilder::new();
        let h = later.push(None, draft("placeholder"));
        later.pushed_mut(h).expect("pushed").body = Body::from_plain("the real text");
        later.add_more(Some(h), 2);
        let mut direct = ThreadBuilder::new();
        direct.push(None, draft("the real text"));
        let (later, direct) = (later.finish(), direct.finish());
        assert_eq!(later.comments[0].id, direct.comments[0].id);
        assert_eq!(
            later.comments[0].id.0.as_str(),
            own_fingerprint("", "", &Body::from_plain("the real text"))
        );

        let mut b = ThreadBuilder::new();
        let a = b.push(None, draft("a"));
        let c = b.push(None, draft("c"));
        b.push(Some(c), draft("c1"));
        b.push(Some(a), draft("a1"));
        let t = b.finish();
        for c in &t.comments {
            assert_eq!(c.id.0.as_str(), own_fingerprint("", "", &c.body));
        }
    }

    #[test]
    fn preorder_detection() {
        assert!(is_preorder(&[
            None,
            Some(0),
            Some(1),
            Some(0),
            None,
            Some(4)
        ]));
        assert!(!is_preorder(&[None, None, Some(0)]));
        assert!(!is_preorder(&[None, Some(0), Some(1), None, Some(2)]));
    }

    #[test]
    fn finish_orders_preorder_and_links() {
        let mut b = ThreadBuilder::new();
        let a = b.push(None, draft("a"));
        let c = b.push(None, draft("c"));
        let _a1 = b.push(Some(a), draft("a1"));
        let _c1 = b.push(Some(c), draft("c1"));
        let t = b.finish();
        let texts: Vec<_> = t.comments.iter().map(|c| c.body.plain_text()).collect();
        assert_eq!(texts, ["a", "a1", "c", "c1"]);
        assert_eq!(t.roots, [CommentIdx(0), CommentIdx(2)]);
        assert_eq!(t.comments[0].subtree_end, CommentIdx(2));
        assert_eq!(t.comments[1].depth, 1);
        assert_eq!(t.position_path(CommentIdx(3)), [2, 1]);
    }

    #[test]
    fn identical_siblings_get_distinct_stable_ids() {
        let build = |extra: bool| {
            let mut b = ThreadBuilder::new();
            let p = b.push(None, draft("parent"));
            b.push(Some(p), draft("+1"));
            b.push(Some(p), draft("+1"));
            if extra {
                b.push(Some(p), draft("a new reply"));
            }
            b.finish()
        };
        let (old, new) = (build(false), build(true));
        assert_ne!(old.comments[1].id, old.comments[2].id);
        for i in 0..3 {
            assert_eq!(old.comments[i].id, new.comments[i].id);
        }
    }

    #[test]
    fn deep_chain_builds_and_drops_without_recursion() {
        let mut b = ThreadBuilder::new();
        let mut parent = None;
        for i in 0..100_000 {
            parent = Some(b.push(parent, draft(&format!("level {i}"))));
        }
        let t = b.finish();
        assert_eq!(t.comments[99_999].depth, 99_999);
        assert_eq!(t.comments[0].subtree_end, CommentIdx(100_000));
        drop(t);
    }

    #[test]
    fn permute_follows_cycles() {
        let mut items = ['a', 'b', 'c', 'd', 'e'];
        permute(&mut items, &[2, 0, 3, 1, 4]);
        assert_eq!(items, ['c', 'a', 'd', 'b', 'e']);
    }

    #[test]
    fn suffixes_skip_ids_already_taken() {
        let mut b = ThreadBuilder::new();
        for id in ["x~2", "x", "x", "x"] {
            b.push(
                None,
                CommentDraft {
                    source_id: Some(id.into()),
                    ..draft("t")
                },
            );
        }
        let t = b.finish();
        let ids: Vec<_> = t.comments.iter().map(|c| c.id.0.as_str()).collect();
        assert_eq!(ids, ["x~2", "x", "x~3", "x~4"]);
    }

    #[test]
    fn out_of_order_pushes_reorder_and_link() {
        // Every root first, then one reply to each root, in reverse: far from pre-order.
        let roots = 4196;
        let mut b = ThreadBuilder::new();
        let handles: Vec<usize> = (0..roots)
            .map(|i| b.push(None, draft(&format!("root {i}"))))
            .collect();
        for (i, h) in handles.iter().enumerate().rev() {
            b.push(Some(*h), draft(&format!("reply to {i}")));
        }
        let late = handles[4099];
        b.pushed_mut(late).expect("pushed").more = 7;
        b.add_more(Some(handles[1]), 2);
        let t = b.finish();
        assert_eq!(t.len(), 2 * roots);
        for (i, root) in t.roots.iter().enumerate() {
            let c = t.comment(*root);
            assert_eq!(c.body.plain_text(), format!("root {i}"));
            assert_eq!(*t.children(*root), [CommentIdx(root.0 + 1)]);
            assert_eq!(c.subtree_end, CommentIdx(root.0 + 2));
            let reply = t.comment(t.children(*root)[0]);
            assert_eq!(reply.body.plain_text(), format!("reply to {i}"));
            assert_eq!((reply.parent, reply.depth), (Some(*root), 1));
        }
        assert_eq!(t.comment(t.roots[4099]).more, 7);
        assert_eq!(t.comment(t.roots[1]).more, 2);
        let ids: std::collections::HashSet<_> = t.comments.iter().map(|c| &c.id).collect();
        assert_eq!(ids.len(), t.len());
    }

    #[test]
    fn duplicate_source_ids_still_unique() {
        let mut b = ThreadBuilder::new();
        for _ in 0..3 {
            b.push(
                None,
                CommentDraft {
                    source_id: Some("x".into()),
                    ..draft("t")
                },
            );
        }
        let t = b.finish();
        let ids: Vec<_> = t.comments.iter().map(|c| c.id.0.as_str()).collect();
        assert_eq!(ids, ["x", "x~2", "x~3"]);
    }
}
