//! End-to-end: the built binary in a real pseudo-terminal, read as a person sees it.

use crate::common;

use std::time::{Duration, Instant};

use common::pty::Pty;

const HARBOUR: &str = "tests/fixtures/reader/harbour.txt";

/// The terminal is back to normal: main screen, cursor shown, raw mode sequences undone.
fn assert_restored(pty: &Pty) {
    assert!(!pty.alternate_screen(), "left the alternate screen");
    let raw = pty.raw();
    let tail = &raw[raw.len().saturating_sub(64)..];
    let tail = String::from_utf8_lossy(tail);
    assert!(
        tail.contains("\u{1b}[?1049l"),
        "leaves the alternate screen: {tail:?}"
    );
    assert!(
        tail.contains("\u{1b}[?25h"),
        "shows the cursor again: {tail:?}"
    );
}

#[test]
fn open_navigate_fold_read_and_quit() {
    let mut pty = Pty::spawn(&[HARBOUR], 120, 40, &[]);
    let screen = pty.wait_text("Comments 1/");
    assert!(
        screen.contains("We walked the old harbour wall"),
        "article pane:\n{screen}"
    );
    assert!(screen.contains("Lovely write-up"), "tree pane:\n{screen}");

    pty.keys("j");
    pty.wait_text("#1 › 1.1");
    pty.keys("k");
    pty.keys("h");
    pty.wait_text("[+3 hidden]");
    pty.keys("l");
    pty.wait_for("unfolded", |s| !s.contains("[+3 hidden]"));

    // Read the long comment (#3) to its end with Space, then on to #4.
    pty.keys("}}");
    pty.wait_text("A very long comment follows");
    let mut pages = 0;
    while !pty
        .screen()
        .contains("The very last line of the long comment.")
    {
        assert!(pages < 10, "Space never reached the end:\n{}", pty.screen());
        pty.keys(" ");
        pty.settle(Duration::from_millis(100));
        pages += 1;
        assert!(pty.screen().contains("A very long comment follows") || pages > 1);
    }
    assert!(pages >= 1, "the end was not on the first page");
    pty.keys(" ");
    pty.wait_text("fish market café reopens");

    pty.keys("q");
    assert_eq!(pty.wait_exit(), 0);
    assert_restored(&pty);
}

#[test]
fn hostile_text_never_reaches_the_terminal() {
    let mut pty = Pty::spawn(&["tests/fixtures/reader/hostile.txt"], 120, 30, &[]);
    let screen = pty.wait_text("Comments 1/");
    assert!(
        screen.contains("␛]0;pwned-title␇"),
        "shown visibly:\n{screen}"
    );
    pty.keys("j");
    pty.wait_text("<U+202E>");
    pty.keys("q");
    pty.wait_exit();
    let raw = pty.raw();
    for needle in [
        &b"\x1b]0;pwned"[..],
        b"\x1b]52;c;cHduZWQ",
        b"\x1bc",
        b"\xe2\x80\xae",
        b"\xc2\x9b",
        b"\x07",
        b"\x08",
    ] {
        assert!(
            !raw.windows(needle.len()).any(|w| w == needle),
            "{needle:?} reached the terminal"
        );
    }
    // crossterm clears the screen with ESC[2J itself; the thread's copy must not appear.
    assert!(!raw.windows(11).any(|w| w == b"\x1b[2J clears"));
}

#[test]
fn a_100000_deep_chain_opens_and_reaches_its_last_reply() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("deep.txt");
    std::fs::write(&path, threadr::synth::deep_chain(100_000)).unwrap();
    let mut pty = Pty::spawn(&[path.to_str().unwrap()], 120, 30, &[]);
    pty.wait_text("Comments 1/100000");
    pty.keys("G");
    pty.wait_text("Comments 100000/100000");
    pty.wait_text("↳L100000");
    pty.keys("z");
    pty.wait_text("zoom L100000");
    pty.keys("q");
    assert_eq!(pty.wait_exit(), 0);
    assert_restored(&pty);
}

#[test]
fn without_a_terminal_it_says_so_and_writes_no_escapes() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_threadr"))
        .arg(HARBOUR)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(out.stdout.is_empty(), "nothing on stdout: {:?}", out.stdout);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not a terminal"), "{err}");
    assert!(!out.stderr.contains(&0x1b));
}

#[test]
fn thread_on_stdin_keys_from_the_terminal() {
    let mut pty = Pty::spawn(&[], 120, 30, &[]);
    // The tour opens without a file; quit it, then test stdin via a shell.
    pty.wait_text("A tour of threadr");
    pty.keys("q");
    pty.wait_exit();

    let bin = env!("CARGO_BIN_EXE_threadr");
    let mut pty = Pty::spawn_shell(&format!("cat {HARBOUR} | {bin} -"), 120, 30);
    pty.wait_text("Lovely write-up");
    pty.keys("j");
    pty.wait_text("#1 › 1.1");
    pty.keys("q");
    assert_eq!(pty.wait_exit(), 0);
}

#[test]
fn sigterm_and_sighup_end_it_promptly() {
    for signal in ["TERM", "HUP"] {
        let mut pty = Pty::spawn(&[HARBOUR], 100, 30, &[]);
        pty.wait_text("Comments 1/");
        let start = Instant::now();
        let status = std::process::Command::new("kill")
            .args([&format!("-{signal}"), &pty.pid().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        pty.wait_exit();
        assert!(
            start.elapsed() < Duration::from_secs(1),
            "SIG{signal} took {:?}",
            start.elapsed()
        );
        if signal == "TERM" {
            assert_restored(&pty);
        }
    }
}

#[test]
fn resizes_redraw_down_to_one_cell() {
    let mut pty = Pty::spawn(&[HARBOUR], 120, 40, &[]);
    pty.wait_text("Comments 1/");
    for (w, h) in [(1, 1), (10, 3), (60, 20)] {
        pty.resize(w, h);
        pty.settle(Duration::from_millis(150));
    }
    pty.resize(120, 40);
    pty.wait_text("We walked the old harbour wall");
    pty.keys("q");
    assert_eq!(pty.wait_exit(), 0);
}

#[test]
fn missing_file_is_a_clear_error() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_threadr"))
        .arg("no/such/file.txt")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no/such/file.txt"), "{err}");
}

/// SGR colour parameters (foreground/background, 8/16/256/24-bit) in raw output.
fn colour_codes(raw: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(raw);
    let mut found = Vec::new();
    for (i, _) in text.match_indices("\u{1b}[") {
        let rest = &text[i + 2..];
        let end = rest.find(|c: char| !(c.is_ascii_digit() || c == ';'));
        let Some(end) = end else { continue };
        if !rest[end..].starts_with('m') {
            continue;
        }
        for p in rest[..end].split(';') {
            let n: u32 = p.parse().unwrap_or(0);
            // 39 and 49 mean "the terminal's default colour": not a colour.
            if matches!(n, 30..=38 | 40..=48 | 90..=97 | 100..=107) {
                found.push(rest[..end].to_string());
                break;
            }
        }
    }
    found
}

#[test]
fn no_color_means_no_colour_codes() {
    let mut pty = Pty::spawn(
        &[HARBOUR],
        120,
        30,
        &[("NO_COLOR", "1"), ("COLORTERM", "truecolor")],
    );
    pty.wait_text("Comments 1/");
    pty.keys("j/bak");
    pty.wait_text("/bak");
    pty.keys("\r");
    pty.keys("q");
    pty.wait_exit();
    assert_eq!(colour_codes(&pty.raw()), Vec::<String>::new());

    // And the same screen in colour does use colour codes (the check can fail).
    let mut pty = Pty::spawn(&[HARBOUR], 120, 30, &[("COLORTERM", "truecolor")]);
    pty.wait_text("Comments 1/");
    pty.keys("q");
    pty.wait_exit();
    assert!(!colour_codes(&pty.raw()).is_empty());
}

#[test]
fn a_broken_theme_stops_before_the_screen_opens() {
    let dir = tempfile::tempdir().unwrap();
    let theme = dir.path().join("bad.toml");
    std::fs::write(&theme, "[palette]\nfg = \"#12345\"\n").unwrap();
    let mut pty = Pty::spawn(&[HARBOUR, "--theme", theme.to_str().unwrap()], 100, 20, &[]);
    let code = pty.wait_exit();
    assert_ne!(code, 0);
    let screen = pty.screen();
    assert!(screen.contains("bad.toml"), "{screen}");
    assert!(!pty.alternate_screen());
}

#[test]
fn empty_and_blank_files_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    for (name, content, expected) in [
        ("empty.txt", "", "the file is empty"),
        ("blank.txt", "  \n\n\t \n", "only blank space"),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, content).unwrap();
        let mut pty = Pty::spawn(&[path.to_str().unwrap()], 100, 20, &[]);
        assert_ne!(pty.wait_exit(), 0);
        let screen = pty.screen();
        assert!(screen.contains(expected), "{screen}");
        assert!(!pty.alternate_screen());
    }
}

#[test]
fn dash_without_a_pipe_says_what_to_do() {
    let mut pty = Pty::spawn(&["-"], 100, 20, &[]);
    assert_ne!(pty.wait_exit(), 0);
    assert!(
        pty.screen().contains("nothing is piped in"),
        "{}",
        pty.screen()
    );
}

#[test]
fn a_panic_restores_the_terminal_then_prints_its_message() {
    let env = [("THREADR_TEST_PANIC", "1"), ("RUST_BACKTRACE", "0")];
    let mut pty = Pty::spawn(&[HARBOUR], 100, 20, &env);
    assert_eq!(pty.wait_exit(), 101);
    assert!(!pty.alternate_screen(), "left the alternate screen");
    let screen = pty.screen();
    assert!(screen.contains("panicking on purpose"), "{screen}");
    let raw = String::from_utf8_lossy(&pty.raw()).into_owned();
    let restored = raw.rfind("\u{1b}[?1049l").expect("alternate screen left");
    let message = raw.rfind("panicking on purpose").unwrap();
    assert!(
        restored < message,
        "the message comes after the terminal is restored"
    );
}

#[test]
fn a_ten_megabyte_line_stays_responsive() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.txt");
    let word = "lorem ipsum dolor sit amet ";
    let long = word.repeat(10_000_000 / word.len());
    std::fs::write(
        &path,
        format!("A long line\n\nArticle.\n\n  1. {long}\n\n  2. After it.\n"),
    )
    .unwrap();
    let mut pty = Pty::spawn(&[path.to_str().unwrap()], 120, 30, &[]);
    pty.wait_text("Comments 1/2");
    pty.keys(" ");
    pty.wait_text("lines]");
    pty.keys("j");
    pty.wait_text("After it.");
    pty.keys("k");
    pty.wait_text("Comments 1/2");
    pty.keys("q");
    assert_eq!(pty.wait_exit(), 0);
}

#[test]
fn json_dump_escapes_what_could_affect_a_terminal_and_stays_lossless() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.json");
    std::fs::write(
        &path,
        "{\"format\":\"threadr/1\",\"title\":\"a\\u202eb\\u009bc\\u007fd\\u200be\",\"body\":\"x\",\"comments\":[]}",
    )
    .unwrap();
    let bin = env!("CARGO_BIN_EXE_threadr");
    let out = std::process::Command::new(bin)
        .args(["dump", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for c in ['\u{202e}', '\u{9b}', '\u{7f}', '\u{200b}', '\u{1b}'] {
        assert!(!text.contains(c), "{c:?} written raw");
    }
    assert!(text.contains("a\\u202eb\\u009bc\\u007fd\\u200be"), "{text}");
    // Reading the dump back gives the same dump.
    let again = dir.path().join("again.json");
    std::fs::write(&again, &text).unwrap();
    let out2 = std::process::Command::new(bin)
        .args(["dump", again.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(out2.stdout).unwrap(), text);
}
