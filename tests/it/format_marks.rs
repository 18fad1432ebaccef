//! Comment markers and the thread's community (issue 15, "also wanted"): Hacker News
//! `dead`/`flagged`, Reddit `edited`/`distinguished` and the subreddit, read from each
//! format, written to threadr/1 and read back, and shown in the reader. Checked on files
//! written here and on the shared exports (an independent reading with `serde_json`).

use crate::common;

use common::corpus::{corpus, read};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use threadr::app::run_keys;
use threadr::export::{DumpFormat, write};
use threadr::format::{InputFormat, load};
use threadr::model::{Marks, Thread};
use threadr::theme::Theme;
use threadr::ui;

fn dump(t: &Thread) -> String {
    let mut out = Vec::new();
    write(t, DumpFormat::Json, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

/// Dump, read back, dump again: same model (warnings aside) and same bytes.
fn round_trip(t: &Thread) -> Thread {
    let first = dump(t);
    let mut back = load(first.as_bytes(), "dump.json", Some(InputFormat::Threadr))
        .unwrap_or_else(|e| panic!("{e}"));
    let mut orig = t.clone();
    back.warnings.clear();
    orig.warnings.clear();
    assert_eq!(back, orig, "model changed through threadr/1");
    assert_eq!(dump(&back), first, "dumping a dump changed the bytes");
    back
}

fn reddit_comment(id: &str, extra: &str, replies: &str) -> String {
    format!(
        r#"{{"kind":"t1","data":{{"id":"{id}","author":"u{id}","body":"text {id}",
        "score":1,"created_utc":1700000000{extra},"replies":{replies}}}}}"#
    )
}

fn reddit_page() -> String {
    let kids = [
        reddit_comment(
            "a",
            r#","edited":1700000100.0,"distinguished":null"#,
            r#""""#,
        ),
        reddit_comment(
            "b",
            r#","edited":false,"distinguished":"moderator""#,
            r#""""#,
        ),
        reddit_comment("c", r#","distinguished":"admin""#, r#""""#),
        reddit_comment("d", r#","edited":true,"distinguished":"special""#, r#""""#),
        reddit_comment("e", "", r#""""#),
    ]
    .join(",");
    format!(
        r#"[{{"kind":"Listing","data":{{"children":[{{"kind":"t3","data":{{"id":"p1",
        "title":"Post","author":"op","subreddit":"rust","subreddit_name_prefixed":"r/rust",
        "selftext":"Body","is_self":true,"permalink":"/r/rust/comments/p1/post/"}}}}]}}}},
        {{"kind":"Listing","data":{{"children":[{kids}]}}}}]"#
    )
}

#[test]
fn reddit_edited_distinguished_and_subreddit_survive_threadr_1() {
    let t = load(reddit_page().as_bytes(), "r.json", None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(t.community.as_deref(), Some("r/rust"));
    let marks: Vec<Marks> = t.comments.iter().map(|c| c.marks).collect();
    assert_eq!(
        marks,
        [
            Marks::EDITED,
            Marks::MODERATOR,
            Marks::ADMIN,
            Marks::EDITED | Marks::SPECIAL,
            Marks::empty()
        ]
    );
    let text = dump(&t);
    assert!(text.contains(r#""community": "r/rust""#), "{text}");
    assert!(text.contains(r#""edited""#) && text.contains(r#""moderator""#));
    let back = round_trip(&t);
    assert_eq!(back.community.as_deref(), Some("r/rust"));
    assert_eq!(back.comments[3].marks, Marks::EDITED | Marks::SPECIAL);
}

#[test]
fn hn_dead_and_flagged_survive_threadr_1() {
    let algolia = r#"{"id":1,"title":"Story","author":"pg","children":[
        {"id":2,"author":"a","text":"alive","children":[]},
        {"id":3,"author":"b","text":"killed","dead":true,"children":[
            {"id":4,"author":"c","text":"flagged one","flagged":true,"children":[]}]}]}"#;
    let t = load(algolia.as_bytes(), "a.json", Some(InputFormat::Hn)).unwrap();
    let marks: Vec<Marks> = t.comments.iter().map(|c| c.marks).collect();
    assert_eq!(marks, [Marks::empty(), Marks::DEAD, Marks::FLAGGED]);
    assert_eq!(
        t.comments[1].body.plain_text(),
        "killed",
        "dead keeps its text"
    );
    round_trip(&t);

    let hnpwa = r#"{"id":9,"title":"S","user":"pg","comments":[
        {"id":10,"user":"a","content":"<p>gone</p>","dead":true,"level":0,"comments":[]}]}"#;
    let t = load(hnpwa.as_bytes(), "p.json", Some(InputFormat::Hnpwa)).unwrap();
    assert_eq!(t.comments[0].marks, Marks::DEAD);
    round_trip(&t);
}

#[test]
fn threadr_1_files_without_marks_keep_their_bytes_and_unknown_marks_are_skipped() {
    let plain = r#"{"format":"threadr/1","comments":[{"id":"a","body":"x"}]}"#;
    let t = load(plain.as_bytes(), "t.json", None).unwrap();
    let out = dump(&t);
    assert!(
        !out.contains("marks") && !out.contains("community"),
        "{out}"
    );
    let newer = r#"{"format":"threadr/1","comments":[{"id":"a","marks":["dead","sparkly"]}]}"#;
    let t = load(newer.as_bytes(), "t.json", None).unwrap();
    assert_eq!(t.comments[0].marks, Marks::DEAD);
    let bad = r#"{"format":"threadr/1","comments":[{"id":"a","marks":["dead",3]}]}"#;
    let e = load(bad.as_bytes(), "t.json", None).unwrap_err();
    assert_eq!(e.location.as_deref(), Some("comments[0].marks[1]"), "{e}");
}

fn screen(t: Thread, keys: &str, w: u16, h: u16) -> String {
    let mut app = common::app(t);
    run_keys(&mut app, keys);
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    let layout = ui::layout(ratatui::layout::Rect::new(0, 0, w, h), &app);
    app.set_viewport(layout.viewport);
    term.draw(|f| ui::draw(f, &app, &Theme::default())).unwrap();
    let buf = term.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..h {
        for x in 0..w {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

#[test]
fn the_reader_shows_markers_and_the_community() {
    let t = load(reddit_page().as_bytes(), "r.json", None).unwrap();
    // Second comment (moderator) focused: its tree tag and its header word.
    let s = screen(t.clone(), "j", 120, 30);
    assert!(s.contains("[mod] ub"), "{s}");
    assert!(s.contains("[admin] uc"), "{s}");
    assert!(s.contains("· moderator"), "{s}");
    // An edited comment says so in its header (not in the tree row: too common there).
    let s = screen(t.clone(), "", 120, 30);
    assert!(s.contains("· edited"), "{s}");
    assert!(!s.contains("[edited]"), "{s}");
    // The article's byline names the subreddit.
    assert!(s.contains("in r/rust · by op"), "{s}");
}

#[test]
fn shared_exports_markers_match_an_independent_reading() {
    let Some(dir) = corpus() else { return };
    // HNPWA: every `"dead": true` comment is marked dead, and no other.
    let bytes = read(&dir, "hn_hnpwa_25015967_biden_2170.json");
    let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    let mut stack: Vec<&serde_json::Value> = v["comments"].as_array().unwrap().iter().collect();
    let mut dead = 0;
    while let Some(c) = stack.pop() {
        dead += usize::from(c["dead"] == serde_json::Value::Bool(true));
        stack.extend(c["comments"].as_array().into_iter().flatten());
    }
    let t = load(&bytes, "hnpwa.json", None).unwrap();
    let marked = t
        .comments
        .iter()
        .filter(|c| c.marks.contains(Marks::DEAD))
        .count();
    assert!(dead > 0);
    assert_eq!(marked, dead);
    round_trip(&t);

    // Reddit: edited and admin comments counted by walking the Listings here.
    for (file, prefixed) in [
        ("reddit_3hahrw_funny_sort_old_2017.json", "r/funny"),
        (
            "reddit_fo7p5b_announcements_polls_2020.json",
            "r/announcements",
        ),
    ] {
        let bytes = read(&dir, file);
        let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        let mut stack: Vec<&serde_json::Value> = v[1]["data"]["children"]
            .as_array()
            .unwrap()
            .iter()
            .collect();
        let (mut edited, mut admin) = (0, 0);
        while let Some(c) = stack.pop() {
            if c["kind"] != "t1" {
                continue;
            }
            let d = &c["data"];
            edited += usize::from(!matches!(
                d["edited"],
                serde_json::Value::Bool(false) | serde_json::Value::Null
            ));
            admin += usize::from(d["distinguished"] == "admin");
            stack.extend(
                d["replies"]["data"]["children"]
                    .as_array()
                    .into_iter()
                    .flatten(),
            );
        }
        let t = load(&bytes, file, None).unwrap();
        let count = |m: Marks| t.comments.iter().filter(|c| c.marks.contains(m)).count();
        assert_eq!(count(Marks::EDITED), edited, "{file}");
        assert_eq!(count(Marks::ADMIN), admin, "{file}");
        assert!(edited > 0, "{file}");
        assert_eq!(t.community.as_deref(), Some(prefixed));
        round_trip(&t);
    }
}
