//! End-to-end in a pseudo-terminal: open a thread by its key from a local server, see the
//! progress line, refresh with `r` after the thread grew, and read `new` on the screen.

use crate::common;

use std::sync::{Arc, Mutex};

use common::http::{Reply, Server};
use common::pty::Pty;
use serde_json::{Value, json};

fn comment(id: u64, parent: u64, author: &str, text: &str) -> Value {
    json!({"id": id, "type": "comment", "author": author, "text": text,
           "parent_id": parent, "story_id": 1, "created_at_i": 1_700_000_000, "children": []})
}

fn story(kids: &[Value]) -> Value {
    json!({"id": 1, "type": "story", "title": "Harbour story", "author": "op", "points": 5,
           "created_at_i": 1_700_000_000, "text": "<p>The article.", "children": kids})
}

/// A config folder whose `[fetch]` reads Hacker News from `server`, without pacing.
fn hn_config(server: &Server) -> tempfile::TempDir {
    let config = tempfile::tempdir().unwrap();
    std::fs::write(
        config.path().join("config.toml"),
        format!(
            "[fetch]\nhackernews_api = \"{}\"\npace = 0\n",
            server.base()
        ),
    )
    .unwrap();
    config
}

#[test]
fn open_by_key_refresh_and_see_new_replies() {
    let page = Arc::new(Mutex::new(story(&[comment(2, 1, "ann", "first words")])));
    let serving = Arc::clone(&page);
    let server = Server::start(move |t| {
        if t == "/api/v1/items/1" {
            Reply::json(serving.lock().unwrap().to_string())
        } else {
            Reply::status(404, "text/plain", "no")
        }
    });
    let config = hn_config(&server);
    let env = [
        ("THREADR_CONFIG_DIR", config.path().to_str().unwrap()),
        ("NO_PROXY", "*"),
    ];
    let mut pty = Pty::spawn(&["hn:1"], 100, 24, &env);
    let screen = pty.wait_text("1 comment");
    assert!(
        screen.contains("Harbour story") && screen.contains("first words"),
        "{screen}"
    );
    assert!(
        !screen.contains("new 1"),
        "a first visit marks nothing new:\n{screen}"
    );

    // The discussion grows; `r` fetches it again and marks the reply as new.
    let grown = story(&[
        comment(2, 1, "ann", "first words"),
        comment(3, 1, "bob", "a later reply"),
    ]);
    *page.lock().unwrap() = grown;
    pty.keys("r");
    let screen = pty.wait_text("1 new reply");
    assert!(
        screen.contains("a later reply") || screen.contains("bob"),
        "{screen}"
    );
    let marked: Vec<&str> = screen.lines().filter(|l| l.contains("new ")).collect();
    assert!(
        marked.iter().any(|l| l.contains("bob")),
        "bob's reply is not marked new:\n{screen}"
    );
    assert!(
        !marked.iter().any(|l| l.contains("ann 3y")),
        "ann's is not new:\n{screen}"
    );

    // The source drops ann's comment: `r` says so, and it is kept where it was, first.
    *page.lock().unwrap() = story(&[comment(3, 1, "bob", "a later reply")]);
    pty.keys("r");
    let screen = pty.wait_text("1 removed at the source (kept)");
    let row = |who: &str| screen.lines().position(|l| l.contains(who));
    assert!(
        row("ann").is_some() && row("ann") < row("bob"),
        "ann's kept comment keeps its place above bob's:\n{screen}"
    );
    pty.keys("q");
    assert_eq!(pty.wait_exit(), 0);

    // Both comments were seen: the reading state saved at quit says so (it was the
    // empty placeholder's the reader opened on, so the next visit called them all new).
    let data = pty.home.path().join("data");
    let states: Vec<Value> = std::fs::read_dir(data.join("tester").join("state"))
        .unwrap()
        .map(|e| serde_json::from_slice(&std::fs::read(e.unwrap().path()).unwrap()).unwrap())
        .collect();
    assert_eq!(states.len(), 1);
    assert_eq!(states[0]["seen"]["count"], 2, "{}", states[0]);

    // Offline: the saved copy opens, with a note saying when it was fetched.
    drop(server);
    let data = data.to_str().unwrap();
    let env = [
        ("THREADR_CONFIG_DIR", config.path().to_str().unwrap()),
        ("THREADR_DATA_DIR", data),
        ("NO_PROXY", "*"),
    ];
    let mut pty2 = Pty::spawn(&["hn:1"], 100, 24, &env);
    let screen = pty2.wait_text("showing the copy fetched");
    assert!(
        screen.contains("a later reply") || screen.contains("bob"),
        "{screen}"
    );
    pty2.keys("q");
    assert_eq!(pty2.wait_exit(), 0);
}

/// A Reddit comment thing.
#[allow(clippy::needless_pass_by_value)] // builds JSON shapes, read best by value
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

#[test]
fn reddit_expansions_join_the_tree_without_moving_the_focus() {
    // ann's comment and bob's reply, then a stub of 300 more top-level ids: three
    // morechildren requests, each answered slowly, so the fetch runs for a few seconds.
    let ids: Vec<String> = (0..300).map(|i| format!("m{i}")).collect();
    let page = json!([
        {"kind": "Listing", "data": {"children": [{"kind": "t3", "data": {"id": "p1",
            "title": "Slow post", "author": "op", "selftext": "text", "is_self": true,
            "permalink": "/r/x/comments/p1/post/"}}]}},
        {"kind": "Listing", "data": {"children": [
            t1("a", "t3_p1", "ann", vec![t1("b", "t1_a", "bob", vec![])]),
            {"kind": "more", "data": {"id": "m0", "parent_id": "t3_p1", "count": 300, "children": ids}}
        ]}}
    ])
    .to_string();
    let server = Server::start(move |t| {
        if t.starts_with("/comments/p1.json") {
            return Reply::json(page.clone());
        }
        if let Some(q) = t.strip_prefix("/api/morechildren.json?") {
            std::thread::sleep(std::time::Duration::from_millis(1500));
            let children = q
                .split('&')
                .find_map(|kv| kv.strip_prefix("children="))
                .unwrap_or("");
            let things: Vec<Value> = children
                .split(',')
                .map(|id| t1(id, "t3_p1", "mo", vec![]))
                .collect();
            return Reply::json(
                json!({"json": {"errors": [], "data": {"things": things}}}).to_string(),
            );
        }
        Reply::status(404, "text/plain", "no")
    });
    let config = tempfile::tempdir().unwrap();
    std::fs::write(
        config.path().join("config.toml"),
        format!("[fetch]\nreddit_api = \"{}\"\npace = 0\n", server.base()),
    )
    .unwrap();
    let env = [
        ("THREADR_CONFIG_DIR", config.path().to_str().unwrap()),
        ("NO_PROXY", "*"),
    ];
    let mut pty = Pty::spawn(&["reddit:p1"], 100, 24, &env);
    pty.wait_text("bob");
    // Focus bob's reply (the second comment) while the stubs are being expanded.
    // (The article has the focus first, as for any thread with one: Tab to the comments.)
    pty.keys("\tj");
    let screen = pty.wait_text("ann › bob");
    assert!(screen.contains(" fetching "), "still fetching:\n{screen}");
    // The expanded comments join while the fetch runs: more comments, same focus.
    let screen = pty.wait_for("expanded comments while fetching", |s| {
        s.contains("mo ") && s.contains(" fetching ")
    });
    assert!(
        screen.contains("ann › bob") && screen.contains("Comments 2/"),
        "the focus stayed on bob:\n{screen}"
    );
    let screen = pty.wait_text("302 comments");
    assert!(
        screen.contains("ann › bob") && screen.contains("Comments 2/"),
        "the focus stayed on bob at the end:\n{screen}"
    );
    assert!(
        !screen.contains("new 1"),
        "a first visit marks nothing new:\n{screen}"
    );
    pty.keys("q");
    assert_eq!(pty.wait_exit(), 0);
}

#[test]
fn the_library_list_opens_saved_threads_and_bare_threadr_shows_it() {
    let server = Server::start(|t| {
        let titled = |id: u64, title: &str, who: &str| {
            let mut s = story(&[comment(10 + id, id, who, &format!("words of {who}"))]);
            s["id"] = json!(id);
            s["title"] = json!(title);
            Reply::json(s.to_string())
        };
        match t {
            "/api/v1/items/1" => titled(1, "Harbour story", "ann"),
            "/api/v1/items/2" => titled(2, "Lighthouse story", "lu"),
            _ => Reply::status(404, "text/plain", "no"),
        }
    });
    let home = hn_config(&server);
    let data = home.path().join("data");
    let env = [
        ("THREADR_CONFIG_DIR", home.path().to_str().unwrap()),
        ("THREADR_DATA_DIR", data.to_str().unwrap()),
        ("NO_PROXY", "*"),
    ];
    // Two threads saved from the command line, the lighthouse one last (so listed first).
    for key in ["hn:1", "hn:2"] {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_threadr"))
            .args(["dump", key])
            .envs(env)
            .env("THREADR_READER", "tester")
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        std::thread::sleep(std::time::Duration::from_millis(1100));
    }

    // Bare threadr: the list over the tour, newest first.
    let mut pty = Pty::spawn(&[], 100, 30, &env);
    pty.wait_text("Saved threads");
    let screen = pty.wait_text("Harbour story");
    let light = screen
        .find("Lighthouse story")
        .unwrap_or_else(|| panic!("{screen}"));
    let harbour = screen.find("Harbour story").expect("listed");
    assert!(light < harbour, "newest first:\n{screen}");
    assert!(screen.contains("not opened yet"), "{screen}");
    // Esc: the tour is there.
    pty.keys("\x1b");
    pty.wait_for("the tour", |s| {
        s.contains("A tour of threadr") && !s.contains("Saved threads")
    });

    // L, down to the harbour thread, Enter: it opens (saved copy, then refreshed).
    pty.keys("L");
    pty.wait_text("Saved threads");
    pty.keys("j\r");
    let screen = pty.wait_text("words of ann");
    assert!(screen.contains("Harbour story"), "{screen}");
    pty.wait_text("No new replies");

    // From there to the other one (second now: opening the harbour one refetched it); the
    // harbour thread now counts as opened.
    pty.keys("L");
    let screen = pty.wait_text("Saved threads");
    assert!(
        screen.find("Harbour story") < screen.find("Lighthouse story"),
        "refetched, so newest:\n{screen}"
    );
    pty.keys("j\r");
    pty.wait_text("words of lu");
    pty.keys("L");
    let screen = pty.wait_for("harbour seen", |s| {
        s.lines()
            .any(|l| l.contains("Harbour story") && l.contains("nothing new"))
    });
    assert!(
        screen
            .lines()
            .any(|l| l.contains("Lighthouse story") && l.contains("1 comment,")),
        "{screen}"
    );
    pty.keys("\x1b");
    pty.wait_for("the list closed", |s| !s.contains("Saved threads"));
    pty.keys("q");
    assert_eq!(pty.wait_exit(), 0);
}

#[test]
fn o_fetches_the_linked_article_which_is_saved_and_kept_on_refresh() {
    let base = Arc::new(Mutex::new(String::new()));
    let at = Arc::clone(&base);
    let server = Server::start(move |t| {
        let base = at.lock().unwrap().clone();
        let mut s = story(&[comment(2, 1, "ann", "first words")]);
        match t {
            "/api/v1/items/1" => {
                s["url"] = json!(format!("{base}/post.html"));
                Reply::json(s.to_string())
            }
            "/api/v1/items/3" => {
                s["id"] = json!(3);
                s["url"] = json!(format!("{base}/paper.pdf"));
                Reply::json(s.to_string())
            }
            "/post.html" => Reply::status(
                200,
                "text/html; charset=utf-8",
                "<html><head><title>Tides</title></head><body><nav><a href=\"/\">Home</a> Menu</nav>\
                 <article><h1>Tides</h1><p>The harbour fills twice a day, and the \
                 <a href=\"/moon\">moon</a> decides when.</p></article>\
                 <footer>Share this post</footer></body></html>",
            ),
            "/paper.pdf" => Reply::status(200, "application/pdf", "%PDF-1.4"),
            _ => Reply::status(404, "text/plain", "no"),
        }
    });
    *base.lock().unwrap() = server.base();
    let config = hn_config(&server);
    let env = [
        ("THREADR_CONFIG_DIR", config.path().to_str().unwrap()),
        ("NO_PROXY", "*"),
    ];
    let mut pty = Pty::spawn(&["hn:1"], 100, 30, &env);
    pty.wait_text("1 comment");
    pty.keys("O");
    let screen = pty.wait_text("Article fetched");
    assert!(screen.contains("The harbour fills twice a day"), "{screen}");
    assert!(!screen.contains("Share this post"), "no footer:\n{screen}");
    // A refresh keeps it.
    pty.keys("r");
    let screen = pty.wait_text("No new replies");
    assert!(screen.contains("The harbour fills twice a day"), "{screen}");
    pty.keys("q");
    assert_eq!(pty.wait_exit(), 0);

    // Saved with the copy: a dump (which refetches from the local server and merges) has it.
    let data = pty.home.path().join("data");
    let dump = std::process::Command::new(env!("CARGO_BIN_EXE_threadr"))
        .args(["dump", "--format", "text", "hn:1"])
        .env("THREADR_DATA_DIR", &data)
        .env("THREADR_CONFIG_DIR", config.path())
        .env("NO_PROXY", "*")
        .env("THREADR_READER", "tester")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&dump.stdout);
    assert!(text.contains("moon decides when"), "{text}");

    // A PDF: one line, the link stays.
    let mut pty = Pty::spawn(&["hn:3"], 100, 30, &env);
    pty.wait_text("1 comment");
    pty.keys("O");
    let screen = pty.wait_text("it is a PDF");
    assert!(screen.contains("paper.pdf"), "{screen}");
    pty.keys("q");
    assert_eq!(pty.wait_exit(), 0);
}

#[test]
fn a_failed_first_fetch_says_so_on_the_page_and_r_tries_again_as_a_first_visit() {
    let up = Arc::new(Mutex::new(false));
    let serving = Arc::clone(&up);
    let server = Server::start(move |t| {
        if t == "/api/v1/items/1" && *serving.lock().unwrap() {
            Reply::json(story(&[comment(2, 1, "ann", "first words")]).to_string())
        } else {
            Reply::status(500, "text/plain", "the kiln is down")
        }
    });
    let config = hn_config(&server);
    let env = [
        ("THREADR_CONFIG_DIR", config.path().to_str().unwrap()),
        ("NO_PROXY", "*"),
    ];
    let mut pty = Pty::spawn(&["hn:1"], 100, 24, &env);
    pty.wait_text("the kiln is down");
    // A key clears the status line; the page itself still says what happened.
    pty.keys("j");
    let screen = pty.wait_text("Could not fetch hn:1");
    assert!(screen.contains("r tries again"), "{screen}");
    assert!(!screen.contains("Fetching hn:1"), "{screen}");
    // The page's new text is what search finds.
    pty.keys("/kiln\r");
    pty.wait_text("/kiln 1/1");
    pty.keys("\x1b");
    // Apart from the next key (a quick Esc and `r` read as Alt-r).
    pty.wait_for("the search dropped", |s| !s.contains("/kiln"));
    // Nothing to bookmark on a page that stands in for the thread.
    pty.keys("m");
    pty.wait_text("Nothing to bookmark yet");
    *up.lock().unwrap() = true;
    pty.keys("r");
    let screen = pty.wait_text("1 comment");
    assert!(screen.contains("first words"), "{screen}");
    assert!(
        !screen.contains("new repl") && !screen.contains("Could not fetch"),
        "a retry after a failed first fetch is still a first visit:\n{screen}"
    );
    pty.keys("q");
    assert_eq!(pty.wait_exit(), 0);
}

#[test]
fn a_thread_first_opened_by_a_comment_keeps_its_position_under_the_story_key() {
    let server = Server::start(move |t| match t {
        "/api/v1/items/1" => Reply::json(
            story(&[
                comment(2, 1, "ann", "first words"),
                comment(3, 1, "bob", "a later reply"),
            ])
            .to_string(),
        ),
        "/api/v1/items/3" => Reply::json(comment(3, 1, "bob", "a later reply").to_string()),
        _ => Reply::status(404, "text/plain", "no"),
    });
    let config = hn_config(&server);
    let env = [
        ("THREADR_CONFIG_DIR", config.path().to_str().unwrap()),
        ("NO_PROXY", "*"),
    ];
    // `hn:3` is bob's comment: the whole story opens, focused on it.
    let mut pty = Pty::spawn(&["hn:3"], 100, 24, &env);
    pty.wait_text("a later reply");
    pty.keys("q");
    assert_eq!(pty.wait_exit(), 0);
    let dir = pty.home.path().join("data").join("tester").join("state");
    let keys: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let v: Value =
                serde_json::from_slice(&std::fs::read(e.unwrap().path()).unwrap()).unwrap();
            format!("{} {}", v["key"].as_str().unwrap(), v["seen"]["count"])
        })
        .collect();
    // Saved under the key the next visit (`hn:1`, or `hn:3` finding the copy) reads.
    assert!(keys.contains(&"hn:1 2".to_string()), "{keys:?}");
}
