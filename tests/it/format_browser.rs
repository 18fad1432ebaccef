//! Text-browser dumps (lynx, w3m) of our own WordPress-like pages in
//! `tests/fixtures/browser/`: the HTML is written by hand (`thoughts_ol.html`) or by
//! `gen_pages.py`, and `dump.sh` made the dumps with the real browsers. Each dump must read
//! back as the tree the HTML was built with.

use std::fmt::Write as _;

use threadr::format::{self, InputFormat, browser};
use threadr::model::{BlockKind, Marks, SpanStyle, Thread};

fn fixture(name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/browser/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn load(name: &str) -> Thread {
    format::load(fixture(name).as_bytes(), name, None).unwrap_or_else(|e| panic!("{e}"))
}

/// The five dumps of a page and the format each must be detected as.
fn dumps(page: &str) -> Vec<(String, InputFormat)> {
    [
        ("lynx", InputFormat::Lynx),
        ("lynx-nolist", InputFormat::Lynx),
        ("w3m", InputFormat::W3m),
        ("w3m-ascii", InputFormat::W3m),
        ("w3m-links", InputFormat::W3m),
    ]
    .into_iter()
    .map(|(kind, f)| (format!("{page}.{kind}.txt"), f))
    .collect()
}

/// Dumps whose links carry URLs (lynx's References list, w3m's with link numbers).
fn has_urls(name: &str) -> bool {
    name.ends_with(".lynx.txt") || name.ends_with(".w3m-links.txt")
}

/// (author, parent's index) per comment in document order; depth follows from parents.
type Shape = [(Option<&'static str>, Option<usize>)];

fn assert_shape(name: &str, t: &Thread, expected: &Shape) {
    let got: Vec<(Option<String>, Option<usize>)> = t
        .comments
        .iter()
        .map(|c| {
            (
                c.author.clone().map(String::from),
                c.parent.map(threadr::model::CommentIdx::get),
            )
        })
        .collect();
    let want: Vec<(Option<String>, Option<usize>)> = expected
        .iter()
        .map(|(a, p)| (a.map(str::to_string), *p))
        .collect();
    assert_eq!(got, want, "{name}: authors and parents");
    for (i, c) in t.comments.iter().enumerate() {
        let depth = expected[i].1.map_or(0, |p| t.comments[p].depth + 1);
        assert_eq!(c.depth, depth, "{name}: depth of comment {i}");
    }
}

fn all_text(t: &Thread) -> String {
    let mut out = t.body.plain_text();
    for c in &t.comments {
        out.push('\n');
        out.push_str(c.author.as_deref().unwrap_or(""));
        out.push('\n');
        out.push_str(&c.body.plain_text());
    }
    out
}

/// No `Reply` line, References list, link mark or page furniture after the comments.
fn assert_clean(name: &str, t: &Thread) {
    let text = all_text(t);
    for gone in [
        "References",
        "Visible links",
        "replytocom",
        "Leave a",
        "Post Comment",
        "powered by",
        "Recent Posts",
        "[1]",
        "[2]",
    ] {
        assert!(!text.contains(gone), "{name}: {gone:?} should be gone");
    }
    for c in &t.comments {
        for block in &c.body.blocks {
            assert!(
                !block.text.lines().any(|l| l.trim() == "Reply"),
                "{name}: a Reply line survived in {:?}",
                block.text
            );
        }
    }
}

fn comment_by<'t>(t: &'t Thread, author: &str) -> &'t threadr::model::Comment {
    t.comments
        .iter()
        .find(|c| c.author.as_deref() == Some(author))
        .unwrap_or_else(|| panic!("no comment by {author}"))
}

const THOUGHTS: &Shape = &[
    (Some("Marta Quintero"), None),
    (Some("Owen Pike"), Some(0)),
    (Some("Marta Quintero"), Some(1)),
    (Some("Tobias Lindqvist"), Some(0)),
    (Some("Priya N."), None),
    (None, None),
];

#[test]
fn thoughts_ol_reads_as_built_in_every_dump() {
    for (name, expected_format) in dumps("thoughts_ol") {
        let text = fixture(&name);
        assert_eq!(browser::detect(&text), Some(expected_format), "{name}");
        assert_eq!(format::detect(&text), expected_format, "{name}");
        let t = load(&name);
        assert_shape(&name, &t, THOUGHTS);
        assert_clean(&name, &t);
        assert!(t.warnings.is_empty(), "{name}: {:?}", t.warnings);
        assert_eq!(
            t.title.as_deref(),
            Some("Keeping a sourdough starter alive through a heatwave"),
            "{name}"
        );

        let dates: Vec<String> = t
            .comments
            .iter()
            .map(|c| {
                c.created
                    .as_ref()
                    .map(threadr::model::Timestamp::to_rfc3339)
                    .unwrap_or_default()
            })
            .collect();
        assert_eq!(
            dates,
            [
                "July 24, 2019 at 10:12 am",
                "July 24, 2019 at 11:40 am",
                "July 25, 2019 at 7:05 am",
                "July 24, 2019 at 3:28 pm",
                "July 26, 2019 at 9:47 pm",
                "",
            ],
            "{name}"
        );

        // The article keeps its own lists; the comments start after the heading.
        let items: Vec<(&str, &str)> = t
            .body
            .blocks
            .iter()
            .filter_map(|b| match &b.kind {
                BlockKind::ListItem { marker, .. } => Some((marker.as_str(), b.text.as_str())),
                _ => None,
            })
            .collect();
        assert_eq!(
            items.len(),
            3 + 3 + 2,
            "{name}: menu, steps, bullets: {items:?}"
        );
        assert_eq!(
            items[3],
            (
                "1.",
                "Fed twice a day instead of once, at a ratio of 1:5:5 rather than 1:1:1."
            ),
            "{name}"
        );
        assert_eq!(items[5].0, "3.");
        assert!(items[7].1.starts_with("Trusting the "), "{name}");
        assert!(
            items[7]
                .1
                .ends_with("rule, which assumes a much cooler room."),
            "{name}: wrapped item joined: {:?}",
            items[7].1
        );
        assert!(!t.body.plain_text().contains("says:"), "{name}");

        // Comment bodies: reflowed, quote kept as a quote, list inside a comment kept.
        let marta = &t.comments[0].body;
        // w3m separates the paragraphs by a blank line, lynx only by a line break.
        assert_eq!(
            marta.plain_text().replace("\n\n", "\n"),
            "The fridge water trick saved mine too. I would add one thing: a wider jar. \
             The extra surface lets it breathe and it peaks more slowly.\n\
             I wrote about the jar swap on my own blog last August.",
            "{name}"
        );
        let owen = &t.comments[1].body;
        assert_eq!(owen.blocks[0].quote_depth, 1, "{name}: {:?}", owen.blocks);
        assert_eq!(owen.blocks[0].text, "a wider jar", "{name}");
        assert_eq!(owen.blocks[1].quote_depth, 0, "{name}");
        let priya = &t.comments[4].body;
        let priya_items: Vec<&str> = priya
            .blocks
            .iter()
            .filter(|b| matches!(b.kind, BlockKind::ListItem { .. }))
            .map(|b| b.text.as_str())
            .collect();
        assert_eq!(
            priya_items,
            [
                "a cool bag with one ice pack, swapped morning and night",
                "rye instead of white flour for the feeds"
            ],
            "{name}"
        );
        assert!(
            priya
                .plain_text()
                .ends_with("And one that did not: the cellar, which smelled of paint."),
            "{name}"
        );
        assert_eq!(
            t.comments[5].body.plain_text(),
            "Pingback: Weekly loaf links, issue 31",
            "{name}"
        );
        // Marked as the HTML reader marks `li.pingback`, so it is not a deleted author.
        let pingbacks: Vec<bool> = t
            .comments
            .iter()
            .map(|c| c.marks.contains(Marks::PINGBACK))
            .collect();
        assert_eq!(
            pingbacks,
            [false, false, false, false, false, true],
            "{name}"
        );

        // Links: URLs from the References list, only where the dump has them.
        let links: Vec<(&str, &str)> = t
            .comments
            .iter()
            .flat_map(|c| c.body.links.iter())
            .map(|l| (l.text.as_str(), l.url.as_str()))
            .collect();
        if has_urls(&name) {
            assert_eq!(
                links,
                [
                    ("on", "https://marta-bakes.example/jars"),
                    ("Weekly", "https://weekly-loaf.example/links-31/")
                ],
                "{name}"
            );
            let span = &marta.blocks.last().unwrap().spans[0];
            assert_eq!(span.style, SpanStyle::Link(0));
            assert_eq!(&marta.blocks.last().unwrap().text[span.range.clone()], "on");
            assert!(
                t.body.links.iter().any(|l| l.url
                    == "https://microbes.example/lactobacillus-temperature"
                    && l.text == "notes"),
                "{name}: {:?}",
                t.body.links
            );
        } else {
            assert!(links.is_empty(), "{name}: {links:?}");
        }
    }
}

const DEEP_UL: &Shape = &[
    (Some("Ada Brandt"), None),
    (Some("Bram Okafor"), Some(0)),
    (Some("Cleo Martin"), Some(1)),
    (Some("Dev Raman"), Some(2)),
    (Some("Edda Sørensen"), Some(3)),
    (Some("Femi Adeyemi"), Some(4)),
    (Some("Gus Lindahl"), Some(5)),
    (Some("Hana Kobayashi"), Some(6)),
    (Some("Ivo Petrov"), Some(7)),
    (Some("Jun Takeda"), Some(8)),
    (Some("Kai Müller"), Some(9)),
    (Some("Lin Zhao"), Some(10)),
    (Some("Mika Virtanen"), Some(9)),
    (Some("Mo Haddad"), Some(7)),
    (Some("Nell Byrne"), Some(5)),
    (Some("Otto Weiss"), None),
    (Some("Pia Conti"), Some(15)),
];

/// Past six levels lynx stops indenting, and past nine w3m stops indenting the text:
/// the bullet tells the levels apart.
#[test]
fn deep_bullets_read_as_built_past_the_indentation_limit() {
    for (name, expected_format) in dumps("deep_ul") {
        let text = fixture(&name);
        assert_eq!(browser::detect(&text), Some(expected_format), "{name}");
        let t = load(&name);
        let mut shape = DEEP_UL.to_vec();
        if name.contains("ascii") {
            // w3m's ASCII display writes what it cannot show as '?'.
            shape[4].0 = Some("Edda S?rensen");
            shape[10].0 = Some("Kai M?ller");
        }
        assert_shape(&name, &t, &shape);
        assert_clean(&name, &t);
        assert!(t.warnings.is_empty(), "{name}: {:?}", t.warnings);
        assert_eq!(t.comments[11].depth, 11, "{name}");
        // lynx centres the <h1>, so it stands apart from the text; w3m sets it flush left.
        let title = name.contains("lynx").then_some("A year of waxed chains");
        assert_eq!(t.title.as_deref(), title, "{name}");

        // A list inside a deep comment is not a reply, though lynx and w3m give it a
        // reply's bullet and indentation.
        let hana = &t.comments[7].body;
        let items: Vec<&str> = hana
            .blocks
            .iter()
            .filter(|b| matches!(b.kind, BlockKind::ListItem { .. }))
            .map(|b| b.text.as_str())
            .collect();
        assert_eq!(
            items,
            [
                "molybdenum grease thinned with wax",
                "nothing at all, just more frequent soaks"
            ],
            "{name}"
        );
        assert_eq!(
            t.comments[0].body.plain_text(),
            "Wax squeaks for me after about 300 km. Do you top up with a drip wax in between?",
            "{name}: soft wraps joined"
        );
        let edda = t.comments[4].body.plain_text();
        assert!(
            edda.starts_with("Paraffin alone goes brittle below freezing.\n")
                && edda.ends_with("Add a little PTFE powder and it stays quiet all winter."),
            "{name}: {edda:?}"
        );
        // The article's own lists stay in the article, nested list included.
        let levels: Vec<u8> = t
            .body
            .blocks
            .iter()
            .filter_map(|b| match b.kind {
                BlockKind::ListItem { level, .. } => Some(level),
                _ => None,
            })
            .collect();
        assert_eq!(levels, [0, 0, 0, 0, 0, 1], "{name}");
        let cleo = &t.comments[2].body;
        if has_urls(&name) {
            assert_eq!(cleo.links.len(), 1, "{name}");
            assert_eq!(cleo.links[0].text, "study");
            assert_eq!(
                cleo.links[0].url,
                "https://drivetrain.example/wax-study#drip"
            );
        } else {
            assert!(cleo.links.is_empty(), "{name}");
        }
    }
}

const DEEP_OL: &Shape = &[
    (Some("Rosa Jimenez"), None),
    (Some("Sam Osei"), Some(0)),
    (Some("Tariq Aziz"), Some(1)),
    (Some("Uma Desai"), Some(2)),
    (Some("Viktor Hale"), Some(3)),
    (Some("Wren Adler"), Some(4)),
    (Some("Xavi Ortega"), Some(5)),
    (Some("Yara Nasser"), Some(6)),
    (Some("Zeno Ricci"), Some(7)),
    (Some("Ada Brandt"), Some(7)),
    (Some("Bram Okafor"), Some(7)),
    (Some("Cleo Martin"), Some(6)),
    (Some("Dev Raman"), Some(5)),
    (Some("Edda Sørensen"), None),
];

/// `WordPress` numbers every level from `1.`: in lynx, past the indentation limit, `1.` is a
/// reply and `n.` the sibling of the nearest `n - 1`.
#[test]
fn deep_numbers_read_as_built_past_the_indentation_limit() {
    for (name, expected_format) in dumps("deep_ol") {
        let text = fixture(&name);
        assert_eq!(browser::detect(&text), Some(expected_format), "{name}");
        let t = load(&name);
        let mut shape = DEEP_OL.to_vec();
        if name.contains("ascii") {
            shape[13].0 = Some("Edda S?rensen");
        }
        assert_shape(&name, &t, &shape);
        assert_clean(&name, &t);
        assert!(t.warnings.is_empty(), "{name}: {:?}", t.warnings);
        assert_eq!(t.title.as_deref(), Some("A year of waxed chains"), "{name}");
        assert_eq!(
            t.comments[7].body.plain_text(),
            "I let mine drip over the cooker for a minute first.",
            "{name}"
        );
    }
}

#[test]
fn responses_heading_flat_list_and_two_digit_numbers() {
    let authors = [
        "Gwen",
        "Hector P.",
        "Gwen",
        "Ines",
        "Jonas",
        "Ines",
        "Jonas",
        "Kasia",
        "Lorenzo",
        "Maud",
        "Nils",
        "Gwen",
    ];
    for (name, expected_format) in dumps("kubrick_responses") {
        let text = fixture(&name);
        assert_eq!(browser::detect(&text), Some(expected_format), "{name}");
        let t = load(&name);
        let shape: Vec<_> = authors.iter().map(|a| (Some(*a), None)).collect();
        assert_shape(&name, &t, &shape);
        assert_clean(&name, &t);
        assert_eq!(t.title.as_deref(), Some("Tomato plans"), "{name}");
        assert_eq!(
            comment_by(&t, "Maud")
                .created
                .as_ref()
                .map(threadr::model::Timestamp::to_rfc3339),
            Some("April 4th, 2008 at 10:00 am".to_string()),
            "{name}"
        );
        assert_eq!(
            comment_by(&t, "Nils").body.plain_text(),
            "Good luck with the seeds!\nPost pictures in June.",
            "{name}: <br> kept as a hard break"
        );
        let article = t.body.plain_text();
        assert!(article.contains("Three cherry varieties"), "{name}");
        assert!(article.contains("Seeds go in on the windowsill"), "{name}");
        assert!(!article.contains("Responses"), "{name}");
    }
}

/// Plain text in the seed's shape (our own words): numbered comments at indent 2, bullets
/// two columns deeper per level. It must be left to the plain-text reader.
const SEED_SHAPED: &str = "\
Our street got a new bakery this spring and the queue is already round the corner.

It opens at seven, which is either a blessing or a curse.

12 Comments

  1. Went on Saturday. The rye is worth the wait.

    • Agreed, though the queue moves slowly.
      Bring a coffee.

        • The coffee place next door does a deal if you show a bakery receipt.

  2. Alice says:
     I miss the old hardware shop that used to be there.
     – it had everything
     – and a cat

    • Same. The cat moved to the pharmacy.
";

#[test]
fn seed_shaped_plain_text_is_not_a_browser_dump() {
    assert_eq!(browser::detect(SEED_SHAPED), None);
    assert_eq!(format::detect(SEED_SHAPED), InputFormat::Text);
    let crlf = SEED_SHAPED.replace('\n', "\r\n");
    assert_eq!(browser::detect(&crlf), None);
}

/// The project's real seed, when the shared corpus sits beside the repository.
#[test]
fn real_seed_is_not_a_browser_dump() {
    let Some(corpus) = std::env::var_os("THREADR_CORPUS") else {
        eprintln!("skipped: THREADR_CORPUS is not set");
        return;
    };
    let seeds = std::path::Path::new(&corpus).join("../seeds");
    let Ok(entries) = std::fs::read_dir(&seeds) else {
        eprintln!("skipped: no seeds folder at {}", seeds.display());
        return;
    };
    let mut checked = 0;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "txt") {
            let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
            assert_eq!(browser::detect(&text), None, "{}", path.display());
            checked += 1;
        }
    }
    assert!(checked > 0, "no seed found in {}", seeds.display());
}

#[test]
fn other_text_is_not_a_browser_dump() {
    for text in [
        "",
        "just one line",
        "References\n\n   1. not a url at all\n",
        "[1] is how I cite things.\n\nReferences:\n\n[1] Knuth, The Art\n",
        "{\"format\": \"threadr/1\"}",
    ] {
        assert_eq!(browser::detect(text), None, "{text:?}");
    }
}

/// A lynx dump opens with `[1]` more often than not; it must not be taken for JSON.
#[test]
fn lynx_dump_opening_with_a_link_mark_is_not_json() {
    let text = fixture("thoughts_ol.lynx.txt");
    assert!(text.trim_start().starts_with("[1]"));
    assert_eq!(format::detect(&text), InputFormat::Lynx);
}

/// Builds a lynx-shaped dump of one reply chain `depth` deep (lynx caps the indentation
/// at the seventh level and cycles its bullets).
fn lynx_chain(depth: usize) -> String {
    let bullets = ['*', '+', 'o', '#', '@', '-', '='];
    let mut out = String::from("   An article.\n\n3 Comments\n\n");
    for d in 0..depth {
        let indent = 5 + 5 * d.min(6);
        let text = " ".repeat(indent + 2);
        let _ = write!(
            out,
            "{}{} User{d} says:\n{text}March 4, 2021 at 1:00 am\n{text}Level {d}.\n{text}Reply\n",
            " ".repeat(indent),
            bullets[d % 7],
        );
    }
    out
}

#[test]
fn a_chain_100000_deep_loads_without_recursion() {
    let text = lynx_chain(100_000);
    let t = browser::parse(&text, "chain", InputFormat::Lynx).unwrap();
    assert_eq!(t.len(), 100_000);
    assert_eq!(t.comments[99_999].depth, 99_999);
    assert_eq!(t.comments[99_999].body.plain_text(), "Level 99999.");
    drop(t);
}

#[test]
fn hostile_text_survives_unchanged() {
    let text = "   Article \u{1b}[2J with an escape.\n\n2 Comments\n\n\
        \u{20}    * Mallory\u{202e}evil says:\n\
        \u{20}      [1]March 4, 2021\n\
        \u{20}      Click [2]\u{1b}]52;c;aGk=\u{7}here\u{85} now.\n\
        \u{20}      [3]Reply\n\
        \u{20}    * Bob says:\n\
        \u{20}      ok\u{0}\n\nReferences\n\n\
        \u{20}  1. https://x.example/#c1\n\
        \u{20}  2. https://x.example/\u{1b}[31m\n\
        \u{20}  3. https://x.example/?replytocom=1\n";
    assert_eq!(browser::detect(text), Some(InputFormat::Lynx));
    let t = format::load(text.as_bytes(), "hostile", None).unwrap();
    assert!(t.body.plain_text().contains("\u{1b}[2J"));
    assert_eq!(t.comments.len(), 2);
    assert_eq!(t.comments[0].author.as_deref(), Some("Mallory\u{202e}evil"));
    let body = &t.comments[0].body;
    assert_eq!(
        body.plain_text(),
        "Click \u{1b}]52;c;aGk=\u{7}here\u{85} now."
    );
    assert_eq!(body.links[0].url, "https://x.example/\u{1b}[31m");
    assert_eq!(t.comments[1].body.plain_text(), "ok\u{0}");
}

#[test]
fn page_without_comments_reads_as_an_article_with_a_warning() {
    let text = "   Just an article.\n\n     * with a list\n";
    let t = browser::parse(text, "x", InputFormat::Lynx).unwrap();
    assert!(t.is_empty());
    assert!(t.body.plain_text().contains("with a list"));
    assert!(
        t.warnings[0].contains("no comments found"),
        "{:?}",
        t.warnings
    );
}

#[test]
fn heading_count_mismatch_is_reported() {
    let text = "   Post.\n\n5 Comments\n\n     * Ann says:\n       hi\n";
    let t = browser::parse(text, "x", InputFormat::Lynx).unwrap();
    assert_eq!(t.len(), 1);
    assert_eq!(t.warnings, ["the page says it has 5 comments; 1 were read"]);
}

mod props {
    use proptest::prelude::*;
    use threadr::format::{InputFormat, browser};

    fn dumpish() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("\n".to_string()),
            Just("3 Comments\n".to_string()),
            Just("References\n".to_string()),
            Just("   1. https://x.example/\n".to_string()),
            Just(" says:".to_string()),
            Just("[1]".to_string()),
            Just("Reply\n".to_string()),
            Just("1. ".to_string()),
            Just("2. ".to_string()),
            "[ *+o#@=•□☆]{0,12}".prop_map(|s| s),
            "[a-z \t\r\u{1b}\u{202e}]{0,10}".prop_map(|s| s),
        ];
        proptest::collection::vec(piece, 0..80).prop_map(|v| v.concat())
    }

    proptest! {
        #[test]
        fn any_input_parses_without_panicking(text in dumpish()) {
            let _ = browser::detect(&text);
            for format in [InputFormat::Lynx, InputFormat::W3m] {
                let t = browser::parse(&text, "p", format).unwrap();
                for c in &t.comments {
                    if let Some(p) = c.parent {
                        prop_assert!(p.get() < t.comments.len());
                    }
                }
            }
        }
    }
}

/// Issue 15 #22: the page's title is shown once (above the article, not again as its first
/// heading), and a tight list in the article stands on consecutive lines.
#[test]
fn dumps_show_the_title_once_and_lists_tight() {
    for (name, _) in dumps("thoughts_ol") {
        let t = load(&name);
        let title = t
            .title
            .clone()
            .unwrap_or_else(|| panic!("{name}: no title"));
        assert!(
            t.body
                .blocks
                .iter()
                .all(|b| b.text.split_whitespace().collect::<Vec<_>>()
                    != title.split_whitespace().collect::<Vec<_>>()),
            "{name}: the title is repeated in the article"
        );
        let lines: Vec<String> = threadr::text::lines::body_lines(&t.body, 200)
            .iter()
            .map(threadr::text::lines::RichLine::text)
            .collect();
        let at = |needle: &str| {
            lines
                .iter()
                .position(|l| l.contains(needle))
                .unwrap_or_else(|| panic!("{name}: no line with {needle:?} in {lines:#?}"))
        };
        // The three numbered steps: one line each, no blank line between them.
        let first = at("Fed twice a day");
        assert_eq!(at("Used water straight"), first + 1, "{name}: {lines:#?}");
        assert_eq!(
            at("Kept only twenty grams"),
            first + 2,
            "{name}: {lines:#?}"
        );
    }
}

/// Issue 11 on our own HTML5 page (`gen_pages.py`: `<article>` comments, avatars whose alt
/// text is "Avatar", an e-mail address or the name itself, a long header that wraps, share
/// links with spaces in their URLs, an author box's "View all posts by"): every dump, and the lone-number shape lynx writes for
/// such markup on real pages, reads as the tree and authors of the page itself.
#[test]
fn html5_pages_with_avatars_read_the_same_from_every_dump() {
    let tree = |t: &Thread| -> Vec<(Option<usize>, Option<String>)> {
        t.comments
            .iter()
            .map(|c| {
                (
                    c.parent.map(threadr::model::CommentIdx::get),
                    c.author.as_deref().map(str::to_string),
                )
            })
            .collect()
    };
    let page = tree(&load("html5_avatars.html"));
    let named = |s: &str| Some(s.to_string());
    assert_eq!(
        page,
        [
            (None, named("Quinn Harlow")),
            (Some(0), named("Bao")),
            (Some(1), named("Quinn Harlow")),
            (None, named("Ines")),
            (Some(3), named("Crumb and Crust Editorial Team")),
            (None, named("Tomás")),
        ]
    );
    let mut files: Vec<(String, InputFormat)> = dumps("html5_avatars");
    files.push(("html5_avatars.lynx-lone.txt".into(), InputFormat::Lynx));
    for (name, format) in files {
        let text = fixture(&name);
        assert_eq!(format::detect(&text), format, "{name}");
        let t = load(&name);
        let mut got = tree(&t);
        if name.contains("ascii") {
            // US-ASCII cannot show the á.
            got[5].1 = named("Tomás");
        }
        assert_eq!(got, page, "{name}");
        // The author box's link names the article's author and leaves the text.
        assert_eq!(t.author.as_deref(), Some("Fern Adair"), "{name}");
        let article = t.body.plain_text();
        assert!(!article.contains("View all posts"), "{name}: {article}");
        assert!(
            article.contains("shared kitchen in Leeds."),
            "{name}: {article}"
        );
        if name.ends_with(".lynx.txt") || name.ends_with("lynx-lone.txt") {
            // The References list survived its spaced share URLs: the article keeps them.
            assert!(
                t.body
                    .links
                    .iter()
                    .any(|l| l.url == "mailto:?subject=Rye%20in%20a%20white%20loaf&body=https://bikeshed.example/rye/"),
                "{name}: {:?}",
                t.body.links
            );
        }
    }
}

#[test]
fn a_comments_heading_the_browser_wrapped_gives_the_whole_title() {
    for (name, expected_format) in dumps("long_title") {
        let text = fixture(&name);
        assert_eq!(format::detect(&text), expected_format, "{name}");
        let t = load(&name);
        assert_eq!(
            t.title.as_deref(),
            Some("What a winter of salted roads did to three waxed chains, and what did not rust"),
            "{name}"
        );
        assert_shape(
            &name,
            &t,
            &[
                (Some("Ines"), None),
                (Some("Tomas"), Some(0)),
                (Some("Wren"), None),
                (None, None),
            ],
        );
        assert!(t.comments[3].marks.contains(Marks::PINGBACK), "{name}");
        assert!(t.warnings.is_empty(), "{name}: {:?}", t.warnings);
        assert!(!all_text(&t).contains("what did not rust"), "{name}");
    }
}
