//! A compact set of comment ids, for "seen" and "folded" in the reading state.
//!
//! Each id is reduced to the top 48 bits of its xxh3-64 hash. The set is a sorted `Vec<u64>`
//! in memory (binary search), and on disk the sorted values as LEB128 varint gaps, base64:
//! for n random 48-bit values the gaps average 2^48/n, so 100,000 ids cost about 5 bytes
//! each (≈ 670 KB of base64) instead of the ids themselves. 48 bits keep the chance that a
//! new comment is wrongly taken as seen at n / 2^48 (3.6e-10 for n = 100,000).

use base64::Engine;
use serde::{Deserialize, Serialize};

use crate::model::{CommentId, Thread};

/// Name of the hash, written into the file so a future change is detected.
const HASH_NAME: &str = "xxh3-48";
const HASH_BITS: u32 = 48;

/// A set of comment ids, stored as 48-bit hashes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IdSet {
    sorted: Vec<u64>,
}

impl IdSet {
    /// An empty set.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// The 48-bit hash an id is stored as.
    #[must_use]
    pub fn hash(id: &str) -> u64 {
        xxhash_rust::xxh3::xxh3_64(id.as_bytes()) >> (64 - HASH_BITS)
    }

    /// The set of every comment id of `thread`.
    #[must_use]
    pub fn of_thread(thread: &Thread) -> Self {
        let mut set = Self::new();
        set.extend(thread.comments.iter().map(|c| &c.id));
        set
    }

    /// Number of distinct hashes.
    #[must_use]
    pub fn len(&self) -> usize {
        self.sorted.len()
    }

    /// True when empty.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.sorted.is_empty()
    }

    /// Whether `id` is in the set (a 48-bit hash match).
    #[must_use]
    pub fn contains(&self, id: &CommentId) -> bool {
        self.sorted.binary_search(&Self::hash(&id.0)).is_ok()
    }

    /// Adds `id`; true when it was not there. O(n): use [`IdSet::extend`] for many.
    pub fn insert(&mut self, id: &CommentId) -> bool {
        let h = Self::hash(&id.0);
        match self.sorted.binary_search(&h) {
            Ok(_) => false,
            Err(at) => {
                self.sorted.insert(at, h);
                true
            }
        }
    }

    /// Removes `id`; true when it was there.
    pub fn remove(&mut self, id: &CommentId) -> bool {
        match self.sorted.binary_search(&Self::hash(&id.0)) {
            Ok(at) => {
                self.sorted.remove(at);
                true
            }
            Err(_) => false,
        }
    }

    /// Adds many ids at once (one sort).
    pub fn extend<'a>(&mut self, ids: impl IntoIterator<Item = &'a CommentId>) {
        self.sorted
            .extend(ids.into_iter().map(|id| Self::hash(&id.0)));
        self.sorted.sort_unstable();
        self.sorted.dedup();
    }

    /// Adds every id of `other`.
    pub fn union_with(&mut self, other: &IdSet) {
        if other.sorted.is_empty() {
            return;
        }
        let mut merged = Vec::with_capacity(self.sorted.len() + other.sorted.len());
        let (mut a, mut b) = (
            self.sorted.iter().peekable(),
            other.sorted.iter().peekable(),
        );
        loop {
            let next = match (a.peek(), b.peek()) {
                (Some(x), Some(y)) if x < y => a.next(),
                (Some(x), Some(y)) if x > y => b.next(),
                (Some(_), Some(_)) => {
                    b.next();
                    a.next()
                }
                (Some(_), None) => a.next(),
                (None, Some(_)) => b.next(),
                (None, None) => break,
            };
            merged.extend(next.copied());
        }
        self.sorted = merged;
    }

    fn encode(&self) -> String {
        let mut bytes = Vec::with_capacity(self.sorted.len() * 6);
        let mut prev = 0u64;
        for &h in &self.sorted {
            let mut gap = h - prev;
            prev = h;
            loop {
                let byte = (gap & 0x7f) as u8;
                gap >>= 7;
                if gap == 0 {
                    bytes.push(byte);
                    break;
                }
                bytes.push(byte | 0x80);
            }
        }
        base64::engine::general_purpose::STANDARD.encode(bytes)
    }

    fn decode(data: &str, count: usize) -> Result<Self, String> {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(data)
            .map_err(|e| format!("id set is not base64: {e}"))?;
        let mut sorted = Vec::with_capacity(count.min(bytes.len()));
        let (mut prev, mut gap, mut shift) = (0u64, 0u64, 0u32);
        for (i, &byte) in bytes.iter().enumerate() {
            if shift > 49 {
                return Err("id set has an over-long number".to_string());
            }
            gap |= u64::from(byte & 0x7f) << shift;
            shift += 7;
            if byte & 0x80 == 0 {
                let value = prev.checked_add(gap).filter(|v| *v >> HASH_BITS == 0);
                match value {
                    Some(v) if v > prev || sorted.is_empty() => {
                        sorted.push(v);
                        prev = v;
                    }
                    _ => return Err(format!("id set is out of order at byte {i}")),
                }
                (gap, shift) = (0, 0);
            }
        }
        if shift != 0 {
            return Err("id set ends in the middle of a number".to_string());
        }
        if sorted.len() != count {
            return Err(format!(
                "id set says {count} ids but holds {}",
                sorted.len()
            ));
        }
        Ok(Self { sorted })
    }
}

#[derive(Serialize, Deserialize)]
struct IdSetFile {
    hash: String,
    count: usize,
    data: String,
}

impl Serialize for IdSet {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        IdSetFile {
            hash: HASH_NAME.to_string(),
            count: self.sorted.len(),
            data: self.encode(),
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for IdSet {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let file = IdSetFile::deserialize(d)?;
        if file.hash != HASH_NAME {
            return Err(serde::de::Error::custom(format!(
                "id set uses hash \"{}\", expected \"{HASH_NAME}\"",
                crate::text::sanitize_line(&file.hash)
            )));
        }
        Self::decode(&file.data, file.count).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(s: &str) -> CommentId {
        CommentId(s.into())
    }

    #[test]
    fn insert_remove_contains_round_trip() {
        let mut set = IdSet::new();
        assert!(set.insert(&id("a")));
        assert!(!set.insert(&id("a")));
        set.extend([id("b"), id("c"), id("a")].iter());
        assert_eq!(set.len(), 3);
        assert!(set.remove(&id("b")));
        assert!(!set.contains(&id("b")) && set.contains(&id("c")));
        let json = serde_json::to_string(&set).unwrap();
        let back: IdSet = serde_json::from_str(&json).unwrap();
        assert_eq!(back, set);
        let empty: IdSet =
            serde_json::from_str(&serde_json::to_string(&IdSet::new()).unwrap()).unwrap();
        assert!(empty.is_empty());
    }

    #[test]
    fn union_merges_sorted() {
        let mut a = IdSet::new();
        a.extend([id("1"), id("2"), id("3")].iter());
        let mut b = IdSet::new();
        b.extend([id("3"), id("4")].iter());
        a.union_with(&b);
        assert_eq!(a.len(), 4);
        assert!(a.sorted.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn rejects_damaged_data() {
        let mut set = IdSet::new();
        set.extend([id("x"), id("y")].iter());
        let data = set.encode();
        assert!(IdSet::decode(&data, 3).is_err());
        assert!(IdSet::decode("!!", 0).is_err());
        let truncated = base64::engine::general_purpose::STANDARD.encode([0x80u8]);
        assert!(IdSet::decode(&truncated, 1).is_err());
        let long = base64::engine::general_purpose::STANDARD.encode([0xffu8; 12]);
        assert!(IdSet::decode(&long, 1).is_err());
        let bad_hash = r#"{"hash":"md5","count":0,"data":""}"#;
        assert!(serde_json::from_str::<IdSet>(bad_hash).is_err());
    }

    #[test]
    fn hundred_thousand_ids_stay_compact() {
        let ids: Vec<CommentId> = (0..100_000).map(|i| id(&format!("t1_c{i:07}"))).collect();
        let mut set = IdSet::new();
        set.extend(ids.iter());
        assert_eq!(set.len(), 100_000);
        let json = serde_json::to_string(&set).unwrap();
        assert!(json.len() < 800_000, "{} bytes", json.len());
        let back: IdSet = serde_json::from_str(&json).unwrap();
        assert!(ids.iter().all(|i| back.contains(i)));
    }
}
