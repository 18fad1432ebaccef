//! Applying `config.toml`'s `[keys]` and `[keys.MODE]` tables to the keymap, with the line
//! of every entry for error messages.

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::{Config, ConfigError, line_of};
use crate::keymap::{Key, Mode, parse_key_list};

impl Config {
    /// Rebinds the actions `table` (the `[keys]` table of `text`, read from `file`) names.
    pub(super) fn apply_keys(
        &mut self,
        table: &DeTable<'_>,
        text: &str,
        file: &str,
    ) -> Result<(), ConfigError> {
        struct Entry {
            offset: usize,
            mode: Option<Mode>,
            action: crate::action::Action,
            keys: Vec<Key>,
            label: String,
        }
        let at = |offset: usize, key: &str, message: String| ConfigError {
            file: file.to_string(),
            line: Some(line_of(text, offset)),
            key: Some(key.to_string()),
            message,
        };
        let parse_entry = |mode: Option<Mode>,
                           name: &Spanned<std::borrow::Cow<'_, str>>,
                           value: &Spanned<DeValue<'_>>|
         -> Result<Entry, ConfigError> {
            let label = match mode {
                Some(m) => format!("[keys.{}] {}", m.name(), name.get_ref()),
                None => format!("[keys] {}", name.get_ref()),
            };
            let offset = name.span().start;
            let action = crate::action::Action::from_name(name.get_ref()).ok_or_else(|| {
                at(
                    offset,
                    &label,
                    format!(
                        "unknown action \"{}\" (`threadr config` prints every action with its keys)",
                        name.get_ref()
                    ),
                )
            })?;
            let owned = to_value(value.get_ref()).ok_or_else(|| {
                at(
                    offset,
                    &label,
                    "expected a list of keys: [\"j\", \"Down\"]".to_string(),
                )
            })?;
            // The keymap's messages quote the key already.
            let keys = parse_key_list(&label, &owned).map_err(|e| at(offset, &label, e.message))?;
            Ok(Entry {
                offset,
                mode,
                action,
                keys,
                label,
            })
        };
        let mut global = Vec::new();
        let mut per_mode = Vec::new();
        for (name, value) in table {
            if let Some(sub) = value.get_ref().as_table() {
                let mode = Mode::from_name(name.get_ref()).ok_or_else(|| {
                    at(
                        name.span().start,
                        &format!("[keys.{}]", name.get_ref()),
                        format!(
                            "unknown mode (modes: {})",
                            Mode::ALL
                                .iter()
                                .map(|m| m.name())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    )
                })?;
                for (aname, avalue) in sub {
                    per_mode.push(parse_entry(Some(mode), aname, avalue)?);
                }
            } else {
                global.push(parse_entry(None, name, value)?);
            }
        }
        global.sort_by_key(|e| e.offset);
        per_mode.sort_by_key(|e| e.offset);
        // Unbind every overridden action first, so swapping two actions' keys works.
        for e in global.iter().chain(&per_mode) {
            self.keymap
                .rebind(e.mode, e.action, &[], &e.label)
                .map_err(|err| at(e.offset, &e.label, err.message))?;
        }
        for e in global.iter().chain(&per_mode) {
            self.keymap
                .rebind(e.mode, e.action, &e.keys, &e.label)
                .map_err(|err| {
                    at(
                        e.offset,
                        &e.label,
                        format!(
                            "{} (rebind the other action too, or pick another key)",
                            err.message
                        ),
                    )
                })?;
            self.key_overrides.push(e.label.clone());
        }
        // Leaving quit without a key would leave only Ctrl-c (which always quits) and a
        // help screen that lists no way out: refuse it where it was written.
        if let Some(e) = global
            .iter()
            .chain(&per_mode)
            .find(|e| e.action == crate::action::Action::Quit && e.keys.is_empty())
            && !self
                .keymap
                .entries()
                .iter()
                .any(|(_, a, keys)| *a == crate::action::Action::Quit && !keys.is_empty())
        {
            return Err(at(
                e.offset,
                &e.label,
                "quit needs at least one key: [\"q\"] (Ctrl-c also always quits)".to_string(),
            ));
        }
        // A key bound in [comments] or [article] hides the same key in [global] there.
        for e in global.iter().chain(&per_mode) {
            for key in &e.keys {
                for mode in [Mode::Comments, Mode::Article] {
                    let own = self.keymap.lookup(mode, *key);
                    let fallback = self.keymap.lookup(Mode::Global, *key);
                    if let (Some(own), Some(fallback)) = (own, fallback)
                        && own != fallback
                        && (own == e.action || fallback == e.action)
                    {
                        return Err(at(
                            e.offset,
                            &e.label,
                            format!(
                                "key \"{key}\" is bound to both \"{}\" in [{}] and \"{}\" in [global], so \"{}\" could not be reached there (rebind the other action too, or pick another key)",
                                own.name(),
                                mode.name(),
                                fallback.name(),
                                fallback.name()
                            ),
                        ));
                    }
                }
            }
        }
        Ok(())
    }
}

/// Whether `s` is a config-file key list we can hand to [`parse_key_list`].
fn to_value(v: &DeValue<'_>) -> Option<toml::Value> {
    match v {
        DeValue::String(s) => Some(toml::Value::String(s.to_string())),
        DeValue::Array(items) => items
            .iter()
            .map(|i| match i.get_ref() {
                DeValue::String(s) => Some(toml::Value::String(s.to_string())),
                _ => None,
            })
            .collect::<Option<Vec<_>>>()
            .map(toml::Value::Array),
        _ => None,
    }
}
