//! Documentation generated from the program itself: shell completions (`clap_complete`) and the
//! man page (`clap_mangen`), both from the one clap definition in `cli.rs`, so a new option or
//! subcommand appears in them without anyone editing this file. The man page's KEYS section
//! comes from the default keymap, like the `?` help. No terminal IO; writes only to the
//! writer it is given.

use std::io::Write;

use clap::CommandFactory;
use clap_complete::Shell;
use clap_mangen::roff::{Roff, bold, italic, roman};

use crate::action::Action;
use crate::cli::Cli;
use crate::keymap::{Keymap, Mode};

/// The exit codes, documented in `--help`, the man page and the README.
pub const EXIT_CODES: [(&str, &str); 3] = [
    ("0", "success"),
    (
        "1",
        "an error: a file that cannot be read or is no thread, a bad config or theme, no terminal, a reading position that could not be saved at quit",
    ),
    (
        "2",
        "a usage error: an unknown option or subcommand, a missing or invalid value",
    ),
];

/// The files and environment variables threadr uses, for the man page's FILES and
/// ENVIRONMENT sections (the README's "Where files live" says the same with macOS paths).
const FILES: [(&str, &str); 4] = [
    (
        "$XDG_CONFIG_HOME/threadr/config.toml",
        "The configuration (default ~/.config/threadr/config.toml; on macOS \
         ~/Library/Application Support/threadr/). `threadr config` prints it with every key.",
    ),
    (
        "$XDG_CONFIG_HOME/threadr/themes/*.toml",
        "User themes, chosen by name with --theme or `theme` in config.toml.",
    ),
    (
        "$XDG_DATA_HOME/threadr/READER/",
        "Bookmarks and reading positions, one folder per reader (mode 0700, files 0600; \
         default ~/.local/share/threadr/READER/).",
    ),
    (
        "README.md",
        "The full guide: in the source, the crate's page, or /usr/share/doc/threadr/ when a \
         package installed it.",
    ),
];

/// Every variable in `config::ENV_VARS`, said for a user (a test keeps the two in step).
const ENVIRONMENT: [(&str, &str); 14] = [
    (
        "THREADR_CONFIG_DIR",
        "Use this folder instead of the config folder.",
    ),
    (
        "THREADR_DATA_DIR",
        "Use this folder instead of the data folder.",
    ),
    (
        "THREADR_READER",
        "Whose bookmarks to use when neither --reader nor `reader` says.",
    ),
    (
        "XDG_CONFIG_HOME, XDG_DATA_HOME",
        "Where the config and data folders are (when absolute).",
    ),
    (
        "BROWSER",
        "The command that opens links when `browser` is not set.",
    ),
    (
        "SSH_CONNECTION, SSH_TTY",
        "Over SSH: links are copied instead of opened.",
    ),
    (
        "TMUX, STY",
        "Inside tmux or screen: copies are wrapped for them, and no OSC 8 links.",
    ),
    (
        "TERM_PROGRAM, VTE_VERSION, WT_SESSION",
        "Which terminal this is, for osc8 = \"auto\".",
    ),
    (
        "THREADR_SAVE_EVERY_MS, THREADR_TEST_PANIC",
        "For threadr's own tests: a shorter save period; a panic after the first screen.",
    ),
    (
        "HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, NO_PROXY (or https_proxy, http_proxy, all_proxy, no_proxy)",
        "Proxies for fetching threads by URL: per scheme, ALL_PROXY as the fallback, NO_PROXY hosts direct.",
    ),
    ("NO_COLOR", "When set and not empty, no colours."),
    ("TERM, COLORTERM", "How many colours the terminal shows."),
    (
        "USER, LOGNAME",
        "The login name: the reader when nothing else names one.",
    ),
    ("HOME", "Where ~/.config and ~/.local/share are."),
];

/// The line `--help` ends with: where to learn the keys and the rest.
pub const AFTER_HELP: &str = "\
In the reader, press ? for every key (q quits).
The full guide is README.md: https://github.com/threadr/threadr#readme
(or /usr/share/doc/threadr/); `threadr manpage | man -l -` shows the man page.
Exit status: 0 success, 1 error, 2 usage error.";

/// Writes the completion script for `shell`, covering every subcommand and option.
pub fn completions(shell: Shell, out: &mut dyn Write) {
    let mut cmd = Cli::command();
    clap_complete::generate(shell, &mut cmd, "threadr", out);
}

/// Writes the man page `threadr(1)` in roff.
///
/// # Errors
/// When the writer fails.
pub fn manpage(out: &mut dyn Write) -> std::io::Result<()> {
    let cmd = Cli::command();
    let man = clap_mangen::Man::new(cmd.clone()).manual("threadr manual");
    man.render_title(out)?;
    man.render_name_section(out)?;
    man.render_synopsis_section(out)?;
    man.render_description_section(out)?;
    man.render_options_section(out)?;
    let mut roff = Roff::default();
    subcommands(&mut roff, &cmd);
    keys(&mut roff, &Keymap::default_keys());
    table(&mut roff, "FILES", &FILES);
    table(&mut roff, "ENVIRONMENT", &ENVIRONMENT);
    table(&mut roff, "EXIT STATUS", &EXIT_CODES);
    roff.control("SH", ["SEE ALSO"]);
    roff.text([roman(
        "README.md for the formats, themes, configuration and measured figures; \
         https://github.com/threadr/threadr",
    )]);
    roff.to_writer(out)?;
    man.render_version_section(out)
}

/// One `.SS` per subcommand: its usage line, what it does, and its options. (`clap_mangen`'s
/// own section points at `threadr-dump(1)` pages that would have to be installed too.)
fn subcommands(roff: &mut Roff, cmd: &clap::Command) {
    roff.control("SH", ["SUBCOMMANDS"]);
    let mut cmd = cmd.clone();
    cmd.build();
    for sub in cmd.get_subcommands_mut() {
        if sub.is_hide_set() || sub.get_name() == "help" {
            continue;
        }
        let usage = sub.render_usage().to_string();
        let usage = usage.trim_start_matches("Usage: ").to_string();
        roff.control("SS", [sub.get_name()]);
        roff.text([bold(usage)]);
        if let Some(about) = sub.get_long_about().or_else(|| sub.get_about()) {
            roff.control("PP", []);
            roff.text([roman(about.to_string())]);
        }
        for arg in sub.get_arguments() {
            if arg.is_hide_set() || matches!(arg.get_id().as_str(), "help" | "version") {
                continue;
            }
            roff.control("TP", []);
            roff.text(arg_label(arg));
            if let Some(help) = arg.get_long_help().or_else(|| arg.get_help()) {
                roff.text([roman(help.to_string())]);
            }
            let values: Vec<String> = arg
                .get_possible_values()
                .iter()
                .filter(|v| !v.is_hide_set())
                .map(|v| v.get_name().to_string())
                .collect();
            if !values.is_empty() {
                roff.text([roman(format!("[possible values: {}]", values.join(", ")))]);
            }
        }
    }
}

/// `--format FORMAT` in bold and italic, or `FILE` for a positional argument.
fn arg_label(arg: &clap::Arg) -> Vec<clap_mangen::roff::Inline> {
    let value = arg
        .get_value_names()
        .and_then(|v| v.first())
        .map_or_else(|| arg.get_id().as_str().to_uppercase(), ToString::to_string);
    match arg.get_long() {
        Some(long) if arg.get_action().takes_values() => {
            vec![bold(format!("--{long}")), roman(" "), italic(value)]
        }
        Some(long) => vec![bold(format!("--{long}"))],
        None => vec![italic(value)],
    }
}

/// The default keys per mode, from the keymap the reader ships with; the nine `show_depth`
/// bindings as one entry.
fn keys(roff: &mut Roff, keymap: &Keymap) {
    roff.control("SH", ["KEYS"]);
    roff.text([roman(
        "The default keys; config.toml can change every one (see README.md, Configuration). \
         In the reader, ? shows the keys in use.",
    )]);
    let mut current = None;
    let mut depth_done = false;
    for (mode, action, keys) in keymap.entries() {
        if current != Some(mode) {
            roff.control("SS", [crate::ui::help::heading(mode)]);
            current = Some(mode);
            depth_done = false;
        }
        let (shown, name) = if let Action::ShowDepth(_) = action {
            if depth_done {
                continue;
            }
            depth_done = true;
            ("1 ... 9".to_string(), "show_depth_N")
        } else {
            let shown = keys
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ");
            (shown, action.name())
        };
        roff.control("TP", []);
        roff.text([bold(shown), roman(format!("  ({name})"))]);
        roff.text([roman(describe(mode, action))]);
    }
}

fn describe(mode: Mode, action: Action) -> &'static str {
    match action {
        Action::ShowDepth(_) => "Show replies down to that depth, fold deeper ones",
        _ => crate::ui::help::describe(mode, action),
    }
}

fn table(roff: &mut Roff, title: &str, rows: &[(&str, &str)]) {
    roff.control("SH", [title]);
    for (term, text) in rows {
        roff.control("TP", []);
        roff.text([bold(*term)]);
        roff.text([roman(*text)]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page() -> String {
        let mut out = Vec::new();
        manpage(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn man_page_has_every_subcommand_with_its_options() {
        let text = page();
        for sub in Cli::command().get_subcommands() {
            assert!(
                text.contains(&format!(".SS {}", sub.get_name())),
                "no section for {}",
                sub.get_name()
            );
        }
        assert!(text.contains("json, text"), "dump's --format values");
    }

    #[test]
    fn man_page_keys_come_from_the_keymap() {
        let text = page();
        let keymap = Keymap::default_keys();
        for (mode, action, keys) in keymap.entries() {
            if matches!(action, Action::ShowDepth(_)) {
                continue;
            }
            // roff escapes the hyphen in `Ctrl-d` and the apostrophe.
            let shown: Vec<String> = keys
                .iter()
                .map(|k| k.to_string().replace('-', "\\-").replace('\'', "\\*(Aq"))
                .collect();
            let row = format!("\\fB{}\\fR  ({})", shown.join(", "), action.name());
            assert!(text.contains(&row), "{mode:?}: no {row}");
        }
        assert_eq!(text.matches("(show_depth_N)").count(), 1);
    }

    #[test]
    fn man_page_has_files_environment_and_exit_status() {
        let text = page();
        for section in [
            ".SH FILES",
            ".SH ENVIRONMENT",
            ".SH \"EXIT STATUS\"",
            ".SH KEYS",
        ] {
            assert!(text.contains(section), "{section}");
        }
        assert!(text.contains("config.toml"));
        let env = &text[text.find(".SH ENVIRONMENT").unwrap()..text.find(".SH \"EXIT").unwrap()];
        for var in crate::config::ENV_VARS {
            assert!(env.contains(var), "{var} is not in ENVIRONMENT");
        }
    }
}
