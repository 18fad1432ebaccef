//! Every user-visible operation, named for intent.
//!
//! The keymap turns keys into these; `App::update` carries them out; the help screen lists
//! them with their keys and the one-line descriptions below, so names and docs live here
//! once. Names (`select_next`) are what the config file's `[keys]` table uses.

macro_rules! actions {
    ($( $(#[$doc:meta])* $variant:ident => $name:literal, $desc:literal; )*) => {
        /// A user-visible operation.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Action {
            $( $(#[$doc])* $variant, )*
            /// Show replies down to this depth (1-9) and fold the rest.
            ShowDepth(u8),
        }

        impl Action {
            /// Every action, in help order (`ShowDepth` once per digit).
            pub const ALL: &'static [Action] = &[
                $( Action::$variant, )*
                Action::ShowDepth(1), Action::ShowDepth(2), Action::ShowDepth(3),
                Action::ShowDepth(4), Action::ShowDepth(5), Action::ShowDepth(6),
                Action::ShowDepth(7), Action::ShowDepth(8), Action::ShowDepth(9),
            ];

            /// The name used in the config file and the help screen.
            #[must_use]
            pub fn name(self) -> &'static str {
                match self {
                    $( Action::$variant => $name, )*
                    Action::ShowDepth(d) => DEPTH_NAMES[usize::from(d.clamp(1, 9)) - 1],
                }
            }

            /// One line saying what it does.
            #[must_use]
            pub fn description(self) -> &'static str {
                match self {
                    $( Action::$variant => $desc, )*
                    Action::ShowDepth(_) => "Show replies down to this depth, fold deeper ones",
                }
            }
        }
    };
}

const DEPTH_NAMES: [&str; 9] = [
    "show_depth_1",
    "show_depth_2",
    "show_depth_3",
    "show_depth_4",
    "show_depth_5",
    "show_depth_6",
    "show_depth_7",
    "show_depth_8",
    "show_depth_9",
];

actions! {
    /// Leave threadr, saving the reading position.
    Quit => "quit", "Quit, saving your place";
    /// Open the key help.
    Help => "help", "Show this help";
    /// Move focus between the article and the comments.
    SwitchPane => "switch_pane", "Switch between article and comments";
    /// Close an overlay, cancel a prompt.
    Cancel => "cancel", "Close the overlay, cancel the prompt, else clear the filter and search";
    /// Force a full repaint.
    Redraw => "redraw", "Redraw the whole screen";
    /// Stop threadr and give the shell back (`fg` resumes).
    Suspend => "suspend", "Suspend to the shell (resume with fg)";
    /// Give the article more room.
    GrowSplit => "grow_split", "Widen the article pane";
    /// Give the comments more room.
    ShrinkSplit => "shrink_split", "Narrow the article pane";
    /// Select the next visible comment.
    SelectNext => "select_next", "Next comment";
    /// Select the previous visible comment.
    SelectPrev => "select_prev", "Previous comment";
    /// Next comment at the same level.
    NextSibling => "next_sibling", "Next sibling (same level)";
    /// Previous comment at the same level.
    PrevSibling => "prev_sibling", "Previous sibling (same level)";
    /// The comment this one answers.
    SelectParent => "select_parent", "Parent comment";
    /// The next top-level comment.
    NextTopLevel => "next_top_level", "Next top-level comment";
    /// The previous top-level comment.
    PrevTopLevel => "prev_top_level", "Previous top-level comment";
    /// Unfold the selected comment, or go to its first reply when open.
    Expand => "expand", "Unfold, or go to the first reply";
    /// Fold the selected comment, or go to its parent when folded.
    Fold => "fold", "Fold, or go to the parent";
    /// Fold or unfold the selected comment.
    ToggleFold => "toggle_fold", "Fold or unfold the comment";
    /// Fold every comment with replies.
    FoldAll => "fold_all", "Fold everything";
    /// Unfold every comment.
    ExpandAll => "expand_all", "Unfold everything";
    /// Go to the first comment, or the top of the article.
    First => "first", "First comment / top of the article";
    /// Go to the last comment, or the end of the article.
    Last => "last", "Last comment / end of the article";
    /// Move half a page down.
    HalfPageDown => "half_page_down", "Half a page down";
    /// Move half a page up.
    HalfPageUp => "half_page_up", "Half a page up";
    /// Move a page down.
    PageDown => "page_down", "A page down";
    /// Move a page up.
    PageUp => "page_up", "A page up";
    /// Scroll the text down one line.
    ScrollDown => "scroll_down", "Scroll the text down a line";
    /// Scroll the text up one line.
    ScrollUp => "scroll_up", "Scroll the text up a line";
    /// Page through the focused comment, then on to the next one.
    ReadOn => "read_on", "Read on: page down the comment, then the next comment";
    /// Page back through the comment, then to the previous one.
    ReadBack => "read_back", "Read back: page up, then the previous comment";
    /// Make the selected comment the root of the tree.
    ZoomIn => "zoom_in", "Zoom into this comment's subthread";
    /// Undo the last zoom.
    ZoomOut => "zoom_out", "Zoom back out";
    /// Start a search.
    Search => "search", "Search the thread";
    /// Next search match.
    SearchNext => "search_next", "Next match";
    /// Previous search match.
    SearchPrev => "search_prev", "Previous match";
    /// Show only matching comments and their ancestors.
    ToggleFilter => "toggle_filter", "Filter the tree to matches";
    /// Toggle regex mode in the search prompt.
    ToggleRegex => "toggle_regex", "Toggle regex search (in the prompt)";
    /// Earlier query in the prompt's history.
    HistoryPrev => "history_prev", "Earlier search (in the prompt)";
    /// Later query in the prompt's history.
    HistoryNext => "history_next", "Later search (in the prompt)";
    /// Accept the prompt.
    Submit => "submit", "Accept (in a prompt)";
    /// Bookmark or un-bookmark the focused comment or article.
    ToggleBookmark => "toggle_bookmark", "Bookmark / unbookmark";
    /// Add or edit the bookmark's note.
    EditNote => "edit_note", "Add or edit the bookmark's note";
    /// Next bookmarked comment.
    NextBookmark => "next_bookmark", "Next bookmark in this thread";
    /// Previous bookmarked comment.
    PrevBookmark => "prev_bookmark", "Previous bookmark in this thread";
    /// Open the bookmark list.
    BookmarkList => "bookmark_list", "List bookmarks (all threads)";
    /// Show the messages of this session, whole.
    MessageLog => "message_log", "Show every message so far, whole (newest first)";
    /// Next comment that is new since the last visit.
    NextNew => "next_new", "Next comment new since your last visit";
    /// Next order of the tree (file, score, newest, oldest, replies).
    SortNext => "sort_next", "Sort: next order (file, score, newest, oldest, replies)";
    /// Previous order of the tree.
    SortPrev => "sort_prev", "Sort: previous order";
    /// Next comment by the focused comment's author (the OP's on the article).
    NextByAuthor => "next_by_author", "Next comment by this author (on the article: the OP)";
    /// Previous comment by the focused comment's author.
    PrevByAuthor => "prev_by_author", "Previous comment by this author";
    /// Filter the tree to one author's comments.
    FilterAuthor => "filter_author", "Filter the tree to one author (prefilled: this one)";
    /// Next unread comment, new ones first.
    NextUnread => "next_unread", "Next unread comment (new ones first)";
    /// Previous unread comment, new ones first.
    PrevUnread => "prev_unread", "Previous unread comment (new ones first)";
    /// Mark the focused comment and its replies read.
    MarkRead => "mark_read", "Mark this comment and its replies read";
    /// Mark the whole thread read (after Enter).
    MarkAllRead => "mark_all_read", "Mark the whole thread read (asks first)";
    /// Hide read comments whose replies are all read.
    ToggleHideRead => "toggle_hide_read", "Hide / show read comments";
    /// Turn the config's rules off and on for this view.
    ToggleRules => "toggle_rules", "Turn the rules of config.toml off / on";
    /// Fetch the thread again (opened by URL) and mark what is new.
    Refresh => "refresh", "Fetch the thread again and mark the new replies (opened by URL)";
    /// Fetch the page a link post links to and show its text as the article.
    FetchArticle => "fetch_article", "Fetch the linked article (HN, Reddit, Lobsters) into the article pane";
    /// List the threads saved from the network; Enter opens one.
    Library => "library", "List the saved threads (opened by URL); Enter opens one";
    /// Open the selected list entry.
    Activate => "activate", "Open the selected entry (in a list; in the links list, copy it)";
    /// Delete the selected list entry.
    Delete => "delete", "Delete the selected entry (in a list)";
    /// Copy the focused comment or article to the clipboard.
    Copy => "copy", "Copy the comment (or article) via the terminal";
    /// Copy the thread's or comment's link.
    CopyLink => "copy_link", "Copy the comment's or thread's URL";
    /// List the links of the focused text.
    Links => "links", "List the links in the comment (or article)";
    /// Show long quotes of the parent in full, or fold them to one line again.
    ToggleQuotes => "toggle_quotes", "Show or fold long quotes of the parent (mail)";
}

impl Action {
    /// Looks an action up by its config-file name.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|a| a.name() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_round_trip() {
        let mut names: Vec<_> = Action::ALL.iter().map(|a| a.name()).collect();
        for a in Action::ALL {
            assert_eq!(Action::from_name(a.name()), Some(*a));
            assert!(!a.description().is_empty());
        }
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Action::ALL.len());
    }
}
