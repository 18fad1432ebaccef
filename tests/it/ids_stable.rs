//! Comment ids survive edits (issue 15 #2): a reply keeps its id when an ancestor's text
//! changes; a bookmark and the reading position find an edited comment again by position
//! and similarity; bookmarks and states saved under the old id rule keep working. And a
//! thread piped on stdin never replaces the file its bookmarks came from (#1).

use crate::common;

use threadr::app::{App, run_keys_with};
use threadr::driver::DiskStore;
use threadr::format;
use threadr::model::Thread;
use threadr::store::{Bookmarks, Place, Reader, ReadingState, Store};

const FIXTURE: &str = include_str!("../fixtures/plain_thread.txt");

fn load(text: &str) -> Thread {
    format::load(text.as_bytes(), "plain_thread.txt", None).expect("plain text loads")
}

/// The fixture with `suffix` appended to the first line of top-level comment `n`.
fn edited(n: usize, suffix: &str) -> String {
    let marker = format!("  {n}. ");
    let mut done = false;
    FIXTURE
        .lines()
        .map(|l| {
            if !done && l.starts_with(&marker) {
                done = true;
                format!("{l}{suffix}")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The fixture with `suffix` appended to the line that starts with `start`.
fn edited_line(start: &str, suffix: &str) -> String {
    FIXTURE
        .lines()
        .map(|l| {
            if l.trim_start().starts_with(start) {
                format!("{l}{suffix}")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn store(dir: &std::path::Path) -> Store {
    Store::open_in(dir, Reader::new("tester").unwrap()).unwrap()
}

/// An app over `text` with the reader's files in `dir` read as the driver reads them, and
/// the disk store its keys' store effects go to.
fn open(dir: &std::path::Path, text: &str, source: &str) -> (App, DiskStore) {
    let mut a = common::app(load(text));
    let (disk, files) = DiskStore::open(store(dir), &a.thread);
    let _warnings = a.attach_library(files, source.into(), false);
    (a, disk)
}

fn save(a: &App, dir: &std::path::Path) {
    let state = a.reading_state().expect("library attached");
    store(dir).save_state(&a.thread.key, &state).unwrap();
}

/// The position path of the selected comment, `2.1.1.1`.
fn at(a: &App) -> String {
    let idx = a.selected().expect("a comment is selected");
    let parts: Vec<String> = a
        .thread
        .position_path(idx)
        .iter()
        .map(ToString::to_string)
        .collect();
    parts.join(".")
}

#[test]
fn editing_a_comment_changes_only_its_own_id() {
    let before = load(FIXTURE);
    let after = load(&edited(2, " (edited)"));
    assert_eq!(before.len(), after.len());
    assert_eq!(before.key, after.key, "the article did not change");
    let second = before.roots[1].get();
    let changed: Vec<usize> = (0..before.len())
        .filter(|&i| before.comments[i].id != after.comments[i].id)
        .collect();
    assert_eq!(changed, [second], "only the edited comment gets a new id");
    assert!(
        before.comment(before.roots[1]).descendants(before.roots[1]) >= 4,
        "the edited comment has a deep subthread below it"
    );
}

#[test]
fn bookmark_and_position_below_an_edited_comment_stay() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, mut ad) = open(dir.path(), FIXTURE, "/tmp/plain_thread.txt");
    // 2.1.1.1, four levels down under the comment that will be edited.
    run_keys_with(&mut a, &mut ad, "j j j j j");
    assert_eq!(at(&a), "2.1.1.1");
    run_keys_with(&mut a, &mut ad, "m");
    save(&a, dir.path());

    let (b, _bd) = open(dir.path(), &edited(2, " (edited)"), "/tmp/plain_thread.txt");
    assert_eq!(at(&b), "2.1.1.1", "position kept");
    let lib = b.library.as_ref().unwrap();
    let places: Vec<Place> = lib.attached.entries().iter().map(|e| e.place).collect();
    assert_eq!(places, [Place::Comment(b.selected().unwrap())]);
    assert_eq!(lib.new.len(), 1, "only the edited comment is new");
    assert_eq!(lib.new[0], b.thread.roots[1]);
}

#[test]
fn bookmark_on_the_edited_comment_itself_reattaches_and_is_rekeyed() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, mut ad) = open(dir.path(), FIXTURE, "/tmp/plain_thread.txt");
    run_keys_with(&mut a, &mut ad, "j j j");
    assert_eq!(at(&a), "2.1");
    run_keys_with(&mut a, &mut ad, "m");
    save(&a, dir.path());

    let copy = edited_line("• “It is not nothing.”", " (edited: typo)");
    let (mut b, mut bd) = open(dir.path(), &copy, "/tmp/plain_thread.txt");
    assert_eq!(at(&b), "2.1", "position found again by place");
    let lib = b.library.as_ref().unwrap();
    assert_eq!(
        lib.attached.entries()[0].place,
        Place::Comment(b.selected().unwrap()),
        "found again by position and similarity"
    );
    // Rekeyed on disk: the bookmark now carries the edited comment's id, so m removes it.
    let on_disk = Bookmarks::load(&store(dir.path())).value;
    let id = &b.thread.comment(b.selected().unwrap()).id;
    assert_eq!(on_disk.threads()[0].bookmarks[0].comment.as_ref(), Some(id));
    run_keys_with(&mut b, &mut bd, "m");
    assert!(Bookmarks::load(&store(dir.path())).value.is_empty());
}

#[test]
fn an_unrelated_comment_is_not_taken_for_a_lost_one() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, mut ad) = open(dir.path(), FIXTURE, "/tmp/plain_thread.txt");
    run_keys_with(&mut a, &mut ad, "j j j");
    assert_eq!(at(&a), "2.1");
    run_keys_with(&mut a, &mut ad, "m");
    // The comment rewritten entirely: nothing similar remains.
    let copy = FIXTURE.replace(
        "• “It is not nothing.”\n      Agreed, and I say that as someone who drives.\n      The school run is calmer already.",
        "• Completely different words here now.",
    );
    assert_ne!(copy, FIXTURE);
    let (b, _bd) = open(dir.path(), &copy, "/tmp/plain_thread.txt");
    let lib = b.library.as_ref().unwrap();
    assert_eq!(lib.attached.entries()[0].place, Place::NotInThisCopy);
}

#[test]
fn bookmarks_and_states_saved_with_old_ids_keep_working() {
    let dir = tempfile::tempdir().unwrap();
    let t = load(FIXTURE);
    let legacy = t.legacy_ids();
    let deep = t.roots[1].get() + 3;
    assert_ne!(
        legacy[deep], t.comments[deep].id,
        "replies' ids changed rule"
    );
    // A bookmarks file and a state file as the previous threadr wrote them.
    let reader_dir = dir.path().join("tester");
    std::fs::create_dir_all(reader_dir.join("state")).unwrap();
    let bookmarks = serde_json::json!({
        "version": 1,
        "threads": [{
            "key": t.key, "title": null, "source": "/tmp/plain_thread.txt", "url": null,
            "bookmarks": [{"comment": legacy[deep].0.as_str(), "author": null,
                "snippet": "irrelevant", "note": "old", "created": "2026-01-01T00:00:00Z"}]
        }]
    });
    std::fs::write(
        reader_dir.join("bookmarks.json"),
        serde_json::to_vec(&bookmarks).unwrap(),
    )
    .unwrap();
    let mut old = ReadingState {
        focused: Some(legacy[deep].clone()),
        ..ReadingState::default()
    };
    old.seen.extend(legacy.iter());
    store(dir.path()).save_state(&t.key, &old).unwrap();
    // Rewrite the state file as the old rule wrote it: no "ids" field.
    let path = std::fs::read_dir(reader_dir.join("state"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let mut json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    json.as_object_mut().unwrap().remove("ids");
    std::fs::write(&path, serde_json::to_vec(&json).unwrap()).unwrap();

    let (a, _ad) = open(dir.path(), FIXTURE, "/tmp/plain_thread.txt");
    let lib = a.library.as_ref().unwrap();
    assert!(lib.new.is_empty(), "nothing is new: {:?}", lib.new);
    assert_eq!(
        a.selected().map(threadr::model::CommentIdx::get),
        Some(deep),
        "position kept"
    );
    assert_eq!(
        lib.attached.entries()[0].place,
        Place::Comment(threadr::model::CommentIdx(deep as u32))
    );
    let on_disk = Bookmarks::load(&store(dir.path())).value;
    assert_eq!(
        on_disk.threads()[0].bookmarks[0].comment.as_ref(),
        Some(&t.comments[deep].id),
        "moved to today's id"
    );
    assert_eq!(on_disk.threads()[0].bookmarks[0].note, "old");
}

#[test]
fn reading_from_stdin_keeps_the_real_source() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, mut ad) = open(dir.path(), FIXTURE, "/tmp/plain_thread.txt");
    run_keys_with(&mut a, &mut ad, "j m");
    let (mut b, mut bd) = open(dir.path(), FIXTURE, "<stdin>");
    run_keys_with(&mut b, &mut bd, "j j m");
    let on_disk = Bookmarks::load(&store(dir.path())).value;
    assert_eq!(on_disk.threads()[0].bookmarks.len(), 2);
    assert_eq!(on_disk.threads()[0].source, "/tmp/plain_thread.txt");

    // A thread only ever read from stdin still records that.
    let other = FIXTURE.replace("The council painted", "A council painted");
    let (mut c, mut cd) = open(dir.path(), &other, "<stdin>");
    run_keys_with(&mut c, &mut cd, "j m");
    let on_disk = Bookmarks::load(&store(dir.path())).value;
    assert!(on_disk.threads().iter().any(|t| t.source == "<stdin>"));
}
