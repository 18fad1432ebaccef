//! `threadr`: parse the command line and hand over; print fatal errors.

use std::io::Write as _;
use std::process::ExitCode;

use anyhow::Context as _;
use threadr::cli::{Cli, Command};
use threadr::config::Env;

/// The HTTP client from `[fetch]` and the proxy variables.
fn client(env: &Env) -> anyhow::Result<threadr::fetch::Client> {
    let config = threadr::config::Config::load(env)?;
    let mut settings = config.fetch;
    settings.proxies = threadr::fetch::Proxies::from_env(env);
    Ok(threadr::fetch::Client::new(settings))
}

fn main() -> ExitCode {
    // First, for every subcommand: a panic or a bad argument may quote hostile input.
    threadr::process::install_panic_hook();
    let cli: Cli = threadr::process::parse_args();
    let env = Env::from_process();
    // A test hook: the reader's own panics after its first frame; a subcommand's here, so
    // the tests can check that a panic message quoting input reaches stderr sanitised.
    if cli.command.is_some()
        && let Some(v) = env.get(threadr::config::TEST_PANIC)
    {
        panic!("THREADR_TEST_PANIC is set: {v}");
    }
    let result = match &cli.command {
        Some(Command::Dump {
            format,
            input_format: None,
            file,
        }) if file.to_str().is_some_and(threadr::fetch::is_remote) => client(&env)
            .and_then(|c| threadr::fetch::cli::run_dump_url(&file.to_string_lossy(), &c, *format)),
        Some(Command::Dump {
            format,
            input_format,
            file,
        }) => threadr::cli::run_dump(file, *format, *input_format),
        Some(Command::Library { json }) => threadr::fetch::cli::run_library(*json),
        Some(Command::Refresh { target, all }) => {
            client(&env).and_then(|c| threadr::fetch::cli::run_refresh(target.as_deref(), *all, &c))
        }
        Some(Command::Bookmarks { reader, json }) => threadr::config::Config::load(&env)
            .map_err(anyhow::Error::from)
            .and_then(|config| {
                threadr::store::run_bookmarks(
                    config.reader_name(reader.as_deref(), &env),
                    &env,
                    *json,
                )
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
            .and_then(|(config, theme)| threadr::driver::run(&cli, &config, &theme)),
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
