//! An instant in a decision: kept as the timestamp it is and written as
//! RFC 3339 in UTC only when the decision is shown or serialised, so a
//! decision that nobody prints costs no formatting.

use std::fmt;

use jiff::Timestamp;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An instant of a decision (a block's occurrence, a backup's evidence, the
/// next allowed start). Its text, in JSON and through [`fmt::Display`], is
/// RFC 3339 in UTC, e.g. `2026-12-20T00:00:00Z`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Time(Timestamp);

impl Time {
    /// The instant.
    pub fn timestamp(self) -> Timestamp {
        self.0
    }
}

impl From<Timestamp> for Time {
    fn from(t: Timestamp) -> Time {
        Time(t)
    }
}

impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

/// Whether the instant's text is exactly `other`, compared as it is written
/// (no string is built).
impl PartialEq<str> for Time {
    fn eq(&self, other: &str) -> bool {
        struct Rest<'a>(Option<&'a str>);
        impl fmt::Write for Rest<'_> {
            fn write_str(&mut self, s: &str) -> fmt::Result {
                self.0 = self.0.and_then(|rest| rest.strip_prefix(s));
                Ok(())
            }
        }
        let mut rest = Rest(Some(other));
        fmt::write(&mut rest, format_args!("{}", self.0)).is_ok() && rest.0 == Some("")
    }
}

impl PartialEq<&str> for Time {
    fn eq(&self, other: &&str) -> bool {
        *self == **other
    }
}

impl Serialize for Time {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // Written straight into the output: no string is built.
        s.collect_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Time {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Time, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        text.parse::<Timestamp>()
            .map(Time)
            .map_err(serde::de::Error::custom)
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Time {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Time".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "string", "format": "date-time" })
    }
}
