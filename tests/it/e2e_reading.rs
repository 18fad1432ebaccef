//! End-to-end in a pseudo-terminal, one test per reading tool: sort, `a`, the unread count
//! across two runs, `x`, and a hide rule from `config.toml`.

use crate::common;

use common::pty::Pty;

const SCORES: &str = "tests/fixtures/reader/scores.txt";

/// The tree rows on screen (lines of the comments pane), in order, by author.
fn order(screen: &str, authors: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for line in screen.lines() {
        for a in authors {
            if line.contains(&format!(" {a} ")) && line.contains("pt") {
                out.push((*a).to_string());
                break;
            }
        }
    }
    out
}

#[test]
fn s_sorts_the_tree_by_score_and_says_so() {
    let mut pty = Pty::spawn(&[SCORES], 120, 30, &[]);
    pty.wait_text("Comments 1/7");
    pty.keys("s");
    let screen = pty.wait_text("sorted by score");
    let tops = order(&screen, &["dan", "ana", "eve"]);
    assert_eq!(tops.first().map(String::as_str), Some("dan"), "{screen}");
    pty.keys("S");
    let screen = pty.wait_text("in file order");
    assert_eq!(
        order(&screen, &["dan", "ana", "eve"])
            .first()
            .map(String::as_str),
        Some("ana")
    );
    pty.keys("q");
    assert_eq!(pty.wait_exit(), 0);
}

#[test]
fn a_goes_to_the_next_comment_by_the_same_author() {
    let mut pty = Pty::spawn(&[SCORES], 120, 30, &[]);
    pty.wait_text("Comments 1/7");
    pty.keys("a");
    let screen = pty.wait_text("Comment 2/2 by ana");
    assert!(screen.contains("Comments 4/7"), "{screen}");
    assert!(screen.contains("Ana answers cid."), "{screen}");
    pty.keys("a");
    pty.wait_text("(wrapped)");
    pty.keys("q");
    assert_eq!(pty.wait_exit(), 0);
}

#[test]
fn the_unread_count_carries_over_to_the_next_run() {
    let data = tempfile::tempdir().unwrap();
    let data_dir = data.path().to_str().unwrap();
    let env = [("THREADR_DATA_DIR", data_dir)];
    let mut pty = Pty::spawn(&[SCORES], 120, 30, &env);
    // The first comment is in front of the reader from the start.
    pty.wait_text("6 unread");
    pty.keys("j");
    pty.wait_text("5 unread");
    pty.keys("j");
    pty.wait_text("4 unread");
    pty.keys("q");
    assert_eq!(pty.wait_exit(), 0);

    let mut pty = Pty::spawn(&[SCORES], 120, 30, &env);
    let screen = pty.wait_text("4 unread");
    assert!(
        screen.contains("Comments 3/7"),
        "the position came back too:\n{screen}"
    );
    pty.keys("u");
    pty.wait_text("3 unread");
    pty.keys("q");
    assert_eq!(pty.wait_exit(), 0);
}

#[test]
fn x_marks_a_subthread_read() {
    let mut pty = Pty::spawn(&[SCORES], 120, 30, &[]);
    pty.wait_text("6 unread");
    pty.keys("x");
    pty.wait_text("Marked 4 comments read");
    pty.wait_text("3 unread");
    pty.keys("X");
    pty.wait_text("Mark all 3 unread comments read?");
    pty.keys("\r");
    pty.wait_text("0 unread");
    pty.keys("q");
    assert_eq!(pty.wait_exit(), 0);
}

#[test]
fn a_hide_rule_removes_the_robot_and_bang_brings_it_back() {
    let config = tempfile::tempdir().unwrap();
    std::fs::write(
        config.path().join("config.toml"),
        "[[rules]]\nauthor = \"AutoModerator\"\naction = \"hide\"\n",
    )
    .unwrap();
    let env = [("THREADR_CONFIG_DIR", config.path().to_str().unwrap())];
    let mut pty = Pty::spawn(&[SCORES], 120, 30, &env);
    let screen = pty.wait_text("rules: 1");
    assert!(screen.contains("Comments 1/6"), "{screen}");
    assert!(!screen.contains("AutoModerator"), "{screen}");
    pty.keys("!");
    let screen = pty.wait_text("rules off");
    assert!(screen.contains("AutoModerator"), "{screen}");
    pty.keys("q");
    assert_eq!(pty.wait_exit(), 0);

    // A bad rule stops threadr with the file, line and key.
    std::fs::write(
        config.path().join("config.toml"),
        "[[rules]]\nauthor = \"x\"\naction = \"smite\"\n",
    )
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_threadr"))
        .arg(SCORES)
        .env("THREADR_CONFIG_DIR", config.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("config.toml, line 3, [[rules]] #1 action"),
        "{err}"
    );
    assert!(err.contains("unknown action \"smite\""), "{err}");
}
