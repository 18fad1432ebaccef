//! A few hundred fuzzed inputs opened in the reader in a real pseudo-terminal: open, a few
//! keys, quit. Never a panic (exit 101), never a terminal left in the alternate screen or
//! with changed modes. One shell runs the inputs one after another, so the batch costs one
//! terminal; `THREADR_FUZZ_TUI=N` runs N inputs instead of the default.

use crate::common;

use std::time::{Duration, Instant};

use common::pty::{DEADLINE, Pty};
use threadr::fuzzing::{self, Rng};

const DEFAULT_INPUTS: usize = 200;

fn seeds() -> Vec<Vec<u8>> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut out = Vec::new();
    for sub in [
        "json",
        "reader",
        "browser",
        "fuzz/threadr",
        "fuzz/markup",
        "fuzz/lynx",
    ] {
        let mut paths: Vec<_> = std::fs::read_dir(root.join(sub))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file() && p.extension().is_none_or(|e| e != "py"))
            .collect();
        paths.sort();
        out.extend(paths.iter().map(|p| std::fs::read(p).unwrap()));
    }
    out
}

/// Waits until `done` holds, checking every 5 ms.
fn wait(pty: &Pty, what: &str, done: impl Fn(&Pty) -> bool) {
    let start = Instant::now();
    while !done(pty) {
        assert!(
            start.elapsed() < DEADLINE,
            "timed out waiting for {what}; screen:\n{}",
            pty.screen()
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn fuzzed_inputs_open_navigate_and_quit_cleanly() {
    let n = std::env::var("THREADR_FUZZ_TUI")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_INPUTS);
    let dir = tempfile::tempdir().unwrap();
    let seeds = seeds();
    let mut rng = Rng::new(23);
    for i in 0..n {
        let a = &seeds[rng.below(seeds.len())];
        let b = &seeds[rng.below(seeds.len())];
        let m = fuzzing::mutate(&mut rng, a, b);
        std::fs::write(dir.path().join(format!("{i:04}")), &m).unwrap();
    }
    let bin = env!("CARGO_BIN_EXE_threadr");
    // The shell waits for a line before each input, so the test and the shell never race.
    let script = format!(
        "INIT=$(stty -g); i=0; for f in {}/*; do read go; {bin} \"$f\" 2>/dev/null; code=$?; \
         if [ \"$(stty -g)\" = \"$INIT\" ]; then modes=same; else modes=CHANGED; stty \"$INIT\"; fi; \
         echo \"EXIT$i=$code:$modes.\"; i=$((i+1)); done; echo ALL-DONE; sleep 60",
        dir.path().display()
    );
    let start = Instant::now();
    let mut pty = Pty::spawn_shell(&script, 80, 24);
    let mut opened = 0;
    let mut problems = Vec::new();
    for i in 0..n {
        let marker = format!("EXIT{i}=");
        let seen = pty.raw_len();
        pty.keys("\n");
        let new = |p: &Pty| String::from_utf8_lossy(&p.raw_from(seen)).into_owned();
        // Either the reader drew its first frame, or it refused the file and exited.
        let up = |out: &str| {
            out.find("\u{1b}[?1049h")
                .is_some_and(|at| out[at..].contains("help"))
        };
        wait(&pty, "the reader or its exit", |p| {
            let out = new(p);
            up(&out) || out.contains(&marker)
        });
        if !new(&pty).contains(&marker) {
            opened += 1;
            pty.keys("jGg\tlkq");
        }
        wait(&pty, &marker, |p| new(p).contains(&marker));
        let out = new(&pty);
        let result = out
            .split(&marker)
            .nth(1)
            .and_then(|r| r.split('.').next())
            .unwrap_or_default();
        if pty.alternate_screen() {
            problems.push(format!("input {i:04}: left the alternate screen on"));
        }
        if !(result == "0:same" || result == "1:same") {
            problems.push(format!("input {i:04}: {result}"));
        }
    }
    pty.wait_text("ALL-DONE");
    eprintln!(
        "fuzz_tui: {n} inputs, {opened} opened in the reader, {:.1} s",
        start.elapsed().as_secs_f64()
    );
    assert!(opened > n / 4, "only {opened} of {n} inputs opened");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
