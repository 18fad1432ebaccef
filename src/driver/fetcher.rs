//! The driver's side of fetching: a fetch, a refresh or a link post's article runs as a job
//! on the loop's [`Runner`] (Reddit's `more` expansions are part of that job and arrive as
//! its partial results); this module makes the job, routes its messages to the app's fetch
//! handlers (`fetch_progress`, `fetch_partial`, `fetch_done`, `article_done`) and cancels it
//! through the runner.
//!
//! With `[fetch] articles = "always"`, the first fetch of a thread opened by URL is
//! followed by its article's (`App::article_on_open` decides whether there is one to get).
//!
//! The app asks for fetches with its own effects (`Effect::Fetch`, `FetchArticle`,
//! `CancelFetch`) and does not track them on its job board, so fetch jobs take their ids
//! from a range of their own ([`FETCH_IDS`]) that the app's ids never reach. Owns no app
//! state; does no drawing.

use std::sync::Arc;

use crate::app::{App, Outcome};
use crate::fetch::cli::open;
use crate::fetch::saved::Library;
use crate::fetch::{Client, Control, Progress};
use crate::jobs::{Job, JobCtx, JobError, JobId, JobMsg, JobOutput, Runner};

/// The first id of fetch jobs: the app numbers its own jobs from 1 up, one at a time.
const FETCH_IDS: u64 = 1 << 62;

/// What the running fetch job is for.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Kind {
    /// A thread (first fetch or refresh).
    Thread,
    /// The linked article at this URL.
    Article(String),
}

/// Makes fetch jobs and knows which one runs.
pub(super) struct Fetcher {
    client: Arc<Client>,
    library: Option<Library>,
    next: u64,
    job: Option<(JobId, Kind)>,
    /// `[fetch] articles = "always"` and the thread's first fetch has not come back yet:
    /// when it does (fetched, not the offline copy), its article is fetched too.
    article_on_open: bool,
}

impl Fetcher {
    /// A fetcher with this client and library (`None`: nothing is saved); the client's
    /// `articles` setting says whether a thread's first fetch brings its article too.
    pub(super) fn new(client: Client, library: Option<Library>) -> Self {
        let article_on_open = client.settings().articles == crate::fetch::article::Articles::Always;
        Self {
            client: Arc::new(client),
            library,
            next: FETCH_IDS,
            job: None,
            article_on_open,
        }
    }

    /// Whether `id` is a fetch job's (running or cancelled): its messages come here.
    pub(super) fn owns(id: JobId) -> bool {
        id.0 >= FETCH_IDS
    }

    /// `[fetch] articles = "always"` for a thread read from a file (once it is read whole):
    /// its article, when it is a link post without one; once per open.
    /// (A thread opened by URL asks when its first fetch comes back.)
    pub(super) fn article_for_file(&mut self, app: &mut App) -> Outcome {
        if !app.opened_by_url() && std::mem::take(&mut self.article_on_open) {
            app.article_on_open()
        } else {
            Outcome::default()
        }
    }

    /// Starts fetching the linked article at `url`; a running fetch is cancelled first.
    pub(super) fn start_article(&mut self, runner: &mut Runner, url: String) {
        let client = Arc::clone(&self.client);
        let label = format!("Fetching the article at {url}");
        let at = url.clone();
        self.spawn(runner, Kind::Article(url), label, move |ctl| {
            let body = crate::fetch::article::fetch_article(&at, &client, ctl)
                .map_err(|e| JobError::Failed(e.to_string()))?;
            Ok(JobOutput::Article {
                url: at,
                body: Box::new(body),
            })
        });
    }

    /// Starts fetching `input`; a running fetch is cancelled first.
    pub(super) fn start(&mut self, runner: &mut Runner, input: String) {
        let client = Arc::clone(&self.client);
        let library = self.library.clone();
        let label = format!("Fetching {input}");
        self.spawn(runner, Kind::Thread, label, move |ctl| {
            open(&input, &client, library.as_ref(), ctl)
                .map(|o| JobOutput::Fetched(Box::new(o)))
                .map_err(|e| JobError::Failed(e.to_string()))
        });
    }

    /// Runs `work` as a job whose fetch progress goes out as the job's partial results.
    fn spawn(
        &mut self,
        runner: &mut Runner,
        kind: Kind,
        label: String,
        work: impl FnOnce(&mut Control<'_>) -> Result<JobOutput, JobError> + Send + 'static,
    ) {
        self.cancel(runner);
        self.next += 1;
        let id = JobId(self.next);
        self.job = Some((id, kind));
        runner.spawn(Job::new(id, label, move |ctx: &JobCtx| {
            let mut progress = |p: Progress| {
                ctx.partial(match p {
                    Progress::Partial(t) => JobOutput::Thread(t),
                    other => JobOutput::FetchLine(other.describe()),
                });
            };
            let mut ctl = Control {
                cancel: ctx.cancel_token().flag(),
                progress: &mut progress,
            };
            work(&mut ctl)
        }));
    }

    /// Stops the running fetch through the runner: the worker sees the flag at its next
    /// read or wait, and nothing it reports afterwards is looked at.
    pub(super) fn cancel(&mut self, runner: &mut Runner) {
        if let Some((id, _)) = self.job.take() {
            runner.cancel(id);
            // A cancelled open is not an open to follow with the article (nor is `r` after).
            self.article_on_open = false;
        }
    }

    /// Saves the shown thread over its saved copy (after its article was fetched), when it
    /// is one of the library's; a failure is said in the status bar.
    fn save_shown(&self, app: &mut App) {
        let Some(lib) = &self.library else { return };
        // A file's thread is the reader's own file, which threadr never writes; saving it
        // over a library copy of the same key would replace that copy's comments.
        if !app.opened_by_url() {
            return;
        }
        let Some(meta) = lib.meta(&app.thread.key) else {
            return;
        };
        if let Err(e) = lib.save(&app.thread, &meta) {
            app.set_status(
                crate::app::StatusKind::Warning,
                format!("the article is shown but could not be saved with the thread: {e}"),
            );
        }
    }

    /// Hands a fetch job's message to the app: what to perform, and whether it changed.
    pub(super) fn on_msg(&mut self, app: &mut App, msg: JobMsg) -> Outcome {
        let Some((id, kind)) = self.job.clone() else {
            return Outcome::default();
        };
        // A cancelled or replaced fetch: whatever it says is not wanted.
        if msg.id() != id {
            return Outcome::default();
        }
        match msg {
            JobMsg::Progress { .. } => Outcome::default(),
            JobMsg::Partial { output, .. } => match output {
                JobOutput::FetchLine(line) => {
                    app.fetch_progress(line);
                    Outcome::changed(true)
                }
                // On a first visit each partial result replaces the page, keeping the focus;
                // over a saved copy they are not shown (the app decides).
                JobOutput::Thread(t) if app.wants_partial() => app.fetch_partial(*t),
                _ => Outcome::default(),
            },
            JobMsg::Done { result, .. } => {
                self.job = None;
                let result = result.map_err(|e| e.to_string());
                match kind {
                    Kind::Thread => {
                        // Only the first fetch of the thread opened, and only when it
                        // reached the site: offline, the saved copy's note says why it shows,
                        // and the article would fail the same way.
                        let on_open = std::mem::take(&mut self.article_on_open);
                        let fresh = matches!(&result, Ok(JobOutput::Fetched(o)) if o.fresh);
                        let mut out = app.fetch_done(result.and_then(|o| match o {
                            JobOutput::Fetched(o) => {
                                let removed = o.stats.as_ref().map_or(0, |s| s.newly_removed);
                                Ok((o.thread, o.focus, o.note, removed))
                            }
                            _ => Err("the fetch stopped without a result".into()),
                        }));
                        if on_open && fresh {
                            out.effects.extend(app.article_on_open().effects);
                        }
                        out
                    }
                    Kind::Article(url) => {
                        let out = app.article_done(
                            &url,
                            result.and_then(|o| match o {
                                JobOutput::Article { body, .. } => Ok(*body),
                                _ => Err("the fetch stopped without a result".into()),
                            }),
                        );
                        self.save_shown(app);
                        out
                    }
                }
            }
        }
    }
}
