//! Reading a saved `WordPress` page of 20,000 comments (about 20 MB) with the HTML page
//! reader: the target is under 1 s in release.

#![allow(clippy::format_push_string)]

use criterion::{Criterion, criterion_group, criterion_main};
use threadr::format::load;

/// A page in the HTML5 `WordPress` shape: `n` comments, every fourth one a reply chain
/// three deep, each comment about 1 KB of markup with a paragraph or two of text.
fn page(n: usize) -> String {
    let mut html = String::with_capacity(n * 1100);
    html.push_str(
        "<!DOCTYPE html><html><head><title>Big | Blog</title><link rel=canonical href='https://b.example/p/'></head>\
         <body><main><article><h1 class=entry-title>Big</h1><div class=entry-content><p>Post.</p></div></article>\
         <div id=comments class=comments-area><ol class=comment-list>",
    );
    let mut i = 0;
    while i < n {
        let chain = (n - i).min(if i % 4 == 0 { 3 } else { 1 });
        for d in 0..chain {
            let id = i + d;
            html.push_str(&format!(
                "<li id=\"comment-{id}\" class=\"comment even depth-{}\"><article id=\"div-comment-{id}\" class=\"comment-body\">\
                 <footer class=\"comment-meta\"><div class=\"comment-author vcard\"><img alt='' src='https://secure.gravatar.com/avatar/{id:032x}?s=50' class='avatar avatar-50 photo' height='50' width='50'>\
                 <b class=\"fn\"><a href='https://user{id}.example/' rel='external nofollow ugc' class='url'>User {id}</a></b> <span class=\"says\">says:</span></div>\
                 <div class=\"comment-metadata\"><a href=\"https://b.example/p/#comment-{id}\"><time datetime=\"2024-01-01T10:{:02}:00+00:00\">January 1, 2024 at 10:00 am</time></a></div></footer>\
                 <div class=\"comment-content\"><p>Comment {id}: Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. \
                 Ut enim ad minim veniam, quis nostrud <a href=\"https://x.example/{id}\">exercitation</a> ullamco laboris nisi ut aliquip ex ea commodo consequat.</p>\
                 <p>Duis aute irure dolor in reprehenderit in voluptate velit esse cillum dolore eu fugiat nulla pariatur.</p></div>\
                 <div class=\"reply\"><a rel='nofollow' class='comment-reply-link' href='#comment-{id}' aria-label='Reply to User {id}'>Reply</a></div></article>",
                d + 1,
                id % 60
            ));
            if d + 1 < chain {
                html.push_str("<ol class=\"children\">");
            }
        }
        for d in (0..chain).rev() {
            html.push_str("</li>");
            if d > 0 {
                html.push_str("</ol>");
            }
        }
        i += chain;
    }
    html.push_str("</ol></div></main><footer>f</footer></body></html>");
    html
}

fn bench(c: &mut Criterion) {
    let html = page(20_000);
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
