//! One source of truth for search and filter state (issue 17 item 6): which filter the tree
//! shows is `reading.view` alone, and a live search goes back to where the prompt opened
//! (folds, zoom, selection, view) without a copy of the tree.

use crate::common;

use common::{app, selected_author, thread, typed};
use threadr::app::{App, ViewFilter, run_keys};

const SPEC: &str = "
alice Talking about the harbour.
. bob nothing to see here
. . carol the harbour again
dave unrelated words
. erin HARBOUR in capitals
frank last words
";

fn authors_shown(a: &App) -> Vec<String> {
    (0..a.tree.len())
        .map(|r| {
            let idx = a.tree.comment_at(r).unwrap();
            a.thread
                .comment(idx)
                .author
                .as_deref()
                .unwrap_or_default()
                .to_string()
        })
        .collect()
}

#[test]
fn each_keystroke_closes_what_the_last_match_unfolded() {
    let mut a = app(thread("T", SPEC));
    run_keys(&mut a, "C j");
    assert_eq!(authors_shown(&a), ["alice", "dave", "frank"]);
    run_keys(&mut a, "/");
    typed(&mut a, "again");
    assert_eq!(selected_author(&a), "carol");
    assert_eq!(
        authors_shown(&a),
        ["alice", "bob", "carol", "dave", "frank"]
    );
    // Back to nothing typed: the folds carol's match opened are closed again.
    run_keys(&mut a, "Backspace Backspace Backspace Backspace Backspace");
    assert_eq!(authors_shown(&a), ["alice", "dave", "frank"]);
    assert_eq!(selected_author(&a), "dave");
    // Another match in another fold: only its own ancestors open.
    typed(&mut a, "capitals");
    assert_eq!(selected_author(&a), "erin");
    assert_eq!(authors_shown(&a), ["alice", "dave", "erin", "frank"]);
    run_keys(&mut a, "Esc");
    assert_eq!(authors_shown(&a), ["alice", "dave", "frank"]);
    assert_eq!(selected_author(&a), "dave");
    assert_eq!(a.tree.folded_count(), 3, "the fold count is the one it was");
}

#[test]
fn a_match_outside_the_author_view_drops_it_and_esc_brings_it_back() {
    let mut a = app(thread("T", SPEC));
    run_keys(&mut a, "j j j @ Enter");
    assert_eq!(a.reading.view, ViewFilter::Author("dave".into()));
    assert_eq!(authors_shown(&a), ["dave"]);
    run_keys(&mut a, "/");
    typed(&mut a, "capitals");
    // erin is not dave's: showing her match leaves the author view, and the view says so.
    assert_eq!(selected_author(&a), "erin");
    assert!(a.tree.filter().is_none());
    assert_eq!(a.reading.view, ViewFilter::None);
    run_keys(&mut a, "Esc");
    assert_eq!(a.reading.view, ViewFilter::Author("dave".into()));
    assert_eq!(authors_shown(&a), ["dave"]);
    assert_eq!(selected_author(&a), "dave");
}

#[test]
fn one_filter_at_a_time_and_the_view_names_it() {
    let mut a = app(thread("T", SPEC));
    run_keys(&mut a, "/");
    typed(&mut a, "again");
    run_keys(&mut a, "Enter &");
    assert_eq!(a.reading.view, ViewFilter::Search);
    assert_eq!(authors_shown(&a), ["alice", "bob", "carol"]);
    // `@` replaces the search filter: there is no second flag left saying "filtering".
    run_keys(&mut a, "g @ Enter");
    assert_eq!(a.reading.view, ViewFilter::Author("alice".into()));
    assert_eq!(authors_shown(&a), ["alice"]);
    // `&` again: the search's filter, computed from the matches, replaces the author's.
    run_keys(&mut a, "&");
    assert_eq!(a.reading.view, ViewFilter::Search);
    assert_eq!(authors_shown(&a), ["alice", "bob", "carol"]);
    // A live search while filtering filters to the new query's matches as it is typed.
    run_keys(&mut a, "/");
    typed(&mut a, "capitals");
    assert_eq!(authors_shown(&a), ["dave", "erin"]);
    run_keys(&mut a, "Esc");
    assert_eq!(
        authors_shown(&a),
        ["alice", "bob", "carol"],
        "the old query's filter"
    );
    run_keys(&mut a, "Esc");
    assert_eq!(a.reading.view, ViewFilter::None);
    assert_eq!(a.tree.len(), 6);
}
