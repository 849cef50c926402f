//! A document given as a host's own value (a Python dict, say), read into
//! a JSON value by one set of rules for every binding: what the host's
//! standard JSON writer takes, plus aware date-times, with each refusal an
//! input error at the JSON path of the value (`attributes.extra[0]`) and
//! nesting bounded as in JSON text. A binding only says what each of its
//! values is ([`HostValue`]); the walk, the paths and the wording are here.

use std::fmt::Write as _;

use serde_json::{Map, Number, Value as Json};

use crate::error::{Document, Error};
use crate::input::InputError;
use crate::source::{PolicyError, Source, SourceMap, Span};

/// The deepest nesting read, the same as for JSON text (`serde_json`'s
/// recursion limit), so that a value and its text are refused alike.
const MAX_DEPTH: usize = 127;

/// What a host value is, as far as JSON goes.
#[derive(Debug)]
pub enum HostValue {
    /// `None`, `null`.
    Null,
    /// A boolean.
    Bool(bool),
    /// An integer within 64 bits.
    Int(i64),
    /// An integer within 64 bits unsigned, above `i64::MAX`.
    UInt(u64),
    /// An integer beyond 64 bits: its nearest float, as the host's JSON
    /// writer would have it read back; `None` beyond a float's range, with
    /// the digits to show.
    BigInt(Option<f64>, String),
    /// A float (NaN and the infinities are refused).
    Float(f64),
    /// Text.
    Text(String),
    /// Text that UTF-8 cannot hold: a lone UTF-16 surrogate `code` at
    /// character `at`.
    Unencodable {
        /// The surrogate.
        code: u32,
        /// Its position, in characters.
        at: usize,
    },
    /// A list (or tuple), read by [`HostDocument::items`].
    List,
    /// A mapping, read in its own order by [`HostDocument::entries`]; keys
    /// must be text.
    Map,
    /// An aware date-time: its civil fields and its offset from UTC.
    Instant {
        /// Year, month, day, hour, minute, second, nanosecond.
        civil: [i32; 7],
        /// Microseconds east of UTC.
        offset_micros: i64,
    },
    /// A date-time without a zone, shown as the host shows it.
    Naive(String),
    /// A date without a time, shown as the host shows it.
    Date(String),
    /// Anything else, named by its type.
    Unsupported(String),
}

/// A host's value that says what it is.
pub trait HostDocument: Sized {
    /// The host's own failure (an exception raised while looking).
    type Error;
    /// What this value is.
    fn classify(&self) -> Result<HostValue, Self::Error>;
    /// Calls `each` with every item of a [`HostValue::List`], in order.
    fn items(&self, each: &mut dyn FnMut(&Self) -> Visit<Self::Error>) -> Visit<Self::Error>;
    /// Calls `each` with every key and value of a [`HostValue::Map`].
    fn entries(
        &self,
        each: &mut dyn FnMut(&Self, &Self) -> Visit<Self::Error>,
    ) -> Visit<Self::Error>;
}

/// What a visit of a list's items or a map's entries ends with.
pub type Visit<E> = Result<(), HostError<E>>;

/// Why a host value could not be read.
#[derive(Debug)]
pub enum HostError<E> {
    /// The value is not a valid document: the error to report.
    Input(Error),
    /// The host failed while the value was looked at.
    Host(E),
}

/// Reads a host value as the JSON document `document`.
pub fn read_host<V: HostDocument>(
    value: &V,
    document: Document,
) -> Result<Json, HostError<V::Error>> {
    Walk {
        document,
        path: String::new(),
    }
    .read(value, 0)
}

/// The input error for text holding a lone surrogate, which UTF-8 cannot
/// hold, at `path` of `document`.
pub fn unencodable(document: Document, path: &str, code: u32, at: usize) -> Error {
    let message =
        format!("lone surrogate `\\u{code:04x}` at character {at} cannot be encoded as UTF-8");
    let help = "the text held a lone UTF-16 surrogate; fix the decoding that produced it";
    input(document, path, message, Some(help))
}

fn input(document: Document, path: &str, message: String, help: Option<&str>) -> Error {
    let mut error = InputError::new(path, message);
    error.help = help.map(str::to_owned);
    Error::Input { document, error }
}

struct Walk {
    document: Document,
    path: String,
}

impl Walk {
    fn fail<E>(&self, message: String, help: Option<&str>) -> HostError<E> {
        HostError::Input(input(self.document, &self.path, message, help))
    }

    fn read<V: HostDocument>(
        &mut self,
        value: &V,
        depth: usize,
    ) -> Result<Json, HostError<V::Error>> {
        Ok(match value.classify().map_err(HostError::Host)? {
            HostValue::Null => Json::Null,
            HostValue::Bool(b) => Json::Bool(b),
            HostValue::Int(i) => Json::from(i),
            HostValue::UInt(u) => Json::from(u),
            HostValue::BigInt(Some(f), _) => Number::from_f64(f).map_or(Json::Null, Json::Number),
            HostValue::BigInt(None, shown) => {
                return Err(self.fail(format!("integer `{shown}` is out of range"), None));
            }
            HostValue::Float(f) => match Number::from_f64(f) {
                Some(n) => Json::Number(n),
                None if f.is_nan() => {
                    return Err(self.fail("`nan` is not a JSON number".into(), None));
                }
                None => return Err(self.fail(format!("`{f}` is not a JSON number"), None)),
            },
            HostValue::Text(s) => Json::String(s),
            HostValue::Unencodable { code, at } => {
                return Err(HostError::Input(unencodable(
                    self.document,
                    &self.path,
                    code,
                    at,
                )));
            }
            HostValue::Instant {
                civil,
                offset_micros,
            } => Json::String(instant(civil, offset_micros).ok_or_else(|| {
                let [y, mo, d, h, mi, s, _] = civil;
                let shown = format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}");
                let message =
                    format!("datetime `{shown}` at UTC offset {offset_micros} µs is out of range");
                self.fail(message, None)
            })?),
            HostValue::Naive(shown) => {
                let help = "pass an aware datetime, such as `datetime(..., tzinfo=timezone.utc)` or `dt.astimezone()`";
                return Err(self.fail(
                    format!("naive datetime `{shown}` has no time zone"),
                    Some(help),
                ));
            }
            HostValue::Date(shown) => {
                let help = "pass an aware datetime, or the date as a string";
                let message = format!("a date without a time (`{shown}`) is not an instant");
                return Err(self.fail(message, Some(help)));
            }
            HostValue::Unsupported(name) => {
                let help = "use dicts, lists, strings, numbers, booleans, None and aware datetimes";
                return Err(self.fail(
                    format!("cannot write a Python `{name}` as JSON"),
                    Some(help),
                ));
            }
            HostValue::List => {
                self.deeper(depth)?;
                let mut out = Vec::new();
                value.items(&mut |v| {
                    let len = self.path.len();
                    let _ = write!(self.path, "[{}]", out.len());
                    out.push(self.read(v, depth + 1)?);
                    self.path.truncate(len);
                    Ok(())
                })?;
                Json::Array(out)
            }
            HostValue::Map => {
                self.deeper(depth)?;
                let mut map = Map::new();
                value.entries(&mut |k, v| {
                    let key = match self.read(k, depth + 1)? {
                        Json::String(key) => key,
                        other => {
                            return Err(self.fail(format!("key `{other}` is not a string"), None));
                        }
                    };
                    let len = self.path.len();
                    if len > 0 {
                        self.path.push('.');
                    }
                    self.path.push_str(&key);
                    let value = self.read(v, depth + 1)?;
                    self.path.truncate(len);
                    map.insert(key, value);
                    Ok(())
                })?;
                Json::Object(map)
            }
        })
    }

    fn deeper<E>(&self, depth: usize) -> Result<(), HostError<E>> {
        if depth >= MAX_DEPTH {
            let message = "the document is nested too deeply".to_owned();
            return Err(HostError::Input(input(self.document, "", message, None)));
        }
        Ok(())
    }
}

/// An aware date-time as RFC 3339 in UTC (`2026-12-22T14:00:00.00025Z`);
/// `None` when it or its UTC instant is out of range.
fn instant(civil: [i32; 7], offset_micros: i64) -> Option<String> {
    let [year, month, day, hour, minute, second, nano] = civil;
    let small = |v: i32| i8::try_from(v).ok();
    let date =
        jiff::civil::Date::new(i16::try_from(year).ok()?, small(month)?, small(day)?).ok()?;
    let time = jiff::civil::Time::new(small(hour)?, small(minute)?, small(second)?, nano).ok()?;
    let (seconds, micros) = (
        offset_micros.div_euclid(1_000_000),
        offset_micros.rem_euclid(1_000_000),
    );
    let offset = jiff::tz::Offset::from_seconds(i32::try_from(seconds).ok()?).ok()?;
    let utc = offset.to_timestamp(date.to_datetime(time)).ok()?;
    Some(
        utc.checked_sub(jiff::SignedDuration::from_micros(micros))
            .ok()?
            .to_string(),
    )
}

/// The policy error for a policy source that UTF-8 cannot hold: a lone
/// surrogate `code` at character `at` of its text, or of its name when
/// `in_name`. `name` and `text` are as the host can show them (each
/// surrogate replaced), for the report's source line.
pub fn unencodable_source(
    name: String,
    text: String,
    code: u32,
    at: usize,
    in_name: bool,
) -> Error {
    let start = match text.char_indices().nth(at) {
        Some((i, _)) if !in_name => i,
        _ => 0,
    };
    let end = text
        .get(start..)
        .and_then(|rest| rest.chars().next())
        .map_or(start, |c| start + c.len_utf8());
    let map = SourceMap::new(vec![Source { name, text }]);
    let Error::Input { error, .. } = unencodable(Document::Change, "", code, at) else {
        return Error::internal("an unencodable text is an input error");
    };
    let diagnostic = map.diagnostic(Span::new(0, start, end), error.message, error.help);
    Error::Policy(PolicyError {
        diagnostics: vec![diagnostic],
        sources: map,
    })
}

/// Runs `f`, turning a panic into [`Error::Internal`] with the panic's
/// message, so that no panic crosses into a host.
pub fn guard<T>(f: impl FnOnce() -> Result<T, Error>) -> Result<T, Error> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|panic| {
        let message = panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic".to_owned());
        Err(Error::internal(&message))
    })
}
