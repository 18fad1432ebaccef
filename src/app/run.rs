//! The driver: terminal setup and teardown, the event loop, signals, and effects.
//!
//! Everything that touches the real terminal or the clock lives here. The loop draws only
//! when an update says something changed, blocks on input otherwise (no timer redraws), and
//! performs the effects `App::update` returns. SIGHUP/SIGTERM are handled on their own
//! thread because crossterm's poll spins forever once the terminal is gone (see
//! DEPENDENCIES.md): that thread saves the reading position from a snapshot the loop keeps
//! current, restores what it can, and exits.

use std::io::{BufWriter, IsTerminal, Stdout, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use crossterm::event::{self, Event, KeyEventKind};
use crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen};
use crossterm::{cursor, execute};
use ratatui::Terminal;

use super::backend::QuietBackend;
use super::{App, Effect, StatusKind, StoreOp};
use crate::cli::{Cli, load_thread, source_name};
use crate::config::Config;
use crate::keymap::Key;
use crate::model::Thread;
use crate::store::{ReadingState, Store, resolve_reader, source_of};
use crate::terminal::{Multiplexer, osc52};
use crate::theme::Theme;
use crate::ui;

type Term = Terminal<QuietBackend<BufWriter<Stdout>>>;

/// The bundled tour thread, in the plain-text format.
pub const TOUR: &str = include_str!("../tour.txt");

/// How often the reading position is saved while reading (when it changed).
const SAVE_EVERY: Duration = Duration::from_secs(30);

/// The save period: [`SAVE_EVERY`], or `THREADR_SAVE_EVERY_MS` (for the tests, which cannot
/// wait half a minute).
fn save_every() -> Duration {
    std::env::var("THREADR_SAVE_EVERY_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map_or(SAVE_EVERY, Duration::from_millis)
}

/// What the signal thread needs to save the position when the connection drops.
struct Snapshot {
    store: Store,
    key: String,
    state: ReadingState,
    dirty: bool,
}

type Shared = Arc<Mutex<Option<Snapshot>>>;

/// The thread to show while `input` is fetched: its saved copy, else an empty placeholder.
fn remote_start(input: &str, library: Option<&crate::fetch::saved::Library>) -> Thread {
    if let Some((thread, _)) = library.and_then(|l| crate::fetch::cli::saved_copy(l, input)) {
        return thread;
    }
    let mut b = crate::model::ThreadBuilder::new();
    b.title = Some(format!("Fetching {input}"));
    b.source_key =
        Some(crate::fetch::route::parse(input).map_or_else(|_| input.to_string(), |t| t.key()));
    b.finish()
}

/// The URL or key the command line names, when it is one.
fn remote_input(cli: &Cli) -> Option<String> {
    let text = cli.file.as_ref()?.to_str()?;
    (crate::fetch::is_remote(text) && cli.input_format.is_none()).then(|| text.to_string())
}

/// Loads the thread the command line names, or the tour.
fn load(cli: &Cli) -> anyhow::Result<(Thread, String, String)> {
    if let Some(input) = remote_input(cli) {
        // A bad URL is refused before any screen opens.
        crate::fetch::route::parse(&input)?;
        let library = crate::fetch::saved::Library::existing();
        return Ok((remote_start(&input, library.as_ref()), input.clone(), input));
    }
    match &cli.file {
        Some(path) => Ok((
            load_thread(path, cli.input_format)?,
            source_name(path),
            source_of(path),
        )),
        None => Ok((
            crate::format::load(TOUR.as_bytes(), "the threadr tour", None)?,
            "the threadr tour".to_string(),
            "(bundled tour: run threadr with no file)".to_string(),
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

/// Saves the snapshot if it changed since the last save.
fn save_snapshot(shared: &Shared, lock_timeout: Option<Duration>) -> Option<String> {
    let mut guard = shared.lock().ok()?;
    let snap = guard.as_mut()?;
    if !snap.dirty {
        return None;
    }
    let store = match lock_timeout {
        Some(t) => snap.store.clone().with_lock_timeout(t),
        None => snap.store.clone(),
    };
    match store.save_state(&snap.key, &snap.state) {
        Ok(warnings) => {
            snap.dirty = false;
            warnings.into_iter().next()
        }
        Err(e) => Some(format!("could not save the reading position: {e}")),
    }
}

/// SIGHUP/SIGTERM/SIGINT/SIGQUIT: save the position, restore the terminal, exit promptly.
fn spawn_signal_thread(mouse: bool, shared: Shared) -> anyhow::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGHUP, SIGTERM, SIGINT, SIGQUIT])
        .context("cannot install signal handlers")?;
    std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            if let Some(sig) = signals.forever().next() {
                // Within a second in all: the lock wait is bounded.
                let _ = save_snapshot(&shared, Some(Duration::from_millis(500)));
                if sig != SIGHUP {
                    leave(mouse);
                }
                std::process::exit(128 + sig);
            }
        })
        .context("cannot start the signal thread")?;
    Ok(())
}

/// Opens the reader's store and attaches it; problems become status messages.
fn open_library(app: &mut App, cli: &Cli, config: &Config, source: String) -> Option<Shared> {
    let env = crate::config::Env::from_process();
    let chosen = config.reader_name(cli.reader.as_deref(), &env);
    let store = match resolve_reader(chosen).and_then(Store::open) {
        Ok(s) => s,
        Err(e) => {
            app.add_warning(format!("bookmarks and reading position are off: {e}"));
            return None;
        }
    };
    let warnings = app.attach_library(store.clone(), source, cli.fresh);
    for w in warnings {
        app.add_warning(w);
    }
    let state = app.reading_state()?;
    Some(Arc::new(Mutex::new(Some(Snapshot {
        store,
        key: app.thread.key.clone(),
        state,
        dirty: true,
    }))))
}

/// Opens the reader: `threadr [FILE]`.
///
/// # Errors
/// When there is no terminal, the thread cannot be read, or the terminal fails.
pub fn run(cli: &Cli, config: &Config, theme: &Theme) -> anyhow::Result<()> {
    // The file first: a missing or broken file is the more useful message.
    let (thread, name, source) = load(cli)?;
    check_terminal()?;
    let mut app = App::new(thread, name, config.keymap.clone());
    app.split = config.split;
    let over_ssh =
        std::env::var_os("SSH_CONNECTION").is_some() || std::env::var_os("SSH_TTY").is_some();
    let browser = config.browser.clone().or_else(|| {
        std::env::var("BROWSER")
            .ok()
            .filter(|b| !b.trim().is_empty())
    });
    app.can_open_links = !over_ssh && browser.is_some();
    app.hyperlinks = match config.osc8 {
        crate::config::Osc8::On => true,
        crate::config::Osc8::Off => false,
        crate::config::Osc8::Auto => crate::terminal::supports_osc8(|k| std::env::var(k).ok()),
    };
    if let Some(w) = theme.warnings.first() {
        app.add_warning(format!("theme: {w}"));
    }
    let shared = open_library(&mut app, cli, config, source).unwrap_or_default();
    let mut settings = config.fetch.clone();
    settings.proxies = crate::fetch::Proxies::from_env(&crate::config::Env::from_process());
    let library = match crate::fetch::saved::Library::open() {
        Ok(l) => Some(l),
        Err(e) => {
            app.add_warning(format!("fetched threads are not saved: {e}"));
            None
        }
    };
    let mut fetcher = super::fetcher::Fetcher::new(crate::fetch::Client::new(settings), library);
    if let Some(input) = remote_input(cli) {
        app.fetch_started(&input);
        fetcher.start(input);
    }
    let mouse = config.mouse;
    let driver = Driver {
        mouse,
        mux: Multiplexer::detect(|k| std::env::var(k).ok()),
        browser,
        shared: Arc::clone(&shared),
        folds_seen: u64::MAX,
        fetcher,
    };

    install_panic_hook(mouse);
    spawn_signal_thread(mouse, Arc::clone(&shared))?;
    enter(mouse).context("cannot set up the terminal")?;
    let result = (|| -> anyhow::Result<()> {
        let backend = QuietBackend::new(BufWriter::with_capacity(1 << 16, std::io::stdout()));
        let mut terminal = Terminal::new(backend).context("cannot use the terminal")?;
        driver.event_loop(&mut terminal, &mut app, theme)
    })();
    leave(mouse);
    if let Some(w) = save_snapshot(&shared, None) {
        let _ = writeln!(
            std::io::stderr(),
            "threadr: {}",
            crate::text::sanitize_line(&w)
        );
    }
    result
}

struct Driver {
    mouse: bool,
    mux: Multiplexer,
    browser: Option<String>,
    shared: Shared,
    folds_seen: u64,
    fetcher: super::fetcher::Fetcher,
}

impl Driver {
    fn draw(terminal: &mut Term, app: &mut App, theme: &Theme) -> anyhow::Result<()> {
        let size = terminal.size().context("cannot read the terminal size")?;
        let layout = ui::layout(
            ratatui::layout::Rect::new(0, 0, size.width, size.height),
            app,
        );
        app.set_layout(layout);
        terminal
            .draw(|frame| ui::draw(frame, app, theme))
            .context("cannot draw")?;
        Ok(())
    }

    /// Keeps the signal thread's snapshot current (folds only when they changed).
    fn sync(&mut self, app: &App) {
        let Ok(mut guard) = self.shared.lock() else {
            return;
        };
        let Some(snap) = guard.as_mut() else {
            return;
        };
        let Some(fresh) = app.reading_state_light() else {
            return;
        };
        snap.state.focused = fresh.focused;
        snap.state.article_scroll = fresh.article_scroll;
        snap.state.zoom = fresh.zoom;
        let generation = app.tree.fold_generation();
        if generation != self.folds_seen {
            snap.state
                .set_folded(&app.thread, app.tree.folded_comments());
            self.folds_seen = generation;
        }
        snap.dirty = true;
    }

    fn event_loop(
        mut self,
        terminal: &mut Term,
        app: &mut App,
        theme: &Theme,
    ) -> anyhow::Result<()> {
        let mut dirty = true;
        let mut last_save = Instant::now();
        let mut first = true;
        let every = save_every();
        loop {
            if dirty {
                Self::draw(terminal, app, theme)?;
                self.sync(app);
                dirty = false;
            }
            if first {
                // After the first screen, not before it: the reader sees the thread at once.
                app.prepare_search();
                first = false;
                // A test hook: the end-to-end tests check that a panic restores the terminal
                // and prints its message after, which needs a way to cause one.
                assert!(
                    std::env::var_os("THREADR_TEST_PANIC").is_none(),
                    "THREADR_TEST_PANIC is set: panicking on purpose"
                );
            }
            let mut wait = every.saturating_sub(last_save.elapsed());
            if self.fetcher.active() {
                // A fetch reports through a channel, not the terminal: look at it often.
                wait = wait.min(Duration::from_millis(50));
                if self.fetcher.drain(app) {
                    dirty = true;
                    continue;
                }
            }
            if !event::poll(wait).context("cannot read from the terminal")? {
                if self.fetcher.active() {
                    continue;
                }
                if let Some(w) = save_snapshot(&self.shared, None) {
                    app.set_status(StatusKind::Warning, w);
                    dirty = true;
                }
                last_save = Instant::now();
                continue;
            }
            match event::read().context("cannot read from the terminal")? {
                Event::Key(key) if key.kind != KeyEventKind::Release => {
                    let out = app.handle_key(Key::from_event(key));
                    dirty = out.redraw;
                    let mut queue: std::collections::VecDeque<Effect> = out.effects.into();
                    while let Some(effect) = queue.pop_front() {
                        match effect {
                            Effect::Quit => return Ok(()),
                            Effect::ClearScreen => {
                                terminal.clear().context("cannot clear the screen")?;
                                dirty = true;
                            }
                            Effect::Suspend => {
                                self.sync(app);
                                let _ = save_snapshot(&self.shared, None);
                                suspend(terminal, self.mouse)?;
                                dirty = true;
                            }
                            Effect::Store(op) => {
                                let saving = op == StoreOp::SaveState;
                                let more = app.perform_store(&op);
                                if saving {
                                    self.sync(app);
                                }
                                queue.extend(more.effects);
                                dirty = true;
                            }
                            Effect::Copy { what, text } => {
                                self.copy(terminal, app, &what, &text);
                                dirty = true;
                            }
                            Effect::Open(url) => {
                                self.open(app, &url);
                                dirty = true;
                            }
                            Effect::Fetch(input) => {
                                self.fetcher.start(input);
                                dirty = true;
                            }
                            Effect::CancelFetch => {
                                self.fetcher.cancel();
                                dirty = true;
                            }
                        }
                    }
                }
                Event::Resize(..) => dirty = true,
                Event::Mouse(m) if self.mouse => dirty = app.handle_mouse(m).redraw,
                _ => {}
            }
        }
    }

    /// Writes an OSC 52 sequence (wrapped for tmux/screen) straight to the terminal.
    fn copy(&self, terminal: &mut Term, app: &mut App, what: &str, text: &str) {
        match osc52(text, self.mux) {
            Ok(seq) => {
                let out = terminal.backend_mut();
                if let Err(e) = out.write_all(seq.as_bytes()).and_then(|()| out.flush()) {
                    app.set_status(StatusKind::Error, format!("Not copied: {e}"));
                    return;
                }
                let chars = text.chars().count();
                let via = match self.mux {
                    Multiplexer::Tmux => " via tmux",
                    Multiplexer::Screen => " via screen",
                    Multiplexer::None => "",
                };
                app.set_status(
                    StatusKind::Info,
                    format!("Copied {what} ({chars} characters){via}"),
                );
            }
            Err(e) => app.set_status(StatusKind::Warning, format!("Not copied: {e}")),
        }
    }

    /// Opens a URL with the configured browser, detached, without a shell.
    fn open(&self, app: &mut App, url: &str) {
        let Some(browser) = &self.browser else {
            return;
        };
        let mut parts = browser.split_whitespace();
        let Some(program) = parts.next() else {
            return;
        };
        let spawned = std::process::Command::new(program)
            .args(parts)
            .arg(url)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn();
        match spawned {
            Ok(_) => app.set_status(StatusKind::Info, format!("Opened with {program}")),
            Err(e) => app.set_status(StatusKind::Error, format!("Could not run {program}: {e}")),
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
