//! Reading tools through the real keymap: sort (`s`/`S`), follow an author (`a`/`A`, `@`),
//! read and unread (`u`/`U`, `x`/`X`, `H`), rules (`!`), and shell-like prompt editing.

use crate::common;

use common::{app, selected_author, typed};
use threadr::app::{App, Pane, ViewFilter, run_keys};
use threadr::model::{Body, CommentDraft, SortOrder, Thread, ThreadBuilder, Timestamp};

/// `depth author score time text` lines; depth by leading dots, as in `common::thread`.
fn scored(spec: &str) -> Thread {
    let mut b = ThreadBuilder::new();
    b.title = Some("Sorted".into());
    b.author = Some("olive".into());
    b.body = Body::from_plain("The article.");
    let mut stack: Vec<usize> = Vec::new();
    for line in spec.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let mut rest = line;
        let mut depth = 0;
        while let Some(r) = rest.strip_prefix('.') {
            depth += 1;
            rest = r.trim_start();
        }
        let mut words = rest.splitn(4, ' ');
        let author = words.next().unwrap();
        let score: i64 = words.next().unwrap().parse().unwrap();
        let time: i64 = words.next().unwrap().parse().unwrap();
        let text = words.next().unwrap_or("");
        stack.truncate(depth);
        let h = b.push(
            stack.last().copied(),
            CommentDraft {
                author: Some(author.into()),
                score: Some(score),
                created: Some(Timestamp::Unix(1_700_000_000 + time)),
                body: Body::from_plain(text),
                ..CommentDraft::default()
            },
        );
        stack.push(h);
    }
    b.finish()
}

const SPEC: &str = "
ana 5 10 first top-level by ana
. ben 1 20 reply to ana
. cid 9 30 another reply to ana
. . ana 2 40 ana answers cid
dan 20 5 second top-level
. ana 0 50 ana again under dan
eve 3 60 third top-level, no replies
";

fn authors(a: &App) -> Vec<String> {
    a.tree
        .rows()
        .iter()
        .map(|r| {
            a.thread.comments[*r as usize]
                .author
                .as_deref()
                .unwrap_or("?")
                .to_string()
        })
        .collect()
}

fn status(a: &App) -> String {
    a.status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

#[test]
fn s_cycles_the_orders_keeping_the_focus_and_the_tree() {
    let mut a = app(scored(SPEC));
    run_keys(&mut a, "j j");
    assert_eq!(selected_author(&a), "cid");
    run_keys(&mut a, "s");
    assert_eq!(a.reading.order, SortOrder::Score);
    assert!(status(&a).contains("sorted by score"), "{}", status(&a));
    assert_eq!(
        authors(&a),
        ["dan", "ana", "ana", "cid", "ana", "ben", "eve"]
    );
    assert_eq!(
        selected_author(&a),
        "cid",
        "the focused comment stays focused"
    );
    // Still a tree: cid's reply follows it, one level deeper.
    let sel = a.selected().unwrap();
    let next = a.tree.comment_at(a.tree.selected_row() + 1).unwrap();
    assert_eq!(a.thread.comment(next).parent, Some(sel));
    run_keys(&mut a, "s");
    assert_eq!(a.reading.order, SortOrder::Newest);
    assert_eq!(
        authors(&a),
        ["eve", "ana", "cid", "ana", "ben", "dan", "ana"]
    );
    run_keys(&mut a, "s");
    assert_eq!(
        authors(&a),
        ["dan", "ana", "ana", "ben", "cid", "ana", "eve"]
    );
    run_keys(&mut a, "s");
    assert_eq!(a.reading.order, SortOrder::Replies);
    assert_eq!(
        authors(&a),
        ["ana", "cid", "ana", "ben", "dan", "ana", "eve"]
    );
    run_keys(&mut a, "S S S S");
    assert_eq!(a.reading.order, SortOrder::File);
    assert_eq!(
        authors(&a),
        ["ana", "ben", "cid", "ana", "dan", "ana", "eve"]
    );
    assert_eq!(selected_author(&a), "cid");
}

#[test]
fn sorting_keeps_folds_read_flags_and_the_search() {
    let mut a = app(scored(SPEC));
    run_keys(&mut a, "Enter");
    assert!(a.tree.is_folded(a.selected().unwrap()));
    typed(&mut a, "/again");
    run_keys(&mut a, "Enter");
    assert_eq!(a.search.position().as_deref(), Some("1/1"));
    let read_ids = |a: &App| {
        let mut ids: Vec<String> = a
            .thread
            .indices()
            .filter(|i| a.reading.is_read(*i))
            .map(|i| a.thread.comment(i).id.to_string())
            .collect();
        ids.sort();
        ids
    };
    let before = read_ids(&a);
    assert_eq!(before.len(), 2, "ana and the match were focused");
    run_keys(&mut a, "s");
    assert_eq!(
        read_ids(&a),
        before,
        "the same comments are read after sorting"
    );
    let ana = a
        .thread
        .roots
        .iter()
        .find(|r| a.thread.comment(**r).author.as_deref() == Some("ana"))
        .copied()
        .unwrap();
    assert!(
        a.tree.is_folded(ana),
        "ana's thread stays folded after sorting"
    );
    assert!(a.search.matches.is_some(), "the search survives the sort");
    run_keys(&mut a, "n");
    assert!(
        a.thread
            .comment(a.selected().unwrap())
            .body
            .plain_text()
            .contains("again")
    );
    assert_eq!(a.search.position().as_deref(), Some("1/1"));
}

#[test]
fn a_and_capital_a_follow_the_author_wrapping() {
    let mut a = app(scored(SPEC));
    run_keys(&mut a, "a");
    assert_eq!(a.selected().map(|i| i.0), Some(3), "ana answers cid");
    assert!(status(&a).contains("2/3 by ana"), "{}", status(&a));
    run_keys(&mut a, "a");
    assert_eq!(a.selected().map(|i| i.0), Some(5));
    run_keys(&mut a, "a");
    assert_eq!(a.selected().map(|i| i.0), Some(0));
    assert!(status(&a).contains("wrapped"), "{}", status(&a));
    run_keys(&mut a, "A");
    assert_eq!(a.selected().map(|i| i.0), Some(5));
    // Folded away: a unfolds what hides the comment.
    run_keys(&mut a, "g C a");
    assert_eq!(a.selected().map(|i| i.0), Some(3));
    // A single comment by its author.
    run_keys(&mut a, "G a");
    assert!(status(&a).contains("only this comment"), "{}", status(&a));
}

#[test]
fn a_on_the_article_follows_the_op() {
    let spec = "olive 1 1 the OP speaks\nzed 1 2 hi\n. olive 1 3 OP again";
    let mut a = app(scored(spec));
    run_keys(&mut a, "j Tab");
    assert_eq!(a.focus, Pane::Article);
    run_keys(&mut a, "a");
    assert_eq!(a.focus, Pane::Comments);
    assert_eq!(a.selected().map(|i| i.0), Some(0));
}

#[test]
fn at_filters_to_one_author_and_clears_with_at_or_esc() {
    let mut a = app(scored(SPEC));
    run_keys(&mut a, "@");
    let threadr::app::Overlay::Prompt(p) = &a.overlay else {
        panic!("no prompt")
    };
    assert_eq!(p.input, "ana", "prefilled with the focused author");
    run_keys(&mut a, "Enter");
    assert_eq!(a.reading.view, ViewFilter::Author("ana".into()));
    // ana's three comments and their ancestors (cid, dan) as context.
    assert_eq!(authors(&a), ["ana", "cid", "ana", "dan", "ana"]);
    run_keys(&mut a, "@");
    assert_eq!(a.reading.view, ViewFilter::None);
    assert_eq!(a.tree.len(), 7);
    run_keys(&mut a, "@ Ctrl-u");
    typed(&mut a, "eve");
    run_keys(&mut a, "Enter");
    assert_eq!(authors(&a), ["eve"]);
    run_keys(&mut a, "Esc");
    assert_eq!(a.tree.len(), 7);
    run_keys(&mut a, "@ Ctrl-u");
    typed(&mut a, "nobody");
    run_keys(&mut a, "Enter");
    assert!(status(&a).contains("No comments by nobody"));
    assert_eq!(a.tree.len(), 7);
}

#[test]
fn focusing_reads_and_u_goes_to_the_next_unread() {
    let mut a = app(scored(SPEC));
    assert_eq!(a.reading.unread(), 7, "nothing read before the first key");
    run_keys(&mut a, "j");
    assert_eq!(
        a.reading.unread(),
        6,
        "ben was focused; ana not yet (no key on it)"
    );
    run_keys(&mut a, "k");
    assert_eq!(a.reading.unread(), 5);
    run_keys(&mut a, "u");
    assert_eq!(selected_author(&a), "cid");
    run_keys(&mut a, "u u");
    assert_eq!(a.selected().map(|i| i.0), Some(4));
    assert!(a.reading.is_read(threadr::model::CommentIdx(3)));
    run_keys(&mut a, "U");
    assert_eq!(
        a.selected().map(|i| i.0),
        Some(6),
        "nothing unread before: U wraps to the last unread"
    );
    assert!(status(&a).contains("wrapped"), "{}", status(&a));
    run_keys(&mut a, "u");
    assert_eq!(a.selected().map(|i| i.0), Some(5));
    assert_eq!(a.reading.unread(), 0);
    run_keys(&mut a, "u");
    assert!(
        status(&a).contains("Every comment is read"),
        "{}",
        status(&a)
    );
}

#[test]
fn x_marks_a_subtree_and_capital_x_asks_first() {
    let mut a = app(scored(SPEC));
    run_keys(&mut a, "x");
    assert_eq!(a.reading.unread(), 3, "ana's subtree of four is read");
    assert!(
        status(&a).contains("Marked 4 comments read"),
        "{}",
        status(&a)
    );
    run_keys(&mut a, "X");
    assert!(status(&a).contains("Mark all 3 unread"), "{}", status(&a));
    run_keys(&mut a, "j");
    assert_eq!(a.reading.unread(), 3, "any other key cancels");
    assert!(status(&a).contains("Nothing marked"));
    run_keys(&mut a, "X Enter");
    assert_eq!(a.reading.unread(), 0);
}

#[test]
fn capital_h_hides_read_comments_keeping_ancestors() {
    let mut a = app(scored(SPEC));
    run_keys(&mut a, "j k x");
    // ana's subtree is read; dan, its reply and eve are not.
    run_keys(&mut a, "H");
    assert_eq!(a.reading.view, ViewFilter::HideRead);
    assert_eq!(authors(&a), ["dan", "ana", "eve"]);
    run_keys(&mut a, "H");
    assert_eq!(a.tree.len(), 7);
    // A read parent with an unread reply stays, as context.
    let mut a = app(scored(SPEC));
    run_keys(&mut a, "j k G g");
    run_keys(&mut a, "H");
    let rows = authors(&a);
    assert!(
        rows.contains(&"ana".to_string()) && rows.contains(&"cid".to_string()),
        "{rows:?}"
    );
    assert!(
        !rows.contains(&"eve".to_string()) && !rows.contains(&"ben".to_string()),
        "{rows:?}"
    );
}

#[test]
fn prompts_edit_like_a_shell_line() {
    let mut a = app(scored(SPEC));
    run_keys(&mut a, "/");
    typed(&mut a, "ana answers");
    run_keys(&mut a, "Alt-b Alt-b Right Right Delete");
    typed(&mut a, "N");
    let input = |a: &App| match &a.overlay {
        threadr::app::Overlay::Prompt(p) => (p.input.clone(), p.cursor),
        _ => panic!("no prompt"),
    };
    assert_eq!(input(&a), ("anN answers".to_string(), 3));
    run_keys(&mut a, "Ctrl-e Ctrl-w");
    assert_eq!(input(&a).0, "anN ");
    run_keys(&mut a, "Home");
    typed(&mut a, "x");
    assert_eq!(input(&a), ("xanN ".to_string(), 1));
    run_keys(&mut a, "End Left Ctrl-u");
    assert_eq!(input(&a), (" ".to_string(), 0));
    run_keys(&mut a, "Ctrl-a Ctrl-e Backspace");
    assert_eq!(input(&a).0, "");
}

/// The page shown while a thread opened by URL is first fetched: empty, titled so.
fn placeholder() -> App {
    let mut b = threadr::model::ThreadBuilder::new();
    b.title = Some("Fetching hn:1".into());
    b.source_key = Some("hn:1".into());
    let mut a = common::app(b.finish());
    a.fetch_started("hn:1");
    a
}

fn title(a: &App) -> String {
    a.thread.title.clone().unwrap_or_default()
}

#[test]
fn the_stand_in_page_says_when_a_first_fetch_failed_was_cancelled_or_is_retried() {
    let mut a = placeholder();
    a.fetch_done(Err("http://127.0.0.1/api/v1/items/1: HTTP 500: down".into()));
    assert_eq!(title(&a), "Could not fetch hn:1");
    assert!(a.thread.body.plain_text().contains("HTTP 500: down"));
    // r: fetching again, and the page says so.
    let effects = threadr::app::run_keys(&mut a, "r");
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, threadr::app::Effect::Fetch(i) if i == "hn:1")),
        "{effects:?}"
    );
    assert_eq!(title(&a), "Fetching hn:1");
    assert!(a.thread.body.is_empty());
    // Esc cancels it: the page says that too, and r is still a first visit's retry.
    threadr::app::run_keys(&mut a, "Esc");
    assert_eq!(title(&a), "Could not fetch hn:1");
    assert!(
        a.thread
            .body
            .plain_text()
            .contains("the fetch was cancelled")
    );
    assert!(!a.is_fetching());
    threadr::app::run_keys(&mut a, "r");
    assert!(
        a.wants_partial(),
        "a retry over the stand-in shows partial results"
    );
}

/// `O` while `r` runs: the article can arrive first; the refresh's line then keeps the
/// article's beside it instead of replacing it.
#[test]
fn a_refresh_ending_after_an_article_fetch_keeps_its_line() {
    let mut b = threadr::model::ThreadBuilder::new();
    b.title = Some("Harbour".into());
    b.source_key = Some("hn:1".into());
    b.push(
        None,
        threadr::model::CommentDraft {
            source_id: Some("2".into()),
            body: threadr::model::Body::from_plain("first words"),
            ..Default::default()
        },
    );
    let thread = b.finish();
    let mut a = common::app(thread.clone());
    a.fetch_started("hn:1");
    let _ = a.article_done(
        "https://example.org/post",
        Ok(threadr::model::Body::from_plain("Tides")),
    );
    let _ = a.fetch_done(Ok((thread, None, None, 0)));
    let line = a
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default();
    assert!(line.contains("it is in the article pane"), "{line}");
}
