//! Errors as JavaScript sees them: core's `ErrorReport` made a
//! `ChangegateError` (the class of `bindings/types/error.js`, shared with
//! the WASM package) by its `fromReport`. Panics never cross the boundary:
//! core's `api::guard` makes them `internal` errors.

use changegate::api;
use changegate::{Error, ErrorReport};
use napi::JsValue;
use napi::bindgen_prelude::JsObjectValue;
use napi::bindgen_prelude::{Env, Result};

/// Runs `f`, turning its error (a panic among them, as an `internal`
/// error) into a thrown `ChangegateError` instead of unwinding into Node.
pub(crate) fn guard<T>(env: &Env, f: impl FnOnce() -> std::result::Result<T, Error>) -> Result<T> {
    api::guard(f).map_err(|e| throw(env, &e.report()))
}

/// The `ChangegateError` of a report, ready to throw or to reject with.
pub(crate) fn throw(env: &Env, report: &ErrorReport) -> napi::Error {
    let error = crate::hooks(env).and_then(|h| h.error.borrow_back(env)?.call(report.to_json()));
    match error {
        Ok(error) => napi::Error::from(error),
        Err(e) => e,
    }
}

/// [`throw`] for the change at `index` of a batch (`evaluateMany`): the
/// error carries `index`, as Python's does.
pub(crate) fn throw_at(env: &Env, report: &ErrorReport, index: usize) -> napi::Error {
    let error = crate::hooks(env).and_then(|h| {
        let error = h.error.borrow_back(env)?.call(report.to_json())?;
        let mut object = error.coerce_to_object()?;
        object.set_named_property("index", u32::try_from(index).unwrap_or(u32::MAX))?;
        Ok(error)
    });
    match error {
        Ok(error) => napi::Error::from(error),
        Err(e) => e,
    }
}
