//! One source of truth for search and filter state (issue 17 item 6): which filter the tree
//! shows is `reading.view` alone, and a live search goes back to where the prompt opened
//! (folds, zoom, selection, view) without a copy of the tree.

use crate::common;

use common::{app, selected_author, thread, typed};
use threadr::app::{App, ViewFilter, run_keys};

const SPEC: &str = "
alice Talking about the harbour.
. bob nothing to see here
. . carol the harbour again
dave unrelated words
. erin HARBOUR in capitals
frank last words
";

fn authors_shown(a: &App) -> Vec<String> {
    (0..a.tree.len())
        .map(|r| {
            let idx = a.tree.comment_at(r).unwrap();
            a.thread
                .comment(idx)
                .author
                .as_deref()
                .unwrap_or_default()
                .to_string()
        })
        .collect()
}

#[test]
fn each_keystroke_closes_what_the_last_match_unfolded() {
    let mut a = app(thread("T", SPEC));
    run_keys(&mut a, "C j");
    assert_eq!(authors_shown(&a), ["alice", "dave", "frank"]);
    run_keys(&mut a, "/");
    typed(&mut a, "again");
    assert_eq!(selected_author(&a), "carol");
    assert_eq!(
        authors_shown(&a),
        ["alice", "bob", "carol", "dave", "frank"]
    );
    // Back to nothing typed: the folds carol's match opened are closed again.
    run_keys(&mut a, "Backspace Backspace Backspace Backspace Backspace");
    assert_eq!(authors_shown(&a), ["alice", "dave", "frank"]);
    assert_eq!(selected_author(&a), "dave");
    // Another match in another fold: only its own ancestors open.
    typed(&mut a, "capitals");
    assert_eq!(selected_author(&a), "erin");
    assert_eq!(authors_shown(&a), ["alice", "dave", "erin", "frank"]);
    run_keys(&mut a, "Esc");
    assert_eq!(authors_shown(&a), ["alice", "dave", "frank"]);
    assert_eq!(selected_author(&a), "dave");
    assert_eq!(a.tree.folded_count(), 3, "the fold count is the one it was");
}

#[test]
fn a_match_outside_the_author_view_drops_it_and_esc_brings_it_back() {
    let mut a = app(thread("T", SPEC));
    run_keys(&mut a, "j j j @ Enter");
    assert_eq!(a.reading.view, ViewFilter::Author("dave".into()));
    assert_eq!(authors_shown(&a), ["dave"]);
    run_keys(&mut a, "/");
    typed(&mut a, "capitals");
    // erin is not dave's: showing her match leaves the author view, and the view says so.
    assert_eq!(selected_author(&a), "erin");
    assert!(a.tree.filter().is_none());
    assert_eq!(a.reading.view, ViewFilter::None);
    run_keys(&mut a, "Esc");
    assert_eq!(a.reading.view, ViewFilter::Author("dave".into()));
    assert_eq!(authors_shown(&a), ["dave"]);
    assert_eq!(selected_author(&a), "dave");
}

#[test]
fn one_filter_at_a_time_and_the_view_names_it() {
    let mut a = app(thread("T", SPEC));
    run_keys(&mut a, "/");
    typed(&mut a, "again");
    run_keys(&mut a, "Enter &");
    assert_eq!(a.reading.view, ViewFilter::Search);
    assert_eq!(authors_shown(&a), ["alice", "bob", "carol"]);
    // `@` replaces the search filter: there is no second flag left saying "filtering".
    run_keys(&mut a, "g @ Enter");
    assert_eq!(a.reading.view, ViewFilter::Author("alice".into()));
    assert_eq!(authors_shown(&a), ["alice"]);
    // `&` again: the search's filter, computed from the matches, replaces the author's.
    run_keys(&mut a, "&");
    assert_eq!(a.reading.view, ViewFilter::Search);
    assert_eq!(authors_shown(&a), ["alice", "bob", "carol"]);
    // A live search while filtering filters to the new query's matches as it is typed.
    run_keys(&mut a, "/");
    typed(&mut a, "capitals");
    assert_eq!(authors_shown(&a), ["dave", "erin"]);
    run_keys(&mut a, "Esc");
    assert_eq!(
        authors_shown(&a),
        ["alice", "bob", "carol"],
        "the old query's filter"
    );
    run_keys(&mut a, "Esc");
    assert_eq!(a.reading.view, ViewFilter::None);
    assert_eq!(a.tree.len(), 6);
}

/// A comment whose second "needle" comes after 24 links (each drawn with a `[n]` mark) and
/// terminal controls (drawn visible, so longer): in source bytes it sits lines earlier than
/// on screen, where the first "needle" is.
fn marked_thread() -> threadr::model::Thread {
    use threadr::model::{Block, BlockKind, Body, Link, Span, SpanStyle, ThreadBuilder};
    let mut text = String::from("needle first. ");
    let mut spans = Vec::new();
    let mut links = Vec::new();
    for n in 0..24 {
        let start = text.len();
        text.push_str("site");
        spans.push(Span {
            range: start..text.len(),
            style: SpanStyle::Link(n),
        });
        links.push(Link {
            text: "site".into(),
            url: format!("https://example.org/{n}"),
        });
        text.push_str(" \u{1b}\u{7} ");
    }
    text.push_str("needle second. The end of it all.");
    let mut b = ThreadBuilder::new();
    b.title = Some("Marks".into());
    b.body = Body::from_plain("The article.");
    let mut d = common::draft("alice", "");
    d.body = Body {
        blocks: thin_vec::thin_vec![Block {
            kind: BlockKind::Paragraph,
            quote_depth: 0,
            text: text.as_str().into(),
            spans: spans.into(),
        }],
        links: links.into(),
    };
    b.push(None, d);
    b.push(None, common::draft("bob", "no match here"));
    b.finish()
}

fn rows_of(buf: &ratatui::buffer::Buffer) -> Vec<String> {
    (0..buf.area.height)
        .map(|y| (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect())
        .collect()
}

/// Where each "needle" of the focused comment's pane is and whether it is drawn as the
/// current match (the tree's preview and the status bar are left out).
fn needles(buf: &ratatui::buffer::Buffer, current: ratatui::style::Style) -> Vec<(u16, bool)> {
    let mut out = Vec::new();
    let rows = rows_of(buf);
    let pane = rows.iter().position(|r| r.contains("#1 alice")).unwrap() + 1;
    for (y, row) in rows.iter().enumerate().take(rows.len() - 1).skip(pane) {
        let mut from = 0;
        while let Some(col) = row[from..].find("needle") {
            let x = row[..from + col].chars().count() as u16;
            out.push((y as u16, buf[(x, y as u16)].bg == current.bg.unwrap()));
            from += col + "needle".len();
        }
    }
    out
}

#[test]
fn the_current_match_after_link_marks_and_controls_is_highlighted_where_it_is() {
    use ratatui::{Terminal, backend::TestBackend, layout::Rect};
    use threadr::theme::{ColorDepth, Theme};
    let theme = Theme::load("gruvbox", None)
        .unwrap()
        .with_depth(ColorDepth::TrueColor);
    let mut a = app(marked_thread());
    let mut height = 40;
    let draw = |a: &mut App, height: u16| {
        let mut term = Terminal::new(TestBackend::new(100, height)).unwrap();
        let layout = threadr::ui::layout(Rect::new(0, 0, 100, height), a);
        a.set_layout(layout);
        term.draw(|f| threadr::ui::draw(f, a, &theme)).unwrap();
        term.backend().buffer().clone()
    };
    draw(&mut a, height);
    run_keys(&mut a, "/");
    typed(&mut a, "needle");
    run_keys(&mut a, "Enter");
    assert_eq!(a.search.position().as_deref(), Some("1/2"));
    let first = needles(&draw(&mut a, height), theme.search.current);
    assert_eq!(first.iter().filter(|(_, c)| *c).count(), 1, "{first:?}");
    assert!(first[0].1, "the first needle is current: {first:?}");
    run_keys(&mut a, "n");
    assert_eq!(a.search.position().as_deref(), Some("2/2"));
    let buf = draw(&mut a, height);
    let second = needles(&buf, theme.search.current);
    let shown = rows_of(&buf).join("\n");
    assert_eq!(
        second.iter().filter(|(_, c)| *c).count(),
        1,
        "one current match\n{shown}"
    );
    let (row, current) = *second.last().unwrap();
    assert!(current, "the second needle is the current one\n{shown}");
    assert!(
        second.iter().all(|(r, c)| *c || *r != row),
        "and only it\n{shown}"
    );
    // On a short screen the pane scrolls to the line the match is drawn on, not to the
    // line its source offset would be on.
    height = 14;
    draw(&mut a, height);
    run_keys(&mut a, "N n");
    let buf = draw(&mut a, height);
    let shown = rows_of(&buf).join("\n");
    let short = needles(&buf, theme.search.current);
    assert_eq!(
        short.iter().filter(|(_, c)| *c).count(),
        1,
        "{short:?}\n{shown}"
    );
    assert!(shown.contains("needle second"), "{shown}");
}
