//! Parsing speed of the plain-text reader on synthetic threads of 1k, 10k and 100k comments
//! (`plain_parse`), and of the whole load path (decode, detect, parse) at 100k (`load`).
//! `reddit_load`: the 100,000-comment Reddit file (`synth::reddit_thread`) read whole on the
//! typed fast path (`typed`, what `format::load` does), on the general path it falls back
//! to (`general`: the JSON tree, then the reader), and the JSON tree alone (`tree_only`).
//! Dropping the thread is left out of the timing.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

fn parse(c: &mut Criterion) {
    let mut group = c.benchmark_group("plain_parse");
    group.sample_size(10);
    for n in [1_000usize, 10_000, 100_000] {
        let text = threadr::synth::plain_thread(n, 1);
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &text, |b, text| {
            b.iter_with_large_drop(|| threadr::format::plain::parse(text, "bench"));
        });
    }
    group.finish();

    let mut group = c.benchmark_group("load");
    group.sample_size(10);
    let text = threadr::synth::plain_thread(100_000, 1);
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("100000", |b| {
        b.iter_with_large_drop(|| threadr::format::load(text.as_bytes(), "bench", None));
    });
    group.finish();

    let mut group = c.benchmark_group("reddit_load");
    group.sample_size(10);
    let json = threadr::synth::reddit_thread(100_000, 1);
    group.throughput(Throughput::Bytes(json.len() as u64));
    group.bench_function("typed", |b| {
        b.iter_with_large_drop(|| threadr::format::json::load(&json, "bench", None));
    });
    group.bench_function("general", |b| {
        b.iter_with_large_drop(|| {
            threadr::format::json::load_general(&json, "bench", None, &mut |_| {})
        });
    });
    group.bench_function("tree_only", |b| {
        b.iter_with_large_drop(|| {
            threadr::format::jsontree::parse(&json, "bench", &mut Vec::new())
        });
    });
    group.finish();
}

criterion_group!(benches, parse);
criterion_main!(benches);
