//! `threadr`: parse the command line and hand over; print fatal errors.

use std::process::ExitCode;

use clap::Parser;
use threadr::cli::{Cli, Command};
use threadr::config::Env;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Some(Command::Dump {
            format,
            input_format,
            file,
        }) => threadr::cli::run_dump(file, *format, *input_format),
        Some(Command::Themes) => threadr::config::run_themes(&Env::from_process()),
        Some(Command::Config) => threadr::config::run_config(&cli, &Env::from_process()),
        Some(Command::Bookmarks { .. }) => {
            Err(anyhow::anyhow!("this subcommand is not available yet"))
        }
        // Fail before any screen opens when the config or theme is broken.
        None => threadr::config::startup(&cli, &Env::from_process())
            .map_err(anyhow::Error::from)
            .and_then(|_| threadr::app::run(&cli)),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let msg = format!("{e:#}");
            eprintln!("threadr: {}", threadr::text::sanitize(&msg));
            ExitCode::FAILURE
        }
    }
}
