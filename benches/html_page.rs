//! Reading a saved `WordPress` page of 20,000 comments (20.7 MB, [`wordpress_page`]) with the HTML page
//! reader: the target is under 1 s in release.

use criterion::{Criterion, criterion_group, criterion_main};
use threadr::format::load;
use threadr::synth::wordpress_page;

fn bench(c: &mut Criterion) {
    let html = wordpress_page(20_000);
    eprintln!("page: {} bytes", html.len());
    let t = load(html.as_bytes(), "big.html", None).expect("reads");
    assert_eq!(t.comments.len(), 20_000);
    let mut g = c.benchmark_group("html_page");
    g.sample_size(10);
    g.bench_function("wordpress_20000_comments", |b| {
        b.iter(|| load(html.as_bytes(), "big.html", None).map(|t| t.comments.len()));
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
