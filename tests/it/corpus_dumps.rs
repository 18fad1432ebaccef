//! Issue 11: the shared `WordPress` pages of `THREADR_CORPUS/html/`, dumped here by the real
//! lynx and w3m, read as the same tree (count, parent of every comment) with the same
//! authors (pingbacks marked) and title as threadr's HTML reader gives for the page (which
//! `corpus_html` checks against an independent reading of the markup). Skips with a note when `THREADR_CORPUS` is unset
//! or a browser is not installed (`apt-get install lynx w3m`). The Hacker News page is here
//! too: its dumps lose the indentation, and its tree comes from lynx's link targets and
//! w3m's `root | parent | prev` navigation words (see the README).

use std::path::Path;
use std::process::Command;

use crate::common::corpus::corpus;
use threadr::format::{InputFormat, load};
use threadr::model::{CommentIdx, Marks, Thread};

const PAGES: &[&str] = &[
    "foxyfolksy.com.buttercream.html",
    "youhadmeatgardening.com.lemon.html",
    "lemire.me.json.html",
    "californiaglobe.com.amazon.html",
    "www.thepoliticalinsider.com.html",
    "postlight_hn_36817231_best_papers.html",
];

/// (parent, author, whether it is a pingback) per comment.
fn tree(t: &Thread) -> Vec<(Option<usize>, Option<String>, bool)> {
    t.comments
        .iter()
        .map(|c| {
            (
                c.parent.map(CommentIdx::get),
                c.author.as_deref().map(str::to_string),
                c.marks.contains(Marks::PINGBACK),
            )
        })
        .collect()
}

/// The dump `browser` makes of `page` at 80 columns, or `None` when it is not installed.
fn dump(browser: &str, page: &Path) -> Option<Vec<u8>> {
    let mut cmd = Command::new(browser);
    match browser {
        "lynx" => cmd.args(["-dump", "-width=80", "-display_charset=utf-8"]),
        _ => cmd.args([
            "-dump",
            "-cols",
            "80",
            "-T",
            "text/html",
            "-o",
            "display_charset=UTF-8",
        ]),
    };
    let out = cmd.arg(page).env("LC_ALL", "C.UTF-8").output().ok()?;
    assert!(
        out.status.success(),
        "{browser} failed on {}",
        page.display()
    );
    Some(out.stdout)
}

#[test]
fn lynx_and_w3m_dumps_of_the_shared_pages_read_as_the_html_does() {
    let Some(dir) = corpus() else { return };
    let mut checked = 0;
    for file in PAGES {
        let page = dir.join("html").join(file);
        let html = std::fs::read(&page).unwrap_or_else(|e| panic!("{}: {e}", page.display()));
        let from_html = load(&html, file, None).unwrap();
        let want = tree(&from_html);
        assert!(!want.is_empty(), "{file}");
        for (browser, format) in [("lynx", InputFormat::Lynx), ("w3m", InputFormat::W3m)] {
            let Some(text) = dump(browser, &page) else {
                println!("corpus_dumps: {browser} is not installed, skipped");
                continue;
            };
            let t = load(&text, file, None).unwrap_or_else(|e| panic!("{browser} {file}: {e}"));
            assert_eq!(
                threadr::format::detect(&String::from_utf8_lossy(&text)),
                format,
                "{browser} {file}"
            );
            assert_eq!(tree(&t), want, "{browser} dump of {file}");
            // Where the dump's title is the page's, it is all of it, even where the browser
            // wrapped the comments heading naming it (not a cut first line).
            if let (Some(got), Some(full)) = (&t.title, &from_html.title)
                && full.starts_with(got.as_str())
            {
                assert_eq!(got, full, "{browser} dump of {file}: title");
            }
            assert!(
                t.warnings.iter().all(|w| !w.contains("comments;")),
                "{browser} {file}: {:?}",
                t.warnings
            );
            checked += 1;
        }
    }
    println!("corpus_dumps: {checked} dumps checked");
}

/// The Hacker News page's lynx dump opens with `[1]` link marks and has a References entry
/// with spaces in its URL: it is a lynx dump (the story as the article, keyed as the HTML
/// page and the API export are), never a JSON error.
#[test]
fn the_hacker_news_page_dump_is_not_taken_for_json() {
    let Some(dir) = corpus() else { return };
    let page = dir
        .join("html")
        .join("postlight_hn_36817231_best_papers.html");
    let Some(text) = dump("lynx", &page) else {
        println!("corpus_dumps: lynx is not installed, skipped");
        return;
    };
    assert!(String::from_utf8_lossy(&text).trim_start().starts_with('['));
    assert_eq!(
        threadr::format::detect(&String::from_utf8_lossy(&text)),
        InputFormat::Lynx
    );
    let t = load(&text, "hn.lynx.txt", None).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        t.title
            .as_deref()
            .is_some_and(|t| t.contains("best papers")),
        "{:?}",
        t.title
    );
    assert_eq!(t.key, "hn:36817231");
}
