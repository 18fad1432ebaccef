//! Key-sequence tests: the real keymap, typed key names, assertions on app state.
#![allow(clippy::format_collect)] // Building test threads line by line reads best this way.

use crate::common;

use common::{app, selected_author, thread};
use threadr::app::{Effect, Pane, run_keys};

const SPEC: &str = "
alice first top-level
. bob reply to alice
. . carol reply to bob
. dave second reply to alice
erin second top-level
. frank reply to erin
gina third top-level
";

#[test]
fn opens_on_first_comment_with_focus_on_comments() {
    let a = app(thread("T", SPEC));
    assert_eq!(a.focus, Pane::Comments);
    assert_eq!(selected_author(&a), "alice");
}

#[test]
fn j_k_move_through_visible_comments() {
    let mut a = app(thread("T", SPEC));
    run_keys(&mut a, "j j");
    assert_eq!(selected_author(&a), "carol");
    run_keys(&mut a, "k Down Down");
    assert_eq!(selected_author(&a), "dave");
    run_keys(&mut a, "G");
    assert_eq!(selected_author(&a), "gina");
    run_keys(&mut a, "j");
    assert_eq!(selected_author(&a), "gina", "stays on the last comment");
    run_keys(&mut a, "g");
    assert_eq!(selected_author(&a), "alice");
}

#[test]
fn siblings_parent_and_top_level() {
    let mut a = app(thread("T", SPEC));
    run_keys(&mut a, "j J");
    assert_eq!(selected_author(&a), "dave");
    run_keys(&mut a, "K");
    assert_eq!(selected_author(&a), "bob");
    run_keys(&mut a, "j p");
    assert_eq!(selected_author(&a), "bob");
    run_keys(&mut a, "}");
    assert_eq!(selected_author(&a), "erin");
    run_keys(&mut a, "} {");
    assert_eq!(selected_author(&a), "erin");
    run_keys(&mut a, "{");
    assert_eq!(selected_author(&a), "alice");
}

#[test]
fn folding_hides_replies_and_h_l_move() {
    let mut a = app(thread("T", SPEC));
    run_keys(&mut a, "h");
    assert_eq!(a.tree.len(), 4, "alice folds: her three replies hide");
    run_keys(&mut a, "j");
    assert_eq!(selected_author(&a), "erin");
    run_keys(&mut a, "k l");
    assert_eq!(a.tree.len(), 7);
    run_keys(&mut a, "l");
    assert_eq!(
        selected_author(&a),
        "bob",
        "l on an open comment goes to its first reply"
    );
    run_keys(&mut a, "j h");
    assert_eq!(selected_author(&a), "bob", "h on a leaf goes to the parent");
    run_keys(&mut a, "Enter");
    assert_eq!(a.tree.len(), 6);
    run_keys(&mut a, "C");
    assert_eq!(a.tree.len(), 3);
    run_keys(&mut a, "E");
    assert_eq!(a.tree.len(), 7);
    run_keys(&mut a, "1");
    assert_eq!(a.tree.len(), 6, "depth 1 hides carol");
}

#[test]
fn zoom_makes_a_subthread_the_root() {
    let mut a = app(thread("T", SPEC));
    run_keys(&mut a, "j z");
    assert_eq!(a.tree.len(), 2);
    assert_eq!(selected_author(&a), "bob");
    run_keys(&mut a, "j Backspace");
    assert_eq!(a.tree.len(), 7);
    assert_eq!(selected_author(&a), "bob");
}

#[test]
fn space_reads_a_long_comment_to_its_end_then_moves_on() {
    let long = (1..=30)
        .map(|i| format!("line{i}"))
        .collect::<Vec<_>>()
        .join("\\n");
    let spec = format!("alice {long}\nbob short");
    let mut a = app(thread("T", &spec));
    // detail pane is 5 lines: pages of 4 with one line of overlap.
    run_keys(&mut a, "Space");
    assert_eq!(a.detail_scroll, 4);
    assert_eq!(selected_author(&a), "alice");
    for _ in 0..6 {
        run_keys(&mut a, "Space");
    }
    assert_eq!(a.detail_scroll, 25, "the last page shows the end");
    assert_eq!(selected_author(&a), "alice");
    run_keys(&mut a, "Space");
    assert_eq!(selected_author(&a), "bob");
    assert_eq!(a.detail_scroll, 0);
    run_keys(&mut a, "b");
    assert_eq!(selected_author(&a), "alice");
    assert_eq!(
        a.detail_scroll, 25,
        "b goes back to the end of the previous comment"
    );
}

#[test]
fn tab_switches_panes_and_article_keys_scroll() {
    let mut a = app(thread("T", SPEC));
    run_keys(&mut a, "Tab");
    assert_eq!(a.focus, Pane::Article);
    run_keys(&mut a, "j");
    assert_eq!(
        selected_author(&a),
        "alice",
        "j scrolls the article, not the tree"
    );
    run_keys(&mut a, "Tab");
    assert_eq!(a.focus, Pane::Comments);
}

#[test]
fn quit_help_and_unknown_keys() {
    let mut a = app(thread("T", SPEC));
    assert_eq!(run_keys(&mut a, "?"), vec![]);
    assert!(matches!(a.overlay, threadr::app::Overlay::Help { .. }));
    run_keys(&mut a, "j Esc");
    assert_eq!(a.overlay, threadr::app::Overlay::None);
    run_keys(&mut a, "w");
    assert!(a.status.as_ref().unwrap().text.contains("does nothing"));
    assert_eq!(run_keys(&mut a, "q"), vec![Effect::Quit]);
}

#[test]
fn an_article_only_thread_focuses_the_article() {
    let mut a = app(thread("T", ""));
    assert_eq!(a.focus, Pane::Article);
    run_keys(&mut a, "Tab");
    assert_eq!(a.focus, Pane::Article);
    run_keys(&mut a, "j k g G");
}

#[test]
fn deep_chain_navigates_without_recursion() {
    let mut b = threadr::model::ThreadBuilder::new();
    let mut parent = None;
    for i in 0..100_000 {
        parent = Some(b.push(parent, common::draft("x", &format!("level {i}"))));
    }
    let mut a = app(b.finish());
    run_keys(&mut a, "G");
    assert_eq!(a.selected().unwrap().0, 99_999);
    // Zooming into the last reply leaves one row; out again, p goes one level up.
    run_keys(&mut a, "z");
    assert_eq!(a.tree.len(), 1);
    run_keys(&mut a, "Backspace p");
    assert_eq!(a.selected().unwrap().0, 99_998);
    run_keys(&mut a, "C");
    assert_eq!(
        a.tree.len(),
        1,
        "folding all leaves the one top-level comment"
    );
    run_keys(&mut a, "E");
    assert_eq!(a.tree.len(), 100_000);
    assert_eq!(
        a.selected().unwrap().0,
        0,
        "fold all moved the selection to its root"
    );
}

#[test]
fn the_bundled_tour_reads_cleanly_and_holding_space_reaches_its_end() {
    let thread = threadr::format::load(threadr::driver::TOUR.as_bytes(), "tour", None).unwrap();
    assert!(thread.warnings.is_empty(), "{:?}", thread.warnings);
    assert_eq!(thread.title.as_deref(), Some("A tour of threadr"));
    assert!(thread.len() >= 12);
    assert!(thread.comments.iter().all(|c| c.author.is_some()));
    assert!(thread.comments.iter().any(|c| c.depth == 2));
    let mut a = app(thread);
    for _ in 0..100 {
        run_keys(&mut a, "Space");
    }
    assert_eq!(a.tree.selected_row(), a.tree.len() - 1);
    assert!(
        a.status
            .as_ref()
            .unwrap()
            .text
            .contains("End of the thread")
    );
}

#[test]
fn paging_and_split_keys() {
    let spec: String = (0..40).map(|i| format!("u{i} comment {i}\n")).collect();
    let mut a = app(thread("Pages", &spec));
    // tree_height is 10 in the test viewport.
    run_keys(&mut a, "PgDn");
    assert_eq!(a.tree.selected_row(), 10);
    run_keys(&mut a, "Ctrl-d");
    assert_eq!(a.tree.selected_row(), 15);
    run_keys(&mut a, "Ctrl-u PgUp");
    assert_eq!(a.tree.selected_row(), 0);
    let split = a.split;
    run_keys(&mut a, ">");
    assert_eq!(a.split, split + 5);
    run_keys(&mut a, "< <");
    assert_eq!(a.split, split - 5);
    for _ in 0..30 {
        run_keys(&mut a, "<");
    }
    assert_eq!(
        a.split,
        *threadr::config::SPLIT_RANGE.start(),
        "the split stops where the config's range does"
    );
    run_keys(&mut a, "<");
    assert_eq!(a.status.as_ref().unwrap().text, "The split is at its limit");
    // In the article, the same keys scroll the text.
    let mut t = thread("T", "x words");
    t.body = threadr::model::Body::from_plain(
        &(0..60).map(|i| format!("para {i}\n\n")).collect::<String>(),
    );
    let mut b = app(t);
    run_keys(&mut b, "Tab");
    run_keys(&mut b, "Space");
    assert_eq!(b.article_scroll, 9);
    run_keys(&mut b, "Ctrl-d");
    assert_eq!(b.article_scroll, 14);
    run_keys(&mut b, "G");
    assert!(b.article_scroll > 100);
    run_keys(&mut b, "g");
    assert_eq!(b.article_scroll, 0);
}

#[test]
fn help_scrolls_to_its_ends_and_no_key_is_silent_in_lists() {
    let mut a = app(thread("T", SPEC));
    run_keys(&mut a, "? G");
    let threadr::app::Overlay::Help { scroll } = a.overlay else {
        panic!("help open")
    };
    assert!(scroll > 0);
    run_keys(&mut a, "g");
    assert_eq!(a.overlay, threadr::app::Overlay::Help { scroll: 0 });
    run_keys(&mut a, "Esc");
    a.viewport.narrow = true;
    run_keys(&mut a, ">");
    assert!(a.status.as_ref().unwrap().text.contains("100 columns"));
}

#[test]
fn a_foreground_job_reports_progress_and_esc_cancels_it() {
    use threadr::app::StatusKind;
    use threadr::jobs::{Job, JobError, JobMsg, JobOutput, Progress};
    let mut a = app(thread("Jobs", "alice hello\nbob world"));
    let (id, out) = a.spawn_job("Fetching example.org", true, |_| Ok(JobOutput::Nothing));
    assert_eq!(
        out.effects,
        vec![Effect::Spawn(Job::new(id, "Fetching example.org", |_| {
            Ok(JobOutput::Nothing)
        }))]
    );
    let step = a.on_job(JobMsg::Progress {
        id,
        progress: Progress {
            done: 1,
            total: Some(4),
        },
    });
    assert!(step.redraw, "foreground progress is shown");
    let shown = a.jobs.foreground().expect("running");
    assert_eq!(shown.progress.and_then(|p| p.percent()), Some(25));

    assert_eq!(run_keys(&mut a, "Esc"), vec![Effect::CancelJob(id)]);
    assert!(a.jobs.running().is_empty());
    assert_eq!(
        a.status.as_ref().unwrap().text,
        "Cancelled: Fetching example.org"
    );
    // What the cancelled job still says is dropped.
    let late = a.on_job(JobMsg::Done {
        id,
        result: Ok(JobOutput::Nothing),
    });
    assert!(!late.redraw);

    // A failure is a message naming the job; Esc with no job left is the usual Esc.
    let (id, _) = a.spawn_job("Fetching example.net", true, |_| Ok(JobOutput::Nothing));
    a.on_job(JobMsg::Done {
        id,
        result: Err(JobError::Failed("connection refused".into())),
    });
    let status = a.status.clone().unwrap();
    assert_eq!(status.kind, StatusKind::Warning);
    assert_eq!(status.text, "Fetching example.net: connection refused");
    assert!(run_keys(&mut a, "Esc").is_empty());
}

#[test]
fn every_hint_comes_from_the_keymap_as_keys() {
    use threadr::action::Action;
    use threadr::keymap::{Key, Keymap, Mode};
    let k = |s: &str| Key::parse(s).unwrap();

    // The default `/` is a key, not a separator: the hint names it.
    let mut a = app(thread("Hints", "alice hello\nbob world"));
    run_keys(&mut a, "n");
    assert_eq!(
        a.status.as_ref().unwrap().text,
        "No search yet: / starts one"
    );

    let mut keys = Keymap::default_keys();
    keys.rebind(None, Action::Help, &[k("h"), k("F2")], "keys.help")
        .unwrap();
    keys.rebind(None, Action::Search, &[k("/"), k("Ctrl-f")], "keys.search")
        .unwrap();
    let all = |m: Mode, a: Action| keys.keys(m, a).collect::<Vec<_>>();
    assert_eq!(all(Mode::Global, Action::Help), vec![k("h"), k("F2")]);
    assert_eq!(
        all(Mode::Comments, Action::Help),
        vec![k("F2")],
        "h folds in the comments, so it is no hint for help there"
    );
    assert_eq!(all(Mode::Article, Action::Help), vec![k("h"), k("F2")]);
    assert_eq!(keys.keys_for(Mode::Global, Action::Search), "//Ctrl-f");
    assert_eq!(keys.key(Mode::Comments, Action::Search), "/");
    assert!(
        all(Mode::List, Action::Search).is_empty(),
        "lists do not fall back to global keys"
    );
    assert_eq!(keys.key(Mode::List, Action::Search), "[search]");
    // Every hint, every mode, every action: each key offered runs that action there.
    for mode in Mode::ALL {
        for &action in Action::ALL {
            for key in keys.keys(mode, action) {
                assert_eq!(keys.lookup(mode, key), Some(action), "{mode:?} {key}");
            }
        }
    }

    let mut a = app(thread("Hints", "alice hello\nbob world"));
    a.keymap = keys;
    run_keys(&mut a, "n");
    assert_eq!(
        a.status.as_ref().unwrap().text,
        "No search yet: / starts one"
    );
    run_keys(&mut a, "&");
    assert_eq!(
        a.status.as_ref().unwrap().text,
        "Filter needs a search: / starts one"
    );
    run_keys(&mut a, "Z");
    assert_eq!(
        a.status.as_ref().unwrap().text,
        "Z does nothing here; F2 lists the keys"
    );
    run_keys(&mut a, "Tab Z");
    assert_eq!(
        a.status.as_ref().unwrap().text,
        "Z does nothing here; h/F2 lists the keys"
    );
    // The status bar's help hint is the keymap's too.
    let status_bar = |a: &mut threadr::app::App| {
        let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(100, 12)).unwrap();
        let layout = threadr::ui::layout(ratatui::layout::Rect::new(0, 0, 100, 12), a);
        a.set_viewport(layout.viewport);
        term.draw(|f| threadr::ui::draw(f, a, &threadr::theme::Theme::default()))
            .unwrap();
        let buf = term.backend().buffer();
        (0..100)
            .map(|x| buf[(x, 11)].symbol().to_string())
            .collect::<String>()
    };
    let article = status_bar(&mut a);
    assert!(article.trim_end().ends_with("· h help"), "{article}");
    run_keys(&mut a, "Tab");
    let comments = status_bar(&mut a);
    assert!(comments.trim_end().ends_with("· F2 help"), "{comments}");
    assert!(!comments.contains("? help"), "{comments}");
}

#[test]
fn nothing_in_the_app_names_the_ui() {
    // The app is state and update; drawing is the driver's business (issue 17, item 1).
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/app");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            // `ui::` as a path of its own, not the end of `ratatui::`.
            let names_ui = code.match_indices("ui::").any(|(i, _)| {
                !code[..i]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_alphanumeric() || c == '_')
            });
            assert!(
                !names_ui && !code.contains("crate::ui"),
                "{}:{} names ui: {line}",
                path.display(),
                n + 1
            );
        }
        checked += 1;
    }
    assert!(checked >= 10, "read the app's files ({checked})");
}
