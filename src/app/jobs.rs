//! Jobs as the app sees them: which are running, how far they got, and what their messages
//! do to the state.
//!
//! The app never runs a job: [`App::spawn_job`] records it and returns `Effect::Spawn` for
//! the driver's `crate::jobs::Runner`; the runner's messages come back through
//! [`App::on_job`] (or [`App::handle`] with [`Message::Job`]) like keys do. A *foreground*
//! job is one the reader asked for and waits on (a fetch): the status bar shows it and `Esc`
//! cancels it. A background job (the search index) is silent.

use super::{App, Effect, Outcome, StatusKind};
use crate::jobs::{Job, JobCtx, JobError, JobId, JobMsg, JobOutput, Progress};
use crate::keymap::Key;

/// A job the app started and has not heard the end of.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Running {
    /// Its id.
    pub id: JobId,
    /// What it does ("Preparing search").
    pub label: String,
    /// How far it got, once it said.
    pub progress: Option<Progress>,
    /// Shown in the status bar and cancelled by `Esc`.
    pub foreground: bool,
}

/// The jobs the app is waiting on.
#[derive(Clone, Debug, Default)]
pub struct JobBoard {
    next: u64,
    running: Vec<Running>,
}

impl JobBoard {
    /// Every running job, oldest first.
    #[must_use]
    pub fn running(&self) -> &[Running] {
        &self.running
    }

    /// The newest foreground job, if any: what the status bar shows and `Esc` cancels.
    #[must_use]
    pub fn foreground(&self) -> Option<&Running> {
        self.running.iter().rev().find(|r| r.foreground)
    }

    /// Forgets a job; whether it was running.
    fn finish(&mut self, id: JobId) -> Option<Running> {
        let i = self.running.iter().position(|r| r.id == id)?;
        Some(self.running.remove(i))
    }
}

/// Everything that comes into the app: a key, or a message from a job.
#[derive(Debug)]
pub enum Message {
    /// A key from the terminal.
    Key(Key),
    /// A report from a background job.
    Job(JobMsg),
}

impl App {
    /// Handles one incoming message.
    pub fn handle(&mut self, msg: Message) -> Outcome {
        match msg {
            Message::Key(key) => self.handle_key(key),
            Message::Job(msg) => self.on_job(msg),
        }
    }

    /// Asks the driver to run `work` on a worker thread; its messages come back through
    /// [`App::on_job`]. Returns the job's id with the outcome holding `Effect::Spawn`.
    pub fn spawn_job(
        &mut self,
        label: impl Into<String>,
        foreground: bool,
        work: impl FnOnce(&JobCtx) -> Result<JobOutput, JobError> + Send + 'static,
    ) -> (JobId, Outcome) {
        self.jobs.next += 1;
        let id = JobId(self.jobs.next);
        let label = label.into();
        self.jobs.running.push(Running {
            id,
            label: label.clone(),
            progress: None,
            foreground,
        });
        let out = Outcome {
            redraw: foreground,
            effects: vec![Effect::Spawn(Job::new(id, label, work))],
        };
        (id, out)
    }

    /// Stops waiting for a job and asks the driver to cancel it.
    pub(super) fn cancel_job(&mut self, id: JobId) -> Option<Effect> {
        self.jobs.finish(id)?;
        Some(Effect::CancelJob(id))
    }

    /// `Esc` with nothing open: cancels the foreground job, if one is running.
    pub(super) fn cancel_foreground(&mut self) -> Option<Outcome> {
        let running = self.jobs.foreground()?.clone();
        let effect = self.cancel_job(running.id)?;
        self.set_status(StatusKind::Info, format!("Cancelled: {}", running.label));
        Some(Outcome::effect(effect))
    }

    /// A job's report: progress, part of its result, or its end.
    pub fn on_job(&mut self, msg: JobMsg) -> Outcome {
        match msg {
            JobMsg::Progress { id, progress } => {
                // Reading the rest of the file shows its percentage in the status bar.
                let shown = self.stream_progress(id, progress.percent());
                match self.jobs.running.iter_mut().find(|r| r.id == id) {
                    Some(r) => {
                        let changed = r.progress != Some(progress);
                        r.progress = Some(progress);
                        Outcome::changed(changed && r.foreground || shown)
                    }
                    None => Outcome::default(),
                }
            }
            JobMsg::Partial { id, output } => {
                if self.jobs.running.iter().any(|r| r.id == id) {
                    self.job_output(id, output)
                } else {
                    Outcome::default()
                }
            }
            JobMsg::Done { id, result } => {
                // A job the app cancelled or forgot: whatever it says is not wanted.
                let Some(running) = self.jobs.finish(id) else {
                    return Outcome::default();
                };
                let mut out = Outcome::default();
                if result.is_err() {
                    self.stream_failed(id);
                    out = self.search_index_failed(id);
                }
                match result {
                    Ok(output) => {
                        let mut out = self.job_output(id, output);
                        out.redraw |= running.foreground;
                        out
                    }
                    Err(JobError::Cancelled) => {
                        out.redraw |= running.foreground;
                        out
                    }
                    Err(e) => {
                        self.add_warning(format!("{}: {e}", running.label));
                        out.redraw = true;
                        out
                    }
                }
            }
        }
    }

    /// What a job's (partial or final) result does to the state.
    fn job_output(&mut self, id: JobId, output: JobOutput) -> Outcome {
        match output {
            JobOutput::SearchIndex(index) => self.search_index_ready(id, *index),
            JobOutput::Thread(thread) => self.rest_read(id, *thread),
            JobOutput::Bookmarks(loaded) => self.bookmarks_loaded(*loaded),
            // A fetch's messages go to the driver's fetcher (which calls `fetch_done` and
            // friends), never here: the app does not track the fetch as one of its jobs.
            JobOutput::Fetched(_)
            | JobOutput::Article { .. }
            | JobOutput::FetchLine(_)
            | JobOutput::Nothing => Outcome::default(),
        }
    }
}
