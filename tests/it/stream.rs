//! A large file opens on its first part while a job reads the rest: the first screen, the
//! honest position and `reading N%`, keys at once, the keys that need the whole thread
//! saying so, and the whole thread (equal to a one-shot read) replacing the first part in
//! place. Through the app with a real job runner, and end to end in a pseudo-terminal.

use crate::common;

use std::time::{Duration, Instant};

use common::pty::Pty;
use threadr::app::{App, Effect, Message, Streaming, run_keys};
use threadr::jobs::Runner;
use threadr::keymap::Keymap;
use threadr::model::Thread;

/// Feeds every job's messages back into the app until none runs (30 s at most).
fn run_jobs(a: &mut App, effects: Vec<Effect>) {
    let mut runner = Runner::new();
    let mut queue = effects;
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        for e in queue.drain(..) {
            if let Effect::Spawn(job) = e {
                runner.spawn(job);
            }
        }
        if !runner.is_busy() {
            return;
        }
        assert!(Instant::now() < deadline, "jobs never finished");
        if let Some(msg) = runner.recv_timeout(Duration::from_millis(50)) {
            queue = a.handle(Message::Job(msg)).effects;
        }
    }
}

/// Same comments in the same places, by an independent walk of both arenas.
fn assert_same_thread(a: &Thread, b: &Thread) {
    assert_eq!(a.len(), b.len());
    assert_eq!(a.key, b.key);
    assert_eq!(a.title, b.title);
    for (x, y) in a.comments.iter().zip(&b.comments) {
        assert_eq!(x.id, y.id);
        assert_eq!(x.parent, y.parent);
        assert_eq!(x.depth, y.depth);
        assert_eq!(x.author, y.author);
        assert_eq!(x.body.plain_text(), y.body.plain_text());
    }
}

/// A file of `text` in a temp folder, and its first part as the reader opens it.
fn opened(text: &str, name: &str) -> (tempfile::TempDir, std::path::PathBuf, Thread) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    let head = &text.as_bytes()[..threadr::format::head::HEAD_BYTES];
    let first = threadr::format::head::read(head, name, None).expect("a first part");
    (dir, path, first)
}

fn streamed_equals_one_shot(text: &str, name: &str) {
    let whole = threadr::format::load(text.as_bytes(), name, None).unwrap();
    let (_dir, path, first) = opened(text, name);
    assert!(first.len() < whole.len());
    let mut a = App::new(first, name.into(), Keymap::default_keys());
    let out = a.read_rest(path, None, name.into());
    assert!(a.is_reading());
    // Moving works on what is there; `G` waits for the whole thread and says so.
    run_keys(&mut a, "j j");
    let focused = a.selected().map(|i| a.thread.comment(i).id.clone());
    run_keys(&mut a, "G");
    let status = a.status.clone().map(|s| s.text).unwrap_or_default();
    assert!(status.starts_with("Still reading the file"), "{status}");
    assert_eq!(
        a.selected().map(|i| a.thread.comment(i).id.clone()),
        focused
    );
    run_jobs(&mut a, out.effects);
    assert_eq!(a.stream, Streaming::Whole);
    assert!(a.moved_while_reading);
    assert_same_thread(&a.thread, &whole);
    // The place is kept by id across the replacement.
    assert_eq!(
        a.selected().map(|i| a.thread.comment(i).id.clone()),
        focused
    );
    run_keys(&mut a, "G");
    assert_eq!(a.tree.selected_row() + 1, a.tree.len());
}

#[test]
fn a_streamed_plain_thread_equals_the_one_shot_read() {
    for seed in [1, 9] {
        streamed_equals_one_shot(&threadr::synth::plain_thread(12_000, seed), "t.txt");
    }
}

/// A file of several read pieces (more than 8 MiB each) is parsed as it is read; the
/// ASCII bullet after the last comment makes the reader ask whether the file uses `•`
/// bullets, which it answers by reading the file again (`*` is then the comment's list,
/// not a reply: a wrong answer would add a comment).
#[test]
fn a_plain_thread_read_in_pieces_equals_the_one_shot_read() {
    let n = 40_000;
    let mut text = threadr::synth::plain_thread(n, 3);
    assert!(text.len() > 2 * (8 << 20), "{} bytes", text.len());
    assert!(text.contains('•'));
    let last = n + 1;
    text = format!("{text}\n  {last}. The last one.\n\n    * a list in it\n");
    streamed_equals_one_shot(&text, "pieces.txt");
    let whole = threadr::format::load(text.as_bytes(), "t", None).unwrap();
    assert!(
        whole
            .comments
            .last()
            .unwrap()
            .body
            .plain_text()
            .contains("* a list in it")
    );
}

#[test]
fn a_streamed_reddit_thread_equals_the_one_shot_read() {
    streamed_equals_one_shot(&threadr::synth::reddit_thread(8_000, 4), "t.json");
}

#[test]
fn a_file_cut_off_after_its_first_part_keeps_the_part_and_says_why() {
    // A download cut off half way.
    let mut json = threadr::synth::reddit_thread(8_000, 2);
    json.truncate(json.floor_char_boundary(json.len() / 2));
    let (_dir, path, first) = opened(&json, "broken.json");
    let n = first.len();
    let mut a = App::new(first, "broken.json".into(), Keymap::default_keys());
    let out = a.read_rest(path, None, "broken.json".into());
    run_jobs(&mut a, out.effects);
    assert_eq!(a.stream, Streaming::Failed);
    assert_eq!(a.thread.len(), n, "the first part stays");
    let last = a
        .messages
        .last()
        .map(|m| m.text.clone())
        .unwrap_or_default();
    assert!(
        last.contains("not valid JSON") && last.contains("line 1"),
        "{last}"
    );
}

/// Waits for `pred` on the screen, polling fast (the window while reading is short).
fn screen_until(pty: &Pty, what: &str, pred: impl Fn(&str) -> bool) -> String {
    let start = Instant::now();
    loop {
        let s = pty.screen();
        if pred(&s) {
            return s;
        }
        assert!(
            start.elapsed() < Duration::from_mins(1),
            "timed out waiting for {what}; screen:\n{s}"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// The percentage in `reading N%` on the screen.
fn percent(screen: &str) -> Option<u64> {
    let at = screen.find("reading ")? + "reading ".len();
    let digits: String = screen[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

#[test]
fn a_large_file_shows_its_first_screen_and_the_reading_progress_then_all() {
    let n = 150_000;
    let text = threadr::synth::plain_thread(n, 7);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.txt");
    std::fs::write(&path, &text).unwrap();
    drop(text);
    let file = path.to_str().unwrap();
    let mut pty = Pty::spawn(&[file, "--fresh"], 120, 30, &[]);
    // The first screen while the rest is read: a count marked as growing, and the progress.
    let screen = screen_until(&pty, "the first part", |s| s.contains("reading "));
    assert!(screen.contains("1/") && screen.contains('…'), "{screen}");
    assert!(!screen.contains(&format!("/{n}")), "{screen}");
    let first = percent(&screen).unwrap();
    // Keys work at once; `G` says it waits.
    pty.keys("j");
    screen_until(&pty, "j to move", |s| {
        s.contains("2/") || !s.contains("reading ")
    });
    pty.keys("G");
    let screen = screen_until(&pty, "the answer to G", |s| {
        s.contains("Still reading the file") || !s.contains("reading ")
    });
    if screen.contains("Still reading") {
        // The percentage grows (read again while it still shows).
        let later = screen_until(&pty, "progress", |s| percent(s).is_none_or(|p| p >= first));
        assert!(percent(&later).is_none_or(|p| p <= 100));
    }
    // Then the whole thread, and G goes to its last comment.
    screen_until(&pty, "the whole count", |s| {
        s.contains(&format!("/{n} ")) && !s.contains("reading ")
    });
    pty.keys("G");
    pty.wait_text(&format!("{n}/{n}"));
    pty.keys("q");
    assert_eq!(pty.wait_exit(), 0);
}

#[test]
fn a_large_reddit_file_streams_too() {
    let n = 60_000;
    let json = threadr::synth::reddit_thread(n, 7);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.json");
    std::fs::write(&path, &json).unwrap();
    drop(json);
    let mut pty = Pty::spawn(&[path.to_str().unwrap(), "--fresh"], 120, 30, &[]);
    let screen = screen_until(&pty, "the first part", |s| s.contains("Comments 1/"));
    assert!(screen.contains("Why the trains are late"), "{screen}");
    screen_until(&pty, "the whole count", |s| {
        s.contains(&format!("/{n} ")) && !s.contains("reading ")
    });
    pty.keys("q");
    assert_eq!(pty.wait_exit(), 0);
}

#[test]
fn a_bookmark_and_the_position_past_the_first_part_survive_reopening() {
    let n = 60_000;
    let text = threadr::synth::plain_thread(n, 3);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.txt");
    std::fs::write(&path, &text).unwrap();
    drop(text);
    let data = dir.path().join("data");
    let env = [("THREADR_DATA_DIR", data.to_str().unwrap())];
    let file = path.to_str().unwrap();
    let whole = |pty: &Pty| {
        screen_until(pty, "the whole count", |s| {
            s.contains(&format!("/{n} ")) && !s.contains("reading ")
        })
    };
    // Far past the first part: the last comment, bookmarked.
    let mut pty = Pty::spawn(&[file], 120, 30, &env);
    whole(&pty);
    pty.keys("G");
    pty.wait_text(&format!("{n}/{n}"));
    pty.keys("m");
    pty.wait_text("★1");
    pty.keys("q");
    assert_eq!(pty.wait_exit(), 0);
    // Reopened: the first part shows without them (they attach to the whole thread only),
    // then the bookmark is there and the reader is back on the last comment.
    let mut pty = Pty::spawn(&[file], 120, 30, &env);
    whole(&pty);
    // The bookmarks are read by a job of their own once the whole thread is there.
    pty.wait_text("★1");
    pty.wait_text(&format!("{n}/{n}"));
    pty.keys("q");
    assert_eq!(pty.wait_exit(), 0);
}
