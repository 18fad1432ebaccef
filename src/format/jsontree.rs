//! A JSON tree that survives any nesting depth, shared by every JSON format.
//!
//! `serde_json`'s `Value` is parsed recursively (limit 128) and dropped recursively, and it
//! rejects a lone UTF-16 surrogate escape. Here:
//! - [`parse`] reads the text with [`super::jsonparse`], an iterative parser that is linear in
//!   its input at any depth, on error paths too, and turns lone surrogate escapes
//!   (`"\ud83d"`, common from JavaScript exporters) into U+FFFD with a warning;
//! - [`Node`]'s `Drop` is a loop, so a 100,000-deep tree (or a half-built one on an error path)
//!   never recurses when it is freed.
//!
//! Objects keep their keys in file order as a `Vec`: lookups are linear, which is faster than a
//! map for the dozen-to-forty keys the sites' objects have. No IO.

use std::borrow::Cow;

use crate::format::FormatError;

/// A JSON scalar as the readers take it, leniently: one place for the conversions the tree
/// path ([`Node`]) and the typed fast path (`typed::field::Field`) both make, so the two
/// read a field of an unexpected type the same way.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Scalar<'a> {
    Str(&'a str),
    Int(i64),
    Float(f64),
    Bool(bool),
    /// `null`, a container, or an absent key.
    Other,
}

impl<'a> Scalar<'a> {
    /// A string, or a number written as text.
    pub(crate) fn text(self) -> Option<Cow<'a, str>> {
        match self {
            Self::Str(s) => Some(Cow::Borrowed(s)),
            Self::Int(i) => Some(Cow::Owned(i.to_string())),
            Self::Float(f) => Some(Cow::Owned(f.to_string())),
            _ => None,
        }
    }

    /// An integer, a whole float, or a string of digits.
    #[allow(clippy::cast_possible_truncation)] // Saturating, as the readers always did.
    pub(crate) fn int(self) -> Option<i64> {
        match self {
            Self::Int(i) => Some(i),
            Self::Float(f) if f.is_finite() => Some(f.floor() as i64),
            Self::Str(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// `true`/`false`, or 0/1.
    pub(crate) fn truthy(self) -> bool {
        match self {
            Self::Bool(b) => b,
            Self::Int(i) => i != 0,
            _ => false,
        }
    }
}

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

    /// This value as a scalar, for the lenient readings below.
    fn scalar(&self) -> Scalar<'_> {
        match self {
            Self::Str(s) => Scalar::Str(s),
            Self::Int(i) => Scalar::Int(*i),
            Self::Float(f) => Scalar::Float(*f),
            Self::Bool(b) => Scalar::Bool(*b),
            _ => Scalar::Other,
        }
    }

    /// Lenient string: a string, or a number written as text.
    #[must_use]
    pub fn text(&self) -> Option<Cow<'_, str>> {
        self.scalar().text()
    }

    /// Lenient integer: an integer, a whole float, or a string of digits.
    #[must_use]
    pub fn int(&self) -> Option<i64> {
        self.scalar().int()
    }

    /// Lenient boolean: `true`/`false`, or 0/1.
    #[must_use]
    pub fn truthy(&self) -> bool {
        self.scalar().truthy()
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

/// Parses JSON text of any depth into a [`Node`], replacing lone surrogate escapes (with a
/// warning pushed to `warnings`).
///
/// # Errors
/// When the text is not JSON: the message names the line and column.
pub fn parse(text: &str, source: &str, warnings: &mut Vec<String>) -> Result<Node, FormatError> {
    parse_with(text, source, warnings, &mut |_| {})
}

/// [`parse`], reporting the bytes read to `progress` as it goes.
///
/// # Errors
/// As [`parse`].
pub fn parse_with(
    text: &str,
    source: &str,
    warnings: &mut Vec<String>,
    progress: &mut dyn FnMut(usize),
) -> Result<Node, FormatError> {
    let parsed = super::jsonparse::parse_with(text, progress).map_err(|e| {
        let (line, column) = e.line_column(text);
        FormatError::new(
            source,
            Some(format!("line {line}, column {column}")),
            format!("not valid JSON: {}", e.message),
        )
    })?;
    let lone = parsed.lone_surrogates;
    if lone > 0 {
        warnings.push(format!(
            "{lone} lone UTF-16 surrogate escape(s) (like \"\\ud83d\") shown as \u{fffd}"
        ));
    }
    Ok(parsed.node)
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
    fn lone_surrogates_become_replacement_characters_with_a_warning() {
        let mut w = Vec::new();
        let node = parse(r#"["\ud83d", "\ud83d\ude00", "\\ud83d"]"#, "f", &mut w).unwrap();
        assert_eq!(
            node,
            Node::Array(
                ["\u{fffd}", "😀", "\\ud83d"]
                    .map(|s| Node::Str(s.into()))
                    .into()
            )
        );
        assert_eq!(w.len(), 1);
        assert!(w[0].starts_with("1 lone"), "{w:?}");
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
