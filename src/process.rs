//! Process-wide guards installed first thing in `main`, for every subcommand: a panic hook
//! that sanitises its message (a panic can quote input text) and command-line errors
//! rendered through the same sanitiser (clap quotes the offending argument, and a file name
//! from a shell glob is written by strangers). Writes only to standard error; no terminal
//! state (the reader's own hook restores the terminal and then calls this one).

use std::io::Write as _;

use crate::text::sanitize;

/// Replaces the default panic hook with one that prints a sanitised one-line message.
///
/// The reader installs its terminal-restoring hook on top of this one, so after a panic the
/// terminal is restored first and this message follows.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let payload = info.payload_as_str().unwrap_or("(no message)").to_string();
        let place = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let mut msg = format!("threadr: internal error{place}: {payload} (please report it)");
        // Read at panic time, as std's own hook does, not through `config::Env`: the hook
        // is installed before the config and environment snapshot exist, and must work
        // when building them is what panicked.
        if std::env::var_os("RUST_BACKTRACE").is_some_and(|v| v != "0") {
            msg.push('\n');
            msg.push_str(&std::backtrace::Backtrace::force_capture().to_string());
        }
        // Not eprintln!: with the terminal gone it would panic inside the hook.
        let _ = writeln!(std::io::stderr(), "{}", sanitize(&msg));
    }));
}

/// Parses the command line; on an error prints clap's message sanitised (no colours: they
/// are escape sequences too) and exits with clap's code. `--help` and `--version` print as
/// clap prints them: that text is ours.
#[must_use]
pub fn parse_args<P: clap::Parser>() -> P {
    parse_from(std::env::args_os())
}

/// [`parse_args`] over given arguments (the first is the program name).
#[must_use]
pub fn parse_from<P: clap::Parser, I, T>(args: I) -> P
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    match P::try_parse_from(args) {
        Ok(parsed) => parsed,
        Err(e) => {
            if e.use_stderr() {
                let _ = write!(std::io::stderr(), "{}", render_error(&mut P::command(), &e));
                std::process::exit(e.exit_code());
            }
            e.exit()
        }
    }
}

/// Clap's error message as plain text, safe for a terminal, with two of clap's messages
/// said better for this program (see [`reword`]).
#[must_use]
pub fn render_error(cmd: &mut clap::Command, e: &clap::Error) -> String {
    let text = match reword(cmd, e) {
        Some(message) => {
            // The usage shown is the one of the (sub)command the error came from.
            cmd.build();
            let usage = e
                .get(clap::error::ContextKind::Usage)
                .map(ToString::to_string);
            let sub = usage
                .as_deref()
                .and_then(|u| u.split_whitespace().nth(2))
                .and_then(|word| cmd.get_subcommands().position(|c| c.get_name() == word));
            let target = match sub {
                Some(i) => cmd
                    .get_subcommands_mut()
                    .nth(i)
                    .unwrap_or_else(|| unreachable!()),
                None => cmd,
            };
            clap::Error::raw(e.kind(), message)
                .format(target)
                .render()
                .to_string()
        }
        None => e.render().to_string(),
    };
    sanitize(&text).into_owned()
}

/// A clearer message where clap's misleads (issue 15 #28):
/// - a second positional argument (`threadr a b`) is reported by clap as "the subcommand 'b'
///   cannot be used with '[FILE]'", though `b` is no subcommand: say one file at a time, or,
///   when it is a subcommand, that subcommands come first;
/// - an unknown option gets clap's nearest option as a tip however far it is (`--bogus`
///   suggested `--mouse`): keep the tip only when it is a plausible typo.
fn reword(cmd: &clap::Command, e: &clap::Error) -> Option<String> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let get = |kind| match e.get(kind) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(v)) => v.first().cloned(),
        _ => None,
    };
    match e.kind() {
        ErrorKind::ArgumentConflict => {
            let word = get(ContextKind::InvalidSubcommand)?;
            let name = cmd.get_name().to_string();
            Some(if cmd.find_subcommand(&word).is_some() {
                format!(
                    "'{word}' is a subcommand: put it first, before any file or option ({name} {word} --help shows its options)\n"
                )
            } else {
                format!(
                    "unexpected argument '{word}': {name} opens one thread at a time (one FILE, URL or key)\n"
                )
            })
        }
        ErrorKind::UnknownArgument => {
            let bad = get(ContextKind::InvalidArg)?;
            let near = get(ContextKind::SuggestedArg)?;
            if plausible_typo(&bad, &near) {
                return None;
            }
            Some(format!(
                "unexpected argument '{bad}' ({} --help lists the options)\n",
                cmd.get_name()
            ))
        }
        _ => None,
    }
}

/// True when `typed` is a plausible misspelling of `known`: at most two edits, or a third of
/// the name for long ones (`--mous`, `--fersh`, `--input-fromat`; not `--bogus` for `--mouse`).
fn plausible_typo(typed: &str, known: &str) -> bool {
    let typed = typed
        .split('=')
        .next()
        .unwrap_or(typed)
        .trim_start_matches('-');
    let known = known.trim_start_matches('-');
    let limit = (known.chars().count() / 3).max(2);
    strsim::damerau_levenshtein(typed, known) <= limit
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::Cli;
    use clap::{CommandFactory as _, Parser as _};

    fn error(args: &[&str]) -> String {
        let e = Cli::try_parse_from(args).unwrap_err();
        render_error(&mut Cli::command(), &e)
    }

    #[test]
    fn a_second_file_is_not_called_a_subcommand() {
        let out = error(&["threadr", "a", "b"]);
        assert!(
            out.starts_with("error: unexpected argument 'b': threadr opens one thread at a time"),
            "{out}"
        );
        assert!(!out.contains("subcommand"), "{out}");
        assert!(
            out.starts_with(
                "error: unexpected argument 'b': threadr opens one thread at a time (one FILE, URL or key)\n"
            ),
            "the message is one line without runs of spaces: {out:?}"
        );
        assert!(out.contains("Usage: threadr"), "{out}");
        let out = error(&["threadr", "--fresh", "a", "dump"]);
        assert!(
            out.starts_with(
                "error: 'dump' is a subcommand: put it first, before any file or option (threadr dump --help shows its options)\n"
            ),
            "{out:?}"
        );
    }

    #[test]
    fn only_plausible_typos_get_a_tip() {
        let out = error(&["threadr", "--bogus"]);
        assert!(!out.contains("--mouse"), "{out}");
        assert!(
            out.starts_with("error: unexpected argument '--bogus' (threadr --help lists"),
            "{out}"
        );
        for typo in ["--mous", "--fersh", "--input-fromat=hn"] {
            let out = error(&["threadr", typo]);
            assert!(
                out.contains("tip: a similar argument exists"),
                "{typo}: {out}"
            );
        }
        let out = error(&["threadr", "dump", "--bogus", "x"]);
        assert!(out.contains("Usage: threadr dump"), "{out}");
        assert!(plausible_typo("--thme", "--theme"));
        assert!(!plausible_typo("--bogus", "--mouse"));
    }

    #[test]
    fn clap_errors_carry_no_control_characters() {
        for args in [
            vec!["threadr", "dump", "a.json", "b\x1b]0;PWNTITLE\x07"],
            vec!["threadr", "--input-format", "x\x1b[2J\u{9b}31m\u{202e}"],
            vec!["threadr", "--\x1bc"],
        ] {
            let e = Cli::try_parse_from(&args).unwrap_err();
            let out = render_error(&mut Cli::command(), &e);
            assert!(
                !out.chars()
                    .any(|c| c.is_control() && c != '\n' || ('\u{202a}'..='\u{202e}').contains(&c)),
                "{out:?}"
            );
            assert!(out.contains("error:"), "{out:?}");
        }
    }
}
