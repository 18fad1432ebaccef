//! `config.toml` as written: a serde-derived struct with `deny_unknown_fields` (so an
//! unknown setting is found by serde, located by `toml`'s spans and named by
//! `located.rs`), and the checks that turn each value into a [`Config`] field.
//!
//! Every value is read as a `Spanned<toml::Value>` and converted here rather than typed in
//! the struct: serde's own type errors ("invalid type: string, expected a boolean") would
//! replace messages that say what a setting takes (`expected true or false, found "yes"`).
//! `[keys]` is walked by `keys.rs`, not derived: its keys are action and mode names (data
//! from the keymap), not fields. Must not: read files or the environment.

use toml::{Spanned, Value};

use super::located::{Located, TableShape, line_of};
use super::rules::{RULE_FIELDS, RuleFile};
use super::{
    Config, ConfigError, FETCH_SETTINGS, Origin, Osc8, SETTINGS, SPLIT_RANGE, TEXT_WIDTH_RANGE,
    fetch, rules,
};
use crate::theme::ColorDepth;

/// The top level of `config.toml`.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ConfigFile {
    theme: Option<Spanned<Value>>,
    reader: Option<Spanned<Value>>,
    split: Option<Spanned<Value>>,
    text_width: Option<Spanned<Value>>,
    mouse: Option<Spanned<Value>>,
    osc8: Option<Spanned<Value>>,
    browser: Option<Spanned<Value>>,
    colors: Option<Spanned<Value>>,
    sort: Option<Spanned<Value>>,
    hide_read: Option<Spanned<Value>>,
    cursor: Option<Spanned<Value>>,
    rules: Option<Vec<Spanned<RuleFile>>>,
    fetch: Option<fetch::FetchFile>,
    /// Checked to be a table here; `keys.rs` walks it in the parsed document, with the
    /// spans of every entry (a `toml::Value` has none inside).
    keys: Option<Spanned<Value>>,
}

impl ConfigFile {
    /// Reads `doc` into this shape.
    ///
    /// # Errors
    /// Not TOML, an unknown setting or field, a table setting that is not a table.
    pub(super) fn read(doc: &Located<'_>) -> Result<Self, ConfigError> {
        let top: Vec<&'static str> = SETTINGS.iter().map(|(k, _)| *k).collect();
        let fetch_keys: Vec<&'static str> = FETCH_SETTINGS.iter().map(|(k, _)| *k).collect();
        doc.deserialize(
            &top,
            &[
                TableShape {
                    field: "fetch",
                    label: "[fetch]",
                    what: "setting",
                    known: &fetch_keys,
                    expected: "a table: [fetch] timeout = 30, ...",
                },
                TableShape {
                    field: "rules",
                    label: "[[rules]]",
                    what: "field",
                    known: RULE_FIELDS,
                    expected: "[[rules]] tables",
                },
            ],
        )
    }

    /// Whether the file has a `[keys]` table.
    ///
    /// # Errors
    /// `keys` is there but not a table.
    pub(super) fn has_keys(&self, doc: &Located<'_>) -> Result<bool, ConfigError> {
        match &self.keys {
            Some(v) if !v.get_ref().is_table() => {
                Err(doc.wrong(v, "keys", "a table: [keys] action = [\"key\", ...]"))
            }
            other => Ok(other.is_some()),
        }
    }

    /// Checks every value and applies it over `config`, recording the line it came from.
    ///
    /// # Errors
    /// A wrong type or a value out of range, named with its line and key.
    pub(super) fn apply(&self, config: &mut Config, doc: &Located<'_>) -> Result<(), ConfigError> {
        let seen = |config: &mut Config, name: &'static str, v: &Spanned<Value>| {
            config
                .origins
                .insert(name, Origin::File(line_of(doc.text, v.span().start)));
        };
        let whole = |v: &Value| v.as_integer();
        if let Some(v) = &self.theme {
            let theme = doc.expect(v, "theme", "a theme name or path in quotes", |v| {
                v.as_str().filter(|s| !s.is_empty()).map(str::to_string)
            })?;
            config.theme = theme;
            seen(config, "theme", v);
        }
        if let Some(v) = &self.reader {
            let s = doc.expect(v, "reader", "a reader name in quotes", |v| {
                v.as_str().map(str::to_string)
            })?;
            // The same rule as --reader, so a bad name is an error here too rather than
            // bookmarks silently off at start.
            crate::store::Reader::new(&s).map_err(|e| doc.at(v.span(), "reader", e.to_string()))?;
            config.reader = Some(s);
            seen(config, "reader", v);
        }
        if let Some(v) = &self.split {
            let (lo, hi) = (SPLIT_RANGE.start(), SPLIT_RANGE.end());
            let n = doc.expect(
                v,
                "split",
                &format!("a whole number of percent, {lo}-{hi}"),
                whole,
            )?;
            config.split = u16::try_from(n)
                .ok()
                .filter(|n| SPLIT_RANGE.contains(n))
                .ok_or_else(|| {
                    doc.at(
                        v.span(),
                        "split",
                        format!("{n} is out of range: the article pane takes {lo}-{hi} percent"),
                    )
                })?;
            seen(config, "split", v);
        }
        if let Some(v) = &self.text_width {
            let n = doc.expect(
                v,
                "text_width",
                "a whole number of columns, 20-1000, or 0",
                whole,
            )?;
            config.text_width = usize::try_from(n)
                .ok()
                .filter(|n| *n == 0 || TEXT_WIDTH_RANGE.contains(n))
                .ok_or_else(|| {
                    doc.at(
                        v.span(),
                        "text_width",
                        format!(
                            "{n} is out of range: text is 20-1000 columns wide, or 0 for the pane's width"
                        ),
                    )
                })?;
            seen(config, "text_width", v);
        }
        if let Some(v) = &self.mouse {
            config.mouse = doc.expect(v, "mouse", "true or false", Value::as_bool)?;
            seen(config, "mouse", v);
        }
        if let Some(v) = &self.osc8 {
            config.osc8 = doc.expect(v, "osc8", "true, false or \"auto\"", |v| match v {
                Value::Boolean(true) => Some(Osc8::On),
                Value::Boolean(false) => Some(Osc8::Off),
                Value::String(s) if s == "auto" => Some(Osc8::Auto),
                _ => None,
            })?;
            seen(config, "osc8", v);
        }
        if let Some(v) = &self.browser {
            let s = doc.expect(v, "browser", "a command in quotes", |v| {
                v.as_str()
                    .filter(|s| !s.trim().is_empty())
                    .map(str::to_string)
            })?;
            config.browser = Some(s);
            seen(config, "browser", v);
        }
        if let Some(v) = &self.colors {
            let expected = "\"auto\", \"truecolor\", \"256\", \"16\" or \"none\"";
            config.colors = doc.expect(v, "colors", expected, |v| {
                let word = match v {
                    Value::String(s) => s.clone(),
                    Value::Integer(i) => i.to_string(),
                    _ => return None,
                };
                if word == "auto" {
                    Some(None)
                } else {
                    ColorDepth::from_name(&word).map(Some)
                }
            })?;
            seen(config, "colors", v);
        }
        if let Some(v) = &self.sort {
            let expected = "\"file\", \"score\", \"newest\", \"oldest\" or \"replies\"";
            config.sort = doc.expect(v, "sort", expected, |v| {
                v.as_str().and_then(crate::model::SortOrder::from_name)
            })?;
            seen(config, "sort", v);
        }
        if let Some(v) = &self.hide_read {
            config.hide_read = doc.expect(v, "hide_read", "true or false", Value::as_bool)?;
            seen(config, "hide_read", v);
        }
        if let Some(v) = &self.cursor {
            config.cursor_on_selection =
                doc.expect(v, "cursor", "\"selection\" or \"hidden\"", |v| {
                    match v.as_str() {
                        Some("selection") => Some(true),
                        Some("hidden") => Some(false),
                        _ => None,
                    }
                })?;
            seen(config, "cursor", v);
        }
        if let Some(items) = &self.rules {
            config.rules = rules::parse_rules(items, doc)?;
        }
        if let Some(table) = &self.fetch {
            fetch::apply(&mut config.fetch, table, doc)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::config::{Config, ConfigError, ConfigPaths, FETCH_SETTINGS, SETTINGS};

    fn read(text: &str) -> Result<Config, ConfigError> {
        let mut c = Config::defaults(ConfigPaths {
            dir: None,
            file: None,
            file_found: false,
            themes: None,
            themes_found: false,
        });
        c.read_toml(text, "config.toml").map(|()| c)
    }

    /// Every documented setting is a field of the derived struct (and the reverse: an
    /// undocumented field would be accepted silently), so the list and the struct agree.
    #[test]
    fn every_documented_setting_is_read_and_no_other() {
        for (name, _) in SETTINGS {
            let e = read(&format!("{name} = 1979-05-27T07:32:00Z\n")).unwrap_err();
            assert!(!e.message.contains("unknown"), "{name}: {e}");
            assert_eq!(e.line, Some(1), "{name}: {e}");
        }
        for (name, _) in FETCH_SETTINGS {
            let e = read(&format!("[fetch]\n{name} = 1979-05-27T07:32:00Z\n")).unwrap_err();
            assert!(!e.message.contains("unknown"), "{name}: {e}");
            assert_eq!(e.key.as_deref(), Some(format!("[fetch] {name}").as_str()));
        }
        let e = read("[[rules]]\nauthor = \"a\"\naction = \"hide\"\nwhen = 1\n").unwrap_err();
        assert_eq!(e.key.as_deref(), Some("[[rules]] #1 when"), "{e}");
    }

    #[test]
    fn typos_are_named_with_a_suggestion_and_their_line() {
        let e = read("theme = \"dark\"\n\nspilt = 50\n").unwrap_err();
        assert_eq!((e.line, e.key.as_deref()), (Some(3), Some("spilt")), "{e}");
        assert!(
            e.message
                .starts_with("unknown setting (did you mean \"split\"?) (known: theme, "),
            "{e}"
        );
        let e = read("[fetch]\npase = 1\n").unwrap_err();
        assert_eq!((e.line, e.key.as_deref()), (Some(2), Some("[fetch] pase")));
        assert!(e.message.contains("did you mean \"pace\""), "{e}");
        let e = read("[[rules]]\naction = \"hide\"\n\n[[rules]]\nauthr = \"x\"\n").unwrap_err();
        assert_eq!(
            (e.line, e.key.as_deref()),
            (Some(5), Some("[[rules]] #2 authr"))
        );
        assert!(
            e.message
                .starts_with("unknown field (did you mean \"author\"?)"),
            "{e}"
        );
        // Far from every name: no guess.
        let e = read("zzzzzzzz = 1\n").unwrap_err();
        assert!(!e.message.contains("did you mean"), "{e}");
    }

    #[test]
    fn tables_in_the_wrong_shape_say_what_they_take() {
        let e = read("fetch = 3\n").unwrap_err();
        assert_eq!((e.line, e.key.as_deref()), (Some(1), Some("fetch")), "{e}");
        assert!(e.message.contains("expected a table: [fetch]"), "{e}");
        let e = read("\nrules = [1]\n").unwrap_err();
        assert_eq!((e.line, e.key.as_deref()), (Some(2), Some("rules")), "{e}");
        assert!(e.message.contains("expected [[rules]] tables"), "{e}");
        let e = read("keys = \"j\"\n").unwrap_err();
        assert_eq!(e.key.as_deref(), Some("keys"), "{e}");
        assert!(e.message.contains("expected a table: [keys]"), "{e}");
        assert!(e.message.ends_with("found \"j\""), "{e}");
    }

    #[test]
    fn values_are_checked_with_what_was_found() {
        let e = read("mouse = \"yes\"\n").unwrap_err();
        assert_eq!(e.message, "expected true or false, found \"yes\"");
        let e = read("\nsplit = \"wide\"\n").unwrap_err();
        assert_eq!((e.line, e.key.as_deref()), (Some(2), Some("split")));
        assert_eq!(
            e.message,
            "expected a whole number of percent, 10-90, found \"wide\""
        );
        let e = read("text_width = 5\n").unwrap_err();
        assert!(e.message.starts_with("5 is out of range"), "{e}");
        let c =
            read("colors = \"auto\"\ncursor = \"selection\"\nhide_read = true\nsort = \"score\"\n")
                .unwrap();
        assert_eq!(c.colors, None);
        assert!(c.cursor_on_selection && c.hide_read);
        assert_eq!(c.sort, crate::model::SortOrder::Score);
        assert_eq!(c.origins["sort"], crate::config::Origin::File(4));
    }
}
