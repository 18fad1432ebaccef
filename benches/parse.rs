//! Parsing speed of the plain-text reader on synthetic threads of 1k, 10k and 100k comments
//! (`plain_parse`), and of the whole load path (decode, detect, parse) at 100k (`load`).
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
}

criterion_group!(benches, parse);
criterion_main!(benches);
