//! Threads from the network: a URL or key in, a [`Thread`] out, and the saved copies in the
//! data folder's `threads/`.
//!
//! Owns: the HTTP rules ([`http`]), which API serves which URL ([`route`]), Reddit's `more`
//! expansion ([`reddit`]), saved copies and the library ([`saved`]), merging a refetched
//! thread into the saved one ([`merge`]) and the `dump URL` / `library` / `refresh`
//! subcommands ([`cli`]). A fetch is a plain blocking function taking a progress callback
//! and a cancel flag ([`http::Control`]), so it runs on any worker thread; nothing here draws
//! or touches the terminal, and every failure is one [`FetchError`] line naming the URL.
//! What is fetched is parsed by the same readers as files (`crate::format`), so the same
//! sanitising applies when it is drawn.

pub mod article;
pub mod cli;
pub mod http;
pub mod merge;
pub mod reddit;
pub mod route;
pub mod saved;
pub mod sources;

use std::time::Duration;

use crate::format::InputFormat;
use crate::model::Thread;

pub use http::{Client, Control};
pub use route::{Target, is_remote};

/// Why a fetch failed: one line, naming the URL.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// Not something threadr fetches.
    #[error("{}: {why}", shown(url))]
    BadUrl {
        /// What was given.
        url: String,
        /// Why it is refused.
        why: String,
    },
    /// A redirect to somewhere threadr does not go.
    #[error(
        "{}: redirects to {}, which is not followed: {why}",
        shown(url),
        shown(to)
    )]
    BadRedirect {
        /// The URL asked for.
        url: String,
        /// Where it redirected.
        to: String,
        /// Why that is refused.
        why: String,
    },
    /// More than [`http::MAX_REDIRECTS`] redirects.
    #[error(
        "{}: too many redirects (more than {})",
        shown(url),
        http::MAX_REDIRECTS
    )]
    TooManyRedirects {
        /// The URL asked for.
        url: String,
    },
    /// The host name does not resolve.
    #[error(
        "{}: the host name could not be found (DNS); check the URL or the network",
        shown(url)
    )]
    Dns {
        /// The URL asked for.
        url: String,
    },
    /// Nothing listens there.
    #[error("{}: the connection was refused", shown(url))]
    Refused {
        /// The URL asked for.
        url: String,
    },
    /// TLS failed (a certificate that does not verify, ...).
    #[error("{}: TLS failed: {message}", shown(url))]
    Tls {
        /// The URL asked for.
        url: String,
        /// What rustls said.
        message: String,
    },
    /// A 4xx/5xx answer.
    #[error("{}: HTTP {status}{}", shown(url), if message.is_empty() { String::new() } else { format!(": {message}") })]
    Status {
        /// The URL asked for.
        url: String,
        /// The status code.
        status: u16,
        /// The site's message, sanitised and shortened.
        message: String,
    },
    /// No progress for the configured time.
    #[error(
        "{}: timed out (no data for the configured [fetch] timeout)",
        shown(url)
    )]
    Timeout {
        /// The URL asked for.
        url: String,
    },
    /// The answer grew past the cap.
    #[error("{}: the answer is larger than {} MB ([fetch] max_size); not read further", shown(url), cap / 1_000_000)]
    TooBig {
        /// The URL asked for.
        url: String,
        /// The cap in bytes.
        cap: u64,
    },
    /// Fetched, but not a thread.
    #[error("{}: not a thread: {message}", shown(url))]
    NotAThread {
        /// The URL asked for.
        url: String,
        /// What the reader said.
        message: String,
    },
    /// Cancelled by the user.
    #[error("{}: cancelled", shown(url))]
    Cancelled {
        /// The URL asked for.
        url: String,
    },
    /// Anything else (the client's own message).
    #[error("{}: {message}", shown(url))]
    Other {
        /// The URL asked for.
        url: String,
        /// What went wrong.
        message: String,
    },
}

fn shown(s: &str) -> String {
    crate::text::sanitize_line(s).into_owned()
}

/// Proxy settings, from the environment snapshot (`HTTP_PROXY`, `HTTPS_PROXY`, `ALL_PROXY`,
/// `NO_PROXY`, or their lower-case forms).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Proxies {
    /// For `http://` URLs.
    pub http: Option<String>,
    /// For `https://` URLs.
    pub https: Option<String>,
    /// For both, when the specific one is not set.
    pub all: Option<String>,
    /// Hosts reached directly (comma-separated; `*` for all).
    pub no_proxy: Option<String>,
}

impl Proxies {
    /// Reads the proxy variables from the environment snapshot.
    #[must_use]
    pub fn from_env(env: &crate::config::Env) -> Self {
        let get = |upper: &str| {
            env.get(upper)
                .or_else(|| env.get(&upper.to_ascii_lowercase()))
                .filter(|v| !v.trim().is_empty())
                .map(str::to_string)
        };
        Self {
            http: get("HTTP_PROXY"),
            https: get("HTTPS_PROXY"),
            all: get("ALL_PROXY"),
            no_proxy: get("NO_PROXY"),
        }
    }
}

/// The `[fetch]` settings (see the README's "Opening threads by URL").
#[derive(Clone, Debug, PartialEq)]
pub struct FetchSettings {
    /// Base of the Hacker News Algolia API (`{this}/api/v1/items/ID`).
    pub hackernews_api: String,
    /// Base of Reddit (`{this}/comments/ID.json`, `{this}/api/morechildren.json`).
    pub reddit_api: String,
    /// Base of Lobsters (`{this}/s/ID.json`).
    pub lobsters_api: String,
    /// Give up after this long without progress.
    pub timeout: Duration,
    /// Time between two requests to one host.
    pub pace: Duration,
    /// Base of the Bluesky `AppView` (`{this}/xrpc/app.bsky.feed.getPostThread`).
    pub bluesky_api: String,
    /// At most this many requests after the first per thread: Reddit's `more` expansions,
    /// Discourse's post chunks, Lemmy's comment pages.
    pub more_requests: u32,
    /// The largest answer read, in decompressed bytes.
    pub max_bytes: u64,
    /// Proxies (from the environment).
    pub proxies: Proxies,
    /// When a link post's article is fetched: on `O` only, or on open too.
    pub articles: article::Articles,
}

impl Default for FetchSettings {
    fn default() -> Self {
        Self {
            hackernews_api: "https://hn.algolia.com".into(),
            reddit_api: "https://www.reddit.com".into(),
            lobsters_api: "https://lobste.rs".into(),
            bluesky_api: crate::format::source_urls::BLUESKY_APPVIEW.into(),
            timeout: Duration::from_secs(30),
            pace: Duration::from_secs(1),
            more_requests: 100,
            max_bytes: 256 * 1_000_000,
            proxies: Proxies::default(),
            articles: article::Articles::Ask,
        }
    }
}

/// What a fetch reports while it runs, on the fetching thread.
#[derive(Debug, Clone)]
pub enum Progress {
    /// A request is about to go out; `left` more may follow (Reddit's budget).
    Request {
        /// The URL asked.
        url: String,
        /// Requests left in the budget, when there is one.
        left: Option<u32>,
    },
    /// Body bytes so far.
    Bytes {
        /// Received (decompressed).
        received: u64,
        /// `Content-Length`, when given.
        total: Option<u64>,
    },
    /// Waiting for a `Retry-After`.
    Waiting {
        /// The host that asked.
        host: String,
        /// How long.
        seconds: u64,
    },
    /// A readable first version of the thread, before expansion finishes (Reddit).
    Partial(Box<Thread>),
}

impl Progress {
    /// One line for a progress bar or the status line.
    #[must_use]
    pub fn describe(&self) -> String {
        match self {
            Self::Request { url, left: None } => format!("fetching {}", shown(url)),
            Self::Request { url, left: Some(n) } => {
                format!("fetching {} ({n} requests left)", shown(url))
            }
            Self::Bytes {
                received,
                total: Some(t),
            } => format!("received {} of {} kB", received / 1000, t / 1000),
            Self::Bytes { received, .. } => format!("received {} kB", received / 1000),
            Self::Waiting { host, seconds } => {
                format!(
                    "{} asks to wait {seconds} s before the next request",
                    shown(host)
                )
            }
            Self::Partial(t) => format!("{} comments so far, expanding more", t.len()),
        }
    }
}

/// A fetched thread and what to know about it.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The thread, as the readers read it (key: the site key, or the URL).
    pub thread: Thread,
    /// The canonical URL it was fetched from (the API URL of the thread's page).
    pub source: String,
    /// The comment the URL pointed at (a permalink or an HN comment id).
    pub focus: Option<String>,
    /// Requests made.
    pub requests: u32,
}

/// Fetches the thread `target` names. Blocking; call it on a worker thread.
///
/// # Errors
/// Any [`FetchError`]: network, HTTP status, size, timeout, cancel, or not a thread.
pub fn fetch(
    target: &Target,
    client: &Client,
    ctl: &mut Control<'_>,
) -> Result<Fetched, FetchError> {
    let s = client.settings();
    match target {
        Target::Hn { id } => {
            let base = s.hackernews_api.trim_end_matches('/');
            let url = format!("{base}/api/v1/items/{id}");
            let mut response = client.get(&url, None, ctl)?;
            let mut requests = 1;
            let mut focus = None;
            // A comment's item holds only its subtree: open its story, focused on it.
            if let Some(story) = story_of(&response.body, *id) {
                let story_url = format!("{base}/api/v1/items/{story}");
                response = client.get(&story_url, None, ctl)?;
                requests += 1;
                focus = Some(id.to_string());
            }
            let thread = read(&response.body, &url, Some(InputFormat::Hn))?;
            Ok(Fetched {
                thread,
                source: url,
                focus,
                requests,
            })
        }
        Target::Reddit { id, comment } => {
            let (thread, source, requests) = reddit::fetch(id, client, ctl)?;
            Ok(Fetched {
                thread,
                source,
                focus: comment.clone(),
                requests,
            })
        }
        Target::Lobsters { id } => {
            let base = s.lobsters_api.trim_end_matches('/');
            let url = format!("{base}/s/{id}.json");
            let response = client.get(&url, None, ctl)?;
            Ok(Fetched {
                thread: read(&response.body, &url, Some(InputFormat::Lobsters))?,
                source: url,
                focus: None,
                requests: 1,
            })
        }
        Target::Source(url) => {
            let Some(plan) = sources::plan_for(url, client) else {
                return fetch_page(url, client, ctl);
            };
            match sources::fetch(url, &plan, client, ctl) {
                Err(e) if sources::not_this_source(&e) => fetch_page(url, client, ctl),
                other => other,
            }
        }
        Target::Url(url) => fetch_page(url, client, ctl),
    }
}

/// Fetches `url` as it is and reads it like a file.
fn fetch_page(url: &str, client: &Client, ctl: &mut Control<'_>) -> Result<Fetched, FetchError> {
    let response = client.get(url, None, ctl)?;
    if let Some(kind) = response.content_type.as_deref().and_then(not_text) {
        return Err(FetchError::NotAThread {
            url: url.to_string(),
            message: format!("it is {kind}"),
        });
    }
    let body = unpack(response.body, url, client)?;
    let mut thread = read(&body, url, None)?;
    // The page's own key may be a fingerprint of text that changes as it grows.
    if !thread.key.contains(':') || thread.key.starts_with("fp:") {
        url.clone_into(&mut thread.key);
    }
    Ok(Fetched {
        thread,
        source: url.to_string(),
        focus: None,
        requests: 1,
    })
}

/// A gzip file as it was downloaded (not a `Content-Encoding`, which the client undoes),
/// unpacked within `[fetch] max_size`: past it, the same [`FetchError::TooBig`] as a large
/// download, never a second chance through the file readers' larger cap.
pub(crate) fn unpack(body: Vec<u8>, url: &str, client: &Client) -> Result<Vec<u8>, FetchError> {
    if !crate::format::gzip::is_gzip(&body) {
        return Ok(body);
    }
    let cap = client.settings().max_bytes;
    match crate::format::gzip::gunzip_at_most(&body, url, cap) {
        Ok(Some(unpacked)) => Ok(unpacked),
        Ok(None) => Err(FetchError::TooBig {
            url: url.to_string(),
            cap,
        }),
        Err(e) => Err(FetchError::NotAThread {
            url: url.to_string(),
            message: e.message,
        }),
    }
}

/// The story id of an Algolia item that is a comment of another story.
fn story_of(body: &[u8], id: u64) -> Option<u64> {
    #[derive(serde::Deserialize)]
    struct Item {
        story_id: Option<u64>,
        #[serde(rename = "type")]
        kind: Option<String>,
    }
    let item: Item = serde_json::from_slice(body).ok()?;
    match (item.kind.as_deref(), item.story_id) {
        (Some("comment"), Some(story)) if story != id => Some(story),
        _ => None,
    }
}

/// What a content type is when it cannot be a thread (`a PDF`, `an image`).
pub(crate) fn not_text(content_type: &str) -> Option<&'static str> {
    let ct = content_type.to_ascii_lowercase();
    if ct.starts_with("application/pdf") {
        Some("a PDF, not a thread")
    } else if ct.starts_with("image/") {
        Some("an image, not a thread")
    } else if ct.starts_with("video/") || ct.starts_with("audio/") {
        Some("audio or video, not a thread")
    } else {
        None
    }
}

/// Reads fetched bytes with the file readers; errors name the URL.
pub(crate) fn read(
    body: &[u8],
    url: &str,
    forced: Option<InputFormat>,
) -> Result<Thread, FetchError> {
    crate::format::load(body, url, forced).map_err(|e| FetchError::NotAThread {
        url: url.to_string(),
        message: match &e.location {
            Some(loc) => format!("{loc}: {}", e.message),
            None => e.message.clone(),
        },
    })
}
