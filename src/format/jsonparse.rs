//! An iterative JSON parser into [`Node`]: one pass over the bytes with an explicit stack, so
//! any nesting depth parses in time and memory linear in the input, and an error (a download
//! cut off inside 100,000 open arrays) costs one position computation, not one per level.
//!
//! It replaces `serde_json` + `serde_stacker` for the readers: serde's error path rebuilt a
//! positioned error at every level it unwound, which made unclosed deep nesting quadratic
//! (2 MB took 9.6 s). Strict JSON (RFC 8259) except that a lone UTF-16 surrogate escape
//! (`"\ud83d"`, common from JavaScript exporters) becomes U+FFFD and is counted, so a
//! warning can say so. Pure: no IO.

use super::jsontree::Node;

/// A syntax error: what was wrong and the byte offset where it was seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// What was expected or found, in `serde_json`'s words (`EOF while parsing a list`).
    pub message: &'static str,
    /// Byte offset into the text.
    pub offset: usize,
}

impl SyntaxError {
    /// The 1-based line and column (in characters) of the error in `text`.
    #[must_use]
    pub fn line_column(&self, text: &str) -> (usize, usize) {
        let before = text.get(..self.offset).unwrap_or(text);
        let line = memchr::memchr_iter(b'\n', before.as_bytes()).count() + 1;
        let line_start = memchr::memrchr(b'\n', before.as_bytes()).map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        (line, column)
    }
}

/// A parsed document and how many lone surrogate escapes were replaced.
#[derive(Debug)]
pub struct Parsed {
    /// The document.
    pub node: Node,
    /// Lone UTF-16 surrogate escapes shown as U+FFFD.
    pub lone_surrogates: usize,
}

/// An open container on the explicit stack.
enum Frame {
    Array(Vec<Node>),
    /// The fields so far and the key whose value is being parsed.
    Object(Vec<(String, Node)>, String),
}

/// Parses a whole JSON document.
///
/// # Errors
/// The first syntax error, with its offset.
pub fn parse(text: &str) -> Result<Parsed, SyntaxError> {
    parse_with(text, &mut |_| {})
}

/// [`parse`], telling `progress` how many bytes it has read about every
/// [`crate::format::plain::PROGRESS_EVERY`] bytes.
///
/// # Errors
/// As [`parse`].
pub fn parse_with(text: &str, progress: &mut dyn FnMut(usize)) -> Result<Parsed, SyntaxError> {
    let mut stack = Vec::new();
    let mut p = Cursor {
        text,
        b: text.as_bytes(),
        i: 0,
        lone: 0,
    };
    run(&mut p, &mut stack, progress)
}

/// How close to the end of a cut-off text an error must be to count as the cut.
const CUT_SLACK: usize = 16;

/// Parses the first bytes of a longer JSON document: what was open where the text stops is
/// closed there (the value being read is dropped, every container kept with what it holds
/// so far), for a first screen while the rest of the file is read. `None` on a syntax error
/// before the cut, or when the text holds no container.
#[must_use]
pub fn parse_prefix(text: &str) -> Option<Parsed> {
    let mut stack = Vec::new();
    let mut p = Cursor {
        text,
        b: text.as_bytes(),
        i: 0,
        lone: 0,
    };
    match run(&mut p, &mut stack, &mut |_| {}) {
        Ok(parsed) => Some(parsed),
        Err(e) if e.offset + CUT_SLACK >= text.len() => {
            let mut value: Option<Node> = None;
            while let Some(frame) = stack.pop() {
                value = Some(match frame {
                    Frame::Array(mut items) => {
                        items.extend(value);
                        Node::Array(items)
                    }
                    Frame::Object(mut fields, key) => {
                        fields.extend(value.map(|v| (key, v)));
                        Node::Object(fields)
                    }
                });
            }
            value.map(|node| Parsed {
                node,
                lone_surrogates: p.lone,
            })
        }
        Err(_) => None,
    }
}

/// The parser's loop; `stack` holds what is open when it stops with an error.
fn run(
    p: &mut Cursor<'_>,
    stack: &mut Vec<Frame>,
    progress: &mut dyn FnMut(usize),
) -> Result<Parsed, SyntaxError> {
    let mut next_report = crate::format::plain::PROGRESS_EVERY;
    'value: loop {
        p.skip_ws();
        if p.i >= next_report {
            progress(p.i);
            next_report = p.i + crate::format::plain::PROGRESS_EVERY;
        }
        let mut value = match p.peek() {
            None => return Err(p.err(eof_in(stack.last()))),
            Some(b'[') => {
                p.i += 1;
                p.skip_ws();
                if p.peek() == Some(b']') {
                    p.i += 1;
                    Node::Array(Vec::new())
                } else {
                    stack.push(Frame::Array(Vec::new()));
                    continue 'value;
                }
            }
            Some(b'{') => {
                p.i += 1;
                p.skip_ws();
                if p.peek() == Some(b'}') {
                    p.i += 1;
                    Node::Object(Vec::new())
                } else {
                    let key = p.key()?;
                    stack.push(Frame::Object(Vec::new(), key));
                    continue 'value;
                }
            }
            Some(b'"') => Node::Str(p.string()?),
            Some(b't') => p.literal("true", Node::Bool(true))?,
            Some(b'f') => p.literal("false", Node::Bool(false))?,
            Some(b'n') => p.literal("null", Node::Null)?,
            Some(b'-' | b'0'..=b'9') => p.number()?,
            Some(_) => return Err(p.err("expected value")),
        };
        // Hand the value to its container; close containers for as long as they close.
        loop {
            p.skip_ws();
            match stack.last_mut() {
                None => {
                    if p.i < p.b.len() {
                        return Err(p.err("trailing characters"));
                    }
                    return Ok(Parsed {
                        node: value,
                        lone_surrogates: p.lone,
                    });
                }
                Some(Frame::Array(items)) => {
                    items.push(value);
                    match p.peek() {
                        Some(b',') => {
                            p.i += 1;
                            continue 'value;
                        }
                        Some(b']') => {
                            p.i += 1;
                            let Some(Frame::Array(items)) = stack.pop() else {
                                unreachable!("the last frame was just seen to be an array")
                            };
                            value = Node::Array(items);
                        }
                        None => return Err(p.err("EOF while parsing a list")),
                        Some(_) => return Err(p.err("expected `,` or `]`")),
                    }
                }
                Some(Frame::Object(fields, key)) => {
                    fields.push((std::mem::take(key), value));
                    match p.peek() {
                        Some(b',') => {
                            p.i += 1;
                            p.skip_ws();
                            *key = p.key()?;
                            continue 'value;
                        }
                        Some(b'}') => {
                            p.i += 1;
                            let Some(Frame::Object(fields, _)) = stack.pop() else {
                                unreachable!("the last frame was just seen to be an object")
                            };
                            value = Node::Object(fields);
                        }
                        None => return Err(p.err("EOF while parsing an object")),
                        Some(_) => return Err(p.err("expected `,` or `}`")),
                    }
                }
            }
        }
    }
}

fn eof_in(frame: Option<&Frame>) -> &'static str {
    match frame {
        None => "EOF while parsing a value",
        Some(Frame::Array(_)) => "EOF while parsing a list",
        Some(Frame::Object(..)) => "EOF while parsing an object",
    }
}

struct Cursor<'a> {
    text: &'a str,
    b: &'a [u8],
    i: usize,
    lone: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn err(&self, message: &'static str) -> SyntaxError {
        SyntaxError {
            message,
            offset: self.i.min(self.b.len()),
        }
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    /// An object key and its colon, the cursor on the key's opening quote (or not).
    fn key(&mut self) -> Result<String, SyntaxError> {
        match self.peek() {
            Some(b'"') => {}
            None => return Err(self.err("EOF while parsing an object")),
            Some(_) => return Err(self.err("key must be a string")),
        }
        let key = self.string()?;
        self.skip_ws();
        match self.peek() {
            Some(b':') => {
                self.i += 1;
                Ok(key)
            }
            None => Err(self.err("EOF while parsing an object")),
            Some(_) => Err(self.err("expected `:`")),
        }
    }

    fn literal(&mut self, word: &'static str, node: Node) -> Result<Node, SyntaxError> {
        for &want in word.as_bytes() {
            match self.peek() {
                Some(c) if c == want => self.i += 1,
                None => return Err(self.err("EOF while parsing a value")),
                Some(_) => return Err(self.err("expected ident")),
            }
        }
        Ok(node)
    }

    fn digits(&mut self) -> usize {
        let start = self.i;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.i += 1;
        }
        self.i - start
    }

    fn number(&mut self) -> Result<Node, SyntaxError> {
        let start = self.i;
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        match self.peek() {
            Some(b'0') => self.i += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            None => return Err(self.err("EOF while parsing a value")),
            Some(_) => return Err(self.err("invalid number")),
        }
        let mut integer = true;
        if self.peek() == Some(b'.') {
            self.i += 1;
            integer = false;
            if self.digits() == 0 {
                return Err(self.err("invalid number"));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            integer = false;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if self.digits() == 0 {
                return Err(self.err("invalid number"));
            }
        }
        let s = &self.text[start..self.i];
        if integer && let Ok(n) = s.parse::<i64>() {
            return Ok(Node::Int(n));
        }
        // Too big for i64, or a fraction: f64 as serde_json reads it (1e400 is infinite).
        s.parse::<f64>().map(Node::Float).map_err(|_| SyntaxError {
            message: "invalid number",
            offset: start,
        })
    }

    /// A string, the cursor on its opening quote.
    fn string(&mut self) -> Result<String, SyntaxError> {
        self.i += 1;
        let mut out = String::new();
        let mut start = self.i;
        loop {
            let Some(c) = self.peek() else {
                return Err(self.err("EOF while parsing a string"));
            };
            match c {
                b'"' => {
                    // Only ever stopped on ASCII bytes: both ends are character boundaries.
                    out.push_str(&self.text[start..self.i]);
                    self.i += 1;
                    return Ok(out);
                }
                b'\\' => {
                    out.push_str(&self.text[start..self.i]);
                    self.i += 1;
                    self.escape(&mut out)?;
                    start = self.i;
                }
                0..=0x1f => {
                    return Err(self
                        .err("control character (\\u0000-\\u001F) found while parsing a string"));
                }
                _ => self.i += 1,
            }
        }
    }

    /// One escape after its backslash.
    fn escape(&mut self, out: &mut String) -> Result<(), SyntaxError> {
        let Some(c) = self.peek() else {
            return Err(self.err("EOF while parsing a string"));
        };
        self.i += 1;
        let simple = match c {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let unit = self.hex4()?;
                let c = match unit {
                    0xD800..=0xDBFF => {
                        let rest = self.b.get(self.i..self.i + 2);
                        let low = if rest == Some(b"\\u") {
                            let save = self.i;
                            self.i += 2;
                            match self.hex4() {
                                Ok(low @ 0xDC00..=0xDFFF) => Some(low),
                                // Not a low half: leave it to be read as its own escape.
                                _ => {
                                    self.i = save;
                                    None
                                }
                            }
                        } else {
                            None
                        };
                        match low {
                            Some(low) => char::from_u32(
                                0x10000
                                    + ((u32::from(unit) - 0xD800) << 10)
                                    + (u32::from(low) - 0xDC00),
                            ),
                            None => None,
                        }
                    }
                    0xDC00..=0xDFFF => None,
                    _ => char::from_u32(u32::from(unit)),
                };
                if c.is_none() {
                    self.lone += 1;
                }
                c.unwrap_or('\u{fffd}')
            }
            _ => {
                self.i -= 1;
                return Err(self.err("invalid escape"));
            }
        };
        out.push(simple);
        Ok(())
    }

    fn hex4(&mut self) -> Result<u16, SyntaxError> {
        let mut unit = 0u16;
        for _ in 0..4 {
            let Some(c) = self.peek() else {
                return Err(self.err("EOF while parsing a string"));
            };
            let Some(d) = char::from(c).to_digit(16) else {
                return Err(self.err("invalid escape"));
            };
            unit = unit * 16 + d as u16;
            self.i += 1;
        }
        Ok(unit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> Node {
        parse(text).unwrap_or_else(|e| panic!("{text}: {e:?}")).node
    }

    fn err(text: &str) -> (&'static str, (usize, usize)) {
        let e = parse(text).unwrap_err();
        (e.message, e.line_column(text))
    }

    #[test]
    fn reads_every_kind_of_value() {
        assert_eq!(
            ok(r#" {"a": [1, -2.5, 1e3, true, false, null, "x\"\\\/\b\f\n\r\t\u00e9"], "b": {}} "#),
            Node::Object(vec![
                (
                    "a".into(),
                    Node::Array(vec![
                        Node::Int(1),
                        Node::Float(-2.5),
                        Node::Float(1000.0),
                        Node::Bool(true),
                        Node::Bool(false),
                        Node::Null,
                        Node::Str("x\"\\/\u{8}\u{c}\n\r\t\u{e9}".into()),
                    ])
                ),
                ("b".into(), Node::Object(vec![])),
            ])
        );
        assert_eq!(ok("[]"), Node::Array(vec![]));
        assert_eq!(
            ok("18446744073709551616"),
            Node::Float(18_446_744_073_709_551_616.0)
        );
        assert_eq!(
            ok("\"h\u{e9}llo \u{1f600}\""),
            Node::Str("h\u{e9}llo \u{1f600}".into())
        );
    }

    #[test]
    fn surrogates_pair_up_or_become_replacement_characters() {
        let p =
            parse(r#"["\ud83d\ude00", "\ud83d", "\udc00x", "\\ud83d", "\ud83d\u0041"]"#).unwrap();
        assert_eq!(p.lone_surrogates, 3);
        assert_eq!(
            p.node,
            Node::Array(
                ["\u{1f600}", "\u{fffd}", "\u{fffd}x", "\\ud83d", "\u{fffd}A"]
                    .map(|s| Node::Str(s.into()))
                    .into()
            )
        );
    }

    #[test]
    fn errors_say_what_and_where_like_serde() {
        assert_eq!(err("{\n  \"a\": 1 2\n}"), ("expected `,` or `}`", (2, 10)));
        assert_eq!(err("[1, 2"), ("EOF while parsing a list", (1, 6)));
        assert_eq!(err("{\"a\":"), ("EOF while parsing an object", (1, 6)));
        assert_eq!(err("\"abc"), ("EOF while parsing a string", (1, 5)));
        assert_eq!(err(""), ("EOF while parsing a value", (1, 1)));
        assert_eq!(err("[1] x"), ("trailing characters", (1, 5)));
        assert_eq!(err("{1:2}"), ("key must be a string", (1, 2)));
        assert_eq!(err("{\"a\" 1}"), ("expected `:`", (1, 6)));
        assert_eq!(err("[tru]"), ("expected ident", (1, 5)));
        assert_eq!(err("[01]"), ("expected `,` or `]`", (1, 3)));
        assert_eq!(err("[1.]"), ("invalid number", (1, 4)));
        assert_eq!(err("[-]"), ("invalid number", (1, 3)));
        assert_eq!(err("[\"\\x\"]"), ("invalid escape", (1, 4)));
        assert_eq!(err("[\"\\u12g4\"]"), ("invalid escape", (1, 7)));
        assert_eq!(
            err("[\"a\nb\"]"),
            (
                "control character (\\u0000-\\u001F) found while parsing a string",
                (1, 4)
            )
        );
        assert_eq!(err("[1,]"), ("expected value", (1, 4)));
        // Columns count characters, not bytes.
        assert_eq!(err("[\"\u{e9}\u{e9}\" x]"), ("expected `,` or `]`", (1, 7)));
    }

    /// `serde_json`'s value as a [`Node`], to compare.
    fn conv(v: &serde_json::Value) -> Node {
        match v {
            serde_json::Value::Null => Node::Null,
            serde_json::Value::Bool(b) => Node::Bool(*b),
            serde_json::Value::Number(n) => n
                .as_i64()
                .map_or_else(|| Node::Float(n.as_f64().unwrap()), Node::Int),
            serde_json::Value::String(s) => Node::Str(s.clone()),
            serde_json::Value::Array(a) => Node::Array(a.iter().map(conv).collect()),
            serde_json::Value::Object(o) => {
                Node::Object(o.iter().map(|(k, v)| (k.clone(), conv(v))).collect())
            }
        }
    }

    #[test]
    fn agrees_with_serde_json_on_valid_documents() {
        let text =
            r#"{"id": 7, "kids": [{"n": -0.0, "t": "a\u00e9\ud83d\ude00"}, [], {}], "x": 1.5e-3}"#;
        let ours = ok(text);
        let theirs: serde_json::Value = serde_json::from_str(text).unwrap();
        assert_eq!(ours, conv(&theirs));
    }

    #[test]
    fn unclosed_deep_nesting_fails_with_one_error() {
        let depth = 100_000;
        let text = "{\"id\":1,\"children\":[".repeat(depth);
        let e = parse(&text).unwrap_err();
        assert_eq!(e.message, "EOF while parsing a list");
        assert_eq!(e.offset, text.len());
        let text = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        assert!(parse(&text).is_ok());
    }
}
