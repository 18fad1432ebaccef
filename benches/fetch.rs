//! Fetching a 5,000-comment Hacker News thread from a local server on 127.0.0.1: the first
//! fetch (request, parse, save: what stands before the first screen, less drawing) and the
//! refresh of an unchanged thread (request, parse, merge with the saved copy, save).

#[path = "../tests/it/common/http.rs"]
#[allow(dead_code)]
mod http;

use std::sync::atomic::AtomicBool;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::{Value, json};
use threadr::fetch::cli::fetch_and_save;
use threadr::fetch::saved::Library;
use threadr::fetch::{Client, Control, FetchSettings, Progress};

/// 5,000 comments: 500 top-level, each with a chain of 9 replies.
fn story() -> Value {
    let mut id = 2u64;
    let mut top = Vec::new();
    for _ in 0..500 {
        let mut chain: Option<Value> = None;
        let ids: Vec<u64> = (0..10).map(|k| id + k).collect();
        id += 10;
        for (k, cid) in ids.iter().enumerate().rev() {
            let parent = if k == 0 { 1 } else { ids[k - 1] };
            let kids: Vec<Value> = chain.take().into_iter().collect();
            chain = Some(
                json!({"id": cid, "type": "comment", "author": format!("u{}", cid % 97),
                "text": format!("<p>Comment {cid} says something about the harbour, at some length, with <i>style</i>.<p>And a second paragraph."),
                "parent_id": parent, "story_id": 1, "created_at_i": 1_700_000_000 + cid, "children": kids}),
            );
        }
        top.extend(chain);
    }
    json!({"id": 1, "type": "story", "title": "Big", "author": "op", "points": 1,
           "created_at_i": 1_700_000_000, "children": top})
}

fn bench(c: &mut Criterion) {
    let body = story().to_string();
    let server = http::Server::start(move |_| http::Reply::json(body.clone()));
    let client = Client::new(FetchSettings {
        hackernews_api: server.base(),
        pace: Duration::ZERO,
        ..FetchSettings::default()
    });
    let cancel = AtomicBool::new(false);
    let mut quiet = |_: Progress| {};
    let mut ctl = Control {
        cancel: &cancel,
        progress: &mut quiet,
    };
    let mut group = c.benchmark_group("fetch_5000");
    group.sample_size(10);
    group.bench_function("first_fetch", |b| {
        b.iter_with_large_drop(|| {
            let dir = tempfile::tempdir().unwrap();
            let lib = Library::open_in(dir.path()).unwrap();
            let o = fetch_and_save("hn:1", &client, Some(&lib), &mut ctl).unwrap();
            assert_eq!(o.thread.len(), 5000);
            (o, dir)
        });
    });
    let dir = tempfile::tempdir().unwrap();
    let lib = Library::open_in(dir.path()).unwrap();
    fetch_and_save("hn:1", &client, Some(&lib), &mut ctl).unwrap();
    group.bench_function("unchanged_refresh", |b| {
        b.iter_with_large_drop(|| {
            let o = fetch_and_save("hn:1", &client, Some(&lib), &mut ctl).unwrap();
            assert_eq!(o.stats.as_ref().map(|s| s.new), Some(0));
            o
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
