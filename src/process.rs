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
                let _ = write!(std::io::stderr(), "{}", render_error(&e));
                std::process::exit(e.exit_code());
            }
            e.exit()
        }
    }
}

/// Clap's error message as plain text, safe for a terminal.
#[must_use]
pub fn render_error(e: &clap::Error) -> String {
    sanitize(&e.render().to_string()).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::Cli;
    use clap::Parser as _;

    #[test]
    fn clap_errors_carry_no_control_characters() {
        for args in [
            vec!["threadr", "dump", "a.json", "b\x1b]0;PWNTITLE\x07"],
            vec!["threadr", "--input-format", "x\x1b[2J\u{9b}31m\u{202e}"],
            vec!["threadr", "--\x1bc"],
        ] {
            let e = Cli::try_parse_from(&args).unwrap_err();
            let out = render_error(&e);
            assert!(
                !out.chars()
                    .any(|c| c.is_control() && c != '\n' || ('\u{202a}'..='\u{202e}').contains(&c)),
                "{out:?}"
            );
            assert!(out.contains("error:"), "{out:?}");
        }
    }
}
