//! Bookmarks and reading state through the keys: m, M, ], [, ', the list, u for new
//! comments, and the position coming back on the next open.

mod common;

use common::{app, selected_author, thread, typed};
use threadr::app::{App, Overlay, Pane, run_keys};
use threadr::store::{Bookmarks, Reader, Store};

const SPEC: &str = "
alice first
. bob reply
carol second
. dave reply
erin third
";

fn store(dir: &std::path::Path) -> Store {
    Store::open_in(dir, Reader::new("tester").unwrap()).unwrap()
}

fn open(dir: &std::path::Path, spec: &str, fresh: bool) -> App {
    let mut a = app(thread("Bookmarked", spec));
    let warnings = a.attach_library(store(dir), "/tmp/bookmarked.txt".into(), fresh);
    let _ = warnings;
    a
}

#[test]
fn m_toggles_and_saves_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = open(dir.path(), SPEC, false);
    run_keys(&mut a, "j m");
    assert!(a.status.as_ref().unwrap().text.contains("Bookmarked"));
    let on_disk = Bookmarks::load(&store(dir.path())).value;
    assert_eq!(on_disk.len(), 1, "saved before the next key");
    run_keys(&mut a, "m");
    assert_eq!(Bookmarks::load(&store(dir.path())).value.len(), 0);
}

#[test]
fn notes_jumps_and_the_list() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = open(dir.path(), SPEC, false);
    run_keys(&mut a, "j M");
    typed(&mut a, "worth rereading");
    run_keys(&mut a, "Enter");
    run_keys(&mut a, "G m g");
    assert_eq!(selected_author(&a), "alice");
    run_keys(&mut a, "]");
    assert_eq!(selected_author(&a), "bob");
    run_keys(&mut a, "]");
    assert_eq!(selected_author(&a), "erin");
    run_keys(&mut a, "]");
    assert_eq!(selected_author(&a), "bob", "wraps around");
    run_keys(&mut a, "[");
    assert_eq!(selected_author(&a), "erin");

    // M again is prefilled with the note.
    run_keys(&mut a, "g j M");
    let Overlay::Prompt(p) = &a.overlay else {
        panic!("prompt")
    };
    assert_eq!(p.input, "worth rereading");
    run_keys(&mut a, "Esc");

    run_keys(&mut a, "g '");
    let Overlay::List(view) = &a.overlay else {
        panic!("list open")
    };
    let texts: Vec<&str> = view.entries.iter().map(|e| e.text.as_str()).collect();
    assert!(
        texts
            .iter()
            .any(|t| t.contains("bob") && t.contains("reply")),
        "{texts:?}"
    );
    assert!(
        view.entries
            .iter()
            .any(|e| e.detail.as_deref() == Some("note: worth rereading"))
    );
    run_keys(&mut a, "Enter");
    assert_eq!(a.overlay, Overlay::None);
    assert_eq!(selected_author(&a), "bob", "Enter jumps to the bookmark");

    // d in the list deletes; M edits.
    run_keys(&mut a, "' j d");
    assert_eq!(Bookmarks::load(&store(dir.path())).value.len(), 1);
    run_keys(&mut a, "M");
    typed(&mut a, "!");
    run_keys(&mut a, "Enter Esc");
    let b = Bookmarks::load(&store(dir.path())).value;
    assert_eq!(b.threads()[0].bookmarks[0].note, "worth rereading!");
}

#[test]
fn the_article_can_be_bookmarked() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = open(dir.path(), SPEC, false);
    run_keys(&mut a, "Tab m");
    assert_eq!(a.focus, Pane::Article);
    let b = Bookmarks::load(&store(dir.path())).value;
    assert_eq!(b.threads()[0].bookmarks[0].comment, None);
}

#[test]
fn position_and_folds_come_back_and_new_comments_are_marked() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = open(dir.path(), SPEC, false);
    run_keys(&mut a, "} h");
    assert_eq!(selected_author(&a), "carol");
    run_keys(&mut a, "");
    let state = a.reading_state().unwrap();
    store(dir.path()).save_state(&a.thread.key, &state).unwrap();

    // A newer save of the same thread with one more reply.
    let newer = format!("{SPEC}\n. frank a new reply to erin");
    let mut b = open(dir.path(), &newer, false);
    assert_eq!(selected_author(&b), "carol", "focus restored");
    assert_eq!(b.tree.len(), 5, "carol stays folded");
    let lib = b.library.as_ref().unwrap();
    assert_eq!(lib.new.len(), 1, "frank is new");
    run_keys(&mut b, "u");
    assert_eq!(selected_author(&b), "frank");

    // --fresh: same markers, but no restoring.
    let c = open(dir.path(), &newer, true);
    assert_eq!(selected_author(&c), "alice");
}

#[test]
fn a_bookmark_survives_a_resave_with_more_comments() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = open(dir.path(), SPEC, false);
    run_keys(&mut a, "} j m");
    assert_eq!(selected_author(&a), "dave");
    let newer = format!("zoe a brand new first comment\n{SPEC}");
    let mut b = open(dir.path(), &newer, false);
    run_keys(&mut b, "g ]");
    assert_eq!(selected_author(&b), "dave");
    // A copy without dave keeps the bookmark, marked as not in this copy.
    let older = "alice first\n. bob reply\ncarol second";
    let mut c = open(dir.path(), older, false);
    run_keys(&mut c, "'");
    let Overlay::List(view) = &c.overlay else {
        panic!("list")
    };
    assert!(
        view.entries
            .iter()
            .any(|e| e.text.contains("not in this copy"))
    );
}

#[test]
fn editing_a_note_in_the_list_keeps_the_selection_and_shows_the_note() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = open(dir.path(), SPEC, false);
    run_keys(&mut a, "m j m j m '");
    // Entries: heading, alice, bob, carol. Select bob and give him a note.
    run_keys(&mut a, "j M");
    typed(&mut a, "bob's");
    run_keys(&mut a, "Enter");
    let Overlay::List(view) = &a.overlay else {
        panic!("back in the list")
    };
    let selected = &view.entries[view.selected];
    assert!(selected.text.contains("bob"), "{}", selected.text);
    assert_eq!(selected.detail.as_deref(), Some("note: bob's"));
    // d now deletes bob, not the first entry.
    run_keys(&mut a, "d");
    let Overlay::List(view) = &a.overlay else {
        panic!("list")
    };
    let texts: Vec<&str> = view.entries.iter().map(|e| e.text.as_str()).collect();
    assert!(texts.iter().any(|t| t.contains("alice")), "{texts:?}");
    assert!(!texts.iter().any(|t| t.contains("bob")), "{texts:?}");
    assert!(
        view.entries[view.selected].text.contains("carol"),
        "selection moves to the next"
    );
}

#[test]
fn enter_on_another_threads_bookmark_says_where_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let mut other = app(thread("Another thread", "zed words"));
    other.attach_library(store(dir.path()), "/data/other.txt".into(), false);
    run_keys(&mut other, "m");
    let mut a = open(dir.path(), SPEC, false);
    run_keys(&mut a, "'");
    let Overlay::List(view) = &a.overlay else {
        panic!("list")
    };
    let i = view
        .entries
        .iter()
        .position(|e| e.text.contains("zed"))
        .expect("listed");
    let steps = vec!["j"; i - view.selected].join(" ");
    run_keys(&mut a, &format!("{steps} Enter"));
    let status = a.status.as_ref().unwrap().text.clone();
    assert!(status.contains("/data/other.txt"), "{status}");
}
