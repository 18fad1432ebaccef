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
    let config = tempfile::tempdir().unwrap();
    std::fs::write(
        config.path().join("config.toml"),
        format!(
            "[fetch]\nhackernews_api = \"{}\"\npace = 0\n",
            server.base()
        ),
    )
    .unwrap();
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
    pty.keys("q");
    assert_eq!(pty.wait_exit(), 0);

    // Offline: the saved copy opens, with a note saying when it was fetched.
    drop(server);
    let data = pty.home.path().join("data");
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
