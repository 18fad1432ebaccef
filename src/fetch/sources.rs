//! The mail and forum sources by URL: public-inbox threads, Discourse topics, Lemmy posts,
//! Mastodon statuses and Bluesky posts, each fetched through the requests its
//! [`SourcePlan`] names and read by its reader in `crate::format`.
//!
//! Owns: the order of the requests, the request budget for the ones that follow the first
//! (`[fetch] more_requests`, shared with Reddit's expansions), what a later request that
//! fails leaves behind (a warning and the posts it would have brought counted as not
//! saved, never a lost thread), and when a URL that has a source's shape turns out not to
//! be that source ([`not_this_source`]). Must not: parse bodies itself (the readers do),
//! touch the disk or the terminal.

use std::collections::HashSet;

use super::{Client, Control, FetchError, Fetched, Progress};
use crate::format::source_urls::{self, SourcePlan};
use crate::format::{InputFormat, discourse, lemmy, mail, mastodon};
use crate::model::Thread;

/// The plan for `url` with the configured Bluesky `AppView`.
#[must_use]
pub fn plan_for(url: &str, client: &Client) -> Option<SourcePlan> {
    source_urls::plan(url, Some(&client.settings().bluesky_api))
}

/// True when the first request of a plan says the site is not that source (a 4xx answer
/// other than 429, or an answer that is not the source's shape): the URL is then fetched
/// as a page like any other.
#[must_use]
pub fn not_this_source(e: &FetchError) -> bool {
    match e {
        FetchError::Status { status, .. } => (400..500).contains(status) && *status != 429,
        FetchError::NotAThread { .. } => true,
        _ => false,
    }
}

/// Fetches the thread `plan` names (made from `url`, which is what the user gave).
///
/// # Errors
/// The first request failed, or its answer is not the source's shape; a cancel at any time.
pub fn fetch(
    url: &str,
    plan: &SourcePlan,
    client: &Client,
    ctl: &mut Control<'_>,
) -> Result<Fetched, FetchError> {
    match plan {
        SourcePlan::PublicInbox { mbox_gz, archive } => {
            let response = client.get(mbox_gz, None, ctl)?;
            let bytes = super::unpack(response.body, mbox_gz, client)?;
            let thread = mail::parse_mbox(&bytes, mbox_gz, Some(archive))
                .map_err(|e| not_a_thread(mbox_gz, &e))?;
            Ok(fetched(thread, mbox_gz, 1))
        }
        SourcePlan::Discourse {
            topic_json,
            origin,
            topic_id,
        } => fetch_discourse(topic_json, origin, *topic_id, client, ctl),
        SourcePlan::Lemmy {
            post_json,
            origin,
            post_id,
        } => fetch_lemmy(post_json, origin, *post_id, client, ctl),
        SourcePlan::Mastodon {
            status_json,
            context_json,
        } => {
            let status = client.get(status_json, Some(1), ctl)?;
            let mut warnings = Vec::new();
            let context = match client.get(context_json, Some(0), ctl) {
                Ok(r) => r.body,
                Err(e @ FetchError::Cancelled { .. }) => return Err(e),
                Err(e) => {
                    warnings.push(format!("the replies could not be fetched: {e}"));
                    br#"{"ancestors": [], "descendants": []}"#.to_vec()
                }
            };
            let mut thread = mastodon::from_parts(&status.body, &context, status_json)
                .map_err(|e| not_a_thread(status_json, &e))?;
            thread.warnings.extend(warnings);
            Ok(fetched(thread, status_json, 2))
        }
        SourcePlan::Bluesky { thread_json } => {
            let response = client.get(thread_json, None, ctl)?;
            let thread = super::read(&response.body, thread_json, Some(InputFormat::Bluesky))?;
            Ok(fetched(thread, thread_json, 1))
        }
    }
    .map(|mut f| {
        // The URL given is what a person recognises; the API URL stays in `source`.
        if f.thread.url.is_none() {
            f.thread.url = Some(url.to_string());
        }
        f
    })
}

fn fetched(thread: Thread, source: &str, requests: u32) -> Fetched {
    Fetched {
        thread,
        source: source.to_string(),
        focus: None,
        requests,
    }
}

fn not_a_thread(url: &str, e: &crate::format::FormatError) -> FetchError {
    FetchError::NotAThread {
        url: url.to_string(),
        message: match &e.location {
            Some(loc) => format!("{loc}: {}", e.message),
            None => e.message.clone(),
        },
    }
}

/// The host (with port) of `scheme://host`.
fn host_of(origin: &str) -> &str {
    origin.split_once("://").map_or(origin, |(_, h)| h)
}

/// The topic, then the posts its stream names but it does not hold, [`discourse::CHUNK`]
/// ids a request, at most `more_requests` requests. Ids the stream repeats are asked once.
fn fetch_discourse(
    topic_json: &str,
    origin: &str,
    topic_id: u64,
    client: &Client,
    ctl: &mut Control<'_>,
) -> Result<Fetched, FetchError> {
    let budget = client.settings().more_requests;
    let topic = client.get(topic_json, Some(budget), ctl)?.body;
    let host = Some(host_of(origin));
    let mut seen = HashSet::new();
    let missing: Vec<i64> = discourse::missing_post_ids(&topic, topic_json)
        .map_err(|e| not_a_thread(topic_json, &e))?
        .into_iter()
        .filter(|id| seen.insert(*id))
        .collect();
    let chunks: Vec<&[i64]> = missing.chunks(discourse::CHUNK).collect();
    if !chunks.is_empty()
        && let Ok(t) = discourse::from_topic_json(&topic, topic_json, host)
    {
        (ctl.progress)(Progress::Partial(Box::new(t)));
    }
    let mut pages: Vec<Vec<u8>> = vec![topic];
    let mut warnings = Vec::new();
    let mut requests = 1;
    for (i, chunk) in chunks.iter().enumerate() {
        if requests > budget {
            warnings.push(format!(
                "{} posts were not fetched: the request budget ([fetch] more_requests = {budget}) ran out",
                missing.len() - i * discourse::CHUNK
            ));
            break;
        }
        let url = source_urls::discourse_posts_url(origin, topic_id, chunk);
        let left = budget.saturating_sub(requests);
        requests += 1;
        match client.get(&url, Some(left), ctl) {
            Ok(r) => pages.push(r.body),
            Err(e @ FetchError::Cancelled { .. }) => return Err(e),
            Err(e) => {
                warnings.push(format!("some posts were not fetched: {e}"));
                break;
            }
        }
    }
    let refs: Vec<&[u8]> = pages.iter().map(Vec::as_slice).collect();
    // A later page that is not a topic page is dropped with a warning, not the whole thread.
    let mut thread = match discourse::from_pages(&refs, topic_json, host) {
        Ok(t) => t,
        Err(e) => {
            warnings.push(format!("some posts were not read: {}", e.message));
            discourse::from_topic_json(refs[0], topic_json, host)
                .map_err(|e| not_a_thread(topic_json, &e))?
        }
    };
    thread.warnings.extend(warnings);
    Ok(fetched(thread, topic_json, requests))
}

/// The ids of the comments of one Lemmy comment-list page (`comments[].comment.id`), or
/// `None` when the page is not JSON of that shape.
fn lemmy_page_ids(body: &[u8]) -> Option<Vec<i64>> {
    #[derive(serde::Deserialize)]
    struct Page {
        comments: Vec<Item>,
    }
    #[derive(serde::Deserialize)]
    struct Item {
        comment: Comment,
    }
    #[derive(serde::Deserialize)]
    struct Comment {
        id: i64,
    }
    let page: Page = serde_json::from_slice(body).ok()?;
    Some(page.comments.into_iter().map(|c| c.comment.id).collect())
}

/// The post, then comment pages 1, 2, … until one is empty or brings no comment not seen
/// before (a server that repeats its last page must not loop), at most `more_requests`.
fn fetch_lemmy(
    post_json: &str,
    origin: &str,
    post_id: u64,
    client: &Client,
    ctl: &mut Control<'_>,
) -> Result<Fetched, FetchError> {
    let budget = client.settings().more_requests;
    let post = client.get(post_json, Some(budget), ctl)?.body;
    // The post alone must read as a Lemmy post, else this is not Lemmy.
    lemmy::from_pages(&post, &[], post_json).map_err(|e| not_a_thread(post_json, &e))?;
    let mut pages: Vec<Vec<u8>> = Vec::new();
    let mut seen = HashSet::new();
    let mut warnings = Vec::new();
    let mut requests = 1;
    let mut page = 1;
    loop {
        if requests > budget {
            warnings.push(format!(
                "more comments may exist: the request budget ([fetch] more_requests = {budget}) ran out after {} pages",
                page - 1
            ));
            break;
        }
        let url = source_urls::lemmy_comments_url(origin, post_id, page);
        let left = budget.saturating_sub(requests);
        requests += 1;
        let body = match client.get(&url, Some(left), ctl) {
            Ok(r) => r.body,
            Err(e @ FetchError::Cancelled { .. }) => return Err(e),
            Err(e) => {
                warnings.push(format!("some comments were not fetched: {e}"));
                break;
            }
        };
        let Some(ids) = lemmy_page_ids(&body) else {
            warnings.push(format!(
                "{}: not a Lemmy comment page; the comments after it were not fetched",
                crate::text::sanitize_line(&url)
            ));
            break;
        };
        let fresh = ids.into_iter().filter(|id| seen.insert(*id)).count();
        if fresh == 0 {
            break;
        }
        pages.push(body);
        page += 1;
    }
    let refs: Vec<&[u8]> = pages.iter().map(Vec::as_slice).collect();
    let mut thread =
        lemmy::from_pages(&post, &refs, post_json).map_err(|e| not_a_thread(post_json, &e))?;
    thread.warnings.extend(warnings);
    Ok(fetched(thread, post_json, requests))
}
