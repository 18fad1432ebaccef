//! The `threadr themes` and `threadr config` subcommands, and [`startup`], which loads
//! what the reader needs before any screen opens.

use std::fmt::Write as _;
use std::path::Path;

use super::{Config, ConfigError, Env, Origin, Osc8};
use crate::cli::Cli;
use crate::theme::{ColorDepth, Theme, ThemeOrigin};

impl Config {
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
        let _ = writeln!(
            out,
            "text_width = {}  {}",
            self.text_width,
            origin("text_width")
        );
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
        let _ = writeln!(out, "sort = \"{}\"  {}", self.sort.name(), origin("sort"));
        let _ = writeln!(
            out,
            "hide_read = {}  {}",
            self.hide_read,
            origin("hide_read")
        );
        let cursor = if self.cursor_on_selection {
            "selection"
        } else {
            "hidden"
        };
        let _ = writeln!(out, "cursor = \"{cursor}\"  {}", origin("cursor"));
        if self.rules.is_empty() {
            let _ = writeln!(out, "\n# Rules: none ([[rules]] in the config file)");
        } else {
            let _ = writeln!(out, "\n# Rules, applied in this order when a thread opens:");
            for rule in &self.rules {
                let _ = write!(
                    out,
                    "\n# config file, line {}\n{}",
                    rule.line,
                    rule.describe()
                );
            }
        }
        out.push_str(&super::fetch::describe_table(&self.fetch));
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

fn safe_path(p: &Path) -> String {
    crate::text::sanitize_line(&p.display().to_string()).into_owned()
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
                // Loaded once here, so a theme that would fail at start says so now.
                let broken = match Theme::load(&path.to_string_lossy(), dir) {
                    Ok(_) => String::new(),
                    Err(e) => format!(
                        "  BROKEN: {}",
                        crate::text::sanitize_line(e.to_string().lines().next().unwrap_or(""))
                    ),
                };
                let _ = writeln!(
                    out,
                    "{:<16} user: {}{over}{current}{broken}",
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
