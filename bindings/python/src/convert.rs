//! A change given as a Python mapping, read straight into the JSON value
//! core reads changes from (`Change::from_value`), instead of through
//! `json.dumps` and back.
//!
//! It accepts what `json.dumps` accepts, plus aware `datetime` objects,
//! written as RFC 3339 in UTC as before (`2026-12-22T14:00:00Z`, with
//! microseconds when there are some). Anything else is an `InputError` at
//! the JSON path of the value (`attributes.extra[0]`), with the messages the
//! pure-Python converter gave. Nesting deeper than [`MAX_DEPTH`] is refused,
//! as core's JSON parser refuses it in text.

use std::fmt::Write as _;

use changegate::{Document, Error, InputError};
use pyo3::exceptions::{PyOverflowError, PyUnicodeEncodeError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyMapping, PyString, PyTuple, PyType};
use serde_json::{Map, Number, Value as Json};

/// The most lists and mappings nested in one another: what core's JSON
/// parser accepts in text (`serde_json` stops at 128), so a document is
/// refused for its depth whether it comes as a dict or as JSON text
/// (`tests/test_lazy.py` checks the two agree).
pub(crate) const MAX_DEPTH: usize = 127;

/// What went wrong converting a value: a change document error, or a Python
/// exception raised by the value itself (a `Mapping` whose `items()` fails).
pub(crate) enum Failure {
    Input(Error),
    Python(PyErr),
}

impl From<PyErr> for Failure {
    fn from(e: PyErr) -> Failure {
        Failure::Python(e)
    }
}

pub(crate) fn input_error(path: &str, message: String, help: Option<&str>) -> Failure {
    let mut error = InputError::new(path, message);
    if let Some(help) = help {
        error = error.with_help(help);
    }
    Failure::Input(Error::Input {
        document: Document::Change,
        error,
    })
}

const SURROGATE_HELP: &str =
    "the text held a lone UTF-16 surrogate; fix the decoding that produced it";

/// The error for a `str` that UTF-8 cannot hold (a lone surrogate), given
/// the `UnicodeEncodeError` Python raised for it; any other error is kept.
pub(crate) fn surrogate(py: Python<'_>, e: PyErr, path: &str) -> Failure {
    if !e.is_instance_of::<PyUnicodeEncodeError>(py) {
        return Failure::Python(e);
    }
    let value = e.value(py);
    let start: usize = value
        .getattr("start")
        .and_then(|s| s.extract())
        .unwrap_or(0);
    let code = value
        .getattr("object")
        .and_then(|o| o.get_item(start))
        .and_then(|c| py.import("builtins")?.getattr("ord")?.call1((c,)))
        .and_then(|n| n.extract::<u32>())
        .unwrap_or(u32::from('?'));
    input_error(
        path,
        format!("lone surrogate `\\u{code:04x}` at character {start} cannot be encoded as UTF-8"),
        Some(SURROGATE_HELP),
    )
}

struct Types {
    datetime: Py<PyType>,
    date: Py<PyType>,
    utc: Py<PyAny>,
}

fn types(py: Python<'_>) -> PyResult<&Types> {
    static TYPES: PyOnceLock<Types> = PyOnceLock::new();
    TYPES.get_or_try_init(py, || {
        let dt = py.import("datetime")?;
        Ok(Types {
            datetime: dt.getattr("datetime")?.cast_into::<PyType>()?.unbind(),
            date: dt.getattr("date")?.cast_into::<PyType>()?.unbind(),
            utc: dt.getattr("timezone")?.getattr("utc")?.unbind(),
        })
    })
}

/// The JSON path of the value being converted, built as the walk goes
/// down and cut back as it returns.
struct Path(String);

impl Path {
    fn push_key(&mut self, key: &str) -> usize {
        let len = self.0.len();
        if len > 0 {
            self.0.push('.');
        }
        self.0.push_str(key);
        len
    }

    fn push_index(&mut self, i: usize) -> usize {
        let len = self.0.len();
        let _ = write!(self.0, "[{i}]");
        len
    }
}

/// Reads a change document from a Python mapping.
pub(crate) fn change(value: &Bound<'_, PyAny>) -> Result<Json, Failure> {
    let mut path = Path(String::new());
    convert(value, &mut path, 0)
}

fn convert(value: &Bound<'_, PyAny>, path: &mut Path, depth: usize) -> Result<Json, Failure> {
    let py = value.py();
    if value.is_none() {
        return Ok(Json::Null);
    }
    if let Ok(s) = value.cast::<PyString>() {
        return match s.to_cow() {
            Ok(s) => Ok(Json::String(s.into_owned())),
            Err(e) => Err(surrogate(py, e, &path.0)),
        };
    }
    if let Ok(b) = value.cast::<PyBool>() {
        return Ok(Json::Bool(b.is_true()));
    }
    if value.is_instance_of::<PyInt>() {
        return int(value, path);
    }
    if let Ok(f) = value.cast::<PyFloat>() {
        let v = f.value();
        return match Number::from_f64(v) {
            Some(n) => Ok(Json::Number(n)),
            None => {
                let shown = if v.is_nan() {
                    "nan"
                } else if v > 0.0 {
                    "inf"
                } else {
                    "-inf"
                };
                Err(input_error(
                    &path.0,
                    format!("`{shown}` is not a JSON number"),
                    None,
                ))
            }
        };
    }
    if let Ok(d) = value.cast::<PyDict>() {
        return nested(path, depth, |path| {
            let mut map = Map::new();
            for (k, v) in d.iter() {
                entry(&mut map, &k, &v, path, depth)?;
            }
            Ok(Json::Object(map))
        });
    }
    if let Ok(l) = value.cast::<PyList>() {
        return nested(path, depth, |path| {
            let mut out = Vec::with_capacity(l.len());
            for (i, v) in l.iter().enumerate() {
                let len = path.push_index(i);
                out.push(convert(&v, path, depth + 1)?);
                path.0.truncate(len);
            }
            Ok(Json::Array(out))
        });
    }
    if let Ok(t) = value.cast::<PyTuple>() {
        return nested(path, depth, |path| {
            let mut out = Vec::with_capacity(t.len());
            for (i, v) in t.iter().enumerate() {
                let len = path.push_index(i);
                out.push(convert(&v, path, depth + 1)?);
                path.0.truncate(len);
            }
            Ok(Json::Array(out))
        });
    }
    let types = types(py)?;
    if value.is_instance(types.datetime.bind(py))? {
        return datetime(value, types, path);
    }
    if value.is_instance(types.date.bind(py))? {
        let shown = value.call_method0("isoformat")?;
        return Err(input_error(
            &path.0,
            format!("a date without a time (`{shown}`) is not an instant"),
            Some("pass an aware datetime, or the date as a string"),
        ));
    }
    if let Ok(m) = value.cast::<PyMapping>() {
        return nested(path, depth, |path| {
            let mut map = Map::new();
            for item in m.items()?.iter() {
                let (k, v): (Bound<'_, PyAny>, Bound<'_, PyAny>) = item.extract()?;
                entry(&mut map, &k, &v, path, depth)?;
            }
            Ok(Json::Object(map))
        });
    }
    let name = value.get_type().name()?;
    Err(input_error(
        &path.0,
        format!("cannot write a Python `{name}` as JSON"),
        Some("use dicts, lists, strings, numbers, booleans, None and aware datetimes"),
    ))
}

/// Runs `f` one level deeper, refusing to go past [`MAX_DEPTH`].
fn nested(
    path: &mut Path,
    depth: usize,
    f: impl FnOnce(&mut Path) -> Result<Json, Failure>,
) -> Result<Json, Failure> {
    if depth >= MAX_DEPTH {
        return Err(input_error(
            "",
            "the document is nested too deeply".to_owned(),
            None,
        ));
    }
    f(path)
}

fn entry(
    map: &mut Map<String, Json>,
    k: &Bound<'_, PyAny>,
    v: &Bound<'_, PyAny>,
    path: &mut Path,
    depth: usize,
) -> Result<(), Failure> {
    let Ok(key) = k.cast::<PyString>() else {
        let shown = k.repr()?;
        return Err(input_error(
            &path.0,
            format!("key `{shown}` is not a string"),
            None,
        ));
    };
    let key = match key.to_cow() {
        Ok(key) => key,
        Err(e) => return Err(surrogate(k.py(), e, &path.0)),
    };
    let len = path.push_key(&key);
    let value = convert(v, path, depth + 1)?;
    path.0.truncate(len);
    map.insert(key.into_owned(), value);
    Ok(())
}

/// An int as `json.dumps` writes it and core's JSON parser reads it back:
/// within 64 bits exactly, beyond as the nearest float.
fn int(value: &Bound<'_, PyAny>, path: &Path) -> Result<Json, Failure> {
    if let Ok(i) = value.extract::<i64>() {
        return Ok(Json::from(i));
    }
    if let Ok(u) = value.extract::<u64>() {
        return Ok(Json::from(u));
    }
    match value.extract::<f64>() {
        Ok(f) => Ok(Number::from_f64(f).map_or(Json::Null, Json::Number)),
        Err(e) if e.is_instance_of::<PyOverflowError>(value.py()) => Err(input_error(
            &path.0,
            format!("integer `{}` is out of range", value.str()?),
            None,
        )),
        Err(e) => Err(Failure::Python(e)),
    }
}

/// An aware datetime as RFC 3339 in UTC (`2026-12-22T14:00:00Z`, and
/// `.ffffff` when there are microseconds), as `isoformat()` writes it.
fn datetime(value: &Bound<'_, PyAny>, types: &Types, path: &Path) -> Result<Json, Failure> {
    let py = value.py();
    if value.call_method0("utcoffset")?.is_none() {
        let shown = value.call_method0("isoformat")?;
        return Err(input_error(
            &path.0,
            format!("naive datetime `{shown}` has no time zone"),
            Some(
                "pass an aware datetime, such as `datetime(..., tzinfo=timezone.utc)` or `dt.astimezone()`",
            ),
        ));
    }
    let utc = match value.call_method1("astimezone", (types.utc.bind(py),)) {
        Ok(utc) => utc,
        Err(e) if e.is_instance_of::<PyOverflowError>(py) => {
            let shown = value.call_method0("isoformat")?;
            return Err(input_error(
                &path.0,
                format!("datetime `{shown}` is out of range"),
                None,
            ));
        }
        Err(e) => return Err(Failure::Python(e)),
    };
    let field = |name: &str| -> PyResult<u32> { utc.getattr(name)?.extract() };
    let mut text = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        field("year")?,
        field("month")?,
        field("day")?,
        field("hour")?,
        field("minute")?,
        field("second")?
    );
    let micro = field("microsecond")?;
    if micro != 0 {
        let _ = write!(text, ".{micro:06}");
    }
    text.push('Z');
    Ok(Json::String(text))
}
