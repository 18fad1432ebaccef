//! One way to name a place in a TOML file: the file, the 1-based line of a span, the key as
//! the user knows it (`split`, `[fetch] pace`, `[[rules]] #2 action`) and a message.
//!
//! Owns: turning `toml`'s and serde's errors (a parse error, an unknown field found by
//! `deny_unknown_fields`, a table where a value belongs) into today's [`ConfigError`]
//! messages, "did you mean" by `strsim`, and the "expected X, found Y" wording every
//! setting shares. Must not: know any particular setting (the derived structs in `file.rs`,
//! `fetch.rs` and `rules.rs` do).

use std::ops::Range;

use serde::Deserialize;
use toml::{Spanned, Value};

use super::ConfigError;

/// The text of one TOML file and how to name it in errors.
#[derive(Clone, Copy)]
pub(crate) struct Located<'a> {
    /// The whole file.
    pub text: &'a str,
    /// Its name in messages (a path, `config.toml`).
    pub file: &'a str,
}

/// A table field of a derived struct (`fetch`, `rules`), as messages name it.
pub(crate) struct TableShape<'k> {
    /// The field (and serde path head): `fetch`.
    pub field: &'static str,
    /// Its label before a key: `[fetch]`, `[[rules]]` (array items get ` #n`).
    pub label: &'static str,
    /// What an unknown key in it is called: `setting`, `field`.
    pub what: &'static str,
    /// Its keys, for "known: ..." and "did you mean".
    pub known: &'k [&'static str],
    /// What a wrong value in its place should have been.
    pub expected: &'static str,
}

/// Where serde refused something.
struct Place<'k> {
    /// The label of the table (`[fetch]`, `[[rules]] #2`); empty at the top level.
    key: String,
    shape: Option<&'k TableShape<'k>>,
}

impl Located<'_> {
    /// An error at `span` (a byte range of [`Located::text`]).
    pub(crate) fn at(&self, span: Range<usize>, key: &str, message: String) -> ConfigError {
        ConfigError {
            file: self.file.to_string(),
            line: Some(line_of(self.text, span.start)),
            key: Some(key.to_string()),
            message,
        }
    }

    /// "expected {expected}, found {what v is}", at `v`.
    pub(crate) fn wrong(&self, v: &Spanned<Value>, key: &str, expected: &str) -> ConfigError {
        self.at(
            v.span(),
            key,
            format!("expected {expected}, found {}", describe(v.get_ref())),
        )
    }

    /// `convert(v)`, or [`Located::wrong`] when it says no.
    pub(crate) fn expect<T>(
        &self,
        v: &Spanned<Value>,
        key: &str,
        expected: &str,
        convert: impl FnOnce(&Value) -> Option<T>,
    ) -> Result<T, ConfigError> {
        convert(v.get_ref()).ok_or_else(|| self.wrong(v, key, expected))
    }

    /// Parses the file into `T` (a struct with `deny_unknown_fields`), naming any error with
    /// its line and key. `top` is the top level's keys, `tables` the table fields of `T`.
    pub(crate) fn deserialize<T: for<'de> Deserialize<'de>>(
        &self,
        top: &[&'static str],
        tables: &[TableShape<'_>],
    ) -> Result<T, ConfigError> {
        let de = toml::Deserializer::parse(self.text).map_err(|e| self.syntax(&e))?;
        serde_path_to_error::deserialize(de).map_err(|e| {
            let path = e.path().to_string();
            let place = place(&path, tables);
            self.refused(e.inner(), &place, top)
        })
    }

    /// A file that is not TOML at all.
    pub(crate) fn syntax(&self, e: &toml::de::Error) -> ConfigError {
        ConfigError {
            file: self.file.to_string(),
            line: e.span().map(|s| line_of(self.text, s.start)),
            key: None,
            message: format!("not valid TOML: {}", e.message().trim()),
        }
    }

    /// serde's refusal in today's words: an unknown key (with "did you mean"), or a table
    /// field given something that is not a table.
    fn refused(&self, e: &toml::de::Error, place: &Place<'_>, top: &[&'static str]) -> ConfigError {
        let span = e.span().unwrap_or(0..0);
        let (what, known) = place.shape.map_or(("setting", top), |s| (s.what, s.known));
        if let Some(name) = unknown_field(e.message()) {
            let key = if place.key.is_empty() {
                name.to_string()
            } else {
                format!("{} {name}", place.key)
            };
            let hint = did_you_mean(name, known)
                .map(|k| format!(" (did you mean \"{k}\"?)"))
                .unwrap_or_default();
            return self.at(
                span,
                &key,
                format!("unknown {what}{hint} (known: {})", known.join(", ")),
            );
        }
        match place.shape {
            // The table itself is the wrong shape: name the setting, as for any other.
            Some(shape) => self.at(span, shape.field, format!("expected {}", shape.expected)),
            None => self.at(span, &place.key, one_line(e.message())),
        }
    }
}

/// Which table a serde path (`.`, `fetch`, `rules[1]`) is in.
fn place<'k>(path: &str, tables: &'k [TableShape<'k>]) -> Place<'k> {
    let head = path.split(['.', '[']).next().unwrap_or_default();
    let Some(shape) = tables.iter().find(|t| t.field == head) else {
        return Place {
            key: String::new(),
            shape: None,
        };
    };
    // `rules[1]` is the user's "[[rules]] #2".
    let index = path
        .strip_prefix(shape.field)
        .and_then(|rest| rest.strip_prefix('['))
        .and_then(|rest| rest.split(']').next())
        .and_then(|n| n.parse::<usize>().ok());
    Place {
        key: match index {
            Some(i) => format!("{} #{}", shape.label, i + 1),
            None => shape.label.to_string(),
        },
        shape: Some(shape),
    }
}

/// The field name of serde's "unknown field `x`, expected ..." message.
///
/// `toml` hands a date to serde as a table with one private key: that is a value of the
/// wrong type, not an unknown field.
fn unknown_field(message: &str) -> Option<&str> {
    message
        .strip_prefix("unknown field `")
        .and_then(|rest| rest.split('`').next())
        .filter(|name| !name.starts_with("$__toml_private"))
}

/// The known name closest to `name`, if it is a likely typo (at most two edits).
#[must_use]
pub(crate) fn did_you_mean<'k>(name: &str, known: &[&'k str]) -> Option<&'k str> {
    known
        .iter()
        .map(|k| (strsim::levenshtein(k, name), *k))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, k)| k)
}

/// A value as the user wrote it, for "found ...": text quoted and sanitised, numbers and
/// booleans as they are, anything else by its TOML type.
pub(crate) fn describe(v: &Value) -> String {
    match v {
        Value::String(s) => format!("\"{}\"", crate::text::sanitize_line(s)),
        Value::Integer(i) => i.to_string(),
        Value::Boolean(b) => b.to_string(),
        other => other.type_str().to_string(),
    }
}

/// The 1-based line of a byte offset (TOML spans are byte offsets).
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    let end = text.floor_char_boundary(offset.min(text.len()));
    text[..end].matches('\n').count() + 1
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_get_the_nearest_known_name() {
        let known = ["split", "colors", "theme"];
        assert_eq!(did_you_mean("colour", &known), Some("colors"));
        assert_eq!(did_you_mean("spilt", &known), Some("split"));
        assert_eq!(did_you_mean("unrelated", &known), None);
    }

    #[test]
    fn lines_count_from_one_and_survive_odd_offsets() {
        assert_eq!(line_of("a\nb\nc", 0), 1);
        assert_eq!(line_of("a\nb\nc", 4), 3);
        assert_eq!(line_of("é\nx", 1), 1);
        assert_eq!(line_of("x", 99), 1);
    }
}
