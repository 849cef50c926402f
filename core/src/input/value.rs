//! JSON text read into a value, refusing a key repeated in an object.
//!
//! serde_json keeps the last of two equal keys, but a reviewer's tool may
//! keep the first, or show both: `{"group": "cab", "group": "dba"}` would
//! then be one approval to the engine and another to the person reading
//! the record. So a graph or change document has one reading only, and a
//! repeated key is an error at its path. The check costs nothing extra:
//! each key is looked up once, where serde_json inserts it anyway.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::map::{Entry, Map};
use serde_json::{Number, Value as Json};

use super::err::InputError;
use super::json::Path;

/// `text` as one JSON value (serde_json's errors for text that is not
/// JSON), or the error for the first key repeated in an object.
pub(crate) fn from_str(text: &str) -> Result<Json, InputError> {
    let mut repeated = None;
    let mut de = serde_json::Deserializer::from_str(text);
    let value = ValueSeed::new(&Path::Root, &mut repeated)
        .deserialize(&mut de)
        .and_then(|v| de.end().map(|()| v));
    match (value, repeated) {
        (_, Some(e)) => Err(e),
        (Ok(v), None) => Ok(v),
        (Err(e), None) => Err(super::json::json_error(&e)),
    }
}

/// The error for key `key` given twice in the object at `path`.
fn repeated_key(path: &Path<'_>, key: &str) -> InputError {
    path.key(key)
        .error(format!("duplicate key `{key}`"))
        .with_help("a key may appear once in an object; remove one of them")
}

/// Reads one JSON value at `path`, as serde_json's `Value` does, but fails
/// at a repeated key, leaving its error in `repeated`.
pub(crate) struct ValueSeed<'p, 'e> {
    path: &'p Path<'p>,
    repeated: &'e mut Option<InputError>,
}

impl<'p, 'e> ValueSeed<'p, 'e> {
    /// A reader of the value at `path` that puts a repeated key's error in
    /// `repeated` (the deserializer's own error then only stops reading).
    pub(crate) fn new(path: &'p Path<'p>, repeated: &'e mut Option<InputError>) -> Self {
        ValueSeed { path, repeated }
    }
}

impl<'de> DeserializeSeed<'de> for ValueSeed<'_, '_> {
    type Value = Json;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Json, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueSeed<'_, '_> {
    type Value = Json;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Json, E> {
        Ok(Json::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Json, E> {
        Ok(Json::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Json, E> {
        Ok(Json::Number(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Json, E> {
        Ok(Number::from_f64(v).map_or(Json::Null, Json::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Json, E> {
        Ok(Json::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Json, E> {
        Ok(Json::String(v))
    }

    fn visit_none<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_unit<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Json, D::Error> {
        self.deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let ValueSeed { path, repeated } = self;
        let mut out = Vec::new();
        loop {
            let path = path.index(out.len());
            match seq.next_element_seed(ValueSeed::new(&path, repeated))? {
                Some(v) => out.push(v),
                None => return Ok(Json::Array(out)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let ValueSeed { path, repeated } = self;
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let at = path.key(&key);
            let value = map.next_value_seed(ValueSeed::new(&at, repeated))?;
            match out.entry(key) {
                Entry::Vacant(e) => {
                    e.insert(value);
                }
                Entry::Occupied(e) => {
                    *repeated = Some(repeated_key(path, e.key()));
                    return Err(de::Error::custom("duplicate key"));
                }
            }
        }
        Ok(Json::Object(out))
    }
}

/// A JSON value without repeated keys, for typed readers (serde derive)
/// that hold raw JSON: one with a repeated key fails to read, without a
/// place, and the reader's caller then finds the place with [`ValueSeed`].
pub(crate) struct Unrepeated(pub(crate) Json);

impl<'de> serde::Deserialize<'de> for Unrepeated {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut repeated = None;
        ValueSeed::new(&Path::Root, &mut repeated)
            .deserialize(d)
            .map(Unrepeated)
    }
}
