//! The driver: terminal setup and teardown, the event loop, signals, and effects (store
//! changes through [`DiskStore`], jobs through [`crate::jobs::Runner`]); it is what joins
//! the app to the screen (`crate::ui`), so the app itself never names `ui`.
//!
//! Everything that touches the real terminal or the clock lives here. The loop draws only
//! when an update says something changed, blocks on input otherwise (no timer redraws), and
//! performs the effects `App::update` returns. SIGHUP/SIGTERM are handled on their own
//! thread because crossterm's poll spins forever once the terminal is gone (see
//! DEPENDENCIES.md): that thread saves the reading position from a snapshot the loop keeps
//! current (`snapshot`), restores what it can, and exits. A thread chosen in the library
//! list (`L`) ends the session of the shown one, saved as on quit, and the next session
//! opens it in the same process.

mod backend;
mod fetcher;
mod keeper;
mod open;
mod snapshot;

use std::io::{BufWriter, IsTerminal, Stdout, Write};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use crossterm::event::{self, Event, KeyEventKind};
use crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen};
use crossterm::{cursor, execute};
use ratatui::Terminal;

use backend::QuietBackend;
pub use keeper::DiskStore;
use open::{Pending, bare, load, remote_input, saved_threads};
use snapshot::{Shared, Snapshot, save_snapshot, spawn_signal_thread, try_save_snapshot};

use crate::app::{App, AppOptions, Effect, Message, Outcome, StatusKind, StoreBackend};
use crate::cli::Cli;
use crate::config::{Config, Env};
use crate::jobs::Runner;
use crate::keymap::Key;
use crate::store::Store;
use crate::terminal::{Multiplexer, TmuxClipboard, osc52};
use crate::theme::Theme;
use crate::ui;

type Term = Terminal<QuietBackend<BufWriter<Stdout>>>;

/// The bundled tour thread, in the plain-text format.
pub const TOUR: &str = include_str!("../tour.txt");

/// How often the reading position is saved while reading (when it changed).
const SAVE_EVERY: Duration = Duration::from_secs(30);

/// How often the loop looks for job messages while a job runs (it otherwise blocks on the
/// terminal): fast enough for progress to look live, slow enough to cost nothing.
const JOB_POLL: Duration = Duration::from_millis(30);

/// What the loop does after performing an update's effects.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Flow {
    /// Leave.
    Quit,
    /// Leave this thread and open this URL or key (chosen in the library list).
    Open(String),
    /// Draw again.
    Redraw,
    /// Nothing changed on screen.
    Same,
}

/// The save period: [`SAVE_EVERY`], or `THREADR_SAVE_EVERY_MS` (for the tests, which cannot
/// wait half a minute).
fn save_every(env: &Env) -> Duration {
    env.get("THREADR_SAVE_EVERY_MS")
        .and_then(|v| v.parse().ok())
        .map_or(SAVE_EVERY, Duration::from_millis)
}

/// How tmux treats a clipboard sequence now, from `tmux show -gv` (asked at each copy: the
/// reader may fix the option and try again without restarting).
fn tmux_clipboard() -> TmuxClipboard {
    let option = |name: &str| {
        std::process::Command::new("tmux")
            .args(["show", "-gv", name])
            .stdin(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
    };
    TmuxClipboard::from_options(
        option("allow-passthrough").as_deref(),
        option("set-clipboard").as_deref(),
    )
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

/// Opens the reader: `threadr [FILE]`. Choosing a thread in the library list (`L`) ends
/// this thread's session (its position saved as on quit) and opens that one in the next.
///
/// # Errors
/// When there is no terminal, the thread cannot be read, or the terminal fails.
pub fn run(cli: &Cli, config: &Config, theme: &Theme) -> anyhow::Result<()> {
    // One snapshot slot for the signal thread, refilled by each session.
    let shared = Shared::default();
    let mut chosen: Option<String> = None;
    let mut first = true;
    loop {
        match session(cli, config, theme, &shared, chosen.as_deref(), first)? {
            None => return Ok(()),
            Some(next) => chosen = Some(next),
        }
        first = false;
    }
}

/// One thread in the reader, from opening to quitting (`None`) or to choosing another
/// thread in the library list (`Some` of its URL or key).
fn session(
    cli: &Cli,
    config: &Config,
    theme: &Theme,
    shared: &Shared,
    chosen: Option<&str>,
    first: bool,
) -> anyhow::Result<Option<String>> {
    // The file first: a missing or broken file is the more useful message.
    let (thread, name, source, rest) = load(cli, chosen)?;
    check_terminal()?;
    let env = Env::from_process();
    let get = |k: &str| env.get(k).map(str::to_string);
    let over_ssh = env.get("SSH_CONNECTION").is_some() || env.get("SSH_TTY").is_some();
    let browser = config.browser.clone().or_else(|| {
        env.get("BROWSER")
            .filter(|b| !b.trim().is_empty())
            .map(str::to_string)
    });
    let options = AppOptions {
        split: config.split,
        text_width: config.text_width,
        can_open_links: !over_ssh && browser.is_some(),
        hyperlinks: match config.osc8 {
            crate::config::Osc8::On => true,
            crate::config::Osc8::Off => false,
            crate::config::Osc8::Auto => crate::terminal::supports_osc8(get),
        },
        cursor_on_selection: config.cursor_on_selection,
    };
    let mut app = App::with_options(thread, name, config.keymap.clone(), options);
    if let Some(w) = theme.warnings.first() {
        app.add_warning(format!("theme: {w}"));
    }
    app.set_order(config.sort);
    let reader = config.reader_name(cli.reader.as_deref(), &env);
    let (pending, disk, snapshot, start) = open::attach_or_defer(
        &mut app,
        rest,
        reader,
        &env,
        (cli.fresh, config.hide_read),
        source,
    );
    let reader_store = snapshot.as_ref().map(|s| s.store.clone());
    if let Ok(mut slot) = shared.lock() {
        *slot = snapshot;
    }
    app.set_rules(config.rules.clone());
    if config.hide_read && pending.is_none() {
        app.hide_read_on_open();
    }
    // The comment the thread opens on is in front of the reader.
    app.mark_focused_read();
    let mut settings = config.fetch.clone();
    settings.proxies = crate::fetch::Proxies::from_env(&env);
    let fetch_library = match crate::fetch::saved::Library::open() {
        Ok(l) => Some(l),
        Err(e) => {
            app.add_warning(format!("fetched threads are not saved: {e}"));
            None
        }
    };
    let fetcher = fetcher::Fetcher::new(crate::fetch::Client::new(settings), fetch_library);
    let mut start = start;
    if let Some(input) = remote_input(cli, chosen) {
        app.fetch_started(&input);
        // The loop's runner starts it, with the first screen already up.
        start.effects.push(Effect::Fetch(input));
    } else if first && bare(cli) {
        // Bare `threadr`: the tour, with the saved threads over it when there are any (Esc
        // closes the list and the tour is there; a fresh machine opens the tour alone).
        let saved = saved_threads(reader_store.as_ref());
        if !saved.is_empty() {
            app.show_library(&saved);
        }
    }
    let mouse = config.mouse;
    let driver = Driver {
        mouse,
        mux: Multiplexer::detect(get),
        save_every: save_every(&env),
        browser,
        shared: Arc::clone(shared),
        folds_seen: u64::MAX,
        unread_seen: usize::MAX,
        rekeyed: false,
        disk,
        reader_store,
        fetcher,
        pending,
        test_panic: env.get(crate::config::TEST_PANIC).map(str::to_string),
        start,
    };

    if first {
        install_panic_hook(mouse);
        spawn_signal_thread(mouse, Arc::clone(shared))?;
    }
    enter(mouse).context("cannot set up the terminal")?;
    let result = (|| -> anyhow::Result<Option<String>> {
        let backend = QuietBackend::new(BufWriter::with_capacity(1 << 16, std::io::stdout()));
        let mut terminal = Terminal::new(backend).context("cannot use the terminal")?;
        driver.event_loop(&mut terminal, &mut app, theme)
    })();
    // Save before the terminal is given back: once the shell prompt is there, the reader
    // may open the thread again at once, and must find this visit saved.
    let saved = try_save_snapshot(shared, None);
    leave(mouse);
    match saved {
        Ok(None) => {}
        Ok(Some(w)) => {
            let _ = writeln!(
                std::io::stderr(),
                "threadr: {}",
                crate::text::sanitize_line(&w)
            );
        }
        // A position that was not saved is lost work: say so and exit non-zero (main
        // prints it), unless the loop already failed with the more useful message.
        Err(e) => return result.and(Err(anyhow::anyhow!(e))),
    }
    result
}

struct Driver {
    mouse: bool,
    mux: Multiplexer,
    browser: Option<String>,
    shared: Shared,
    folds_seen: u64,
    unread_seen: usize,
    /// The snapshot's key was checked against the fetched thread's (see `sync`).
    rekeyed: bool,
    /// The reader's files, when their folder could be opened.
    disk: Option<DiskStore>,
    /// The reader's store, for the library list's counts of new replies.
    reader_store: Option<Store>,
    /// How often the position is saved.
    save_every: Duration,
    /// The fetch of a thread opened by URL (its own worker; see `fetcher`).
    fetcher: fetcher::Fetcher,
    /// A large file opened on its first part: the rest to read, and the library to attach
    /// once it is read.
    pending: Option<Pending>,
    /// `THREADR_TEST_PANIC`: panic after the first screen (end-to-end tests only).
    test_panic: Option<String>,
    /// Effects to perform with the first frame (the bookmark job).
    start: Outcome,
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
            .draw(|frame| ui::draw_in(frame, app, theme, &layout))
            .context("cannot draw")?;
        Ok(())
    }

    /// The rest of a large file was read (or could not be): attach the library now; the
    /// outcome holds the job that reads the bookmarks.
    fn whole_file_read(&mut self, app: &mut App) -> Outcome {
        let Some((disk, snapshot, out)) =
            self.pending.take().and_then(|p| open::attach_whole(p, app))
        else {
            return Outcome::default();
        };
        self.disk = Some(disk);
        self.reader_store = Some(snapshot.store.clone());
        if let Ok(mut slot) = self.shared.lock() {
            *slot = Some(snapshot);
        }
        out
    }

    /// Runs until quit (`None`) or until a thread is chosen in the library list.
    fn event_loop(
        mut self,
        terminal: &mut Term,
        app: &mut App,
        theme: &Theme,
    ) -> anyhow::Result<Option<String>> {
        let mut dirty = true;
        let mut last_save = Instant::now();
        let mut first = true;
        let every = self.save_every;
        let mut runner = Runner::new();
        loop {
            if dirty {
                Self::draw(terminal, app, theme)?;
                self.sync(app);
                dirty = false;
            }
            if first {
                // After the first screen, not before it: the reader sees the thread at once.
                let mut out = app.prepare_search();
                let start = std::mem::take(&mut self.start);
                out.effects.extend(start.effects);
                // `[fetch] articles = "always"` (a large file asks once read whole, below).
                if self.pending.is_none() {
                    out.effects
                        .extend(self.fetcher.article_for_file(app).effects);
                }
                dirty |= self.perform(terminal, app, &mut runner, out)? == Flow::Redraw;
                if let Some(p) = &self.pending {
                    let rest = &p.rest;
                    let out = app.read_rest(rest.path.clone(), rest.forced, rest.name.clone());
                    dirty |= self.perform(terminal, app, &mut runner, out)? == Flow::Redraw;
                }
                first = false;
                // A test hook: the end-to-end tests check that a panic restores the terminal
                // and prints its message after, which needs a way to cause one.
                // `Env` keeps its value even when it is not UTF-8 (the tests check that a
                // hostile panic message is sanitised).
                if let Some(v) = &self.test_panic {
                    panic!("THREADR_TEST_PANIC is set: panicking on purpose: {v}");
                }
            }
            // Job messages first: they are as much input as keys. A fetch's go to the
            // fetcher, which hands them to the app's fetch handlers.
            while let Some(msg) = runner.try_recv() {
                let out = if fetcher::Fetcher::owns(msg.id()) {
                    self.fetcher.on_msg(app, msg)
                } else {
                    app.handle(Message::Job(msg))
                };
                match self.perform(terminal, app, &mut runner, out)? {
                    Flow::Quit => return Ok(None),
                    Flow::Open(next) => return Ok(Some(next)),
                    Flow::Redraw => dirty = true,
                    Flow::Same => {}
                }
                if self.pending.is_some() && !app.is_reading() {
                    let mut out = self.whole_file_read(app);
                    out.effects
                        .extend(self.fetcher.article_for_file(app).effects);
                    self.perform(terminal, app, &mut runner, out)?;
                    dirty = true;
                }
            }
            if dirty {
                continue;
            }
            let wait = every.saturating_sub(last_save.elapsed());
            // crossterm cannot wait on our channel too: while a job runs, look at it often.
            let wait = if runner.is_busy() {
                wait.min(JOB_POLL)
            } else {
                wait
            };
            if !event::poll(wait).context("cannot read from the terminal")? {
                if last_save.elapsed() >= every {
                    if let Some(w) = save_snapshot(&self.shared, None) {
                        app.set_status(StatusKind::Warning, w);
                        dirty = true;
                    }
                    last_save = Instant::now();
                }
                continue;
            }
            let out = match event::read().context("cannot read from the terminal")? {
                Event::Key(key) if key.kind != KeyEventKind::Release => {
                    app.handle(Message::Key(Key::from_event(key)))
                }
                Event::Resize(..) => Outcome::changed(true),
                Event::Mouse(m) if self.mouse => app.handle_mouse(m),
                _ => Outcome::default(),
            };
            match self.perform(terminal, app, &mut runner, out)? {
                Flow::Quit => return Ok(None),
                Flow::Open(next) => return Ok(Some(next)),
                Flow::Redraw => dirty = true,
                Flow::Same => {}
            }
        }
    }

    /// Performs an update's effects, in order (a store result can bring more).
    fn perform(
        &mut self,
        terminal: &mut Term,
        app: &mut App,
        runner: &mut Runner,
        out: Outcome,
    ) -> anyhow::Result<Flow> {
        let mut redraw = out.redraw;
        let mut queue: std::collections::VecDeque<Effect> = out.effects.into();
        while let Some(effect) = queue.pop_front() {
            match effect {
                Effect::Quit => return Ok(Flow::Quit),
                Effect::ClearScreen => {
                    terminal.clear().context("cannot clear the screen")?;
                    redraw = true;
                }
                Effect::Suspend => {
                    self.sync(app);
                    let _ = save_snapshot(&self.shared, None);
                    suspend(terminal, self.mouse)?;
                    redraw = true;
                }
                Effect::Store(op) => {
                    if let (Some(disk), Some(lib)) = (&mut self.disk, &app.library) {
                        let done = disk.perform(&app.thread, &lib.source, &op);
                        queue.extend(app.store_done(&op, done).effects);
                    }
                    redraw = true;
                }
                Effect::Copy { what, text } => {
                    self.copy(terminal, app, &what, &text);
                    redraw = true;
                }
                Effect::Open(url) => {
                    self.open(app, &url);
                    redraw = true;
                }
                Effect::Spawn(job) => runner.spawn(job),
                Effect::CancelJob(id) => runner.cancel(id),
                Effect::Fetch(input) => {
                    self.fetcher.start(runner, input);
                    redraw = true;
                }
                Effect::FetchArticle(url) => {
                    self.fetcher.start_article(runner, url);
                    redraw = true;
                }
                Effect::CancelFetch => {
                    self.fetcher.cancel(runner);
                    redraw = true;
                }
                Effect::ShowLibrary => {
                    let saved = saved_threads(self.reader_store.as_ref());
                    queue.extend(app.show_library(&saved).effects);
                    redraw = true;
                }
                Effect::OpenThread(target) => {
                    self.fetcher.cancel(runner);
                    self.sync(app);
                    return Ok(Flow::Open(target));
                }
            }
        }
        Ok(if redraw { Flow::Redraw } else { Flow::Same })
    }

    /// Writes an OSC 52 sequence (wrapped for tmux/screen) straight to the terminal.
    fn copy(&self, terminal: &mut Term, app: &mut App, what: &str, text: &str) {
        let tmux = (self.mux == Multiplexer::Tmux).then(tmux_clipboard);
        if tmux == Some(TmuxClipboard::Dropped) {
            app.set_status(StatusKind::Warning, TmuxClipboard::Dropped.message(what, 0));
            return;
        }
        let mux = tmux.map_or(self.mux, TmuxClipboard::wrapping);
        match osc52(text, mux) {
            Ok(seq) => {
                let out = terminal.backend_mut();
                if let Err(e) = out.write_all(seq.as_bytes()).and_then(|()| out.flush()) {
                    app.set_status(StatusKind::Error, format!("Not copied: {e}"));
                    return;
                }
                let chars = text.chars().count();
                let said = match (tmux, self.mux) {
                    (Some(t), _) => t.message(what, chars),
                    (None, Multiplexer::Screen) => {
                        format!("Copied {what} ({chars} characters) via screen")
                    }
                    (None, _) => format!("Copied {what} ({chars} characters)"),
                };
                app.set_status(StatusKind::Info, said);
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
