//! Text-browser dumps of a Hacker News item page: our own `tests/fixtures/browser/hn_item.html`
//! (from `gen_hn.py`, five levels of replies) and its lynx and w3m dumps (`dump.sh`) must read
//! as the tree, authors and key the HTML page reader gives, though neither browser keeps the
//! page's indentation (lynx's link targets and the navigation words carry it).

use threadr::format::{self, InputFormat};
use threadr::model::{CommentIdx, Thread};

fn fixture(name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/browser/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn load(text: &str, name: &str) -> Thread {
    format::load(text.as_bytes(), name, None).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// (parent, author) per comment.
fn tree(t: &Thread) -> Vec<(Option<usize>, Option<String>)> {
    t.comments
        .iter()
        .map(|c| {
            (
                c.parent.map(CommentIdx::get),
                c.author.as_deref().map(str::to_string),
            )
        })
        .collect()
}

#[test]
fn hn_item_dumps_read_as_the_page_does() {
    let page = load(&fixture("hn_item.html"), "hn_item.html");
    let named = |p: Option<usize>, a: &str| (p, Some(a.to_string()));
    let want = vec![
        named(None, "ada"),
        named(Some(0), "bo"),
        named(Some(1), "cy"),
        named(Some(2), "di"),
        named(Some(3), "eve"),
        named(Some(0), "fay"),
        named(None, "ga"),
        named(Some(6), "hu"),
        named(Some(6), "ivo"),
        named(Some(8), "jo"),
        named(Some(8), "ka"),
        named(None, "lu"),
    ];
    assert_eq!(tree(&page), want, "the HTML page itself");
    assert_eq!(page.key, "hn:4100");
    for (kind, format) in [
        ("lynx", InputFormat::Lynx),
        ("lynx-nolist", InputFormat::Lynx),
        ("w3m", InputFormat::W3m),
        ("w3m-ascii", InputFormat::W3m),
        ("w3m-links", InputFormat::W3m),
    ] {
        let name = format!("hn_item.{kind}.txt");
        let text = fixture(&name);
        assert_eq!(format::detect(&text), format, "{name}");
        let t = load(&text, &name);
        assert_eq!(tree(&t), want, "{name}");
        assert_eq!(
            t.title.as_deref(),
            Some("Ask HN: Is chain wax worth it?"),
            "{name}"
        );
        assert_eq!(t.author.as_deref(), Some("rider"), "{name}");
        assert!(
            t.body.plain_text().contains("Is it worth the effort?"),
            "{name}"
        );
        if kind.starts_with("lynx") && kind != "lynx-nolist" || kind == "w3m-links" {
            assert_eq!(t.key, "hn:4100", "{name}");
        }
        let ada = t.comments[0].body.plain_text();
        assert!(
            ada.starts_with("Waxed chains stay clean for months."),
            "{name}: {ada}"
        );
        assert!(ada.contains("3000 km"), "{name}: {ada}");
        for c in &t.comments {
            let text = c.body.plain_text();
            for junk in ["reply", "[s.gif]", "[s]", "[–]", "ago |"] {
                assert!(!text.contains(junk), "{name}: {junk:?} in {text:?}");
            }
        }
    }
}

/// Without link targets the navigation words cannot tell how far a `prev` reply at level
/// two or deeper climbs back after a deeper sub-thread: it is read as a sibling of the
/// comment before it (the README says so). Level 0 and 1 are always exact.
#[test]
fn navigation_words_alone_place_a_deep_sibling_next_to_the_comment_before_it() {
    let text = "Hacker News new | submit\n\n  Ask HN: x\n  1 points by op 1 day ago | 4 comments\n\n\
                \n  a 1 day ago | next [–]\n\n  one\n\n  reply\n\
                \n    b 1 day ago | parent | next [–]\n\n    two\n\n    reply\n\
                \n    c 1 day ago | root | parent | next [–]\n\n    three\n\n    reply\n\
                \n    d 1 day ago | root | parent | next [–]\n\n    four\n\n    reply\n\
                \n    e 1 day ago | root | parent | prev | next [–]\n\n    five\n\n    reply\n\
                \n    f 1 day ago | parent | prev [–]\n\n    six\n\n    reply\n";
    let t = format::browser::parse(text, "t", InputFormat::W3m).unwrap();
    let parents: Vec<Option<usize>> = t
        .comments
        .iter()
        .map(|c| c.parent.map(CommentIdx::get))
        .collect();
    // e may be c's sibling (parent b) or d's (parent c): it is taken as d's.
    assert_eq!(parents, [None, Some(0), Some(1), Some(2), Some(2), Some(0)]);
}
