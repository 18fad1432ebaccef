//! Keys to actions: `(mode, key) -> Action`, built from the embedded default table
//! (`src/keymap.toml`) plus the user's overrides. Pure data; no terminal IO.

use std::collections::HashMap;
use std::fmt;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::action::Action;

/// The default key table, as shipped.
pub const DEFAULT_KEYMAP: &str = include_str!("keymap.toml");

/// Where keys are interpreted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mode {
    /// Keys that work everywhere outside prompts (looked up after the focused mode).
    Global,
    /// The comment tree has focus.
    Comments,
    /// The article has focus.
    Article,
    /// The help overlay is open.
    Help,
    /// A list overlay (bookmarks, links) is open.
    List,
    /// A one-line prompt (search, note) is open; unbound keys type text.
    Prompt,
}

impl Mode {
    /// Every mode, in help order.
    pub const ALL: [Mode; 6] = [
        Mode::Global,
        Mode::Comments,
        Mode::Article,
        Mode::List,
        Mode::Prompt,
        Mode::Help,
    ];

    /// The table name in keymap files.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Mode::Global => "global",
            Mode::Comments => "comments",
            Mode::Article => "article",
            Mode::Help => "help",
            Mode::List => "list",
            Mode::Prompt => "prompt",
        }
    }

    /// Looks a mode up by table name.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.name() == name)
    }

    /// Whether unmatched keys fall back to `[global]`.
    fn uses_global(self) -> bool {
        matches!(self, Mode::Comments | Mode::Article)
    }
}

/// A key with its modifiers, normalised so `J` and `Shift-j` are the same key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Key {
    /// The key.
    pub code: KeyCode,
    /// Ctrl and Alt (Shift is folded into the character).
    pub mods: KeyModifiers,
}

impl Key {
    /// Normalises a terminal key event.
    #[must_use]
    pub fn from_event(ev: KeyEvent) -> Self {
        let mut mods = ev.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT);
        let code = match ev.code {
            KeyCode::Char(c) if ev.modifiers.contains(KeyModifiers::CONTROL) => {
                KeyCode::Char(c.to_ascii_lowercase())
            }
            KeyCode::BackTab => {
                mods |= KeyModifiers::SHIFT;
                KeyCode::Tab
            }
            other => other,
        };
        Self { code, mods }
    }

    /// Parses a key as written in keymap files (`j`, `Ctrl-d`, `PgDn`, `Space`).
    ///
    /// # Errors
    /// When the text names no key.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut mods = KeyModifiers::NONE;
        let mut rest = text;
        loop {
            let lower = rest.to_ascii_lowercase();
            let (m, len) = if lower.starts_with("ctrl-") {
                (KeyModifiers::CONTROL, 5)
            } else if lower.starts_with("c-") && rest.len() > 2 {
                (KeyModifiers::CONTROL, 2)
            } else if lower.starts_with("alt-") {
                (KeyModifiers::ALT, 4)
            } else if lower.starts_with("m-") && rest.len() > 2 {
                (KeyModifiers::ALT, 2)
            } else if lower.starts_with("shift-") {
                (KeyModifiers::SHIFT, 6)
            } else {
                break;
            };
            mods |= m;
            rest = &rest[len..];
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) if !c.is_control() => {
                if mods.contains(KeyModifiers::CONTROL) {
                    KeyCode::Char(c.to_ascii_lowercase())
                } else {
                    KeyCode::Char(c)
                }
            }
            _ => match rest.to_ascii_lowercase().as_str() {
                "enter" | "return" | "ret" => KeyCode::Enter,
                "esc" | "escape" => KeyCode::Esc,
                "tab" => KeyCode::Tab,
                "backtab" => {
                    mods |= KeyModifiers::SHIFT;
                    KeyCode::Tab
                }
                "backspace" | "bs" => KeyCode::Backspace,
                "space" | "spc" => KeyCode::Char(' '),
                "up" => KeyCode::Up,
                "down" => KeyCode::Down,
                "left" => KeyCode::Left,
                "right" => KeyCode::Right,
                "home" => KeyCode::Home,
                "end" => KeyCode::End,
                "pgup" | "pageup" => KeyCode::PageUp,
                "pgdn" | "pgdown" | "pagedown" => KeyCode::PageDown,
                "delete" | "del" => KeyCode::Delete,
                "insert" | "ins" => KeyCode::Insert,
                f if f.starts_with('f') && f.len() > 1 => match f[1..].parse::<u8>() {
                    Ok(n @ 1..=12) => KeyCode::F(n),
                    _ => return Err(format!("unknown key \"{text}\"")),
                },
                _ => return Err(format!("unknown key \"{text}\"")),
            },
        };
        // Shift only matters for keys without a case (Shift-Tab); `Shift-j` is `J`.
        if let KeyCode::Char(c) = code
            && mods.contains(KeyModifiers::SHIFT)
        {
            mods.remove(KeyModifiers::SHIFT);
            return Ok(Self {
                code: KeyCode::Char(c.to_ascii_uppercase()),
                mods,
            });
        }
        Ok(Self { code, mods })
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.mods.contains(KeyModifiers::CONTROL) {
            f.write_str("Ctrl-")?;
        }
        if self.mods.contains(KeyModifiers::ALT) {
            f.write_str("Alt-")?;
        }
        if self.mods.contains(KeyModifiers::SHIFT) {
            f.write_str("Shift-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => f.write_str("Enter"),
            KeyCode::Esc => f.write_str("Esc"),
            KeyCode::Tab => f.write_str("Tab"),
            KeyCode::Backspace => f.write_str("Backspace"),
            KeyCode::Up => f.write_str("Up"),
            KeyCode::Down => f.write_str("Down"),
            KeyCode::Left => f.write_str("Left"),
            KeyCode::Right => f.write_str("Right"),
            KeyCode::Home => f.write_str("Home"),
            KeyCode::End => f.write_str("End"),
            KeyCode::PageUp => f.write_str("PgUp"),
            KeyCode::PageDown => f.write_str("PgDn"),
            KeyCode::Delete => f.write_str("Delete"),
            KeyCode::Insert => f.write_str("Insert"),
            KeyCode::F(n) => write!(f, "F{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}

/// A problem in a key table.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct KeymapError {
    /// The table (`comments`) and entry (`select_next`) at fault, for locating it in a file.
    pub path: String,
    /// The key text involved, when one is.
    pub key: Option<String>,
    /// What is wrong.
    pub message: String,
}

/// Key bindings for every mode.
#[derive(Clone, Debug)]
pub struct Keymap {
    bindings: HashMap<(Mode, Key), Action>,
    /// Keys per (mode, action), in table order, for help and hints.
    keys: Vec<(Mode, Action, Vec<Key>)>,
}

impl Keymap {
    /// The shipped default keys.
    ///
    /// # Panics
    /// Never: a test parses the embedded table.
    #[must_use]
    pub fn default_keys() -> Self {
        Self::from_toml(DEFAULT_KEYMAP).expect("the embedded default keymap parses (tested)")
    }

    /// Builds a keymap from a table shaped like `src/keymap.toml`.
    ///
    /// # Errors
    /// On unknown modes or actions, unparsable keys, or one key bound twice in a mode.
    pub fn from_toml(text: &str) -> Result<Self, KeymapError> {
        let table: toml::Table = toml::from_str(text).map_err(|e| KeymapError {
            path: String::new(),
            key: None,
            message: e.to_string(),
        })?;
        let mut map = Self {
            bindings: HashMap::new(),
            keys: Vec::new(),
        };
        for (mode_name, entries) in &table {
            let mode = Mode::from_name(mode_name).ok_or_else(|| KeymapError {
                path: mode_name.clone(),
                key: None,
                message: format!("unknown mode \"{mode_name}\""),
            })?;
            let entries = entries.as_table().ok_or_else(|| KeymapError {
                path: mode_name.clone(),
                key: None,
                message: format!("\"{mode_name}\" must be a table of action = [keys]"),
            })?;
            for (action_name, keys) in entries {
                let path = format!("{mode_name}.{action_name}");
                let action = Action::from_name(action_name).ok_or_else(|| KeymapError {
                    path: path.clone(),
                    key: None,
                    message: format!("unknown action \"{action_name}\""),
                })?;
                let keys = parse_key_list(&path, keys)?;
                map.bind(mode, action, &path, keys)?;
            }
        }
        Ok(map)
    }

    /// Replaces the keys of `action` in `mode` (or, with `mode` `None`, in every mode where
    /// it is bound, else in the global table).
    ///
    /// # Errors
    /// When a key is already bound to another action in that mode.
    pub fn rebind(
        &mut self,
        mode: Option<Mode>,
        action: Action,
        keys: &[Key],
        path: &str,
    ) -> Result<(), KeymapError> {
        let modes: Vec<Mode> = if let Some(m) = mode {
            vec![m]
        } else {
            let bound: Vec<Mode> = self
                .keys
                .iter()
                .filter(|(_, a, _)| *a == action)
                .map(|(m, _, _)| *m)
                .collect();
            if bound.is_empty() {
                vec![Mode::Global]
            } else {
                bound
            }
        };
        for m in modes {
            self.bindings
                .retain(|(bm, _), a| !(*bm == m && *a == action));
            self.keys.retain(|(km, a, _)| !(*km == m && *a == action));
            self.bind(m, action, path, keys.to_vec())?;
        }
        Ok(())
    }

    fn bind(
        &mut self,
        mode: Mode,
        action: Action,
        path: &str,
        keys: Vec<Key>,
    ) -> Result<(), KeymapError> {
        for key in &keys {
            if let Some(other) = self.bindings.get(&(mode, *key))
                && *other != action
            {
                return Err(KeymapError {
                    path: path.to_string(),
                    key: Some(key.to_string()),
                    message: format!(
                        "key \"{key}\" is bound to both \"{}\" and \"{}\" in [{}]",
                        other.name(),
                        action.name(),
                        mode.name()
                    ),
                });
            }
            self.bindings.insert((mode, *key), action);
        }
        self.keys.push((mode, action, keys));
        Ok(())
    }

    /// The action for `key` in `mode`, falling back to global keys where the mode does.
    #[must_use]
    pub fn lookup(&self, mode: Mode, key: Key) -> Option<Action> {
        self.bindings.get(&(mode, key)).copied().or_else(|| {
            if mode.uses_global() {
                self.bindings.get(&(Mode::Global, key)).copied()
            } else {
                None
            }
        })
    }

    /// Every binding, for the help screen: (mode, action, keys) in table order per mode.
    #[must_use]
    pub fn entries(&self) -> Vec<(Mode, Action, &[Key])> {
        let mut out: Vec<_> = self
            .keys
            .iter()
            .map(|(m, a, k)| (*m, *a, k.as_slice()))
            .collect();
        out.sort_by_key(|(m, a, _)| {
            (
                Mode::ALL.iter().position(|x| x == m),
                Action::ALL.iter().position(|x| x == a),
            )
        });
        out
    }

    /// Every key that runs `action` in `mode`, exactly as [`Keymap::lookup`] resolves keys:
    /// the mode's own keys, then the global ones where the mode falls back to them, leaving
    /// out a global key the mode binds to something else. Hints are built from this, as
    /// keys, so no hint can name a key that does something else.
    pub fn keys(&self, mode: Mode, action: Action) -> impl Iterator<Item = Key> + '_ {
        let own = self
            .keys
            .iter()
            .filter(move |(m, a, _)| *m == mode && *a == action);
        let global = self.keys.iter().filter(move |(m, a, _)| {
            mode != Mode::Global && mode.uses_global() && *m == Mode::Global && *a == action
        });
        own.chain(global)
            .flat_map(|(_, _, keys)| keys.iter().copied())
            .filter(move |k| self.lookup(mode, *k) == Some(action))
    }

    /// The first key that runs `action` in `mode`, for a hint (`?`); the action's name in
    /// brackets (`[help]`) when the reader left it without a key there.
    #[must_use]
    pub fn key(&self, mode: Mode, action: Action) -> String {
        self.keys(mode, action)
            .next()
            .map_or_else(|| format!("[{}]", action.name()), |k| k.to_string())
    }

    /// Every key that runs `action` in `mode`, for a hint: `j/Down` (shown, never split
    /// again); `[name]` as [`Keymap::key`] when there is none.
    #[must_use]
    pub fn keys_for(&self, mode: Mode, action: Action) -> String {
        let keys: Vec<String> = self.keys(mode, action).map(|k| k.to_string()).collect();
        if keys.is_empty() {
            format!("[{}]", action.name())
        } else {
            keys.join("/")
        }
    }
}

/// Parses `["j", "Down"]` (or a single string) into keys.
///
/// # Errors
/// When an entry is not a string or names no key.
pub fn parse_key_list(path: &str, value: &toml::Value) -> Result<Vec<Key>, KeymapError> {
    let items: Vec<&toml::Value> = match value {
        toml::Value::Array(a) => a.iter().collect(),
        other => vec![other],
    };
    items
        .into_iter()
        .map(|v| {
            let s = v.as_str().ok_or_else(|| KeymapError {
                path: path.to_string(),
                key: None,
                message: format!("expected a key name or a list of key names, found {v}"),
            })?;
            Key::parse(s).map_err(|message| KeymapError {
                path: path.to_string(),
                key: Some(s.to_string()),
                message,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(s: &str) -> Key {
        Key::parse(s).unwrap()
    }

    #[test]
    fn default_keymap_parses_and_binds_the_documented_keys() {
        let map = Keymap::default_keys();
        assert_eq!(map.lookup(Mode::Comments, k("j")), Some(Action::SelectNext));
        assert_eq!(map.lookup(Mode::Comments, k("q")), Some(Action::Quit));
        assert_eq!(
            map.lookup(Mode::Article, k("Space")),
            Some(Action::PageDown)
        );
        assert_eq!(map.lookup(Mode::Comments, k("Space")), Some(Action::ReadOn));
        assert_eq!(
            map.lookup(Mode::Comments, k("3")),
            Some(Action::ShowDepth(3))
        );
        assert_eq!(map.lookup(Mode::Prompt, k("q")), None);
        assert_eq!(
            map.lookup(Mode::Prompt, k("Ctrl-r")),
            Some(Action::ToggleRegex)
        );
        assert_eq!(map.keys_for(Mode::Comments, Action::SelectNext), "j/Down");
    }

    #[test]
    fn key_parsing_and_display() {
        assert_eq!(k("Ctrl-D"), k("C-d"));
        assert_eq!(k("Shift-j"), k("J"));
        assert_eq!(k("PageDown").to_string(), "PgDn");
        assert_eq!(k("ctrl-z").to_string(), "Ctrl-z");
        assert!(Key::parse("Hyper-x").is_err());
        assert!(Key::parse("").is_err());
        let ev = KeyEvent::new(KeyCode::Char('J'), KeyModifiers::SHIFT);
        assert_eq!(Key::from_event(ev), k("J"));
    }

    #[test]
    fn conflicts_and_unknowns_are_errors() {
        let e = Keymap::from_toml("[comments]\nselect_next = [\"j\"]\nselect_prev = [\"j\"]")
            .unwrap_err();
        assert!(e.message.contains("bound to both"), "{e}");
        let e = Keymap::from_toml("[comments]\nfly = [\"j\"]").unwrap_err();
        assert!(e.message.contains("unknown action \"fly\""));
        let e = Keymap::from_toml("[comments]\nselect_next = [\"Hyper-j\"]").unwrap_err();
        assert_eq!(e.key.as_deref(), Some("Hyper-j"));
    }

    #[test]
    fn rebinding_replaces_keys() {
        let mut map = Keymap::default_keys();
        map.rebind(None, Action::SelectNext, &[k("Ctrl-n")], "keys.select_next")
            .unwrap();
        assert_eq!(map.lookup(Mode::Comments, k("j")), None);
        assert_eq!(
            map.lookup(Mode::Comments, k("Ctrl-n")),
            Some(Action::SelectNext)
        );
        assert_eq!(
            map.lookup(Mode::List, k("Ctrl-n")),
            Some(Action::SelectNext)
        );
    }
}
