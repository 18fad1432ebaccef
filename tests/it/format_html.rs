//! The HTML page reader on pages written here in the shapes of real ones: `WordPress`
//! HTML5 and older markup, a German theme, a theme without "says:", pingbacks and
//! trackbacks, 12 levels of replies, Hacker News 2012 and current markup, old.reddit, a page
//! without comments, and hostile nesting.

#![allow(clippy::format_push_string, clippy::redundant_closure_for_method_calls)]

use threadr::format::html_page::{self, MAX_DEPTH, NO_COMMENTS, extract_article};
use threadr::format::{InputFormat, detect, load};
use threadr::model::Thread;

/// One comment of a generated page: (depth from 0, id, author, text).
type Spec<'a> = (usize, u32, &'a str, &'a str);

#[derive(Clone, Copy)]
enum Theme {
    /// Twenty-style HTML5 markup with `b.fn`, "says:", `time[datetime]`.
    Html5,
    /// Kubrick-style older markup: `div.comment-author vcard`, `cite.fn`, text in `p`s.
    Older,
    /// HTML5 markup in German, `sagt:`, and dates only as text.
    German,
    /// No "says:", no `.fn`: the name is the `.comment-author` text after an avatar.
    NoSays,
}

fn comment_html(theme: Theme, id: u32, author: &str, text: &str) -> String {
    let avatar = format!("<img alt='Avatar {author}' src='a.png' class='avatar'>");
    match theme {
        Theme::Html5 => format!(
            "<article id='div-comment-{id}' class='comment-body'><footer class='comment-meta'>\
             <div class='comment-author vcard'>{avatar}<b class='fn'><a href='https://ex.org/~{author}' class='url'>{author}</a></b> \
             <span class='says'>says:</span></div><div class='comment-metadata'>\
             <a href='https://blog.example/post/#comment-{id}'><time datetime='2024-01-0{d}T10:00:00+00:00'>January {d}, 2024</time></a></div>\
             </footer><div class='comment-content'><p>{text}</p></div>\
             <div class='reply'><a class='comment-reply-link' href='#'>Reply</a></div></article>",
            d = 1 + id % 9
        ),
        Theme::Older => format!(
            "<div class='comment-author vcard'>{avatar}<cite class='fn'>{author}</cite> <span class='says'>says:</span></div>\
             <div class='comment-meta commentmetadata'><a href='#comment-{id}'>March 3, 2009 at 4:12 pm</a></div>\
             <p>{text}</p><div class='reply'><a href='#'>Reply</a></div>"
        ),
        Theme::German => format!(
            "<article class='comment-body'><footer class='comment-meta'><div class='comment-author vcard'>{avatar}\
             <span class='fn'>{author}</span> <span class='says'>sagt:</span></div>\
             <div class='comment-metadata'><a href='#comment-{id}'>3. März 2023 um 14:12 Uhr</a></div></footer>\
             <div class='comment-content'><p>{text}</p></div><div class='reply'><a href='#'>Antworten</a></div></article>"
        ),
        Theme::NoSays => format!(
            "<div class='comment-body'><div class='comment-author'>{avatar} {author}</div>\
             <div class='comment-meta'><time datetime='2022-05-05T05:05:05Z'>May 5</time></div>\
             <div class='comment-text'><p>{text}</p></div></div>"
        ),
    }
}

/// A `WordPress`-like page with the comments of `specs` (in document order).
fn page(theme: Theme, specs: &[Spec<'_>], pings: &[(u32, &str)]) -> String {
    let list = if matches!(theme, Theme::Older) {
        "commentlist"
    } else {
        "comment-list"
    };
    let mut html = String::from(
        "<!DOCTYPE html><html lang=en><head><title>A post | Blog</title>\
         <link rel='canonical' href='https://blog.example/post/'></head><body>\
         <header><nav><ul><li><a href='/'>Home</a></li></ul></nav></header>\
         <main><article class='post'><h1 class='entry-title'>A post</h1>\
         <div class='entry-content'><p>The article text, with <a href='/more'>a link</a>.</p></div></article>\
         <div id='comments' class='comments-area'><h2>Comments</h2>",
    );
    html.push_str(&format!("<ol class='{list}'>"));
    let mut open = 0usize;
    for (i, &(depth, id, author, text)) in specs.iter().enumerate() {
        if i > 0 {
            if depth > open {
                html.push_str("<ol class='children'>");
            } else {
                html.push_str("</li>");
                for _ in depth..open {
                    html.push_str("</ol></li>");
                }
            }
        }
        open = depth;
        html.push_str(&format!(
            "<li id='comment-{id}' class='comment depth-{}'>{}",
            depth + 1,
            comment_html(theme, id, author, text)
        ));
    }
    if !specs.is_empty() {
        html.push_str("</li>");
        for _ in 0..open {
            html.push_str("</ol></li>");
        }
    }
    for &(id, kind) in pings {
        html.push_str(&format!(
            "<li id='comment-{id}' class='{kind} depth-1'><div class='comment-body'>{}: \
             <a href='https://other.example/{id}' class='url'>Another post {id}</a> \
             <span class='edit-link'>Edit</span></div></li>",
            if kind == "pingback" {
                "Pingback"
            } else {
                "Trackback"
            }
        ));
    }
    html.push_str(
        "</ol><div id='respond' class='comment-respond'><form><textarea>Leave a Reply</textarea></form></div>\
         </div></main><aside class='sidebar'>Recent posts</aside><footer>© Blog</footer></body></html>",
    );
    html
}

const SPECS: &[Spec<'static>] = &[
    (0, 1, "Ana", "First comment."),
    (1, 2, "Ben", "A reply to Ana."),
    (2, 3, "Ana", "Ana answers Ben."),
    (1, 4, "Chidi Okafor", "Second reply to Ana."),
    (0, 5, "Dana", "Another top-level comment."),
];

fn read(html: &str) -> Thread {
    load(html.as_bytes(), "page.html", None).expect("page reads")
}

fn shape(t: &Thread) -> Vec<(Option<usize>, Option<String>, String)> {
    t.comments
        .iter()
        .map(|c| {
            (
                c.parent.map(|p| p.get()),
                c.author.as_deref().map(str::to_string),
                c.body.plain_text(),
            )
        })
        .collect()
}

fn expected(specs: &[Spec<'_>]) -> Vec<(Option<usize>, Option<String>, String)> {
    let mut path: Vec<usize> = Vec::new();
    specs
        .iter()
        .enumerate()
        .map(|(i, &(depth, _, author, text))| {
            path.truncate(depth);
            let parent = path.last().copied();
            path.push(i);
            (parent, Some(author.to_string()), text.to_string())
        })
        .collect()
}

#[test]
fn every_theme_gives_the_same_tree_and_authors() {
    for theme in [Theme::Html5, Theme::Older, Theme::German, Theme::NoSays] {
        let html = page(theme, SPECS, &[]);
        assert_eq!(detect(&html), InputFormat::Html);
        let t = read(&html);
        assert_eq!(shape(&t), expected(SPECS), "theme {}", theme as u8);
        assert_eq!(t.title.as_deref(), Some("A post"));
        assert_eq!(t.key, "https://blog.example/post/");
        assert_eq!(
            t.comments[0].url.as_deref(),
            Some("https://blog.example/post/#comment-1")
        );
        assert!(t.warnings.is_empty(), "{:?}", t.warnings);
    }
}

#[test]
fn dates_from_datetime_or_kept_as_text() {
    let t = read(&page(Theme::Html5, SPECS, &[]));
    assert_eq!(
        t.comments[0]
            .created
            .as_ref()
            .map(threadr::model::Timestamp::to_rfc3339),
        Some("2024-01-02T10:00:00Z".to_string())
    );
    let t = read(&page(Theme::German, SPECS, &[]));
    assert_eq!(
        t.comments[0]
            .created
            .as_ref()
            .map(threadr::model::Timestamp::to_rfc3339)
            .as_deref(),
        Some("3. März 2023 um 14:12 Uhr")
    );
}

#[test]
fn article_is_the_post_without_page_furniture_and_links_are_kept() {
    let t = read(&page(Theme::Html5, SPECS, &[]));
    assert_eq!(t.body.plain_text(), "The article text, with a link.");
    assert_eq!(t.body.links[0].url, "https://blog.example/more");
    // The author's link in the header is not part of the text; the text's links are.
    let html = page(
        Theme::Html5,
        &[(0, 9, "Eve", "See <a href='https://x.example/a'>this</a>.")],
        &[],
    );
    let t = read(&html);
    assert_eq!(t.comments[0].body.plain_text(), "See this.");
    assert_eq!(t.comments[0].body.links.len(), 1);
    assert_eq!(t.comments[0].body.links[0].url, "https://x.example/a");
}

#[test]
fn pingbacks_and_trackbacks_have_no_author_and_say_what_they_are() {
    let t = read(&page(
        Theme::Html5,
        SPECS,
        &[(70, "pingback"), (71, "trackback")],
    ));
    assert_eq!(t.comments.len(), SPECS.len() + 2);
    let ping = &t.comments[SPECS.len()];
    assert_eq!(ping.author, None);
    assert_eq!(ping.parent, None);
    assert_eq!(ping.body.plain_text(), "Pingback: Another post 70");
    assert_eq!(ping.body.links[0].url, "https://other.example/70");
    // Marked as what it is, so the tree does not call it a comment whose author was deleted.
    assert!(ping.marks.contains(threadr::model::Marks::PINGBACK));
    assert!(
        t.comments[SPECS.len() + 1]
            .marks
            .contains(threadr::model::Marks::PINGBACK)
    );
    assert!(
        !t.comments[0]
            .marks
            .contains(threadr::model::Marks::PINGBACK)
    );
    assert!(
        t.comments[SPECS.len() + 1]
            .body
            .plain_text()
            .starts_with("Trackback: ")
    );
}

#[test]
fn twelve_levels_of_replies() {
    let names: Vec<String> = (0..12).map(|i| format!("user{i}")).collect();
    let texts: Vec<String> = (0..12).map(|i| format!("level {i}")).collect();
    let mut specs: Vec<Spec<'_>> = (0..12)
        .map(|i| (i, i as u32 + 1, names[i].as_str(), texts[i].as_str()))
        .collect();
    specs.push((3, 50, "back", "back at level 3"));
    specs.push((0, 51, "top", "a second thread"));
    for theme in [Theme::Html5, Theme::Older] {
        let t = read(&page(theme, &specs, &[]));
        assert_eq!(shape(&t), expected(&specs));
        assert_eq!(t.comments.iter().map(|c| c.depth).max(), Some(11));
    }
}

#[test]
fn a_page_without_comments_is_its_article_never_markup() {
    let t = read(&page(Theme::Html5, &[], &[]));
    assert!(t.comments.is_empty());
    assert_eq!(t.body.plain_text(), "The article text, with a link.");
    let t = read(
        "<!doctype html><html><head><title>Just a page</title></head><body><p>Hello <b>there</b>.</p></body></html>",
    );
    assert_eq!(t.body.plain_text(), "Hello there.");
    assert_eq!(t.warnings, [NO_COMMENTS]);
    assert!(!t.body.plain_text().contains('<'));
}

#[test]
fn forced_html_reads_a_fragment_and_detection_leaves_text_alone() {
    let frag = "<p>Only a <i>fragment</i></p>";
    assert_eq!(detect(frag), InputFormat::Text);
    let t = load(frag.as_bytes(), "f", Some(InputFormat::Html)).unwrap();
    assert_eq!(t.body.plain_text(), "Only a fragment");
}

#[test]
fn extract_article_is_the_same_reading_for_a_linked_page() {
    let a = extract_article(
        &page(Theme::Older, SPECS, &[]),
        Some("https://elsewhere.example/x"),
    );
    assert_eq!(a.title.as_deref(), Some("A post"));
    assert_eq!(a.url.as_deref(), Some("https://blog.example/post/"));
    assert_eq!(a.body.plain_text(), "The article text, with a link.");
}

#[test]
fn hundred_thousand_nested_lists_load_flattened_with_a_warning() {
    let n = 100_000;
    let html = format!(
        "<!DOCTYPE html><html><body><ol class='comment-list'>{}<p>bottom</p>{}</ol></body></html>",
        "<li class='comment' id='comment-x'><ol class='children'>".repeat(n),
        "</ol></li>".repeat(n)
    );
    let t = read(&html);
    assert!(
        t.warnings
            .iter()
            .any(|w| w.contains(&MAX_DEPTH.to_string())),
        "{:?}",
        t.warnings
    );
    assert!(!t.comments.is_empty() && t.comments.len() < MAX_DEPTH);
    assert!(
        t.comments
            .iter()
            .any(|c| c.body.plain_text().contains("bottom"))
    );
    let t = read(&format!("<!DOCTYPE html><body>{}deep", "<ol>".repeat(n)));
    assert!(t.body.plain_text().contains("deep"));
}

#[test]
fn hostile_markup_stays_text() {
    let html = page(
        Theme::Html5,
        &[(
            0,
            1,
            "evil&#27;[2J",
            "x &#x202e; <script>alert(1)</script><style>p{}</style>y",
        )],
        &[],
    );
    let t = read(&html);
    let c = &t.comments[0];
    assert_eq!(c.author.as_deref(), Some("evil\u{1b}[2J"));
    assert_eq!(c.body.plain_text(), "x \u{202e} y");
    assert!(!threadr::text::sanitize(c.author.as_deref().unwrap()).contains('\u{1b}'));
}

// ---- Hacker News ----

fn hn_current(rows: &[(u32, usize, &str, &str)]) -> String {
    let mut html = String::from(
        "<html lang=en><head><title>Ask HN: A question | Hacker News</title></head><body><center><table id=hnmain>\
         <tr><td><table class='fatitem'><tr class='athing' id='100'><td class='title'><span class='titleline'>\
         <a href='item?id=100'>Ask HN: A question</a></span></td></tr><tr><td class='subtext'><span class='subline'>\
         <span class='score' id='score_100'>42 points</span> by <a href='user?id=op' class='hnuser'>op</a> \
         <span class='age' title='2023-07-21T18:04:01'><a href='item?id=100'>1 day ago</a></span></span></td></tr>\
         <tr><td></td><td><div class='toptext'>The question.<p>Second paragraph.</div></td></tr></table><br>\
         <table class='comment-tree'>",
    );
    for &(id, indent, user, text) in rows {
        let head = if user.is_empty() {
            "<span class='comhead'> [deleted] </span>".to_string()
        } else {
            format!(
                "<span class='comhead'><a href='user?id={user}' class='hnuser'>{user}</a> \
                 <span class='age' title='2023-07-22T0{indent}:00:00 169000000{indent}'><a href='item?id={id}'>1 hour ago</a></span>{}</span>",
                if text.contains("flagged") {
                    " [flagged]"
                } else {
                    ""
                }
            )
        };
        html.push_str(&format!(
            "<tr class='athing comtr' id='{id}'><td><table><tr><td class='ind' indent='{indent}'>\
             <img src='s.gif' height='1' width='{w}'></td><td class='votelinks'></td><td class='default'>\
             <div>{head}</div><br><div class='comment'><span class='commtext c00'>{text}</span>\
             <div class='reply'><p><font size=1><u><a href='reply?id={id}'>reply</a></u></font></p></div></div></td></tr></table></td></tr>",
            w = indent * 40
        ));
    }
    html.push_str("</table></td></tr></table></center></body></html>");
    html
}

fn hn_2012(rows: &[(u32, usize, &str, &str)]) -> String {
    let mut html = String::from(
        "<html><head><title>Hacker News | Show HN: a thing</title></head><body><center><table>\
         <tr><td><table border=0><tr><td class=\"title\"><a href=\"http://thing.example/\">Show HN: a thing</a></td></tr>\
         <tr><td class=\"subtext\"><span id=score_200>10 points</span> by <a href=\"user?id=maker\">maker</a> 3 hours ago</td></tr></table>\
         <br><br><table border=0>",
    );
    for &(id, indent, user, text) in rows {
        html.push_str(&format!(
            "<tr><td><table border=0><tr><td><img src=\"http://ycombinator.com/images/s.gif\" height=1 width={w}></td>\
             <td valign=top><center><a id=up_{id} href=\"vote?for={id}\"><img src=\"grayarrow.gif\"></a></center></td>\
             <td class=\"default\"><div style=\"margin-top:2px\"><span class=\"comhead\"><a href=\"user?id={user}\">{user}</a> 2 hours ago  | <a href=\"item?id={id}\">link</a></span></div><br>\
             <span class=\"comment\"><font color=#000000>{text}</font></span><p><font size=1><u><a href=\"reply?id={id}&whence=item%3fid%3d200\">reply</a></u></font></td></tr></table></td></tr>",
            w = indent * 40
        ));
    }
    html.push_str("</table></td></tr></table></center></body></html>");
    html
}

const HN_ROWS: &[(u32, usize, &str, &str)] = &[
    (101, 0, "alice", "Top one.<p>Para two."),
    (
        102,
        1,
        "bob",
        "Reply &gt; quoted? <a href=\"https://x.example/\">link</a>",
    ),
    (103, 2, "carol", "Deeper."),
    (104, 1, "dave", "flagged text"),
    (105, 0, "", "[deleted]"),
    (106, 1, "erin", "Reply to a deleted one."),
];

#[test]
fn hn_current_markup() {
    let t = read(&hn_current(HN_ROWS));
    assert_eq!(t.key, "hn:100");
    assert_eq!(t.title.as_deref(), Some("Ask HN: A question"));
    assert_eq!(t.author.as_deref(), Some("op"));
    assert_eq!(t.score, Some(42));
    assert_eq!(t.body.plain_text(), "The question.\n\nSecond paragraph.");
    let parents: Vec<_> = t
        .comments
        .iter()
        .map(|c| c.parent.map(|p| p.get()))
        .collect();
    assert_eq!(parents, [None, Some(0), Some(1), Some(0), None, Some(4)]);
    let authors: Vec<_> = t.comments.iter().map(|c| c.author.as_deref()).collect();
    assert_eq!(
        authors,
        [
            Some("alice"),
            Some("bob"),
            Some("carol"),
            Some("dave"),
            None,
            Some("erin")
        ]
    );
    assert_eq!(t.comments[0].id.0.as_str(), "101");
    assert_eq!(t.comments[0].body.plain_text(), "Top one.\n\nPara two.");
    assert_eq!(t.comments[1].body.links[0].url, "https://x.example/");
    assert!(!t.comments[1].body.plain_text().contains("reply"));
    assert_eq!(t.comments[3].marks, threadr::model::Marks::FLAGGED);
    assert!(t.comments[2].marks.is_empty());
    assert!(t.comments[4].deleted);
    assert_eq!(
        t.comments[0]
            .created
            .as_ref()
            .and_then(threadr::model::Timestamp::unix),
        Some(1_690_000_000)
    );
}

#[test]
fn hn_2012_markup_by_spacer_width() {
    let t = read(&hn_2012(HN_ROWS));
    let parents: Vec<_> = t
        .comments
        .iter()
        .map(|c| c.parent.map(|p| p.get()))
        .collect();
    assert_eq!(parents, [None, Some(0), Some(1), Some(0), None, Some(4)]);
    assert_eq!(t.comments[2].author.as_deref(), Some("carol"));
    assert_eq!(t.comments[2].id.0.as_str(), "103");
    assert_eq!(t.comments[0].body.plain_text(), "Top one.\n\nPara two.");
    assert_eq!(t.title.as_deref(), Some("Show HN: a thing"));
    assert!(
        t.body.plain_text().contains("http://thing.example/"),
        "{}",
        t.body.plain_text()
    );
}

// ---- old.reddit ----

#[test]
fn old_reddit_comment_page() {
    let thing = |id: &str, author: &str, text: &str, kids: &str, extra: &str| {
        format!(
            "<div class='thing id-t1_{id} comment {extra}' data-fullname='t1_{id}' data-permalink='/r/x/comments/abc/t/{id}/'>\
             <div class='entry'><p class='tagline'><a class='author' href='/user/{author}'>{author}</a> \
             <span class='score unvoted' title='7'>7 points</span> <time datetime='2020-01-01T00:00:00+00:00'>x</time></p>\
             <form class='usertext'><div class='usertext-body'><div class='md'><p>{text}</p></div></div></form>\
             <ul class='flat-list buttons'><li>permalink</li></ul></div>\
             <div class='child'><div class='sitetable listing'>{kids}</div></div></div>"
        )
    };
    let deep = thing("c3", "cee", "third", "", "");
    let html = format!(
        "<!doctype html><html><head><title>t : x</title></head><body>\
         <div id='siteTable'><div class='thing link' data-fullname='t3_abc' data-url='https://article.example/' data-permalink='/r/x/comments/abc/t/'>\
         <div class='entry'><a class='title' href='https://article.example/'>A link post</a><p class='tagline'><a class='author'>poster</a></p></div></div></div>\
         <div class='commentarea'><div class='sitetable nestedlisting'>{}{}\
         <div class='thing morechildren'><a>load more comments (12 replies)</a></div></div></div></body></html>",
        thing(
            "c1",
            "ay",
            "first",
            &thing("c2", "bee", "second", &deep, ""),
            ""
        ),
        thing("c4", "[deleted]", "[deleted]", "", "deleted"),
    );
    let t = read(&html);
    assert_eq!(t.key, "reddit:abc");
    assert_eq!(t.title.as_deref(), Some("A link post"));
    let parents: Vec<_> = t
        .comments
        .iter()
        .map(|c| c.parent.map(|p| p.get()))
        .collect();
    assert_eq!(parents, [None, Some(0), Some(1), None]);
    let authors: Vec<_> = t.comments.iter().map(|c| c.author.as_deref()).collect();
    assert_eq!(authors, [Some("ay"), Some("bee"), Some("cee"), None]);
    assert_eq!(t.comments[0].score, Some(7));
    assert_eq!(t.comments[0].body.plain_text(), "first");
    assert!(t.comments[3].deleted);
    assert_eq!(t.more, 12);
    assert_eq!(
        t.comments[1].url.as_deref(),
        Some("https://old.reddit.com/r/x/comments/abc/t/c2/")
    );
}

#[test]
fn the_same_post_saved_twice_is_the_same_thread() {
    let a = read(&page(Theme::Html5, SPECS, &[]));
    let b = read(&page(Theme::Html5, &SPECS[..2], &[]));
    assert_eq!(a.key, b.key);
    assert_eq!(a.comments[1].id, b.comments[1].id);
    let _ = html_page::looks_like_html("");
}
