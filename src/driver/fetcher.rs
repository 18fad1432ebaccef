//! The driver's side of fetching: one worker thread per fetch, reporting back over a
//! channel that the event loop drains between keys. Kept apart from the loop so it can move
//! onto the shared job runner when that lands; it owns no app state.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};

use crate::app::{App, Outcome};
use crate::fetch::cli::{Opened, open};
use crate::fetch::saved::Library;
use crate::fetch::{Client, Control, Progress};
use crate::model::Thread;

/// What the worker reports.
enum Msg {
    Line(String),
    Partial(Box<Thread>),
    Done(Box<Result<Opened, String>>),
    /// The linked article of the shown thread, from this URL.
    Article(String, Box<Result<crate::model::Body, String>>),
}

/// The running fetch, if any.
pub(super) struct Fetcher {
    client: Arc<Client>,
    library: Option<Library>,
    job: Option<(Receiver<Msg>, Arc<AtomicBool>)>,
}

impl Fetcher {
    /// A fetcher with this client and library (`None`: nothing is saved).
    pub(super) fn new(client: Client, library: Option<Library>) -> Self {
        Self {
            client: Arc::new(client),
            library,
            job: None,
        }
    }

    /// Whether a fetch runs (the loop then wakes up often to drain it).
    pub(super) fn active(&self) -> bool {
        self.job.is_some()
    }

    /// Starts fetching the linked article at `url`; a running fetch is cancelled first.
    pub(super) fn start_article(&mut self, url: String) {
        let client = Arc::clone(&self.client);
        self.spawn(move |ctl, tx| {
            let result = crate::fetch::article::fetch_article(&url, &client, ctl);
            let _ = tx.send(Msg::Article(
                url,
                Box::new(result.map_err(|e| e.to_string())),
            ));
        });
    }

    /// Starts fetching `input`; a running fetch is cancelled first.
    pub(super) fn start(&mut self, input: String) {
        let client = Arc::clone(&self.client);
        let library = self.library.clone();
        self.spawn(move |ctl, tx| {
            let result = open(&input, &client, library.as_ref(), ctl);
            // The receiver is gone after a cancel: nothing to report to.
            let _ = tx.send(Msg::Done(Box::new(result.map_err(|e| e.to_string()))));
        });
    }

    /// Runs `work` on a fetch thread with progress going to the channel it reports on.
    fn spawn(
        &mut self,
        work: impl FnOnce(&mut Control<'_>, &std::sync::mpsc::Sender<Msg>) + Send + 'static,
    ) {
        self.cancel();
        let (tx, rx) = channel();
        let cancel = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&cancel);
        let spawned = std::thread::Builder::new()
            .name("fetch".into())
            .spawn(move || {
                let progress_tx = tx.clone();
                let mut progress = move |p: Progress| {
                    let msg = match p {
                        Progress::Partial(t) => Msg::Partial(t),
                        other => Msg::Line(other.describe()),
                    };
                    let _ = progress_tx.send(msg);
                };
                let mut ctl = Control {
                    cancel: &flag,
                    progress: &mut progress,
                };
                work(&mut ctl, &tx);
            });
        match spawned {
            Ok(_) => self.job = Some((rx, cancel)),
            Err(e) => {
                let (tx, rx) = channel();
                let _ = tx.send(Msg::Done(Box::new(Err(format!(
                    "cannot start a fetch: {e}"
                )))));
                self.job = Some((rx, cancel));
            }
        }
    }

    /// Stops the running fetch: the worker sees the flag at its next read or wait, and
    /// nothing it reports afterwards is looked at.
    pub(super) fn cancel(&mut self) {
        if let Some((_, flag)) = self.job.take() {
            flag.store(true, Ordering::Relaxed);
        }
    }

    /// Saves the shown thread over its saved copy (after its article was fetched), when it
    /// is one of the library's; a failure is said in the status bar.
    fn save_shown(&self, app: &mut App) {
        let Some(lib) = &self.library else { return };
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

    /// Hands what the worker reported to the app; `Some` (effects to perform) when
    /// something changed.
    pub(super) fn drain(&mut self, app: &mut App) -> Option<Outcome> {
        let (rx, _) = self.job.as_ref()?;
        let mut changed: Option<Outcome> = None;
        loop {
            match rx.try_recv() {
                Ok(Msg::Line(line)) => {
                    app.fetch_progress(line);
                    changed.get_or_insert_with(|| Outcome::changed(true));
                }
                // On a first visit each partial result replaces the page, keeping the focus;
                // over a saved copy they are not shown (the app decides).
                Ok(Msg::Partial(t)) => {
                    if app.wants_partial() {
                        changed = Some(app.fetch_partial(*t));
                    }
                }
                Ok(Msg::Article(url, result)) => {
                    self.job = None;
                    let out = app.article_done(&url, *result);
                    self.save_shown(app);
                    return Some(out);
                }
                Ok(Msg::Done(result)) => {
                    self.job = None;
                    return Some(app.fetch_done((*result).map(|o| (o.thread, o.focus, o.note))));
                }
                Err(TryRecvError::Empty) => return changed,
                Err(TryRecvError::Disconnected) => {
                    self.job = None;
                    return Some(app.fetch_done(Err("the fetch stopped without a result".into())));
                }
            }
        }
    }
}
