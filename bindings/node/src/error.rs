//! Errors as JavaScript sees them: a plain `Error` whose `code` is `POLICY`,
//! `INPUT`, `IO` or `LIMIT`, with the fields of core's error JSON in
//! camelCase (see `types::ChangegateError`). Panics never cross the boundary.

use std::panic::{AssertUnwindSafe, catch_unwind};

use changegate::{Document, InputError};
use napi::bindgen_prelude::{Env, JsObjectValue, Object, Result, Status};
use napi::{JsValue, ValueType};

use crate::types;

/// Anything that becomes a thrown error or a rejected promise.
#[derive(Debug)]
pub(crate) enum Failure {
    /// An error from the engine.
    Core(changegate::Error),
    /// The graph file could not be read.
    GraphFile { path: String, message: String },
    /// A bug: the engine panicked.
    Panic,
}

impl From<changegate::Error> for Failure {
    fn from(e: changegate::Error) -> Failure {
        Failure::Core(e)
    }
}

/// Runs `f`, turning its error into a JavaScript error and a panic into an
/// `INTERNAL` error instead of unwinding into Node.
pub(crate) fn guard<T>(
    env: &Env,
    f: impl FnOnce() -> std::result::Result<T, changegate::Error>,
) -> Result<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(Failure::Core(e).into_js(env)),
        Err(_) => Err(Failure::Panic.into_js(env)),
    }
}

impl Failure {
    pub(crate) fn graph_file(path: &str, e: &std::io::Error) -> Failure {
        let message = match e.kind() {
            std::io::ErrorKind::NotFound => "no such file or directory".to_owned(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
            std::io::ErrorKind::InvalidData => "not valid UTF-8".to_owned(),
            _ => e.to_string().to_lowercase(),
        };
        Failure::GraphFile {
            path: path.to_owned(),
            message,
        }
    }

    /// A change that `JSON.stringify` turns into no JSON text at all.
    pub(crate) fn not_json(found: ValueType) -> Failure {
        let found = format!("{found:?}").to_lowercase();
        Failure::Core(changegate::Error::Input {
            document: Document::Change,
            error: InputError::new("", format!("expected a JSON object, found {found}")).with_help(
                "pass the change record as an object, or its JSON text to `evaluateJson`",
            ),
        })
    }

    /// The JavaScript error, ready to throw or to reject with.
    pub(crate) fn into_js(self, env: &Env) -> napi::Error {
        match self.build(env) {
            Ok(object) => napi::Error::from(object.to_unknown()),
            Err(e) => e,
        }
    }

    fn build<'env>(&self, env: &'env Env) -> Result<Object<'env>> {
        let e = match self {
            Failure::Core(e) => e,
            Failure::GraphFile { path, message } => {
                let mut err = new_error(
                    env,
                    types::ErrorCode::Io,
                    &format!("cannot read `{path}`: {message}"),
                )?;
                err.set_named_property("path", path.as_str())?;
                err.set_named_property("help", "pass the path of a graph JSON file")?;
                return Ok(err);
            }
            Failure::Panic => {
                return new_error(
                    env,
                    types::ErrorCode::Internal,
                    "internal error in changegate (a bug; please report it with the inputs that caused it)",
                );
            }
        };
        // The message is the one of the error JSON the CLI prints.
        let json: serde_json::Value = serde_json::from_str(&e.to_json()).unwrap_or_default();
        let message = json
            .pointer("/error/message")
            .and_then(serde_json::Value::as_str)
            .map_or_else(|| e.to_string(), str::to_owned);
        let code = match e {
            changegate::Error::Policy(_) => types::ErrorCode::Policy,
            changegate::Error::Input { .. } => types::ErrorCode::Input,
            changegate::Error::Io(_) => types::ErrorCode::Io,
            changegate::Error::Limit(_) => types::ErrorCode::Limit,
        };
        let mut err = new_error(env, code, &message)?;
        if let Some(help) = e.help() {
            err.set_named_property("help", help)?;
        }
        match e {
            changegate::Error::Policy(p) => {
                let diagnostics: Vec<types::Diagnostic> = p
                    .diagnostics()
                    .iter()
                    .map(|d| types::Diagnostic {
                        file: d.file.clone(),
                        line: d.line,
                        column: d.column,
                        end_line: d.end_line,
                        end_column: d.end_column,
                        message: d.message.clone(),
                        help: d.help.clone(),
                    })
                    .collect();
                err.set_named_property("diagnostics", diagnostics)?;
            }
            changegate::Error::Input { document, error } => {
                err.set_named_property("document", document.as_str())?;
                err.set_named_property("path", error.path.as_str())?;
            }
            changegate::Error::Io(e) => err.set_named_property("path", e.path.as_str())?,
            changegate::Error::Limit(_) => {}
        }
        Ok(err)
    }
}

/// `new Error(message)` with `code` set.
fn new_error<'env>(env: &'env Env, code: types::ErrorCode, message: &str) -> Result<Object<'env>> {
    let mut err = env.create_error(napi::Error::new(Status::GenericFailure, message))?;
    err.set_named_property("code", code)?;
    Ok(err)
}
