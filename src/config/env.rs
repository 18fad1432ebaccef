//! The environment snapshot and the config folder's location. Reads the process
//! environment only in [`Env::from_process`]; everything else is a pure function of an
//! [`Env`].

use std::collections::BTreeMap;
#[cfg(unix)]
use std::path::Path;
use std::path::PathBuf;

/// The environment variables threadr looks at, captured once so everything that depends on
/// them is a pure function of this snapshot.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Env {
    vars: BTreeMap<String, String>,
}

/// The end-to-end tests' hook: the reader (after its first screen) or a subcommand panics,
/// quoting the value, to check the terminal is restored and the message sanitised.
pub const TEST_PANIC: &str = "THREADR_TEST_PANIC";

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
    // Over SSH links are copied, not opened.
    "SSH_CONNECTION",
    "SSH_TTY",
    // Terminal and multiplexer detection (OSC 52 wrapping, OSC 8 support).
    "TMUX",
    "STY",
    "TERM_PROGRAM",
    "VTE_VERSION",
    "WT_SESSION",
    // Hooks for the end-to-end tests only (see the README's Development section).
    "THREADR_SAVE_EVERY_MS",
    "THREADR_TEST_PANIC",
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "ALL_PROXY",
    "all_proxy",
    "NO_PROXY",
    "no_proxy",
];

impl Env {
    /// The process environment's [`ENV_VARS`] (values that are not UTF-8 are left out).
    #[must_use]
    pub fn from_process() -> Self {
        Self {
            vars: ENV_VARS
                .iter()
                .filter_map(|k| {
                    let v = if *k == TEST_PANIC {
                        // Any bytes: the tests check that a hostile panic message is
                        // sanitised, so this one is kept, lossily, when not UTF-8.
                        std::env::var_os(k).map(|v| v.to_string_lossy().into_owned())
                    } else {
                        std::env::var(k).ok()
                    };
                    v.map(|v| ((*k).to_string(), v))
                })
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
