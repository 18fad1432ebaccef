//! A JSON tree that survives any nesting depth, shared by every JSON format.
//!
//! `serde_json`'s `Value` is parsed recursively (limit 128) and dropped recursively, and it
//! rejects a lone UTF-16 surrogate escape. Here:
//! - a byte-level pre-pass replaces lone surrogate escapes (`"\ud83d"`, common from JavaScript
//!   exporters) with `\ufffd`, same length, and counts them for a warning;
//! - [`Node`] is deserialized with `serde_json`'s recursion limit off, on a stack that
//!   `serde_stacker` grows on the heap as deep as the file needs;
//! - [`Node`]'s `Drop` is a loop, so a 100,000-deep tree (or a half-built one on an error path)
//!   never recurses when it is freed.
//!
//! Objects keep their keys in file order as a `Vec`: lookups are linear, which is faster than a
//! map for the dozen-to-forty keys the sites' objects have. No IO.

use std::borrow::Cow;
use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::format::FormatError;

/// A parsed JSON value.
#[derive(Debug, PartialEq, Default)]
pub enum Node {
    /// `null`.
    #[default]
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer that fits `i64`.
    Int(i64),
    /// Any other number.
    Float(f64),
    /// A string.
    Str(String),
    /// An array.
    Array(Vec<Node>),
    /// An object, keys in file order.
    Object(Vec<(String, Node)>),
}

impl Drop for Node {
    fn drop(&mut self) {
        // Only containers holding containers need the loop; leaves drop as usual.
        let has_nested = match self {
            Self::Array(v) => v.iter().any(Node::is_container),
            Self::Object(m) => m.iter().any(|(_, v)| v.is_container()),
            _ => false,
        };
        if !has_nested {
            return;
        }
        let mut stack: Vec<Node> = Vec::new();
        self.move_children_into(&mut stack);
        while let Some(mut node) = stack.pop() {
            node.move_children_into(&mut stack);
            // `node` now has no children: its own drop is shallow.
        }
    }
}

impl Node {
    fn is_container(&self) -> bool {
        matches!(self, Self::Array(_) | Self::Object(_))
    }

    fn move_children_into(&mut self, stack: &mut Vec<Node>) {
        match self {
            Self::Array(v) => stack.append(v),
            Self::Object(m) => stack.extend(m.drain(..).map(|(_, v)| v)),
            _ => {}
        }
    }

    /// The object's fields, if this is an object.
    #[must_use]
    pub fn as_object(&self) -> Option<&[(String, Node)]> {
        match self {
            Self::Object(m) => Some(m),
            _ => None,
        }
    }

    /// The array's items, if this is an array.
    #[must_use]
    pub fn as_array(&self) -> Option<&[Node]> {
        match self {
            Self::Array(v) => Some(v),
            _ => None,
        }
    }

    /// The string, if this is a string.
    #[must_use]
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Self::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The field `key` of an object (first occurrence); `None` for non-objects.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_object()?
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    /// True when this object has the field `key`.
    #[must_use]
    pub fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Removes and returns the field `key` of an object (for walking a tree by taking it apart).
    pub fn take(&mut self, key: &str) -> Option<Node> {
        match self {
            Self::Object(m) => {
                let i = m.iter().position(|(k, _)| k == key)?;
                Some(m.swap_remove(i).1)
            }
            _ => None,
        }
    }

    /// Takes the items out of an array, leaving it empty.
    pub fn take_items(&mut self) -> Option<Vec<Node>> {
        match self {
            Self::Array(v) => Some(std::mem::take(v)),
            _ => None,
        }
    }

    /// Lenient string: a string, or a number written as text.
    #[must_use]
    pub fn text(&self) -> Option<Cow<'_, str>> {
        match self {
            Self::Str(s) => Some(Cow::Borrowed(s)),
            Self::Int(i) => Some(Cow::Owned(i.to_string())),
            Self::Float(f) => Some(Cow::Owned(f.to_string())),
            _ => None,
        }
    }

    /// Lenient integer: an integer, a whole float, or a string of digits.
    #[must_use]
    pub fn int(&self) -> Option<i64> {
        match self {
            Self::Int(i) => Some(*i),
            Self::Float(f) if f.is_finite() => Some(f.floor() as i64),
            Self::Str(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// Lenient boolean: `true`/`false`, or 0/1.
    #[must_use]
    pub fn truthy(&self) -> bool {
        match self {
            Self::Bool(b) => *b,
            Self::Int(i) => *i != 0,
            _ => false,
        }
    }

    /// Checks that a document is an object; else the error says what was `expected` (a
    /// whole phrase, such as `a Lobsters story object`) and what was found.
    pub fn expect_object(&self, source: &str, expected: &str) -> Result<(), super::FormatError> {
        if self.as_object().is_some() {
            return Ok(());
        }
        Err(super::FormatError::new(
            source,
            None,
            format!("expected {expected}, found {}", self.describe()),
        ))
    }

    /// Says what this value is, for messages: `12`, `"abc"`, `an array`.
    #[must_use]
    pub fn describe(&self) -> String {
        match self {
            Self::Null => "null".into(),
            Self::Bool(b) => b.to_string(),
            Self::Int(i) => i.to_string(),
            Self::Float(f) => f.to_string(),
            Self::Str(s) => {
                let short: String = s.chars().take(40).collect();
                let more = if short.len() < s.len() { "…" } else { "" };
                format!("\"{short}{more}\"")
            }
            Self::Array(_) => "an array".into(),
            Self::Object(_) => "an object".into(),
        }
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_none<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Node, E> {
        Ok(i64::try_from(v).map_or(Node::Float(v as f64), Node::Int))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Node, E> {
        Ok(Node::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Node, E> {
        Ok(Node::Str(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Node, E> {
        Ok(Node::Str(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element::<Node>()? {
            items.push(item);
        }
        Ok(Node::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut fields = Vec::new();
        while let Some((k, v)) = map.next_entry::<String, Node>()? {
            fields.push((k, v));
        }
        Ok(Node::Object(fields))
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

/// Replaces every `\uD800`–`\uDFFF` escape that is not half of a valid pair with `\uFFFD`.
/// Returns the text (borrowed when nothing changed) and how many were replaced.
#[must_use]
pub fn fix_lone_surrogates(text: &str) -> (Cow<'_, str>, usize) {
    let b = text.as_bytes();
    let unit = |i: usize| -> Option<u16> {
        if b.get(i) != Some(&b'\\') || b.get(i + 1) != Some(&b'u') {
            return None;
        }
        let hex = text.get(i + 2..i + 6)?;
        u16::from_str_radix(hex, 16).ok()
    };
    let mut out: Option<Vec<u8>> = None;
    let mut count = 0;
    let mut i = 0;
    while let Some(off) = b[i..].iter().position(|&c| c == b'\\') {
        i += off;
        match unit(i) {
            Some(hi @ 0xD800..=0xDBFF) => {
                if matches!(unit(i + 6), Some(0xDC00..=0xDFFF)) {
                    i += 12;
                    continue;
                }
                let _ = hi;
                out.get_or_insert_with(|| b.to_vec())[i..i + 6].copy_from_slice(b"\\ufffd");
                count += 1;
                i += 6;
            }
            Some(0xDC00..=0xDFFF) => {
                out.get_or_insert_with(|| b.to_vec())[i..i + 6].copy_from_slice(b"\\ufffd");
                count += 1;
                i += 6;
            }
            Some(_) => i += 6,
            // `\\`, `\"`, ...: skip the escaped character so `\\ud83d` stays text.
            None => i += 2,
        }
        if i >= b.len() {
            break;
        }
    }
    match out {
        // Only ASCII bytes were replaced by ASCII bytes, so this stays UTF-8.
        Some(v) => (
            Cow::Owned(
                String::from_utf8(v)
                    .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
            ),
            count,
        ),
        None => (Cow::Borrowed(text), 0),
    }
}

/// Parses JSON text of any depth into a [`Node`], replacing lone surrogate escapes (with a
/// warning pushed to `warnings`).
///
/// # Errors
/// When the text is not JSON: the message names the line and column.
pub fn parse(text: &str, source: &str, warnings: &mut Vec<String>) -> Result<Node, FormatError> {
    let (fixed, lone) = fix_lone_surrogates(text);
    if lone > 0 {
        warnings.push(format!(
            "{lone} lone UTF-16 surrogate escape(s) (like \"\\ud83d\") shown as \u{fffd}"
        ));
    }
    let mut de = serde_json::Deserializer::from_str(&fixed);
    de.disable_recursion_limit();
    let stacked = serde_stacker::Deserializer::new(&mut de);
    let node = Node::deserialize(stacked).map_err(|e| json_error(source, &e))?;
    de.end().map_err(|e| json_error(source, &e))?;
    Ok(node)
}

fn json_error(source: &str, e: &serde_json::Error) -> FormatError {
    FormatError::new(
        source,
        Some(format!("line {}, column {}", e.line(), e.column())),
        format!("not valid JSON: {e}"),
    )
}

/// Typed access to the fields of one object, with messages that name the field and where the
/// object is (`comments[3].author: expected a string or null, found 12`).
pub struct Fields<'a> {
    node: &'a Node,
    source: &'a str,
    location: &'a dyn Fn() -> String,
}

impl<'a> Fields<'a> {
    /// Wraps `node`; `location` says where it is (only called for messages).
    pub fn new(node: &'a Node, source: &'a str, location: &'a dyn Fn() -> String) -> Self {
        Self {
            node,
            source,
            location,
        }
    }

    /// An error about `key` of this object.
    #[must_use]
    pub fn error(&self, key: &str, message: impl Into<String>) -> FormatError {
        let loc = (self.location)();
        let loc = if loc.is_empty() {
            key.to_string()
        } else {
            format!("{loc}.{key}")
        };
        FormatError::new(self.source, Some(loc), message)
    }

    fn wrong(&self, key: &str, expected: &str, found: &Node) -> FormatError {
        self.error(
            key,
            format!("expected {expected}, found {}", found.describe()),
        )
    }

    /// A string field that may be missing or null.
    pub fn opt_str(&self, key: &str) -> Result<Option<&'a str>, FormatError> {
        match self.node.get(key) {
            None | Some(Node::Null) => Ok(None),
            Some(Node::Str(s)) => Ok(Some(s)),
            Some(other) => Err(self.wrong(key, "a string or null", other)),
        }
    }

    /// An integer field that may be missing or null.
    pub fn opt_int(&self, key: &str) -> Result<Option<i64>, FormatError> {
        match self.node.get(key) {
            None | Some(Node::Null) => Ok(None),
            Some(Node::Int(i)) => Ok(Some(*i)),
            Some(Node::Float(f)) if f.fract() == 0.0 && f.abs() < 9.0e18 => Ok(Some(*f as i64)),
            Some(other) => Err(self.wrong(key, "an integer or null", other)),
        }
    }

    /// A boolean field; missing or null is `false`.
    pub fn bool(&self, key: &str) -> Result<bool, FormatError> {
        match self.node.get(key) {
            None | Some(Node::Null) => Ok(false),
            Some(Node::Bool(b)) => Ok(*b),
            Some(other) => Err(self.wrong(key, "true, false or null", other)),
        }
    }

    /// An id: a string or an integer (written as text), missing or null is `None`.
    pub fn opt_id(&self, key: &str) -> Result<Option<String>, FormatError> {
        match self.node.get(key) {
            None | Some(Node::Null) => Ok(None),
            Some(Node::Str(s)) => Ok(Some(s.clone())),
            Some(Node::Int(i)) => Ok(Some(i.to_string())),
            Some(other) => Err(self.wrong(key, "a string, an integer or null", other)),
        }
    }

    /// A field that must be an array when present.
    pub fn opt_array(&self, key: &str) -> Result<Option<&'a [Node]>, FormatError> {
        match self.node.get(key) {
            None | Some(Node::Null) => Ok(None),
            Some(Node::Array(v)) => Ok(Some(v)),
            Some(other) => Err(self.wrong(key, "an array or null", other)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lone_surrogates_replaced_pairs_kept() {
        let (t, n) = fix_lone_surrogates(r#"["\ud83d", "\ud83d\ude00", "\\ud83d", "\udc00x"]"#);
        assert_eq!(n, 2);
        let v: Vec<String> = serde_json::from_str(&t).unwrap();
        assert_eq!(v, ["\u{fffd}", "😀", "\\ud83d", "\u{fffd}x"]);
        let (t, n) = fix_lone_surrogates(r#""\uD83D\"""#);
        assert_eq!((n, t.as_ref()), (1, r#""\ufffd\"""#));
        assert!(matches!(fix_lone_surrogates("\"ok\"").0, Cow::Borrowed(_)));
        // A trailing backslash or truncated escape must not panic.
        let _ = fix_lone_surrogates("\"\\");
        let _ = fix_lone_surrogates("\"\\ud8");
    }

    #[test]
    fn parses_and_drops_very_deep_nesting() {
        let depth = 200_000;
        let text = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        let mut w = Vec::new();
        let node = parse(&text, "t", &mut w).unwrap();
        drop(node);
        let text = format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth));
        parse(&text, "t", &mut w).unwrap();
        // An error after a deep, complete subtree drops the half-built tree without recursing.
        let text = format!("[{}{}, {{]", "[".repeat(depth), "]".repeat(depth));
        assert!(parse(&text, "t", &mut w).is_err());
    }

    #[test]
    fn parse_error_names_line_and_column() {
        let e = parse("{\n  \"a\": 1 2\n}", "f.json", &mut Vec::new()).unwrap_err();
        assert_eq!(e.location.as_deref(), Some("line 2, column 10"));
        assert!(e.message.starts_with("not valid JSON"), "{}", e.message);
    }

    #[test]
    fn wrong_type_names_field() {
        let node = parse(r#"{"author": 12}"#, "f", &mut Vec::new()).unwrap();
        let loc = || "comments[3]".to_string();
        let f = Fields::new(&node, "f", &loc);
        let e = f.opt_str("author").unwrap_err();
        assert_eq!(
            e.to_string(),
            "f: comments[3].author: expected a string or null, found 12"
        );
    }
}
