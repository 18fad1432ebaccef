//! `[fetch] articles = "always"`: a link post's article fetched on open, in a pseudo-terminal
//! against a local server that counts its requests (opened by key, saved and opened again,
//! refreshed, opened offline; a saved export opened as a file, with and without a network),
//! and the app-level rules that decide when (`App::article_on_open`).

use crate::common;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::http::{Reply, Server};
use common::pty::Pty;
use serde_json::{Value, json};
use threadr::app::{App, Effect};
use threadr::keymap::Keymap;

const ARTICLE: &str = "The harbour fills twice a day";

fn story(url: &str) -> Value {
    json!({"id": 1, "type": "story", "title": "Harbour story", "author": "op", "points": 5,
           "created_at_i": 1_700_000_000, "text": "<p>Own words.", "url": url,
           "children": [{"id": 2, "type": "comment", "author": "ann", "text": "first words",
                         "parent_id": 1, "story_id": 1, "created_at_i": 1_700_000_000,
                         "children": []}]})
}

/// A server with the story at `/api/v1/items/1` linking to its own `/post.html`; while
/// `down` is set every request answers 500.
fn server(down: &Arc<AtomicBool>) -> Server {
    let base = Arc::new(Mutex::new(String::new()));
    let at = Arc::clone(&base);
    let down = Arc::clone(down);
    let server = Server::start(move |t| {
        if down.load(Ordering::SeqCst) {
            return Reply::status(500, "text/plain", "down for maintenance");
        }
        match t {
            "/api/v1/items/1" => {
                Reply::json(story(&format!("{}/post.html", at.lock().unwrap())).to_string())
            }
            "/post.html" => Reply::status(
                200,
                "text/html; charset=utf-8",
                format!(
                    "<html><head><title>Tides</title></head><body><nav>Home Menu</nav>\
                     <article><h1>Tides</h1><p>{ARTICLE}, and the moon decides \
                     when.</p></article><footer>Share this post</footer></body></html>"
                ),
            ),
            _ => Reply::status(404, "text/plain", "no"),
        }
    });
    *base.lock().unwrap() = server.base();
    server
}

fn count(server: &Server, target: &str) -> usize {
    server.targets().iter().filter(|t| *t == target).count()
}

/// A config folder whose `[fetch]` points at `base` with `articles` as given.
fn config(base: &str, articles: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("config.toml"),
        format!("[fetch]\nhackernews_api = \"{base}\"\npace = 0\narticles = \"{articles}\"\n"),
    )
    .unwrap();
    dir
}

fn env<'a>(config: &'a tempfile::TempDir, data: &'a tempfile::TempDir) -> [(&'a str, &'a str); 3] {
    [
        ("THREADR_CONFIG_DIR", config.path().to_str().unwrap()),
        ("THREADR_DATA_DIR", data.path().to_str().unwrap()),
        ("NO_PROXY", "*"),
    ]
}

/// Waits until the server has seen `n` requests for `target` (the reader asks on a worker).
fn wait_requests(server: &Server, target: &str, n: usize) {
    let start = std::time::Instant::now();
    while count(server, target) < n {
        assert!(
            start.elapsed() < common::pty::DEADLINE,
            "{target} asked {} times, not {n}: {:?}",
            count(server, target),
            server.targets()
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn always_fetches_the_article_on_open_once_and_keeps_it() {
    let down = Arc::new(AtomicBool::new(false));
    let server = server(&down);
    let config = config(&server.base(), "always");
    let data = tempfile::tempdir().unwrap();
    let env = env(&config, &data);

    // First open: the thread, then its article, without a key pressed.
    let mut pty = Pty::spawn(&["hn:1"], 100, 30, &env);
    let screen = pty.wait_text(ARTICLE);
    assert!(!screen.contains("Share this post"), "no footer:\n{screen}");
    let screen = pty.wait_text("it is in the article pane");
    assert!(
        screen.contains("1 comment · Article fetched"),
        "the thread's own line stays beside it:\n{screen}"
    );
    assert_eq!(count(&server, "/post.html"), 1, "{:?}", server.targets());
    pty.keys("q");
    assert_eq!(pty.wait_exit(), 0);

    // Second open: the saved copy has it; the thread is refetched, the page is not.
    let mut pty = Pty::spawn(&["hn:1"], 100, 30, &env);
    let screen = pty.wait_text("No new replies");
    assert!(screen.contains(ARTICLE), "kept with the copy:\n{screen}");
    assert_eq!(count(&server, "/api/v1/items/1"), 2);
    pty.settle(Duration::from_millis(500));
    assert_eq!(count(&server, "/post.html"), 1, "{:?}", server.targets());

    // `r` refetches the thread only; `O` fetches the page anew.
    pty.keys("r");
    wait_requests(&server, "/api/v1/items/1", 3);
    pty.settle(Duration::from_millis(500));
    assert_eq!(count(&server, "/post.html"), 1, "{:?}", server.targets());
    assert!(pty.screen().contains(ARTICLE), "{}", pty.screen());
    pty.keys("O");
    // (The article's heading says "Article fetched from": wait for the status line.)
    pty.wait_text("it is in the article pane");
    assert_eq!(count(&server, "/post.html"), 2, "{:?}", server.targets());
    pty.keys("q");
    assert_eq!(pty.wait_exit(), 0);
}

#[test]
fn offline_the_saved_copy_opens_with_its_note_and_no_article_is_tried() {
    let down = Arc::new(AtomicBool::new(false));
    let server = server(&down);
    let data = tempfile::tempdir().unwrap();
    // Saved once with articles = "ask" (the default): a copy without the article.
    let ask = config(&server.base(), "ask");
    let mut pty = Pty::spawn(&["hn:1"], 100, 30, &env(&ask, &data));
    pty.wait_text("1 comment");
    pty.settle(Duration::from_millis(300));
    assert_eq!(
        count(&server, "/post.html"),
        0,
        "ask fetches nothing by itself"
    );
    pty.keys("q");
    assert_eq!(pty.wait_exit(), 0);

    down.store(true, Ordering::SeqCst);
    let always = config(&server.base(), "always");
    let mut pty = Pty::spawn(&["hn:1"], 120, 30, &env(&always, &data));
    let screen = pty.wait_text("showing the copy fetched");
    assert!(screen.contains("first words"), "{screen}");
    pty.settle(Duration::from_millis(500));
    assert_eq!(count(&server, "/post.html"), 0, "{:?}", server.targets());
    assert!(
        pty.screen().contains("showing the copy fetched"),
        "{}",
        pty.screen()
    );
    pty.keys("j");
    pty.keys("q");
    assert_eq!(pty.wait_exit(), 0);
}

#[test]
fn a_saved_export_opened_as_a_file_fetches_its_article_and_is_not_written() {
    let down = Arc::new(AtomicBool::new(false));
    let server = server(&down);
    let config = config(&server.base(), "always");
    let data = tempfile::tempdir().unwrap();
    let env = env(&config, &data);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("hn.json");
    let export = story(&format!("{}/post.html", server.base())).to_string();
    std::fs::write(&file, &export).unwrap();
    let path = file.to_str().unwrap();

    let mut pty = Pty::spawn(&[path], 100, 30, &env);
    let screen = pty.wait_text(ARTICLE);
    assert!(screen.contains("first words"), "{screen}");
    pty.wait_text("it is in the article pane");
    // Only the page: a file's thread is not fetched.
    assert_eq!(server.targets(), ["/post.html"]);
    // `r` on a file (with the article's fetch done) still says it does not refresh.
    pty.keys("r");
    pty.wait_text("opened from a file");
    pty.keys("q");
    assert_eq!(pty.wait_exit(), 0);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), export);

    // Offline: one line, and the reader keeps running.
    down.store(true, Ordering::SeqCst);
    let mut pty = Pty::spawn(&[path], 100, 30, &env);
    let screen = pty.wait_text("Article not fetched");
    let line = screen
        .lines()
        .find(|l| l.contains("Article not fetched"))
        .unwrap();
    assert!(line.contains("post.html"), "names the page: {line}");
    assert!(line.contains("500"), "says why: {line}");
    assert!(!screen.contains(ARTICLE), "{screen}");
    pty.keys("j");
    pty.wait_for("the reader still answers", |s| {
        !s.contains("Article not fetched")
    });
    pty.keys("q");
    assert_eq!(pty.wait_exit(), 0);
}

fn hn_app(url: Option<&str>) -> App {
    let mut s = story(url.unwrap_or(""));
    if url.is_none() {
        s.as_object_mut().unwrap().remove("url");
    }
    let thread = threadr::format::load(s.to_string().as_bytes(), "hn.json", None).unwrap();
    App::new(thread, "hn.json".into(), Keymap::default_keys())
}

#[test]
fn article_on_open_asks_only_for_a_link_post_without_its_article() {
    let mut a = hn_app(Some("https://example.org/post"));
    let out = a.article_on_open();
    assert!(
        matches!(&out.effects[..], [Effect::FetchArticle(u)] if u == "https://example.org/post"),
        "{:?}",
        out.effects
    );
    assert!(a.is_fetching(), "the progress line is up");
    // Already fetching: not twice.
    assert!(a.article_on_open().effects.is_empty());
    let body = threadr::format::html_page::extract_article(
        &format!("<article><p>{ARTICLE}.</p></article>"),
        Some("https://example.org/post"),
    )
    .body;
    let _ = a.article_done("https://example.org/post", Ok(body));
    assert!(!a.is_fetching());
    // Kept with the thread: nothing more to fetch.
    assert!(a.article_on_open().effects.is_empty());
    // No link (a text post): nothing, and nothing said.
    let mut a = hn_app(None);
    assert!(a.article_on_open().effects.is_empty());
    assert!(a.status.is_none(), "{:?}", a.status);
}
