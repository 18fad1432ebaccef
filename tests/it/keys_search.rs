//! Search through the keys a reader types: live count, n/N order and wrap, unfolding,
#![allow(clippy::format_collect)] // Building test threads line by line reads best this way.
//! Esc going back, the filter, history, regex errors.

use crate::common;

use common::{app, selected_author, thread, typed};
use threadr::app::{App, Effect, Message, Overlay, Pane, run_keys};
use threadr::jobs::{JobMsg, JobOutput, Runner};

const SPEC: &str = "
alice Talking about María and the harbour.
. bob nothing to see here
. . carol the harbour again, and María
dave unrelated words
. erin HARBOUR in capitals
frank last words
";

fn position(a: &App) -> String {
    a.search.position().unwrap_or_default()
}

#[test]
fn live_search_counts_and_jumps_as_you_type() {
    let mut a = app(thread("Harbour talk", SPEC));
    run_keys(&mut a, "/");
    assert!(matches!(a.overlay, Overlay::Prompt(_)));
    typed(&mut a, "harb");
    // Smart case: lowercase finds HARBOUR too. Article has no "harbour".
    assert_eq!(position(&a), "1/3");
    assert_eq!(selected_author(&a), "alice");
    typed(&mut a, "our again");
    assert_eq!(position(&a), "1/1");
    assert_eq!(selected_author(&a), "carol");
    run_keys(&mut a, "Enter");
    assert_eq!(a.overlay, Overlay::None);
}

#[test]
fn smart_case_accents_and_authors() {
    let mut a = app(thread("T", SPEC));
    run_keys(&mut a, "/");
    typed(&mut a, "HARBOUR");
    assert_eq!(position(&a), "1/1");
    assert_eq!(selected_author(&a), "erin");
    run_keys(&mut a, "Esc /");
    typed(&mut a, "maria");
    assert_eq!(position(&a), "1/2", "accents fold: maria finds María");
    run_keys(&mut a, "Esc /");
    typed(&mut a, "frank");
    assert_eq!(position(&a), "1/1", "authors are searched");
    assert_eq!(selected_author(&a), "frank");
}

#[test]
fn n_and_n_go_in_reading_order_and_wrap() {
    let mut a = app(thread("T", SPEC));
    run_keys(&mut a, "/");
    typed(&mut a, "harbour");
    run_keys(&mut a, "Enter");
    let mut seen = vec![selected_author(&a)];
    for _ in 0..3 {
        run_keys(&mut a, "n");
        seen.push(selected_author(&a));
    }
    assert_eq!(seen, ["alice", "carol", "erin", "alice"]);
    assert!(a.status.as_ref().unwrap().text.contains("wrapped"));
    run_keys(&mut a, "N");
    assert_eq!(selected_author(&a), "erin");
    assert_eq!(position(&a), "3/3");
}

#[test]
fn a_match_inside_a_fold_unfolds_it() {
    let mut a = app(thread("T", SPEC));
    run_keys(&mut a, "C");
    assert_eq!(a.tree.len(), 3);
    run_keys(&mut a, "/");
    typed(&mut a, "again");
    run_keys(&mut a, "Enter");
    assert_eq!(selected_author(&a), "carol");
    assert!(a.tree.len() > 3, "carol's ancestors were unfolded");
}

#[test]
fn esc_returns_to_where_the_reader_was() {
    let mut a = app(thread("T", SPEC));
    run_keys(&mut a, "C j");
    assert_eq!(selected_author(&a), "dave");
    run_keys(&mut a, "/");
    typed(&mut a, "again");
    assert_eq!(selected_author(&a), "carol");
    run_keys(&mut a, "Esc");
    assert_eq!(selected_author(&a), "dave");
    assert_eq!(a.tree.len(), 3, "folds are back as they were");
}

#[test]
fn the_article_is_searched_first() {
    let mut a = app(thread("T", SPEC));
    run_keys(&mut a, "/");
    typed(&mut a, "second paragraph");
    assert_eq!(a.focus, Pane::Article);
    assert_eq!(position(&a), "1/1");
}

#[test]
fn filter_shows_matches_with_ancestors() {
    let mut a = app(thread("T", SPEC));
    run_keys(&mut a, "/");
    typed(&mut a, "again");
    run_keys(&mut a, "Enter &");
    // carol matches; alice and bob are context.
    assert_eq!(a.tree.len(), 3);
    assert_eq!(selected_author(&a), "carol");
    run_keys(&mut a, "&");
    assert_eq!(a.tree.len(), 6);
    assert_eq!(selected_author(&a), "carol", "selection kept");
}

#[test]
fn history_regex_and_errors() {
    let mut a = app(thread("T", SPEC));
    run_keys(&mut a, "/");
    typed(&mut a, "bob");
    run_keys(&mut a, "Enter /");
    typed(&mut a, "dave");
    run_keys(&mut a, "Enter / Up");
    let Overlay::Prompt(p) = &a.overlay else {
        panic!("prompt open")
    };
    assert_eq!(p.input, "dave");
    run_keys(&mut a, "Up");
    let Overlay::Prompt(p) = &a.overlay else {
        panic!("prompt open")
    };
    assert_eq!(p.input, "bob");
    run_keys(&mut a, "Esc /");
    run_keys(&mut a, "Ctrl-r");
    typed(&mut a, "fr[a-z]+k");
    assert_eq!(position(&a), "1/1");
    run_keys(&mut a, "Esc / Ctrl-r");
    typed(&mut a, "(unclosed");
    let Overlay::Prompt(p) = &a.overlay else {
        panic!("prompt open")
    };
    let threadr::app::PromptKind::Search(s) = &p.kind else {
        panic!("search prompt")
    };
    assert!(s.error.is_some(), "an invalid regex is a message");
    run_keys(&mut a, "Enter");
    assert!(a.status.is_some());
}

#[test]
fn esc_clears_the_filter_then_the_search() {
    let mut a = app(thread("T", SPEC));
    run_keys(&mut a, "/");
    typed(&mut a, "again");
    run_keys(&mut a, "Enter &");
    assert_eq!(a.tree.len(), 3);
    run_keys(&mut a, "Esc");
    assert_eq!(a.tree.len(), 6);
    assert!(a.search.matches.is_some());
    run_keys(&mut a, "Esc");
    assert!(a.search.matches.is_none());
    run_keys(&mut a, "n");
    assert!(a.status.as_ref().unwrap().text.contains("No search yet"));
}

#[test]
fn a_match_deep_in_a_long_comment_scrolls_its_text_to_it() {
    let body: String = (0..50).map(|i| format!("filler line {i}\\n")).collect();
    let spec = format!("alice {body}the needle is here\nbob after");
    let mut a = app(thread("T", &spec));
    assert_eq!(a.detail_scroll, 0);
    run_keys(&mut a, "/");
    typed(&mut a, "needle");
    run_keys(&mut a, "Enter");
    assert_eq!(selected_author(&a), "alice");
    // The detail pane is 5 lines high: line 50 must be on screen.
    assert!(
        a.detail_scroll <= 50 && 50 < a.detail_scroll + 5,
        "scroll {}",
        a.detail_scroll
    );
}

/// Runs every `Spawn` effect on a real job runner and feeds the messages back into the app
/// until the jobs are done, as the driver does (10 s at most: a hang fails).
fn run_jobs(a: &mut App, effects: Vec<Effect>) {
    let mut runner = Runner::new();
    for e in effects {
        if let Effect::Spawn(job) = e {
            runner.spawn(job);
        }
    }
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while runner.is_busy() {
        assert!(std::time::Instant::now() < deadline, "jobs never finished");
        if let Some(msg) = runner.recv_timeout(std::time::Duration::from_millis(50)) {
            let out = a.handle(Message::Job(msg));
            assert!(out.effects.is_empty(), "{:?}", out.effects);
        }
    }
}

#[test]
fn the_search_index_arrives_as_a_job_message() {
    let mut a = app(thread("Harbour talk", SPEC));
    let out = a.prepare_search();
    assert!(
        matches!(&out.effects[..], [Effect::Spawn(job)] if job.label == "Preparing search"),
        "{:?}",
        out.effects
    );
    assert!(!a.search_ready(), "the app does not fold it itself");
    assert_eq!(a.jobs.running().len(), 1);
    assert!(a.jobs.foreground().is_none(), "a silent background job");
    run_jobs(&mut a, out.effects);
    assert!(a.search_ready(), "the job's index is kept");
    assert!(a.jobs.running().is_empty());
    assert!(a.prepare_search().effects.is_empty(), "prepared once");
    run_keys(&mut a, "/ h a r b o u r Enter");
    assert_eq!(position(&a), "1/3");
}

/// The status line as drawn at 100x12.
fn bottom_line(a: &mut App) -> String {
    let (w, h) = (100, 12);
    let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h)).unwrap();
    let layout = threadr::ui::layout(ratatui::layout::Rect::new(0, 0, w, h), a);
    a.set_layout(layout);
    let theme = threadr::theme::Theme::default();
    term.draw(|f| threadr::ui::draw(f, a, &theme)).unwrap();
    let buf = term.backend().buffer();
    (0..w).map(|x| buf[(x, h - 1)].symbol()).collect()
}

/// The app with its index job started (not run) and `/harbour` typed meanwhile.
fn harbour_typed_while_folding() -> (App, threadr::jobs::Job) {
    let mut a = app(thread("Harbour talk", SPEC));
    let out = a.prepare_search();
    let Some(Effect::Spawn(job)) = out.effects.into_iter().next() else {
        panic!("a job")
    };
    run_keys(&mut a, "/");
    typed(&mut a, "harbour");
    (a, job)
}

/// A fetched article with one more "harbour" in it.
fn harbour_article() -> threadr::model::Body {
    threadr::format::html_page::extract_article(
        "<html><body><article><p>The harbour article.</p></article></body></html>",
        None,
    )
    .body
}

#[test]
fn a_slash_before_the_index_arrives_waits_for_the_job_and_runs_what_was_typed() {
    let mut a = app(thread("Harbour talk", SPEC));
    let out = a.prepare_search();
    let effects = run_keys(&mut a, "/");
    assert!(effects.is_empty(), "the job is not cancelled: {effects:?}");
    assert!(!a.search_ready(), "no second index folded on the spot");
    assert!(matches!(a.overlay, Overlay::Prompt(_)));
    assert!(a.search.waiting());
    assert!(
        bottom_line(&mut a).contains("preparing search"),
        "{}",
        bottom_line(&mut a)
    );
    typed(&mut a, "harbour");
    assert_eq!(position(&a), "", "nothing searched yet");
    assert_eq!(selected_author(&a), "alice");
    // The job's index arrives: the query typed meanwhile runs, the prompt stays open.
    run_jobs(&mut a, out.effects);
    assert!(a.search_ready());
    assert_eq!(position(&a), "1/3");
    assert!(matches!(a.overlay, Overlay::Prompt(_)));
    assert!(!a.search.waiting());
    assert!(
        bottom_line(&mut a).contains("1/3 ·"),
        "{}",
        bottom_line(&mut a)
    );
    typed(&mut a, " again");
    assert_eq!(position(&a), "1/1");
    assert_eq!(selected_author(&a), "carol");
}

#[test]
fn a_failed_index_job_does_not_leave_the_prompt_waiting() {
    let (mut a, job) = harbour_typed_while_folding();
    assert!(a.search.waiting());
    a.on_job(JobMsg::Done {
        id: job.id,
        result: Err(threadr::jobs::JobError::Panicked("boom".into())),
    });
    assert!(!a.search.waiting());
    assert_eq!(position(&a), "1/3", "searched on the spot");
    run_keys(&mut a, "Enter");
    // The next `/` folds nothing new and does not wait either.
    run_keys(&mut a, "/");
    assert!(!a.search.waiting());
}

#[test]
fn a_prompt_open_when_an_article_arrives_searches_the_new_text() {
    let mut a = app(thread("Harbour talk", SPEC));
    let first = a.prepare_search();
    run_jobs(&mut a, first.effects);
    run_keys(&mut a, "/ h a r b o u r");
    assert_eq!(position(&a), "1/3");
    let article = harbour_article();
    let out = a.article_done("https://example.org/a", Ok(article));
    assert!(
        matches!(a.overlay, Overlay::Prompt(_)),
        "the prompt stays open"
    );
    assert!(a.search.waiting());
    run_jobs(&mut a, out.effects);
    // The article's harbour counts too (first in reading order; alice's is still the first
    // from where the prompt opened).
    assert_eq!(position(&a), "2/4");
    run_keys(&mut a, "Enter");
    assert_eq!(a.search.history, ["harbour"]);
}

#[test]
fn esc_then_n_while_the_new_index_is_folded_does_not_panic() {
    let mut a = app(thread("Harbour talk", SPEC));
    let first = a.prepare_search();
    run_jobs(&mut a, first.effects);
    run_keys(&mut a, "/ h a r b o u r Enter /");
    let article = harbour_article();
    let out = a.article_done("https://example.org/a", Ok(article));
    // Esc goes back to no search (the old matches pointed into the old text), and `n`
    // before the new index is there says so instead of panicking.
    run_keys(&mut a, "Esc n");
    assert!(
        a.status
            .as_ref()
            .is_some_and(|s| s.text.starts_with("No search yet")),
        "{:?}",
        a.status
    );
    run_jobs(&mut a, out.effects);
    run_keys(&mut a, "/ h a r b o u r Enter n");
    assert_eq!(position(&a), "3/4");
}

#[test]
fn a_refresh_while_the_prompt_is_open_closes_it_and_keeps_the_history() {
    let mut a = app(thread("Harbour talk", SPEC));
    run_keys(&mut a, "/ d a v e Enter / h a r");
    let (_, out) = a.replace_thread(thread("Harbour talk", SPEC), None);
    assert_eq!(a.overlay, Overlay::None);
    assert!(
        a.status
            .as_ref()
            .is_some_and(|s| s.text.starts_with("Search closed")),
        "{:?}",
        a.status
    );
    run_jobs(&mut a, out.effects);
    assert_eq!(a.search.history, ["dave"]);
    run_keys(&mut a, "/ h a r b o u r");
    // From dave, where the first search left the reader: erin's HARBOUR.
    assert_eq!(position(&a), "3/3");
}

#[test]
fn enter_before_the_index_arrives_folds_now_and_cancels_the_job() {
    let (mut a, job) = harbour_typed_while_folding();
    let effects = run_keys(&mut a, "Enter");
    assert_eq!(effects, vec![Effect::CancelJob(job.id)]);
    assert!(a.search_ready());
    assert_eq!(a.overlay, Overlay::None);
    assert_eq!(position(&a), "1/3");
    // The job's late answer is not wanted and changes nothing.
    let late = a.on_job(JobMsg::Done {
        id: job.id,
        result: Ok(JobOutput::Nothing),
    });
    assert_eq!(late, threadr::app::Outcome::default());
    assert_eq!(position(&a), "1/3");
}

#[test]
fn esc_while_waiting_for_the_index_keeps_the_job() {
    let mut a = app(thread("Harbour talk", SPEC));
    let out = a.prepare_search();
    assert!(run_keys(&mut a, "/ h a Esc").is_empty());
    assert_eq!(a.overlay, Overlay::None);
    run_jobs(&mut a, out.effects);
    assert!(a.search_ready(), "the job's index is kept for the next /");
    assert_eq!(position(&a), "", "no search ran after Esc");
}

#[test]
fn a_cancelled_index_build_stops_without_an_index() {
    let t = std::sync::Arc::new(thread("Harbour talk", SPEC));
    let cancel = std::sync::atomic::AtomicBool::new(true);
    let mut calls = Vec::new();
    let built = threadr::search::SearchIndex::build(&t, &cancel, &mut |d, n| calls.push((d, n)));
    assert!(built.is_none());
    let go = std::sync::atomic::AtomicBool::new(false);
    let mut calls = Vec::new();
    let built = threadr::search::SearchIndex::build(&t, &go, &mut |d, n| calls.push((d, n)));
    assert_eq!(built.unwrap().docs(), 7);
    assert_eq!(calls.last(), Some(&(6, 6)), "the last report is complete");
}
