//! The typed JSON fast path against the general path it falls back to, in release
//! (`cargo run --release --example json_paths [COMMENTS]`): the generated Reddit file read
//! whole (`format::json::load`, typed, then `load_general`, today's tree path), its first
//! screen (`format::head::read` on the first MiB), and hostile inputs where the typed
//! attempt must cost next to nothing before the fallback: 2 MB nested deep and never closed,
//! the same closed, the Reddit file cut off at the end, and with a lone surrogate escape
//! at the end. Medians of 5 runs; prints a Markdown table.

use std::time::{Duration, Instant};

use threadr::format::{InputFormat, head, json};

fn median(mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..5)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[2]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

fn row(name: &str, text: &str, forced: Option<InputFormat>) {
    let typed = median(|| drop(json::load(text, "x", forced)));
    let general = median(|| drop(json::load_general(text, "x", forced, &mut |_| {})));
    let mb = text.len() as f64 / 1e6;
    println!(
        "| {name} | {mb:.1} MB | {} ({:.0} MB/s) | {} ({:.0} MB/s) | {:.2}x |",
        ms(typed),
        mb / typed.as_secs_f64(),
        ms(general),
        mb / general.as_secs_f64(),
        general.as_secs_f64() / typed.as_secs_f64()
    );
}

fn main() -> anyhow::Result<()> {
    let n = std::env::args()
        .nth(1)
        .map_or(Ok(100_000), |a| a.parse::<usize>())?;
    let reddit = threadr::synth::reddit_thread(n, 1);
    println!("| case | size | typed path (as loaded now) | general path (before) | speed-up |");
    println!("|---|---:|---:|---:|---:|");
    row(&format!("Reddit, {n} comments, whole"), &reddit, None);
    let first = &reddit.as_bytes()[..head::HEAD_BYTES];
    let typed = median(|| drop(head::read(first, "x", None)));
    let first = std::str::from_utf8(first).unwrap_or("");
    let general = median(|| drop(head::json_head_general(first, "x", None)));
    println!(
        "| Reddit, first screen (first MiB) | 1.0 MB | {} | {} | {:.2}x |",
        ms(typed),
        ms(general),
        general.as_secs_f64() / typed.as_secs_f64()
    );
    let size = 2 << 20;
    let units = [
        (
            "threadr/1",
            "{\"format\":\"threadr/1\",\"comments\":[",
            "[",
            InputFormat::Threadr,
        ),
        (
            "Reddit",
            "[{\"kind\":\"Listing\",\"data\":{\"children\":[",
            "{\"kind\":\"t1\",\"data\":{\"replies\":{\"data\":{\"children\":[",
            InputFormat::Reddit,
        ),
        (
            "HN",
            "{\"id\":1,\"children\":[",
            "{\"id\":2,\"children\":[",
            InputFormat::Hn,
        ),
    ];
    for (name, head, unit, format) in units {
        let reps = (size - head.len()) / unit.len();
        let open = format!("{head}{}", unit.repeat(reps));
        row(&format!("{name} nested deep, never closed"), &open, None);
        if name == "threadr/1" {
            let closed = format!("{head}{}{}]}}", "[".repeat(reps), "]".repeat(reps));
            row(
                &format!("{name} nested deep, closed"),
                &closed,
                Some(format),
            );
        }
    }
    row(
        "Reddit, cut off at the end",
        &reddit[..reddit.len() - 3],
        None,
    );
    // In the last comment's body, so the file stays a thread.
    let at = reddit.rfind("\"body\"").unwrap_or(0);
    let quote = at + 6 + reddit[at + 6..].find('"').unwrap_or(0) + 1;
    let lone = format!("{}\\ud83d{}", &reddit[..quote], &reddit[quote..]);
    row("Reddit, a lone surrogate at the end", &lone, None);
    Ok(())
}
