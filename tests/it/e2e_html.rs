//! End to end in a pseudo-terminal: a saved web page opens as its article and comment tree,
//! and a bare URL in a plain-text comment is a link `o` lists.

use crate::common;

use common::pty::Pty;

const PAGE: &str = "<!DOCTYPE html><html><head><title>Bike lanes | Town blog</title>\
<link rel='canonical' href='https://town.example/lanes/'></head><body>\
<nav><a href='/'>Home</a> <a href='/contact'>Contact us</a></nav>\
<article><h1 class='entry-title'>Bike lanes</h1><div class='entry-content'><p>The council painted the lanes.</p></div></article>\
<div id='comments'><ol class='comment-list'>\
<li id='comment-1' class='comment depth-1'><article class='comment-body'><footer class='comment-meta'>\
<div class='comment-author vcard'><img alt='Avatar Ilse' src='a.png'><b class='fn'>Ilse</b> <span class='says'>sagt:</span></div></footer>\
<div class='comment-content'><p>Die Pläne stehen <a href='https://town.example/plan.pdf'>hier</a>.</p></div>\
<div class='reply'><a href='#'>Antworten</a></div></article>\
<ol class='children'><li id='comment-2' class='comment depth-2'><article class='comment-body'><footer class='comment-meta'>\
<div class='comment-author vcard'><b class='fn'>Jonas</b></div></footer><div class='comment-content'><p>Danke!</p></div></article></li></ol></li>\
</ol><div id='respond'><form><textarea>Leave a reply</textarea></form></div></div><footer>Impressum</footer></body></html>";

#[test]
fn a_saved_page_opens_as_article_and_comments() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("page.html");
    std::fs::write(&path, PAGE).unwrap();
    let mut pty = Pty::spawn(&[path.to_str().unwrap()], 120, 30, &[]);
    let screen = pty.wait_text("Comments 1/2");
    assert!(
        screen.contains("The council painted the lanes."),
        "{screen}"
    );
    assert!(
        screen.contains("Ilse") && screen.contains("Jonas"),
        "{screen}"
    );
    for junk in [
        "<",
        "Contact us",
        "Leave a reply",
        "Impressum",
        "Avatar",
        "sagt:",
        "Antworten",
    ] {
        assert!(!screen.contains(junk), "{junk} on screen:\n{screen}");
    }
    pty.keys("o");
    let screen = pty.wait_text("Links in this comment");
    assert!(screen.contains("https://town.example/plan.pdf"), "{screen}");
    pty.keys("\u{1b}");
    pty.wait_for("the links list to close", |s| !s.contains("Links —"));
    pty.keys("q");
    pty.wait_exit();
}

#[test]
fn a_bare_url_in_plain_text_is_a_link() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.txt");
    std::fs::write(
        &path,
        "A post about lanes.\n\n  1. The plan is at https://example.net/page, see <https://example.org/b>.\n",
    )
    .unwrap();
    let mut pty = Pty::spawn(&[path.to_str().unwrap()], 120, 30, &[]);
    pty.wait_text("Comments 1/1");
    pty.keys("o");
    let screen = pty.wait_text("Links in this comment");
    assert!(screen.contains("[2] https://example.org/b"), "{screen}");
    assert!(screen.contains("https://example.net/page"), "{screen}");
    assert!(!screen.contains("No links"), "{screen}");
    pty.keys("\u{1b}");
    pty.wait_for("the links list to close", |s| !s.contains("Links —"));
    pty.keys("q");
    pty.wait_exit();
}
