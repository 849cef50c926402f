//! A Python value read straight into core's JSON value (for
//! `api::ChangeInput::Value` and `api::load_graph_value`), not through
//! `json.dumps` and back. It takes what `json.dumps` takes, plus aware
//! `datetime`s, written as RFC 3339 in UTC; anything else is an input error
//! at the JSON path of the value (`attributes.extra[0]`). Written by hand:
//! `pythonize` names no path, recurses without bound and reads NaN as null
//! (docs/decisions.md, *Python binding*).

use std::borrow::Cow;
use std::fmt::Write as _;

use changegate::InputError;
use changegate::api::{Document, Error};
use pyo3::exceptions::{PyOverflowError, PyUnicodeEncodeError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyMapping, PyString, PyTuple, PyType};
use serde_json::{Map, Number, Value as Json};

/// The deepest nesting core's JSON parser takes in text, so that a dict
/// and its text are refused alike (`tests/test_lazy.py`).
const MAX_DEPTH: usize = 127;

/// Reads a Python value as the JSON document `document`.
pub(crate) fn value(value: &Bound<'_, PyAny>, document: Document) -> PyResult<Json> {
    Walk {
        document,
        path: String::new(),
    }
    .convert(value, 0)
}

/// The exception for a bad value at `path` of `document`.
pub(crate) fn input_error(
    py: Python<'_>,
    document: Document,
    path: &str,
    message: String,
    help: Option<&str>,
) -> PyErr {
    let mut error = InputError::new(path, message);
    if let Some(help) = help {
        error = error.with_help(help);
    }
    crate::core_error(py, &Error::Input { document, error })
}

/// A `str` as UTF-8; one holding a lone surrogate (which UTF-8 cannot
/// hold) is an input error at `path`.
pub(crate) fn text<'a>(
    s: &'a Bound<'_, PyString>,
    document: Document,
    path: &str,
) -> PyResult<Cow<'a, str>> {
    s.to_cow().map_err(|e| {
        let py = s.py();
        if !e.is_instance_of::<PyUnicodeEncodeError>(py) {
            return e;
        }
        let start: usize = e
            .value(py)
            .getattr("start")
            .and_then(|s| s.extract())
            .unwrap_or(0);
        let ord = |c| {
            py.import("builtins")?
                .getattr("ord")?
                .call1((c,))?
                .extract::<u32>()
        };
        let code = s.get_item(start).and_then(ord).unwrap_or(u32::from('?'));
        let message = format!(
            "lone surrogate `\\u{code:04x}` at character {start} cannot be encoded as UTF-8"
        );
        let help = "the text held a lone UTF-16 surrogate; fix the decoding that produced it";
        input_error(py, document, path, message, Some(help))
    })
}

static DATETIME: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static DATE: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static TIMEZONE: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// The walk down one document: the JSON path of the value being read,
/// grown on the way down and cut back on the way up.
struct Walk {
    document: Document,
    path: String,
}

impl Walk {
    fn fail(&self, py: Python<'_>, message: String, help: Option<&str>) -> PyErr {
        input_error(py, self.document, &self.path, message, help)
    }

    fn convert(&mut self, value: &Bound<'_, PyAny>, depth: usize) -> PyResult<Json> {
        let py = value.py();
        if value.is_none() {
            return Ok(Json::Null);
        }
        if let Ok(s) = value.cast::<PyString>() {
            return Ok(Json::String(
                text(s, self.document, &self.path)?.into_owned(),
            ));
        }
        if let Ok(b) = value.cast::<PyBool>() {
            return Ok(Json::Bool(b.is_true()));
        }
        if value.is_instance_of::<PyInt>() {
            return self.int(value);
        }
        if let Ok(f) = value.cast::<PyFloat>() {
            let v = f.value();
            return Number::from_f64(v).map(Json::Number).ok_or_else(|| {
                let shown = if v.is_nan() {
                    "nan".into()
                } else {
                    v.to_string()
                };
                self.fail(py, format!("`{shown}` is not a JSON number"), None)
            });
        }
        let nested = value.is_instance_of::<PyDict>()
            || value.is_instance_of::<PyList>()
            || value.is_instance_of::<PyTuple>();
        if !nested {
            if value.is_instance(DATETIME.import(py, "datetime", "datetime")?)? {
                return self.datetime(value);
            }
            if value.is_instance(DATE.import(py, "datetime", "date")?)? {
                let shown = value.call_method0("isoformat")?;
                return Err(self.fail(
                    py,
                    format!("a date without a time (`{shown}`) is not an instant"),
                    Some("pass an aware datetime, or the date as a string"),
                ));
            }
            if !value.is_instance_of::<PyMapping>() {
                let name = value.get_type().name()?;
                return Err(self.fail(
                    py,
                    format!("cannot write a Python `{name}` as JSON"),
                    Some("use dicts, lists, strings, numbers, booleans, None and aware datetimes"),
                ));
            }
        }
        if depth >= MAX_DEPTH {
            let message = "the document is nested too deeply".to_owned();
            return Err(input_error(py, self.document, "", message, None));
        }
        if value.is_instance_of::<PyList>() || value.is_instance_of::<PyTuple>() {
            let mut out = Vec::with_capacity(value.len()?);
            for (i, v) in value.try_iter()?.enumerate() {
                let len = self.path.len();
                let _ = write!(self.path, "[{i}]");
                out.push(self.convert(&v?, depth + 1)?);
                self.path.truncate(len);
            }
            return Ok(Json::Array(out));
        }
        let mut map = Map::new();
        if let Ok(d) = value.cast::<PyDict>() {
            for (k, v) in d.iter() {
                self.entry(&mut map, &k, &v, depth)?;
            }
        } else {
            for item in value.cast::<PyMapping>()?.items()?.iter() {
                let (k, v): (Bound<'_, PyAny>, Bound<'_, PyAny>) = item.extract()?;
                self.entry(&mut map, &k, &v, depth)?;
            }
        }
        Ok(Json::Object(map))
    }

    fn entry(
        &mut self,
        map: &mut Map<String, Json>,
        k: &Bound<'_, PyAny>,
        v: &Bound<'_, PyAny>,
        depth: usize,
    ) -> PyResult<()> {
        let Ok(key) = k.cast::<PyString>() else {
            return Err(self.fail(k.py(), format!("key `{}` is not a string", k.repr()?), None));
        };
        let key = text(key, self.document, &self.path)?;
        let len = self.path.len();
        if len > 0 {
            self.path.push('.');
        }
        self.path.push_str(&key);
        let value = self.convert(v, depth + 1)?;
        self.path.truncate(len);
        map.insert(key.into_owned(), value);
        Ok(())
    }

    /// An int as `json.dumps` writes it and core's parser reads it back:
    /// within 64 bits exactly, beyond as the nearest float.
    fn int(&self, value: &Bound<'_, PyAny>) -> PyResult<Json> {
        if let Ok(i) = value.extract::<i64>() {
            return Ok(Json::from(i));
        }
        if let Ok(u) = value.extract::<u64>() {
            return Ok(Json::from(u));
        }
        match value.extract::<f64>() {
            Ok(f) => Ok(Number::from_f64(f).map_or(Json::Null, Json::Number)),
            Err(e) if e.is_instance_of::<PyOverflowError>(value.py()) => Err(self.fail(
                value.py(),
                format!("integer `{}` is out of range", value.str()?),
                None,
            )),
            Err(e) => Err(e),
        }
    }

    /// An aware datetime as RFC 3339 in UTC, as `isoformat()` writes it.
    fn datetime(&self, value: &Bound<'_, PyAny>) -> PyResult<Json> {
        let py = value.py();
        if value.call_method0("utcoffset")?.is_none() {
            let shown = value.call_method0("isoformat")?;
            return Err(self.fail(
                py,
                format!("naive datetime `{shown}` has no time zone"),
                Some(
                    "pass an aware datetime, such as `datetime(..., tzinfo=timezone.utc)` or `dt.astimezone()`",
                ),
            ));
        }
        let utc = TIMEZONE
            .import(py, "datetime", "timezone")?
            .getattr("utc")?;
        let utc = match value.call_method1("astimezone", (utc,)) {
            Ok(utc) => utc,
            Err(e) if e.is_instance_of::<PyOverflowError>(py) => {
                let shown = value.call_method0("isoformat")?;
                return Err(self.fail(py, format!("datetime `{shown}` is out of range"), None));
            }
            Err(e) => return Err(e),
        };
        // The base class's isoformat: a subclass may write more digits.
        let text: String = DATETIME
            .import(py, "datetime", "datetime")?
            .call_method1("isoformat", (utc,))?
            .extract()?;
        let text = text.strip_suffix("+00:00").unwrap_or(&text);
        Ok(Json::String(format!("{text}Z")))
    }
}
