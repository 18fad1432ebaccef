//! `threadr`: parse the command line and hand over; print fatal errors.

use std::io::Write as _;
use std::process::ExitCode;

use anyhow::Context as _;
use threadr::cli::{Cli, Command};
use threadr::config::Env;

fn main() -> ExitCode {
    // First, for every subcommand: a panic or a bad argument may quote hostile input.
    threadr::process::install_panic_hook();
    let cli: Cli = threadr::process::parse_args();
    let env = Env::from_process();
    // A test hook: the reader's own panics after its first frame; a subcommand's here, so
    // the tests can check that a panic message quoting input reaches stderr sanitised.
    if cli.command.is_some()
        && let Some(v) = std::env::var_os("THREADR_TEST_PANIC")
    {
        panic!("THREADR_TEST_PANIC is set: {}", v.to_string_lossy());
    }
    let result = match &cli.command {
        Some(Command::Dump {
            format,
            input_format,
            file,
        }) => threadr::cli::run_dump(file, *format, *input_format),
        Some(Command::Bookmarks { reader, json }) => threadr::config::Config::load(&env)
            .map_err(anyhow::Error::from)
            .and_then(|config| {
                threadr::store::run_bookmarks(config.reader_name(reader.as_deref(), &env), *json)
            }),
        Some(Command::Themes) => threadr::config::run_themes(&env),
        Some(Command::Config) => threadr::config::run_config(&cli, &env),
        Some(Command::Completions { shell }) => {
            threadr::manual::completions(*shell, &mut std::io::stdout().lock());
            Ok(())
        }
        Some(Command::Manpage) => threadr::manual::manpage(&mut std::io::stdout().lock())
            .context("cannot write to standard output"),
        // Fail before any screen opens when the config or theme is broken.
        None => threadr::config::startup(&cli, &env)
            .map_err(anyhow::Error::from)
            .and_then(|(config, theme)| threadr::app::run(&cli, &config, &theme)),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let msg = format!("{e:#}");
            // Not eprintln!: when the terminal is gone (SSH dropped) it would panic.
            let _ = writeln!(
                std::io::stderr(),
                "threadr: {}",
                threadr::text::sanitize(&msg)
            );
            ExitCode::FAILURE
        }
    }
}
