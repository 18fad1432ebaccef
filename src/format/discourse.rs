//! Discourse topics: the topic JSON (`/t/ID.json`) and `/t/ID/posts.json`.
//!
//! Fields read: `post_stream.posts[]` with `id`, `post_number`, `reply_to_post_number`,
//! `username`/`name`, `created_at`, `cooked` (HTML, through [`crate::format::html`]),
//! `like_count` (else the like entry, id 2, of `actions_summary`) as score, `deleted_at`,
//! `user_deleted` and `hidden`; `post_stream.stream` for the ids of posts the file does
//! not hold (counted as `[N more not saved]`); the topic's `id`, `title`, `slug`.
//!
//! Post 1 is the article. A reply to post 1, or to a post not in the file, is top level;
//! other replies nest under the post their `reply_to_post_number` names. Posts are laid
//! out by `post_number`, so a parent always precedes its replies. Ids are the posts' own
//! ids; the thread key is `discourse:<host>/<topic id>` when the host is known (given by
//! the URL layer, or read from an avatar path `/user_avatar/<host>/`).
//!
//! For a topic read from its URL, [`missing_post_ids`] names the posts to fetch through
//! `/t/ID/posts.json?post_ids[]=…` in chunks of [`CHUNK`], and [`from_pages`] reads the
//! topic and those answers as one thread. No IO.

use std::collections::{HashMap, HashSet};

use crate::format::FormatError;
use crate::format::html;
use crate::format::json::{string, text_time};
use crate::format::jsontree::{self, Node};
use crate::model::{Block, CommentDraft, Thread, ThreadBuilder};

/// Post ids per `posts.json?post_ids[]=` request (Discourse's own `chunk_size`).
pub const CHUNK: usize = 20;

/// True when a parsed document is a Discourse topic or posts page.
#[must_use]
pub fn detect(root: &Node) -> bool {
    root.get("post_stream").is_some_and(|s| {
        s.get("posts")
            .and_then(Node::as_array)
            .is_some_and(|p| p.first().is_none_or(|p| p.has("post_number")))
    })
}

/// Reads a topic JSON (or posts.json) held in `bytes`, from `host` when known.
///
/// # Errors
/// When it is not JSON or not a Discourse topic.
pub fn from_topic_json(
    bytes: &[u8],
    source: &str,
    host: Option<&str>,
) -> Result<Thread, FormatError> {
    from_pages(&[bytes], source, host)
}

/// The ids in `post_stream.stream` of a topic JSON that its `posts` do not include: what
/// the URL layer fetches next, in chunks of [`CHUNK`].
///
/// # Errors
/// When it is not a Discourse topic.
pub fn missing_post_ids(bytes: &[u8], source: &str) -> Result<Vec<i64>, FormatError> {
    let root = parse_page(bytes, source)?;
    let stream = root.get("post_stream");
    let have: HashSet<i64> = stream
        .and_then(|s| s.get("posts"))
        .and_then(Node::as_array)
        .unwrap_or_default()
        .iter()
        .filter_map(|p| p.get("id").and_then(Node::int))
        .collect();
    Ok(stream
        .and_then(|s| s.get("stream"))
        .and_then(Node::as_array)
        .unwrap_or_default()
        .iter()
        .filter_map(Node::int)
        .filter(|id| !have.contains(id))
        .collect())
}

fn parse_page(bytes: &[u8], source: &str) -> Result<Node, FormatError> {
    let mut warnings = Vec::new();
    let text = crate::format::decode(bytes, &mut warnings);
    let root = jsontree::parse(&text, source, &mut warnings)?;
    if !detect(&root) {
        return Err(not_a_topic(source, &root));
    }
    Ok(root)
}

fn not_a_topic(source: &str, root: &Node) -> FormatError {
    FormatError::new(
        source,
        Some("post_stream".into()),
        format!(
            "expected a Discourse topic: an object with \"post_stream\": {{\"posts\": [...]}} \
             whose posts have \"post_number\"; found {}",
            root.describe()
        ),
    )
}

/// Reads a topic JSON followed by any number of posts.json answers as one thread; a post
/// that comes twice is read once.
///
/// # Errors
/// When the first page is not a Discourse topic.
pub fn from_pages(
    pages: &[&[u8]],
    source: &str,
    host: Option<&str>,
) -> Result<Thread, FormatError> {
    let mut warnings = Vec::new();
    let mut roots = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        let text = crate::format::decode(page, &mut warnings);
        let root = jsontree::parse(&text, source, &mut warnings)?;
        if i > 0 && !detect(&root) {
            return Err(not_a_topic(&format!("{source} (page {})", i + 1), &root));
        }
        roots.push(root);
    }
    let mut roots = roots.into_iter();
    let Some(first) = roots.next() else {
        return Err(FormatError::new(source, None, "no Discourse page to read"));
    };
    read(first, roots.collect(), source, host, warnings)
}

/// Builds a thread from a parsed topic (the JSON dispatcher's entry point).
///
/// # Errors
/// When the document is not a Discourse topic.
pub fn from_node(root: Node, source: &str, warnings: Vec<String>) -> Result<Thread, FormatError> {
    read(root, Vec::new(), source, None, warnings)
}

fn likes(p: &Node) -> Option<i64> {
    p.get("like_count").and_then(Node::int).or_else(|| {
        p.get("actions_summary")?
            .as_array()?
            .iter()
            .find(|a| a.get("id").and_then(Node::int) == Some(2))?
            .get("count")
            .and_then(Node::int)
    })
}

/// The forum's host from an avatar path (`/user_avatar/<host>/name/{size}/1.png`).
fn host_from_avatar(posts: &[Node]) -> Option<String> {
    posts.iter().find_map(|p| {
        let t = p.get("avatar_template")?.as_str()?;
        let rest = t.strip_prefix("/user_avatar/")?;
        let host = rest.split('/').next()?;
        (host.contains('.')
            && host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-.:".contains(&b)))
        .then(|| host.to_string())
    })
}

fn read(
    mut root: Node,
    extra: Vec<Node>,
    source: &str,
    host: Option<&str>,
    warnings: Vec<String>,
) -> Result<Thread, FormatError> {
    if !detect(&root) {
        return Err(not_a_topic(source, &root));
    }
    let mut stream_node = root.take("post_stream").unwrap_or_default();
    let stream_len = stream_node
        .get("stream")
        .and_then(Node::as_array)
        .map(<[Node]>::len);
    let mut posts = stream_node
        .take("posts")
        .and_then(|mut p| p.take_items())
        .unwrap_or_default();
    for mut page in extra {
        if let Some(more) = page
            .take("post_stream")
            .and_then(|mut s| s.take("posts"))
            .and_then(|mut p| p.take_items())
        {
            posts.extend(more);
        }
    }
    // Once per post id, then in post_number order.
    let mut seen = HashSet::new();
    posts.retain(|p| {
        p.as_object().is_some()
            && p.get("id")
                .and_then(Node::int)
                .is_none_or(|id| seen.insert(id))
    });
    posts.sort_by_key(|p| p.get("post_number").and_then(Node::int).unwrap_or(i64::MAX));

    let host = host
        .map(str::to_string)
        .or_else(|| host_from_avatar(&posts));
    let topic_id =
        string(root.get("id")).or_else(|| posts.first().and_then(|p| string(p.get("topic_id"))));
    let slug = string(root.get("slug"))
        .or_else(|| posts.first().and_then(|p| string(p.get("topic_slug"))));
    let permalink = |number: Option<i64>| -> Option<String> {
        let (host, id) = (host.as_deref()?, topic_id.as_deref()?);
        let slug = slug.as_deref().unwrap_or("-");
        Some(match number {
            Some(n) if n > 1 => format!("https://{host}/t/{slug}/{id}/{n}"),
            _ => format!("https://{host}/t/{slug}/{id}"),
        })
    };

    let mut b = ThreadBuilder::new();
    b.warnings = warnings;
    b.title = string(root.get("title")).or_else(|| string(root.get("fancy_title")));
    b.source_key = topic_id.as_ref().map(|id| match &host {
        Some(h) => format!("discourse:{h}/{id}"),
        None => format!("discourse:{id}"),
    });
    b.url = permalink(None);
    if let Some(n) = stream_len {
        let missing = n.saturating_sub(posts.len());
        b.more = u32::try_from(missing).unwrap_or(u32::MAX);
    }

    let mut by_number: HashMap<i64, usize> = HashMap::new();
    let mut orphans = 0usize;
    for p in &posts {
        let number = p.get("post_number").and_then(Node::int);
        let author = string(p.get("username")).or_else(|| string(p.get("name")));
        let deleted = p
            .get("deleted_at")
            .is_some_and(|d| !matches!(d, Node::Null))
            || p.get("user_deleted").is_some_and(Node::truthy);
        let hidden = p.get("hidden").is_some_and(Node::truthy);
        let mut body = html::to_body(p.get("cooked").and_then(Node::as_str).unwrap_or(""), false);
        if hidden {
            body.blocks
                .insert(0, Block::paragraph("[hidden by the community]"));
        }
        if number == Some(1) && b.author.is_none() && b.body.is_empty() {
            b.author = author;
            b.created = text_time(p.get("created_at"));
            b.score = likes(p);
            b.body = body;
            continue;
        }
        let reply_to = p.get("reply_to_post_number").and_then(Node::int);
        let parent = match reply_to {
            None | Some(1) => None,
            Some(n) => {
                let found = by_number.get(&n).copied();
                if found.is_none() {
                    orphans += 1;
                }
                found
            }
        };
        let draft = CommentDraft {
            source_id: string(p.get("id")),
            author,
            created: text_time(p.get("created_at")),
            score: likes(p),
            body,
            deleted: deleted || hidden,
            more: 0,
            url: permalink(number),
        };
        let handle = b.push(parent, draft);
        if let Some(n) = number {
            by_number.entry(n).or_insert(handle);
        }
    }
    if orphans > 0 {
        b.warnings.push(format!(
            "{orphans} post(s) reply to a post that is not in the file; shown at the top level"
        ));
    }
    Ok(b.finish())
}
