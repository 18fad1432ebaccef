//! Where a thread lives: a URL or a `hn:`/`reddit:`/`lobsters:` key turned into the API
//! request that fetches it. Pure: no IO.

use super::FetchError;

/// A thread to fetch, as the user named it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A Hacker News item (a story or any comment in it).
    Hn {
        /// The item id.
        id: u64,
    },
    /// A Reddit post, optionally a comment in it to focus.
    Reddit {
        /// The post id (base 36, no `t3_`).
        id: String,
        /// The comment of a permalink (no `t1_`).
        comment: Option<String>,
    },
    /// A Lobsters story.
    Lobsters {
        /// The story's short id.
        id: String,
    },
    /// A mail archive, forum or social thread whose URL has the shape of one
    /// ([`crate::format::source_urls::plan`]): public-inbox, Discourse, Lemmy, Mastodon,
    /// Bluesky. Fetched through that source's API, else as a page.
    Source(String),
    /// Any other URL, fetched as it is.
    Url(String),
}

impl Target {
    /// The thread key the readers give this thread (`hn:1`, `reddit:abc`, the URL), when it
    /// is known before fetching. A Hacker News comment id names its story only once fetched.
    #[must_use]
    pub fn key(&self) -> String {
        match self {
            Self::Hn { id } => format!("hn:{id}"),
            Self::Reddit { id, .. } => format!("reddit:{id}"),
            Self::Lobsters { id } => format!("lobsters:{id}"),
            Self::Source(u) | Self::Url(u) => u.clone(),
        }
    }
}

/// True when `arg` names something to fetch rather than a file: an `http(s)://` URL, another
/// `scheme://` (refused later with a message), or one of the key shorthands.
#[must_use]
pub fn is_remote(arg: &str) -> bool {
    let lower = arg.trim().to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        return true;
    }
    if let Some((scheme, rest)) = lower.split_once("://") {
        return !scheme.is_empty()
            && !rest.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    }
    ["hn:", "reddit:", "lobsters:"].iter().any(|p| {
        lower
            .strip_prefix(p)
            .is_some_and(|id| !id.is_empty() && !id.contains('/'))
    })
}

fn is_id(s: &str) -> bool {
    !s.is_empty() && s.len() <= 32 && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Reads a URL or key. Unknown hosts become [`Target::Url`].
///
/// # Errors
/// A key with a bad id, or a URL that is not http/https.
pub fn parse(arg: &str) -> Result<Target, FetchError> {
    let arg = arg.trim();
    let bad = |why: &str| FetchError::BadUrl {
        url: arg.to_string(),
        why: why.to_string(),
    };
    let lower = arg.to_ascii_lowercase();
    if let Some(id) = lower.strip_prefix("hn:") {
        return id
            .parse()
            .map(|id| Target::Hn { id })
            .map_err(|_| bad("a Hacker News key is hn: and the item number, like hn:8863"));
    }
    for (prefix, site) in [("reddit:", "Reddit"), ("lobsters:", "Lobsters")] {
        if lower.starts_with(prefix) {
            let id = arg[prefix.len()..].trim_start_matches("t3_");
            if !is_id(id) {
                return Err(bad(&format!(
                    "a {site} key is {prefix} and the post id, like {prefix}3hahrw"
                )));
            }
            return Ok(if site == "Reddit" {
                Target::Reddit {
                    id: id.to_ascii_lowercase(),
                    comment: None,
                }
            } else {
                Target::Lobsters { id: id.to_string() }
            });
        }
    }
    let target = super::http::check_url(arg)?;
    let host = target.host.rsplit_once(':').map_or("", |(h, _)| h);
    let host = host.strip_prefix("www.").unwrap_or(host);
    let path = target.uri.path();
    let query = target.uri.query().unwrap_or("");
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    match host {
        "news.ycombinator.com" if path == "/item" => {
            let id = query
                .split('&')
                .find_map(|kv| kv.strip_prefix("id="))
                .and_then(|v| v.parse().ok());
            if let Some(id) = id {
                return Ok(Target::Hn { id });
            }
        }
        "reddit.com" | "old.reddit.com" | "new.reddit.com" | "np.reddit.com" | "m.reddit.com" => {
            // /r/SUB/comments/ID/SLUG/COMMENT/ or /comments/ID/...
            if let Some(i) = segments.iter().position(|s| *s == "comments")
                && let Some(id) = segments.get(i + 1).filter(|s| is_id(s))
            {
                let comment = segments
                    .get(i + 3)
                    .filter(|s| is_id(s))
                    .map(|s| s.to_ascii_lowercase());
                return Ok(Target::Reddit {
                    id: id.to_ascii_lowercase(),
                    comment,
                });
            }
        }
        "redd.it" => {
            if let [id] = segments.as_slice()
                && is_id(id)
            {
                return Ok(Target::Reddit {
                    id: id.to_ascii_lowercase(),
                    comment: None,
                });
            }
        }
        "lobste.rs" => {
            if let ["s", id, ..] = segments.as_slice()
                && is_id(id)
            {
                let id = id.strip_suffix(".json").unwrap_or(id);
                return Ok(Target::Lobsters { id: id.to_string() });
            }
        }
        _ => {}
    }
    if crate::format::source_urls::plan(arg, None).is_some() {
        return Ok(Target::Source(arg.to_string()));
    }
    Ok(Target::Url(arg.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reddit(id: &str, comment: Option<&str>) -> Target {
        Target::Reddit {
            id: id.into(),
            comment: comment.map(Into::into),
        }
    }

    #[test]
    fn known_sites_and_keys() {
        let cases = [
            (
                "https://news.ycombinator.com/item?id=8863",
                Target::Hn { id: 8863 },
            ),
            ("hn:42", Target::Hn { id: 42 }),
            (
                "https://www.reddit.com/r/rust/comments/3hahrw/some_title/",
                reddit("3hahrw", None),
            ),
            (
                "https://old.reddit.com/r/rust/comments/3hahrw/t/cu5r7ev/?context=3",
                reddit("3hahrw", Some("cu5r7ev")),
            ),
            (
                "https://new.reddit.com/comments/3HAHRW",
                reddit("3hahrw", None),
            ),
            ("https://redd.it/3hahrw", reddit("3hahrw", None)),
            ("reddit:t3_abc", reddit("abc", None)),
            (
                "https://lobste.rs/s/xyz123/a_story",
                Target::Lobsters {
                    id: "xyz123".into(),
                },
            ),
            (
                "lobsters:xyz123",
                Target::Lobsters {
                    id: "xyz123".into(),
                },
            ),
            (
                "https://example.com/t?id=1",
                Target::Url("https://example.com/t?id=1".into()),
            ),
            (
                "https://forum.example.org/t/a-topic/77",
                Target::Source("https://forum.example.org/t/a-topic/77".into()),
            ),
            (
                "https://bsky.app/profile/alice.example.org/post/3k",
                Target::Source("https://bsky.app/profile/alice.example.org/post/3k".into()),
            ),
            (
                "https://news.ycombinator.com/news",
                Target::Url("https://news.ycombinator.com/news".into()),
            ),
        ];
        for (input, want) in cases {
            assert_eq!(parse(input).unwrap(), want, "{input}");
        }
        assert_eq!(reddit("3hahrw", Some("x")).key(), "reddit:3hahrw");
    }

    #[test]
    fn bad_keys_and_schemes_are_refused() {
        assert!(parse("hn:abc").unwrap_err().to_string().contains("hn:8863"));
        assert!(parse("reddit:a/b").is_err());
        assert!(parse("file:///etc/passwd").is_err());
        assert!(
            parse("ftp://example.com/")
                .unwrap_err()
                .to_string()
                .contains("ftp")
        );
    }

    #[test]
    fn what_counts_as_remote() {
        for yes in [
            "http://x",
            "HTTPS://x/y",
            "hn:1",
            "reddit:abc",
            "lobsters:q",
            "file:///etc",
            "ftp://h",
        ] {
            assert!(is_remote(yes), "{yes}");
        }
        for no in [
            "thread.json",
            "-",
            "./hn:1/x",
            "dir/file.txt",
            "C:\\x",
            "hn:",
        ] {
            assert!(!is_remote(no), "{no}");
        }
    }
}
