//! Mail (mbox, single message, gzip), Discourse, Lemmy, Mastodon and Bluesky readers on
//! fixtures written for this project (`tests/fixtures/sources`), generated big threads,
//! and hostile variants.

use std::collections::HashMap;
use std::fmt::Write as _;

use threadr::format::{InputFormat, discourse, load};
use threadr::model::{BlockKind, SpanStyle, Thread};

fn bytes(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/fixtures/sources/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap()
}

fn fixture(name: &str) -> Thread {
    load(&bytes(name), name, None).unwrap_or_else(|e| panic!("{e}"))
}

/// `id -> (parent id, author)` for every comment.
fn shape(t: &Thread) -> HashMap<String, (Option<String>, Option<String>)> {
    t.comments
        .iter()
        .map(|c| {
            (
                c.id.to_string(),
                (
                    c.parent.map(|p| t.comment(p).id.to_string()),
                    c.author.as_deref().map(str::to_string),
                ),
            )
        })
        .collect()
}

fn parent_of<'a>(t: &'a Thread, id: &str) -> Option<&'a str> {
    let c = t.comment(t.find(id).unwrap_or_else(|| panic!("no comment {id}")));
    c.parent.map(|p| &*t.comment(p).id.0)
}

#[test]
fn mbox_threads_quotes_patches_and_mime() {
    let t = fixture("list.mbox");
    assert_eq!(t.key, "mail:root-1@example.org");
    assert_eq!(
        t.title.as_deref(),
        Some("[RFC] Moving the tea party to Thursdays")
    );
    assert_eq!(t.author.as_deref(), Some("Alice Liddell"));
    assert_eq!(t.len(), 4, "the root is the article");
    // In-Reply-To; References only; a missing parent (lost-4) hangs under its nearest
    // known ancestor in References (hat-2).
    assert_eq!(parent_of(&t, "hat-2@example.org"), None);
    assert_eq!(
        parent_of(&t, "hare-3@example.org"),
        Some("hat-2@example.org")
    );
    assert_eq!(
        parent_of(&t, "mouse-5@example.org"),
        Some("hat-2@example.org")
    );
    assert_eq!(parent_of(&t, "queen-6@example.org"), None);

    let hatter = t.comment(t.find("hat-2@example.org").unwrap());
    // Encoded word in From, quoted-printable Latin-1 body.
    assert_eq!(hatter.author.as_deref(), Some("The Hatter é"));
    let text = hatter.body.plain_text();
    assert!(text.contains("Café au lait"), "{text}");
    assert_eq!(
        hatter.body.blocks[0].quote_depth, 1,
        "attribution joins the quote"
    );
    assert!(hatter.body.blocks[0].text.ends_with("wrote:"));
    assert!(hatter.body.blocks.iter().any(|b| b.quote_depth == 0));

    let hare = t.comment(t.find("hare-3@example.org").unwrap());
    assert_eq!(hare.body.blocks[0].quote_depth, 2);
    assert_eq!(hare.body.blocks[1].quote_depth, 1);

    // Base64 text part shown; the PDF listed by name and size, not shown.
    let mouse = t
        .comment(t.find("mouse-5@example.org").unwrap())
        .body
        .plain_text();
    assert!(mouse.contains("Twinkle, twinkle."), "{mouse}");
    assert!(mouse.contains("[attachment: minutes.pdf, 15 B]"), "{mouse}");
    assert!(!mouse.contains("PDF-1.4"), "{mouse}");
    assert_eq!(
        t.comment(t.find("mouse-5@example.org").unwrap())
            .author
            .as_deref(),
        Some("dormouse@example.org")
    );

    // The patch is code, `>From ` unescaped inside it; the signature is its own block;
    // a different subject is shown as a heading.
    let queen = &t.comment(t.find("queen-6@example.org").unwrap()).body;
    assert_eq!(queen.blocks[0].kind, BlockKind::Heading);
    assert_eq!(&*queen.blocks[0].text, "[PATCH] party: fix the clock");
    let code = queen
        .blocks
        .iter()
        .find(|b| b.kind == BlockKind::Code)
        .expect("patch block");
    assert!(code.text.starts_with("---\n clock.c"), "{}", code.text);
    assert!(code.text.contains("\nFrom the top"), "{}", code.text);
    let last = queen.blocks.last().unwrap();
    assert!(threadr::format::mail::body::is_signature(last));
    assert_eq!(&*last.text, "-- \n2.44.0");
    // Replies to the root repeat its subject: no heading there.
    assert_ne!(hatter.body.blocks[0].kind, BlockKind::Heading);
    // A reply repeating its parent's subject gets none either.
    let mut answer = String::from_utf8(bytes("list.mbox")).unwrap();
    answer.push_str("From k Thu Jan  1 00:00:00 1970\nFrom: King <k@x>\nSubject: Re: [PATCH] party: fix the clock\nMessage-ID: <king-7@x>\nIn-Reply-To: <queen-6@example.org>\n\nApproved.\n");
    let t = load(answer.as_bytes(), "more.mbox", None).unwrap();
    let king = &t.comment(t.find("king-7@x").unwrap()).body;
    assert_eq!(king.plain_text(), "Approved.");
}

#[test]
fn mbox_order_does_not_change_the_tree() {
    let text = String::from_utf8(bytes("list.mbox")).unwrap();
    let mut messages: Vec<&str> = text.split("\nFrom ").collect();
    let first = messages.remove(0);
    messages.reverse();
    let mut shuffled = String::new();
    for m in &messages {
        let _ = writeln!(shuffled, "From {m}");
    }
    let _ = write!(shuffled, "\n{first}");
    let a = fixture("list.mbox");
    let b = load(shuffled.as_bytes(), "shuffled.mbox", None).unwrap();
    assert_eq!(shape(&a), shape(&b));
    assert_eq!(a.key, b.key);
}

#[test]
fn single_message_and_gzip() {
    let t = fixture("single.eml");
    assert_eq!(t.key, "mail:rabbit-1@example.org");
    assert_eq!(t.title.as_deref(), Some("Late, late – so late"));
    assert_eq!(t.author.as_deref(), Some("White Rabbit"));
    assert_eq!(
        t.body.plain_text(),
        "I'm late for a very important date.",
        "text/plain preferred over text/html"
    );
    assert!(t.is_empty());

    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut gz, &bytes("list.mbox")).unwrap();
    let packed = gz.finish().unwrap();
    let t = load(&packed, "t.mbox.gz", None).unwrap();
    assert_eq!(shape(&t), shape(&fixture("list.mbox")));
    let e = load(&packed[..packed.len() / 3], "t.mbox.gz", None).unwrap_err();
    assert!(e.to_string().contains("gzip"), "{e}");
}

#[test]
fn forced_mail_formats_say_what_is_wrong() {
    let e = load(b"just some words\n", "x.txt", Some(InputFormat::Mbox)).unwrap_err();
    assert!(e.to_string().contains("`From ` line"), "{e}");
    let e = load(
        b"From nobody Thu Jan  1 00:00:00 1970\n\nno headers here\n",
        "x.mbox",
        Some(InputFormat::Mbox),
    )
    .unwrap_err();
    assert!(e.to_string().contains("none with a From:"), "{e}");
    // Plain text that starts with "From " is not mail.
    let t = load(b"From the archives\n\nA story.\n", "story.txt", None).unwrap();
    assert!(!t.key.starts_with("mail:"));
}

#[test]
fn hostile_mail_never_panics_or_loops() {
    // A reference loop, a self reply, headers without a body, NULs and escapes.
    let mbox = "From a Thu Jan  1 00:00:00 1970\nFrom: a@x\nMessage-ID: <a@x>\nIn-Reply-To: <b@x>\n\n\x1b[2Jhi\0\nFrom b Thu Jan  1 00:00:00 1970\nFrom: b@x\nMessage-ID: <b@x>\nIn-Reply-To: <a@x>\n\n>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>x\nFrom c Thu Jan  1 00:00:00 1970\nFrom: c@x\nMessage-ID: <c@x>\nIn-Reply-To: <c@x>\nDate: not a date\n";
    let t = load(mbox.as_bytes(), "loop.mbox", None).unwrap();
    // The loop is cut once (b becomes a root, a answers it); c answers itself: a root.
    assert_eq!(t.len(), 3, "two roots: every message is a comment");
    assert_eq!(t.roots.len(), 2);
    assert_eq!(parent_of(&t, "a@x"), Some("b@x"));
    assert!(
        t.warnings.iter().any(|w| w.contains("loop")),
        "{:?}",
        t.warnings
    );
    let text: String = t.comments.iter().map(|c| c.body.plain_text()).collect();
    assert!(
        text.contains('\x1b'),
        "kept for the sanitiser, which shows it as a symbol"
    );
}

#[test]
fn generated_list_thread_reads_with_the_tree_it_encodes() {
    let synth = threadr::synth_mail::mbox_thread(2_000, 3);
    let t = load(synth.mbox.as_bytes(), "synth.mbox", None).unwrap();
    assert_eq!(
        t.len(),
        2_000 - 2,
        "all but the root and the missing one are comments"
    );
    assert_eq!(t.key, format!("mail:{}", synth.ids[0]));
    let mut checked = 0;
    for (i, expect) in synth.expected_parent.iter().enumerate() {
        if i == 0 || i == synth.missing {
            continue;
        }
        let got = parent_of(&t, &synth.ids[i]);
        let want = expect.filter(|p| *p != 0).map(|p| synth.ids[p].as_str());
        assert_eq!(got, want, "parent of message {i}");
        checked += 1;
    }
    assert_eq!(checked, 1_998);
    assert!(
        t.comments
            .iter()
            .any(|c| c.body.blocks.iter().any(|b| b.kind == BlockKind::Code))
    );
}

#[test]
fn discourse_topic_nests_marks_and_counts_missing_posts() {
    let t = fixture("topic.json");
    assert_eq!(t.key, "discourse:forum.example.org/77");
    assert_eq!(t.title.as_deref(), Some("Which clock is right?"));
    assert_eq!(t.author.as_deref(), Some("alice"));
    assert_eq!(t.score, Some(4));
    assert_eq!(t.len(), 4);
    assert_eq!(t.more, 2, "7 in the stream, 5 in the file");
    assert_eq!(parent_of(&t, "502"), None, "a reply to post 1 is top level");
    assert_eq!(parent_of(&t, "503"), Some("502"));
    assert_eq!(parent_of(&t, "504"), Some("503"));
    assert_eq!(
        parent_of(&t, "506"),
        None,
        "its parent (post 5) is not in the file"
    );
    let c = |id: &str| t.comment(t.find(id).unwrap());
    assert_eq!(c("502").score, Some(7), "likes from actions_summary");
    assert_eq!(
        c("502").body.plain_text(),
        "Mine. It is always six o'clock & tea time."
    );
    assert_eq!(c("503").body.blocks[0].quote_depth, 1);
    assert!(c("504").deleted && c("506").deleted && !c("503").deleted);
    assert_eq!(
        c("503").url.as_deref(),
        Some("https://forum.example.org/t/which-clock-is-right/77/3")
    );
    assert!(t.warnings.iter().any(|w| w.contains("not in the file")));
}

#[test]
fn discourse_pages_merge_and_missing_ids_are_listed() {
    let topic = bytes("topic.json");
    assert_eq!(
        discourse::missing_post_ids(&topic, "topic.json").unwrap(),
        vec![505, 507]
    );
    let more = bytes("posts_more.json");
    let t =
        discourse::from_pages(&[&topic, &more], "topic.json", Some("forum.example.org")).unwrap();
    assert_eq!(t.len(), 5, "505 added, 502 not twice");
    assert_eq!(t.more, 1);
    assert_eq!(parent_of(&t, "506"), Some("505"), "its parent arrived");
    assert!(
        t.comment(t.find("502").unwrap())
            .body
            .plain_text()
            .starts_with("Mine. It is")
    );
    // A posts.json page alone reads too.
    let alone = load(&more, "posts.json", None).unwrap();
    assert_eq!(alone.len(), 2);
    // Almost the shape: a post_stream whose posts are not posts.
    let e = load(
        br#"{"post_stream": {"posts": [{"id": 1}]}}"#,
        "t.json",
        None,
    )
    .unwrap_err();
    assert!(e.to_string().contains("post_number"), "{e}");
}

#[test]
fn lemmy_tree_comes_from_paths() {
    let t = fixture("lemmy.json");
    assert_eq!(t.key, "lemmy:lemmy.example.org/42");
    assert_eq!(t.title.as_deref(), Some("Caucus races: fair or not?"));
    assert_eq!(t.author.as_deref(), Some("dodo"));
    assert_eq!(t.score, Some(12));
    assert!(t.body.plain_text().contains("https://example.org/caucus"));
    assert_eq!(parent_of(&t, "901"), None);
    assert_eq!(parent_of(&t, "902"), Some("901"));
    assert_eq!(
        parent_of(&t, "903"),
        Some("902"),
        "child listed before its parent"
    );
    assert_eq!(parent_of(&t, "905"), None, "parent 904 not saved");
    let c = |id: &str| t.comment(t.find(id).unwrap());
    assert!(c("902").deleted);
    assert!(
        c("901").body.blocks[0]
            .spans
            .iter()
            .any(|s| s.style == SpanStyle::Strong),
        "Markdown bodies"
    );
    assert_eq!(
        c("903").url.as_deref(),
        Some("https://lemmy.example.org/comment/903")
    );
}

#[test]
fn mastodon_descendants_nest_by_in_reply_to() {
    let t = fixture("mastodon.json");
    assert_eq!(t.key, "mastodon:social.example.org/1001");
    assert_eq!(t.author.as_deref(), Some("alice"));
    assert_eq!(t.score, Some(9));
    assert_eq!(t.body.links[0].url, "https://example.org/hole");
    assert_eq!(parent_of(&t, "1002"), None);
    assert_eq!(
        parent_of(&t, "1003"),
        Some("1002"),
        "parent listed after the reply"
    );
    assert_eq!(parent_of(&t, "1004"), None);
    let cw = &t.comment(t.find("1002").unwrap()).body;
    assert_eq!(&*cw.blocks[0].text, "CW: the ending");
    assert_eq!(
        cw.blocks[1].quote_depth, 1,
        "the text under a content warning is set apart"
    );
    assert_eq!(
        t.comment(t.find("1003").unwrap()).author.as_deref(),
        Some("hare@other.example.net")
    );
}

#[test]
fn bluesky_replies_nest_and_facets_are_links() {
    let t = fixture("bluesky.json");
    assert_eq!(t.key, "bsky:did:plc:alice123/3kroot");
    assert_eq!(
        t.url.as_deref(),
        Some("https://bsky.app/profile/alice.example.org/post/3kroot")
    );
    assert_eq!(t.author.as_deref(), Some("alice.example.org"));
    assert_eq!(t.score, Some(30));
    let urls: Vec<&str> = t.body.links.iter().map(|l| l.url.as_str()).collect();
    assert_eq!(
        urls,
        ["https://example.org/wonder", "https://bsky.app/hashtag/tea"]
    );
    assert_eq!(t.body.links[0].text, "example.org/wonder");
    assert_eq!(t.len(), 3);
    assert_eq!(parent_of(&t, "3kcat"), None);
    assert_eq!(parent_of(&t, "3kgone"), Some("3kcat"));
    assert!(t.comment(t.find("3kgone").unwrap()).deleted);
    assert!(t.comment(t.find("3kqueen").unwrap()).deleted);
}

#[test]
fn deep_json_sources_read_without_recursion() {
    // A Bluesky reply chain 5,000 deep.
    let depth = 5_000;
    let mut s = String::from(
        r#"{"thread":{"post":{"uri":"at://did:x/app.bsky.feed.post/r","record":{"text":"root"}},"replies":["#,
    );
    for i in 0..depth {
        let _ = write!(
            s,
            r#"{{"post":{{"uri":"at://did:x/app.bsky.feed.post/p{i}","record":{{"text":"t{i}"}}}},"replies":["#
        );
    }
    for _ in 0..depth {
        s.push_str("]}");
    }
    s.push_str("]}}");
    let t = load(s.as_bytes(), "deep.json", None).unwrap();
    assert_eq!(t.len(), depth);
    assert_eq!(
        t.comments.iter().map(|c| c.depth).max(),
        Some(depth as u32 - 1)
    );
}

#[test]
fn every_source_survives_a_threadr_dump_round_trip() {
    for name in [
        "list.mbox",
        "single.eml",
        "topic.json",
        "lemmy.json",
        "mastodon.json",
        "bluesky.json",
    ] {
        let t = fixture(name);
        let mut out = Vec::new();
        threadr::export::write(&t, threadr::export::DumpFormat::Json, &mut out).unwrap();
        let mut back = load(&out, "dump", None).unwrap();
        back.warnings.clone_from(&t.warnings);
        assert!(back == t, "{name}: threadr/1 round trip changed the model");
    }
}

#[test]
fn forced_json_sources_say_what_shape_they_expected() {
    let cases = [
        (InputFormat::Lemmy, "post_view"),
        (InputFormat::Mastodon, "\"status\""),
        (InputFormat::Bluesky, "getPostThread"),
        (InputFormat::Discourse, "post_stream"),
    ];
    for (format, expected) in cases {
        let e = load(br#"{"comments": [{"id": 1}]}"#, "x.json", Some(format)).unwrap_err();
        assert!(e.to_string().contains(expected), "{}: {e}", format.name());
    }
}
