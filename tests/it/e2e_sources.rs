//! End-to-end in a pseudo-terminal: reading a mailing-list thread (folded quotes of the
//! parent, `"` to show them, patches, signatures), a gzip mbox and a Discourse topic.

use crate::common;

use std::io::Write as _;

use common::pty::Pty;

const LIST: &str = "tests/fixtures/sources/list.mbox";

#[test]
fn quotes_of_the_parent_fold_and_the_quote_key_shows_them() {
    let mut pty = Pty::spawn(&[LIST], 80, 24, &[]);
    let screen = pty.wait_text("Comments 1/4");
    // The row says what the reply says, not what it quotes.
    assert!(screen.contains("The Hatter é"), "{screen}");
    assert!(screen.contains("Agreed, but the clocks"), "{screen}");
    let screen = pty.wait_text("5 lines quoted from the parent");
    assert!(!screen.contains("Everyone has been late"), "{screen}");
    pty.keys("\"");
    let screen = pty.wait_text("Everyone has been late");
    assert!(screen.contains("Alice Liddell wrote:"), "{screen}");
    assert!(
        screen.contains("Long quotes of the parent shown in full"),
        "{screen}"
    );
    pty.keys("\"");
    pty.wait_text("5 lines quoted from the parent");
    // The patch mail: its subject differs, so it heads the text; the diff is shown as is.
    pty.keys("G");
    let screen = pty.wait_text("#2 Queen of Hearts");
    assert!(screen.contains("[PATCH] party: fix the clock"), "{screen}");
    assert!(
        screen.contains("diff --git a/clock.c b/clock.c"),
        "{screen}"
    );
    pty.keys("q");
    assert_eq!(pty.wait_exit(), 0);
}

#[test]
fn a_gzipped_mbox_opens_like_the_plain_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.mbox.gz");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&std::fs::read(LIST).unwrap()).unwrap();
    std::fs::write(&path, gz.finish().unwrap()).unwrap();
    let mut pty = Pty::spawn(&[path.to_str().unwrap()], 200, 60, &[]);
    let screen = pty.wait_text("Comments 1/4");
    assert!(
        screen.contains("[RFC] Moving the tea party to Thursdays"),
        "{screen}"
    );
    assert!(screen.contains("dormouse@example.org"), "{screen}");
    pty.keys("q");
    assert_eq!(pty.wait_exit(), 0);
}

#[test]
fn a_discourse_topic_shows_posts_not_saved() {
    let mut pty = Pty::spawn(&["tests/fixtures/sources/topic.json"], 120, 30, &[]);
    let screen = pty.wait_text("Comments 1/4");
    assert!(screen.contains("Which clock is right?"), "{screen}");
    assert!(screen.contains("2 more not saved"), "{screen}");
    assert!(screen.contains("always six o'clock & tea time"), "{screen}");
    pty.keys("q");
    assert_eq!(pty.wait_exit(), 0);
}
