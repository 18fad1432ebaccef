//! The `[fetch]` table of `config.toml`: API bases, timeout, pacing, the Reddit request
//! budget, the size cap and when linked articles are fetched. Read with line numbers like every setting.

use std::fmt::Write as _;
use std::time::Duration;

use toml::{Spanned, Value};

use super::ConfigError;
use super::located::Located;
use crate::fetch::FetchSettings;
use crate::fetch::article::Articles;

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
        "Reddit: at most this many requests expanding `more` stubs per thread (default 100)",
    ),
    (
        "max_size",
        "Largest answer read, in MB after decompression (default 256)",
    ),
    (
        "articles",
        "\"always\" also fetches a link post's article on open when its copy has none; \"ask\": only O (default \"ask\")",
    ),
];

/// `[fetch]` as written: serde finds unknown keys; each value is checked by [`apply`] so
/// the message says what was expected and what was found.
#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FetchFile {
    hackernews_api: Option<Spanned<Value>>,
    reddit_api: Option<Spanned<Value>>,
    lobsters_api: Option<Spanned<Value>>,
    bluesky_api: Option<Spanned<Value>>,
    timeout: Option<Spanned<Value>>,
    pace: Option<Spanned<Value>>,
    more_requests: Option<Spanned<Value>>,
    max_size: Option<Spanned<Value>>,
    articles: Option<Spanned<Value>>,
}

fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Integer(i) => Some(*i as f64),
        Value::Float(f) => Some(*f),
        _ => None,
    }
}

/// Applies a `[fetch]` table over `settings`.
///
/// # Errors
/// A wrong type, a value out of range, a base that is not http(s).
pub(super) fn apply(
    settings: &mut FetchSettings,
    table: &FetchFile,
    doc: &Located<'_>,
) -> Result<(), ConfigError> {
    let key = |name: &str| format!("[fetch] {name}");
    let seconds = |v: &Spanned<Value>, name: &str, max: f64| {
        doc.expect(
            v,
            &key(name),
            &format!("a number of seconds, 0 to {max}"),
            |v| {
                number(v)
                    .filter(|n| n.is_finite() && *n >= 0.0 && *n <= max)
                    .map(Duration::from_secs_f64)
            },
        )
    };
    for (name, value, slot) in [
        (
            "hackernews_api",
            &table.hackernews_api,
            &mut settings.hackernews_api,
        ),
        ("reddit_api", &table.reddit_api, &mut settings.reddit_api),
        (
            "lobsters_api",
            &table.lobsters_api,
            &mut settings.lobsters_api,
        ),
        ("bluesky_api", &table.bluesky_api, &mut settings.bluesky_api),
    ] {
        if let Some(v) = value {
            let s = doc.expect(v, &key(name), "an http:// or https:// URL in quotes", |v| {
                v.as_str().map(str::to_string)
            })?;
            crate::fetch::http::check_url(&s)
                .map_err(|e| doc.at(v.span(), &key(name), e.to_string()))?;
            *slot = s.trim_end_matches('/').to_string();
        }
    }
    if let Some(v) = &table.timeout {
        settings.timeout = seconds(v, "timeout", 3600.0)?;
        if settings.timeout.is_zero() {
            return Err(doc.wrong(v, &key("timeout"), "a number of seconds above 0"));
        }
    }
    if let Some(v) = &table.pace {
        settings.pace = seconds(v, "pace", 600.0)?;
    }
    if let Some(v) = &table.more_requests {
        settings.more_requests = doc.expect(
            v,
            &key("more_requests"),
            "a whole number, 0 to 10000",
            |v| {
                number(v)
                    .filter(|n| n.fract() == 0.0 && (0.0..=10_000.0).contains(n))
                    .map(|n| n as u32)
            },
        )?;
    }
    if let Some(v) = &table.max_size {
        let mb = doc.expect(
            v,
            &key("max_size"),
            "a number of megabytes above 0, at most 16000",
            |v| number(v).filter(|n| n.is_finite() && *n > 0.0 && *n <= 16_000.0),
        )?;
        settings.max_bytes = (mb * 1_000_000.0) as u64;
    }
    if let Some(v) = &table.articles {
        settings.articles = doc.expect(v, &key("articles"), "\"ask\" or \"always\"", |v| {
            v.as_str().and_then(Articles::from_name)
        })?;
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
    let _ = writeln!(out, "articles = {}", q(s.articles.name()));
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

    #[test]
    fn articles_is_ask_or_always_and_anything_else_one_located_line() {
        use crate::fetch::article::Articles;
        assert_eq!(read("").unwrap().fetch.articles, Articles::Ask);
        let c = read("[fetch]\narticles = \"always\"\n").unwrap();
        assert_eq!(c.fetch.articles, Articles::Always);
        assert!(
            super::describe_table(&c.fetch).contains("\narticles = \"always\"\n"),
            "{}",
            super::describe_table(&c.fetch)
        );
        assert_eq!(
            read("[fetch]\narticles = \"ask\"\n")
                .unwrap()
                .fetch
                .articles,
            Articles::Ask
        );
        for bad in ["\"Always\"", "\"never\"", "true", "1"] {
            let e = read(&format!("[fetch]\n\narticles = {bad}\n")).unwrap_err();
            let line = e.to_string();
            assert_eq!(e.line, Some(3), "{line}");
            assert!(!line.contains('\n'), "one line: {line}");
            assert!(
                line.contains("[fetch] articles") && line.contains("\"ask\" or \"always\""),
                "{line}"
            );
        }
    }
}
