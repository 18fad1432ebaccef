//! The typed fast path's field types: what a derived struct holds for a field, read with
//! the same leniency as the tree path's [`crate::format::jsontree::Node`] accessors, so a
//! field of an unexpected type reads the same either way instead of failing the file.
//!
//! - [`Field`] is any JSON value kept as a scalar (strings borrowed from the input where
//!   they have no escapes); containers are only noted, their content skipped. `Missing`
//!   (the key is absent) and `Null` stay apart, as `Node::get` keeps them apart.
//! - [`Obj`] and [`Arr`] are a nested struct or list when the value is an object or an
//!   array, and the value as a [`Field`] otherwise.
//! - [`HtmlProbe`] only notes whether a string starts with `&lt;` (Reddit's escaped HTML
//!   fields), without keeping the string.
//! - [`Raw`] keeps a value's JSON text unparsed, to read once its shape is known.
//!
//! Values the tree path would read differently (`-0`, which it reads as the integer 0)
//! fail the typed read, so the caller falls back. No IO.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::value::MapAccessDeserializer;
use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::format::jsontree::Scalar;
use crate::model::Timestamp;

/// One JSON value read as a scalar.
#[derive(Debug, Default, Clone, PartialEq)]
pub enum Field<'a> {
    /// The key is absent.
    #[default]
    Missing,
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer that fits `i64`.
    Int(i64),
    /// Any other number.
    Float(f64),
    /// A string, borrowed from the input when it has no escapes.
    Str(Cow<'a, str>),
    /// An array (its items skipped).
    Array,
    /// An object (its fields skipped).
    Object,
}

impl<'a> Field<'a> {
    /// True when the key is present (`null` included), as `Node::has` says.
    #[must_use]
    pub fn is_present(&self) -> bool {
        !matches!(self, Self::Missing)
    }

    /// The string, if this is a string.
    #[must_use]
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Self::Str(s) => Some(s),
            _ => None,
        }
    }

    /// This value as a scalar, for the lenient readings the tree path makes too.
    fn scalar(&self) -> Scalar<'_> {
        match self {
            Self::Str(s) => Scalar::Str(s),
            Self::Int(i) => Scalar::Int(*i),
            Self::Float(f) => Scalar::Float(*f),
            Self::Bool(b) => Scalar::Bool(*b),
            _ => Scalar::Other,
        }
    }

    /// Lenient string, as `Node::text`: a string, or a number written as text.
    #[must_use]
    pub fn text(&self) -> Option<Cow<'_, str>> {
        self.scalar().text()
    }

    /// Lenient integer, as `Node::int`: an integer, a whole float, or a string of digits.
    #[must_use]
    pub fn int(&self) -> Option<i64> {
        self.scalar().int()
    }

    /// Lenient boolean, as `Node::truthy`: `true`/`false`, or 0/1.
    #[must_use]
    pub fn truthy(&self) -> bool {
        self.scalar().truthy()
    }

    /// A non-empty string field, as `json::string`.
    #[must_use]
    pub fn string(&self) -> Option<String> {
        self.text()
            .filter(|s| !s.trim().is_empty())
            .map(Cow::into_owned)
    }

    /// The string, moved out (`None` when this is not a string), as `Node::as_str` reads.
    #[must_use]
    pub fn into_str(self) -> Option<Cow<'a, str>> {
        match self {
            Self::Str(s) => Some(s),
            _ => None,
        }
    }

    /// [`Field::string`] without a copy of a string that is already there.
    #[must_use]
    pub fn into_string(self) -> Option<Cow<'a, str>> {
        let text = match self {
            Self::Str(s) => s,
            Self::Int(i) => Cow::Owned(i.to_string()),
            Self::Float(f) => Cow::Owned(f.to_string()),
            _ => return None,
        };
        (!text.trim().is_empty()).then_some(text)
    }

    /// Seconds since the epoch, as `json::unix_time`.
    #[must_use]
    pub fn unix_time(&self) -> Option<Timestamp> {
        self.int().map(Timestamp::Unix)
    }

    /// A date from an RFC 3339 string, as `json::text_time`.
    #[must_use]
    pub fn text_time(&self) -> Option<Timestamp> {
        self.as_str()
            .filter(|s| !s.trim().is_empty())
            .map(Timestamp::parse)
    }
}

/// Skips the rest of an array.
fn skip_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<(), A::Error> {
    while seq.next_element::<IgnoredAny>()?.is_some() {}
    Ok(())
}

/// Skips the rest of an object.
fn skip_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<(), A::Error> {
    while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
    Ok(())
}

/// Reads any value as a [`Field`].
struct FieldVisitor<'a>(PhantomData<&'a ()>);

/// The visitor, for a value borrowed for `'a`.
const fn field_visitor<'a>() -> FieldVisitor<'a> {
    FieldVisitor(PhantomData)
}

impl<'de: 'a, 'a> Visitor<'de> for FieldVisitor<'a> {
    type Value = Field<'a>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Field::Null)
    }

    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(Field::Null)
    }

    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Field::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Field::Int(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        // The tree parser reads integers past i64 as the nearest f64, as this cast does.
        Ok(i64::try_from(v).map_or(Field::Float(v as f64), Field::Int))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        // serde_json reads `-0` as -0.0 where the tree parser reads the integer 0; which one
        // the text said is lost here, so the general path decides.
        if v == 0.0 && v.is_sign_negative() {
            return Err(E::custom("negative zero: read by the general path"));
        }
        Ok(Field::Float(v))
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Field::Str(Cow::Borrowed(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Field::Str(Cow::Owned(v.to_string())))
    }

    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Field::Str(Cow::Owned(v)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        skip_seq(seq)?;
        Ok(Field::Array)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        skip_map(map)?;
        Ok(Field::Object)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Field<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(field_visitor())
    }
}

/// Forwards every scalar visit of a wrapper's visitor to [`FieldVisitor`], wrapped by `$wrap`.
macro_rules! scalar_visits {
    ($wrap:expr) => {
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            field_visitor().visit_unit().map($wrap)
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
            field_visitor().visit_bool(v).map($wrap)
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            field_visitor().visit_i64(v).map($wrap)
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            field_visitor().visit_u64(v).map($wrap)
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            field_visitor().visit_f64(v).map($wrap)
        }
        fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
            field_visitor().visit_borrowed_str(v).map($wrap)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            field_visitor().visit_str(v).map($wrap)
        }
        fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
            field_visitor().visit_string(v).map($wrap)
        }
    };
}

/// A nested object read as `T`, or the value as a [`Field`] when it is not an object.
#[derive(Debug, Default)]
pub enum Obj<'a, T> {
    /// The key is absent.
    #[default]
    Missing,
    /// An object.
    Is(T),
    /// Anything but an object (`null` included).
    Not(Field<'a>),
}

impl<T> Obj<'_, T> {
    /// The object, if this is one.
    pub fn get(&self) -> Option<&T> {
        match self {
            Self::Is(t) => Some(t),
            _ => None,
        }
    }
}

struct ObjVisitor<'a, T>(PhantomData<(&'a (), T)>);

impl<'de: 'a, 'a, T: Deserialize<'de>> Visitor<'de> for ObjVisitor<'a, T> {
    type Value = Obj<'a, T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    scalar_visits!(Obj::Not);

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        field_visitor().visit_seq(seq).map(Obj::Not)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        T::deserialize(MapAccessDeserializer::new(map)).map(Obj::Is)
    }
}

impl<'de: 'a, 'a, T: Deserialize<'de>> Deserialize<'de> for Obj<'a, T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ObjVisitor(PhantomData))
    }
}

/// A list of `T`, or the value as a [`Field`] when it is not an array.
#[derive(Debug, Default)]
pub enum Arr<'a, T> {
    /// The key is absent.
    #[default]
    Missing,
    /// An array.
    Is(Vec<T>),
    /// Anything but an array (`null` included).
    Not(Field<'a>),
}

impl<T> Arr<'_, T> {
    /// Takes the items out, as `Node::take_items` (none when this is not an array).
    pub fn take_items(&mut self) -> Option<Vec<T>> {
        match self {
            Self::Is(v) => Some(std::mem::take(v)),
            _ => None,
        }
    }

    /// The items, if this is an array.
    pub fn items(&self) -> Option<&[T]> {
        match self {
            Self::Is(v) => Some(v),
            _ => None,
        }
    }
}

struct ArrVisitor<'a, T>(PhantomData<(&'a (), T)>);

impl<'de: 'a, 'a, T: Deserialize<'de>> Visitor<'de> for ArrVisitor<'a, T> {
    type Value = Arr<'a, T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    scalar_visits!(Arr::Not);

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Arr::Is(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        field_visitor().visit_map(map).map(Arr::Not)
    }
}

impl<'de: 'a, 'a, T: Deserialize<'de>> Deserialize<'de> for Arr<'a, T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ArrVisitor(PhantomData))
    }
}

/// Whether a field is a string starting with `&lt;` (`None`: absent or not a string).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct HtmlProbe(pub Option<bool>);

struct ProbeVisitor;

impl<'de> Visitor<'de> for ProbeVisitor {
    type Value = HtmlProbe;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(HtmlProbe(None))
    }

    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(HtmlProbe(None))
    }

    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(HtmlProbe(None))
    }

    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(HtmlProbe(None))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        field_visitor().visit_f64(v).map(|_| HtmlProbe(None))
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(HtmlProbe(Some(v.starts_with("&lt;"))))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        skip_seq(seq).map(|()| HtmlProbe(None))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        skip_map(map).map(|()| HtmlProbe(None))
    }
}

impl<'de> Deserialize<'de> for HtmlProbe {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ProbeVisitor)
    }
}

/// A value's JSON text, unparsed (`None`: the key is absent; `null` is kept as `null`).
#[derive(Debug, Default, Clone, Copy)]
pub struct Raw<'a>(pub Option<&'a serde_json::value::RawValue>);

impl<'de: 'a, 'a> Deserialize<'de> for Raw<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        <&serde_json::value::RawValue>::deserialize(d).map(|r| Raw(Some(r)))
    }
}

impl Raw<'_> {
    /// True when the key is present.
    #[must_use]
    pub fn is_present(&self) -> bool {
        self.0.is_some()
    }

    /// True when the value is an array.
    #[must_use]
    pub fn is_array(&self) -> bool {
        self.0.is_some_and(|r| r.get().starts_with('['))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug, Default)]
    #[serde(default)]
    struct Probe<'a> {
        #[serde(borrow)]
        a: Field<'a>,
        #[serde(borrow)]
        b: Obj<'a, Box<Probe<'a>>>,
        #[serde(borrow)]
        c: Arr<'a, Field<'a>>,
        h: HtmlProbe,
        #[serde(borrow)]
        r: Raw<'a>,
    }

    #[test]
    fn fields_read_like_the_tree() {
        let p: Probe<'_> =
            serde_json::from_str(r#"{"a": "x", "b": {"a": null}, "c": [1, 2.5, "q\n", [3], {}], "h": "&lt;p", "r": null}"#)
                .unwrap();
        assert!(matches!(p.a, Field::Str(Cow::Borrowed("x"))));
        assert_eq!(p.b.get().map(|b| b.a.clone()), Some(Field::Null));
        assert_eq!(
            p.c.items().unwrap(),
            [
                Field::Int(1),
                Field::Float(2.5),
                Field::Str("q\n".into()),
                Field::Array,
                Field::Object
            ]
        );
        assert_eq!(p.h, HtmlProbe(Some(true)));
        assert!(p.r.is_present() && !p.r.is_array());
        let p: Probe<'_> = serde_json::from_str(r#"{"b": 3, "c": {"x": 1}}"#).unwrap();
        assert_eq!(p.a, Field::Missing);
        assert!(matches!(p.b, Obj::Not(Field::Int(3))));
        assert!(matches!(p.c, Arr::Not(Field::Object)));
        assert!(!p.r.is_present());
        // Past i64: the nearest f64, as the tree parser reads it; -0 is left to that parser.
        let p: Probe<'_> = serde_json::from_str(r#"{"a": 18446744073709551615}"#).unwrap();
        assert_eq!(p.a, Field::Float(18_446_744_073_709_551_615_u64 as f64));
        assert!(serde_json::from_str::<Probe<'_>>(r#"{"a": -0}"#).is_err());
    }

    #[test]
    fn lenient_accessors() {
        assert_eq!(Field::Str(" 12 ".into()).int(), Some(12));
        assert_eq!(Field::Float(3.7).int(), Some(3));
        assert_eq!(Field::Int(7).text().as_deref(), Some("7"));
        assert!(Field::Int(1).truthy() && !Field::Str("true".into()).truthy());
        assert_eq!(Field::Str("  ".into()).string(), None);
        assert!(Field::Null.is_present() && !Field::Missing.is_present());
    }
}
