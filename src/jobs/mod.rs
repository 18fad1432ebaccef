//! Background jobs: work that takes time runs on a worker thread and reports back as
//! messages, exactly as keys do.
//!
//! The flow: a key becomes an action; `App::update` changes state and returns effects as
//! data; one effect is `Effect::Spawn(Job)`, which the driver hands to the [`Runner`]. The
//! runner runs the job's work on its own thread with a [`JobCtx`] (report [`Progress`],
//! send [`JobMsg::Partial`] results, check for cancel); everything the job says arrives as
//! a [`JobMsg`] the driver feeds into `App::on_job`, which updates state like any action.
//! `update` never waits for a job; cancelling is an effect too (`Effect::CancelJob`), which
//! sets the job's [`CancelToken`]: the work checks it and stops with [`JobError::Cancelled`].
//!
//! A job kind is a closure over what it needs (an `Arc<Thread>`, a URL...) returning a typed
//! [`JobOutput`]; add a variant there for a new kind (a fetched thread, the rest of a large
//! file in chunks through [`JobCtx::partial`], a saved copy first then the fresh one).
//!
//! No ratatui, no terminal, no knowledge of `App`: this module only runs and reports.

use std::cell::Cell;
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::time::{Duration, Instant};

use crate::search::SearchIndex;

/// Names one job for as long as the program runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct JobId(pub u64);

/// What a job makes: one variant per kind of job, so `update` matches on types.
#[derive(Debug)]
pub enum JobOutput {
    /// The thread's folded search text.
    SearchIndex(Box<SearchIndex>),
    /// A whole thread read on a worker (the rest of a large file after its first screen).
    Thread(Box<crate::model::Thread>),
    /// The reader's bookmarks, read off the event loop at start.
    Bookmarks(Box<crate::store::Loaded<crate::store::Bookmarks>>),
    /// A thread opened by URL or key (fetched and merged, or its saved copy offline).
    Fetched(Box<crate::fetch::cli::Opened>),
    /// The readable text of a link post's article, fetched from `url`.
    Article {
        /// Where it was fetched from (the thread's link).
        url: String,
        /// Its text.
        body: Box<crate::model::Body>,
    },
    /// A fetch's progress line ("fetching ... (3 requests left)"), sent as a partial result:
    /// a fetch counts requests and bytes, which [`Progress`] has no words for.
    FetchLine(String),
    /// A job that only reports that it finished (tests, fire-and-forget work).
    Nothing,
}

/// Why a job ended without its result.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum JobError {
    /// Its cancel token was set and it stopped.
    #[error("cancelled")]
    Cancelled,
    /// It failed; the text is a one-line message for the status bar.
    #[error("{0}")]
    Failed(String),
    /// Its work panicked (a bug): the message of the panic.
    #[error("it stopped unexpectedly ({0})")]
    Panicked(String),
}

/// How far a job has got, in its own units (comments, bytes).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// Units done.
    pub done: u64,
    /// Units in all, when known.
    pub total: Option<u64>,
}

impl Progress {
    /// Percentage done, when the total is known (0 to 100).
    #[must_use]
    pub fn percent(&self) -> Option<u64> {
        let total = self.total?;
        Some(
            self.done
                .min(total)
                .saturating_mul(100)
                .checked_div(total)
                .unwrap_or(100),
        )
    }
}

/// A message from a job to the app.
#[derive(Debug)]
pub enum JobMsg {
    /// The job got further.
    Progress {
        /// Which job.
        id: JobId,
        /// How far.
        progress: Progress,
    },
    /// Part of the result, before the end (a chunk of a file, a saved copy before the
    /// fresh one). The job goes on.
    Partial {
        /// Which job.
        id: JobId,
        /// The part.
        output: JobOutput,
    },
    /// The job ended: its result or why not. Always the last message of a job.
    Done {
        /// Which job.
        id: JobId,
        /// What it made.
        result: Result<JobOutput, JobError>,
    },
}

impl JobMsg {
    /// The job the message is from.
    #[must_use]
    pub fn id(&self) -> JobId {
        match self {
            Self::Progress { id, .. } | Self::Partial { id, .. } | Self::Done { id, .. } => *id,
        }
    }
}

/// A cancel flag shared by a job and whoever may cancel it.
#[derive(Clone, Debug, Default)]
pub struct CancelToken(Arc<AtomicBool>);

impl CancelToken {
    /// Asks the job to stop.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    /// Whether the job was asked to stop.
    #[must_use]
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }

    /// The flag itself, for code that polls an `AtomicBool`.
    #[must_use]
    pub fn flag(&self) -> &AtomicBool {
        &self.0
    }
}

/// Progress messages closer together than this are dropped (the last one is always sent
/// when it completes the total): the app redraws on each.
const PROGRESS_EVERY: Duration = Duration::from_millis(50);

/// What a job's work is given: where to report, and whether to stop.
pub struct JobCtx {
    id: JobId,
    tx: Sender<JobMsg>,
    cancel: CancelToken,
    last_progress: Cell<Option<Instant>>,
}

impl JobCtx {
    /// The job's id.
    #[must_use]
    pub fn id(&self) -> JobId {
        self.id
    }

    /// Reports progress; cheap to call often (rate-limited).
    pub fn progress(&self, done: u64, total: Option<u64>) {
        let now = Instant::now();
        let finished = total.is_some_and(|t| done >= t);
        let due = self
            .last_progress
            .get()
            .is_none_or(|last| now.duration_since(last) >= PROGRESS_EVERY);
        if due || finished {
            self.last_progress.set(Some(now));
            let _ = self.tx.send(JobMsg::Progress {
                id: self.id,
                progress: Progress { done, total },
            });
        }
    }

    /// Sends part of the result now; the job goes on.
    pub fn partial(&self, output: JobOutput) {
        let _ = self.tx.send(JobMsg::Partial {
            id: self.id,
            output,
        });
    }

    /// Whether the job was cancelled: long work checks this between steps.
    #[must_use]
    pub fn is_cancelled(&self) -> bool {
        self.cancel.is_cancelled()
    }

    /// The job's cancel token, to hand to code that polls one.
    #[must_use]
    pub fn cancel_token(&self) -> &CancelToken {
        &self.cancel
    }
}

type Work = Box<dyn FnOnce(&JobCtx) -> Result<JobOutput, JobError> + Send>;

/// A job as `update` asks for it: its id, what to call it, and its work.
pub struct Job {
    /// Its id (given by the app, which tracks what runs).
    pub id: JobId,
    /// What it does, for the status bar ("Fetching news.ycombinator.com").
    pub label: String,
    work: Work,
}

impl Job {
    /// A job running `work` on a worker thread.
    pub fn new(
        id: JobId,
        label: impl Into<String>,
        work: impl FnOnce(&JobCtx) -> Result<JobOutput, JobError> + Send + 'static,
    ) -> Self {
        Self {
            id,
            label: label.into(),
            work: Box::new(work),
        }
    }
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Job")
            .field("id", &self.id)
            .field("label", &self.label)
            .finish_non_exhaustive()
    }
}

/// Two jobs are the same request when id and label are: the work cannot be compared.
impl PartialEq for Job {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id && self.label == other.label
    }
}

impl Eq for Job {}

/// A job thread's stack: the main thread's 8 MiB rather than the 2 MiB default. The typed
/// JSON readers recurse per nesting level up to `serde_json`'s limit of 128, and a Reddit
/// file at the deepest the typed path accepts needs about 1.25 MiB in a debug build; the
/// parsers of every other shape are iterative. Only touched pages cost memory.
pub const JOB_STACK: usize = 8 << 20;

/// Runs jobs, one worker thread each, and collects their messages for the driver.
pub struct Runner {
    tx: Sender<JobMsg>,
    rx: Receiver<JobMsg>,
    running: HashMap<JobId, CancelToken>,
}

impl Default for Runner {
    fn default() -> Self {
        Self::new()
    }
}

impl Runner {
    /// A runner with nothing running.
    #[must_use]
    pub fn new() -> Self {
        let (tx, rx) = channel();
        Self {
            tx,
            rx,
            running: HashMap::new(),
        }
    }

    /// Starts a job on its own thread ([`JOB_STACK`] of stack). A thread that cannot start is reported as the job's
    /// [`JobMsg::Done`] with an error, like any other failure.
    pub fn spawn(&mut self, job: Job) {
        let cancel = CancelToken::default();
        let ctx = JobCtx {
            id: job.id,
            tx: self.tx.clone(),
            cancel: cancel.clone(),
            last_progress: Cell::new(None),
        };
        let work = job.work;
        let spawned = std::thread::Builder::new()
            .name(format!("job-{}", job.id.0))
            .stack_size(JOB_STACK)
            .spawn(move || {
                let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(&ctx)))
                    .unwrap_or_else(|panic| Err(JobError::Panicked(panic_text(&*panic))));
                // A cancelled job's result is not wanted, whatever it managed to make.
                let result = if ctx.is_cancelled() {
                    Err(JobError::Cancelled)
                } else {
                    result
                };
                let _ = ctx.tx.send(JobMsg::Done { id: ctx.id, result });
            });
        match spawned {
            Ok(_) => {
                self.running.insert(job.id, cancel);
            }
            Err(e) => {
                let _ = self.tx.send(JobMsg::Done {
                    id: job.id,
                    result: Err(JobError::Failed(format!(
                        "could not start a worker thread: {e}"
                    ))),
                });
            }
        }
    }

    /// Asks a job to stop; its [`JobMsg::Done`] still comes (with [`JobError::Cancelled`]).
    pub fn cancel(&mut self, id: JobId) {
        if let Some(token) = self.running.get(&id) {
            token.cancel();
        }
    }

    /// Whether any job has not yet sent its `Done`.
    #[must_use]
    pub fn is_busy(&self) -> bool {
        !self.running.is_empty()
    }

    /// The next message if one is waiting.
    pub fn try_recv(&mut self) -> Option<JobMsg> {
        let msg = self.rx.try_recv().ok()?;
        Some(self.seen(msg))
    }

    /// The next message, waiting at most `timeout`.
    pub fn recv_timeout(&mut self, timeout: Duration) -> Option<JobMsg> {
        match self.rx.recv_timeout(timeout) {
            Ok(msg) => Some(self.seen(msg)),
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => None,
        }
    }

    fn seen(&mut self, msg: JobMsg) -> JobMsg {
        if let JobMsg::Done { id, .. } = &msg {
            self.running.remove(id);
        }
        msg
    }
}

impl Drop for Runner {
    /// Nobody will read the results: ask every job to stop.
    fn drop(&mut self) {
        for token in self.running.values() {
            token.cancel();
        }
    }
}

fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .map_or_else(
            || "no message".to_string(),
            |s| crate::text::sanitize_line(&s).into_owned(),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Collects a job's messages until its `Done` (at most 10 s: a hang fails, not blocks).
    fn until_done(runner: &mut Runner) -> (Vec<JobMsg>, Result<JobOutput, JobError>) {
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut seen = Vec::new();
        while Instant::now() < deadline {
            match runner.recv_timeout(Duration::from_millis(100)) {
                Some(JobMsg::Done { result, .. }) => return (seen, result),
                Some(other) => seen.push(other),
                None => {}
            }
        }
        panic!("no Done within 10 s; saw {seen:?}");
    }

    #[test]
    fn a_job_reports_progress_partial_results_and_its_result() {
        let mut runner = Runner::new();
        runner.spawn(Job::new(JobId(1), "count", |ctx| {
            ctx.progress(0, Some(2));
            ctx.partial(JobOutput::Nothing);
            ctx.progress(2, Some(2));
            Ok(JobOutput::Nothing)
        }));
        assert!(runner.is_busy());
        let (seen, result) = until_done(&mut runner);
        assert!(matches!(result, Ok(JobOutput::Nothing)), "{result:?}");
        assert!(!runner.is_busy(), "done jobs are forgotten");
        let progress: Vec<Progress> = seen
            .iter()
            .filter_map(|m| match m {
                JobMsg::Progress { progress, .. } => Some(*progress),
                _ => None,
            })
            .collect();
        // The first is due, the last completes the total: neither is rate-limited away.
        assert_eq!(
            progress,
            vec![
                Progress {
                    done: 0,
                    total: Some(2)
                },
                Progress {
                    done: 2,
                    total: Some(2)
                }
            ]
        );
        assert_eq!(progress[1].percent(), Some(100));
        assert!(seen.iter().any(|m| matches!(m, JobMsg::Partial { .. })));
        assert!(seen.iter().all(|m| m.id() == JobId(1)));
    }

    #[test]
    fn a_cancelled_job_stops_and_says_so() {
        let mut runner = Runner::new();
        let (started_tx, started_rx) = channel();
        runner.spawn(Job::new(JobId(7), "forever", move |ctx| {
            let _ = started_tx.send(());
            let deadline = Instant::now() + Duration::from_secs(20);
            while !ctx.is_cancelled() {
                assert!(Instant::now() < deadline, "never cancelled");
                std::thread::sleep(Duration::from_millis(1));
            }
            Err(JobError::Cancelled)
        }));
        started_rx
            .recv_timeout(Duration::from_secs(10))
            .expect("the job started");
        runner.cancel(JobId(7));
        let (_, result) = until_done(&mut runner);
        assert_eq!(result.unwrap_err(), JobError::Cancelled);
    }

    #[test]
    fn a_result_made_after_cancel_is_dropped_and_a_panic_is_a_message() {
        let mut runner = Runner::new();
        let (go_tx, go_rx) = channel::<()>();
        runner.spawn(Job::new(JobId(2), "ignores cancel", move |_| {
            let _ = go_rx.recv_timeout(Duration::from_secs(10));
            Ok(JobOutput::Nothing)
        }));
        runner.cancel(JobId(2));
        let _ = go_tx.send(());
        let (_, result) = until_done(&mut runner);
        assert_eq!(result.unwrap_err(), JobError::Cancelled);

        runner.spawn(Job::new(JobId(3), "bug", |_| panic!("on purpose")));
        let (_, result) = until_done(&mut runner);
        assert_eq!(result.unwrap_err(), JobError::Panicked("on purpose".into()));
    }

    #[test]
    fn percent_handles_unknown_and_empty_totals() {
        let p = |done, total| Progress { done, total };
        assert_eq!(p(5, None).percent(), None);
        assert_eq!(p(0, Some(0)).percent(), Some(100));
        assert_eq!(p(1, Some(3)).percent(), Some(33));
        assert_eq!(p(9, Some(3)).percent(), Some(100));
    }
}
