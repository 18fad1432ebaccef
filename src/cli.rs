//! The command line: options, subcommands, and loading the thread they name.

use std::io::Read;
use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};

use crate::export::DumpFormat;
use crate::format::InputFormat;
use crate::model::Thread;

/// A terminal reader for long discussion threads.
///
/// Opens a saved thread (plain text, a lynx or w3m dump, or a Hacker News, Reddit, Lobsters or
/// threadr JSON export) with the article and the foldable comment tree side by side. Without a
/// FILE it opens the bundled tour, which teaches the keys.
#[derive(Debug, Parser)]
#[command(
    name = "threadr",
    version,
    after_help = crate::manual::AFTER_HELP,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// Thread to open: a file, `-` for standard input, an http(s) URL, or a key (`hn:ID`,
    /// `reddit:ID`, `lobsters:ID`). Without one, reads a pipe on standard input, else opens
    /// the tour.
    pub file: Option<PathBuf>,
    /// Read the file as this format instead of detecting it.
    #[arg(long, value_enum)]
    pub input_format: Option<InputFormat>,
    /// Whose bookmarks and reading state to use (else `$THREADR_READER`, the login, `default`).
    #[arg(long)]
    pub reader: Option<String>,
    /// Theme name or path to a theme file.
    #[arg(long)]
    pub theme: Option<String>,
    /// Open without restoring the saved reading position and folds.
    #[arg(long)]
    pub fresh: bool,
    /// Capture the mouse (wheel scrolls, click selects). Off by default.
    #[arg(long)]
    pub mouse: bool,
    /// A subcommand instead of the reader.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the thread as threadr read it (JSON or sanitised text).
    Dump {
        /// Output shape.
        #[arg(long, value_enum, default_value = "json")]
        format: DumpFormat,
        /// Read the file as this format instead of detecting it.
        #[arg(long, value_enum)]
        input_format: Option<InputFormat>,
        /// File to read, `-` for standard input, or a URL or key to fetch.
        file: PathBuf,
    },
    /// List the threads saved from the network (JSON with --json).
    Library {
        /// JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Refetch saved threads, merge what is new, print how many comments are new.
    // One of the two, as a usage error (exit 2) like every other command-line mistake.
    #[command(group(clap::ArgGroup::new("which").required(true).args(["target", "all"])))]
    Refresh {
        /// The URL or key of one saved thread.
        target: Option<String>,
        /// Every thread in the library.
        #[arg(long)]
        all: bool,
    },
    /// Print a reader's bookmarks (Markdown, or JSON with --json).
    Bookmarks {
        /// Whose bookmarks.
        #[arg(long)]
        reader: Option<String>,
        /// JSON instead of Markdown.
        #[arg(long)]
        json: bool,
    },
    /// List the bundled and user themes.
    Themes,
    /// Print the effective configuration and the files it came from.
    Config,
    /// Print a shell completion script (bash, zsh, fish, elvish or powershell).
    Completions {
        /// The shell to complete for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page threadr(1) in roff (`threadr manpage | man -l -`).
    Manpage,
}

/// Whether `name` is a subcommand (read from the clap definition, so new ones count).
fn is_subcommand(name: &str) -> bool {
    <Cli as clap::CommandFactory>::command()
        .get_subcommands()
        .any(|c| c.get_name() == name)
}

/// How a file argument names its source in messages and bookmarks.
#[must_use]
pub fn source_name(path: &std::path::Path) -> String {
    if path.as_os_str() == "-" {
        "<stdin>".to_string()
    } else {
        path.display().to_string()
    }
}

/// Reads the thread a file argument names (`-` is standard input).
///
/// # Errors
/// When the file cannot be read or is not a thread.
pub fn load_thread(path: &std::path::Path, forced: Option<InputFormat>) -> anyhow::Result<Thread> {
    let name = source_name(path);
    let mut bytes = Vec::new();
    if path.as_os_str() == "-" {
        if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
            bail!(
                "`-` reads the thread from standard input, but nothing is piped in \
                 (try `threadr - < thread.json` or `curl -s URL | threadr -`)"
            );
        }
        std::io::stdin()
            .lock()
            .read_to_end(&mut bytes)
            .context("cannot read the thread from standard input")?;
    } else {
        if path.is_dir() {
            bail!(
                "{}: is a folder, expected a saved thread file",
                crate::text::sanitize_line(&name)
            );
        }
        bytes = std::fs::read(path).with_context(|| {
            let shown = crate::text::sanitize_line(&name);
            // `threadr --reader ann bookmarks` reads `bookmarks` as a file: say what to type.
            if is_subcommand(&name) && !path.exists() {
                format!("cannot read {shown} (for the subcommand, put options after it: threadr {shown} ...)")
            } else {
                format!("cannot read {shown}")
            }
        })?;
    }
    Ok(crate::format::load(&bytes, &name, forced)?)
}

/// Runs `threadr dump`.
///
/// # Errors
/// When the thread cannot be read or stdout cannot be written.
pub fn run_dump(
    file: &std::path::Path,
    format: DumpFormat,
    forced: Option<InputFormat>,
) -> anyhow::Result<()> {
    let thread = load_thread(file, forced)?;
    for w in &thread.warnings {
        eprintln!("threadr: warning: {}", crate::text::sanitize_line(w));
    }
    write_dump(&thread, format)
}

/// Writes a thread to stdout as `threadr dump` does (a closed pipe is not an error).
///
/// # Errors
/// When stdout cannot be written.
pub fn write_dump(thread: &Thread, format: DumpFormat) -> anyhow::Result<()> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match crate::export::write(thread, format, &mut out) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("cannot write to standard output"),
    }?;
    std::io::Write::flush(&mut out).or_else(|e| {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            Ok(())
        } else {
            Err(e)
        }
    })?;
    Ok(())
}

/// Writes bytes to stdout (a closed pipe is not an error).
///
/// # Errors
/// When stdout cannot be written.
pub fn write_stdout(bytes: &[u8]) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match std::io::Write::write_all(&mut out, bytes).and_then(|()| std::io::Write::flush(&mut out))
    {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("cannot write to standard output"),
    }
}

/// The formats as clap offers them (`--input-format`, completions, the man page): the names
/// and descriptions are the format module's own, so clap's types stay out of `format/`.
impl clap::ValueEnum for InputFormat {
    fn value_variants<'a>() -> &'a [Self] {
        Self::ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        // Without the full stop, as clap's derive wrote doc lines.
        let help = self.describe().trim_end_matches('.');
        Some(clap::builder::PossibleValue::new(self.name()).help(help))
    }
}

/// The dump shapes as clap offers them, from the export module's names.
impl clap::ValueEnum for DumpFormat {
    fn value_variants<'a>() -> &'a [Self] {
        Self::ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.name()).help(self.describe()))
    }
}
