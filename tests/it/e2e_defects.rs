//! End-to-end checks of issue 15's fixes that only the real binary shows: a pipe without
//! `-`, a binary file, the reading position saved before the terminal is given back, and
//! the messages for command-line mistakes.

use crate::common;

use std::time::{Duration, Instant};

use common::pty::Pty;

const HARBOUR: &str = "tests/fixtures/reader/harbour.txt";

/// #15: `cat FILE | threadr` reads the pipe, as `less` does.
#[test]
fn a_pipe_without_a_dash_is_read() {
    let bin = env!("CARGO_BIN_EXE_threadr");
    let mut pty = Pty::spawn_shell(&format!("cat {HARBOUR} | {bin}"), 120, 30);
    pty.wait_text("Lovely write-up");
    pty.keys("q");
    assert_eq!(pty.wait_exit(), 0);
}

/// #16: a program is not an article full of `␡ELF`.
#[test]
fn a_binary_file_is_refused() {
    let mut pty = Pty::spawn(&[env!("CARGO_BIN_EXE_threadr")], 100, 20, &[]);
    assert_ne!(pty.wait_exit(), 0);
    let screen = pty.screen();
    assert!(screen.contains("looks like a binary file"), "{screen}");
    assert!(!pty.alternate_screen());
}

/// #21: by the time the terminal is back (the shell prompt would be there), the reading
/// position is on disk: reopening at once, with a new comment in the copy, shows only that
/// one as new and puts the reader back where they were.
#[test]
fn quit_then_reopen_at_once_finds_the_visit_saved() {
    let data = tempfile::tempdir().unwrap();
    let data_dir = data.path().to_str().unwrap().to_string();
    let copy = data.path().join("copy.txt");
    let original = std::fs::read_to_string(HARBOUR).unwrap();
    std::fs::write(&copy, &original).unwrap();
    let env = [("THREADR_DATA_DIR", data_dir.as_str())];
    for round in 0..3 {
        let mut pty = Pty::spawn(&[copy.to_str().unwrap()], 120, 30, &env);
        pty.wait_text("Comments ");
        pty.keys("g");
        pty.wait_text("Comments 1/");
        pty.keys("jj");
        pty.wait_text("Comments 3/");
        pty.keys("q");
        let start = Instant::now();
        while pty.alternate_screen() && start.elapsed() < Duration::from_secs(20) {
            std::thread::sleep(Duration::from_millis(2));
        }
        // The terminal is back: the state must be saved already, whatever the load.
        let states: Vec<_> = std::fs::read_dir(data.path().join("tester/state"))
            .map(|d| d.flatten().collect())
            .unwrap_or_default();
        assert_eq!(
            states.len(),
            1,
            "round {round}: saved before the terminal came back"
        );
        let state = std::fs::read_to_string(states[0].path()).unwrap();
        assert!(state.contains("\"focused\": \""), "round {round}: {state}");
        pty.wait_exit();
        // A newer copy with one more top-level comment, opened at once.
        let more = format!(
            "{}\n\n  99. A brand new comment, round {round}.\n",
            std::fs::read_to_string(&copy).unwrap().trim_end()
        );
        std::fs::write(&copy, more).unwrap();
        let mut pty = Pty::spawn(&[copy.to_str().unwrap()], 120, 30, &env);
        let screen = pty.wait_text("1 new");
        assert!(screen.contains("Comments 3/"), "position kept:\n{screen}");
        pty.keys("q");
        pty.wait_exit();
    }
}

/// Kills a private tmux server however the test ends.
struct Server<'a>(&'a dyn Fn(&[&str]) -> std::process::Output);

impl Drop for Server<'_> {
    fn drop(&mut self) {
        let _ = (self.0)(&["kill-server"]);
    }
}

/// #9: inside a real tmux (a private server), `y` says what tmux does with the sequence,
/// from its options: dropped with the defaults, passed with `allow-passthrough on`.
#[test]
fn inside_tmux_the_copy_message_follows_its_options() {
    let tmux_ok = std::process::Command::new("tmux").arg("-V").output();
    if !tmux_ok.is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: tmux is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let socket = dir.path().join("sock");
    let tmux = |args: &[&str]| {
        std::process::Command::new("tmux")
            .arg("-S")
            .arg(&socket)
            .args(args)
            .output()
            .unwrap()
    };
    assert!(
        tmux(&["-f", "/dev/null", "new-session", "-d", "-s", "t"])
            .status
            .success()
    );
    let _server = Server(&tmux);
    let env_tmux = format!("{},1,0", socket.display());
    tmux(&["set", "-g", "allow-passthrough", "off"]);
    tmux(&["set", "-g", "set-clipboard", "external"]);
    let mut pty = Pty::spawn(&[HARBOUR], 120, 30, &[("TMUX", env_tmux.as_str())]);
    pty.wait_text("Comments 1/");
    pty.keys("y");
    pty.wait_text("Not copied: tmux drops");
    tmux(&["set", "-g", "allow-passthrough", "on"]);
    pty.keys("y");
    pty.wait_text("through tmux's passthrough");
    let raw = pty.raw();
    let needle = b"\x1bPtmux;\x1b\x1b]52;c;";
    assert!(raw.windows(needle.len()).any(|w| w == needle));
    tmux(&["set", "-g", "allow-passthrough", "off"]);
    tmux(&["set", "-g", "set-clipboard", "on"]);
    pty.keys("y");
    pty.wait_text("to tmux's clipboard");
    pty.keys("q");
    pty.wait_exit();
}

/// #28: a second file is not called a subcommand, a far option gets no misleading tip, and
/// `--help` points at `?` in the reader.
#[test]
fn command_line_mistakes_get_plain_messages() {
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_threadr"))
            .args(args)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, _, err) = run(&["a.txt", "b.txt"]);
    assert_eq!(code, Some(2));
    assert!(
        err.starts_with("error: unexpected argument 'b.txt': threadr opens one thread at a time"),
        "{err}"
    );
    let (code, _, err) = run(&["--bogus"]);
    assert_eq!(code, Some(2));
    assert!(!err.contains("--mouse"), "{err}");
    let (_, _, err) = run(&["--thme", "dark"]);
    assert!(
        err.contains("'--theme'"),
        "a near typo keeps clap's tip: {err}"
    );
    let (code, out, _) = run(&["--help"]);
    assert_eq!(code, Some(0));
    assert!(
        out.contains("In the reader, press ? for every key"),
        "{out}"
    );
}
