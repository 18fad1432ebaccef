//! Defects a new user hit (issue 15), each through the keys and the screen as a person
//! meets it: one test per item, each failing before its fix.

use crate::common;

use common::{app, thread};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use threadr::app::{App, run_keys, run_keys_with};
use threadr::driver::DiskStore;
use threadr::theme::Theme;
use threadr::ui;

const SPEC: &str = "
alice The first comment mentions librarian work.
. bob A reply to alice.
. . carol Deeper still.
erin Another top-level comment.
";

fn draw(a: &mut App, w: u16, h: u16, theme: &Theme) -> Buffer {
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    let layout = ui::layout(ratatui::layout::Rect::new(0, 0, w, h), a);
    a.set_layout(layout);
    term.draw(|f| ui::draw(f, a, theme)).unwrap();
    term.backend().buffer().clone()
}

fn rows(buf: &Buffer) -> Vec<String> {
    (0..buf.area.height)
        .map(|y| (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect())
        .collect()
}

/// The cell where `text` starts on the screen (the lowest occurrence: the full comment is
/// below the tree).
fn find(buf: &Buffer, text: &str) -> (u16, u16) {
    for (y, row) in rows(buf).iter().enumerate().rev() {
        if let Some(col) = row.find(text) {
            return (row[..col].chars().count() as u16, y as u16);
        }
    }
    panic!("{text:?} not on screen:\n{}", rows(buf).join("\n"));
}

fn status(a: &App) -> String {
    a.status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

/// #4: the article's byline is not searched, so it must not light up either.
#[test]
fn a_match_on_the_byline_is_not_highlighted_because_it_is_not_counted() {
    let theme = Theme::load("gruvbox", None)
        .unwrap()
        .with_depth(threadr::theme::ColorDepth::TrueColor);
    let mut t = thread("Byline", SPEC);
    t.author = Some("librarian".into());
    let mut a = app(t);
    run_keys(&mut a, "/ l i b r a r i a n Enter");
    let total = a.search.matches.as_ref().map(|m| m.total());
    assert_eq!(total, Some(1), "only alice's comment has the word");
    let buf = draw(&mut a, 120, 30, &theme);
    let (x, y) = find(&buf, "by librarian");
    let x = x + 3;
    assert_ne!(
        buf[(x, y)].bg,
        theme.search.matched.bg.unwrap(),
        "byline lit"
    );
    assert_ne!(
        buf[(x, y)].bg,
        theme.search.current.bg.unwrap(),
        "byline lit"
    );
    // The counted match in the comment is lit.
    let (x, y) = find(&buf, "librarian work");
    assert_eq!(buf[(x, y)].bg, theme.search.current.bg.unwrap());
    let _ = status(&a);
}

fn screen(a: &mut App, w: u16, h: u16) -> String {
    rows(&draw(a, w, h, &Theme::default())).join("\n")
}

fn bookmarked_app(dir: &std::path::Path, spec: &str) -> (App, DiskStore) {
    use threadr::store::{Reader, Store};
    let mut a = app(thread("Thread", spec));
    let (disk, files) = DiskStore::open(
        Store::open_in(dir, Reader::new("t").unwrap()).unwrap(),
        &a.thread,
    );
    let _ = a.attach_library(files, "/tmp/t.txt".into(), false);
    (a, disk)
}

/// #6: the header wraps at its fields; the note is never lost, at 80 or 140 columns.
#[test]
fn the_comment_header_wraps_and_keeps_the_note() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, mut ad) = bookmarked_app(dir.path(), SPEC);
    run_keys_with(&mut a, &mut ad, "M");
    common::typed(&mut a, "remember this point for the essay draft due friday");
    run_keys_with(&mut a, &mut ad, "Enter");
    for (w, h) in [(80, 24), (140, 40), (100, 30)] {
        let s = screen(&mut a, w, h);
        assert!(s.contains("★ bookmarked: remember"), "{w}:\n{s}");
        assert!(s.contains("friday"), "{w}: the note's end is there\n{s}");
    }
    // Paging knows the header's height: the body below it is what is left.
    let s = screen(&mut a, 80, 24);
    assert!(
        s.contains("The first comment mentions librarian work."),
        "{s}"
    );
}

/// #10 and #11: at 80 columns the comments pane says the article exists and how to see it;
/// the article pane says where in it the reader is.
#[test]
fn narrow_screens_point_at_the_article_and_the_article_has_a_position() {
    let mut t = thread("Pointers", SPEC);
    t.body = threadr::model::Body::from_plain(&"A paragraph of the article.\n\n".repeat(40));
    let mut a = app(t);
    let s = screen(&mut a, 80, 24);
    assert!(s.contains("Tab: article"), "{s}");
    run_keys(&mut a, "Tab");
    let s = screen(&mut a, 80, 24);
    assert!(s.contains("Tab: comments"), "{s}");
    assert!(s.contains("lines]"), "{s}");
    let first: String = s.lines().filter(|l| l.contains("lines]")).collect();
    run_keys(&mut a, "Space");
    let s = screen(&mut a, 80, 24);
    let second: String = s.lines().filter(|l| l.contains("lines]")).collect();
    assert_ne!(first, second, "the indicator follows the scroll");
    // Wide: both panes show, no hint needed.
    let s = screen(&mut a, 200, 60);
    assert!(!s.contains("Tab: article"), "{s}");
}

/// #12: a long message wraps over the rows above the bar, and Ctrl-g shows every message.
#[test]
fn long_messages_wrap_and_the_message_log_keeps_them() {
    let mut a = app(thread("Log", SPEC));
    let long = format!(
        "bookmarks.json was corrupt; moved it to {}/bookmarks.json.corrupt-20261201T120000Z",
        "/home/someone/.local/share/threadr/reader".repeat(2)
    );
    a.set_status(threadr::app::StatusKind::Warning, long.clone());
    let s = screen(&mut a, 80, 24);
    assert!(s.contains("corrupt-20261201T120000Z"), "{s}");
    run_keys(&mut a, "j");
    run_keys(&mut a, "Ctrl-g");
    let s = screen(&mut a, 80, 24);
    assert!(s.contains("Messages"), "{s}");
    assert!(
        s.contains("corrupt-20261201T120000Z"),
        "the log shows it whole:\n{s}"
    );
    run_keys(&mut a, "Ctrl-c");
    assert!(matches!(a.overlay, threadr::app::Overlay::None));
}

/// #13: folding or unfolding a comment without replies says so.
#[test]
fn leaves_say_they_have_no_replies() {
    let mut a = app(thread("Leaves", SPEC));
    run_keys(&mut a, "G");
    run_keys(&mut a, "h");
    assert!(status(&a).contains("no replies"), "{}", status(&a));
    run_keys(&mut a, "l");
    assert!(status(&a).contains("no replies"), "{}", status(&a));
    run_keys(&mut a, "Enter");
    assert!(status(&a).contains("no replies"), "{}", status(&a));
    run_keys(&mut a, "g l");
    assert!(!status(&a).contains("no replies"));
}

/// #14: `]` and `[` stop at the article's bookmark too.
#[test]
fn bookmark_jumps_include_the_article() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, mut ad) = bookmarked_app(dir.path(), SPEC);
    run_keys_with(&mut a, &mut ad, "Tab m");
    assert_eq!(a.focus, threadr::app::Pane::Article, "{}", status(&a));
    run_keys_with(&mut a, &mut ad, "Tab");
    assert_eq!(a.focus, threadr::app::Pane::Comments, "{}", status(&a));
    run_keys_with(&mut a, &mut ad, "j m");
    run_keys_with(&mut a, &mut ad, "]");
    assert_eq!(a.focus, threadr::app::Pane::Article, "wraps to the article");
    run_keys_with(&mut a, &mut ad, "]");
    assert_eq!(a.focus, threadr::app::Pane::Comments);
    assert_eq!(common::selected_author(&a), "bob");
    run_keys_with(&mut a, &mut ad, "[");
    assert_eq!(a.focus, threadr::app::Pane::Article);
}

/// #18 (and #17's "Ctrl-c always quits"): Ctrl-c closes help, lists and prompts, and quits
/// elsewhere even when `quit` was rebound.
#[test]
fn ctrl_c_cancels_overlays_and_quits_otherwise() {
    use threadr::app::{Effect, Overlay};
    let mut a = app(thread("Ctrl-c", SPEC));
    for open in ["?", "/", "o"] {
        run_keys(&mut a, open);
        run_keys(&mut a, "Ctrl-c");
        assert!(matches!(a.overlay, Overlay::None), "{open} stays open");
    }
    let mut keys = threadr::keymap::Keymap::default_keys();
    keys.rebind(
        None,
        threadr::action::Action::Quit,
        &[threadr::keymap::Key::parse("Q").unwrap()],
        "test",
    )
    .unwrap();
    a.keymap = keys;
    let effects = run_keys(&mut a, "Ctrl-c");
    assert!(effects.contains(&Effect::Quit), "{effects:?}");
}

/// #23: a filter with no matches reads 0/0, not 1/0.
#[test]
fn a_filter_without_matches_reads_zero_of_zero() {
    let mut a = app(thread("Zero", SPEC));
    run_keys(&mut a, "/ z z z q Enter &");
    let s = screen(&mut a, 120, 30);
    let bar = s.lines().last().unwrap().to_string();
    assert!(bar.contains("0/0"), "{bar}");
    assert!(!bar.contains("1/0"), "{bar}");
}

/// #24: breadcrumbs of authorless comments say positions.
#[test]
fn authorless_breadcrumbs_use_positions() {
    let t = threadr::format::load(
        b"Article.\n\n  1. top\n\n    \xe2\x80\xa2 reply\n\n      \xe2\x80\xa2 deeper\n",
        "t.txt",
        None,
    )
    .unwrap();
    let mut a = app(t);
    run_keys(&mut a, "j j");
    let crumb = threadr::ui::panes::breadcrumb(&a, a.selected().unwrap());
    assert_eq!(crumb, "#1 › 1.1 › 1.1.1");
}

/// #26: a help line too long for the screen ends with `…`; `g` in the article says what it
/// does there.
#[test]
fn cut_help_lines_say_so() {
    let mut a = app(thread("Help", SPEC));
    run_keys(&mut a, "?");
    let s = screen(&mut a, 60, 60);
    assert!(s.lines().any(|l| l.trim_end().ends_with("…│")), "{s}");
    let s = screen(&mut a, 200, 200);
    assert!(s.contains("Top of the article"), "{s}");
    assert!(!s.contains("First comment / top of the article"), "{s}");
}

/// #27: the links list shows long URLs whole, wrapped.
#[test]
fn the_links_list_wraps_long_urls() {
    let long = format!("https://example.org/{}/end-of-url", "segment".repeat(20));
    let mut b = threadr::model::ThreadBuilder::new();
    b.title = Some("Links".into());
    b.push(
        None,
        threadr::model::CommentDraft {
            author: Some("ann".into()),
            body: threadr::format::markdown::to_body(&format!("see [this]({long})")),
            ..Default::default()
        },
    );
    let mut a = app(b.finish());
    run_keys(&mut a, "o");
    let s = screen(&mut a, 80, 24);
    assert!(s.contains("end-of-url"), "{s}");
}

/// #30: a deleted Reddit comment says `[deleted]` once in its row.
#[test]
fn a_deleted_comment_says_so_once() {
    let mut b = threadr::model::ThreadBuilder::new();
    b.title = Some("Deleted".into());
    let gone = b.push(
        None,
        threadr::model::CommentDraft {
            body: threadr::model::Body::from_plain("[deleted]"),
            deleted: true,
            ..Default::default()
        },
    );
    b.push(Some(gone), common::draft("ann", "a reply that stays"));
    let mut a = app(b.finish());
    let s = screen(&mut a, 120, 30);
    let row = s.lines().find(|l| l.contains("[deleted]")).unwrap();
    assert_eq!(row.matches("[deleted]").count(), 1, "{row}");
}

/// Also wanted: a folded comment that hides bookmarks says so with a ★.
#[test]
fn a_fold_that_hides_bookmarks_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, mut ad) = bookmarked_app(dir.path(), SPEC);
    run_keys_with(&mut a, &mut ad, "j j m g h");
    let s = screen(&mut a, 120, 30);
    assert!(s.contains("[★1 inside]"), "{s}");
    run_keys_with(&mut a, &mut ad, "l");
    let s = screen(&mut a, 120, 30);
    assert!(!s.contains("inside]"), "{s}");
}

/// Also wanted: the `>`/`<` split is remembered between runs (per reader).
#[test]
fn the_split_is_remembered_between_runs() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, mut ad) = bookmarked_app(dir.path(), SPEC);
    let before = a.split;
    run_keys_with(&mut a, &mut ad, "> >");
    assert_eq!(a.split, before + 10);
    let (b, _bd) = bookmarked_app(dir.path(), SPEC);
    assert_eq!(
        b.split,
        before + 10,
        "the next run starts where this one left it"
    );
}

/// Also wanted: `text_width` caps the lines of text on a wide screen.
#[test]
fn text_lines_stop_at_text_width() {
    let long = "word ".repeat(200);
    let spec = format!("alice {long}");
    let mut a = app(thread("Wide", &spec));
    a.text_width = 50;
    let s = screen(&mut a, 200, 60);
    let widest = s
        .lines()
        // Body lines of the full comment (the tree row names alice).
        .filter(|l| l.contains("word word") && !l.contains("alice"))
        .map(|l| {
            let t = l.trim_end_matches(['│', ' ']);
            let start = t.find("word").unwrap();
            t[start..].trim_end().chars().count()
        })
        .max()
        .unwrap();
    assert!(widest <= 50, "{widest}\n{s}");
    a.text_width = 0;
    let s = screen(&mut a, 200, 60);
    assert!(
        s.lines()
            .filter(|l| !l.contains("alice"))
            .any(|l| l.matches("word").count() > 12),
        "0 is the pane's width\n{s}"
    );
}

/// #7: the bookmarks list (`'`) shows the selected entry's long note whole, wrapped, so a
/// note cut in the list can be read there.
#[test]
fn the_bookmark_list_shows_the_selected_note_whole() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, mut ad) = bookmarked_app(dir.path(), SPEC);
    run_keys_with(&mut a, &mut ad, "M");
    common::typed(
        &mut a,
        "a note far longer than one row of the list can hold at eighty columns, which \
         ends with the word zanzibar",
    );
    run_keys_with(&mut a, &mut ad, "Enter '");
    let s = screen(&mut a, 80, 24);
    assert!(
        s.contains("zanzibar"),
        "the note's end is on the screen:\n{s}"
    );
    assert!(s.contains("a note far longer"), "{s}");
}
