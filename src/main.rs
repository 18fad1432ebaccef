//! `threadr`: parse the command line and hand over; print fatal errors.

use std::process::ExitCode;

use clap::Parser;
use threadr::cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Some(Command::Dump {
            format,
            input_format,
            file,
        }) => threadr::cli::run_dump(file, *format, *input_format),
        Some(Command::Bookmarks { reader, json }) => {
            threadr::store::run_bookmarks(reader.as_deref(), *json)
        }
        Some(Command::Themes | Command::Config) => {
            Err(anyhow::anyhow!("this subcommand is not available yet"))
        }
        None => threadr::app::run(&cli),
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
