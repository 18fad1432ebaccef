//! `threadr dump URL`, `threadr library` and `threadr refresh` through the built binary,
//! against a local server: saved copies, merging a grown thread, offline fallback, exit codes.

use crate::common;

use std::path::Path;
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

use common::http::{Reply, Server};
use serde_json::{Value, json};

fn comment(id: u64, parent: u64, author: &str) -> Value {
    json!({"id": id, "type": "comment", "author": author, "text": format!("<p>comment {id}"),
           "parent_id": parent, "story_id": 1, "created_at_i": 1_700_000_000, "children": []})
}

fn story(kids: &[Value]) -> Value {
    json!({"id": 1, "type": "story", "title": "A story", "author": "op", "points": 5,
           "created_at_i": 1_700_000_000, "children": kids})
}

fn threadr(home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_threadr"))
        .args(args)
        .env("THREADR_DATA_DIR", home.join("data"))
        .env("THREADR_CONFIG_DIR", home.join("config"))
        .env("THREADR_READER", "tester")
        .env("NO_PROXY", "*")
        .output()
        .expect("run threadr")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn authors(dump: &str) -> Vec<String> {
    let v: Value = serde_json::from_str(dump).expect("dump is JSON");
    v["comments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["author"].as_str().unwrap_or("").to_string())
        .collect()
}

#[test]
fn dump_saves_refresh_merges_and_offline_falls_back() {
    let page = Arc::new(Mutex::new(Some(story(&[
        comment(2, 1, "ann"),
        comment(3, 1, "bob"),
    ]))));
    let serving = Arc::clone(&page);
    let server = Server::start(move |t| match (t, serving.lock().unwrap().as_ref()) {
        ("/api/v1/items/1", Some(s)) => Reply::json(s.to_string()),
        (_, None) => Reply::status(500, "text/plain", "down for maintenance"),
        _ => Reply::status(404, "application/json", r#"{"message":"no such item"}"#),
    });
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(home.path().join("config")).unwrap();
    std::fs::write(
        home.path().join("config/config.toml"),
        format!(
            "[fetch]\nhackernews_api = \"{}\"\npace = 0\n",
            server.base()
        ),
    )
    .unwrap();

    let o = threadr(
        home.path(),
        &["dump", "https://news.ycombinator.com/item?id=1"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(authors(&stdout(&o)), ["ann", "bob"]);

    let o = threadr(home.path(), &["library", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let lib: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(lib[0]["key"], "hn:1");
    assert_eq!(lib[0]["comments"], 2);
    assert_eq!(lib[0]["site"], "Hacker News");
    let o = threadr(home.path(), &["library"]);
    assert!(
        stdout(&o).contains("A story") && stdout(&o).contains("hn:1"),
        "{}",
        stdout(&o)
    );

    // The thread grows by one reply and loses bob's comment.
    *page.lock().unwrap() = Some(story(&[comment(2, 1, "ann"), comment(4, 2, "cy")]));
    let o = threadr(home.path(), &["refresh", "hn:1"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "A story: 1 new (3 comments), 1 removed at the source (kept)\n"
    );
    let o = threadr(home.path(), &["dump", "hn:1"]);
    let dump = stdout(&o);
    // bob's kept comment stays where it was, second; the new one comes after it.
    assert_eq!(authors(&dump), ["ann", "bob", "cy"]);
    assert!(dump.contains("removed at the source"), "{dump}");

    // The site is down: refresh fails naming the URL; dump shows the saved copy with a note.
    *page.lock().unwrap() = None;
    let o = threadr(home.path(), &["refresh", "--all"]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains(&format!(
            "{}/api/v1/items/1: HTTP 500: down for maintenance",
            server.base()
        )),
        "{err}"
    );
    let o = threadr(home.path(), &["dump", "hn:1"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("showing the copy fetched"),
        "{}",
        stderr(&o)
    );
    assert_eq!(authors(&stdout(&o)), ["ann", "bob", "cy"]);

    // No copy and no site: one line, non-zero exit.
    let o = threadr(home.path(), &["dump", "hn:77"]);
    assert!(!o.status.success());
    assert_eq!(stderr(&o).lines().count(), 1, "{}", stderr(&o));
    let o = threadr(home.path(), &["dump", "ftp://example.com/x"]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("only http:// and https://"),
        "{}",
        stderr(&o)
    );
    let o = threadr(home.path(), &["refresh"]);
    assert!(!o.status.success() && stderr(&o).contains("--all"));

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let dir = home.path().join("data/threads");
        assert_eq!(
            std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777,
            0o700
        );
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let mode = entry.metadata().unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{}", entry.path().display());
        }
    }
}
