//! Runs the real `threadr` binary in a pseudo-terminal and reads its screen with vt100.
//!
//! Output is read on a thread into a shared buffer (the raw bytes are kept, so tests can
//! check that nothing hostile reached the terminal) and fed to a vt100 parser. Waiting is
//! always for a condition with a deadline, never a bare sleep.

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

fn nz(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n.max(1)).unwrap()
}

/// A running threadr in a pseudo-terminal.
pub struct Pty {
    master: Option<Box<dyn MasterPty + Send>>,
    writer: Option<Box<dyn Write + Send>>,
    child: Box<dyn Child + Send + Sync>,
    raw: Arc<Mutex<Vec<u8>>>,
    parser: Arc<Mutex<vt100::Parser>>,
    last_output: Arc<Mutex<Instant>>,
    /// Set before a hang-up: the reader thread lets go of its copy of the terminal.
    closing: Arc<std::sync::atomic::AtomicBool>,
    reader: Option<std::thread::JoinHandle<()>>,
    /// Private data and config folders, so tests never see each other's (or a person's)
    /// bookmarks, reading positions or settings.
    pub home: tempfile::TempDir,
}

/// How long to wait for the screen to show something.
pub const DEADLINE: Duration = Duration::from_secs(20);

impl Pty {
    /// Starts threadr with `args` in a `cols`x`rows` terminal, with extra env vars.
    pub fn spawn(args: &[&str], cols: u16, rows: u16, env: &[(&str, &str)]) -> Self {
        Self::spawn_program(env!("CARGO_BIN_EXE_threadr"), args, cols, rows, env)
    }

    /// Starts any program in the pseudo-terminal.
    pub fn spawn_program(
        program: &str,
        args: &[&str],
        cols: u16,
        rows: u16,
        env: &[(&str, &str)],
    ) -> Self {
        let system = native_pty_system();
        let pair = system
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pty");
        let mut cmd = CommandBuilder::new(program);
        cmd.args(args);
        cmd.cwd(env!("CARGO_MANIFEST_DIR"));
        cmd.env("TERM", "xterm-256color");
        let home = tempfile::tempdir().expect("temp dir");
        cmd.env("THREADR_DATA_DIR", home.path().join("data"));
        cmd.env("THREADR_CONFIG_DIR", home.path().join("config"));
        cmd.env("THREADR_READER", "tester");
        for var in [
            "TMUX",
            "STY",
            "NO_COLOR",
            "COLORTERM",
            "SSH_CONNECTION",
            "SSH_TTY",
            "BROWSER",
        ] {
            cmd.env_remove(var);
        }
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).expect("spawn threadr");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let writer = pair.master.take_writer().expect("pty writer");
        let raw = Arc::new(Mutex::new(Vec::new()));
        let parser = Arc::new(Mutex::new(vt100::Parser::new(nz(rows), nz(cols), 0)));
        let last_output = Arc::new(Mutex::new(Instant::now()));
        let closing = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let reader_thread;
        {
            let raw = Arc::clone(&raw);
            let parser = Arc::clone(&parser);
            let last_output = Arc::clone(&last_output);
            let closing = Arc::clone(&closing);
            reader_thread = Some(std::thread::spawn(move || {
                let mut buf = vec![0u8; 65536];
                loop {
                    match reader.read(&mut buf) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => {
                            *last_output.lock().unwrap() = Instant::now();
                            raw.lock().unwrap().extend_from_slice(&buf[..n]);
                            parser.lock().unwrap().process(&buf[..n]);
                        }
                    }
                    if closing.load(std::sync::atomic::Ordering::SeqCst) {
                        break;
                    }
                }
            }));
        }
        Self {
            master: Some(pair.master),
            writer: Some(writer),
            child,
            raw,
            parser,
            last_output,
            closing,
            reader: reader_thread,
            home,
        }
    }

    /// When the program last wrote anything.
    pub fn last_output(&self) -> Instant {
        *self.last_output.lock().unwrap()
    }

    /// Runs a shell command line (for pipes) in the pseudo-terminal.
    pub fn spawn_shell(command: &str, cols: u16, rows: u16) -> Self {
        Self::spawn_program("/bin/sh", &["-c", command], cols, rows, &[])
    }

    /// The screen as text, one string per row.
    pub fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// All bytes the program wrote so far.
    pub fn raw(&self) -> Vec<u8> {
        self.raw.lock().unwrap().clone()
    }

    /// The bytes written from offset `start` on (see [`Pty::raw_len`]).
    pub fn raw_from(&self, start: usize) -> Vec<u8> {
        let raw = self.raw.lock().unwrap();
        raw.get(start..).unwrap_or_default().to_vec()
    }

    /// Number of bytes written so far.
    pub fn raw_len(&self) -> usize {
        self.raw.lock().unwrap().len()
    }

    /// Waits until the screen satisfies `pred`, or panics with the screen after `DEADLINE`.
    pub fn wait_for(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if pred(&screen) {
                return screen;
            }
            assert!(
                start.elapsed() < DEADLINE,
                "timed out waiting for {what}; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits until the screen contains `text`.
    pub fn wait_text(&self, text: &str) -> String {
        self.wait_for(&format!("{text:?}"), |s| s.contains(text))
    }

    /// Waits until output has been quiet for `quiet` (the program finished drawing).
    pub fn settle(&self, quiet: Duration) {
        let start = Instant::now();
        let mut last = self.raw_len();
        let mut since = Instant::now();
        while start.elapsed() < DEADLINE {
            std::thread::sleep(Duration::from_millis(10));
            let now = self.raw_len();
            if now != last {
                last = now;
                since = Instant::now();
            } else if since.elapsed() >= quiet {
                return;
            }
        }
    }

    /// Types raw bytes.
    pub fn send(&mut self, bytes: &[u8]) {
        let writer = self.writer.as_mut().expect("the terminal is still open");
        writer.write_all(bytes).unwrap();
        writer.flush().unwrap();
    }

    /// Types a string.
    pub fn keys(&mut self, s: &str) {
        self.send(s.as_bytes());
    }

    /// Resizes the terminal.
    pub fn resize(&mut self, cols: u16, rows: u16) {
        self.master
            .as_ref()
            .expect("the terminal is still open")
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        self.parser
            .lock()
            .unwrap()
            .screen_mut()
            .set_size(nz(rows), nz(cols));
    }

    /// Closes the terminal, as when an SSH connection drops: the program gets SIGHUP and
    /// its terminal is gone.
    pub fn hangup(&mut self) {
        // The reader thread holds a copy of the terminal and sits in `read`: ask the program
        // to redraw (Ctrl-l) so the read returns, then every copy is closed.
        self.closing
            .store(true, std::sync::atomic::Ordering::SeqCst);
        self.send(b"\x0c");
        if let Some(reader) = self.reader.take() {
            let _ = reader.join();
        }
        self.writer = None;
        self.master = None;
    }

    /// The child's process id.
    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("child pid")
    }

    /// Waits for the program to exit and returns its exit code.
    pub fn wait_exit(&mut self) -> u32 {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                // Let the reader thread drain the last bytes: it ends at the terminal's
                // end of file, once every copy of its other side is closed. A fixed short
                // sleep lost the last message on a loaded machine. Bounded, because a
                // program's own child could keep the terminal open.
                let drained = Instant::now();
                while self.reader.as_ref().is_some_and(|r| !r.is_finished())
                    && drained.elapsed() < Duration::from_secs(3)
                {
                    std::thread::sleep(Duration::from_millis(10));
                }
                return status.exit_code();
            }
            assert!(
                start.elapsed() < DEADLINE,
                "threadr did not exit; screen:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Whether the alternate screen is active in the emulated terminal.
    pub fn alternate_screen(&self) -> bool {
        self.parser.lock().unwrap().screen().alternate_screen()
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
