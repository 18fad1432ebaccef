//! Times the HTML page reader on the benchmark's generated `WordPress` page, for profiling
//! with `perf record` in release (`cargo run --release --example html_page_time [N]`).
//!
//! Prints each read's wall time and, on Linux, the CPU time this thread spent on it
//! (`/proc/thread-self/schedstat`): on a shared, loaded machine the wall time includes
//! waiting for a core, the CPU time mostly does not.

use std::time::{Duration, Instant};

use threadr::format::load;
use threadr::synth::wordpress_page;

/// This thread's time on a CPU so far, where the kernel tells it.
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns = stat.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(ns))
}

fn main() -> anyhow::Result<()> {
    let n = std::env::args()
        .nth(1)
        .map_or(Ok(20_000), |a| a.parse::<usize>())?;
    let html = wordpress_page(n);
    println!("page: {} bytes, {n} comments", html.len());
    for _ in 0..3 {
        let (t, cpu) = (Instant::now(), cpu_time());
        let thread = load(html.as_bytes(), "big.html", None)?;
        let wall = t.elapsed();
        let cpu = cpu.zip(cpu_time()).and_then(|(a, b)| b.checked_sub(a));
        println!(
            "read {} comments in {wall:?} (CPU {})",
            thread.comments.len(),
            cpu.map_or_else(|| "unknown".to_string(), |c| format!("{c:?}"))
        );
    }
    Ok(())
}
