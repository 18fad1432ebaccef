//! Reading tools beyond single keys: read flags and the sort order across visits, the
//! config's `[[rules]]` (parsing with located errors, and each action through the real
//! keymap), and what the screen shows (scrolling prompts, wrapped notes, the cursor).

use crate::common;

use common::{app, selected_author, thread, typed};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use threadr::app::{App, run_keys};
use threadr::config::{Config, ConfigPaths, RuleAction};
use threadr::model::{CommentIdx, SortOrder};
use threadr::store::{Reader, Store};
use threadr::theme::Theme;

const SPEC: &str = "
alice first
. bob reply
carol second
. dave reply
erin third
";

fn store(dir: &std::path::Path) -> Store {
    Store::open_in(dir, Reader::new("tester").unwrap()).unwrap()
}

fn open(dir: &std::path::Path, spec: &str) -> App {
    open_with_warnings(dir, spec, |_| {})
}

/// [`open`], handing the warnings the library gave to `check`.
fn open_with_warnings(dir: &std::path::Path, spec: &str, check: impl FnOnce(&[String])) -> App {
    let mut a = app(thread("Reading", spec));
    let (_disk, files) = threadr::driver::DiskStore::open(store(dir), &a.thread);
    let warnings = a.attach_library(files, "/tmp/reading.txt".into(), false);
    check(&warnings);
    a
}

fn save(a: &App, dir: &std::path::Path) {
    let state = a.reading_state().unwrap();
    store(dir).save_state(&a.thread.key, &state).unwrap();
}

#[test]
fn read_flags_and_the_order_come_back_and_new_ones_come_first() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = open(dir.path(), SPEC);
    run_keys(&mut a, "j j S");
    assert_eq!(a.reading.order, SortOrder::Replies);
    assert_eq!(
        a.reading.unread(),
        3,
        "bob and carol were focused (no key on alice)"
    );
    save(&a, dir.path());

    let newer = format!("{SPEC}\n. frank a new reply to erin");
    let mut b = open_with_warnings(dir.path(), &newer, |w| {
        assert_eq!(
            w,
            ["1 new comment since your last visit (u jumps to it)"],
            "it names the key that goes there"
        );
    });
    assert_eq!(b.reading.order, SortOrder::Replies, "the order is restored");
    assert_eq!(selected_author(&b), "carol", "and the focus");
    assert_eq!(b.reading.unread(), 4, "alice, dave, erin and the new frank");
    // u goes to the new comment first, though dave and erin come before it.
    run_keys(&mut b, "u");
    assert_eq!(selected_author(&b), "frank");
    assert!(
        b.library.as_ref().unwrap().new.is_empty(),
        "read: no longer new"
    );
    run_keys(&mut b, "u");
    assert_eq!(
        selected_author(&b),
        "alice",
        "then the other unread ones, wrapping"
    );
    run_keys(&mut b, "u");
    assert_eq!(selected_author(&b), "dave");
}

fn config(text: &str) -> Result<Config, threadr::config::ConfigError> {
    let mut c = Config::defaults(ConfigPaths {
        dir: None,
        file: None,
        file_found: false,
        themes: None,
        themes_found: false,
    });
    c.read_toml(text, "config.toml").map(|()| c)
}

#[test]
fn settings_for_the_reading_tools_are_read() {
    let c = config("sort = \"newest\"\nhide_read = true\ncursor = \"selection\"\n").unwrap();
    assert_eq!(c.sort, SortOrder::Newest);
    assert!(c.hide_read && c.cursor_on_selection);
    let e = config("\nsort = \"best\"").unwrap_err();
    assert_eq!((e.line, e.key.as_deref()), (Some(2), Some("sort")));
    let e = config("cursor = true").unwrap_err();
    assert!(e.message.contains("\"selection\""), "{e}");
}

#[test]
fn bad_rules_say_file_line_and_key() {
    let cases = [
        (
            "[[rules]]\nauthor = \"x\"\naction = \"kill\"\n",
            3,
            "#1 action",
            "unknown action \"kill\"",
        ),
        (
            "[[rules]]\nauthor = \"x\"\naction = \"hide\"\n\n[[rules]]\nscore_below = \"low\"\naction = \"dim\"\n",
            6,
            "#2 score_below",
            "whole number",
        ),
        (
            "[[rules]]\ntext_regex = \"(unclosed\"\naction = \"fold\"\n",
            2,
            "#1 text_regex",
            "invalid pattern",
        ),
        (
            "[[rules]]\nauthour = \"x\"\naction = \"fold\"\n",
            2,
            "#1 authour",
            "unknown field",
        ),
        ("[[rules]]\naction = \"hide\"\n", 1, "#1", "no condition"),
        ("[[rules]]\nauthor = \"x\"\n", 1, "#1", "no action"),
        (
            "[[rules]]\ndepth_over = -1\naction = \"dim\"\n",
            2,
            "#1 depth_over",
            "not a depth",
        ),
    ];
    for (text, line, key, message) in cases {
        let e = config(text).unwrap_err();
        assert_eq!(e.file, "config.toml");
        assert_eq!(e.line, Some(line), "{text}: {e}");
        assert_eq!(
            e.key.as_deref(),
            Some(format!("[[rules]] {key}").trim_end()),
            "{e}"
        );
        assert!(e.message.contains(message), "{text}: {e}");
    }
}

const RULES: &str = r#"
[[rules]]
author = "bob"
action = "hide"
[[rules]]
author_regex = "^car"
action = "fold"
[[rules]]
text_regex = "(?i)THIRD"
action = "dim"
[[rules]]
depth_over = 0
action = "mark"
"#;

#[test]
fn each_rule_action_and_the_toggle_through_the_keys() {
    let c = config(RULES).unwrap();
    assert_eq!(c.rules.len(), 4);
    let mut a = app(thread("Rules", SPEC));
    a.set_rules(c.rules);
    // bob is hidden (with his replies), carol starts folded, so dave is out of sight.
    let shown: Vec<String> = a
        .tree
        .rows()
        .iter()
        .map(|r| {
            a.thread.comments[*r as usize]
                .author
                .clone()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(shown, ["alice", "carol", "erin"]);
    assert!(a.tree.is_folded(CommentIdx(2)));
    assert_eq!(a.rules.verdict(CommentIdx(4)), Some(RuleAction::Dim));
    assert_eq!(
        a.rules.verdict(CommentIdx(3)),
        Some(RuleAction::Mark),
        "dave is a reply"
    );
    assert_eq!(
        a.rules.verdict(CommentIdx(1)),
        Some(RuleAction::Hide),
        "first rule wins"
    );
    assert_eq!(a.rules.touched(), 4);
    run_keys(&mut a, "!");
    assert_eq!(
        a.tree.len(),
        5,
        "rules off: everything shows, rule folds open"
    );
    assert_eq!(a.rules.verdict(CommentIdx(4)), None);
    run_keys(&mut a, "!");
    assert_eq!(a.tree.len(), 3);
    // Sorting keeps the verdicts on the same comments.
    run_keys(&mut a, "S");
    let bob = a
        .thread
        .comments
        .iter()
        .position(|c| c.author.as_deref() == Some("bob"))
        .unwrap();
    assert!(a.tree.is_hidden(CommentIdx(u32::try_from(bob).unwrap())));
    // A comment the rules hide is not reachable with j.
    run_keys(&mut a, "g j j j j");
    assert_ne!(selected_author(&a), "bob");
}

#[test]
fn config_prints_the_rules() {
    let c = config(RULES).unwrap();
    let text = c.describe(&threadr::config::Env::default());
    assert!(
        text.contains("author = \"bob\"\naction = \"hide\""),
        "{text}"
    );
    assert!(text.contains("# config file, line 2"), "{text}");
    let again = config(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(again.rules.len(), 4);
}

fn render(app: &mut App, w: u16, h: u16, theme: &Theme) -> Terminal<TestBackend> {
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    let layout = threadr::ui::layout(ratatui::layout::Rect::new(0, 0, w, h), app);
    app.set_viewport(layout.viewport);
    term.draw(|f| threadr::ui::draw(f, app, theme)).unwrap();
    term
}

fn row(term: &Terminal<TestBackend>, y: u16) -> String {
    let buf = term.backend().buffer();
    (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect()
}

#[test]
fn a_long_prompt_scrolls_to_keep_the_cursor_in_view() {
    let mut a = app(thread("Prompt", SPEC));
    run_keys(&mut a, "/");
    typed(&mut a, "the quick brown fox jumps over the lazy dog");
    let term = render(&mut a, 30, 8, &Theme::default());
    let last = row(&term, 7);
    assert!(
        last.starts_with(" /…") && last.contains("lazy dog█"),
        "{last:?}"
    );
    assert!(!last.contains("quick"), "{last:?}");
    run_keys(&mut a, "Home");
    let term = render(&mut a, 30, 8, &Theme::default());
    let last = row(&term, 7);
    assert!(last.starts_with(" /the quick"), "{last:?}");
    assert!(last.trim_end().ends_with('…'), "{last:?}");
    // Moved into the middle: the character under the cursor is shown reversed.
    run_keys(&mut a, "Alt-f Alt-f Right");
    let term = render(&mut a, 30, 8, &Theme::default());
    let buf = term.backend().buffer();
    let x = row(&term, 7).chars().position(|c| c == 'b').unwrap();
    assert!(
        buf[(u16::try_from(x).unwrap() + 1, 7)]
            .modifier
            .contains(ratatui::style::Modifier::REVERSED)
    );
}

#[test]
fn cursor_selection_parks_the_cursor_and_marks_the_row() {
    let mut a = app(thread("Cursor", SPEC));
    a.cursor_on_selection = true;
    run_keys(&mut a, "j");
    let term = render(&mut a, 120, 20, &Theme::default());
    let pos = term.backend().cursor_position();
    let line = row(&term, pos.y);
    assert!(line.contains("▶") && line.contains("bob"), "{line:?}");
    assert!(term.backend().cursor_visible());
    // In a prompt, at the insertion point.
    run_keys(&mut a, "/");
    typed(&mut a, "ab");
    run_keys(&mut a, "Left");
    let term = render(&mut a, 120, 20, &Theme::default());
    let pos = term.backend().cursor_position();
    assert_eq!(pos.y, 19);
    assert_eq!(term.backend().buffer()[(pos.x, 19)].symbol(), "b");
    // Off (the default): hidden.
    a.cursor_on_selection = false;
    let term = render(&mut a, 120, 20, &Theme::default());
    assert!(!term.backend().cursor_visible());
}

#[test]
fn unread_rows_are_marked_without_colour() {
    let theme = Theme::load("mono", None).unwrap();
    let mut a = app(thread("Unread", SPEC));
    run_keys(&mut a, "j");
    let term = render(&mut a, 120, 20, &theme);
    let rows: Vec<String> = (0..20).map(|y| row(&term, y)).collect();
    let bob = rows.iter().find(|r| r.contains("bob")).unwrap();
    let carol = rows.iter().find(|r| r.contains("carol")).unwrap();
    assert!(!bob.contains('•'), "read: {bob:?}");
    assert!(carol.contains('•'), "unread: {carol:?}");
    assert!(
        theme
            .unread
            .marker
            .add_modifier
            .contains(ratatui::style::Modifier::BOLD)
    );
    assert!(rows[19].contains("4 unread"), "{:?}", rows[19]);
}
