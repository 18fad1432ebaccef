//! Hostile situations for the process: a reader of the output that goes away (`| head`),
//! and a reading position that cannot be saved at quit.

use crate::common;

use std::fmt::Write as _;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use common::pty::Pty;

const HARBOUR: &str = "tests/fixtures/reader/harbour.txt";

/// A thread big enough that its dump fills any pipe buffer many times over.
fn big_thread(dir: &std::path::Path) -> std::path::PathBuf {
    let mut text = String::from("Big\n\nArticle.\n\n");
    for i in 1..=5000 {
        let _ = write!(
            text,
            "  {i}. Comment number {i} says something long enough.

"
        );
    }
    let path = dir.join("big.txt");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_closed_pipe_ends_every_dump_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let path = big_thread(dir.path());
    for format in ["json", "text"] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_threadr"))
            .args(["dump", "--format", format, path.to_str().unwrap()])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        // `| head -1`: the reader of the pipe is gone after one line.
        let out = child.wait_with_output().unwrap();
        assert!(!first.is_empty());
        assert_eq!(out.status.code(), Some(0), "{format}");
        assert_eq!(String::from_utf8_lossy(&out.stderr), "", "{format}");
    }
}

#[test]
fn a_position_that_cannot_be_saved_at_quit_exits_non_zero() {
    let data = tempfile::tempdir().unwrap();
    let thread = threadr::format::load(&std::fs::read(HARBOUR).unwrap(), HARBOUR, None).unwrap();
    let reader = threadr::store::Reader::new("tester").unwrap();
    let store = threadr::store::Store::open_in(data.path(), reader).unwrap();
    let env = [("THREADR_DATA_DIR", data.path().to_str().unwrap())];

    // Saved fine: exit 0.
    let mut pty = Pty::spawn(&[HARBOUR], 120, 30, &env);
    pty.wait_text("Comments 1/");
    pty.keys("q");
    assert_eq!(pty.wait_exit(), 0);

    // The state file's place taken by a folder: every save fails (as on a full or
    // read-only disk, which root does not see here).
    let state = store.state_path(&thread.key);
    std::fs::remove_file(&state).unwrap();
    std::fs::create_dir(&state).unwrap();
    let mut pty = Pty::spawn(&[HARBOUR], 120, 30, &env);
    pty.wait_text("Comments 1/");
    pty.keys("jq");
    assert_eq!(pty.wait_exit(), 1);
    assert!(
        pty.screen().contains("could not save the reading position"),
        "{}",
        pty.screen()
    );
}
