//! The bookmarks file read by a job at start (issue 17): the reader is usable at once, the
//! list says the bookmarks are loading, no change is made on the empty copy, and nothing
//! saved is lost when they arrive.

use std::sync::Arc;

use crate::common;

use common::{app, thread};
use threadr::app::{App, Effect, Message, Overlay, StoreBackend, run_keys_with};
use threadr::driver::DiskStore;
use threadr::jobs::Runner;
use threadr::store::{Reader, Store};

const SPEC: &str = "
alice first
. bob reply
carol second
";

fn store(dir: &std::path::Path) -> Store {
    Store::open_in(dir, Reader::new("tester").unwrap()).unwrap()
}

fn list_text(a: &App) -> Vec<String> {
    match &a.overlay {
        Overlay::List(view) => view.entries.iter().map(|e| e.text.clone()).collect(),
        other => panic!("no list open: {other:?}"),
    }
}

/// Runs the app's spawned jobs on a real runner and feeds their messages back, performing
/// the store effects they lead to on `disk`, as the driver does (10 s at most: a hang fails).
fn run_jobs(a: &mut App, disk: &mut DiskStore, effects: Vec<Effect>) {
    let mut runner = Runner::new();
    for e in effects {
        if let Effect::Spawn(job) = e {
            runner.spawn(job);
        }
    }
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while runner.is_busy() {
        assert!(
            std::time::Instant::now() < deadline,
            "the job never finished"
        );
        if let Some(msg) = runner.recv_timeout(std::time::Duration::from_millis(50)) {
            for effect in a.handle(Message::Job(msg)).effects {
                let Effect::Store(op) = effect else {
                    panic!("{effect:?}")
                };
                let source = a.library.as_ref().unwrap().source.clone();
                let done = disk.perform(&a.thread, &source, &op);
                a.store_done(&op, done);
            }
        }
    }
}

#[test]
fn bookmarks_arrive_from_a_job_and_nothing_is_lost() {
    let dir = tempfile::tempdir().unwrap();
    // An earlier session bookmarked bob.
    {
        let mut a = app(thread("Saved", SPEC));
        let (mut disk, files) = DiskStore::open(store(dir.path()), &a.thread);
        a.attach_library(files, "saved.txt".into(), true);
        run_keys_with(&mut a, &mut disk, "j m");
        assert_eq!(a.library.as_ref().unwrap().attached.count(), 1);
    }
    let mut a = app(thread("Saved", SPEC));
    let (mut disk, files, load) =
        DiskStore::open_deferred(store(dir.path()), Arc::clone(&a.thread));
    a.attach_library(files, "saved.txt".into(), true);
    let out = a.load_bookmarks(load);
    assert!(
        matches!(&out.effects[..], [Effect::Spawn(job)] if job.label == "Reading bookmarks"),
        "{:?}",
        out.effects
    );
    assert!(
        a.jobs.foreground().is_none(),
        "a background job: the reader reads on"
    );
    // Before the job is done: the reader moves, the list says so, a change waits.
    let effects = run_keys_with(&mut a, &mut disk, "j j '");
    assert!(effects.is_empty(), "{effects:?}");
    let shown = list_text(&a);
    assert!(
        shown.iter().any(|t| t.contains("still reading")),
        "{shown:?}"
    );
    let effects = run_keys_with(&mut a, &mut disk, "Esc m");
    assert!(effects.is_empty(), "{effects:?}");
    let status = a.status.as_ref().unwrap().text.clone();
    assert!(status.contains("still loading"), "{status}");
    assert_eq!(a.library.as_ref().unwrap().attached.count(), 0);
    // The job reports: bob's bookmark is there, the `m` made meanwhile is done on top of
    // it, the open list fills in.
    run_keys_with(&mut a, &mut disk, "'");
    run_jobs(&mut a, &mut disk, out.effects);
    assert!(!a.library.as_ref().unwrap().loading);
    assert_eq!(a.library.as_ref().unwrap().attached.count(), 2);
    let status = a.status.as_ref().unwrap().text.clone();
    assert!(status.contains("Bookmarked this comment"), "{status}");
    let shown = list_text(&a);
    assert!(
        shown.iter().any(|t| t.contains("bob")) && shown.iter().any(|t| t.contains("carol")),
        "{shown:?}"
    );
    let mut again = app(thread("Saved", SPEC));
    let (_, files) = DiskStore::open(store(dir.path()), &again.thread);
    again.attach_library(files, "saved.txt".into(), true);
    assert_eq!(
        again.library.as_ref().unwrap().attached.count(),
        2,
        "both on disk"
    );
}
