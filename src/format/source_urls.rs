//! Where the mail and forum sources keep their data: from the URL a person pastes to the
//! URLs the fetch layer downloads, and which reader takes the answers.
//!
//! Pure string work for the URL machinery (which does the IO, limits and retries): no IO,
//! no parsing of bodies. Each plan says which reader function reads the downloaded bytes.

/// Public `AppView` of Bluesky, used when the configuration names none.
pub const BLUESKY_APPVIEW: &str = "https://public.api.bsky.app";

/// What to download for a thread URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourcePlan {
    /// A public-inbox thread (`https://HOST/LIST/MESSAGE-ID/`): download `mbox_gz` and read
    /// it with [`crate::format::mail::parse_mbox`] (after [`crate::format::gzip::gunzip`]),
    /// passing `archive` for permalinks.
    PublicInbox {
        /// `…/MESSAGE-ID/t.mbox.gz`.
        mbox_gz: String,
        /// `https://HOST/LIST/`.
        archive: String,
    },
    /// A Discourse topic: download `topic_json`, then [`discourse_posts_url`] for the ids
    /// [`crate::format::discourse::missing_post_ids`] names, in chunks of
    /// [`crate::format::discourse::CHUNK`]; read all with
    /// [`crate::format::discourse::from_pages`] and the host of `origin`.
    Discourse {
        /// `https://HOST/t/ID.json`.
        topic_json: String,
        /// The forum's scheme and host (`https://HOST`).
        origin: String,
        /// The topic id.
        topic_id: u64,
    },
    /// A Lemmy post: download `post_json`, then [`lemmy_comments_url`] pages 1, 2, … until
    /// a page has no comments; read with [`crate::format::lemmy::from_pages`].
    Lemmy {
        /// `https://HOST/api/v3/post?id=ID`.
        post_json: String,
        /// The instance's scheme and host (`https://HOST`).
        origin: String,
        /// The post id.
        post_id: u64,
    },
    /// A Mastodon status: download `status_json` and `context_json`; read with
    /// [`crate::format::mastodon::from_parts`].
    Mastodon {
        /// `https://HOST/api/v1/statuses/ID`.
        status_json: String,
        /// `https://HOST/api/v1/statuses/ID/context`.
        context_json: String,
    },
    /// A Bluesky post: download `thread_json` and read it with [`crate::format::load`].
    Bluesky {
        /// `APPVIEW/xrpc/app.bsky.feed.getPostThread?uri=at://HANDLE/app.bsky.feed.post/RKEY&depth=1000`.
        thread_json: String,
    },
}

/// Splits `https://host/path?query` into scheme, host and path segments (query and
/// fragment cut). The scheme is kept so that a forum served over plain `http://` (a local
/// instance, the tests' server) is asked over `http://` too.
fn split(url: &str) -> Option<(&'static str, &str, Vec<&str>)> {
    let (scheme, rest) = if let Some(rest) = url.strip_prefix("https://") {
        ("https", rest)
    } else {
        ("http", url.strip_prefix("http://")?)
    };
    let rest = rest.split(['?', '#']).next().unwrap_or(rest);
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let valid = !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b));
    valid.then(|| {
        (
            scheme,
            host,
            path.split('/').filter(|s| !s.is_empty()).collect(),
        )
    })
}

/// A handle, DID or record key: nothing that could add to the `AppView` query.
fn at_safe(s: &str) -> bool {
    s.len() <= 256
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._:-~".contains(&b))
}

fn number(s: &str) -> Option<u64> {
    (!s.is_empty() && s.len() < 20 && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// The plan for a URL, when it is a thread of one of these sources. `appview` is the
/// Bluesky API base (`[fetch]` configuration), else [`BLUESKY_APPVIEW`].
///
/// Shapes: `bsky.app/profile/HANDLE/post/RKEY`; `HOST/t/SLUG/ID[/N]` and `HOST/t/ID`
/// (Discourse); `HOST/post/ID` (Lemmy); `HOST/@USER/ID` and `HOST/users/USER/statuses/ID`
/// (Mastodon); `HOST/LIST/MESSAGE-ID[/…]` with an `@` in the id (public-inbox).
#[must_use]
pub fn plan(url: &str, appview: Option<&str>) -> Option<SourcePlan> {
    let (scheme, host, path) = split(url.trim())?;
    match path.as_slice() {
        ["profile", handle, "post", rkey, ..]
            if host.ends_with("bsky.app") && at_safe(handle) && at_safe(rkey) =>
        {
            let base = appview.unwrap_or(BLUESKY_APPVIEW).trim_end_matches('/');
            Some(SourcePlan::Bluesky {
                thread_json: format!(
                    "{base}/xrpc/app.bsky.feed.getPostThread?uri=at://{handle}/app.bsky.feed.post/{rkey}&depth=1000"
                ),
            })
        }
        ["t", _, id, ..] | ["t", id] if number(id).is_some() => {
            let topic_id = number(id)?;
            Some(SourcePlan::Discourse {
                topic_json: format!("{scheme}://{host}/t/{topic_id}.json"),
                origin: format!("{scheme}://{host}"),
                topic_id,
            })
        }
        ["post", id] if number(id).is_some() => {
            let post_id = number(id)?;
            Some(SourcePlan::Lemmy {
                post_json: format!("{scheme}://{host}/api/v3/post?id={post_id}"),
                origin: format!("{scheme}://{host}"),
                post_id,
            })
        }
        [user, id] if user.starts_with('@') && number(id).is_some() => {
            Some(mastodon(scheme, host, id))
        }
        ["users", _, "statuses", id] if number(id).is_some() => Some(mastodon(scheme, host, id)),
        // Lemmy's `/u/NAME@HOST` and `/c/NAME@HOST` are people and communities, not lists.
        [list, id, ..]
            if id.contains('@') && !list.starts_with('@') && !matches!(*list, "u" | "c" | "m") =>
        {
            let archive = format!("{scheme}://{host}/{list}/");
            Some(SourcePlan::PublicInbox {
                mbox_gz: format!("{archive}{id}/t.mbox.gz"),
                archive,
            })
        }
        _ => None,
    }
}

fn mastodon(scheme: &str, host: &str, id: &str) -> SourcePlan {
    SourcePlan::Mastodon {
        status_json: format!("{scheme}://{host}/api/v1/statuses/{id}"),
        context_json: format!("{scheme}://{host}/api/v1/statuses/{id}/context"),
    }
}

/// `ORIGIN/t/ID/posts.json?post_ids[]=A&post_ids[]=B…` for one chunk of ids; `origin` is
/// the plan's `origin` (`https://HOST`).
#[must_use]
pub fn discourse_posts_url(origin: &str, topic_id: u64, ids: &[i64]) -> String {
    let mut url = format!("{origin}/t/{topic_id}/posts.json?");
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            url.push('&');
        }
        url.push_str("post_ids%5B%5D=");
        url.push_str(&id.to_string());
    }
    url
}

/// One page (from 1) of a Lemmy post's comments, oldest first, 50 a page; `origin` is the
/// plan's `origin` (`https://HOST`).
#[must_use]
pub fn lemmy_comments_url(origin: &str, post_id: u64, page: u32) -> String {
    format!(
        "{origin}/api/v3/comment/list?post_id={post_id}&sort=Old&type_=All&limit=50&max_depth=10000&page={page}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_source_url_has_its_plan() {
        assert_eq!(
            plan(
                "https://lore.kernel.org/linux-mm/20240101.123-1-a@b.org/",
                None
            ),
            Some(SourcePlan::PublicInbox {
                mbox_gz: "https://lore.kernel.org/linux-mm/20240101.123-1-a@b.org/t.mbox.gz".into(),
                archive: "https://lore.kernel.org/linux-mm/".into(),
            })
        );
        assert_eq!(
            plan("https://meta.example.org/t/some-topic/1234/5?u=x", None),
            Some(SourcePlan::Discourse {
                topic_json: "https://meta.example.org/t/1234.json".into(),
                origin: "https://meta.example.org".into(),
                topic_id: 1234,
            })
        );
        assert!(matches!(
            plan("https://lemmy.example.org/post/42", None),
            Some(SourcePlan::Lemmy { post_id: 42, .. })
        ));
        assert_eq!(
            plan("https://social.example.org/@alice/1001", None),
            Some(SourcePlan::Mastodon {
                status_json: "https://social.example.org/api/v1/statuses/1001".into(),
                context_json: "https://social.example.org/api/v1/statuses/1001/context".into(),
            })
        );
        assert_eq!(
            plan(
                "https://bsky.app/profile/alice.example.org/post/3kroot",
                Some("http://127.0.0.1:9/")
            ),
            Some(SourcePlan::Bluesky {
                thread_json: "http://127.0.0.1:9/xrpc/app.bsky.feed.getPostThread?uri=at://alice.example.org/app.bsky.feed.post/3kroot&depth=1000".into(),
            })
        );
    }

    #[test]
    fn other_urls_have_none() {
        for url in [
            "https://example.org/",
            "https://example.org/t/not-a-number",
            "https://example.org/@alice",
            "ftp://example.org/t/x/1",
            "https://exa mple.org/t/x/1",
            "https://news.ycombinator.com/item?id=1",
            "https://lemmy.example.org/u/alice@other.example.org",
            "https://bsky.app/profile/a&depth=1/post/3k",
        ] {
            assert_eq!(plan(url, None), None, "{url}");
        }
    }

    #[test]
    fn chunk_and_page_urls() {
        assert_eq!(
            discourse_posts_url("https://f.example.org", 7, &[505, 507]),
            "https://f.example.org/t/7/posts.json?post_ids%5B%5D=505&post_ids%5B%5D=507"
        );
        assert!(lemmy_comments_url("https://l.example.org", 42, 2).ends_with("&page=2"));
    }
}
