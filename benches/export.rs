//! Writing threadr/1 (`threadr dump --format json`, and every saved copy of a fetched
//! thread): a 100,000-comment plain-text thread from `synth::plain_thread`, parsed once,
//! written into memory. Throughput is the bytes written.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use threadr::export::{DumpFormat, write};

fn export(c: &mut Criterion) {
    let text = threadr::synth::plain_thread(100_000, 1);
    let thread = threadr::format::plain::parse(&text, "bench").expect("a plain-text thread");
    let mut out = Vec::new();
    write(&thread, DumpFormat::Json, &mut out).expect("writing to memory");
    let mut group = c.benchmark_group("threadr1_write");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(out.len() as u64));
    group.bench_function("100000", |b| {
        b.iter(|| {
            out.clear();
            write(&thread, DumpFormat::Json, &mut out).expect("writing to memory");
            out.len()
        });
    });
    group.finish();
}

criterion_group!(benches, export);
criterion_main!(benches);
