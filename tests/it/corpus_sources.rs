//! Real mailing-list and Discourse exports (`THREADR_CORPUS`, see `tests/it/corpus.rs`), each
//! checked against a reading done here independently of threadr: mail headers split and
//! unfolded by hand, Discourse fields read with `serde_json`.

use crate::common;
use common::corpus::{corpus, read};

use std::collections::HashMap;

use threadr::format::load;
use threadr::model::Thread;

/// The parent id of each comment, by its id (`None`: top level), and the article's key.
fn tree_of(t: &Thread) -> HashMap<String, Option<String>> {
    t.comments
        .iter()
        .map(|c| {
            (
                c.id.to_string(),
                c.parent.map(|p| t.comment(p).id.to_string()),
            )
        })
        .collect()
}

/// One message's threading headers, read by hand: unfolded, `<…>` ids.
struct Hand {
    id: String,
    in_reply_to: Option<String>,
    references: Vec<String>,
    from: String,
}

fn ids(value: &str) -> Vec<String> {
    value
        .split('<')
        .skip(1)
        .filter_map(|s| s.split_once('>').map(|(id, _)| id.trim().to_string()))
        .collect()
}

fn hand_read_mbox(text: &str) -> Vec<Hand> {
    let mut out = Vec::new();
    for chunk in text.split("\nFrom ") {
        let headers_end = chunk.find("\n\n").unwrap_or(chunk.len());
        let mut unfolded: Vec<String> = Vec::new();
        for line in chunk[..headers_end].lines().skip(1) {
            if line.starts_with([' ', '\t']) {
                if let Some(last) = unfolded.last_mut() {
                    last.push(' ');
                    last.push_str(line.trim());
                }
            } else {
                unfolded.push(line.to_string());
            }
        }
        let get = |name: &str| {
            unfolded.iter().find_map(|l| {
                let (n, v) = l.split_once(':')?;
                n.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
            })
        };
        out.push(Hand {
            id: ids(&get("Message-ID").unwrap_or_default()).remove(0),
            in_reply_to: get("In-Reply-To").and_then(|v| ids(&v).into_iter().next()),
            references: get("References").map(|v| ids(&v)).unwrap_or_default(),
            from: get("From").unwrap_or_default(),
        });
    }
    out
}

#[test]
fn mbox_threads_by_their_own_headers() {
    let Some(dir) = corpus() else { return };
    for file in [
        "mbox/b4_trailers-thread-with-followups.mbox",
        "mbox/perceval_mbox_complex.mbox",
    ] {
        let bytes = read(&dir, file);
        let hand = hand_read_mbox(&String::from_utf8_lossy(&bytes));
        let t = load(&bytes, file, None).unwrap_or_else(|e| panic!("{e}"));
        let known: HashMap<&str, usize> = hand
            .iter()
            .enumerate()
            .map(|(i, h)| (h.id.as_str(), i))
            .collect();
        // The expected parent: In-Reply-To if it is in the file, else the last known
        // reference.
        let parent: Vec<Option<usize>> = hand
            .iter()
            .map(|h| {
                h.in_reply_to
                    .iter()
                    .chain(h.references.iter().rev())
                    .find_map(|id| known.get(id.as_str()).copied())
            })
            .collect();
        let roots: Vec<usize> = (0..hand.len()).filter(|i| parent[*i].is_none()).collect();
        let tree = tree_of(&t);
        if roots.len() == 1 {
            let root = &hand[roots[0]];
            assert_eq!(t.key, format!("mail:{}", root.id), "{file}: key");
            assert_eq!(t.len(), hand.len() - 1, "{file}: comments");
            assert!(root.from.contains(t.author.as_deref().unwrap()), "{file}");
            for (i, h) in hand.iter().enumerate() {
                let Some(p) = parent[i] else { continue };
                let expect = (p != roots[0]).then(|| hand[p].id.clone());
                assert_eq!(tree.get(&h.id), Some(&expect), "{file}: parent of {}", h.id);
            }
        } else {
            assert_eq!(t.len(), hand.len(), "{file}: comments");
            assert_eq!(t.roots.len(), roots.len(), "{file}: top level");
            for (i, h) in hand.iter().enumerate() {
                let expect = parent[i].map(|p| hand[p].id.clone());
                assert_eq!(tree.get(&h.id), Some(&expect), "{file}: parent of {}", h.id);
            }
        }
        for c in &t.comments {
            assert!(c.author.is_some(), "{file}: author of {}", c.id);
            assert!(c.created.is_some(), "{file}: date of {}", c.id);
            assert!(!c.body.is_empty(), "{file}: body of {}", c.id);
        }
    }
}

#[test]
fn mbox_patches_are_code_and_encoded_words_decoded() {
    let Some(dir) = corpus() else { return };
    let file = "mbox/b4_trailers-thread-with-followups.mbox";
    let t = load(&read(&dir, file), file, None).unwrap();
    let patches =
        t.comments
            .iter()
            .filter(|c| {
                c.body.blocks.iter().any(|b| {
                    b.kind == threadr::model::BlockKind::Code && b.text.contains("diff --git")
                })
            })
            .count();
    let raw = String::from_utf8_lossy(&read(&dir, file))
        .matches("\ndiff --git")
        .count();
    assert!(raw > 0);
    assert_eq!(patches, 4, "{file}: one code block per patch mail");
    let file = "mbox/perceval_mbox_complex.mbox";
    let t = load(&read(&dir, file), file, None).unwrap();
    // `Danilo =?utf-8?Q?=C5=A0egan?=` in a comment-form address.
    assert!(
        t.comments
            .iter()
            .any(|c| c.author.as_deref().is_some_and(|a| a.contains('Š'))
                || c.author.as_deref() == Some("danilo@gnome.org")),
        "{:?}",
        t.comments
            .iter()
            .map(|c| c.author.clone())
            .collect::<Vec<_>>()
    );
}

#[test]
fn discourse_topics_nest_by_reply_to_post_number() {
    let Some(dir) = corpus() else { return };
    for file in [
        "discourse/perceval_discourse_topic_1148.json",
        "discourse/discourse_api_topic.json",
    ] {
        let bytes = read(&dir, file);
        let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        let posts = v["post_stream"]["posts"].as_array().unwrap();
        let stream = v["post_stream"]["stream"].as_array().map_or(0, Vec::len);
        let t = load(&bytes, file, None).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(t.len(), posts.len() - 1, "{file}: post 1 is the article");
        assert_eq!(t.title.as_deref(), v["title"].as_str(), "{file}: title");
        assert_eq!(t.author.as_deref(), posts[0]["username"].as_str());
        assert_eq!(
            t.more as usize,
            stream.saturating_sub(posts.len()),
            "{file}: posts not saved"
        );
        let by_number: HashMap<i64, String> = posts
            .iter()
            .map(|p| (p["post_number"].as_i64().unwrap(), p["id"].to_string()))
            .collect();
        let tree = tree_of(&t);
        for p in &posts[1..] {
            let expect = p["reply_to_post_number"]
                .as_i64()
                .filter(|n| *n != 1)
                .and_then(|n| by_number.get(&n).cloned());
            assert_eq!(
                tree.get(&p["id"].to_string()),
                Some(&expect),
                "{file}: {p:#}"
            );
        }
        let top = posts[1..]
            .iter()
            .filter(|p| p["reply_to_post_number"].as_i64().is_none_or(|n| n == 1))
            .count();
        assert_eq!(t.roots.len(), top, "{file}: top level");
        for c in &t.comments {
            let text = c.body.plain_text();
            assert!(
                !text.contains("<p>") && !text.contains("&amp;"),
                "{file}: {text}"
            );
        }
    }
}
