//! One borrowed serde view over the top-level fields of all built-in schemas.
//!
//! A line is parsed once into [`RawLine`]; the schema readers then pick the
//! fields they own. Strings borrow from the line unless they contain escapes,
//! fields nobody reads are skipped without allocation, and fields whose type
//! differs between schemas (`resource` is an object in Feast and a string in
//! the flat shape) are read as [`Field`] so neither shape is an error.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use sonic_rs::LazyValue;

/// A borrowed-when-possible string.
pub type Str<'a> = Cow<'a, str>;

/// A value that may be a string, a number, a boolean or an object `T`.
#[derive(Debug)]
pub enum Field<'a, T> {
    Str(Str<'a>),
    Num(f64),
    Bool(bool),
    Obj(T),
    /// An array or anything else nobody reads.
    Other,
}

impl<'a, T> Field<'a, T> {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Field::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn into_str(self) -> Option<Str<'a>> {
        match self {
            Field::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn obj(&self) -> Option<&T> {
        match self {
            Field::Obj(o) => Some(o),
            _ => None,
        }
    }

    pub fn into_obj(self) -> Option<T> {
        match self {
            Field::Obj(o) => Some(o),
            _ => None,
        }
    }

    /// A number, or a string holding one (`"12.5"`), as some loggers write.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Field::Num(n) => Some(*n),
            Field::Str(s) => s.trim().parse().ok(),
            _ => None,
        }
    }
}

impl<'de: 'a, 'a, T: Deserialize<'de>> Deserialize<'de> for Field<'a, T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(FieldVisitor(PhantomData))
    }
}

struct FieldVisitor<'a, T>(PhantomData<(&'a (), T)>);

impl<'de: 'a, 'a, T: Deserialize<'de>> Visitor<'de> for FieldVisitor<'a, T> {
    type Value = Field<'a, T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string, number, boolean or object")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Field::Str(Cow::Borrowed(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Field::Str(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Field::Str(Cow::Owned(v)))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Field::Num(v as f64))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Field::Num(v as f64))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Field::Num(v))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Field::Bool(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Field::Other)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Field::Other)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        T::deserialize(de::value::MapAccessDeserializer::new(map)).map(Field::Obj)
    }
}

/// The union of the built-in schemas' top-level fields.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct RawLine<'a> {
    // shared
    #[serde(borrow)]
    pub timestamp: Option<Field<'a, IgnoredAny>>,
    #[serde(borrow)]
    pub event_type: Option<Field<'a, IgnoredAny>>,
    #[serde(borrow)]
    pub request_id: Option<Field<'a, IgnoredAny>>,
    #[serde(borrow)]
    pub duration_ms: Option<Field<'a, IgnoredAny>>,
    #[serde(borrow)]
    pub status: Option<Field<'a, IgnoredAny>>,
    #[serde(borrow)]
    pub resource: Option<Field<'a, FeastResource<'a>>>,

    // feast
    #[serde(borrow)]
    pub principal: Option<Field<'a, FeastPrincipal<'a>>>,
    #[serde(borrow)]
    pub source: Option<Field<'a, FeastSource<'a>>>,
    #[serde(borrow)]
    pub outcome: Option<Field<'a, IgnoredAny>>,
    #[serde(borrow)]
    pub detail: Option<Field<'a, IgnoredAny>>,

    // feast-sox
    #[serde(borrow)]
    pub event: Option<Field<'a, IgnoredAny>>,
    #[serde(borrow)]
    pub requestor_id: Option<Field<'a, IgnoredAny>>,
    #[serde(borrow)]
    pub feature_views: Option<Vec<Field<'a, IgnoredAny>>>,
    #[serde(borrow)]
    pub latency_ms: Option<Field<'a, IgnoredAny>>,

    // flat
    #[serde(borrow)]
    pub user: Option<Field<'a, IgnoredAny>>,
    #[serde(borrow)]
    pub details: Option<Field<'a, FlatDetails<'a>>>,
    #[serde(borrow)]
    pub source_ip: Option<Field<'a, IgnoredAny>>,
    #[serde(borrow)]
    pub ip: Option<Field<'a, IgnoredAny>>,

    // soc2
    #[serde(borrow)]
    pub who: Option<Field<'a, Soc2Who<'a>>>,
    #[serde(borrow)]
    pub what: Option<Field<'a, Soc2What<'a>>>,
    #[serde(borrow)]
    pub result: Option<Field<'a, Soc2Result<'a>>>,
    #[serde(borrow)]
    pub context: Option<Field<'a, Soc2Context<'a>>>,
    #[serde(borrow)]
    pub performance: Option<Field<'a, Soc2Performance<'a>>>,
    #[serde(borrow)]
    pub id: Option<Field<'a, IgnoredAny>>,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct FeastPrincipal<'a> {
    #[serde(borrow)]
    pub username: Option<Field<'a, IgnoredAny>>,
    #[serde(borrow)]
    pub roles: Option<LazyValue<'a>>,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct FeastSource<'a> {
    #[serde(borrow)]
    pub ip: Option<Field<'a, IgnoredAny>>,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct FeastResource<'a> {
    #[serde(borrow)]
    pub name: Option<Field<'a, IgnoredAny>>,
    #[serde(borrow)]
    pub actions: Option<LazyValue<'a>>,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct FlatDetails<'a> {
    #[serde(borrow)]
    pub feature_view: Option<Field<'a, IgnoredAny>>,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Soc2Who<'a> {
    #[serde(borrow)]
    pub user_id: Option<Field<'a, IgnoredAny>>,
    #[serde(borrow)]
    pub service_account: Option<Field<'a, IgnoredAny>>,
    #[serde(borrow)]
    pub roles: Option<LazyValue<'a>>,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct Soc2What<'a> {
    #[serde(borrow)]
    pub action: Option<Field<'a, IgnoredAny>>,
    #[serde(borrow)]
    pub resource: Option<Field<'a, IgnoredAny>>,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Soc2Result<'a> {
    #[serde(borrow)]
    pub status_code: Option<Field<'a, IgnoredAny>>,
    #[serde(borrow)]
    pub success: Option<Field<'a, IgnoredAny>>,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Soc2Context<'a> {
    #[serde(borrow)]
    pub ip_address: Option<Field<'a, IgnoredAny>>,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Soc2Performance<'a> {
    #[serde(borrow)]
    pub latency_ms: Option<Field<'a, IgnoredAny>>,
}

/// A non-empty string field, borrowed.
pub fn non_empty<'a, T>(f: Option<Field<'a, T>>) -> Option<Str<'a>> {
    f.and_then(Field::into_str).filter(|s| !s.is_empty())
}

/// A field holding an HTTP status code as a number or a numeric string.
pub fn http_status<T>(f: Option<&Field<'_, T>>) -> Option<u16> {
    let n = f?.as_f64()?;
    (n.fract() == 0.0 && (100.0..1000.0).contains(&n)).then_some(n as u16)
}
