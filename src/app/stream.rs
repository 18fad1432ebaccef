//! A large file opened on its first bytes: the first screen shows at once while a job reads
//! the whole file, and the whole thread then replaces the first part in place.
//!
//! The driver opens the reader on the thread `crate::format::head` read from the file's
//! start and calls [`App::read_rest`], which returns the job as an effect. While it runs,
//! the status bar says `reading N%` and the position `1/N…`; keys that move through what is
//! there work at once, and the ones that need the whole thread (`G`, search, expand or fold
//! all, sort, filters, bookmarks, marking all read) say so and do nothing. When the job's
//! thread arrives it replaces the first part keeping the focused comment, folds and read
//! marks by id ([`App::replace_thread`]); the driver then attaches the bookmarks and the
//! saved reading position, which must only ever see the whole thread (a bookmark on a
//! comment past the first part would otherwise look moved). No IO here: the job does it.

use std::path::PathBuf;

use super::{App, Outcome, StatusKind};
use crate::action::Action;
use crate::format::InputFormat;
use crate::format::pieces::Pieces;
use crate::jobs::{JobError, JobId, JobOutput};
use crate::model::{CommentId, Thread};

/// Where reading the whole file stands.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Streaming {
    /// The thread shown is the whole file (the usual case).
    #[default]
    Whole,
    /// The first part is shown; the job reads the rest.
    Reading {
        /// The job.
        job: JobId,
        /// How far it got, 0 to 100.
        percent: u64,
        /// The comment focused when the first part opened: when the reader moved away from
        /// it, the saved position is not restored over where they went.
        opened_on: Option<CommentId>,
    },
    /// The whole file could not be read: the first part stays, without bookmarks.
    Failed,
}

/// How much of the job's progress is reading the bytes; the rest is parsing them.
const READ_SHARE: u64 = 10;
/// Bytes read from the file between two progress reports.
const READ_CHUNK: usize = 8 << 20;
/// Bytes of a plain-text file parsed at a time: small, as the buffer is held next to the
/// growing thread (1 MiB costs nothing measurable in parse speed against 8 MiB).
const PIECE: usize = 1 << 20;

impl App {
    /// Starts the job that reads the whole of `path` (the file the first part came from)
    /// as `forced` or as detected; its thread replaces the first part when it arrives.
    pub fn read_rest(
        &mut self,
        path: PathBuf,
        forced: Option<InputFormat>,
        source: String,
    ) -> Outcome {
        let label = format!("Reading {}", crate::text::sanitize_line(&self.source_name));
        let (job, out) = self.spawn_job(label, false, move |ctx| {
            let total = std::fs::metadata(&path)
                .map_err(|e| JobError::Failed(format!("cannot read {}: {e}", path.display())))?
                .len()
                .max(1);
            let report = |read: u64, parsed: u64| {
                let done = read.min(total) * READ_SHARE / 100
                    + parsed.min(total) * (100 - READ_SHARE) / 100;
                ctx.progress(done, Some(total));
            };
            let bytes = match read_in_pieces(&path, forced, ctx, &report)? {
                Ok(thread) => return Ok(JobOutput::Thread(Box::new(thread))),
                Err(Some(whole)) => whole,
                Err(None) => read_all(&path, total, ctx, &report)?,
            };
            let thread = crate::format::load_with(&bytes, &source, forced, &mut |at| {
                report(total, at as u64);
            })
            .map_err(|e| JobError::Failed(e.to_string()))?;
            Ok(JobOutput::Thread(Box::new(thread)))
        });
        self.stream = Streaming::Reading {
            job,
            percent: 0,
            opened_on: self.selected().map(|i| self.thread.comment(i).id.clone()),
        };
        out
    }

    /// Whether the whole file is still being read.
    #[must_use]
    pub fn is_reading(&self) -> bool {
        matches!(self.stream, Streaming::Reading { .. })
    }

    /// How far reading the whole file got (0 to 100), while it runs.
    #[must_use]
    pub fn reading_percent(&self) -> Option<u64> {
        match self.stream {
            Streaming::Reading { percent, .. } => Some(percent),
            _ => None,
        }
    }

    /// Whether `id` is the job reading the whole file.
    pub(super) fn is_stream_job(&self, id: JobId) -> bool {
        matches!(self.stream, Streaming::Reading { job, .. } if job == id)
    }

    /// The job's progress; whether the shown percentage changed.
    pub(super) fn stream_progress(&mut self, id: JobId, now: Option<u64>) -> bool {
        match &mut self.stream {
            Streaming::Reading { job, percent, .. } if *job == id => {
                let now = now.unwrap_or(*percent).min(100);
                let changed = now != *percent;
                *percent = now;
                changed
            }
            _ => false,
        }
    }

    /// The job failed: the first part stays, and the reader is told why.
    pub(super) fn stream_failed(&mut self, id: JobId) {
        if self.is_stream_job(id) {
            self.stream = Streaming::Failed;
        }
    }

    /// The whole thread arrived: it replaces the first part in place.
    pub(super) fn rest_read(&mut self, id: JobId, thread: Thread) -> Outcome {
        let Streaming::Reading { job, opened_on, .. } = &self.stream else {
            return Outcome::default();
        };
        if *job != id {
            return Outcome::default();
        }
        let opened_on = opened_on.clone();
        self.stream = Streaming::Whole;
        let here = self.selected().map(|i| self.thread.comment(i).id.clone());
        self.moved_while_reading = here != opened_on;
        let (_, out) = self.replace_thread(thread, None);
        let n = self.thread.len();
        self.set_status(
            StatusKind::Info,
            format!(
                "Read the whole file: {n} comment{}",
                if n == 1 { "" } else { "s" }
            ),
        );
        Outcome {
            redraw: true,
            ..out
        }
    }

    /// Whether `action` needs the whole thread, which is still being read.
    pub(super) fn waits_for_whole(&self, action: Action) -> bool {
        self.is_reading()
            && matches!(
                action,
                Action::Last
                    | Action::FoldAll
                    | Action::ExpandAll
                    | Action::Search
                    | Action::SearchNext
                    | Action::SearchPrev
                    | Action::ToggleFilter
                    | Action::SortNext
                    | Action::SortPrev
                    | Action::FilterAuthor
                    | Action::ToggleHideRead
                    | Action::ToggleBookmark
                    | Action::EditNote
                    | Action::NextBookmark
                    | Action::PrevBookmark
                    | Action::BookmarkList
                    | Action::NextNew
                    | Action::MarkAllRead
            )
    }

    /// The answer to a key that needs the whole thread while it is read.
    pub(super) fn still_reading(&mut self) -> Outcome {
        let percent = self.reading_percent().unwrap_or(0);
        self.set_status(
            StatusKind::Info,
            // Short enough for one line of an 80-column status bar.
            format!("Still reading the file ({percent}%): that waits for the whole thread"),
        );
        Outcome::changed(true)
    }
}

/// Reads a plain-text file in pieces of about [`PIECE`] bytes cut after a line end,
/// parsing each as it comes ([`Pieces`]), so the whole file is never in memory next to its
/// thread. `Err` when it must be read whole (not plain text, not UTF-8: see
/// `format::pieces`), with the bytes when they were all read (a file of one piece).
fn read_in_pieces(
    path: &std::path::Path,
    forced: Option<InputFormat>,
    ctx: &crate::jobs::JobCtx,
    report: &dyn Fn(u64, u64),
) -> Result<Result<Thread, Option<Vec<u8>>>, JobError> {
    use std::io::Read;
    let fail = |e: std::io::Error| JobError::Failed(format!("cannot read {}: {e}", path.display()));
    let mut file = std::fs::File::open(path).map_err(fail)?;
    let mut buf: Vec<u8> = Vec::with_capacity(PIECE + (1 << 16));
    let mut read = 0u64;
    // Just past the last line end in `buf`, found in each new part only (a line of any
    // length costs one pass).
    let mut last_end = None;
    let mut pieces: Option<Pieces<'static>> = None;
    loop {
        if ctx.is_cancelled() {
            return Err(JobError::Cancelled);
        }
        let before = buf.len();
        let want = PIECE.saturating_sub(before).max(1 << 16);
        let n = (&mut file)
            .take(want as u64)
            .read_to_end(&mut buf)
            .map_err(fail)?;
        read += n as u64;
        if let Some(i) = memchr::memrchr(b'\n', &buf[before..]) {
            last_end = Some(before + i + 1);
        }
        let at_end = n == 0;
        // A piece ends after the last line end read (all of the rest at the end of the
        // file); a line longer than a piece is read on until it ends.
        let cut = match last_end {
            _ if at_end => buf.len(),
            Some(cut) if buf.len() >= PIECE => cut,
            _ => continue,
        };
        let progress = &mut |at: usize| report(read, at as u64);
        match &mut pieces {
            None if at_end => return Ok(Err(Some(buf))),
            None => {
                let again = path.to_path_buf();
                let lookahead = Box::new(move |top| file_uses_unicode_bullets(&again, top));
                match Pieces::start(&buf[..cut], forced, lookahead, progress) {
                    Some(p) => pieces = Some(p),
                    None => return Ok(Err(None)),
                }
            }
            Some(p) => {
                if !p.feed(&buf[..cut], forced, progress) {
                    return Ok(Err(None));
                }
            }
        }
        if at_end {
            drop(buf);
            return Ok(pieces.map(Pieces::finish).ok_or(None));
        }
        buf.drain(..cut);
        last_end = None;
    }
}

/// [`crate::format::plain::uses_unicode_bullets`] of a whole file, read again a piece at a
/// time (a plain file's reader asks it at most once; an unreadable file says no).
fn file_uses_unicode_bullets(path: &std::path::Path, top: usize) -> bool {
    use std::io::BufRead;
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    let mut lines = std::io::BufReader::with_capacity(1 << 16, file);
    let mut line = Vec::new();
    let mut first = true;
    loop {
        line.clear();
        match lines.read_until(b'\n', &mut line) {
            Ok(0) | Err(_) => return false,
            Ok(_) => {}
        }
        let text = String::from_utf8_lossy(&line);
        let text = if std::mem::take(&mut first) {
            text.strip_prefix('\u{feff}').unwrap_or(&text)
        } else {
            &text
        };
        if crate::format::plain::uses_unicode_bullets(text, top) {
            return true;
        }
    }
}

/// Reads the file in chunks, reporting each, so the percentage moves while a slow disk
/// reads; stops when the job is cancelled.
fn read_all(
    path: &std::path::Path,
    total: u64,
    ctx: &crate::jobs::JobCtx,
    report: &dyn Fn(u64, u64),
) -> Result<Vec<u8>, JobError> {
    use std::io::Read;
    let fail = |e: std::io::Error| JobError::Failed(format!("cannot read {}: {e}", path.display()));
    let mut file = std::fs::File::open(path).map_err(fail)?;
    // One byte more than the file: `read_to_end` needs room to see the end, and would
    // otherwise double the buffer (a copy of the whole file) for that one probe.
    let mut bytes = Vec::with_capacity(usize::try_from(total).map_or(0, |n| n + 1));
    loop {
        if ctx.is_cancelled() {
            return Err(JobError::Cancelled);
        }
        let n = (&mut file)
            .take(READ_CHUNK as u64)
            .read_to_end(&mut bytes)
            .map_err(fail)?;
        report(bytes.len() as u64, 0);
        if n == 0 {
            return Ok(bytes);
        }
    }
}
