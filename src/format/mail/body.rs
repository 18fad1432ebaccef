//! The text of one mail (`text/plain`, already MIME-decoded) to a [`Body`], read the way
//! people write mail.
//!
//! - `>` lines (`>>`, `> >`: one level per `>`) become quote blocks at their depth, and the
//!   attribution line before them (`On Tue, … Alice wrote:`) joins the quote.
//! - A patch (`diff --git`, or a bare `--- a/` / `+++ b/` pair, from the `---` line that
//!   opens git's diffstat when there is one) is one code block; quoted diff hunks in a review
//!   reply are quoted code blocks.
//! - The signature, after the last `-- ` line, is one block whose text starts with that
//!   delimiter line; the UI dims such blocks (see [`is_signature`]).
//! - Prose paragraphs hard-wrapped at 72 columns are reflowed; lines that look laid out
//!   (indented, bulleted, tabbed, short) keep their breaks.
//!
//! One pass over the lines, no recursion, no IO.

use crate::model::{Block, BlockKind, Body};

/// The signature delimiter line (RFC 3676 §4.3), as the first line of a signature block.
pub const SIGNATURE_DELIMITER: &str = "-- ";

/// Deepest quote level kept; deeper `>` runs count as this (the model stores a `u8`).
const MAX_QUOTE_DEPTH: usize = 32;

/// True when `block` is a mail signature as this module writes it: text that starts with
/// the `-- ` delimiter line.
#[must_use]
pub fn is_signature(block: &Block) -> bool {
    block.quote_depth == 0
        && block.kind == BlockKind::Paragraph
        && block
            .text
            .strip_prefix(SIGNATURE_DELIMITER)
            .is_some_and(|rest| rest.starts_with('\n'))
}

/// Splits a line into its quote depth and the text after the markers.
fn quote_level(line: &str) -> (usize, &str) {
    let mut depth = 0;
    let mut rest = line;
    while let Some(after) = rest.strip_prefix('>') {
        depth += 1;
        rest = after;
        // `> > text`: a space between markers belongs to the markers.
        let trimmed = rest.trim_start_matches(' ');
        if trimmed.starts_with('>') {
            rest = trimmed;
        }
    }
    if depth > 0 {
        rest = rest.strip_prefix(' ').unwrap_or(rest);
    }
    (depth.min(MAX_QUOTE_DEPTH), rest)
}

fn is_diff_start(lines: &[&str], i: usize) -> bool {
    let line = lines[i];
    line.starts_with("diff --git ")
        || line.starts_with("Index: ")
        || (line.starts_with("--- ") && lines.get(i + 1).is_some_and(|n| n.starts_with("+++ ")))
}

fn looks_like_diff(lines: &[&str]) -> bool {
    lines.iter().any(|l| {
        l.starts_with("diff --git ")
            || l.starts_with("@@ ")
            || l.starts_with("+++ ")
            || l.starts_with("index ")
    })
}

/// True when a paragraph's lines are hard-wrapped prose that should reflow to the width.
fn is_prose(lines: &[&str]) -> bool {
    if lines.len() < 2 {
        return true;
    }
    let laid_out = |l: &str| {
        l.starts_with([' ', '\t'])
            || l.contains('\t')
            || l.starts_with("- ")
            || l.starts_with("* ")
            || l.starts_with("+ ")
            || l.split_once(". ").is_some_and(|(n, _)| {
                !n.is_empty() && n.len() < 3 && n.bytes().all(|b| b.is_ascii_digit())
            })
    };
    if lines.iter().any(|l| laid_out(l)) {
        return false;
    }
    // Every line but the last runs close to the wrap column.
    lines[..lines.len() - 1]
        .iter()
        .all(|l| l.chars().count() >= 40)
}

fn push_paragraph(blocks: &mut Vec<Block>, depth: usize, lines: &[&str]) {
    if lines.is_empty() {
        return;
    }
    let (kind, text) = if depth > 0 && looks_like_diff(lines) {
        (BlockKind::Code, lines.join("\n"))
    } else if is_prose(lines) {
        let mut text = String::new();
        for l in lines {
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(l.trim());
        }
        (BlockKind::Paragraph, text)
    } else {
        (BlockKind::Paragraph, lines.join("\n"))
    };
    let mut block = Block::paragraph(text);
    block.kind = kind;
    block.quote_depth = u8::try_from(depth).unwrap_or(u8::MAX);
    blocks.push(block);
}

/// True when a paragraph introduces the quote that follows it.
fn is_attribution(lines: &[&str]) -> bool {
    lines.len() <= 3
        && lines.last().is_some_and(|l| {
            let l = l.trim_end();
            l.ends_with("wrote:") || l.ends_with("writes:") || l.ends_with("said:")
        })
}

/// Converts the decoded text of a mail to a body.
#[must_use]
pub fn to_body(text: &str) -> Body {
    let text = text.replace("\r\n", "\n");
    let all: Vec<&str> = text.split('\n').map(|l| l.trim_end_matches('\r')).collect();
    let signature_at = all.iter().rposition(|l| *l == SIGNATURE_DELIMITER);
    let before_signature = &all[..signature_at.unwrap_or(all.len())];
    let patch_at = (0..before_signature.len())
        .find(|&i| is_diff_start(before_signature, i))
        .map(|i| {
            // git format-patch: the `---` line that opens the diffstat starts the patch.
            before_signature[..i]
                .iter()
                .rposition(|l| *l == "---")
                .unwrap_or(i)
        });
    let prose = &before_signature[..patch_at.unwrap_or(before_signature.len())];

    let mut blocks = Vec::new();
    // The paragraph being collected: its depth and lines (without the markers).
    let mut depth = 0;
    let mut para: Vec<&str> = Vec::new();
    for line in prose {
        let (d, rest) = quote_level(line);
        let blank = rest.trim().is_empty();
        if !para.is_empty() && (blank || d != depth) {
            // An attribution directly followed by deeper quoting joins the quote.
            let joins = !blank && d > depth && is_attribution(&para);
            push_paragraph(&mut blocks, if joins { d } else { depth }, &para);
            para.clear();
        }
        if !blank {
            depth = d;
            para.push(rest);
        }
    }
    push_paragraph(&mut blocks, depth, &para);

    if let Some(start) = patch_at {
        let end = signature_at.unwrap_or(all.len());
        let mut lines = &all[start..end];
        while lines.last().is_some_and(|l| l.trim().is_empty()) {
            lines = &lines[..lines.len() - 1];
        }
        if !lines.is_empty() {
            let mut block = Block::paragraph(lines.join("\n"));
            block.kind = BlockKind::Code;
            blocks.push(block);
        }
    }
    if let Some(at) = signature_at {
        let sig: Vec<&str> = all[at + 1..]
            .iter()
            .copied()
            .skip_while(|l| l.trim().is_empty())
            .collect();
        let end = sig
            .iter()
            .rposition(|l| !l.trim().is_empty())
            .map_or(0, |p| p + 1);
        if end > 0 {
            let mut text = String::from(SIGNATURE_DELIMITER);
            for l in &sig[..end] {
                text.push('\n');
                text.push_str(l);
            }
            blocks.push(Block::paragraph(text));
        }
    }
    Body {
        blocks: blocks.into(),
        links: thin_vec::ThinVec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(body: &Body) -> Vec<(u8, bool, String)> {
        body.blocks
            .iter()
            .map(|b| (b.quote_depth, b.kind == BlockKind::Code, b.text.to_string()))
            .collect()
    }

    #[test]
    fn quotes_attribution_and_reflow() {
        let mail = "On Tue, 1 Dec 2026, Alice wrote:\n> first quoted line that is long enough to be prose\n> and its continuation\n>> older\n\nMy answer, which is written as a long line of prose text\nthat was hard-wrapped by the mail client.\n";
        let b = to_body(mail);
        assert_eq!(
            kinds(&b),
            vec![
                (1, false, "On Tue, 1 Dec 2026, Alice wrote:".into()),
                (
                    1,
                    false,
                    "first quoted line that is long enough to be prose and its continuation".into()
                ),
                (2, false, "older".into()),
                (
                    0,
                    false,
                    "My answer, which is written as a long line of prose text that was \
                     hard-wrapped by the mail client."
                        .into()
                ),
            ]
        );
    }

    #[test]
    fn spaced_markers_count_each_level() {
        assert_eq!(quote_level("> > > x"), (3, "x"));
        assert_eq!(quote_level(">>x"), (2, "x"));
        assert_eq!(quote_level("x > y"), (0, "x > y"));
        assert_eq!(quote_level(&">".repeat(1000)).0, MAX_QUOTE_DEPTH);
    }

    #[test]
    fn patch_is_code_and_signature_is_marked() {
        let mail = "Fix the thing.\n\nSigned-off-by: A <a@x>\n---\n a.c | 2 +-\n\ndiff --git a/a.c b/a.c\n--- a/a.c\n+++ b/a.c\n@@ -1 +1 @@\n-old\n+new\n\n-- \n2.40.0\n\n";
        let b = to_body(mail);
        let k = kinds(&b);
        assert_eq!(k[0], (0, false, "Fix the thing.".into()));
        assert_eq!(k[1], (0, false, "Signed-off-by: A <a@x>".into()));
        assert!(k[2].1 && k[2].2.starts_with("---\n a.c"), "{k:?}");
        assert!(k[2].2.ends_with("+new"), "{k:?}");
        assert_eq!(k[3].2, "-- \n2.40.0");
        assert!(is_signature(&b.blocks[3]));
        assert!(!is_signature(&b.blocks[0]));
        assert_eq!(b.blocks.len(), 4);
    }

    #[test]
    fn quoted_hunks_are_quoted_code_and_laid_out_text_keeps_breaks() {
        let mail = "> @@ -1 +1 @@\n> -old\n> +new\n\nWhy?\n\n- one\n- two\n";
        let b = to_body(mail);
        let k = kinds(&b);
        assert_eq!(k[0], (1, true, "@@ -1 +1 @@\n-old\n+new".into()));
        assert_eq!(k[2], (0, false, "- one\n- two".into()));
    }

    #[test]
    fn a_quoted_signature_is_not_the_signature() {
        let b = to_body("> text\n> -- \n> sig\n\nreply");
        assert!(b.blocks.iter().all(|b| !is_signature(b)));
        assert_eq!(b.blocks.last().map(|b| b.text.as_str()), Some("reply"));
    }
}
