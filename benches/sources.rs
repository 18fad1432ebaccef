//! Reading a 10,000-message mailing-list thread (shuffled, one missing parent,
//! References-only replies: `threadr::synth_mail::mbox_thread`) through `format::load`:
//! mbox splitting, MIME parsing, threading and body building.

use criterion::{Criterion, criterion_group, criterion_main};

fn mbox(c: &mut Criterion) {
    let synth = threadr::synth_mail::mbox_thread(10_000, 1);
    let bytes = synth.mbox.into_bytes();
    let mut group = c.benchmark_group("mbox");
    group.sample_size(10);
    group.bench_function("load_10k_messages", |b| {
        b.iter(|| threadr::format::load(&bytes, "synth.mbox", None).map(|t| t.len()));
    });
    group.finish();
}

criterion_group!(benches, mbox);
criterion_main!(benches);
