//! Closing the first bytes of a longer JSON document, for the typed reading of a large
//! file's first screen: the text is cut after the last value that is whole and the
//! containers still open there are closed, so that `serde_json` reads what
//! [`crate::format::jsonparse::parse_prefix`] would build (the value being read where the
//! text stops is dropped, a key with it; an object counts as open once its first key and
//! colon are read, an array as soon as its bracket is).
//!
//! One pass over the bytes, strings skipped with `memchr`; nothing is parsed or built here.
//! Anything unusual (brackets that do not match, text after the document, an invalid
//! token or escape where the text stops) gives `None`, and the caller uses
//! `parse_prefix`, which decides. No IO.

use std::borrow::Cow;

/// Where the text can be cut: the byte offset and how many containers are open there.
#[derive(Clone, Copy)]
struct Cut {
    at: usize,
    depth: usize,
}

/// True when `token` (a number or literal that runs to the end of the text) is whole.
fn whole_token(token: &[u8]) -> bool {
    if matches!(token, b"true" | b"false" | b"null") {
        return true;
    }
    let Ok(s) = std::str::from_utf8(token) else {
        return false;
    };
    // JSON's number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
    let s = s.strip_prefix('-').unwrap_or(s);
    let int_len = s.bytes().take_while(u8::is_ascii_digit).count();
    if int_len == 0 || (int_len > 1 && s.starts_with('0')) {
        return false;
    }
    let mut rest = &s[int_len..];
    if let Some(frac) = rest.strip_prefix('.') {
        let n = frac.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return false;
        }
        rest = &frac[n..];
    }
    if let Some(exp) = rest.strip_prefix(['e', 'E']) {
        let exp = exp.strip_prefix(['+', '-']).unwrap_or(exp);
        let n = exp.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return false;
        }
        rest = &exp[n..];
    }
    rest.is_empty()
}

/// True when `token` can still grow into a number or literal (it was cut).
fn token_prefix(token: &[u8]) -> bool {
    ["true", "false", "null"]
        .iter()
        .any(|w| w.as_bytes().starts_with(token))
        || token
            .iter()
            .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E'))
}

/// The end of the string whose opening quote is at `open` (the offset after its closing
/// quote), `Ok(None)` when the text stops inside it, `Err` on a control character or an
/// escape JSON does not have.
fn string_end(b: &[u8], open: usize) -> Result<Option<usize>, ()> {
    let mut i = open + 1;
    loop {
        let Some(at) = memchr::memchr3(b'"', b'\\', b'\n', &b[i..]) else {
            return Ok(None);
        };
        i += at;
        match b[i] {
            b'"' => break,
            b'\\' => match b.get(i + 1) {
                None => return Ok(None),
                Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' | b'u') => i += 2,
                Some(_) => return Err(()),
            },
            _ => return Err(()),
        }
    }
    // Other control characters are rare enough to check once per string.
    if b[open + 1..i].iter().any(|&c| c < 0x20) {
        return Err(());
    }
    Ok(Some(i + 1))
}

/// `text` (the first bytes of a JSON document) closed where it stops, or `None` when it
/// holds no container, does not start with one, or is unusual (see the module header).
/// A whole document is returned as it is.
#[must_use]
pub fn close(text: &str) -> Option<Cow<'_, str>> {
    let b = text.as_bytes();
    let mut stack: Vec<u8> = Vec::new();
    let mut cut: Option<Cut> = None;
    // The offset after the `{` of an object whose first key is not read yet.
    let mut unopened: Option<usize> = None;
    let mut expect_key = false;
    let mut done = false;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if matches!(c, b' ' | b'\t' | b'\n' | b'\r') {
            i += 1;
            continue;
        }
        if done || (stack.is_empty() && !matches!(c, b'{' | b'[')) {
            return None;
        }
        match c {
            b'{' => {
                stack.push(b'{');
                unopened = Some(i + 1);
                expect_key = true;
                i += 1;
            }
            b'[' => {
                stack.push(b'[');
                expect_key = false;
                i += 1;
                cut = Some(Cut {
                    at: i,
                    depth: stack.len(),
                });
            }
            b'}' | b']' => {
                let open = if c == b'}' { b'{' } else { b'[' };
                if stack.pop() != Some(open) {
                    return None;
                }
                unopened = None;
                i += 1;
                cut = Some(Cut {
                    at: i,
                    depth: stack.len(),
                });
                done = stack.is_empty();
            }
            b',' => {
                expect_key = stack.last() == Some(&b'{');
                i += 1;
            }
            b':' => {
                if let Some(at) = unopened.take() {
                    cut = Some(Cut {
                        at,
                        depth: stack.len(),
                    });
                }
                expect_key = false;
                i += 1;
            }
            b'"' => {
                let Some(end) = string_end(b, i).ok()? else {
                    break;
                };
                if !expect_key {
                    cut = Some(Cut {
                        at: end,
                        depth: stack.len(),
                    });
                }
                expect_key = false;
                i = end;
            }
            _ => {
                let len = b[i..]
                    .iter()
                    .position(|&c| {
                        matches!(
                            c,
                            b' ' | b'\t'
                                | b'\n'
                                | b'\r'
                                | b','
                                | b':'
                                | b']'
                                | b'}'
                                | b'"'
                                | b'['
                                | b'{'
                        )
                    })
                    .unwrap_or(b.len() - i);
                let token = &b[i..i + len];
                if i + len == b.len() {
                    // Cut inside a number or a word: kept only when it is whole.
                    if whole_token(token) {
                        cut = Some(Cut {
                            at: b.len(),
                            depth: stack.len(),
                        });
                    } else if !token_prefix(token) {
                        return None;
                    }
                } else {
                    cut = Some(Cut {
                        at: i + len,
                        depth: stack.len(),
                    });
                }
                i += len;
            }
        }
    }
    if done {
        return Some(Cow::Borrowed(text));
    }
    let cut = cut?;
    let mut out = String::with_capacity(cut.at + cut.depth);
    out.push_str(&text[..cut.at]);
    for &open in stack[..cut.depth].iter().rev() {
        out.push(if open == b'{' { '}' } else { ']' });
    }
    Some(Cow::Owned(out))
}

#[cfg(test)]
mod tests {
    use super::close;

    #[test]
    fn closes_like_the_tree_parser() {
        let cases = [
            (
                r#"{"a": [1, 2, {"b": "cut he"#,
                Some(r#"{"a": [1, 2, {}]}"#),
            ),
            ("[1, 2", Some("[1, 2]")),
            ("[1, 2.", Some("[1]")),
            (r#"{"a": tr"#, Some("{}")),
            (r#"{"a": 1, "b": true"#, Some(r#"{"a": 1, "b": true}"#)),
            (r#"{"a": 1, "b":"#, Some(r#"{"a": 1}"#)),
            (r#"{"a": 1, "b"#, Some(r#"{"a": 1}"#)),
            // An object opens with its first key: this one is dropped with "a".
            (r#"{"a": {"b"#, Some("{}")),
            (r#"{"a": {"b": "#, Some(r#"{"a": {}}"#)),
            (r#"{"a": ["#, Some(r#"{"a": []}"#)),
            (r#"{"a": "x\"y", "c"#, Some(r#"{"a": "x\"y"}"#)),
            (r#"{"fo"#, None),
            (r#"{"a": 1}"#, Some(r#"{"a": 1}"#)),
            (r#"{"a": 1} x"#, None),
            (r#"{"a": 1]"#, None),
            (r#""just a string"#, None),
            (r#"{"a": "bad \x escape"#, None),
            (r#"{"a": nope"#, None),
        ];
        for (text, want) in cases {
            assert_eq!(close(text).as_deref(), want, "{text}");
        }
    }
}
