//! Render tests on ratatui's `TestBackend`: what the screen shows, at any size.

use crate::common;

use common::{app, thread};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use threadr::app::{App, run_keys};
use threadr::theme::Theme;
use threadr::ui;

const SPEC: &str = "
alice The first comment has some words in it.
. bob A reply to alice.
. . carol Deeper still.
erin Another top-level comment.
";

fn render(app: &mut App, w: u16, h: u16) -> Buffer {
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    let layout = ui::layout(ratatui::layout::Rect::new(0, 0, w, h), app);
    app.set_viewport(layout.viewport);
    term.draw(|f| ui::draw(f, app, &Theme::default())).unwrap();
    term.backend().buffer().clone()
}

fn text(buf: &Buffer) -> String {
    let area = buf.area;
    let mut out = String::new();
    for y in 0..area.height {
        for x in 0..area.width {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

#[test]
fn wide_screen_shows_article_tree_and_focused_comment() {
    let mut a = app(thread("Side by side", SPEC));
    let screen = text(&render(&mut a, 120, 30));
    insta::assert_snapshot!(screen);
    assert!(screen.contains("The article text."));
    assert!(screen.contains("Comments 1/4"));
    assert!(
        screen.contains("#1 alice"),
        "breadcrumb of the focused comment"
    );
}

#[test]
fn narrow_screen_shows_one_pane_and_tab_switches() {
    let mut a = app(thread("Narrow", SPEC));
    let screen = text(&render(&mut a, 60, 20));
    assert!(screen.contains("Comments"));
    assert!(!screen.contains("The article text."));
    run_keys(&mut a, "Tab");
    let screen = text(&render(&mut a, 60, 20));
    assert!(screen.contains("The article text."));
}

#[test]
fn same_state_renders_identically_twice() {
    let mut a = app(thread("Twice", SPEC));
    run_keys(&mut a, "j h");
    let one = render(&mut a, 110, 25);
    let two = render(&mut a, 110, 25);
    assert_eq!(one, two);
}

#[test]
fn tiny_terminals_do_not_panic() {
    let mut a = app(thread("Tiny", SPEC));
    for (w, h) in [
        (0, 0),
        (1, 1),
        (10, 3),
        (2, 40),
        (200, 2),
        (99, 5),
        (100, 4),
    ] {
        render(&mut a, w, h);
        run_keys(&mut a, "j ? Esc Tab Tab");
    }
}

#[test]
fn folded_comment_says_how_many_it_hides() {
    let mut a = app(thread("Fold", SPEC));
    run_keys(&mut a, "h");
    let screen = text(&render(&mut a, 120, 30));
    assert!(screen.contains("[+2 hidden]"), "{screen}");
    assert!(screen.contains("1 folded, 2 hidden"));
}

#[test]
fn hostile_text_never_reaches_the_buffer_raw() {
    let spec =
        "mallory evil\u{1b}[2Jtext\u{202e}gnp.exe\u{7}bell\u{9b}c1\n. \u{1b}]0;title\u{7} reply";
    let mut a = app(thread("Bad\u{1b}[31m title", spec));
    let buf = render(&mut a, 120, 30);
    let screen = text(&buf);
    for c in screen.chars() {
        assert!(
            c == '\n' || !c.is_control(),
            "control character {c:?} in the buffer"
        );
        assert!(
            !('\u{202a}'..='\u{202e}').contains(&c),
            "bidi control in the buffer"
        );
    }
    assert!(screen.contains("␛[2J"), "escape shown visibly:\n{screen}");
    assert!(screen.contains("<U+202E>"));
}

#[test]
fn a_comment_1000_levels_deep_is_shown_in_full() {
    let mut b = threadr::model::ThreadBuilder::new();
    let mut parent = None;
    for i in 0..1000 {
        parent = Some(b.push(
            parent,
            common::draft(&format!("u{i}"), &format!("words at level {i}")),
        ));
    }
    let mut a = app(b.finish());
    run_keys(&mut a, "G");
    let screen = text(&render(&mut a, 120, 30));
    assert!(screen.contains("words at level 999"), "{screen}");
    assert!(screen.contains("↳L1000"), "the tree says the real depth");
    assert!(
        screen.contains("#1 u0 › … › u996 › u997 › u998 › u999"),
        "{screen}"
    );
}

/// The first cell whose symbol starts `text` on the screen.
fn find(buf: &Buffer, text: &str) -> (u16, u16) {
    let screen = text_rows(buf);
    for (y, row) in screen.iter().enumerate() {
        if let Some(col) = row.find(text) {
            let x = row[..col].chars().count() as u16;
            return (x, y as u16);
        }
    }
    panic!("{text:?} not on screen:\n{}", screen.join("\n"));
}

fn text_rows(buf: &Buffer) -> Vec<String> {
    text(buf).lines().map(str::to_string).collect()
}

#[test]
fn a_theme_styles_the_selected_row_a_match_and_a_bookmark() {
    use threadr::store::{Reader, Store};
    let theme = Theme::load("gruvbox", None)
        .unwrap()
        .with_depth(threadr::theme::ColorDepth::TrueColor);
    let dir = tempfile::tempdir().unwrap();
    let mut a = app(thread("Styled", SPEC));
    let store = Store::open_in(dir.path(), Reader::new("t").unwrap()).unwrap();
    let (mut disk, files) = threadr::driver::DiskStore::open(store, &a.thread);
    a.attach_library(files, "x".into(), false);
    threadr::app::run_keys_with(&mut a, &mut disk, "j m / D e e p Enter");
    let mut term = Terminal::new(TestBackend::new(120, 30)).unwrap();
    let layout = ui::layout(ratatui::layout::Rect::new(0, 0, 120, 30), &a);
    a.set_layout(layout);
    term.draw(|f| ui::draw(f, &a, &theme)).unwrap();
    let buf = term.backend().buffer().clone();

    // The bookmark marker on bob's row.
    let (x, y) = find(&buf, "★");
    assert_eq!(buf[(x, y)].fg, theme.bookmark.marker.fg.unwrap());
    // The selected row (carol, after the search moved there) carries tree.selected.
    let (x, y) = find(&buf, "carol");
    let selected = theme.tree.selected;
    assert_eq!(
        Some(buf[(x, y)].bg),
        selected.bg,
        "gruvbox selects with a background"
    );
    // The current match in the focused comment stands out; "Deep" in the tree is a match.
    let rows = text_rows(&buf);
    let body_row = rows
        .iter()
        .rposition(|r| r.contains("Deeper still."))
        .unwrap() as u16;
    let col = rows[body_row as usize].find("Deeper").unwrap();
    let x = rows[body_row as usize][..col].chars().count() as u16;
    assert_eq!(buf[(x, body_row)].bg, theme.search.current.bg.unwrap());
    assert_ne!(theme.search.current, theme.search.matched);
}

#[test]
fn a_narrow_prompt_keeps_what_was_typed_visible() {
    let mut a = app(thread("Narrow", SPEC));
    run_keys(&mut a, "/ D e e p");
    let rows = text_rows(&render(&mut a, 40, 10));
    assert!(rows[9].contains("/Deep█"), "{:?}", rows[9]);
    let rows = text_rows(&render(&mut a, 12, 5));
    assert!(rows[4].contains("/Deep"), "{:?}", rows[4]);
}

#[test]
fn replies_the_file_lacks_at_thread_level_are_shown() {
    let mut t = thread("More", SPEC);
    t.more = 77;
    let mut a = app(t);
    let screen = text(&render(&mut a, 120, 30));
    assert!(screen.contains("77 more not saved"), "{screen}");
}

#[test]
fn the_filter_dims_ancestors_shown_only_for_context() {
    let theme = Theme::default();
    let mut a = app(thread("Filter", SPEC));
    run_keys(&mut a, "/ D e e p e r Enter &");
    let mut term = Terminal::new(TestBackend::new(120, 30)).unwrap();
    let layout = ui::layout(ratatui::layout::Rect::new(0, 0, 120, 30), &a);
    a.set_layout(layout);
    term.draw(|f| ui::draw(f, &a, &theme)).unwrap();
    let buf = term.backend().buffer().clone();
    let rows = text_rows(&buf);
    assert!(
        rows.iter().any(|r| r.contains("filter: 1 matching")),
        "{rows:#?}"
    );
    assert!(
        !rows.iter().any(|r| r.contains("erin")),
        "non-matching comments are hidden"
    );
    // alice is context: dimmed with tree.context.
    let (x, y) = find(&buf, "alice");
    let context = theme.tree.context;
    assert!(
        buf[(x, y)].modifier.contains(context.add_modifier)
            && context.add_modifier != ratatui::style::Modifier::empty()
            || context.fg.is_some_and(|c| buf[(x, y)].fg == c),
        "alice is drawn with tree.context: {:?}",
        buf[(x, y)]
    );
}

#[test]
fn a_comment_whose_author_was_deleted_says_so() {
    let mut t = thread("Authors", SPEC);
    t.comments[1].author = None;
    let mut a = app(t);
    run_keys(&mut a, "j");
    let screen = text(&render(&mut a, 120, 30));
    assert!(screen.contains("[deleted author]"), "{screen}");
    // A source without any authors (plain text) does not claim anything was deleted.
    let mut t = thread("No authors", SPEC);
    for c in &mut t.comments {
        c.author = None;
    }
    let mut a = app(t);
    let screen = text(&render(&mut a, 120, 30));
    assert!(!screen.contains("deleted"), "{screen}");
}

#[test]
fn an_invalid_regex_is_shown_in_the_error_style() {
    let theme = Theme::default();
    let mut a = app(thread("Regex", SPEC));
    run_keys(&mut a, "/ Ctrl-r ( x");
    let mut term = Terminal::new(TestBackend::new(100, 20)).unwrap();
    let layout = ui::layout(ratatui::layout::Rect::new(0, 0, 100, 20), &a);
    a.set_layout(layout);
    term.draw(|f| ui::draw(f, &a, &theme)).unwrap();
    let buf = term.backend().buffer().clone();
    let rows = text_rows(&buf);
    let last = rows.last().unwrap();
    let col = last.rfind("regex").expect("the error names the regex") as u16;
    let cell = &buf[(last[..col as usize].chars().count() as u16, 19)];
    let expected = theme.status.bar.patch(theme.status.error);
    assert_eq!(Some(cell.bg), expected.bg, "{last}: {cell:?}");
    assert!(
        cell.modifier.contains(expected.add_modifier),
        "{last}: {cell:?}"
    );
}

/// One screen per overlay and mode, at the 80x24 a person tries first: a change to any of
/// them shows up as a snapshot diff to review (`cargo insta review`).
mod screens {
    use super::*;

    const LINKED: &str = "
alice The first comment has some words in it.
. bob A reply to alice.
. . carol Deeper still, with the harbour again.
erin Another top-level comment about the harbour.
frank Nothing to find here.
";

    fn screen(a: &mut App) -> String {
        text(&render(a, 80, 24))
    }

    /// A comment with two links (drawn with `[1]`, `[2]`), for the links list.
    fn with_links() -> threadr::model::Thread {
        use threadr::model::{Block, BlockKind, Body, Link, Span, SpanStyle, ThreadBuilder};
        let text = "See the docs and the source for more.";
        let mut b = ThreadBuilder::new();
        b.title = Some("Links".into());
        b.body = Body::from_plain("The article text.");
        let mut d = common::draft("alice", "");
        d.body = Body {
            blocks: thin_vec::thin_vec![Block {
                kind: BlockKind::Paragraph,
                quote_depth: 0,
                text: text.into(),
                spans: vec![
                    Span {
                        range: 4..12,
                        style: SpanStyle::Link(0),
                    },
                    Span {
                        range: 17..27,
                        style: SpanStyle::Link(1),
                    },
                ]
                .into(),
            }],
            links: thin_vec::thin_vec![
                Link {
                    text: "the docs".into(),
                    url: "https://example.org/docs".into(),
                },
                Link {
                    text: "the source".into(),
                    url: "https://example.org/src".into(),
                },
            ],
        };
        b.push(None, d);
        b.finish()
    }

    #[test]
    fn narrow_tree_and_narrow_article() {
        let mut a = app(thread("Narrow", LINKED));
        let tree = text(&render(&mut a, 60, 20));
        insta::assert_snapshot!("narrow_tree", tree);
        run_keys(&mut a, "Tab");
        let article = text(&render(&mut a, 60, 20));
        insta::assert_snapshot!("narrow_article", article);
        assert_ne!(tree, article);
    }

    #[test]
    fn help() {
        let mut a = app(thread("Help", LINKED));
        run_keys(&mut a, "?");
        let s = screen(&mut a);
        insta::assert_snapshot!(s);
        assert!(s.contains("help"), "{s}");
    }

    #[test]
    fn bookmark_list() {
        use threadr::store::{Reader, Store};
        let dir = tempfile::tempdir().unwrap();
        let mut a = app(thread("Bookmarks", LINKED));
        let store = Store::open_in(dir.path(), Reader::new("t").unwrap()).unwrap();
        let (mut disk, files) = threadr::driver::DiskStore::open(store, &a.thread);
        a.attach_library(files, "bookmarks.txt".into(), false);
        threadr::app::run_keys_with(&mut a, &mut disk, "j m j j m '");
        let s = screen(&mut a);
        insta::assert_snapshot!(s);
        assert!(s.contains("bob") && s.contains("erin"), "{s}");
    }

    #[test]
    fn links() {
        let mut a = app(with_links());
        run_keys(&mut a, "o");
        let s = screen(&mut a);
        insta::assert_snapshot!(s);
        assert!(s.contains("https://example.org/src"), "{s}");
    }

    #[test]
    fn search_prompt_and_author_prompt() {
        let mut a = app(thread("Prompts", LINKED));
        run_keys(&mut a, "/");
        common::typed(&mut a, "harb");
        let search = screen(&mut a);
        insta::assert_snapshot!("search_prompt", search);
        assert!(search.contains("harb"), "{search}");
        run_keys(&mut a, "Esc @");
        let author = screen(&mut a);
        insta::assert_snapshot!("author_prompt", author);
    }

    #[test]
    fn search_filter() {
        let mut a = app(thread("Filter", LINKED));
        run_keys(&mut a, "/");
        common::typed(&mut a, "harbour");
        run_keys(&mut a, "Enter &");
        let s = screen(&mut a);
        insta::assert_snapshot!(s);
        assert!(s.contains("filter: 2 matching"), "{s}");
        assert!(
            s.contains("bob") && !s.contains("frank"),
            "context stays, the rest goes: {s}"
        );
    }
}

#[test]
fn a_status_exactly_as_wide_as_the_room_left_by_the_hints_does_not_touch_them() {
    let mut a = app(thread("T", SPEC));
    a.set_status(threadr::app::StatusKind::Info, "x");
    let screen = text(&render(&mut a, 80, 24));
    let bar = screen.lines().last().unwrap();
    let hints = bar.trim_start_matches(" x").trim_start().to_string();
    assert!(!hints.is_empty(), "{bar:?}");
    // " " + message + hints fill the 80 columns exactly.
    let msg = "m".repeat(80 - 1 - hints.chars().count());
    a.set_status(threadr::app::StatusKind::Info, msg.clone());
    let screen = text(&render(&mut a, 80, 24));
    assert!(
        !screen.contains(&format!("{msg}{}", hints.trim_end())),
        "the message runs into the hints:\n{screen}"
    );
    assert!(screen.contains(&msg), "{screen}");
}
