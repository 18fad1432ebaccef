//! [`FrozenStr`]: text that never changes after parsing, stored without spare capacity.

use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;

/// An immutable string: a `Box<str>` (16 bytes, exact-size allocation) where a `String`
/// would be 24 bytes plus whatever capacity its building left over. A big thread holds
/// hundreds of thousands of these. Reads like a `&str` (`Deref`, `as_str`, comparisons
/// with `&str` and `String`); build it from a `String` or `&str` with `into()`.
#[derive(Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FrozenStr(Box<str>);

impl FrozenStr {
    /// The text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The text as a `String` (reuses the allocation).
    #[must_use]
    pub fn into_string(self) -> String {
        self.0.into_string()
    }
}

impl Deref for FrozenStr {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for FrozenStr {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for FrozenStr {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for FrozenStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for FrozenStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<String> for FrozenStr {
    fn from(s: String) -> Self {
        Self(s.into_boxed_str())
    }
}

impl From<&str> for FrozenStr {
    fn from(s: &str) -> Self {
        Self(s.into())
    }
}

impl From<Box<str>> for FrozenStr {
    fn from(s: Box<str>) -> Self {
        Self(s)
    }
}

impl From<FrozenStr> for String {
    fn from(s: FrozenStr) -> Self {
        s.into_string()
    }
}

impl PartialEq<str> for FrozenStr {
    fn eq(&self, other: &str) -> bool {
        *self.0 == *other
    }
}

impl PartialEq<&str> for FrozenStr {
    fn eq(&self, other: &&str) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<String> for FrozenStr {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<FrozenStr> for str {
    fn eq(&self, other: &FrozenStr) -> bool {
        *self == *other.0
    }
}

impl PartialEq<FrozenStr> for &str {
    fn eq(&self, other: &FrozenStr) -> bool {
        **self == *other.0
    }
}

impl PartialEq<FrozenStr> for String {
    fn eq(&self, other: &FrozenStr) -> bool {
        **self == *other.0
    }
}

impl serde::Serialize for FrozenStr {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for FrozenStr {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Box::<str>::deserialize(deserializer).map(Self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_compares_like_a_str() {
        let s = FrozenStr::from(String::from("héllo"));
        assert_eq!(s, "héllo");
        assert_eq!("héllo", s);
        assert_eq!(s, String::from("héllo"));
        assert_eq!(s.len(), 6);
        assert_eq!(format!("{s}|{s:?}"), "héllo|\"héllo\"");
        assert_eq!(s.clone().into_string(), "héllo");
        assert_eq!(std::mem::size_of::<FrozenStr>(), 16);
        assert_eq!(std::mem::size_of::<Option<FrozenStr>>(), 16);
    }
}
