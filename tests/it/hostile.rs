//! Hostile input, in process: each test is a minimal reproducer of a case a fuzzer or a
//! security pass found (issue 19), written here by hand. Process-level cases (panic hook,
//! argument errors, broken pipes, exit codes) are in `hostile_cli.rs` and `hostile_e2e.rs`.

use threadr::export::{self, DumpFormat};
use threadr::format;

fn dump(thread: &threadr::model::Thread) -> String {
    let mut out = Vec::new();
    export::write(thread, DumpFormat::Json, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn a_date_guess_never_slices_inside_a_character() {
    // A WordPress-like dump whose first comment line is ten bytes with a euro sign across
    // byte four: the date check took `&text[..4]`.
    let text = "Notes\n\n3 thoughts on \u{201c}Notes\u{201d}\n\n 1. Bob says: xyz\u{20ac}wvut\n";
    let thread = format::load(text.as_bytes(), "t.txt", None).unwrap();
    assert_eq!(thread.comments.len(), 1);
    assert_eq!(thread.comments[0].author.as_deref(), Some("Bob"));
}

#[test]
fn dump_escapes_combining_runs_past_the_screen_cap() {
    let body = format!("e{}", "\u{301}".repeat(5000));
    let text = format!("Title\n\nArticle.\n\n  1. {body}\n");
    let thread = format::load(text.as_bytes(), "t.txt", None).unwrap();
    let json = dump(&thread);
    let raw = json.chars().filter(|&c| c == '\u{301}').count();
    assert_eq!(
        raw,
        threadr::text::MAX_ZERO_WIDTH_RUN,
        "raw marks in the dump"
    );
    // The escapes mean the same: reading the dump back gives every mark.
    let back = format::load(json.as_bytes(), "d.json", None).unwrap();
    assert_eq!(
        back.comments[0].body.plain_text(),
        thread.comments[0].body.plain_text()
    );
    assert_eq!(dump(&back), json);
}
