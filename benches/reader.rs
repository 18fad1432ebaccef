//! Drives the release binary in a pseudo-terminal on a 100,000-comment thread and reports
//! what a person would feel and what an SSH link would carry: time to the first screen,
//! time per key (until the last byte of the redraw arrives), and bytes written per key,
//! next to `less` on the same file.
//!
//! Run with `cargo bench --bench reader` (add `-- --comments N` for another size). Timings
//! on a shared machine are noisy; each key is measured several times and the median shown.

#[path = "../tests/it/common/pty.rs"]
#[allow(dead_code)]
mod pty;

use std::time::{Duration, Instant};

use pty::Pty;

const COLS: u16 = 160;
const ROWS: u16 = 48;
const QUIET: Duration = Duration::from_millis(60);

/// Sends `key`, waits for output to start and then stop; returns (latency, bytes).
fn measure(pty: &mut Pty, key: &[u8]) -> (Duration, usize) {
    pty.settle(QUIET);
    let before = pty.raw_len();
    let t0 = Instant::now();
    pty.send(key);
    let deadline = Instant::now() + Duration::from_secs(10);
    while pty.raw_len() == before {
        assert!(Instant::now() < deadline, "no output after {key:?}");
        std::thread::sleep(Duration::from_micros(200));
    }
    pty.settle(QUIET);
    (
        pty.last_output().saturating_duration_since(t0),
        pty.raw_len() - before,
    )
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

struct Row {
    what: &'static str,
    ms: Option<f64>,
    bytes: usize,
    less_bytes: Option<usize>,
}

fn repeat(pty: &mut Pty, key: &[u8], times: usize) -> (f64, usize) {
    let mut times_v = Vec::new();
    let mut bytes = Vec::new();
    for _ in 0..times {
        let (d, b) = measure(pty, key);
        times_v.push(d);
        bytes.push(b);
    }
    bytes.sort_unstable();
    (
        median(times_v).as_secs_f64() * 1000.0,
        bytes[bytes.len() / 2],
    )
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    // `cargo bench` passes `--bench`; `cargo test --all-targets` runs this too, without it,
    // as a quick check that the benchmark still works: then a small thread is enough.
    let measuring = args.iter().any(|a| a == "--bench");
    let comments = args
        .iter()
        .position(|a| a == "--comments")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(if measuring { 100_000usize } else { 2_000 });
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("big.txt");
    let text = threadr::synth::plain_thread(comments, 7);
    std::fs::write(&path, &text).expect("write thread");
    let file = path.to_str().expect("utf-8 path");
    println!(
        "threadr reader benchmark: {comments} comments, {:.1} MB, {COLS}x{ROWS} terminal",
        text.len() as f64 / 1e6
    );

    let data_dir = dir.path().join("data");
    let env = [("THREADR_DATA_DIR", data_dir.to_str().unwrap())];
    let t0 = Instant::now();
    let mut pty = Pty::spawn(&[file, "--fresh"], COLS, ROWS, &env);
    pty.wait_text(&format!("1/{comments}"));
    let first = t0.elapsed();
    pty.settle(QUIET);
    let first_bytes = pty.raw_len();

    let mut rows = vec![Row {
        what: "first screen",
        ms: Some(first.as_secs_f64() * 1000.0),
        bytes: first_bytes,
        less_bytes: None,
    }];
    let mut add = |rows: &mut Vec<Row>, what, key: &[u8], n| {
        let (ms, bytes) = repeat(&mut pty, key, n);
        rows.push(Row {
            what,
            ms: Some(ms),
            bytes,
            less_bytes: None,
        });
    };
    add(&mut rows, "j (next comment)", b"j", 30);
    add(&mut rows, "k (previous comment)", b"k", 10);
    add(&mut rows, "Space (read on)", b" ", 20);
    add(&mut rows, "PgDn", b"\x1b[6~", 10);
    add(&mut rows, "G (last)", b"G", 1);
    add(&mut rows, "g (first)", b"g", 1);
    add(&mut rows, "C (fold all)", b"C", 1);
    add(&mut rows, "E (expand all)", b"E", 1);
    add(&mut rows, "C (fold all) again", b"C", 1);
    add(&mut rows, "E (expand all) again", b"E", 1);
    add(&mut rows, "/ typing a query", b"/", 1);
    add(&mut rows, "  each letter", b"t", 1);
    add(&mut rows, "  each letter", b"r", 1);
    add(&mut rows, "  each letter", b"a", 1);
    add(&mut rows, "  Esc", b"\x1b", 1);

    // Resize: to a smaller size and back.
    pty.settle(QUIET);
    let before = pty.raw_len();
    let t = Instant::now();
    pty.resize(COLS - 20, ROWS - 8);
    pty.settle(QUIET);
    rows.push(Row {
        what: "resize",
        ms: Some(pty.last_output().saturating_duration_since(t).as_secs_f64() * 1000.0),
        bytes: pty.raw_len() - before,
        less_bytes: None,
    });
    pty.keys("q");
    pty.wait_exit();

    // The same keys in less, on the same file.
    if std::process::Command::new("less")
        .arg("--version")
        .output()
        .is_ok()
    {
        let mut less = Pty::spawn_program("less", &[file], COLS, ROWS, &[]);
        less.wait_for("less to draw", |s| s.lines().count() > 10);
        less.settle(QUIET);
        let first = less.raw_len();
        rows[0].less_bytes = Some(first);
        let pairs: [(&str, &[u8]); 4] = [
            ("j (next comment)", b"j"),
            ("Space (read on)", b" "),
            ("PgDn", b"\x1b[6~"),
            ("/ typing a query", b"/"),
        ];
        for (what, key) in pairs {
            let (_, b) = measure(&mut less, key);
            if let Some(r) = rows.iter_mut().find(|r| r.what == what) {
                r.less_bytes = Some(b);
            }
        }
        let (_, b) = measure(&mut less, b"t");
        if let Some(r) = rows.iter_mut().find(|r| r.what == "  each letter") {
            r.less_bytes = Some(b);
        }
        less.send(b"\x1b");
        less.settle(QUIET);
        let before = less.raw_len();
        less.resize(COLS - 20, ROWS - 8);
        less.settle(QUIET);
        if let Some(r) = rows.iter_mut().find(|r| r.what == "resize") {
            r.less_bytes = Some(less.raw_len() - before);
        }
        less.keys("q");
    }

    println!();
    println!("| action | time (median) | bytes written | less, bytes |");
    println!("|---|---:|---:|---:|");
    for r in rows {
        println!(
            "| {} | {} | {} | {} |",
            r.what,
            r.ms.map_or("-".into(), |m| format!("{m:.1} ms")),
            r.bytes,
            r.less_bytes.map_or("-".into(), |b| b.to_string())
        );
    }
    println!();
    println!(
        "Times are until the last byte of the redraw reached the terminal, including the \
         pseudo-terminal round trip; keys wait {} ms of quiet before the next.",
        QUIET.as_millis()
    );
}
