//! Several processes on one reader's files: concurrent writers, and a writer killed mid-save.
//!
//! The child processes are this test binary itself, started with a filter that runs only
//! `helper_child_process` and an environment variable that tells it what to do.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use threadr::model::{Body, CommentDraft, CommentIdx, Thread, ThreadBuilder};
use threadr::store::{Bookmarks, Reader, Store, resolve_reader};

const ROLE: &str = "THREADR_STORE_TEST_ROLE";
const WHO: &str = "THREADR_STORE_TEST_WHO";
const PER_WRITER: usize = 200;
const WRITERS: usize = 2;

fn big_thread() -> Thread {
    let mut b = ThreadBuilder::new();
    b.source_key = Some("test:processes".into());
    b.title = Some("Many hands".into());
    for i in 0..PER_WRITER * WRITERS {
        b.push(
            None,
            CommentDraft {
                source_id: Some(format!("c{i}")),
                author: Some(format!("author{i}")),
                body: Body::from_plain(&format!("comment number {i}")),
                ..CommentDraft::default()
            },
        );
    }
    b.finish()
}

/// Not a test by itself: the body of the child processes (does nothing without `ROLE`).
#[test]
fn helper_child_process() {
    let Ok(role) = std::env::var(ROLE) else {
        return;
    };
    let env = threadr::config::Env::from_process();
    let store = Store::open(resolve_reader(None, &env).unwrap()).unwrap();
    let thread = big_thread();
    let mut bm = Bookmarks::load(&store).value;
    match role.as_str() {
        "writer" => {
            let who: usize = std::env::var(WHO).unwrap().parse().unwrap();
            for i in 0..PER_WRITER {
                let idx = CommentIdx((who * PER_WRITER + i) as u32);
                let change = bm.toggle(&thread, "/t/many.json", Some(idx)).unwrap();
                assert!(change.bookmarked, "comment {idx:?} was already bookmarked");
            }
        }
        "looper" => {
            for n in 0.. {
                bm.toggle(&thread, "/t/many.json", Some(CommentIdx(0)))
                    .unwrap();
                if n == 0 {
                    println!("READY");
                }
            }
        }
        other => panic!("unknown role {other}"),
    }
}

fn spawn(root: &Path, role: &str, who: usize) -> Child {
    Command::new(std::env::current_exe().unwrap())
        .args([
            "store_processes::helper_child_process",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(ROLE, role)
        .env(WHO, who.to_string())
        .env("THREADR_DATA_DIR", root)
        .env("THREADR_READER", "shared")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn reader_store(root: &Path) -> Store {
    Store::open_in(root, Reader::new("shared").unwrap()).unwrap()
}

#[test]
fn two_processes_bookmarking_at_once_lose_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let start = Instant::now();
    let children: Vec<Child> = (0..WRITERS)
        .map(|w| spawn(tmp.path(), "writer", w))
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "writer failed: {}",
            String::from_utf8_lossy(&out.stdout) + String::from_utf8_lossy(&out.stderr)
        );
    }
    eprintln!(
        "{WRITERS} processes x {PER_WRITER} bookmarks: {:?}",
        start.elapsed()
    );
    let store = reader_store(tmp.path());
    let loaded = Bookmarks::load(&store);
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    let thread = big_thread();
    let att = loaded.value.attach(&thread);
    assert_eq!(att.count(), PER_WRITER * WRITERS, "bookmarks were lost");
    assert!(thread.indices().all(|i| att.is_marked(i)));
    assert_eq!(leftovers(store.dir()), Vec::<String>::new());
}

/// A file with many bookmarks, so that every save of it takes a while to write.
fn seed(store: &Store, n: usize) {
    let bookmarks: Vec<serde_json::Value> = (0..n)
        .map(|i| {
            serde_json::json!({
                "comment": format!("seed{i}"),
                "author": "seeder",
                "snippet": "x".repeat(100),
                "note": format!("note {i} {}", "y".repeat(100)),
                "created": "2020-01-01T00:00:00Z",
            })
        })
        .collect();
    let file = serde_json::json!({
        "version": 1,
        "threads": [{"key": "test:processes", "title": "Many hands", "source": "/t/many.json",
                     "bookmarks": bookmarks}],
    });
    std::fs::write(
        store.bookmarks_file("test:processes"),
        serde_json::to_vec_pretty(&file).unwrap(),
    )
    .unwrap();
}

fn wait_ready(child: &mut Child) {
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            // The harness prints "test helper_child_process ... " on the same line.
            if line.ends_with("READY") {
                let _ = tx.send(());
            }
        }
    });
    rx.recv_timeout(Duration::from_mins(1))
        .expect("the child never saved once");
}

#[test]
fn a_process_killed_while_saving_leaves_the_old_or_the_new_file() {
    const SEEDED: usize = 2000;
    const KILLS: u64 = 18;
    let tmp = tempfile::tempdir().unwrap();
    let store = reader_store(tmp.path());
    seed(&store, SEEDED);
    let path = store.bookmarks_file("test:processes");
    let tmp_file = path.with_file_name(format!(
        ".{}.tmp",
        path.file_name().unwrap().to_string_lossy()
    ));
    let mut killed_mid_write = 0;
    for round in 0..KILLS {
        let mut child = spawn(tmp.path(), "looper", 0);
        wait_ready(&mut child);
        let deadline = Instant::now() + Duration::from_secs(5);
        match round % 3 {
            0 => {
                // Kill as soon as a temp file appears, i.e. while it is being written.
                while !tmp_file.exists() && Instant::now() < deadline {
                    std::hint::spin_loop();
                }
            }
            1 => {
                // Kill as soon as the file changes: for a writer that rewrote it in place
                // this is mid-write; for ours it is just after the rename.
                let before = fingerprint(&path);
                while fingerprint(&path) == before && Instant::now() < deadline {
                    std::hint::spin_loop();
                }
            }
            _ => std::thread::sleep(Duration::from_millis(round * 7 % 45)),
        }
        child.kill().unwrap();
        child.wait().unwrap();
        if tmp_file.exists() {
            killed_mid_write += 1;
        }
        // Whatever the moment, the file is the old or the new version: it parses, and it
        // holds the seeded bookmarks plus or minus the one being toggled.
        let peeked = Bookmarks::peek(&store).unwrap_or_else(|e| panic!("round {round}: {e}"));
        let n = peeked.value.len();
        assert!(
            n == SEEDED || n == SEEDED + 1,
            "round {round}: {n} bookmarks"
        );
        assert!(peeked.warnings.is_empty());
    }
    eprintln!("{KILLS} kills, {killed_mid_write} of them left a half-written temp file");
    assert!(
        killed_mid_write > 0,
        "no kill landed during a write: the test did not test anything"
    );
    // The next save replaces any stale temp file: none pile up.
    let mut bm = Bookmarks::load(&store).value;
    bm.toggle(&big_thread(), "/t/many.json", Some(CommentIdx(1)))
        .unwrap();
    assert_eq!(leftovers(store.dir()), Vec::<String>::new());
    assert!(!path.with_file_name("bookmarks.json.corrupt").exists());
}

/// What changes when a file is rewritten or replaced.
fn fingerprint(path: &Path) -> Option<(u64, std::time::SystemTime, u64)> {
    let meta = std::fs::metadata(path).ok()?;
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(&meta);
    #[cfg(not(unix))]
    let inode = 0;
    Some((meta.len(), meta.modified().ok()?, inode))
}

/// Files in a reader's folder other than the lock and the two folders, and files in the
/// bookmarks folder other than bookmarks (temp files, files moved aside).
fn leftovers(dir: &Path) -> Vec<String> {
    let names = |d: &Path| -> Vec<String> {
        std::fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect()
    };
    let mut v: Vec<String> = names(dir)
        .into_iter()
        .filter(|n| !matches!(n.as_str(), ".lock" | "bookmarks" | "state"))
        .chain(names(&dir.join("bookmarks")).into_iter().filter(|n| {
            !(n.len() == 21
                && !n.starts_with('.')
                && Path::new(n).extension() == Some("json".as_ref()))
        }))
        .collect();
    v.sort();
    v
}
