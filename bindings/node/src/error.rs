//! Errors as JavaScript sees them: core's `ErrorReport` made a
//! `ChangegateError` (the class of `bindings/types/error.js`, shared with
//! the WASM package) by its `fromReport`. Panics never cross the boundary:
//! they become `internal` errors.

use std::panic::{AssertUnwindSafe, catch_unwind};

use changegate::{Error, ErrorReport};
use napi::bindgen_prelude::{Env, Result};

/// Runs `f`, turning its error into a thrown `ChangegateError` and a panic
/// into an `internal` one instead of unwinding into Node.
pub(crate) fn guard<T>(env: &Env, f: impl FnOnce() -> std::result::Result<T, Error>) -> Result<T> {
    match catch(f) {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(throw(env, &e.report())),
        Err(panic) => Err(internal(env, &panic)),
    }
}

/// Runs `f`, catching a panic as an error whose reason is the panic's
/// message (for `internal`): on a worker thread it must not reach libuv.
pub(crate) fn catch<T>(f: impl FnOnce() -> T) -> Result<T> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|panic| {
        let message = panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic".to_owned());
        napi::Error::from_reason(message)
    })
}

/// The `internal` error of a panic that `catch` caught.
pub(crate) fn internal(env: &Env, panic: &napi::Error) -> napi::Error {
    throw(env, &Error::internal(&panic.reason))
}

/// The `ChangegateError` of a report, ready to throw or to reject with.
pub(crate) fn throw(env: &Env, report: &ErrorReport) -> napi::Error {
    let error = crate::hooks(env).and_then(|h| h.error.borrow_back(env)?.call(report.to_json()));
    match error {
        Ok(error) => napi::Error::from(error),
        Err(e) => e,
    }
}
