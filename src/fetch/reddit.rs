//! Reddit: the comments page, then its `more` stubs expanded within the request budget.
//!
//! The page is flattened into one list of things in document order (each naming its
//! `parent_id`), expansions are spliced in where their stub was, and the list is nested back
//! into the page shape for the Reddit file reader, so a fetched thread reads exactly like a
//! saved one. Stubs not expanded stay, and the reader counts them as `[N more not saved]`.
//! Loops and explicit stacks only; what the site sends is never trusted to be a tree.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::http::{Client, Control};
use super::{FetchError, Progress};
use crate::format::InputFormat;
use crate::model::Thread;

/// Ids per `morechildren` request (the API's limit).
const IDS_PER_REQUEST: usize = 100;

/// How often a partial thread is handed to the reader while expanding.
const PARTIAL_EVERY: Duration = Duration::from_secs(1);

/// One comment or stub, its `replies` taken out.
struct Item {
    name: String,
    parent: String,
    thing: Value,
}

impl Item {
    fn is_more(&self) -> bool {
        self.thing.get("kind").and_then(Value::as_str) == Some("more")
    }
}

/// The children of a Listing (`{"kind":"Listing","data":{"children":[...]}}`), else none.
fn listing_children(listing: &mut Value) -> Vec<Value> {
    match listing.pointer_mut("/data/children").map(Value::take) {
        Some(Value::Array(items)) => items,
        _ => Vec::new(),
    }
}

/// Flattens things (and their nested replies) into `out` in document order.
fn flatten(things: Vec<Value>, out: &mut Vec<Item>) {
    // Pre-order with a stack of iterators: always take from the innermost.
    let mut stack: Vec<std::vec::IntoIter<Value>> = vec![things.into_iter()];
    while let Some(top) = stack.last_mut() {
        let Some(mut thing) = top.next() else {
            stack.pop();
            continue;
        };
        let kind = thing
            .get("kind")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let Some(data) = thing.get_mut("data") else {
            continue;
        };
        let id = data
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let parent = data
            .get("parent_id")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let replies = data.get_mut("replies").map(Value::take);
        let name = match kind.as_str() {
            "t1" => format!("t1_{id}"),
            "more" => format!("more_{id}_{parent}"),
            _ => continue,
        };
        out.push(Item {
            name,
            parent,
            thing,
        });
        if let Some(mut replies) = replies {
            let kids = listing_children(&mut replies);
            if !kids.is_empty() {
                stack.push(kids.into_iter());
            }
        }
    }
}

/// Nests the flat list back under the post: each thing into its parent's `replies`.
/// Things whose parent is missing become top-level rather than being dropped.
fn nest(items: Vec<Item>, post_name: &str) -> Vec<Value> {
    let names: HashSet<&str> = items.iter().map(|i| i.name.as_str()).collect();
    let orphan: Vec<bool> = items
        .iter()
        .map(|i| i.parent != post_name && !names.contains(i.parent.as_str()))
        .collect();
    drop(names);
    let mut kids: HashMap<String, Vec<Value>> = HashMap::new();
    let mut roots_rev = Vec::new();
    for (item, orphan) in items.into_iter().zip(orphan).rev() {
        let mut thing = item.thing;
        if let Some(mut children) = kids.remove(&item.name) {
            children.reverse();
            if let Some(data) = thing.get_mut("data") {
                data["replies"] = json!({"kind": "Listing", "data": {"children": children}});
            }
        }
        if item.parent == post_name || orphan {
            roots_rev.push(thing);
        } else {
            kids.entry(item.parent).or_default().push(thing);
        }
    }
    roots_rev.reverse();
    roots_rev
}

/// The thread page: the post listing and the flattened comments.
struct Page {
    post: Value,
    items: Vec<Item>,
}

fn parse_page(body: &[u8], url: &str) -> Result<Page, FetchError> {
    let not = |why: &str| FetchError::NotAThread {
        url: url.to_string(),
        message: why.to_string(),
    };
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| not(&format!("expected Reddit's comments page JSON: {e}")))?;
    let Value::Array(mut parts) = value else {
        return Err(not(
            "expected Reddit's comments page JSON: an array of two Listings",
        ));
    };
    if parts.len() != 2 {
        return Err(not(
            "expected Reddit's comments page JSON: an array of two Listings",
        ));
    }
    let mut comments = parts.pop().unwrap_or(Value::Null);
    let post = parts.pop().unwrap_or(Value::Null);
    let mut items = Vec::new();
    flatten(listing_children(&mut comments), &mut items);
    Ok(Page { post, items })
}

/// Builds the page JSON again and reads it with the Reddit file reader.
fn to_thread(
    post: &Value,
    items: &[Item],
    post_name: &str,
    url: &str,
) -> Result<Thread, FetchError> {
    let copy: Vec<Item> = items
        .iter()
        .map(|i| Item {
            name: i.name.clone(),
            parent: i.parent.clone(),
            thing: i.thing.clone(),
        })
        .collect();
    let page = json!([post, {"kind": "Listing", "data": {"children": nest(copy, post_name)}}]);
    let text = serde_json::to_vec(&page).map_err(|e| FetchError::Other {
        url: url.to_string(),
        message: e.to_string(),
    })?;
    super::read(&text, url, Some(InputFormat::Reddit))
}

/// The ids a stub still lists.
fn stub_children(item: &Item) -> Vec<String> {
    item.thing
        .pointer("/data/children")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// Fetches post `id` and expands its stubs. Returns the thread, the page URL, requests made.
pub fn fetch(
    id: &str,
    client: &Client,
    ctl: &mut Control<'_>,
) -> Result<(Thread, String, u32), FetchError> {
    let settings = client.settings();
    let base = settings.reddit_api.trim_end_matches('/').to_string();
    let url = format!("{base}/comments/{id}.json?raw_json=1&limit=500");
    let budget = settings.more_requests;
    let response = client.get(&url, Some(budget), ctl)?;
    let Page { post, mut items } = parse_page(&response.body, &url)?;
    let post_name = format!("t3_{id}");
    let mut requests = 1;
    let mut warnings = Vec::new();
    let mut names: HashSet<String> = items.iter().map(|i| i.name.clone()).collect();
    let mut last_partial: Option<Instant> = None;
    // Stubs that cannot be expanded further (failed, or nothing came back) are skipped.
    let mut skip: HashSet<String> = HashSet::new();
    while requests <= budget {
        let Some(k) = items
            .iter()
            .position(|i| i.is_more() && !skip.contains(&i.name))
        else {
            break;
        };
        if last_partial.is_none_or(|t| t.elapsed() >= PARTIAL_EVERY) {
            if let Ok(t) = to_thread(&post, &items, &post_name, &url) {
                (ctl.progress)(Progress::Partial(Box::new(t)));
            }
            last_partial = Some(Instant::now());
        }
        let left = Some(budget - requests);
        let stub_name = items[k].name.clone();
        let ids = stub_children(&items[k]);
        let (request, consumed) = if ids.is_empty() {
            // "Continue this thread": the parent comment's own page.
            let Some(parent) = items[k].parent.strip_prefix("t1_").map(str::to_string) else {
                skip.insert(stub_name);
                continue;
            };
            (
                format!("{base}/comments/{id}/_/{parent}.json?raw_json=1&limit=500"),
                Vec::new(),
            )
        } else {
            let take: Vec<String> = ids.iter().take(IDS_PER_REQUEST).cloned().collect();
            (
                format!(
                    "{base}/api/morechildren.json?api_type=json&raw_json=1&limit_children=false&link_id=t3_{id}&children={}",
                    take.join(",")
                ),
                take,
            )
        };
        requests += 1;
        let fetched = match client.get(&request, left, ctl) {
            Ok(r) => r,
            Err(e @ FetchError::Cancelled { .. }) => return Err(e),
            Err(e) => {
                warnings.push(format!("some replies were not expanded: {e}"));
                break;
            }
        };
        let mut new_items = Vec::new();
        if consumed.is_empty() {
            if let Ok(page) = parse_page(&fetched.body, &request) {
                new_items = page.items;
            }
        } else if let Ok(mut v) = serde_json::from_slice::<Value>(&fetched.body) {
            let things = match v.pointer_mut("/json/data/things").map(Value::take) {
                Some(Value::Array(t)) => t,
                _ => Vec::new(),
            };
            flatten(things, &mut new_items);
        }
        new_items.retain(|i| !names.contains(&i.name));
        let got = new_items.len();
        names.extend(new_items.iter().map(|i| i.name.clone()));
        // Splice: the new things go where the stub was; the stub keeps what is left.
        let rest: Vec<String> = ids.into_iter().skip(consumed.len()).collect();
        let stub_done = consumed.is_empty() || rest.is_empty();
        if stub_done {
            items.remove(k);
        } else if let Some(data) = items[k].thing.get_mut("data") {
            data["count"] = json!(rest.len());
            data["children"] = json!(rest);
        }
        if got == 0 && !stub_done {
            skip.insert(stub_name);
        }
        items.splice(k..k, new_items);
    }
    let mut thread = to_thread(&post, &items, &post_name, &url)?;
    let left = items.iter().filter(|i| i.is_more()).count();
    if left > 0 && requests > budget {
        thread.warnings.push(format!(
            "{left} `more` stub(s) left unexpanded: the budget of {budget} requests ([fetch] more_requests) is spent"
        ));
    }
    thread.warnings.append(&mut warnings);
    Ok((thread, url, requests))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t1(id: &str, parent: &str, replies: &Value) -> Value {
        json!({"kind": "t1", "data": {"id": id, "parent_id": parent, "body": id, "author": "a", "replies": replies}})
    }

    #[test]
    fn flatten_then_nest_keeps_the_tree() {
        let tree = vec![
            t1(
                "a",
                "t3_p",
                &json!({"kind": "Listing", "data": {"children": [
                    t1("b", "t1_a", &json!("")),
                    t1("c", "t1_a", &json!({"kind": "Listing", "data": {"children": [t1("d", "t1_c", &json!(""))]}})),
                ]}}),
            ),
            t1("e", "t3_p", &json!("")),
        ];
        let mut items = Vec::new();
        flatten(tree, &mut items);
        let names: Vec<&str> = items.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names, ["t1_a", "t1_b", "t1_c", "t1_d", "t1_e"]);
        // An orphan (parent unknown) is kept at the top.
        items.push(Item {
            name: "t1_z".into(),
            parent: "t1_gone".into(),
            thing: t1("z", "t1_gone", &json!("")),
        });
        let roots = nest(items, "t3_p");
        let ids: Vec<&str> = roots
            .iter()
            .map(|r| r["data"]["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["a", "e", "z"]);
        let a_kids = roots[0]["data"]["replies"]["data"]["children"]
            .as_array()
            .unwrap();
        assert_eq!(a_kids.len(), 2);
        assert_eq!(
            a_kids[1]["data"]["replies"]["data"]["children"][0]["data"]["id"],
            "d"
        );
    }
}
