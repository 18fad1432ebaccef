//! The configuration: `<config dir>/config.toml`, command-line overrides, and the
//! `threadr themes` / `threadr config` subcommands.
//!
//! Owns: where the config dir is, reading `config.toml` with line numbers for every error,
//! applying `[keys]` to the keymap, the [`Env`] snapshot that keeps environment lookups
//! testable. Must not: draw, or read environment variables anywhere but
//! [`Env::from_process`].
//!
//! ```no_run
//! use threadr::config::{Config, Env};
//! # fn main() -> anyhow::Result<()> {
//! # let cli: threadr::cli::Cli = clap::Parser::parse();
//! let env = Env::from_process();
//! let mut config = Config::load(&env)?;     // defaults < config.toml
//! config.apply_cli(&cli);                    // < command line
//! let theme = config.load_theme(&env)?;      // named theme, at the terminal's colour depth
//! # let _ = theme; Ok(()) }
//! ```

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::cli::Cli;
use crate::keymap::{Key, Keymap, Mode, parse_key_list};
use crate::theme::{ColorDepth, Theme, ThemeError, ThemeOrigin, resolve_depth};

/// The environment variables threadr looks at, captured once so everything that depends on
/// them is a pure function of this snapshot.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Env {
    vars: BTreeMap<String, String>,
}

/// The variables [`Env::from_process`] captures (and nothing else).
pub const ENV_VARS: &[&str] = &[
    "THREADR_CONFIG_DIR",
    "THREADR_DATA_DIR",
    "THREADR_READER",
    "XDG_CONFIG_HOME",
    "XDG_DATA_HOME",
    "HOME",
    "USER",
    "LOGNAME",
    "NO_COLOR",
    "COLORTERM",
    "TERM",
    "BROWSER",
];

impl Env {
    /// The process environment's [`ENV_VARS`] (values that are not UTF-8 are left out).
    #[must_use]
    pub fn from_process() -> Self {
        Self {
            vars: ENV_VARS
                .iter()
                .filter_map(|k| std::env::var(k).ok().map(|v| ((*k).to_string(), v)))
                .collect(),
        }
    }

    /// An environment with exactly these variables (for tests).
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        Self {
            vars: pairs
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

    /// A variable's value.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars.get(name).map(String::as_str)
    }
}

/// The config directory and why: `THREADR_CONFIG_DIR`, else the platform's (Linux:
/// `$XDG_CONFIG_HOME/threadr`, else `~/.config/threadr`; macOS:
/// `~/Library/Application Support/threadr`). `None` when there is no home to put it in.
#[must_use]
pub fn config_dir(env: &Env) -> Option<(PathBuf, &'static str)> {
    if let Some(dir) = env.get("THREADR_CONFIG_DIR").filter(|d| !d.is_empty()) {
        return Some((PathBuf::from(dir), "THREADR_CONFIG_DIR"));
    }
    platform_config_dir(env)
}

#[cfg(all(unix, not(target_os = "macos")))]
fn platform_config_dir(env: &Env) -> Option<(PathBuf, &'static str)> {
    if let Some(xdg) = env.get("XDG_CONFIG_HOME").filter(|d| d.starts_with('/')) {
        return Some((Path::new(xdg).join("threadr"), "XDG_CONFIG_HOME"));
    }
    let home = env.get("HOME").filter(|d| !d.is_empty())?;
    Some((Path::new(home).join(".config/threadr"), "HOME"))
}

#[cfg(target_os = "macos")]
fn platform_config_dir(env: &Env) -> Option<(PathBuf, &'static str)> {
    let home = env.get("HOME").filter(|d| !d.is_empty())?;
    Some((
        Path::new(home).join("Library/Application Support/threadr"),
        "HOME",
    ))
}

#[cfg(not(unix))]
fn platform_config_dir(_env: &Env) -> Option<(PathBuf, &'static str)> {
    directories::ProjectDirs::from("", "", "threadr")
        .map(|d| (d.config_dir().to_path_buf(), "the platform's config folder"))
}

/// A problem with the configuration, located as precisely as known.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct ConfigError {
    /// The file (or `command line`).
    pub file: String,
    /// 1-based line, when the problem is in one place.
    pub line: Option<usize>,
    /// The setting at fault (`split`, `[keys] select_next`, `--theme`).
    pub key: Option<String>,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(line) = self.line {
            write!(f, ", line {line}")?;
        }
        if let Some(key) = &self.key {
            write!(f, ", {key}")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl From<ThemeError> for ConfigError {
    fn from(e: ThemeError) -> Self {
        Self {
            file: e.file,
            line: e.line,
            key: e.key,
            message: e.message,
        }
    }
}

/// Where a setting's value came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The built-in default.
    Default,
    /// `config.toml`, at this line.
    File(usize),
    /// A command-line option.
    Cli(&'static str),
}

/// Whether to emit OSC 8 hyperlinks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Osc8 {
    /// When the terminal is known to support them (decided by the UI).
    Auto,
    /// Always.
    On,
    /// Never.
    Off,
}

/// The paths a configuration was looked for at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigPaths {
    /// The config directory, and the variable that chose it.
    pub dir: Option<(PathBuf, &'static str)>,
    /// `<dir>/config.toml`.
    pub file: Option<PathBuf>,
    /// Whether it existed (and so was read).
    pub file_found: bool,
    /// `<dir>/themes`.
    pub themes: Option<PathBuf>,
    /// Whether that folder exists.
    pub themes_found: bool,
}

/// The default article pane width, in percent of the screen.
pub const DEFAULT_SPLIT: u16 = 40;
/// The allowed range of `split`.
pub const SPLIT_RANGE: std::ops::RangeInclusive<u16> = 10..=90;

/// The effective configuration.
#[derive(Clone, Debug)]
pub struct Config {
    /// Theme name or path (`default` unless set).
    pub theme: String,
    /// Whose bookmarks and reading state (`None`: the store decides: `$THREADR_READER`,
    /// the login name, `default`).
    pub reader: Option<String>,
    /// Article pane width in percent ([`SPLIT_RANGE`]).
    pub split: u16,
    /// Capture the mouse.
    pub mouse: bool,
    /// OSC 8 hyperlinks.
    pub osc8: Osc8,
    /// Command to open links with (the URL is appended); `None`: `$BROWSER`, else the
    /// platform opener (`xdg-open`, `open`).
    pub browser: Option<String>,
    /// Colour depth override; `None`: detect from the environment.
    pub colors: Option<ColorDepth>,
    /// The keymap: defaults plus `[keys]`.
    pub keymap: Keymap,
    /// Where each setting came from, by name (`theme`, `split`, ...).
    pub origins: BTreeMap<&'static str, Origin>,
    /// `[keys]` entries applied, as written (`[keys] quit`, `[keys.list] cancel`).
    pub key_overrides: Vec<String>,
    /// The paths looked at.
    pub paths: ConfigPaths,
}

/// The top-level settings of `config.toml`.
pub const SETTINGS: &[(&str, &str)] = &[
    (
        "theme",
        "Theme name or path to a theme file (default \"default\"); --theme overrides",
    ),
    (
        "reader",
        "Whose bookmarks and reading state to use (default: $THREADR_READER, the login name); --reader overrides",
    ),
    (
        "split",
        "Width of the article pane in percent of the screen, 10-90 (default 40)",
    ),
    (
        "mouse",
        "Capture the mouse: true or false (default false); --mouse turns it on",
    ),
    (
        "osc8",
        "Clickable hyperlinks (OSC 8): true, false or \"auto\" (default \"auto\")",
    ),
    (
        "browser",
        "Command to open links with, the URL appended (default: $BROWSER, else xdg-open / open)",
    ),
    (
        "colors",
        "Colour depth: \"auto\", \"truecolor\", \"256\", \"16\" or \"none\" (default \"auto\"); NO_COLOR always wins",
    ),
    (
        "keys",
        "Key overrides: [keys] action = [\"key\", ...] for every mode, [keys.MODE] for one",
    ),
];

impl Config {
    /// The defaults, with no file read.
    #[must_use]
    pub fn defaults(paths: ConfigPaths) -> Self {
        let origins = SETTINGS
            .iter()
            .filter(|(k, _)| *k != "keys")
            .map(|(k, _)| (*k, Origin::Default))
            .collect();
        Self {
            theme: "default".to_string(),
            reader: None,
            split: DEFAULT_SPLIT,
            mouse: false,
            osc8: Osc8::Auto,
            browser: None,
            colors: None,
            keymap: Keymap::default_keys(),
            origins,
            key_overrides: Vec::new(),
            paths,
        }
    }

    /// Reads `<config dir>/config.toml` over the defaults. A missing file is not an error;
    /// anything wrong inside one is.
    ///
    /// # Errors
    /// Unreadable file, bad TOML, unknown setting, wrong type or range, unknown action or
    /// mode, unparsable key, a key bound twice: named with file, line and key.
    pub fn load(env: &Env) -> Result<Self, ConfigError> {
        let dir = config_dir(env);
        let file = dir.as_ref().map(|(d, _)| d.join("config.toml"));
        let themes = dir.as_ref().map(|(d, _)| d.join("themes"));
        let text = match &file {
            Some(path) => match std::fs::read(path) {
                Ok(bytes) => Some(String::from_utf8(bytes).map_err(|_| ConfigError {
                    file: path.display().to_string(),
                    line: None,
                    key: None,
                    message: "is not UTF-8 text".to_string(),
                })?),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                Err(e) => {
                    return Err(ConfigError {
                        file: path.display().to_string(),
                        line: None,
                        key: None,
                        message: format!("cannot read the file: {e}"),
                    });
                }
            },
            None => None,
        };
        let paths = ConfigPaths {
            dir,
            file_found: text.is_some(),
            themes_found: themes.as_ref().is_some_and(|t| t.is_dir()),
            file,
            themes,
        };
        let label = paths
            .file
            .as_ref()
            .map_or_else(String::new, |p| p.display().to_string());
        let mut config = Self::defaults(paths);
        if let Some(text) = text {
            config.read_toml(&text, &label)?;
        }
        Ok(config)
    }

    /// Applies the settings in `text` (a `config.toml`) over these; `file` names it in
    /// errors.
    ///
    /// # Errors
    /// As [`Config::load`].
    pub fn read_toml(&mut self, text: &str, file: &str) -> Result<(), ConfigError> {
        let at = |offset: usize, key: &str, message: String| ConfigError {
            file: file.to_string(),
            line: Some(line_of(text, offset)),
            key: Some(key.to_string()),
            message,
        };
        let doc = DeTable::parse(text).map_err(|e| ConfigError {
            file: file.to_string(),
            line: e.span().map(|s| line_of(text, s.start)),
            key: None,
            message: format!("not valid TOML: {}", e.message().trim()),
        })?;
        let mut keys_table = None;
        for (key, value) in doc.get_ref() {
            let name: &str = key.get_ref();
            let offset = key.span().start;
            let line = line_of(text, offset);
            let v = value.get_ref();
            let wrong = |expected: &str| {
                at(
                    offset,
                    name,
                    format!("expected {expected}, found {}", describe(v)),
                )
            };
            match name {
                "theme" => {
                    let s = v
                        .as_str()
                        .ok_or_else(|| wrong("a theme name or path in quotes"))?;
                    if s.is_empty() {
                        return Err(wrong("a theme name or path in quotes"));
                    }
                    self.theme = s.to_string();
                }
                "reader" => {
                    let s = v.as_str().ok_or_else(|| wrong("a reader name in quotes"))?;
                    if s.is_empty() || s.chars().any(char::is_control) {
                        return Err(wrong("a reader name without control characters"));
                    }
                    self.reader = Some(s.to_string());
                }
                "split" => {
                    let n = v
                        .as_integer()
                        .and_then(|i| i64::from_str_radix(i.as_str(), i.radix()).ok())
                        .ok_or_else(|| wrong("a whole number of percent, 10-90"))?;
                    self.split = u16::try_from(n)
                        .ok()
                        .filter(|n| SPLIT_RANGE.contains(n))
                        .ok_or_else(|| {
                            at(
                                offset,
                                name,
                                format!(
                                    "{n} is out of range: the article pane takes 10-90 percent"
                                ),
                            )
                        })?;
                }
                "mouse" => self.mouse = v.as_bool().ok_or_else(|| wrong("true or false"))?,
                "osc8" => {
                    self.osc8 = match (v.as_bool(), v.as_str()) {
                        (Some(true), _) => Osc8::On,
                        (Some(false), _) => Osc8::Off,
                        (_, Some("auto")) => Osc8::Auto,
                        _ => return Err(wrong("true, false or \"auto\"")),
                    };
                }
                "browser" => {
                    let s = v.as_str().ok_or_else(|| wrong("a command in quotes"))?;
                    if s.trim().is_empty() {
                        return Err(wrong("a command in quotes"));
                    }
                    self.browser = Some(s.to_string());
                }
                "colors" => {
                    let word = match v {
                        DeValue::String(s) => s.to_string(),
                        DeValue::Integer(i) => i.as_str().to_string(),
                        _ => String::new(),
                    };
                    self.colors = if word == "auto" {
                        None
                    } else {
                        Some(ColorDepth::from_name(&word).ok_or_else(|| {
                            wrong("\"auto\", \"truecolor\", \"256\", \"16\" or \"none\"")
                        })?)
                    };
                }
                "keys" => {
                    let t = v
                        .as_table()
                        .ok_or_else(|| wrong("a table: [keys] action = [\"key\", ...]"))?;
                    keys_table = Some(t);
                }
                _ => {
                    return Err(at(
                        offset,
                        name,
                        format!(
                            "unknown setting (known: {})",
                            SETTINGS
                                .iter()
                                .map(|(k, _)| *k)
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    ));
                }
            }
            if let Some(slot) = SETTINGS.iter().find(|(k, _)| *k == name).map(|(k, _)| *k)
                && slot != "keys"
            {
                self.origins.insert(slot, Origin::File(line));
            }
        }
        if let Some(table) = keys_table {
            self.apply_keys(table, text, file)?;
        }
        Ok(())
    }

    fn apply_keys(
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

    /// Command-line options override the file: `--theme`, `--reader`, `--mouse`.
    pub fn apply_cli(&mut self, cli: &Cli) {
        if let Some(theme) = &cli.theme {
            self.theme.clone_from(theme);
            self.origins.insert("theme", Origin::Cli("--theme"));
        }
        if let Some(reader) = &cli.reader {
            self.reader = Some(reader.clone());
            self.origins.insert("reader", Origin::Cli("--reader"));
        }
        if cli.mouse {
            self.mouse = true;
            self.origins.insert("mouse", Origin::Cli("--mouse"));
        }
    }

    /// The colour depth to draw with: `NO_COLOR`, else the `colors` setting, else detected.
    #[must_use]
    pub fn color_depth(&self, env: &Env) -> ColorDepth {
        resolve_depth(self.colors, env)
    }

    /// Loads the configured theme at [`Config::color_depth`]. Check `theme.warnings`.
    ///
    /// # Errors
    /// When the theme is missing or broken: the message says which theme file, key and line,
    /// and which setting chose the theme.
    pub fn load_theme(&self, env: &Env) -> Result<Theme, ConfigError> {
        let dir = self.paths.dir.as_ref().map(|(d, _)| d.as_path());
        let chosen_by = match self.origins.get("theme") {
            Some(Origin::Cli(flag)) => Some(((*flag).to_string(), None)),
            Some(Origin::File(line)) => Some((
                self.paths
                    .file
                    .as_ref()
                    .map_or_else(String::new, |p| p.display().to_string()),
                Some(*line),
            )),
            _ => None,
        };
        match Theme::load(&self.theme, dir) {
            Ok(theme) => Ok(theme.with_depth(self.color_depth(env))),
            Err(e) => {
                let mut err = ConfigError::from(e);
                if let Some((file, line)) = chosen_by {
                    let by = match line {
                        Some(l) => format!("{file}, line {l}"),
                        None => file,
                    };
                    let _ = write!(err.message, " (theme \"{}\" chosen by {by})", self.theme);
                }
                Err(err)
            }
        }
    }

    /// The effective configuration as a config file with comments saying where each value
    /// came from, followed by the full effective keymap (`threadr config`).
    #[must_use]
    pub fn describe(&self, env: &Env) -> String {
        let mut out = String::new();
        let p = &self.paths;
        let _ = writeln!(out, "# threadr's effective configuration.");
        match &p.dir {
            Some((dir, why)) => {
                let _ = writeln!(out, "# config dir: {} (from {why})", safe_path(dir));
            }
            None => {
                let _ = writeln!(
                    out,
                    "# config dir: none (no THREADR_CONFIG_DIR, XDG_CONFIG_HOME or HOME)"
                );
            }
        }
        if let Some(file) = &p.file {
            let state = if p.file_found {
                "read"
            } else {
                "not found, defaults used"
            };
            let _ = writeln!(out, "# config file: {} ({state})", safe_path(file));
        }
        if let Some(themes) = &p.themes {
            let state = if p.themes_found { "found" } else { "not found" };
            let _ = writeln!(out, "# user themes: {} ({state})", safe_path(themes));
        }
        out.push('\n');
        let origin = |k: &str| -> String {
            match self.origins.get(k) {
                Some(Origin::File(line)) => format!("# config file, line {line}"),
                Some(Origin::Cli(flag)) => format!("# {flag}"),
                _ => "# default".to_string(),
            }
        };
        let quoted =
            |s: &str| toml::Value::String(crate::text::sanitize_line(s).into_owned()).to_string();
        let _ = writeln!(out, "theme = {}  {}", quoted(&self.theme), origin("theme"));
        match &self.reader {
            Some(r) => {
                let _ = writeln!(out, "reader = {}  {}", quoted(r), origin("reader"));
            }
            None => {
                let _ = writeln!(
                    out,
                    "# reader: not set ($THREADR_READER, else the login name, else \"default\")"
                );
            }
        }
        let _ = writeln!(out, "split = {}  {}", self.split, origin("split"));
        let _ = writeln!(out, "mouse = {}  {}", self.mouse, origin("mouse"));
        let osc8 = match self.osc8 {
            Osc8::Auto => "\"auto\"",
            Osc8::On => "true",
            Osc8::Off => "false",
        };
        let _ = writeln!(out, "osc8 = {osc8}  {}", origin("osc8"));
        match &self.browser {
            Some(b) => {
                let _ = writeln!(out, "browser = {}  {}", quoted(b), origin("browser"));
            }
            None => {
                let _ = writeln!(out, "# browser: not set ($BROWSER, else xdg-open or open)");
            }
        }
        let colors = self.colors.map_or("auto", ColorDepth::name);
        let _ = writeln!(
            out,
            "colors = {}  {}; in use now: {}",
            quoted(colors),
            origin("colors"),
            self.color_depth(env).name()
        );
        let _ = writeln!(
            out,
            "\n# Keys ({}). Every action and its keys, by mode:",
            if self.key_overrides.is_empty() {
                "the defaults".to_string()
            } else {
                format!(
                    "defaults, with {} from the config file",
                    self.key_overrides.join(", ")
                )
            }
        );
        let mut current = None;
        for (mode, action, keys) in self.keymap.entries() {
            if current != Some(mode) {
                let _ = writeln!(out, "\n[keys.{}]", mode.name());
                current = Some(mode);
            }
            let list: Vec<String> = keys.iter().map(|k| quoted(&k.to_string())).collect();
            let _ = writeln!(
                out,
                "{} = [{}]  # {}",
                action.name(),
                list.join(", "),
                action.description()
            );
        }
        out
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

fn describe(v: &DeValue<'_>) -> String {
    match v {
        DeValue::String(s) => format!("\"{}\"", crate::text::sanitize_line(s)),
        DeValue::Integer(i) => i.as_str().to_string(),
        DeValue::Boolean(b) => b.to_string(),
        other => other.type_str().to_string(),
    }
}

fn safe_path(p: &Path) -> String {
    crate::text::sanitize_line(&p.display().to_string()).into_owned()
}

/// The 1-based line of a byte offset (TOML spans are byte offsets).
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    let end = text.floor_char_boundary(offset.min(text.len()));
    text[..end].matches('\n').count() + 1
}

/// `threadr themes`: the bundled and user themes, one a line.
///
/// # Errors
/// When the user's theme folder cannot be read.
pub fn run_themes(env: &Env) -> anyhow::Result<()> {
    let config = Config::load(env)?;
    let text = themes_listing(&config)?;
    print_out(&text)
}

/// The text `threadr themes` prints.
///
/// # Errors
/// When the user's theme folder cannot be read.
pub fn themes_listing(config: &Config) -> Result<String, ConfigError> {
    let dir = config.paths.dir.as_ref().map(|(d, _)| d.as_path());
    let mut out = String::new();
    for info in Theme::list(dir)? {
        let current = if info.name == config.theme {
            "  (in use)"
        } else {
            ""
        };
        match &info.origin {
            ThemeOrigin::Bundled => {
                let _ = writeln!(out, "{:<16} bundled{current}", info.name);
            }
            ThemeOrigin::User { path, overrides } => {
                let over = if *overrides {
                    ", overrides the bundled one"
                } else {
                    ""
                };
                let _ = writeln!(
                    out,
                    "{:<16} user: {}{over}{current}",
                    crate::text::sanitize_line(&info.name),
                    safe_path(path)
                );
            }
        }
    }
    if let Some(themes) = &config.paths.themes {
        let _ = writeln!(
            out,
            "\nUser themes live in {}; `threadr --theme NAME` or theme = \"NAME\" in config.toml picks one.",
            safe_path(themes)
        );
    }
    Ok(out)
}

/// Everything the reader needs before it opens a screen: the configuration (defaults <
/// file < command line) and its theme at the terminal's colour depth. Fails, so threadr
/// exits non-zero, on a broken config file or theme; `theme.warnings` are for the status
/// bar.
///
/// # Errors
/// As [`Config::load`] and [`Config::load_theme`].
pub fn startup(cli: &Cli, env: &Env) -> Result<(Config, Theme), ConfigError> {
    let mut config = Config::load(env)?;
    config.apply_cli(cli);
    let theme = config.load_theme(env)?;
    Ok((config, theme))
}

/// `threadr config`: the effective configuration and the paths it came from.
///
/// # Errors
/// When the configuration, or the theme it names, is broken.
pub fn run_config(cli: &Cli, env: &Env) -> anyhow::Result<()> {
    // A broken theme is a broken configuration: say so here too.
    let (config, theme) = startup(cli, env)?;
    let mut text = config.describe(env);
    for w in &theme.warnings {
        let _ = writeln!(text, "# warning: {}", crate::text::sanitize_line(w));
    }
    print_out(&text)
}

fn print_out(text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn config_dir_follows_the_environment() {
        let env = Env::from_pairs([("THREADR_CONFIG_DIR", "/t/c"), ("HOME", "/h")]);
        assert_eq!(
            config_dir(&env),
            Some((PathBuf::from("/t/c"), "THREADR_CONFIG_DIR"))
        );
        #[cfg(all(unix, not(target_os = "macos")))]
        {
            let env = Env::from_pairs([("XDG_CONFIG_HOME", "/x"), ("HOME", "/h")]);
            assert_eq!(config_dir(&env).unwrap().0, PathBuf::from("/x/threadr"));
            // A relative XDG_CONFIG_HOME is ignored, as the spec says.
            let env = Env::from_pairs([("XDG_CONFIG_HOME", "rel"), ("HOME", "/h")]);
            assert_eq!(
                config_dir(&env).unwrap().0,
                PathBuf::from("/h/.config/threadr")
            );
            assert_eq!(config_dir(&Env::default()), None);
        }
    }

    #[test]
    fn settings_are_read_with_their_lines() {
        let c = read("theme = \"gruvbox\"\nsplit = 55\nmouse = true\nosc8 = \"auto\"\ncolors = 256\nbrowser = \"firefox\"\nreader = \"ann\"\n").unwrap();
        assert_eq!(c.theme, "gruvbox");
        assert_eq!(c.split, 55);
        assert!(c.mouse);
        assert_eq!(c.osc8, Osc8::Auto);
        assert_eq!(c.colors, Some(ColorDepth::Ansi256));
        assert_eq!(c.browser.as_deref(), Some("firefox"));
        assert_eq!(c.reader.as_deref(), Some("ann"));
        assert_eq!(c.origins["split"], Origin::File(2));
        assert_eq!(c.origins["osc8"], Origin::File(4));
        assert_eq!(read("osc8 = false").unwrap().osc8, Osc8::Off);
    }

    #[test]
    fn bad_settings_name_line_and_key() {
        let e = read("\n\nsplit = 95").unwrap_err();
        assert_eq!((e.line, e.key.as_deref()), (Some(3), Some("split")));
        assert!(e.message.contains("out of range"), "{e}");
        let e = read("mouse = \"yes\"").unwrap_err();
        assert!(e.message.contains("true or false"), "{e}");
        let e = read("theme = \"x\"\ncolour = 256").unwrap_err();
        assert_eq!((e.line, e.key.as_deref()), (Some(2), Some("colour")));
        assert!(e.message.contains("unknown setting"), "{e}");
        let e = read("split = [").unwrap_err();
        assert_eq!(e.line, Some(1));
        assert!(e.message.contains("not valid TOML"), "{e}");
    }

    #[test]
    fn keys_rebind_swap_and_conflict() {
        let k = |s| Key::parse(s).unwrap();
        let c = read("[keys]\nselect_next = [\"k\"]\nselect_prev = [\"j\"]\n").unwrap();
        assert_eq!(
            c.keymap.lookup(Mode::Comments, k("k")),
            Some(crate::action::Action::SelectNext)
        );
        assert_eq!(
            c.keymap.lookup(Mode::List, k("j")),
            Some(crate::action::Action::SelectPrev)
        );
        let c = read("[keys.list]\nselect_next = [\"n\"]\n").unwrap();
        assert_eq!(
            c.keymap.lookup(Mode::List, k("n")),
            Some(crate::action::Action::SelectNext)
        );
        assert_eq!(
            c.keymap.lookup(Mode::Comments, k("j")),
            Some(crate::action::Action::SelectNext)
        );
        let e = read("[keys]\n\nselect_next = [\"k\"]\n").unwrap_err();
        assert_eq!(e.line, Some(3));
        assert!(e.message.contains("key \"k\""), "{e}");
        // Shadowing a global key from a pane is refused too.
        let e = read("[keys.comments]\nzoom_in = [\"q\"]\n").unwrap_err();
        assert!(e.message.contains("\"quit\" in [global]"), "{e}");
    }

    #[test]
    fn describe_round_trips_as_a_config_file() {
        let c = read("theme = \"light\"\n[keys]\nquit = [\"Q\", \"Ctrl-c\"]\n[keys.list]\ncancel = [\"Esc\"]\n").unwrap();
        let text = c.describe(&Env::default());
        let again = read(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(again.theme, "light");
        assert_eq!(again.keymap.entries(), c.keymap.entries());
    }
}
