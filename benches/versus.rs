//! threadr against what people would use instead, on the same generated files: `less` on a
//! plain-text thread, `jless` (a JSON viewer) on a Reddit comments page. Each program runs
//! in a 160x45 pseudo-terminal; the clock stops when the first comment's text is on the
//! screen. Then threadr's memory after `E` (expand all) and a search, and how open time and
//! memory grow with the thread (10k, 100k, 1M comments).
//!
//! ```sh
//! cargo bench --bench versus                 # the whole table (1M comments: 0.5 GB in /tmp)
//! cargo bench --bench versus -- --no-1m      # without the 1,000,000-comment rows
//! cargo bench --bench versus -- --sizes 1000000   # only the growth table, these sizes
//! # or with the release binary and no second optimised build of the dev-dependencies:
//! cargo build --release && cargo test --bench versus --no-run
//! target/debug/deps/versus-* --bench --bin target/release/threadr
//! ```
//!
//! An alternative that is not installed is skipped with a note (`jless`:
//! `cargo install jless`, which needs the `libxcb` development packages from apt).
//! `cargo test --all-targets` runs this without `--bench` on a small thread, as a check that
//! it still works. Times are wall-clock medians of three runs on a shared machine (noisy);
//! "memory" is the peak resident set (`VmHWM`) of the process.

#[path = "../tests/it/common/pty.rs"]
#[allow(dead_code)]
mod pty;

use std::path::Path;
use std::time::{Duration, Instant};

use pty::Pty;

const COLS: u16 = 160;
const ROWS: u16 = 45;
/// Longest wait for one screen before the run counts as failed.
const WAIT: Duration = Duration::from_mins(2);

/// Polls the screen until `pred` holds; the time it took, or `None` after [`WAIT`].
fn until(pty: &Pty, start: Instant, pred: impl Fn(&str) -> bool) -> Option<Duration> {
    loop {
        if pred(&pty.screen()) {
            return Some(start.elapsed());
        }
        if start.elapsed() > WAIT {
            return None;
        }
        // Not faster: the emulator's screen copy takes CPU from the program measured.
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Peak resident memory of a process, in bytes (Linux).
fn peak_rss(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

fn installed(program: &str) -> bool {
    std::process::Command::new(program)
        .arg("--version")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok()
}

/// What one threadr run measured.
struct Run {
    /// The first comment on screen.
    first: Duration,
    /// The whole thread read (`1/N` in the status bar with N the full count).
    whole: Duration,
    /// Peak memory after the first screen and the thread read.
    opened_rss: u64,
    /// Peak memory after `E` and a search.
    searched_rss: Option<u64>,
}

/// Starts threadr on `file`; waits for `needle` (the first comment's text) and then the
/// full count; with `search`, presses `E` and searches, and reads the peak memory.
fn threadr(bin: &str, file: &Path, needle: &str, comments: usize, search: bool) -> Option<Run> {
    let data = tempfile::tempdir().ok()?;
    let env = [("THREADR_DATA_DIR", data.path().to_str()?)];
    let start = Instant::now();
    let mut pty = Pty::spawn_program(bin, &[file.to_str()?, "--fresh"], COLS, ROWS, &env);
    let first = until(&pty, start, |s| s.contains(needle))?;
    let total = format!("/{comments} ");
    let whole = until(&pty, start, |s| {
        s.contains(&total) && !s.contains("reading")
    })?;
    pty.settle(Duration::from_millis(300));
    let opened_rss = peak_rss(pty.pid())?;
    let searched_rss = if search {
        // Each step waits for its redraw: on a million comments they take a while.
        let quiet = Duration::from_millis(if comments > 200_000 { 2_000 } else { 500 });
        pty.keys("E");
        pty.settle(quiet);
        pty.keys("/");
        until(&pty, Instant::now(), |s| s.contains("Esc cancels"))?;
        pty.keys("train");
        pty.settle(quiet);
        pty.send(b"\r");
        pty.settle(quiet);
        peak_rss(pty.pid())
    } else {
        None
    };
    // Dropping the terminal ends the program (saving a million comments' state takes long).
    pty.send(b"\x1b");
    drop(pty);
    Some(Run {
        first,
        whole,
        opened_rss,
        searched_rss,
    })
}

/// Another program on `file`, until `needle` is on its screen.
fn other(program: &str, file: &Path, needle: &str) -> Option<Duration> {
    let start = Instant::now();
    let mut pty = Pty::spawn_program(program, &[file.to_str()?], COLS, ROWS, &[]);
    let took = until(&pty, start, |s| s.contains(needle));
    pty.send(b"q");
    took
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1e3)
}

fn mb(bytes: u64) -> String {
    format!("{:.0} MB", bytes as f64 / 1e6)
}

/// The first few words of the first comment, as they show on one screen line (read from
/// the file's start, as the reader's first screen is).
fn first_words(text: &str) -> String {
    let head = &text.as_bytes()[..text.len().min(threadr::format::head::HEAD_BYTES)];
    let thread = threadr::format::head::read(head, "synth", None).expect("a first part");
    let body = thread
        .comments
        .first()
        .map(|c| c.body.plain_text())
        .unwrap_or_default();
    body.split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Writes `text` to `dir/name`; the path.
fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write the generated thread");
    path
}

/// The first screen of threadr and `alternative` on one file, medians of `runs`.
fn versus(
    bin: &str,
    what: &str,
    path: &Path,
    needle: &str,
    comments: usize,
    alternative: &str,
    runs: usize,
) -> Option<Run> {
    let size = std::fs::metadata(path).map_or(0, |m| m.len());
    let mut ours = Vec::new();
    for _ in 0..runs {
        ours.extend(threadr(bin, path, needle, comments, false));
    }
    let Some(last) = ours.pop() else {
        println!("| {what} | threadr failed | | |");
        return None;
    };
    let mut firsts: Vec<_> = ours.iter().map(|r| r.first).collect();
    firsts.push(last.first);
    let first = median(firsts);
    let theirs = if installed(alternative) {
        let v: Vec<_> = (0..runs)
            .filter_map(|_| other(alternative, path, needle))
            .collect();
        (!v.is_empty()).then(|| median(v))
    } else {
        None
    };
    let (alt, ratio) = match theirs {
        Some(t) => (
            format!("`{alternative}` {}", ms(t)),
            format!("{:.2}x", first.as_secs_f64() / t.as_secs_f64().max(1e-6)),
        ),
        None if installed(alternative) => (format!("`{alternative}` failed"), String::new()),
        None => (
            format!("`{alternative}` not installed, skipped"),
            String::new(),
        ),
    };
    println!(
        "| {what}, {} | {} (whole thread read: {}) | {alt} | {ratio} |",
        mb(size),
        ms(first),
        ms(last.whole)
    );
    Some(last)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let measuring = args.iter().any(|a| a == "--bench");
    let big = measuring && !args.iter().any(|a| a == "--no-1m");
    let (n, runs) = if measuring { (100_000, 3) } else { (1_000, 1) };
    // `--bin PATH`: another threadr binary (a release build, or an older one to compare).
    let bin = args
        .iter()
        .position(|a| a == "--bin")
        .and_then(|i| args.get(i + 1))
        .map_or(env!("CARGO_BIN_EXE_threadr"), String::as_str);
    // The pseudo-terminal runs in the crate's folder and looks programs up in PATH.
    let bin = std::fs::canonicalize(bin).expect("the threadr binary");
    let bin = bin.to_str().expect("a UTF-8 path");
    // `--sizes 10000,1000000`: only the growth table, for these sizes.
    let sizes: Option<Vec<usize>> = args
        .iter()
        .position(|a| a == "--sizes")
        .and_then(|i| args.get(i + 1))
        .map(|v| v.split(',').filter_map(|n| n.parse().ok()).collect());
    let dir = tempfile::tempdir().expect("temp dir");

    let text = threadr::synth::plain_thread(n, 7);
    let needle = first_words(&text);
    let plain = write(dir.path(), "thread.txt", &text);
    drop(text);
    let json = threadr::synth::reddit_thread(n, 7);
    let reddit_needle = first_words(&json);
    let reddit = write(dir.path(), "thread.json", &json);
    drop(json);

    if let Some(sizes) = sizes {
        growth(bin, dir.path(), &plain, n, &needle, &sizes);
        return;
    }
    println!(
        "threadr ({bin}) versus the alternatives, {COLS}x{ROWS} pseudo-terminal, first comment on screen, medians of {runs}"
    );
    if !installed("jless") {
        println!(
            "(jless is not installed: `cargo install jless`, which needs libxcb1-dev libxcb-render0-dev libxcb-shape0-dev libxcb-xfixes0-dev)"
        );
    }
    println!();
    println!("| case | threadr | the alternative | ratio |");
    println!("|---|---|---|---|");
    let what = format!("{n}-comment plain-text thread");
    versus(bin, &what, &plain, &needle, n, "less", runs);
    let what = format!("{n}-comment Reddit file");
    versus(bin, &what, &reddit, &reddit_needle, n, "jless", runs);
    let size = std::fs::metadata(&plain).map_or(1, |m| m.len());
    if let Some(run) = threadr(bin, &plain, &needle, n, true)
        && let Some(rss) = run.searched_rss
    {
        println!(
            "| peak memory after `E` and a search, same text file | {} | | {:.2}x the file |",
            mb(rss),
            rss as f64 / size as f64
        );
    }
    std::fs::remove_file(&reddit).ok();
    let mut sizes = vec![n / 10, n];
    if big {
        sizes.push(n * 10);
    }
    growth(bin, dir.path(), &plain, n, &needle, &sizes);
}

/// The growth table: open time and memory for each size (`plain` holds `n` comments).
fn growth(bin: &str, dir: &Path, plain: &Path, n: usize, needle: &str, sizes: &[usize]) {
    println!();
    println!("Growth (plain text, one run each):");
    println!();
    println!(
        "| comments | file | first screen | whole thread read | memory after open | after `E` and a search | memory / file |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|");
    for &comments in sizes {
        let path = if comments == n {
            plain.to_path_buf()
        } else {
            let text = threadr::synth::plain_thread(comments, 7);
            write(dir, "growth.txt", &text)
        };
        let size = std::fs::metadata(&path).map_or(1, |m| m.len());
        match threadr(bin, &path, needle, comments, true) {
            Some(run) => {
                let searched = run.searched_rss.unwrap_or(run.opened_rss);
                println!(
                    "| {comments} | {} | {} | {} | {} | {} | {:.2}x |",
                    mb(size),
                    ms(run.first),
                    ms(run.whole),
                    mb(run.opened_rss),
                    mb(searched),
                    searched as f64 / size as f64
                );
            }
            None => println!("| {comments} | {} | failed | | | | |", mb(size)),
        }
    }
}
