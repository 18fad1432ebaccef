//! `threadr bookmarks` through the built binary: Markdown and JSON, safe for the terminal.

use std::path::Path;
use std::process::{Command, Output};

use threadr::model::{Body, CommentDraft, CommentIdx, Thread, ThreadBuilder};
use threadr::store::{Bookmarks, Reader, Store};

const HOSTILE: &str = "\x1b]0;pwned\x07\x1b[2J\u{9b}31m\u{202e}evil\u{200b}";

fn thread(title: &str, key: &str, author: &str, text: &str) -> Thread {
    let mut b = ThreadBuilder::new();
    b.title = Some(title.to_string());
    b.source_key = Some(key.to_string());
    b.author = Some("host".into());
    b.body = Body::from_plain("The article text.");
    b.push(
        None,
        CommentDraft {
            source_id: Some("c1".into()),
            author: Some(author.to_string()),
            body: Body::from_plain(text),
            ..CommentDraft::default()
        },
    );
    b.finish()
}

fn bookmarks(root: &Path, args: &[&str], reader_env: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_threadr"));
    cmd.arg("bookmarks")
        .args(args)
        .env("THREADR_DATA_DIR", root)
        .env_remove("THREADR_READER");
    if let Some(r) = reader_env {
        cmd.env("THREADR_READER", r);
    }
    cmd.output().unwrap()
}

fn setup(root: &Path) {
    let store = Store::open_in(root, Reader::new("alice").unwrap()).unwrap();
    let mut bm = Bookmarks::load(&store).value;
    let plain = thread(
        "Reading slowly",
        "test:plain",
        "ann",
        "Slow reading pays off.",
    );
    bm.set_note(
        &plain,
        "/home/alice/threads/slow.json",
        Some(CommentIdx(0)),
        "cite this",
    )
    .unwrap();
    bm.toggle(&plain, "/home/alice/threads/slow.json", None)
        .unwrap();
    let hostile = thread(
        &format!("Title {HOSTILE}"),
        "test:hostile",
        &format!("mallory{HOSTILE}"),
        &format!("body {HOSTILE}"),
    );
    bm.set_note(
        &hostile,
        &format!("/tmp/{HOSTILE}.json"),
        Some(CommentIdx(0)),
        &format!("note {HOSTILE}"),
    )
    .unwrap();
}

fn assert_terminal_safe(bytes: &[u8]) {
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    for bad in ['\x1b', '\x07', '\u{9b}', '\u{202e}', '\u{200b}'] {
        assert!(!text.contains(bad), "raw {bad:?} in output:\n{text}");
    }
    assert!(
        !text.chars().any(|c| c.is_control() && c != '\n'),
        "control character in output"
    );
}

#[test]
fn markdown_groups_by_thread_and_shows_everything_safely() {
    let tmp = tempfile::tempdir().unwrap();
    setup(tmp.path());
    let out = bookmarks(tmp.path(), &["--reader", "alice"], None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_terminal_safe(&out.stdout);
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(md.starts_with("# Bookmarks of alice\n"), "{md}");
    // Threads sorted by key: test:hostile, then test:plain.
    let plain_at = md.find("## Reading slowly").unwrap();
    let hostile_at = md.find("## Title ").unwrap();
    assert!(hostile_at < plain_at);
    let plain = &md[plain_at..];
    assert!(
        plain.contains("\nSource: /home/alice/threads/slow.json · Key: test:plain\n\n"),
        "{md}"
    );
    assert!(plain.contains("- **ann**, comment 1 (id c1), "), "{md}");
    assert!(
        plain.contains("  - Snippet: Slow reading pays off.\n"),
        "{md}"
    );
    assert!(plain.contains("  - Note: cite this\n"), "{md}");
    assert!(plain.contains("- **host**, the article, "), "{md}");
    // Hostile text is visible, not executed.
    assert!(md.contains("␛]0;pwned"), "{md}");
    assert!(md.contains("<U+202E>"), "{md}");
    assert!(md.contains("- **mallory"), "{md}");
}

#[test]
fn json_round_trips_and_escapes_what_a_terminal_would_obey() {
    let tmp = tempfile::tempdir().unwrap();
    setup(tmp.path());
    let out = bookmarks(tmp.path(), &["--json"], Some("alice"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_terminal_safe(&out.stdout);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["version"], 1);
    assert_eq!(v["reader"], "alice");
    let threads = v["threads"].as_array().unwrap();
    assert_eq!(threads.len(), 2);
    let hostile = &threads[0];
    assert_eq!(hostile["key"], "test:hostile");
    // The exact text survives (escaped in the bytes, equal once parsed).
    assert_eq!(hostile["title"], format!("Title {HOSTILE}").as_str());
    assert_eq!(
        hostile["bookmarks"][0]["note"],
        format!("note {HOSTILE}").as_str()
    );
    let plain = &threads[1];
    assert_eq!(plain["source"], "/home/alice/threads/slow.json");
    let marks = plain["bookmarks"].as_array().unwrap();
    assert_eq!(marks.len(), 2);
    assert_eq!(marks[0]["comment"], "c1");
    assert_eq!(marks[0]["author"], "ann");
    assert_eq!(marks[0]["snippet"], "Slow reading pays off.");
    assert_eq!(marks[0]["note"], "cite this");
    assert!(marks[1]["comment"].is_null(), "the article");
    // Same bytes as the file on disk, apart from the reader field.
    let mut on_disk: Vec<serde_json::Value> = std::fs::read_dir(tmp.path().join("alice/bookmarks"))
        .unwrap()
        .flat_map(|e| {
            let file: serde_json::Value =
                serde_json::from_slice(&std::fs::read(e.unwrap().path()).unwrap()).unwrap();
            file["threads"].as_array().unwrap().clone()
        })
        .collect();
    on_disk.sort_by_key(|t| t["key"].as_str().unwrap().to_string());
    assert_eq!(serde_json::Value::from(on_disk), v["threads"]);
}

#[test]
fn a_reader_without_bookmarks_gets_an_empty_list_and_no_files() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("nothing-here");
    let out = bookmarks(&root, &["--reader", "nobody"], None);
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "# Bookmarks of nobody\n\nNo bookmarks yet.\n"
    );
    assert!(!root.exists(), "listing created files");
    let out = bookmarks(&root, &["--json", "--reader", "nobody"], None);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["threads"].as_array().unwrap().len(), 0);
}

#[test]
fn bad_reader_names_fail_with_a_clean_message() {
    let tmp = tempfile::tempdir().unwrap();
    for bad in ["../etc", "a/b", "..", "x\x1b[2Jy", &"n".repeat(65)] {
        let out = bookmarks(tmp.path(), &["--reader", bad], None);
        assert!(!out.status.success(), "{bad:?} accepted");
        assert_terminal_safe(&out.stderr);
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains("is not allowed"), "{err}");
        assert!(out.stdout.is_empty());
    }
    // From the environment too.
    let out = bookmarks(tmp.path(), &[], Some("../../x"));
    assert!(!out.status.success());
}

#[test]
fn a_corrupt_file_is_reported_and_left_in_place() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("alice");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("bookmarks.json"), b"{\"version\":1,").unwrap();
    let out = bookmarks(tmp.path(), &["--reader", "alice"], None);
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("not a valid threadr file"), "{err}");
    assert_eq!(
        std::fs::read(dir.join("bookmarks.json")).unwrap(),
        b"{\"version\":1,"
    );
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        1,
        "nothing created"
    );
}

/// Issue 15 #25: a text thread's bookmarks read with the reader's labels (positions), not
/// hash ids and "(unknown)", and the header has no trailing-backslash line breaks.
#[test]
fn markdown_for_text_threads_uses_positions_not_hashes() {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::open_in(tmp.path(), Reader::new("alice").unwrap()).unwrap();
    let mut bm = Bookmarks::load(&store).value;
    let mut b = ThreadBuilder::new();
    b.title = Some("Plain".into());
    let first = b.push(
        None,
        CommentDraft {
            body: Body::from_plain("first words"),
            ..CommentDraft::default()
        },
    );
    b.push(
        Some(first),
        CommentDraft {
            body: Body::from_plain("a reply"),
            ..CommentDraft::default()
        },
    );
    let t = b.finish();
    bm.toggle(&t, "/tmp/plain.txt", Some(CommentIdx(1)))
        .unwrap();
    let threads: Vec<_> = bm.threads().into_iter().cloned().collect();
    let md = threadr::store::render_markdown(&Reader::new("alice").unwrap(), &threads);
    assert!(md.contains("- Comment 1.1, "), "{md}");
    assert!(!md.contains("(unknown)"), "{md}");
    assert!(!md.contains(&t.comments[1].id.0.to_string()), "{md}");
    assert!(!md.contains("\\\n"), "{md}");
}
