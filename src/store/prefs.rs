//! What the reader changed in the reader and wants kept between runs: the `>`/`<` split.
//! One small file per reader (`prefs.json`), written like the others (locked, atomic).

use serde::{Deserialize, Serialize};

use super::json::{Parsed, parse_versioned, to_safe_pretty};
use super::{FORMAT_VERSION, Store, StoreError, atomic};

/// File name of the preferences in a reader's folder.
pub(crate) const PREFS_FILE: &str = "prefs.json";

/// Remembered settings; `None`: never changed in the reader.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prefs {
    /// The article pane's width in percent, as `>`/`<` left it.
    #[serde(default)]
    pub split: Option<u16>,
}

#[derive(Serialize, Deserialize)]
struct PrefsFile {
    version: u64,
    #[serde(flatten)]
    prefs: Prefs,
}

impl Store {
    /// The remembered settings. A missing, unreadable or newer file is no preferences: they
    /// are a convenience, and the next save replaces a broken one.
    #[must_use]
    pub fn load_prefs(&self) -> Prefs {
        let path = self.dir().join(PREFS_FILE);
        match atomic::read_if_exists(&path) {
            Ok(Some(bytes)) => match parse_versioned::<PrefsFile>(&bytes) {
                Parsed::Current(f) => f.prefs,
                Parsed::Newer { partial, .. } => partial.map(|f| f.prefs).unwrap_or_default(),
                Parsed::Corrupt(_) => Prefs::default(),
            },
            _ => Prefs::default(),
        }
    }

    /// Remembers the split (locked, atomic).
    pub fn save_split(&self, split: u16) -> Result<(), StoreError> {
        let path = self.dir().join(PREFS_FILE);
        let lock = self.lock()?;
        // A newer threadr's file is left untouched, as with the other files.
        if let Some(bytes) = atomic::read_if_exists(&path)?
            && let Parsed::Newer { version, .. } = parse_versioned::<PrefsFile>(&bytes)
        {
            return Err(StoreError::ReadOnly {
                path,
                found: version,
            });
        }
        let mut prefs = self.load_prefs();
        prefs.split = Some(split);
        let file = PrefsFile {
            version: u64::from(FORMAT_VERSION),
            prefs,
        };
        atomic::write_atomic(&lock, &path, to_safe_pretty(&file).as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Reader;

    #[test]
    fn the_split_is_remembered_and_a_broken_file_is_no_preference() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_in(dir.path(), Reader::new("r").unwrap()).unwrap();
        assert_eq!(store.load_prefs().split, None);
        store.save_split(55).unwrap();
        assert_eq!(store.load_prefs().split, Some(55));
        std::fs::write(store.dir().join(PREFS_FILE), "{not json").unwrap();
        assert_eq!(store.load_prefs().split, None);
        store.save_split(30).unwrap();
        assert_eq!(store.load_prefs().split, Some(30));
    }
}
