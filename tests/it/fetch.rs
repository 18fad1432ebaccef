//! Fetching threads from a local HTTP server on 127.0.0.1 (never the internet): the site
//! APIs, Reddit's `more` expansion, every failure of issue 12, pacing and cancel.

#![allow(clippy::needless_pass_by_value)] // builders of JSON shapes read best by value

use crate::common;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::http::{Reply, Server};
use serde_json::{Value, json};
use threadr::fetch::{Client, Control, FetchError, FetchSettings, Progress, Target, fetch, route};

/// A plain-text thread: an article, one comment and its reply.
const PLAIN: &str = "A title\n\n  1. hello there\n\n    • hi back\n";

/// Settings pointing every API at `base`, no pacing, short timeout.
fn settings(base: &str) -> FetchSettings {
    FetchSettings {
        hackernews_api: base.to_string(),
        reddit_api: base.to_string(),
        lobsters_api: base.to_string(),
        timeout: Duration::from_secs(5),
        pace: Duration::ZERO,
        ..FetchSettings::default()
    }
}

/// One fetch of `target` with `s`, not cancelled, progress ignored (shared with
/// `fetch_sources`).
pub(crate) fn run(target: &str, s: FetchSettings) -> Result<threadr::fetch::Fetched, FetchError> {
    let cancel = AtomicBool::new(false);
    let mut progress = |_: Progress| {};
    let mut ctl = Control {
        cancel: &cancel,
        progress: &mut progress,
    };
    fetch(&route::parse(target)?, &Client::new(s), &mut ctl)
}

/// An Algolia item: `kids` are (id, author, kids...) nested.
fn hn_comment(id: u64, story: u64, parent: u64, author: &str, kids: Vec<Value>) -> Value {
    json!({"id": id, "type": "comment", "author": author, "text": format!("<p>comment {id}"),
           "parent_id": parent, "story_id": story, "created_at_i": 1_700_000_000 + id, "children": kids})
}

fn hn_story(kids: Vec<Value>) -> Value {
    json!({"id": 1, "type": "story", "title": "A story", "author": "op", "points": 5,
           "url": "https://example.com/a", "created_at_i": 1_700_000_000, "children": kids})
}

#[test]
fn hacker_news_comment_url_opens_its_story_focused() {
    let story = hn_story(vec![
        hn_comment(2, 1, 1, "ann", vec![hn_comment(3, 1, 2, "bob", vec![])]),
        hn_comment(4, 1, 1, "cy", vec![]),
    ]);
    let comment = hn_comment(3, 1, 2, "bob", vec![]);
    let server = Server::start(move |t| match t {
        "/api/v1/items/1" => Reply::json(story.to_string()),
        "/api/v1/items/3" => Reply::json(comment.to_string()),
        _ => Reply::status(404, "application/json", r#"{"message":"no such item"}"#),
    });
    let f = run(
        "https://news.ycombinator.com/item?id=3",
        settings(&server.base()),
    )
    .unwrap();
    assert_eq!(f.thread.key, "hn:1");
    assert_eq!(f.focus.as_deref(), Some("3"));
    assert_eq!(f.requests, 2);
    let authors: Vec<&str> = f
        .thread
        .comments
        .iter()
        .map(|c| c.author.as_deref().unwrap())
        .collect();
    assert_eq!(authors, ["ann", "bob", "cy"]);
    let bob = f.thread.find("3").unwrap();
    assert_eq!(f.thread.comment(bob).parent, f.thread.find("2"));
    assert_eq!(server.targets(), ["/api/v1/items/3", "/api/v1/items/1"]);
    let seen = server.log.lock().unwrap();
    assert!(
        seen.iter()
            .all(|s| s.user_agent == format!("threadr/{}", env!("CARGO_PKG_VERSION"))),
        "{seen:?}"
    );
}

/// A Reddit comment thing.
fn t1(id: &str, parent: &str, author: &str, replies: Vec<Value>) -> Value {
    let replies = if replies.is_empty() {
        json!("")
    } else {
        json!({"kind": "Listing", "data": {"children": replies}})
    };
    json!({"kind": "t1", "data": {"id": id, "name": format!("t1_{id}"), "parent_id": parent,
        "author": author, "body": format!("reply {id}"), "score": 1, "created_utc": 1_700_000_000,
        "replies": replies}})
}

fn more(parent: &str, ids: &[String]) -> Value {
    json!({"kind": "more", "data": {"id": ids.first().cloned().unwrap_or_else(|| "_".into()),
        "parent_id": parent, "count": ids.len(), "children": ids}})
}

fn reddit_page(comments: Vec<Value>) -> Value {
    json!([
        {"kind": "Listing", "data": {"children": [{"kind": "t3", "data": {"id": "p1", "title": "Post",
            "author": "op", "selftext": "text", "is_self": true, "permalink": "/r/x/comments/p1/post/"}}]}},
        {"kind": "Listing", "data": {"children": comments}}
    ])
}

/// A Reddit thread: `a` (top) with a `more` stub of 150 top-level ids (`m0`..`m149`), the
/// last of which has a "continue this thread" stub leading to `deep`.
struct RedditSite {
    requests: Arc<AtomicUsize>,
}

fn reddit_server() -> (Server, RedditSite) {
    let ids: Vec<String> = (0..150).map(|i| format!("m{i}")).collect();
    let page = reddit_page(vec![
        t1("a", "t3_p1", "ann", vec![t1("b", "t1_a", "bob", vec![])]),
        more("t3_p1", &ids),
    ]);
    let requests = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&requests);
    let server = Server::start(move |t| {
        counter.fetch_add(1, Ordering::SeqCst);
        if t.starts_with("/comments/p1.json") {
            return Reply::json(page.to_string());
        }
        if t.starts_with("/comments/p1/_/m149.json") {
            return Reply::json(
                reddit_page(vec![t1(
                    "m149",
                    "t3_p1",
                    "m",
                    vec![t1("deep", "t1_m149", "dee", vec![])],
                )])
                .to_string(),
            );
        }
        if let Some(q) = t.strip_prefix("/api/morechildren.json?") {
            let children = q
                .split('&')
                .find_map(|kv| kv.strip_prefix("children="))
                .unwrap_or("");
            let things: Vec<Value> = children
                .split(',')
                .flat_map(|id| {
                    let mut out = vec![t1(id, "t3_p1", "m", vec![])];
                    if id == "m149" {
                        out.push(more("t1_m149", &[]));
                    }
                    out
                })
                .collect();
            return Reply::json(
                json!({"json": {"errors": [], "data": {"things": things}}}).to_string(),
            );
        }
        Reply::status(404, "text/plain", "not here")
    });
    (server, RedditSite { requests })
}

#[test]
fn reddit_more_stubs_are_expanded_within_the_budget() {
    let (server, site) = reddit_server();
    let cancel = AtomicBool::new(false);
    let partials = Arc::new(Mutex::new(Vec::new()));
    let p = Arc::clone(&partials);
    let mut progress = move |e: Progress| {
        if let Progress::Partial(t) = e {
            p.lock().unwrap().push(t.len());
        }
    };
    let mut ctl = Control {
        cancel: &cancel,
        progress: &mut progress,
    };
    let target = route::parse("https://old.reddit.com/r/x/comments/p1/post/b/").unwrap();
    assert_eq!(
        target,
        Target::Reddit {
            id: "p1".into(),
            comment: Some("b".into())
        }
    );
    let f = fetch(&target, &Client::new(settings(&server.base())), &mut ctl).unwrap();
    // a, b, m0..m149, deep: every comment, each under its parent, no stub left.
    assert_eq!(f.thread.len(), 153);
    assert_eq!(f.thread.more, 0);
    assert!(f.thread.comments.iter().all(|c| c.more == 0));
    let deep = f.thread.find("deep").unwrap();
    assert_eq!(f.thread.comment(deep).parent, f.thread.find("m149"));
    assert_eq!(f.thread.roots.len(), 151);
    // 1 page + 2 morechildren (100 + 50 ids) + 1 continue-this-thread.
    assert_eq!(f.requests, 4);
    assert_eq!(site.requests.load(Ordering::SeqCst), 4);
    assert_eq!(f.focus.as_deref(), Some("b"));
    assert_eq!(
        partials.lock().unwrap().first(),
        Some(&2),
        "the first page is shown at once"
    );

    // A budget of one expansion: 100 ids come, 50 stay a count.
    let mut s = settings(&server.base());
    s.more_requests = 1;
    let f = run("reddit:p1", s).unwrap();
    assert_eq!(f.thread.len(), 102);
    assert_eq!(f.thread.more, 50);
    assert!(
        f.thread
            .warnings
            .iter()
            .any(|w| w.contains("more_requests")),
        "{:?}",
        f.thread.warnings
    );
}

#[test]
fn lobsters_story() {
    let story = json!({"short_id": "ab12", "title": "Lob", "url": "", "submitter_user": "op",
    "comments": [
        {"short_id": "c1", "comment": "<p>one</p>", "depth": 0, "commenting_user": "ann", "score": 1},
        {"short_id": "c2", "comment": "<p>two</p>", "depth": 1, "parent_comment": "c1", "commenting_user": "bob", "score": 1}
    ]});
    let server = Server::start(move |t| {
        if t == "/s/ab12.json" {
            Reply::json(story.to_string())
        } else {
            Reply::status(404, "text/plain", "no")
        }
    });
    let f = run("https://lobste.rs/s/ab12/lob", settings(&server.base())).unwrap();
    assert_eq!(f.thread.key, "lobsters:ab12");
    assert_eq!(f.thread.len(), 2);
    assert_eq!(
        f.thread.comments[1].parent,
        Some(threadr::model::CommentIdx(0))
    );
}

#[test]
fn other_urls_are_detected_like_files() {
    let server = Server::start(|t| match t {
        "/thread.txt" => Reply::status(200, "text/plain", PLAIN),
        "/paper.pdf" => Reply::status(200, "application/pdf", "%PDF-1.4"),
        _ => Reply::status(404, "text/html", "<html><title>Nothing here</title></html>"),
    });
    let base = server.base();
    let f = run(&format!("{base}/thread.txt"), settings(&base)).unwrap();
    assert_eq!(f.thread.len(), 2);
    assert_eq!(f.thread.key, format!("{base}/thread.txt"));
    let e = run(&format!("{base}/paper.pdf"), settings(&base))
        .unwrap_err()
        .to_string();
    assert!(e.contains("paper.pdf") && e.contains("a PDF"), "{e}");
    let e = run(&format!("{base}/gone"), settings(&base))
        .unwrap_err()
        .to_string();
    assert_eq!(e, format!("{base}/gone: HTTP 404: Nothing here"));
}

#[test]
fn every_failure_is_one_line_naming_the_url() {
    // Compressed before the server starts: a debug build needs a while for 5 MB.
    let bomb = {
        use std::io::Write as _;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&vec![b'a'; 5_000_000]).unwrap();
        gz.finish().unwrap()
    };
    let server = Server::start(move |t| match t {
        "/loop" => Reply::redirect("/loop"),
        "/to-file" => Reply::redirect("file:///etc/passwd"),
        "/hop" => Reply::redirect("/thread"),
        "/thread" => Reply::status(200, "text/plain", PLAIN),
        "/drip" => Reply::Drip {
            sent: 10,
            stall: Duration::from_secs(10),
        },
        "/endless" => Reply::Endless,
        "/bomb" => {
            Reply::status(200, "text/plain", bomb.clone()).with_header("Content-Encoding", "gzip")
        }
        "/hostile" => Reply::status(500, "text/plain", "\x1b]0;pwned\x07boom\x1b[2J"),
        _ => Reply::status(404, "text/plain", ""),
    });
    let base = server.base();
    let mut s = settings(&base);
    s.timeout = Duration::from_secs(1);
    s.max_bytes = 1_000_000;
    let err = |path: &str| run(&format!("{base}{path}"), s.clone()).unwrap_err();
    assert!(matches!(err("/loop"), FetchError::TooManyRedirects { .. }));
    let e = err("/to-file").to_string();
    assert!(
        e.contains("redirects to file:///etc/passwd") && e.contains("only http"),
        "{e}"
    );
    assert_eq!(
        run(&format!("{base}/hop"), s.clone()).unwrap().thread.len(),
        2
    );
    assert!(
        matches!(err("/drip"), FetchError::Timeout { .. }),
        "{}",
        err("/drip")
    );
    assert!(matches!(err("/endless"), FetchError::TooBig { .. }));
    let e = err("/bomb");
    assert!(
        matches!(e, FetchError::TooBig { .. }),
        "decompressed bytes are capped: {e}"
    );
    let e = err("/hostile").to_string();
    assert!(
        !e.contains('\x1b') && !e.contains('\x07') && e.contains("HTTP 500"),
        "{e:?}"
    );
    for e in [err("/loop"), err("/drip"), err("/endless"), err("/nothing")] {
        let line = e.to_string();
        assert!(line.starts_with(&base) && !line.contains('\n'), "{line}");
    }
    // Nothing listens on a port just released.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let e = run(&format!("http://127.0.0.1:{closed}/x"), s.clone()).unwrap_err();
    assert!(matches!(e, FetchError::Refused { .. }), "{e}");
    // Not TLS where TLS was asked for: refused, not read as plain text.
    let e = run(&format!("https://127.0.0.1:{}/thread", server.port), s).unwrap_err();
    assert!(
        matches!(e, FetchError::Tls { .. } | FetchError::Other { .. }),
        "{e}"
    );
}

#[test]
fn retry_after_is_obeyed_and_hosts_are_paced() {
    let hits = Arc::new(AtomicUsize::new(0));
    let h = Arc::clone(&hits);
    let server = Server::start(move |t| {
        if t == "/busy" && h.fetch_add(1, Ordering::SeqCst) == 0 {
            return Reply::status(429, "text/plain", "slow down").with_header("Retry-After", "1");
        }
        Reply::status(200, "text/plain", PLAIN)
    });
    let base = server.base();
    let waited = Arc::new(Mutex::new(None));
    let w = Arc::clone(&waited);
    let sent = Arc::new(Mutex::new(Vec::new()));
    let at = Arc::clone(&sent);
    let cancel = AtomicBool::new(false);
    let mut progress = move |p: Progress| {
        match p {
            Progress::Waiting { seconds, .. } => *w.lock().unwrap() = Some(seconds),
            // Emitted after the pacing wait, just before the request goes out.
            Progress::Request { .. } => at.lock().unwrap().push(std::time::Instant::now()),
            _ => {}
        }
    };
    let mut ctl = Control {
        cancel: &cancel,
        progress: &mut progress,
    };
    let mut s = settings(&base);
    s.pace = Duration::from_millis(300);
    let client = Client::new(s);
    client.get(&format!("{base}/busy"), None, &mut ctl).unwrap();
    client
        .get(&format!("{base}/other"), None, &mut ctl)
        .unwrap();
    assert_eq!(*waited.lock().unwrap(), Some(1));
    assert_eq!(server.log.lock().unwrap().len(), 3);
    let sent = sent.lock().unwrap();
    assert_eq!(sent.len(), 3);
    assert!(
        sent[1] - sent[0] >= Duration::from_secs(1),
        "Retry-After: 1 was not waited for"
    );
    assert!(
        sent[2] - sent[1] >= Duration::from_millis(300),
        "pace not kept"
    );
}

#[test]
fn cancel_stops_a_fetch() {
    let server = Server::start(|_| Reply::Drip {
        sent: 10,
        stall: Duration::from_secs(30),
    });
    let cancel = Arc::new(AtomicBool::new(false));
    let c = Arc::clone(&cancel);
    let mut progress = move |p: Progress| {
        if matches!(p, Progress::Request { .. }) {
            // Cancelled from "another thread" while the request is on its way.
            let c = Arc::clone(&c);
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(100));
                c.store(true, Ordering::SeqCst);
            });
        }
    };
    let mut ctl = Control {
        cancel: &cancel,
        progress: &mut progress,
    };
    let mut s = settings(&server.base());
    s.timeout = Duration::from_millis(500);
    let url = format!("{}/x", server.base());
    let e = Client::new(s).get(&url, None, &mut ctl).unwrap_err();
    // Either the cancel is seen between reads, or the per-read timeout fires first; it must
    // never read on for the whole stall.
    assert!(
        matches!(e, FetchError::Cancelled { .. } | FetchError::Timeout { .. }),
        "{e}"
    );
    cancel.store(true, Ordering::SeqCst);
    let e = Client::new(settings(&server.base()))
        .get(&url, None, &mut ctl)
        .unwrap_err();
    assert!(matches!(e, FetchError::Cancelled { .. }), "{e}");
}

/// An unchanged refresh rewrites only the meta (when fetched), not the saved thread file;
/// a refresh that brought a new comment rewrites it.
#[test]
fn an_unchanged_refresh_rewrites_only_the_meta() {
    use threadr::fetch::cli::fetch_and_save;
    use threadr::fetch::saved::Library;
    let body = Arc::new(Mutex::new(
        hn_story(vec![hn_comment(2, 1, 1, "ann", vec![])]).to_string(),
    ));
    let shared_body = Arc::clone(&body);
    let server = Server::start(move |_| Reply::json(shared_body.lock().unwrap().clone()));
    let client = Client::new(settings(&server.base()));
    let dir = tempfile::tempdir().unwrap();
    let lib = Library::open_in(dir.path()).unwrap();
    let cancel = AtomicBool::new(false);
    let mut progress = |_: Progress| {};
    let mut ctl = Control {
        cancel: &cancel,
        progress: &mut progress,
    };
    fetch_and_save("hn:1", &client, Some(&lib), &mut ctl).unwrap();
    let path = lib.thread_path("hn:1");
    // Mark the saved file: a rewrite replaces it (atomic rename), so the mark goes.
    let marked = format!("{}\n", std::fs::read_to_string(&path).unwrap());
    std::fs::write(&path, &marked).unwrap();
    let before = lib.meta("hn:1").unwrap();
    std::thread::sleep(Duration::from_millis(1100));
    let o = fetch_and_save("hn:1", &client, Some(&lib), &mut ctl).unwrap();
    assert_eq!(o.stats.unwrap().new, 0);
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        marked,
        "not rewritten"
    );
    assert!(lib.meta("hn:1").unwrap().fetched_unix > before.fetched_unix);
    *body.lock().unwrap() = hn_story(vec![
        hn_comment(2, 1, 1, "ann", vec![]),
        hn_comment(3, 1, 1, "bob", vec![]),
    ])
    .to_string();
    let o = fetch_and_save("hn:1", &client, Some(&lib), &mut ctl).unwrap();
    assert_eq!(o.stats.unwrap().new, 1);
    assert_ne!(std::fs::read_to_string(&path).unwrap(), marked, "rewritten");
    assert_eq!(lib.load("hn:1").unwrap().unwrap().thread.len(), 2);
}
