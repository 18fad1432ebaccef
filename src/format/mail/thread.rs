//! Threading mail as mail readers do (after Jamie Zawinski's algorithm), without merging
//! by subject: a table by Message-ID; a message's parent is its `In-Reply-To` when that
//! message is in the file, else the nearest id in `References` (last first) that is; with
//! none, it is a root. Messages may come in any order; cycles from forged headers are cut.
//!
//! Everything is a loop over arrays, so a reply chain of any depth threads in linear time.
//! No IO.

use std::collections::HashMap;

/// What threading needs to know about one message.
#[derive(Debug, Default, Clone)]
pub struct Headers {
    /// Its Message-ID, without angle brackets.
    pub id: Option<String>,
    /// The first id of `In-Reply-To`.
    pub in_reply_to: Option<String>,
    /// The ids of `References`, oldest first.
    pub references: Vec<String>,
    /// Seconds since the epoch, for ordering siblings.
    pub date: Option<i64>,
}

/// The threaded messages: a parent per message and the order to lay them out in.
#[derive(Debug, PartialEq, Eq)]
pub struct Threading {
    /// `parent[i]`: the message `i` answers, if it is in the file.
    pub parent: Vec<Option<usize>>,
    /// Roots in date order (ties: file order).
    pub roots: Vec<usize>,
    /// Every message in pre-order: each root followed by its replies, siblings by date.
    pub order: Vec<usize>,
    /// How many cycles among the headers were cut.
    pub cycles_cut: usize,
}

/// Threads `messages` (in file order).
#[must_use]
pub fn thread(messages: &[Headers]) -> Threading {
    let n = messages.len();
    let mut by_id: HashMap<&str, usize> = HashMap::with_capacity(n);
    for (i, m) in messages.iter().enumerate() {
        if let Some(id) = &m.id {
            by_id.entry(id.as_str()).or_insert(i);
        }
    }
    let mut parent: Vec<Option<usize>> = messages
        .iter()
        .enumerate()
        .map(|(i, m)| {
            m.in_reply_to
                .iter()
                .chain(m.references.iter().rev())
                .filter_map(|id| by_id.get(id.as_str()).copied())
                .find(|&p| p != i)
        })
        .collect();

    // Cut cycles: walk up from every message, marking the walk; meeting the current walk
    // again is a cycle, cut just below the meeting point.
    let mut state = vec![0u8; n]; // 0 unseen, 1 on the current walk, 2 done
    let mut walk = Vec::new();
    let mut cycles_cut = 0;
    for start in 0..n {
        let mut at = start;
        while state[at] == 0 {
            state[at] = 1;
            walk.push(at);
            match parent[at] {
                Some(p) if state[p] == 1 => {
                    parent[at] = None;
                    cycles_cut += 1;
                    break;
                }
                Some(p) => at = p,
                None => break,
            }
        }
        for w in walk.drain(..) {
            state[w] = 2;
        }
    }

    let key = |i: &usize| (messages[*i].date.unwrap_or(i64::MAX), *i);
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut roots = Vec::new();
    for (i, p) in parent.iter().enumerate() {
        match p {
            Some(p) => children[*p].push(i),
            None => roots.push(i),
        }
    }
    roots.sort_by_key(key);
    for c in &mut children {
        c.sort_by_key(key);
    }
    let mut order = Vec::with_capacity(n);
    let mut stack: Vec<usize> = roots.iter().rev().copied().collect();
    while let Some(i) = stack.pop() {
        order.push(i);
        stack.extend(children[i].iter().rev());
    }
    Threading {
        parent,
        roots,
        order,
        cycles_cut,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(id: &str, irt: Option<&str>, refs: &[&str], date: i64) -> Headers {
        Headers {
            id: Some(id.into()),
            in_reply_to: irt.map(Into::into),
            references: refs.iter().map(|s| (*s).to_string()).collect(),
            date: Some(date),
        }
    }

    #[test]
    fn in_reply_to_then_references_then_nearest_known_ancestor() {
        let m = [
            h("c", None, &["a", "b"], 3),            // References only: parent b
            h("b", Some("a"), &["a"], 2),            // In-Reply-To
            h("a", None, &[], 1),                    // root, arrives late
            h("d", Some("gone"), &["a", "gone"], 4), // parent missing: under a
            h("e", Some("nowhere"), &[], 5),         // nothing known: a root
        ];
        let t = thread(&m);
        assert_eq!(t.parent, vec![Some(1), Some(2), None, Some(2), None]);
        assert_eq!(t.roots, vec![2, 4]);
        assert_eq!(t.order, vec![2, 1, 0, 3, 4]);
    }

    #[test]
    fn cycles_are_cut_and_self_reference_ignored() {
        let m = [
            h("a", Some("b"), &[], 1),
            h("b", Some("a"), &[], 2),
            h("s", Some("s"), &[], 3),
        ];
        let t = thread(&m);
        assert_eq!(t.cycles_cut, 1);
        assert_eq!(t.order.len(), 3);
        assert_eq!(t.parent[2], None);
        assert_eq!(t.parent.iter().filter(|p| p.is_none()).count(), 2);
    }

    #[test]
    fn a_deep_chain_threads_without_recursion() {
        let n = 100_000;
        let m: Vec<Headers> = (0..n)
            .rev()
            .map(|i| {
                let parent = (i > 0).then(|| format!("m{}", i - 1));
                Headers {
                    id: Some(format!("m{i}")),
                    in_reply_to: parent,
                    references: Vec::new(),
                    date: None,
                }
            })
            .collect();
        let t = thread(&m);
        assert_eq!(t.roots, vec![n - 1]);
        assert_eq!(t.order.first(), Some(&(n - 1)));
        assert_eq!(t.order.last(), Some(&0));
    }
}
