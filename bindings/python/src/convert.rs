//! What a Python value is, for core's reader of host values
//! (`api::read_host`), which walks it into a JSON value with the JSON paths
//! and wording of its errors; not through `json.dumps` and back, which
//! costs more (docs/decisions.md, *Python binding*).

use std::borrow::Cow;

use changegate::api::{self, Document, HostDocument, HostError, HostValue, Visit};
use pyo3::exceptions::{PyOverflowError, PyUnicodeEncodeError};
use pyo3::prelude::*;
use pyo3::types::{
    PyBool, PyDate, PyDateAccess, PyDateTime, PyDelta, PyDeltaAccess, PyDict, PyFloat, PyInt,
    PyList, PyMapping, PyString, PyTimeAccess, PyTuple,
};
use serde_json::Value as Json;

/// Reads a Python value as the JSON document `document`.
pub(crate) fn value(value: &Bound<'_, PyAny>, document: Document) -> PyResult<Json> {
    api::read_host(&Value(value.clone()), document).map_err(|e| match e {
        HostError::Input(e) => crate::core_error(value.py(), &e),
        HostError::Host(e) => e,
    })
}

/// A `str` as UTF-8; one holding a lone surrogate is an input error at `path`.
pub(crate) fn text<'a>(
    s: &'a Bound<'_, PyString>,
    document: Document,
    path: &str,
) -> PyResult<Cow<'a, str>> {
    s.to_cow().or_else(|e| {
        let (code, at) = surrogate(s, e)?;
        Err(crate::core_error(
            s.py(),
            &api::unencodable(document, path, code, at),
        ))
    })
}

/// The lone surrogate (and its position) that made `to_cow` fail; any other
/// failure is passed on.
pub(crate) fn surrogate(s: &Bound<'_, PyString>, e: PyErr) -> PyResult<(u32, usize)> {
    let py = s.py();
    if !e.is_instance_of::<PyUnicodeEncodeError>(py) {
        return Err(e);
    }
    let at: usize = e.value(py).getattr("start")?.extract()?;
    let ord = py.import("builtins")?.getattr("ord")?;
    Ok((ord.call1((s.get_item(at)?,))?.extract()?, at))
}

/// A Python value, as core's reader of host values sees it.
struct Value<'py>(Bound<'py, PyAny>);

impl<'py> HostDocument for Value<'py> {
    type Error = PyErr;

    fn classify(&self) -> PyResult<HostValue> {
        let v = &self.0;
        Ok(if v.is_none() {
            HostValue::Null
        } else if let Ok(s) = v.cast::<PyString>() {
            match s.to_cow() {
                Ok(text) => HostValue::Text(text.into_owned()),
                Err(e) => surrogate(s, e).map(|(code, at)| HostValue::Unencodable { code, at })?,
            }
        } else if let Ok(b) = v.cast::<PyBool>() {
            HostValue::Bool(b.is_true())
        } else if v.is_instance_of::<PyInt>() {
            if let Ok(i) = v.extract::<i64>() {
                HostValue::Int(i)
            } else if let Ok(u) = v.extract::<u64>() {
                HostValue::UInt(u)
            } else {
                match v.extract::<f64>() {
                    Ok(f) => HostValue::BigInt(Some(f), String::new()),
                    Err(e) if e.is_instance_of::<PyOverflowError>(v.py()) => {
                        HostValue::BigInt(None, v.str()?.to_string())
                    }
                    Err(e) => return Err(e),
                }
            }
        } else if let Ok(f) = v.cast::<PyFloat>() {
            HostValue::Float(f.value())
        } else if v.is_instance_of::<PyList>() || v.is_instance_of::<PyTuple>() {
            HostValue::List
        } else if v.is_instance_of::<PyDict>() {
            HostValue::Map
        } else if let Ok(dt) = v.cast::<PyDateTime>() {
            let offset = v.call_method0("utcoffset")?;
            let Ok(offset) = offset.cast::<PyDelta>() else {
                return Ok(HostValue::Naive(v.call_method0("isoformat")?.to_string()));
            };
            let seconds = i64::from(offset.get_days()) * 86_400 + i64::from(offset.get_seconds());
            let [mo, d, h, mi, s] = [
                dt.get_month(),
                dt.get_day(),
                dt.get_hour(),
                dt.get_minute(),
                dt.get_second(),
            ];
            let nano = i32::try_from(dt.get_microsecond() * 1000).unwrap_or(0);
            HostValue::Instant {
                civil: [
                    dt.get_year(),
                    mo.into(),
                    d.into(),
                    h.into(),
                    mi.into(),
                    s.into(),
                    nano,
                ],
                offset_micros: seconds * 1_000_000 + i64::from(offset.get_microseconds()),
            }
        } else if v.is_instance_of::<PyDate>() {
            HostValue::Date(v.call_method0("isoformat")?.to_string())
        } else if v.is_instance_of::<PyMapping>() {
            HostValue::Map
        } else {
            HostValue::Unsupported(v.get_type().name()?.to_string())
        })
    }

    fn items(&self, each: &mut dyn FnMut(&Self) -> Visit<PyErr>) -> Visit<PyErr> {
        for item in self.0.try_iter().map_err(HostError::Host)? {
            each(&Value(item.map_err(HostError::Host)?))?;
        }
        Ok(())
    }

    fn entries(&self, each: &mut dyn FnMut(&Self, &Self) -> Visit<PyErr>) -> Visit<PyErr> {
        if let Ok(d) = self.0.cast::<PyDict>() {
            return d.iter().try_for_each(|(k, v)| each(&Value(k), &Value(v)));
        }
        let items = self.0.call_method0("items").map_err(HostError::Host)?;
        for item in items.try_iter().map_err(HostError::Host)? {
            let item = item.map_err(HostError::Host)?;
            let (k, v) = item.extract().map_err(HostError::Host)?;
            each(&Value(k), &Value(v))?;
        }
        Ok(())
    }
}
