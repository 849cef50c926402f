//! Runtime values of the policy language.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};

/// A value an expression evaluates to, or that an attribute holds.
///
/// JSON attributes map onto values as: `null` → [`Value::Null`], booleans →
/// [`Value::Bool`], integral numbers that fit an `i64` → [`Value::Int`], other
/// numbers → [`Value::Float`], strings → [`Value::Str`], arrays →
/// [`Value::List`], objects → [`Value::Object`]. Durations and datetimes come
/// only from the language (literals, `change.start`, `change.duration`, ...).
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Value {
    /// The absent value: a missing attribute, an empty `max`/`min`.
    #[default]
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A 64-bit integer.
    Int(i64),
    /// A non-integral JSON number (attributes only).
    Float(f64),
    /// A string.
    Str(Arc<str>),
    /// A span of elapsed time, with second precision.
    Duration(SignedDuration),
    /// An instant.
    DateTime(Timestamp),
    /// A list of values.
    List(Arc<[Value]>),
    /// A JSON object (attributes only); `a.b` reads field `b`.
    Object(Arc<BTreeMap<String, Value>>),
}

/// The type of a [`Value`], used in compile-time checks and error messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Type {
    /// `null`
    Null,
    /// `true`/`false`
    Bool,
    /// integers and other numbers
    Number,
    /// strings
    Str,
    /// durations such as `24h`
    Duration,
    /// datetimes such as `2026-12-20T00:00`
    DateTime,
    /// lists
    List,
    /// objects
    Object,
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Type::Null => "null",
            Type::Bool => "boolean",
            Type::Number => "number",
            Type::Str => "string",
            Type::Duration => "duration",
            Type::DateTime => "datetime",
            Type::List => "list",
            Type::Object => "object",
        })
    }
}

impl Value {
    /// This value's type.
    pub fn type_of(&self) -> Type {
        match self {
            Value::Null => Type::Null,
            Value::Bool(_) => Type::Bool,
            Value::Int(_) | Value::Float(_) => Type::Number,
            Value::Str(_) => Type::Str,
            Value::Duration(_) => Type::Duration,
            Value::DateTime(_) => Type::DateTime,
            Value::List(_) => Type::List,
            Value::Object(_) => Type::Object,
        }
    }

    /// A string value.
    pub fn str(s: &str) -> Value {
        Value::Str(Arc::from(s))
    }

    /// Whether this is `true` (anything else, `null` included, is not).
    pub fn is_true(&self) -> bool {
        matches!(self, Value::Bool(true))
    }

    /// Converts a JSON value. Never fails: every JSON value has a language value.
    pub fn from_json(v: &serde_json::Value) -> Value {
        match v {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => match n.as_i64() {
                Some(i) => Value::Int(i),
                None => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
            },
            serde_json::Value::String(s) => Value::str(s),
            serde_json::Value::Array(a) => Value::List(a.iter().map(Value::from_json).collect()),
            serde_json::Value::Object(o) => Value::Object(Arc::new(
                o.iter()
                    .map(|(k, v)| (k.clone(), Value::from_json(v)))
                    .collect(),
            )),
        }
    }

    /// `==` of the language: values of different types are unequal, except
    /// that integers and other numbers compare by value.
    pub fn lang_eq(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Int(a), Value::Int(b)) => a == b,
            (Value::Str(a), Value::Str(b)) => a == b,
            (Value::Int(a), Value::Float(b)) | (Value::Float(b), Value::Int(a)) => {
                (*a as f64) == *b
            }
            (Value::List(a), Value::List(b)) => {
                a.len() == b.len() && a.iter().zip(b.iter()).all(|(x, y)| x.lang_eq(y))
            }
            (Value::Object(a), Value::Object(b)) => {
                a.len() == b.len()
                    && a.iter()
                        .zip(b.iter())
                        .all(|((ka, va), (kb, vb))| ka == kb && va.lang_eq(vb))
            }
            _ => self == other,
        }
    }

    /// Ordering of the language: defined on two numbers, two durations or two
    /// datetimes; `None` otherwise (so `<` and friends are `false`).
    pub fn lang_cmp(&self, other: &Value) -> Option<std::cmp::Ordering> {
        match (self, other) {
            (Value::Int(a), Value::Int(b)) => Some(a.cmp(b)),
            (Value::Int(a), Value::Float(b)) => (*a as f64).partial_cmp(b),
            (Value::Float(a), Value::Int(b)) => a.partial_cmp(&(*b as f64)),
            (Value::Float(a), Value::Float(b)) => a.partial_cmp(b),
            (Value::Duration(a), Value::Duration(b)) => Some(a.cmp(b)),
            (Value::DateTime(a), Value::DateTime(b)) => Some(a.cmp(b)),
            _ => None,
        }
    }

    /// Reads field `name` of an object value; `null` for anything else.
    pub fn field(&self, name: &str) -> Value {
        match self {
            Value::Object(o) => o.get(name).cloned().unwrap_or(Value::Null),
            _ => Value::Null,
        }
    }
}

/// Formats a duration the way the language writes it: whole days when it is
/// at least two whole days (`7d`), otherwise hours, minutes and seconds with
/// zero parts left out (`24h`, `2h30m`, `90s` → `1m30s`).
pub fn format_duration(d: SignedDuration) -> String {
    let mut secs = d.as_secs();
    let mut out = String::new();
    if secs < 0 {
        out.push('-');
        secs = secs.unsigned_abs() as i64;
    }
    if secs == 0 {
        return "0s".to_owned();
    }
    const DAY: i64 = 86_400;
    if secs % DAY == 0 && secs >= 2 * DAY {
        out.push_str(&format!("{}d", secs / DAY));
        return out;
    }
    let (h, m, s) = (secs / 3600, (secs % 3600) / 60, secs % 60);
    if h > 0 {
        out.push_str(&format!("{h}h"));
    }
    if m > 0 {
        out.push_str(&format!("{m}m"));
    }
    if s > 0 {
        out.push_str(&format!("{s}s"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_format_as_written() {
        let f = |s| format_duration(SignedDuration::from_secs(s));
        assert_eq!(f(86_400), "24h");
        assert_eq!(f(7 * 86_400), "7d");
        assert_eq!(f(9_000), "2h30m");
        assert_eq!(f(90), "1m30s");
        assert_eq!(f(0), "0s");
        assert_eq!(f(36 * 3600), "36h");
    }

    #[test]
    fn numbers_compare_across_int_and_float() {
        assert!(Value::Int(2).lang_eq(&Value::Float(2.0)));
        assert_eq!(
            Value::Int(1).lang_cmp(&Value::Float(1.5)),
            Some(std::cmp::Ordering::Less)
        );
        assert_eq!(Value::Null.lang_cmp(&Value::Int(1)), None);
        assert!(!Value::str("1").lang_eq(&Value::Int(1)));
    }
}
