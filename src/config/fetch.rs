//! The `[fetch]` table of `config.toml`: API bases, timeout, pacing, the Reddit request
//! budget and the size cap. Read with line numbers like every setting.

use std::fmt::Write as _;
use std::time::Duration;

use toml::de::{DeTable, DeValue};

use super::{ConfigError, describe, line_of};
use crate::fetch::FetchSettings;

/// The keys of `[fetch]`, with what they mean.
pub const FETCH_SETTINGS: &[(&str, &str)] = &[
    (
        "hackernews_api",
        "Hacker News Algolia API base: GET {this}/api/v1/items/ID",
    ),
    (
        "reddit_api",
        "Reddit base: GET {this}/comments/ID.json and {this}/api/morechildren.json",
    ),
    ("lobsters_api", "Lobsters base: GET {this}/s/ID.json"),
    (
        "bluesky_api",
        "Bluesky AppView base: GET {this}/xrpc/app.bsky.feed.getPostThread",
    ),
    (
        "timeout",
        "Seconds without progress before a fetch gives up (default 30)",
    ),
    (
        "pace",
        "Seconds between two requests to one host (default 1.0)",
    ),
    (
        "more_requests",
        "At most this many requests after the first per thread: Reddit `more` stubs, Discourse post chunks, Lemmy comment pages (default 100)",
    ),
    (
        "max_size",
        "Largest answer read, in MB after decompression (default 256)",
    ),
];

fn number(v: &DeValue<'_>) -> Option<f64> {
    match v {
        DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix())
            .ok()
            .map(|n| n as f64),
        DeValue::Float(f) => f.as_str().parse().ok(),
        _ => None,
    }
}

/// Applies a `[fetch]` table over `settings`.
///
/// # Errors
/// An unknown key, a wrong type, a value out of range, a base that is not http(s).
pub(crate) fn apply(
    settings: &mut FetchSettings,
    table: &DeTable<'_>,
    text: &str,
    file: &str,
) -> Result<(), ConfigError> {
    for (key, value) in table {
        let name: &str = key.get_ref();
        let v = value.get_ref();
        let err = |message: String| ConfigError {
            file: file.to_string(),
            line: Some(line_of(text, key.span().start)),
            key: Some(format!("[fetch] {name}")),
            message,
        };
        let wrong = |expected: &str| err(format!("expected {expected}, found {}", describe(v)));
        let seconds = |max: f64| {
            number(v)
                .filter(|n| n.is_finite() && *n >= 0.0 && *n <= max)
                .map(Duration::from_secs_f64)
                .ok_or_else(|| wrong(&format!("a number of seconds, 0 to {max}")))
        };
        match name {
            "hackernews_api" | "reddit_api" | "lobsters_api" | "bluesky_api" => {
                let s = v
                    .as_str()
                    .ok_or_else(|| wrong("an http:// or https:// URL in quotes"))?;
                crate::fetch::http::check_url(s).map_err(|e| err(e.to_string()))?;
                let slot = match name {
                    "hackernews_api" => &mut settings.hackernews_api,
                    "reddit_api" => &mut settings.reddit_api,
                    "bluesky_api" => &mut settings.bluesky_api,
                    _ => &mut settings.lobsters_api,
                };
                *slot = s.trim_end_matches('/').to_string();
            }
            "timeout" => {
                settings.timeout = seconds(3600.0)?;
                if settings.timeout.is_zero() {
                    return Err(wrong("a number of seconds above 0"));
                }
            }
            "pace" => settings.pace = seconds(600.0)?,
            "more_requests" => {
                settings.more_requests = number(v)
                    .filter(|n| n.fract() == 0.0 && (0.0..=10_000.0).contains(n))
                    .map(|n| n as u32)
                    .ok_or_else(|| wrong("a whole number, 0 to 10000"))?;
            }
            "max_size" => {
                let mb = number(v)
                    .filter(|n| n.is_finite() && *n > 0.0 && *n <= 16_000.0)
                    .ok_or_else(|| wrong("a number of megabytes above 0, at most 16000"))?;
                settings.max_bytes = (mb * 1_000_000.0) as u64;
            }
            _ => {
                let known: Vec<&str> = FETCH_SETTINGS.iter().map(|(k, _)| *k).collect();
                return Err(err(format!(
                    "unknown setting (known: {})",
                    known.join(", ")
                )));
            }
        }
    }
    Ok(())
}

/// The `[fetch]` table as `threadr config` prints it (valid TOML).
#[must_use]
pub(crate) fn describe_table(s: &FetchSettings) -> String {
    let q = |s: &str| toml::Value::String(crate::text::sanitize_line(s).into_owned()).to_string();
    let mut out = String::from("\n[fetch]\n");
    let _ = writeln!(out, "hackernews_api = {}", q(&s.hackernews_api));
    let _ = writeln!(out, "reddit_api = {}", q(&s.reddit_api));
    let _ = writeln!(out, "lobsters_api = {}", q(&s.lobsters_api));
    let _ = writeln!(out, "bluesky_api = {}", q(&s.bluesky_api));
    let _ = writeln!(out, "timeout = {}", s.timeout.as_secs_f64());
    let _ = writeln!(out, "pace = {}", s.pace.as_secs_f64());
    let _ = writeln!(out, "more_requests = {}", s.more_requests);
    let _ = writeln!(out, "max_size = {}", s.max_bytes as f64 / 1_000_000.0);
    out
}

#[cfg(test)]
mod tests {
    use crate::config::{Config, ConfigPaths};

    fn read(text: &str) -> Result<Config, crate::config::ConfigError> {
        let mut c = Config::defaults(ConfigPaths {
            dir: None,
            file: None,
            file_found: false,
            themes: None,
            themes_found: false,
        });
        c.read_toml(text, "config.toml").map(|()| c)
    }

    #[test]
    fn fetch_table_is_read_and_checked() {
        let c = read("[fetch]\nhackernews_api = \"http://127.0.0.1:9/\"\npace = 0\ntimeout = 2.5\nmore_requests = 3\nmax_size = 1\n").unwrap();
        assert_eq!(c.fetch.hackernews_api, "http://127.0.0.1:9");
        assert!(c.fetch.pace.is_zero());
        assert_eq!(c.fetch.timeout.as_millis(), 2500);
        assert_eq!(c.fetch.more_requests, 3);
        assert_eq!(c.fetch.max_bytes, 1_000_000);
        let e = read("[fetch]\n\nreddit_api = \"file:///x\"\n").unwrap_err();
        assert_eq!(e.line, Some(3));
        assert!(e.to_string().contains("only http"), "{e}");
        let e = read("[fetch]\npace = -1\n").unwrap_err();
        assert!(e.to_string().contains("[fetch] pace"), "{e}");
        assert!(
            read("[fetch]\nbogus = 1\n")
                .unwrap_err()
                .to_string()
                .contains("unknown")
        );
        assert!(read("[fetch]\ntimeout = 0\n").is_err());
    }
}
