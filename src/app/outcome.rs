//! What an update returns: whether to redraw, and the effects the driver must carry out
//! (as data: the app itself does no IO).

use super::StoreOp;

/// Something the driver must do after an update.
#[derive(Debug, PartialEq, Eq)]
pub enum Effect {
    /// Leave the program.
    Quit,
    /// Give the terminal back and stop until `fg`.
    Suspend,
    /// Repaint every cell.
    ClearScreen,
    /// Change the reader's bookmarks: the driver performs it and reports to
    /// [`App::store_done`].
    Store(StoreOp),
    /// Put text on the reader's clipboard through the terminal (OSC 52).
    Copy {
        /// What is being copied, for the confirmation (`comment by alice`).
        what: String,
        /// The text.
        text: String,
    },
    /// Open a URL with the configured browser (only when not over SSH).
    Open(String),
    /// Run a job on a worker thread; its messages come back to [`App::on_job`].
    Spawn(crate::jobs::Job),
    /// Ask a running job to stop.
    CancelJob(crate::jobs::JobId),
    /// Fetch this URL or key on a worker and hand the thread to [`App::fetch_done`].
    Fetch(String),
    /// Stop the running fetch.
    CancelFetch,
    /// Fetch the linked article at this URL on a worker and hand it to
    /// [`App::article_done`].
    FetchArticle(String),
    /// Read the library of saved threads and hand it to [`App::show_library`].
    ShowLibrary,
    /// Leave this thread (its reading position saved) and open this URL or key instead.
    OpenThread(String),
}

/// The result of one update.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    /// The screen must be redrawn.
    pub redraw: bool,
    /// Effects to perform, in order.
    pub effects: Vec<Effect>,
}

impl Outcome {
    /// No effects; a redraw when `redraw`.
    #[must_use]
    pub fn changed(redraw: bool) -> Self {
        Self {
            redraw,
            effects: Vec::new(),
        }
    }

    pub(super) fn effect(effect: Effect) -> Self {
        Self {
            redraw: true,
            effects: vec![effect],
        }
    }
}
