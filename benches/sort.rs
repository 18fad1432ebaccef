//! Sorting 100,000 comments: the arena reordered by score and back to file order
//! (`sort/arena`), and the whole `s` key in the reader, which also carries folds, read
//! flags and the selection across (`sort/app`). The issue asks for under 30 ms.

use criterion::{Criterion, criterion_group, criterion_main};
use threadr::model::{SortOrder, Thread};

/// The synthetic 100k thread with pseudo-random scores and dates (the plain shape has none).
fn thread() -> Thread {
    let text = threadr::synth::plain_thread(100_000, 1);
    let mut t = threadr::format::load(text.as_bytes(), "bench", None).expect("synthetic thread");
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    for c in &mut t.comments {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        c.score = Some(i64::try_from(x % 2_000).unwrap_or(0) - 100);
        c.created = Some(threadr::model::Timestamp::Unix(
            1_500_000_000 + i64::try_from(x % 50_000_000).unwrap_or(0),
        ));
    }
    t
}

fn sort(c: &mut Criterion) {
    let mut group = c.benchmark_group("sort");
    group.sample_size(10);
    let mut t = thread();
    let mut pos = Vec::new();
    let mut flip = false;
    group.bench_function("arena_100000", |b| {
        b.iter(|| {
            flip = !flip;
            let order = if flip {
                SortOrder::Score
            } else {
                SortOrder::Newest
            };
            t.reorder(order, &mut pos)
        });
    });
    let mut app = threadr::app::App::new(
        thread(),
        "bench".into(),
        threadr::keymap::Keymap::default_keys(),
    );
    group.bench_function("app_key_100000", |b| {
        b.iter(|| threadr::app::run_keys(&mut app, "s"));
    });
    group.finish();
}

criterion_group!(benches, sort);
criterion_main!(benches);
