//! Measures what one bookmark change (`m`) costs with many threads bookmarked: seeds a
//! reader's store with N other threads (one bookmarks file each), loads it, then times
//! toggling a bookmark on one more thread, and the clone the driver hands to the app; and
//! what the reader waits for at start now that a job reads the bookmarks
//! (`DiskStore::open_deferred`: this thread's state and the preferences only).
//!
//! ```sh
//! cargo run --example bookmarks_scale -- 1 100000   # thread counts to compare
//! ```

use std::time::{Duration, Instant};

use threadr::model::{Body, CommentDraft, CommentIdx, ThreadBuilder};
use threadr::store::{Bookmarks, Reader, Store};

const ROUNDS: u32 = 20;

fn main() -> anyhow::Result<()> {
    let counts: Vec<usize> = std::env::args()
        .skip(1)
        .map(|a| a.parse())
        .collect::<Result<_, _>>()?;
    let counts = if counts.is_empty() {
        vec![1, 100_000]
    } else {
        counts
    };
    for n in counts {
        measure(n)?;
    }
    Ok(())
}

fn measure(n: usize) -> anyhow::Result<()> {
    let tmp = tempfile::tempdir()?;
    let store = Store::open_in(tmp.path(), Reader::new("scale")?)?;
    let seeding = Instant::now();
    for i in 0..n {
        let key = format!("seed:{i}");
        let file = serde_json::json!({"version": 1, "threads": [{
            "key": key, "title": format!("Seeded thread {i}"), "source": format!("/t/{i}.json"),
            "bookmarks": [{"comment": "c1", "author": "ann", "snippet": "x".repeat(100),
                           "note": "", "created": "2020-01-01T00:00:00Z"}]}]});
        std::fs::write(
            store.bookmarks_file(&key),
            serde_json::to_vec_pretty(&file)?,
        )?;
    }
    let seeded = seeding.elapsed();
    let loading = Instant::now();
    let loaded = Bookmarks::load(&store);
    let load = loading.elapsed();
    anyhow::ensure!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    let mut bookmarks = loaded.value;

    let mut b = ThreadBuilder::new();
    b.title = Some("The thread being read".into());
    b.push(
        None,
        CommentDraft {
            source_id: Some("a".into()),
            author: Some("bea".into()),
            body: Body::from_plain("A comment to bookmark."),
            ..CommentDraft::default()
        },
    );
    let thread = std::sync::Arc::new(b.finish());
    let starting = Instant::now();
    let (_disk, _files, _work) =
        threadr::driver::DiskStore::open_deferred(store.clone(), std::sync::Arc::clone(&thread));
    let start_wait = starting.elapsed();
    let (mut toggle, mut clone) = (Duration::ZERO, Duration::ZERO);
    for _ in 0..ROUNDS {
        let start = Instant::now();
        bookmarks.toggle(&thread, "/t/read.json", Some(CommentIdx(0)))?;
        toggle += start.elapsed();
        let start = Instant::now();
        let copy = bookmarks.clone();
        clone += start.elapsed();
        drop(copy);
    }
    anyhow::ensure!(bookmarks.len() == n, "lost bookmarks");
    println!(
        "{n:>7} threads: m {:>8.2} ms (+ clone for the app {:>7.2} ms); load {:>8.0} ms (on a job); start waits {:.2} ms; seeding {:.1} s",
        toggle.as_secs_f64() * 1e3 / f64::from(ROUNDS),
        clone.as_secs_f64() * 1e3 / f64::from(ROUNDS),
        load.as_secs_f64() * 1e3,
        start_wait.as_secs_f64() * 1e3,
        seeded.as_secs_f64()
    );
    Ok(())
}
