//! Bookmarks and reading state through the keys: m, M, ], [, ', the list, u for new
//! comments, and the position coming back on the next open.

use crate::common;

use common::{app, selected_author, thread, typed};
use threadr::app::{
    App, Effect, Overlay, Pane, StatusKind, StoreBackend, StoreDone, StoreOp, StoreReply, run_keys,
    run_keys_with,
};
use threadr::driver::DiskStore;
use threadr::store::{Bookmarks, Reader, Store, StoreError};

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

/// An app over `spec` with the reader's files in `dir` read as the driver reads them, and
/// the disk store its keys' store effects go to.
fn open(dir: &std::path::Path, spec: &str, fresh: bool) -> (App, DiskStore) {
    attached(
        thread("Bookmarked", spec),
        dir,
        "/tmp/bookmarked.txt",
        fresh,
    )
}

fn attached(
    thread: threadr::model::Thread,
    dir: &std::path::Path,
    source: &str,
    fresh: bool,
) -> (App, DiskStore) {
    let mut a = app(thread);
    let (disk, files) = DiskStore::open(store(dir), &a.thread);
    let _warnings = a.attach_library(files, source.into(), fresh);
    (a, disk)
}

#[test]
fn m_toggles_and_saves_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, mut a_disk) = open(dir.path(), SPEC, false);
    run_keys_with(&mut a, &mut a_disk, "j m");
    assert!(a.status.as_ref().unwrap().text.contains("Bookmarked"));
    let on_disk = Bookmarks::load(&store(dir.path())).value;
    assert_eq!(on_disk.len(), 1, "saved before the next key");
    run_keys_with(&mut a, &mut a_disk, "m");
    assert_eq!(Bookmarks::load(&store(dir.path())).value.len(), 0);
}

#[test]
fn notes_jumps_and_the_list() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, mut a_disk) = open(dir.path(), SPEC, false);
    run_keys_with(&mut a, &mut a_disk, "j M");
    typed(&mut a, "worth rereading");
    run_keys_with(&mut a, &mut a_disk, "Enter");
    run_keys_with(&mut a, &mut a_disk, "G m g");
    assert_eq!(selected_author(&a), "alice");
    run_keys_with(&mut a, &mut a_disk, "]");
    assert_eq!(selected_author(&a), "bob");
    run_keys_with(&mut a, &mut a_disk, "]");
    assert_eq!(selected_author(&a), "erin");
    run_keys_with(&mut a, &mut a_disk, "]");
    assert_eq!(selected_author(&a), "bob", "wraps around");
    run_keys_with(&mut a, &mut a_disk, "[");
    assert_eq!(selected_author(&a), "erin");

    // M again is prefilled with the note.
    run_keys_with(&mut a, &mut a_disk, "g j M");
    let Overlay::Prompt(p) = &a.overlay else {
        panic!("prompt")
    };
    assert_eq!(p.input, "worth rereading");
    run_keys_with(&mut a, &mut a_disk, "Esc");

    run_keys_with(&mut a, &mut a_disk, "g '");
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
    run_keys_with(&mut a, &mut a_disk, "Enter");
    assert_eq!(a.overlay, Overlay::None);
    assert_eq!(selected_author(&a), "bob", "Enter jumps to the bookmark");

    // d in the list deletes; M edits.
    run_keys_with(&mut a, &mut a_disk, "' j d");
    assert_eq!(Bookmarks::load(&store(dir.path())).value.len(), 1);
    run_keys_with(&mut a, &mut a_disk, "M");
    typed(&mut a, "!");
    run_keys_with(&mut a, &mut a_disk, "Enter Esc");
    let b = Bookmarks::load(&store(dir.path())).value;
    assert_eq!(b.threads()[0].bookmarks[0].note, "worth rereading!");
}

#[test]
fn the_article_can_be_bookmarked() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, mut a_disk) = open(dir.path(), SPEC, false);
    run_keys_with(&mut a, &mut a_disk, "Tab m");
    assert_eq!(a.focus, Pane::Article);
    let b = Bookmarks::load(&store(dir.path())).value;
    assert_eq!(b.threads()[0].bookmarks[0].comment, None);
}

#[test]
fn position_and_folds_come_back_and_new_comments_are_marked() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, mut a_disk) = open(dir.path(), SPEC, false);
    run_keys_with(&mut a, &mut a_disk, "} h");
    assert_eq!(selected_author(&a), "carol");
    run_keys_with(&mut a, &mut a_disk, "");
    let state = a.reading_state().unwrap();
    store(dir.path()).save_state(&a.thread.key, &state).unwrap();

    // A newer save of the same thread with one more reply.
    let newer = format!("{SPEC}\n. frank a new reply to erin");
    let (mut b, mut b_disk) = open(dir.path(), &newer, false);
    assert_eq!(selected_author(&b), "carol", "focus restored");
    assert_eq!(b.tree.len(), 5, "carol stays folded");
    let lib = b.library.as_ref().unwrap();
    assert_eq!(lib.new.len(), 1, "frank is new");
    run_keys_with(&mut b, &mut b_disk, "u");
    assert_eq!(selected_author(&b), "frank");

    // --fresh: same markers, but no restoring.
    let (c, _) = open(dir.path(), &newer, true);
    assert_eq!(selected_author(&c), "alice");
}

#[test]
fn a_bookmark_survives_a_resave_with_more_comments() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, mut a_disk) = open(dir.path(), SPEC, false);
    run_keys_with(&mut a, &mut a_disk, "} j m");
    assert_eq!(selected_author(&a), "dave");
    let newer = format!("zoe a brand new first comment\n{SPEC}");
    let (mut b, mut b_disk) = open(dir.path(), &newer, false);
    run_keys_with(&mut b, &mut b_disk, "g ]");
    assert_eq!(selected_author(&b), "dave");
    // A copy without dave keeps the bookmark, marked as not in this copy.
    let older = "alice first\n. bob reply\ncarol second";
    let (mut c, mut c_disk) = open(dir.path(), older, false);
    run_keys_with(&mut c, &mut c_disk, "'");
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
    let (mut a, mut a_disk) = open(dir.path(), SPEC, false);
    run_keys_with(&mut a, &mut a_disk, "m j m j m '");
    // Entries: heading, alice, bob, carol. Select bob and give him a note.
    run_keys_with(&mut a, &mut a_disk, "j M");
    typed(&mut a, "bob's");
    run_keys_with(&mut a, &mut a_disk, "Enter");
    let Overlay::List(view) = &a.overlay else {
        panic!("back in the list")
    };
    let selected = &view.entries[view.selected];
    assert!(selected.text.contains("bob"), "{}", selected.text);
    assert_eq!(selected.detail.as_deref(), Some("note: bob's"));
    // d now deletes bob, not the first entry.
    run_keys_with(&mut a, &mut a_disk, "d");
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
    let (mut other, mut other_disk) = attached(
        thread("Another thread", "zed words"),
        dir.path(),
        "/data/other.txt",
        false,
    );
    run_keys_with(&mut other, &mut other_disk, "m");
    let (mut a, mut a_disk) = open(dir.path(), SPEC, false);
    run_keys_with(&mut a, &mut a_disk, "'");
    let Overlay::List(view) = &a.overlay else {
        panic!("list")
    };
    let i = view
        .entries
        .iter()
        .position(|e| e.text.contains("zed"))
        .expect("listed");
    let steps = vec!["j"; i - view.selected].join(" ");
    run_keys_with(&mut a, &mut a_disk, &format!("{steps} Enter"));
    let status = a.status.as_ref().unwrap().text.clone();
    assert!(status.contains("/data/other.txt"), "{status}");
}

/// A store that keeps no files: it records what it was asked and answers as told, so the
/// app's side of every store effect is tested without a disk.
struct Scripted {
    asked: Vec<StoreOp>,
    answer: fn() -> Result<StoreReply, StoreError>,
}

impl StoreBackend for Scripted {
    fn perform(
        &mut self,
        _thread: &threadr::model::Thread,
        _source: &str,
        op: &StoreOp,
    ) -> StoreDone {
        self.asked.push(op.clone());
        StoreDone {
            result: (self.answer)(),
            bookmarks: None,
        }
    }
}

#[test]
fn store_effects_are_data_the_app_never_writes() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, _disk) = open(dir.path(), SPEC, false);
    let effects = run_keys(&mut a, "j m");
    let bob = a.selected().unwrap();
    assert_eq!(
        effects,
        vec![Effect::Store(StoreOp::Toggle(Some(bob)))],
        "the toggle is returned as data"
    );
    assert!(
        Bookmarks::load(&store(dir.path())).value.is_empty(),
        "and nothing was written by the app"
    );
    run_keys(&mut a, "M");
    typed(&mut a, "later");
    let effects = run_keys(&mut a, "Enter");
    assert_eq!(
        effects,
        vec![Effect::Store(StoreOp::SetNote(Some(bob), "later".into()))]
    );
}

#[test]
fn what_the_store_answers_is_what_the_status_bar_says() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, _disk) = open(dir.path(), SPEC, false);
    let mut ok = Scripted {
        asked: Vec::new(),
        answer: || {
            Ok(StoreReply {
                bookmarked: true,
                warnings: Vec::new(),
            })
        },
    };
    run_keys_with(&mut a, &mut ok, "j m");
    assert_eq!(ok.asked, vec![StoreOp::Toggle(a.selected())]);
    assert_eq!(
        a.status.as_ref().unwrap().text,
        "Bookmarked this comment (M adds a note)"
    );

    let mut warned = Scripted {
        asked: Vec::new(),
        answer: || {
            Ok(StoreReply {
                bookmarked: false,
                warnings: vec!["bookmarks.json was corrupt; moved aside".into()],
            })
        },
    };
    run_keys_with(&mut a, &mut warned, "m");
    let status = a.status.clone().unwrap();
    assert_eq!(status.kind, StatusKind::Warning);
    assert!(status.text.contains("moved aside"), "{}", status.text);

    let mut gone = Scripted {
        asked: Vec::new(),
        answer: || Err(StoreError::NoSuchBookmark),
    };
    run_keys_with(&mut a, &mut gone, "m");
    let status = a.status.clone().unwrap();
    assert_eq!(status.kind, StatusKind::Error);
    assert!(
        status.text.starts_with("Could not save: "),
        "{}",
        status.text
    );

    let mut newer = Scripted {
        asked: Vec::new(),
        answer: || {
            Err(StoreError::ReadOnly {
                path: "/x/bookmarks.json".into(),
                found: 99,
            })
        },
    };
    run_keys_with(&mut a, &mut newer, "m");
    assert!(a.status.as_ref().unwrap().text.contains("read-only"));
}

#[test]
fn without_a_data_folder_bookmark_keys_say_so_and_ask_nothing() {
    let mut a = app(thread("No store", SPEC));
    let effects = run_keys(&mut a, "j m");
    assert!(effects.is_empty(), "{effects:?}");
    assert!(
        a.status
            .as_ref()
            .unwrap()
            .text
            .starts_with("Bookmarks are off")
    );
}
