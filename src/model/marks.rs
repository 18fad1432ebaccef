//! What a source says about a comment besides its text: killed or flagged on Hacker News,
//! edited or distinguished (moderator, admin) on Reddit, or a reply whose parent level is
//! missing from the file. One byte per comment, named by the words threadr/1 writes and the
//! reader shows. No IO, no ratatui.

use bitflags::bitflags;

bitflags! {
    /// The markers of one comment (none for most).
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
    pub struct Marks: u8 {
        /// Killed by moderators or software (Hacker News `dead`); the text is still there.
        const DEAD = 1;
        /// Flagged by readers (Hacker News `[flagged]`).
        const FLAGGED = 1 << 1;
        /// Edited after posting (Reddit `edited`).
        const EDITED = 1 << 2;
        /// Written as a moderator of the community (Reddit `distinguished: "moderator"`).
        const MODERATOR = 1 << 3;
        /// Written as a site admin (Reddit `distinguished: "admin"`).
        const ADMIN = 1 << 4;
        /// Distinguished in some other way (Reddit `distinguished: "special"`).
        const SPECIAL = 1 << 5;
        /// Indented deeper than one level below the comment before it: the levels between
        /// are missing from the file, so the parent shown is the nearest one present.
        const LEVEL_GAP = 1 << 6;
        /// A pingback or trackback (a link from another site, WordPress `li.pingback`): it
        /// has no author by nature, so it is not shown as a deleted one.
        const PINGBACK = 1 << 7;
    }
}

/// Each marker with its name (threadr/1 and the header) and its short tag (tree rows; empty
/// when the tree row does not show it).
const NAMES: [(Marks, &str, &str); 8] = [
    (Marks::DEAD, "dead", "[dead]"),
    (Marks::FLAGGED, "flagged", "[flagged]"),
    (Marks::MODERATOR, "moderator", "[mod]"),
    (Marks::ADMIN, "admin", "[admin]"),
    (Marks::SPECIAL, "distinguished", ""),
    (Marks::EDITED, "edited", ""),
    (Marks::LEVEL_GAP, "level-gap", "⋮"),
    (Marks::PINGBACK, "pingback", "[pingback]"),
];

impl Marks {
    /// The names of the markers set, in a fixed order (`["dead", "edited"]`).
    #[must_use]
    pub fn names(self) -> Vec<&'static str> {
        NAMES
            .iter()
            .filter(|(m, _, _)| self.contains(*m))
            .map(|(_, name, _)| *name)
            .collect()
    }

    /// The marker called `name` (as [`Marks::names`] writes it); `None` for a name this
    /// version does not know, which readers ignore so newer files still open.
    #[must_use]
    pub fn from_marker_name(name: &str) -> Option<Self> {
        NAMES
            .iter()
            .find(|(_, n, _)| *n == name)
            .map(|(m, _, _)| *m)
    }

    /// The short tags a tree row shows, joined by spaces (`"[dead] [flagged]"`), or "".
    #[must_use]
    pub fn tags(self) -> String {
        NAMES
            .iter()
            .filter(|(m, _, tag)| self.contains(*m) && !tag.is_empty())
            .map(|(_, _, tag)| *tag)
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The words the comment header shows for each marker set.
    #[must_use]
    pub fn describe(self) -> Vec<&'static str> {
        NAMES
            .iter()
            .filter(|(m, _, _)| self.contains(*m))
            .map(|(m, name, _)| {
                if *m == Marks::LEVEL_GAP {
                    "reply to a level missing from the file"
                } else {
                    name
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_unknown_is_none() {
        for (m, name, _) in NAMES {
            assert_eq!(Marks::from_marker_name(name), Some(m));
        }
        assert_eq!(Marks::from_marker_name("sparkly"), None);
        let all = Marks::all();
        assert_eq!(all.names().len(), NAMES.len());
        let back = all
            .names()
            .into_iter()
            .filter_map(Marks::from_marker_name)
            .fold(Marks::empty(), |a, m| a | m);
        assert_eq!(back, all);
    }

    #[test]
    fn tags_skip_quiet_markers() {
        assert_eq!((Marks::DEAD | Marks::EDITED).tags(), "[dead]");
        assert_eq!(Marks::empty().tags(), "");
        assert_eq!(Marks::EDITED.describe(), ["edited"]);
    }
}
