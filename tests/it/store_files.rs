//! The store on disk: modes, corrupt and newer files, re-attaching, notes, reading state.

use std::path::Path;

use threadr::model::{Body, CommentDraft, CommentIdx, Thread, ThreadBuilder};
use threadr::store::{Bookmarks, Place, Reader, ReadingState, Store, StoreError};

fn draft(id: Option<&str>, author: &str, text: &str) -> CommentDraft {
    CommentDraft {
        source_id: id.map(str::to_string),
        author: Some(author.to_string()),
        body: Body::from_plain(text),
        ..CommentDraft::default()
    }
}

/// A small thread; `extra` adds replies the first copy did not have (before and inside the
/// bookmarked subthread, so every index after them moves). `ids` chooses source ids or
/// fingerprints.
fn thread(extra: bool, ids: bool) -> Thread {
    let id = |s: &'static str| ids.then_some(s);
    let mut b = ThreadBuilder::new();
    b.title = Some("On keeping notes".into());
    b.url = Some("https://example.org/notes".into());
    b.author = Some("host".into());
    b.body = Body::from_plain("An article about keeping notes while reading.");
    let a = b.push(None, draft(id("a"), "ann", "First comment."));
    if extra {
        b.push(Some(a), draft(id("a1"), "newcomer", "A late reply to ann."));
        b.push(Some(a), draft(id("a2"), "other", "Another late reply."));
    }
    let c = b.push(Some(a), draft(id("b"), "bea", "The reply worth keeping."));
    if extra {
        b.push(Some(c), draft(id("b1"), "cat", "Reply under the kept one."));
    }
    b.push(None, draft(id("c"), "cy", "A second top-level comment."));
    b.finish()
}

fn idx_by_author(t: &Thread, author: &str) -> CommentIdx {
    t.indices()
        .find(|&i| t.comment(i).author.as_deref() == Some(author))
        .unwrap()
}

fn store(root: &Path, name: &str) -> Store {
    Store::open_in(root, Reader::new(name).unwrap()).unwrap()
}

#[cfg(unix)]
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
#[test]
fn folders_are_0700_and_files_0600() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("data");
    let s = store(&root, "alice");
    assert_eq!(mode(&root), 0o700, "created data folder");
    assert_eq!(mode(s.dir()), 0o700);
    assert_eq!(mode(&s.dir().join("state")), 0o700);
    let t = thread(false, true);
    let mut bm = Bookmarks::load(&s).value;
    bm.toggle(&t, "/x/notes.json", None).unwrap();
    s.save_state(&t.key, &ReadingState::default()).unwrap();
    assert_eq!(mode(&s.bookmarks_dir()), 0o700);
    assert_eq!(mode(&s.bookmarks_file(&t.key)), 0o600);
    assert_eq!(mode(&s.dir().join(".lock")), 0o600);
    assert_eq!(mode(&s.state_path(&t.key)), 0o600);

    // A reader folder someone created with create_dir_all (0755) is tightened.
    std::fs::create_dir_all(root.join("bob")).unwrap();
    std::fs::set_permissions(root.join("bob"), std::fs::Permissions::from_mode(0o755)).unwrap();
    let s = store(&root, "bob");
    assert_eq!(mode(s.dir()), 0o700);
}

#[test]
fn reader_names_that_could_escape_are_refused() {
    for bad in [
        "a/b",
        "..",
        ".",
        "x\x1b[2J",
        "ctl\u{7}",
        "nul\0",
        &"r".repeat(65),
        "",
    ] {
        let err = Reader::new(bad).unwrap_err();
        assert!(matches!(err, StoreError::BadReader { .. }));
        let msg = err.to_string();
        assert!(!msg.chars().any(char::is_control), "{msg:?}");
    }
    Reader::new(&"r".repeat(64)).unwrap();
}

#[test]
fn bookmarks_reattach_after_a_resave_with_new_comments() {
    for ids in [true, false] {
        let tmp = tempfile::tempdir().unwrap();
        let s = store(tmp.path(), "alice");
        let v1 = thread(false, ids);
        let mut bm = Bookmarks::load(&s).value;
        let kept = idx_by_author(&v1, "bea");
        assert!(
            bm.toggle(&v1, "/saved/v1.json", Some(kept))
                .unwrap()
                .bookmarked
        );
        bm.toggle(&v1, "/saved/v1.json", None).unwrap();
        bm.set_note(&v1, "/saved/v1.json", Some(kept), "read again")
            .unwrap();

        let v2 = thread(true, ids);
        assert_eq!(v1.key, v2.key, "same thread");
        let moved = idx_by_author(&v2, "bea");
        assert_ne!(kept, moved, "the new replies moved it");
        let bm = Bookmarks::load(&s).value;
        let att = bm.attach(&v2);
        assert!(att.is_marked(moved), "ids={ids}");
        assert!(att.article_marked());
        assert_eq!(att.count(), 2);
        assert_eq!(att.marked(), &[moved]);
        assert_eq!(att.entries()[0].place, Place::Article);
        assert_eq!(att.entries()[1].place, Place::Comment(moved));
        assert_eq!(att.entries()[1].bookmark.note, "read again");
        assert_eq!(att.entries()[1].bookmark.author.as_deref(), Some("bea"));
        assert_eq!(
            att.entries()[1].bookmark.snippet,
            "The reply worth keeping."
        );
        // Nothing else in v2 is marked.
        assert_eq!(v2.indices().filter(|&i| att.is_marked(i)).count(), 1);
    }
}

#[test]
fn a_comment_missing_from_this_copy_is_kept_and_listed() {
    let tmp = tempfile::tempdir().unwrap();
    let s = store(tmp.path(), "alice");
    let full = thread(true, true);
    let mut bm = Bookmarks::load(&s).value;
    bm.toggle(&full, "/f.json", Some(idx_by_author(&full, "cat")))
        .unwrap();
    bm.toggle(&full, "/f.json", Some(idx_by_author(&full, "cy")))
        .unwrap();

    let older = thread(false, true); // has no "cat"
    let att = bm.attach(&older);
    assert_eq!(att.count(), 2);
    assert_eq!(att.marked(), &[idx_by_author(&older, "cy")]);
    let last = att.entries().last().unwrap();
    assert_eq!(last.place, Place::NotInThisCopy);
    assert_eq!(last.bookmark.author.as_deref(), Some("cat"));

    // Changing bookmarks from the older copy never drops it.
    bm.toggle(&older, "/older.json", Some(idx_by_author(&older, "ann")))
        .unwrap();
    let again = Bookmarks::load(&s).value;
    assert_eq!(again.for_thread(&older.key).unwrap().bookmarks.len(), 3);
    assert_eq!(again.for_thread(&older.key).unwrap().source, "/older.json");
}

#[test]
fn toggle_note_delete_and_jumps() {
    let tmp = tempfile::tempdir().unwrap();
    let s = store(tmp.path(), "alice");
    let t = thread(true, true);
    let mut bm = Bookmarks::load(&s).value;
    let ann = idx_by_author(&t, "ann");
    let cat = idx_by_author(&t, "cat");
    let cy = idx_by_author(&t, "cy");
    // M on an unbookmarked comment creates it with the note; newlines become spaces.
    let ch = bm.set_note(&t, "/t", Some(cat), "  two\nlines ").unwrap();
    assert!(ch.bookmarked && ch.warnings.is_empty());
    let cat_id = t.comment(cat).id.clone();
    assert_eq!(bm.note(&t.key, Some(&cat_id)), Some("two lines"));
    bm.toggle(&t, "/t", Some(ann)).unwrap();
    bm.toggle(&t, "/t", Some(cy)).unwrap();

    let att = bm.attach(&t);
    assert_eq!(att.next_after(None), Some(ann));
    assert_eq!(att.next_after(Some(ann)), Some(cat));
    assert_eq!(att.next_after(Some(cy)), None);
    assert_eq!(att.prev_before(Some(cy)), Some(cat));
    assert_eq!(att.prev_before(Some(ann)), None);
    assert_eq!(att.prev_before(None), None);
    assert_eq!((att.first(), att.last()), (Some(ann), Some(cy)));

    // Toggling again removes.
    assert!(!bm.toggle(&t, "/t", Some(ann)).unwrap().bookmarked);
    assert!(!bm.attach(&t).is_marked(ann));

    // From the list: edit and delete by reference.
    let target = bm
        .attach(&t)
        .entries()
        .iter()
        .find(|e| e.place == Place::Comment(cat))
        .unwrap()
        .target();
    bm.edit_note(&target, "changed").unwrap();
    assert_eq!(bm.note(&t.key, Some(&cat_id)), Some("changed"));
    bm.delete(&target).unwrap();
    assert!(matches!(
        bm.edit_note(&target, "gone"),
        Err(StoreError::NoSuchBookmark)
    ));
    assert_eq!(bm.len(), 1);
    // The last bookmark of a thread removes the thread from the file.
    bm.toggle(&t, "/t", Some(cy)).unwrap();
    assert!(bm.is_empty());
    assert!(Bookmarks::load(&s).value.is_empty());
}

#[test]
fn two_sessions_in_one_process_keep_each_others_bookmarks() {
    let tmp = tempfile::tempdir().unwrap();
    let s = store(tmp.path(), "alice");
    let t = thread(true, true);
    let mut one = Bookmarks::load(&s).value;
    let mut two = Bookmarks::load(&s).value;
    one.toggle(&t, "/t", Some(idx_by_author(&t, "ann")))
        .unwrap();
    two.toggle(&t, "/t", Some(idx_by_author(&t, "bea")))
        .unwrap();
    assert_eq!(
        two.attach(&t).count(),
        2,
        "two sees one's bookmark after its save"
    );
    assert_eq!(one.attach(&t).count(), 1, "one has not reloaded yet");
    assert!(one.reload().is_empty());
    assert_eq!(one.attach(&t).count(), 2);
    // Bookmarks of other threads are listed separately.
    let mut other = thread(false, true);
    other.key = "another-thread".into();
    other.title = Some("Another".into());
    one.toggle(&other, "/other", None).unwrap();
    let others: Vec<_> = one.others(&t.key).collect();
    assert_eq!(others.len(), 1);
    assert_eq!(others[0].source, "/other");
}

#[test]
fn a_corrupt_file_is_moved_aside_never_overwritten() {
    let tmp = tempfile::tempdir().unwrap();
    let s = store(tmp.path(), "alice");
    let t = thread(false, true);
    let path = s.bookmarks_file(&t.key);
    std::fs::write(&path, b"{\"version\": 1, \"threads\": [ broken").unwrap();
    let loaded = Bookmarks::load(&s);
    assert_eq!(loaded.warnings.len(), 1, "{:?}", loaded.warnings);
    let w = &loaded.warnings[0];
    let aside = corrupt_files(&s.bookmarks_dir());
    assert_eq!(aside.len(), 1);
    assert!(w.contains(&path.display().to_string()), "{w}");
    assert!(w.contains(&aside[0].display().to_string()), "{w}");
    assert_eq!(
        std::fs::read(&aside[0]).unwrap(),
        b"{\"version\": 1, \"threads\": [ broken"
    );
    assert!(!path.exists());

    // The reader keeps working with a fresh file.
    let mut bm = loaded.value;
    bm.toggle(&t, "/t", None).unwrap();

    // Corrupted again behind our back, then a save: moved aside again, earlier copy intact.
    std::fs::write(&path, b"\xff\xfe not even UTF-8").unwrap();
    let ch = bm.toggle(&t, "/t", Some(idx_by_author(&t, "ann"))).unwrap();
    assert_eq!(ch.warnings.len(), 1, "{:?}", ch.warnings);
    let aside = corrupt_files(&s.bookmarks_dir());
    assert_eq!(aside.len(), 2);
    let contents: Vec<Vec<u8>> = aside.iter().map(|p| std::fs::read(p).unwrap()).collect();
    assert!(contents.contains(&b"\xff\xfe not even UTF-8".to_vec()));
    assert!(contents.contains(&b"{\"version\": 1, \"threads\": [ broken".to_vec()));
    assert_eq!(Bookmarks::load(&s).value.len(), 1);
}

#[test]
fn a_file_from_a_newer_threadr_is_read_only_and_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let s = store(tmp.path(), "alice");
    let t = thread(false, true);
    let newer = format!(
        r#"{{"version": 7, "colour": "blue", "threads": [{{"key": "{}", "title": "T",
        "source": "/s", "bookmarks": [{{"comment": "a", "note": "from the future",
        "tags": ["x"]}}]}}]}}"#,
        t.key
    );
    std::fs::write(s.bookmarks_file(&t.key), &newer).unwrap();
    let loaded = Bookmarks::load(&s);
    assert!(loaded.value.is_read_only());
    assert_eq!(loaded.warnings.len(), 1);
    assert!(
        loaded.warnings[0].contains("newer threadr"),
        "{:?}",
        loaded.warnings
    );
    let mut bm = loaded.value;
    assert!(
        bm.attach(&t).is_marked(idx_by_author(&t, "ann")),
        "still shown"
    );
    let err = bm.toggle(&t, "/t", None).unwrap_err();
    assert!(
        matches!(err, StoreError::ReadOnly { found: 7, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("upgrade"));
    assert_eq!(
        std::fs::read_to_string(s.bookmarks_file(&t.key)).unwrap(),
        newer
    );
    assert!(corrupt_files(&s.bookmarks_dir()).is_empty());

    // Same for reading state.
    let state_path = s.state_path(&t.key);
    let newer_state = format!(r#"{{"version": 3, "key": "{}", "saved": "x"}}"#, t.key);
    std::fs::write(&state_path, &newer_state).unwrap();
    let loaded = s.load_state(&t.key);
    assert!(loaded.value.is_none());
    assert_eq!(loaded.warnings.len(), 1);
    assert!(matches!(
        s.save_state(&t.key, &ReadingState::default()),
        Err(StoreError::ReadOnly { found: 3, .. })
    ));
    assert_eq!(std::fs::read_to_string(&state_path).unwrap(), newer_state);
}

#[test]
fn reading_state_round_trips_and_marks_new_comments() {
    let tmp = tempfile::tempdir().unwrap();
    let s = store(tmp.path(), "alice");
    let v1 = thread(false, false);
    assert!(s.load_state(&v1.key).value.is_none(), "first visit");
    let mut st = ReadingState {
        focused: Some(v1.comment(idx_by_author(&v1, "bea")).id.clone()),
        article_scroll: 12,
        zoom: vec![v1.comment(idx_by_author(&v1, "ann")).id.clone()],
        ..ReadingState::default()
    };
    st.set_folded(&v1, [idx_by_author(&v1, "ann")]);
    st.mark_seen(&v1);
    s.save_state(&v1.key, &st).unwrap();

    let v2 = thread(true, false);
    let loaded = s.load_state(&v2.key);
    assert!(loaded.warnings.is_empty());
    let back = loaded.value.unwrap();
    assert_eq!(back, st);
    assert_eq!(back.focused_in(&v2), Some(idx_by_author(&v2, "bea")));
    assert_eq!(back.folded_in(&v2), vec![idx_by_author(&v2, "ann")]);
    assert_eq!(back.zoom_in(&v2), vec![idx_by_author(&v2, "ann")]);
    let new = back.new_since(&v2);
    let mut expected: Vec<_> = ["newcomer", "other", "cat"]
        .iter()
        .map(|a| idx_by_author(&v2, a))
        .collect();
    expected.sort();
    assert_eq!(new, expected);

    // Another session that only saw v1 saving later does not forget v2's comments.
    let mut a = back.clone();
    a.mark_seen(&v2);
    s.save_state(&v2.key, &a).unwrap();
    s.save_state(&v1.key, &st).unwrap();
    let merged = s.load_state(&v2.key).value.unwrap();
    assert!(merged.new_since(&v2).is_empty());
    assert_eq!(merged.focused, st.focused);

    // The file is readable JSON with a version and the key.
    let text = std::fs::read_to_string(s.state_path(&v2.key)).unwrap();
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["version"], 1);
    assert_eq!(value["key"], v2.key.as_str());
    assert_eq!(value["seen"]["hash"], "xxh3-48");
}

#[test]
fn a_corrupt_state_file_is_moved_aside() {
    let tmp = tempfile::tempdir().unwrap();
    let s = store(tmp.path(), "alice");
    let path = s.state_path("k");
    std::fs::write(&path, b"not json").unwrap();
    let loaded = s.load_state("k");
    assert!(loaded.value.is_none());
    assert_eq!(loaded.warnings.len(), 1);
    assert!(
        loaded.warnings[0].contains("moved it to"),
        "{:?}",
        loaded.warnings
    );
    assert_eq!(corrupt_files(&s.dir().join("state")).len(), 1);
    s.save_state("k", &ReadingState::default()).unwrap();
    assert!(s.load_state("k").value.is_some());
}

#[test]
fn state_save_is_callable_from_another_thread() {
    let tmp = tempfile::tempdir().unwrap();
    let s = store(tmp.path(), "alice");
    let shared = std::sync::Arc::new(std::sync::Mutex::new(ReadingState {
        article_scroll: 5,
        ..ReadingState::default()
    }));
    let (s2, st2) = (s.clone(), shared.clone());
    std::thread::spawn(move || {
        let snapshot = st2.lock().unwrap().clone();
        s2.save_state("k", &snapshot).unwrap();
    })
    .join()
    .unwrap();
    assert_eq!(s.load_state("k").value.unwrap().article_scroll, 5);
}

#[test]
fn a_hundred_thousand_comment_state_is_compact_and_quick() {
    let mut b = ThreadBuilder::new();
    b.title = Some("big".into());
    let mut parent = None;
    for i in 0..100_000 {
        // Half a deep chain, half top-level: shape does not matter to the state.
        let h = b.push(parent, draft(Some(&format!("t1_{i:x}")), "a", "x"));
        parent = (i % 2 == 0).then_some(h);
    }
    let t = b.finish();
    let tmp = tempfile::tempdir().unwrap();
    let s = store(tmp.path(), "alice");
    let mut st = ReadingState::default();
    st.mark_seen(&t);
    let start = std::time::Instant::now();
    s.save_state(&t.key, &st).unwrap();
    let first = start.elapsed();
    let start = std::time::Instant::now();
    s.save_state(&t.key, &st).unwrap(); // with a merge of what is on disk
    let second = start.elapsed();
    let size = std::fs::metadata(s.state_path(&t.key)).unwrap().len();
    eprintln!("100,000 seen ids: {size} bytes; save {first:?}, re-save with merge {second:?}");
    assert!(size < 800_000, "{size} bytes");
    let back = s.load_state(&t.key).value.unwrap();
    assert_eq!(back.seen.len(), 100_000);
    assert!(back.new_since(&t).is_empty());
}

fn corrupt_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains(".corrupt-"))
        .collect();
    v.sort();
    v
}

/// What changes when a file is rewritten or replaced.
fn fingerprint(path: &Path) -> (u64, std::time::SystemTime, u64) {
    let meta = std::fs::metadata(path).unwrap();
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(&meta);
    #[cfg(not(unix))]
    let inode = 0;
    (meta.len(), meta.modified().unwrap(), inode)
}

fn other_thread(key: &str) -> Thread {
    let mut t = thread(false, true);
    t.key = key.into();
    t.title = Some(format!("Thread {key}"));
    t
}

#[test]
fn a_change_rewrites_only_its_own_threads_file() {
    let tmp = tempfile::tempdir().unwrap();
    let s = store(tmp.path(), "alice");
    let mine = thread(false, true);
    let others: Vec<Thread> = (0..5).map(|i| other_thread(&format!("k{i}"))).collect();
    let mut bm = Bookmarks::load(&s).value;
    for t in &others {
        bm.toggle(t, "/o", None).unwrap();
    }
    let before: Vec<_> = others
        .iter()
        .map(|t| fingerprint(&s.bookmarks_file(&t.key)))
        .collect();
    std::thread::sleep(std::time::Duration::from_millis(20));
    bm.toggle(&mine, "/m", None).unwrap();
    let mine_first = fingerprint(&s.bookmarks_file(&mine.key));
    bm.set_note(&mine, "/m", Some(idx_by_author(&mine, "bea")), "kept")
        .unwrap();
    assert_ne!(fingerprint(&s.bookmarks_file(&mine.key)), mine_first);
    let r = bm.attach(&mine).entries()[0].target();
    bm.edit_note(&r, "article").unwrap();
    let after: Vec<_> = others
        .iter()
        .map(|t| fingerprint(&s.bookmarks_file(&t.key)))
        .collect();
    assert_eq!(before, after, "another thread's file was rewritten");
    assert_eq!(bm.len(), 7);
    assert_eq!(Bookmarks::load(&s).value.threads(), bm.threads());

    // The file of a thread with no bookmarks left is gone; the others stay.
    bm.toggle(&mine, "/m", None).unwrap();
    bm.toggle(&mine, "/m", Some(idx_by_author(&mine, "bea")))
        .unwrap();
    assert!(!s.bookmarks_file(&mine.key).exists());
    assert_eq!(std::fs::read_dir(s.bookmarks_dir()).unwrap().count(), 5);
    assert_eq!(Bookmarks::load(&s).value.len(), 5);
}

#[test]
fn the_old_single_file_is_migrated_once_and_kept_as_a_backup() {
    let tmp = tempfile::tempdir().unwrap();
    let s = store(tmp.path(), "alice");
    let t = thread(false, true);
    let old = serde_json::json!({"version": 1, "threads": [
        {"key": "k1", "title": "One", "source": "/one",
         "bookmarks": [{"comment": null, "note": "article of one"}]},
        {"key": t.key, "title": "Notes", "source": "/t",
         "bookmarks": [{"comment": "a", "note": "ann's"}, {"comment": "b"}]},
    ]});
    let bytes = serde_json::to_vec_pretty(&old).unwrap();
    std::fs::write(s.bookmarks_path(), &bytes).unwrap();

    // `threadr bookmarks` reads it as it is and changes nothing.
    let peeked = Bookmarks::peek(&s).unwrap();
    assert_eq!(peeked.value.len(), 3);
    assert!(s.bookmarks_path().exists());
    assert_eq!(std::fs::read_dir(s.bookmarks_dir()).unwrap().count(), 0);

    let loaded = Bookmarks::load(&s);
    assert_eq!(loaded.warnings.len(), 1, "{:?}", loaded.warnings);
    assert!(
        loaded.warnings[0].contains("2 thread"),
        "{:?}",
        loaded.warnings
    );
    assert_eq!(loaded.value.threads(), peeked.value.threads());
    assert!(!s.bookmarks_path().exists());
    let backups: Vec<_> = std::fs::read_dir(s.dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains("bookmarks.json.migrated-"))
        .collect();
    assert_eq!(backups.len(), 1);
    assert_eq!(std::fs::read(&backups[0]).unwrap(), bytes);
    assert!(s.bookmarks_file("k1").exists() && s.bookmarks_file(&t.key).exists());
    let ann = t.comment(idx_by_author(&t, "ann")).id.clone();
    assert_eq!(loaded.value.note(&t.key, Some(&ann)), Some("ann's"));
    assert!(Bookmarks::load(&s).warnings.is_empty(), "migrated twice");

    // An older threadr wrote the single file again while this session ran: the next change
    // moves its bookmarks over first instead of hiding them.
    let mut bm = loaded.value;
    std::fs::write(
        s.bookmarks_path(),
        serde_json::to_vec(&serde_json::json!({"version": 1, "threads": [
            {"key": "k2", "source": "/two", "bookmarks": [{"comment": "z"}]}]}))
        .unwrap(),
    )
    .unwrap();
    let ch = bm.toggle(&t, "/t", None).unwrap();
    assert!(
        ch.warnings.iter().any(|w| w.contains("1 thread")),
        "{:?}",
        ch.warnings
    );
    assert!(!s.bookmarks_path().exists());
    let again = Bookmarks::load(&s);
    assert!(again.warnings.is_empty(), "{:?}", again.warnings);
    assert_eq!(again.value.len(), 5);
    assert!(again.value.for_thread("k2").is_some());
}
