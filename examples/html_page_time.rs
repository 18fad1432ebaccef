//! Times the HTML page reader on the benchmark's generated `WordPress` page, for profiling
//! with `perf record` in release (`cargo run --release --example html_page_time [N]`).

use std::time::Instant;

use threadr::format::load;
use threadr::synth::wordpress_page;

fn main() -> anyhow::Result<()> {
    let n = std::env::args()
        .nth(1)
        .map_or(Ok(20_000), |a| a.parse::<usize>())?;
    let html = wordpress_page(n);
    println!("page: {} bytes, {n} comments", html.len());
    for _ in 0..3 {
        let t = Instant::now();
        let thread = load(html.as_bytes(), "big.html", None)?;
        println!(
            "read {} comments in {:?}",
            thread.comments.len(),
            t.elapsed()
        );
    }
    Ok(())
}
