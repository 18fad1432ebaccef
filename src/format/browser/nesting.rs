//! Who replies to whom: the nesting of comment list items, from their indentation and
//! markers. A loop over an explicit stack of open comments; no recursion.
//!
//! Indentation decides while it grows. It stops growing deep in a thread (lynx after seven
//! levels, w3m after ten), so at equal indentation the marker decides:
//! - a bullet: each level has the next bullet of the browser's cycle, so the same bullet
//!   as the open comment is a sibling, the next bullet is a reply, and a bullet matching an
//!   open comment further up is that comment's sibling;
//! - a number: `WordPress` ordered lists restart at `1.` on every level, so `1.` is a reply
//!   and `n.` is the sibling of the nearest open comment numbered `n - 1`.

use super::lines::Marker;

/// How far up the open comments a sibling's marker is looked for.
const MAX_SEARCH: usize = 256;

/// One open comment: its nesting key (text column), marker and handle in the builder.
#[derive(Clone, Copy, Debug)]
struct Open {
    key: usize,
    marker: Marker,
    handle: usize,
}

/// The chain of open comments from a top-level one down to the latest.
#[derive(Debug)]
pub(crate) struct Nesting {
    stack: Vec<Open>,
    root_key: usize,
    cycle: &'static [char],
}

impl Nesting {
    /// Nesting for a list whose top-level items have their text at `root_key`, with the
    /// browser's bullet `cycle` (used to tell a reply from a sibling at equal indentation).
    pub fn new(root_key: usize, cycle: &'static [char]) -> Self {
        Self {
            stack: Vec::new(),
            root_key,
            cycle,
        }
    }

    /// The parent of a comment opening with `marker` at `key`: `None` for top-level.
    pub fn parent_of(&mut self, key: usize, marker: Marker) -> Option<usize> {
        while self.stack.last().is_some_and(|top| top.key > key) {
            self.stack.pop();
        }
        if key <= self.root_key {
            self.stack.clear();
            return None;
        }
        let top = *self.stack.last()?;
        if top.key < key {
            return Some(top.handle);
        }
        // Equal indentation: a sibling of some open comment at this key, or a reply.
        let sibling_of = match marker {
            Marker::Bullet(_) if top.marker == marker => Some(self.stack.len() - 1),
            Marker::Bullet(b) if b == self.next_bullet(top.marker) => None,
            Marker::Number(1) => None,
            Marker::Bullet(_) => Some(self.nearest_at(key, marker)),
            Marker::Number(n) => Some(self.nearest_at(key, Marker::Number(n - 1))),
        };
        match sibling_of {
            None => Some(top.handle),
            Some(i) => {
                self.stack.truncate(i);
                self.stack.last().map(|o| o.handle)
            }
        }
    }

    /// Records the comment just placed as the deepest open one.
    pub fn opened(&mut self, key: usize, marker: Marker, handle: usize) {
        self.stack.push(Open {
            key,
            marker,
            handle,
        });
    }

    /// The nearest open comment at `key` opened with `marker` (looking at most
    /// [`MAX_SEARCH`] levels up, so hostile input stays linear), else the deepest one.
    fn nearest_at(&self, key: usize, marker: Marker) -> usize {
        let found = self
            .stack
            .iter()
            .enumerate()
            .rev()
            .take(MAX_SEARCH)
            .take_while(|(_, o)| o.key == key)
            .find(|(_, o)| o.marker == marker)
            .map(|(i, _)| i);
        found.unwrap_or(self.stack.len() - 1)
    }

    fn next_bullet(&self, marker: Marker) -> char {
        match marker {
            Marker::Bullet(b) => self
                .cycle
                .iter()
                .position(|c| *c == b)
                .map_or('\0', |i| self.cycle[(i + 1) % self.cycle.len()]),
            Marker::Number(_) => '\0',
        }
    }
}
