//! End-to-end hostile cases in a pseudo-terminal: a SIGHUP with the terminal still open
//! restores it, a panic quoting hostile input reaches the terminal sanitised, command-line
//! errors never echo control bytes.

use crate::common;

use std::time::{Duration, Instant};

use common::pty::Pty;

const HARBOUR: &str = "tests/fixtures/reader/harbour.txt";

/// Control bytes a terminal acts on, other than the reader's own output: none may appear in
/// what a message printed. (`\r`, `\n` and tabs are layout.)
fn hostile_bytes(s: &str) -> Vec<char> {
    s.chars()
        .filter(|&c| {
            (c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
                || ('\u{202a}'..='\u{202e}').contains(&c)
        })
        .collect()
}

#[test]
fn sighup_with_the_terminal_open_restores_it() {
    let bin = env!("CARGO_BIN_EXE_threadr");
    // The inner shell prints its pid and becomes threadr; the outer one then shows the
    // terminal modes threadr left behind.
    let pty = Pty::spawn_shell(
        &format!(
            "THREADR_DATA_DIR=$(mktemp -d) sh -c 'echo PID=$$; exec {bin} {HARBOUR}'; \
             echo; stty -a | tr ' ' '\\n' | grep -E '^-?(echo|icanon)$' | tr '\\n' ' '; \
             echo MODES-DONE; sleep 30"
        ),
        120,
        30,
    );
    pty.wait_text("Comments 1/");
    let raw = String::from_utf8_lossy(&pty.raw()).into_owned();
    let pid: u32 = raw
        .split("PID=")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .and_then(|p| p.parse().ok())
        .expect("the pid line");
    let start = Instant::now();
    std::process::Command::new("kill")
        .args(["-HUP", &pid.to_string()])
        .status()
        .unwrap();
    let screen = pty.wait_text("MODES-DONE");
    assert!(start.elapsed() < Duration::from_secs(5));
    assert!(!pty.alternate_screen(), "left the alternate screen");
    let modes = screen
        .lines()
        .find(|l| l.contains("MODES-DONE"))
        .unwrap_or_default();
    let words: Vec<&str> = modes.split_whitespace().collect();
    assert!(
        words.contains(&"echo") && words.contains(&"icanon"),
        "terminal left raw: {screen}"
    );
    let raw = String::from_utf8_lossy(&pty.raw()).into_owned();
    let shown = raw.rfind("\u{1b}[?25h").expect("cursor shown again");
    assert!(shown > raw.rfind("\u{1b}[?25l").unwrap_or(0));
}

#[test]
fn a_panic_quoting_hostile_input_is_sanitised() {
    let dir = tempfile::tempdir().unwrap();
    // The test hook panics quoting its value, as a panic on a slice of input text quotes
    // the text: here a terminal reset, a clear and a title.
    let env = [
        (
            "THREADR_TEST_PANIC",
            "ab\u{20ac} \x1bc\x1b[2J\x1b]0;PWN\x07\u{9b}\u{202e}",
        ),
        ("RUST_BACKTRACE", "0"),
        ("THREADR_DATA_DIR", dir.path().to_str().unwrap()),
    ];
    let mut pty = Pty::spawn(&[HARBOUR], 100, 20, &env);
    assert_eq!(pty.wait_exit(), 101);
    let raw = String::from_utf8_lossy(&pty.raw()).into_owned();
    let restored = raw.rfind("\u{1b}[?1049l").expect("alternate screen left");
    let message = &raw[restored + "\u{1b}[?1049l".len()..];
    assert!(message.contains("threadr: internal error"), "{message:?}");
    // After the restore, the message adds no escape sequence of its own.
    // The message line itself (the cursor is shown again after it, by the program).
    let after_restore: String = message
        .split("threadr: internal error")
        .nth(1)
        .and_then(|m| m.split("\r\n").next())
        .unwrap()
        .to_string();
    assert!(
        hostile_bytes(&after_restore).is_empty(),
        "{after_restore:?}"
    );
    assert!(
        after_restore.contains("ab€ ␛c␛[2J␛]0;PWN␇"),
        "{after_restore:?}"
    );
}

#[test]
fn dump_panics_are_sanitised_too() {
    // `dump` never opens the terminal, and a panic there used the default hook.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_threadr"))
        .args(["dump", "-"])
        .env(
            "THREADR_TEST_PANIC",
            "boom \x1bc\x1b[2J\x1b]0;PWN\x07\u{9b}\u{202e}",
        )
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(101));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("threadr: internal error"), "{err}");
    assert!(err.contains("boom ␛c␛[2J␛]0;PWN␇<U+009B><U+202E>"), "{err}");
    assert!(hostile_bytes(&err).is_empty(), "{err:?}");
}

#[test]
fn command_line_errors_never_echo_control_bytes() {
    let bin = env!("CARGO_BIN_EXE_threadr");
    for args in [
        vec!["dump", "a.json", "b\x1b]0;PWNTITLE\x07"],
        vec!["--input-format", "x\x1b[2J\u{9b}31m\u{202e}", "f"],
        vec!["--\x1bc"],
        vec!["dump", "--format", "\u{85}\u{202e}z", "f"],
    ] {
        let out = std::process::Command::new(bin)
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("error:"), "{err}");
        assert!(hostile_bytes(&err).is_empty(), "{args:?}: {err:?}");
    }
    // Help and version still work and exit 0.
    let out = std::process::Command::new(bin)
        .arg("--help")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Usage"));
}
