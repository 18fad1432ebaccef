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

mod commands;
mod env;
mod fetch;
mod file;
mod keys;
mod located;
mod rules;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use toml::de::DeTable;

use crate::cli::Cli;
use crate::keymap::Keymap;
use crate::theme::{ColorDepth, Theme, ThemeError, resolve_depth};

pub use commands::{run_config, run_themes, startup, themes_listing};
pub use env::{ENV_VARS, Env, TEST_PANIC, config_dir};
pub use fetch::FETCH_SETTINGS;
pub use rules::{Rule, RuleAction};

/// A problem with the configuration, located as precisely as known: the same shape as a
/// theme's (`file`, `line`, `key` such as `[keys] select_next` or `--theme`, `message`), so
/// one type serves both and a theme error needs no conversion.
pub type ConfigError = ThemeError;

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
/// The allowed range of `split` (the same one `<` and `>` keep to).
pub use crate::app::layout::SPLIT_RANGE;
/// Default longest line of text, in columns.
pub const DEFAULT_TEXT_WIDTH: usize = 100;
/// The allowed range of `text_width` (or 0: no limit).
pub const TEXT_WIDTH_RANGE: std::ops::RangeInclusive<usize> = 20..=1000;

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
    /// Longest line of comment and article text in columns; 0: the pane's width.
    pub text_width: usize,
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
    /// The order a thread opens in (the saved reading position wins).
    pub sort: crate::model::SortOrder,
    /// Open threads with read comments hidden (`H`).
    pub hide_read: bool,
    /// Park the terminal's cursor on the selection (`cursor = "selection"`).
    pub cursor_on_selection: bool,
    /// `[[rules]]`, in order.
    pub rules: Vec<Rule>,
    /// `[fetch]`: fetching threads by URL (proxies are added from the environment).
    pub fetch: crate::fetch::FetchSettings,
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
        "text_width",
        "Longest line of comment and article text in columns, 20-1000, or 0 for the pane's width (default 100)",
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
        "sort",
        "Order of the comments when a thread opens: \"file\", \"score\", \"newest\", \"oldest\" or \"replies\" (default \"file\"); the saved position wins",
    ),
    (
        "hide_read",
        "Open threads with read comments hidden, as H does: true or false (default false)",
    ),
    (
        "cursor",
        "\"selection\" parks the terminal's cursor on the focused comment, for screen readers (default \"hidden\")",
    ),
    (
        "rules",
        "[[rules]] tables: conditions (author, author_regex, text_regex, score_below, depth_over) and an action (hide, fold, dim, mark)",
    ),
    (
        "fetch",
        "Fetching threads by URL: [fetch] hackernews_api, reddit_api, lobsters_api, bluesky_api, timeout, pace, more_requests, max_size, articles",
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
            .filter(|(k, _)| *k != "keys" && *k != "rules" && *k != "fetch")
            .map(|(k, _)| (*k, Origin::Default))
            .collect();
        Self {
            theme: "default".to_string(),
            reader: None,
            split: DEFAULT_SPLIT,
            text_width: DEFAULT_TEXT_WIDTH,
            mouse: false,
            osc8: Osc8::Auto,
            browser: None,
            colors: None,
            keymap: Keymap::default_keys(),
            origins,
            key_overrides: Vec::new(),
            paths,
            sort: crate::model::SortOrder::File,
            hide_read: false,
            cursor_on_selection: false,
            rules: Vec::new(),
            fetch: crate::fetch::FetchSettings::default(),
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
        let doc = located::Located { text, file };
        let parsed = file::ConfigFile::read(&doc)?;
        parsed.apply(self, &doc)?;
        if parsed.has_keys(&doc)? {
            // Parsed again with spans inside: `[keys]` is walked, not derived (see file.rs).
            let table = DeTable::parse(text).map_err(|e| doc.syntax(&e))?;
            if let Some(keys) = table
                .get_ref()
                .get("keys")
                .and_then(|v| v.get_ref().as_table())
            {
                self.apply_keys(keys, text, file)?;
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

    /// The reader name to resolve: `--reader`, then `$THREADR_READER`, then this file's
    /// `reader`; `None` leaves the rest (the login name, then `default`) to
    /// [`crate::store::resolve_reader`].
    #[must_use]
    pub fn reader_name<'a>(&'a self, cli: Option<&'a str>, env: &Env) -> Option<&'a str> {
        if cli.is_some() {
            return cli;
        }
        if env
            .get(crate::store::READER_ENV)
            .is_some_and(|v| !v.is_empty())
        {
            return None;
        }
        self.reader.as_deref()
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
                let mut err = e;
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
}

pub(crate) use located::{did_you_mean, line_of};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keymap::{Key, Mode};

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
