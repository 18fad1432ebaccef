//! End-to-end in a pseudo-terminal: search, bookmarks with the CLI, copying through the
//! terminal (OSC 52, tmux), the mouse, suspend and resume, and SIGHUP saving the position.

use crate::common;

use std::time::{Duration, Instant};

use common::pty::Pty;

const HARBOUR: &str = "tests/fixtures/reader/harbour.txt";

#[test]
fn typing_a_query_shows_the_count_live() {
    let mut pty = Pty::spawn(&[HARBOUR], 120, 30, &[]);
    pty.wait_text("Comments 1/");
    pty.keys("/bake");
    let screen = pty.wait_text("/bake");
    assert!(screen.contains("1/2"), "count before Enter:\n{screen}");
    pty.keys("ry");
    pty.wait_text("1/2");
    pty.keys("\r");
    pty.keys("n");
    pty.wait_text("2/2");
    pty.keys("q");
    assert_eq!(pty.wait_exit(), 0);
}

#[test]
fn bookmark_in_the_reader_then_list_from_the_cli() {
    let data = tempfile::tempdir().unwrap();
    let data_dir = data.path().to_str().unwrap();
    let env = [("THREADR_DATA_DIR", data_dir)];
    let mut pty = Pty::spawn(&[HARBOUR], 120, 30, &env);
    pty.wait_text("Comments 1/");
    pty.keys("j");
    pty.wait_text("#1 › 1.1");
    pty.keys("M");
    pty.wait_text("Note:");
    pty.keys("the bakery corner\r");
    pty.wait_text("Note saved");
    pty.wait_text("★1");
    pty.keys("q");
    assert_eq!(pty.wait_exit(), 0);

    let out = std::process::Command::new(env!("CARGO_BIN_EXE_threadr"))
        .args(["bookmarks", "--reader", "tester"])
        .env("THREADR_DATA_DIR", data_dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(md.contains("Notes from the harbour walk"), "{md}");
    assert!(md.contains("the bakery corner"), "{md}");
    assert!(md.contains("Which street?"), "{md}");
}

/// The OSC 52 payloads the program wrote, decoded.
fn copies(raw: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(raw);
    text.match_indices("]52;c;")
        .filter_map(|(i, _)| threadr::terminal::decode_osc52(&text[i.saturating_sub(1)..]))
        .collect()
}

#[test]
fn y_copies_the_focused_comment_through_osc52() {
    let mut pty = Pty::spawn(&[HARBOUR], 120, 30, &[]);
    pty.wait_text("Comments 1/");
    pty.keys("j");
    pty.wait_text("#1 › 1.1");
    pty.keys("y");
    pty.wait_text("Copied comment by anonymous");
    let copied = copies(&pty.raw());
    assert_eq!(copied.len(), 1);
    assert_eq!(
        copied[0],
        "anonymous:\n\nWhich street? My grandmother had the bakery on the corner of Rope Lane."
    );
    // In the article pane, y copies the article.
    pty.keys("\ty");
    pty.wait_text("Copied article");
    let copied = copies(&pty.raw());
    assert!(copied[1].starts_with("Notes from the harbour walk\n\nWe walked"));
    pty.keys("q");
    pty.wait_exit();
}

#[test]
fn inside_tmux_the_copy_uses_its_passthrough() {
    // A socket nobody serves: tmux's options cannot be read, so threadr sends through the
    // passthrough and says what tmux needs if it does not arrive.
    let dir = tempfile::tempdir().unwrap();
    let tmux = format!("{},1,0", dir.path().join("no-server").display());
    let mut pty = Pty::spawn(&[HARBOUR], 120, 30, &[("TMUX", tmux.as_str())]);
    pty.wait_text("Comments 1/");
    pty.keys("y");
    pty.wait_text("to tmux; if it does not arrive");
    let raw = pty.raw();
    let needle = b"\x1bPtmux;\x1b\x1b]52;c;";
    assert!(raw.windows(needle.len()).any(|w| w == needle));
    pty.keys("q");
    pty.wait_exit();
}

#[test]
fn mouse_capture_is_off_by_default_and_on_with_the_flag() {
    let capture = b"\x1b[?1000h";
    let mut pty = Pty::spawn(&[HARBOUR], 120, 30, &[]);
    pty.wait_text("Comments 1/");
    pty.keys("q");
    pty.wait_exit();
    assert!(!pty.raw().windows(capture.len()).any(|w| w == capture));

    let mut pty = Pty::spawn(&[HARBOUR, "--mouse"], 120, 30, &[]);
    let screen = pty.wait_text("Comments 1/");
    assert!(pty.raw().windows(capture.len()).any(|w| w == capture));
    // Click on the third tree row (SGR mouse report, 1-based column and row).
    let row = screen
        .lines()
        .position(|l| l.contains("Rope Lane, yes"))
        .expect("the reply is in the tree") as u16
        + 1;
    pty.send(format!("\x1b[<0;80;{row}M\x1b[<0;80;{row}m").as_bytes());
    pty.wait_text("Comments 3/");
    pty.keys("q");
    pty.wait_exit();
}

fn process_state(pid: u32) -> char {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    stat.rsplit(')')
        .next()
        .and_then(|s| s.trim().chars().next())
        .unwrap_or('?')
}

#[test]
fn ctrl_z_suspends_and_fg_redraws() {
    let mut pty = Pty::spawn(&[HARBOUR], 120, 30, &[]);
    pty.wait_text("Comments 1/");
    pty.keys("j");
    pty.wait_text("#1 › 1.1");
    pty.send(b"\x1a");
    let start = Instant::now();
    while process_state(pty.pid()) != 'T' {
        assert!(start.elapsed() < Duration::from_secs(10), "not stopped");
        std::thread::sleep(Duration::from_millis(20));
    }
    pty.wait_for("the terminal restored", |_| !pty.alternate_screen());
    std::process::Command::new("kill")
        .args(["-CONT", &pty.pid().to_string()])
        .status()
        .unwrap();
    pty.wait_for("redrawn", |s| {
        s.contains("#1 › 1.1") && s.contains("Comments 2/")
    });
    assert!(pty.alternate_screen());
    pty.keys("q");
    assert_eq!(pty.wait_exit(), 0);
}

#[test]
fn sighup_saves_the_position() {
    let data = tempfile::tempdir().unwrap();
    let env = [("THREADR_DATA_DIR", data.path().to_str().unwrap())];
    let mut pty = Pty::spawn(&[HARBOUR], 120, 30, &env);
    pty.wait_text("Comments 1/");
    pty.keys("jjj");
    pty.wait_text("Comments 4/");
    pty.settle(Duration::from_millis(100));
    let start = Instant::now();
    std::process::Command::new("kill")
        .args(["-HUP", &pty.pid().to_string()])
        .status()
        .unwrap();
    pty.wait_exit();
    assert!(
        start.elapsed() < Duration::from_secs(1),
        "took {:?}",
        start.elapsed()
    );

    let mut pty = Pty::spawn(&[HARBOUR], 120, 30, &env);
    pty.wait_text("Comments 4/");
    pty.keys("q");
    pty.wait_exit();
    // --fresh does not restore.
    let mut pty = Pty::spawn(&[HARBOUR, "--fresh"], 120, 30, &env);
    pty.wait_text("Comments 1/");
    pty.keys("q");
    pty.wait_exit();
}

const LINKS: &str = "tests/fixtures/reader/links.json";

#[test]
fn links_become_safe_osc8_hyperlinks_when_enabled() {
    let config = tempfile::tempdir().unwrap();
    std::fs::write(config.path().join("config.toml"), "osc8 = true\n").unwrap();
    let env = [("THREADR_CONFIG_DIR", config.path().to_str().unwrap())];
    let mut pty = Pty::spawn(&[LINKS], 120, 30, &env);
    pty.wait_text("Two links");
    pty.keys("q");
    pty.wait_exit();
    let raw = String::from_utf8_lossy(&pty.raw()).into_owned();
    assert!(
        raw.contains("\u{1b}]8;;https://example.org/one\u{1b}\\first"),
        "the link is a hyperlink"
    );
    assert!(raw.contains("\u{1b}]8;;https://example.org/x%1B]0%3Bpwned%07y\u{1b}\\"));
    assert!(
        !raw.contains("\u{1b}]0;pwned"),
        "the URL's escape never reaches the terminal"
    );

    // Off by default on a terminal not known to support them.
    let mut pty = Pty::spawn(&[LINKS], 120, 30, &[]);
    pty.wait_text("Two links");
    pty.keys("q");
    pty.wait_exit();
    assert!(!String::from_utf8_lossy(&pty.raw()).contains("\u{1b}]8;;"));
}

#[test]
fn o_lists_links_and_choosing_one_copies_it() {
    let mut pty = Pty::spawn(&[LINKS], 120, 30, &[]);
    pty.wait_text("Two links");
    pty.keys("o");
    pty.wait_text("Links in this comment");
    pty.keys("\r");
    pty.wait_text("Copied link");
    assert_eq!(copies(&pty.raw()), ["https://example.org/one"]);
    // Y copies the comment's own link; OP is marked on ana's reply.
    pty.keys("Y");
    pty.wait_text("Copied comment link");
    pty.keys("j");
    pty.wait_text("(OP)");
    pty.wait_text("3 more");
    pty.keys("q");
    pty.wait_exit();
    assert_eq!(
        copies(&pty.raw())[1],
        "https://example.org/threads/links#c1"
    );
}

#[test]
fn a_dropped_connection_saves_the_position_and_exits_without_spinning() {
    let data = tempfile::tempdir().unwrap();
    let env = [("THREADR_DATA_DIR", data.path().to_str().unwrap())];
    let mut pty = Pty::spawn(&[HARBOUR], 120, 30, &env);
    pty.wait_text("Comments 1/");
    pty.keys("}}");
    pty.wait_text("Comments 7/");
    pty.settle(Duration::from_millis(100));
    let start = Instant::now();
    pty.hangup();
    // 129: the signal thread saved and exited; 1: the loop saw the terminal go first. Never
    // 101, a panic (ratatui's cursor restore used to panic on a dead terminal).
    let code = pty.wait_exit();
    assert!(code == 129 || code == 1, "exit code {code}");
    assert!(
        start.elapsed() < Duration::from_secs(1),
        "took {:?}",
        start.elapsed()
    );

    // SIGTERM saves too.
    let mut pty = Pty::spawn(&[HARBOUR], 120, 30, &env);
    pty.wait_text("Comments 7/");
    pty.keys("j");
    pty.wait_text("Comments 8/");
    pty.settle(Duration::from_millis(100));
    std::process::Command::new("kill")
        .args(["-TERM", &pty.pid().to_string()])
        .status()
        .unwrap();
    pty.wait_exit();
    assert!(!pty.alternate_screen(), "SIGTERM restores the terminal");
    let mut pty = Pty::spawn(&[HARBOUR], 120, 30, &env);
    pty.wait_text("Comments 8/");
    pty.keys("q");
    pty.wait_exit();
}

#[test]
fn the_browser_opens_links_when_not_over_ssh() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("opened.txt");
    let script = dir.path().join("browser.sh");
    std::fs::write(
        &script,
        format!("#!/bin/sh\nprintf '%s' \"$1\" > {}\n", out.display()),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let mut pty = Pty::spawn(&[LINKS], 120, 30, &[("BROWSER", script.to_str().unwrap())]);
    pty.wait_text("Two links");
    pty.keys("o");
    pty.wait_text("opens the link");
    pty.keys("j\r");
    pty.wait_text("Opened with");
    let start = Instant::now();
    while !out.exists() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the browser never ran"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(50));
    // The browser gets the URL with its control characters percent-encoded.
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "https://example.org/x%1B]0;pwned%07y"
    );
    pty.keys("q");
    pty.wait_exit();

    // Over SSH the same choice copies instead.
    let mut pty = Pty::spawn(
        &[LINKS],
        120,
        30,
        &[
            ("BROWSER", script.to_str().unwrap()),
            ("SSH_CONNECTION", "10.0.0.1 1 10.0.0.2 22"),
        ],
    );
    pty.wait_text("Two links");
    pty.keys("o");
    pty.wait_text("copies the link");
    pty.keys("j\r");
    pty.wait_text("Copied link");
    pty.keys("q");
    pty.wait_exit();
    // What lands on the clipboard cannot replay an escape sequence when pasted.
    assert_eq!(copies(&pty.raw()), ["https://example.org/x%1B]0;pwned%07y"]);
}

#[test]
fn the_mouse_wheel_scrolls_and_a_click_on_the_marker_folds() {
    let mut pty = Pty::spawn(&[HARBOUR, "--mouse"], 120, 30, &[]);
    let screen = pty.wait_text("Comments 1/");
    // Wheel down over the tree moves the selection.
    let tree_row = screen
        .lines()
        .position(|l| l.contains("Lovely write-up"))
        .unwrap() as u16
        + 1;
    pty.send(format!("\x1b[<65;80;{tree_row}M").as_bytes());
    pty.wait_text("Comments 2/");
    // Click on the fold marker of the first comment (column just inside the tree).
    let col = screen
        .lines()
        .nth(usize::from(tree_row) - 1)
        .unwrap()
        .find('▾')
        .unwrap();
    let col = screen.lines().nth(usize::from(tree_row) - 1).unwrap()[..col]
        .chars()
        .count()
        + 1;
    pty.send(format!("\x1b[<0;{col};{tree_row}M\x1b[<0;{col};{tree_row}m").as_bytes());
    pty.wait_text("[+3 hidden]");
    pty.keys("q");
    pty.wait_exit();
}

#[test]
fn a_selection_move_redraws_only_what_changed() {
    let mut pty = Pty::spawn(&[HARBOUR], 120, 30, &[]);
    pty.wait_text("Comments 1/");
    pty.settle(Duration::from_millis(150));
    let first_screen = pty.raw_len();
    pty.keys("j");
    pty.wait_text("Comments 2/");
    pty.settle(Duration::from_millis(150));
    let moved = pty.raw_len() - first_screen;
    assert!(
        moved * 3 < first_screen,
        "j wrote {moved} bytes; the whole screen was {first_screen}"
    );
    // Nothing is redrawn while nothing happens.
    let before = pty.raw_len();
    std::thread::sleep(Duration::from_millis(600));
    assert_eq!(pty.raw_len(), before);
    pty.keys("q");
    pty.wait_exit();
}

#[test]
fn the_position_is_saved_periodically_while_reading() {
    let data = tempfile::tempdir().unwrap();
    let env = [
        ("THREADR_DATA_DIR", data.path().to_str().unwrap()),
        ("THREADR_SAVE_EVERY_MS", "200"),
    ];
    let mut pty = Pty::spawn(&[HARBOUR], 120, 30, &env);
    pty.wait_text("Comments 1/");
    pty.keys("jjj");
    pty.wait_text("Comments 4/");
    // Wait for a periodic save, then kill without any chance to save: SIGKILL.
    let state_dir = data.path().join("tester/state");
    let start = Instant::now();
    let saved_with_focus = || {
        std::fs::read_dir(&state_dir).ok().is_some_and(|d| {
            d.flatten().any(|f| {
                std::fs::read_to_string(f.path()).is_ok_and(|t| t.contains("\"focused\": \""))
            })
        })
    };
    while !saved_with_focus() {
        assert!(start.elapsed() < Duration::from_secs(10), "never saved");
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(400));
    std::process::Command::new("kill")
        .args(["-KILL", &pty.pid().to_string()])
        .status()
        .unwrap();
    pty.wait_exit();
    let mut pty = Pty::spawn(&[HARBOUR], 120, 30, &env);
    pty.wait_text("Comments 4/");
    pty.keys("q");
    pty.wait_exit();
}

#[test]
fn the_config_files_reader_is_used_by_the_reader_and_the_bookmarks_command() {
    let config = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    std::fs::write(
        config.path().join("config.toml"),
        "reader = \"cfgreader\"\n",
    )
    .unwrap();
    let dirs = [
        ("THREADR_CONFIG_DIR", config.path().to_str().unwrap()),
        ("THREADR_DATA_DIR", data.path().to_str().unwrap()),
    ];
    // Pty sets THREADR_READER; the config file only applies without it.
    let mut pty = Pty::spawn_program(
        "/usr/bin/env",
        &[
            "-u",
            "THREADR_READER",
            env!("CARGO_BIN_EXE_threadr"),
            HARBOUR,
        ],
        120,
        30,
        &dirs,
    );
    pty.wait_text("Comments 1/");
    pty.keys("m");
    pty.wait_text("★1");
    pty.keys("q");
    pty.wait_exit();
    assert_eq!(
        std::fs::read_dir(data.path().join("cfgreader/bookmarks"))
            .unwrap()
            .count(),
        1
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_threadr"))
        .arg("bookmarks")
        .envs(dirs)
        .env_remove("THREADR_READER")
        .output()
        .unwrap();
    let md = String::from_utf8_lossy(&out.stdout);
    assert!(md.contains("cfgreader"), "{md}");
    assert!(md.contains("Lovely write-up"), "{md}");
}
