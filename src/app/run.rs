//! The driver: terminal setup and teardown, the event loop, signals, and effects.
//!
//! Everything that touches the real terminal lives here. The loop draws only when an update
//! says something changed, blocks on input otherwise (no timer redraws), and performs the
//! effects `App::update` returns. SIGHUP/SIGTERM are handled on their own thread because
//! crossterm's poll spins forever once the terminal is gone (see DEPENDENCIES.md): that
//! thread restores what it can and exits.

use std::io::{BufWriter, IsTerminal, Stdout, Write};

use anyhow::{Context, bail};
use crossterm::event::{self, Event, KeyEventKind};
use crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen};
use crossterm::{cursor, execute};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

use super::{App, Effect};
use crate::cli::{Cli, load_thread, source_name};
use crate::config::Config;
use crate::keymap::Key;
use crate::model::Thread;
use crate::theme::Theme;
use crate::ui;

type Term = Terminal<CrosstermBackend<BufWriter<Stdout>>>;

/// The bundled tour thread, in the plain-text format.
pub const TOUR: &str = include_str!("../tour.txt");

/// Loads the thread the command line names, or the tour.
fn load(cli: &Cli) -> anyhow::Result<(Thread, String)> {
    match &cli.file {
        Some(path) => Ok((load_thread(path, cli.input_format)?, source_name(path))),
        None => Ok((
            crate::format::load(TOUR.as_bytes(), "the threadr tour", None)?,
            "the threadr tour".to_string(),
        )),
    }
}

/// Checks that there is a terminal to draw on and to read keys from.
fn check_terminal() -> anyhow::Result<()> {
    if !std::io::stdout().is_terminal() {
        bail!(
            "standard output is not a terminal, so there is nowhere to show the reader \
             (run it in a terminal, use `ssh -t` for remote commands, or print the thread \
             with `threadr dump FILE`)"
        );
    }
    if !std::io::stdin().is_terminal() {
        std::fs::File::open("/dev/tty").context(
            "standard input is not a terminal and /dev/tty cannot be opened, so there is \
             no terminal to read keys from",
        )?;
    }
    Ok(())
}

/// Puts the terminal in raw mode on the alternate screen.
fn enter(mouse: bool) -> std::io::Result<()> {
    crossterm::terminal::enable_raw_mode()?;
    let mut out = std::io::stdout();
    execute!(out, EnterAlternateScreen, cursor::Hide)?;
    if mouse {
        execute!(out, crossterm::event::EnableMouseCapture)?;
    }
    Ok(())
}

/// Gives the terminal back: main screen, cursor, cooked mode. Safe to call twice.
fn leave(mouse: bool) {
    let mut out = std::io::stdout();
    if mouse {
        let _ = execute!(out, crossterm::event::DisableMouseCapture);
    }
    let _ = execute!(out, LeaveAlternateScreen, cursor::Show);
    let _ = out.flush();
    let _ = crossterm::terminal::disable_raw_mode();
}

/// Restores the terminal before the default panic message prints.
fn install_panic_hook(mouse: bool) {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        leave(mouse);
        previous(info);
    }));
}

/// SIGHUP/SIGTERM/SIGINT/SIGQUIT: restore the terminal and exit promptly.
fn spawn_signal_thread(mouse: bool) -> anyhow::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGHUP, SIGTERM, SIGINT, SIGQUIT])
        .context("cannot install signal handlers")?;
    std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            if let Some(sig) = signals.forever().next() {
                if sig != SIGHUP {
                    leave(mouse);
                }
                std::process::exit(128 + sig);
            }
        })
        .context("cannot start the signal thread")?;
    Ok(())
}

/// Opens the reader: `threadr [FILE]`.
///
/// # Errors
/// When there is no terminal, the thread cannot be read, or the terminal fails.
pub fn run(cli: &Cli, config: &Config, theme: Theme) -> anyhow::Result<()> {
    // The file first: a missing or broken file is the more useful message.
    let (thread, name) = load(cli)?;
    check_terminal()?;
    let mut app = App::new(thread, name, config.keymap.clone());
    app.split = config.split;
    if let Some(w) = theme.warnings.first() {
        app.set_status(super::StatusKind::Warning, format!("theme: {w}"));
    }
    let styles = theme;
    let mouse = config.mouse;

    install_panic_hook(mouse);
    spawn_signal_thread(mouse)?;
    enter(mouse).context("cannot set up the terminal")?;
    let result = (|| -> anyhow::Result<()> {
        let backend = CrosstermBackend::new(BufWriter::with_capacity(1 << 16, std::io::stdout()));
        let mut terminal = Terminal::new(backend).context("cannot use the terminal")?;
        event_loop(&mut terminal, &mut app, &styles, mouse)
    })();
    leave(mouse);
    result
}

fn draw(terminal: &mut Term, app: &mut App, styles: &Theme) -> anyhow::Result<()> {
    let size = terminal.size().context("cannot read the terminal size")?;
    let layout = ui::layout(
        ratatui::layout::Rect::new(0, 0, size.width, size.height),
        app,
    );
    app.set_viewport(layout.viewport);
    terminal
        .draw(|frame| ui::draw(frame, app, styles))
        .context("cannot draw")?;
    Ok(())
}

fn event_loop(
    terminal: &mut Term,
    app: &mut App,
    styles: &Theme,
    mouse: bool,
) -> anyhow::Result<()> {
    let mut dirty = true;
    loop {
        if dirty {
            draw(terminal, app, styles)?;
            dirty = false;
        }
        match event::read().context("cannot read from the terminal")? {
            Event::Key(key) if key.kind != KeyEventKind::Release => {
                let out = app.handle_key(Key::from_event(key));
                dirty = out.redraw;
                for effect in out.effects {
                    match effect {
                        Effect::Quit => return Ok(()),
                        Effect::ClearScreen => {
                            terminal.clear().context("cannot clear the screen")?;
                            dirty = true;
                        }
                        Effect::Suspend => {
                            suspend(terminal, mouse)?;
                            dirty = true;
                        }
                    }
                }
            }
            Event::Resize(..) => dirty = true,
            _ => {}
        }
    }
}

/// Ctrl-z: give the terminal back, stop, and take it again on `fg`.
fn suspend(terminal: &mut Term, mouse: bool) -> anyhow::Result<()> {
    leave(mouse);
    signal_hook::low_level::raise(signal_hook::consts::SIGSTOP).context("cannot suspend")?;
    enter(mouse).context("cannot set up the terminal again")?;
    terminal.clear().context("cannot clear the screen")?;
    Ok(())
}
