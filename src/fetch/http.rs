//! The HTTP client: one GET at a time, with every rule of issue 12 applied here and nowhere
//! else.
//!
//! Owns: http/https only, at most [`MAX_REDIRECTS`] redirects followed by hand (each one
//! checked, never to another scheme than http/https), the `User-Agent`, per-host pacing
//! shared by every thread of the process, `429`/`Retry-After`, the size cap on decompressed
//! bytes, the timeout without progress (ureq's per-read timeout), proxies chosen per scheme
//! from the environment snapshot, and turning every failure into one [`FetchError`] line.
//! Must not: parse what it fetched, touch the disk or the terminal.

use std::collections::HashMap;
use std::io::Read;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use ureq::Agent;
use ureq::http::Uri;

use super::{FetchError, FetchSettings, Progress, Proxies};

/// At most this many redirects are followed for one request.
pub const MAX_REDIRECTS: usize = 5;

/// A `Retry-After` longer than this is not waited for: the fetch fails and says when to retry.
const MAX_RETRY_WAIT: Duration = Duration::from_mins(2);

/// How many times one request is retried after a 429/503 with `Retry-After`.
const MAX_RETRIES: u32 = 3;

/// The body is read in pieces of this size, checking the cap and the cancel flag between.
const CHUNK: usize = 64 * 1024;

/// The `User-Agent` header: `threadr/VERSION`.
pub const USER_AGENT: &str = concat!("threadr/", env!("CARGO_PKG_VERSION"));

/// What a successful GET gives back.
#[derive(Debug, Clone)]
pub struct Response {
    /// The URL finally answered (after redirects).
    pub url: String,
    /// The `Content-Type` header, when there was one.
    pub content_type: Option<String>,
    /// The body, decompressed.
    pub body: Vec<u8>,
}

/// The hooks a fetch runs with: where progress goes and the flag that cancels it.
pub struct Control<'a> {
    /// Set from another thread to stop at the next chance (between reads, while waiting).
    pub cancel: &'a AtomicBool,
    /// Called on the fetching thread with what is going on.
    pub progress: &'a mut dyn FnMut(Progress),
}

impl Control<'_> {
    /// An error when the fetch was cancelled.
    pub(crate) fn check(&self, url: &str) -> Result<(), FetchError> {
        if self.cancel.load(Ordering::Relaxed) {
            Err(FetchError::Cancelled {
                url: url.to_string(),
            })
        } else {
            Ok(())
        }
    }

    /// Sleeps `d` in short slices, returning early with an error when cancelled.
    fn sleep(&self, d: Duration, url: &str) -> Result<(), FetchError> {
        let end = Instant::now() + d;
        loop {
            self.check(url)?;
            let now = Instant::now();
            if now >= end {
                return Ok(());
            }
            std::thread::sleep((end - now).min(Duration::from_millis(50)));
        }
    }
}

/// When each host may next be asked, for the whole process (several fetches can run on
/// different threads, and pacing is about the site, not the fetch).
fn next_allowed() -> &'static Mutex<HashMap<String, Instant>> {
    static NEXT: OnceLock<Mutex<HashMap<String, Instant>>> = OnceLock::new();
    NEXT.get_or_init(|| Mutex::new(HashMap::new()))
}

/// Reserves the next slot for `host` and returns how long to wait for it.
fn reserve(host: &str, pace: Duration) -> Duration {
    let Ok(mut map) = next_allowed().lock() else {
        return Duration::ZERO;
    };
    let now = Instant::now();
    let at = map.get(host).copied().filter(|t| *t > now).unwrap_or(now);
    map.insert(host.to_string(), at + pace);
    at - now
}

/// Pushes `host`'s next slot to at least `until` (after a `Retry-After`).
fn hold_off(host: &str, until: Instant) {
    if let Ok(mut map) = next_allowed().lock() {
        let slot = map.entry(host.to_string()).or_insert(until);
        if *slot < until {
            *slot = until;
        }
    }
}

/// A parsed absolute http(s) URL.
#[derive(Debug)]
pub(crate) struct Target {
    pub(crate) uri: Uri,
    /// `host:port`, the pacing key.
    pub(crate) host: String,
}

/// Checks that `url` is an absolute `http`/`https` URL with a host.
pub(crate) fn check_url(url: &str) -> Result<Target, FetchError> {
    let bad = |why: &str| FetchError::BadUrl {
        url: url.to_string(),
        why: why.to_string(),
    };
    let scheme = url.split_once(':').map(|(s, _)| s.to_ascii_lowercase());
    match scheme.as_deref() {
        Some("http" | "https") => {}
        Some(s)
            if !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)) =>
        {
            return Err(bad(&format!(
                "the {s}: scheme is not fetched; only http:// and https:// are"
            )));
        }
        _ => return Err(bad("not an http:// or https:// URL")),
    }
    let uri: Uri = url
        .parse()
        .map_err(|e: ureq::http::uri::InvalidUri| bad(&format!("not a valid URL ({e})")))?;
    let host = uri
        .host()
        .filter(|h| !h.is_empty())
        .ok_or_else(|| bad("the URL has no host"))?;
    let port = uri
        .port_u16()
        .unwrap_or(if uri.scheme_str() == Some("https") {
            443
        } else {
            80
        });
    Ok(Target {
        host: format!("{}:{port}", host.to_ascii_lowercase()),
        uri,
    })
}

/// Resolves a `Location` header against the URL that sent it.
fn resolve(base: &Uri, location: &str) -> String {
    let location = location.trim();
    if location.contains("://")
        || location.split_once(':').is_some_and(|(s, _)| {
            !s.is_empty() && !s.contains('/') && !s.contains('?') && !s.contains('#')
        })
    {
        return location.to_string();
    }
    let scheme = base.scheme_str().unwrap_or("http");
    let authority = base.authority().map_or("", |a| a.as_str());
    if let Some(rest) = location.strip_prefix("//") {
        return format!("{scheme}://{rest}");
    }
    if location.starts_with('/') {
        return format!("{scheme}://{authority}{location}");
    }
    let path = base.path();
    if location.starts_with('?') {
        return format!("{scheme}://{authority}{path}{location}");
    }
    let dir = path.rfind('/').map_or("/", |i| &path[..=i]);
    format!("{scheme}://{authority}{dir}{location}")
}

/// Does `host` (no port) match the `NO_PROXY` list?
pub(crate) fn no_proxy_matches(list: &str, host: &str) -> bool {
    let host = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_ascii_lowercase();
    list.split(',')
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .any(|entry| {
            if entry == "*" {
                return true;
            }
            // `host:port` entries: compare the host part only.
            let entry = entry
                .rsplit_once(':')
                .filter(|(h, p)| !h.contains(':') && p.chars().all(|c| c.is_ascii_digit()))
                .map_or(entry, |(h, _)| h);
            let entry = entry
                .trim_start_matches("*.")
                .trim_start_matches('.')
                .to_ascii_lowercase();
            host == entry || host.ends_with(&format!(".{entry}"))
        })
}

/// The proxy URL for `url`'s scheme and host, from the snapshot of the environment.
fn proxy_for<'p>(proxies: &'p Proxies, scheme: &str, host: &str) -> Option<&'p str> {
    if proxies
        .no_proxy
        .as_deref()
        .is_some_and(|l| no_proxy_matches(l, host))
    {
        return None;
    }
    let specific = if scheme == "https" {
        proxies.https.as_deref()
    } else {
        proxies.http.as_deref()
    };
    specific
        .or(proxies.all.as_deref())
        .filter(|p| !p.trim().is_empty())
}

/// The one HTTP client of a fetch: agents per proxy (made on first use) and the settings.
pub struct Client {
    settings: FetchSettings,
    agents: Mutex<HashMap<Option<String>, Agent>>,
}

impl Client {
    /// A client with these settings; makes no connection yet.
    #[must_use]
    pub fn new(settings: FetchSettings) -> Self {
        Self {
            settings,
            agents: Mutex::new(HashMap::new()),
        }
    }

    /// The settings in use.
    #[must_use]
    pub fn settings(&self) -> &FetchSettings {
        &self.settings
    }

    fn agent(&self, proxy: Option<&str>, url: &str) -> Result<Agent, FetchError> {
        let key = proxy.map(str::to_string);
        let mut agents = self.agents.lock().map_err(|_| FetchError::Other {
            url: url.to_string(),
            message: "the HTTP client is unusable after a crash in another fetch".into(),
        })?;
        if let Some(a) = agents.get(&key) {
            return Ok(a.clone());
        }
        let proxy = match proxy {
            Some(p) => Some(ureq::Proxy::new(p).map_err(|e| FetchError::Other {
                url: url.to_string(),
                message: format!(
                    "the proxy setting {} is not usable: {e}",
                    crate::text::sanitize_line(p)
                ),
            })?),
            None => None,
        };
        let t = Some(self.settings.timeout);
        let agent: Agent = Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .user_agent(USER_AGENT)
            .proxy(proxy)
            .timeout_resolve(t)
            .timeout_connect(t)
            .timeout_send_request(t)
            .timeout_recv_response(t)
            .timeout_per_read(t)
            .timeout_per_write(t)
            .build()
            .into();
        agents.insert(key, agent.clone());
        Ok(agent)
    }

    /// GETs `url`: paced, redirects checked, `Retry-After` obeyed, body capped. `left` is
    /// how many more requests the fetch may make, for the progress line.
    pub fn get(
        &self,
        url: &str,
        left: Option<u32>,
        ctl: &mut Control<'_>,
    ) -> Result<Response, FetchError> {
        let mut current = url.to_string();
        let mut redirects = 0;
        let mut retries = 0;
        loop {
            ctl.check(url)?;
            let target = check_url(&current).map_err(|e| match e {
                FetchError::BadUrl { why, .. } if current != url => FetchError::BadRedirect {
                    url: url.to_string(),
                    to: current.clone(),
                    why,
                },
                other => other,
            })?;
            let wait = reserve(&target.host, self.settings.pace);
            ctl.sleep(wait, url)?;
            // A late wake-up must not shorten the gap to the next request.
            hold_off(&target.host, Instant::now() + self.settings.pace);
            (ctl.progress)(Progress::Request {
                url: current.clone(),
                left,
            });
            let scheme = target.uri.scheme_str().unwrap_or("http");
            let host = target.uri.host().unwrap_or_default();
            let agent = self.agent(proxy_for(&self.settings.proxies, scheme, host), url)?;
            let response = agent
                .get(&current)
                .header("Accept-Encoding", "gzip")
                .call()
                .map_err(|e| transport_error(url, &e))?;
            let status = response.status().as_u16();
            let header = |name: &str| {
                response
                    .headers()
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string)
            };
            if (300..400).contains(&status) && status != 304 {
                let Some(location) = header("location") else {
                    return Err(FetchError::Status {
                        url: url.to_string(),
                        status,
                        message: "a redirect without a Location".into(),
                    });
                };
                redirects += 1;
                if redirects > MAX_REDIRECTS {
                    return Err(FetchError::TooManyRedirects {
                        url: url.to_string(),
                    });
                }
                current = resolve(&target.uri, &location);
                continue;
            }
            if status == 429 || status == 503 {
                let after = header("retry-after").and_then(|v| v.trim().parse::<u64>().ok());
                match after.map(Duration::from_secs) {
                    Some(d) if d <= MAX_RETRY_WAIT && retries < MAX_RETRIES => {
                        retries += 1;
                        hold_off(&target.host, Instant::now() + d);
                        (ctl.progress)(Progress::Waiting {
                            host: host.to_string(),
                            seconds: d.as_secs(),
                        });
                        continue;
                    }
                    Some(d) => {
                        return Err(FetchError::Status {
                            url: url.to_string(),
                            status,
                            message: format!(
                                "rate limited: the site asks to retry after {} s",
                                d.as_secs()
                            ),
                        });
                    }
                    None => {}
                }
            }
            let content_type = header("content-type");
            let total = header("content-length").and_then(|v| v.parse::<u64>().ok());
            let mut body = response.into_body();
            if status >= 400 {
                let text = read_capped(&mut body.as_reader(), 64 * 1024, url, None, ctl, true)?;
                return Err(FetchError::Status {
                    url: url.to_string(),
                    status,
                    message: site_message(&text, content_type.as_deref()),
                });
            }
            let bytes = read_capped(
                &mut body.as_reader(),
                self.settings.max_bytes,
                url,
                total,
                ctl,
                false,
            )?;
            return Ok(Response {
                url: current,
                content_type,
                body: bytes,
            });
        }
    }
}

/// Reads at most `cap` bytes; more is [`FetchError::TooBig`] unless `truncate` (error pages).
fn read_capped(
    reader: &mut dyn Read,
    cap: u64,
    url: &str,
    total: Option<u64>,
    ctl: &mut Control<'_>,
    truncate: bool,
) -> Result<Vec<u8>, FetchError> {
    let mut out = Vec::new();
    let mut buf = vec![0u8; CHUNK];
    let mut last_report = Instant::now();
    loop {
        ctl.check(url)?;
        let n = match reader.read(&mut buf) {
            Ok(0) => return Ok(out),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(read_error(url, &e)),
        };
        if out.len() as u64 + n as u64 > cap {
            if truncate {
                let room = usize::try_from(cap).unwrap_or(usize::MAX) - out.len();
                out.extend_from_slice(&buf[..room.min(n)]);
                return Ok(out);
            }
            return Err(FetchError::TooBig {
                url: url.to_string(),
                cap,
            });
        }
        out.extend_from_slice(&buf[..n]);
        if !truncate && last_report.elapsed() >= Duration::from_millis(100) {
            last_report = Instant::now();
            (ctl.progress)(Progress::Bytes {
                received: out.len() as u64,
                total,
            });
        }
    }
}

/// The site's own words from an error page: a JSON `message`/`error`, an HTML `<title>`, or
/// the first line of text; one sanitised line, shortened.
fn site_message(body: &[u8], content_type: Option<&str>) -> String {
    let text = String::from_utf8_lossy(body);
    let mut message = None;
    if let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) {
        message = ["message", "error", "reason"].iter().find_map(|k| {
            v.get(k)
                .and_then(serde_json::Value::as_str)
                .map(str::to_string)
        });
    }
    let is_html =
        content_type.is_some_and(|c| c.contains("html")) || text.trim_start().starts_with('<');
    if message.is_none() && is_html {
        let lower = text.to_ascii_lowercase();
        if let (Some(a), Some(b)) = (lower.find("<title>"), lower.find("</title>"))
            && a + 7 <= b
        {
            message = Some(text[a + 7..b].to_string());
        }
    }
    if message.is_none() && !is_html {
        message = text
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .map(str::to_string);
    }
    let line = crate::text::sanitize_line(message.as_deref().unwrap_or("").trim()).into_owned();
    shorten(&line, 200)
}

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max).collect();
    out.push('…');
    out
}

fn read_error(url: &str, e: &std::io::Error) -> FetchError {
    // ureq wraps its own errors (timeouts, decompression) in io::Error while reading a body.
    if e.kind() == std::io::ErrorKind::TimedOut
        || e.get_ref()
            .is_some_and(|inner| inner.to_string().contains("timeout"))
    {
        return FetchError::Timeout {
            url: url.to_string(),
        };
    }
    FetchError::Other {
        url: url.to_string(),
        message: format!("the connection failed while reading: {e}"),
    }
}

fn transport_error(url: &str, e: &ureq::Error) -> FetchError {
    let url = url.to_string();
    match e {
        ureq::Error::Timeout(_) => FetchError::Timeout { url },
        ureq::Error::HostNotFound => FetchError::Dns { url },
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
            FetchError::Refused { url }
        }
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => {
            FetchError::Timeout { url }
        }
        ureq::Error::ConnectionFailed => FetchError::Refused { url },
        // A certificate that does not verify comes from rustls inside an `io::Error`.
        ureq::Error::Io(io)
            if io
                .get_ref()
                .is_some_and(|inner| inner.downcast_ref::<rustls::Error>().is_some()) =>
        {
            FetchError::Tls {
                url,
                message: io
                    .get_ref()
                    .map_or_else(|| io.to_string(), ToString::to_string),
            }
        }
        ureq::Error::Tls(m) => FetchError::Tls {
            url,
            message: (*m).to_string(),
        },
        ureq::Error::Rustls(r) => FetchError::Tls {
            url,
            message: r.to_string(),
        },
        other => FetchError::Other {
            url,
            message: other.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_and_https() {
        assert!(check_url("https://example.com/x").is_ok());
        assert!(check_url("HTTP://example.com/").is_ok());
        for bad in [
            "file:///etc/passwd",
            "ftp://h/x",
            "gopher://h",
            "javascript:alert(1)",
        ] {
            let e = check_url(bad).unwrap_err().to_string();
            assert!(e.contains("only http:// and https://"), "{bad}: {e}");
        }
        assert!(check_url("http:///nohost").is_err());
    }

    #[test]
    fn locations_resolve() {
        let base: Uri = "http://h:8/a/b?q=1".parse().unwrap();
        assert_eq!(resolve(&base, "/x"), "http://h:8/x");
        assert_eq!(resolve(&base, "c"), "http://h:8/a/c");
        assert_eq!(resolve(&base, "?z"), "http://h:8/a/b?z");
        assert_eq!(resolve(&base, "//o/p"), "http://o/p");
        assert_eq!(resolve(&base, "https://o/p"), "https://o/p");
        assert_eq!(resolve(&base, "file:///etc/passwd"), "file:///etc/passwd");
    }

    #[test]
    fn no_proxy_lists() {
        assert!(no_proxy_matches("localhost, .example.com", "a.example.com"));
        assert!(no_proxy_matches("example.com", "example.com"));
        assert!(no_proxy_matches("*.example.com", "b.example.com"));
        assert!(no_proxy_matches("127.0.0.1:8080", "127.0.0.1"));
        assert!(no_proxy_matches("*", "anything"));
        assert!(!no_proxy_matches("example.com", "notexample.com"));
        assert!(!no_proxy_matches("", "example.com"));
    }

    #[test]
    fn proxies_by_scheme() {
        let p = Proxies {
            http: Some("http://hp:1".into()),
            https: Some("http://sp:2".into()),
            all: Some("socks5://ap:3".into()),
            no_proxy: Some("internal".into()),
        };
        assert_eq!(proxy_for(&p, "http", "h"), Some("http://hp:1"));
        assert_eq!(proxy_for(&p, "https", "h"), Some("http://sp:2"));
        assert_eq!(proxy_for(&p, "https", "internal"), None);
        let all = Proxies {
            all: Some("socks5://ap:3".into()),
            ..Proxies::default()
        };
        assert_eq!(proxy_for(&all, "https", "h"), Some("socks5://ap:3"));
    }

    #[test]
    fn error_pages_say_the_site_message() {
        assert_eq!(
            site_message(br#"{"message": "Not Found", "error": 404}"#, None),
            "Not Found"
        );
        assert_eq!(
            site_message(b"<html><title>Gone\x1b[31m</title>", Some("text/html")),
            "Gone\u{241b}[31m"
        );
        assert_eq!(
            site_message(b"\n  nope here\nmore", Some("text/plain")),
            "nope here"
        );
    }
}
