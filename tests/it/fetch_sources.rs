//! The mail and forum sources by URL (issue 13 through issue 12's machinery), against a local
//! server on 127.0.0.1: public-inbox `t.mbox.gz`, Discourse post chunks, Lemmy comment pages,
//! Mastodon status + context, Bluesky through the configured `AppView`; and the hostile
//! cases: a chunk that fails, an endless stream list, a page that repeats, a gzip bomb, and
//! a URL with a source's shape that is not that source.

#![allow(clippy::needless_pass_by_value)] // builders of JSON shapes read best by value

use crate::common;

use std::io::Write as _;
use std::time::Duration;

use common::http::{Reply, Server};
use serde_json::{Value, json};
use threadr::fetch::{FetchSettings, Target, route};
use threadr::model::Thread;

use crate::fetch::run;

fn settings(base: &str) -> FetchSettings {
    FetchSettings {
        bluesky_api: base.to_string(),
        timeout: Duration::from_secs(5),
        pace: Duration::ZERO,
        ..FetchSettings::default()
    }
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn parent_of<'a>(t: &'a Thread, id: &str) -> Option<&'a str> {
    let c = t.comment(t.find(id).unwrap_or_else(|| panic!("no comment {id}")));
    c.parent.map(|p| &*t.comment(p).id.0)
}

/// The query value of `name` in a request target.
fn query<'a>(target: &'a str, name: &str) -> Vec<&'a str> {
    target
        .split_once('?')
        .map_or("", |(_, q)| q)
        .split('&')
        .filter_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
        .collect()
}

#[test]
fn public_inbox_thread_url_reads_its_gzipped_mbox() {
    let synth = threadr::synth_mail::mbox_thread(300, 11);
    let packed = gzip(synth.mbox.as_bytes());
    let root = synth.ids[0].clone();
    let want = format!("/linux-mm/{root}/t.mbox.gz");
    let server = Server::start(move |t| {
        if t == want {
            Reply::status(200, "application/gzip", packed.clone())
        } else {
            Reply::status(404, "text/plain", "no")
        }
    });
    let url = format!("{}/linux-mm/{root}/", server.base());
    assert!(matches!(route::parse(&url).unwrap(), Target::Source(_)));
    let f = run(&url, settings(&server.base())).unwrap();
    let t = &f.thread;
    assert_eq!(t.key, format!("mail:{root}"));
    assert_eq!(t.len(), 300 - 2, "all but the root and the missing one");
    let mut checked = 0;
    for (i, expect) in synth.expected_parent.iter().enumerate() {
        if i == 0 || i == synth.missing {
            continue;
        }
        let want = expect.filter(|p| *p != 0).map(|p| synth.ids[p].as_str());
        assert_eq!(parent_of(t, &synth.ids[i]), want, "parent of message {i}");
        checked += 1;
    }
    assert_eq!(checked, 298);
    assert_eq!(server.targets(), [format!("/linux-mm/{root}/t.mbox.gz")]);
}

#[test]
fn a_gzip_bomb_stops_at_the_size_cap() {
    // 50 MB of one repeated line packs to about 50 kB.
    let mut mbox = b"From x@y Thu Jan  1 00:00:00 2026\nMessage-ID: <a@b>\n\n".to_vec();
    mbox.resize(50_000_000, b'a');
    let bomb = gzip(&mbox);
    assert!(bomb.len() < 1_000_000);
    let server = Server::start(move |_| Reply::status(200, "application/gzip", bomb.clone()));
    let mut s = settings(&server.base());
    s.max_bytes = 5_000_000;
    // As a public-inbox thread and as any other URL: the fetch cap holds for both.
    for path in ["/list/a@b/", "/files/thread.mbox.gz"] {
        let url = format!("{}{path}", server.base());
        let line = match run(&url, s.clone()) {
            Ok(f) => panic!(
                "{path}: read {} bytes of article",
                f.thread.body.plain_text().len()
            ),
            Err(e) => e.to_string(),
        };
        assert!(
            line.contains("larger than 5 MB ([fetch] max_size)"),
            "{line}"
        );
        assert!(!line.contains('\n'));
    }
    assert_eq!(server.targets().len(), 2, "no second try as a page");
}

/// A Discourse topic of `n` posts (ids 1000 + number); post k replies to post k/2 (post 1
/// for the first ones); the topic JSON holds the first 20, its stream names all.
struct Forum {
    n: u64,
}

impl Forum {
    fn post(n: u64) -> Value {
        let reply_to = if n <= 3 { Value::Null } else { json!(n / 2) };
        json!({"id": 1000 + n, "post_number": n, "username": format!("user{}", n % 7),
               "created_at": "2026-03-02T10:00:00.000Z", "cooked": format!("<p>post {n}</p>"),
               "reply_to_post_number": reply_to, "like_count": n % 3})
    }

    fn topic(&self, stream: Vec<u64>) -> String {
        let posts: Vec<Value> = (1..=self.n.min(20)).map(Self::post).collect();
        json!({"id": 7, "title": "A long topic", "slug": "a-long-topic",
               "post_stream": {"stream": stream, "posts": posts}})
        .to_string()
    }

    /// The answer to `/t/7/posts.json?post_ids[]=…`.
    fn chunk(target: &str) -> String {
        let posts: Vec<Value> = query(target, "post_ids%5B%5D")
            .iter()
            .filter_map(|id| id.parse::<u64>().ok())
            .map(|id| Self::post(id - 1000))
            .collect();
        json!({"post_stream": {"posts": posts}}).to_string()
    }
}

#[test]
fn discourse_topic_fetches_the_rest_of_its_stream_in_chunks() {
    let forum = Forum { n: 65 };
    let topic = forum.topic((1001..=1065).collect());
    let server = Server::start(move |t| {
        if t == "/t/7.json" {
            Reply::json(topic.clone())
        } else if t.starts_with("/t/7/posts.json?") {
            Reply::json(Forum::chunk(t))
        } else {
            Reply::status(404, "text/plain", "no")
        }
    });
    let url = format!("{}/t/a-long-topic/7/12", server.base());
    let f = run(&url, settings(&server.base())).unwrap();
    let t = &f.thread;
    assert_eq!(t.key, format!("discourse:127.0.0.1:{}/7", server.port));
    assert_eq!(t.len(), 64, "post 1 is the article, 64 replies");
    assert_eq!(t.more, 0);
    for n in 2..=65u64 {
        let want = (n > 3).then(|| (1000 + n / 2).to_string());
        assert_eq!(
            parent_of(t, &(1000 + n).to_string()),
            want.as_deref(),
            "post {n}"
        );
    }
    // 45 missing ids: three chunks of at most 20.
    let targets = server.targets();
    assert_eq!(targets.len(), 4, "{targets:?}");
    assert_eq!(query(&targets[1], "post_ids%5B%5D").len(), 20);
    assert_eq!(query(&targets[3], "post_ids%5B%5D").len(), 5);
    assert_eq!(f.requests, 4);
}

#[test]
fn a_discourse_chunk_that_fails_keeps_the_rest_counted() {
    let forum = Forum { n: 65 };
    let topic = forum.topic((1001..=1065).collect());
    let server = Server::start(move |t| {
        if t == "/t/7.json" {
            Reply::json(topic.clone())
        } else if t.contains("post_ids%5B%5D=1041") {
            Reply::status(500, "text/plain", "chunk broke")
        } else if t.starts_with("/t/7/posts.json?") {
            Reply::json(Forum::chunk(t))
        } else {
            Reply::status(404, "text/plain", "no")
        }
    });
    let f = run(
        &format!("{}/t/x/7", server.base()),
        settings(&server.base()),
    )
    .unwrap();
    let t = &f.thread;
    assert_eq!(
        t.len(),
        39,
        "the topic's 20 and the first chunk's 20, minus post 1"
    );
    assert_eq!(t.more, 25, "the failed chunk and the one after it");
    assert!(
        t.warnings
            .iter()
            .any(|w| w.contains("not fetched") && w.contains("HTTP 500")),
        "{:?}",
        t.warnings
    );
}

#[test]
fn an_endless_stream_stops_at_the_request_budget() {
    // A stream naming a million posts, and one naming the same post a million times.
    let forum = Forum { n: 20 };
    let huge = forum.topic((1001..=1_001_000).collect());
    let same = forum.topic(std::iter::repeat_n(1500, 1_000_000).collect());
    let server = Server::start(move |t| {
        if t == "/t/7.json" {
            Reply::json(huge.clone())
        } else if t == "/t/8.json" {
            Reply::json(same.clone())
        } else if t.starts_with("/t/7/posts.json?") || t.starts_with("/t/8/posts.json?") {
            Reply::json(Forum::chunk(t))
        } else {
            Reply::status(404, "text/plain", "no")
        }
    });
    let mut s = settings(&server.base());
    s.more_requests = 3;
    let f = run(&format!("{}/t/x/7", server.base()), s.clone()).unwrap();
    assert_eq!(server.targets().len(), 4, "the topic and three chunks");
    assert_eq!(f.thread.len(), 19 + 60);
    assert_eq!(f.thread.more, 1_000_000 - 80);
    assert!(
        f.thread
            .warnings
            .iter()
            .any(|w| w.contains("more_requests = 3")),
        "{:?}",
        f.thread.warnings
    );
    let f = run(&format!("{}/t/x/8", server.base()), s).unwrap();
    assert_eq!(
        server.targets().len(),
        6,
        "one chunk: the repeated id is asked once"
    );
    assert_eq!(f.thread.len(), 20);
}

#[test]
fn a_shape_that_is_not_the_source_is_read_as_a_page() {
    let page = || {
        Reply::status(
            200,
            "text/plain",
            "A title\n\n  1. hello there\n\n    • hi back\n",
        )
    };
    let server = Server::start(move |t| match t {
        "/t/notes/5" | "/t/notes/6" => page(),
        // A site that answers every path, with something that is not a topic.
        "/t/6.json" => Reply::json(r#"{"hello": "world"}"#),
        _ => Reply::status(404, "text/html", "<p>no such page</p>"),
    });
    for n in [5, 6] {
        let url = format!("{}/t/notes/{n}", server.base());
        let f = run(&url, settings(&server.base())).unwrap();
        assert_eq!(f.thread.len(), 2);
        assert_eq!(f.thread.key, url);
    }
    assert_eq!(
        server.targets(),
        ["/t/5.json", "/t/notes/5", "/t/6.json", "/t/notes/6"]
    );
}

fn lemmy_comment(id: u64, path: &str) -> Value {
    json!({"comment": {"id": id, "path": path, "content": format!("comment {id}"),
                       "published": "2026-03-02T10:00:00Z"},
           "creator": {"name": format!("u{}", id % 5)}, "counts": {"score": 1}})
}

#[test]
fn lemmy_reads_comment_pages_until_one_is_empty_or_repeats() {
    let post = json!({"post_view": {"post": {"id": 42, "name": "A post", "body": "Text",
                       "ap_id": "https://lemmy.example.org/post/42", "published": "2026-03-02T10:00:00Z"},
                       "creator": {"name": "op"}, "counts": {"score": 3}}})
    .to_string();
    // 120 comments, 50 a page: each replies to the one 10 before it (top level below 10).
    let path = |i: u64| {
        let mut chain = vec![i];
        let mut j = i;
        while j >= 10 {
            j -= 10;
            chain.push(j);
        }
        chain.reverse();
        let ids: Vec<String> = chain.iter().map(|k| (5000 + k).to_string()).collect();
        format!("0.{}", ids.join("."))
    };
    let all: Vec<Value> = (0..120)
        .map(|i| lemmy_comment(5000 + i, &path(i)))
        .collect();
    let server = Server::start(move |t| {
        if t == "/api/v3/post?id=42" {
            return Reply::json(post.clone());
        }
        let page: usize = query(t, "page")
            .first()
            .and_then(|p| p.parse().ok())
            .unwrap_or(0);
        if t.starts_with("/api/v3/comment/list?post_id=42&") && page > 0 {
            let items: Vec<&Value> = all.iter().skip((page - 1) * 50).take(50).collect();
            Reply::json(json!({ "comments": items }).to_string())
        } else if t.starts_with("/api/v3/comment/list?post_id=43&") {
            // A server that gives its one page whatever page is asked.
            Reply::json(json!({ "comments": [lemmy_comment(1, "0.1")] }).to_string())
        } else if t == "/api/v3/post?id=43" {
            Reply::json(
                json!({"post_view": {"post": {"id": 43, "name": "B"}, "creator": {"name": "op"}}})
                    .to_string(),
            )
        } else {
            Reply::status(404, "text/plain", "no")
        }
    });
    let f = run(
        &format!("{}/post/42", server.base()),
        settings(&server.base()),
    )
    .unwrap();
    let t = &f.thread;
    assert_eq!(t.key, "lemmy:lemmy.example.org/42");
    assert_eq!(t.len(), 120);
    for i in 0..120u64 {
        let want = (i >= 10).then(|| (5000 + i - 10).to_string());
        assert_eq!(
            parent_of(t, &(5000 + i).to_string()),
            want.as_deref(),
            "{i}"
        );
    }
    assert_eq!(f.requests, 5, "post, pages 1 to 3, empty page 4");
    let before = server.targets().len();
    let f = run(
        &format!("{}/post/43", server.base()),
        settings(&server.base()),
    )
    .unwrap();
    assert_eq!(f.thread.len(), 1);
    assert_eq!(
        server.targets().len() - before,
        3,
        "post, page 1, page 2 repeats"
    );
}

#[test]
fn mastodon_status_and_context_and_a_context_that_fails() {
    let status = |id: &str| {
        json!({"id": id, "url": format!("https://social.example.org/@alice/{id}"),
               "account": {"acct": "alice"}, "content": "<p>Root</p>", "created_at": "2026-03-02T10:00:00.000Z"})
        .to_string()
    };
    let descendants: Vec<Value> = (2..=30)
        .map(|i| {
            json!({"id": i.to_string(), "in_reply_to_id": (i / 2).to_string(),
                   "account": {"acct": format!("p{i}@other.example.net")},
                   "content": format!("<p>reply {i}</p>"), "created_at": "2026-03-02T10:01:00.000Z"})
        })
        .collect();
    let context = json!({"ancestors": [], "descendants": descendants}).to_string();
    let server = Server::start(move |t| match t {
        "/api/v1/statuses/1" => Reply::json(status("1")),
        "/api/v1/statuses/1/context" => Reply::json(context.clone()),
        "/api/v1/statuses/9" => Reply::json(status("9")),
        "/api/v1/statuses/9/context" => Reply::status(503, "text/plain", "busy"),
        _ => Reply::status(404, "text/plain", "no"),
    });
    let f = run(
        &format!("{}/@alice/1", server.base()),
        settings(&server.base()),
    )
    .unwrap();
    let t = &f.thread;
    assert_eq!(t.key, "mastodon:social.example.org/1");
    assert_eq!(t.len(), 29);
    for i in 2..=30u32 {
        let want = (i >= 4).then(|| (i / 2).to_string());
        assert_eq!(parent_of(t, &i.to_string()), want.as_deref(), "{i}");
    }
    let f = run(
        &format!("{}/users/alice/statuses/9", server.base()),
        settings(&server.base()),
    )
    .unwrap();
    assert_eq!(f.thread.len(), 0);
    assert!(
        f.thread.warnings.iter().any(|w| w.contains("HTTP 503")),
        "{:?}",
        f.thread.warnings
    );
}

#[test]
fn bluesky_post_url_goes_through_the_configured_appview() {
    fn view(rkey: &str, handle: &str, replies: Vec<Value>) -> Value {
        json!({"$type": "app.bsky.feed.defs#threadViewPost",
               "post": {"uri": format!("at://did:plc:{handle}/app.bsky.feed.post/{rkey}"),
                        "author": {"did": format!("did:plc:{handle}"), "handle": format!("{handle}.example.org")},
                        "record": {"text": format!("post {rkey}"), "createdAt": "2026-03-02T10:00:00.000Z"}},
               "replies": replies})
    }
    let thread = json!({"thread": view("root", "alice", vec![
        view("a", "bob", vec![view("b", "cat", vec![])]),
        view("c", "dan", vec![]),
    ])})
    .to_string();
    let server = Server::start(move |t| {
        if t.starts_with(
            "/xrpc/app.bsky.feed.getPostThread?uri=at://alice.example.org/app.bsky.feed.post/root",
        ) {
            Reply::json(thread.clone())
        } else {
            Reply::status(404, "text/plain", "no")
        }
    });
    let f = run(
        "https://bsky.app/profile/alice.example.org/post/root",
        settings(&server.base()),
    )
    .unwrap();
    let t = &f.thread;
    assert_eq!(t.len(), 3);
    let authors: Vec<&str> = t
        .comments
        .iter()
        .map(|c| c.author.as_deref().unwrap_or(""))
        .collect();
    assert_eq!(authors.len(), 3);
    assert!(
        authors.iter().all(|a| a.ends_with(".example.org")),
        "{authors:?}"
    );
    let b = t
        .comments
        .iter()
        .find(|c| c.author.as_deref() == Some("cat.example.org"))
        .unwrap();
    let parent = t.comment(b.parent.unwrap());
    assert_eq!(parent.author.as_deref(), Some("bob.example.org"));
}

fn threadr(home: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_threadr"))
        .args(args)
        .env("THREADR_DATA_DIR", home.join("data"))
        .env("THREADR_CONFIG_DIR", home.join("config"))
        .env("THREADR_READER", "tester")
        .env("NO_PROXY", "*")
        .output()
        .expect("run threadr")
}

#[test]
fn dump_and_refresh_a_discourse_url_from_the_command_line() {
    let size = std::sync::Arc::new(std::sync::Mutex::new(Some(25u64)));
    let serving = std::sync::Arc::clone(&size);
    let server = Server::start(move |t| {
        let Some(n) = *serving.lock().unwrap() else {
            return Reply::status(503, "text/plain", "forum down");
        };
        if t == "/t/7.json" {
            Reply::json(Forum { n }.topic((1001..=1000 + n).collect()))
        } else if t.starts_with("/t/7/posts.json?") {
            Reply::json(Forum::chunk(t))
        } else {
            Reply::status(404, "text/plain", "no")
        }
    });
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(home.path().join("config")).unwrap();
    std::fs::write(
        home.path().join("config/config.toml"),
        "[fetch]\npace = 0\n",
    )
    .unwrap();
    let url = format!("{}/t/a-long-topic/7", server.base());
    let count = |o: &std::process::Output| {
        let v: Value = serde_json::from_slice(&o.stdout).expect("dump is JSON");
        v["comments"].as_array().map_or(0, Vec::len)
    };

    let o = threadr(home.path(), &["dump", &url]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(count(&o), 24);

    *size.lock().unwrap() = Some(30);
    let o = threadr(home.path(), &["refresh", &url]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "A long topic: 5 new (29 comments)\n"
    );
    let o = threadr(home.path(), &["library", "--json"]);
    let lib: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        lib[0]["key"],
        format!("discourse:127.0.0.1:{}/7", server.port)
    );
    assert_eq!(lib[0]["target"], url.as_str(), "refreshed by its URL");

    // The forum is down: refresh fails naming the URL, dump shows the saved copy.
    *size.lock().unwrap() = None;
    let o = threadr(home.path(), &["refresh", "--all"]);
    assert!(!o.status.success());
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("/t/7.json: HTTP 503: forum down"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let o = threadr(home.path(), &["dump", &url]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stderr).contains("showing the copy fetched"));
    assert_eq!(count(&o), 29);
}
