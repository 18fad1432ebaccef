//! The real saved pages of `THREADR_CORPUS/html/` (see its README) read with the tree and
//! authors their HTML shows. The expected tree is read here independently of threadr's
//! reader, with regular expressions over the markup: `WordPress` writes each comment as an
//! `<li id="comment-N" class="comment … depth-K">` (the parent is the last comment one level
//! up) with its author in the first `class="fn"` element; Hacker News writes each comment as
//! `<tr class="athing comtr" id="N">` with `indent="K"` and `class="hnuser"`. Unset
//! `THREADR_CORPUS`: the test says it is skipped and passes.

use std::path::PathBuf;

use regex::Regex;
use threadr::format::{InputFormat, detect, load};

/// (parent index, author) per comment, in document order.
type Tree = Vec<(Option<usize>, Option<String>)>;

fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("THREADR_CORPUS").map(PathBuf::from)?;
    Some(dir.join("html"))
}

fn decode(s: &str) -> String {
    let tags = Regex::new(r"<[^>]*>").unwrap();
    let text = tags.replace_all(s, "");
    let ent = Regex::new(r"&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos|nbsp);").unwrap();
    let text = ent.replace_all(&text, |c: &regex::Captures<'_>| {
        let e = &c[1];
        let ch = if let Some(h) = e.strip_prefix("#x") {
            u32::from_str_radix(h, 16).ok().and_then(char::from_u32)
        } else if let Some(d) = e.strip_prefix('#') {
            d.parse().ok().and_then(char::from_u32)
        } else {
            Some(match e {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                _ => ' ',
            })
        };
        ch.map_or_else(String::new, String::from)
    });
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn parents_from_levels(levels: &[usize]) -> Vec<Option<usize>> {
    let mut path: Vec<usize> = Vec::new();
    levels
        .iter()
        .enumerate()
        .map(|(i, &l)| {
            path.truncate(l);
            let p = path.last().copied();
            path.push(i);
            p
        })
        .collect()
}

fn wordpress_tree(html: &str) -> Tree {
    let li = Regex::new(r"<li\s[^>]*>").unwrap();
    let id = Regex::new(r#"id=["']comment-\d+["']"#).unwrap();
    let class = Regex::new(r#"class=["']([^"']*)["']"#).unwrap();
    let author = Regex::new(r#"(?s)class=["']fn["'][^>]*>(.*?)</(?:b|cite|span)>"#).unwrap();
    let mut starts = Vec::new();
    for m in li.find_iter(html) {
        let tag = m.as_str();
        let Some(classes) = class.captures(tag).map(|c| c[1].to_string()) else {
            continue;
        };
        let words: Vec<&str> = classes.split_whitespace().collect();
        let kind = words
            .iter()
            .find(|w| matches!(**w, "comment" | "pingback" | "trackback"));
        let depth = words
            .iter()
            .find_map(|w| w.strip_prefix("depth-")?.parse::<usize>().ok());
        if let (Some(kind), Some(depth), true) = (kind, depth, id.is_match(tag)) {
            starts.push((m.end(), *kind == "comment", depth - 1));
        }
    }
    let levels: Vec<usize> = starts.iter().map(|s| s.2).collect();
    let parents = parents_from_levels(&levels);
    starts
        .iter()
        .enumerate()
        .map(|(i, &(at, is_comment, _))| {
            let end = starts.get(i + 1).map_or(html.len(), |s| s.0);
            let name = is_comment
                .then(|| author.captures(&html[at..end]).map(|c| decode(&c[1])))
                .flatten();
            (parents[i], name)
        })
        .collect()
}

fn hn_tree(html: &str) -> Tree {
    let row = Regex::new(r#"<tr class=["']athing comtr["'] id=["'](\d+)["']"#).unwrap();
    let indent = Regex::new(r#"indent=["'](\d+)["']"#).unwrap();
    let user = Regex::new(r#"class=["']hnuser["']>([^<]+)<"#).unwrap();
    let starts: Vec<usize> = row.find_iter(html).map(|m| m.end()).collect();
    let mut levels = Vec::new();
    let mut authors = Vec::new();
    for (i, &at) in starts.iter().enumerate() {
        let seg = &html[at..starts.get(i + 1).copied().unwrap_or(html.len())];
        levels.push(indent.captures(seg).map_or(0, |c| c[1].parse().unwrap()));
        authors.push(user.captures(seg).map(|c| decode(&c[1])));
    }
    parents_from_levels(&levels)
        .into_iter()
        .zip(authors)
        .collect()
}

/// (file, comments, top-level) from the folder's README, checked against the reading too.
const PAGES: &[(&str, usize, usize)] = &[
    ("foxyfolksy.com.buttercream.html", 80, 39),
    ("youhadmeatgardening.com.lemon.html", 25, 14),
    ("lemire.me.json.html", 5, 3),
    ("californiaglobe.com.amazon.html", 20, 18),
    ("www.thepoliticalinsider.com.html", 14, 10),
    ("postlight_hn_36817231_best_papers.html", 100, 58),
];

#[test]
fn every_saved_page_reads_with_the_tree_and_authors_its_html_shows() {
    let Some(dir) = corpus() else {
        eprintln!("THREADR_CORPUS is not set: skipping the saved-page corpus");
        return;
    };
    for &(file, count, top) in PAGES {
        let path = dir.join(file);
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let html = String::from_utf8_lossy(&bytes);
        let want = if file.contains("_hn_") {
            hn_tree(&html)
        } else {
            wordpress_tree(&html)
        };
        assert_eq!(want.len(), count, "{file}: the independent reading");
        assert_eq!(
            want.iter().filter(|(p, _)| p.is_none()).count(),
            top,
            "{file}"
        );
        assert_eq!(detect(&html), InputFormat::Html, "{file}");
        let t = load(&bytes, file, None).unwrap();
        let got: Tree = t
            .comments
            .iter()
            .map(|c| {
                (
                    c.parent.map(threadr::model::CommentIdx::get),
                    c.author.as_deref().map(str::to_string),
                )
            })
            .collect();
        assert_eq!(got, want, "{file}");
        assert!(t.title.is_some(), "{file}");
        assert!(
            !t.body.plain_text().contains("</"),
            "{file}: markup in the article"
        );
        assert!(
            t.comments
                .iter()
                .all(|c| !c.body.plain_text().contains("Reply")),
            "{file}"
        );
    }
}

#[test]
fn pingbacks_of_the_saved_page_have_no_author() {
    let Some(dir) = corpus() else { return };
    let bytes = std::fs::read(dir.join("californiaglobe.com.amazon.html")).unwrap();
    let t = load(&bytes, "p", None).unwrap();
    let pings = t
        .comments
        .iter()
        .filter(|c| c.body.plain_text().starts_with("Pingback:"))
        .count();
    assert_eq!(pings, 8);
    assert!(t.comments.iter().filter(|c| c.author.is_none()).count() == 8);
}
