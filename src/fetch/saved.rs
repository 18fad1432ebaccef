//! Saved copies of fetched threads: `<data dir>/threads/`, next to the readers' folders.
//!
//! ```text
//! <data dir>/threads/               0700
//!   .lock                           0600, held around every write (as in `store`)
//!   <xxh3-64 of thread key>.json    0600, the thread as threadr/1 JSON (opens as a file)
//!   <xxh3-64 of thread key>.meta.json  0600, where and when it was fetched, for the library
//! ```
//!
//! The thread file is written first, then its meta file, each atomically (temp file, fsync,
//! rename) under the lock, so the library never lists a thread whose file is missing. Must
//! not: fetch, draw, or hold reading state (that stays per reader in `store`).

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::format::InputFormat;
use crate::model::Thread;
use crate::store::StoreError;
use crate::store::atomic::{self, LockGuard};
use crate::store::json::{Parsed, parse_versioned, to_safe_pretty};

/// The folder of saved threads inside the data folder.
pub const THREADS_DIR: &str = "threads";

/// Where and when a saved thread was fetched: the library's row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    /// File format version.
    pub version: u64,
    /// The thread key (`hn:1`, `reddit:abc`, a URL).
    pub key: String,
    /// What to fetch to refresh it: a site key or the URL.
    pub target: String,
    /// The API URL last fetched.
    pub source: String,
    /// The thread's page, when known.
    #[serde(default)]
    pub url: Option<String>,
    /// The article's title.
    #[serde(default)]
    pub title: Option<String>,
    /// Hacker News, Reddit, Lobsters, or the host.
    pub site: String,
    /// Comments in the saved copy.
    pub comments: usize,
    /// When it was last fetched (RFC 3339 UTC).
    pub fetched: String,
    /// The same, seconds since the epoch (for sorting).
    pub fetched_unix: i64,
    /// Comments kept although the source no longer has them.
    #[serde(default)]
    pub removed: Vec<String>,
    /// Other names it was opened by (an HN comment id's URL...), for offline lookups.
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// A saved thread read back.
#[derive(Debug)]
pub struct Saved {
    /// The thread.
    pub thread: Thread,
    /// Its meta.
    pub meta: Meta,
}

/// The folder of saved threads. Cheap to clone; `Send + Sync`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Library {
    dir: PathBuf,
    lock_timeout: Duration,
}

fn hash(key: &str) -> String {
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(key.as_bytes()))
}

impl Library {
    /// The library under `root` (the data folder), created (0700) if missing.
    pub fn open_in(root: &Path) -> Result<Self, StoreError> {
        let dir = root.join(THREADS_DIR);
        crate::store::paths::create_private_dir(&dir)?;
        Ok(Self {
            dir,
            lock_timeout: crate::store::DEFAULT_LOCK_TIMEOUT,
        })
    }

    /// The library in the data folder, created if missing.
    pub fn open() -> Result<Self, StoreError> {
        Self::open_in(&crate::store::data_dir()?)
    }

    /// The library in the data folder if its folder exists; creates nothing.
    #[must_use]
    pub fn existing() -> Option<Self> {
        let dir = crate::store::data_dir().ok()?.join(THREADS_DIR);
        dir.is_dir().then_some(Self {
            dir,
            lock_timeout: crate::store::DEFAULT_LOCK_TIMEOUT,
        })
    }

    /// The folder.
    #[must_use]
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The thread file of a key.
    #[must_use]
    pub fn thread_path(&self, key: &str) -> PathBuf {
        self.dir.join(format!("{}.json", hash(key)))
    }

    fn meta_path(&self, key: &str) -> PathBuf {
        self.dir.join(format!("{}.meta.json", hash(key)))
    }

    fn lock(&self) -> Result<LockGuard, StoreError> {
        LockGuard::acquire(&self.dir.join(atomic::LOCK_FILE), self.lock_timeout)
    }

    /// Saves a thread and its meta (thread first), atomically, under the lock.
    pub fn save(&self, thread: &Thread, meta: &Meta) -> Result<(), StoreError> {
        let mut bytes = Vec::new();
        crate::export::write(thread, crate::export::DumpFormat::Json, &mut bytes).map_err(
            |source| StoreError::Io {
                action: "cannot encode",
                path: self.thread_path(&meta.key),
                source,
            },
        )?;
        let lock = self.lock()?;
        atomic::write_atomic(&lock, &self.thread_path(&meta.key), &bytes)?;
        atomic::write_atomic(
            &lock,
            &self.meta_path(&meta.key),
            to_safe_pretty(meta).as_bytes(),
        )
    }

    /// Saves only the meta of a thread whose saved file already holds this very thread (a
    /// refresh that changed nothing): the library's "when fetched" moves on, and the thread
    /// file, the bulk of the bytes, is not encoded and rewritten for nothing.
    pub fn save_meta(&self, meta: &Meta) -> Result<(), StoreError> {
        let lock = self.lock()?;
        atomic::write_atomic(
            &lock,
            &self.meta_path(&meta.key),
            to_safe_pretty(meta).as_bytes(),
        )
    }

    /// The meta of a key, if saved and readable.
    #[must_use]
    pub fn meta(&self, key: &str) -> Option<Meta> {
        let bytes = atomic::read_if_exists(&self.meta_path(key)).ok()??;
        match parse_versioned::<Meta>(&bytes) {
            Parsed::Current(m) if m.key == key => Some(m),
            _ => None,
        }
    }

    /// The saved copy of a key.
    ///
    /// # Errors
    /// When the files exist but cannot be read as a thread.
    pub fn load(&self, key: &str) -> Result<Option<Saved>, String> {
        let Some(meta) = self.meta(key) else {
            return Ok(None);
        };
        let path = self.thread_path(key);
        let bytes = match atomic::read_if_exists(&path) {
            Ok(Some(b)) => b,
            Ok(None) => return Ok(None),
            Err(e) => return Err(e.to_string()),
        };
        let name = path.display().to_string();
        let mut thread = crate::format::load(&bytes, &name, Some(InputFormat::Threadr))
            .map_err(|e| e.to_string())?;
        thread.key.clone_from(&meta.key);
        Ok(Some(Saved { thread, meta }))
    }

    /// Finds the saved copy opened under `name` (a key, a URL or an alias).
    #[must_use]
    pub fn find(&self, name: &str) -> Option<Meta> {
        self.meta(name).or_else(|| {
            self.list()
                .0
                .into_iter()
                .find(|m| m.target == name || m.aliases.iter().any(|a| a == name))
        })
    }

    /// Every saved thread, most recently fetched first, with warnings for unreadable metas.
    #[must_use]
    pub fn list(&self) -> (Vec<Meta>, Vec<String>) {
        let mut metas = Vec::new();
        let mut warnings = Vec::new();
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return (metas, warnings);
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let is_meta = path
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.ends_with(".meta.json") && !n.starts_with('.'));
            if !is_meta {
                continue;
            }
            match atomic::read_if_exists(&path) {
                Ok(Some(bytes)) => match parse_versioned::<Meta>(&bytes) {
                    Parsed::Current(m) => metas.push(m),
                    Parsed::Newer { version, .. } => warnings.push(format!(
                        "{} is from a newer threadr (format {version}); not listed",
                        crate::store::shown(&path)
                    )),
                    Parsed::Corrupt(d) => warnings.push(format!(
                        "{} is not a valid library entry ({d}); not listed",
                        crate::store::shown(&path)
                    )),
                },
                Ok(None) => {}
                Err(e) => warnings.push(e.to_string()),
            }
        }
        metas.sort_by(|a, b| {
            b.fetched_unix
                .cmp(&a.fetched_unix)
                .then_with(|| a.key.cmp(&b.key))
        });
        (metas, warnings)
    }
}

/// The site name for the library: from the key's prefix (the forum or instance host for
/// Discourse, Lemmy and Mastodon keys), else the host of `source`, the URL it was fetched
/// from (a mailing-list archive, a page).
#[must_use]
pub fn site_of(key: &str, source: &str) -> String {
    let host_of = |url: &str| {
        super::http::check_url(url)
            .ok()
            .and_then(|t| t.uri.host().map(str::to_string))
    };
    let (prefix, rest) = key.split_once(':').unwrap_or(("", key));
    let instance = |kind: &str| match rest.rsplit_once('/') {
        Some((host, _)) if !host.is_empty() => format!("{kind} {host}"),
        _ => kind.to_string(),
    };
    match prefix {
        "hn" => "Hacker News".into(),
        "reddit" => "Reddit".into(),
        "lobsters" => "Lobsters".into(),
        "discourse" => instance("Discourse"),
        "lemmy" => instance("Lemmy"),
        "mastodon" => instance("Mastodon"),
        "bsky" => "Bluesky".into(),
        "mail" => host_of(source).map_or_else(|| "mail".into(), |h| format!("mail {h}")),
        _ => host_of(key)
            .or_else(|| host_of(source))
            .unwrap_or_else(|| "web".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(key: &str, at: i64) -> Meta {
        Meta {
            version: 1,
            key: key.into(),
            target: key.into(),
            source: format!("http://127.0.0.1/{key}"),
            url: None,
            title: Some(format!("t {key}")),
            site: site_of(key, ""),
            comments: 0,
            fetched: crate::model::Timestamp::Unix(at).to_rfc3339(),
            fetched_unix: at,
            removed: Vec::new(),
            aliases: vec![format!("alias-{key}")],
        }
    }

    #[test]
    fn site_names_the_forum_instance_or_archive() {
        let cases = [
            ("hn:1", "", "Hacker News"),
            (
                "discourse:forum.example.org/77",
                "",
                "Discourse forum.example.org",
            ),
            ("lemmy:lemmy.example.org/42", "", "Lemmy lemmy.example.org"),
            (
                "mastodon:social.example.org/1",
                "",
                "Mastodon social.example.org",
            ),
            ("bsky:did:plc:abc/3k", "", "Bluesky"),
            (
                "mail:a@b",
                "https://lore.kernel.org/linux-mm/a@b/t.mbox.gz",
                "mail lore.kernel.org",
            ),
            ("mail:a@b", "", "mail"),
            ("https://blog.example.org/post/", "", "blog.example.org"),
            ("page:1", "https://blog.example.org/p", "blog.example.org"),
        ];
        for (key, source, want) in cases {
            assert_eq!(site_of(key, source), want, "{key} from {source:?}");
        }
    }

    #[test]
    fn save_list_load_and_private_files() {
        let dir = tempfile::tempdir().unwrap();
        let lib = Library::open_in(dir.path()).unwrap();
        let thread = crate::format::load(b"Title\n\n1. ann: hello\n", "t", None).unwrap();
        lib.save(&thread, &meta("hn:1", 10)).unwrap();
        lib.save(&thread, &meta("reddit:x", 20)).unwrap();
        let (list, warnings) = lib.list();
        assert!(warnings.is_empty());
        let keys: Vec<&str> = list.iter().map(|m| m.key.as_str()).collect();
        assert_eq!(keys, ["reddit:x", "hn:1"]);
        assert_eq!(list[1].site, "Hacker News");
        let saved = lib.load("hn:1").unwrap().unwrap();
        assert_eq!(saved.thread.len(), thread.len());
        assert_eq!(lib.find("alias-reddit:x").unwrap().key, "reddit:x");
        assert!(lib.load("hn:2").unwrap().is_none());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(lib.dir()), 0o700);
            assert_eq!(mode(&lib.thread_path("hn:1")), 0o600);
        }
        std::fs::write(lib.dir().join("bad.meta.json"), b"{").unwrap();
        assert_eq!(lib.list().1.len(), 1);
    }
}
